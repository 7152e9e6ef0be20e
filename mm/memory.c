/* memory.c - faults on shared file mappings (page_mkwrite, write-notify), CPU loads and stores. */
#include <errno.h>
#include <pinlab/dax.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/pgtable.h>
#include <pinlab/policy.h>
#include <pinlab/rmap.h>
#include <pinlab/spinlock.h>
#include <pinlab/writeback.h>

/*
 * Every task maps every file shared and writable, so a fault is always on a
 * VM_SHARED file mapping: do_read_fault(), do_shared_fault() or, for a
 * present read-only entry, do_wp_page() -> wp_page_shared().  The page
 * reference the fault path gets from the page cache becomes the PTE's own
 * reference when finish_fault() maps the page, as in the kernel; it is
 * dropped if the entry was populated meanwhile.
 */

/**
 * pte_of() - task @mm's entry for page @index of @inode
 */
struct pte *pte_of(struct mm_struct *mm, struct inode *inode, pgoff_t index)
{
	if (index >= MM_PAGES_MAX)
		return NULL;
	return &mm->pte[inode->i_ino][index];
}

static int page_mkwrite_of(struct inode *inode, struct vm_fault *vmf)
{
	return inode->i_sb->vm_ops->page_mkwrite(vmf);
}

static bool vma_has_page_mkwrite(struct inode *inode)
{
	const struct vm_operations_struct *ops = inode->i_sb->vm_ops;

	return ops && ops->page_mkwrite;
}

/*
 * vma_wants_writenotify() - must the first write through a clean entry
 * fault?  Yes when the filesystem has ->page_mkwrite or tracks dirty pages
 * for writeback; tmpfs does neither, so its read faults map writable.
 */
static bool vma_wants_writenotify(struct inode *inode)
{
	return vma_has_page_mkwrite(inode) || inode->i_sb->dirty_tracked;
}

/* filemap_fault(): the page from the page cache, locked, with a reference. */
static int __do_fault(struct vm_fault *vmf)
{
	vmf->page = filemap_get_page(vmf->inode->i_mapping, vmf->pgoff, true);
	if (!vmf->page)
		return VM_FAULT_SIGBUS;
	return VM_FAULT_LOCKED;
}

/*
 * do_page_mkwrite() - tell the filesystem a clean page is about to become
 * writable.  Return: VM_FAULT_LOCKED with the page locked, or an error or
 * VM_FAULT_NOPAGE (page truncated meanwhile) with it unlocked.
 */
static int do_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page;
	int ret;

	vmf->write = true;
	/* ext4_page_mkwrite(), btrfs_page_mkwrite() and xfs's take it in the method. */
	filemap_invalidate_lock_shared(vmf->inode->i_mapping);
	ret = page_mkwrite_of(vmf->inode, vmf);
	filemap_invalidate_unlock_shared(vmf->inode->i_mapping);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	if (ret & VM_FAULT_LOCKED) {
		VM_BUG_ON(!PageLocked(page));
		return ret;
	}
	lock_page(page);
	kobj_read(&page->mapping);
	if (!page->mapping) {
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	return ret | VM_FAULT_LOCKED;
}

/*
 * finish_fault() - map vmf->page at the faulting entry under the page
 * table lock, unless another fault mapped something there first.
 */
static int finish_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->mm;
	struct pte *ptep = pte_of(mm, vmf->inode, vmf->pgoff);
	struct pte entry;
	int ret = 0;

	spin_lock(&mm->ptl);
	if (ptep_get(ptep).present) {
		ret = VM_FAULT_NOPAGE;
		goto out_unlock;
	}
	entry = mk_pte(vmf->page);
	if (vmf->write)
		entry = pte_mkwrite(pte_mkdirty(entry));
	else if (!vma_wants_writenotify(vmf->inode))
		entry = pte_mkwrite(entry);
	page_add_file_rmap(vmf->page);
	set_pte_at(ptep, entry);
out_unlock:
	spin_unlock(&mm->ptl);
	return ret;
}

/*
 * fault_dirty_shared_page() - the page was made writable: dirty it and
 * unlock it.
 */
static void fault_dirty_shared_page(struct vm_fault *vmf)
{
	set_page_dirty(vmf->page);
	unlock_page(vmf->page);
}

/* A read fault: map the page, read-only when the mapping is write-notified. */
static int do_read_fault(struct vm_fault *vmf)
{
	int ret;

	ret = __do_fault(vmf);
	if (ret & VM_FAULT_ERROR)
		return ret;
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		put_page(vmf->page);
	return ret;
}

/* A write fault on a missing entry: page_mkwrite first, then map it writable and dirty. */
static int do_shared_fault(struct vm_fault *vmf)
{
	int ret, tmp;

	ret = __do_fault(vmf);
	if (ret & VM_FAULT_ERROR)
		return ret;
	if (vma_has_page_mkwrite(vmf->inode)) {
		unlock_page(vmf->page);
		tmp = do_page_mkwrite(vmf);
		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_page(vmf->page);
			return tmp;
		}
	}
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
		unlock_page(vmf->page);
		put_page(vmf->page);
		return ret;
	}
	fault_dirty_shared_page(vmf);
	return ret;
}

