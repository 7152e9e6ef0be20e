/* test_debug.c - debug builds: each footprint audit and invariant check fires on state corrupted on purpose. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pinlab/arena.h>
#include <pinlab/audit.h>
#include <pinlab/bio.h>
#include <pinlab/bug.h>
#include <pinlab/fs.h>
#include <pinlab/lockdep.h>
#include <pinlab/mm.h>
#include <pinlab/mutex.h>
#include <pinlab/pagemap.h>
#include <pinlab/pgtable.h>
#include <pinlab/policy.h>
#include <pinlab/sim.h>
#include <pinlab/spinlock.h>
#include <pinlab/world.h>
#include "../explore/check.h"
#include "sim_group.h"

/*
 * A check that fires aborts the process, so each case runs in a child:
 * the parent expects SIGABRT and the check's name on stderr.  Every
 * checker is also run once on a consistent state, where it must stay
 * quiet: a check that cannot pass is as useless as one that cannot fail.
 */

#define STEP_LIMIT	10000

static const s64 init_a[] = { 1, 2 };
static struct mm_world *w;

/* Run @fn in a child. Return: the child's stderr; *@sig is its signal, 0 if it exited 0. */
static char *run_child(void (*fn)(void), int *sig)
{
	static char buf[4096];
	int fds[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*sig = WIFSIGNALED(st) ? WTERMSIG(st) : (WEXITSTATUS(st) ? -1 : 0);
	return buf;
}

static void expect_abort(void (*fn)(void), const char *what)
{
	int sig;
	char *err = run_child(fn, &sig);

	if (sig != SIGABRT || !strstr(err, what))
		fail_msg("expected an abort naming '%s'; got signal %d, stderr: %s", what, sig, err);
}

static void expect_quiet(void (*fn)(void))
{
	int sig;
	char *err = run_child(fn, &sig);

	if (sig)
		fail_msg("expected no check to fire; got signal %d, stderr: %s", sig, err);
}

/**
 * struct inv_case - a case that must break one invariant
 * @fn:  builds the broken state and runs the check, in a child
 * @inv: the invariant's name, as its message gives it
 */
struct inv_case {
	void (*fn)(void);
	const char *inv;
};

/* Each of @cases[0..@n) aborts with "invariant <inv> broken". */
static void expect_broken(const struct inv_case *cases, size_t n)
{
	char want[80];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "invariant %s broken", cases[i].inv);
		expect_abort(cases[i].fn, want);
	}
}

/* ---- the write and read audits, on tasks run by hand ---- */

/**
 * struct shared - a model object of the test's own
 * @x: a field that is its own footprint object
 * @y: a field that stands for @x
 * @f: flags, each bit N its own object, byte N of @f (as page->flags)
 */
static struct shared {
	long x;
	long y;
	unsigned long f;
} obj;

static const struct audit_field shared_fields[] = {
	AUDIT_FIELD(struct shared, x, AUDIT_SELF),
	AUDIT_FIELD(struct shared, y, offsetof(struct shared, x)),
	AUDIT_BITS(struct shared, f),
	AUDIT_END,
};

static const struct audit_type shared_type = { "struct shared", shared_fields };

static void run_task(int (*fn)(void *), int owner)
{
	struct task_struct *t;
	int steps = 0;

	sim_reset();
	memset(&obj, 0, sizeof(obj));
	audit_register(&obj, &shared_type, 0, owner);
	t = kthread_run(fn, NULL, "test");
	if (!t)
		abort();
	while ((sim_runnable_mask() & BIT(t->pid)) && steps++ < STEP_LIMIT)
		sim_step(t->pid);
}

static int write_undeclared(void *arg)
{
	(void)arg;
	sched_point(NULL, KACC_READ);
	obj.x = 1;
	return 0;
}

static int write_declared(void *arg)
{
	(void)arg;
	sched_point(&obj.x, KACC_WRITE);
	obj.x = 1;
	kobj_write(&obj.x);
	obj.y = 2;		/* y stands for x: declared with it */
	return 0;
}

static int write_read_declared(void *arg)
{
	(void)arg;
	sched_point(&obj.x, KACC_READ);
	obj.y = 1;		/* a read does not cover a write */
	return 0;
}

