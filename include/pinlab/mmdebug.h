/* mmdebug.h - debug builds: registration of mm objects with the auditor, and auditing accessors. */
#ifndef PINLAB_MMDEBUG_H
#define PINLAB_MMDEBUG_H

#include <pinlab/audit.h>
#include <pinlab/mm_types.h>

struct bio;
struct request_queue;

/*
 * Accessors for fields model code reads raw.  They do not record the read
 * (the path declares it with kobj_read() or a scheduling point, where the
 * kernel's code reads it); in a debug build they check that it did.
 */

static inline int __i_size_read(struct inode *inode, const char *fn)
{
	audit_read(&inode->i_size, "i_size_read", fn);
	return inode->i_size;
}

/**
 * i_size_read() - the file's size in pages; &inode->i_size must be in the
 * footprint
 */
#define i_size_read(inode)	__i_size_read((inode), __func__)

static inline pgoff_t __i_size_load(struct inode *inode, const char *fn)
{
	kobj_read(&inode->i_size);
	return __i_size_read(inode, fn);
}

/**
 * i_size_load() - the file's size in pages, for a step that reads it
 * first: records the read (kobj_read()), then i_size_read()
 */
#define i_size_load(inode)	__i_size_load((inode), __func__)

/**
 * page_private() - the page's buffer heads
 * @page: the page
 *
 * They change with PG_private: records a read of that flag's object
 * (byte PG_private of the flags word, page_flag_obj()), as PagePrivate()
 * does.  Callers hold the page lock or the buffers' own references, as in
 * the kernel, but the lock's object is another flag's.
 */
static inline struct buffer_head *page_private(struct page *page)
{
	kobj_read((const u8 *)&page->flags + PG_private);
	return page->private;
}

static inline bool __page_freed(struct page *page, const char *fn)
{
	audit_read(&page->freed, "page_freed", fn);
	return page->freed;
}

/**
 * page_freed() - was the page returned to the allocator? &page->freed must be
 * in the footprint
 */
#define page_freed(page)	__page_freed((page), __func__)

static inline bool __mapping_stable_writes(struct address_space *mapping, const char *fn)
{
	audit_read(&mapping->flags, "mapping_stable_writes", fn);
	return mapping->flags & BIT(AS_STABLE_WRITES);
}

/**
 * mapping_stable_writes() - AS_STABLE_WRITES; &mapping->flags must be in the
 * footprint
 */
#define mapping_stable_writes(m)	__mapping_stable_writes((m), __func__)

static inline struct page *__page_cache_slot(struct address_space *mapping, pgoff_t index,
					     const char *fn)
{
	audit_read(&mapping->i_pages[index], "page_cache_slot", fn);
	return mapping->i_pages[index];
}

/**
 * page_cache_slot() - the page cached at @index; &mapping->i_pages[index] must
 * be in the footprint
 */
#define page_cache_slot(mapping, index)	__page_cache_slot((mapping), (index), __func__)

static inline long __i_block_read(struct inode *inode, pgoff_t index, const char *fn)
{
	audit_read(&inode->i_blocks[index], "i_block_read", fn);
	return inode->i_blocks[index];
}

/**
 * i_block_read() - the disk block of page @index; &inode->i_blocks[index] must
 * be in the footprint
 */
#define i_block_read(inode, index)	__i_block_read((inode), (index), __func__)

static inline long __bh_blocknr(struct buffer_head *bh, const char *fn)
{
	audit_read(&bh->b_state, "bh_blocknr", fn);
	return bh->b_blocknr;
}

/**
 * bh_blocknr() - the buffer's disk block; it changes with BH_Mapped, so
 * &bh->b_state must be in the footprint
 */
#define bh_blocknr(bh)	__bh_blocknr((bh), __func__)

#ifdef PINLAB_DEBUG

void mm_debug_page(struct page *page);
void mm_debug_buffer(struct buffer_head *bh);
void mm_debug_world(struct mm_world *w);
void mm_debug_block(struct mm_world *w, long b);
void mm_debug_dax_page(struct page *page);
void mm_debug_handle(struct gup_handle *h);
void mm_debug_lease(struct file_lease *fl);
/* Bios and the request queue (block/blk-debug.c). */
void mm_debug_bio(struct bio *bio);
void mm_debug_bio_done(struct bio *bio);
void mm_debug_queue(struct request_queue *q);
void mm_debug_pin(struct page *page, int nr);
void mm_debug_check(void);
void mm_debug_add_page_checker(void (*page)(const struct page *page), void (*reset)(void));
__noreturn void mm_debug_broken_page(const char *inv, const struct page *page, const char *what);
void *mm_debug_grow(void *p, u32 *cap, u32 need, size_t size);

#else

static inline void mm_debug_page(struct page *page) { (void)page; }
static inline void mm_debug_buffer(struct buffer_head *bh) { (void)bh; }
static inline void mm_debug_world(struct mm_world *w) { (void)w; }
static inline void mm_debug_block(struct mm_world *w, long b) { (void)w, (void)b; }
static inline void mm_debug_dax_page(struct page *page) { (void)page; }
static inline void mm_debug_handle(struct gup_handle *h) { (void)h; }
static inline void mm_debug_lease(struct file_lease *fl) { (void)fl; }
static inline void mm_debug_bio(struct bio *bio) { (void)bio; }
static inline void mm_debug_bio_done(struct bio *bio) { (void)bio; }
static inline void mm_debug_queue(struct request_queue *q) { (void)q; }
static inline void mm_debug_pin(struct page *page, int nr) { (void)page, (void)nr; }

#endif /* PINLAB_DEBUG */

#endif /* PINLAB_MMDEBUG_H */
