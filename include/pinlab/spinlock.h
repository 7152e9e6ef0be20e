/* spinlock.h - spinlock_t on the sim and threads back ends. */
#ifndef PINLAB_SPINLOCK_H
#define PINLAB_SPINLOCK_H

#include <pinlab/lockdep.h>
#include <pinlab/sched.h>

/**
 * typedef spinlock_t - a spinlock
 * @owner:   sim: holding task, NULL when free
 * @locked:  threads: the lock word
 * @dep_key: debug builds: its lock class, set by spin_lock_init()
 */
typedef struct spinlock {
	struct task_struct *_Atomic owner;
	_Atomic int locked;
#ifdef PINLAB_DEBUG
	struct lock_class_key *dep_key;
#endif
} spinlock_t;

void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);
bool spin_is_locked(spinlock_t *lock);

#ifdef PINLAB_DEBUG
#define spin_lock_init(lock)	LOCKDEP_INIT(spin_lock_init, lock)
#define spin_lock(lock)		LOCKDEP_CALL(spin_lock, lock)
#define spin_trylock(lock)	LOCKDEP_CALL(spin_trylock, lock)
#endif

#endif /* PINLAB_SPINLOCK_H */