/* Flag 2 changes, flag 1's object is declared: another flag's write does not cover it. */
static int write_other_flag(void *arg)
{
	(void)arg;
	sched_point((u8 *)&obj.f + 1, KACC_WRITE);
	obj.f |= 1ul << 2;
	return 0;
}

static int write_flag_declared(void *arg)
{
	(void)arg;
	sched_point((u8 *)&obj.f + 2, KACC_WRITE);
	obj.f |= 1ul << 2;
	kobj_write(&obj.f);
	obj.f &= ~1ul;		/* flag 0: &obj.f itself */
	return 0;
}

static void child_write_other_flag(void) { run_task(write_other_flag, AUDIT_OWNER_NONE); }
static void child_write_flag_declared(void) { run_task(write_flag_declared, AUDIT_OWNER_NONE); }
static void child_write_undeclared(void) { run_task(write_undeclared, AUDIT_OWNER_NONE); }
static void child_write_declared(void) { run_task(write_declared, AUDIT_OWNER_NONE); }
static void child_write_read_declared(void) { run_task(write_read_declared, AUDIT_OWNER_NONE); }
static void child_write_owned(void) { run_task(write_undeclared, 0); }
static void child_write_owned_by_other(void) { run_task(write_undeclared, 1); }

static void test_audit_writes(void **state)
{
	(void)state;
	expect_abort(child_write_undeclared, "write of struct shared");
	expect_abort(child_write_undeclared, "field x");
	expect_abort(child_write_read_declared, "field y");
	expect_abort(child_write_owned_by_other, "footprint audit");
	expect_quiet(child_write_declared);
	expect_quiet(child_write_owned);
	expect_abort(child_write_other_flag, "field f (element or bit 2");
	expect_quiet(child_write_flag_declared);
}

static struct inode inode;

static int read_size_undeclared(void *arg)
{
	(void)arg;
	sched_point(NULL, KACC_READ);
	return i_size_read(&inode);
}

static int read_size_declared(void *arg)
{
	(void)arg;
	sched_point(NULL, KACC_READ);
	kobj_read(&inode.i_size);
	return i_size_read(&inode);
}

static int read_freed_undeclared(void *arg)
{
	static struct page page;

	(void)arg;
	sched_point(&page.data, KACC_READ);
	return page_freed(&page);
}

static void child_read_undeclared(void) { run_task(read_size_undeclared, AUDIT_OWNER_NONE); }
static void child_read_declared(void) { run_task(read_size_declared, AUDIT_OWNER_NONE); }
static void child_read_freed(void) { run_task(read_freed_undeclared, AUDIT_OWNER_NONE); }

static void test_audit_reads(void **state)
{
	(void)state;
	expect_abort(child_read_undeclared, "read_size_undeclared() reads i_size_read");
	expect_abort(child_read_freed, "reads page_freed");
	expect_quiet(child_read_declared);
}

/* ---- the lock-order checker, on tasks run by hand ---- */

/*
 * Four lock classes (one initialiser call site each) and the page lock;
 * two spinlocks initialised at one site are one more class.
 */
static spinlock_t lock_a, lock_b;
static struct mutex lock_c;
static struct rw_semaphore lock_s;
static struct page lock_page_of;
static spinlock_t pair[2];

static void init_order_locks(void)
{
	int i;

	spin_lock_init(&lock_a);
	spin_lock_init(&lock_b);
	mutex_init(&lock_c);
	init_rwsem(&lock_s);
	for (i = 0; i < 2; i++)
		spin_lock_init(&pair[i]);
}

enum test_lock_kind {
	TL_SPIN,		/* spin_lock() */
	TL_SPIN_TRY,		/* spin_trylock() */
	TL_MUTEX,		/* mutex_lock() */
	TL_READ,		/* down_read() */
	TL_WRITE,		/* down_write() */
	TL_PAGE,		/* lock_page() */
};

/**
 * struct test_lock - a lock and how a test task takes it
 * @kind: the lock function
 * @lock: the lock, of the type @kind takes
 */
struct test_lock {
	enum test_lock_kind kind;
	void *lock;
};

