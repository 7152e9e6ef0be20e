/* internal.h - what the filesystems in fs/ share: page_inode() and the generic buffered I/O steps of fs/buffer.c. */
#ifndef PINLAB_FS_INTERNAL_H
#define PINLAB_FS_INTERNAL_H

#include <pinlab/mm.h>

struct bio;

/**
 * page_inode() - the file a locked page cache page belongs to (folio_inode())
 */
static inline struct inode *page_inode(struct page *page)
{
	return page_mapping(page)->host;
}

/*
 * The buffered I/O steps the disk filesystems share (fs/buffer.c), as the
 * kernel's filesystems call mpage, iomap and buffer-head generic code:
 * each filesystem maps the block or reserves it, the helper does the rest.
 */
int mpage_read_folio(struct page *page, long block);
int block_write_begin(struct address_space *mapping, pgoff_t index, struct page **pagep);
int generic_write_end(struct address_space *mapping, struct page *page);
int block_page_mkwrite(struct vm_fault *vmf,
		       void (*mkwrite)(struct inode *inode, struct page *page));
struct bio *writepage_bio_alloc(struct page *page, long block, struct writeback_control *wbc,
				void (*end_io)(struct bio *bio));
void writepage_submit(struct page *page, struct bio *bio, struct writeback_control *wbc);

#endif /* PINLAB_FS_INTERNAL_H */
