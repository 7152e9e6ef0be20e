/* filemap.c - the page cache: lookup, insertion, removal, read(2), write(2) and stable-page waits. */

/*
 * Lock ordering, as the debug build's lock-order checker (kernel/lockdep.c)
 * saw it over the whole litmus library under every preset; it aborts on
 * any order that would close a cycle (docs/design-notes.md, "Lock order,
 * checked").  Shared and exclusive holds of an rw_semaphore are not told
 * apart.
 *
 *  ->i_rwsem				(vfs_truncate, generic_punch_hole,
 *					 generic_perform_write,
 *					 lock_two_nondirectories)
 *    ->i_rwsem				(lock_two_nondirectories: the other
 *					 inode, lower i_ino first)
 *    ->invalidate_lock			(vfs_truncate, generic_punch_hole,
 *					 remap_file_range_lock, and retaken by
 *					 break_leased_layouts for one file)
 *      ->invalidate_lock		(filemap_invalidate_lock_two: the
 *					 other inode, lower i_ino first)
 *      ->page lock			(truncate_inode_folio,
 *					 xfs_reflink_lock_page)
 *        ->i_lock			(delete_from_page_cache)
 *        ->ptl				(try_to_unmap_one, page_mkclean_one)
 *      ->i_lock			(delete_from_page_cache)
 *      ->ptl				(zap_pte_range, page_mkclean_one,
 *					 try_to_unmap_one)
 *    ->i_lock				(add_to_page_cache: write(2)'s new page)
 *
 *  ->invalidate_lock (shared)		(handle_mm_fault, do_page_mkwrite,
 *					 filemap_create_folio)
 *    ->invalidate_lock (shared)	(the same mapping's again:
 *					 filemap_create_folio under
 *					 handle_mm_fault; a waiting writer does
 *					 not stop new readers here)
 *    ->page lock			(the fault's lock_page)
 *      ->ptl				(finish_fault, finish_mkwrite_fault)
 *    ->i_lock				(add_to_page_cache)
 *    ->ptl				(finish_fault, finish_mkwrite_fault,
 *					 handle_pte_fault, dax_insert_pfn)
 *
 *  ->page lock				(write_cache_page, set_page_dirty_lock;
 *					 trylock: shrink_page, pageout_relock)
 *    ->i_lock				(__remove_mapping, delete_from_page_cache)
 *    ->ptl				(page_mkclean_one, try_to_unmap_one,
 *					 finish_fault, finish_mkwrite_fault)
 *
 * i_lock and ptl are leaves: nothing is taken under either, and they never
 * nest in each other.  Two page locks are never held at once.  A page is
 * locked at birth (page_cache_alloc_locked()), and a page locked for a
 * read is unlocked by the task that completes the read: neither is an
 * acquisition or release by a holder.  A reflink waits for a lease break
 * holding no lock (remap_file_range_lock()); it used to retake the
 * source's i_rwsem under the destination's invalidate_lock, the one
 * inversion the checker found.
 */
#include <errno.h>
#include <pinlab/cost.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/writeback.h>

/**
 * find_get_page() - the cached page at @index with a reference, or NULL
 *
 *  The lockless (RCU) lookup: a scheduling point, then the slot and a speculative reference.
 */
struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	if (index >= MM_PAGES_MAX)
		return NULL;
	__sched_point(&mapping->i_pages[index], KACC_READ, "filemap_get_entry");
	page = page_cache_slot(mapping, index);
	if (!page)
		return NULL;
	/* folio_try_get_rcu(): a page whose count already hit zero is going away. */
	if (page_ref_count_test(page) == 0)
		return NULL;
	get_page(page);
	return page;
}

/**
 * find_lock_page() - find_get_page() and lock it (retrying if truncated
 * meanwhile)
 */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(mapping, index);
		if (!page)
			return NULL;
		lock_page(page);
		if (page_mapping(page) == mapping)
			return page;
		/* Truncated while we slept on the lock. */
		unlock_page(page);
		put_page(page);
	}
}

/**
 * add_to_page_cache() - insert a locked new page; takes the cache's reference
 */
int add_to_page_cache(struct page *page, struct address_space *mapping, pgoff_t index)
{
	int err = 0;

	spin_lock(&mapping->i_lock);
	kobj_write(&mapping->i_pages[index]);
	if (page_cache_slot(mapping, index)) {
		err = -EEXIST;
		goto out_unlock;
	}
	page_ref_add(page, 1);
	kobj_write(&page->mapping);
	page->mapping = mapping;
	page->index = index;
	mapping->i_pages[index] = page;
	mapping->nrpages++;
out_unlock:
	spin_unlock(&mapping->i_lock);
	return err;
}

