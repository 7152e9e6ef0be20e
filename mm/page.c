/* page.c - struct page: allocation, references and pins, the page lock and PG_writeback waits. */
#include <pinlab/arena.h>
#include <pinlab/lockdep.h>
#include <pinlab/mm.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/tracepoint.h>

/**
 * alloc_page() - a new page of the world's sector count, refcount 1.
 *
 * Return: NULL if the arena is full
 */
struct page *alloc_page(struct mm_world *w)
{
	struct page *page = arena_alloc(&exec_arena, sizeof(*page));
	s64 *data = arena_alloc(&exec_arena, w->sectors * sizeof(*data));

	if (!page || !data)
		return NULL;
	page->data = data;
	page->nr_sectors = w->sectors;
	atomic_init(&page->_refcount, 1);
	atomic_init(&page->_mapcount, -1);
	init_waitqueue_head(&page->wait);
	page->world = w;
	page->id = w->nr_pages_alloc++;
	page->alloc_next = w->pages_alloc;
	w->pages_alloc = page;
	mm_debug_page(page);
	return page;
}

/**
 * page_ref_count() - the page's reference count, read exactly
 */
int page_ref_count(struct page *page)
{
	kobj_read(&page->_refcount);
	return atomic_load(&page->_refcount);
}

int page_pincount_test(struct page *page)
{
	int v = atomic_load(&page->_pincount);

	kobj_count_test(&page->_pincount, v);
	return v;
}

int page_ref_count_test(struct page *page)
{
	int v = atomic_load(&page->_refcount);

	kobj_count_test(&page->_refcount, v);
	return v;
}

/**
 * page_ref_add() - add @nr references (no scheduling point)
 *
 * An add nobody looks at.  It commutes with other adds and with tests of a
 * positive count (KACC_ADD) when it raises a positive count, which is every
 * add but one to a page already going away.
 */
void page_ref_add(struct page *page, int nr)
{
	int old = atomic_fetch_add(&page->_refcount, nr);

	kobj_count_add(&page->_refcount, &page->ref_owners, old, nr);
	trace_mm_count("refs", page, old, old + nr);
}

/**
 * page_ref_sub_and_test() - drop @nr references.
 *
 * A drop of references the task took itself since the count was last
 * written, that leaves some, is a plain add (kobj_count_sub()): it cannot
 * reach zero in any order of the steps it commutes with.  Any other drop
 * observes the count.
 *
 * Return: true when none are left
 */
bool page_ref_sub_and_test(struct page *page, int nr)
{
	int old = atomic_fetch_sub(&page->_refcount, nr);
	int left = old - nr;

	kobj_count_sub(&page->_refcount, &page->ref_owners, old, nr);
	trace_mm_count("refs", page, old, left);
	VM_BUG_ON(left < 0);
	return left == 0;
}

bool page_ref_fewer(struct page *page, int nr)
{
	/* Holding @nr by its own adds, the task finds more than @nr in every order. */
	if (kobj_count_owned(&page->ref_owners, nr))
		return false;
	return page_ref_count(page) < nr;
}

void get_page(struct page *page)
{
	page_ref_add(page, 1);
}

/* The last reference is gone: the page returns to the allocator. */
static void __free_page(struct page *page)
{
	int pins = atomic_load(&page->_pincount);

	kobj_count_test(&page->_pincount, pins);
	if (pins > 0)
		flag_raise(PLF_UAF, "page freed while pinned");
	kobj_write(&page->freed);
	page->freed = true;
	trace_mm_page("page freed", page);
}

/*
 * A DAX page going idle: only the pmem driver's base reference is left,
 * and a layout change waiting in dax_break_layout() may go on (the wake-up
 * fsdax_pagefree() gives through the page map's ops).  Its count is looked
 * at, so the drop is not a commuting add.
 */
static void put_dax_page(struct page *page)
{
	kobj_write(&page->_refcount);
	if (atomic_fetch_sub(&page->_refcount, 1) == 2)
		wake_up(&page_world(page)->dax_wait);
}

/**
 * put_page() - drop a reference; the last one frees the page (uaf if still
 * pinned)
 */
void put_page(struct page *page)
{
	if (unlikely(page->dax)) {
		put_dax_page(page);
		return;
	}
	if (page_ref_sub_and_test(page, 1))
		__free_page(page);
}

int page_mapcount(struct page *page)
{
	kobj_read(&page->_mapcount);
	return atomic_load(&page->_mapcount) + 1;
}

bool page_maybe_dma_pinned(struct page *page)
{
	switch (page_policy(page)->pin) {
	case PIN_BIAS:
		return page_ref_count(page) >= GUP_PIN_COUNTING_BIAS;
	case PIN_EXACT:
		return page_pincount_test(page) > 0;
	case PIN_MAPCOUNT:
		return page_mapcount(page) > page_mapped_ptes(page);
	default:
		return false;
	}
}

/**
 * page_read_sector() - one sector's value (uaf if the page was freed)
 */
s64 page_read_sector(struct page *page, int s)
{
	kobj_read(&page->data[s]);
	kobj_read(&page->freed);
	if (page_freed(page))
		flag_raise(PLF_UAF, "read of a freed page");
	return page->data[s];
}

