/* test_xfs.c - shared blocks, the xfs COW fork, reflink on xfs, btrfs and ext4, and layout=cow, on sim. */
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
#include <pinlab/layout.h>
#include <pinlab/litmus.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

#include "harness.h"

/*
 * Scenarios (tests/harness.h) in a world with two files A and B of one
 * page, one sector each, on the scenario's filesystem; task 1, when there
 * is one, is the application.  With one task the observations in obs[]
 * are the same in every execution.
 */

#define SECTORS		1
#define A_VALUE		1	/* A's initial page value */
#define B_VALUE		9	/* B's initial page value */
#define STORE_VALUE	5	/* what the CPU stores */
#define DMA_VALUE	7	/* what the device writes */

/* The world of every scenario here but its filesystem, first in its initializer. */
#define XFS_WORLD	.sectors = SECTORS, .nr_files = 2, \
			.init = { A_VALUE }, .init_b = { B_VALUE }, \
			.comm = { "task", "app" }

static struct inode *file_b(struct mm_world *w)
{
	return w->inodes[1];
}

static struct page *cached_a(struct mm_world *w)
{
	return file_a(w)->i_mapping->i_pages[0];
}

/* The device changes the page and the driver's unpin dirties it: no fault, no ->page_mkwrite. */
static void device_writes_and_unpins(struct mm_world *w)
{
	dma_write_page(gh.pages[0], DMA_VALUE);
	unpin_user_pages_dirty_lock(gh.pages, 1, true);
	(void)w;
}

/* ---- shared blocks ---- */

/* reflink(A, B), then what the two files' blocks are. */
static int task_reflink(void *arg)
{
	struct mm_world *w = arg;
	long a_old = file_a(w)->i_blocks[0], b_old = file_b(w)->i_blocks[0];

	obs[0] = vfs_clone_file_range(file_a(w), file_b(w));
	obs[1] = file_b(w)->i_blocks[0] == a_old;
	obs[2] = file_a(w)->i_blocks[0] == a_old;
	obs[3] = disk_block_refcount(w, a_old);
	obs[4] = disk_block_refcount(w, b_old);
	obs[5] = filemap_read(file_b(w), 0);
	return 0;
}

static void test_xfs_reflink_shares_blocks(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &xfs_profile,
		     .task = { task_reflink });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(0,
		   1,	/* B points at A's block */
		   1,	/* A keeps it */
		   2,	/* shared */
		   0,	/* B's old block is free */
		   A_VALUE);
	assert_int_equal(res.flags_any, 0);
}

static void test_btrfs_reflink_shares_extents(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &btrfs_profile,
		     .task = { task_reflink });
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[1], 1);
	assert_int_equal(obs[3], 2);
	assert_int_equal(obs[4], 0);
	assert_int_equal(obs[5], A_VALUE);
}

static void test_ext4_reflink_unsupported(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &ext4_profile,
		     .task = { task_reflink });
	assert_int_equal(obs[0], -EOPNOTSUPP);
	assert_int_equal(obs[1], 0);		/* B keeps its own block */
	assert_int_equal(obs[3], 1);
	assert_int_equal(obs[5], B_VALUE);
}

/* ---- the COW fork ---- */

/*
 * reflink, then a CPU store to A: the fault reserves a COW extent; the
 * writeback allocates it, writes there and remaps it at completion.
 */
static int task_reflink_store_writeback(void *arg)
{
	struct mm_world *w = arg;
	struct inode *a = file_a(w);
	long shared = a->i_blocks[0];

	obs[0] = vfs_clone_file_range(a, file_b(w));
	obs[1] = mm_store(w->mm[0], a, 0, STORE_VALUE);
	obs[2] = a->i_cow_blocks[0];
	obs[3] = writeback_inode(a, WB_SYNC_ALL);
	obs[4] = a->i_blocks[0] != shared;	/* A moved to the COW block */
	obs[5] = a->i_cow_blocks[0];		/* the COW fork is empty again */
	obs[6] = disk_block_refcount(w, shared);
	obs[7] = disk_block_refcount(w, a->i_blocks[0]);
	obs[8] = mm_ondisk(w, 0, 0);
	obs[9] = mm_ondisk(w, 1, 0);		/* the clone is untouched */
	obs[10] = res.cost.cow_reservations;
	return 0;
}

static void test_xfs_store_after_reflink_cows(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &xfs_profile,
		     .task = { task_reflink_store_writeback });
	assert_int_equal(res.executions, 1);
	ASSERT_OBS(0,
		   0,
		   XFS_COW_DELALLOC,
		   0,
		   1,
		   XFS_COW_NONE,
		   1,	/* only B has the old block now */
		   1,
		   STORE_VALUE,
		   A_VALUE,
		   1);
	assert_int_equal(res.flags_any, 0);
}

