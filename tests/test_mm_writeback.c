/* test_mm_writeback.c - writeback, reclaim, invalidation, buffers and the disk, on sim. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/blkdev.h>
#include <pinlab/buffer_head.h>
#include <pinlab/fs.h>
#include <pinlab/gup.h>
#include <pinlab/layout.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

#include "harness.h"

/*
 * Scenarios (tests/harness.h) in a world with one file A, its profile,
 * size and values given by each; task 1, when there is one, is kswapd.
 */

/* The tasks of every scenario here, first in its initializer. */
#define WB_TASKS	.comm = { "task", "kswapd" }

/* The world of most of them: A is one ext4 page holding 1. */
#define WB_EXT4_PAGE	WB_TASKS, .fs = &ext4_profile, .nr_pages = 1, .init = { 1 }

static struct page *cached_page(struct mm_world *w, pgoff_t index)
{
	return file_a(w)->i_mapping->i_pages[index];
}

/* What a crash would leave for page @index of A right now. */
static s64 ondisk(struct mm_world *w, pgoff_t index)
{
	return mm_ondisk(w, 0, index);
}

/* ---- writeback ---- */

/* write(2) of @v into page 0 of A: dirty, with a dirty buffer. */
static void prepare_write_5(struct mm_world *w)
{
	generic_perform_write(file_a(w), 0, 5);
}

static int task_writeback_sync_all(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	obs[0] = PageDirty(page);
	obs[1] = ondisk(w, 0);
	obs[2] = writeback_inode(file_a(w), WB_SYNC_ALL);
	obs[3] = ondisk(w, 0);
	obs[4] = PageDirty(page);
	obs[5] = PageWriteback(page);
	obs[6] = buffer_test(page->private, BH_Dirty);
	obs[7] = page_ref_count(page);
	return 0;
}

static void test_writeback_sync_all_writes_and_cleans(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_write_5,
		     .task = { task_writeback_sync_all });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(1,	/* dirty before */
		   1,	/* old value on disk */
		   0,
		   5,	/* new value on disk */
		   0,	/* clean after */
		   0,	/* I/O completed */
		   0,	/* buffer clean too */
		   1);	/* only the page cache's reference */
	assert_int_equal(res.flags_any, 0);
}

/* Page 0 is dirty and already under writeback (an earlier I/O in flight). */
static void prepare_dirty_under_writeback(struct mm_world *w)
{
	prepare_write_5(w);
	page_set_flag(cached_page(w, 0), PG_writeback);
}

static int task_writeback_sync_none_twice(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	writeback_inode(file_a(w), WB_SYNC_NONE);
	obs[0] = ondisk(w, 0);
	obs[1] = PageDirty(page);
	end_page_writeback(page);
	writeback_inode(file_a(w), WB_SYNC_NONE);
	obs[2] = ondisk(w, 0);
	obs[3] = PageDirty(page);
	return 0;
}

static void test_writeback_sync_none_skips_page_under_writeback(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .prepare = prepare_dirty_under_writeback,
		     .task = { task_writeback_sync_none_twice });
	ASSERT_OBS(1,	/* skipped: old value */
		   1,	/* and still dirty */
		   5,	/* written once the I/O ended */
		   0);
}

/* The I/O in flight: the device changes the page, then the write completes. */
static int task_io_in_flight(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		sched_point(&page->data[s], KACC_WRITE);
		page_write_sector(page, s, 7);
	}
	sched_point(&page->flags, KACC_WRITE);
	end_page_writeback(page);
	return 0;
}

static int task_flusher_sync_all(void *arg)
{
	writeback_inode(file_a(arg), WB_SYNC_ALL);
	return 0;
}

static int task_flusher_sync_none(void *arg)
{
	writeback_inode(file_a(arg), WB_SYNC_NONE);
	return 0;
}

/* count[0]: disk holds 1 (skipped), [1]: 7 (waited), [2]: anything else. */
static void check_disk_1_or_7(struct mm_world *w)
{
	s64 v = ondisk(w, 0);

	res.count[v == 1 ? 0 : v == 7 ? 1 : 2]++;
}

/*
 * Integrity writeback waits for the I/O in flight, then writes the page
 * again: the disk always ends up with what the page holds after the I/O.
 *
 *   task 0 (the I/O in flight)   task 1 (the flusher)
 *   PG_dirty, PG_writeback
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  PG_writeback: wait_on_page_writeback()
 *   page <- 7 7
 *   end_page_writeback() ------> woken
 *                                  clear_page_dirty_for_io(), write: disk 7
 */
