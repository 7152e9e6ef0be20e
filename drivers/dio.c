/* dio.c - O_DIRECT read into a mapped file page: flush, map, pin, DMA from disk, dirty, release. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/bio.h>
#include <pinlab/dax.h>
#include <pinlab/drivers.h>
#include <pinlab/fs.h>
#include <pinlab/gup.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/workqueue.h>
#include <pinlab/writeback.h>

/*
 * The iomap direct I/O read of one page (ext4 since 5.5):
 *
 *  __iomap_dio_rw()        nothing to read at or beyond EOF; flush the
 *                          source range (kiocb_write_and_wait())
 *  ->iomap_begin()         look up the source block
 *  iomap_dio_hole_iter()   a hole: zero the user buffer with a CPU store
 *  iomap_dio_bio_iter()    else take the buffer page (pinned where pins are
 *                          tracked), dirty it (bio_set_pages_dirty()) and
 *                          submit_bio(); the submitter sleeps until the
 *                          bio completes: the disk DMAs the block into the
 *                          page meanwhile, in the device's task
 *  iomap_dio_bio_end_io()  in the device's completion: wake the submitter,
 *                          then bio_check_pages_dirty(): a page still
 *                          dirty is released there; one writeback cleaned
 *                          meanwhile goes to a worker (bio_dirty_work),
 *                          which dirties it again and releases it.  So
 *                          read(2) may return before the page is released.
 *
 * Base 4.20: ext4 used fs/direct-io.c, where the submitter itself releases
 * the pages once woken (dio_await_completion() -> dio_bio_complete()), so
 * read(2) returns with them released.
 */

/**
 * struct dio - one direct read in flight (struct iomap_dio)
 * @h:     the user buffer's pages
 * @error: the bio's status, for read(2)
 * @done:  the bio completed: the submitter may go on; footprint object of
 *	   @error too
 * @wait:  where the submitter sleeps until @done
 * @work:  bio_dirty_work: the deferred redirtying and release (6.18)
 *
 * In the execution arena: on base 6.18 the completion and its work
 * outlive the submitter's wait.
 */
struct dio {
	struct gup_handle h;
	int error;
	bool done;
	struct wait_queue_head wait;
	struct work_struct work;
};

/* ext4_iomap_begin() - the disk block of page @index, -1 for a hole; under i_data_sem. */
static long dio_iomap_begin(struct inode *inode, pgoff_t index)
{
	long *block = &inode->i_blocks[index];

	__sched_point(block, KACC_READ, "ext4_iomap_begin");
	return i_block_read(inode, index);
}

/* iomap_dio_hole_iter() - a hole reads as zeroes, copied to the user buffer by the CPU. */
static int dio_hole_iter(struct mm_struct *mm, struct inode *dst, pgoff_t i)
{
	return mm_store(mm, dst, i, 0);
}

/*
 * bio_iov_iter_get_pages() - take the user buffer's page for the device to
 * write: iov_iter_extract_pages() pins it where pins are tracked; before
 * that, a plain reference from get_user_pages().
 */
static int dio_get_buffer_page(struct mm_struct *mm, struct inode *dst,
			       pgoff_t i, struct gup_handle *h)
{
	long ret;

	if (inode_policy(dst)->pin != PIN_NONE)
		ret = pin_user_pages(mm, dst, i, 1, FOLL_WRITE, h);
	else
		ret = get_user_pages(mm, dst, i, 1, FOLL_WRITE, h);
	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -EFAULT;
}

/* bio_set_pages_dirty() - dirty the buffer pages before the device writes them. */
static void bio_set_pages_dirty(struct gup_handle *h)
{
	int k;

	for (k = 0; k < h->nr; k++)
		set_page_dirty_lock(h->pages[k]);
}

/*
 * bio_check_pages_dirty() - at completion, a page writeback cleaned during
 * the transfer is dirtied again (bio_release_pages(bio, true)); then each
 * page is released as it was taken.
 */
static void bio_check_pages_dirty(struct gup_handle *h)
{
	struct page *page;
	int k;

	if (h->flags & FOLL_PIN) {
		unpin_user_pages_dirty_lock(h->pages, h->nr, true);
		return;
	}
	for (k = 0; k < h->nr; k++) {
		page = h->pages[k];
		__sched_point(&page->flags, KACC_READ, "bio_check_pages_dirty");
		if (!PageDirty(page)) {
			set_page_dirty_lock(page);
			__sched_point(&page->_refcount, KACC_WRITE,
				      "bio_release_pages");
		}
		put_page(page);
	}
}

/* bio_release_pages(bio, false): give the pages back as they were taken. */
static void dio_release_pages(struct gup_handle *h)
{
	int k;

	if (h->flags & FOLL_PIN) {
		unpin_user_pages(h->pages, h->nr);
		return;
	}
	for (k = 0; k < h->nr; k++)
		put_page(h->pages[k]);
}

/* bio_dirty_fn(): the worker redirties the page and releases it. */
static void bio_dirty_fn(struct work_struct *work)
{
	struct dio *dio = container_of(work, struct dio, work);

	bio_check_pages_dirty(&dio->h);
}

/*
 * bio_check_pages_dirty() as 6.18 runs it from the completion: a page
 * still dirty needs nothing but its release; if writeback cleaned it, the
 * redirtying takes the page lock, which the interrupt may not, and goes to
 * the system workqueue of @q, the bio's disk's queue (without one, no
 * worker runs: the redirtying is done at once).
 */
static void bio_check_pages_dirty_irq(struct dio *dio, struct request_queue *q)
{
	if (PageDirty(dio->h.pages[0])) {
		dio_release_pages(&dio->h);
		return;
	}
	INIT_WORK(&dio->work, bio_dirty_fn);
	if (!q) {		/* no device task: all runs in the submitter */
		bio_dirty_fn(&dio->work);
		return;
	}
	queue_work(&q->system_wq, &dio->work);
}

