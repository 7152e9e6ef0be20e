/* test_kernel_sim.c - unit tests of the kernel primitives on the sim back end, stepped by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <pinlab/atomic.h>
#include <pinlab/bug.h>
#include <pinlab/completion.h>
#include <pinlab/mutex.h>
#include <pinlab/sched.h>
#include <pinlab/sim.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>

/*
 * The tests play the explorer: they pick which runnable task takes the next
 * step.  Tasks run on the sim's own stacks, where a cmocka assertion must
 * not fire (it would longjmp off the coroutine), so tasks record what they
 * see in globals and the test body asserts.
 */

#define STEP_LIMIT	10000	/* steps before a run is declared a livelock */
#define REUSE_ROUNDS	10000	/* executions of the stack reuse test */

/* Picks the next task to run among @mask (never empty). */
typedef int (*pick_fn)(u32 mask);

static int pick_lowest(u32 mask)
{
	return __builtin_ctz(mask);
}

static int pick_highest(u32 mask)
{
	return 31 - __builtin_clz(mask);
}

/* Round-robin: the first runnable pid after the one picked last. */
static int rr_last = -1;

static int pick_round_robin(u32 mask)
{
	u32 after = mask & ~(BIT(rr_last + 1) - 1);

	rr_last = __builtin_ctz(after ? after : mask);
	return rr_last;
}

/* A fixed pseudo-random schedule: the same on every run. */
static u32 lcg_state;

static int pick_fixed_random(u32 mask)
{
	int k;

	lcg_state = lcg_state * 1103515245u + 12345u;
	for (k = (lcg_state >> 16) % __builtin_popcount(mask); k; k--)
		mask &= mask - 1;
	return __builtin_ctz(mask);
}

static void reset_pickers(void)
{
	rr_last = -1;
	lcg_state = 2018;
}

/* Step the tasks @pick chooses until none is runnable; Return: steps taken. */
static int run_until_idle(pick_fn pick)
{
	int steps = 0;
	u32 mask;

	while ((mask = sim_runnable_mask()) && steps < STEP_LIMIT) {
		sim_step(pick(mask));
		steps++;
	}
	return steps;
}

/* Take the steps @sched lists, checking that each chosen task was runnable. */
static void run_schedule(const int *sched, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		assert_true(sim_runnable_mask() & BIT(sched[i]));
		sim_step(sched[i]);
	}
}

static const pick_fn pickers[] = {
	pick_lowest, pick_highest, pick_round_robin, pick_fixed_random,
};

/* ---- lost update ------------------------------------------------------- */

static int lu_x;	/* the racy counter */

static int lost_update_task(void *arg)
{
	int v;

	(void)arg;
	kobj_read(&lu_x);
	v = lu_x;
	sched_point(&lu_x, KACC_WRITE);
	lu_x = v + 1;
	return 0;
}

static void lost_update_run(const int *sched, int n)
{
	sim_reset();
	lu_x = 0;
	assert_non_null(kthread_run(lost_update_task, NULL, "inc0"));
	assert_non_null(kthread_run(lost_update_task, NULL, "inc1"));
	run_schedule(sched, n);
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), 0);
}

static void test_lost_update(void **state)
{
	static const int interleaved[] = { 0, 1, 0, 1 };
	static const int serial[] = { 0, 0, 1, 1 };

	(void)state;
	lost_update_run(interleaved, 4);
	assert_int_equal(lu_x, 1);
	lost_update_run(serial, 4);
	assert_int_equal(lu_x, 2);
}

/* ---- task table ----------------------------------------------------------- */

static struct task_struct *seen_current[NR_TASKS_MAX];	/* current, per pid */

static int record_current(void *arg)
{
	(void)arg;
	seen_current[current->pid] = current;
	return 0;
}