static void test_writeback_sync_all_waits_for_io_in_flight(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .prepare = prepare_dirty_under_writeback,
		     .task = { task_io_in_flight, task_flusher_sync_all },
		     .check = check_disk_1_or_7);
	assert_true(res.executions > 1);
	assert_int_equal(res.count[1], res.executions);
}

/*
 * Cleaning writeback does not wait: it skips a page under writeback and
 * leaves it dirty, so what the disk holds depends on the order.
 *
 *   task 0 (the I/O in flight)   task 1 (the flusher)
 *                                writeback_inode(WB_SYNC_NONE)
 *                                  PG_writeback: skipped     -> disk 1
 *   page <- 7 7
 *   end_page_writeback()
 * or
 *   page <- 7 7
 *   end_page_writeback()
 *                                writeback_inode(WB_SYNC_NONE)
 *                                  written                   -> disk 7
 */
static void test_writeback_sync_none_races_io_in_flight(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .prepare = prepare_dirty_under_writeback,
		     .task = { task_io_in_flight, task_flusher_sync_none },
		     .check = check_disk_1_or_7);
	assert_true(res.count[0] > 0);		/* skipped while in flight */
	assert_true(res.count[1] > 0);		/* or came after it */
	assert_int_equal(res.count[2], 0);
}

/* write(2) to page 1 of a one-page file: a delayed allocation. */
static int task_delalloc(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct page *page;

	generic_perform_write(inode, 1, 9);
	page = cached_page(w, 1);
	obs[0] = inode->i_blocks[1];
	obs[1] = buffer_test(page->private, BH_Delay);
	obs[2] = w->disk->nr_blocks;
	writeback_inode(inode, WB_SYNC_NONE);
	obs[3] = inode->i_blocks[1];
	obs[4] = buffer_test(page->private, BH_Delay);
	obs[5] = buffer_test(page->private, BH_Mapped);
	obs[6] = ondisk(w, 1);
	obs[7] = PageDirty(page);
	return 0;
}

static void test_delalloc_allocates_block_at_writeback(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .task = { task_delalloc });
	assert_int_equal(obs[0], -1);		/* no block at write(2) */
	assert_int_equal(obs[1], 1);		/* but a reservation */
	assert_int_equal(obs[3], obs[2]);	/* the next free block */
	assert_int_equal(obs[4], 0);
	assert_int_equal(obs[5], 1);
	assert_int_equal(obs[6], 9);
	assert_int_equal(obs[7], 0);
}

/* A store through the mapping is written back and write-protected: the next store faults. */
static int task_mmap_store_writeback(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct pte *pte = pte_of(w->mm[0], inode, 0);
	struct page *page;

	obs[0] = mm_store(w->mm[0], inode, 0, 6);
	page = cached_page(w, 0);
	obs[1] = PageDirty(page) && page_has_buffers(page);
	vfs_fsync(inode);
	obs[2] = ondisk(w, 0);
	obs[3] = pte->write || pte->dirty;
	obs[4] = PageDirty(page);
	mm_store(w->mm[0], inode, 0, 8);
	obs[5] = PageDirty(page) && pte->write;
	return 0;
}

static void test_mmap_store_written_back_and_write_protected(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .task = { task_mmap_store_writeback });
	ASSERT_OBS(0,
		   1,	/* page_mkwrite attached, dirtied */
		   6,
		   0,	/* page_mkclean'ed */
		   0,
		   1);	/* faulted and dirtied again */
}

/* A page truncated out of its mapping just gets PG_dirty. */
static int task_dirty_truncated_page(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = filemap_get_page(file_a(w)->i_mapping, 0, true);

	delete_from_page_cache(page);
	unlock_page(page);
	obs[0] = set_page_dirty(page);
	obs[1] = PageDirty(page);
	obs[2] = page_has_buffers(page);
	obs[3] = set_page_dirty(page);
	put_page(page);
	return 0;
}

static void test_set_page_dirty_truncated_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .task = { task_dirty_truncated_page });
	ASSERT_OBS(1,	/* it was clean */
		   1,
		   0,
		   0);	/* dirty already */
}

/* ---- reclaim ---- */

/* Page 0 clean and with buffers: written, then written back. */
static void prepare_clean_with_buffers(struct mm_world *w)
{
	prepare_write_5(w);
	writeback_inode(file_a(w), WB_SYNC_ALL);
}

static int task_reclaim_clean(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	obs[0] = page_has_buffers(page);
	obs[1] = shrink_inode_pages(file_a(w));
	obs[2] = cached_page(w, 0) == NULL;
	obs[3] = page->freed;
	obs[4] = page_has_buffers(page);
	return 0;
}

