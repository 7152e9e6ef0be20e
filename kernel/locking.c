/* locking.c - spinlocks and mutexes: sleeping locks with a scheduling point per acquisition on sim. */
#include <pinlab/bug.h>
#include <pinlab/sim.h>
#include "internal.h"

/*
 * On sim both lock kinds behave alike: acquisition is a scheduling point,
 * and a task whose next step acquires a held lock is not runnable until the
 * release (sim_lock_wait()): no step is spent finding it held and none on
 * being woken.  A spinning CPU is modelled as a sleeping one: it makes no
 * progress until the release either way.  Release is no scheduling point:
 * it happens within the step that holds the lock.
 *
 * Footprints: an acquisition records KACC_ACQUIRE, a release KACC_RELEASE,
 * a trylock KACC_READ, and KACC_WRITE | KACC_TRY as well when it takes the
 * lock (it did not wait); the
 * explorer orders a release before the next acquisition and races
 * acquisitions with each other (explore/dpor.c).
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
	sim_lock_wait(lock, held, fn);
	*owner = current;
}

static bool sim_trylock(struct task_struct *_Atomic *owner, const void *lock,
			const char *fn)
{
	__sched_point(lock, KACC_READ, fn);
	if (*owner)
		return false;
	kobj_access(lock, KACC_WRITE | KACC_TRY);
	*owner = current;
	return true;
}

static void sim_unlock(struct task_struct *_Atomic *owner, const void *lock)
{
	BUG_ON(*owner != current);
	kobj_access(lock, KACC_RELEASE);
	*owner = NULL;
}

void spin_lock_init(spinlock_t *lock)
{
	lock->owner = NULL;
	atomic_store_explicit(&lock->locked, 0, memory_order_relaxed);
}

void spin_lock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		sim_lock(&lock->owner, lock, spin_held, "spin_lock");
	else if (!kernel_is_sim())
		thr_spin_lock(lock);
}

void spin_unlock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		sim_unlock(&lock->owner, lock);
	else if (!kernel_is_sim())
		thr_spin_unlock(lock);
}

bool spin_trylock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		return sim_trylock(&lock->owner, lock, "spin_trylock");
	if (!kernel_is_sim())
		return thr_spin_trylock(lock);
	return true;
}

bool spin_is_locked(spinlock_t *lock)
{
	if (kernel_is_sim())
		return lock->owner != NULL;
	return atomic_load_explicit(&lock->locked, memory_order_relaxed) != 0;
}

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	if (!kernel_is_sim())
		thr_mutex_init(m);
}

void mutex_destroy(struct mutex *m)
{
	if (!kernel_is_sim())
		thr_mutex_destroy(m);
}

void mutex_lock(struct mutex *m)
{
	if (kernel_is_sim() && current)
		sim_lock(&m->owner, m, mutex_held, "mutex_lock");
	else if (!kernel_is_sim())
		thr_mutex_lock(m);
}

void mutex_unlock(struct mutex *m)
{
	if (kernel_is_sim() && current)
		sim_unlock(&m->owner, m);
	else if (!kernel_is_sim())
		thr_mutex_unlock(m);
}

bool mutex_trylock(struct mutex *m)
{
	if (kernel_is_sim() && current)
		return sim_trylock(&m->owner, m, "mutex_trylock");
	if (!kernel_is_sim())
		return thr_mutex_trylock(m);
	return true;
}

bool mutex_is_locked(struct mutex *m)
{
	return atomic_load_explicit(&m->owner, memory_order_relaxed) != NULL;
}
