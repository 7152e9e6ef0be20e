/* test_btrfs.c - btrfs: copy on write, checksums at submission, bounces, skipped cleaning and fsync errors, on sim. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/bio.h>
#include <pinlab/blkdev.h>
#include <pinlab/drivers.h>
#include <pinlab/fs.h>
#include <pinlab/gup.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

#include "harness.h"

/*
 * Scenarios (tests/harness.h) in a world with one btrfs file A of one
 * page; task 1, when there is one, is the flusher.
 */

#define INIT_VALUE	1	/* the file's initial page value */
#define WRITE_VALUE	5	/* what write(2) puts there */
#define DMA_VALUE	7	/* what the device writes */

/* The world of every scenario here, first in its initializer. */
#define BTRFS_WORLD	.fs = &btrfs_profile, .init = { INIT_VALUE }, \
			.comm = { "task", "flusher" }

static struct page *cached_page(struct mm_world *w)
{
	return file_a(w)->i_mapping->i_pages[0];
}

/* What a crash would leave for page 0 of A right now. */
static s64 ondisk(struct mm_world *w)
{
	return mm_ondisk(w, 0, 0);
}

/* ---- copy on write and checksums ---- */

/* write(2) of WRITE_VALUE into page 0 of A: dirty, no extent yet. */
static void prepare_write(struct mm_world *w)
{
	generic_perform_write(file_a(w), 0, WRITE_VALUE);
}

static int task_writeback_sync_all(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct page *page = cached_page(w);
	long old = inode->i_blocks[0];
	struct disk_block *b;

	obs[0] = PageDirty(page);
	obs[1] = writeback_inode(inode, WB_SYNC_ALL);
	obs[2] = inode->i_blocks[0] != old;	/* a new extent */
	obs[3] = ondisk(w);
	obs[4] = disk_value(w, old);		/* the old one untouched */
	obs[5] = PageDirty(page) || PageWriteback(page);
	b = &w->disk->blocks[inode->i_blocks[0]];
	obs[6] = b->has_csum;
	obs[7] = b->csum[0] == sector_csum(WRITE_VALUE) &&
		 b->csum[1] == sector_csum(WRITE_VALUE);
	obs[8] = w->disk->blocks[old].has_csum;		/* initial data: nodatasum */
	return 0;
}

static void test_btrfs_writeback_cows_and_stores_csums(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder", .prepare = prepare_write,
		     .task = { task_writeback_sync_all });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(1, 0, 1, WRITE_VALUE, INIT_VALUE, 0, 1, 1, 0);
	assert_int_equal(res.flags_any, 0);
}

static int task_flusher_sync_all(void *arg)
{
	writeback_inode(file_a(arg), WB_SYNC_ALL);
	return 0;
}

/* A crash at any moment: what the file points at, and what that holds. */
static int task_crash_view(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = ondisk(w);
	return 0;
}

/* count[0]: old data, [1]: new data, [2]: anything else (torn). */
static void check_old_or_new(struct mm_world *w)
{
	(void)w;
	res.count[obs[0] == INIT_VALUE ? 0 : obs[0] == WRITE_VALUE ? 1 : 2]++;
}

/*
 * Copy on write: the file points at the new extent only when its I/O has
 * ended, so a crash at any moment finds the old data or the new, whole.
 *
 *   task 0 (a crash)             flusher (task 1)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  new extent, bio submitted
 *   ondisk(): old extent, 1
 *                                  bio_endio(): ordered extent done,
 *                                  i_blocks[0] = the new extent
 *   ondisk(): new extent, 5
 */
static void test_btrfs_file_points_to_new_extent_only_after_io(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder", .prepare = prepare_write,
		     .task = { task_crash_view, task_flusher_sync_all },
		     .check = check_old_or_new);
	assert_true(res.count[0] > 0);		/* before the ordered extent ended */
	assert_true(res.count[1] > 0);		/* after */
	assert_int_equal(res.count[2], 0);	/* never half-written */
}

