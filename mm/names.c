/* names.c - names of the model's footprint objects and page states, for traces. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pinlab/world.h>

/* Is @obj within the @size bytes at @base? */
static bool within(const void *obj, const void *base, size_t size)
{
	const char *p = obj, *b = base;

	return p >= b && p < b + size;
}

/* "A:0" for a page cache page, "page#3" for one outside any page cache. */
static void page_name(const struct page *page, char *buf, size_t len)
{
	if (page->mapping)
		snprintf(buf, len, "%s:%lu", page->mapping->host->i_name, page->index);
	else
		snprintf(buf, len, "page#%d", page->id);
}

static const char *const pageflag_names[NR_PAGEFLAGS] = {
	[PG_locked] = "PG_locked",
	[PG_uptodate] = "PG_uptodate",
	[PG_dirty] = "PG_dirty",
	[PG_writeback] = "PG_writeback",
	[PG_private] = "PG_private",
	[PG_reclaim] = "PG_reclaim",
};

/* The field of @page that @obj is, as its footprint objects stand for them. */
static const char *page_field(const struct page *page, const void *obj)
{
	const char *b = (const char *)page;
	size_t off = (const char *)obj - b;

	if (off < NR_PAGEFLAGS)
		return off == PG_locked ? "" : pageflag_names[off];
	if (within(obj, &page->_refcount, sizeof(page->_refcount)))
		return "refcount";
	if (within(obj, &page->_mapcount, sizeof(page->_mapcount)))
		return "mapcount";
	if (within(obj, &page->_pincount, sizeof(page->_pincount)))
		return "pincount";
	if (within(obj, &page->mapping, sizeof(page->mapping)))
		return "mapping";
	if (within(obj, &page->wait, sizeof(page->wait)))
		return "wait";
	return "struct page";
}

/* @obj in a page, its sectors or its buffer head. Return: 0 or -ENOENT. */
static int page_obj_name(const struct page *page, const void *obj, char *buf, size_t len)
{
	char name[32];
	const char *field;

	page_name(page, name, sizeof(name));
	if (within(obj, page, sizeof(*page))) {
		field = page_field(page, obj);
		snprintf(buf, len, "%s%s%s", name, *field ? " " : "", field);
		return 0;
	}
	if (within(obj, page->data, page->nr_sectors * sizeof(*page->data))) {
		snprintf(buf, len, "%s s%d", name, (int)((const s64 *)obj - page->data));
		return 0;
	}
	if (page->private && within(obj, page->private, sizeof(*page->private))) {
		snprintf(buf, len, "bh %s", name);
		return 0;
	}
	return -ENOENT;
}

/* @obj in inode @inode: a lock, a page cache slot, a block pointer. */
static int inode_obj_name(const struct inode *inode, const void *obj, char *buf, size_t len)
{
	const struct address_space *m = &inode->i_data;
	const char *n = inode->i_name;

	if (!within(obj, inode, sizeof(*inode)))
		return -ENOENT;
	if (within(obj, m->i_pages, sizeof(m->i_pages)))
		snprintf(buf, len, "i_pages %s:%d", n,
			 (int)((struct page *const *)obj - m->i_pages));
	else if (within(obj, inode->i_blocks, sizeof(inode->i_blocks)))
		snprintf(buf, len, "i_blocks %s:%d", n, (int)((const long *)obj - inode->i_blocks));
	else if (within(obj, &m->i_lock, sizeof(m->i_lock)))
		snprintf(buf, len, "i_lock %s", n);
	else if (within(obj, &m->invalidate_lock, sizeof(m->invalidate_lock)))
		snprintf(buf, len, "invalidate_lock %s", n);
	else if (within(obj, &inode->i_rwsem, sizeof(inode->i_rwsem)))
		snprintf(buf, len, "i_rwsem %s", n);
	else if (within(obj, &inode->i_size, sizeof(inode->i_size)))
		snprintf(buf, len, "i_size %s", n);
	else if (within(obj, &m->flags, sizeof(m->flags)))
		snprintf(buf, len, "mapping flags %s", n);
	else
		snprintf(buf, len, "inode %s", n);
	return 0;
}

/* @obj in task @mm's address space: its page table lock or a PTE. */
static int mm_struct_obj_name(const struct mm_world *w, const struct mm_struct *mm,
			      const void *obj, char *buf, size_t len)
{
	const struct pte *pte;
	int f;

	if (!within(obj, mm, mm_struct_size(w->nr_files)))
		return -ENOENT;
	if (within(obj, &mm->ptl, sizeof(mm->ptl))) {
		snprintf(buf, len, "ptl P%d", mm->pid);
		return 0;
	}
	for (f = 0; f < w->nr_files; f++) {
		if (!within(obj, mm->pte[f], sizeof(mm->pte[f])))
			continue;
		pte = obj;
		snprintf(buf, len, "pte P%d %s:%d", mm->pid, w->inodes[f]->i_name,
			 (int)(pte - mm->pte[f]));
		return 0;
	}
	snprintf(buf, len, "mm P%d", mm->pid);
	return 0;
}

