/* debug.c - debug builds: mm objects registered with the footprint auditor, and the mm invariants. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <pinlab/bug.h>
#include <pinlab/mmdebug.h>
#include <pinlab/pgtable.h>
#include <pinlab/policy.h>

#ifdef PINLAB_DEBUG

/*
 * Footprint objects (mm.h): each audited field is checked against the
 * object its writers record.  Fields that stand for another object:
 * page->index and page->mapping are set together (&page->mapping);
 * each page flag is its own object (page_flag_obj(): bit N, byte N of
 * page->flags); page->private changes with PG_private (its flag's object);
 * a lock's or a wait
 * queue's fields are the lock or queue; nrpages is protected by i_lock
 * (&mapping->i_lock); a buffer head's b_page and b_blocknr change with its
 * state (&bh->b_state); a disk block's has_csum goes with its checksums
 * (&b->csum).  A GUP handle is private to the task that made it (bios
 * and the request queue: block/blk-debug.c).  Not audited: page->id and world->nr_pages_alloc (allocation numbers
 * for traces, never read by the model), pointers fixed at creation
 * (page->data, inode->i_sb, ...) and the threads back end's pthread objects.
 */

#define LOCK_FIELDS(type, l)						\
	AUDIT_FIELD(type, l.owner, offsetof(type, l))

static const struct audit_field page_fields[] = {
	AUDIT_BITS(struct page, flags),
	AUDIT_FIELD(struct page, _refcount, AUDIT_SELF),
	AUDIT_FIELD(struct page, _mapcount, AUDIT_SELF),
	AUDIT_FIELD(struct page, _pincount, AUDIT_SELF),
	AUDIT_FIELD(struct page, mapping, AUDIT_SELF),
	AUDIT_FIELD(struct page, index, offsetof(struct page, mapping)),
	AUDIT_FIELD(struct page, private, offsetof(struct page, flags) + PG_private),
	AUDIT_FIELD(struct page, wait.waiters, offsetof(struct page, wait)),
	AUDIT_FIELD(struct page, wait.seq, offsetof(struct page, wait)),
	AUDIT_FIELD(struct page, freed, AUDIT_SELF),
	AUDIT_END,
};

static const struct audit_type page_type = { "struct page", page_fields };

static const struct audit_field sector_fields[] = {
	{ "data[]", 0, sizeof(s64), 0, sizeof(s64), AUDIT_SELF, false },
	AUDIT_END,
};

static const struct audit_type sector_type = { "page data", sector_fields };

static const struct audit_field bh_fields[] = {
	AUDIT_FIELD(struct buffer_head, b_state, AUDIT_SELF),
	AUDIT_FIELD(struct buffer_head, b_page, offsetof(struct buffer_head, b_state)),
	AUDIT_FIELD(struct buffer_head, b_blocknr, offsetof(struct buffer_head, b_state)),
	AUDIT_END,
};

static const struct audit_type bh_type = { "struct buffer_head", bh_fields };

static const struct audit_field inode_fields[] = {
	AUDIT_FIELD(struct inode, i_size, AUDIT_SELF),
	AUDIT_ARRAY(struct inode, i_data.i_pages, MM_PAGES_MAX),
	AUDIT_FIELD(struct inode, i_data.nrpages, offsetof(struct inode, i_data.i_lock)),
	LOCK_FIELDS(struct inode, i_data.i_lock),
	AUDIT_FIELD(struct inode, i_data.flags, AUDIT_SELF),
	LOCK_FIELDS(struct inode, i_rwsem),
	AUDIT_ARRAY(struct inode, i_blocks, MM_PAGES_MAX),
	AUDIT_ARRAY(struct inode, i_cow_blocks, MM_PAGES_MAX),
	AUDIT_FIELD(struct inode, i_dio_count, AUDIT_SELF),
	AUDIT_FIELD(struct inode, i_dio_wait.waiters, offsetof(struct inode, i_dio_wait)),
	AUDIT_FIELD(struct inode, i_dio_wait.seq, offsetof(struct inode, i_dio_wait)),
	AUDIT_END,
};

static const struct audit_type inode_type = { "struct inode", inode_fields };

