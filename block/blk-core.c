/* blk-core.c - submit_bio() and the disk behind it: blocks, transfers, integrity checks. */
#include <errno.h>
#include <string.h>
#include <pinlab/blkdev.h>
#include <pinlab/mm.h>
#include "blk.h"

/*
 * The disk is one array of blocks, a page's worth of sectors each.  Its
 * device (HBA and drive together) moves one sector per step, with a
 * scheduling point before each: anyone may run between two sectors.  The
 * device is its own task (blk-mq.c) when the world has a request queue.  A
 * block may carry the filesystem's data checksums (btrfs): in the model
 * they are stored with the block, so the block layer looks them up and
 * checks them for the filesystem, as btrfs_lookup_bio_sums() and
 * btrfs_check_read_bio() do from the checksum tree.  Object of footprints:
 * &b->data[s] per sector, &b->csum for the checksums and @has_csum.
 */

/**
 * disk_alloc_block() - allocate a fresh block on @w's disk
 * @w: the world whose disk it is
 *
 * A bump allocator: blocks are never reused within an execution, even
 * when their reference count drops to zero -- except on a DAX world, where
 * a block whose count dropped to zero is handed out again first (the
 * latest first), as a real allocator hands a freed extent to the next file
 * (a device still writing a DAX page then writes another file's block).
 * The new block has one reference: the file extent that will point at it.
 *
 * Return: the block number, or -ENOSPC when the disk is full.
 */
long disk_alloc_block(struct mm_world *w)
{
	struct gendisk *disk = w->disk;
	long b;

	if (w->dax) {
		kobj_write(&disk->nr_free);
		if (disk->nr_free) {
			b = disk->free_blocks[--disk->nr_free];
			goto got;
		}
	}
	kobj_write(&disk->nr_blocks);
	if (disk->nr_blocks >= disk->max_blocks)
		return -ENOSPC;
	b = disk->nr_blocks++;
	mm_debug_block(w, b);
got:
	kobj_write(&disk->blocks[b].refcount);
	disk->blocks[b].refcount = 1;
	return b;
}

static struct disk_block *disk_block(struct gendisk *disk, long block)
{
	VM_BUG_ON(block < 0 || block >= disk->max_blocks);
	return &disk->blocks[block];
}

/**
 * disk_block_get() - one more file extent points at @block
 * @w:     the world
 * @block: an allocated block
 *
 * xfs_refcount_increase_extent() of a reflink: the block becomes shared.
 *
 * Context: the caller holds what protects the extent maps (xfs's ILOCK);
 * no scheduling point.
 */
void disk_block_get(struct mm_world *w, long block)
{
	struct disk_block *b = disk_block(w->disk, block);

	kobj_write(&b->refcount);
	VM_BUG_ON(b->refcount <= 0);
	b->refcount++;
}

/**
 * disk_block_put() - a file extent stops pointing at @block
 * @w:     the world
 * @block: an allocated block
 *
 * xfs_refcount_decrease_extent(): a COW remap, a punch or a truncate drops
 * the file's reference; at zero the block is free, and on a DAX world the
 * next allocation takes it (disk_alloc_block()).
 *
 * Context: as disk_block_get().
 */
void disk_block_put(struct mm_world *w, long block)
{
	struct disk_block *b = disk_block(w->disk, block);

	kobj_write(&b->refcount);
	VM_BUG_ON(b->refcount <= 0);
	if (--b->refcount || !w->dax)
		return;
	kobj_write(&w->disk->nr_free);
	w->disk->free_blocks[w->disk->nr_free++] = block;
}

/**
 * disk_block_refcount() - how many file extents point at @block
 * @w:     the world
 * @block: a block, or a negative number for a hole (0)
 *
 * Context: no scheduling point; the read is in the step's footprint.
 *
 * Return: the reference count; more than 1 is a shared extent.
 */
