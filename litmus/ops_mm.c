/* ops_mm.c - the litmus operations on files, mappings, GUP handles and devices. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/drivers.h>
#include <pinlab/filelock.h>
#include <pinlab/gup.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>
#include "interp.h"
#include "ops.h"

static struct mm_world *world_of(struct lt_task *t)
{
	return t->w->model;
}

static struct inode *file_of(struct lt_task *t, s64 ino)
{
	return world_of(t)->inodes[ino];
}

static struct mm_struct *mm_of(struct lt_task *t)
{
	return world_of(t)->mm[t->thr->id];
}

static struct gup_handle *handle_of(struct lt_task *t, s64 reg)
{
	return t->handle[reg];
}

static s64 op_store(struct lt_task *t, const s64 *argv)
{
	return mm_store(mm_of(t), file_of(t, argv[0]), argv[1], argv[2]);
}

static s64 op_load(struct lt_task *t, const s64 *argv)
{
	return mm_load(mm_of(t), file_of(t, argv[0]), argv[1]);
}

static s64 op_write(struct lt_task *t, const s64 *argv)
{
	return generic_perform_write(file_of(t, argv[0]), argv[1], argv[2]);
}

static s64 op_read(struct lt_task *t, const s64 *argv)
{
	return filemap_read(file_of(t, argv[0]), argv[1]);
}

/* A crash image is taken atomically: one step that reads every sector. */
static s64 op_ondisk(struct lt_task *t, const s64 *argv)
{
	struct inode *inode = file_of(t, argv[0]);

	kobj_read(&inode->i_size);
	if (argv[1] < 0 || argv[1] >= i_size_read(inode))
		return -EINVAL;
	__sched_point(&inode->i_blocks[argv[1]], KACC_READ, "ondisk");
	return mm_ondisk(world_of(t), (int)argv[0], argv[1]);
}

static s64 op_fsync(struct lt_task *t, const s64 *argv)
{
	return vfs_fsync(file_of(t, argv[0]));
}

/* A test without files has no world: sync(2) has nothing to write and succeeds. */
static s64 op_sync(struct lt_task *t, const s64 *argv)
{
	(void)argv;
	if (world_of(t))
		ksys_sync(world_of(t));
	return 0;
}

static s64 op_writeback(struct lt_task *t, const s64 *argv)
{
	return writeback_inode(file_of(t, argv[0]), (enum writeback_sync_modes)argv[1]);
}

static s64 op_reclaim(struct lt_task *t, const s64 *argv)
{
	return shrink_inode_pages(file_of(t, argv[0]));
}

/* Without files there is no page cache to drop: nothing to do. */
static s64 op_drop_caches(struct lt_task *t, const s64 *argv)
{
	(void)argv;
	if (world_of(t))
		drop_caches(world_of(t));
	return 0;
}

/* truncate(2): a size the model cannot hold is -EFBIG; a negative one -EINVAL. */
static s64 op_truncate(struct lt_task *t, const s64 *argv)
{
	if (argv[1] < 0)
		return -EINVAL;
	if (argv[1] > MM_PAGES_MAX)
		return -EFBIG;
	return vfs_truncate(file_of(t, argv[0]), argv[1]);
}

/* fallocate(PUNCH_HOLE|KEEP_SIZE): a negative start or length is -EINVAL. */
static s64 op_punch(struct lt_task *t, const s64 *argv)
{
	if (argv[1] < 0 || argv[2] <= 0 || argv[1] >= MM_PAGES_MAX)
		return -EINVAL;
	return vfs_punch_hole(file_of(t, argv[0]), argv[1], argv[2]);
}

/* r = lease(A): F_SETLEASE of a layout lease (fs/locks.c); a thread is one lease owner. */
static s64 op_lease(struct lt_task *t, const s64 *argv)
{
	return vfs_setlease(file_of(t, argv[0]), t->thr->id, F_RDLCK);
}

static s64 op_unlease(struct lt_task *t, const s64 *argv)
{
	return vfs_setlease(file_of(t, argv[0]), t->thr->id, F_UNLCK);
}

