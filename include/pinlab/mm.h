/* mm.h - struct page and its flags, references and lock; faults and CPU access through a mapping; reclaim and truncation. */
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
 * &mm->pte[f][i], &disk->blocks[b].data[s], &disk->blocks[b].refcount.
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

/**
 * page_mapping() - the page cache @page belongs to, NULL once truncated
 * (folio_mapping())
 */
static inline struct address_space *page_mapping(struct page *page)
{
	kobj_read(&page->mapping);
	return page->mapping;
}

/**
 * page_world() - the world @page was allocated in (page_pgdat()); set once,
 * read freely
 */
static inline struct mm_world *page_world(const struct page *page)
{
	return page->world;
}

/**
 * page_policy() - the design @page's world runs under
 * @page: the page
 *
 * Constant for a run: reading it is no shared-state access (no kobj_read()).
 * Return: its world's policy.
 */
static inline const struct policy *page_policy(const struct page *page)
{
	return page_world(page)->policy;
}

/**
 * page_cost() - the cost counters of @page's world
 * @page: the page
 *
 * Instrumentation, outside the footprints.
 * Return: its world's counters.
 */
static inline struct mm_cost *page_cost(const struct page *page)
{
	return page_world(page)->cost;
}

/**
 * inode_policy() - the design @inode's world runs under, as page_policy()
 * @inode: the file
 *
 * Return: its world's policy.
 */
static inline const struct policy *inode_policy(const struct inode *inode)
{
	return inode->i_world->policy;
}

/**
 * inode_cost() - the cost counters of @inode's world, as page_cost()
 * @inode: the file
 *
 * Return: its world's counters.
 */
static inline struct mm_cost *inode_cost(const struct inode *inode)
{
	return inode->i_world->cost;
}

struct page *alloc_page(struct mm_world *w);

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
void page_ref_add(struct page *page, int nr);
bool page_ref_sub_and_test(struct page *page, int nr);
void get_page(struct page *page);
void put_page(struct page *page);
int page_mapcount(struct page *page);

/**
 * page_maybe_dma_pinned() - might a device hold a FOLL_PIN pin on the page?
 *
 * Per the policy's pin knob: none: false; bias: refcount >=
 * GUP_PIN_COUNTING_BIAS; exact: _pincount > 0; mapcount: more mappings
 * counted than PTEs found by an rmap walk.  False positives allowed, false
 * negatives never.
 */
bool page_maybe_dma_pinned(struct page *page);

s64 page_read_sector(struct page *page, int s);
void page_write_sector(struct page *page, int s, s64 v);
void copy_highpage(struct page *to, struct page *from, const char *fn);
s64 page_value(struct page *page);

void lock_page(struct page *page);
bool trylock_page(struct page *page);
void unlock_page(struct page *page);
void wait_on_page_writeback(struct page *page);
void set_page_writeback(struct page *page);
void end_page_writeback(struct page *page);

/* ---- page tables and faults (mm/memory.c) ---- */

struct pte *pte_of(struct mm_struct *mm, struct inode *inode, pgoff_t index);
int handle_mm_fault(struct mm_struct *mm, struct inode *inode, pgoff_t index, bool write);
int mm_store(struct mm_struct *mm, struct inode *inode, pgoff_t index, s64 v);
int mm_store_sector(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int s, s64 v);
s64 mm_load(struct mm_struct *mm, struct inode *inode, pgoff_t index);

/* ---- reclaim and invalidation (mm/vmscan.c, mm/truncate.c) ---- */

int shrink_inode_pages(struct inode *inode);
int invalidate_mapping_pages(struct address_space *mapping);
void drop_caches(struct mm_world *w);
void truncate_inode_pages_range(struct address_space *mapping, pgoff_t start, pgoff_t end);
void truncate_pagecache(struct inode *inode, pgoff_t oldsize, pgoff_t newsize);
void truncate_pagecache_range(struct inode *inode, pgoff_t start, pgoff_t nr);
void unmap_mapping_range(struct address_space *mapping, pgoff_t start, pgoff_t nr);

void clear_highpage(struct page *page);

#endif /* PINLAB_MM_H */
