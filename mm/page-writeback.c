/* page-writeback.c - dirtying pages and writing them back, from set_page_dirty() to sync(2). */
#include <errno.h>
#include <limits.h>
#include <pinlab/cost.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/writeback.h>

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc);
typedef bool (*wb_check_t)(struct page *page);

/* mapping_can_writeback(): the filesystem writes its pages back (not tmpfs). */
static bool mapping_can_writeback(struct address_space *mapping)
{
	return mapping->host->i_sb->dirty_tracked && !IS_DAX(mapping->host);
}

/**
 * set_page_dirty() - mark a page dirty, the filesystem's way
 * @page: the page; often not locked (a driver releasing a pin, the unmap
 *	  of a dirty PTE), which is why this begins at a scheduling point
 *
 * A page truncated out of its mapping only gets PG_dirty.  A page of a
 * mapping loses PG_reclaim first: redirtied, it is no longer one reclaim
 * already met dirty (folio_mark_dirty()).
 *
 * Return: true if the page was clean.
 */
bool set_page_dirty(struct page *page)
{
	struct address_space *mapping;

	__sched_point(page_flag_obj(page, PG_dirty), KACC_WRITE, "set_page_dirty");
	mapping = page_mapping(page);
	if (!mapping)
		return !TestSetPageDirty(page);
	if (PageReclaim(page))
		page_clear_flag(page, PG_reclaim);
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
 * This form never bounces: its callers outside write_cache_pages() (reclaim's
 * pageout()) never get a pinned page, which is_page_cache_freeable() keeps
 * out of pageout().
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

/**
 * filemap_dirty_folio() - ->dirty_folio of a filesystem without buffer heads
 * @mapping: the page's mapping (unused: pinlab's dirty tag is PG_dirty)
 * @page:    the page
 *
 * Only the page is marked (filemap_dirty_folio(), and noop_dirty_folio() of
 * tmpfs and DAX, which are the same here).
 *
 * Return: true if the page was clean.
 */
bool filemap_dirty_folio(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	return !TestSetPageDirty(page);
}

/**
 * redirty_page_for_writepage() - ->writepage will not write the page it was
 * handed: dirty again
 *
 * redirty_page_for_writepage(): a page cleaned for I/O that will not be
 * written after all stays dirty for a later pass.
 */
void redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	wbc->pages_skipped++;
	SetPageDirty(page);
}

/*
 * fs_bounce_page(): the filesystem's bounce copy of @page, made by mm as
 * blk_queue_bounce() makes the block layer's (block/bounce.c), counted in
 * the bounces cost.  Return: the copy with one reference, or NULL when the
 * arena is full.
 */
static struct page *fs_bounce_page(struct page *page)
{
	struct page *copy = alloc_page(page_world(page));

	if (!copy)
		return NULL;
	copy_highpage(copy, page, "clear_page_dirty_for_io");
	SetPageUptodate(copy);
	page_cost(page)->bounces++;
	return copy;
}

/*
 * clear_page_dirty_for_io_bounce(): clear_page_dirty_for_io() for
 * write_cache_pages().  Under wb=fs-bounce a page a device may still write
 * is copied once it is clean and write-protected, and the copy is handed
 * back in @wbc->bounce: the filesystem checksums and submits the copy
 * (Jan Kara's answer to Dave Chinner's btrfs objection, December 2018).
 * The copy is made sector by sector, so the device may still change the
 * page meanwhile, but whatever the copy holds is what gets summed and
 * written.
 *
 * Return: 1 to write the page, 0 if it was clean, or -ENOMEM when no copy
 * could be made (the page stays dirty).
 */
static int clear_page_dirty_for_io_bounce(struct page *page, struct writeback_control *wbc)
{
	if (!clear_page_dirty_for_io(page))
		return 0;
	if (page_policy(page)->wb != WB_FS_BOUNCE || !page_maybe_dma_pinned(page))
		return 1;
	wbc->bounce = fs_bounce_page(page);
	if (wbc->bounce)
		return 1;
	redirty_page_for_writepage(wbc, page);
	return -ENOMEM;
}

/*
 * The lockless dirty-tag lookup of write_cache_pages(): the page at @index
 * if it is dirty, with a reference.
 */
static struct page *find_get_dirty_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	__sched_point(&mapping->i_pages[index], KACC_READ, "write_cache_pages");
	page = page_cache_slot(mapping, index);
	if (!page || !PageDirty(page))
		return NULL;
	get_page(page);
	return page;
}

/*
 * Cleaning writeback leaves a page a device may be writing dirty: its data
 * is not final, and writing it would only race with the device (Jan Kara's
 * 2023 RFC, "mm: Do not try to write pinned folio during memory cleaning
 * writeback").  Integrity writeback still writes it.
 */
static bool writeback_skip_pinned(struct page *page, struct writeback_control *wbc)
{
	if (!page_policy(page)->wb_skip_cleaning || wbc->sync_mode != WB_SYNC_NONE)
		return false;
	if (!page_maybe_dma_pinned(page))
		return false;
	wbc->pages_skipped++;
	page_cost(page)->skipped++;
	return true;
}

/*
 * folio_prepare_writeback(): with the page locked, recheck what the lookup
 * saw, skip or wait for writeback in flight, skip a pinned page in cleaning
 * writeback, let the filesystem's @check (if any) skip the page, and clean
 * the page for I/O.
 *
 * Return: 1 if the page is to be written, 0 if it is skipped, or -errno.
 */
