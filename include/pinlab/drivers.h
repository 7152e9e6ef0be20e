/* drivers.h - the DMA device and direct I/O: writers of pinned pages behind the PTEs' back. */
#ifndef PINLAB_DRIVERS_H
#define PINLAB_DRIVERS_H

#include <pinlab/mm_types.h>

/**
 * dma_write_page() - the device writes @v into every sector of @page
 * @page: a page the driver got from GUP
 * @v:    the value
 *
 * One sector per step, ignoring PTEs: no fault, no page_mkwrite, no
 * dirtying.  Writing a freed page raises uaf.
 */
void dma_write_page(struct page *page, s64 v);

/**
 * dma_read_page() - the device reads every sector of @page, one per step
 *
 * Return: the sectors' common value, or PAGE_VAL_TORN if they differ.
 */
s64 dma_read_page(struct page *page);

/**
 * dma_write_region() - dma_write_page() into page @k of handle @h, each
 * sector checking that a layout lease break has not revoked @h
 *
 * Return: 0, or -EIO (and revoked raised) once @h is revoked.
 */
int dma_write_region(struct gup_handle *h, int k, s64 v);

/**
 * dma_read_region() - dma_read_page() of page @k of handle @h, checking
 * @h as dma_write_region() does
 *
 * Return: the value, PAGE_VAL_TORN, or -EIO once @h is revoked.
 */
s64 dma_read_region(struct gup_handle *h, int k);

/**
 * dio_read() - O_DIRECT read of page @j of @src into the user buffer that
 * maps page @i of @dst in @mm
 *
 * Flushes @src's page cache, maps the block, pins the buffer page for
 * write (FOLL_PIN where pins are tracked, a plain reference before), lets
 * the device copy the block into it sector by sector, then dirties and
 * releases it as bio completion does.  A hole is zeroed through the
 * mapping instead.
 *
 * Return: 0, or -errno (-EINVAL: @src has no disk; -EFAULT: bad buffer).
 */
int dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
	     struct inode *dst, pgoff_t i);

#endif /* PINLAB_DRIVERS_H */
