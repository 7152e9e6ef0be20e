/* wait.c - wait queues: wake_up() and the halves of wait_event() on both back ends. */
#include <pinlab/sim.h>
#include <pinlab/wait.h>
#include "internal.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	wq->waiters = 0;
	wq->seq = 0;
	if (!kernel_is_sim())
		thr_init_waitqueue_head(wq);
}

void destroy_waitqueue_head(struct wait_queue_head *wq)
{
	if (!kernel_is_sim())
		thr_destroy_waitqueue_head(wq);
}

/*
 * Sim: the condition is tested in the step that begins here, and a task that
 * finds it false goes to sleep in that same step, so no wake-up is lost
 * between the test and the sleep (what prepare_to_wait() ensures in Linux).
 */
u64 __wait_prepare_named(struct wait_queue_head *wq, const char *fn)
{
	if (kernel_is_sim()) {
		__sched_point(wq, KACC_READ, fn);
		return 0;
	}
	return thr_wait_prepare(wq);
}

u64 __wait_prepare(struct wait_queue_head *wq)
{
	return __wait_prepare_named(wq, "wait_event");
}

void __wait_sleep(struct wait_queue_head *wq, u64 seq)
{
	if (kernel_is_sim()) {
		if (current)
			wq->waiters |= BIT(current->pid);
		sim_block(wq, "wait_event");
		return;
	}
	thr_wait_sleep(wq, seq);
}

u64 prepare_to_wait(struct wait_queue_head *wq)
{
	if (kernel_is_sim()) {
		kobj_read(wq);
		return 0;
	}
	return thr_wait_prepare(wq);
}

void wait_sleep(struct wait_queue_head *wq, u64 cookie)
{
	__wait_sleep(wq, cookie);
}

void wake_up(struct wait_queue_head *wq)
{
	if (kernel_is_sim()) {
		kobj_write(wq);
		sim_wake_mask(wq->waiters);
		wq->waiters = 0;
		return;
	}
	thr_wake_up(wq);
}
