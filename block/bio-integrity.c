/* bio-integrity.c - DIF/DIX: guard tags generated over the data in memory at submission. */
#include <pinlab/mm.h>
#include "blk.h"

/* A disk formatted with protection information wants guards with writes. */
static bool bio_integrity_wanted(struct bio *bio)
{
	return bio->bi_write && bio->bi_disk->dif;
}

/**
 * bio_integrity_prep() - generate the guard tags of a write for a DIF/DIX disk
 * @bio: the bio being submitted, after blk_queue_bounce()
 *
 * One T10-DIF guard per sector, computed over @bio->bi_page as it is now,
 * sector by sector: the CPU reads the page while a device holding it may
 * write it.  The disk checks each guard against the sector it reads later;
 * a sector changed in between fails the write.  Reads carry no guards here:
 * the model's disk stores no protection information to return.
 */
void bio_integrity_prep(struct bio *bio)
{
	struct page *page = bio->bi_page;
	int s;

	if (!bio_integrity_wanted(bio))
		return;
	for (s = 0; s < page->nr_sectors; s++) {
		__sched_point(&page->data[s], KACC_READ, "bio_integrity_prep");
		bio->bi_guard[s] = sector_guard(page_read_sector(page, s));
	}
	bio->bi_has_guard = true;
}
