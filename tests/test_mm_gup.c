/* test_mm_gup.c - faults, page_mkwrite, rmap, GUP pins per policy, DMA and direct I/O, on sim. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/arena.h>
#include <pinlab/bug.h>
#include <pinlab/drivers.h>
#include <pinlab/explore.h>
#include <pinlab/fs.h>
#include <pinlab/gup.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/sim.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

#include "sim_group.h"

/*
 * Most tests play the explorer by hand: each stage is one task run alone to
 * its end, and the test body looks at the world between stages (a cmocka
 * assertion must not fire on a task's stack).  Two tests let explore_run()
 * interleave a store or a lockless pin with page cleaning.
 */

#define STEP_LIMIT	100000

static const s64 init_a[] = { 10, 11 };
static const s64 init_b[] = { 7, 8 };

static struct mm_world *w;

/* What the tasks saw, for the test body to check. */
static struct {
	long ret;
	long ret2;
	s64 val;
	struct gup_handle h;
} obs;

static const struct policy *test_policy;	/* what make_world() runs worlds under */

static void use_policy(const char *name)
{
	test_policy = policy_find(name);
	assert_non_null(test_policy);
}

static struct mm_world *make_world(const struct fs_profile *fs, int nr_tasks)
{
	struct mm_config cfg = {
		.fs = fs,
		.sectors = 2,
		.nr_files = 2,
		.names = { "A", "B" },
		.nr_pages = { 2, 2 },
		.init = { init_a, init_b },
		.nr_tasks = nr_tasks,
		.policy = test_policy,
	};

	return mm_world_create(&cfg);
}

/* A fresh execution: no tasks, empty arena, no flags, a new world. */
static void world_setup(const char *policy_name, const struct fs_profile *fs)
{
	use_policy(policy_name);
	sim_reset();
	arena_reset(&exec_arena);
	flags_reset();
	memset(&obs, 0, sizeof(obs));
	w = make_world(fs, 4);
	assert_non_null(w);
}

/* Run one new task alone until it ends. Return: its pid */
static int run_task(int (*fn)(void *))
{
	struct task_struct *t = kthread_run(fn, NULL, "test");
	int steps = 0;

	assert_non_null(t);
	while ((sim_runnable_mask() & BIT(t->pid)) && steps++ < STEP_LIMIT)
		sim_step(t->pid);
	assert_int_equal(t->state, TASK_DEAD);
	return t->pid;
}

static bool flag_raised(enum pl_flag f)
{
	return flags_get()->mask & BIT(f);
}

static struct inode *file_a(void)
{
	return w->inodes[0];
}

/* Every stage works through task 0's address space. */
static struct mm_struct *mm0(void)
{
	return w->mm[0];
}

static struct pte *pte_a0(void)
{
	return pte_of(mm0(), file_a(), 0);
}

static struct page *page_a0(void)
{
	return file_a()->i_mapping->i_pages[0];
}

static int refs(struct page *page)
{
	return atomic_load(&page->_refcount);
}

static int mapcount(struct page *page)
{
	return atomic_load(&page->_mapcount) + 1;
}

static int pincount(struct page *page)
{
	return atomic_load(&page->_pincount);
}

/* The world's nr_foll_pin_acquired and nr_foll_pin_released. */
static long acquired(void)
{
	return atomic_load(&w->nr_foll_pin_acquired);
}

static long released(void)
{
	return atomic_load(&w->nr_foll_pin_released);
}

static bool page_flag(struct page *page, int bit)
{
	return atomic_load(&page->flags) & BIT(bit);
}

/* tmpfs pages start dirty (they hold the only copy); the tests need them clean. */
static void clear_page_flag(struct page *page, int bit)
{
	atomic_fetch_and(&page->flags, ~(unsigned long)BIT(bit));
}

/* ---- stages run as tasks ---- */

/**
 * STAGE() - define a stage: a task whose whole body is one statement
 * @name: the task function
 * @stmt: its statement, which records what it returns in obs
 *
 * Context: run alone to its end by run_task(), on the sim's stack.
 */
#define STAGE(name, stmt)		\
static int name(void *arg)		\
{					\
	(void)arg;			\
	stmt;				\
	return 0;			\
}

STAGE(pin_a0_write, obs.ret = pin_user_pages(mm0(), file_a(), 0, 1, FOLL_WRITE, &obs.h))
STAGE(pin_fast_a0_write,
      obs.ret = pin_user_pages_fast(mm0(), file_a(), 0, 1, FOLL_WRITE, &obs.h))
STAGE(pin_a0_longterm_write,
      obs.ret = pin_user_pages(mm0(), file_a(), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &obs.h))
