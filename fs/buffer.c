/* buffer.c - buffer heads (one block-sized buffer per page), and the buffered I/O steps every disk filesystem shares. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/buffer_head.h>
#include <pinlab/bio.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/writeback.h>
#include <pinlab/tracepoint.h>
#include "internal.h"

/**
 * buffer_test() - is a BH_* bit of @bh set?
 * @bh:  the buffer head
 * @bit: enum bh_state_bits
 */
bool buffer_test(struct buffer_head *bh, int bit)
{
	kobj_read(&bh->b_state);
	return atomic_load(&bh->b_state) & (1ul << bit);
}

/**
 * buffer_set() - set a BH_* bit of @bh
 */
void buffer_set(struct buffer_head *bh, int bit)
{
	kobj_write(&bh->b_state);
	atomic_fetch_or(&bh->b_state, 1ul << bit);
}

/**
 * buffer_clear() - clear a BH_* bit of @bh
 */
void buffer_clear(struct buffer_head *bh, int bit)
{
	kobj_write(&bh->b_state);
	atomic_fetch_and(&bh->b_state, ~(1ul << bit));
}

/* Return: whether the bit was set before. */
static bool buffer_test_set(struct buffer_head *bh, int bit)
{
	kobj_write(&bh->b_state);
	return atomic_fetch_or(&bh->b_state, 1ul << bit) & (1ul << bit);
}

/*
 * pinlab leaves the reference the kernel's folio_attach_private() takes out
 * of its accounting: a page cache page is expected to hold one reference
 * for the cache and one per PTE, buffers or not (see the epilogue's leak
 * check and the refcount tests of reclaim and invalidation).
 */
static void attach_page_private(struct page *page, struct buffer_head *bh)
{
	page->private = bh;
	SetPagePrivate(page);
}

static void detach_page_private(struct page *page)
{
	ClearPagePrivate(page);
	page->private = NULL;
}

/**
 * create_empty_buffers() - attach a buffer head to a page
 * @page: a locked page cache page without buffers
 *
 * The buffer inherits the page's up-to-date and dirty state, as in the
 * kernel, and is mapped to the page's block when the file has one there
 * (pinlab's stand-in for the get_block() the kernel's callers run next).
 * Buffer heads are allocated with __GFP_NOFAIL: running out of the
 * execution arena is a bug of the model, not an outcome.
 */
void create_empty_buffers(struct page *page)
{
	struct buffer_head *bh = arena_alloc(&exec_arena, sizeof(*bh));
	struct inode *inode;
	long block;

	VM_BUG_ON(!PageLocked(page));
	BUG_ON(!bh);
	mm_debug_buffer(bh);
	inode = page_inode(page);
	bh->b_page = page;
	kobj_read(&inode->i_blocks[page->index]);
	block = i_block_read(inode, page->index);
	if (block >= 0) {
		bh->b_blocknr = block;
		buffer_set(bh, BH_Mapped);
	}
	if (PageUptodate(page))
		buffer_set(bh, BH_Uptodate);
	if (PageDirty(page))
		buffer_set(bh, BH_Dirty);
	attach_page_private(page, bh);
}

/*
 * drop_buffers(): the buffers can go only when none of them still needs
 * writing.
 */
static bool drop_buffers(struct page *page)
{
	if (buffer_test(page_private(page), BH_Dirty))
		return false;
	detach_page_private(page);
	trace_mm_event("buffers freed", page);
	return true;
}

/**
 * try_to_free_buffers() - release a page's buffer heads if they are clean
 * @page: a locked page with buffers
 *
 * Return: true when the page has no buffers any more.
 */
bool try_to_free_buffers(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return false;
	if (!page_has_buffers(page))
		return true;
	return drop_buffers(page);
}

/**
 * block_invalidate_folio() - the page leaves the file (truncate, punch): its
 * buffers are discarded, dirty or not, then released
 * @page: a locked page, not under writeback
 *
 * discard_buffer(): the buffer is no longer dirty, mapped or delayed; the
 * block it named is the filesystem's to free.
 */
void block_invalidate_folio(struct page *page)
{
	struct buffer_head *bh;

	VM_BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		return;
	bh = page_private(page);
	buffer_clear(bh, BH_Dirty);
	buffer_clear(bh, BH_Mapped);
	buffer_clear(bh, BH_Delay);
	detach_page_private(page);
	trace_mm_event("buffers freed", page);
}

/*
 * __set_page_dirty(): PG_dirty on and the page cache's dirty tag set, which
 * pinlab's writeback reads as PG_dirty itself.
 */
static bool __set_page_dirty(struct page *page)
{
	return !TestSetPageDirty(page);
}

/**
 * mark_buffer_dirty() - the buffer must be written: dirty it and its page
 * @bh: a buffer attached to a page cache page
 *
 * A buffer that was dirty already leaves its page alone: whoever dirtied
 * it dirtied the page too.
 */
void mark_buffer_dirty(struct buffer_head *bh)
{
	if (buffer_test(bh, BH_Dirty))
		return;
	if (!buffer_test_set(bh, BH_Dirty))
		__set_page_dirty(bh->b_page);
}

/**
 * block_dirty_folio() - ->dirty_folio of buffer-head filesystems
 * @mapping: the page's mapping
 * @page:    the page
 *
 * Dirties every buffer of the page ("top-down" dirtying), then the page.
 * A page without buffers only gets PG_dirty: the filesystem was not asked
 * first, which is objective O2 of the thread.
 *
 * Return: true if the page was clean.
 */
bool block_dirty_folio(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	if (page_has_buffers(page))
		buffer_set(page_private(page), BH_Dirty);
	return __set_page_dirty(page);
}

