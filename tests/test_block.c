/* test_block.c - the block layer: CRCs, bios, bouncing, DIF guards and stored checksums, on sim. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/bio.h>
#include <pinlab/blkdev.h>
#include <pinlab/crc.h>
#include <pinlab/drivers.h>
#include <pinlab/gup.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

#include "harness.h"

/*
 * Scenarios (tests/harness.h) in a world with file A of one page on ext4;
 * task 0 is the device, task 1 the flusher.
 */

#define SECTORS		HARNESS_SECTORS
#define INIT_VALUE	1	/* A[0] on disk at the start */
#define WRITE_VALUE	5	/* write(2) before the tasks run */
#define DMA_VALUE	7	/* what the device writes */

/* The world of every scenario here, first in its initializer. */
#define BLOCK_WORLD	.init = { INIT_VALUE }, .comm = { "device", "flusher" }

/* A page and block of the bio-level scenarios, made by prepare_bio_page(). */
static struct {
	struct page *page;		/* WRITE_VALUE, in no page cache */
	long block;			/* a fresh block for it */
	u32 csum[PAGE_SECTORS_MAX];	/* sector_csum() of its sectors */
} bt;

static struct page *cached_page(struct mm_world *w)
{
	return file_a(w)->i_mapping->i_pages[0];
}

static bool mapping_flag(struct mm_world *w, int bit)
{
	return file_a(w)->i_mapping->flags & BIT(bit);
}

/* ---- CRCs ---- */

static const char check_string[] = "123456789";

static void test_crc32c_known_vectors(void **state)
{
	u8 zeros[32], ones[32];

	(void)state;
	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(~crc32c(~0u, check_string, 9), 0xe3069283u);
	assert_int_equal(~crc32c_generic(~0u, check_string, 9), 0xe3069283u);
	/* RFC 3720, B.4: 32 bytes of zeros, 32 bytes of ones */
	assert_int_equal(~crc32c(~0u, zeros, sizeof(zeros)), 0x8a9136aau);
	assert_int_equal(~crc32c(~0u, ones, sizeof(ones)), 0x62a8ab43u);
	/* No inversion inside: a CRC continues where it stopped. */
	assert_int_equal(crc32c(crc32c(~0u, check_string, 4), check_string + 4, 5),
			 crc32c(~0u, check_string, 9));
	assert_int_equal(crc32c(1234, check_string, 0), 1234);
}

static void test_crc_t10dif_known_vector(void **state)
{
	(void)state;
	assert_int_equal(crc_t10dif(0, check_string, 9), 0xd0db);
	assert_int_equal(crc_t10dif(crc_t10dif(0, check_string, 2), check_string + 2, 7),
			 0xd0db);
	assert_int_equal(crc_t10dif(0, check_string, 0), 0);
}

/* xorshift64: reproducible test data. */
static u64 next_random(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void test_crc32c_insn_matches_table(void **state)
{
	u8 buf[512 + 8];
	u64 x = 0x9e3779b97f4a7c15ull;
	size_t i, len, off;

	(void)state;
	if (!crc32c_has_insn())
		skip();
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)next_random(&x);
	for (len = 0; len <= 512; len += 1 + len / 8) {
		for (off = 0; off < 8; off++) {
			u32 seed = (u32)next_random(&x);

			assert_int_equal(crc32c(seed, buf + off, len),
					 crc32c_generic(seed, buf + off, len));
		}
	}
}

static void test_sector_csum_and_guard(void **state)
{
	s64 v = WRITE_VALUE, w = DMA_VALUE;

	(void)state;
	assert_int_equal(sector_csum(v), ~crc32c(~0u, &v, sizeof(v)));
	assert_int_equal(sector_guard(v), crc_t10dif(0, &v, sizeof(v)));
	assert_int_not_equal(sector_csum(v), sector_csum(w));
	assert_int_not_equal(sector_guard(v), sector_guard(w));
}

/* ---- bios on a plain disk ---- */

