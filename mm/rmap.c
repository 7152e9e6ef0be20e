/* rmap.c - the reverse map: finding, write-protecting and unmapping the PTEs of a file page. */
#include <pinlab/mm.h>
#include <pinlab/pgtable.h>
#include <pinlab/rmap.h>
#include <pinlab/spinlock.h>
#include <pinlab/tracepoint.h>
#include <pinlab/writeback.h>

/*
 * Every task maps every file, so the reverse map of a file page is one
 * entry per task: its PTE for (page->mapping->host, page->index).  The
 * walks visit the tasks in pid order, as rmap_walk_file() visits the VMAs
 * of mapping->i_mmap.
 */

void page_add_file_rmap(struct page *page)
{
	kobj_write(&page->_mapcount);
	atomic_fetch_add(&page->_mapcount, 1);
}

void page_remove_rmap(struct page *page)
{
	int old;

	kobj_write(&page->_mapcount);
	old = atomic_fetch_sub(&page->_mapcount, 1);
	VM_BUG_ON(old < 0);
}

/*
 * rmap_walk_file() - call @rmap_one with @page's entry @ptep in every
 * task's address space @mm.  The page lock keeps page->mapping from
 * changing under the walk.  Return: the sum of what @rmap_one returned.
 */
static int rmap_walk_file(struct page *page,
			  int (*rmap_one)(struct page *page, struct mm_struct *mm,
					  struct pte *ptep))
{
	struct address_space *mapping;
	struct mm_world *w;
	int pid, ret = 0;

	VM_BUG_ON(!PageLocked(page));
	mapping = page_mapping(page);
	if (!mapping)
		return 0;
	w = mapping->host->i_world;
	for (pid = 0; pid < w->nr_tasks; pid++)
		ret += rmap_one(page, w->mm[pid],
				pte_of(w->mm[pid], mapping->host, page->index));
	return ret;
}

/*
 * page_mkclean_one() - write-protect and clean @mm's entry for @page.
 * The walk takes the page table lock unconditionally (PVMW_SYNC); the
 * scheduling point before it is the walk moving on to this VMA.
 * Return: 1 if the entry was writable or dirty, else 0.
 */
static int page_mkclean_one(struct page *page, struct mm_struct *mm,
			    struct pte *ptep)
{
	struct pte entry;
	int cleaned = 0;

	__sched_point(NULL, KACC_READ, "page_mkclean_one");
	spin_lock(&mm->ptl);
	entry = ptep_get(ptep);
	if (!pte_maps(entry, page) || (!entry.write && !entry.dirty))
		goto out_unlock;
	set_pte_at(ptep, pte_mkclean(pte_wrprotect(entry)));
	trace_mm_event("PTE write-protected", ptep);
	cleaned = 1;
out_unlock:
	spin_unlock(&mm->ptl);
	return cleaned;
}

/**
 * page_mkclean() - write-protect and clean every PTE that maps @page
 * @page: a locked page cache page
 *
 * The dirty bits are not moved into PG_dirty here: as in the kernel, the
 * caller (clear_page_dirty_for_io()) calls set_page_dirty() when the
 * return value is non-zero.
 *
 * Return: the number of PTEs that were writable or dirty ("cleaned").
 */
int page_mkclean(struct page *page)
{
	BUG_ON(!PageLocked(page));
	if (!page_mapcount(page))
		return 0;
	return rmap_walk_file(page, page_mkclean_one);
}

/**
 * zap_present_pte() - clear a present entry: a dirty one dirties its page
 * first (zap_present_folio_ptes()), then the page's mapcount and the
 * mapping's reference go
 * @ptep: the entry, present
 *
 * Context: the entry's page table lock held.
 */
void zap_present_pte(struct pte *ptep)
{
	struct pte entry = ptep_get_and_clear(ptep);

	if (entry.dirty)
		set_page_dirty(entry.page);
	page_remove_rmap(entry.page);
	put_page(entry.page);
}

/*
 * try_to_unmap_one() - clear @mm's entry for @page.  The walk looks at the
 * entry without the lock first and skips a missing one (map_pte()), then
 * rechecks under the page table lock.  A dirty entry dirties the page; the
 * entry's reference and mapcount go.
 */
static int try_to_unmap_one(struct page *page, struct mm_struct *mm,
			    struct pte *ptep)
{
	__sched_point(ptep, KACC_READ, "try_to_unmap_one");
	if (!pte_maps(ptep_get(ptep), page))
		return 0;
	spin_lock(&mm->ptl);
	if (!pte_maps(ptep_get(ptep), page))
		goto out_unlock;
	zap_present_pte(ptep);
out_unlock:
	spin_unlock(&mm->ptl);
	return 0;
}

/**
 * try_to_unmap() - clear every PTE that maps @page
 * @page: a locked page cache page
 *
 * Dirty entries dirty the page.  Under PIN_MAPCOUNT a GUP pin counts as a
 * mapping, so a pinned page stays "mapped" and reclaim gives up on it.
 *
 * Return: true when page_mapcount(@page) is 0 afterwards.
 */
bool try_to_unmap(struct page *page)
{
	rmap_walk_file(page, try_to_unmap_one);
	return !page_mapcount(page);
}

/**
 * page_mapped_ptes() - count the PTEs that map @page, without locks
 * @page: any page
 *
 * What an rmap walk finds; page_maybe_dma_pinned() compares it with the
 * mapcount under PIN_MAPCOUNT.
 *
 * Return: the number of tasks whose entry maps @page.
 */
int page_mapped_ptes(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	struct mm_world *w;
	struct pte *ptep;
	int pid, nr = 0;

	if (!mapping)
		return 0;
	w = mapping->host->i_world;
	for (pid = 0; pid < w->nr_tasks; pid++) {
		ptep = pte_of(w->mm[pid], mapping->host, page->index);
		nr += pte_maps(ptep_get(ptep), page);
	}
	return nr;
}
