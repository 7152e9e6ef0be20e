/* rmap.h - the reverse map: mapcount accounting, and walks over the PTEs that map a page (mm/rmap.c). */
#ifndef PINLAB_RMAP_H
#define PINLAB_RMAP_H

#include <pinlab/mm_types.h>

/**
 * page_add_file_rmap() - a PTE now maps @page: raise its mapcount
 *
 * Called under the page table lock of the mapping mm, before the entry is set.
 */
void page_add_file_rmap(struct page *page);

/**
 * page_remove_rmap() - a PTE no longer maps @page: lower its mapcount
 *
 * A mapcount going below "unmapped" is a VM_BUG_ON outcome.
 */
void page_remove_rmap(struct page *page);

void zap_present_pte(struct pte *ptep);

int page_mkclean(struct page *page);
bool try_to_unmap(struct page *page);
int page_mapped_ptes(struct page *page);

#endif /* PINLAB_RMAP_H */