STAGE(pin_fast_a0_longterm_write,
      obs.ret = pin_user_pages_fast(mm0(), file_a(), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &obs.h))
STAGE(pin_a0_longterm_read,
      obs.ret = pin_user_pages(mm0(), file_a(), 0, 1, FOLL_LONGTERM, &obs.h))

/* Task 0 takes a layout lease on A. */
STAGE(lease_a0, obs.ret2 = vfs_setlease(file_a(), 0, F_RDLCK))

STAGE(gup_a0_write, obs.ret = get_user_pages(mm0(), file_a(), 0, 1, FOLL_WRITE, &obs.h))
STAGE(unpin_handle, unpin_user_pages(obs.h.pages, obs.h.nr))
STAGE(unpin_handle_dirty, unpin_user_pages_dirty_lock(obs.h.pages, obs.h.nr, true))
STAGE(unpin_handle_clean, unpin_user_pages_dirty_lock(obs.h.pages, obs.h.nr, false))
STAGE(put_user_handle_dirty, put_user_pages_dirty_lock(obs.h.pages, obs.h.nr, true))
STAGE(put_user_handle, put_user_pages(obs.h.pages, obs.h.nr))
STAGE(put_page_handle, put_page(obs.h.pages[0]))
STAGE(load_a0, obs.val = mm_load(mm0(), file_a(), 0))
STAGE(store_a0_5, obs.ret = mm_store(mm0(), file_a(), 0, 5))

/* Another task stores through its own mapping (pid 1 after a first stage). */
STAGE(store_a0_own_mm, obs.ret2 = mm_store(w->mm[current->pid], file_a(), 0, 6))

/**
 * LOCKED_STAGE() - define a stage that works on page 0 of A, locked
 * @name: the task function
 * @stmt: its statement, on @page, which records what it returns in obs
 *
 * find_lock_page() before @stmt, unlock_page() and put_page() after.
 * Context: run alone to its end by run_task(), on the sim's stack.
 */
#define LOCKED_STAGE(name, stmt)					\
static int name(void *arg)						\
{									\
	struct page *page = find_lock_page(file_a()->i_mapping, 0);	\
									\
	(void)arg;							\
	stmt;								\
	unlock_page(page);						\
	put_page(page);							\
	return 0;							\
}

LOCKED_STAGE(mkclean_a0_twice, obs.ret = page_mkclean(page); obs.ret2 = page_mkclean(page))
LOCKED_STAGE(clean_a0_for_io, obs.ret = clear_page_dirty_for_io(page))
LOCKED_STAGE(unmap_a0, obs.ret = try_to_unmap(page))

/* What reclaim does to a clean page nobody maps: out of the cache, freed on the last put. */
LOCKED_STAGE(evict_a0, try_to_unmap(page); delete_from_page_cache(page))

STAGE(dma_write_handle, dma_write_page(obs.h.pages[0], 9))
STAGE(dio_b0_to_a0, obs.ret = dio_read(mm0(), w->inodes[1], 0, file_a(), 0))
STAGE(write_b0_9, obs.ret2 = generic_perform_write(w->inodes[1], 0, 9))

/*
 * A fresh ext4 world under @policy_name where the stage @take took page 0
 * of A into obs.h (pinned or referenced).  Return: the page
 */
static struct page *world_taken(const char *policy_name, int (*take)(void *))
{
	world_setup(policy_name, &ext4_profile);
	run_task(take);
	return obs.h.pages[0];
}

/* ---- pins per policy ---- */

struct pin_case {
	const char *policy;
	int refs;		/* page cache + PTE + the pin */
	int mapcount;
	int pincount;
	bool maybe_pinned;
	long acquired;
};

static const struct pin_case pin_cases[] = {
	{ "placeholder",	3,				1, 0, false, 0 },
	{ "mapcount",		3,				2, 0, true,  1 },
	{ "mainline",		2 + GUP_PIN_COUNTING_BIAS,	1, 0, true,  1 },
	{ "block-bounce",	3,				1, 1, true,  1 },
};

static void check_pin_case(const struct pin_case *c)
{
	struct page *page;

	world_setup(c->policy, &ext4_profile);
	run_task(pin_a0_write);
	assert_int_equal(obs.ret, 1);
	assert_true(obs.h.flags & FOLL_PIN);
	page = obs.h.pages[0];
	assert_ptr_equal(page, page_a0());
	assert_int_equal(refs(page), c->refs);
	assert_int_equal(mapcount(page), c->mapcount);
	assert_int_equal(pincount(page), c->pincount);
	assert_int_equal(page_maybe_dma_pinned(page), c->maybe_pinned);
	assert_int_equal(acquired(), c->acquired);

	run_task(unpin_handle);
	assert_int_equal(refs(page), 2);
	assert_int_equal(mapcount(page), 1);
	assert_int_equal(pincount(page), 0);
	assert_false(page_maybe_dma_pinned(page));
	assert_int_equal(released(), c->acquired);
	assert_int_equal(flags_get()->mask, 0);
}

