/* pagemap.h - the page cache: lookup, insertion and removal, the invalidate lock, buffered read and write (mm/filemap.c). */
#ifndef PINLAB_PAGEMAP_H
#define PINLAB_PAGEMAP_H

#include <pinlab/mm_types.h>

/* filemap_invalidate_lock() and its shared form: mapping->invalidate_lock. */
static inline void filemap_invalidate_lock(struct address_space *mapping)
{
	down_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock(struct address_space *mapping)
{
	up_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_lock_shared(struct address_space *mapping)
{
	down_read(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock_shared(struct address_space *mapping)
{
	up_read(&mapping->invalidate_lock);
}

/** find_get_page() - the cached page at @index with a reference, or NULL */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/** find_lock_page() - find_get_page() and lock it (retrying if truncated meanwhile) */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/**
 * filemap_get_page() - the page at @index, read from disk if needed
 * @lock: return it locked
 * Return: the page with a reference, or NULL (beyond i_size, out of memory)
 */
struct page *filemap_get_page(struct address_space *mapping, pgoff_t index, bool lock);
/** grab_cache_page() - find or create the page at @index, locked, with a reference */
struct page *grab_cache_page(struct address_space *mapping, pgoff_t index);
/** add_to_page_cache() - insert a locked new page; takes the cache's reference */
int add_to_page_cache(struct page *page, struct address_space *mapping, pgoff_t index);
/** delete_from_page_cache() - remove a locked page; drops the cache's reference */
void delete_from_page_cache(struct page *page);
/**
 * __filemap_remove_folio() - take a locked page out of its mapping's i_pages
 * with mapping->i_lock held, dropping the page cache's reference
 */
void __filemap_remove_folio(struct page *page);
/**
 * page_mkwrite_check_truncate() - in ->page_mkwrite, with the page locked:
 * did it leave the file (truncated) or fall beyond EOF while we slept?
 * (folio_mkwrite_check_truncate())
 */
bool page_mkwrite_check_truncate(struct page *page, struct inode *inode);
/** folio_wait_stable() - wait for writeback if the page must stay stable (AS_STABLE_WRITES or policy) */
void folio_wait_stable(struct page *page);
/** filemap_write_and_wait() - WB_SYNC_ALL writeback of @mapping and wait for it */
int filemap_write_and_wait(struct address_space *mapping);
/** filemap_fdatawait() - wait for writeback of every cached page */
void filemap_fdatawait(struct address_space *mapping);
int filemap_write_and_wait_range(struct address_space *mapping, pgoff_t start, pgoff_t end);
/** generic_perform_write() - write(2) of one page: a_ops write_begin, copy, write_end */
int generic_perform_write(struct inode *inode, pgoff_t index, s64 v);
/** filemap_read() - read(2) of one page through the page cache. Return: value or -errno */
s64 filemap_read(struct inode *inode, pgoff_t index);

/** mapping_set_error() - a write of @mapping failed: the next fsync(2) reports it (AS_EIO) */
static inline void mapping_set_error(struct address_space *mapping, int error)
{
	if (likely(!error))
		return;
	kobj_write(&mapping->flags);
	__atomic_fetch_or(&mapping->flags, (unsigned long)BIT(AS_EIO), __ATOMIC_SEQ_CST);
}

#endif /* PINLAB_PAGEMAP_H */
