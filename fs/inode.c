/* inode.c - the files, address spaces and disk of one execution, and the epilogue that checks them. */
#include <errno.h>
#include <string.h>
#include <pinlab/arena.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/policy.h>

struct mm_world *mm_world;

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
	if (w->dif || cfg->fs->stable_writes)
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

void inode_dio_begin(struct inode *inode)
{
	kobj_write(&inode->i_dio_count);
	atomic_fetch_add(&inode->i_dio_count, 1);
}

void inode_dio_end(struct inode *inode)
{
	kobj_write(&inode->i_dio_count);
	if (atomic_fetch_sub(&inode->i_dio_count, 1) == 1)
		wake_up(&inode->i_dio_wait);
}

static bool inode_dio_done(struct inode *inode)
{
	kobj_read(&inode->i_dio_count);
	return atomic_load(&inode->i_dio_count) == 0;
}

/**
 * inode_dio_wait() - wait for the direct I/O in flight *on* @inode
 * @inode: the file
 *
 * Only I/O to or from @inode itself counts: a direct read of another file
 * whose user buffer is a page of @inode is not waited for.
 *
 * Context: sleeps; the caller holds i_rwsem so that no new I/O starts.
 */
void inode_dio_wait(struct inode *inode)
{
	wait_event(&inode->i_dio_wait, inode_dio_done(inode));
}

/*
 * The file's reference on the block of page @i goes: a block a reflink
 * shares stays for the other file (xfs_refcount_decrease_extent()); a COW
 * fork extent over the page is cancelled with it
 * (xfs_reflink_cancel_cow_range()).
 */
static void inode_remove_block(struct inode *inode, pgoff_t i)
{
	long block;

	kobj_write(&inode->i_blocks[i]);
	block = inode->i_blocks[i];
	inode->i_blocks[i] = -1;
	if (block >= 0)
		disk_block_put(inode->i_world, block);
	kobj_write(&inode->i_cow_blocks[i]);
	block = inode->i_cow_blocks[i];
	inode->i_cow_blocks[i] = XFS_COW_NONE;
	if (block >= 0)
		disk_block_put(inode->i_world, block);
}

void inode_remove_blocks(struct inode *inode, pgoff_t start, pgoff_t end)
{
	pgoff_t i;

	for (i = start; i < min_t(pgoff_t, end, MM_PAGES_MAX); i++)
		inode_remove_block(inode, i);
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
			w->disk[b].data[s] = init[i];
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
	int f, pages = 0;

	for (f = 0; f < cfg->nr_files; f++)
		pages += cfg->nr_pages[f];
	/* Room for every page to be copied on write a few times over. */
	w->max_blocks = min_t(int, MM_BLOCKS_MAX, pages * 4 + 8);
	w->disk = arena_alloc(&exec_arena, w->max_blocks * sizeof(*w->disk));
	if (!w->disk)
		return -ENOMEM;
	if (!cfg->dax)
		return 0;
	w->dax = true;
	init_waitqueue_head(&w->dax_wait);
	w->dax_pages = arena_alloc(&exec_arena, w->max_blocks * sizeof(*w->dax_pages));
	w->free_blocks = arena_alloc(&exec_arena, w->max_blocks * sizeof(*w->free_blocks));
	if (!w->dax_pages || !w->free_blocks)
		return -ENOMEM;
	memset(w->dax_pages, 0, w->max_blocks * sizeof(*w->dax_pages));
	return 0;
}

struct mm_world *mm_world_create(const struct mm_config *cfg)
{
	struct mm_world *w = arena_alloc(&exec_arena, sizeof(*w));
	int f, t;

	if (!w)
		return NULL;
	w->sectors = cfg->sectors;
	w->fs = cfg->fs;
	w->dif = cfg->dif;
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
	mm_world = w;
	mm_debug_world(w);
	return w;
}

/* PTEs of every task that map @page. */
static int ptes_mapping(struct mm_world *w, struct page *page)
{
	struct inode *inode = page->mapping->host;
	int t, n = 0;

	for (t = 0; t < w->nr_tasks; t++) {
		struct pte *pte = &w->mm[t]->pte[inode->i_ino][page->index];

		n += pte->present && pte->page == page;
	}
	return n;
}

/*
 * References nobody accounts for: a GUP reference or pin never released.
 * Expected: the page cache's one and one per PTE.
 */
static bool page_refs_leaked(struct mm_world *w, struct page *page)
{
	return page_ref_count(page) > 1 + ptes_mapping(w, page);
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

			if (page && page_refs_leaked(w, page))
				flag_raise(PLF_LEAK, "page references still held at exit");
		}
	}
}

void mm_epilogue(struct mm_world *w)
{
	ksys_sync(w);
	check_leaks(w);
	drop_caches(w);
}

int mm_file_size(struct mm_world *w, int ino)
{
	return w->inodes[ino]->i_size;
}

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

	switch (policy->pin) {
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