static void test_reclaim_frees_clean_unpinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder",
		     .prepare = prepare_clean_with_buffers, .task = { task_reclaim_clean });
	ASSERT_OBS(1,
		   1,
		   1,	/* out of the cache */
		   1,	/* and freed */
		   0);	/* its buffers released first */
}

/*
 * Two reclaim passes over dirty page 0 (and page 1, written with a delayed
 * block).  obs[0..3] after the first pass, obs[4..9] after the second.
 */
static int task_reclaim_dirty(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct page *page = cached_page(w, 0);

	generic_perform_write(inode, 1, 9);	/* delayed: reclaim cannot write it */
	obs[0] = shrink_inode_pages(inode);
	obs[1] = ondisk(w, 0);
	obs[2] = PageDirty(page);
	obs[3] = PageReclaim(page);		/* met dirty: marked, activated */
	obs[4] = shrink_inode_pages(inode);
	obs[5] = ondisk(w, 0);
	obs[6] = cached_page(w, 0) == NULL;
	obs[7] = cached_page(w, 1) && PageDirty(cached_page(w, 1));
	obs[8] = inode->i_blocks[1];
	obs[9] = page->freed ? -1 : PageDirty(page);
	return 0;
}

/* 4.20: the first pass marks the dirty page PG_reclaim, the second writes it. */
static void test_reclaim_writes_out_dirty_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_write_5,
		     .task = { task_reclaim_dirty });
	ASSERT_OBS(0,
		   1,	/* not written by the first pass */
		   1,
		   1,
		   1,	/* page 0 only */
		   5,	/* pageout() wrote it */
		   1,
		   1,	/* page 1 redirtied by ->writepage */
		   -1);
}

/* 6.18: ext4 has no ->writepage; reclaim never writes a dirty file page. */
static void test_mainline_reclaim_leaves_dirty_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "mainline", .prepare = prepare_write_5,
		     .task = { task_reclaim_dirty });
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[3], 1);
	assert_int_equal(obs[4], 0);
	assert_int_equal(obs[5], 1);		/* still not on disk */
	assert_int_equal(obs[6], 0);
	assert_int_equal(obs[9], 1);		/* cached and dirty */
	assert_int_equal(res.flags_any, 0);
}

/* Redirtied between the passes: PG_reclaim is gone, the gate holds again. */
static int task_reclaim_redirty_reclaim(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	shrink_inode_pages(file_a(w));
	obs[0] = PageReclaim(page);
	set_page_dirty_lock(page);
	obs[1] = PageReclaim(page);
	shrink_inode_pages(file_a(w));
	obs[2] = ondisk(w, 0);
	obs[3] = PageReclaim(page);
	return 0;
}

/* Written back after reclaim met it dirty: the end of writeback clears PG_reclaim. */
static int task_reclaim_writeback_write_reclaim(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	shrink_inode_pages(file_a(w));
	writeback_inode(file_a(w), WB_SYNC_ALL);
	obs[0] = PageReclaim(page);
	generic_perform_write(file_a(w), 0, 6);	/* mark_buffer_dirty() */
	shrink_inode_pages(file_a(w));
	obs[1] = ondisk(w, 0);
	return 0;
}

static void test_end_page_writeback_clears_pg_reclaim(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_write_5,
		     .task = { task_reclaim_writeback_write_reclaim });
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[1], 5);		/* 6 only marked, not written */
}

static void test_set_page_dirty_clears_pg_reclaim(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_write_5,
		     .task = { task_reclaim_redirty_reclaim });
	ASSERT_OBS(1,
		   0,
		   1,	/* the second pass only marked it */
		   1);
}

/* Someone else holds dirty page 0: pageout() leaves it alone. */
static void prepare_dirty_held(struct mm_world *w)
{
	prepare_write_5(w);
	get_page(cached_page(w, 0));
}

static int task_reclaim_dirty_held(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	obs[0] = shrink_inode_pages(file_a(w));
	obs[1] = ondisk(w, 0);
	obs[2] = PageDirty(page) && page_has_buffers(page);
	obs[3] = cached_page(w, 0) == page;
	return 0;
}

static void test_reclaim_does_not_write_out_held_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_dirty_held,
		     .task = { task_reclaim_dirty_held });
	ASSERT_OBS(0,
		   1,	/* not written */
		   1,	/* still dirty, buffers kept */
		   1);
}

/*
 * A device holds page 0 (a plain reference, or a FOLL_PIN pin under
 * mainline's bias), reclaim runs, then the device writes 8 into the page and
 * dirties it, then writeback.  obs[0..2]: after reclaim, is the page still
 * cached, does it have buffers, was it freed.
 */