static void test_kthread_table(void **state)
{
	struct task_struct *t;
	int i;

	(void)state;
	sim_reset();
	memset(seen_current, 0, sizeof(seen_current));
	for (i = 0; i < NR_TASKS_MAX; i++) {
		t = kthread_run(record_current, NULL, "task");
		assert_non_null(t);
		assert_int_equal(t->pid, i);
		assert_int_equal(t->state, TASK_NEW);
		assert_ptr_equal(sim_task(i), t);
	}
	assert_null(kthread_run(record_current, NULL, "one too many"));
	assert_int_equal(sim_nr_tasks(), NR_TASKS_MAX);
	assert_int_equal(sim_runnable_mask(), (u32)(BIT(NR_TASKS_MAX) - 1));
	assert_null(current);

	for (i = NR_TASKS_MAX - 1; i >= 0; i--)
		assert_int_equal(sim_step(i), SIM_EXITED);
	assert_null(current);
	assert_int_equal(sim_runnable_mask(), 0);
	for (i = 0; i < NR_TASKS_MAX; i++) {
		assert_ptr_equal(seen_current[i], sim_task(i));
		assert_int_equal(sim_task(i)->state, TASK_DEAD);
	}
}

/* ---- locks ------------------------------------------------------------ */

/**
 * struct lock_test - shared state of the lock tests
 * @m:       the mutex
 * @s:       the spinlock
 * @x:       counter incremented under the lock, across a scheduling point
 * @inside:  tasks inside the critical section
 * @overlap: critical sections entered while another task was inside
 * @use_spin: lock with @s rather than @m
 * @no_lock: take no lock at all (the control run)
 * @iters:   critical sections per task
 */
static struct lock_test {
	struct mutex m;
	spinlock_t s;
	int x;
	int inside;
	int overlap;
	bool use_spin;
	bool no_lock;
	int iters;
} lt;

static void lt_lock(void)
{
	if (lt.no_lock)
		return;
	if (lt.use_spin)
		spin_lock(&lt.s);
	else
		mutex_lock(&lt.m);
}

static void lt_unlock(void)
{
	if (lt.no_lock)
		return;
	if (lt.use_spin)
		spin_unlock(&lt.s);
	else
		mutex_unlock(&lt.m);
}

static int counter_task(void *arg)
{
	int i, v;

	(void)arg;
	for (i = 0; i < lt.iters; i++) {
		lt_lock();
		if (lt.inside++)
			lt.overlap++;
		kobj_read(&lt.x);
		v = lt.x;
		sched_point(&lt.x, KACC_WRITE);
		lt.x = v + 1;
		lt.inside--;
		lt_unlock();
	}
	return 0;
}

static void lt_reset(bool use_spin, bool no_lock, int iters)
{
	sim_reset();
	reset_pickers();
	mutex_init(&lt.m);
	spin_lock_init(&lt.s);
	lt.x = 0;
	lt.inside = 0;
	lt.overlap = 0;
	lt.use_spin = use_spin;
	lt.no_lock = no_lock;
	lt.iters = iters;
}

/* Three tasks, five increments each, under every picker. */
static void lock_counter_all_pickers(bool use_spin)
{
	size_t p;
	int i;

	for (p = 0; p < ARRAY_SIZE(pickers); p++) {
		lt_reset(use_spin, false, 5);
		for (i = 0; i < 3; i++)
			assert_non_null(kthread_run(counter_task, NULL, "inc"));
		assert_true(run_until_idle(pickers[p]) < STEP_LIMIT);
		assert_int_equal(sim_blocked_mask(), 0);
		assert_int_equal(lt.overlap, 0);
		assert_int_equal(lt.x, 15);
		assert_false(mutex_is_locked(&lt.m));
		assert_false(spin_is_locked(&lt.s));
	}
}

static void test_mutex_counter(void **state)
{
	(void)state;
	lock_counter_all_pickers(false);
}

static void test_spin_lock_counter(void **state)
{
	(void)state;
	lock_counter_all_pickers(true);
}

/* The control: without the lock, round-robin loses updates and overlaps. */
static void test_counter_without_lock_races(void **state)
{
	int i;

	(void)state;
	lt_reset(false, true, 5);
	for (i = 0; i < 3; i++)
		assert_non_null(kthread_run(counter_task, NULL, "inc"));
	run_until_idle(pick_round_robin);
	assert_true(lt.overlap > 0);
	assert_true(lt.x < 15);
}

