/* test_kernel_threads.c - unit tests of the kernel primitives on the threads back end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <pinlab/atomic.h>
#include <pinlab/bug.h>
#include <pinlab/completion.h>
#include <pinlab/mutex.h>
#include <pinlab/sched.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>

/*
 * cmocka's assertions must not fire in a task thread (they longjmp to the
 * test's own stack), so tasks count what went wrong and the test body, on
 * the main thread, asserts after kthread_join_all().
 */

#define NR_WORKERS	4	/* tasks contending in each test */
#define LOCK_ITERS	20000	/* critical sections per task */
#define ATOMIC_ITERS	20000	/* atomic operations per task */
#define PC_ROUNDS	5000	/* producer/consumer hand-overs */
#define WAKE_ROUNDS	200	/* rounds of one wake_up() for many sleepers */
#define TEST_TIMEOUT	120	/* seconds before a lost wake-up kills the run */

/**
 * struct lock_test - shared state of the lock counter tests
 * @spin:    the spinlock under test
 * @mutex:   the mutex under test
 * @inside:  set by the holder while in the critical section
 * @overlap: critical sections that found another holder inside
 * @wrong:   critical sections where the lock did not look held by current
 * @ready:   workers at the start line
 * @counter: plain int incremented under the lock (TSan sees a race if the lock fails)
 */
static struct lock_test {
	spinlock_t spin;
	struct mutex mutex;
	atomic_int inside;
	atomic_int ready;
	atomic_int overlap;
	atomic_int wrong;
	int counter;
} lt;

static void lock_test_reset(void)
{
	spin_lock_init(&lt.spin);
	mutex_init(&lt.mutex);
	atomic_store(&lt.inside, 0);
	atomic_store(&lt.overlap, 0);
	atomic_store(&lt.wrong, 0);
	atomic_store(&lt.ready, 0);
	lt.counter = 0;
}

/* Hold every worker until all have started, so that they really contend. */
static void start_line(void)
{
	atomic_fetch_add(&lt.ready, 1);
	while (atomic_load(&lt.ready) < NR_WORKERS)
		sched_yield();
}

/* The body of every critical section: detects a second holder. */
static void critical_section(void)
{
	int v;

	if (atomic_exchange(&lt.inside, 1))
		atomic_fetch_add(&lt.overlap, 1);
	v = lt.counter;
	if (atomic_load(&lt.inside) != 1)
		atomic_fetch_add(&lt.overlap, 1);
	lt.counter = v + 1;
	atomic_store(&lt.inside, 0);
}

static int spin_worker(void *arg)
{
	int i;

	(void)arg;
	start_line();
	for (i = 0; i < LOCK_ITERS; i++) {
		spin_lock(&lt.spin);
		if (!spin_is_locked(&lt.spin) || lt.spin.owner != current)
			atomic_fetch_add(&lt.wrong, 1);
		critical_section();
		spin_unlock(&lt.spin);
	}
	return 0;
}

static int mutex_worker(void *arg)
{
	int i;

	(void)arg;
	start_line();
	for (i = 0; i < LOCK_ITERS; i++) {
		mutex_lock(&lt.mutex);
		if (!mutex_is_locked(&lt.mutex) || lt.mutex.owner != current)
			atomic_fetch_add(&lt.wrong, 1);
		critical_section();
		mutex_unlock(&lt.mutex);
	}
	return 0;
}

/* Start @n tasks running @fn(@arg) and wait for them all. */
static void run_tasks(int (*fn)(void *), void *arg, int n)
{
	int i;

	for (i = 0; i < n; i++)
		assert_non_null(kthread_run(fn, arg, "worker"));
	kthread_join_all();
}

static void test_spin_lock_counter(void **state)
{
	(void)state;
	lock_test_reset();
	run_tasks(spin_worker, NULL, NR_WORKERS);
	assert_int_equal(lt.counter, NR_WORKERS * LOCK_ITERS);
	assert_int_equal(atomic_load(&lt.overlap), 0);
	assert_int_equal(atomic_load(&lt.wrong), 0);
	assert_false(spin_is_locked(&lt.spin));
	assert_null(lt.spin.owner);
}

static void test_mutex_counter(void **state)
{
	(void)state;
	lock_test_reset();
	run_tasks(mutex_worker, NULL, NR_WORKERS);
	assert_int_equal(lt.counter, NR_WORKERS * LOCK_ITERS);
	assert_int_equal(atomic_load(&lt.overlap), 0);
	assert_int_equal(atomic_load(&lt.wrong), 0);
	assert_false(mutex_is_locked(&lt.mutex));
	mutex_destroy(&lt.mutex);
}