/* Take @l the way it says.  Return: false if a trylock failed. */
static bool take(const struct test_lock *l)
{
	switch (l->kind) {
	case TL_SPIN:
		spin_lock(l->lock);
		break;
	case TL_SPIN_TRY:
		return spin_trylock(l->lock);
	case TL_MUTEX:
		mutex_lock(l->lock);
		break;
	case TL_READ:
		down_read(l->lock);
		break;
	case TL_WRITE:
		down_write(l->lock);
		break;
	case TL_PAGE:
		lock_page(l->lock);
		break;
	}
	return true;
}

static void drop(const struct test_lock *l)
{
	switch (l->kind) {
	case TL_SPIN:
	case TL_SPIN_TRY:
		spin_unlock(l->lock);
		break;
	case TL_MUTEX:
		mutex_unlock(l->lock);
		break;
	case TL_READ:
		up_read(l->lock);
		break;
	case TL_WRITE:
		up_write(l->lock);
		break;
	case TL_PAGE:
		unlock_page(l->lock);
		break;
	}
}

/**
 * struct nesting - what a test task does: take @inner under @outer
 * @outer: the lock taken first
 * @inner: the lock taken while @outer is held
 * @note:  the task's statement text, for the checker's messages
 */
struct nesting {
	struct test_lock outer;
	struct test_lock inner;
	const char *note;
};

static int take_nested(void *arg)
{
	const struct nesting *n = arg;

	current->note = n->note;
	take(&n->outer);
	if (take(&n->inner))
		drop(&n->inner);
	drop(&n->outer);
	return 0;
}

#define SPIN(l)		{ TL_SPIN, &(l) }
#define MUTEX(l)	{ TL_MUTEX, &(l) }

static const struct nesting a_in_b = { SPIN(lock_b), SPIN(lock_a), "b then a" };
static const struct nesting b_in_a = { SPIN(lock_a), SPIN(lock_b), "a then b" };

/*
 * Run a task for each of @n nestings, each to its end before the next
 * starts, one execution each (the graph outlives executions): no two ever
 * overlap, so no order can deadlock here; the checker must still see an
 * inversion.
 */
static void run_in_turn(const struct nesting *const *nest, int n)
{
	struct task_struct *t;
	int i, steps;

	init_order_locks();
	for (i = 0; i < n; i++) {
		sim_reset();
		t = kthread_run(take_nested, (void *)nest[i], "test");
		if (!t)
			abort();
		for (steps = 0; (sim_runnable_mask() & BIT(t->pid)) && steps < STEP_LIMIT; steps++)
			sim_step(t->pid);
		if (t->state != TASK_DEAD)
			abort();
	}
}

#define RUN_IN_TURN(...)						\
	do {								\
		static const struct nesting *const nest[] = { __VA_ARGS__ }; \
									\
		run_in_turn(nest, ARRAY_SIZE(nest));			\
	} while (0)

static void child_abba(void)
{
	RUN_IN_TURN(&b_in_a, &a_in_b);
}

/* Both tasks of one execution, P0 to its end, then P1. */
static void child_abba_one_execution(void)
{
	struct task_struct *p[2];
	int i, steps;

	init_order_locks();
	sim_reset();
	p[0] = kthread_run(take_nested, (void *)&b_in_a, "P0");
	p[1] = kthread_run(take_nested, (void *)&a_in_b, "P1");
	if (!p[0] || !p[1])
		abort();
	for (i = 0; i < 2; i++)
		for (steps = 0; (sim_runnable_mask() & BIT(p[i]->pid)) && steps < STEP_LIMIT; steps++)
			sim_step(p[i]->pid);
}

static void child_cycle_of_three(void)
{
	static const struct nesting c_in_b = { SPIN(lock_b), MUTEX(lock_c), "b then c" };
	static const struct nesting a_in_c = { MUTEX(lock_c), SPIN(lock_a), "c then a" };

	RUN_IN_TURN(&b_in_a, &c_in_b, &a_in_c);
}

/* A shared hold orders what is taken under it like an exclusive one. */
static void child_rwsem_inverse(void)
{
	static const struct nesting c_in_s = { { TL_READ, &lock_s }, MUTEX(lock_c), "s then c" };
	static const struct nesting s_in_c = { MUTEX(lock_c), { TL_WRITE, &lock_s }, "c then s" };

	RUN_IN_TURN(&c_in_s, &s_in_c);
}