/* Page 0 holds WRITE_VALUE on disk, checksummed, and left the page cache. */
static void prepare_written_and_evicted(struct mm_world *w)
{
	prepare_write(w);
	writeback_inode(file_a(w), WB_SYNC_ALL);
	invalidate_mapping_pages(file_a(w)->i_mapping);
}

static int task_read(void *arg)
{
	struct mm_world *w = arg;
	struct page *page;

	obs[0] = cached_page(w) == NULL;
	obs[1] = filemap_read(file_a(w), 0);
	page = cached_page(w);
	obs[2] = page && PageUptodate(page);
	obs[3] = mm_readback(w, 0, 0);
	return 0;
}

static void test_btrfs_clean_read_verifies(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder",
		     .prepare = prepare_written_and_evicted, .task = { task_read });
	ASSERT_OBS(1,	/* read from disk */
		   WRITE_VALUE,
		   1,
		   WRITE_VALUE);
	assert_int_equal(res.flags_any, 0);
}

/* A sector of the written block changes on disk behind btrfs's back. */
static void prepare_corrupted_block(struct mm_world *w)
{
	prepare_written_and_evicted(w);
	w->disk->blocks[file_a(w)->i_blocks[0]].data[1] = DMA_VALUE;
}

static void test_btrfs_corrupted_block_fails_read(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder",
		     .prepare = prepare_corrupted_block, .task = { task_read });
	assert_int_equal(obs[0], 1);
	assert_int_equal(obs[2], 0);		/* the page is not up to date */
	assert_int_equal(obs[3], LT_VAL_EIO);
}

/* ---- a device writing the page while it is written back ---- */

/* The device pins page 0 for write: the fault dirties it. */
static void prepare_pinned(struct mm_world *w)
{
	long ret = pin_user_pages(w->mm[0], file_a(w), 0, 1,
				  FOLL_WRITE | FOLL_LONGTERM, &gh);

	obs[15] = ret;
}

static int task_device_dma(void *arg)
{
	(void)arg;
	dma_write_page(gh.pages[0], DMA_VALUE);
	return 0;
}

/*
 * count[0]: csum_error, [1]: the block reads back eio, [2]: it reads back
 * torn (a copy of the page made while the device wrote it).
 */
static void check_csum(struct mm_world *w)
{
	s64 v = mm_readback(w, 0, 0);

	res.count[0] += raised_now(PLF_CSUM_ERROR);
	res.count[1] += v == LT_VAL_EIO;
	res.count[2] += v == LT_VAL_TORN;
}

/*
 * The placeholder lets the device write a page btrfs has summed: the
 * checksums are computed as the bio is submitted, after the page lock is
 * dropped, and the disk stores whatever the page holds when it reads it.
 *
 *   device (task 0)              flusher (task 1)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  extent_writepage(): new extent,
 *                                  PG_writeback, unlock_page()
 *                                  btrfs_csum_one_bio(): csums of 1 1
 *   dma_write_page(7): 7 7
 *                                  disk: 7 7 with csums of 1 1:
 *                                  PLF_CSUM_ERROR, reads back eio
 *
 * With the DMA before the checksums (or after the disk read the page)
 * the block is consistent: some executions are clean.
 */
static void test_btrfs_dma_after_csum_placeholder(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder", .prepare = prepare_pinned,
		     .task = { task_device_dma, task_flusher_sync_all }, .check = check_csum);
	assert_int_equal(obs[15], 1);
	assert_true(res.count[0] > 0);
	assert_int_equal(res.count[1], res.count[0]);
	assert_true(res.count[0] < res.executions);
}

/*
 * The block layer's copy comes after btrfs_csum_one_bio(): too late.
 *
 *   device (task 0)              flusher (task 1)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  btrfs_csum_one_bio(): csums of 1 1
 *   dma_write_page(7): 7 7
 *                                  blk_queue_bounce(): copy of 7 7
 *                                  disk: 7 7 with csums of 1 1:
 *                                  PLF_CSUM_ERROR, reads back eio
 */
static void test_btrfs_dma_after_csum_block_bounce(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "block-bounce", .prepare = prepare_pinned,
		     .task = { task_device_dma, task_flusher_sync_all }, .check = check_csum);
	assert_int_equal(obs[15], 1);
	assert_true(res.cost.bounces > 0);
	assert_true(res.count[0] > 0);
	assert_int_equal(res.count[1], res.count[0]);
}

