/* gup.c - get_user_pages(), pin_user_pages(): walk, fault, take a reference or a pin; release. */
#include <errno.h>
#include <pinlab/cost.h>
#include <pinlab/dax.h>
#include <pinlab/gup.h>
#include <pinlab/mm.h>
#include <pinlab/pgtable.h>
#include <pinlab/policy.h>
#include <pinlab/spinlock.h>
#include <pinlab/tracepoint.h>
#include <pinlab/writeback.h>

/*
 * How a pin is counted is the policy's pin knob (page_policy(page)->pin):
 *
 *  PIN_NONE      a plain reference, as the 2018 placeholder did; there is
 *                no pin accounting, so the vmstat counters stay at zero
 *  PIN_MAPCOUNT  a reference and a mapcount (Jerome Glisse)
 *  PIN_BIAS      GUP_PIN_COUNTING_BIAS references (mainline)
 *  PIN_EXACT     a reference and an exact _pincount (Jan Kara)
 *
 * try_grab_page() takes a pin, gup_put_folio() is its exact reverse.
 */

/* Internal: behave like a user access, dirtying a page written through a clean entry. */
#define FOLL_TOUCH	0x100

static void vmstat_inc(_Atomic long *counter)
{
	kobj_add(counter);
	atomic_fetch_add(counter, 1);
}

static void pin_mapcount_add(struct page *page, int nr)
{
	int old;

	kobj_write(&page->_mapcount);
	old = atomic_fetch_add(&page->_mapcount, nr);
	VM_BUG_ON(old + nr < -1);
}

static void pincount_add(struct page *page, int nr)
{
	int old;

	old = atomic_fetch_add(&page->_pincount, nr);
	/* Pins, like references, commute while the count stays positive. */
	if (nr > 0)
		kobj_count_add(&page->_pincount, &page->pin_owners, old, nr);
	else
		kobj_count_sub(&page->_pincount, &page->pin_owners, old, -nr);
	VM_BUG_ON(old + nr < 0);
}

/* grab_pin() - the policy's FOLL_PIN accounting of one pin. */
static void grab_pin(struct page *page)
{
	mm_debug_pin(page, 1);
	trace_mm_event("pinned", page);
	switch (page_policy(page)->pin) {
	case PIN_NONE:
		page_ref_add(page, 1);
		return;
	case PIN_MAPCOUNT:
		page_ref_add(page, 1);
		pin_mapcount_add(page, 1);
		break;
	case PIN_BIAS:
		page_ref_add(page, GUP_PIN_COUNTING_BIAS);
		break;
	case PIN_EXACT:
		page_ref_add(page, 1);
		pincount_add(page, 1);
		break;
	}
	vmstat_inc(&page_world(page)->nr_foll_pin_acquired);
}

/*
 * try_grab_page() - take a FOLL_GET reference or a FOLL_PIN pin on a page
 * found mapped.  Return: 0, or -ENOMEM if the page has no reference left.
 */
static int try_grab_page(struct page *page, unsigned int flags)
{
	if (WARN_ON_ONCE(page_ref_count_test(page) <= 0))
		return -ENOMEM;
	if (flags & FOLL_PIN)
		grab_pin(page);
	else
		page_ref_add(page, 1);
	return 0;
}

/*
 * put_page_refs() - drop @refs references at once; only the last one goes
 * through put_page(), which frees the page.  Dropping more references than
 * the page has is a VM_BUG_ON.
 */
static void put_page_refs(struct page *page, int refs)
{
	VM_BUG_ON(page_ref_fewer(page, refs));
	if (refs > 1)
		page_ref_sub_and_test(page, refs - 1);
	put_page(page);
}

/* unpin_counts() - undo the policy's pin accounting. Return: references to drop */
static int unpin_counts(struct page *page)
{
	switch (page_policy(page)->pin) {
	case PIN_NONE:
		break;
	case PIN_MAPCOUNT:
		pin_mapcount_add(page, -1);
		break;
	case PIN_BIAS:
		return GUP_PIN_COUNTING_BIAS;
	case PIN_EXACT:
		pincount_add(page, -1);
		break;
	}
	return 1;
}

/*
 * gup_wake_unpin() - wake whoever waits for pins to go (layout=block):
 * the wakeup the page cache lacks, as fsdax's idle-page wake-up
 * (wake_up_var()).  An unpin that finds nobody waiting only reads the
 * queue, so unpins still commute with each other.
 */