static void child_page_inverse(void)
{
	static const struct nesting a_in_page = { { TL_PAGE, &lock_page_of }, SPIN(lock_a),
						  "page then a" };
	static const struct nesting page_in_a = { SPIN(lock_a), { TL_PAGE, &lock_page_of },
						  "a then page" };

	RUN_IN_TURN(&a_in_page, &page_in_a);
}

static void child_same_order(void)
{
	RUN_IN_TURN(&b_in_a, &b_in_a);
}

/* b then a, the second by trylock: it cannot wait, so it orders nothing. */
static void child_trylock_inverse(void)
{
	static const struct nesting try_a_in_b = { SPIN(lock_b), { TL_SPIN_TRY, &lock_a },
						   "b then try a" };

	RUN_IN_TURN(&b_in_a, &try_a_in_b);
}

/* Two locks of one class, both ways: not ordered by the checker. */
static void child_same_class_both_ways(void)
{
	static const struct nesting up = { SPIN(pair[0]), SPIN(pair[1]), "0 then 1" };
	static const struct nesting down = { SPIN(pair[1]), SPIN(pair[0]), "1 then 0" };

	RUN_IN_TURN(&up, &down);
}

static void test_lock_order(void **state)
{
	(void)state;
	expect_abort(child_abba, "invariant lock-order broken: lock_b -> lock_a");
	expect_abort(child_abba, "lock_a (taken in take) -> lock_b (taken in take): "
		     "first by test in 'a then b'");
	expect_abort(child_abba_one_execution, "P1 takes lock_a while holding lock_b");
	expect_abort(child_cycle_of_three, "invariant lock-order broken: lock_c -> lock_a");
	expect_abort(child_cycle_of_three, "first by test in 'b then c'");
	expect_abort(child_rwsem_inverse, "invariant lock-order broken: lock_c -> lock_s");
	expect_abort(child_page_inverse, "lock_a -> page->flags PG_locked closes a cycle");
	expect_quiet(child_same_order);
	expect_quiet(child_trylock_inverse);
	expect_quiet(child_same_class_both_ways);
	/* The model's known inversions, which the library run reports but survives. */
	lockdep_print(stdout);
}

/* ---- the mm invariants, on a world corrupted by hand ---- */

static void make_world(const char *pol)
{
	struct mm_config cfg = {
		.fs = &ext4_profile,
		.sectors = 1,
		.nr_files = 1,
		.names = { "A" },
		.nr_pages = { 2 },
		.init = { init_a },
		.nr_tasks = 2,
		.policy = policy_find(pol),
	};

	if (!cfg.policy)
		abort();
	sim_reset();
	arena_reset(&exec_arena);
	flags_reset();
	w = mm_world_create(&cfg);
	if (!w)
		abort();
}

static struct address_space *mapping(void)
{
	return w->inodes[0]->i_mapping;
}

/* A page cached at index 0 of A, with the cache's reference. */
static struct page *cached_page(void)
{
	struct page *page = alloc_page(w);

	if (!page || add_to_page_cache(page, mapping(), 0))
		abort();
	put_page(page);
	return page;
}

static void map_page(struct page *page, int pid)
{
	w->mm[pid]->pte[0][page->index] = mk_pte(page);
	atomic_fetch_add(&page->_mapcount, 1);
	get_page(page);
}

static void check_clean_world(void)
{
	struct page *page;

	make_world("mainline");
	page = cached_page();
	map_page(page, 0);
	map_page(page, 1);
	mm_debug_check();
}

static void bias_pin_without_refs(void)
{
	make_world("mainline");
	mm_debug_pin(cached_page(), 1);
	mm_debug_check();
}

static void bias_pin_with_refs(void)
{
	struct page *page;

	make_world("mainline");
	page = cached_page();
	mm_debug_pin(page, 1);
	page_ref_add(page, GUP_PIN_COUNTING_BIAS);
	mm_debug_check();
}