static int task_reclaim_held_then_dma(void *arg)
{
	struct mm_world *w = arg;
	struct inode *inode = file_a(w);
	struct page *page = cached_page(w, 0);
	int s;

	shrink_inode_pages(inode);
	obs[0] = cached_page(w, 0) == page;
	obs[1] = page_has_buffers(page);
	obs[2] = page->freed;
	for (s = 0; s < page->nr_sectors; s++)
		page_write_sector(page, s, 8);
	set_page_dirty(page);
	obs[3] = 1;			/* reached writeback */
	writeback_inode(inode, WB_SYNC_ALL);
	obs[4] = 1;			/* survived it */
	obs[5] = ondisk(w, 0);
	obs[6] = PageDirty(page);
	return 0;
}

static void prepare_held(struct mm_world *w)
{
	prepare_clean_with_buffers(w);
	get_page(cached_page(w, 0));
}

static void prepare_pinned_bias(struct mm_world *w)
{
	prepare_clean_with_buffers(w);
	page_ref_add(cached_page(w, 0), GUP_PIN_COUNTING_BIAS);
}

/* count[0]: page 0 left locked and dirty (4.20's BUG before cleaning it). */
static void check_locked_dirty(struct mm_world *w)
{
	struct page *page = cached_page(w, 0);

	if (page && PageLocked(page) && PageDirty(page))
		res.count[0]++;
}

static void test_placeholder_held_page_loses_buffers_then_bug(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_held,
		     .task = { task_reclaim_held_then_dma }, .check = check_locked_dirty);
	ASSERT_OBS(1,	/* kept its place in the cache */
		   0,	/* lost its buffers */
		   0,
		   1,
		   0);	/* killed in writeback */
	assert_true(raised(res.flags_all, PLF_BUG));
	assert_non_null(strstr(flags_get()->what[PLF_BUG], "page_has_buffers"));
	/* page_buffers() fired before clear_page_dirty_for_io(). */
	assert_int_equal(res.count[0], res.executions);
}

static void test_mainline_held_page_warns_and_loses_write(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "mainline", .prepare = prepare_held,
		     .task = { task_reclaim_held_then_dma });
	assert_int_equal(obs[1], 0);		/* a FOLL_GET reference is no pin */
	assert_int_equal(obs[4], 1);
	assert_int_equal(obs[5], 5);		/* the device's 8 is lost */
	assert_int_equal(obs[6], 0);		/* yet the page is clean */
	assert_true(raised(res.flags_all, PLF_WARN));
	assert_false(raised(res.flags_any, PLF_BUG));
}

/* The design is mainline's, the kernel 4.20's: ext4 BUGs there (< 5.18). */
static void test_mainline_on_4_20_held_page_bugs(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS,
		     .policy = "mainline", .knob = "base=4.20", .fs = &ext4_profile,
		     .nr_pages = 1, .init = { 1 }, .prepare = prepare_held,
		     .task = { task_reclaim_held_then_dma });
	assert_int_equal(obs[1], 0);
	assert_int_equal(obs[4], 0);		/* killed in writeback */
	assert_true(raised(res.flags_all, PLF_BUG));
}

static void test_mainline_pinned_page_keeps_buffers(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "mainline", .prepare = prepare_pinned_bias,
		     .task = { task_reclaim_held_then_dma });
	assert_int_equal(obs[0], 1);
	assert_int_equal(obs[1], 1);		/* reclaim skipped the pinned page */
	assert_int_equal(obs[5], 8);
	/* Only ext4_dirty_folio()'s warning: the device dirtied a clean page unlocked. */
	assert_int_equal(res.flags_any, BIT(PLF_WARN));
}

/* The same race explored: the device dirties the page while reclaim runs. */
static int task_device_dirty(void *arg)
{
	struct page *page = cached_page(arg, 0);
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		sched_point(&page->data[s], KACC_WRITE);
		page_write_sector(page, s, 8);
	}
	set_page_dirty(page);
	return 0;
}

static int task_reclaim(void *arg)
{
	shrink_inode_pages(file_a(arg));
	return 0;
}

static int epilogue_sync(void *arg)
{
	ksys_sync(arg);
	return 0;
}

/* count[0]: BUG in the epilogue's writeback, [1]: 8 reached the disk. */
static void check_bug_or_written(struct mm_world *w)
{
	if (raised(flags_get()->mask, PLF_BUG))
		res.count[0]++;
	else if (ondisk(w, 0) == 8)
		res.count[1]++;
}