static void gup_wake_unpin(struct mm_world *w)
{
	struct wait_queue_head *wq = &w->pin_wait;

	if (wq_has_sleeper(wq))
		wake_up(wq);
}

/*
 * gup_put_folio() - release what try_grab_page() took with @flags.  An
 * unpin of a page that was only referenced (FOLL_GET) still drops a
 * whole pin's worth, as the kernel would.
 */
static void gup_put_folio(struct page *page, unsigned int flags)
{
	int refs = 1;

	if (flags & FOLL_PIN) {
		mm_debug_pin(page, -1);
		trace_mm_event("unpinned", page);
	}
	if ((flags & FOLL_PIN) && page_policy(page)->pin != PIN_NONE) {
		vmstat_inc(&page_world(page)->nr_foll_pin_released);
		refs = unpin_counts(page);
	}
	put_page_refs(page, refs);
	if (flags & FOLL_PIN)
		gup_wake_unpin(page_world(page));
}

/*
 * vma_needs_dirty_tracking() - writes through the mapping must be noticed
 * (page_mkwrite, writeback): every file but tmpfs.
 */
static bool vma_needs_dirty_tracking(struct inode *inode)
{
	return inode->i_sb->dirty_tracked;
}

/*
 * writable_file_mapping_allowed() - 6.5: no long-term writable pin of a
 * dirty-tracked file.  Only a FOLL_PIN|FOLL_LONGTERM grab is a long-term
 * pin: without FOLL_PIN no problematic write can occur.
 */
static bool writable_file_mapping_allowed(struct inode *inode,
					  unsigned int gup_flags)
{
	if ((gup_flags & (FOLL_PIN | FOLL_LONGTERM)) != (FOLL_PIN | FOLL_LONGTERM))
		return true;
	return !vma_needs_dirty_tracking(inode);
}

/*
 * check_vma_flags() - may this mapping be GUPed with @gup_flags at all?
 * Checked before anything is faulted.
 */
static int __check_vma_flags(struct mm_struct *mm, struct inode *inode,
			   unsigned int gup_flags)
{
	/* vma_is_fsdax(): no long-term pin of a DAX file (4.20's get_user_pages_longterm() too). */
	if ((gup_flags & FOLL_LONGTERM) && IS_DAX(inode))
		return -EOPNOTSUPP;
	switch (inode_policy(inode)->longterm) {
	case LONGTERM_ALLOW:
		break;
	case LONGTERM_REFUSE:
		if ((gup_flags & FOLL_WRITE) &&
		    !writable_file_mapping_allowed(inode, gup_flags))
			return -EFAULT;
		break;
	case LONGTERM_LEASE:
		if ((gup_flags & FOLL_LONGTERM) && !layout_lease_held(inode, mm->pid))
			return -EPERM;
		break;
	}
	return 0;
}

/* check_vma_flags(): __check_vma_flags(), counting what it refuses (the pins_refused cost). */
static int check_vma_flags(struct mm_struct *mm, struct inode *inode,
			   unsigned int gup_flags)
{
	int err = __check_vma_flags(mm, inode, gup_flags);

	if (err)
		inode_cost(inode)->pins_refused++;
	return err;
}

/* follow_touch() - a write through a clean entry dirties the page (FOLL_TOUCH). */
static void follow_touch(struct page *page, struct pte entry,
			 unsigned int flags)
{
	if ((flags & FOLL_WRITE) && !entry.dirty && !PageDirty(page))
		set_page_dirty(page);
}

/*
 * follow_page_pte() - under the page table lock, grab the page the entry
 * maps if it allows the access.  *@pagep is NULL when a fault is needed.
 * Return: 0, or -errno from try_grab_page().
 */
static int follow_page_pte(struct mm_struct *mm, struct inode *inode,
			   pgoff_t index, unsigned int flags,
			   struct page **pagep)
{
	struct pte *ptep = pte_of(mm, inode, index);
	struct pte entry;
	int ret = 0;

	*pagep = NULL;
	spin_lock(&mm->ptl);
	entry = ptep_get(ptep);
	if (!pte_access_permitted(entry, flags & FOLL_WRITE))
		goto out_unlock;
	ret = try_grab_page(entry.page, flags);
	if (ret)
		goto out_unlock;
	if (flags & FOLL_TOUCH)
		follow_touch(entry.page, entry, flags);
	*pagep = entry.page;
out_unlock:
	spin_unlock(&mm->ptl);
	return ret;
}

