/* btrfs.c - a btrfs-like filesystem: copy on write, data checksums computed at submission, stable writes. */
#include <errno.h>
#include <pinlab/bio.h>
#include <pinlab/blkdev.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/writeback.h>
#include "internal.h"

/*
 * btrfs_bio_alloc(): a bio transferring @page, with the file the data
 * belongs to for the completion (struct btrfs_bio's @inode).
 */
static struct bio *btrfs_bio_alloc(struct inode *inode, struct page *page, long block,
				   bool write, void (*end_io)(struct bio *bio))
{
	struct bio *bio = bio_alloc(page, block, write);

	if (!bio)
		return NULL;
	bio->bi_private = inode;
	bio->bi_end_io = end_io;
	return bio;
}

/*
 * btrfs_finish_ordered_io(): the data of the ordered extent is on disk:
 * the file extent item now points at the new extent, and the file's
 * reference on the old one is dropped (btrfs_drop_extents(); a reflinked
 * extent keeps its other references).  Until here the file kept its old
 * extent, and the old data stayed readable.
 */
static void btrfs_finish_ordered_io(struct inode *inode, pgoff_t index, long block)
{
	long old;

	kobj_write(&inode->i_blocks[index]);
	old = inode->i_blocks[index];
	inode->i_blocks[index] = block;
	if (old >= 0)
		disk_block_put(inode->i_world, old);
}

/*
 * end_bbio_data_write(): completion of a data write.  A failed write
 * drops the ordered extent (the file keeps its old extent) and records
 * the error for fsync(2); a good one finishes the ordered extent.  Only
 * then does the page leave writeback, so that whoever waited on it finds
 * the file pointing at its data: btrfs finishes ordered extents in a
 * worker, but readers and page release wait for pending ones, which pinlab
 * expresses by finishing it in the same step.  A bounce copy from
 * clear_page_dirty_for_io() is freed last.
 */
static void end_bbio_data_write(struct bio *bio)
{
	struct inode *inode = bio->bi_private;
	struct page *page = bio_page(bio);

	if (bio->bi_status) {
		mapping_set_error(inode->i_mapping, bio->bi_status);
		disk_block_put(inode->i_world, bio->bi_block);
	} else {
		btrfs_finish_ordered_io(inode, page->index, bio->bi_block);
	}
	end_page_writeback(page);
	if (bio->bi_orig)
		put_page(bio->bi_page);
}

/*
 * btrfs_csum_one_bio(): the data checksums of a write, computed as the bio
 * is submitted, one sector per step, over the page the device will read.
 * A device that writes the page after its sector was summed leaves a
 * block that fails its checksum: writeback needs stable data here.
 */
static void btrfs_csum_one_bio(struct bio *bio)
{
	struct page *src = bio->bi_page;
	int s;

	for (s = 0; s < src->nr_sectors; s++) {
		__sched_point(&src->data[s], KACC_READ, "btrfs_csum_one_bio");
		bio->bi_csum[s] = sector_csum(page_read_sector(src, s));
	}
	bio->bi_has_csum = true;
}

/* btrfs_submit_bio(): checksum a data write, then hand it to the block layer. */
static void btrfs_submit_bio(struct bio *bio)
{
	if (bio->bi_write)
		btrfs_csum_one_bio(bio);
	submit_bio(bio);
}

/*
 * cow_file_range(): copy on write: every write of the page gets a new
 * extent; the old one is left alone until the ordered extent finishes.
 * Return: the new block, or -ENOSPC.
 */
static long cow_file_range(struct inode *inode)
{
	return disk_alloc_block(inode->i_world);
}

/*
 * extent_writepage(): write one page for btrfs_writepages().  The page comes
 * locked with PG_dirty cleared by clear_page_dirty_for_io(), and
 * @wbc->bounce holds its bounce copy if it got one: the bio then carries
 * the copy and takes it over.
 *
 * In btrfs's order: allocate a new extent (writepage_delalloc() ->
 * cow_file_range()), put the page under writeback and into a bio, unlock
 * the page, then submit: the checksums are computed as the bio is
 * submitted (btrfs_submit_bio() -> btrfs_csum_one_bio()), after the page
 * lock is dropped.
 *
 * A page that cannot be written now stays dirty for a later pass
 * (folio_redirty_for_writepage(); btrfs's own accounting of the delalloc
 * range has no counterpart here).
 *
 * Return: 0 or -errno (the page is then dirty again).
 */
static int extent_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page_inode(page);
	struct bio *bio;
	long block;
	int err;

	block = cow_file_range(inode);
	if (block < 0) {
		err = (int)block;
		goto out_redirty;
	}
	bio = btrfs_bio_alloc(inode, wbc->bounce ? wbc->bounce : page, block, true,
			      end_bbio_data_write);
	if (!bio) {
		err = -ENOMEM;
		goto out_redirty;
	}
	if (wbc->bounce) {
		bio->bi_orig = page;
		wbc->bounce = NULL;
	}
	set_page_writeback(page);
	unlock_page(page);
	btrfs_submit_bio(bio);
	wbc->pages_written++;
	return 0;

out_redirty:
	redirty_page_for_writepage(wbc, page);
	unlock_page(page);
	return err;
}

/**
 * btrfs_writepages() - ->writepages: write the mapping's dirty pages
 * @mapping: the file's page cache
 * @wbc:     sync mode and counters
 *
 * The generic loop (btrfs has its own copy of it,
 * extent_write_cache_pages(), with the same steps per page: lock, skip or
 * wait on writeback, clear_page_dirty_for_io()), then extent_writepage().
 * btrfs has no ->writepage: reclaim leaves its dirty pages to the flusher.
 *
 * Return: 0 or the first error.
 */