static void test_pin_counts_per_policy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pin_cases); i++)
		check_pin_case(&pin_cases[i]);
}

/* FOLL_WRITE faults the page in for write: page_mkwrite ran, entry writable and dirty. */
static void test_pin_write_faults_through_page_mkwrite(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	assert_false(pte_a0()->present);
	run_task(pin_a0_write);
	page = page_a0();
	assert_true(pte_a0()->present);
	assert_true(pte_a0()->write);
	assert_true(pte_a0()->dirty);
	assert_true(page_flag(page, PG_dirty));
	assert_true(page_flag(page, PG_private));
	assert_false(page_flag(page, PG_locked));
}

static void test_pin_fast_counts(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(store_a0_5);
	run_task(pin_fast_a0_write);
	assert_int_equal(obs.ret, 1);
	page = obs.h.pages[0];
	assert_int_equal(refs(page), 2 + GUP_PIN_COUNTING_BIAS);
	assert_int_equal(acquired(), 1);
	run_task(unpin_handle);
	assert_int_equal(refs(page), 2);
	assert_int_equal(released(), 1);
}

/*
 * get_user_pages() touches: a write pin through a clean writable entry
 * dirties the page.  pin_user_pages() does not: the kernel's get_user_pages()
 * adds FOLL_TOUCH (is_valid_gup_args(..., FOLL_TOUCH)) and pin_user_pages()
 * passes only FOLL_PIN to __gup_longterm_locked() (issue 8: kept so).
 */
static void test_get_user_pages_touch_dirties(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &tmpfs_profile);
	run_task(load_a0);
	page = page_a0();
	clear_page_flag(page, PG_dirty);
	run_task(pin_a0_write);
	assert_int_equal(obs.ret, 1);
	assert_false(page_flag(page, PG_dirty));
	run_task(unpin_handle);
	run_task(gup_a0_write);
	assert_int_equal(obs.ret, 1);
	assert_true(page_flag(page, PG_dirty));
}

static void test_get_user_pages_takes_a_reference(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(gup_a0_write);
	assert_int_equal(obs.ret, 1);
	assert_true(obs.h.flags & FOLL_GET);
	assert_false(obs.h.flags & FOLL_PIN);
	page = obs.h.pages[0];
	assert_int_equal(refs(page), 3);
	assert_false(page_maybe_dma_pinned(page));
	assert_int_equal(acquired(), 0);
	run_task(put_page_handle);
	assert_int_equal(refs(page), 2);
}

/* ---- long-term pins of file pages ---- */

static void test_longterm_write_refused_on_ext4(void **state)
{
	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(pin_a0_longterm_write);
	assert_int_equal(obs.ret, -EFAULT);
	assert_int_equal(obs.h.nr, 0);
	/* Refused before faulting anything. */
	assert_false(pte_a0()->present);
	assert_null(page_a0());
	assert_int_equal(acquired(), 0);
}

/* The fast path grabs, sees a long-term pin it may not keep, lets go; the slow path refuses. */
static void test_longterm_write_refused_fast(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(store_a0_5);
	page = page_a0();
	run_task(pin_fast_a0_longterm_write);
	assert_int_equal(obs.ret, -EFAULT);
	assert_int_equal(refs(page), 2);
	assert_int_equal(acquired(), 1);
	assert_int_equal(released(), 1);
}

static void test_longterm_allowed_tmpfs_and_read(void **state)
{
	(void)state;
	world_setup("mainline", &tmpfs_profile);
	run_task(pin_a0_longterm_write);
	assert_int_equal(obs.ret, 1);
	run_task(unpin_handle);

	world_setup("mainline", &ext4_profile);
	run_task(pin_a0_longterm_read);
	assert_int_equal(obs.ret, 1);
	assert_false(pte_a0()->write);
	run_task(unpin_handle);

	world_setup("placeholder", &ext4_profile);
	run_task(pin_a0_longterm_write);
	assert_int_equal(obs.ret, 1);
}

STAGE(gup_a0_longterm_write,
      obs.ret = get_user_pages(mm0(), file_a(), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &obs.h))
STAGE(gup_a0_longterm_read,
      obs.ret = get_user_pages(mm0(), file_a(), 0, 1, FOLL_LONGTERM, &obs.h))

static int put_handle(void *arg)
{
	int k;

	(void)arg;
	for (k = 0; k < obs.h.nr; k++)
		put_page(obs.h.pages[k]);
	return 0;
}

