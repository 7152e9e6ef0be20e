/* pgtable.h - page table entry values, and their reads and writes recorded in footprints. */
#ifndef PINLAB_PGTABLE_H
#define PINLAB_PGTABLE_H

#include <pinlab/mm_types.h>
#include <pinlab/sched.h>

/*
 * A struct pte is handled by value, as pte_t is in the kernel: read it once
 * with ptep_get(), derive a new value with the pte_mk*() helpers, store it
 * with set_pte_at().  Only ptep_get(), set_pte_at() and ptep_get_and_clear()
 * touch the entry itself, and they record the access (&mm->pte[f][i]).
 */

/**
 * ptep_get() - read the entry at @ptep
 */
static inline struct pte ptep_get(struct pte *ptep)
{
	kobj_read(ptep);
	return *ptep;
}

/**
 * set_pte_at() - store @pte at @ptep
 */
static inline void set_pte_at(struct pte *ptep, struct pte pte)
{
	kobj_write(ptep);
	*ptep = pte;
}

/**
 * ptep_get_and_clear() - clear the entry at @ptep.
 *
 * Return: its old value
 */
static inline struct pte ptep_get_and_clear(struct pte *ptep)
{
	struct pte old;

	kobj_write(ptep);
	old = *ptep;
	*ptep = (struct pte){ 0 };
	return old;
}

static inline bool pte_same(struct pte a, struct pte b)
{
	return a.page == b.page && a.present == b.present &&
	       a.write == b.write && a.dirty == b.dirty;
}

/**
 * mk_pte() - a present, read-only, clean entry for @page
 */
static inline struct pte mk_pte(struct page *page)
{
	return (struct pte){ .page = page, .present = true };
}

static inline struct pte pte_mkwrite(struct pte pte)
{
	pte.write = true;
	return pte;
}

static inline struct pte pte_wrprotect(struct pte pte)
{
	pte.write = false;
	return pte;
}

static inline struct pte pte_mkdirty(struct pte pte)
{
	pte.dirty = true;
	return pte;
}

static inline struct pte pte_mkclean(struct pte pte)
{
	pte.dirty = false;
	return pte;
}

/**
 * pte_maps() - does @pte map @page?
 */
static inline bool pte_maps(struct pte pte, const struct page *page)
{
	return pte.present && pte.page == page;
}

/**
 * pte_access_permitted() - may the CPU (or gup_fast) access through @pte
 * without a fault?
 */
static inline bool pte_access_permitted(struct pte pte, bool write)
{
	return pte.present && (!write || pte.write);
}

#endif /* PINLAB_PGTABLE_H */