/* Step by step: a task whose next step takes a held mutex cannot run until the unlock. */
static void test_mutex_blocks_and_wakes(void **state)
{
	static const int take[] = { 0, 0, 1 };

	(void)state;
	lt_reset(false, false, 1);
	assert_non_null(kthread_run(counter_task, NULL, "holder"));
	assert_non_null(kthread_run(counter_task, NULL, "waiter"));
	run_schedule(take, 3);		/* 0 holds m and parks inside; 1 parks at mutex_lock */
	assert_ptr_equal(lt.m.owner, sim_task(0));
	assert_true(mutex_is_locked(&lt.m));
	assert_int_equal(sim_runnable_mask(), BIT(0));	/* no step to find it held */
	assert_int_equal(sim_blocked_mask(), BIT(1));
	assert_ptr_equal(sim_task(1)->wait_obj, &lt.m);

	assert_int_equal(sim_step(0), SIM_EXITED);	/* increments, unlocks, returns */
	assert_int_equal(sim_runnable_mask(), BIT(1));
	assert_int_equal(sim_blocked_mask(), 0);
	assert_false(mutex_is_locked(&lt.m));

	assert_int_equal(sim_step(1), SIM_PARKED);	/* takes m, parks inside */
	assert_ptr_equal(lt.m.owner, sim_task(1));
	assert_int_equal(sim_step(1), SIM_EXITED);
	assert_int_equal(lt.x, 2);
	assert_int_equal(lt.overlap, 0);
}

/**
 * struct try_test - what a task trying a held lock got
 * @first:  the try while the other task held the lock
 * @second: the try after the other task released it
 */
static struct try_test {
	bool first;
	bool second;
} tt;

static bool lt_trylock(void)
{
	return lt.use_spin ? spin_trylock(&lt.s) : mutex_trylock(&lt.m);
}

static int try_task(void *arg)
{
	(void)arg;
	tt.first = lt_trylock();
	if (tt.first)
		lt_unlock();
	sched_point(NULL, KACC_READ);
	tt.second = lt_trylock();
	if (tt.second)
		lt_unlock();
	return 0;
}

/* 0 takes the lock and parks inside; 1 tries; 0 releases; 1 tries again. */
static void trylock_run(bool use_spin)
{
	static const int sched[] = { 0, 0, 1, 1, 0, 1, 1 };

	lt_reset(use_spin, false, 1);
	tt.first = true;
	tt.second = false;
	assert_non_null(kthread_run(counter_task, NULL, "holder"));
	assert_non_null(kthread_run(try_task, NULL, "trier"));
	run_schedule(sched, ARRAY_SIZE(sched));
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), 0);
	assert_false(tt.first);
	assert_true(tt.second);
	assert_false(mutex_is_locked(&lt.m));
	assert_false(spin_is_locked(&lt.s));
}

static void test_trylock(void **state)
{
	(void)state;
	trylock_run(false);
	trylock_run(true);
}

/**
 * struct abba_test - two mutexes taken in opposite orders
 * @a:    first mutex of task 0, second of task 1
 * @b:    second mutex of task 0, first of task 1
 * @done: tasks that got both
 */
static struct abba_test {
	struct mutex a;
	struct mutex b;
	int done;
} ab;

static int abba_task(void *arg)
{
	struct mutex *first = arg ? &ab.b : &ab.a;
	struct mutex *second = arg ? &ab.a : &ab.b;

	mutex_lock(first);
	mutex_lock(second);
	ab.done++;
	mutex_unlock(second);
	mutex_unlock(first);
	return 0;
}

static void abba_start(void)
{
	sim_reset();
	reset_pickers();
	mutex_init(&ab.a);
	mutex_init(&ab.b);
	ab.done = 0;
	assert_non_null(kthread_run(abba_task, NULL, "ab"));
	assert_non_null(kthread_run(abba_task, &ab, "ba"));
}

static void test_abba_deadlock(void **state)
{
	static const int deadly[] = { 0, 0, 1, 1 };

	(void)state;
	abba_start();
	run_schedule(deadly, 4);	/* each holds its first mutex, parked at its second */
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), BIT(0) | BIT(1));
	assert_ptr_equal(sim_task(0)->wait_obj, &ab.b);
	assert_ptr_equal(sim_task(1)->wait_obj, &ab.a);
	assert_int_equal(ab.done, 0);

	/* Serial schedules do not deadlock. */
	abba_start();
	run_until_idle(pick_lowest);
	assert_int_equal(sim_blocked_mask(), 0);
	assert_int_equal(ab.done, 2);
}

/* ---- wait queues and completions ----------------------------------------- */

/**
 * struct wq_test - a flag waited for on a wait queue
 * @wq:    the wait queue
 * @flag:  the condition's variable
 * @woken: the sleeper saw @flag set
 */
static struct wq_test {
	struct wait_queue_head wq;
	int flag;
	bool woken;
} wt;