/*
 * wp_page_reuse() - make the entry writable and dirty; called with the
 * page table lock held, releases it.
 */
static void wp_page_reuse(struct vm_fault *vmf, struct pte orig)
{
	struct mm_struct *mm = vmf->mm;

	set_pte_at(pte_of(mm, vmf->inode, vmf->pgoff),
		   pte_mkwrite(pte_mkdirty(orig)));
	spin_unlock(&mm->ptl);
}

/*
 * finish_mkwrite_fault() - after ->page_mkwrite: retake the page table lock
 * and make the entry writable if it is still the one that faulted.
 */
static int finish_mkwrite_fault(struct vm_fault *vmf, struct pte orig)
{
	struct mm_struct *mm = vmf->mm;
	struct pte *ptep = pte_of(mm, vmf->inode, vmf->pgoff);

	spin_lock(&mm->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&mm->ptl);
		return VM_FAULT_NOPAGE;
	}
	wp_page_reuse(vmf, orig);
	return 0;
}

/*
 * wp_page_shared() - a write to a present, write-protected entry of a shared
 * mapping; entered with the page table lock held, which is dropped around
 * ->page_mkwrite.
 */
static int wp_page_shared(struct vm_fault *vmf, struct pte orig)
{
	struct page *page = vmf->page;
	int ret;

	get_page(page);
	if (vma_has_page_mkwrite(vmf->inode)) {
		spin_unlock(&vmf->mm->ptl);
		ret = do_page_mkwrite(vmf);
		if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
			goto out_put;
		ret = finish_mkwrite_fault(vmf, orig);
		if (ret & VM_FAULT_NOPAGE) {
			unlock_page(page);
			goto out_put;
		}
	} else {
		wp_page_reuse(vmf, orig);
		lock_page(page);
	}
	fault_dirty_shared_page(vmf);
	ret = 0;
out_put:
	put_page(page);
	return ret;
}

/* do_wp_page() - write fault on a present entry; page table lock held. */
static int do_wp_page(struct vm_fault *vmf, struct pte orig)
{
	vmf->page = orig.page;
	return wp_page_shared(vmf, orig);
}

static int do_fault(struct vm_fault *vmf)
{
	if (!vmf->write)
		return do_read_fault(vmf);
	return do_shared_fault(vmf);
}

/*
 * handle_pte_fault() - read the entry locklessly; a missing one is filled by
 * do_fault(), a present one is rechecked under the page table lock.
 */
static int handle_pte_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->mm;
	struct pte *ptep = pte_of(mm, vmf->inode, vmf->pgoff);
	struct pte entry = ptep_get(ptep);

	if (!entry.present)
		return do_fault(vmf);
	spin_lock(&mm->ptl);
	if (!pte_same(ptep_get(ptep), entry))
		goto out_unlock;
	if (vmf->write) {
		if (!entry.write)
			return do_wp_page(vmf, entry);
		set_pte_at(ptep, pte_mkdirty(entry));
	}
out_unlock:
	spin_unlock(&mm->ptl);
	return 0;
}

/*
 * fault_excludes_layout_change() - must the whole fault hold the invalidate
 * lock shared?  A design that looks at pins before a layout change (every
 * layout value but ignore) needs faults kept out from its unmap until the
 * pages are gone, or a fault in flight maps the page again and GUP pins it
 * behind the check: so xfs's faults hold MMAPLOCK, and the DAX faults the
 * invalidate lock, from start to end.  Under ignore the page cache path
 * takes it only in ->page_mkwrite and when it creates a page, as ext4 does.
 * (The nested shared holds cannot deadlock: a waiting writer does not stop
 * new readers here.)
 */
static bool fault_excludes_layout_change(const struct inode *inode)
{
	return inode_policy(inode)->layout != LAYOUT_IGNORE;
}

/**
 * handle_mm_fault() - fault page @index of @inode into @mm
 * @mm:    the faulting task's address space
 * @inode: the mapped file
 * @index: page index in the file
 * @write: a write fault (FAULT_FLAG_WRITE)
 *
 * No scheduling point of its own before the lockless read of the entry:
 * the access that faulted was the last thing the task did.
 *
 * Return: 0 (the access may be retried) or VM_FAULT_* error bits;
 * VM_FAULT_SIGBUS beyond the end of the file or the mapping.
 */
int handle_mm_fault(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    bool write)
{
	struct vm_fault vmf = {
		.mm = mm,
		.inode = inode,
		.pgoff = index,
		.write = write,
	};

	bool locked = fault_excludes_layout_change(inode) || IS_DAX(inode);
	int ret;

	if (!pte_of(mm, inode, index))
		return VM_FAULT_SIGBUS;
	if (locked)
		filemap_invalidate_lock_shared(inode->i_mapping);
	if (IS_DAX(inode))
		ret = dax_iomap_fault(&vmf);
	else
		ret = handle_pte_fault(&vmf) & VM_FAULT_ERROR;
	if (locked)
		filemap_invalidate_unlock_shared(inode->i_mapping);
	return ret;
}