/* The file page block @b holds, as "A:0", or "block 3". */
static void block_name(const struct mm_world *w, long b, char *buf, size_t len)
{
	int f, i;

	for (f = 0; f < w->nr_files; f++)
		for (i = 0; i < MM_PAGES_MAX; i++)
			if (w->inodes[f]->i_blocks[i] == b) {
				snprintf(buf, len, "disk %s:%d", w->inodes[f]->i_name, i);
				return;
			}
	snprintf(buf, len, "block %ld", b);
}

/* @obj on the disk: a sector or the checksums of a block. */
static int disk_obj_name(const struct mm_world *w, const void *obj, char *buf, size_t len)
{
	const struct gendisk *disk = w->disk;
	const struct disk_block *d;
	char name[32];
	long b;

	if (!disk || !within(obj, disk->blocks, disk->max_blocks * sizeof(*disk->blocks)))
		return -ENOENT;
	b = ((const char *)obj - (const char *)disk->blocks) / sizeof(*disk->blocks);
	d = &disk->blocks[b];
	block_name(w, b, name, sizeof(name));
	if (within(obj, d->data, sizeof(d->data)))
		snprintf(buf, len, "%s s%d", name, (int)((const s64 *)obj - d->data));
	else
		snprintf(buf, len, "%s csum", name);
	return 0;
}

/* @obj among the world's own counters and leases. */
static int world_obj_name(const struct mm_world *w, const void *obj, char *buf, size_t len)
{
	if (within(obj, w->flctx, sizeof(w->flctx))) {
		int f = (int)(((const char *)obj - (const char *)w->flctx) / sizeof(w->flctx[0]));

		snprintf(buf, len, "lease %s", f < w->nr_files ? w->inodes[f]->i_name : "?");
		return 0;
	}
	if (within(obj, &w->pin_wait, sizeof(w->pin_wait)))
		snprintf(buf, len, "pin_wait");
	else if (w->dax && within(obj, &w->dax_wait, sizeof(w->dax_wait)))
		snprintf(buf, len, "dax_wait");
	else if (within(obj, &w->nr_foll_pin_acquired, sizeof(w->nr_foll_pin_acquired)))
		snprintf(buf, len, "nr_foll_pin_acquired");
	else if (within(obj, &w->nr_foll_pin_released, sizeof(w->nr_foll_pin_released)))
		snprintf(buf, len, "nr_foll_pin_released");
	else
		return -ENOENT;
	return 0;
}

/**
 * mm_obj_name() - the name a trace shows for a footprint object of @w
 * @w:   the world of the execution being traced
 * @obj: an object a step touched (the first one of its footprint)
 * @buf: where the name goes: "A:0", "A:0 PG_dirty", "A:0 s1", "i_lock A",
 *	 "pte P1 A:0", "disk A:0 s2", ...
 * @len: its size
 *
 * Walks the world (its inodes, address spaces, the pages allocated in this
 * execution, the disk): meant for a traced replay, not for exploration.
 * A page outside every page cache is "page#N", N its allocation number.
 *
 * Return: 0, or -ENOENT when @obj is none of the world's (a bio, a GUP
 * handle, a litmus variable): @buf is then untouched.
 */
int mm_obj_name(const struct mm_world *w, const void *obj, char *buf, size_t len)
{
	const struct page *page;
	int i;

	if (!w || !obj)
		return -ENOENT;
	for (i = 0; i < w->nr_files; i++)
		if (!inode_obj_name(w->inodes[i], obj, buf, len))
			return 0;
	for (i = 0; i < w->nr_tasks; i++)
		if (!mm_struct_obj_name(w, w->mm[i], obj, buf, len))
			return 0;
	for (page = w->pages_alloc; page; page = page->alloc_next)
		if (!page_obj_name(page, obj, buf, len))
			return 0;
	if (!disk_obj_name(w, obj, buf, len))
		return 0;
	return world_obj_name(w, obj, buf, len);
}

/* "rw" when a PTE maps the page writable, "ro" when mapped read-only only, else "none". */
static const char *pte_state(const struct mm_page_state *st)
{
	if (st->ptes_rw)
		return "rw";
	return st->ptes ? "ro" : "none";
}

/**
 * mm_page_state_format() - a page state as a trace row shows it
 * @st:  the state (mm_page_state())
 * @buf: "PG_dirty|PG_writeback bufs refs=3 pins=1 pte=ro", "clean refs=1
 *	 pins=0 pte=none", or "not cached"
 * @len: its size
 */
void mm_page_state_format(const struct mm_page_state *st, char *buf, size_t len)
{
	const char *flags = "clean";

	if (!st->cached) {
		snprintf(buf, len, "not cached");
		return;
	}
	if (st->dirty && st->writeback)
		flags = "PG_dirty|PG_writeback";
	else if (st->dirty)
		flags = "PG_dirty";
	else if (st->writeback)
		flags = "PG_writeback";
	snprintf(buf, len, "%s%s refs=%d pins=%d pte=%s", flags, st->buffers ? " bufs" : "",
		 st->refs, st->pins, pte_state(st));
}
