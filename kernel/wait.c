/* wait.c - wait queues: the front ends of wake_up() and wait_event(), dispatched to the back end. */
#include <pinlab/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	wq->waiters = 0;
	wq->seq = 0;
	kernel_ops->init_waitqueue_head(wq);
}

void destroy_waitqueue_head(struct wait_queue_head *wq)
{
	kernel_ops->destroy_waitqueue_head(wq);
}

u64 __wait_prepare_named(struct wait_queue_head *wq, const char *fn)
{
	return kernel_ops->wait_prepare(wq, fn);
}

u64 __wait_prepare(struct wait_queue_head *wq)
{
	return kernel_ops->wait_prepare(wq, "wait_event");
}

void __wait_sleep(struct wait_queue_head *wq, u64 seq)
{
	kernel_ops->wait_sleep(wq, seq);
}

u64 prepare_to_wait(struct wait_queue_head *wq)
{
	return kernel_ops->prepare_to_wait(wq);
}

void wait_sleep(struct wait_queue_head *wq, u64 cookie)
{
	kernel_ops->wait_sleep(wq, cookie);
}

void wake_up(struct wait_queue_head *wq)
{
	kernel_ops->wake_up(wq);
}