/* placeholder: a pin is a reference, and put_page() may drop it. */
static void none_pin_put(void)
{
	struct page *page;

	make_world("placeholder");
	page = cached_page();
	mm_debug_pin(page, 1);
	mm_debug_check();
}

static void exact_pincount_wrong(void)
{
	struct page *page;

	make_world("block-bounce");
	page = cached_page();
	if (w->policy->pin != PIN_EXACT)
		abort();
	atomic_store(&page->_pincount, 1);
	mm_debug_check();
}

static void pincount_unused(void)
{
	make_world("mainline");
	atomic_store(&cached_page()->_pincount, 1);
	mm_debug_check();
}

static void mapcount_without_pte(void)
{
	make_world("mainline");
	atomic_fetch_add(&cached_page()->_mapcount, 1);
	mm_debug_check();
}

/* try_to_unmap_one() between clearing the entry and dropping the mapcount. */
static void unmap_in_progress(void)
{
	make_world("mainline");
	atomic_fetch_add(&cached_page()->_mapcount, 1);
	w->mm[0]->ptl.owner = sim_task(0);
	mm_debug_check();
}

static void refcount_negative(void)
{
	make_world("mainline");
	atomic_store(&alloc_page(w)->_refcount, -1);
	mm_debug_check();
}

static void tasks_too_many(void)
{
	make_world("mainline");
	w->nr_tasks = NR_TASKS_MAX + 1;
	mm_debug_check();
}

static void pte_without_mapcount(void)
{
	struct page *page;

	make_world("mainline");
	page = cached_page();
	w->mm[1]->pte[0][0] = mk_pte(page);
	mm_debug_check();
}

static void writeback_without_bio(void)
{
	make_world("mainline");
	atomic_fetch_or(&cached_page()->flags, BIT(PG_writeback));
	mm_debug_check();
}

static void writeback_with_bio(void)
{
	struct page *page;

	make_world("mainline");
	page = cached_page();
	atomic_fetch_or(&page->flags, BIT(PG_writeback));
	if (!bio_alloc(page, 0, true))
		abort();
	mm_debug_check();
}

static void writeback_bio_done(void)
{
	struct page *page;
	struct bio *bio;

	make_world("mainline");
	page = cached_page();
	atomic_fetch_or(&page->flags, BIT(PG_writeback));
	bio = bio_alloc(page, 0, true);
	if (!bio)
		abort();
	mm_debug_bio_done(bio);
	mm_debug_check();
}

static void freed_with_refs(void)
{
	struct page *page;

	make_world("mainline");
	page = alloc_page(w);
	page->freed = true;
	mm_debug_check();
}

static void freed_with_mapping(void)
{
	struct page *page;

	make_world("mainline");
	page = alloc_page(w);
	atomic_store(&page->_refcount, 0);
	page->freed = true;
	page->mapping = mapping();
	mm_debug_check();
}

static void freed_but_mapped(void)
{
	struct page *page;

	make_world("mainline");
	page = alloc_page(w);
	atomic_store(&page->_refcount, 0);
	page->freed = true;
	w->mm[0]->pte[0][1] = mk_pte(page);
	mm_debug_check();
}

static void private_without_buffers(void)
{
	make_world("mainline");
	atomic_fetch_or(&cached_page()->flags, BIT(PG_private));
	mm_debug_check();
}

static void nrpages_wrong(void)
{
	make_world("mainline");
	cached_page();
	mapping()->nrpages = 2;
	mm_debug_check();
}

static void cached_at_wrong_index(void)
{
	struct page *page;

	make_world("mainline");
	page = cached_page();
	mapping()->i_pages[1] = page;
	mapping()->nrpages++;
	mm_debug_check();
}

static void cached_unreferenced(void)
{
	make_world("mainline");
	atomic_store(&cached_page()->_refcount, 0);
	mm_debug_check();
}

static void mapping_host_wrong(void)
{
	make_world("mainline");
	mapping()->host = NULL;
	mm_debug_check();
}

static void size_wrong(void)
{
	make_world("mainline");
	w->inodes[0]->i_size = MM_PAGES_MAX + 1;
	mm_debug_check();
}

static void block_unallocated(void)
{
	make_world("mainline");
	w->inodes[0]->i_blocks[1] = w->disk->nr_blocks;
	mm_debug_check();
}