/* faultin_page() - fault the page in, for write with FOLL_WRITE. Return: 0 or -errno */
static int faultin_page(struct mm_struct *mm, struct inode *inode,
			pgoff_t index, unsigned int flags)
{
	int ret = handle_mm_fault(mm, inode, index, flags & FOLL_WRITE);

	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	return 0;
}

/*
 * __get_user_pages() - the slow path: check the mapping, then per page
 * follow the entry, faulting and retrying until it can be grabbed.
 * Return: pages grabbed (appended to @h), or -errno if none.
 */
static long __get_user_pages(struct mm_struct *mm, struct inode *inode,
			     pgoff_t index, int nr, unsigned int gup_flags,
			     struct gup_handle *h)
{
	struct page *page;
	int i = 0, ret;

	if (!pte_of(mm, inode, index))
		return -EFAULT;
	ret = check_vma_flags(mm, inode, gup_flags);
	if (ret)
		return ret;
	while (i < nr) {
		if (!pte_of(mm, inode, index + i)) {
			ret = -EFAULT;
			break;
		}
		__sched_point(NULL, KACC_READ, "follow_page_pte");
		ret = follow_page_pte(mm, inode, index + i, gup_flags, &page);
		if (ret)
			break;
		if (!page) {
			ret = faultin_page(mm, inode, index + i, gup_flags);
			if (ret)
				break;
			continue;
		}
		h->pages[h->nr++] = page;
		i++;
	}
	return i ? i : ret;
}

/*
 * longterm_needs_pin() - base 6.18 refuses FOLL_LONGTERM without FOLL_PIN
 * (is_valid_gup_args(), since the 6.3 consolidation of the external GUP
 * interfaces); 4.20's get_user_pages_longterm() took plain references.
 */
static bool longterm_needs_pin(const struct inode *inode, unsigned int flags)
{
	return inode_policy(inode)->base == BASE_6_18 &&
	       (flags & FOLL_LONGTERM) && !(flags & FOLL_PIN);
}

/*
 * is_valid_gup_args() - callers pass neither FOLL_GET nor FOLL_PIN; the
 * API adds @to_set, one of them.  @inode is the mapped file, whose
 * world's base decides.
 */
static bool is_valid_gup_args(const struct inode *inode, int nr, unsigned int gup_flags,
			      unsigned int to_set)
{
	if (WARN_ON_ONCE(gup_flags & (FOLL_GET | FOLL_PIN)))
		return false;
	if (WARN_ON_ONCE(longterm_needs_pin(inode, gup_flags | to_set)))
		return false;
	return nr >= 0;
}

static void gup_handle_init(struct gup_handle *h, unsigned int flags)
{
	h->nr = 0;
	h->flags = flags;
}

/*
 * gup_tie_to_lease() - long-term pins taken by a task that holds a layout
 * lease on the file are tied to the lease (fs/locks.c), so that
 * layout=lease-break can revoke them with it (Ira Weiny's 2019 series tied
 * them to the file).  Under longterm=lease a lease that went while the
 * pages were being pinned fails the pin: the pages are given back, -EPERM.
 * Return: @ret, or -errno when the pin was given back.
 */
static long gup_tie_to_lease(struct mm_struct *mm, struct inode *inode,
			     struct gup_handle *h, long ret)
{
	int err, i;

	if (ret <= 0 || (h->flags & (FOLL_PIN | FOLL_LONGTERM)) != (FOLL_PIN | FOLL_LONGTERM))
		return ret;
	err = lease_attach_pins(inode, mm->pid, h);
	if (!err || (err == -ENOLCK && inode_policy(inode)->longterm != LONGTERM_LEASE))
		return ret;
	for (i = 0; i < h->nr; i++)
		gup_put_folio(h->pages[i], h->flags);
	h->nr = 0;
	return err == -ENOLCK ? -EPERM : err;
}

/**
 * get_user_pages() - take a reference (FOLL_GET) on @nr pages of @inode
 * from @index through @mm's mapping, faulting them in as needed
 * @mm:        the address space
 * @inode:     the mapped file
 * @index:     first page
 * @nr:        pages
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM
 * @h:         receives the pages and the flags to release them with
 *
 * Return: pages taken (fewer than @nr if a later one failed), or -errno:
 * -EFAULT beyond the end of the file or a refused long-term pin, -EPERM
 * for a long-term pin without a layout lease, -EINVAL for bad flags
 * (on base 6.18 FOLL_LONGTERM is one, with a warning: only pins may be
 * long-term).
 */
