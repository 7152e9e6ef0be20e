/* writeback.h - dirtying pages and writing them back: set_page_dirty(), the writepages loop, fsync and sync (mm/page-writeback.c). */
#ifndef PINLAB_WRITEBACK_H
#define PINLAB_WRITEBACK_H

#include <pinlab/mm_types.h>

void redirty_page_for_writepage(struct writeback_control *wbc, struct page *page);
bool set_page_dirty(struct page *page);
bool set_page_dirty_lock(struct page *page);
bool clear_page_dirty_for_io(struct page *page);
bool filemap_dirty_folio(struct address_space *mapping, struct page *page);
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      int (*writepage)(struct page *page, struct writeback_control *wbc));
int write_cache_pages_check(struct address_space *mapping,
			    struct writeback_control *wbc,
			    bool (*check)(struct page *page),
			    int (*writepage)(struct page *page,
					     struct writeback_control *wbc));
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
int writeback_inode(struct inode *inode, enum writeback_sync_modes mode);
int writeback_inode_range(struct inode *inode, enum writeback_sync_modes mode,
			  pgoff_t start, pgoff_t end);
int vfs_fsync(struct inode *inode);
void ksys_sync(struct mm_world *w);

#endif /* PINLAB_WRITEBACK_H */