/* Spinlock and mutex try-locks from one thread: free, then held. */
static void test_trylock_single(void **state)
{
	(void)state;
	lock_test_reset();
	assert_true(spin_trylock(&lt.spin));
	assert_true(spin_is_locked(&lt.spin));
	assert_false(spin_trylock(&lt.spin));
	spin_unlock(&lt.spin);
	assert_false(spin_is_locked(&lt.spin));
	assert_true(spin_trylock(&lt.spin));
	spin_unlock(&lt.spin);

	assert_true(mutex_trylock(&lt.mutex));
	assert_false(mutex_trylock(&lt.mutex));
	mutex_unlock(&lt.mutex);
	assert_true(mutex_trylock(&lt.mutex));
	mutex_unlock(&lt.mutex);
	mutex_destroy(&lt.mutex);
}

/**
 * struct try_test - a holder task and a task trying its locks
 * @held:      completed by the holder once it holds both locks
 * @release:   completed by the tryer when the holder may let go
 * @released:  completed by the holder after releasing both locks
 * @while_held: trylocks that succeeded while the holder held the lock
 * @after:     trylocks that succeeded after the release
 * @owner_ok:  the holder saw itself as the owner of both locks
 */
static struct try_test {
	struct completion held;
	struct completion release;
	struct completion released;
	atomic_int while_held;
	atomic_int after;
	atomic_int owner_ok;
} tt;

static int try_holder(void *arg)
{
	(void)arg;
	spin_lock(&lt.spin);
	mutex_lock(&lt.mutex);
	if (lt.spin.owner == current && lt.mutex.owner == current)
		atomic_store(&tt.owner_ok, 1);
	complete(&tt.held);
	wait_for_completion(&tt.release);
	mutex_unlock(&lt.mutex);
	spin_unlock(&lt.spin);
	complete(&tt.released);
	return 0;
}

static int try_taker(void *arg)
{
	(void)arg;
	wait_for_completion(&tt.held);
	atomic_fetch_add(&tt.while_held, spin_trylock(&lt.spin));
	atomic_fetch_add(&tt.while_held, mutex_trylock(&lt.mutex));
	complete(&tt.release);
	wait_for_completion(&tt.released);
	if (spin_trylock(&lt.spin)) {
		atomic_fetch_add(&tt.after, 1);
		spin_unlock(&lt.spin);
	}
	if (mutex_trylock(&lt.mutex)) {
		atomic_fetch_add(&tt.after, 1);
		mutex_unlock(&lt.mutex);
	}
	return 0;
}

static void test_trylock_contended(void **state)
{
	(void)state;
	lock_test_reset();
	init_completion(&tt.held);
	init_completion(&tt.release);
	init_completion(&tt.released);
	atomic_store(&tt.while_held, 0);
	atomic_store(&tt.after, 0);
	atomic_store(&tt.owner_ok, 0);
	assert_non_null(kthread_run(try_taker, NULL, "taker"));
	assert_non_null(kthread_run(try_holder, NULL, "holder"));
	kthread_join_all();
	assert_int_equal(atomic_load(&tt.owner_ok), 1);
	assert_int_equal(atomic_load(&tt.while_held), 0);
	assert_int_equal(atomic_load(&tt.after), 2);
	mutex_destroy(&lt.mutex);
}

/**
 * struct pc_test - a one-slot buffer handed between a producer and a consumer
 * @not_full:  the producer waits here for @full to drop to 0
 * @not_empty: the consumer waits here for @full to become 1
 * @full:      1 while @slot holds a value not yet consumed
 * @slot:      the value; plain, ordered by @full
 * @bad:       values the consumer received out of order
 * @sum:       sum of the values received
 */
static struct pc_test {
	struct wait_queue_head not_full;
	struct wait_queue_head not_empty;
	atomic_t full;
	int slot;
	int bad;
	long sum;
} pc;

static int producer(void *arg)
{
	int i;

	(void)arg;
	for (i = 1; i <= PC_ROUNDS; i++) {
		wait_event(&pc.not_full, atomic_read(&pc.full) == 0);
		pc.slot = i;
		atomic_set(&pc.full, 1);
		wake_up(&pc.not_empty);
	}
	return 0;
}

static int consumer(void *arg)
{
	int i;

	(void)arg;
	for (i = 1; i <= PC_ROUNDS; i++) {
		wait_event(&pc.not_empty, atomic_read(&pc.full) == 1);
		if (pc.slot != i)
			pc.bad++;
		pc.sum += pc.slot;
		atomic_set(&pc.full, 0);
		wake_up(&pc.not_full);
	}
	return 0;
}

