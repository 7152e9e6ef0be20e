/* vmscan.c - reclaim of file pages: one shrink_folio_list() pass over an inode's page cache. */
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/swap.h>
#include <pinlab/writeback.h>

#define SWAP_CLUSTER_MAX	32

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc);

/* What pageout() did with a dirty page. */
enum pageout {
	PAGE_KEEP,		/* could not write it: keep it */
	PAGE_ACTIVATE,		/* its mapping cannot write it (tmpfs): keep it */
	PAGE_SUCCESS,		/* ->writepage ran and unlocked the page */
	PAGE_CLEAN,		/* it turned out to be clean */
};


/*
 * __remove_mapping(): under the i_pages lock, the page may leave the cache
 * only if its references are exactly the page cache's and the caller's (the
 * kernel freezes them at that count, so that no speculative lookup or
 * GUP-fast can take one meanwhile) and nobody dirtied it.
 */
static bool __remove_mapping(struct address_space *mapping, struct page *page)
{
	bool removed = false;

	VM_BUG_ON(!PageLocked(page));
	spin_lock(&mapping->i_lock);
	if (page_ref_count(page) != 2)
		goto cannot_free;
	if (PageDirty(page))
		goto cannot_free;
	__filemap_remove_folio(page);
	removed = true;
cannot_free:
	spin_unlock(&mapping->i_lock);
	return removed;
}

/**
 * remove_mapping() - evict a locked, clean page nobody else holds
 * @mapping: the page's mapping
 * @page:    the page, locked, with the caller's reference
 *
 * Return: 1 if it left the page cache (the caller's reference is then the
 * last one), 0 if someone else holds or dirtied it.
 */
int remove_mapping(struct address_space *mapping, struct page *page)
{
	return __remove_mapping(mapping, page);
}

/*
 * is_page_cache_freeable(): only the page cache and reclaim hold the page.
 * pageout() does not bother writing a page somebody else uses.
 */
static bool is_page_cache_freeable(struct page *page)
{
	return page_ref_count(page) == 2;
}

/*
 * mapping_writepage() - the ->writepage pageout() may call, or NULL.  On
 * base 6.18 there is none: ext4 stopped providing it in 6.3 (dae999602eeb,
 * reclaim relies on ->writepages instead) and 6.16 removed the hook from
 * every filesystem (6b0dfabb3555); 6.18's pageout() writes only shmem and
 * anonymous folios, which go to swap, and pinlab has no swap.
 */
static writepage_t mapping_writepage(struct address_space *mapping)
{
	if (inode_policy(mapping->host)->base == BASE_6_18)
		return NULL;
	return mapping->a_ops->writepage;
}

/*
 * pageout(): write a locked dirty page for reclaim.  ->writepage gets it
 * cleaned by clear_page_dirty_for_io(), with PG_reclaim set so that the end
 * of its writeback rotates it for reclaim.
 */
static enum pageout pageout(struct page *page, struct address_space *mapping)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = SWAP_CLUSTER_MAX,
		.for_reclaim = true,
	};
	writepage_t writepage;

	if (!is_page_cache_freeable(page))
		return PAGE_KEEP;
	writepage = mapping_writepage(mapping);
	if (!writepage)
		return PAGE_ACTIVATE;
	if (!clear_page_dirty_for_io(page))
		return PAGE_CLEAN;
	page_set_flag(page, PG_reclaim);
	writepage(page, &wbc);
	/*
	 * ->writepage unlocked the page and submitted the bio: the device may
	 * complete it before the lockless test ("synchronous write or broken
	 * a_ops?").
	 */
	__sched_point(page_flag_obj(page, PG_writeback), KACC_READ, "pageout");
	if (!PageWriteback(page))
		page_clear_flag(page, PG_reclaim);
	return PAGE_SUCCESS;
}

/* What shrink_folio_list() decided for a page. */
enum shrink_result {
	SHRINK_KEEP_LOCKED,	/* keep it; we hold its lock */
	SHRINK_KEEP,		/* keep it; ->writepage dropped its lock */
	SHRINK_FREE,		/* locked, clean, unmapped, without buffers */
};

/*
 * After PAGE_SUCCESS: a page still under writeback or dirty again stays
 * for a later pass.  A write that completed already ("probably a ramdisk":
 * the device's task ran since the submission) lets reclaim go on with
 * the page if it can lock it again and nobody truncated it meanwhile.
 */
static enum shrink_result pageout_relock(struct page *page,
					 struct address_space *mapping)
{
	if (PageWriteback(page) || PageDirty(page))
		return SHRINK_KEEP;
	if (!trylock_page(page))
		return SHRINK_KEEP;
	if (PageDirty(page) || PageWriteback(page))
		return SHRINK_KEEP_LOCKED;
	if (page_mapping(page) != mapping)
		return SHRINK_KEEP_LOCKED;
	return SHRINK_FREE;
}

