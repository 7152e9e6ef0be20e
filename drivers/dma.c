/* dma.c - the DMA device: reads and writes pages sector by sector, behind the page tables' back. */
#include <errno.h>
#include <pinlab/drivers.h>
#include <pinlab/filelock.h>
#include <pinlab/mm.h>

/*
 * The device holds pages a driver got from GUP.  It ignores PTEs: no fault,
 * no page_mkwrite, no folio_wait_stable(), no dirtying.  A transfer moves
 * one sector per step, with a scheduling point before each: another task
 * may run between any two sectors, as with real hardware.
 */

/**
 * dma_write_page() - the device writes @v into every sector of @page
 * @page: a page the driver got from GUP
 * @v:    the value
 *
 * Writing a page that was freed meanwhile raises uaf.
 */
void dma_write_page(struct page *page, s64 v)
{
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_WRITE, "dma_write");
		page_write_sector(page, s, v);
	}
}

/**
 * dma_read_page() - the device reads every sector of @page
 * @page: a page the driver got from GUP
 *
 * Return: the sectors' common value, or PAGE_VAL_TORN if they differ.
 */
s64 dma_read_page(struct page *page)
{
	s64 v = 0;
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_READ, "dma_read");
		sector_value_fold(&v, s, page_read_sector(page, s));
	}
	return v;
}

/**
 * dma_write_region() - the device writes @v into page @k of the memory
 * region @h, as dma_write_page() does, but each sector's access first
 * checks the region, as an RDMA NIC checks the MR's key on every access
 * @h: a GUP handle with a page @k
 * @k: which page
 * @v: the value
 *
 * Once a layout lease break revoked the region (layout=lease-break), the
 * rest of the transfer goes nowhere and revoked is raised.
 *
 * Return: 0, or -EIO when the region was revoked.
 */
int dma_write_region(struct gup_handle *h, int k, s64 v)
{
	struct page *page = h->pages[k];
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_WRITE, "dma_write");
		if (gup_handle_revoked(h)) {
			flag_raise(PLF_REVOKED, "a device write through revoked pins went nowhere");
			return -EIO;
		}
		page_write_sector(page, s, v);
	}
	return 0;
}

/**
 * dma_read_region() - the device reads page @k of the memory region @h,
 * each sector's access checking the region as dma_write_region() does
 * @h: a GUP handle with a page @k
 * @k: which page
 *
 * Return: as dma_read_page(), or -EIO when the region was revoked.
 */
s64 dma_read_region(struct gup_handle *h, int k)
{
	struct page *page = h->pages[k];
	s64 v = 0;
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_READ, "dma_read");
		if (gup_handle_revoked(h)) {
			flag_raise(PLF_REVOKED, "a device read through revoked pins got nothing");
			return -EIO;
		}
		sector_value_fold(&v, s, page_read_sector(page, s));
	}
	return v;
}
