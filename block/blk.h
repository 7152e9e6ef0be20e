/* blk.h - what the block layer's files share with each other and with nobody else. */
#ifndef PINLAB_BLOCK_BLK_H
#define PINLAB_BLOCK_BLK_H

#include <pinlab/bio.h>

/**
 * blk_queue_bounce() - bounce a write of a maybe-pinned page (block/bounce.c)
 * @bio: the bio being submitted
 *
 * Return: true when @bio now transfers a bounce copy, which
 * bounce_end_io() frees at completion; false otherwise (@bio->bi_status is
 * -ENOMEM if the copy could not be allocated).
 */
bool blk_queue_bounce(struct bio *bio);

/** bounce_end_io() - free a bio's block-layer bounce copy and give it back its page */
void bounce_end_io(struct bio *bio);

/** bio_integrity_prep() - generate the guard tags of a write on a DIF/DIX disk */
void bio_integrity_prep(struct bio *bio);

/** bio_endio() - the bio is done: call its owner's @bi_end_io */
void bio_endio(struct bio *bio);

/** blk_mq_submit_bio() - hand a prepared bio to the device (blk-mq.c) */
void blk_mq_submit_bio(struct bio *bio);

/** blk_dev_transfer() - the device's DMA of @bio, one sector per step (blk-core.c) */
void blk_dev_transfer(struct bio *bio, bool in_step, const char *fn);

/** blk_complete_bio() - the completion interrupt: bounce copy freed, @bi_end_io called */
void blk_complete_bio(struct bio *bio);

/** blk_end_io_obj() - the page flag object the completion of @bio writes first */
const void *blk_end_io_obj(struct bio *bio);

/** blk_execute_inline() - transfer and complete @bio in the submitter's task */
void blk_execute_inline(struct bio *bio);

#endif /* PINLAB_BLOCK_BLK_H */