/*
 * The placeholder's device holds a plain reference: reclaim may strip the
 * buffers of the clean page before the device dirties it.
 *
 *   device (task 0)              kswapd (task 1)
 *                                shrink_inode_pages()
 *                                  clean: try_to_free_buffers()
 *                                  held: kept in the cache
 *   page <- 8 8
 *   set_page_dirty(): no buffers
 *   epilogue: ksys_sync(): BUG, page_has_buffers()
 * or
 *   page <- 8 8
 *   set_page_dirty()
 *                                shrink_inode_pages(): dirty, held:
 *                                  kept with its buffers
 *   epilogue: ksys_sync(): disk 8
 */
static void test_placeholder_reclaim_races_device_dirtying(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_held,
		     .task = { task_device_dirty, task_reclaim }, .epilogue = epilogue_sync,
		     .check = check_bug_or_written);
	assert_true(res.count[0] > 0);		/* buffers stripped first: BUG */
	assert_true(res.count[1] > 0);		/* dirtied first: written */
	assert_int_equal(res.count[0] + res.count[1], res.executions);
}

/*
 * The same race under mainline: reclaim skips the pinned page, whatever
 * the device has done to it yet.
 *
 *   device (task 0)              kswapd (task 1)
 *                                shrink_inode_pages()
 *                                  folio_maybe_dma_pinned(): skipped
 *   page <- 8 8
 *   set_page_dirty(): buffers kept
 *   epilogue: ksys_sync(): disk 8
 */
static void test_mainline_reclaim_never_strips_pinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "mainline", .prepare = prepare_pinned_bias,
		     .task = { task_device_dirty, task_reclaim }, .epilogue = epilogue_sync,
		     .check = check_bug_or_written);
	/*
	 * Reclaim leaves the pinned page before it looks at anything the
	 * device writes: with a footprint object per page flag one execution
	 * stands for every order (plain DFS runs 35, all written).
	 */
	assert_true(res.executions >= 1);
	assert_int_equal(res.count[1], res.executions);
	assert_int_equal(res.flags_any, BIT(PLF_WARN));	/* unlocked dirtying */
}

/* ---- ext4's warnings when a page is dirtied (4.10+, both bases) ---- */

static int task_dirty_three_ways(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	set_page_dirty_lock(page);		/* locked, with buffers: fine */
	obs[0] = raised(flags_get()->mask, PLF_WARN);
	writeback_inode(file_a(w), WB_SYNC_ALL);
	set_page_dirty(page);			/* unlocked and clean */
	obs[1] = raised(flags_get()->mask, PLF_WARN);
	flags_reset();
	writeback_inode(file_a(w), WB_SYNC_ALL);
	lock_page(page);
	try_to_free_buffers(page);
	set_page_dirty(page);			/* locked, no buffers */
	unlock_page(page);
	obs[2] = raised(flags_get()->mask, PLF_WARN);
	return 0;
}

/* A page dirty without buffers, behind ext4_dirty_folio()'s back, meets writeback. */
static int task_writeback_dirty_without_buffers(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	lock_page(page);
	try_to_free_buffers(page);
	SetPageDirty(page);
	unlock_page(page);
	writeback_inode(file_a(w), WB_SYNC_ALL);
	obs[0] = 1;				/* survived writeback */
	obs[1] = PageDirty(page);
	obs[2] = PageLocked(page);
	return 0;
}

/* 5.18+ (cc5095747edf): a logged ext4 warning, no WARNING; the page is skipped clean. */
static void test_mainline_writeback_skips_page_without_buffers(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "mainline",
		     .prepare = prepare_clean_with_buffers,
		     .task = { task_writeback_dirty_without_buffers });
	ASSERT_OBS(1, 0, 0);
	assert_int_equal(res.flags_any, 0);
}

static void test_ext4_dirty_folio_warns(void **state)
{
	static const char *const presets[] = { "placeholder", "mainline" };
	struct scenario sc = {
		WB_TASKS,
		.fs = &ext4_profile,
		.nr_pages = 1, .init = { 1 },
		.prepare = prepare_clean_with_buffers,
		.task = { task_dirty_three_ways },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(presets); i++) {
		sc.policy = presets[i];
		run_scenario(&sc);
		assert_int_equal(obs[0], 0);
		assert_int_equal(obs[1], 1);
		assert_int_equal(obs[2], 1);
	}
}

/* ---- tmpfs ---- */

static int task_tmpfs_writeback(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	obs[0] = PageDirty(page);
	obs[1] = writeback_inode(file_a(w), WB_SYNC_ALL);
	obs[2] = vfs_fsync(file_a(w));
	obs[3] = PageDirty(page);
	obs[4] = w->disk->nr_blocks;
	obs[5] = shrink_inode_pages(file_a(w));
	drop_caches(w);
	obs[6] = cached_page(w, 0) == page;
	obs[7] = page_value(page);
	return 0;
}

