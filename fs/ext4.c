/* ext4.c - an ext4-like filesystem: buffer heads, delayed allocation, overwrite in place. */
#include <errno.h>
#include <pinlab/bio.h>
#include <pinlab/blkdev.h>
#include <pinlab/buffer_head.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/writeback.h>
#include "internal.h"

/*
 * ext4_writepage_buffers() - 4.20's ext4_writepage() takes page_buffers(),
 * which BUG()s on a page without buffers (someone called set_page_dirty()
 * without ->page_mkwrite() or ->write_begin() first).  Only base 4.20 has
 * a ->writepage for pageout() to call (mapping_writepage()).
 *
 * Return: the page's buffer head.
 */
static struct buffer_head *ext4_writepage_buffers(struct page *page)
{
	BUG_ON(!page_has_buffers(page));
	return page_private(page);
}

/*
 * ext4_da_get_block_prep(): give a locked page its buffer and either map it
 * to the file's block or reserve a delayed allocation (BH_Delay).
 */
static void ext4_da_get_block_prep(struct page *page)
{
	struct buffer_head *bh;

	if (!page_has_buffers(page))
		create_empty_buffers(page);
	bh = page_private(page);
	if (!buffer_test(bh, BH_Mapped))
		buffer_set(bh, BH_Delay);
}

/*
 * ext4_map_blocks() at writeback: a delayed buffer gets its block now.
 * Return: 0, or -ENOSPC.
 */
static int ext4_map_blocks(struct inode *inode, struct page *page, struct buffer_head *bh)
{
	long block;

	if (buffer_test(bh, BH_Mapped))
		return 0;
	block = disk_alloc_block(inode->i_world);
	if (block < 0)
		return (int)block;
	kobj_write(&inode->i_blocks[page->index]);
	inode->i_blocks[page->index] = block;
	bh->b_blocknr = block;
	buffer_set(bh, BH_Mapped);
	buffer_clear(bh, BH_Delay);
	return 0;
}

/**
 * ext4_end_bio() - completion of a page write (ext4_finish_bio())
 * @bio: the bio, @bi_status set
 *
 * A failed write (a DIF guard mismatch) is recorded for fsync; the page is
 * not redirtied: ext4 marks its buffer with a write error and the page
 * cache no longer holds the data as dirty.  The bio's reference on a
 * bounce copy from clear_page_dirty_for_io() is dropped, as fscrypt's
 * bounce pages are freed, then writeback ends on the page.
 */
static void ext4_end_bio(struct bio *bio)
{
	struct page *page = bio_page(bio);

	if (bio->bi_status)
		mapping_set_error(page_mapping(page), bio->bi_status);
	if (bio->bi_orig)
		put_page(bio->bi_page);
	end_page_writeback(page);
}

/*
 * ext4_bio_write_page(): the buffer goes into a bio (io_submit_init_bio(),
 * completed by ext4_end_bio()), the page under writeback, the page lock is
 * dropped, and the bio is submitted.
 * Return: 0, or -ENOMEM when no bio could be had (nothing changed).
 */
static int ext4_bio_write_page(struct page *page, struct buffer_head *bh,
			       struct writeback_control *wbc)
{
	struct bio *bio = writepage_bio_alloc(page, bh_blocknr(bh), wbc, ext4_end_bio);

	if (!bio)
		return -ENOMEM;
	buffer_clear(bh, BH_Dirty);
	writepage_submit(page, bio, wbc);
	return 0;
}

/*
 * mpage_check_buffers() - mpage_prepare_extent_to_map() meets a locked,
 * dirty page before cleaning it, and looks at its buffers.  On base 4.20
 * page_buffers() BUG()s when there are none: the flusher dies holding the
 * page locked and dirty, and the next writeback blocks on it.  Since 5.18
 * (cc5095747edf) ext4_warning_inode() logs it (a message, no WARNING),
 * the dirty flag is cleared without write-protecting the PTEs, and the
 * page is skipped.
 *
 * Return: true if the page has buffers and may be written.
 */
static bool mpage_check_buffers(struct page *page)
{
	if (page_policy(page)->base == BASE_4_20)
		BUG_ON(!page_has_buffers(page));
	if (page_has_buffers(page))
		return true;
	ClearPageDirty(page);
	return false;
}

/*
 * mpage_submit_page(): write one page for ext4_writepages(); the page comes
 * locked, with its buffers, and PG_dirty cleared by clear_page_dirty_for_io().
 */
static int mpage_submit_page(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page_inode(page);
	struct buffer_head *bh;
	int err;

	/* Locked since mpage_check_buffers(): nobody could strip them. */
	VM_BUG_ON(!page_has_buffers(page));
	bh = page_private(page);
	err = ext4_map_blocks(inode, page, bh);
	if (err)
		goto out_redirty;
	err = ext4_bio_write_page(page, bh, wbc);
	if (err)
		goto out_redirty;
	return 0;

out_redirty:
	redirty_page_for_writepage(wbc, page);
	unlock_page(page);
	return err;
}

/**
 * ext4_writepages() - ->writepages: write the mapping's dirty pages
 * @mapping: the file's page cache
 * @wbc:     sync mode and counters
 *
 * The generic loop's order per page (lock, skip or wait on writeback),
 * then: check the buffers (mpage_check_buffers()), clear_page_dirty_for_io(),
 * allocate delayed blocks, set_page_writeback(), unlock, submit.
 *
 * Return: 0 or the first error.
 */
static int ext4_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	return write_cache_pages_check(mapping, wbc, mpage_check_buffers,
				       mpage_submit_page);
}

