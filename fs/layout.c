/* layout.c - break_layouts(): what a design does when a layout change meets a pinned page. */
#include <errno.h>
#include <pinlab/bio.h>
#include <pinlab/dax.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
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
	mm_cost.layout_fails++;
	return -EBUSY;
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
	if (policy->layout != LAYOUT_IGNORE)
		break_layouts_prepare(inode, index, nr);
	switch (policy->layout) {
	case LAYOUT_FAIL:
		return break_layouts_fail(inode, index, nr);
	case LAYOUT_COW:
		if (reason == BREAK_UNMAP)
			return break_layouts_fail(inode, index, nr);
		return 0;	/* the remap reserves COW blocks itself */
	case LAYOUT_IGNORE:
	default:
		return 0;
	}
}
