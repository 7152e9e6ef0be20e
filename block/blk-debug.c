/* blk-debug.c - debug builds: bios and the request queue registered with the auditor, and the block invariants. */
#include <pinlab/mmdebug.h>
#include "blk.h"

#ifdef PINLAB_DEBUG

/* A bio is private to the task that made it until submit_bio(). */
static const struct audit_field bio_fields[] = {
	AUDIT_FIELD(struct bio, bi_page, 0),
	AUDIT_FIELD(struct bio, bi_orig, 0),
	AUDIT_FIELD(struct bio, bi_block, 0),
	AUDIT_FIELD(struct bio, bi_status, 0),
	AUDIT_FIELD(struct bio, bi_has_csum, 0),
	AUDIT_FIELD(struct bio, bi_csum, 0),
	AUDIT_FIELD(struct bio, bi_has_guard, 0),
	AUDIT_FIELD(struct bio, bi_guard, 0),
	AUDIT_FIELD(struct bio, bi_bounced, 0),
	AUDIT_END,
};

static const struct audit_type bio_type = { "struct bio", bio_fields };

/*
 * The queue, links and tail included, is one object: &q->queue_head
 * (bi_next is not audited); the workqueue's is &q->system_wq.head.
 */
static const struct audit_field queue_fields[] = {
	AUDIT_FIELD(struct request_queue, queue_head, offsetof(struct request_queue, queue_head)),
	AUDIT_FIELD(struct request_queue, queue_tail, offsetof(struct request_queue, queue_head)),
	AUDIT_FIELD(struct request_queue, system_wq.head,
		    offsetof(struct request_queue, system_wq.head)),
	AUDIT_FIELD(struct request_queue, system_wq.tail,
		    offsetof(struct request_queue, system_wq.head)),
	AUDIT_END,
};

static const struct audit_type queue_type = { "struct request_queue", queue_fields };

/**
 * struct dbg_bio - a write bio and whether it completed
 * @bio:  the bio
 * @done: bio_endio() ran
 */
struct dbg_bio {
	struct bio *bio;
	bool done;
};

/**
 * struct blk_dbg - the block checkers' state for the execution being run
 * @bios:     every write bio
 * @nr_bios:  entries used in @bios
 * @cap_bios: entries allocated in @bios
 */
static struct blk_dbg {
	struct dbg_bio *bios;
	u32 nr_bios;
	u32 cap_bios;
} dbg;

static void blk_debug_reset(void)
{
	dbg.nr_bios = 0;
}

/**
 * mm_debug_bio() - bio_alloc(): audit @bio, private to the task that made
 * it, and remember a write until it completes
 * @bio: the new bio
 */
void mm_debug_bio(struct bio *bio)
{
	audit_register(bio, &bio_type, 0, current ? current->pid : AUDIT_OWNER_NONE);
	if (!bio->bi_write)
		return;
	dbg.bios = mm_debug_grow(dbg.bios, &dbg.cap_bios, dbg.nr_bios + 1, sizeof(*dbg.bios));
	dbg.bios[dbg.nr_bios++] = (struct dbg_bio){ .bio = bio };
}

/**
 * mm_debug_queue() - blk_mq_init_queue(): audit the request queue
 * @q: the disk's queue
 */
void mm_debug_queue(struct request_queue *q)
{
	audit_register(q, &queue_type, 0, AUDIT_OWNER_NONE);
}

/**
 * mm_debug_bio_done() - bio_endio(): @bio is no longer in flight
 * @bio: the completed bio
 */
void mm_debug_bio_done(struct bio *bio)
{
	u32 i;

	for (i = 0; i < dbg.nr_bios; i++)
		if (dbg.bios[i].bio == bio)
			dbg.bios[i].done = true;
	audit_touch();
}

static bool bio_in_flight(const struct page *page)
{
	u32 i;

	for (i = 0; i < dbg.nr_bios; i++) {
		struct bio *bio = dbg.bios[i].bio;

		if (!dbg.bios[i].done && (bio->bi_page == page || bio->bi_orig == page))
			return true;
	}
	return false;
}

/*
 * page-writeback-has-bio: a page under writeback is in a write bio not yet
 * completed.  Run by mm_debug_check() on every page, in its place among
 * mm's page invariants.
 */
static void check_page_bio(const struct page *page)
{
	if ((atomic_load(&page->flags) & BIT(PG_writeback)) && !bio_in_flight(page))
		mm_debug_broken_page("page-writeback-has-bio", page,
				     "PG_writeback without a write bio in flight");
}

__attribute__((constructor)) static void blk_debug_init(void)
{
	mm_debug_add_page_checker(check_page_bio, blk_debug_reset);
}

#endif /* PINLAB_DEBUG */