/* 6.18: only pins may be long-term; get_user_pages() warns and refuses. */
static void test_longterm_get_refused_on_6_18(void **state)
{
	static struct policy p;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(gup_a0_longterm_write);
	assert_int_equal(obs.ret, -EINVAL);
	assert_true(flag_raised(PLF_WARN));
	assert_false(pte_a0()->present);

	world_setup("pinlab", &tmpfs_profile);
	run_task(gup_a0_longterm_read);
	assert_int_equal(obs.ret, -EINVAL);
	assert_true(flag_raised(PLF_WARN));

	/* 4.20 took plain long-term references; writable_file_mapping_allowed()
	 * (longterm=refuse) checks only FOLL_PIN|FOLL_LONGTERM. */
	world_setup("mainline", &ext4_profile);
	p = *w->policy;
	assert_int_equal(policy_set_knob(&p, "base=4.20", NULL, 0), 0);
	w->policy = &p;
	run_task(gup_a0_longterm_write);
	assert_int_equal(obs.ret, 1);
	assert_false(flag_raised(PLF_WARN));
	run_task(put_handle);
}

static void test_longterm_needs_lease(void **state)
{
	(void)state;
	world_setup("lease", &ext4_profile);
	run_task(pin_a0_longterm_write);
	assert_int_equal(obs.ret, -EPERM);
	assert_false(pte_a0()->present);

	world_setup("lease", &ext4_profile);
	run_task(lease_a0);
	assert_int_equal(obs.ret2, 0);
	run_task(pin_a0_longterm_write);
	assert_int_equal(obs.ret, 1);
	/* The pin is tied to the lease that allowed it (fs/locks.c). */
	assert_non_null(obs.h.lease);
}

/* ---- faults and stores ---- */

static void test_store_through_readonly_pte(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(load_a0);
	assert_int_equal(obs.val, 10);
	page = page_a0();
	/* Write-notify: a read fault maps read-only and clean. */
	assert_true(pte_a0()->present);
	assert_false(pte_a0()->write);
	assert_false(pte_a0()->dirty);
	assert_false(page_flag(page, PG_dirty));
	assert_false(page_flag(page, PG_private));

	run_task(store_a0_5);
	assert_int_equal(obs.ret, 0);
	assert_true(pte_a0()->write);
	assert_true(pte_a0()->dirty);
	assert_true(page_flag(page, PG_dirty));
	assert_true(page_flag(page, PG_private));	/* ext4_page_mkwrite() ran */
	assert_int_equal(page_value(page), 5);
	assert_int_equal(mapcount(page), 1);
	assert_int_equal(refs(page), 2);
}

static void test_tmpfs_read_fault_maps_writable(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &tmpfs_profile);
	run_task(load_a0);
	assert_int_equal(obs.val, 10);
	assert_true(pte_a0()->write);
	assert_false(pte_a0()->dirty);
	page = page_a0();
	clear_page_flag(page, PG_dirty);
	run_task(store_a0_5);
	assert_true(pte_a0()->dirty);
	/* No fault, so nothing but the hardware bit knows. */
	assert_false(page_flag(page, PG_dirty));
	assert_int_equal(page_value(page), 5);
}

static void test_load_beyond_eof_faults(void **state)
{
	(void)state;
	world_setup("mainline", &ext4_profile);
	assert_int_equal(handle_mm_fault(mm0(), file_a(), 5, false), VM_FAULT_SIGBUS);
}

/* ---- rmap ---- */

static void test_page_mkclean_counts_and_protects(void **state)
{
	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(store_a0_5);
	run_task(store_a0_own_mm);
	assert_int_equal(obs.ret2, 0);
	assert_int_equal(mapcount(page_a0()), 2);
	run_task(mkclean_a0_twice);
	assert_int_equal(obs.ret, 2);
	assert_int_equal(obs.ret2, 0);
	assert_false(pte_a0()->write);
	assert_false(pte_a0()->dirty);
	assert_false(w->mm[1]->pte[0][0].write);
	assert_true(pte_a0()->present);

	/* The next store faults again and makes the entry writable. */
	run_task(store_a0_5);
	assert_true(pte_a0()->write);
	run_task(mkclean_a0_twice);
	assert_int_equal(obs.ret, 1);
}

static void test_try_to_unmap_moves_dirty_bit(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &tmpfs_profile);
	run_task(load_a0);
	page = page_a0();
	clear_page_flag(page, PG_dirty);
	run_task(store_a0_5);
	assert_true(pte_a0()->dirty);
	assert_false(page_flag(page, PG_dirty));
	run_task(unmap_a0);
	assert_true(obs.ret);
	assert_false(pte_a0()->present);
	assert_true(page_flag(page, PG_dirty));
	assert_int_equal(mapcount(page), 0);
	assert_int_equal(refs(page), 1);
}