static void test_wait_event_producer_consumer(void **state)
{
	(void)state;
	init_waitqueue_head(&pc.not_full);
	init_waitqueue_head(&pc.not_empty);
	atomic_init_plain(&pc.full, 0);
	pc.slot = 0;
	pc.bad = 0;
	pc.sum = 0;
	assert_non_null(kthread_run(consumer, NULL, "consumer"));
	assert_non_null(kthread_run(producer, NULL, "producer"));
	kthread_join_all();
	assert_int_equal(pc.bad, 0);
	assert_int_equal(pc.sum, (long)PC_ROUNDS * (PC_ROUNDS + 1) / 2);
	destroy_waitqueue_head(&pc.not_full);
	destroy_waitqueue_head(&pc.not_empty);
}

/* A wake_up() between the condition test and the sleep is not lost. */
static void test_wake_up_before_sleep(void **state)
{
	struct wait_queue_head wq;
	u64 seq;

	(void)state;
	init_waitqueue_head(&wq);
	seq = __wait_prepare(&wq);
	wake_up(&wq);
	__wait_sleep(&wq, seq);		/* would hang if the wake-up were lost */
	assert_true(__wait_prepare(&wq) != seq);
	destroy_waitqueue_head(&wq);
}

/**
 * struct bcast_test - one wake_up() for many sleepers
 * @wq:     where the sleepers wait
 * @round:  the round the sleepers wait for
 * @seen:   sleepers that saw the round they waited for
 */
static struct bcast_test {
	struct wait_queue_head wq;
	atomic_t round;
	atomic_int seen;
} bc;

static int bcast_sleeper(void *arg)
{
	int r;

	(void)arg;
	for (r = 1; r <= WAKE_ROUNDS; r++) {
		wait_event(&bc.wq, atomic_read(&bc.round) >= r);
		atomic_fetch_add(&bc.seen, 1);
	}
	return 0;
}

static void test_wake_up_all_sleepers(void **state)
{
	int r;

	(void)state;
	init_waitqueue_head(&bc.wq);
	atomic_init_plain(&bc.round, 0);
	atomic_store(&bc.seen, 0);
	for (r = 0; r < NR_WORKERS; r++)
		assert_non_null(kthread_run(bcast_sleeper, NULL, "sleeper"));
	for (r = 1; r <= WAKE_ROUNDS; r++) {
		/* Wait until every sleeper has seen the previous round. */
		while (atomic_load(&bc.seen) < (r - 1) * NR_WORKERS)
			usleep(10);
		atomic_set(&bc.round, r);
		wake_up(&bc.wq);
	}
	kthread_join_all();
	assert_int_equal(atomic_load(&bc.seen), WAKE_ROUNDS * NR_WORKERS);
	destroy_waitqueue_head(&bc.wq);
}

/**
 * struct comp_test - completions handed from one task to others
 * @c:        the completion under test
 * @data:     written before complete(), read after wait_for_completion()
 * @waited:   waits that returned
 * @bad_data: waits that returned and saw @data not yet written
 */
static struct comp_test {
	struct completion c;
	int data;
	atomic_int waited;
	atomic_int bad_data;
} ct;

static int comp_waiter(void *arg)
{
	int n = *(int *)arg;

	while (n--) {
		wait_for_completion(&ct.c);
		if (ct.data != 42)
			atomic_fetch_add(&ct.bad_data, 1);
		atomic_fetch_add(&ct.waited, 1);
	}
	return 0;
}

static int comp_signaller(void *arg)
{
	int n = *(int *)arg;

	usleep(1000);		/* let the waiters go to sleep first */
	ct.data = 42;
	while (n--)
		complete(&ct.c);
	return 0;
}

static void comp_test_reset(void)
{
	init_completion(&ct.c);
	ct.data = 0;
	atomic_store(&ct.waited, 0);
	atomic_store(&ct.bad_data, 0);
}

/* Each complete() releases exactly one wait. */
static void test_completion_counted(void **state)
{
	int per_waiter = 100, total = NR_WORKERS * 100;
	int i;

	(void)state;
	comp_test_reset();
	for (i = 0; i < NR_WORKERS; i++)
		assert_non_null(kthread_run(comp_waiter, &per_waiter, "waiter"));
	assert_non_null(kthread_run(comp_signaller, &total, "signaller"));
	kthread_join_all();
	assert_int_equal(atomic_load(&ct.waited), total);
	assert_int_equal(atomic_load(&ct.bad_data), 0);
	assert_false(completion_done(&ct.c));
	destroy_waitqueue_head(&ct.c.wait);
}

