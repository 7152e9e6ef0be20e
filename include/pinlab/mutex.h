/* mutex.h - sleeping mutex on the sim and threads back ends. */
#ifndef PINLAB_MUTEX_H
#define PINLAB_MUTEX_H

#include <pthread.h>
#include <pinlab/sched.h>

/**
 * struct mutex - a sleeping lock
 * @owner:   task holding it (both back ends; threads: for mutex_is_locked)
 * @lock:    threads: the pthread mutex
 */
struct mutex {
	struct task_struct *_Atomic owner;
	pthread_mutex_t lock;
};

void mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif /* PINLAB_MUTEX_H */