/* Jerome's design: a pin is a mapping, so unmapping a pinned page "fails". */
static void test_try_to_unmap_pinned_under_mapcount(void **state)
{
	struct page *page;

	(void)state;
	page = world_taken("mapcount", pin_a0_write);
	run_task(unmap_a0);
	assert_false(obs.ret);
	assert_false(pte_a0()->present);
	assert_int_equal(mapcount(page), 1);
	assert_true(page_maybe_dma_pinned(page));
	run_task(unpin_handle);
	assert_int_equal(mapcount(page), 0);
	assert_false(page_maybe_dma_pinned(page));
}

/* ---- releases ---- */

static void test_unpin_dirty_lock_redirties(void **state)
{
	struct page *page;

	(void)state;
	page = world_taken("mainline", pin_a0_write);
	run_task(clean_a0_for_io);
	assert_true(obs.ret);
	assert_false(page_flag(page, PG_dirty));
	run_task(unpin_handle_dirty);
	assert_true(page_flag(page, PG_dirty));
	assert_false(page_flag(page, PG_locked));
	assert_int_equal(refs(page), 2);

	page = world_taken("mainline", pin_a0_write);
	run_task(clean_a0_for_io);
	run_task(unpin_handle_clean);
	assert_false(page_flag(page, PG_dirty));
	assert_int_equal(refs(page), 2);
}

static void test_put_user_pages_placeholder(void **state)
{
	struct page *page;

	(void)state;
	page = world_taken("placeholder", pin_a0_write);
	run_task(clean_a0_for_io);
	run_task(put_user_handle_dirty);
	assert_true(page_flag(page, PG_dirty));
	assert_int_equal(refs(page), 2);
	assert_int_equal(acquired(), 0);
	assert_int_equal(released(), 0);

	/* Under a tracked policy put_user_pages() is unpin_user_pages(). */
	page = world_taken("mainline", pin_a0_write);
	run_task(put_user_handle);
	assert_int_equal(refs(page), 2);
	assert_int_equal(released(), 1);
}

/* Unpinning a page that was only referenced subtracts the bias: VM_BUG_ON. */
static void test_mismatched_unpin_is_a_bug(void **state)
{
	struct page *page;

	(void)state;
	page = world_taken("mainline", gup_a0_write);
	assert_false(flag_raised(PLF_BUG));
	run_task(unpin_handle);
	assert_true(flag_raised(PLF_BUG));
	assert_int_equal(refs(page), 3);

	/* The same release of a real pin is fine. */
	world_setup("mainline", &ext4_profile);
	run_task(pin_a0_write);
	run_task(unpin_handle);
	assert_false(flag_raised(PLF_BUG));
}

/* ---- the device ---- */

static void test_dma_write_after_free_is_uaf(void **state)
{
	struct page *page;

	(void)state;
	page = world_taken("placeholder", gup_a0_write);
	run_task(put_page_handle);	/* the driver let go too early */
	run_task(evict_a0);
	assert_true(page->freed);
	assert_false(flag_raised(PLF_UAF));
	run_task(dma_write_handle);
	assert_true(flag_raised(PLF_UAF));

	/* Still pinned: eviction leaves the page alive, the DMA is fine. */
	page = world_taken("mainline", pin_a0_write);
	run_task(evict_a0);
	assert_false(page->freed);
	run_task(dma_write_handle);
	assert_false(flag_raised(PLF_UAF));
	assert_int_equal(page_value(page), 9);
}

static void test_dio_read_into_mapping(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &ext4_profile);
	run_task(dio_b0_to_a0);
	assert_int_equal(obs.ret, 0);
	page = page_a0();
	assert_non_null(page);
	assert_int_equal(page_value(page), 7);
	assert_true(page_flag(page, PG_dirty));
	assert_int_equal(refs(page), 2);
	assert_int_equal(acquired(), 1);
	assert_int_equal(released(), 1);

	/* The page cache of the source is flushed first: the read sees write(2)'s data. */
	world_setup("placeholder", &ext4_profile);
	run_task(write_b0_9);
	assert_int_equal(obs.ret2, 0);
	run_task(dio_b0_to_a0);
	assert_int_equal(obs.ret, 0);
	assert_int_equal(page_value(page_a0()), 9);
	assert_int_equal(refs(page_a0()), 2);
	assert_int_equal(acquired(), 0);

}