/*
 * page_is_file_lru() - the page is on the file LRU: page cache of a
 * filesystem with a disk.  tmpfs pages are swap-backed (the anon LRU).
 */
static bool page_is_file_lru(struct address_space *mapping)
{
	return mapping->host->i_sb->has_disk;
}

/*
 * may_write_file_page() - shrink_folio_list()'s gate before pageout() for
 * a dirty file page (both bases): only kswapd writes one, and only once it
 * is PG_reclaim (met dirty by an earlier pass, not redirtied since:
 * set_page_dirty() clears the flag) on a node flagged PGDAT_DIRTY.  Every
 * reclaim pass is kswapd's, and the node is taken as PGDAT_DIRTY: a pass
 * that met the page dirty and unqueued set it (docs/eras.md).  A page
 * that fails the gate is marked PG_reclaim and activated.
 */
static bool may_write_file_page(struct page *page,
				struct address_space *mapping)
{
	if (!page_is_file_lru(mapping) || PageReclaim(page))
		return true;
	page_set_flag(page, PG_reclaim);
	return false;
}

/* The dirty page goes to pageout(); Return: SHRINK_FREE if it is clean after. */
static enum shrink_result shrink_dirty_page(struct page *page,
					    struct address_space *mapping)
{
	if (!may_write_file_page(page, mapping))
		return SHRINK_KEEP_LOCKED;
	switch (pageout(page, mapping)) {
	case PAGE_KEEP:
	case PAGE_ACTIVATE:
		return SHRINK_KEEP_LOCKED;
	case PAGE_SUCCESS:
		return pageout_relock(page, mapping);
	case PAGE_CLEAN:
		break;
	}
	return SHRINK_FREE;
}

/*
 * The shrink_folio_list() decisions for one locked page of @mapping, up to
 * the point where it may leave the page cache.
 */
static enum shrink_result shrink_locked_page(struct page *page,
					     struct address_space *mapping)
{
	enum shrink_result ret;

	if (PageWriteback(page))
		return SHRINK_KEEP_LOCKED;
	if (page_mapcount(page) && !try_to_unmap(page))
		return SHRINK_KEEP_LOCKED;
	/*
	 * Unmapped now, it cannot be newly pinned: don't reclaim it (nor its
	 * buffers, which the pinning device may be dirtying) if it is (6.4).
	 */
	if (page_policy(page)->reclaim == RECLAIM_SKIP && page_maybe_dma_pinned(page))
		return SHRINK_KEEP_LOCKED;
	if (PageDirty(page)) {
		ret = shrink_dirty_page(page, mapping);
		if (ret != SHRINK_FREE)
			return ret;
	}
	if (page_has_buffers(page) && !filemap_release_folio(page))
		return SHRINK_KEEP_LOCKED;
	return SHRINK_FREE;
}

/*
 * shrink_folio_list() for one isolated page: try to lock it, decide, and
 * free it if only the page cache and reclaim held it.  The isolation
 * reference is dropped in every case.
 *
 * Return: 1 if the page was freed.
 */
static int shrink_page(struct page *page)
{
	struct address_space *mapping;
	enum shrink_result ret = SHRINK_KEEP_LOCKED;
	int freed = 0;

	if (!trylock_page(page))
		goto keep;
	mapping = page_mapping(page);
	if (mapping)		/* else truncated since we isolated it */
		ret = shrink_locked_page(page, mapping);
	if (ret == SHRINK_FREE)
		freed = __remove_mapping(mapping, page);
	if (ret != SHRINK_KEEP)
		unlock_page(page);
keep:
	put_page(page);
	return freed;
}

/*
 * isolate_lru_folios() for one page: reclaim picks it off the LRU without
 * the i_pages lock and takes the isolation reference.
 */
static struct page *isolate_lru_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	__sched_point(&mapping->i_pages[index], KACC_READ, "shrink_folio_list");
	page = page_cache_slot(mapping, index);
	if (page)
		get_page(page);
	return page;
}

/**
 * shrink_inode_pages() - one reclaim pass over an inode's cached pages
 * @inode: the file
 *
 * In shrink_folio_list() order, per page: trylock (skip on failure); keep
 * it if under writeback; unmap it (keep it if some PTE remains); under
 * reclaim=skip keep it if it may be DMA-pinned; if dirty, mark it
 * PG_reclaim the first time and write it out (4.20 only) the next;
 * release its buffers (keep it if they are dirty); remove it from the
 * page cache only if its refcount is exactly the page cache's and
 * reclaim's.  A pinned clean page thus loses its buffers but keeps its
 * place in the cache (objective O2 under reclaim=release).
 *
 * Return: pages freed.
 */
int shrink_inode_pages(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t index, end;
	int nr_reclaimed = 0;

	end = min_t(pgoff_t, i_size_load(inode), MM_PAGES_MAX);
	for (index = 0; index < end; index++) {
		struct page *page = isolate_lru_page(mapping, index);

		if (page)
			nr_reclaimed += shrink_page(page);
	}
	return nr_reclaimed;
}