static s64 op_wait_lease_break(struct lt_task *t, const s64 *argv)
{
	return lease_wait_break(file_of(t, argv[0]), t->thr->id);
}

typedef long (*gup_fn)(struct mm_struct *, struct inode *, pgoff_t, int,
		       unsigned int, struct gup_handle *);

static s64 do_gup(struct lt_task *t, const s64 *argv, gup_fn fn)
{
	struct gup_handle *h = arena_alloc(&exec_arena, sizeof(*h));
	long ret;

	if (!h)
		return -ENOMEM;
	mm_debug_handle(h);
	if (argv[2] < 1 || argv[2] > MM_PAGES_MAX)
		return -EINVAL;
	ret = fn(mm_of(t), file_of(t, argv[0]), argv[1], (int)argv[2],
		 (unsigned int)argv[3], h);
	if (ret > 0)
		t->ret_handle = h;
	return ret;
}

static s64 op_get_user_pages(struct lt_task *t, const s64 *argv)
{
	return do_gup(t, argv, get_user_pages);
}

static s64 op_pin_user_pages(struct lt_task *t, const s64 *argv)
{
	return do_gup(t, argv, pin_user_pages);
}

static s64 op_pin_user_pages_fast(struct lt_task *t, const s64 *argv)
{
	return do_gup(t, argv, pin_user_pages_fast);
}

/*
 * The k-th page of a handle, or NULL when the GUP call failed or k is out of
 * range.  A device reaching a page through a handle its driver has released
 * still reaches it (hardware keeps the address), and that is an outcome.
 */
static struct page *handle_page(struct lt_task *t, s64 reg, s64 k)
{
	struct gup_handle *h = handle_of(t, reg);

	if (!h || k < 0 || k >= h->nr)
		return NULL;
	if (h->released && !gup_handle_revoked(h))
		flag_raise(PLF_DMA_AFTER_UNPIN, "device access after the pin was dropped");
	return h->pages[k];
}

/* The driver lets go of @h's pages: later device accesses are flagged. */
static void handle_release(struct gup_handle *h)
{
	h->released = true;
}

static s64 op_dma_write(struct lt_task *t, const s64 *argv)
{
	if (!handle_page(t, argv[0], argv[1]))
		return -EFAULT;
	return dma_write_region(handle_of(t, argv[0]), (int)argv[1], argv[2]);
}

static s64 op_dma_read(struct lt_task *t, const s64 *argv)
{
	if (!handle_page(t, argv[0], argv[1]))
		return -EFAULT;
	return dma_read_region(handle_of(t, argv[0]), (int)argv[1]);
}

/*
 * The driver's own use of @h's pages: none once a lease break revoked
 * them (layout=lease-break took the pins and unpinned them itself).
 */
static s64 for_each_handle_page(struct lt_task *t, s64 reg, void (*fn)(struct page *))
{
	struct gup_handle *h = handle_of(t, reg);
	int i;

	if (!h)
		return -EFAULT;
	if (gup_handle_revoked(h))
		return 0;
	for (i = 0; i < h->nr; i++)
		fn(h->pages[i]);
	return 0;
}

static void set_page_dirty_lock_void(struct page *page)
{
	set_page_dirty_lock(page);
}

static void set_page_dirty_void(struct page *page)
{
	set_page_dirty(page);
}

/*
 * handle_release_begin() - the driver is about to release @h: untie it
 * from its layout lease.  Return: true when a lease break revoked it
 * already: there is nothing left to release, and @h is let go of.
 */
static bool handle_release_begin(struct gup_handle *h)
{
	if (!lease_detach_pins(h))
		return false;
	handle_release(h);
	return true;
}

/* for_each_handle_page() of a release: @h is let go of once every page is. */
static s64 release_each_handle_page(struct lt_task *t, s64 reg, void (*fn)(struct page *))
{
	struct gup_handle *h = handle_of(t, reg);
	s64 ret;

	if (h && handle_release_begin(h))
		return 0;
	ret = for_each_handle_page(t, reg, fn);
	if (!ret)
		handle_release(h);
	return ret;
}

