/* bio.h - struct bio, submit_bio(), bouncing and integrity: the block layer of the model. */
#ifndef PINLAB_BIO_H
#define PINLAB_BIO_H

#include <pinlab/cost.h>
#include <pinlab/crc.h>
#include <pinlab/mm_types.h>
#include <pinlab/wait.h>
#include <pinlab/workqueue.h>

/**
 * struct bio - one page of I/O to or from one disk block
 * @bi_page:      the page the device transfers (a bounce copy when bounced)
 * @bi_orig:      the page cache page when @bi_page is a bounce copy, else NULL
 * @bi_disk:      the disk it goes to (the kernel's bio->bi_bdev->bd_disk)
 * @bi_block:     disk block
 * @bi_write:     a write (else a read)
 * @bi_status:    0, or -EIO once the device failed it (DIF guard mismatch)
 * @bi_has_csum:  @bi_csum holds the filesystem's data checksums (btrfs),
 *		  stored with the block and verified when it is read
 * @bi_csum:      per-sector crc32c of the data, computed by the filesystem
 * @bi_has_guard: the device is DIF/DIX and @bi_guard was generated
 * @bi_guard:     per-sector T10-DIF guard tags, generated at submission over
 *		  the data in memory (bio_integrity_prep())
 * @bi_bounced:   @bi_page is the block layer's bounce copy (blk_queue_bounce()),
 *		  freed at completion
 * @bi_end_io:    completion, called by the device's task after the transfer
 *		  (by the submitter when no device task runs)
 * @bi_private:   owner's data for @bi_end_io
 * @bi_next:      next bio in the request queue; its footprint object is
 *		  the queue's (&q->queue_head)
 *
 * Private to its submitter until submit_bio(), then to the device: a step
 * of the device that changes it records a write of the bio.
 */
struct bio {
	struct page *bi_page;
	struct page *bi_orig;
	struct gendisk *bi_disk;
	long bi_block;
	bool bi_write;
	int bi_status;
	bool bi_has_csum;
	u32 bi_csum[PAGE_SECTORS_MAX];
	bool bi_has_guard;
	u16 bi_guard[PAGE_SECTORS_MAX];
	bool bi_bounced;
	void (*bi_end_io)(struct bio *bio);
	void *bi_private;
	struct bio *bi_next;
};

/**
 * struct request_queue - the disk's queue and the device task serving it
 * @queue_head: bios submitted and not yet completed, oldest first (the
 *		first is the one the device transfers); object of footprints
 *		for the whole queue, links and @queue_tail included
 * @queue_tail: the newest bio, NULL when the queue is empty
 * @wait:       the device sleeps here while the queue is empty
 * @device:     the device task, NULL when none runs (threads back end,
 *		unit tests): submit_bio() then runs the device inline
 * @system_wq:  the system workqueue and its worker, where completions defer
 *		what they may not do in the interrupt (bio_dirty_work)
 */
struct request_queue {
	struct bio *queue_head;
	struct bio *queue_tail;
	struct wait_queue_head wait;
	struct task_struct *device;
	struct workqueue_struct system_wq;
};

int blk_mq_init_queue(struct mm_world *w);

struct bio *bio_alloc(struct page *page, long block, bool write);

void submit_bio(struct bio *bio);

int submit_bio_wait(struct bio *bio);

struct page *bio_page(struct bio *bio);

struct page *bounce_page(struct page *page, const char *fn);

#endif /* PINLAB_BIO_H */
