/* swap.h - what reclaim (mm/vmscan.c) shares with invalidation (mm/truncate.c). */
#ifndef PINLAB_SWAP_H
#define PINLAB_SWAP_H

#include <pinlab/mm.h>

/**
 * filemap_release_folio() - free a locked page's private data (buffers)
 * @page: a locked page
 *
 * Never while the page is under writeback.
 *
 * Return: true when the page has no private data left.
 */
static inline bool filemap_release_folio(struct page *page)
{
	struct address_space *mapping;

	if (PageWriteback(page))
		return false;
	kobj_read(&page->mapping);
	mapping = page->mapping;
	if (mapping && mapping->a_ops->release_folio)
		return mapping->a_ops->release_folio(page);
	return try_to_free_buffers(page);
}

/**
 * remove_mapping() - take a locked, clean page out of the page cache if
 * nobody but the page cache and the caller holds it
 * @mapping: the page's mapping
 * @page:    the page, locked, with the caller's reference
 *
 * Return: 1 if the page was removed (the caller's reference is then the
 * last one), 0 if it is still in use.
 */
int remove_mapping(struct address_space *mapping, struct page *page);

#endif /* PINLAB_SWAP_H */