static const struct audit_field mm_fields[] = {
	LOCK_FIELDS(struct mm_struct, ptl),
	/* The rows of the test's files: pte[f][i] for f < nr_files. */
	{ "pte[][]", offsetof(struct mm_struct, pte), sizeof(struct pte),
	  0, sizeof(struct pte), AUDIT_SELF, false },
	AUDIT_END,
};

static const struct audit_type mm_type = { "struct mm_struct", mm_fields };

static const struct audit_field world_fields[] = {
	AUDIT_FIELD(struct mm_world, nr_foll_pin_acquired, AUDIT_SELF),
	AUDIT_FIELD(struct mm_world, nr_foll_pin_released, AUDIT_SELF),
	AUDIT_FIELD(struct mm_world, pin_wait.waiters, offsetof(struct mm_world, pin_wait)),
	AUDIT_FIELD(struct mm_world, pin_wait.seq, offsetof(struct mm_world, pin_wait)),
	AUDIT_FIELD(struct mm_world, dax_wait.waiters, offsetof(struct mm_world, dax_wait)),
	AUDIT_FIELD(struct mm_world, dax_wait.seq, offsetof(struct mm_world, dax_wait)),
	AUDIT_END,
};

static const struct audit_type world_type = { "struct mm_world", world_fields };

static const struct audit_field disk_fields[] = {
	AUDIT_FIELD(struct gendisk, nr_blocks, AUDIT_SELF),
	AUDIT_FIELD(struct gendisk, nr_free, AUDIT_SELF),
	AUDIT_END,
};

static const struct audit_type disk_type = { "struct gendisk", disk_fields };

/* A file's lease list: each slot, the revoked mask, the wait queue. */
static const struct audit_field flctx_fields[] = {
	AUDIT_ARRAY(struct file_lock_context, flc_lease, NR_TASKS_MAX),
	AUDIT_FIELD(struct file_lock_context, flc_revoked, AUDIT_SELF),
	AUDIT_FIELD(struct file_lock_context, flc_wait.waiters,
		    offsetof(struct file_lock_context, flc_wait)),
	AUDIT_FIELD(struct file_lock_context, flc_wait.seq,
		    offsetof(struct file_lock_context, flc_wait)),
	AUDIT_END,
};

static const struct audit_type flctx_type = { "struct file_lock_context", flctx_fields };

/* A lease is one object; fl_owner and fl_ctx are fixed at creation. */
static const struct audit_field lease_fields[] = {
	AUDIT_FIELD(struct file_lease, fl_flags, 0),
	AUDIT_FIELD(struct file_lease, fl_break_passed, 0),
	AUDIT_FIELD(struct file_lease, fl_deleted, 0),
	AUDIT_FIELD(struct file_lease, fl_nr_pins, 0),
	{ "fl_pins[]", offsetof(struct file_lease, fl_pins), sizeof(struct gup_handle *),
	  LEASE_PINS_MAX, sizeof(struct gup_handle *), 0, false },
	AUDIT_END,
};

static const struct audit_type lease_type = { "struct file_lease", lease_fields };

static const struct audit_field block_fields[] = {
	{ "data[]", offsetof(struct disk_block, data), sizeof(s64), 0, sizeof(s64), AUDIT_SELF, false },
	{ "csum[]", offsetof(struct disk_block, csum), sizeof(u32), 0, sizeof(u32),
	  offsetof(struct disk_block, csum), false },
	AUDIT_FIELD(struct disk_block, has_csum, offsetof(struct disk_block, csum)),
	AUDIT_FIELD(struct disk_block, refcount, AUDIT_SELF),
	AUDIT_END,
};

static const struct audit_type block_type = { "struct disk_block", block_fields };

static const struct audit_field handle_fields[] = {
	AUDIT_FIELD(struct gup_handle, nr, 0),
	AUDIT_FIELD(struct gup_handle, flags, 0),
	AUDIT_ARRAY(struct gup_handle, pages, MM_PAGES_MAX),
	AUDIT_FIELD(struct gup_handle, released, 0),
	AUDIT_FIELD(struct gup_handle, revoked, AUDIT_SELF),
	AUDIT_FIELD(struct gup_handle, lease, 0),
	AUDIT_END,
};

static const struct audit_type handle_type = { "struct gup_handle", handle_fields };