static s64 op_put_page(struct lt_task *t, const s64 *argv)
{
	return release_each_handle_page(t, argv[0], put_page);
}

static s64 op_set_page_dirty_lock(struct lt_task *t, const s64 *argv)
{
	return for_each_handle_page(t, argv[0], set_page_dirty_lock_void);
}

static s64 op_set_page_dirty(struct lt_task *t, const s64 *argv)
{
	return for_each_handle_page(t, argv[0], set_page_dirty_void);
}

static s64 op_put_user_page(struct lt_task *t, const s64 *argv)
{
	return release_each_handle_page(t, argv[0], put_user_page);
}

static s64 op_unpin_user_page(struct lt_task *t, const s64 *argv)
{
	return release_each_handle_page(t, argv[0], unpin_user_page);
}

/*
 * release_handle_pages() - a release of every page of @h at once, the
 * *_user_pages*() calls: @release(pages, nr, @make_dirty), then @h is let
 * go of.  Return: 0, or -EFAULT when @reg holds no handle.
 */
static s64 release_handle_pages(struct lt_task *t, s64 reg,
				void (*release)(struct page **pages, int nr, bool make_dirty),
				bool make_dirty)
{
	struct gup_handle *h = handle_of(t, reg);

	if (!h)
		return -EFAULT;
	if (handle_release_begin(h))
		return 0;
	release(h->pages, h->nr, make_dirty);
	handle_release(h);
	return 0;
}

static void put_user_pages_clean(struct page **pages, int nr, bool make_dirty)
{
	(void)make_dirty;
	put_user_pages(pages, nr);
}

static void unpin_user_pages_clean(struct page **pages, int nr, bool make_dirty)
{
	(void)make_dirty;
	unpin_user_pages(pages, nr);
}

static s64 op_put_user_pages(struct lt_task *t, const s64 *argv)
{
	return release_handle_pages(t, argv[0], put_user_pages_clean, false);
}

static s64 op_unpin_user_pages(struct lt_task *t, const s64 *argv)
{
	return release_handle_pages(t, argv[0], unpin_user_pages_clean, false);
}

static s64 op_put_user_pages_dirty_lock(struct lt_task *t, const s64 *argv)
{
	return release_handle_pages(t, argv[0], put_user_pages_dirty_lock, argv[1]);
}

static s64 op_unpin_user_pages_dirty_lock(struct lt_task *t, const s64 *argv)
{
	return release_handle_pages(t, argv[0], unpin_user_pages_dirty_lock, argv[1]);
}

static s64 op_dio_read(struct lt_task *t, const s64 *argv)
{
	return dio_read(mm_of(t), file_of(t, argv[0]), argv[1],
			file_of(t, argv[2]), argv[3]);
}

static s64 op_reflink(struct lt_task *t, const s64 *argv)
{
	return vfs_clone_file_range(file_of(t, argv[0]), file_of(t, argv[1]));
}

#define V	LT_OP_VALUE
#define VH	(LT_OP_VALUE | LT_OP_HANDLE)