static int comp_all_signaller(void *arg)
{
	(void)arg;
	usleep(1000);
	ct.data = 42;
	complete_all(&ct.c);
	return 0;
}

/* complete_all() releases every waiter, present and future. */
static void test_completion_all(void **state)
{
	int one = 1, i;

	(void)state;
	comp_test_reset();
	assert_false(completion_done(&ct.c));
	for (i = 0; i < NR_WORKERS; i++)
		assert_non_null(kthread_run(comp_waiter, &one, "waiter"));
	assert_non_null(kthread_run(comp_all_signaller, NULL, "signaller"));
	kthread_join_all();
	assert_int_equal(atomic_load(&ct.waited), NR_WORKERS);
	assert_int_equal(atomic_load(&ct.bad_data), 0);
	assert_true(completion_done(&ct.c));
	wait_for_completion(&ct.c);	/* a late waiter does not sleep */
	destroy_waitqueue_head(&ct.c.wait);
}

/**
 * struct atomic_test - counters hammered by every worker
 * @add:      atomic_add_return() target
 * @cas:      incremented through atomic_cmpxchg() loops
 * @xchg:     atomic_xchg() target: tokens swapped in and out
 * @dec:      counted down by atomic_dec_and_test()
 * @xchg_got: sum of the tokens workers swapped out of @xchg
 * @zeros:    atomic_dec_and_test() calls that returned true
 * @bad_ret:  atomic_add_return() results out of range
 */
static struct atomic_test {
	atomic_t add;
	atomic_t cas;
	atomic_t xchg;
	atomic_t dec;
	atomic_long xchg_got;
	atomic_int zeros;
	atomic_int bad_ret;
} at;

static int atomic_worker(void *arg)
{
	long got = 0;
	int i, old, ret;

	(void)arg;
	for (i = 0; i < ATOMIC_ITERS; i++) {
		ret = atomic_add_return(1, &at.add);
		if (ret < 1 || ret > NR_WORKERS * ATOMIC_ITERS)
			atomic_fetch_add(&at.bad_ret, 1);
		do {
			old = atomic_read(&at.cas);
		} while (atomic_cmpxchg(&at.cas, old, old + 1) != old);
		got += atomic_xchg(&at.xchg, 1);
		if (atomic_dec_and_test(&at.dec))
			atomic_fetch_add(&at.zeros, 1);
	}
	atomic_fetch_add(&at.xchg_got, got);
	return 0;
}

static void test_atomics_contended(void **state)
{
	(void)state;
	atomic_init_plain(&at.add, 0);
	atomic_init_plain(&at.cas, 0);
	atomic_init_plain(&at.xchg, 0);
	atomic_init_plain(&at.dec, NR_WORKERS * ATOMIC_ITERS);
	atomic_store(&at.xchg_got, 0);
	atomic_store(&at.zeros, 0);
	atomic_store(&at.bad_ret, 0);
	run_tasks(atomic_worker, NULL, NR_WORKERS);
	assert_int_equal(atomic_read(&at.add), NR_WORKERS * ATOMIC_ITERS);
	assert_int_equal(atomic_read(&at.cas), NR_WORKERS * ATOMIC_ITERS);
	/* Every token swapped in is swapped out again or still there. */
	assert_int_equal(atomic_load(&at.xchg_got) + atomic_read(&at.xchg),
			 NR_WORKERS * ATOMIC_ITERS);
	assert_int_equal(atomic_read(&at.dec), 0);
	assert_int_equal(atomic_load(&at.zeros), 1);
	assert_int_equal(atomic_load(&at.bad_ret), 0);
}

/**
 * struct table_test - tasks checking who they are
 * @me:   current as seen by each task, indexed by the task's argument
 * @gate: holds the tasks until the table has been filled
 */
static struct table_test {
	struct task_struct *me[NR_TASKS_MAX];
	struct completion gate;
} tbl;

static int who_am_i(void *arg)
{
	int idx = (int)(intptr_t)arg;

	wait_for_completion(&tbl.gate);
	tbl.me[idx] = current;
	return 0;
}

