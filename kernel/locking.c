/* locking.c - spinlocks and mutexes: the front ends, dispatched to the selected back end. */
#include <stdatomic.h>
#include <pinlab/lockdep.h>
#include <pinlab/mutex.h>
#include <pinlab/spinlock.h>

/*
 * What a lock does on each back end is the back end's (kernel/sim-ops.c,
 * kernel/threads.c); only the state both share is handled here, and the
 * lock-order checker's hooks (lockdep.h), which debug builds compile in.
 * The functions are defined and dispatched as (name)(...): in a debug
 * build the lock headers make their names macros (LOCKDEP_CALL()).
 */

void (spin_lock_init)(spinlock_t *lock)
{
	lock->owner = NULL;
	atomic_store_explicit(&lock->locked, 0, memory_order_relaxed);
}

void (spin_lock)(spinlock_t *lock)
{
	lock_begin("spin_lock");
	(kernel_ops->spin_lock)(lock);
	lock_acquire(LOCKDEP_KEY(lock), lock);
}

void spin_unlock(spinlock_t *lock)
{
	lock_release(LOCKDEP_KEY(lock), lock);
	kernel_ops->spin_unlock(lock);
}

/**
 * spin_trylock() - true when the lock was taken
 */
bool (spin_trylock)(spinlock_t *lock)
{
	bool taken;

	lock_begin("spin_trylock");
	taken = (kernel_ops->spin_trylock)(lock);
	lock_tried(LOCKDEP_KEY(lock), lock, taken);
	return taken;
}

/**
 * spin_is_locked() - racy test, for assertions
 */
bool spin_is_locked(spinlock_t *lock)
{
	return kernel_ops->spin_is_locked(lock);
}

void (mutex_init)(struct mutex *m)
{
	m->owner = NULL;
	(kernel_ops->mutex_init)(m);
}

void mutex_destroy(struct mutex *m)
{
	kernel_ops->mutex_destroy(m);
}

void (mutex_lock)(struct mutex *m)
{
	lock_begin("mutex_lock");
	(kernel_ops->mutex_lock)(m);
	lock_acquire(LOCKDEP_KEY(m), m);
}

void mutex_unlock(struct mutex *m)
{
	lock_release(LOCKDEP_KEY(m), m);
	kernel_ops->mutex_unlock(m);
}

/**
 * mutex_trylock() - true when the mutex was taken
 */
bool (mutex_trylock)(struct mutex *m)
{
	bool taken;

	lock_begin("mutex_trylock");
	taken = (kernel_ops->mutex_trylock)(m);
	lock_tried(LOCKDEP_KEY(m), m, taken);
	return taken;
}

bool mutex_is_locked(struct mutex *m)
{
	return atomic_load_explicit(&m->owner, memory_order_relaxed) != NULL;
}
