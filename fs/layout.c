/* layout.c - break_layouts(): what a design does when a layout change meets a pinned page. */
#include <errno.h>
#include <pinlab/bio.h>
#include <pinlab/dax.h>
#include <pinlab/filelock.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>

/**
 * mapping_range_maybe_pinned() - may a cached page of the range be DMA-pinned?
 * @mapping: the page cache
 * @index:   first page
 * @nr:      pages
 *
 * Context: the invalidate lock held, the range unmapped; a lockless look at each slot and page; false positives as
 * page_maybe_dma_pinned() allows them.
 *
 * Return: true if some page may be pinned.
 */
bool mapping_range_maybe_pinned(struct address_space *mapping, pgoff_t index, pgoff_t nr)
{
	pgoff_t i, end = min_t(pgoff_t, index + nr, MM_PAGES_MAX);

	for (i = index; i < end; i++) {
		struct page *page;

		kobj_read(&mapping->i_pages[i]);
		page = page_cache_slot(mapping, i);
		if (page && page_maybe_dma_pinned(page))
			return true;
	}
	return false;
}

/*
 * layout=fail: a pinned page in the range fails the change, as Jan Kara's
 * first option for reflink of a pinned file (-EBUSY; -ETXTBSY was also
 * proposed).  Short-term pins (O_DIRECT) fail it too: false positives.
 */
static int break_layouts_fail(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	if (!mapping_range_maybe_pinned(inode->i_mapping, index, nr))
		return 0;
	inode_cost(inode)->layout_fails++;
	return -EBUSY;
}

/*
 * layout=block: wait until no page of the range may be DMA-pinned, Jan
 * Kara's second option.  Every unpin wakes the world's pin_wait
 * (mm/gup.c); the wait keeps i_rwsem, which no unpin needs.  A pin that
 * is never dropped is a layout change that never returns: the explorer
 * reports it as deadlock when nothing else can run.
 */
static int break_layouts_block(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	if (!mapping_range_maybe_pinned(inode->i_mapping, index, nr))
		return 0;
	inode_cost(inode)->layout_waits++;
	wait_event(&inode->i_world->pin_wait,
		   !mapping_range_maybe_pinned(inode->i_mapping, index, nr));
	return 0;
}

/*
 * xfs_break_leased_layouts(): try without blocking; when leases are left
 * (their break has started), drop the locks, sleep in break_layout() until
 * the holders let go or are revoked at their break time, and take the
 * locks again.  As xfs_vn_setattr() passes IOLOCK and MMAPLOCK, both go:
 * the holder's re-pin faults, and a fault takes the invalidate lock.
 * Lock order: i_rwsem, then mapping->invalidate_lock (mm_types.h).
 * Return: 0, with *@did_unlock set when the locks were dropped.
 */
static int break_leased_layouts(struct inode *inode, bool *did_unlock)
{
	int error = break_layout(inode, false);

	while (error == -EWOULDBLOCK) {
		filemap_invalidate_unlock(inode->i_mapping);
		mutex_unlock(&inode->i_rwsem);
		*did_unlock = true;
		error = break_layout(inode, true);
		mutex_lock(&inode->i_rwsem);
		filemap_invalidate_lock(inode->i_mapping);
	}
	return error;
}

/*
 * layout=lease-break: xfs_break_layouts() for leased layouts.  Once the
 * locks were dropped anything may have happened, a new lease included:
 * break again until a pass finds none.  The caller must look at the file
 * afresh (its size, its pages) after this returns.
 */
static int break_layouts_lease(struct inode *inode, enum layout_break_reason reason)
{
	bool retry;
	int error;

	if (reason & BREAK_NOWAIT)
		return break_layout(inode, false);
	do {
		retry = false;
		error = break_leased_layouts(inode, &retry);
	} while (!error && retry);
	return error;
}

/*
 * Before a design looks at pins, no new one may be taken: the caller holds
 * the invalidate lock, so a fault (and the GUP behind it) waits, and the
 * range is unmapped, so GUP-fast finds no PTE to pin through (the order of
 * dax_break_layout(): unmap, then look at the pages).
 */
static void break_layouts_prepare(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	unmap_mapping_range(inode->i_mapping, index, nr);
}

int break_layouts(struct inode *inode, pgoff_t index, pgoff_t nr,
		  enum layout_break_reason reason)
{
	if (IS_DAX(inode))
		dax_break_layout(inode, index, index + nr);
	if (inode_policy(inode)->layout != LAYOUT_IGNORE)
		break_layouts_prepare(inode, index, nr);
	switch (inode_policy(inode)->layout) {
	case LAYOUT_FAIL:
		return break_layouts_fail(inode, index, nr);
	case LAYOUT_BLOCK:
		return break_layouts_block(inode, index, nr);
	case LAYOUT_LEASE_BREAK:
		return break_layouts_lease(inode, reason);
	case LAYOUT_COW:
		if (reason & BREAK_UNMAP)
			return break_layouts_fail(inode, index, nr);
		return 0;	/* the remap reserves COW blocks itself */
	case LAYOUT_IGNORE:
	default:
		return 0;
	}
}