/**
 * struct dbg_page - what the checkers know of one page, besides the page
 * @page:   the page (index: page->id)
 * @pins:   FOLL_PIN pins taken minus released, counted in every pin mode
 * @ptes:   PTEs that map it (counted by each check)
 * @misuse: more pins released than taken (an unpin of a FOLL_GET
 *	    reference, a kernel API misuse the model runs as the kernel
 *	    would): its pin accounting is no longer checked
 */
struct dbg_page {
	struct page *page;
	int pins;
	int ptes;
	bool misuse;
};

/**
 * struct mm_dbg - the mm checkers' state for the execution being run
 * @w:        the world (NULL until mm_world_create())
 * @pages:    every page allocated, by id
 * @nr_pages: entries used in @pages
 * @cap_pages: entries allocated in @pages
 */
static struct mm_dbg {
	struct mm_world *w;
	struct dbg_page *pages;
	u32 nr_pages;
	u32 cap_pages;
} dbg;

/**
 * mm_debug_grow() - @p, an array of @size-byte entries with room for @cap,
 * reallocated (and *@cap raised) to hold @need; aborts when out of memory
 */
void *mm_debug_grow(void *p, u32 *cap, u32 need, size_t size)
{
	u32 n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, (size_t)n * size);
	if (!p)
		audit_fail("mm checkers: out of memory");
	*cap = n;
	return p;
}

/**
 * struct dbg_layer - a checker of another layer's invariants about pages
 * @page:  called on every page by check_page()
 * @reset: called when a new execution begins
 */
static struct dbg_layer {
	void (*page)(const struct page *page);
	void (*reset)(void);
} layers[2];
static int nr_layers;

/**
 * mm_debug_add_page_checker() - have mm's checker run @page on every page,
 * and @reset when a new execution begins
 * @page:  a checker of another layer's invariants about a page
 *	   (block/blk-debug.c: page-writeback-has-bio)
 * @reset: forgets that layer's record of the execution
 *
 * Context: a constructor, before any execution.
 */
void mm_debug_add_page_checker(void (*page)(const struct page *page), void (*reset)(void))
{
	if (nr_layers == (int)ARRAY_SIZE(layers))
		audit_fail("more than %d page checkers", nr_layers);
	layers[nr_layers++] = (struct dbg_layer){ page, reset };
}

static void mm_debug_reset(void)
{
	int i;

	dbg.w = NULL;
	dbg.nr_pages = 0;
	for (i = 0; i < nr_layers; i++)
		layers[i].reset();
}

/* The checkers' record of @page, by its allocation number. */
static void dbg_track_page(struct page *page)
{
	u32 id = (u32)page->id;

	if (id >= dbg.nr_pages) {
		dbg.pages = mm_debug_grow(dbg.pages, &dbg.cap_pages, id + 1, sizeof(*dbg.pages));
		dbg.nr_pages = id + 1;
	}
	dbg.pages[id] = (struct dbg_page){ .page = page };
}

/**
 * mm_debug_page() - alloc_page(): audit a new page and its sectors
 */
void mm_debug_page(struct page *page)
{
	audit_register(page, &page_type, 0, AUDIT_OWNER_NONE);
	audit_register(page->data, &sector_type, page->nr_sectors, AUDIT_OWNER_NONE);
	dbg_track_page(page);
}

/**
 * mm_debug_buffer() - create_empty_buffers(): audit a new buffer head
 */
void mm_debug_buffer(struct buffer_head *bh)
{
	audit_register(bh, &bh_type, 0, AUDIT_OWNER_NONE);
}

/**
 * mm_debug_world() - mm_world_create(): audit the world, its inodes and address
 * spaces
 */
void mm_debug_world(struct mm_world *w)
{
	int i;

	dbg.w = w;
	audit_register(w, &world_type, 0, AUDIT_OWNER_NONE);
	audit_register(w->disk, &disk_type, 0, AUDIT_OWNER_NONE);
	for (i = 0; i < w->nr_files; i++) {
		audit_register(w->inodes[i], &inode_type, 0, AUDIT_OWNER_NONE);
		audit_register(&w->flctx[i], &flctx_type, 0, AUDIT_OWNER_NONE);
	}
	for (i = 0; i < w->nr_tasks; i++)
		audit_register(w->mm[i], &mm_type, w->nr_files * MM_PAGES_MAX,
			       AUDIT_OWNER_NONE);
}

