/* world.c - one execution's world: its files, disk and address spaces, the epilogue and what the oracle reads back. */
#include <errno.h>
#include <string.h>
#include <pinlab/arena.h>
#include <pinlab/blkdev.h>
#include <pinlab/cost.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/world.h>
#include <pinlab/writeback.h>

/*
 * mapping_set_stable_writes(): pages of the mapping must not change while
 * under writeback.  A disk with protection information requires it
 * (bdi_cap_stable_pages_required(), today SB_I_STABLE_WRITES), as a
 * changed page would fail its guard; so does a filesystem that checksums
 * data under writeback (btrfs).
 */
static void mapping_set_stable_writes(struct address_space *mapping)
{
	mapping->flags |= BIT(AS_STABLE_WRITES);
}

static void inode_init(struct inode *inode, struct mm_world *w, int ino,
		       const struct mm_config *cfg)
{
	int i;

	inode->i_ino = ino;
	inode->i_name = cfg->names[ino];
	inode->i_size = cfg->nr_pages[ino];
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	inode->i_data.a_ops = cfg->dax ? &dax_aops : cfg->fs->a_ops;
	spin_lock_init(&inode->i_data.i_lock);
	init_rwsem(&inode->i_data.invalidate_lock);
	if (w->disk->dif || cfg->fs->stable_writes)
		mapping_set_stable_writes(&inode->i_data);
	mutex_init(&inode->i_rwsem);
	init_waitqueue_head(&inode->i_dio_wait);
	inode->i_sb = cfg->fs;
	inode->i_world = w;
	for (i = 0; i < MM_PAGES_MAX; i++) {
		inode->i_blocks[i] = -1;
		inode->i_cow_blocks[i] = XFS_COW_NONE;
	}
}


/* Files on a disk start as written blocks holding their initial values. */
static int inode_fill_disk(struct inode *inode, const s64 *init)
{
	struct mm_world *w = inode->i_world;
	int i, s;

	for (i = 0; i < inode->i_size; i++) {
		long b = disk_alloc_block(w);

		if (b < 0)
			return (int)b;
		inode->i_blocks[i] = b;
		for (s = 0; s < w->sectors; s++)
			w->disk->blocks[b].data[s] = init[i];
	}
	return 0;
}

/* tmpfs files live in the page cache only: their pages start dirty, never written. */
static int inode_fill_cache(struct inode *inode, const s64 *init)
{
	struct mm_world *w = inode->i_world;
	int i, s;

	for (i = 0; i < inode->i_size; i++) {
		struct page *page = alloc_page(w);

		if (!page)
			return -ENOMEM;
		for (s = 0; s < w->sectors; s++)
			page->data[s] = init[i];
		atomic_fetch_or(&page->flags, BIT(PG_uptodate) | BIT(PG_dirty) | BIT(PG_locked));
		if (add_to_page_cache(page, inode->i_mapping, i))
			return -EEXIST;
		atomic_fetch_and(&page->flags, ~(unsigned long)BIT(PG_locked));
		put_page(page);
	}
	return 0;
}

static int world_disk_init(struct mm_world *w, const struct mm_config *cfg)
{
	struct gendisk *disk = arena_alloc(&exec_arena, sizeof(*disk));
	int f, pages = 0;

	if (!disk)
		return -ENOMEM;
	w->disk = disk;
	disk->dif = cfg->dif;
	for (f = 0; f < cfg->nr_files; f++)
		pages += cfg->nr_pages[f];
	/* Room for every page to be copied on write a few times over. */
	disk->max_blocks = min_t(int, MM_BLOCKS_MAX, pages * 4 + 8);
	disk->blocks = arena_alloc(&exec_arena, disk->max_blocks * sizeof(*disk->blocks));
	if (!disk->blocks)
		return -ENOMEM;
	if (!cfg->dax)
		return 0;
	w->dax = true;
	init_waitqueue_head(&w->dax_wait);
	w->dax_pages = arena_alloc(&exec_arena, disk->max_blocks * sizeof(*w->dax_pages));
	disk->free_blocks = arena_alloc(&exec_arena,
					disk->max_blocks * sizeof(*disk->free_blocks));
	if (!w->dax_pages || !disk->free_blocks)
		return -ENOMEM;
	memset(w->dax_pages, 0, disk->max_blocks * sizeof(*w->dax_pages));
	return 0;
}

