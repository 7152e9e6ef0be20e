/* page-writeback.c - dirtying pages and writing them back, from set_page_dirty() to sync(2). */
#include <limits.h>
#include <pinlab/mm.h>

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc);

/* mapping_can_writeback(): the filesystem writes its pages back (not tmpfs). */
static bool mapping_can_writeback(struct address_space *mapping)
{
	return mapping->host->i_sb->dirty_tracked;
}

/**
 * set_page_dirty() - mark a page dirty, the filesystem's way
 * @page: the page; often not locked (a driver releasing a pin, the unmap
 *	  of a dirty PTE), which is why this begins at a scheduling point
 *
 * A page truncated out of its mapping only gets PG_dirty.
 *
 * Return: true if the page was clean.
 */
bool set_page_dirty(struct page *page)
{
	struct address_space *mapping;

	__sched_point(&page->flags, KACC_WRITE, "set_page_dirty");
	mapping = page_mapping(page);
	if (!mapping)
		return !TestSetPageDirty(page);
	return mapping->a_ops->dirty_folio(mapping, page);
}

/**
 * clear_page_dirty_for_io() - clean a page that is about to be written
 * @page: the page, locked
 *
 * For a dirty-tracked mapping, first write-protect every PTE of the page
 * (page_mkclean()) and carry what they dirtied into the page, so that the
 * next store through a mapping faults into ->page_mkwrite(); only then
 * test-and-clear PG_dirty.  The other order would lose a store made in
 * between.
 *
 * Return: true if the page was dirty: the caller must write it.
 */
bool clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	VM_BUG_ON(!PageLocked(page));
	if (mapping && mapping_can_writeback(mapping)) {
		if (page_mkclean(page))
			set_page_dirty(page);
	}
	return TestClearPageDirty(page);
}

/*
 * The lockless dirty-tag lookup of write_cache_pages(): the page at @index
 * if it is dirty, with a reference.
 */
static struct page *find_get_dirty_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	__sched_point(&mapping->i_pages[index], KACC_READ, "write_cache_pages");
	page = mapping->i_pages[index];
	if (!page || !PageDirty(page))
		return NULL;
	get_page(page);
	return page;
}

/*
 * One page of write_cache_pages(): lock it, recheck what the lookup saw,
 * skip or wait for writeback in flight, clean it for I/O and hand it to
 * @writepage, which unlocks it.
 *
 * Return: 1 if @writepage was called and succeeded, 0 if the page was
 * skipped, or @writepage's error.
 */
static int write_cache_page(struct page *page, struct address_space *mapping,
			    struct writeback_control *wbc, writepage_t writepage)
{
	int err;

	lock_page(page);
	if (page_mapping(page) != mapping)
		goto continue_unlock;		/* truncated */
	if (!PageDirty(page))
		goto continue_unlock;		/* someone else wrote it */
	if (PageWriteback(page)) {
		if (wbc->sync_mode == WB_SYNC_NONE) {
			wbc->pages_skipped++;
			goto continue_unlock;
		}
		wait_on_page_writeback(page);
	}
	if (!clear_page_dirty_for_io(page))
		goto continue_unlock;
	err = writepage(page, wbc);
	return err < 0 ? err : 1;

continue_unlock:
	unlock_page(page);
	return 0;
}

/**
 * write_cache_pages() - the generic ->writepages loop
 * @mapping:   the page cache to write back
 * @wbc:       sync mode and counters
 * @writepage: writes one locked, cleaned page and unlocks it
 *
 * Walks the file from index 0 up to EOF.  WB_SYNC_NONE (cleaning) skips
 * pages under writeback and stops at the first error or when
 * @wbc->nr_to_write runs out; WB_SYNC_ALL (integrity) waits for them and
 * writes everything it finds dirty.
 *
 * Return: 0 or the first error.
 */
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      int (*writepage)(struct page *page, struct writeback_control *wbc))
{
	struct inode *inode = mapping->host;
	pgoff_t index, end;
	int ret = 0;

	kobj_read(&inode->i_size);
	end = min_t(pgoff_t, inode->i_size, MM_PAGES_MAX);
	for (index = 0; index < end; index++) {
		struct page *page = find_get_dirty_page(mapping, index);
		int err;

		if (!page)
			continue;
		err = write_cache_page(page, mapping, wbc, writepage);
		put_page(page);
		if (err < 0) {
			if (!ret)
				ret = err;
			if (wbc->sync_mode == WB_SYNC_NONE)
				break;
		}
		if (err && --wbc->nr_to_write <= 0 && wbc->sync_mode == WB_SYNC_NONE)
			break;
	}
	return ret;
}

/**
 * do_writepages() - write back a mapping through its filesystem
 * @mapping: the page cache
 * @wbc:     sync mode and counters
 *
 * ->writepages if the filesystem has one, else the generic loop over
 * ->writepage; a filesystem with neither (tmpfs) writes nothing.
 *
 * Return: 0 or the first error.
 */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	const struct address_space_operations *a_ops = mapping->a_ops;

	if (wbc->nr_to_write <= 0)
		return 0;
	if (a_ops->writepages)
		return a_ops->writepages(mapping, wbc);
	if (a_ops->writepage)
		return write_cache_pages(mapping, wbc, a_ops->writepage);
	return 0;
}

/**
 * writeback_inode() - one flusher pass over an inode's dirty pages
 * @inode: the file
 * @mode:  WB_SYNC_NONE (background cleaning) or WB_SYNC_ALL (integrity)
 *
 * Starts the writes; it does not wait for their completion
 * (filemap_fdatawait() does).
 *
 * Return: 0 or the first error.
 */
int writeback_inode(struct inode *inode, enum writeback_sync_modes mode)
{
	struct address_space *mapping = inode->i_mapping;
	struct writeback_control wbc = {
		.sync_mode = mode,
		.nr_to_write = LONG_MAX,
	};

	if (!mapping_can_writeback(mapping))
		return 0;
	return do_writepages(mapping, &wbc);
}

/**
 * vfs_fsync() - fsync(2): write the file's dirty pages and wait for them
 * @inode: the file
 *
 * Return: 0 or the first error.
 */
int vfs_fsync(struct inode *inode)
{
	return filemap_write_and_wait(inode->i_mapping);
}

/**
 * ksys_sync() - sync(2): write back every file and wait
 * @w: the world
 */
void ksys_sync(struct mm_world *w)
{
	int f;

	for (f = 0; f < w->nr_files; f++)
		vfs_fsync(w->inodes[f]);
}
