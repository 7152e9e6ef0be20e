/* threads.c - the threads back end: one pthread per task, real locks and C11 atomics. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/bug.h>
#include <pinlab/mutex.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>
#include "internal.h"

/*
 * Nothing here has scheduling points or footprints: the tasks race for real.
 * Everything two threads may touch at once is a C11 atomic or is protected
 * by a pthread mutex, so that the back end is clean under ThreadSanitizer.
 * A task's ->state is written by its own thread alone and read by others
 * only after kthread_join_all(), which pthread_join() orders: a plain field.
 */

/* Busy-wait iterations before a spinning thread gives its CPU away. */
#define SPIN_YIELD_AFTER	64

/**
 * struct thr - the tasks started since the last kthread_join_all()
 * @lock:  protects @nr and the claiming of a slot in @tasks
 * @nr:    slots of @tasks handed out; the next task gets pid @nr
 * @tasks: task table, indexed by pid
 */
static struct thr {
	pthread_mutex_t lock;
	int nr;
	struct task_struct tasks[NR_TASKS_MAX];
} thr = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

BUILD_BUG_ON(sizeof(pthread_t) > sizeof(unsigned long));

/* struct task_struct keeps the pthread handle as an opaque word. */
static void thr_set_handle(struct task_struct *t, pthread_t tid)
{
	t->thread = 0;
	memcpy(&t->thread, &tid, sizeof(tid));
}

static pthread_t thr_get_handle(const struct task_struct *t)
{
	pthread_t tid;

	memcpy(&tid, &t->thread, sizeof(tid));
	return tid;
}

/* pthread entry point of every task. */
static void *thr_task_entry(void *arg)
{
	struct task_struct *t = arg;

	current = t;
	t->state = TASK_RUNNABLE;
	t->fn(t->arg);
	t->state = TASK_DEAD;
	return NULL;
}

/**
 * thr_kthread_run() - start a pthread running @fn(@arg) as a model task
 * @fn:   entry point; its return ends the task
 * @arg:  argument of @fn
 * @comm: label for traces
 *
 * The task's pid is its slot in the task table; current is set in the new
 * thread before @fn runs.  May be called from a task.
 *
 * Return: the task, or NULL when NR_TASKS_MAX tasks were started since the
 * last thr_kthread_join_all() or the thread could not be created.
 */
static struct task_struct *thr_kthread_run(int (*fn)(void *), void *arg, const char *comm)
{
	struct task_struct *t = NULL;
	pthread_t tid;

	pthread_mutex_lock(&thr.lock);
	if (thr.nr == NR_TASKS_MAX)
		goto out_unlock;
	t = &thr.tasks[thr.nr];
	*t = (struct task_struct){
		.pid = thr.nr,
		.comm = comm,
		.fn = fn,
		.arg = arg,
		.state = TASK_NEW,
		.park_fn = comm,
	};
	if (pthread_create(&tid, NULL, thr_task_entry, t)) {
		t = NULL;
		goto out_unlock;
	}
	thr_set_handle(t, tid);
	thr.nr++;
out_unlock:
	pthread_mutex_unlock(&thr.lock);
	return t;
}

/*
 * The handle of task @pid, or false once every task started has been
 * joined; then the table is emptied for the next execution.
 */
static bool thr_next_to_join(int pid, pthread_t *tid)
{
	bool more;

	pthread_mutex_lock(&thr.lock);
	more = pid < thr.nr;
	if (more)
		*tid = thr_get_handle(&thr.tasks[pid]);
	else
		thr.nr = 0;
	pthread_mutex_unlock(&thr.lock);
	return more;
}

/**
 * thr_kthread_join_all() - wait for every task started, then reset the table
 *
 * Tasks started by tasks while this runs are joined too.  Must not be called
 * from a task.  Afterwards pids start again at 0.
 */
static void thr_kthread_join_all(void)
{
	pthread_t tid;
	int pid;

	for (pid = 0; thr_next_to_join(pid, &tid); pid++)
		pthread_join(tid, NULL);
}

/**
 * thr_task_exit() - end the calling task now: mark it dead and exit its thread
 *
 * Only a task can be ended; a BUG outside any task stops pinlab.
 */
static __noreturn void thr_task_exit(void)
{
	struct task_struct *t = current;

	if (!t) {
		fprintf(stderr, "pinlab: task_exit() outside a task\n");
		abort();
	}
	t->state = TASK_DEAD;
	pthread_exit(NULL);
}