/**
 * mm_world_create() - a fresh world in the execution arena
 * @cfg: what the litmus init block asks for
 *
 * Files on disk with their initial values (tmpfs: dirty in the page
 * cache), nothing else cached, nothing mapped; one address space per task.
 * The world runs under @cfg->policy and bumps @cfg->cost (its own
 * counters when that is NULL).
 *
 * Context: before the execution's tasks run, outside them.
 * Return: the world, or NULL when the arena is full.
 */
struct mm_world *mm_world_create(const struct mm_config *cfg)
{
	struct mm_world *w = arena_alloc(&exec_arena, sizeof(*w));
	int f, t;

	if (!w)
		return NULL;
	w->policy = cfg->policy;
	w->cost = cfg->cost ? cfg->cost : arena_alloc(&exec_arena, sizeof(*w->cost));
	if (!w->cost)
		return NULL;
	w->sectors = cfg->sectors;
	w->fs = cfg->fs;
	w->nr_files = cfg->nr_files;
	w->nr_tasks = cfg->nr_tasks;
	if (world_disk_init(w, cfg))
		return NULL;
	init_waitqueue_head(&w->pin_wait);
	for (f = 0; f < cfg->nr_files; f++) {
		struct inode *inode = arena_alloc(&exec_arena, sizeof(*inode));

		if (!inode)
			return NULL;
		inode_init(inode, w, f, cfg);
		locks_init_context(&w->flctx[f]);
		w->inodes[f] = inode;
		if (cfg->fs->has_disk ? inode_fill_disk(inode, cfg->init[f]) :
					inode_fill_cache(inode, cfg->init[f]))
			return NULL;
	}
	for (t = 0; t < cfg->nr_tasks; t++) {
		w->mm[t] = arena_alloc(&exec_arena, mm_struct_size(w->nr_files));
		if (!w->mm[t])
			return NULL;
		w->mm[t]->pid = t;
		spin_lock_init(&w->mm[t]->ptl);
	}
	mm_debug_world(w);
	return w;
}

/*
 * References nobody accounts for: a GUP reference or pin never released.
 * Expected: the page cache's one and one per PTE.
 */
static bool page_refs_leaked(struct page *page)
{
	return page_ref_count(page) > 1 + page_mapped_ptes(page);
}

static void check_leaks(struct mm_world *w)
{
	int f, i;

	if (atomic_load(&w->nr_foll_pin_acquired) != atomic_load(&w->nr_foll_pin_released))
		flag_raise(PLF_LEAK, "nr_foll_pin_acquired != nr_foll_pin_released");
	for (f = 0; f < w->nr_files; f++) {
		struct address_space *mapping = w->inodes[f]->i_mapping;

		for (i = 0; i < MM_PAGES_MAX; i++) {
			struct page *page = mapping->i_pages[i];

			if (page && page_refs_leaked(page))
				flag_raise(PLF_LEAK, "page references still held at exit");
		}
	}
}

/**
 * mm_epilogue() - what runs after the threads
 * @w: the world
 *
 * Sync every file and wait for its I/O, raise leak for pins still held
 * or nr_foll_pin_acquired != nr_foll_pin_released, drop the caches.
 *
 * Context: the epilogue task, alone with the model's own (the disk, the
 * workqueue's worker).
 */
void mm_epilogue(struct mm_world *w)
{
	ksys_sync(w);
	check_leaks(w);
	drop_caches(w);
}

/**
 * mm_file_size() - a file's size
 * @w:   the world
 * @ino: the file
 *
 * Return: its i_size, in pages.
 */
int mm_file_size(struct mm_world *w, int ino)
{
	return w->inodes[ino]->i_size;
}