void __filemap_remove_folio(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	kobj_write(&mapping->i_pages[page->index]);
	mapping->i_pages[page->index] = NULL;
	mapping->nrpages--;
	kobj_write(&page->mapping);
	page->mapping = NULL;
	put_page(page);
}

/**
 * delete_from_page_cache() - remove a locked page; drops the cache's reference
 */
void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	VM_BUG_ON(!PageLocked(page));
	spin_lock(&mapping->i_lock);
	__filemap_remove_folio(page);
	spin_unlock(&mapping->i_lock);
}

/* A new locked page for @index. Return: it with our reference, or NULL (raced: retry). */
static struct page *page_cache_alloc_locked(struct address_space *mapping, pgoff_t index,
					    bool *raced)
{
	struct page *page = alloc_page(mapping->host->i_world);

	*raced = false;
	if (!page)
		return NULL;
	atomic_fetch_or(&page->flags, 1ul << PG_locked);	/* __folio_set_locked(): not yet shared */
	if (add_to_page_cache(page, mapping, index)) {
		unlock_page(page);
		put_page(page);
		*raced = true;
		return NULL;
	}
	return page;
}

static bool index_in_file(struct address_space *mapping, pgoff_t index)
{
	struct inode *inode = mapping->host;

	return index < i_size_load(inode) && index < MM_PAGES_MAX;
}

/*
 * folio_wait_locked(): sleep until the page lock is released.  On sim a
 * lock waiter is not asleep but not runnable (lock_page()); taking the
 * lock and dropping it in the same step is the same wait, unobservable.
 * Not locked by now, the read completed in this task: no wait.
 */
static void folio_wait_locked(struct page *page)
{
	if (!PageLocked(page))
		return;
	lock_page(page);
	unlock_page(page);
}

/*
 * Read a locked page that is not up to date; ->read_folio unlocks it,
 * from the read's completion, which may come later in the device's task:
 * wait for it, as filemap_read_folio() does.
 */
static int filemap_read_folio(struct page *page)
{
	int err = page_mapping(page)->a_ops->read_folio(page);

	if (!err)
		folio_wait_locked(page);
	return err;
}

/*
 * filemap_create_folio() - a new page at @index, read in, under the shared
 * invalidate lock: a hole punch or truncate in progress must not see a
 * page appear behind it filled from blocks it is about to free.
 * Return: the page with a reference, or NULL (*@raced: retry).
 */
static struct page *filemap_create_folio(struct address_space *mapping, pgoff_t index,
					 bool *raced)
{
	struct page *page;

	filemap_invalidate_lock_shared(mapping);
	page = page_cache_alloc_locked(mapping, index, raced);
	if (page)
		filemap_read_folio(page);
	filemap_invalidate_unlock_shared(mapping);
	return page;
}

struct page *filemap_get_page(struct address_space *mapping, pgoff_t index, bool lock)
{
	struct page *page;
	bool raced;

repeat:
	if (!index_in_file(mapping, index))
		return NULL;
	page = find_get_page(mapping, index);
	if (!page) {
		page = filemap_create_folio(mapping, index, &raced);
		if (!page)
			goto retry_or_fail;
	} else if (!PageUptodate(page)) {
		lock_page(page);
		if (!PageUptodate(page) && page_mapping(page) == mapping)
			filemap_read_folio(page);
		else
			unlock_page(page);
	}
	if (!lock)
		return page;
	lock_page(page);
	if (page_mapping(page) == mapping)
		return page;
	unlock_page(page);
	put_page(page);
	goto repeat;
retry_or_fail:
	if (raced)
		goto repeat;
	return NULL;
}

/**
 * grab_cache_page() - find or create the page at @index, locked, with a
 * reference
 */
struct page *grab_cache_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;
	bool raced;

	do {
		page = find_lock_page(mapping, index);
		if (page)
			return page;
		page = page_cache_alloc_locked(mapping, index, &raced);
	} while (!page && raced);
	return page;
}

bool page_mkwrite_check_truncate(struct page *page, struct inode *inode)
{
	if (page_mapping(page) != inode->i_mapping)
		return true;
	return page->index >= i_size_load(inode);
}

/**
 * folio_wait_stable() - wait for writeback if the page must stay stable
 * (AS_STABLE_WRITES or policy)
 *
 * folio_wait_stable(): folio_wait_writeback() when the page must not change
 * under writeback.  Like the kernel's, it tests PG_writeback before it
 * sleeps; a wait that finds the page under writeback is a stable-page
 * stall (the world's stable_waits cost).
 */