/* O_DIRECT from tmpfs: -EINVAL on 4.20, a CPU copy without pins since 6.6. */
static void test_dio_read_tmpfs_source(void **state)
{
	struct page *page;

	(void)state;
	world_setup("mainline", &tmpfs_profile);
	run_task(write_b0_9);
	run_task(dio_b0_to_a0);
	assert_int_equal(obs.ret, 0);
	page = page_a0();
	assert_non_null(page);
	assert_int_equal(page_value(page), 9);
	assert_true(page_flag(page, PG_dirty));
	assert_int_equal(acquired(), 0);

	world_setup("placeholder", &tmpfs_profile);
	run_task(dio_b0_to_a0);
	assert_int_equal(obs.ret, -EINVAL);
}

/* ---- races, explored ---- */

/*
 * A store of 5 into both sectors races with clear_page_dirty_for_io().
 * Whatever the interleaving, the 5s are not lost: either the cleaner saw
 * the page dirty with every 5 in it (under the page lock, what writeback
 * would write), or the page is dirty at the end.
 *
 *   app (task 0)                 flusher (task 1)
 *   mm_store(5): write fault,
 *   PG_dirty; sector 0 <- 5
 *                                find_lock_page()
 *                                clear_page_dirty_for_io(): PTE
 *                                write-protected, PG_dirty clear
 *                                unlock_page()
 *   sector 1: write fault again,
 *   PG_dirty; sector 1 <- 5
 * or the cleaner after both sectors, seeing 5 5 under the page lock.
 */
struct race {
	struct mm_world *w;
	bool cleaned;
	s64 snapshot;
	long pinned;
	bool writable_at_pin;
	u64 executions;
	u64 violations;
	u64 fallbacks;
	u64 fast_only;
	struct page *orig;
	bool had_buffers;
	bool mapped_at_pin;
};

static struct race race;

static int race_store(void *arg)
{
	(void)arg;
	mm_store(race.w->mm[0], race.w->inodes[0], 0, 5);
	return 0;
}

static int race_clean(void *arg)
{
	struct page *page = find_lock_page(race.w->inodes[0]->i_mapping, 0);

	(void)arg;
	if (!page)
		return 0;
	race.cleaned = clear_page_dirty_for_io(page);
	if (race.cleaned)
		race.snapshot = page_value(page);
	unlock_page(page);
	put_page(page);
	return 0;
}

static int race_store_setup(void *priv)
{
	(void)priv;
	race.w = make_world(&ext4_profile, 2);
	race.cleaned = false;
	race.snapshot = 0;
	if (!race.w)
		return -ENOMEM;
	if (!kthread_run(race_store, NULL, "app") ||
	    !kthread_run(race_clean, NULL, "flusher"))
		return -EAGAIN;
	return 0;
}

static bool race_store_finish(void *priv, const struct exec_info *info)
{
	struct page *page = race.w->inodes[0]->i_mapping->i_pages[0];
	bool saved = race.cleaned && race.snapshot == 5;

	(void)priv;
	(void)info;
	race.executions++;
	if (flags_get()->mask || !page || !(page_flag(page, PG_dirty) || saved))
		race.violations++;
	return false;
}

static void explore_race(int (*setup)(void *),
			 bool (*finish)(void *, const struct exec_info *),
			 bool trace)
{
	struct explore_model m = { .priv = NULL, .setup = setup, .finish = finish };
	struct explore_opts o;
	struct explore_stats st;

	explore_opts_default(&o);
	o.trace = trace;
	memset(&race, 0, sizeof(race));
	assert_int_equal(explore_run(&m, &o, &st), 0);
	assert_true(st.complete);
}

static void test_store_vs_clean_loses_nothing(void **state)
{
	(void)state;
	use_policy("mainline");
	explore_race(race_store_setup, race_store_finish, false);
	assert_true(race.executions > 2);
	assert_int_equal(race.violations, 0);
}

/*
 * pin_user_pages_fast() of a writable entry races with page cleaning: when
 * the entry changes under the lockless walk the pin is given back and the
 * slow path faults again.  The pin must be returned with the entry still
 * writable (its write fault went through page_mkwrite), every pin taken
 * must be returned, and the 5s must be either dirty or seen by the cleaner.
 *
 *   device (task 0)              flusher (task 1)
 *   mm_store(5)
 *   pin_user_pages_fast():
 *     reads the PTE: writable
 *     grabs the pin
 *                                clear_page_dirty_for_io():
 *                                  PTE write-protected
 *     reads the PTE again: changed,
 *     gives the pin back
 *   slow path: write fault,
 *   page_mkwrite(), pinned writable
 */
