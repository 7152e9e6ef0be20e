/* blk-mq.c - the request queue and the device task that transfers and completes its bios. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/mmdebug.h>
#include "blk.h"

/*
 * A real disk does its work after submit_bio() has returned: the HBA DMAs
 * the data sector by sector, then raises the completion interrupt, whose
 * handler calls bio_endio() -> end_page_writeback() (or unlocks a read
 * page).  In the model the device is one task per world, created asleep
 * (kthread_run_idle()): it takes no step until a bio is queued, then
 * serves the queue in submission order, one bio at a time: the transfer's
 * sectors, one step each, then the completion in a step of its own.  When
 * that empties the queue it goes back to sleep in the same step.
 *
 * The queue's footprint object is &q->queue_head (links and tail
 * included); @q->wait is its wake-up.  A submitter writes both; the
 * device reads them when it looks for work and writes the queue when it
 * completes a bio.
 */

/* The bio the device is to transfer next, NULL when there is none. */
static struct bio *blk_mq_peek(struct request_queue *q)
{
	kobj_read(&q->queue_head);
	return q->queue_head;
}

/* Queue @bio at the tail and wake the device if it sleeps. */
static void blk_mq_enqueue(struct request_queue *q, struct bio *bio)
{
	kobj_write(&q->queue_head);
	bio->bi_next = NULL;
	if (q->queue_tail)
		q->queue_tail->bi_next = bio;
	else
		q->queue_head = bio;
	q->queue_tail = bio;
	wake_up(&q->wait);
}

/* Take the completed head @bio off the queue. */
static void blk_mq_dequeue(struct request_queue *q, struct bio *bio)
{
	kobj_write(&q->queue_head);
	q->queue_head = bio->bi_next;
	if (!q->queue_head)
		q->queue_tail = NULL;
	bio->bi_next = NULL;
}

/*
 * blk_mq_complete_request(): the interrupt after the last sector; the bio
 * leaves the queue and its owner's completion runs.
 */
static void blk_mq_complete_request(struct request_queue *q, struct bio *bio)
{
	__sched_point(blk_end_io_obj(bio), KACC_WRITE, "bio_endio");
	blk_mq_dequeue(q, bio);
	blk_complete_bio(bio);
}

/*
 * The device task.  @woken: the step being taken began with the wake-up
 * by a submission, so the first sector moves in it; after a completion a
 * scheduling point comes before the next bio's first sector.
 */
static int blk_mq_device(void *arg)
{
	struct request_queue *q = arg;
	bool woken = true;
	struct bio *bio;
	u64 cookie;

	for (;;) {
		cookie = prepare_to_wait(&q->wait);
		bio = blk_mq_peek(q);
		if (!bio) {
			wait_sleep(&q->wait, cookie);
			woken = true;
			continue;
		}
		blk_dev_transfer(bio, woken, "blk_mq_dispatch");
		blk_mq_complete_request(q, bio);
		woken = false;
	}
	return 0;
}

/**
 * blk_mq_submit_bio() - hand a bio to the device
 * @bio: bounced and with its integrity data, if it needs them
 *
 * Queued for the device task, which it wakes; a bio that failed already
 * (no bounce page) completes at once, and without a device task the
 * submitter does the device's work (blk_execute_inline()).
 * Context: the submitter's step; returns before the transfer.
 */
void blk_mq_submit_bio(struct bio *bio)
{
	struct request_queue *q = bio->bi_disk->queue;

	if (bio->bi_status || !q || !q->device) {
		blk_execute_inline(bio);
		return;
	}
	blk_mq_enqueue(q, bio);
}

/**
 * blk_mq_init_queue() - give @w's disk a request queue and a device task
 * @w: the world, its disk set up
 *
 * From then on submit_bio() queues bios for the device task, which
 * transfers and completes them in submission order, one at a time; the
 * work completions defer runs in a worker task (@q->system_wq).  Both
 * start asleep and take no step until they get work.
 * Context: the explorer's setup, after the test's own tasks are created.
 * Return: 0, or -ENOMEM; without a device task (threads back end, task
 * table full) I/O stays synchronous and 0 is returned.
 */
int blk_mq_init_queue(struct mm_world *w)
{
	struct request_queue *q = arena_alloc(&exec_arena, sizeof(*q));

	if (!q)
		return -ENOMEM;
	init_waitqueue_head(&q->wait);
	q->device = kthread_run_idle(blk_mq_device, q, "disk", &q->wait);
	alloc_workqueue(&q->system_wq, "kworker");
	w->disk->queue = q;
	mm_debug_queue(q);
	return 0;
}
