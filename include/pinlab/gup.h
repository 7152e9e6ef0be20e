/* gup.h - get_user_pages() and the pin API: FOLL_GET references, FOLL_PIN pins and their release (mm/gup.c). */
#ifndef PINLAB_GUP_H
#define PINLAB_GUP_H

#include <pinlab/mm_types.h>

long get_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h);
long pin_user_pages(struct mm_struct *mm, struct inode *inode, pgoff_t index,
		    int nr, unsigned int gup_flags, struct gup_handle *h);
long pin_user_pages_fast(struct mm_struct *mm, struct inode *inode, pgoff_t index,
			 int nr, unsigned int gup_flags, struct gup_handle *h);
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, int nr);
void unpin_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty);
/* The 2018 seed's names: placeholders that become the unpin calls per policy. */
void put_user_page(struct page *page);
void put_user_pages(struct page **pages, int nr);
void put_user_pages_dirty_lock(struct page **pages, int nr, bool make_dirty);

#endif /* PINLAB_GUP_H */
