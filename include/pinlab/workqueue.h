/* workqueue.h - deferred work run by a worker task: queue_work() and its worker. */
#ifndef PINLAB_WORKQUEUE_H
#define PINLAB_WORKQUEUE_H

#include <pinlab/wait.h>

/**
 * struct work_struct - one piece of deferred work
 * @func: what the worker calls, with the work as argument
 * @next: next work in the queue; its footprint object is the queue's
 *	  (&wq->head)
 */
struct work_struct {
	void (*func)(struct work_struct *work);
	struct work_struct *next;
};

/**
 * struct workqueue_struct - a FIFO of work and the worker task serving it
 * @head:   queued work, oldest first; footprint object of the whole queue
 *	    (@tail and the links included)
 * @tail:   the newest work, NULL when the queue is empty
 * @wait:   the worker sleeps here while the queue is empty
 * @worker: the worker task (kthread_run_idle()), NULL when none runs: then
 *	    queue_work() runs the work at once in the caller
 */
struct workqueue_struct {
	struct work_struct *head;
	struct work_struct *tail;
	struct wait_queue_head wait;
	struct task_struct *worker;
};

/**
 * INIT_WORK() - make @work call @fn when it runs
 */
static inline void INIT_WORK(struct work_struct *work, void (*fn)(struct work_struct *))
{
	work->func = fn;
	work->next = NULL;
}

/**
 * alloc_workqueue() - start @wq's worker task, asleep until work is queued
 * @wq:   the workqueue, zeroed
 * @comm: the worker's label for traces ("kworker")
 *
 * Context: the explorer's setup.
 * Return: 0; without a worker task (threads back end, task table full)
 * work runs in the task that queues it.
 */
int alloc_workqueue(struct workqueue_struct *wq, const char *comm);

/**
 * queue_work() - run @work later, in @wq's worker
 * @wq:   the workqueue
 * @work: from INIT_WORK(), not queued already
 *
 * Context: a task, in any step: it does not sleep.
 */
void queue_work(struct workqueue_struct *wq, struct work_struct *work);

#endif /* PINLAB_WORKQUEUE_H */
