/* dax.c - fsdax: faults map a file's blocks directly, read(2) and write(2) copy to them, layout changes wait for busy pages. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/blkdev.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/writeback.h>
#include <pinlab/pgtable.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>

/*
 * Persistent memory has a struct page per block: the page *is* the block.
 * pinlab makes it at the block's first use, with the block's sectors as its
 * data (one object for both: a CPU store through the mapping, a device's
 * DMA and a crash image all see the same memory) and one base reference,
 * the pmem driver's, which is never dropped: an idle DAX page has a count
 * of one, and the page is never freed.
 */
static struct page *dax_page(struct mm_world *w, long block)
{
	struct page *page = w->dax_pages[block];

	if (page)
		return page;
	page = arena_alloc(&exec_arena, sizeof(*page));
	BUG_ON(!page);		/* the arena is sized for the world: a model bug */
	page->data = w->disk->blocks[block].data;
	page->nr_sectors = w->sectors;
	page->dax = true;
	page->world = w;
	atomic_init(&page->_refcount, 1);
	atomic_init(&page->_mapcount, -1);
	init_waitqueue_head(&page->wait);
	page->id = w->nr_pages_alloc++;
	mm_debug_dax_page(page);
	w->dax_pages[block] = page;
	return page;
}

/* A zeroed block for page @index: dax_iomap_zero() of a fresh allocation. */
static long dax_alloc_block(struct inode *inode, pgoff_t index)
{
	struct mm_world *w = inode->i_world;
	long block = disk_alloc_block(w);
	int s;

	if (block < 0)
		return block;
	for (s = 0; s < w->sectors; s++) {
		kobj_write(&w->disk->blocks[block].data[s]);
		w->disk->blocks[block].data[s] = 0;
	}
	inode->i_blocks[index] = block;
	return block;
}

/*
 * ->iomap_begin() of a DAX access: the block of page @index, allocated
 * (and zeroed) where the file has a hole, under the filesystem's block map
 * lock (ext4's i_data_sem, xfs's ILOCK).  A read of a hole would map the
 * zero page; pinlab allocates there too, a difference no outcome sees.
 * Return: the block or -ENOSPC.
 */
static long dax_iomap_begin(struct inode *inode, pgoff_t index)
{
	long block;

	__sched_point(&inode->i_blocks[index], KACC_WRITE, "ext4_iomap_begin");
	block = i_block_read(inode, index);
	return block >= 0 ? block : dax_alloc_block(inode, index);
}

/* dax_associate_entry(): the page now belongs to page @index of @mapping (rmap). */
static void dax_associate_entry(struct page *page, struct address_space *mapping,
				pgoff_t index)
{
	kobj_write(&page->mapping);
	page->mapping = mapping;
	page->index = index;
}

/* The entry for @page, writable when the fault writes; mapped if it was missing. */
static void dax_insert_pfn(struct vm_fault *vmf, struct page *page)
{
	struct mm_struct *mm = vmf->mm;
	struct pte *ptep = pte_of(mm, vmf->inode, vmf->pgoff);
	struct pte entry;

	spin_lock(&mm->ptl);
	entry = ptep_get(ptep);
	if (!entry.present) {
		get_page(page);
		page_add_file_rmap(page);
		entry = mk_pte(page);
	}
	if (vmf->write)
		entry = pte_mkwrite(pte_mkdirty(entry));
	if (pte_maps(entry, page))
		set_pte_at(ptep, entry);
	spin_unlock(&mm->ptl);
}

int dax_iomap_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->inode;
	long block;

	if (vmf->pgoff >= i_size_load(inode))
		return VM_FAULT_SIGBUS;
	block = dax_iomap_begin(inode, vmf->pgoff);
	if (block < 0)
		return VM_FAULT_SIGBUS;
	dax_associate_entry(dax_page(inode->i_world, block), inode->i_mapping, vmf->pgoff);
	dax_insert_pfn(vmf, inode->i_world->dax_pages[block]);
	return 0;
}

