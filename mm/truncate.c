/* truncate.c - invalidating clean page cache pages: invalidate_mapping_pages(), drop_caches. */
#include <pinlab/buffer_head.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/swap.h>

/*
 * find_lock_entries() for one index: the lockless lookup takes a reference,
 * then only a page it can lock at once, still in @mapping and not under
 * writeback, is considered.
 */
static struct page *find_lock_entry(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	__sched_point(&mapping->i_pages[index], KACC_READ, "find_lock_entries");
	page = page_cache_slot(mapping, index);
	if (!page)
		return NULL;
	get_page(page);
	if (!trylock_page(page))
		goto put;
	kobj_read(&page->mapping);
	if (page->mapping != mapping || PageWriteback(page))
		goto unlock;
	return page;

unlock:
	unlock_page(page);
put:
	put_page(page);
	return NULL;
}

/*
 * evict_refs_elevated() - someone besides the page cache and our lookup
 * holds the page.  Base 6.18's mapping_evict_folio() tests it before
 * releasing the buffers (the 2022 folio conversion of mm/truncate.c);
 * 4.20's invalidate_inode_page() did not, and left the refcount to
 * remove_mapping(), after try_to_release_page() had stripped the buffers.
 */
static bool evict_refs_elevated(struct page *page)
{
	if (page_policy(page)->base == BASE_4_20)
		return false;
	return page_ref_count(page) > 2;
}

/*
 * mapping_evict_folio(): a locked page leaves the cache only if it is clean,
 * idle, unmapped and referenced by nobody but the page cache and our lookup
 * (so never while a device holds a GUP reference or pin); its buffers are
 * released first.  On base 4.20 a held clean page loses its buffers and
 * stays (objective O2).
 *
 * Return: 1 if it was evicted.
 */
static int mapping_evict_folio(struct address_space *mapping, struct page *page)
{
	if (PageDirty(page) || PageWriteback(page))
		return 0;
	if (page_mapcount(page))
		return 0;
	if (evict_refs_elevated(page))
		return 0;
	if (page_has_buffers(page) && !filemap_release_folio(page))
		return 0;
	return remove_mapping(mapping, page);
}

/**
 * invalidate_mapping_pages() - evict a file's clean, unused pages
 * @mapping: the page cache
 *
 * Dirty pages, pages under writeback, mapped pages and pages someone
 * else holds (pinned ones included) stay; so do pages it cannot lock at
 * once.
 *
 * Return: pages evicted.
 */
int invalidate_mapping_pages(struct address_space *mapping)
{
	struct inode *inode = mapping->host;
	pgoff_t index, end;
	int count = 0;

	end = min_t(pgoff_t, i_size_load(inode), MM_PAGES_MAX);
	for (index = 0; index < end; index++) {
		struct page *page = find_lock_entry(mapping, index);

		if (!page)
			continue;
		count += mapping_evict_folio(mapping, page);
		unlock_page(page);
		put_page(page);
	}
	return count;
}

/**
 * drop_caches() - echo 1 > /proc/sys/vm/drop_caches: invalidate every file
 * @w: the world
 */
void drop_caches(struct mm_world *w)
{
	int f;

	for (f = 0; f < w->nr_files; f++)
		invalidate_mapping_pages(w->inodes[f]->i_mapping);
}

/*
 * truncate_cleanup_folio(): the page is leaving the file: unmap whatever a
 * fault mapped again behind unmap_mapping_range(), discard its buffers and
 * cancel its dirtiness (folio_cancel_dirty()): its data is not written.
 * Pins are not looked at.
 */
static void truncate_cleanup_folio(struct address_space *mapping, struct page *page)
{
	if (page_mapcount(page) > 0)
		try_to_unmap(page);
	if (page_has_buffers(page)) {
		if (mapping->host->i_sb->buffers)
			block_invalidate_folio(page);
		else
			filemap_release_folio(page);
	}
	ClearPageDirty(page);
}

/*
 * truncate_inode_folio(): lock the page, wait for its writeback, and if it is
 * still this file's, clean it up and take it out of the page cache.  A
 * pinned page leaves too: it becomes an orphan (mapping NULL) that lives on
 * through the pin, and whatever the device writes into it reaches no file.
 */
static void truncate_inode_folio(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (!page)
		return;
	lock_page(page);
	if (page_mapping(page) != mapping)
		goto out;
	wait_on_page_writeback(page);
	truncate_cleanup_folio(mapping, page);
	delete_from_page_cache(page);
out:
	unlock_page(page);
	put_page(page);
}

/**
 * truncate_inode_pages_range() - remove pages [@start, @end) from the page cache
 * @mapping: the file's page cache
 * @start:   first page
 * @end:     one past the last page (at most MM_PAGES_MAX)
 *
 * The kernel's two passes (find_lock_entries() taking only what it can lock
 * at once, then folio_lock() and folio_wait_writeback() on the rest) end the
 * same way for each page; pinlab does the second pass's steps for every page.
 * Unlike invalidation, this does not spare busy pages: dirty, mapped and
 * pinned pages go, and their data with them.
 *
 * Context: the caller holds the inode's i_rwsem; sleeps on page locks and
 * writeback.
 */
void truncate_inode_pages_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	pgoff_t index;

	for (index = start; index < min_t(pgoff_t, end, MM_PAGES_MAX); index++)
		truncate_inode_folio(mapping, index);
}

/**
 * truncate_pagecache() - the file shrank from @oldsize to @newsize pages:
 * unmap, remove the pages beyond, unmap again
 * @inode:   the file, i_size already @newsize
 * @oldsize: its size before: no page at or beyond it can be mapped or cached
 * @newsize: its size now
 *
 * The kernel's order: unmap_mapping_range() so that no new fault maps the
 * pages (faults check i_size under the page lock), truncate_inode_pages(),
 * then unmap_mapping_range() again for a page a racing fault mapped in
 * between.  pinlab passes @oldsize so that the walks stop at the last page
 * that could be mapped.
 *
 * Context: i_rwsem held.
 */
void truncate_pagecache(struct inode *inode, pgoff_t oldsize, pgoff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;

	if (newsize >= oldsize)
		return;
	unmap_mapping_range(mapping, newsize, oldsize - newsize);
	truncate_inode_pages_range(mapping, newsize, oldsize);
	unmap_mapping_range(mapping, newsize, oldsize - newsize);
}

/**
 * truncate_pagecache_range() - a hole is punched in [@start, @start + @nr):
 * unmap and remove its pages, then unmap again
 * @inode: the file
 * @start: first page
 * @nr:    pages
 *
 * Context: i_rwsem held (and the filesystem's invalidate lock in the kernel).
 */
void truncate_pagecache_range(struct inode *inode, pgoff_t start, pgoff_t nr)
{
	struct address_space *mapping = inode->i_mapping;

	unmap_mapping_range(mapping, start, nr);
	truncate_inode_pages_range(mapping, start, start + nr);
	unmap_mapping_range(mapping, start, nr);
}
