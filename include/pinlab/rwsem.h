/* rwsem.h - reader/writer semaphores (down_read(), down_write()) on the sim and threads back ends. */
#ifndef PINLAB_RWSEM_H
#define PINLAB_RWSEM_H

#include <pinlab/atomic.h>
#include <pinlab/lockdep.h>
#include <pinlab/wait.h>

#define RWSEM_WRITER_LOCKED	(1 << 30)	/* @count bit: a writer holds it */

/**
 * struct rw_semaphore - many readers or one writer
 * @count: readers holding it, plus RWSEM_WRITER_LOCKED while a writer does;
 *	   one atomic word, so that taking it is one atomic step on both back
 *	   ends.  Readers' adds commute with each other (KACC_ADD): two faults
 *	   taking it shared are not ordered by the explorer; a writer's
 *	   acquisition conflicts with every reader's.
 * @wait:  tasks waiting for it: readers while a writer holds it, a writer
 *	   until the last reader leaves
 * @dep_key: debug builds: its lock class, set by init_rwsem()
 */
struct rw_semaphore {
	atomic_t count;
	struct wait_queue_head wait;
#ifdef PINLAB_DEBUG
	struct lock_class_key *dep_key;
#endif
};

void init_rwsem(struct rw_semaphore *sem);
void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);

#ifdef PINLAB_DEBUG
#define init_rwsem(sem)		LOCKDEP_INIT(init_rwsem, sem)
#define down_read(sem)		LOCKDEP_CALL(down_read, sem)
#define down_write(sem)		LOCKDEP_CALL(down_write, sem)
#endif

#endif /* PINLAB_RWSEM_H */