/* A page of WRITE_VALUE outside any page cache, a fresh block, its checksums. */
static void prepare_bio_page(struct mm_world *w)
{
	int s;

	memset(&bt, 0, sizeof(bt));
	bt.page = alloc_page(w);
	bt.block = disk_alloc_block(w);
	for (s = 0; s < SECTORS; s++) {
		bt.page->data[s] = WRITE_VALUE;
		bt.csum[s] = sector_csum(WRITE_VALUE);
	}
}

static void end_io_record(struct bio *bio)
{
	obs[0] = bio->bi_status;
	obs[1] = 1;			/* called */
	obs[2] = bio_page(bio) == bt.page;
	obs[5] = bio->bi_page == bt.page && !bio->bi_orig;
}

/* Write bt.page to bt.block with its checksums; obs[0..2] from the end_io. */
static int task_write_csum_bio(void *arg)
{
	struct bio *bio = bio_alloc(bt.page, bt.block, true);

	(void)arg;
	if (!bio)
		return -ENOMEM;
	bio->bi_end_io = end_io_record;
	bio->bi_has_csum = true;
	memcpy(bio->bi_csum, bt.csum, sizeof(bt.csum));
	submit_bio(bio);
	return 0;
}

/* Read bt.block into a new page: obs[3] status, obs[4] the page's value. */
static int task_read_bio(void *arg)
{
	struct page *page = alloc_page(arg);
	struct bio *bio = bio_alloc(page, bt.block, false);

	if (!bio)
		return -ENOMEM;
	submit_bio(bio);
	obs[3] = bio->bi_status;
	obs[4] = page_value(page);
	return 0;
}

static int task_dma_bio_page(void *arg)
{
	(void)arg;
	dma_write_page(bt.page, DMA_VALUE);
	return 0;
}

/* Read bt.block with submit_page_read() (a bio on the stack): obs[4] its value. */
static int task_page_read(void *arg)
{
	struct page *page = alloc_page(arg);

	if (!page)
		return -ENOMEM;
	submit_page_read(page, bt.block);
	obs[4] = page_value(page);
	obs[6] = !res.world->disk->queue->queue_head;
	return 0;
}

/*
 * Issue 8: with a device task the write completes after submit_bio()
 * returned, in the device's steps, which run after the task ended.  The
 * epilogue's read of the block, a bio on its stack, sleeps until the
 * device completed it (submit_bio_wait()) and finds the data; the queue
 * is empty after it, and the device idle, which is no deadlock.
 *
 *   task 0                           device (blk_mq)
 *   submit_bio(write): queued
 *   (ends)
 *                                    dispatch: disk <- 5 5
 *                                    bio_endio(): end_io_record()
 *   epilogue: submit_page_read()
 *     submit_bio_wait(): sleeps
 *                                    dispatch: page <- 5 5
 *                                    complete() ----> woken
 *   page holds 5; queue empty
 */
static void test_queued_bios_complete_in_the_device(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .prepare = prepare_bio_page,
		     .task = { task_write_csum_bio }, .epilogue = task_page_read,
		     .queue = true);
	assert_int_equal(res.executions, 1);
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[1], 1);
	assert_int_equal(obs[4], WRITE_VALUE);
	assert_int_equal(obs[6], 1);
	assert_non_null(res.world->disk->queue->device);
	assert_int_equal(res.world->disk->queue->device->state, TASK_BLOCKED);
	assert_int_equal(res.flags_any, 0);
}

static void test_csum_bio_written_and_read_back(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .prepare = prepare_bio_page,
		     .task = { task_write_csum_bio }, .epilogue = task_read_bio);
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(0, 1, 1, 0, WRITE_VALUE, 1);
	assert_int_equal(disk_value(res.world, bt.block), WRITE_VALUE);
	assert_true(res.world->disk->blocks[bt.block].has_csum);
	assert_int_equal(res.flags_any, 0);
	assert_int_equal(res.cost.bounces, 0);
}