static bool wt_flag_set(void)
{
	kobj_read(&wt.flag);
	return wt.flag;
}

static int wq_sleeper(void *arg)
{
	(void)arg;
	wait_event(&wt.wq, wt_flag_set());
	wt.woken = true;
	return 0;
}

static int wq_waker(void *arg)
{
	(void)arg;
	kobj_write(&wt.flag);
	wt.flag = 1;
	wake_up(&wt.wq);
	return 0;
}

static void test_wait_event_wake_up(void **state)
{
	(void)state;
	sim_reset();
	init_waitqueue_head(&wt.wq);
	wt.flag = 0;
	wt.woken = false;
	assert_non_null(kthread_run(wq_sleeper, NULL, "sleeper"));
	assert_non_null(kthread_run(wq_waker, NULL, "waker"));

	assert_int_equal(sim_step(0), SIM_PARKED);	/* to the condition's step */
	assert_int_equal(sim_step(0), SIM_BLOCKED);	/* false: sleeps */
	assert_int_equal(sim_blocked_mask(), BIT(0));
	assert_int_equal(sim_runnable_mask(), BIT(1));

	assert_int_equal(sim_step(1), SIM_EXITED);	/* sets the flag, wakes */
	assert_int_equal(sim_blocked_mask(), 0);
	assert_int_equal(sim_runnable_mask(), BIT(0));
	assert_false(wt.woken);

	run_until_idle(pick_lowest);
	assert_true(wt.woken);
	assert_int_equal(sim_task(0)->state, TASK_DEAD);
}

/* The waker runs first: the sleeper never sleeps. */
static void test_wait_event_no_sleep(void **state)
{
	(void)state;
	sim_reset();
	init_waitqueue_head(&wt.wq);
	wt.flag = 0;
	wt.woken = false;
	assert_non_null(kthread_run(wq_sleeper, NULL, "sleeper"));
	assert_non_null(kthread_run(wq_waker, NULL, "waker"));
	assert_int_equal(sim_step(1), SIM_EXITED);
	assert_int_equal(sim_step(0), SIM_PARKED);
	assert_int_equal(sim_step(0), SIM_EXITED);
	assert_true(wt.woken);
}

/**
 * struct comp_test - ordering through a completion
 * @c:     the completion
 * @order: pids in the order they passed their marker
 * @n:     entries used in @order
 */
static struct comp_test {
	struct completion c;
	int order[NR_TASKS_MAX];
	int n;
} ct;

static int comp_waiter(void *arg)
{
	(void)arg;
	wait_for_completion(&ct.c);
	ct.order[ct.n++] = current->pid;
	return 0;
}

static int comp_signaller(void *arg)
{
	ct.order[ct.n++] = current->pid;
	if (arg)
		complete_all(&ct.c);
	else
		complete(&ct.c);
	return 0;
}

static void comp_start(int waiters, bool all)
{
	int i;

	sim_reset();
	reset_pickers();
	init_completion(&ct.c);
	ct.n = 0;
	for (i = 0; i < waiters; i++)
		assert_non_null(kthread_run(comp_waiter, NULL, "waiter"));
	assert_non_null(kthread_run(comp_signaller, all ? &ct : NULL, "signaller"));
}

/* Under every picker the signaller passes its marker before the waiter. */
static void test_completion_order(void **state)
{
	size_t p;

	(void)state;
	for (p = 0; p < ARRAY_SIZE(pickers); p++) {
		comp_start(1, false);
		assert_true(run_until_idle(pickers[p]) < STEP_LIMIT);
		assert_int_equal(sim_blocked_mask(), 0);
		assert_int_equal(ct.n, 2);
		assert_int_equal(ct.order[0], 1);
		assert_int_equal(ct.order[1], 0);
		assert_false(completion_done(&ct.c));
	}
}

/* One complete() releases one of two waiters; the other sleeps for good. */
static void test_completion_counted(void **state)
{
	(void)state;
	comp_start(2, false);
	run_until_idle(pick_round_robin);
	assert_int_equal(ct.n, 2);
	assert_int_equal(ct.order[0], 2);
	assert_int_equal(__builtin_popcount(sim_blocked_mask()), 1);
	assert_int_equal(sim_runnable_mask(), 0);
}