const struct lt_op mm_ops[] = {
	{ "store", "fpi", V, op_store,
	  "A, i, v",
	  "shared write fault (do_shared_fault: ->page_mkwrite locks the page, attaches buffers, folio_wait_stable; set_page_dirty; PTE writable), then v into every sector",
	  "0; -EFAULT outside the mapping",
	  "at the fault's locks and per sector" },
	{ "load", "fp", V, op_load,
	  "A, i",
	  "read fault (filemap_fault) through the thread's mapping",
	  "the page's value, or torn; -EFAULT outside the mapping",
	  "at the fault" },
	{ "write", "fpi", V | LT_OP_EXTENDS, op_write,
	  "A, i, v",
	  "write(2): generic_perform_write (write_begin locks the page and attaches buffers, copy, write_end dirties); past EOF it extends the file",
	  "0; -EFBIG past the largest file",
	  "at the page lock" },
	{ "read", "fp", V, op_read,
	  "A, i",
	  "read(2): filemap_read, reading the page in when it is not cached",
	  "the page's value; 0 at or past EOF",
	  "at the page-cache lookup and lock" },
	{ "ondisk", "fp", V, op_ondisk,
	  "A, i",
	  "what a crash would leave: every sector of the page's disk block, checksum verified, in one step",
	  "the value, torn or eio; -EINVAL past EOF",
	  "one step" },
	{ "fsync", "f", V, op_fsync,
	  "A",
	  "vfs_fsync: WB_SYNC_ALL writeback of A, wait for it, report a recorded error once",
	  "0; -EIO after a failed write",
	  "as writeback, plus the waits" },
	{ "sync", "", 0, op_sync,
	  "",
	  "sync(2): fsync of every file (nothing without files)",
	  "none",
	  "as fsync" },
	{ "writeback", "fw", V, op_writeback,
	  "A, WB_SYNC_NONE|WB_SYNC_ALL",
	  "one flusher pass over A's dirty pages in write_cache_pages order: lock, wait or skip writeback, clear_page_dirty_for_io, set_page_writeback, submit_bio, unlock",
	  "0 or -errno",
	  "at each page lock, per sector of the transfer" },
	{ "reclaim", "f", V, op_reclaim,
	  "A",
	  "one pass of reclaim over A's pages in shrink_folio_list order: trylock, skip writeback, unmap, pageout if dirty, release buffers, remove if the refcount is the expected one",
	  "pages freed",
	  "at the locks of each page" },
	{ "drop_caches", "", 0, op_drop_caches,
	  "",
	  "echo 1 > drop_caches: evict every clean, unmapped, unpinned page (nothing without files)",
	  "none",
	  "per page" },
	{ "truncate", "fs", V | LT_OP_EXTENDS, op_truncate,
	  "A, n",
	  "truncate(2) to n pages: i_rwsem, inode_dio_wait, break_layouts (the design's answer to pins), i_size, truncate_pagecache (unmap, remove every page beyond: dirty, mapped and pinned ones too, a pinned page living on as an orphan of no file, unmap again), free the blocks",
	  "0; -EBUSY (layout=fail), -EFBIG, -EINVAL",
	  "at i_rwsem, each task's page table, each page lock and writeback wait" },
	{ "punch", "fpi", V, op_punch,
	  "A, i, n",
	  "fallocate(PUNCH_HOLE|KEEP_SIZE) of pages i..i+n-1 below i_size: i_rwsem, inode_dio_wait, break_layouts, write back and wait for the range, truncate_pagecache_range, free the blocks",
	  "0; -EBUSY (layout=fail), -EINVAL, -EIO from the flush",
	  "as truncate, plus the range's writeback" },
	{ "lease", "f", V, op_lease,
	  "A",
	  "fcntl(F_SETLEASE) of a layout lease on A for this thread (fs/locks.c generic_add_lease); broken only under layout=lease-break; released when the thread ends",
	  "0; -EAGAIN while another thread's lease on A is being broken",
	  "one step (the flc_lock region)" },
	{ "unlease", "f", V, op_unlease,
	  "A",
	  "release this thread's layout lease on A (generic_delete_lease), waking breakers; under layout=lease-break long-term pins still tied to it are revoked",
	  "0; -EAGAIN when the thread holds none",
	  "one step, plus the unpin of revoked pins" },
	{ "wait_lease_break", "f", V, op_wait_lease_break,
	  "A",
	  "the holder's side of a break (lm_break's SIGIO): sleep until this thread's layout lease on A is being broken",
	  "0 when it is being broken; -ETIMEDOUT when it was removed at its break time (revoked); -ENOLCK without a lease",
	  "each test of the condition, sleeping between" },
	{ "get_user_pages", "fpiF", VH, op_get_user_pages,
	  "A, i, n, FOLL_*",
	  "GUP with FOLL_GET: walk the PTEs, fault in (a write fault for FOLL_WRITE), take a page reference",
	  "pages taken (r also holds them); -EFAULT, -EINVAL, -EPERM per policy",
	  "per page: PTE walk, fault, reference" },
	{ "pin_user_pages", "fpiF", VH, op_pin_user_pages,
	  "A, i, n, FOLL_*",
	  "GUP with FOLL_PIN, slow path: as get_user_pages, the reference counted as a pin (bias 1024 or an exact count, per policy), nr_foll_pin_acquired",
	  "pages pinned (r also holds them); -errno, e.g. -EFAULT for a long-term writable file pin under mainline",
	  "per page: PTE walk, fault, pin" },
	{ "pin_user_pages_fast", "fpiF", VH, op_pin_user_pages_fast,
	  "A, i, n, FOLL_*",
	  "GUP-fast: lockless PTE walk, grab the page, recheck the PTE, fall back to the slow path",
	  "as pin_user_pages",
	  "between grab and recheck" },
	{ "dma_write", "hii", 0, op_dma_write,
	  "r, k, v",
	  "the device writes v into the k-th page of r, sector by sector, ignoring PTEs (no fault, no page_mkwrite); once a lease break revoked r, the rest goes nowhere and raises revoked",
	  "0; -EFAULT when r has no k-th page",
	  "per sector" },
	{ "dma_read", "hi", V, op_dma_read,
	  "r, k",
	  "the device reads the k-th page of r, sector by sector (nothing, raising revoked, once a lease break revoked r)",
	  "the value, or torn; -EFAULT when r has no k-th page; -EIO once r is revoked",
	  "per sector" },
	{ "put_page", "h", 0, op_put_page,
	  "r",
	  "put_page() on each page of r: drop a reference (the 2018 drivers' release)",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "set_page_dirty", "h", 0, op_set_page_dirty,
	  "r",
	  "set_page_dirty() on each page of r, without the page lock",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "set_page_dirty_lock", "h", 0, op_set_page_dirty_lock,
	  "r",
	  "set_page_dirty_lock() on each page of r: lock, dirty, unlock",
	  "0; -EFAULT when r holds no pages",
	  "at each page lock" },
	{ "put_user_page", "h", 0, op_put_user_page,
	  "r",
	  "the seed's put_user_page() on each page of r (put_page() under placeholder; unpin where the policy counts pins)",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "put_user_pages", "h", 0, op_put_user_pages,
	  "r",
	  "the seed's put_user_pages() over r",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "put_user_pages_dirty_lock", "hb", 0, op_put_user_pages_dirty_lock,
	  "r, true|false",
	  "the seed's put_user_pages_dirty_lock(): per page lock, dirty if asked and clean, unlock, release",
	  "0; -EFAULT when r holds no pages",
	  "at each page lock" },
	{ "unpin_user_page", "h", 0, op_unpin_user_page,
	  "r",
	  "unpin_user_page() on each page of r, nr_foll_pin_released",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "unpin_user_pages", "h", 0, op_unpin_user_pages,
	  "r",
	  "unpin_user_pages() over r",
	  "0; -EFAULT when r holds no pages",
	  "per page" },
	{ "unpin_user_pages_dirty_lock", "hb", 0, op_unpin_user_pages_dirty_lock,
	  "r, true|false",
	  "unpin_user_pages_dirty_lock(): per page lock, dirty if asked and clean, unlock, drop the pin, nr_foll_pin_released",
	  "0; -EFAULT when r holds no pages",
	  "at each page lock" },
	{ "dio_read", "fpfp", V, op_dio_read,
	  "B, j, A, i",
	  "O_DIRECT read of page j of B into the buffer that maps page i of A: short-term pin of A's page, the device writes B's block into it, unpin dirty",
	  "0 or -errno",
	  "at the pin, per sector, at the unpin" },
	{ "reflink", "ff", V, op_reflink,
	  "A, B",
	  "ioctl(FICLONE) of A onto B: both i_rwsems, both invalidate_locks (MMAPLOCK), break_layouts on A and B, inode_dio_wait on both, write back A then B, share A's blocks with B (refcounts up; xfs truncates B's page cache first, btrfs after), B's size at least A's; under layout=cow xfs reserves a COW extent for every maybe-pinned or dirty page of A",
	  "0; -EOPNOTSUPP on ext4 and tmpfs; -EINVAL onto itself; -EBUSY under layout=fail",
	  "at the locks, in the flushes, per page shared" },
	{ .name = NULL },
};