/*
 * count[0]: csum_error, [1]: the block reads back eio through disk_value(),
 * [2]: a read bio of it failed with -EIO, [3]: the write bio failed,
 * [4]: clean executions holding WRITE_VALUE, [5]: disagreements.
 */
static void check_csum_bio(struct mm_world *w)
{
	bool csum_error = raised_now(PLF_CSUM_ERROR);
	s64 v = disk_value(w, bt.block);

	res.count[0] += csum_error;
	res.count[1] += v == LT_VAL_EIO;
	res.count[2] += obs[3] == -EIO;
	res.count[3] += obs[0] != 0;
	res.count[4] += !csum_error && v == WRITE_VALUE && obs[3] == 0;
	res.count[5] += csum_error != (v == LT_VAL_EIO) || csum_error != (obs[3] == -EIO);
}

/*
 * The bio's checksums were computed over the page before it was
 * submitted (prepare_bio_page()); a device writing the page before the
 * disk copies it stores data they do not match.
 *
 *   device (task 0)                  writer (task 1)
 *                                    submit_bio(): csums of 5 5
 *   dma_write_page(7): 7 7
 *                                    disk <- 7 7, csums of 5 5:
 *                                    PLF_CSUM_ERROR
 *   epilogue: read bio: -EIO, the block reads back eio
 * or
 *                                    submit_bio(), disk <- 5 5
 *   dma_write_page(7)
 *   epilogue: read bio: 5, clean
 */
static void test_csum_bio_page_changed_after_csum(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .prepare = prepare_bio_page,
		     .task = { task_dma_bio_page, task_write_csum_bio },
		     .epilogue = task_read_bio, .check = check_csum_bio);
	assert_true(res.count[0] > 0);		/* the device changed summed data */
	assert_int_equal(res.count[0], res.count[1]);
	assert_int_equal(res.count[0], res.count[2]);
	assert_int_equal(res.count[3], 0);	/* the write itself succeeds */
	assert_true(res.count[4] > 0);		/* the device came after the DMA */
	assert_int_equal(res.count[5], 0);
	assert_false(raised(res.flags_any, PLF_IO_ERROR));
}

/* ---- ext4 on disk: reads and writes through bios ---- */

static int task_read_a(void *arg)
{
	struct mm_world *w = arg;
	struct page *page;

	obs[0] = filemap_read(file_a(w), 0);
	page = cached_page(w);
	obs[1] = page && PageUptodate(page);
	obs[2] = page && PageLocked(page);
	return 0;
}

static void test_ext4_read_through_bio(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .task = { task_read_a });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(INIT_VALUE, 1, 0);
	assert_int_equal(res.flags_any, 0);
}

static void prepare_write(struct mm_world *w)
{
	generic_perform_write(file_a(w), 0, WRITE_VALUE);
}

static int task_writeback_sync_all(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w);

	obs[0] = writeback_inode(file_a(w), WB_SYNC_ALL);
	obs[1] = mm_ondisk(w, 0, 0);
	obs[2] = PageDirty(page) || PageWriteback(page);
	obs[3] = vfs_fsync(file_a(w));
	return 0;
}

static void test_dif_write_of_stable_page(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .dif = true,
		     .prepare = prepare_write, .task = { task_writeback_sync_all });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(0, WRITE_VALUE, 0, 0);
	assert_int_equal(res.flags_any, 0);
	assert_true(mapping_flag(res.world, AS_STABLE_WRITES));
	assert_false(mapping_flag(res.world, AS_EIO));
}

static void test_plain_disk_needs_no_stable_pages(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .prepare = prepare_write,
		     .task = { task_writeback_sync_all });
	assert_int_equal(obs[1], WRITE_VALUE);
	assert_false(mapping_flag(res.world, AS_STABLE_WRITES));
}

/* ---- a device writing a pinned page while it goes to a DIF disk ---- */