long get_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h)
{
	if (!is_valid_gup_args(inode, nr, gup_flags, FOLL_GET))
		return -EINVAL;
	gup_handle_init(h, gup_flags | FOLL_GET);
	return __get_user_pages(mm, inode, index, nr,
				gup_flags | FOLL_GET | FOLL_TOUCH, h);
}

/**
 * pin_user_pages() - pin (FOLL_PIN) @nr pages of @inode from @index
 * through @mm's mapping, faulting them in as needed
 * @mm:        the address space
 * @inode:     the mapped file
 * @index:     first page
 * @nr:        pages
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM
 * @h:         receives the pages and the flags to release them with
 *
 * The pin is counted as the policy's pin knob says; release with unpin_user_page*().
 * Return: as get_user_pages().
 */
long pin_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h)
{
	if (!is_valid_gup_args(inode, nr, gup_flags, FOLL_PIN))
		return -EINVAL;
	gup_handle_init(h, gup_flags | FOLL_PIN);
	return gup_tie_to_lease(mm, inode, h,
				__get_user_pages(mm, inode, index, nr, gup_flags | FOLL_PIN, h));
}

/*
 * folio_fast_pin_allowed() - may the lockless path keep this pin?  Under
 * LONGTERM_REFUSE not a writable long-term pin of a dirty-tracked file
 * (6.5); under LONGTERM_LEASE no long-term pin at all, so that the slow
 * path checks the lease.  A page truncated meanwhile is never allowed.
 */
static bool folio_fast_pin_allowed(struct page *page, unsigned int flags)
{
	struct address_space *mapping;

	if (!(flags & FOLL_LONGTERM))
		return true;
	switch (page_policy(page)->longterm) {
	case LONGTERM_ALLOW:
		return true;
	case LONGTERM_REFUSE:
		if (!(flags & FOLL_WRITE))
			return true;
		kobj_read(&page->mapping);
		mapping = page->mapping;
		return mapping && !vma_needs_dirty_tracking(mapping->host);
	case LONGTERM_LEASE:
		return false;
	}
	return true;
}

/*
 * gup_fast_pte() - grab one page without the page table lock: read the
 * entry, take the pin, read the entry again and give the pin back if it
 * changed meanwhile (page_mkclean(), try_to_unmap()).
 * Return: true if the page was added to @h.
 */
static bool gup_fast_pte(struct mm_struct *mm, struct inode *inode,
			 pgoff_t index, unsigned int flags, struct gup_handle *h)
{
	struct pte *ptep = pte_of(mm, inode, index);
	struct page *page;
	struct pte entry;

	__sched_point(ptep, KACC_READ, "gup_fast");
	entry = ptep_get(ptep);
	if (!pte_access_permitted(entry, flags & FOLL_WRITE))
		return false;
	page = entry.page;
	if (page_ref_count_test(page) <= 0 || try_grab_page(page, flags))
		return false;
	__sched_point(ptep, KACC_READ, "gup_fast");
	if (!pte_same(ptep_get(ptep), entry))
		goto out_put;
	if (!folio_fast_pin_allowed(page, flags))
		goto out_put;
	h->pages[h->nr++] = page;
	return true;
out_put:
	gup_put_folio(page, flags);
	return false;
}

/* gup_fast() - the lockless walk; stops at the first page it cannot grab. Return: pages grabbed */
static int gup_fast(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int flags, struct gup_handle *h)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!gup_fast_pte(mm, inode, index + i, flags, h))
			break;
	return i;
}

/**
 * pin_user_pages_fast() - pin_user_pages() trying the lockless walk first
 * @mm:        the address space
 * @inode:     the mapped file
 * @index:     first page
 * @nr:        pages
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM
 * @h:         receives the pages and the flags to release them with
 *
 * Pages the lockless walk cannot take (missing or write-protected entry, a
 * long-term pin it may not keep) are left to the slow path.
 * Return: as get_user_pages().
 */
long pin_user_pages_fast(struct mm_struct *mm, struct inode *inode,
			 pgoff_t index, int nr, unsigned int gup_flags,
			 struct gup_handle *h)
{
	int nr_pinned;
	long ret;