static void test_tmpfs_writeback_writes_nothing(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS, .policy = "placeholder", .fs = &tmpfs_profile,
		     .nr_pages = 1, .init = { 3 }, .task = { task_tmpfs_writeback });
	ASSERT_OBS(1,
		   0,
		   0,
		   1,	/* still dirty: nowhere to write */
		   0,	/* no block ever allocated */
		   0,	/* reclaim keeps it */
		   1,	/* and so does drop_caches */
		   3);
}

/* ---- truncate and hole punch ---- */

/*
 * Page 0 written (dirty, with a buffer), page 1 as on disk; task 0 holds a
 * long-term writable pin of page 0 through its mapping.
 */
static struct gup_handle pinned;

static void prepare_pinned_dirty(struct mm_world *w)
{
	prepare_write_5(w);
	memset(&pinned, 0, sizeof(pinned));
	obs[15] = pin_user_pages(w->mm[0], file_a(w), 0, 1,
				 FOLL_WRITE | FOLL_LONGTERM, &pinned);
}

/*
 * task 0:  truncate(A, 0)        the pinned page leaves the cache
 *          DMA 7 into the pin    ...into an orphan
 *          unpin dirty           PG_dirty on a page of no file
 *          truncate(A, 1)        page 0 is a hole again
 */
static int task_truncate_pinned(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = pinned.pages[0];
	int s;

	obs[0] = vfs_truncate(file_a(w), 0);
	obs[1] = cached_page(w, 0) == NULL;
	obs[2] = page_mapping(page) == NULL;
	obs[3] = PageDirty(page);
	obs[4] = page_has_buffers(page);
	obs[5] = file_a(w)->i_blocks[0];
	for (s = 0; s < page->nr_sectors; s++)
		page_write_sector(page, s, 7);
	unpin_user_pages_dirty_lock(pinned.pages, 1, true);
	obs[6] = vfs_truncate(file_a(w), 1);
	obs[7] = i_size_read(file_a(w));
	return 0;
}

static int epilogue_full(void *arg)
{
	mm_epilogue(arg);
	return 0;
}

/* count[0]: executions where page 0 of A read back as a hole. */
static void check_page0_hole(struct mm_world *w)
{
	res.count[0] += mm_readback(w, 0, 0) == 0;
}

static void test_truncate_orphans_pinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS, .policy = "placeholder", .fs = &ext4_profile,
		     .nr_pages = 2, .init = { 1, 2 }, .prepare = prepare_pinned_dirty,
		     .task = { task_truncate_pinned }, .epilogue = epilogue_full,
		     .check = check_page0_hole);
	assert_int_equal(obs[15], 1);		/* pinned */
	ASSERT_OBS(0,	/* truncate did not look at the pin */
		   1,	/* gone from the page cache */
		   1,	/* an orphan */
		   0,	/* its dirtiness cancelled */
		   0,	/* its buffers discarded */
		   -1,	/* its block freed */
		   0,
		   1);
	assert_int_equal(res.count[0], res.executions);	/* the DMA reached no file */
	assert_false(raised(res.flags_any, PLF_UAF));
	assert_false(raised(res.flags_any, PLF_LEAK));
}

/* layout=fail, with exact pin counts to see the pin by: the truncate fails, the file is as it was. */
static int task_truncate_pinned_fail(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = vfs_truncate(file_a(w), 0);
	obs[1] = cached_page(w, 0) == pinned.pages[0];
	obs[2] = i_size_read(file_a(w));
	obs[3] = pte_of(w->mm[0], file_a(w), 0)->present;
	unpin_user_pages_dirty_lock(pinned.pages, 1, true);
	obs[4] = vfs_truncate(file_a(w), 0);
	return 0;
}

static void test_truncate_fails_on_pin_under_layout_fail(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS,
		     .policy = "block-bounce", .knob = "layout=fail", .fs = &ext4_profile,
		     .nr_pages = 2, .init = { 1, 2 }, .prepare = prepare_pinned_dirty,
		     .task = { task_truncate_pinned_fail });
	ASSERT_OBS(-EBUSY,
		   1,	/* still the file's page */
		   2,	/* size unchanged */
		   0,	/* but unmapped: no new pin through GUP-fast */
		   0);	/* unpinned, it goes */
}

/* punch(A, 0, 1) of a dirty page: written back first, then a hole; the size stays. */
static int task_punch_dirty(void *arg)
{
	struct mm_world *w = arg;

	obs[0] = vfs_punch_hole(file_a(w), 0, 1);
	obs[1] = cached_page(w, 0) == NULL;
	obs[2] = file_a(w)->i_blocks[0];
	obs[3] = i_size_read(file_a(w));
	obs[4] = ondisk(w, 1);
	obs[5] = vfs_punch_hole(file_a(w), 2, 1);	/* beyond EOF: nothing */
	obs[6] = filemap_read(file_a(w), 0);
	return 0;
}