/*
 * store_sector() - the CPU stores @v into sector @s: a TLB walk that faults
 * until the entry is present and writable, then the store, which sets the
 * hardware dirty bit.
 */
static int store_sector(struct mm_struct *mm, struct inode *inode,
			pgoff_t index, int s, s64 v)
{
	struct pte *ptep = pte_of(mm, inode, index);
	struct pte entry;

	for (;;) {
		__sched_point(ptep, KACC_READ, "mm_store");
		entry = ptep_get(ptep);
		if (pte_access_permitted(entry, true))
			break;
		if (handle_mm_fault(mm, inode, index, true))
			return -EFAULT;
	}
	page_write_sector(entry.page, s, v);
	if (!entry.dirty)
		set_pte_at(ptep, pte_mkdirty(entry));
	return 0;
}

/**
 * mm_store_sector() - CPU store of @v into sector @s of page @index of
 * @inode through @mm's mapping (copy_to_user() of one sector)
 * @mm:    the address space
 * @inode: the mapped file
 * @index: its page
 * @s:     the sector
 * @v:     the value
 *
 * Return: 0, or -EFAULT when the page is not mapped or the fault fails.
 */
int mm_store_sector(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int s, s64 v)
{
	if (!pte_of(mm, inode, index))
		return -EFAULT;
	return store_sector(mm, inode, index, s, v);
}

/**
 * mm_store() - CPU store of @v into every sector of page @index of @inode
 * through @mm's mapping, one sector per step
 *
 * Return: 0, or -EFAULT when the fault fails (SIGBUS).
 */
int mm_store(struct mm_struct *mm, struct inode *inode, pgoff_t index, s64 v)
{
	int s, ret;

	if (!pte_of(mm, inode, index))
		return -EFAULT;
	for (s = 0; s < inode->i_world->sectors; s++) {
		ret = store_sector(mm, inode, index, s, v);
		if (ret)
			return ret;
	}
	return 0;
}

/* load_sector() - the CPU reads sector @s, faulting the page in if needed. */
static int load_sector(struct mm_struct *mm, struct inode *inode,
		       pgoff_t index, int s, s64 *v)
{
	struct pte *ptep = pte_of(mm, inode, index);
	struct pte entry;

	for (;;) {
		__sched_point(ptep, KACC_READ, "mm_load");
		entry = ptep_get(ptep);
		if (pte_access_permitted(entry, false))
			break;
		if (handle_mm_fault(mm, inode, index, false))
			return -EFAULT;
	}
	*v = page_read_sector(entry.page, s);
	return 0;
}

/**
 * mm_load() - CPU load of page @index of @inode through @mm's mapping, one
 * sector per step
 *
 * Return: the sectors' common value, PAGE_VAL_TORN if they differ, or -EFAULT.
 */
s64 mm_load(struct mm_struct *mm, struct inode *inode, pgoff_t index)
{
	s64 value = 0, v;
	int s;

	if (!pte_of(mm, inode, index))
		return -EFAULT;
	for (s = 0; s < inode->i_world->sectors; s++) {
		if (load_sector(mm, inode, index, s, &v))
			return -EFAULT;
		sector_value_fold(&value, s, v);
	}
	return value;
}

/* zap_pte() - clear one entry under the page table lock, if it is present. */
static void zap_pte(struct pte *ptep)
{
	if (ptep_get(ptep).present)
		zap_present_pte(ptep);
}

/*
 * zap_pte_range() - clear @mm's entries for pages [@start, @end) of @inode:
 * one page table, so one hold of its lock for the whole range.
 */
static void zap_pte_range(struct mm_struct *mm, struct inode *inode, pgoff_t start,
			  pgoff_t end)
{
	pgoff_t i;

	__sched_point(&mm->ptl, KACC_WRITE, "zap_pte_range");
	spin_lock(&mm->ptl);
	for (i = start; i < end; i++)
		zap_pte(pte_of(mm, inode, i));
	spin_unlock(&mm->ptl);
}

/**
 * unmap_mapping_range() - zap every task's PTEs for pages [@start, @start + @nr)
 * of @mapping
 * @mapping: the file's page cache
 * @start:   first page
 * @nr:      pages; 0 means to the end of the file
 *
 * Every task maps every file, so the VMAs of mapping->i_mmap are one per
 * task, visited in pid order.  Pages are not locked (the walk goes by the
 * page tables), and a fault may map a page again behind the walk: the
 * truncate path checks i_size under the page lock for that.
 *
 * Context: a scheduling point before each task's page table; takes its PTL.
 */
void unmap_mapping_range(struct address_space *mapping, pgoff_t start, pgoff_t nr)
{
	struct inode *inode = mapping->host;
	struct mm_world *w = inode->i_world;
	pgoff_t end = nr ? min_t(pgoff_t, start + nr, MM_PAGES_MAX) : MM_PAGES_MAX;
	int pid;

	if (start >= end)
		return;
	for (pid = 0; pid < w->nr_tasks; pid++)
		zap_pte_range(w->mm[pid], inode, start, end);
}