/**
 * mm_debug_dax_page() - audit a DAX page: its struct (its sectors are its
 * block's)
 */
void mm_debug_dax_page(struct page *page)
{
	audit_register(page, &page_type, 0, AUDIT_OWNER_NONE);
	dbg_track_page(page);
}

/**
 * mm_debug_block() - disk_alloc_block(): audit block @b of @w's disk
 */
void mm_debug_block(struct mm_world *w, long b)
{
	audit_register(&w->disk->blocks[b], &block_type, w->sectors, AUDIT_OWNER_NONE);
}

/**
 * mm_debug_handle() - a GUP handle, private to the task that made it
 */
void mm_debug_handle(struct gup_handle *h)
{
	audit_register(h, &handle_type, 0, current ? current->pid : AUDIT_OWNER_NONE);
}

/**
 * mm_debug_lease() - a new layout lease (fs/locks.c): shared from birth
 */
void mm_debug_lease(struct file_lease *fl)
{
	audit_register(fl, &lease_type, 0, AUDIT_OWNER_NONE);
}

/**
 * mm_debug_pin() - a FOLL_PIN pin of @page taken (@nr 1) or released (-1), in
 * any pin mode
 */
void mm_debug_pin(struct page *page, int nr)
{
	struct dbg_page *d;

	if ((u32)page->id >= dbg.nr_pages || dbg.pages[page->id].page != page)
		return;
	d = &dbg.pages[page->id];
	d->pins += nr;
	if (d->pins < 0)
		d->misuse = true;
	audit_touch();
}

/* ---- the invariants ---- */

/**
 * mm_debug_broken_page() - invariant @inv is broken at @page: print @what
 * and the page's counts and flags, and abort
 */
__noreturn void mm_debug_broken_page(const char *inv, const struct page *page, const char *what)
{
	audit_fail("invariant %s broken: page #%d: %s (refcount %d mapcount %d pincount %d "
		   "flags %#lx freed %d)", inv, page->id, what,
		   atomic_load(&page->_refcount), atomic_load(&page->_mapcount) + 1,
		   atomic_load(&page->_pincount), atomic_load(&page->flags), page->freed);
}

static __noreturn __printf(3, 4) void broken(const char *inv, const struct page *page,
					      const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (page)
		mm_debug_broken_page(inv, page, buf);
	audit_fail("invariant %s broken: %s", inv, buf);
}

static bool cached(const struct mm_world *w, const struct page *page)
{
	int f, i;

	for (f = 0; f < w->nr_files; f++)
		for (i = 0; i < MM_PAGES_MAX; i++)
			if (w->inodes[f]->i_data.i_pages[i] == page)
				return true;
	return false;
}

/* References a pin accounts for under pin mode @pin. */
static int pin_refs(enum pin_tracking pin, int pins)
{
	return pin == PIN_BIAS ? pins * GUP_PIN_COUNTING_BIAS : pins;
}

/*
 * Mappings whose PTE is gone and whose mapcount is not yet: try_to_unmap_one()
 * clears the entry and drops the mapcount under the page table lock, but
 * dirtying the page in between lets others in.  At most one per task
 * holding its page table lock.
 */
static int ptl_held(const struct mm_world *w)
{
	int t, n = 0;

	for (t = 0; t < w->nr_tasks; t++)
		n += w->mm[t]->ptl.owner != NULL;
	return n;
}

static void check_page_pins(const struct mm_world *w, const struct dbg_page *d, int ptes)
{
	const struct page *p = d->page;
	int ref = atomic_load(&p->_refcount), map = atomic_load(&p->_mapcount) + 1;
	enum pin_tracking pin = w->policy->pin;

	if (d->misuse)
		return;
	/*
	 * Under PIN_NONE a pin is a plain reference, which put_page() releases
	 * as well as an unpin does.  A page freed while pinned is a uaf
	 * outcome (or an unflagged one the model runs as the kernel would),
	 * not an inconsistency of the model's books.
	 */
	if (pin != PIN_NONE && !p->freed && !(flags_get()->mask & BIT(PLF_UAF)) &&
	    ref < pin_refs(pin, d->pins))
		broken("page-refcount-covers-pins", p, "%d pins", d->pins);
	if (pin == PIN_EXACT && atomic_load(&p->_pincount) != d->pins)
		broken("page-pincount-exact", p, "%d pins", d->pins);
	if (pin != PIN_EXACT && atomic_load(&p->_pincount))
		broken("page-pincount-unused", p, "pin mode is not exact");
	map -= pin == PIN_MAPCOUNT ? d->pins : 0;
	if (map < ptes || map > ptes + ptl_held(w))
		broken("page-mapcount-is-ptes", p, "%d PTEs map it, %d pins, %d ptl held",
		       ptes, d->pins, ptl_held(w));
}

