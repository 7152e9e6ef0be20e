/* spinlock.h - spinlock_t on the sim and threads back ends. */
#ifndef PINLAB_SPINLOCK_H
#define PINLAB_SPINLOCK_H

#include <pinlab/sched.h>

/**
 * typedef spinlock_t - a spinlock
 * @owner:   sim: holding task, NULL when free
 * @locked:  threads: the lock word
 */
typedef struct spinlock {
	struct task_struct *_Atomic owner;
	_Atomic int locked;
} spinlock_t;

void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);
bool spin_is_locked(spinlock_t *lock);

#endif /* PINLAB_SPINLOCK_H */