static void test_punch_hole_keeps_size(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS, .policy = "mainline", .fs = &ext4_profile,
		     .nr_pages = 2, .init = { 1, 2 }, .prepare = prepare_write_5,
		     .task = { task_punch_dirty });
	ASSERT_OBS(0,
		   1,
		   -1,
		   2,
		   2,	/* page 1 untouched */
		   0,
		   0);	/* a hole reads zeros */
}

/* ---- invalidation ---- */

static int task_drop_caches(void *arg)
{
	struct mm_world *w = arg;
	struct address_space *mapping = file_a(w)->i_mapping;
	struct page *held;

	put_page(filemap_get_page(mapping, 0, false));	/* clean */
	generic_perform_write(file_a(w), 1, 5);		/* dirty */
	held = filemap_get_page(mapping, 2, false);	/* clean, referenced */
	obs[0] = invalidate_mapping_pages(mapping);
	obs[1] = cached_page(w, 0) == NULL;
	obs[2] = cached_page(w, 1) != NULL;
	obs[3] = cached_page(w, 2) == held;
	put_page(held);
	vfs_fsync(file_a(w));
	drop_caches(w);
	obs[4] = !cached_page(w, 0) && !cached_page(w, 1) && !cached_page(w, 2);
	obs[5] = ondisk(w, 1);
	return 0;
}

static void test_drop_caches_evicts_clean_pages_only(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS, .policy = "placeholder", .fs = &ext4_profile,
		     .nr_pages = 3, .init = { 1, 2, 3 }, .task = { task_drop_caches });
	ASSERT_OBS(1,
		   1,	/* clean: evicted */
		   1,	/* dirty: kept */
		   1,	/* referenced: kept */
		   1,	/* all gone once clean and unused */
		   5);
}

/* drop_caches meets a clean page with buffers that a device holds. */
static int task_drop_caches_held(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = cached_page(w, 0);

	drop_caches(w);
	obs[0] = cached_page(w, 0) == page;
	obs[1] = page_has_buffers(page);
	return 0;
}

/*
 * 4.20's invalidate_inode_page() tests only dirty, writeback and mapped
 * before try_to_release_page(): the held page loses its buffers.  6.18's
 * mapping_evict_folio() sees the extra reference first.
 */
static void test_drop_caches_strips_held_page_on_4_20(void **state)
{
	struct scenario sc = {
		WB_EXT4_PAGE,
		.policy = "placeholder",
		.prepare = prepare_held,
		.task = { task_drop_caches_held },
	};

	(void)state;
	run_scenario(&sc);
	assert_int_equal(obs[0], 1);		/* kept: remove_mapping() refused */
	assert_int_equal(obs[1], 0);		/* but its buffers are gone */

	sc.policy = "mainline";
	run_scenario(&sc);
	assert_int_equal(obs[0], 1);
	assert_int_equal(obs[1], 1);

	sc.knob = "base=4.20";
	run_scenario(&sc);
	assert_int_equal(obs[1], 0);
}

/* ---- buffer heads and the disk ---- */

static int task_buffers(void *arg)
{
	struct mm_world *w = arg;
	struct page *page = filemap_get_page(file_a(w)->i_mapping, 0, true);
	struct buffer_head *bh;

	create_empty_buffers(page);
	bh = page->private;
	obs[0] = page_has_buffers(page) && bh->b_page == page;
	obs[1] = buffer_test(bh, BH_Mapped) && bh->b_blocknr == file_a(w)->i_blocks[0];
	obs[2] = buffer_test(bh, BH_Uptodate) && !buffer_test(bh, BH_Dirty);
	mark_buffer_dirty(bh);
	obs[3] = PageDirty(page);
	obs[4] = try_to_free_buffers(page);	/* dirty buffer: refused */
	buffer_clear(bh, BH_Dirty);
	obs[5] = try_to_free_buffers(page) && !page_has_buffers(page);
	obs[6] = block_dirty_folio(page->mapping, page);	/* dirty already */
	unlock_page(page);
	put_page(page);
	return 0;
}

static void test_buffer_heads(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_TASKS, .policy = "placeholder", .fs = &ext4_profile,
		     .nr_pages = 1, .init = { 4 }, .task = { task_buffers });
	ASSERT_OBS(1, 1, 1, 1, 0, 1, 0);
}

/*
 * A store of the whole page in one step racing the disk DMA of a write: the
 * block is torn only because the DMA moves one sector at a time.
 */