/**
 * ext4_writepage() - ->writepage: write one locked page for pageout()
 * @page: locked, PG_dirty cleared by clear_page_dirty_for_io()
 * @wbc:  for_reclaim
 *
 * Block allocation is impossible from reclaim: a page whose block is
 * still delayed (or that gets no bio) is redirtied and left for the flusher.
 *
 * Return: 0.
 */
static int ext4_writepage(struct page *page, struct writeback_control *wbc)
{
	struct buffer_head *bh = ext4_writepage_buffers(page);

	if (!buffer_test(bh, BH_Mapped))
		goto out_redirty;
	if (ext4_bio_write_page(page, bh, wbc))
		goto out_redirty;
	return 0;

out_redirty:
	redirty_page_for_writepage(wbc, page);
	unlock_page(page);
	return 0;
}

/**
 * ext4_dirty_folio() - ->dirty_folio, the buffer-head way
 * @mapping: the file's page cache
 * @page:    the page being dirtied
 *
 * Since 4.10 (6dcc693bc57f; 4.20's ext4_set_page_dirty()) ext4 warns
 * when a page is dirtied from outside its own paths: one neither locked
 * nor dirty already (nobody is holding it for ->page_mkwrite() or
 * ->write_begin()), and one without buffers (nobody gave it any).  Both
 * bases.  Then block_dirty_folio() as before.
 *
 * Return: true if the page was clean.
 */
static bool ext4_dirty_folio(struct address_space *mapping, struct page *page)
{
	WARN_ON_ONCE(!PageLocked(page) && !PageDirty(page));
	WARN_ON_ONCE(!page_has_buffers(page));
	return block_dirty_folio(mapping, page);
}

/* ext4_release_folio(): ->release_folio (no journal in pinlab). */
static bool ext4_release_folio(struct page *page)
{
	return try_to_free_buffers(page);
}

/**
 * ext4_read_folio() - ->read_folio: fill a locked page from its block
 * @page: locked, not up to date
 *
 * mpage_read_folio() of the page's block: a hole or a block not yet
 * allocated reads as zeros.
 *
 * Return: 0, or -ENOMEM when no bio could be had; the page is unlocked.
 */
static int ext4_read_folio(struct page *page)
{
	struct inode *inode = page_inode(page);

	kobj_read(&inode->i_blocks[page->index]);
	return mpage_read_folio(page, i_block_read(inode, page->index));
}

/**
 * ext4_da_write_begin() - ->write_begin with delayed allocation
 * @mapping: the file's page cache
 * @index:   page to write
 * @pagep:   set to the page, locked and with a reference
 *
 * block_write_begin() (the page, locked and stable), then attach the
 * buffer and reserve a delayed block where the file has none.
 *
 * Return: 0 or -ENOMEM.
 */
static int ext4_da_write_begin(struct address_space *mapping, pgoff_t index,
			       struct page **pagep)
{
	int err = block_write_begin(mapping, index, pagep);

	if (!err)
		ext4_da_get_block_prep(*pagep);
	return err;
}

/**
 * ext4_da_write_end() - ->write_end: the data is in the page
 * @mapping: the file's page cache
 * @page:    the page from ext4_da_write_begin()
 *
 * block_commit_write(): the buffer is up to date and dirty, and so the
 * page; then unlock and drop the reference.
 *
 * Return: 0.
 */
static int ext4_da_write_end(struct address_space *mapping, struct page *page)
{
	struct buffer_head *bh = page_private(page);

	(void)mapping;
	buffer_set(bh, BH_Uptodate);
	SetPageUptodate(page);
	mark_buffer_dirty(bh);
	unlock_page(page);
	put_page(page);
	return 0;
}

/*
 * ext4_mkwrite(): block_page_mkwrite()'s get_block part on the locked
 * page: attach the buffer and map or reserve its block, mark the page
 * dirty, then wait for stable pages.
 */
static void ext4_mkwrite(struct inode *inode, struct page *page)
{
	ext4_da_get_block_prep(page);
	/* block_page_mkwrite()'s folio_mark_dirty(): PG_reclaim goes first. */
	if (PageReclaim(page))
		page_clear_flag(page, PG_reclaim);
	block_dirty_folio(inode->i_mapping, page);
	folio_wait_stable(page);
}

/**
 * ext4_page_mkwrite() - a clean page of a shared mapping is being written
 * @vmf: the write fault, with the page referenced
 *
 * block_page_mkwrite() with ext4_mkwrite(): lock the page, check it is
 * still the file's and within EOF, then ext4's part.
 *
 * Return: VM_FAULT_LOCKED with the page locked, or VM_FAULT_NOPAGE.
 */
static int ext4_page_mkwrite(struct vm_fault *vmf)
{
	return block_page_mkwrite(vmf, ext4_mkwrite);
}

static const struct address_space_operations ext4_da_aops = {
	.writepages	= ext4_writepages,
	.writepage	= ext4_writepage,
	.dirty_folio	= ext4_dirty_folio,
	.release_folio	= ext4_release_folio,
	.read_folio	= ext4_read_folio,
	.write_begin	= ext4_da_write_begin,
	.write_end	= ext4_da_write_end,
};

static const struct vm_operations_struct ext4_file_vm_ops = {
	.page_mkwrite	= ext4_page_mkwrite,
};

const struct fs_profile ext4_profile = {
	.name		= "ext4",
	.a_ops		= &ext4_da_aops,
	.vm_ops		= &ext4_file_vm_ops,
	.dirty_tracked	= true,
	.has_disk	= true,
	.buffers	= true,
	.setattr_size	= generic_setattr_size,
	.punch_hole	= generic_punch_hole,
};