static void test_kthread_table_full(void **state)
{
	struct task_struct *t[NR_TASKS_MAX];
	int i;

	(void)state;
	init_completion(&tbl.gate);
	assert_null(current);
	for (i = 0; i < NR_TASKS_MAX; i++) {
		t[i] = kthread_run(who_am_i, (void *)(intptr_t)i, "task");
		assert_non_null(t[i]);
		assert_int_equal(t[i]->pid, i);
	}
	assert_null(kthread_run(who_am_i, (void *)0, "one too many"));
	complete_all(&tbl.gate);
	kthread_join_all();
	for (i = 0; i < NR_TASKS_MAX; i++) {
		assert_ptr_equal(tbl.me[i], t[i]);
		assert_int_equal(t[i]->state, TASK_DEAD);
	}

	/* The table is empty again: pids start over. */
	t[0] = kthread_run(who_am_i, (void *)0, "again");
	assert_non_null(t[0]);
	assert_int_equal(t[0]->pid, 0);
	kthread_join_all();
	destroy_waitqueue_head(&tbl.gate.wait);
}

/**
 * struct bug_test - what tasks hitting WARN_ON()/BUG_ON() went on to do
 * @after_warn: the warning task carried on
 * @after_bug:  the BUG task carried on (it must not)
 * @bystander:  the task that hit nothing finished
 */
static struct bug_test {
	atomic_int after_warn;
	atomic_int after_bug;
	atomic_int bystander;
} bt;

static int warn_task(void *arg)
{
	int val = *(int *)arg;

	if (WARN_ON(val == 42))
		atomic_store(&bt.after_warn, 1);
	return 0;
}

static int bug_task(void *arg)
{
	int val = *(int *)arg;

	BUG_ON(val == 7);
	atomic_store(&bt.after_bug, 1);
	return 0;
}

static int bystander_task(void *arg)
{
	(void)arg;
	usleep(1000);
	atomic_store(&bt.bystander, 1);
	return 0;
}

static void test_warn_on_in_thread(void **state)
{
	const struct flag_report *rep;
	int val = 42;

	(void)state;
	flags_reset();
	atomic_store(&bt.after_warn, 0);
	assert_non_null(kthread_run(warn_task, &val, "warner"));
	kthread_join_all();
	rep = flags_get();
	assert_true(rep->mask & BIT(PLF_WARN));
	assert_false(rep->mask & BIT(PLF_BUG));
	assert_non_null(rep->what[PLF_WARN]);
	assert_non_null(strstr(rep->what[PLF_WARN], "val == 42"));
	assert_non_null(strstr(rep->what[PLF_WARN], "warn_task"));
	assert_int_equal(atomic_load(&bt.after_warn), 1);
}

static void test_bug_on_ends_only_its_thread(void **state)
{
	const struct flag_report *rep;
	struct task_struct *bug, *other;
	int val = 7;

	(void)state;
	flags_reset();
	atomic_store(&bt.after_bug, 0);
	atomic_store(&bt.bystander, 0);
	bug = kthread_run(bug_task, &val, "buggy");
	other = kthread_run(bystander_task, NULL, "bystander");
	assert_non_null(bug);
	assert_non_null(other);
	kthread_join_all();
	rep = flags_get();
	assert_true(rep->mask & BIT(PLF_BUG));
	assert_non_null(strstr(rep->what[PLF_BUG], "val == 7"));
	assert_non_null(strstr(rep->what[PLF_BUG], "bug_task"));
	assert_int_equal(atomic_load(&bt.after_bug), 0);
	assert_int_equal(atomic_load(&bt.bystander), 1);
	assert_int_equal(bug->state, TASK_DEAD);
	assert_int_equal(other->state, TASK_DEAD);
}

static int threads_setup(void **state)
{
	(void)state;
	kernel_set_backend(KERNEL_THREADS);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spin_lock_counter),
		cmocka_unit_test(test_mutex_counter),
		cmocka_unit_test(test_trylock_single),
		cmocka_unit_test(test_trylock_contended),
		cmocka_unit_test(test_wait_event_producer_consumer),
		cmocka_unit_test(test_wake_up_before_sleep),
		cmocka_unit_test(test_wake_up_all_sleepers),
		cmocka_unit_test(test_completion_counted),
		cmocka_unit_test(test_completion_all),
		cmocka_unit_test(test_atomics_contended),
		cmocka_unit_test(test_kthread_table_full),
		cmocka_unit_test(test_warn_on_in_thread),
		cmocka_unit_test(test_bug_on_ends_only_its_thread),
	};

	alarm(TEST_TIMEOUT);	/* a lost wake-up fails the run instead of hanging it */
	return cmocka_run_group_tests(tests, threads_setup, NULL);
}
