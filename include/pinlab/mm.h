/* mm.h - the model's mm and fs entry points: pages, page cache, faults, GUP, writeback, reclaim. */
#ifndef PINLAB_MM_H
#define PINLAB_MM_H

#include <pinlab/bug.h>
#include <pinlab/mm_types.h>
#include <pinlab/mmdebug.h>

/*
 * Footprint discipline: every read or write of a shared field goes through a
 * helper below (or records kobj_read()/kobj_write() itself) so the
 * explorer's reduction sees it.  Objects: each page flag (page_flag_obj():
 * PG_locked's is &page->flags, the page lock), &page->_refcount,
 * &page->_mapcount, &page->_pincount, &page->data[s], &bh->b_state,
 * &mapping->i_pages[i], &inode->i_blocks[i], &inode->i_cow_blocks[i],
 * &mm->pte[f][i], &disk[b].data[s], &disk[b].refcount.
 * Scheduling points are placed by the paths, where Linux lets others in;
 * the helpers themselves are not scheduling points.
 */

/* ---- page flags (mm/page.c, inline) ---- */

/**
 * page_flag_obj() - the footprint object of page flag @bit
 * @page: the page
 * @bit:  enum pageflags
 *
 * Each flag is its own object, byte @bit of the flags word: the helpers
 * below touch one bit each, and atomic bit operations on different bits
 * commute.  PG_locked, bit 0, is &page->flags itself, the page lock.
 */
static inline const void *page_flag_obj(struct page *page, int bit)
{
	return (const u8 *)&page->flags + bit;
}

static inline bool page_test_flag(struct page *page, int bit)
{
	kobj_read(page_flag_obj(page, bit));
	return atomic_load(&page->flags) & (1ul << bit);
}

static inline void page_set_flag(struct page *page, int bit)
{
	kobj_write(page_flag_obj(page, bit));
	atomic_fetch_or(&page->flags, 1ul << bit);
}

static inline void page_clear_flag(struct page *page, int bit)
{
	kobj_write(page_flag_obj(page, bit));
	atomic_fetch_and(&page->flags, ~(1ul << bit));
}

/* Return: whether the bit was set before. */
static inline bool page_test_set_flag(struct page *page, int bit)
{
	kobj_write(page_flag_obj(page, bit));
	return atomic_fetch_or(&page->flags, 1ul << bit) & (1ul << bit);
}

static inline bool page_test_clear_flag(struct page *page, int bit)
{
	kobj_write(page_flag_obj(page, bit));
	return atomic_fetch_and(&page->flags, ~(1ul << bit)) & (1ul << bit);
}

#define PageLocked(p)		page_test_flag(p, PG_locked)
#define PageUptodate(p)		page_test_flag(p, PG_uptodate)
#define SetPageUptodate(p)	page_set_flag(p, PG_uptodate)
#define PageDirty(p)		page_test_flag(p, PG_dirty)
#define SetPageDirty(p)		page_set_flag(p, PG_dirty)
#define ClearPageDirty(p)	page_clear_flag(p, PG_dirty)
#define TestSetPageDirty(p)	page_test_set_flag(p, PG_dirty)
#define TestClearPageDirty(p)	page_test_clear_flag(p, PG_dirty)
#define PageWriteback(p)	page_test_flag(p, PG_writeback)
#define PageReclaim(p)		page_test_flag(p, PG_reclaim)
#define PagePrivate(p)		page_test_flag(p, PG_private)
#define SetPagePrivate(p)	page_set_flag(p, PG_private)
#define ClearPagePrivate(p)	page_clear_flag(p, PG_private)
#define page_has_buffers(p)	PagePrivate(p)

/* ---- struct page (mm/page.c) ---- */

/** page_mapping() - the page cache @page belongs to, NULL once truncated (folio_mapping()) */
static inline struct address_space *page_mapping(struct page *page)
{
	kobj_read(&page->mapping);
	return page->mapping;
}

/** alloc_page() - a new page of the world's sector count, refcount 1. Return: NULL if the arena is full */
struct page *alloc_page(struct mm_world *w);

/** page_ref_count() - the page's reference count, read exactly */
int page_ref_count(struct page *page);
/**
 * page_ref_count_test() - the reference count, for a caller that only tells
 * a positive count from zero or below (a page going away)
 *
 * A positive count is recorded as a counter test (KACC_NZ), which commutes
 * with page_ref_add(): callers must not tell one positive count from another.
 */
int page_ref_count_test(struct page *page);
/**
 * page_pincount_test() - the exact pin count (PIN_EXACT), for a caller that
 * only tells a pinned page from an unpinned one; recorded as
 * page_ref_count_test() records the reference count
 */
