/* dma.c - the DMA device: reads and writes pages sector by sector, behind the page tables' back. */
#include <pinlab/drivers.h>
#include <pinlab/litmus.h>
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
 * Return: the sectors' common value, or LT_VAL_TORN if they differ.
 */
s64 dma_read_page(struct page *page)
{
	s64 first = 0, v;
	bool torn = false;
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_READ, "dma_read");
		v = page_read_sector(page, s);
		if (!s)
			first = v;
		else if (v != first)
			torn = true;
	}
	return torn ? LT_VAL_TORN : first;
}