int disk_block_refcount(struct mm_world *w, long block)
{
	struct disk_block *b;

	if (block < 0)
		return 0;
	b = disk_block(w->disk, block);
	kobj_read(&b->refcount);
	return b->refcount;
}

/* Does every sector of @b match its stored checksum (true without any)? */
static bool disk_csum_ok(struct disk_block *b, int nr_sectors)
{
	int s;

	kobj_read(&b->csum);
	if (!b->has_csum)
		return true;
	for (s = 0; s < nr_sectors; s++) {
		kobj_read(&b->data[s]);
		if (sector_csum(b->data[s]) != b->csum[s])
			return false;
	}
	return true;
}

/*
 * The drive has written every sector: the filesystem's checksums go with
 * them (btrfs inserts them when the ordered extent completes, only for
 * writes that succeeded).
 */
static void disk_store_csum(struct disk_block *b, const struct bio *bio, int nr_sectors)
{
	kobj_write(&b->csum);
	memcpy(b->csum, bio->bi_csum, nr_sectors * sizeof(b->csum[0]));
	b->has_csum = true;
}

/*
 * The device's scheduling point before a sector: @in_step when the step it
 * is taking began with the device's wake-up by the submission, which is
 * where another actor could come in; then only the access is recorded.
 */
static void dev_sector_point(const void *obj, enum kacc mode, bool in_step, const char *fn)
{
	if (in_step)
		kobj_access(obj, mode);
	else
		__sched_point(obj, mode, fn);
}

/*
 * The device reads sector @s of the page and writes it to the drive; with
 * protection information it first checks the sector against its guard.
 * Return: 0, or -EIO on a guard mismatch (the sector is not written).
 */
static int disk_write_sector(struct bio *bio, struct disk_block *b, int s,
			     bool in_step, const char *fn)
{
	s64 v;

	dev_sector_point(&bio->bi_page->data[s], KACC_READ, in_step, fn);
	v = page_read_sector(bio->bi_page, s);
	if (bio->bi_has_guard && sector_guard(v) != bio->bi_guard[s])
		return -EIO;
	kobj_write(&b->data[s]);
	b->data[s] = v;
	return 0;
}

/*
 * A write at DMA time.  A guard mismatch makes the HBA abort the command:
 * the sectors before it are on the drive already, the rest keep their old
 * data, so an overwritten block may be left torn.  Then, if the block is
 * checksummed, its data is checked against the checksums the filesystem
 * computed before: a device that changed the page in between leaves a
 * block that will never read back (csum_error).
 */
static void disk_transfer_write(struct bio *bio, bool in_step, const char *fn)
{
	struct disk_block *b = disk_block(bio->bi_disk, bio->bi_block);
	int nr = bio->bi_page->nr_sectors;
	int s;

	for (s = 0; s < nr; s++) {
		if (disk_write_sector(bio, b, s, in_step && !s, fn)) {
			kobj_write(bio);
			bio->bi_status = -EIO;
			flag_raise(PLF_IO_ERROR, "DIF guard mismatch");
			break;
		}
	}
	if (!bio->bi_status && bio->bi_has_csum)
		disk_store_csum(b, bio, nr);
	if (!disk_csum_ok(b, nr))
		flag_raise(PLF_CSUM_ERROR, "block on disk fails its checksum");
}

/*
 * btrfs_lookup_bio_sums(): at submission, a read of a checksummed block
 * gets its checksums.
 */
static void blk_lookup_csum(struct bio *bio)
{
	struct disk_block *b = disk_block(bio->bi_disk, bio->bi_block);

	kobj_read(&b->csum);
	if (bio->bi_has_csum || !b->has_csum)
		return;
	memcpy(bio->bi_csum, b->csum, bio->bi_page->nr_sectors * sizeof(bio->bi_csum[0]));
	bio->bi_has_csum = true;
}

/*
 * A read at DMA time, one sector per step into the page; each sector is
 * checked against its checksum as btrfs_check_read_bio() does, and any
 * mismatch fails the whole read.
 */