int page_pincount_test(struct page *page);
/**
 * page_ref_fewer() - VM_BUG_ON(page_ref_count(page) < @nr) before dropping
 * @nr references: false without reading the count when the task holds
 * @nr by its own adds (kobj_count_owned())
 */
bool page_ref_fewer(struct page *page, int nr);
/** page_ref_add() - add @nr references (no scheduling point) */
void page_ref_add(struct page *page, int nr);
/** page_ref_sub_and_test() - drop @nr references. Return: true when none are left */
bool page_ref_sub_and_test(struct page *page, int nr);
void get_page(struct page *page);
/** put_page() - drop a reference; the last one frees the page (uaf if still pinned) */
void put_page(struct page *page);
int page_mapcount(struct page *page);

/**
 * page_maybe_dma_pinned() - might a device hold a FOLL_PIN pin on the page?
 *
 * Per policy->pin: none: false; bias: refcount >= GUP_PIN_COUNTING_BIAS;
 * exact: _pincount > 0; mapcount: more mappings counted than PTEs found by
 * an rmap walk.  False positives allowed, false negatives never.
 */
bool page_maybe_dma_pinned(struct page *page);

/** page_read_sector() - one sector's value (uaf if the page was freed) */
s64 page_read_sector(struct page *page, int s);
/** page_write_sector() - store one sector (uaf if the page was freed) */
void page_write_sector(struct page *page, int s, s64 v);
/** copy_highpage() - copy @from into @to sector by sector, a scheduling point before each */
void copy_highpage(struct page *to, struct page *from, const char *fn);
/** page_value() - the page's value: its sectors' common value, or PAGE_VAL_TORN */
s64 page_value(struct page *page);

/** lock_page() - sleep until PG_locked is ours; a scheduling point */
void lock_page(struct page *page);
/** trylock_page() - Return: true when PG_locked was taken; a scheduling point */
bool trylock_page(struct page *page);
void unlock_page(struct page *page);
/** wait_on_page_writeback() - sleep while PG_writeback; a scheduling point */
void wait_on_page_writeback(struct page *page);
/** set_page_writeback() - PG_writeback on; caller holds the page lock */
void set_page_writeback(struct page *page);
/** end_page_writeback() - PG_writeback off, wake waiters (I/O completion) */
void end_page_writeback(struct page *page);

/* ---- page cache (mm/filemap.c) ---- */

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

/* ---- page tables and faults (mm/memory.c) ---- */

/** pte_of() - task @mm's entry for page @index of @inode */
struct pte *pte_of(struct mm_struct *mm, struct inode *inode, pgoff_t index);
/**
 * handle_mm_fault() - fault page @index of @inode into @mm
 * Return: 0 or VM_FAULT_* error bits (SIGBUS beyond EOF).
 */
int handle_mm_fault(struct mm_struct *mm, struct inode *inode, pgoff_t index, bool write);
/** mm_store() - CPU store of @v into every sector through @mm's mapping. Return: 0 or -EFAULT */
int mm_store(struct mm_struct *mm, struct inode *inode, pgoff_t index, s64 v);
/** mm_store_sector() - CPU store of @v into sector @s through @mm's mapping. Return: 0 or -EFAULT */
int mm_store_sector(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int s, s64 v);
/** mm_load() - CPU load through @mm's mapping. Return: value or -EFAULT */
s64 mm_load(struct mm_struct *mm, struct inode *inode, pgoff_t index);

/* ---- reverse map (mm/rmap.c) ---- */

/** page_mkclean() - write-protect every PTE of @page. Return: PTEs that were dirty or writable (the caller dirties the page) */
int page_mkclean(struct page *page);
/** try_to_unmap() - clear every PTE of @page (dirty bits go to the page). Return: true if none is left */
bool try_to_unmap(struct page *page);
/** page_mapped_ptes() - PTEs that map @page, found by an rmap walk */
int page_mapped_ptes(struct page *page);

/* ---- GUP (mm/gup.c) ---- */

/**
 * get_user_pages() / pin_user_pages() / pin_user_pages_fast() - take @nr pages
 * of @inode from @index through @mm's mapping
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM (FOLL_GET or FOLL_PIN is implied)
 * @h:         filled with the pages
 * Return: pages taken, or -errno (-EFAULT: refused long-term pin, beyond EOF)
 */
long get_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h);
long pin_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h);
long pin_user_pages_fast(struct mm_struct *mm, struct inode *inode, pgoff_t index,
			 int nr, unsigned int gup_flags, struct gup_handle *h);
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, int nr);
void unpin_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty);
/* The 2018 seed's names: placeholders that become the unpin calls per policy. */
void put_user_page(struct page *page);
void put_user_pages(struct page **pages, int nr);
void put_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty);
/** set_page_dirty_lock() - lock, set_page_dirty(), unlock */
bool set_page_dirty_lock(struct page *page);

