/* rwsem.c - reader/writer semaphores: an atomic_t count and a wait queue, on both back ends. */
#include <pinlab/lockdep.h>
#include <pinlab/rwsem.h>
#include <pinlab/sched.h>

/*
 * Defined as (name)(...): in a debug build rwsem.h makes the names
 * macros that tell the lock-order checker who takes the semaphore.  The
 * checker sees shared and exclusive holds alike (docs/design-notes.md).
 */
void (init_rwsem)(struct rw_semaphore *sem)
{
	atomic_init_plain(&sem->count, 0);
	init_waitqueue_head(&sem->wait);
}

/*
 * One reader more unless a writer holds it.  Return: true if taken.
 * The count's operations are raw: the callers place the scheduling points,
 * and the footprint records an add whichever way it goes.
 */
static bool rwsem_read_trylock(struct rw_semaphore *sem)
{
	int c;

	kobj_add(&sem->count);
	c = raw_atomic_read(&sem->count);
	while (!(c & RWSEM_WRITER_LOCKED))
		if (raw_atomic_try_cmpxchg(&sem->count, &c, c + 1))
			return true;
	return false;
}

/* The writer's bit, if nobody holds it.  Return: true if taken. */
static bool rwsem_write_trylock(struct rw_semaphore *sem)
{
	int c = 0;

	kobj_write(&sem->count);
	return raw_atomic_try_cmpxchg(&sem->count, &c, RWSEM_WRITER_LOCKED);
}

/**
 * down_read() - take @sem shared, sleeping while a writer holds it
 * @sem: the semaphore
 *
 * Context: a scheduling point before the attempt; sleeps.
 */
void (down_read)(struct rw_semaphore *sem)
{
	lock_begin("down_read");
	__sched_point(&sem->count, KACC_ADD, "down_read");
	if (!rwsem_read_trylock(sem))
		wait_event(&sem->wait, rwsem_read_trylock(sem));
	lock_acquire(LOCKDEP_KEY(sem), sem);
}

/**
 * up_read() - drop a shared hold; the last reader wakes a waiting writer
 * @sem: the semaphore, held shared
 */
void up_read(struct rw_semaphore *sem)
{
	lock_release(LOCKDEP_KEY(sem), sem);
	kobj_add(&sem->count);
	if (raw_atomic_add_return(-1, &sem->count) == 0)
		wake_up(&sem->wait);
}

/**
 * down_write() - take @sem exclusively, sleeping until readers and writer are gone
 * @sem: the semaphore
 *
 * Context: a scheduling point before each attempt; sleeps.
 */
void (down_write)(struct rw_semaphore *sem)
{
	lock_begin("down_write");
	wait_event(&sem->wait, rwsem_write_trylock(sem));
	lock_acquire(LOCKDEP_KEY(sem), sem);
}

/**
 * up_write() - release @sem and wake its waiters
 * @sem: the semaphore, held exclusively
 */
void up_write(struct rw_semaphore *sem)
{
	lock_release(LOCKDEP_KEY(sem), sem);
	kobj_write(&sem->count);
	raw_atomic_set(&sem->count, 0);
	wake_up(&sem->wait);
}