void folio_wait_stable(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	bool stable = false;

	if (mapping) {
		kobj_read(&mapping->flags);
		stable = mapping_stable_writes(mapping);
	}

	if (!stable && page_policy(page)->stable == STABLE_FORCED)
		stable = page_maybe_dma_pinned(page);
	if (!stable || !PageWriteback(page))
		return;
	page_cost(page)->stable_waits++;
	wait_on_page_writeback(page);
}

/**
 * filemap_fdatawait() - wait for writeback of every cached page
 */
void filemap_fdatawait(struct address_space *mapping)
{
	struct inode *inode = mapping->host;
	pgoff_t index;

	/* i_size is read again after each page: other tasks ran while we looked. */
	for (index = 0;; index++) {
		struct page *page;

		if (index >= i_size_load(inode))
			break;
		page = find_get_page(mapping, index);
		if (!page)
			continue;
		wait_on_page_writeback(page);
		put_page(page);
	}
}

/**
 * filemap_write_and_wait_range() - integrity writeback of pages [@start, @end)
 * and wait for their writeback
 * @mapping: the page cache
 * @start:   first page
 * @end:     one past the last page
 *
 * Return: 0 or the first error.
 */
int filemap_write_and_wait_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	int err = writeback_inode_range(mapping->host, WB_SYNC_ALL, start, end);
	pgoff_t index;

	for (index = start; index < min_t(pgoff_t, end, MM_PAGES_MAX); index++) {
		struct page *page = find_get_page(mapping, index);

		if (!page)
			continue;
		wait_on_page_writeback(page);
		put_page(page);
	}
	return err;
}

/**
 * filemap_write_and_wait() - WB_SYNC_ALL writeback of @mapping and wait for it
 */
int filemap_write_and_wait(struct address_space *mapping)
{
	int err = writeback_inode(mapping->host, WB_SYNC_ALL);

	filemap_fdatawait(mapping);
	return err;
}

/* simple_write_begin(): for filesystems without their own (tmpfs). */
static int simple_write_begin(struct address_space *mapping, pgoff_t index,
			      struct page **pagep)
{
	*pagep = grab_cache_page(mapping, index);
	return *pagep ? 0 : -ENOMEM;
}

/* simple_write_end(): the data is in: up to date, dirty, unlocked, our reference dropped. */
static int simple_write_end(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	SetPageUptodate(page);
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	return 0;
}

/* copy_page_from_iter(): the user copy, one sector per step, under the page lock. */
static void copy_to_page(struct page *page, s64 v)
{
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_WRITE, "copy_page_from_iter");
		page_write_sector(page, s, v);
	}
	SetPageUptodate(page);
}

/* write(2) may extend the file by whole pages. */
static int extend_i_size(struct inode *inode, pgoff_t index)
{
	if (index >= MM_PAGES_MAX)
		return -EFBIG;
	kobj_write(&inode->i_size);
	if ((pgoff_t)i_size_read(inode) <= index)
		inode->i_size = index + 1;
	return 0;
}

/**
 * generic_perform_write() - write(2) of one page: a_ops write_begin, copy,
 * write_end
 */
int generic_perform_write(struct inode *inode, pgoff_t index, s64 v)
{
	struct address_space *mapping = inode->i_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	struct page *page;
	int err;

	if (IS_DAX(inode))
		return dax_write(inode, index, v);
	mutex_lock(&inode->i_rwsem);
	err = extend_i_size(inode, index);
	if (err)
		goto out_unlock;
	err = a_ops->write_begin ? a_ops->write_begin(mapping, index, &page) :
				   simple_write_begin(mapping, index, &page);
	if (err)
		goto out_unlock;
	copy_to_page(page, v);
	err = a_ops->write_end ? a_ops->write_end(mapping, page) :
				 simple_write_end(mapping, page);
out_unlock:
	mutex_unlock(&inode->i_rwsem);
	return err;
}

/* copy_page_to_iter(): one sector per step. */
static s64 copy_from_page(struct page *page)
{
	s64 v = 0;
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_READ, "copy_page_to_iter");
		sector_value_fold(&v, s, page_read_sector(page, s));
	}
	return v;
}

/**
 * filemap_read() - read(2) of one page through the page cache.
 *
 * Return: value or -errno
 */
s64 filemap_read(struct inode *inode, pgoff_t index)
{
	struct page *page;
	s64 v;

	if (IS_DAX(inode))
		return dax_read(inode, index);
	if (!index_in_file(inode->i_mapping, index))
		return 0;
	page = filemap_get_page(inode->i_mapping, index, false);
	if (!page)
		return -ENOMEM;
	/* ->read_folio() failed (a checksum did not match): filemap_read_folio()'s -EIO. */
	v = PageUptodate(page) ? copy_from_page(page) : -EIO;
	put_page(page);
	return v;
}
