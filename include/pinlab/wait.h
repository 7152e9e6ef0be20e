/* wait.h - wait queues: wait_event() and wake_up() on the sim and threads back ends. */
#ifndef PINLAB_WAIT_H
#define PINLAB_WAIT_H

#include <pthread.h>
#include <pinlab/sched.h>

/**
 * struct wait_queue_head - tasks waiting for a condition
 * @waiters: sim: bitmask of sleeping pids
 * @seq:     threads: bumped by every wake_up(), read under @lock
 * @lock:    threads: protects @seq
 * @cond:    threads: signalled by wake_up()
 */
struct wait_queue_head {
	u32 waiters;
	u64 seq;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

void init_waitqueue_head(struct wait_queue_head *wq);
void destroy_waitqueue_head(struct wait_queue_head *wq);

/**
 * wake_up() - wake every task sleeping on @wq (they re-test their condition)
 */
void wake_up(struct wait_queue_head *wq);

/**
 * wq_has_sleeper() - may a task sleep on @wq?  A waker that finds none
 * skips wake_up().
 *
 * Sim: a read of @wq, so that wakers that find nobody commute with each
 * other (wake_up() and going to sleep write it).  Threads: always true.
 */
static inline bool wq_has_sleeper(struct wait_queue_head *wq)
{
	return kernel_ops->wq_has_sleeper(wq);
}

/* The pieces of wait_event(), __wait_prepare() and __wait_sleep(): call them only through it. */
u64 __wait_prepare(struct wait_queue_head *wq);
u64 __wait_prepare_named(struct wait_queue_head *wq, const char *fn);
void __wait_sleep(struct wait_queue_head *wq, u64 seq);

/**
 * prepare_to_wait() - begin testing a sleep condition in the current step
 * @wq: the wait queue the condition's waker calls wake_up() on
 *
 * For a task that tests its condition as part of a step it is taking
 * anyway (a server looking for work when it finishes a request) rather
 * than in a step of its own as wait_event() does: no scheduling point.
 * The caller tests its condition, recording what it reads, and calls
 * wait_sleep() with the cookie if it is false.
 *
 * Context: a task.
 * Return: the cookie for wait_sleep().
 */
u64 prepare_to_wait(struct wait_queue_head *wq);

/**
 * wait_sleep() - sleep on @wq until a wake_up() after prepare_to_wait()
 * @wq:     the wait queue
 * @cookie: what prepare_to_wait() returned before the condition was tested
 *
 * Context: a task.  Sim: ends the step; the next begins when woken.
 */
void wait_sleep(struct wait_queue_head *wq, u64 cookie);

/**
 * wait_event() - sleep until @cond is true
 * @wq:   the wait queue wake_up() is called on after @cond may have changed
 * @cond: a C expression, re-evaluated after every wake-up
 *
 * Sim: each evaluation of @cond is its own step, begun at a scheduling point
 * that records a read of @wq.  The caller's @cond must record the objects it
 * reads (through kobj_read() or accessor helpers).
 */
#define wait_event(wq, cond)						\
	do {								\
		for (;;) {						\
			u64 __seq = __wait_prepare(wq);			\
			if (cond)					\
				break;					\
			__wait_sleep((wq), __seq);			\
		}							\
	} while (0)

#endif /* PINLAB_WAIT_H */
