/* buffer_head.h - buffer heads: a page's blocks, their state bits, buffer-head dirtying (fs/buffer.c). */
#ifndef PINLAB_BUFFER_HEAD_H
#define PINLAB_BUFFER_HEAD_H

#include <pinlab/mm_types.h>

void create_empty_buffers(struct page *page);
bool try_to_free_buffers(struct page *page);
void block_invalidate_folio(struct page *page);
void mark_buffer_dirty(struct buffer_head *bh);
bool buffer_test(struct buffer_head *bh, int bit);
void buffer_set(struct buffer_head *bh, int bit);
void buffer_clear(struct buffer_head *bh, int bit);
bool block_dirty_folio(struct address_space *mapping, struct page *page);

#endif /* PINLAB_BUFFER_HEAD_H */