static int race_pin(void *arg)
{
	struct gup_handle *h = &obs.h;
	struct mm_world *rw = race.w;

	(void)arg;
	mm_store(rw->mm[0], rw->inodes[0], 0, 5);
	race.pinned = pin_user_pages_fast(rw->mm[0], rw->inodes[0], 0, 1,
					  FOLL_WRITE, h);
	/* Same step as the last look at the entry: it must allow the write. */
	race.writable_at_pin = rw->mm[0]->pte[0][0].write;
	if (race.pinned == 1)
		unpin_user_pages_dirty_lock(h->pages, h->nr, true);
	return 0;
}

static int race_pin_setup(void *priv)
{
	(void)priv;
	race.w = make_world(&ext4_profile, 2);
	race.pinned = 0;
	if (!race.w)
		return -ENOMEM;
	if (!kthread_run(race_pin, NULL, "device") ||
	    !kthread_run(race_clean, NULL, "flusher"))
		return -EAGAIN;
	return 0;
}

static bool trace_has(const struct exec_info *info, const char *fn)
{
	u32 i;

	for (i = 0; i < info->nr_steps; i++)
		if (info->trace[i].pid == 0 && !strcmp(info->trace[i].fn, fn))
			return true;
	return false;
}

/* The invariant of race_pin: see above. */
static bool race_pin_ok(void)
{
	struct page *page = race.w->inodes[0]->i_mapping->i_pages[0];
	bool saved = race.cleaned && race.snapshot == 5;

	if (flags_get()->mask || race.pinned != 1 || !race.writable_at_pin)
		return false;
	if (!page || refs(page) != 2)
		return false;
	if (atomic_load(&race.w->nr_foll_pin_acquired) !=
	    atomic_load(&race.w->nr_foll_pin_released))
		return false;
	return page_flag(page, PG_dirty) || saved;
}

static bool race_pin_finish(void *priv, const struct exec_info *info)
{
	(void)priv;
	race.executions++;
	if (trace_has(info, "follow_page_pte"))
		race.fallbacks++;
	else
		race.fast_only++;
	if (!race_pin_ok())
		race.violations++;
	return false;
}

static void test_gup_fast_vs_clean(void **state)
{
	(void)state;
	use_policy("mainline");
	explore_race(race_pin_setup, race_pin_finish, true);
	assert_int_equal(race.violations, 0);
	assert_true(race.fallbacks > 0);
	assert_true(race.fast_only > 0);
}

/* ---- issue 8: orders found to agree with the kernel, kept so ---- */

/*
 * GUP-fast against reclaim.  gup_fast_pte() (mm/gup.c's
 * gup_fast_pte_range()) reads the PTE, grabs the pin, then reads the PTE
 * again and gives the pin back if it changed; shrink_folio_list() clears
 * the PTE (try_to_unmap()) and only then tests folio_maybe_dma_pinned()
 * (d824ec2a1546).  With both orders one of them sees the other: either the
 * recheck sees the cleared PTE, or reclaim sees the pin.  Reversed on
 * either side (no recheck, or the pin tested before the unmap), a pin
 * lands on a page reclaim goes on to strip of its buffers.  The page is
 * written and cleaned first, so that it is clean, mapped and has buffers.
 *
 *   device (task 0)              kswapd (task 1)
 *   pin_user_pages_fast():
 *     reads the PTE: present
 *                                shrink_inode_pages():
 *                                  try_to_unmap(): PTE cleared
 *     grabs the pin
 *                                  folio_maybe_dma_pinned(): yes,
 *                                  kept with its buffers
 *     reads the PTE again: gone,
 *     gives the pin back; slow path
 * or the pin before the unmap, and reclaim skips the page; or the unmap
 * and the strip before the pin, which finds the page clean and bufferless.
 */
static int race_fast_pin(void *arg)
{
	struct mm_world *rw = race.w;

	(void)arg;
	mm_store(rw->mm[0], rw->inodes[0], 0, 5);
	vfs_fsync(rw->inodes[0]);
	race.orig = rw->inodes[0]->i_mapping->i_pages[0];
	race.pinned = pin_user_pages_fast(rw->mm[0], rw->inodes[0], 0, 1, 0, &obs.h);
	/* Same step as the pin's last: the page as it was pinned. */
	if (race.pinned == 1) {
		struct pte *pte = pte_of(rw->mm[0], rw->inodes[0], 0);

		race.had_buffers = page_flag(obs.h.pages[0], PG_private);
		race.mapped_at_pin = pte->present && pte->page == obs.h.pages[0];
	}
	return 0;
}

static int race_reclaim(void *arg)
{
	(void)arg;
	shrink_inode_pages(race.w->inodes[0]);
	return 0;
}

static int race_fast_reclaim_setup(void *priv)
{
	(void)priv;
	race.w = make_world(&ext4_profile, 2);
	race.pinned = 0;
	race.orig = NULL;
	race.had_buffers = false;
	race.mapped_at_pin = false;
	memset(&obs.h, 0, sizeof(obs.h));
	if (!race.w)
		return -ENOMEM;
	if (!kthread_run(race_fast_pin, NULL, "device") ||
	    !kthread_run(race_reclaim, NULL, "kswapd"))
		return -EAGAIN;
	return 0;
}