/*
 * ---- the generic buffered I/O steps ----
 *
 * What the kernel's mpage, iomap and buffer-head helpers do for every
 * filesystem; the filesystem's own part (mapping or reserving the block)
 * is done by its caller, or by the hook it passes.
 */

/*
 * mpage_end_io(): a read finished; the page is up to date only if it
 * succeeded (a checksum mismatch is -EIO), and unlocked either way
 * (folio_end_read()).
 */
static void mpage_end_io(struct bio *bio)
{
	struct page *page = bio_page(bio);

	if (!bio->bi_status)
		SetPageUptodate(page);
	unlock_page(page);
}

/**
 * mpage_read_folio() - ->read_folio's common part: fill a locked page
 * @page:  locked, not up to date
 * @block: the block the filesystem maps the page to now (its get_block or
 *	   iomap_begin), negative for a hole
 *
 * mpage_read_folio(), iomap_read_folio(), btrfs_do_readpage(): a hole
 * reads as zeros without any I/O; otherwise a read bio fills the page and
 * mpage_end_io() completes it.
 *
 * Return: 0, or -ENOMEM when no bio could be had; the page is unlocked.
 */
int mpage_read_folio(struct page *page, long block)
{
	struct bio *bio;

	if (block < 0) {
		clear_highpage(page);
		SetPageUptodate(page);
		unlock_page(page);
		return 0;
	}
	bio = bio_alloc(page, block, false);
	if (!bio) {
		unlock_page(page);
		return -ENOMEM;
	}
	bio->bi_end_io = mpage_end_io;
	submit_bio(bio);
	return 0;
}

/**
 * block_write_begin() - ->write_begin's common part: the page to copy into
 * @mapping: the file's page cache
 * @index:   page to write
 * @pagep:   set to the page, locked and with a reference
 *
 * grab_cache_page_write_begin() with FGP_STABLE: find or create the page,
 * lock it, then wait until writeback is done with it if it must stay
 * stable (folio_wait_stable()).  The filesystem maps or reserves the block
 * before (iomap_iter()) or after (__block_write_begin()) this.
 *
 * Return: 0 or -ENOMEM.
 */
int block_write_begin(struct address_space *mapping, pgoff_t index, struct page **pagep)
{
	struct page *page = grab_cache_page(mapping, index);

	if (!page)
		return -ENOMEM;
	folio_wait_stable(page);
	*pagep = page;
	return 0;
}

/**
 * generic_write_end() - ->write_end without buffer heads: the data is in
 * @mapping: the file's page cache
 * @page:    the page from ->write_begin
 *
 * iomap_write_end() and btrfs_dirty_pages(): up to date and dirty
 * (filemap_dirty_folio()), then unlocked and our reference dropped.
 *
 * Return: 0.
 */
int generic_write_end(struct address_space *mapping, struct page *page)
{
	SetPageUptodate(page);
	filemap_dirty_folio(mapping, page);
	unlock_page(page);
	put_page(page);
	return 0;
}

/**
 * block_page_mkwrite() - ->page_mkwrite's common part
 * @vmf:     the write fault, with the page referenced
 * @mkwrite: the filesystem's part, with the page locked: map or reserve
 *	     the block, dirty the page and wait for stable pages, in the
 *	     filesystem's order
 *
 * block_page_mkwrite(), iomap_page_mkwrite(), btrfs_page_mkwrite(): lock
 * the page and check it is still the file's and within EOF
 * (folio_mkwrite_check_truncate()), then @mkwrite.
 *
 * Return: VM_FAULT_LOCKED with the page locked, or VM_FAULT_NOPAGE with
 * it unlocked when it left the file.
 */
int block_page_mkwrite(struct vm_fault *vmf,
		       void (*mkwrite)(struct inode *inode, struct page *page))
{
	struct page *page = vmf->page;
	struct inode *inode = vmf->inode;

	lock_page(page);
	if (page_mkwrite_check_truncate(page, inode)) {
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	mkwrite(inode, page);
	return VM_FAULT_LOCKED;
}

/**
 * writepage_bio_alloc() - the write bio of a page cleaned for I/O
 * @page:   locked, PG_dirty cleared by clear_page_dirty_for_io()
 * @block:  the block it is written to
 * @wbc:    the bounce copy in @wbc->bounce, if any
 * @end_io: the filesystem's completion
 *
 * iomap_alloc_ioend(), ext4's io_submit_init_bio(): the bio transfers the
 * bounce copy clear_page_dirty_for_io() handed back, if any, and holds its
 * own reference on it, which @end_io drops.
 *
 * Return: the bio, or NULL when the arena is full.
 */
struct bio *writepage_bio_alloc(struct page *page, long block, struct writeback_control *wbc,
				void (*end_io)(struct bio *bio))
{
	struct bio *bio = bio_alloc(wbc->bounce ? wbc->bounce : page, block, true);

	if (!bio)
		return NULL;
	if (wbc->bounce) {
		get_page(wbc->bounce);
		bio->bi_orig = page;
	}
	bio->bi_end_io = end_io;
	return bio;
}

/**
 * writepage_submit() - a ->writepage's last steps, once the page has its bio
 * @page: locked, cleaned for I/O
 * @bio:  its write bio
 * @wbc:  counts the page written
 *
 * __block_write_full_folio() and iomap_writepage_map() order: the page
 * under writeback, unlocked, then the bio submitted.
 */
void writepage_submit(struct page *page, struct bio *bio, struct writeback_control *wbc)
{
	set_page_writeback(page);
	unlock_page(page);
	submit_bio(bio);
	wbc->pages_written++;
}