/**
 * page_write_sector() - store one sector (uaf if the page was freed)
 */
void page_write_sector(struct page *page, int s, s64 v)
{
	kobj_write(&page->data[s]);
	kobj_read(&page->freed);
	if (page_freed(page))
		flag_raise(PLF_UAF, "write to a freed page");
	page->data[s] = v;
}

/**
 * copy_highpage() - copy @from into @to, one sector per step
 * @to:   the copy, private to its caller
 * @from: the page copied; a device may write it meanwhile (a DMA), leaving
 *	  @to with old and new sectors
 * @fn:   kernel function named by the scheduling points
 *	  ("blk_queue_bounce", "clear_page_dirty_for_io", ...)
 *
 * Context: a scheduling point before each sector's read.
 */
void copy_highpage(struct page *to, struct page *from, const char *fn)
{
	int s;

	for (s = 0; s < from->nr_sectors; s++) {
		__sched_point(&from->data[s], KACC_READ, fn);
		page_write_sector(to, s, page_read_sector(from, s));
	}
}

/**
 * clear_highpage() - fill every sector of @page with zeros
 * @page: a page nobody else can see yet (locked, not up to date: a hole
 *	  being read, which needs no I/O)
 *
 * Context: no scheduling point.
 */
void clear_highpage(struct page *page)
{
	int s;

	for (s = 0; s < page->nr_sectors; s++)
		page_write_sector(page, s, 0);
}

/**
 * page_value() - the page's value: its sectors' common value, or PAGE_VAL_TORN
 */
s64 page_value(struct page *page)
{
	s64 v = 0;
	int s;

	for (s = 0; s < page->nr_sectors; s++)
		if (sector_value_fold(&v, s, page_read_sector(page, s)))
			break;
	return v;
}

/*
 * Sleep on the page's wait queue until @bit is clear (and, with @lock, take
 * PG_locked).  Each test begins at a scheduling point labelled @fn; the test
 * and the sleep form one step, so no wake-up is lost between them.
 */
static void page_wait_bit(struct page *page, int bit, bool lock, const char *fn)
{
	for (;;) {
		u64 seq = __wait_prepare_named(&page->wait, fn);

		if (lock ? !page_test_set_flag(page, bit) : !page_test_flag(page, bit))
			return;
		__wait_sleep(&page->wait, seq);
	}
}

static bool page_lock_held(const void *flags)
{
	return atomic_load((_Atomic unsigned long *)flags) & (1ul << PG_locked);
}

/**
 * lock_page() - sleep until PG_locked is ours; a scheduling point
 *
 * On sim the page lock is a lock like a mutex (kernel/sim-ops.c): a task
 * whose next step takes a locked page's lock cannot run until
 * unlock_page(), so it neither sleeps on page->wait nor needs waking.  The
 * footprints name the flags word: KACC_ACQUIRE when lock_page() takes it,
 * KACC_TRY when trylock_page() does, KACC_RELEASE in
 * unlock_page(), on top of the flag writes themselves.
 */
void lock_page(struct page *page)
{
	bool was_locked;

	lock_begin("lock_page");
	if (!lock_wait(&page->flags, page_lock_held, "lock_page")) {
		page_wait_bit(page, PG_locked, true, "lock_page");
		lock_acquire(&lockdep_page_lock, &page->flags);
		return;
	}
	was_locked = page_test_set_flag(page, PG_locked);
	VM_BUG_ON(was_locked);
	lock_acquire(&lockdep_page_lock, &page->flags);
}

/**
 * trylock_page() - true when PG_locked was taken; a scheduling point
 */
bool trylock_page(struct page *page)
{
	lock_begin("trylock_page");
	__sched_point(&page->flags, KACC_WRITE, "trylock_page");
	if (page_test_set_flag(page, PG_locked))
		return false;
	kobj_access(&page->flags, KACC_TRY);
	lock_tried(&lockdep_page_lock, &page->flags, true);
	return true;
}

void unlock_page(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	lock_release(&lockdep_page_lock, &page->flags);
	page_clear_flag(page, PG_locked);
	kobj_access(&page->flags, KACC_RELEASE);
	/* Lock waiters on sim are not asleep: only the threads back end sleeps. */
	if (lock_waiters_sleep())
		wake_up(&page->wait);
}

/**
 * wait_on_page_writeback() - sleep while PG_writeback; a scheduling point
 */
void wait_on_page_writeback(struct page *page)
{
	page_wait_bit(page, PG_writeback, false, "folio_wait_writeback");
}

/**
 * set_page_writeback() - PG_writeback on; caller holds the page lock
 */
void set_page_writeback(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	page_set_flag(page, PG_writeback);
}

/**
 * end_page_writeback() - PG_writeback off, wake waiters (I/O completion)
 */
void end_page_writeback(struct page *page)
{
	/* folio_end_writeback(): reclaim asked for it; no LRU to rotate it on. */
	if (PageReclaim(page))
		page_clear_flag(page, PG_reclaim);
	if (!page_test_clear_flag(page, PG_writeback))
		BUG_ON(1);
	wake_up(&page->wait);
}