	if (!is_valid_gup_args(inode, nr, gup_flags, FOLL_PIN))
		return -EINVAL;
	/* Written so that a huge @index (a negative one, cast) cannot wrap. */
	if (index >= MM_PAGES_MAX || (pgoff_t)nr > MM_PAGES_MAX - index)
		return -EFAULT;
	gup_flags |= FOLL_PIN;
	gup_handle_init(h, gup_flags);
	nr_pinned = gup_fast(mm, inode, index, nr, gup_flags, h);
	if (nr_pinned == nr)
		return gup_tie_to_lease(mm, inode, h, nr_pinned);
	ret = __get_user_pages(mm, inode, index + nr_pinned, nr - nr_pinned,
			       gup_flags | FOLL_TOUCH, h);
	if (ret < 0)
		ret = nr_pinned ? nr_pinned : ret;
	else
		ret += nr_pinned;
	return gup_tie_to_lease(mm, inode, h, ret);
}

/**
 * unpin_user_page() - release a page taken with pin_user_pages*()
 * @page: the page
 *
 * A lockless atomic drop: another task may run just before it.
 */
void unpin_user_page(struct page *page)
{
	/* The drop records its own access (page_ref_sub_and_test()). */
	__sched_point(NULL, KACC_READ, "unpin_user_page");
	gup_put_folio(page, FOLL_PIN);
}

/**
 * unpin_user_pages() - unpin_user_page() each of @nr @pages
 * @pages: the pages
 * @nr:    how many
 */
void unpin_user_pages(struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		unpin_user_page(pages[i]);
}

/*
 * dirty_page_before_release() - what the *_dirty_lock releases do first:
 * a lockless PG_dirty test, and if the page is clean, set_page_dirty()
 * under the page lock.  Return: whether the page lock was taken (another
 * task may then run before the release).
 */
static bool dirty_page_before_release(struct page *page, const char *fn)
{
	__sched_point(page_flag_obj(page, PG_dirty), KACC_READ, fn);
	if (PageDirty(page))
		return false;
	set_page_dirty_lock(page);
	return true;
}

/**
 * unpin_user_pages_dirty_lock() - unpin @nr @pages, dirtying each first
 * @pages:      the pages
 * @nr:         how many
 * @make_dirty: dirty the clean ones (the device wrote them)
 *
 * A page found dirty is left alone: that PG_dirty test races with
 * writeback cleaning the page, the race of the 2018 thread.
 */
void unpin_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty)
{
	int i;

	if (!make_dirty) {
		unpin_user_pages(pages, nr);
		return;
	}
	for (i = 0; i < nr; i++) {
		if (dirty_page_before_release(pages[i],
					      "unpin_user_pages_dirty_lock"))
			unpin_user_page(pages[i]);
		else
			gup_put_folio(pages[i], FOLL_PIN);
	}
}

/**
 * put_user_page() - the 2018 name of unpin_user_page()
 * @page: the page
 *
 * Under PIN_NONE it is the seed's placeholder, put_page(); under every
 * tracked policy it is unpin_user_page().
 */
void put_user_page(struct page *page)
{
	if (page_policy(page)->pin != PIN_NONE) {
		unpin_user_page(page);
		return;
	}
	__sched_point(NULL, KACC_READ, "put_user_page");
	put_page(page);
}

/**
 * put_user_pages() - put_user_page() each of @nr @pages
 * @pages: the pages
 * @nr:    how many
 */
void put_user_pages(struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		put_user_page(pages[i]);
}

/**
 * put_user_pages_dirty_lock() - the 2018 name of unpin_user_pages_dirty_lock()
 * @pages:      the pages
 * @nr:         how many
 * @make_dirty: dirty the clean ones first
 *
 * Under PIN_NONE the seed's placeholder: set_page_dirty_lock() on each
 * clean page, then put_user_page().
 */
void put_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty)
{
	int i;

	if (nr <= 0)
		return;		/* no page: no world to ask */
	if (page_policy(pages[0])->pin != PIN_NONE) {
		unpin_user_pages_dirty_lock(pages, nr, make_dirty);
		return;
	}
	if (!make_dirty) {
		put_user_pages(pages, nr);
		return;
	}
	for (i = 0; i < nr; i++) {
		if (dirty_page_before_release(pages[i],
					      "put_user_pages_dirty_lock"))
			put_user_page(pages[i]);
		else
			put_page(pages[i]);
	}
}

/**
 * set_page_dirty_lock() - set_page_dirty() under the page lock
 * @page: the page
 *
 * Return: true if the page was clean.
 */
bool set_page_dirty_lock(struct page *page)
{
	bool ret;

	lock_page(page);
	ret = set_page_dirty(page);
	unlock_page(page);
	return ret;
}
