/* swap.h - what reclaim (mm/vmscan.c) shares with invalidation (mm/truncate.c). */
#ifndef PINLAB_SWAP_H
#define PINLAB_SWAP_H

#include <pinlab/buffer_head.h>
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

/* remove_mapping() - evict a locked, clean page nobody else holds (mm/vmscan.c) */
int remove_mapping(struct address_space *mapping, struct page *page);

#endif /* PINLAB_SWAP_H */