/* ---- writeback (mm/page-writeback.c) ---- */

/** mapping_set_error() - a write of @mapping failed: the next fsync(2) reports it (AS_EIO) */
static inline void mapping_set_error(struct address_space *mapping, int error)
{
	if (likely(!error))
		return;
	kobj_write(&mapping->flags);
	__atomic_fetch_or(&mapping->flags, (unsigned long)BIT(AS_EIO), __ATOMIC_SEQ_CST);
}

/** redirty_page_for_writepage() - ->writepage will not write the page it was handed: dirty again */
void redirty_page_for_writepage(struct writeback_control *wbc, struct page *page);
/** set_page_dirty() - a_ops->dirty_folio(). Return: true if it was clean */
bool set_page_dirty(struct page *page);
/** clear_page_dirty_for_io() - page_mkclean() then test-and-clear PG_dirty; page locked */
bool clear_page_dirty_for_io(struct page *page);
/** write_cache_pages() - the generic writepages loop, one call of @writepage per page */
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      int (*writepage)(struct page *page, struct writeback_control *wbc));
/** write_cache_pages_check() - write_cache_pages(), @check skipping locked pages before cleaning */
int write_cache_pages_check(struct address_space *mapping,
			    struct writeback_control *wbc,
			    bool (*check)(struct page *page),
			    int (*writepage)(struct page *page,
					     struct writeback_control *wbc));
/** do_writepages() - a_ops->writepages() */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
/** writeback_inode() - one flusher pass over @inode's dirty pages */
int writeback_inode(struct inode *inode, enum writeback_sync_modes mode);
int writeback_inode_range(struct inode *inode, enum writeback_sync_modes mode,
			  pgoff_t start, pgoff_t end);
/** vfs_fsync() - integrity writeback of @inode and wait */
int vfs_fsync(struct inode *inode);
/** ksys_sync() - vfs_fsync() every file */
void ksys_sync(struct mm_world *w);

/* ---- reclaim and invalidation (mm/vmscan.c, mm/truncate.c) ---- */

/** shrink_inode_pages() - one reclaim pass over @inode's cached pages, shrink_folio_list() order. Return: pages freed */
int shrink_inode_pages(struct inode *inode);
/** invalidate_mapping_pages() - evict clean, unmapped, unpinned pages. Return: pages evicted */
int invalidate_mapping_pages(struct address_space *mapping);
/** drop_caches() - invalidate_mapping_pages() on every file */
void drop_caches(struct mm_world *w);
void truncate_inode_pages_range(struct address_space *mapping, pgoff_t start, pgoff_t end);
void truncate_pagecache(struct inode *inode, pgoff_t oldsize, pgoff_t newsize);
void truncate_pagecache_range(struct inode *inode, pgoff_t start, pgoff_t nr);
void unmap_mapping_range(struct address_space *mapping, pgoff_t start, pgoff_t nr);

/* ---- buffer heads (fs/buffer.c) ---- */

void create_empty_buffers(struct page *page);
bool try_to_free_buffers(struct page *page);
void block_invalidate_folio(struct page *page);
void mark_buffer_dirty(struct buffer_head *bh);
bool buffer_test(struct buffer_head *bh, int bit);
void buffer_set(struct buffer_head *bh, int bit);
void buffer_clear(struct buffer_head *bh, int bit);
/** block_dirty_folio() - dirty_folio for buffer-head filesystems: dirty buffers and page */
bool block_dirty_folio(struct address_space *mapping, struct page *page);

/* ---- block layer and disk (block/blk-core.c) ---- */

/** disk_alloc_block() - a fresh block of @w's disk. Return: its number, -ENOSPC */
long disk_alloc_block(struct mm_world *w);
/** disk_block_get() - one more file extent shares @block (refcount btree +1) */
void disk_block_get(struct mm_world *w, long block);
/** disk_block_put() - a file extent stops pointing at @block (refcount -1) */
void disk_block_put(struct mm_world *w, long block);
/** disk_block_refcount() - file extents pointing at @block; more than 1 is shared */
int disk_block_refcount(struct mm_world *w, long block);
/** submit_page_read() - fill @page from @block (zeros for a hole, -1) */
void submit_page_read(struct page *page, long block);
/** disk_value() - the value a crash would leave in @block now (PAGE_VAL_TORN if its sectors differ) */
s64 disk_value(struct mm_world *w, long block);

/* ---- the inode (fs/inode.c) ---- */

/** i_size_write() - set the file's size in pages; the caller holds i_rwsem */
static inline void i_size_write(struct inode *inode, pgoff_t size)
{
	kobj_write(&inode->i_size);
	inode->i_size = (int)size;
}