static void test_completion_all(void **state)
{
	size_t p;

	(void)state;
	for (p = 0; p < ARRAY_SIZE(pickers); p++) {
		comp_start(3, true);
		assert_true(run_until_idle(pickers[p]) < STEP_LIMIT);
		assert_int_equal(sim_blocked_mask(), 0);
		assert_int_equal(ct.n, 4);
		assert_int_equal(ct.order[0], 3);
		assert_true(completion_done(&ct.c));
	}
}

/* ---- footprints and labels ----------------------------------------------- */

static atomic_t fv;	/* added to by atomic_inc() */
static atomic_t fw;	/* read by atomic_read() */

static int footprint_task(void *arg)
{
	(void)arg;
	atomic_inc(&fv);
	atomic_read(&fw);
	return 0;
}

/* Does @fp hold @obj with exactly @mode? */
static bool fp_has(const struct footprint *fp, const void *obj, u8 mode)
{
	int i;

	for (i = 0; i < fp->n; i++) {
		if (fp->ent[i].obj == obj)
			return fp->ent[i].mode == mode;
	}
	return false;
}

static void test_footprint_atomic(void **state)
{
	const struct footprint *fp;

	(void)state;
	sim_reset();
	atomic_init_plain(&fv, 0);
	atomic_init_plain(&fw, 0);
	assert_non_null(kthread_run(footprint_task, NULL, "fp"));

	assert_int_equal(sim_step(0), SIM_PARKED);	/* to atomic_inc()'s point */
	assert_string_equal(sim_step_label(), "kthread");	/* a new task starts in kthread */
	assert_int_equal(sim_footprint()->n, 0);
	assert_int_equal(atomic_load(&fv.counter), 0);

	assert_int_equal(sim_step(0), SIM_PARKED);	/* the increment */
	assert_string_equal(sim_step_label(), "atomic_add");
	fp = sim_footprint();
	assert_int_equal(fp->n, 1);
	assert_false(fp->global);
	assert_true(fp_has(fp, &fv, KACC_ADD));	/* unobserved: commutes with adds */
	assert_int_equal(atomic_load(&fv.counter), 1);

	assert_int_equal(sim_step(0), SIM_EXITED);	/* the read */
	assert_string_equal(sim_step_label(), "atomic_read");
	assert_true(fp_has(sim_footprint(), &fw, KACC_READ));
	assert_false(fp_has(sim_footprint(), &fv, KACC_WRITE));
	assert_int_equal(sim_steps_taken(), 3);
}

static int fp_objs[FOOTPRINT_MAX + 1];	/* distinct objects for one step */

static int footprint_many_task(void *arg)
{
	int i, n = *(int *)arg;

	sched_point(&fp_objs[0], KACC_READ);
	kobj_write(&fp_objs[0]);
	for (i = 1; i < n; i++)
		kobj_read(&fp_objs[i]);
	return 0;
}

/* Accesses to one object merge; one object too many makes the step global. */
static void test_footprint_merge_and_overflow(void **state)
{
	int n = FOOTPRINT_MAX;

	(void)state;
	sim_reset();
	assert_non_null(kthread_run(footprint_many_task, &n, "many"));
	sim_step(0);
	sim_step(0);
	assert_string_equal(sim_step_label(), "footprint_many_task");
	assert_int_equal(sim_footprint()->n, FOOTPRINT_MAX);
	assert_false(sim_footprint()->global);
	assert_true(fp_has(sim_footprint(), &fp_objs[0], KACC_READ | KACC_WRITE));
	assert_true(fp_has(sim_footprint(), &fp_objs[1], KACC_READ));

	n = FOOTPRINT_MAX + 1;
	sim_reset();
	assert_non_null(kthread_run(footprint_many_task, &n, "many"));
	sim_step(0);
	sim_step(0);
	assert_true(sim_footprint()->global);
}

/*
 * No step finds the lock held: the holder's last step releases it, the
 * waiter's next one acquires it, and a trylock reads it (and writes and
 * acquires it when it takes it).
 */