static void check_page(const struct mm_world *w, const struct dbg_page *d)
{
	const struct page *p = d->page;
	int ptes = d->ptes, i;

	if (atomic_load(&p->_refcount) < 0)
		broken("page-refcount-nonnegative", p, "negative refcount");
	for (i = 0; i < nr_layers; i++)
		layers[i].page(p);
	if (p->freed && atomic_load(&p->_refcount))
		broken("page-freed-unreferenced", p, "freed with references left");
	if (p->freed && (ptes || cached(w, p) || p->mapping))
		broken("page-freed-unreachable", p, "freed but %d PTEs, cached %d, mapping %p",
		       ptes, cached(w, p), (void *)p->mapping);
	if ((atomic_load(&p->flags) & BIT(PG_private)) != 0 && !p->private)
		broken("page-private-has-buffers", p, "PG_private without buffer heads");
	check_page_pins(w, d, ptes);
}

static void check_mapping(const struct inode *inode)
{
	const struct address_space *m = &inode->i_data;
	int i, n = 0;

	if (inode->i_mapping != m || m->host != inode)
		broken("mapping-host", NULL, "file %s: i_mapping/host do not point back",
		       inode->i_name);
	for (i = 0; i < MM_PAGES_MAX; i++) {
		const struct page *p = m->i_pages[i];

		if (!p)
			continue;
		n++;
		if (p->mapping != m || p->index != (pgoff_t)i)
			broken("mapping-page-points-back", p, "in %s[%d] but mapping %p index %lu",
			       inode->i_name, i, (void *)p->mapping, p->index);
		if (atomic_load(&p->_refcount) < 1)
			broken("mapping-page-referenced", p, "in %s[%d] without the cache's reference",
			       inode->i_name, i);
	}
	if (n != m->nrpages)
		broken("mapping-nrpages", NULL, "file %s: nrpages %d, %d pages cached",
		       inode->i_name, m->nrpages, n);
}

static void check_inode(const struct mm_world *w, const struct inode *inode)
{
	int i;

	if (inode->i_size < 0 || inode->i_size > MM_PAGES_MAX)
		broken("inode-size", NULL, "file %s: i_size %d", inode->i_name, inode->i_size);
	for (i = 0; i < MM_PAGES_MAX; i++) {
		if (inode->i_blocks[i] < -1 || inode->i_blocks[i] >= w->disk->nr_blocks)
			broken("inode-block-allocated", NULL, "file %s: i_blocks[%d] = %ld of %d",
			       inode->i_name, i, inode->i_blocks[i], w->disk->nr_blocks);
		if (inode->i_cow_blocks[i] < XFS_COW_DELALLOC ||
		    inode->i_cow_blocks[i] >= w->disk->nr_blocks)
			broken("inode-cow-block-allocated", NULL,
			       "file %s: i_cow_blocks[%d] = %ld of %d",
			       inode->i_name, i, inode->i_cow_blocks[i], w->disk->nr_blocks);
	}
	check_mapping(inode);
}

/* File extents (data and COW fork) that point at @block. */
static int block_extents(const struct mm_world *w, long block)
{
	int f, i, n = 0;

	for (f = 0; f < w->nr_files; f++)
		for (i = 0; i < MM_PAGES_MAX; i++)
			n += (w->inodes[f]->i_blocks[i] == block) +
			     (w->inodes[f]->i_cow_blocks[i] == block);
	return n;
}

/*
 * A block's reference count covers every file extent pointing at it: one
 * fewer would free (and in the kernel reuse) a block a file still reads.
 * It may be higher by the write in flight that owns a new block before
 * its completion points the file at it (btrfs's ordered extent).
 */