static void blocks_overflow(void)
{
	make_world("mainline");
	w->disk->nr_blocks = w->disk->max_blocks + 1;
	mm_debug_check();
}

static void lease_by_nobody(void)
{
	static struct file_lease fl = { .fl_owner = 5, .fl_flags = FL_LAYOUT };

	make_world("mainline");
	w->flctx[0].flc_lease[5] = &fl;
	mm_debug_check();
}

static void pte_without_page(void)
{
	make_world("mainline");
	w->mm[0]->pte[0][0].present = true;
	mm_debug_check();
}

static void after_bug_nothing_checked(void)
{
	make_world("mainline");
	w->disk->nr_blocks = -1;
	flag_raise(PLF_BUG, "test");
	mm_debug_check();
}

static void test_mm_invariants(void **state)
{
	static const struct inv_case cases[] = {
		{ refcount_negative, "page-refcount-nonnegative" },
		{ tasks_too_many, "world-sizes" },
		{ bias_pin_without_refs, "page-refcount-covers-pins" },
		{ exact_pincount_wrong, "page-pincount-exact" },
		{ pincount_unused, "page-pincount-unused" },
		{ mapcount_without_pte, "page-mapcount-is-ptes" },
		{ pte_without_mapcount, "page-mapcount-is-ptes" },
		{ writeback_without_bio, "page-writeback-has-bio" },
		{ writeback_bio_done, "page-writeback-has-bio" },
		{ freed_with_refs, "page-freed-unreferenced" },
		{ freed_with_mapping, "page-freed-unreachable" },
		{ freed_but_mapped, "pte-page-live" },
		{ private_without_buffers, "page-private-has-buffers" },
		{ nrpages_wrong, "mapping-nrpages" },
		{ cached_at_wrong_index, "mapping-page-points-back" },
		{ cached_unreferenced, "mapping-page-referenced" },
		{ mapping_host_wrong, "mapping-host" },
		{ size_wrong, "inode-size" },
		{ block_unallocated, "inode-block-allocated" },
		{ blocks_overflow, "world-blocks" },
		{ lease_by_nobody, "world-lease-holders" },
		{ pte_without_page, "pte-maps-a-page" },
	};
	(void)state;
	expect_broken(cases, ARRAY_SIZE(cases));
	expect_quiet(check_clean_world);
	expect_quiet(bias_pin_with_refs);
	expect_quiet(writeback_with_bio);
	expect_quiet(unmap_in_progress);
	expect_quiet(none_pin_put);
	expect_quiet(after_bug_nothing_checked);
}

/* ---- the explorer's nodes ---- */

static struct explore_opts opts;
static struct explore_stats stats;
static struct node nodes[2];
static struct step steps[2];
static struct footprint pool[4];
static struct explorer x;

static int idle(void *arg)
{
	(void)arg;
	return 0;
}

/* Two runnable tasks, and a DPOR path whose root chose P0 with nothing else explored. */
static void make_path(void)
{
	sim_reset();
	if (!kthread_run(idle, NULL, "a") || !kthread_run(idle, NULL, "b"))
		abort();
	explore_opts_default(&opts);
	memset(nodes, 0, sizeof(nodes));
	memset(steps, 0, sizeof(steps));
	memset(pool, 0, sizeof(pool));
	x = (struct explorer){
		.o = &opts, .st = &stats, .dpor = true, .sleepsets = true,
		.nodes = nodes, .nr_nodes = 1, .cap_nodes = 2,
		.steps = steps, .pool = pool, .pool_cap = 4,
	};
	nodes[0] = (struct node){ .enabled = 3, .backtrack = 1, .chosen = 0, .prev = -1 };
}

/**
 * NODE_CASE() - a case: a path from @make, changed, then node @i checked
 * @name: the case function
 * @make: the path (make_path() or make_path2(...))
 * @i:    the node explore_check_node() checks
 * @...:  the statements that change the path first (none: it is left as made)
 */
#define NODE_CASE(name, make, i, ...)					\
static void name(void)							\
{									\
	make;								\
	__VA_ARGS__;							\
	explore_check_node(&x, i);					\
}