static int btrfs_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	return write_cache_pages(mapping, wbc, extent_writepage);
}

/* btrfs_release_folio(): ->release_folio.  pinlab keeps nothing private. */
static bool btrfs_release_folio(struct page *page)
{
	(void)page;
	return true;
}

/**
 * btrfs_read_folio() - ->read_folio: fill a locked page from its extent
 * @page: locked, not up to date
 *
 * Reads the extent the file points at now.  The block layer verifies the
 * data against the checksums stored with the block (a block written
 * without them, as the files' initial contents are, is nodatasum and
 * always valid); a block that fails them (bi_status -EIO) leaves the page
 * not up to date, and read(2) fails with -EIO.  A hole reads as zeros.
 *
 * Return: 0, or -ENOMEM; the page is unlocked, and up to date unless the
 * read failed.
 */
static int btrfs_read_folio(struct page *page)
{
	struct inode *inode = page_inode(page);

	kobj_read(&inode->i_blocks[page->index]);
	return mpage_read_folio(page, i_block_read(inode, page->index));
}

/*
 * btrfs_mkwrite(): btrfs's part of a write fault, on the locked page: wait
 * until writeback is done with it (stable writes: the checksums of the
 * write in flight must keep matching), then mark it dirty.
 */
static void btrfs_mkwrite(struct inode *inode, struct page *page)
{
	folio_wait_stable(page);
	filemap_dirty_folio(inode->i_mapping, page);
}

/**
 * btrfs_page_mkwrite() - a clean page of a shared mapping is being written
 * @vmf: the write fault, with the page referenced
 *
 * Under the inode's i_mmap_lock, shared (do_page_mkwrite() takes the
 * mapping's invalidate_lock), which a reflink holds exclusively: lock the
 * page, check it is still the file's and within EOF, then btrfs_mkwrite().
 *
 * Return: VM_FAULT_LOCKED with the page locked, or VM_FAULT_NOPAGE.
 */
static int btrfs_page_mkwrite(struct vm_fault *vmf)
{
	return block_page_mkwrite(vmf, btrfs_mkwrite);
}

/*
 * btrfs_clone(): the destination's file extent items now point at the
 * source's extents, one item per transaction (a scheduling point before
 * each).
 */
static void btrfs_clone(struct inode *src, struct inode *dst)
{
	pgoff_t i, size;

	size = i_size_load(src);
	for (i = 0; i < size; i++) {
		__sched_point(&dst->i_blocks[i], KACC_WRITE, "btrfs_clone");
		remap_share_block(src, dst, i);
	}
}

/**
 * btrfs_remap_file_range() - ->remap_file_range: FICLONE of @src onto @dst
 * @src: the source file
 * @dst: the destination file
 *
 * Both inode locks and both i_mmap_locks (the mapping's invalidate_lock
 * here), break layouts (a design's hook: btrfs has no layout leases),
 * btrfs_remap_file_range_prep(): inode_dio_wait() on both, flush and wait
 * for the ordered extents of the source then the destination; then
 * btrfs_clone_files(): clone the extent items, the destination's size,
 * truncate its page cache.  Every later write of a source page goes to a
 * new extent, told or not (a page dirtied without ->page_mkwrite is
 * picked up by the writepage fixup worker, which reserves its delalloc
 * space: only CONFIG_BTRFS_EXPERIMENTAL builds refuse it with -EUCLEAN):
 * the clone never changes, and layout=cow needs nothing more here.
 *
 * Context: sleeps on the locks, in break_layouts() and in writeback.
 *
 * Return: 0 or -errno from break_layouts() or the flush.
 */
static int btrfs_remap_file_range(struct inode *src, struct inode *dst)
{
	int err = remap_file_range_lock(src, dst);

	if (err)
		return err;
	err = generic_remap_file_range_prep(src, dst);
	if (err)
		goto out_unlock;
	btrfs_clone(src, dst);
	remap_update_dest_size(src, dst);
	remap_truncate_dest(dst);
out_unlock:
	remap_file_range_unlock(src, dst);
	return err;
}

/*
 * ->write_begin is prepare_pages(): find or create the page, lock it and
 * wait until writeback is done with it (btrfs needs stable pages for its
 * checksums); no extent is allocated then, that waits for writeback
 * (delalloc).  ->write_end is btrfs_dirty_pages(): up to date and dirty.
 */
static const struct address_space_operations btrfs_aops = {
	.writepages	= btrfs_writepages,
	.dirty_folio	= filemap_dirty_folio,
	.release_folio	= btrfs_release_folio,
	.read_folio	= btrfs_read_folio,
	.write_begin	= block_write_begin,
	.write_end	= generic_write_end,
};

static const struct vm_operations_struct btrfs_file_vm_ops = {
	.page_mkwrite	= btrfs_page_mkwrite,
};

const struct fs_profile btrfs_profile = {
	.name		= "btrfs",
	.a_ops		= &btrfs_aops,
	.vm_ops		= &btrfs_file_vm_ops,
	.dirty_tracked	= true,
	.has_disk	= true,
	.buffers	= false,
	.stable_writes	= true,
	.setattr_size	= generic_setattr_size,
	.punch_hole	= generic_punch_hole,
	.remap_file_range = btrfs_remap_file_range,
};