static void check_block_refcounts(const struct mm_world *w)
{
	long b;
	int n;

	for (b = 0; b < w->disk->nr_blocks; b++) {
		n = block_extents(w, b);
		if (w->disk->blocks[b].refcount < n || w->disk->blocks[b].refcount > n + 1)
			broken("block-refcount-covers-extents", NULL,
			       "block %ld: refcount %d, %d file extents", b,
			       w->disk->blocks[b].refcount, n);
	}
}

/* Every present PTE maps a live page of this execution; count them per page. */
static void check_ptes(const struct mm_world *w, const struct mm_struct *mm)
{
	int f, i;

	for (f = 0; f < w->nr_files; f++) {
		for (i = 0; i < MM_PAGES_MAX; i++) {
			const struct pte *pte = &mm->pte[f][i];
			const struct page *p = pte->page;

			if (!pte->present)
				continue;
			if (!p || (u32)p->id >= dbg.nr_pages || dbg.pages[p->id].page != p)
				broken("pte-maps-a-page", NULL, "P%d pte[%d][%d] present without a page",
				       mm->pid, f, i);
			if (p->freed)
				broken("pte-page-live", p, "mapped by P%d pte[%d][%d]", mm->pid, f, i);
			dbg.pages[p->id].ptes++;
		}
	}
}

/*
 * A file's leases: only litmus tasks hold them, each its own, none taken
 * off the list, and no revoked handle still tied to one.
 */
static void check_leases(const struct mm_world *w, int f)
{
	const struct file_lock_context *ctx = &w->flctx[f];
	int p, i;

	if (ctx->flc_revoked & ~(u32)(BIT(w->nr_tasks) - 1))
		broken("world-lease-holders", NULL, "file %d: revoked mask %#x", f, ctx->flc_revoked);
	for (p = 0; p < NR_TASKS_MAX; p++) {
		const struct file_lease *fl = ctx->flc_lease[p];

		if (!fl)
			continue;
		if (p >= w->nr_tasks || fl->fl_owner != p || fl->fl_deleted)
			broken("world-lease-holders", NULL, "file %d: slot %d holds a lease of %d%s",
			       f, p, fl->fl_owner, fl->fl_deleted ? " (deleted)" : "");
		for (i = 0; i < fl->fl_nr_pins; i++)
			if (fl->fl_pins[i]->revoked)
				broken("lease-pins-revoked", NULL, "file %d: P%d's lease keeps a revoked handle",
				       f, p);
	}
}

static void check_world(const struct mm_world *w)
{
	int i;

	if (w->disk->nr_blocks < 0 || w->disk->nr_blocks > w->disk->max_blocks)
		broken("world-blocks", NULL, "%d blocks of %d", w->disk->nr_blocks, w->disk->max_blocks);
	if (w->nr_files < 0 || w->nr_files > MM_FILES_MAX ||
	    w->nr_tasks < 0 || w->nr_tasks > NR_TASKS_MAX)
		broken("world-sizes", NULL, "%d files, %d tasks", w->nr_files, w->nr_tasks);
	for (i = 0; i < w->nr_files; i++) {
		check_leases(w, i);
		check_inode(w, w->inodes[i]);
	}
	check_block_refcounts(w);
	for (i = 0; i < w->nr_tasks; i++)
		check_ptes(w, w->mm[i]);
}

/**
 * mm_debug_check() - every mm invariant of the current world; aborts naming the
 * first broken one
 */
void mm_debug_check(void)
{
	const struct mm_world *w = dbg.w;
	u32 i;

	/* After a BUG the kernel's state is undefined: nothing left to check. */
	if (!w || (flags_get()->mask & BIT(PLF_BUG)))
		return;
	for (i = 0; i < dbg.nr_pages; i++)
		dbg.pages[i].ptes = 0;
	check_world(w);
	for (i = 0; i < dbg.nr_pages; i++)
		if (dbg.pages[i].page)
			check_page(w, &dbg.pages[i]);
}

__attribute__((constructor)) static void mm_debug_init(void)
{
	audit_add_checker(mm_debug_check, mm_debug_reset);
}

#endif /* PINLAB_DEBUG */