NODE_CASE(node_ok, make_path(), 0)
NODE_CASE(node_done_disabled, make_path(), 0, nodes[0].done = 4)
NODE_CASE(node_enabled_stale, make_path(), 0, nodes[0].enabled = 1)
NODE_CASE(node_chosen_asleep, make_path(), 0, nodes[0].sleep = 1)
NODE_CASE(node_chosen_not_backtrack, make_path(), 0, nodes[0].backtrack = 2)
NODE_CASE(node_backtrack_disabled, make_path(), 0, nodes[0].backtrack = 1 | 8)
NODE_CASE(node_chosen_disabled, make_path(), 0,
	  nodes[0].chosen = 2; nodes[0].backtrack = 4)
NODE_CASE(node_sleep_done, make_path(), 0,
	  nodes[0].chosen = 1; nodes[0].backtrack = 3; nodes[0].done = 1;
	  nodes[0].sleep = 1; x.pool_top = 1)
NODE_CASE(pool_mark_past_top, make_path(), 0, nodes[0].pool_mark = 1)
NODE_CASE(pool_index_dead, make_path(), 0,
	  nodes[0].chosen = 1; nodes[0].backtrack = 3; nodes[0].done = 1;
	  nodes[0].fpi[0] = 2; x.pool_top = 1)

/* Node 1 after P0 at the root; P1 was explored there before, its step touched pool[0]. */
static void make_path2(bool p1_conflicts)
{
	static int obj_a, obj_b;

	make_path();
	nodes[0].chosen = 0;
	nodes[0].backtrack = 3;
	nodes[0].done = 2;
	nodes[0].fpi[1] = 0;
	pool[0] = (struct footprint){ .n = 1, .ent = { { &obj_a, KACC_WRITE } } };
	steps[0].fp = (struct footprint){ .n = 1,
		.ent = { { p1_conflicts ? (void *)&obj_a : (void *)&obj_b, KACC_WRITE } } };
	x.pool_top = 1;
	x.nr_nodes = 2;
	nodes[1] = (struct node){ .enabled = 3, .backtrack = 1, .chosen = 0, .prev = 0,
				  .pool_mark = 1 };
}

NODE_CASE(sleep_rule_ok, make_path2(false), 1, nodes[1].sleep = 2; nodes[1].fpi[1] = 0)
NODE_CASE(sleep_missing, make_path2(false), 1)
NODE_CASE(sleep_despite_conflict, make_path2(true), 1, nodes[1].sleep = 2)
NODE_CASE(sleep_from_nowhere, make_path2(false), 1, nodes[0].done = 0; nodes[1].sleep = 2)
NODE_CASE(pool_marks_decrease, make_path2(false), 1,
	  nodes[1].sleep = 2; nodes[0].pool_mark = 1; nodes[1].pool_mark = 0)

static void test_explorer_invariants(void **state)
{
	static const struct inv_case cases[] = {
		{ node_done_disabled, "node-done-subset-enabled" },
		{ node_enabled_stale, "node-enabled-is-runnable" },
		{ node_chosen_asleep, "sleep-chosen-not-asleep" },
		{ node_chosen_not_backtrack, "node-chosen-in-backtrack" },
		{ node_backtrack_disabled, "node-backtrack-subset-enabled" },
		{ node_chosen_disabled, "node-chosen-enabled" },
		{ node_sleep_done, "sleep-disjoint-done" },
		{ pool_mark_past_top, "pool-marks-monotone" },
		{ pool_index_dead, "pool-index-live" },
		{ sleep_missing, "sleep-independent-of-step" },
		{ sleep_despite_conflict, "sleep-independent-of-step" },
		{ sleep_from_nowhere, "sleep-inherited" },
		{ pool_marks_decrease, "pool-marks-monotone" },
	};
	(void)state;
	expect_broken(cases, ARRAY_SIZE(cases));
	expect_quiet(node_ok);
	expect_quiet(sleep_rule_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audit_writes),
		cmocka_unit_test(test_audit_reads),
		cmocka_unit_test(test_lock_order),
		cmocka_unit_test(test_mm_invariants),
		cmocka_unit_test(test_explorer_invariants),
	};

	return cmocka_run_group_tests(tests, sim_group_setup, NULL);
}