/* write(2), then the device pins page 0 for write. */
static void prepare_pinned(struct mm_world *w)
{
	prepare_write(w);
	obs[15] = pin_user_pages(w->mm[0], file_a(w), 0, 1, FOLL_WRITE, &gh);
}

static int task_device_dma(void *arg)
{
	(void)arg;
	dma_write_page(gh.pages[0], DMA_VALUE);
	return 0;
}

/* Cleaning writeback, then two fsyncs: the first reports a failed write. */
static int task_flusher_then_fsync(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = writeback_inode(file_a(w), WB_SYNC_NONE);
	obs[1] = vfs_fsync(file_a(w));
	obs[2] = vfs_fsync(file_a(w));
	return 0;
}

/*
 * count[0]: io_error, [1]: io_error with a torn block (sectors before the
 * mismatch were written), [2]: io_error with the old block intact,
 * [3]: executions whose page, AS_EIO or fsync disagree with io_error, or
 * where the disk wrote the last sector after a mismatch,
 * [4]: a torn block without io_error (a copy made while the device wrote),
 * [5]: the device's data reached the disk whole.
 */
static void check_dif(struct mm_world *w)
{
	struct page *page = cached_page(w);
	bool io_error = raised_now(PLF_IO_ERROR);
	s64 v = mm_ondisk(w, 0, 0);
	s64 last = w->disk->blocks[file_a(w)->i_blocks[0]].data[SECTORS - 1];

	res.count[0] += io_error;
	res.count[1] += io_error && v == LT_VAL_TORN;
	res.count[2] += io_error && v == INIT_VALUE;
	res.count[3] += obs[15] != 1 || PageWriteback(page) ||
			(io_error && PageDirty(page)) ||
			obs[1] != (io_error ? -EIO : 0) || obs[2] != 0 ||
			mapping_flag(w, AS_EIO) || (io_error && last != INIT_VALUE);
	res.count[4] += !io_error && v == LT_VAL_TORN;
	res.count[5] += v == DMA_VALUE;
}

/*
 * The placeholder writes the pinned page back to a DIF disk as it is: the
 * guards are computed over the page at submission, and the device may
 * change the page before the disk reads it.  One interleaving tears the
 * block (count[1]); with the DMA before sector 0 the write fails there
 * and the old block stays (count[2]); with the DMA before the guards the
 * device's data reaches the disk whole (count[5]).
 *
 *   device (task 0)              flusher (task 1)
 *                                writeback_inode(WB_SYNC_NONE)
 *                                  clear_page_dirty_for_io()
 *                                  bio_integrity_prep(): guards of 5 5
 *                                  disk: sector 0 <- 5, guard ok
 *   dma_write_page(7): 7 7
 *                                  disk: sector 1 is 7, guard of 5:
 *                                  abort, -EIO, PLF_IO_ERROR,
 *                                  block left 5 1 (torn)
 *                                vfs_fsync() = -EIO
 *                                vfs_fsync() = 0 (reported once)
 */
static void test_dif_guard_mismatch_placeholder(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .dif = true,
		     .prepare = prepare_pinned,
		     .task = { task_device_dma, task_flusher_then_fsync },
		     .check = check_dif);
	assert_true(res.count[0] > 0);		/* the guard no longer matched */
	assert_true(res.count[1] > 0);		/* the aborted write tore the block */
	assert_true(res.count[2] > 0);		/* or failed at its first sector */
	assert_int_equal(res.count[0], res.count[1] + res.count[2]);
	assert_int_equal(res.count[3], 0);
	assert_true(res.count[5] > 0);
	assert_true(raised(res.flags_any, PLF_IO_ERROR));
	assert_false(raised(res.flags_any, PLF_CSUM_ERROR));
	assert_int_equal(res.cost.bounces, 0);
}