/*
 * iomap_dio_bio_end_io() - the bio's completion, in the device's task:
 * the submitter is woken (iomap_dio_done()), then, on base 6.18, the pages
 * are checked and released.
 */
static void iomap_dio_bio_end_io(struct bio *bio)
{
	struct dio *dio = bio->bi_private;

	kobj_write(&dio->done);
	dio->error = bio->bi_status;
	dio->done = true;
	wake_up(&dio->wait);
	if (page_policy(bio->bi_page)->base == BASE_6_18)
		bio_check_pages_dirty_irq(dio, bio->bi_disk->queue);
}

/* Sleep until the bio completed; tested in the step that submitted it. */
static void dio_await_completion(struct dio *dio)
{
	u64 cookie;

	for (;;) {
		cookie = prepare_to_wait(&dio->wait);
		kobj_read(&dio->done);
		if (dio->done)
			return;
		wait_sleep(&dio->wait, cookie);
	}
}

/*
 * iomap_dio_bio_iter() for a mapped block: the disk DMAs @block into the
 * buffer page, one sector per step; no PTE is consulted.
 * Return: 0, or -EIO when the read failed (a btrfs checksum mismatch).
 */
static int dio_submit_and_wait(struct dio *dio, long block)
{
	struct bio *bio = bio_alloc(dio->h.pages[0], block, false);

	if (!bio) {
		dio_release_pages(&dio->h);
		return -ENOMEM;
	}
	init_waitqueue_head(&dio->wait);
	bio->bi_end_io = iomap_dio_bio_end_io;
	bio->bi_private = dio;
	submit_bio(bio);
	dio_await_completion(dio);
	/* 4.20's fs/direct-io.c: dio_bio_complete() in the submitter. */
	if (page_policy(dio->h.pages[0])->base == BASE_4_20)
		bio_check_pages_dirty(&dio->h);
	return dio->error;
}

/*
 * shmem_dio_read() - tmpfs accepts O_DIRECT since 6.6 ("tmpfs: trivial
 * support for direct IO", e88e0d366f9c) and shmem_file_read_iter() serves
 * it as a buffered read: copy_page_to_iter() from the page cache page into
 * the user buffer, one sector per step.  No page of the buffer is pinned.
 */
static int shmem_dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
			  struct inode *dst, pgoff_t i)
{
	struct page *page = filemap_get_page(src->i_mapping, j, false);
	int s, ret = 0;
	s64 v;

	if (!page)
		return -ENOMEM;
	for (s = 0; s < page->nr_sectors && !ret; s++) {
		__sched_point(&page->data[s], KACC_READ, "copy_page_to_iter");
		v = page_read_sector(page, s);
		ret = mm_store_sector(mm, dst, i, s, v);
	}
	put_page(page);
	return ret;
}

/*
 * dax_dio_read() - O_DIRECT from a DAX file is dax_iomap_rw(): one
 * ->iomap_begin() for the page, then the CPU copies the block's sectors
 * into the user buffer (zeros for a hole); no bio, no pin.
 */
static int dax_dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
			struct inode *dst, pgoff_t i)
{
	long block = dax_iomap_lookup(src, j);
	int s, ret = 0;

	for (s = 0; s < src->i_world->sectors && !ret; s++)
		ret = mm_store_sector(mm, dst, i, s,
				      block < 0 ? 0 : dax_block_sector(src->i_world, block, s));
	return ret;
}

/*
 * dio_source_ok() - open(O_DIRECT) of @src succeeds: a filesystem with a
 * disk, or tmpfs on base 6.18.  4.20's do_dentry_open() refused O_DIRECT
 * with -EINVAL to a mapping without ->direct_IO, which shmem had not.
 */
static bool dio_source_ok(struct inode *src)
{
	return src->i_sb->has_disk || inode_policy(src)->base == BASE_6_18;
}

/**
 * dio_read() - O_DIRECT read of page @j of @src into the user buffer that
 * maps page @i of @dst in @mm
 * @mm:  the reading task's address space
 * @src: the file read with O_DIRECT
 * @j:   its page
 * @dst: the file whose mapping is the user buffer
 * @i:   the buffer's page in @dst
 *
 * A tmpfs @src (6.18 only) is copied by the CPU, as a buffered read.
 *
 * Return: 0 (also for @j at or beyond EOF: nothing is read), or -errno:
 * -EINVAL when @src is tmpfs on base 4.20, -EFAULT when the buffer cannot
 * be faulted in, -EIO when the block fails its btrfs checksums, or the
 * flush's error.
 */
int dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
	     struct inode *dst, pgoff_t i)
{
	struct dio *dio;
	long block;
	int ret;

	if (!dio_source_ok(src))
		return -EINVAL;
	if (j >= i_size_load(src))
		return 0;
	if (!src->i_sb->has_disk)
		return shmem_dio_read(mm, src, j, dst, i);
	if (IS_DAX(src))
		return dax_dio_read(mm, src, j, dst, i);
	ret = filemap_write_and_wait(src->i_mapping);
	if (ret)
		return ret;
	inode_dio_begin(src);
	block = dio_iomap_begin(src, j);
	if (block < 0) {
		ret = dio_hole_iter(mm, dst, i);
		goto out;
	}
	dio = arena_alloc(&exec_arena, sizeof(*dio));
	if (!dio) {
		ret = -ENOMEM;
		goto out;
	}
	ret = dio_get_buffer_page(mm, dst, i, &dio->h);
	if (ret)
		goto out;
	bio_set_pages_dirty(&dio->h);
	ret = dio_submit_and_wait(dio, block);
out:
	inode_dio_end(src);
	return ret;
}