static int task_store_page(void *arg)
{
	struct page *page = cached_page(arg, 0);
	int s;

	sched_point(&page->data[0], KACC_WRITE);
	for (s = 0; s < page->nr_sectors; s++)
		page_write_sector(page, s, 6);
	return 0;
}

/* count[0]: torn, [1]: 5, [2]: 6. */
static void check_torn(struct mm_world *w)
{
	s64 v = ondisk(w, 0);

	res.count[v == LT_VAL_TORN ? 0 : v == 5 ? 1 : v == 6 ? 2 : 3]++;
}

/*
 *   task 0 (a store)             task 1 (the flusher)
 *                                writeback_inode(WB_SYNC_ALL)
 *                                  disk <- sector 0: 5
 *   page <- 6 6 (one step)
 *                                  disk <- sector 1: 6
 *                                  block torn: 5 6
 * and with the store before the copy, 6 6; after it, 5 5.
 */
static void test_submit_bio_is_not_atomic(void **state)
{
	(void)state;
	RUN_SCENARIO(WB_EXT4_PAGE, .policy = "placeholder", .prepare = prepare_write_5,
		     .task = { task_store_page, task_flusher_sync_all }, .check = check_torn);
	assert_true(res.count[0] > 0);
	assert_true(res.count[1] > 0);
	assert_true(res.count[2] > 0);
	assert_int_equal(res.count[3], 0);
}

static void test_disk_alloc_block_enospc(void **state)
{
	struct disk_block blocks[2] = { 0 };
	struct gendisk disk = { .blocks = blocks, .max_blocks = 2 };
	struct mm_world w = { .disk = &disk };

	(void)state;
	assert_int_equal(disk_alloc_block(&w), 0);
	assert_int_equal(disk_alloc_block(&w), 1);
	assert_int_equal(disk_alloc_block(&w), -ENOSPC);
	assert_int_equal(disk.nr_blocks, 2);
	/* A new block has one reference: the extent that will point at it. */
	assert_int_equal(disk_block_refcount(&w, 0), 1);
	assert_int_equal(disk_block_refcount(&w, 1), 1);
	disk_block_get(&w, 1);
	assert_int_equal(disk_block_refcount(&w, 1), 2);
	disk_block_put(&w, 1);
	disk_block_put(&w, 1);
	assert_int_equal(disk_block_refcount(&w, 1), 0);
	assert_int_equal(disk_block_refcount(&w, -1), 0);	/* a hole */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writeback_sync_all_writes_and_cleans),
		cmocka_unit_test(test_writeback_sync_none_skips_page_under_writeback),
		cmocka_unit_test(test_writeback_sync_all_waits_for_io_in_flight),
		cmocka_unit_test(test_writeback_sync_none_races_io_in_flight),
		cmocka_unit_test(test_delalloc_allocates_block_at_writeback),
		cmocka_unit_test(test_mmap_store_written_back_and_write_protected),
		cmocka_unit_test(test_set_page_dirty_truncated_page),
		cmocka_unit_test(test_reclaim_frees_clean_unpinned_page),
		cmocka_unit_test(test_reclaim_writes_out_dirty_page),
		cmocka_unit_test(test_mainline_reclaim_leaves_dirty_page),
		cmocka_unit_test(test_set_page_dirty_clears_pg_reclaim),
		cmocka_unit_test(test_end_page_writeback_clears_pg_reclaim),
		cmocka_unit_test(test_reclaim_does_not_write_out_held_page),
		cmocka_unit_test(test_placeholder_held_page_loses_buffers_then_bug),
		cmocka_unit_test(test_mainline_held_page_warns_and_loses_write),
		cmocka_unit_test(test_mainline_on_4_20_held_page_bugs),
		cmocka_unit_test(test_mainline_pinned_page_keeps_buffers),
		cmocka_unit_test(test_placeholder_reclaim_races_device_dirtying),
		cmocka_unit_test(test_mainline_reclaim_never_strips_pinned_page),
		cmocka_unit_test(test_ext4_dirty_folio_warns),
		cmocka_unit_test(test_mainline_writeback_skips_page_without_buffers),
		cmocka_unit_test(test_tmpfs_writeback_writes_nothing),
		cmocka_unit_test(test_drop_caches_evicts_clean_pages_only),
		cmocka_unit_test(test_drop_caches_strips_held_page_on_4_20),
		cmocka_unit_test(test_buffer_heads),
		cmocka_unit_test(test_truncate_orphans_pinned_page),
		cmocka_unit_test(test_truncate_fails_on_pin_under_layout_fail),
		cmocka_unit_test(test_punch_hole_keeps_size),
		cmocka_unit_test(test_submit_bio_is_not_atomic),
		cmocka_unit_test(test_disk_alloc_block_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
