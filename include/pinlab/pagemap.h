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

struct page *find_get_page(struct address_space *mapping, pgoff_t index);
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/**
 * filemap_get_page() - the page at @index, read from disk if needed
 * @lock: return it locked
 * Return: the page with a reference, or NULL (beyond i_size, out of memory)
 */
struct page *filemap_get_page(struct address_space *mapping, pgoff_t index, bool lock);
struct page *grab_cache_page(struct address_space *mapping, pgoff_t index);
int add_to_page_cache(struct page *page, struct address_space *mapping, pgoff_t index);
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
void folio_wait_stable(struct page *page);
int filemap_write_and_wait(struct address_space *mapping);
void filemap_fdatawait(struct address_space *mapping);
int filemap_write_and_wait_range(struct address_space *mapping, pgoff_t start, pgoff_t end);
int generic_perform_write(struct inode *inode, pgoff_t index, s64 v);
s64 filemap_read(struct inode *inode, pgoff_t index);

/**
 * mapping_set_error() - a write of @mapping failed: the next fsync(2) reports
 * it (AS_EIO)
 */
static inline void mapping_set_error(struct address_space *mapping, int error)
{
	if (likely(!error))
		return;
	kobj_write(&mapping->flags);
	atomic_fetch_or(&mapping->flags, (unsigned long)BIT(AS_EIO));
}

#endif /* PINLAB_PAGEMAP_H */
