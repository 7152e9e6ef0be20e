/* blkdev.h - the disk: block allocation and reference counts, reading a page from it, what a crash or a read-back finds on it (block/blk-core.c). */
#ifndef PINLAB_BLKDEV_H
#define PINLAB_BLKDEV_H

#include <pinlab/mm_types.h>

long disk_alloc_block(struct mm_world *w);
void disk_block_get(struct mm_world *w, long block);
void disk_block_put(struct mm_world *w, long block);
int disk_block_refcount(struct mm_world *w, long block);
void submit_page_read(struct page *page, long block);
s64 disk_value(struct mm_world *w, long block);
int disk_sector(struct mm_world *w, long block, int s, s64 *v);

#endif /* PINLAB_BLKDEV_H */
