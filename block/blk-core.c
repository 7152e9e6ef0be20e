/* blk-core.c - the disk model: block allocation and sector-by-sector page transfers. */
#include <errno.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>

/**
 * disk_alloc_block() - allocate a fresh block on @w's disk
 * @w: the world whose disk it is
 *
 * A bump allocator: blocks are never freed within an execution.
 *
 * Return: the block number, or -ENOSPC when the disk is full.
 */
long disk_alloc_block(struct mm_world *w)
{
	kobj_write(&w->nr_blocks);
	if (w->nr_blocks >= w->max_blocks)
		return -ENOSPC;
	return w->nr_blocks++;
}

static struct disk_block *disk_block(struct mm_world *w, long block)
{
	VM_BUG_ON(block < 0 || block >= w->max_blocks);
	return &w->disk[block];
}

/*
 * The device has read the last sector: the completion interrupt runs when it
 * likes, so others may see the page under writeback after the transfer.
 */
static void bio_endio(struct page *page)
{
	__sched_point(&page->flags, KACC_WRITE, "bio_endio");
	end_page_writeback(page);
}

/**
 * submit_page_write() - write a page under writeback to a disk block
 * @page:  the page, PG_writeback set, unlocked
 * @block: its block on disk
 *
 * The model's disk DMA and the one submission point of every write: the
 * device reads the page one sector at a time, and anyone may run between
 * two sectors (a device DMA into the page, a CPU store).  Completion clears
 * PG_writeback.
 */
void submit_page_write(struct page *page, long block)
{
	struct disk_block *b = disk_block(mm_world, block);
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		s64 v;

		__sched_point(&page->data[s], KACC_READ, "submit_bio");
		v = page_read_sector(page, s);
		kobj_write(&b->data[s]);
		b->data[s] = v;
	}
	bio_endio(page);
}

/* A hole reads as zeros without any I/O (zero_user()). */
static void zero_page_sectors(struct page *page)
{
	int s;

	for (s = 0; s < page->nr_sectors; s++)
		page_write_sector(page, s, 0);
}

/**
 * submit_page_read() - fill a locked page from a disk block
 * @page:  the page, locked and not up to date
 * @block: its block on disk, or -1 for a hole (zeros)
 *
 * Sector by sector, with a scheduling point before each, as the device
 * transfers them.  The caller marks the page up to date and unlocks it.
 */
void submit_page_read(struct page *page, long block)
{
	struct disk_block *b;
	int s;

	if (block < 0) {
		zero_page_sectors(page);
		return;
	}
	b = disk_block(mm_world, block);
	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&b->data[s], KACC_READ, "submit_bio");
		page_write_sector(page, s, b->data[s]);
	}
}

/**
 * disk_value() - what a crash would leave in a block right now
 * @w:     the world
 * @block: the block, or a negative number for a hole (zero)
 *
 * Return: the common value of the block's sectors, or LT_VAL_TORN when
 * they differ.
 */
s64 disk_value(struct mm_world *w, long block)
{
	struct disk_block *b;
	s64 v;
	int s;

	if (block < 0)
		return 0;
	b = disk_block(w, block);
	kobj_read(&b->data[0]);
	v = b->data[0];
	for (s = 1; s < w->sectors; s++) {
		kobj_read(&b->data[s]);
		if (b->data[s] != v)
			return LT_VAL_TORN;
	}
	return v;
}