/*
 * block-bounce gives the disk a copy made at submission: the device's
 * write lands in the pinned page, never in what the guards cover.
 *
 *   device (task 0)              flusher (task 1)
 *                                writeback_inode(WB_SYNC_NONE)
 *                                  clear_page_dirty_for_io()
 *                                  blk_queue_bounce(): pinned,
 *                                  copy of 5 5
 *   dma_write_page(7): 7 7
 *                                  bio_integrity_prep(): guards of
 *                                  the copy; disk <- 5 5, they match
 * and with the DMA in the middle of the copy, a torn copy, its own guards
 * matching it (count[4]).
 */
static void test_dif_block_bounce_never_mismatches(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "block-bounce", .dif = true,
		     .prepare = prepare_pinned,
		     .task = { task_device_dma, task_flusher_then_fsync },
		     .check = check_dif);
	assert_int_equal(res.count[0], 0);
	assert_false(raised(res.flags_any, PLF_IO_ERROR));
	assert_int_equal(res.count[3], 0);
	/* Guards match the copy, but a copy made during the DMA is torn. */
	assert_true(res.count[4] > 0);
	/* One bounce per execution: the pinned page, written once. */
	assert_int_equal(res.cost.bounces, res.executions);
}

/* The block layer copies only pinned pages. */
static void test_block_bounce_skips_unpinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "block-bounce", .dif = true,
		     .prepare = prepare_write, .task = { task_writeback_sync_all });
	assert_int_equal(obs[1], WRITE_VALUE);
	assert_int_equal(res.cost.bounces, 0);
	assert_int_equal(res.flags_any, 0);
}

/* bt.page as a device holding an exact pin would leave it. */
static void prepare_bio_page_pinned(struct mm_world *w)
{
	prepare_bio_page(w);
	atomic_store(&bt.page->_pincount, 1);
}

static void test_block_bounce_bio_completes_on_its_page(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "block-bounce",
		     .prepare = prepare_bio_page_pinned, .task = { task_write_csum_bio });
	assert_int_equal(res.executions, 1);
	assert_int_equal(res.cost.bounces, 1);
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[2], 1);
	assert_int_equal(obs[5], 1);		/* the copy is gone before end_io */
	assert_int_equal(disk_value(res.world, bt.block), WRITE_VALUE);
	assert_int_equal(res.flags_any, 0);
}

/* ---- bounce_page() ---- */

/* obs[0]: a new page, [1]: its value, [2]: its refcount, [3]: the original's. */
static int task_bounce_page(void *arg)
{
	struct page *copy;

	(void)arg;
	copy = bounce_page(bt.page, "test");
	if (!copy)
		return -ENOMEM;
	obs[0] = copy != bt.page;
	obs[1] = page_value(copy);
	obs[2] = page_ref_count(copy);
	obs[3] = page_value(bt.page);
	return 0;
}

static void test_bounce_page_copies_and_counts(void **state)
{
	(void)state;
	RUN_SCENARIO(BLOCK_WORLD, .policy = "placeholder", .prepare = prepare_bio_page,
		     .task = { task_bounce_page });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(1, WRITE_VALUE, 1, WRITE_VALUE);
	assert_int_equal(res.cost.bounces, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_known_vectors),
		cmocka_unit_test(test_crc_t10dif_known_vector),
		cmocka_unit_test(test_crc32c_insn_matches_table),
		cmocka_unit_test(test_sector_csum_and_guard),
		cmocka_unit_test(test_csum_bio_written_and_read_back),
		cmocka_unit_test(test_csum_bio_page_changed_after_csum),
		cmocka_unit_test(test_ext4_read_through_bio),
		cmocka_unit_test(test_dif_write_of_stable_page),
		cmocka_unit_test(test_plain_disk_needs_no_stable_pages),
		cmocka_unit_test(test_dif_guard_mismatch_placeholder),
		cmocka_unit_test(test_dif_block_bounce_never_mismatches),
		cmocka_unit_test(test_block_bounce_skips_unpinned_page),
		cmocka_unit_test(test_block_bounce_bio_completes_on_its_page),
		cmocka_unit_test(test_bounce_page_copies_and_counts),
		cmocka_unit_test(test_queued_bios_complete_in_the_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