/* The device pins A's page for write: its fault runs ->page_mkwrite before any sharing. */
static void prepare_pinned(struct mm_world *w)
{
	obs[15] = pin_user_pages(w->mm[0], file_a(w), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &gh);
}

/*
 * reflink while the page is pinned, then the device writes it and the
 * unpin dirties it: nothing tells the filesystem.
 */
static int task_reflink_then_device(void *arg)
{
	struct mm_world *w = arg;
	struct inode *a = file_a(w);
	long shared;

	obs[0] = vfs_clone_file_range(a, file_b(w));
	shared = file_b(w)->i_blocks[0];
	obs[1] = a->i_cow_blocks[0];
	obs[2] = PageDirty(cached_a(w));	/* the flush cleaned it */
	device_writes_and_unpins(w);
	obs[3] = writeback_inode(a, WB_SYNC_ALL);
	obs[4] = a->i_blocks[0] == shared;
	obs[5] = disk_block_refcount(w, shared);
	obs[6] = mm_ondisk(w, 0, 0);
	obs[7] = mm_ondisk(w, 1, 0);
	return 0;
}

/* layout=ignore: the write goes through the data fork into the shared block. */
static void test_xfs_untold_dirty_writes_shared_block(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD,
		     .policy = "fs-bounce",	/* pins allowed, layout=ignore */
		     .fs = &xfs_profile,
		     .prepare = prepare_pinned,
		     .task = { task_reflink_then_device });
	assert_int_equal(obs[15], 1);
	ASSERT_OBS(0,
		   XFS_COW_NONE,
		   0,
		   0,
		   1,	/* in place */
		   2,	/* still shared */
		   DMA_VALUE,
		   DMA_VALUE);	/* the clone changed */
}

/* btrfs: the same untold write goes to a new extent; the clone keeps its data. */
static void test_btrfs_untold_dirty_goes_to_new_extent(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "fs-bounce", .fs = &btrfs_profile,
		     .prepare = prepare_pinned, .task = { task_reflink_then_device });
	assert_int_equal(obs[15], 1);
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[4], 0);
	assert_int_equal(obs[5], 1);
	assert_int_equal(obs[6], DMA_VALUE);
	assert_int_equal(obs[7], A_VALUE);
}

/* layout=cow: the remap reserves the pinned page's COW extent; the clone keeps the old block. */
static void test_xfs_layout_cow_reserves_pinned_page(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD,
		     .policy = "pinlab",	/* layout=cow */
		     .fs = &xfs_profile,
		     .prepare = prepare_pinned,
		     .task = { task_reflink_then_device });
	assert_int_equal(obs[15], 1);
	assert_int_equal(obs[0], 0);
	assert_int_equal(obs[1], XFS_COW_DELALLOC);
	assert_int_equal(obs[3], 0);
	assert_int_equal(obs[4], 0);		/* A moved */
	assert_int_equal(obs[5], 1);		/* B alone has the shared block */
	assert_int_equal(obs[6], DMA_VALUE);
	assert_int_equal(obs[7], A_VALUE);
}

/*
 * Dave Chinner's rule under layout=cow: two writebacks of a page that
 * stays pinned, in a block nobody shares, each go to a new block.
 */
static int task_two_writebacks_pinned(void *arg)
{
	struct mm_world *w = arg;
	struct inode *a = file_a(w);
	long b0 = a->i_blocks[0], b1;

	dma_write_page(gh.pages[0], DMA_VALUE);
	set_page_dirty_lock(gh.pages[0]);
	obs[0] = writeback_inode(a, WB_SYNC_ALL);
	b1 = a->i_blocks[0];
	dma_write_page(gh.pages[0], DMA_VALUE + 1);
	set_page_dirty_lock(gh.pages[0]);
	obs[1] = writeback_inode(a, WB_SYNC_ALL);
	obs[2] = b1 != b0;
	obs[3] = a->i_blocks[0] != b1;
	obs[4] = mm_ondisk(w, 0, 0);
	obs[5] = res.cost.cow_reservations;
	unpin_user_pages(gh.pages, 1);
	return 0;
}

static void test_xfs_layout_cow_fresh_reservation_per_writeback(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "pinlab", .fs = &xfs_profile,
		     .prepare = prepare_pinned, .task = { task_two_writebacks_pinned });
	assert_int_equal(obs[15], 1);
	ASSERT_OBS(0, 0, 1, 1, DMA_VALUE + 1, 2);
}

