/* bounce.c - the block layer's bounce copies of pinned pages (Jan Kara). */
#include <errno.h>
#include <pinlab/mm.h>
#include <pinlab/policy.h>
#include <pinlab/tracepoint.h>
#include "blk.h"

/**
 * bounce_page() - copy a page into a new one, sector by sector (copy_highpage())
 * @page: the page to copy; others may write it meanwhile (a device DMA)
 * @fn:   kernel function named by the scheduling points ("blk_queue_bounce")
 *
 * The copy is private to its user: it is in no page cache and nobody maps
 * or pins it.  A device writing @page during the copy leaves the copy with
 * old and new sectors, consistent with itself from then on.  Counted in
 * the world's bounces cost, as the filesystem's copies are (mm/page-writeback.c).
 *
 * Return: the copy with one reference, or NULL when the arena is full.
 */
struct page *bounce_page(struct page *page, const char *fn)
{
	struct page *copy = alloc_page(page_world(page));

	if (!copy)
		return NULL;
	copy_highpage(copy, page, fn);
	SetPageUptodate(copy);
	page_cost(page)->bounces++;
	trace_mm_event("bounce copy", page);
	return copy;
}

/*
 * Would the block layer bounce this bio?  Writes of pages a device may hold
 * pinned, under the design that bounces them in the block layer.  A bio
 * that already carries the filesystem's bounce copy has nothing pinned.
 */
static bool bio_needs_bounce(struct bio *bio)
{
	return bio->bi_write && page_policy(bio->bi_page)->wb == WB_BLOCK_BOUNCE && !bio->bi_orig;
}

/**
 * blk_queue_bounce() - bounce a write of a maybe-pinned page
 * @bio: the bio being submitted
 *
 * Jan Kara's proposal: the block layer copies pinned pages before the
 * integrity data is generated and the device reads them, as it did for
 * ext3's metadata on DIF/DIX disks.  The filesystem unlocked the page before
 * submitting, so the pin check is a lockless look that others may precede
 * (a GUP that was waiting for the page lock); a device already holding the
 * page may keep writing it while it is copied.
 *
 * Return: true when @bio now transfers a bounce copy (@bi_orig is the
 * page); false when it needs none, or could get none (@bi_status -ENOMEM).
 */
bool blk_queue_bounce(struct bio *bio)
{
	struct page *page = bio->bi_page;
	struct page *copy;

	if (!bio_needs_bounce(bio))
		return false;
	__sched_point(NULL, KACC_READ, "blk_queue_bounce");
	if (!page_maybe_dma_pinned(page))
		return false;
	copy = bounce_page(page, "blk_queue_bounce");
	if (!copy) {
		bio->bi_status = -ENOMEM;
		return false;
	}
	bio->bi_orig = page;
	bio->bi_page = copy;
	return true;
}

/**
 * bounce_end_io() - the device is done with a block-layer bounce copy
 * @bio: a bio blk_queue_bounce() bounced
 *
 * Frees the copy and points @bio at its page again before the owner's
 * completion runs, which therefore never sees the copy (bounce_end_io_write()).
 */
void bounce_end_io(struct bio *bio)
{
	struct page *copy = bio->bi_page;

	bio->bi_page = bio->bi_orig;
	bio->bi_orig = NULL;
	put_page(copy);
}