/*
 * btrfs sums the copy clear_page_dirty_for_io() handed back.
 *
 *   device (task 0)              flusher (task 1)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  clear_page_dirty_for_io(): copy
 *   dma_write_page(7): 7 7         (into the pinned page)
 *                                  btrfs_csum_one_bio() and the disk:
 *                                  the copy and its own csums
 *
 * With the DMA during the copy the copy is torn, but summed as it is.
 */
static void test_btrfs_dma_never_breaks_csum_fs_bounce(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "fs-bounce", .prepare = prepare_pinned,
		     .task = { task_device_dma, task_flusher_sync_all }, .check = check_csum);
	assert_int_equal(obs[15], 1);
	assert_true(res.executions > 1);
	assert_int_equal(res.cost.bounces, res.executions);
	assert_int_equal(res.count[0], 0);
	assert_int_equal(res.count[1], 0);
	assert_true(res.count[2] > 0);		/* the copy may be torn, never unsummed */
	assert_false(raised(res.flags_any, PLF_CSUM_ERROR));
}

/* Page 0 cached, clean and under writeback (an I/O in flight). */
static void prepare_clean_under_writeback(struct mm_world *w)
{
	put_page(filemap_get_page(file_a(w)->i_mapping, 0, false));
	page_set_flag(cached_page(w), PG_writeback);
}

/* The device pins the page for write: the write fault goes through ->page_mkwrite. */
static int task_device_pin(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = pin_user_pages(w->mm[0], file_a(w), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &gh);
	obs[1] = PageWriteback(cached_page(w));
	return 0;
}

static int task_end_io(void *arg)
{
	struct page *page = cached_page(arg);

	sched_point(&page->flags, KACC_WRITE);
	end_page_writeback(page);
	return 0;
}

/* count[0]: the pin was taken while the page was still under writeback. */
static void check_pinned_under_writeback(struct mm_world *w)
{
	(void)w;
	res.count[0] += obs[0] != 1 || obs[1];
}

/*
 * btrfs wants stable pages: the pin's write fault waits in
 * ->page_mkwrite() until the I/O in flight has ended.
 *
 *   device (task 0)              task 1 (the I/O in flight)
 *   pin_user_pages(FOLL_WRITE)
 *     page_mkwrite():
 *     folio_wait_stable(): sleeps
 *                                end_page_writeback() ----> woken
 *     pinned, PG_writeback clear
 */
static void test_btrfs_page_mkwrite_waits_for_stable_page(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder",
		     .prepare = prepare_clean_under_writeback,
		     .task = { task_device_pin, task_end_io },
		     .check = check_pinned_under_writeback);
	assert_true(res.executions > 1);
	assert_int_equal(res.count[0], 0);
	assert_true(res.cost.stable_waits > 0);
}

/* ---- cleaning writeback and pinned pages ---- */

static int task_writeback_none_then_all(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct page *page = gh.pages[0];
	long old = inode->i_blocks[0];

	dma_write_page(page, DMA_VALUE);
	writeback_inode(inode, WB_SYNC_NONE);
	obs[0] = PageDirty(page);
	obs[1] = ondisk(w);
	obs[2] = inode->i_blocks[0] == old;
	writeback_inode(inode, WB_SYNC_ALL);
	obs[3] = PageDirty(page);
	obs[4] = ondisk(w);
	return 0;
}

static void test_btrfs_cleaning_skips_pinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "pinlab", .prepare = prepare_pinned,
		     .task = { task_writeback_none_then_all });
	assert_int_equal(obs[15], 1);
	ASSERT_OBS(1,	/* WB_SYNC_NONE left it dirty */
		   INIT_VALUE,
		   1);
	assert_int_equal(res.cost.skipped, 1);
	assert_int_equal(obs[3], 0);		/* WB_SYNC_ALL wrote it */
	assert_int_equal(obs[4], DMA_VALUE);
	assert_int_equal(res.flags_any, 0);
}

