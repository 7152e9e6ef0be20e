/* locking.c - spinlocks and mutexes: sleeping locks with a scheduling point per acquisition on sim. */
#include <pinlab/bug.h>
#include <pinlab/sim.h>
#include "internal.h"

/*
 * On sim both lock kinds behave alike: acquisition is a scheduling point that
 * writes the lock, a task finding it held sleeps until the release wakes
 * every waiter, and they contend again.  A spinning CPU is modelled as a
 * sleeping one: it makes no progress until the release either way, and the
 * explorer need not try every spin iteration.  Release is no scheduling
 * point: it writes the lock within the step that holds it.
 */

static void sim_lock(struct task_struct *_Atomic *owner, u32 *waiters,
		     const void *lock, const char *fn)
{
	__sched_point(lock, KACC_WRITE, fn);
	while (*owner) {
		*waiters |= BIT(current->pid);
		sim_block(lock, fn);
	}
	*owner = current;
}

static bool sim_trylock(struct task_struct *_Atomic *owner, const void *lock,
			const char *fn)
{
	__sched_point(lock, KACC_WRITE, fn);
	if (*owner)
		return false;
	*owner = current;
	return true;
}

static void sim_unlock(struct task_struct *_Atomic *owner, u32 *waiters,
		       const void *lock)
{
	BUG_ON(*owner != current);
	kobj_write(lock);
	*owner = NULL;
	sim_wake_mask(*waiters);
	*waiters = 0;
}

void spin_lock_init(spinlock_t *lock)
{
	lock->owner = NULL;
	lock->waiters = 0;
	atomic_store_explicit(&lock->locked, 0, memory_order_relaxed);
}

void spin_lock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		sim_lock(&lock->owner, &lock->waiters,
			 lock, "spin_lock");
	else if (!kernel_is_sim())
		thr_spin_lock(lock);
}

void spin_unlock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		sim_unlock(&lock->owner,
			   &lock->waiters, lock);
	else if (!kernel_is_sim())
		thr_spin_unlock(lock);
}

bool spin_trylock(spinlock_t *lock)
{
	if (kernel_is_sim() && current)
		return sim_trylock(&lock->owner,
				   lock, "spin_trylock");
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
	m->waiters = 0;
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
		sim_lock(&m->owner, &m->waiters, m, "mutex_lock");
	else if (!kernel_is_sim())
		thr_mutex_lock(m);
}

void mutex_unlock(struct mutex *m)
{
	if (kernel_is_sim() && current)
		sim_unlock(&m->owner, &m->waiters, m);
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