/* Let the other hardware thread (or, after a while, another thread) run. */
static void cpu_relax(unsigned int *spins)
{
	if (++*spins % SPIN_YIELD_AFTER == 0) {
		sched_yield();
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/**
 * thr_spin_lock() - take @lock, spinning while it is held
 * @lock: the spinlock
 *
 * Test-and-test-and-set: only an attempt that may succeed writes the lock
 * word, waiters spin on a read.  The acquire pairs with thr_spin_unlock().
 */
static void thr_spin_lock(spinlock_t *lock)
{
	unsigned int spins = 0;

	while (atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed))
			cpu_relax(&spins);
	}
	atomic_store_explicit(&lock->owner, current, memory_order_relaxed);
}

/**
 * thr_spin_unlock() - release @lock
 * @lock: a spinlock the caller holds
 *
 * A task releasing a lock it does not hold is a BUG, as on sim.
 */
static void thr_spin_unlock(spinlock_t *lock)
{
	BUG_ON(atomic_load_explicit(&lock->owner, memory_order_relaxed) != current);
	atomic_store_explicit(&lock->owner, NULL, memory_order_relaxed);
	atomic_store_explicit(&lock->locked, 0, memory_order_release);
}

/**
 * thr_spin_trylock() - take @lock if it is free, without spinning
 * @lock: the spinlock
 *
 * Return: true when the lock was taken.
 */
static bool thr_spin_trylock(spinlock_t *lock)
{
	if (atomic_load_explicit(&lock->locked, memory_order_relaxed))
		return false;
	if (atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire))
		return false;
	atomic_store_explicit(&lock->owner, current, memory_order_relaxed);
	return true;
}

/**
 * thr_mutex_init() - initialise the pthread mutex behind @m
 * @m: the mutex; the front end has cleared its owner
 */
static void thr_mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
}

/**
 * thr_mutex_destroy() - release the pthread resources of @m
 * @m: an unlocked mutex
 */
static void thr_mutex_destroy(struct mutex *m)
{
	pthread_mutex_destroy(&m->lock);
}

/**
 * thr_mutex_lock() - take @m, sleeping while it is held
 * @m: the mutex
 *
 * @m->owner is set once the lock is held; it is NULL for a holder that is
 * not a task (the main thread).
 */
static void thr_mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
	atomic_store_explicit(&m->owner, current, memory_order_relaxed);
}

/**
 * thr_mutex_unlock() - release @m
 * @m: a mutex the caller holds; releasing another task's mutex is a BUG
 */
static void thr_mutex_unlock(struct mutex *m)
{
	BUG_ON(atomic_load_explicit(&m->owner, memory_order_relaxed) != current);
	atomic_store_explicit(&m->owner, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&m->lock);
}

/**
 * thr_mutex_trylock() - take @m if it is free, without sleeping
 * @m: the mutex
 *
 * Return: true when the mutex was taken.
 */
static bool thr_mutex_trylock(struct mutex *m)
{
	if (pthread_mutex_trylock(&m->lock))
		return false;
	atomic_store_explicit(&m->owner, current, memory_order_relaxed);
	return true;
}

/**
 * thr_init_waitqueue_head() - initialise the lock and condition of @wq
 * @wq: the wait queue; the front end has zeroed @wq->seq
 */
static void thr_init_waitqueue_head(struct wait_queue_head *wq)
{
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
}

/**
 * thr_destroy_waitqueue_head() - release the pthread resources of @wq
 * @wq: a wait queue nobody sleeps on
 */
static void thr_destroy_waitqueue_head(struct wait_queue_head *wq)
{
	pthread_cond_destroy(&wq->cond);
	pthread_mutex_destroy(&wq->lock);
}

/**
 * thr_wake_up() - wake every thread sleeping on @wq
 * @wq: the wait queue
 *
 * Bumps @wq->seq, so that a waiter that sampled it before this call does
 * not go to sleep, and wakes every sleeper to re-test its condition.
 */
static void thr_wake_up(struct wait_queue_head *wq)
{
	pthread_mutex_lock(&wq->lock);
	wq->seq++;
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}