static void test_btrfs_cleaning_writes_pinned_page_without_skip(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "fs-bounce", .prepare = prepare_pinned,
		     .task = { task_writeback_none_then_all });
	ASSERT_OBS(0,	/* WB_SYNC_NONE wrote it */
		   DMA_VALUE,
		   0);
	assert_int_equal(res.cost.skipped, 0);
}

/* ---- integrity writeback waits, fsync reports errors ---- */

/* Page 0 dirty and already under writeback (an earlier I/O in flight). */
static void prepare_dirty_under_writeback(struct mm_world *w)
{
	prepare_write(w);
	page_set_flag(cached_page(w), PG_writeback);
}

/* count[0]: the new data reached the disk. */
static void check_written(struct mm_world *w)
{
	res.count[0] += ondisk(w) == WRITE_VALUE;
}

/*
 * Integrity writeback waits for the earlier I/O, then writes the new data.
 *
 *   task 0 (the I/O in flight)   flusher (task 1)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  PG_writeback: wait
 *   end_page_writeback() ------> woken
 *                                  written: disk 5
 * or end_page_writeback() first, and no wait.
 */
static void test_btrfs_sync_all_waits_on_writeback(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder",
		     .prepare = prepare_dirty_under_writeback,
		     .task = { task_end_io, task_flusher_sync_all }, .check = check_written);
	assert_int_equal(res.count[0], res.executions);
	assert_true(res.cost.wb_waits > 0);
	assert_true(res.cost.wb_waits < res.executions);
}

static int task_fsync_twice(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = vfs_fsync(file_a(w));
	obs[1] = vfs_fsync(file_a(w));
	return 0;
}

/*
 * count[0]: io_error and fsync said -EIO, [1]: io_error but fsync said 0,
 * [2]: no io_error but fsync failed, [3]: the second fsync failed.
 */
static void check_fsync(struct mm_world *w)
{
	bool io_error = raised_now(PLF_IO_ERROR);

	(void)w;
	res.count[0] += io_error && obs[0] == -EIO;
	res.count[1] += io_error && obs[0] != -EIO;
	res.count[2] += !io_error && obs[0] != 0;
	res.count[3] += obs[1] != 0;
}

/*
 * On a DIF disk a DMA after the guards fails the write; fsync(2) reports
 * it, once.
 *
 *   device (task 0)              task 1
 *                                vfs_fsync()
 *                                  guards of 1 1
 *   dma_write_page(7): 7 7
 *                                  guard mismatch: -EIO, PLF_IO_ERROR
 *                                = -EIO
 *                                vfs_fsync() = 0
 */
static void test_btrfs_fsync_reports_failed_write(void **state)
{
	(void)state;
	RUN_SCENARIO(BTRFS_WORLD, .policy = "placeholder", .dif = true,
		     .prepare = prepare_pinned,
		     .task = { task_device_dma, task_fsync_twice }, .check = check_fsync);
	assert_int_equal(obs[15], 1);
	assert_true(res.count[0] > 0);
	assert_int_equal(res.count[1], 0);
	assert_int_equal(res.count[2], 0);
	assert_int_equal(res.count[3], 0);	/* reported once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btrfs_writeback_cows_and_stores_csums),
		cmocka_unit_test(test_btrfs_file_points_to_new_extent_only_after_io),
		cmocka_unit_test(test_btrfs_clean_read_verifies),
		cmocka_unit_test(test_btrfs_corrupted_block_fails_read),
		cmocka_unit_test(test_btrfs_dma_after_csum_placeholder),
		cmocka_unit_test(test_btrfs_dma_after_csum_block_bounce),
		cmocka_unit_test(test_btrfs_dma_never_breaks_csum_fs_bounce),
		cmocka_unit_test(test_btrfs_page_mkwrite_waits_for_stable_page),
		cmocka_unit_test(test_btrfs_cleaning_skips_pinned_page),
		cmocka_unit_test(test_btrfs_cleaning_writes_pinned_page_without_skip),
		cmocka_unit_test(test_btrfs_sync_all_waits_on_writeback),
		cmocka_unit_test(test_btrfs_fsync_reports_failed_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
