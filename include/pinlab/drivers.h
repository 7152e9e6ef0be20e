/* drivers.h - the DMA device and direct I/O: writers of pinned pages behind the PTEs' back. */
#ifndef PINLAB_DRIVERS_H
#define PINLAB_DRIVERS_H

#include <pinlab/mm_types.h>

void dma_write_page(struct page *page, s64 v);

s64 dma_read_page(struct page *page);

int dma_write_region(struct gup_handle *h, int k, s64 v);

s64 dma_read_region(struct gup_handle *h, int k);

int dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
	     struct inode *dst, pgoff_t i);

#endif /* PINLAB_DRIVERS_H */