static void test_footprint_lock(void **state)
{
	static const int take[] = { 0, 0, 1 };

	(void)state;
	lt_reset(false, false, 1);
	assert_non_null(kthread_run(counter_task, NULL, "holder"));
	assert_non_null(kthread_run(counter_task, NULL, "waiter"));
	run_schedule(take, 3);
	assert_int_equal(sim_step(0), SIM_EXITED);
	assert_true(fp_has(sim_footprint(), &lt.m, KACC_RELEASE));
	assert_true(fp_has(sim_footprint(), &lt.x, KACC_WRITE));
	assert_int_equal(sim_step(1), SIM_PARKED);
	assert_string_equal(sim_step_label(), "mutex_lock");
	assert_true(fp_has(sim_footprint(), &lt.m, KACC_ACQUIRE));

	lt_reset(false, false, 1);
	assert_non_null(kthread_run(try_task, NULL, "trier"));
	sim_step(0);
	assert_int_equal(sim_step(0), SIM_PARKED);	/* takes it, releases it */
	assert_true(fp_has(sim_footprint(), &lt.m,
			   KACC_READ | KACC_WRITE | KACC_TRY | KACC_RELEASE));
}

/* ---- BUG_ON and WARN_ON ------------------------------------------------- */

static int bug_after;	/* the BUG task ran past its BUG_ON() */
static int bug_other;	/* steps the bystander completed */

static int bug_task(void *arg)
{
	int val = *(int *)arg;

	sched_point(NULL, KACC_READ);
	BUG_ON(val == 7);
	bug_after = 1;
	return 0;
}

static int bystander_task(void *arg)
{
	(void)arg;
	sched_point(NULL, KACC_READ);
	bug_other++;
	sched_point(NULL, KACC_READ);
	bug_other++;
	return 0;
}

static void test_bug_on_kills_only_its_task(void **state)
{
	const struct flag_report *rep;
	int val = 7;

	(void)state;
	sim_reset();
	flags_reset();
	bug_after = 0;
	bug_other = 0;
	assert_non_null(kthread_run(bug_task, &val, "buggy"));
	assert_non_null(kthread_run(bystander_task, NULL, "bystander"));
	assert_int_equal(sim_step(0), SIM_PARKED);
	assert_int_equal(sim_step(1), SIM_PARKED);
	assert_int_equal(sim_step(0), SIM_EXITED);
	assert_int_equal(sim_task(0)->state, TASK_DEAD);
	assert_int_equal(sim_runnable_mask(), BIT(1));
	assert_null(current);

	rep = flags_get();
	assert_true(rep->mask & BIT(PLF_BUG));
	assert_int_equal(rep->step[PLF_BUG], 2);	/* the third step, index 2 */
	assert_non_null(strstr(rep->what[PLF_BUG], "val == 7"));
	assert_non_null(strstr(rep->what[PLF_BUG], "bug_task"));

	run_until_idle(pick_lowest);
	assert_int_equal(bug_after, 0);
	assert_int_equal(bug_other, 2);
}

static int warn_after;	/* the warning task carried on */

static int warn_task(void *arg)
{
	int val = *(int *)arg;

	sched_point(NULL, KACC_READ);
	if (WARN_ON(val == 42))
		warn_after = 1;
	return 0;
}

static void test_warn_on(void **state)
{
	const struct flag_report *rep;
	int val = 42;

	(void)state;
	sim_reset();
	flags_reset();
	warn_after = 0;
	assert_non_null(kthread_run(warn_task, &val, "warner"));
	run_until_idle(pick_lowest);
	rep = flags_get();
	assert_int_equal(rep->mask, BIT(PLF_WARN));
	assert_int_equal(rep->step[PLF_WARN], 1);	/* the second step, index 1 */
	assert_non_null(strstr(rep->what[PLF_WARN], "val == 42"));
	assert_non_null(strstr(rep->what[PLF_WARN], "warn_task"));
	assert_int_equal(warn_after, 1);
}

/* ---- reuse across executions --------------------------------------------- */

static int tiny_task(void *arg)
{
	(void)arg;
	sched_point(NULL, KACC_READ);
	return 0;
}

static int stuck_task(void *arg)
{
	(void)arg;
	wait_event(&wt.wq, wt_flag_set());	/* never woken: abandoned by sim_reset() */
	return 0;
}

static int bug_always_task(void *arg)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%p", arg);
	BUG_ON(buf[0]);
	return 0;
}