/* Without layout=cow an unshared block is overwritten in place, pinned or not. */
static void test_xfs_unshared_overwrites_in_place(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "fs-bounce", .fs = &xfs_profile,
		     .prepare = prepare_pinned, .task = { task_two_writebacks_pinned });
	assert_int_equal(obs[2], 0);
	assert_int_equal(obs[3], 0);
	assert_int_equal(obs[4], DMA_VALUE + 1);
	assert_int_equal(obs[5], 0);
}

/*
 * A punch of the source after a reflink drops only A's reference: B keeps
 * the block, now unshared, so B's next write is in place with no COW.
 */
static int task_reflink_punch_store_b(void *arg)
{
	struct mm_world *w = arg;
	struct inode *b = file_b(w);
	long shared;

	obs[0] = vfs_clone_file_range(file_a(w), b);
	shared = b->i_blocks[0];
	obs[1] = vfs_punch_hole(file_a(w), 0, 1);
	obs[2] = file_a(w)->i_blocks[0];
	obs[3] = disk_block_refcount(w, shared);
	obs[4] = mm_store(w->mm[0], b, 0, STORE_VALUE);
	obs[5] = writeback_inode(b, WB_SYNC_ALL);
	obs[6] = b->i_blocks[0] == shared;
	obs[7] = res.cost.cow_reservations;
	obs[8] = mm_ondisk(w, 1, 0);
	obs[9] = mm_ondisk(w, 0, 0);
	return 0;
}

static void test_xfs_punch_after_reflink_unshares(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &xfs_profile,
		     .task = { task_reflink_punch_store_b });
	ASSERT_OBS(0,
		   0,
		   -1,	/* a hole in A */
		   1,	/* B alone */
		   0,
		   0,
		   1,	/* in place */
		   0,	/* no COW: not shared any more */
		   STORE_VALUE,
		   0);
}

/* ---- a store racing the reflink ---- */

static int task_store(void *arg)
{
	struct mm_world *w = arg;

	obs[8] = mm_store(w->mm[0], file_a(w), 0, STORE_VALUE);
	return 0;
}

static int task_reflink_read(void *arg)
{
	struct mm_world *w = arg;

	obs[9] = vfs_clone_file_range(file_a(w), file_b(w));
	obs[10] = filemap_read(file_b(w), 0);
	return 0;
}

/*
 * count[0]: executions where B read back after the epilogue differs from
 * what B read right after the reflink; count[1]: those where the store
 * reached the clone.
 */
static void check_clone_stable(struct mm_world *w)
{
	s64 b = mm_readback(w, 1, 0);

	res.count[0] += b != obs[10];
	res.count[1] += b == STORE_VALUE;
}

/*
 * Whichever side of the reflink the store's fault falls on, the clone
 * keeps what it had when the reflink returned: a store before the flush is
 * shared by both files, one after it faults, waits for the MMAPLOCK and
 * COWs.  Both orders must be explored.
 *
 *   task 0 (a store)             task 1
 *   mm_store(A, 5): A <- 5
 *                                vfs_clone_file_range(A, B)
 *                                  flush A, share its block with B
 *                                filemap_read(B) = 5, and after: 5
 * or
 *                                vfs_clone_file_range(A, B)
 *                                  flush A (PTEs write-protected),
 *                                  share its block with B
 *   mm_store(A, 5): write fault,
 *   MMAPLOCK after the reflink's,
 *   COW of A's block
 *                                filemap_read(B) = 1, and after: 1
 */
static void test_xfs_store_racing_reflink_never_changes_clone(void **state)
{
	(void)state;
	RUN_SCENARIO(XFS_WORLD, .policy = "mainline", .fs = &xfs_profile,
		     .task = { task_store, task_reflink_read }, .check = check_clone_stable);
	assert_true(res.executions > 1);
	assert_int_equal(res.count[0], 0);
	assert_true(res.count[1] > 0);		/* some order shares the stored value */
	assert_true(res.count[1] < res.executions);	/* and some does not */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xfs_reflink_shares_blocks),
		cmocka_unit_test(test_btrfs_reflink_shares_extents),
		cmocka_unit_test(test_ext4_reflink_unsupported),
		cmocka_unit_test(test_xfs_store_after_reflink_cows),
		cmocka_unit_test(test_xfs_untold_dirty_writes_shared_block),
		cmocka_unit_test(test_btrfs_untold_dirty_goes_to_new_extent),
		cmocka_unit_test(test_xfs_layout_cow_reserves_pinned_page),
		cmocka_unit_test(test_xfs_layout_cow_fresh_reservation_per_writeback),
		cmocka_unit_test(test_xfs_unshared_overwrites_in_place),
		cmocka_unit_test(test_xfs_punch_after_reflink_unshares),
		cmocka_unit_test(test_xfs_store_racing_reflink_never_changes_clone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
