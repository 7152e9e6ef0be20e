/* ops_mm.c - the litmus operations on files, mappings, GUP handles and devices. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/drivers.h>
#include <pinlab/mm.h>
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

/* Layout leases: granted, and never broken, until the lease machinery exists. */
static s64 op_lease(struct lt_task *t, const s64 *argv)
{
	/* A thread is one bit of lease_held. */
	BUILD_BUG_ON(LT_NR_THREADS > 8 * sizeof(world_of(t)->lease_held[0]));
	kobj_write(&world_of(t)->lease_held[argv[0]]);
	world_of(t)->lease_held[argv[0]] |= BIT(t->thr->id);
	return 0;
}

static s64 op_unlease(struct lt_task *t, const s64 *argv)
{
	kobj_write(&world_of(t)->lease_held[argv[0]]);
	world_of(t)->lease_held[argv[0]] &= ~BIT(t->thr->id);
	return 0;
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

/* The k-th page of a handle, or NULL when the GUP call failed or k is out of range. */
static struct page *handle_page(struct lt_task *t, s64 reg, s64 k)
{
	struct gup_handle *h = handle_of(t, reg);

	if (!h || k < 0 || k >= h->nr)
		return NULL;
	return h->pages[k];
}

static s64 op_dma_write(struct lt_task *t, const s64 *argv)
{
	struct page *page = handle_page(t, argv[0], argv[1]);

	if (!page)
		return -EFAULT;
	dma_write_page(page, argv[2]);
	return 0;
}

static s64 op_dma_read(struct lt_task *t, const s64 *argv)
{
	struct page *page = handle_page(t, argv[0], argv[1]);

	return page ? dma_read_page(page) : -EFAULT;
}

static s64 for_each_handle_page(struct lt_task *t, s64 reg, void (*fn)(struct page *))
{
	struct gup_handle *h = handle_of(t, reg);
	int i;

	if (!h)
		return -EFAULT;
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

static s64 op_put_page(struct lt_task *t, const s64 *argv)
{
	return for_each_handle_page(t, argv[0], put_page);
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
	return for_each_handle_page(t, argv[0], put_user_page);
}

static s64 op_unpin_user_page(struct lt_task *t, const s64 *argv)
{
	return for_each_handle_page(t, argv[0], unpin_user_page);
}

static s64 op_put_user_pages(struct lt_task *t, const s64 *argv)
{
	struct gup_handle *h = handle_of(t, argv[0]);

	if (!h)
		return -EFAULT;
	put_user_pages(h->pages, h->nr);
	return 0;
}

static s64 op_unpin_user_pages(struct lt_task *t, const s64 *argv)
{
	struct gup_handle *h = handle_of(t, argv[0]);

	if (!h)
		return -EFAULT;
	unpin_user_pages(h->pages, h->nr);
	return 0;
}

static s64 op_put_user_pages_dirty_lock(struct lt_task *t, const s64 *argv)
{
	struct gup_handle *h = handle_of(t, argv[0]);

	if (!h)
		return -EFAULT;
	put_user_pages_dirty_lock(h->pages, h->nr, argv[1]);
	return 0;
}

static s64 op_unpin_user_pages_dirty_lock(struct lt_task *t, const s64 *argv)
{
	struct gup_handle *h = handle_of(t, argv[0]);

	if (!h)
		return -EFAULT;
	unpin_user_pages_dirty_lock(h->pages, h->nr, argv[1]);
	return 0;
}

static s64 op_dio_read(struct lt_task *t, const s64 *argv)
{
	return dio_read(mm_of(t), file_of(t, argv[0]), argv[1],
			file_of(t, argv[2]), argv[3]);
}

#define V	LT_OP_VALUE
#define VH	(LT_OP_VALUE | LT_OP_HANDLE)

const struct lt_op mm_ops[] = {
	{ "store", "fpi", V, op_store },
	{ "load", "fp", V, op_load },
	{ "write", "fpi", V | LT_OP_EXTENDS, op_write },
	{ "read", "fp", V, op_read },
	{ "ondisk", "fp", V, op_ondisk },
	{ "fsync", "f", V, op_fsync },
	{ "sync", "", 0, op_sync },
	{ "writeback", "fw", V, op_writeback },
	{ "reclaim", "f", V, op_reclaim },
	{ "drop_caches", "", 0, op_drop_caches },
	{ "lease", "f", V, op_lease },
	{ "unlease", "f", 0, op_unlease },
	{ "get_user_pages", "fpiF", VH, op_get_user_pages },
	{ "pin_user_pages", "fpiF", VH, op_pin_user_pages },
	{ "pin_user_pages_fast", "fpiF", VH, op_pin_user_pages_fast },
	{ "dma_write", "hii", 0, op_dma_write },
	{ "dma_read", "hi", V, op_dma_read },
	{ "put_page", "h", 0, op_put_page },
	{ "set_page_dirty", "h", 0, op_set_page_dirty },
	{ "set_page_dirty_lock", "h", 0, op_set_page_dirty_lock },
	{ "put_user_page", "h", 0, op_put_user_page },
	{ "put_user_pages", "h", 0, op_put_user_pages },
	{ "put_user_pages_dirty_lock", "hb", 0, op_put_user_pages_dirty_lock },
	{ "unpin_user_page", "h", 0, op_unpin_user_page },
	{ "unpin_user_pages", "h", 0, op_unpin_user_pages },
	{ "unpin_user_pages_dirty_lock", "hb", 0, op_unpin_user_pages_dirty_lock },
	{ "dio_read", "fpfp", V, op_dio_read },
	{ .name = NULL },
};