static int folio_prepare_writeback(struct page *page, struct address_space *mapping,
				   struct writeback_control *wbc, wb_check_t check)
{
	if (page_mapping(page) != mapping)
		return 0;			/* truncated */
	if (!PageDirty(page))
		return 0;			/* someone else wrote it */
	if (PageWriteback(page)) {
		if (wbc->sync_mode == WB_SYNC_NONE) {
			wbc->pages_skipped++;
			return 0;
		}
		page_cost(page)->wb_waits++;
		wait_on_page_writeback(page);
	}
	if (writeback_skip_pinned(page, wbc))
		return 0;
	if (check && !check(page))
		return 0;
	return clear_page_dirty_for_io_bounce(page, wbc);
}

/*
 * One page of write_cache_pages(): lock it, prepare it and hand it to
 * @writepage, which unlocks it.  @wbc->bounce holds the bounce copy, if
 * any, while @writepage runs: a filesystem that submits the copy takes it
 * over (clears @wbc->bounce) and frees it at I/O completion; otherwise it
 * is freed here.
 *
 * Return: 1 if @writepage was called and succeeded, 0 if the page was
 * skipped, or an error.
 */
static int write_cache_page(struct page *page, struct address_space *mapping,
			    struct writeback_control *wbc, wb_check_t check,
			    writepage_t writepage)
{
	int ret;

	lock_page(page);
	ret = folio_prepare_writeback(page, mapping, wbc, check);
	if (ret <= 0)
		goto out_unlock;
	ret = writepage(page, wbc);
	if (wbc->bounce) {
		put_page(wbc->bounce);
		wbc->bounce = NULL;
	}
	return ret < 0 ? ret : 1;

out_unlock:
	unlock_page(page);
	return ret;
}

/**
 * write_cache_pages() - the generic ->writepages loop
 * @mapping:   the page cache to write back
 * @wbc:       sync mode and counters
 * @writepage: writes one locked, cleaned page and unlocks it
 *
 * Walks the file from index 0 up to EOF.  WB_SYNC_NONE (cleaning) skips
 * pages under writeback, and pinned pages under wb_skip_cleaning, and stops
 * at the first error or when @wbc->nr_to_write runs out; WB_SYNC_ALL
 * (integrity) waits for them and writes everything it finds dirty.  Under
 * wb=fs-bounce a maybe-pinned page reaches @writepage with its bounce copy
 * in @wbc->bounce.
 *
 * Return: 0 or the first error.
 */
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      int (*writepage)(struct page *page, struct writeback_control *wbc))
{
	return write_cache_pages_check(mapping, wbc, NULL, writepage);
}

/**
 * write_cache_pages_check() - write_cache_pages() with a filesystem check
 * @mapping:   the page cache to write back
 * @wbc:       sync mode and counters
 * @check:     called on each locked, dirty page once writeback in flight
 *	       was dealt with and before it is cleaned; false skips the page
 *	       (the check may have changed its flags), which is then unlocked
 * @writepage: writes one locked, cleaned page and unlocks it
 *
 * ext4's mpage_prepare_extent_to_map() looks at the page's buffers there.
 *
 * Return: 0 or the first error.
 */
int write_cache_pages_check(struct address_space *mapping,
			    struct writeback_control *wbc,
			    bool (*check)(struct page *page),
			    int (*writepage)(struct page *page,
					     struct writeback_control *wbc))
{
	struct inode *inode = mapping->host;
	pgoff_t index, end;
	int ret = 0;

	end = min_t(pgoff_t, i_size_load(inode), MM_PAGES_MAX);
	if (wbc->range_end)
		end = min_t(pgoff_t, end, wbc->range_end);
	for (index = wbc->range_start; index < end; index++) {
		struct page *page = find_get_dirty_page(mapping, index);
		int err;

		if (!page)
			continue;
		err = write_cache_page(page, mapping, wbc, check, writepage);
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
	return writeback_inode_range(inode, mode, 0, 0);
}

/**
 * writeback_inode_range() - writeback_inode() of pages [@start, @end) only
 * (filemap_fdatawrite_wbc() with a range)
 * @inode: the file
 * @mode:  WB_SYNC_NONE or WB_SYNC_ALL
 * @start: first page
 * @end:   one past the last page; 0: to the end of the file
 *
 * Return: 0 or the first error.
 */
int writeback_inode_range(struct inode *inode, enum writeback_sync_modes mode,
			  pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;
	struct writeback_control wbc = {
		.sync_mode = mode,
		.nr_to_write = LONG_MAX,
		.range_start = start,
		.range_end = end,
	};

	if (!mapping_can_writeback(mapping))
		return 0;
	return do_writepages(mapping, &wbc);
}

/*
 * filemap_check_errors(): did a write of the mapping fail since the last
 * check?  The error is reported once: AS_EIO is cleared as it is read.
 */
static int filemap_check_errors(struct address_space *mapping)
{
	unsigned long old;

	kobj_read(&mapping->flags);
	if (!(atomic_load(&mapping->flags) & BIT(AS_EIO)))
		return 0;
	kobj_write(&mapping->flags);
	old = atomic_fetch_and(&mapping->flags, ~(unsigned long)BIT(AS_EIO));
	return old & BIT(AS_EIO) ? -EIO : 0;
}

/**
 * vfs_fsync() - fsync(2): write the file's dirty pages and wait for them
 * @inode: the file
 *
 * After the writes completed, a write that failed since the last fsync
 * (AS_EIO, set by the filesystem's completion) makes it return -EIO.
 *
 * Return: 0 or the first error.
 */
int vfs_fsync(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	int err = filemap_write_and_wait(mapping);
	int err2 = filemap_check_errors(mapping);

	return err ? err : err2;
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