static void disk_transfer_read(struct bio *bio, bool in_step, const char *fn)
{
	struct disk_block *b = disk_block(bio->bi_disk, bio->bi_block);
	int nr = bio->bi_page->nr_sectors;
	bool bad = false;
	int s;

	for (s = 0; s < nr; s++) {
		s64 v;

		dev_sector_point(&b->data[s], KACC_READ, in_step && !s, fn);
		v = b->data[s];
		page_write_sector(bio->bi_page, s, v);
		if (bio->bi_has_csum && sector_csum(v) != bio->bi_csum[s])
			bad = true;
	}
	if (bad) {
		kobj_write(bio);
		bio->bi_status = -EIO;
	}
}

/**
 * blk_dev_transfer() - the device moves @bio's data, one sector per step
 * @bio:     a bio that has not failed
 * @in_step: the first sector moves in the current step (the device's
 *	     wake-up by the submission began it); else a scheduling point
 *	     comes before it too
 * @fn:      label of the transfer's steps
 *
 * Context: the device's task, or the submitter's without one.
 */
void blk_dev_transfer(struct bio *bio, bool in_step, const char *fn)
{
	if (bio->bi_write)
		disk_transfer_write(bio, in_step, fn);
	else
		disk_transfer_read(bio, in_step, fn);
}

/**
 * blk_complete_bio() - the completion interrupt of a transferred bio
 * @bio: the bio, @bi_status set
 *
 * Frees a block-layer bounce copy, then calls the owner's @bi_end_io: ends
 * writeback, or makes a read page up to date and unlocks it.
 * Context: the step after the transfer's last sector.
 */
void blk_complete_bio(struct bio *bio)
{
	kobj_write(bio);
	if (bio->bi_bounced)
		bounce_end_io(bio);
	bio_endio(bio);
}

/**
 * blk_end_io_obj() - the page flag object the completion of @bio writes first
 *
 *  The object the completion step starts by writing: the flag it ends.
 */
const void *blk_end_io_obj(struct bio *bio)
{
	return page_flag_obj(bio_page(bio), bio->bi_write ? PG_writeback : PG_uptodate);
}

/**
 * submit_bio() - submit a bio to the disk
 * @bio: from bio_alloc(), with @bi_end_io set (NULL: nothing to call)
 *
 * The kernel's order: blk_queue_bounce() copies a maybe-pinned page when
 * the design bounces in the block layer; bio_integrity_prep() generates the
 * DIF guards over the data in memory now (the copy if bounced); then the
 * request goes to the device (blk_mq_submit_bio()), which transfers one
 * sector per step, checking each guard, stores the filesystem's checksums
 * with the block, and raises the completion interrupt: a bounce copy is
 * freed and @bi_end_io called.  With a device task all that happens in it,
 * after this returns; a bio that failed already completes here.
 */
void submit_bio(struct bio *bio)
{
	bio->bi_bounced = blk_queue_bounce(bio);
	if (!bio->bi_status && bio->bi_write)
		bio_integrity_prep(bio);
	else if (!bio->bi_status)
		blk_lookup_csum(bio);
	blk_mq_submit_bio(bio);
}

/**
 * blk_execute_inline() - the device's work done by the submitter
 * @bio: a submitted bio
 *
 * Without a device task, or for a bio that failed before reaching the
 * device: the transfer, then the completion interrupt when it likes (a
 * scheduling point), all before returning.
 */
void blk_execute_inline(struct bio *bio)
{
	if (!bio->bi_status)
		blk_dev_transfer(bio, false, "submit_bio");
	__sched_point(blk_end_io_obj(bio), KACC_WRITE, "bio_endio");
	blk_complete_bio(bio);
}

/*
 * struct bio_wait - what submit_bio_wait() sleeps on
 * @done: the bio completed; its own footprint object
 * @wait: where the submitter sleeps until @done
 */