/**
 * thr_prepare_to_wait() - first half of wait_event(): sample @wq->seq
 * @wq: the wait queue
 *
 * wait_event() tests its condition after this and passes the sample to
 * thr_wait_sleep(): a wake_up() between the test and the sleep changes
 * @wq->seq, so the sleep returns at once and no wake-up is lost.
 *
 * The condition is evaluated by the caller, outside @wq->lock.  It is the
 * caller's duty that the condition reads shared state only through atomics
 * or under a lock the waker also takes, and that the waker changes that
 * state before calling wake_up().  Then a waker's change is either seen by
 * the test or followed by a wake_up() that bumps @wq->seq after the sample.
 *
 * Return: the sample, for thr_wait_sleep().
 */
static u64 thr_prepare_to_wait(struct wait_queue_head *wq)
{
	u64 seq;

	pthread_mutex_lock(&wq->lock);
	seq = wq->seq;
	pthread_mutex_unlock(&wq->lock);
	return seq;
}

/**
 * thr_wait_sleep() - second half of wait_event(): sleep until a wake_up()
 * @wq:  the wait queue
 * @seq: what thr_prepare_to_wait() returned before the condition was tested
 *
 * Returns once @wq->seq differs from @seq, at once if a wake_up() happened
 * since thr_prepare_to_wait().
 */
static void thr_wait_sleep(struct wait_queue_head *wq, u64 seq)
{
	pthread_mutex_lock(&wq->lock);
	while (wq->seq == seq)
		pthread_cond_wait(&wq->cond, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
}

/* wait_event()'s first half: no step to label, the same sample. */
static u64 thr_wait_prepare(struct wait_queue_head *wq, const char *fn)
{
	(void)fn;
	return thr_prepare_to_wait(wq);
}

/* A waker cannot tell whether a thread is about to sleep: always wake. */
static bool thr_wq_has_sleeper(struct wait_queue_head *wq)
{
	(void)wq;
	return true;
}

/* The racy test of the lock word, for assertions. */
static bool thr_spin_is_locked(spinlock_t *lock)
{
	return atomic_load_explicit(&lock->locked, memory_order_relaxed) != 0;
}

/* Threads race for real: no scheduling points, no footprints, no steps. */
static void thr_sched_point(const void *obj, enum kacc mode, const char *fn)
{
	(void)obj;
	(void)mode;
	(void)fn;
}

static void thr_kobj_access(const void *obj, enum kacc mode)
{
	(void)obj;
	(void)mode;
}

static u32 thr_steps_taken(void)
{
	return 0;
}

/* No server tasks: their callers do the work inline. */
static struct task_struct *thr_kthread_run_idle(int (*fn)(void *), void *arg,
						const char *comm,
						struct wait_queue_head *wq)
{
	(void)fn;
	(void)arg;
	(void)comm;
	(void)wq;
	return NULL;
}

/* A caller-made lock's waiters sleep on its wait queue, which its release wakes. */
static bool thr_lock_wait(const void *lock, bool (*held)(const void *lock), const char *fn)
{
	(void)lock;
	(void)held;
	(void)fn;
	return false;
}

static bool thr_lock_waiters_sleep(void)
{
	return true;
}

const struct kernel_backend_ops thr_backend_ops = {
	.name = "threads",
	.footprints = false,
	.sched_point = thr_sched_point,
	.kobj_access = thr_kobj_access,
	.steps_taken = thr_steps_taken,
	.kthread_run = thr_kthread_run,
	.kthread_run_idle = thr_kthread_run_idle,
	.kthread_join_all = thr_kthread_join_all,
	.task_exit = thr_task_exit,
	.spin_lock = thr_spin_lock,
	.spin_unlock = thr_spin_unlock,
	.spin_trylock = thr_spin_trylock,
	.spin_is_locked = thr_spin_is_locked,
	.mutex_init = thr_mutex_init,
	.mutex_destroy = thr_mutex_destroy,
	.mutex_lock = thr_mutex_lock,
	.mutex_unlock = thr_mutex_unlock,
	.mutex_trylock = thr_mutex_trylock,
	.lock_wait = thr_lock_wait,
	.lock_waiters_sleep = thr_lock_waiters_sleep,
	.init_waitqueue_head = thr_init_waitqueue_head,
	.destroy_waitqueue_head = thr_destroy_waitqueue_head,
	.wait_prepare = thr_wait_prepare,
	.prepare_to_wait = thr_prepare_to_wait,
	.wait_sleep = thr_wait_sleep,
	.wake_up = thr_wake_up,
	.wq_has_sleeper = thr_wq_has_sleeper,
};