/**
 * mm_readback() - a page as read back after the epilogue
 * @w:     the world
 * @ino:   the file
 * @index: the page
 *
 * Return: its disk block's value (0 for a hole, PAGE_VAL_TORN, PAGE_VAL_EIO),
 * or without a disk (tmpfs) its page cache page's value, 0 once uncached.
 */
s64 mm_readback(struct mm_world *w, int ino, pgoff_t index)
{
	struct inode *inode = w->inodes[ino];
	struct page *page;

	if (inode->i_sb->has_disk)
		return inode->i_blocks[index] < 0 ? 0 : disk_value(w, inode->i_blocks[index]);
	page = inode->i_mapping->i_pages[index];
	return page ? page_value(page) : 0;
}

/**
 * mm_readback_sector() - a sector of a page as read back after the epilogue
 * @w:     the world
 * @ino:   the file
 * @index: the page
 * @s:     the sector
 * @v:     its value: from the disk, or from the page cache without one (tmpfs);
 *	   0 for a hole or a page no longer cached
 *
 * Return: 0, or -EIO when that sector fails its checksum.
 */
int mm_readback_sector(struct mm_world *w, int ino, pgoff_t index, int s, s64 *v)
{
	struct inode *inode = w->inodes[ino];
	struct page *page;

	if (inode->i_sb->has_disk)
		return disk_sector(w, inode->i_blocks[index], s, v);
	page = inode->i_mapping->i_pages[index];
	*v = page ? page->data[s] : 0;
	return 0;
}

/* FOLL_PIN pins on @page as the policy's pin mode counts them. */
static int page_pins(struct page *page)
{
	int n;

	switch (page_policy(page)->pin) {
	case PIN_BIAS:
		return atomic_load(&page->_refcount) / GUP_PIN_COUNTING_BIAS;
	case PIN_EXACT:
		return atomic_load(&page->_pincount);
	case PIN_MAPCOUNT:
		n = atomic_load(&page->_mapcount) + 1 - page_mapped_ptes(page);
		return n > 0 ? n : 0;
	default:
		return 0;
	}
}

/* The PTEs of every task that map @page at @ino:@index, and the writable ones. */
static void page_state_ptes(struct mm_world *w, int ino, pgoff_t index, struct page *page,
			    struct mm_page_state *st)
{
	const struct pte *pte;
	int t;

	for (t = 0; t < w->nr_tasks; t++) {
		pte = &w->mm[t]->pte[ino][index];
		if (!pte->present || pte->page != page)
			continue;
		st->ptes++;
		st->ptes_rw += pte->write;
	}
}

/**
 * mm_page_state() - what a litmus condition may read of a page cache page
 * @w:     the world
 * @ino:   the file
 * @index: the page
 * @st:    filled in; all zero when the page is not in the page cache
 */
void mm_page_state(struct mm_world *w, int ino, pgoff_t index, struct mm_page_state *st)
{
	struct page *page = w->inodes[ino]->i_mapping->i_pages[index];
	unsigned long flags;

	memset(st, 0, sizeof(*st));
	if (!page)
		return;
	flags = atomic_load(&page->flags);
	st->cached = true;
	st->dirty = flags & BIT(PG_dirty);
	st->writeback = flags & BIT(PG_writeback);
	st->buffers = flags & BIT(PG_private);
	st->refs = atomic_load(&page->_refcount);
	st->pins = page_pins(page);
	page_state_ptes(w, ino, index, page, st);
}

/**
 * mm_ondisk() - what a crash would leave for a page right now
 * @w:     the world
 * @ino:   the file
 * @index: the page
 *
 * Context: a task's step (litmus ondisk()), whose footprint gets the read
 * of the page's block pointer.
 * Return: the value of the page's disk block (0 for a hole, and for any
 * page of a tmpfs file).
 */
s64 mm_ondisk(struct mm_world *w, int ino, pgoff_t index)
{
	struct inode *inode = w->inodes[ino];
	long block;

	if (!inode->i_sb->has_disk)
		return 0;	/* a crash leaves nothing of a tmpfs file */
	kobj_read(&inode->i_blocks[index]);
	block = i_block_read(inode, index);
	return block < 0 ? 0 : disk_value(w, block);
}