/** inode_dio_begin() - a direct I/O on @inode starts */
void inode_dio_begin(struct inode *inode);
/** inode_dio_end() - it is done: wake inode_dio_wait() at the last one */
void inode_dio_end(struct inode *inode);
void inode_dio_wait(struct inode *inode);
/**
 * inode_remove_blocks() - the filesystem's extent removal for pages
 * [@start, @end): the blocks go back to the free space, the pages read as holes
 */
void inode_remove_blocks(struct inode *inode, pgoff_t start, pgoff_t end);

/* ---- filesystem profiles (fs/ext4.c, fs/btrfs.c, fs/xfs.c, fs/tmpfs.c, fs/inode.c) ---- */

extern const struct fs_profile ext4_profile;
extern const struct fs_profile btrfs_profile;
extern const struct fs_profile xfs_profile;
extern const struct fs_profile tmpfs_profile;

/**
 * struct mm_config - what the litmus init block asks for
 * @fs:       profile of every file
 * @dif:      a DIF/DIX disk
 * @dax:      fsdax files (ext4 and xfs): pages are the disk's blocks
 * @sectors:  sectors per page
 * @nr_files: files
 * @names:    their names
 * @nr_pages: their sizes in pages
 * @init:     their initial page values
 * @nr_tasks: tasks that get an address space
 */
struct mm_config {
	const struct fs_profile *fs;
	bool dif;
	bool dax;
	int sectors;
	int nr_files;
	const char *names[MM_FILES_MAX];
	int nr_pages[MM_FILES_MAX];
	const s64 *init[MM_FILES_MAX];
	int nr_tasks;
};

/**
 * mm_world_create() - a fresh world in the execution arena: files on disk
 * with their initial values, nothing cached, nothing mapped
 * Return: the world (also stored in mm_world), or NULL when the arena is full
 */
struct mm_world *mm_world_create(const struct mm_config *cfg);
/**
 * mm_epilogue() - after the threads: sync every file, wait for I/O, raise leak
 * for pins still held or acquired != released, drop caches
 */
void mm_epilogue(struct mm_world *w);
/** mm_file_size() - file @ino's size in pages (i_size) */
int mm_file_size(struct mm_world *w, int ino);
/** mm_readback() - page @index of file @ino as read back from disk after the epilogue */
s64 mm_readback(struct mm_world *w, int ino, pgoff_t index);
/**
 * struct mm_page_state - what the threads left of a page cache page
 * @cached:    the page is in the page cache (every other field is 0 if not)
 * @dirty:     PG_dirty
 * @writeback: PG_writeback
 * @buffers:   it has buffer heads (PG_private)
 * @refs:      _refcount
 * @pins:      FOLL_PIN pins as policy->pin counts them: bias: _refcount /
 *	       GUP_PIN_COUNTING_BIAS; exact: _pincount; mapcount: _mapcount
 *	       beyond the PTEs mapping it; none: 0 (a pin is a plain reference)
 * @ptes:      PTEs of the tasks that map it
 * @ptes_rw:   of those, the writable ones
 */
struct mm_page_state {
	bool cached;
	bool dirty;
	bool writeback;
	bool buffers;
	int refs;
	int pins;
	int ptes;
	int ptes_rw;
};
/** mm_page_state() - the state of page @index of file @ino right now, in @st */
void mm_page_state(struct mm_world *w, int ino, pgoff_t index, struct mm_page_state *st);
/**
 * mm_readback_sector() - sector @s of page @index of file @ino as read back
 * after the epilogue, in *@v
 * Return: 0, or -EIO when that sector fails its stored checksum
 */
int mm_readback_sector(struct mm_world *w, int ino, pgoff_t index, int s, s64 *v);
/** disk_sector() - sector @s of @block in *@v (0 for a hole); -EIO if it fails its checksum */
int disk_sector(struct mm_world *w, long block, int s, s64 *v);
/** mm_ondisk() - what a crash would leave for page @index of file @ino right now */
s64 mm_ondisk(struct mm_world *w, int ino, pgoff_t index);

int mm_obj_name(const struct mm_world *w, const void *obj, char *buf, size_t len);
void mm_page_state_format(const struct mm_page_state *st, char *buf, size_t len);

/* ---- shared by the filesystems (issue 11: the small vocabulary, once) ---- */

/** clear_highpage() - zero every sector of @page (mm/page.c) */
void clear_highpage(struct page *page);
/** filemap_dirty_folio() - dirty_folio without buffer heads: PG_dirty only (mm/page-writeback.c) */
bool filemap_dirty_folio(struct address_space *mapping, struct page *page);

#endif /* PINLAB_MM_H */
