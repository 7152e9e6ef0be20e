/* workqueue.c - a worker task per workqueue running queued work in FIFO order. */
#include <pinlab/workqueue.h>

/* The next work of @wq, NULL when there is none. */
static struct work_struct *wq_peek(struct workqueue_struct *wq)
{
	kobj_read(&wq->head);
	return wq->head;
}

/* Take the head work @work off @wq. */
static void wq_dequeue(struct workqueue_struct *wq, struct work_struct *work)
{
	kobj_write(&wq->head);
	wq->head = work->next;
	if (!wq->head)
		wq->tail = NULL;
	work->next = NULL;
}

/*
 * worker_thread(): the worker takes each work off the queue and runs it.
 * The first work after a wake-up starts in the step the wake-up began; a
 * scheduling point comes before each later one.  An empty queue puts the
 * worker to sleep in the step that found it empty.
 */
static int worker_thread(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct work_struct *work;
	u64 cookie;

	for (;;) {
		cookie = prepare_to_wait(&wq->wait);
		work = wq_peek(wq);
		if (!work) {
			wait_sleep(&wq->wait, cookie);
			continue;
		}
		wq_dequeue(wq, work);
		work->func(work);
		if (wq_peek(wq))
			__sched_point(&wq->head, KACC_READ, "worker_thread");
	}
	return 0;
}

int alloc_workqueue(struct workqueue_struct *wq, const char *comm)
{
	init_waitqueue_head(&wq->wait);
	wq->head = NULL;
	wq->tail = NULL;
	wq->worker = kthread_run_idle(worker_thread, wq, comm, &wq->wait);
	return 0;
}

void queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	if (!wq->worker) {
		work->func(work);
		return;
	}
	kobj_write(&wq->head);
	work->next = NULL;
	if (wq->tail)
		wq->tail->next = work;
	else
		wq->head = work;
	wq->tail = work;
	wake_up(&wq->wait);
}
