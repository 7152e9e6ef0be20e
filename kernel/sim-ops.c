/* sim-ops.c - the sim back end's primitives: locks and wait queues as scheduling points, and its ops table. */
#include <pinlab/bug.h>
#include <pinlab/mutex.h>
#include <pinlab/sim.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>
#include "internal.h"

/*
 * Outside a task (the explorer's setup, a unit test's main) nothing here
 * parks or records: locks are taken and released at no cost, and only
 * going to sleep is a misuse.
 *
 * Both lock kinds behave alike: acquisition is a scheduling point, and a
 * task whose next step acquires a held lock is not runnable until the
 * release (sim_lock_wait()): no step is spent finding it held and none on
 * being woken.  A spinning CPU is modelled as a sleeping one: it makes no
 * progress until the release either way.  Release is no scheduling point:
 * it happens within the step that holds the lock.
 *
 * Footprints: an acquisition records KACC_ACQUIRE, a release KACC_RELEASE,
 * a trylock KACC_READ, and KACC_WRITE | KACC_TRY as well when it takes the
 * lock (it did not wait); the explorer orders a release before the next
 * acquisition and races acquisitions with each other (explore/dpor.c).
 */

static bool mutex_held(const void *lock)
{
	return ((const struct mutex *)lock)->owner != NULL;
}

static bool spin_held(const void *lock)
{
	return ((const spinlock_t *)lock)->owner != NULL;
}

static void sim_lock(struct task_struct *_Atomic *owner, const void *lock,
		     bool (*held)(const void *lock), const char *fn)
{
	if (!current)
		return;
	sim_lock_wait(lock, held, fn);
	*owner = current;
}

static bool sim_trylock(struct task_struct *_Atomic *owner, const void *lock,
			const char *fn)
{
	if (!current)
		return true;
	sim_sched_point(lock, KACC_READ, fn);
	if (*owner)
		return false;
	sim_kobj_access(lock, KACC_WRITE | KACC_TRY);
	*owner = current;
	return true;
}

static void sim_unlock(struct task_struct *_Atomic *owner, const void *lock)
{
	if (!current)
		return;
	BUG_ON(*owner != current);
	sim_kobj_access(lock, KACC_RELEASE);
	*owner = NULL;
}

static void sim_spin_lock(spinlock_t *lock)
{
	sim_lock(&lock->owner, lock, spin_held, "spin_lock");
}

static void sim_spin_unlock(spinlock_t *lock)
{
	sim_unlock(&lock->owner, lock);
}

static bool sim_spin_trylock(spinlock_t *lock)
{
	return sim_trylock(&lock->owner, lock, "spin_trylock");
}

static bool sim_spin_is_locked(spinlock_t *lock)
{
	return lock->owner != NULL;
}

/* A sim mutex is its owner word alone, which the front end has cleared. */
static void sim_mutex_nop(struct mutex *m)
{
	(void)m;
}

static void sim_mutex_lock(struct mutex *m)
{
	sim_lock(&m->owner, m, mutex_held, "mutex_lock");
}

static void sim_mutex_unlock(struct mutex *m)
{
	sim_unlock(&m->owner, m);
}

static bool sim_mutex_trylock(struct mutex *m)
{
	return sim_trylock(&m->owner, m, "mutex_trylock");
}

/* A caller-made lock (the page lock): parked like a mutex, inside a task. */
static bool sim_lock_park(const void *lock, bool (*held)(const void *lock), const char *fn)
{
	if (!current)
		return false;
	sim_lock_wait(lock, held, fn);
	return true;
}

/* Inside a task lock waiters are parked, not asleep: nothing to wake. */
static bool sim_lock_waiters_sleep(void)
{
	return !current;
}

/* A sim wait queue is its waiters mask alone, which the front end has cleared. */
static void sim_wq_nop(struct wait_queue_head *wq)
{
	(void)wq;
}

/*
 * The condition is tested in the step that begins here, and a task that
 * finds it false goes to sleep in that same step, so no wake-up is lost
 * between the test and the sleep (what prepare_to_wait() ensures in Linux).
 */
static u64 sim_wait_prepare(struct wait_queue_head *wq, const char *fn)
{
	sim_sched_point(wq, KACC_READ, fn);
	return 0;
}

static u64 sim_prepare_to_wait(struct wait_queue_head *wq)
{
	sim_kobj_access(wq, KACC_READ);
	return 0;
}

static void sim_wait_sleep(struct wait_queue_head *wq, u64 cookie)
{
	(void)cookie;
	if (current)
		wq->waiters |= BIT(current->pid);
	sim_block(wq, "wait_event");
}

static void sim_wake_up(struct wait_queue_head *wq)
{
	sim_kobj_access(wq, KACC_WRITE);
	sim_wake_mask(wq->waiters);
	wq->waiters = 0;
}

/*
 * A read of @wq, so that wakers that find nobody commute with each other
 * (wake_up() and going to sleep write it).
 */
static bool sim_wq_has_sleeper(struct wait_queue_head *wq)
{
	sim_kobj_access(wq, KACC_READ);
	return wq->waiters != 0;
}

/* Every task is reaped by the next sim_reset(): there is nothing to join. */
static void sim_kthread_join_all(void)
{
}

const struct kernel_backend_ops sim_backend_ops = {
	.name = "sim",
	.footprints = true,
	.sched_point = sim_sched_point,
	.kobj_access = sim_kobj_access,
	.steps_taken = sim_steps_taken,
	.kthread_run = sim_kthread_run,
	.kthread_run_idle = sim_kthread_run_idle,
	.kthread_join_all = sim_kthread_join_all,
	.task_exit = sim_task_exit,
	.spin_lock = sim_spin_lock,
	.spin_unlock = sim_spin_unlock,
	.spin_trylock = sim_spin_trylock,
	.spin_is_locked = sim_spin_is_locked,
	.mutex_init = sim_mutex_nop,
	.mutex_destroy = sim_mutex_nop,
	.mutex_lock = sim_mutex_lock,
	.mutex_unlock = sim_mutex_unlock,
	.mutex_trylock = sim_mutex_trylock,
	.lock_wait = sim_lock_park,
	.lock_waiters_sleep = sim_lock_waiters_sleep,
	.init_waitqueue_head = sim_wq_nop,
	.destroy_waitqueue_head = sim_wq_nop,
	.wait_prepare = sim_wait_prepare,
	.prepare_to_wait = sim_prepare_to_wait,
	.wait_sleep = sim_wait_sleep,
	.wake_up = sim_wake_up,
	.wq_has_sleeper = sim_wq_has_sleeper,
};