/* Mappings of this process: constant when stacks are reused. */
static int count_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* One tiny execution: a task that ends, one left asleep, one killed by BUG(). */
static void reuse_round(int round)
{
	sim_reset();
	flags_reset();
	init_waitqueue_head(&wt.wq);
	wt.flag = 0;
	assert_non_null(kthread_run(tiny_task, NULL, "tiny"));
	assert_non_null(kthread_run(stuck_task, NULL, "stuck"));
	assert_non_null(kthread_run(bug_always_task, NULL, "bug"));
	run_until_idle(round & 1 ? pick_highest : pick_lowest);
	assert_int_equal(sim_blocked_mask(), BIT(1));
	assert_int_equal(flags_get()->mask, BIT(PLF_BUG));
}

static void test_stack_reuse(void **state)
{
	void *stacks[3];
	int i, maps;

	(void)state;
	reuse_round(0);
	for (i = 0; i < 3; i++)
		stacks[i] = sim_task(i)->stack;
	maps = count_mappings();
	for (i = 1; i < REUSE_ROUNDS; i++)
		reuse_round(i);
	for (i = 0; i < 3; i++)
		assert_ptr_equal(sim_task(i)->stack, stacks[i]);
	assert_int_equal(count_mappings(), maps);
}

/* ---- a daemon created asleep ------------------------------------------- */

/*
 * kthread_run_idle(): a server that takes no step until a client wakes it,
 * is never counted as blocked, and whose first step follows the wake-up.
 */
static struct wait_queue_head idle_wq;
static int idle_work;		/* requests queued for the server */
static int idle_served;		/* requests it served */
static s32 idle_first_after;	/* @after of its first step */

static int idle_server(void *arg)
{
	u64 cookie;

	(void)arg;
	idle_first_after = sim_footprint()->after;
	for (;;) {
		cookie = prepare_to_wait(&idle_wq);
		kobj_read(&idle_work);
		if (!idle_work) {
			wait_sleep(&idle_wq, cookie);
			continue;
		}
		sched_point(&idle_work, KACC_WRITE);
		idle_work--;
		idle_served++;
	}
	return 0;
}

static int idle_client(void *arg)
{
	(void)arg;
	sched_point(&idle_work, KACC_WRITE);
	idle_work++;
	wake_up(&idle_wq);
	return 0;
}

static void test_kthread_run_idle(void **state)
{
	struct task_struct *srv, *cl;

	(void)state;
	sim_reset();
	init_waitqueue_head(&idle_wq);
	idle_work = idle_served = 0;
	idle_first_after = -2;
	srv = kthread_run_idle(idle_server, NULL, "device", &idle_wq);
	assert_non_null(srv);
	/* Nothing to do: not runnable, and not blocked either. */
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), 0);
	assert_int_equal(sim_daemon_mask(), BIT(srv->pid));
	cl = kthread_run(idle_client, NULL, "client");
	assert_non_null(cl);
	assert_int_equal(sim_runnable_mask(), BIT(cl->pid));
	sim_step(cl->pid);			/* to its scheduling point */
	sim_step(cl->pid);			/* queues, wakes, exits */
	assert_int_equal(sim_runnable_mask(), BIT(srv->pid));
	sim_step(srv->pid);			/* sees the work */
	assert_int_equal(idle_first_after, 1);
	sim_step(srv->pid);			/* serves it, sleeps again */
	assert_int_equal(idle_served, 1);
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), 0);
	assert_int_equal(srv->state, TASK_BLOCKED);
}

static int sim_setup(void **state)
{
	(void)state;
	kernel_set_backend(KERNEL_SIM);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lost_update),
		cmocka_unit_test(test_kthread_table),
		cmocka_unit_test(test_mutex_counter),
		cmocka_unit_test(test_spin_lock_counter),
		cmocka_unit_test(test_counter_without_lock_races),
		cmocka_unit_test(test_mutex_blocks_and_wakes),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_abba_deadlock),
		cmocka_unit_test(test_wait_event_wake_up),
		cmocka_unit_test(test_wait_event_no_sleep),
		cmocka_unit_test(test_completion_order),
		cmocka_unit_test(test_completion_counted),
		cmocka_unit_test(test_completion_all),
		cmocka_unit_test(test_footprint_atomic),
		cmocka_unit_test(test_footprint_merge_and_overflow),
		cmocka_unit_test(test_footprint_lock),
		cmocka_unit_test(test_bug_on_kills_only_its_task),
		cmocka_unit_test(test_warn_on),
		cmocka_unit_test(test_stack_reuse),
		cmocka_unit_test(test_kthread_run_idle),
	};

	return cmocka_run_group_tests(tests, sim_setup, NULL);
}