/*
 * A pin is returned only while the PTE still maps the page (GUP-fast's
 * recheck; the slow path looks under the page table lock).  The written
 * page, if pinned with its buffers, keeps its place in the cache and its
 * buffers (reclaim=skip); pinned once reclaim had stripped them, it is a
 * pin of a clean page without buffers, which is allowed.
 */
static bool race_fast_reclaim_finish(void *priv, const struct exec_info *info)
{
	struct address_space *mapping = race.w->inodes[0]->i_mapping;
	struct page *page = obs.h.pages[0];

	(void)priv;
	(void)info;
	race.executions++;
	if (race.pinned != 1)
		return false;
	if (!race.mapped_at_pin || flags_get()->mask)
		race.violations++;
	if (page != race.orig || !race.had_buffers)
		return false;
	race.fast_only++;
	if (mapping->i_pages[0] != page || !page_flag(page, PG_private))
		race.violations++;
	return false;
}

static void test_gup_fast_vs_reclaim(void **state)
{
	(void)state;
	use_policy("mainline");
	explore_race(race_fast_reclaim_setup, race_fast_reclaim_finish, false);
	assert_true(race.fast_only > 0);
	assert_int_equal(race.violations, 0);
}

/*
 * unpin_user_pages_dirty_lock() (mm/gup.c) dirties each page with
 * folio_mark_dirty() under the page lock *before* gup_put_folio() drops
 * the pin: while the page is being dirtied, the pin still keeps reclaim
 * off it.  Stepped one step at a time, the step that sets PG_dirty must
 * find the pin still held.
 */
static void test_unpin_dirty_lock_dirties_before_unpin(void **state)
{
	struct task_struct *t;
	struct page *page;
	bool dirtied = false;
	int steps = 0;

	(void)state;
	page = world_taken("mainline", pin_a0_write);
	run_task(clean_a0_for_io);
	assert_false(page_flag(page, PG_dirty));
	assert_true(refs(page) >= GUP_PIN_COUNTING_BIAS);
	t = kthread_run(unpin_handle_dirty, NULL, "test");
	assert_non_null(t);
	while ((sim_runnable_mask() & BIT(t->pid)) && steps++ < STEP_LIMIT) {
		sim_step(t->pid);
		if (!dirtied && page_flag(page, PG_dirty)) {
			dirtied = true;
			assert_true(refs(page) >= GUP_PIN_COUNTING_BIAS);
		}
	}
	assert_true(dirtied);
	assert_true(refs(page) < GUP_PIN_COUNTING_BIAS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_counts_per_policy),
		cmocka_unit_test(test_pin_write_faults_through_page_mkwrite),
		cmocka_unit_test(test_pin_fast_counts),
		cmocka_unit_test(test_get_user_pages_takes_a_reference),
		cmocka_unit_test(test_get_user_pages_touch_dirties),
		cmocka_unit_test(test_longterm_write_refused_on_ext4),
		cmocka_unit_test(test_longterm_write_refused_fast),
		cmocka_unit_test(test_longterm_allowed_tmpfs_and_read),
		cmocka_unit_test(test_longterm_get_refused_on_6_18),
		cmocka_unit_test(test_longterm_needs_lease),
		cmocka_unit_test(test_store_through_readonly_pte),
		cmocka_unit_test(test_tmpfs_read_fault_maps_writable),
		cmocka_unit_test(test_load_beyond_eof_faults),
		cmocka_unit_test(test_page_mkclean_counts_and_protects),
		cmocka_unit_test(test_try_to_unmap_moves_dirty_bit),
		cmocka_unit_test(test_try_to_unmap_pinned_under_mapcount),
		cmocka_unit_test(test_unpin_dirty_lock_redirties),
		cmocka_unit_test(test_put_user_pages_placeholder),
		cmocka_unit_test(test_mismatched_unpin_is_a_bug),
		cmocka_unit_test(test_dma_write_after_free_is_uaf),
		cmocka_unit_test(test_dio_read_into_mapping),
		cmocka_unit_test(test_dio_read_tmpfs_source),
		cmocka_unit_test(test_store_vs_clean_loses_nothing),
		cmocka_unit_test(test_gup_fast_vs_clean),
		cmocka_unit_test(test_gup_fast_vs_reclaim),
		cmocka_unit_test(test_unpin_dirty_lock_dirties_before_unpin),
	};

	return cmocka_run_group_tests(tests, sim_group_setup, NULL);
}
