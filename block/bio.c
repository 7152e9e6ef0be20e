/* bio.c - struct bio: allocation, its page cache page, completion. */
#include <pinlab/arena.h>
#include <pinlab/mm.h>
#include <pinlab/mmdebug.h>
#include "blk.h"

/**
 * bio_alloc() - a bio for one page and one disk block
 * @page:  the page the device transfers
 * @block: the disk block, on the disk of @page's world (@bi_disk)
 * @write: the device writes @block from @page (else reads it into @page)
 *
 * The bio lives in the execution arena, like every model object, and is
 * never freed.  The caller sets @bi_end_io (and @bi_private, @bi_csum)
 * before submit_bio().
 *
 * Return: the bio, or NULL when the arena is full.
 */
struct bio *bio_alloc(struct page *page, long block, bool write)
{
	struct bio *bio = arena_alloc(&exec_arena, sizeof(*bio));

	if (!bio)
		return NULL;
	bio->bi_page = page;
	bio->bi_disk = page_world(page)->disk;
	bio->bi_block = block;
	bio->bi_write = write;
	mm_debug_bio(bio);
	return bio;
}

/**
 * bio_page() - the page cache page of a bio
 * @bio: the bio
 *
 * Return: @bio->bi_orig when @bio transfers a bounce copy, else
 * @bio->bi_page.
 */
struct page *bio_page(struct bio *bio)
{
	return bio->bi_orig ? bio->bi_orig : bio->bi_page;
}

/**
 * bio_endio() - end I/O on a bio
 * @bio: the bio, @bi_status set
 *
 * Called by the block layer once the device is done; the owner's
 * @bi_end_io (if any) runs in the same step.
 */
void bio_endio(struct bio *bio)
{
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
	mm_debug_bio_done(bio);
}
