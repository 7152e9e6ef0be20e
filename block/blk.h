/* blk.h - what the block layer's files share with each other and with nobody else. */
#ifndef PINLAB_BLOCK_BLK_H
#define PINLAB_BLOCK_BLK_H

#include <pinlab/bio.h>

bool blk_queue_bounce(struct bio *bio);

void bounce_end_io(struct bio *bio);

void bio_integrity_prep(struct bio *bio);

void bio_endio(struct bio *bio);

void blk_mq_submit_bio(struct bio *bio);

void blk_dev_transfer(struct bio *bio, bool in_step, const char *fn);

void blk_complete_bio(struct bio *bio);

const void *blk_end_io_obj(struct bio *bio);

void blk_execute_inline(struct bio *bio);

#endif /* PINLAB_BLOCK_BLK_H */
