/* mutex.h - sleeping mutex on the sim and threads back ends. */
#ifndef PINLAB_MUTEX_H
#define PINLAB_MUTEX_H

#include <pthread.h>
#include <pinlab/lockdep.h>
#include <pinlab/sched.h>

/**
 * struct mutex - a sleeping lock
 * @owner:   task holding it (both back ends; threads: for mutex_is_locked)
 * @lock:    threads: the pthread mutex
 * @dep_key: debug builds: its lock class, set by mutex_init()
 */
struct mutex {
	struct task_struct *_Atomic owner;
	pthread_mutex_t lock;
#ifdef PINLAB_DEBUG
	struct lock_class_key *dep_key;
#endif
};

void mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#ifdef PINLAB_DEBUG
#define mutex_init(m)		LOCKDEP_INIT(mutex_init, m)
#define mutex_lock(m)		LOCKDEP_CALL(mutex_lock, m)
#define mutex_trylock(m)	LOCKDEP_CALL(mutex_trylock, m)
#endif

#endif /* PINLAB_MUTEX_H */