/**
 * dax_iomap_lookup() - ->iomap_begin() of a DAX read: the block of page
 * @index, under the filesystem's block map lock
 * @inode: the file
 * @index: the page
 *
 * Context: a scheduling point first.
 * Return: the block, or -1 for a hole.
 */
long dax_iomap_lookup(struct inode *inode, pgoff_t index)
{
	__sched_point(&inode->i_blocks[index], KACC_READ, "ext4_iomap_begin");
	return i_block_read(inode, index);
}

/**
 * dax_block_sector() - dax_iomap_iter()'s copy of sector @s of @block
 * @w:     the world
 * @block: an allocated block
 * @s:     the sector
 *
 * Context: a scheduling point first (one per sector, as every transfer).
 * Return: the sector's value.
 */
s64 dax_block_sector(struct mm_world *w, long block, int s)
{
	__sched_point(&w->disk->blocks[block].data[s], KACC_READ, "dax_iomap_iter");
	return w->disk->blocks[block].data[s];
}

/**
 * dax_read() - read(2) of page @index of a DAX file: the block, sector by
 * sector
 */
s64 dax_read(struct inode *inode, pgoff_t index)
{
	struct mm_world *w = inode->i_world;
	s64 v = 0;
	long block;
	int s;

	if (index >= i_size_load(inode))
		return 0;
	block = dax_iomap_lookup(inode, index);
	if (block < 0)
		return 0;
	for (s = 0; s < w->sectors; s++)
		sector_value_fold(&v, s, dax_block_sector(w, block, s));
	return v;
}

/**
 * dax_write() - write(2) of @v into page @index of a DAX file.
 *
 * Return: 0 or -errno
 */
int dax_write(struct inode *inode, pgoff_t index, s64 v)
{
	struct mm_world *w = inode->i_world;
	long block;
	int s, err = 0;

	if (index >= MM_PAGES_MAX)
		return -EFBIG;
	mutex_lock(&inode->i_rwsem);
	block = dax_iomap_begin(inode, index);
	if (block < 0) {
		err = (int)block;
		goto out_unlock;
	}
	kobj_write(&inode->i_size);
	if ((pgoff_t)i_size_read(inode) <= index)
		inode->i_size = index + 1;
	for (s = 0; s < w->sectors; s++) {
		__sched_point(&w->disk->blocks[block].data[s], KACC_WRITE, "dax_iomap_iter");
		w->disk->blocks[block].data[s] = v;
	}
out_unlock:
	mutex_unlock(&inode->i_rwsem);
	return err;
}

/* dax_page_idle(): nobody but the pmem driver holds the page of @block. */
static bool dax_block_idle(struct mm_world *w, long block)
{
	struct page *page = w->dax_pages[block];

	return !page || page_ref_count(page) == 1;
}

/* The page of @block, if the range's block map holds one; -1 otherwise. */
static long dax_range_block(struct inode *inode, pgoff_t i)
{
	kobj_read(&inode->i_blocks[i]);
	return i_block_read(inode, i);
}

int dax_break_layout(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct mm_world *w = inode->i_world;
	pgoff_t i;
	long block;

	unmap_mapping_range(inode->i_mapping, start, end - start);
	if (inode_policy(inode)->dax_busy == DAX_BUSY_FREE)
		return 0;
	for (i = start; i < min_t(pgoff_t, end, MM_PAGES_MAX); i++) {
		block = dax_range_block(inode, i);
		if (block >= 0)
			wait_event(&w->dax_wait, dax_block_idle(w, block));
	}
	return 0;
}

/*
 * ext4_dax_aops, xfs_dax_aops: no page cache, nothing to write back; the
 * ->dirty_folio is noop_dirty_folio(): PG_dirty only records it.
 */
const struct address_space_operations dax_aops = {
	.dirty_folio	= filemap_dirty_folio,
};