struct bio_wait {
	bool done;
	struct wait_queue_head wait;
};

/* submit_bio_wait_endio(): in the completion, wake the submitter. */
static void submit_bio_wait_endio(struct bio *bio)
{
	struct bio_wait *bw = bio->bi_private;

	kobj_write(&bw->done);
	bw->done = true;
	wake_up(&bw->wait);
}

/**
 * submit_bio_wait() - submit a bio and sleep until it completes
 * @bio: a bio without @bi_end_io (it may live on the caller's stack)
 *
 * The condition is first tested in the step that submitted the bio, as
 * the device cannot have completed it yet unless the submitter did the
 * device's work itself (no device task).
 * Context: a task that may sleep.
 * Return: the bio's status, 0 or -EIO.
 */
int submit_bio_wait(struct bio *bio)
{
	struct bio_wait bw = { .done = false };
	u64 cookie;

	init_waitqueue_head(&bw.wait);
	bio->bi_end_io = submit_bio_wait_endio;
	bio->bi_private = &bw;
	submit_bio(bio);
	for (;;) {
		cookie = prepare_to_wait(&bw.wait);
		kobj_read(&bw.done);
		if (bw.done)
			break;
		wait_sleep(&bw.wait, cookie);
	}
	destroy_waitqueue_head(&bw.wait);
	return bio->bi_status;
}

/**
 * submit_page_read() - fill a locked page from a disk block
 * @page:  the page, locked and not up to date
 * @block: its block on disk, or -1 for a hole (zeros)
 *
 * For filesystems without a read completion of their own: a read bio
 * submitted and waited for (submit_bio_wait()).  The caller marks the
 * page up to date and unlocks it.
 * Context: a task that may sleep.
 */
void submit_page_read(struct page *page, long block)
{
	struct bio bio = {
		.bi_page = page,
		.bi_disk = page_world(page)->disk,
		.bi_block = block,
	};

	if (block < 0)
		clear_highpage(page);	/* a hole reads as zeros without any I/O */
	else
		submit_bio_wait(&bio);
}

/* The sectors' common value, or PAGE_VAL_TORN. */
static s64 disk_sectors_value(struct disk_block *b, int nr_sectors)
{
	s64 v = 0;
	int s;

	for (s = 0; s < nr_sectors; s++) {
		kobj_read(&b->data[s]);
		if (sector_value_fold(&v, s, b->data[s]))
			break;
	}
	return v;
}

/**
 * disk_value() - what a crash would leave in a block right now
 * @w:     the world
 * @block: the block, or a negative number for a hole (zero)
 *
 * Return: PAGE_VAL_EIO when the block carries checksums its data fails (a
 * checksumming filesystem refuses to read it), else the common value of
 * its sectors, or PAGE_VAL_TORN when they differ.
 */
s64 disk_value(struct mm_world *w, long block)
{
	struct disk_block *b;

	if (block < 0)
		return 0;
	b = disk_block(w->disk, block);
	if (!disk_csum_ok(b, w->sectors))
		return PAGE_VAL_EIO;
	return disk_sectors_value(b, w->sectors);
}

/**
 * disk_sector() - one sector of a block as a read would return it
 * @w:     the world
 * @block: the block, or a negative number for a hole (zero)
 * @s:     the sector
 * @v:     its value
 *
 * Return: 0, or -EIO when the block carries checksums and this sector fails
 * its own (the other sectors may still read back).
 */
int disk_sector(struct mm_world *w, long block, int s, s64 *v)
{
	struct disk_block *b;

	*v = 0;
	if (block < 0)
		return 0;
	b = disk_block(w->disk, block);
	kobj_read(&b->csum);
	kobj_read(&b->data[s]);
	if (b->has_csum && sector_csum(b->data[s]) != b->csum[s])
		return -EIO;
	*v = b->data[s];
	return 0;
}
