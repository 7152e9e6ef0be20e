/* truncate.c - invalidating clean page cache pages: invalidate_mapping_pages(), drop_caches. */
#include <pinlab/mm.h>
#include <pinlab/policy.h>
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
	if (policy->base == BASE_4_20)
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

	kobj_read(&inode->i_size);
	end = min_t(pgoff_t, i_size_read(inode), MM_PAGES_MAX);
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
