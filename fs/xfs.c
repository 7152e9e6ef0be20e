/* xfs.c - an xfs-like filesystem: iomap without buffer heads, overwrite in place unless shared, a COW fork, reflink. */
#include <errno.h>
#include <pinlab/bio.h>
#include <pinlab/blkdev.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/writeback.h>
#include "internal.h"

/*
 * Two extent maps per file, as xfs keeps them: the data fork
 * (inode->i_blocks[], what reads see) and the COW fork
 * (inode->i_cow_blocks[], staging blocks for writes to shared extents).
 * Both are protected by the ILOCK in xfs; pinlab has no scheduling point
 * inside an ILOCK region, which gives the same exclusion.
 *
 * A write to a page whose data-fork block is shared must be told to the
 * filesystem first (->page_mkwrite or ->write_begin:
 * xfs_buffered_write_iomap_begin()), which reserves a COW-fork extent.
 * Writeback (xfs_map_blocks()) looks at the COW fork before the data fork:
 * a page with a COW reservation is written to a new block, remapped into
 * the data fork at completion (xfs_reflink_end_cow()).  A page dirtied
 * without being told (a device's DMA into a pinned page, then the
 * dirtying unpin) has no COW reservation, and xfs_map_blocks() writes it
 * through the data fork, in place, into the shared block.
 */

/* The data fork's block of page @index, -1 for a hole or delalloc. */
static long xfs_data_block(struct inode *inode, pgoff_t index)
{
	kobj_read(&inode->i_blocks[index]);
	return i_block_read(inode, index);
}

/* The COW fork's entry for page @index: XFS_COW_NONE, _DELALLOC or a block. */
static long xfs_cow_block(struct inode *inode, pgoff_t index)
{
	kobj_read(&inode->i_cow_blocks[index]);
	return inode->i_cow_blocks[index];
}

static void xfs_set_cow_block(struct inode *inode, pgoff_t index, long block)
{
	kobj_write(&inode->i_cow_blocks[index]);
	inode->i_cow_blocks[index] = block;
}

/*
 * xfs_reflink_trim_around_shared(): is the data-fork block of page @index
 * shared with another file (its refcount btree record above 1)?
 */
static bool xfs_reflink_shared(struct inode *inode, pgoff_t index)
{
	long block = xfs_data_block(inode, index);

	return block >= 0 && disk_block_refcount(inode->i_world, block) > 1;
}

/**
 * xfs_bmapi_reserve_delalloc() - reserve a COW-fork extent for page @index
 * @inode: the file
 * @index: the page
 *
 * A delayed allocation in the COW fork: no block yet, writeback allocates
 * one.  An extent already there (reserved, or allocated by a writeback in
 * flight) is kept.
 *
 * Context: under the ILOCK (no scheduling point).
 *
 * Return: true if a new reservation was made.
 */
static bool xfs_bmapi_reserve_delalloc(struct inode *inode, pgoff_t index)
{
	if (xfs_cow_block(inode, index) != XFS_COW_NONE)
		return false;
	xfs_set_cow_block(inode, index, XFS_COW_DELALLOC);
	inode_cost(inode)->cow_reservations++;
	return true;
}

/*
 * xfs_buffered_write_iomap_begin(): a write (->write_begin) or a write
 * fault (->page_mkwrite) is about to dirty page @index.  A shared block
 * gets its COW reservation (xfs_reflink_allocate_cow()); an unshared
 * block is overwritten in place; a hole gets a data-fork delalloc
 * reservation, which pinlab leaves implicit: writeback allocates a block
 * for a dirty page over a hole.
 */
static void xfs_buffered_write_iomap_begin(struct inode *inode, pgoff_t index)
{
	if (xfs_reflink_shared(inode, index))
		xfs_bmapi_reserve_delalloc(inode, index);
}

/*
 * xfs_bmapi_convert_delalloc() of the COW fork: writeback gives the
 * reservation its block.  Return: the block, or -ENOSPC.
 */
static long xfs_convert_cow_delalloc(struct inode *inode, pgoff_t index)
{
	long block = disk_alloc_block(inode->i_world);

	if (block >= 0)
		xfs_set_cow_block(inode, index, block);
	return block;
}

/*
 * xfs_bmapi_convert_delalloc() of the data fork: a dirty page over a hole
 * (written after a punch or a truncate) gets its block.
 * Return: the block, or -ENOSPC.
 */
static long xfs_convert_data_delalloc(struct inode *inode, pgoff_t index)
{
	long block = disk_alloc_block(inode->i_world);

	if (block < 0)
		return block;
	kobj_write(&inode->i_blocks[index]);
	inode->i_blocks[index] = block;
	return block;
}

/*
 * layout=cow, Dave Chinner's rule: a page that may still be DMA-pinned is
 * never overwritten in place, not even in an unshared block: each of its
 * writebacks takes a fresh COW reservation (as xfs's always_cow mode does
 * for every write), so that what is on disk only changes by a remap at
 * I/O completion, never under the device.
 */
static void xfs_cow_pinned_page(struct inode *inode, struct page *page)
{
	if (inode_policy(inode)->layout == LAYOUT_COW && page_maybe_dma_pinned(page))
		xfs_bmapi_reserve_delalloc(inode, page->index);
}

/**
 * xfs_map_blocks() - where writeback writes a locked page
 * @inode: the file
 * @page:  locked, PG_dirty cleared by clear_page_dirty_for_io()
 * @cow:   set when the block is the COW fork's
 *
 * The COW fork first: a reservation is converted into a new block and the
 * page goes there.  Else the data fork: its block, shared or not (the
 * filesystem was not told about this write, or it would have reserved a
 * COW extent), or a new block for a hole.
 *
 * Context: under the ILOCK, shared (no scheduling point).
 *
 * Return: the block, or -ENOSPC.
 */
static long xfs_map_blocks(struct inode *inode, struct page *page, bool *cow)
{
	long block;

	xfs_cow_pinned_page(inode, page);
	block = xfs_cow_block(inode, page->index);
	*cow = block != XFS_COW_NONE;
	if (block == XFS_COW_DELALLOC)
		return xfs_convert_cow_delalloc(inode, page->index);
	if (*cow)
		return block;
	block = xfs_data_block(inode, page->index);
	if (block < 0)
		return xfs_convert_data_delalloc(inode, page->index);
	return block;
}

/**
 * xfs_reflink_end_cow() - a COW write is on disk: remap it into the data fork
 * @inode: the file
 * @index: the page
 * @block: the COW fork's block the page was written to
 *
 * The data fork now points at @block and the file's reference on the old
 * block is dropped (a reflink's other file keeps it); the COW fork entry
 * goes away.
 *
 * Context: I/O completion (xfs_end_ioend()), under the ILOCK.
 */
static void xfs_reflink_end_cow(struct inode *inode, pgoff_t index, long block)
{
	long old;

	kobj_write(&inode->i_blocks[index]);
	old = inode->i_blocks[index];
	inode->i_blocks[index] = block;
	if (old >= 0)
		disk_block_put(inode->i_world, old);
	xfs_set_cow_block(inode, index, XFS_COW_NONE);
}

/*
 * xfs_reflink_cancel_cow_range(): a failed COW write leaves the data fork
 * alone; the COW block is freed.
 */
static void xfs_reflink_cancel_cow(struct inode *inode, pgoff_t index, long block)
{
	disk_block_put(inode->i_world, block);
	xfs_set_cow_block(inode, index, XFS_COW_NONE);
}

/**
 * xfs_end_ioend() - completion of a page write
 * @bio: the bio, @bi_status set; @bi_private is the inode when the write
 *	 went to the COW fork
 *
 * A COW write is remapped (or cancelled if it failed) before the page
 * leaves writeback, so that whoever waited on it finds the data fork
 * pointing at its data; an error is recorded for fsync(2).  A bounce copy
 * from clear_page_dirty_for_io() is freed, then writeback ends.
 */
static void xfs_end_ioend(struct bio *bio)
{
	struct inode *cow_inode = bio->bi_private;
	struct page *page = bio_page(bio);

	if (bio->bi_status)
		mapping_set_error(page_mapping(page), bio->bi_status);
	if (cow_inode && bio->bi_status)
		xfs_reflink_cancel_cow(cow_inode, page->index, bio->bi_block);
	else if (cow_inode)
		xfs_reflink_end_cow(cow_inode, page->index, bio->bi_block);
	if (bio->bi_orig)
		put_page(bio->bi_page);
	end_page_writeback(page);
}

/**
 * xfs_writepage_map() - write one page for xfs_vm_writepages()
 * @page: locked, PG_dirty cleared by clear_page_dirty_for_io()
 * @wbc:  sync mode, counters, and a bounce copy in @wbc->bounce if any
 *
 * iomap_writepage_map() order: map the block (xfs_map_blocks()), add the
 * page to an ioend (iomap_alloc_ioend(): writepage_bio_alloc(), and the
 * inode in @bi_private for a COW write), then writepage_submit().
 *
 * Return: 0, or -errno with the page dirty again.
 */
static int xfs_writepage_map(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page_inode(page);
	struct bio *bio;
	bool cow;
	long block;
	int err;

	block = xfs_map_blocks(inode, page, &cow);
	if (block < 0) {
		err = (int)block;
		goto out_redirty;
	}
	bio = writepage_bio_alloc(page, block, wbc, xfs_end_ioend);
	if (!bio) {
		err = -ENOMEM;
		goto out_redirty;
	}
	bio->bi_private = cow ? inode : NULL;	/* the ioend's COW fork */
	writepage_submit(page, bio, wbc);
	return 0;

out_redirty:
	redirty_page_for_writepage(wbc, page);
	unlock_page(page);
	return err;
}

/**
 * xfs_vm_writepages() - ->writepages: iomap_writepages() over the mapping
 * @mapping: the file's page cache
 * @wbc:     sync mode and counters
 *
 * The generic loop per page (lock, skip or wait on writeback,
 * clear_page_dirty_for_io()), then xfs_writepage_map().  xfs has no
 * ->writepage: reclaim leaves its dirty pages to the flusher.
 *
 * Return: 0 or the first error.
 */
static int xfs_vm_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	return write_cache_pages(mapping, wbc, xfs_writepage_map);
}

/* iomap_release_folio(): nothing private to free. */
static bool xfs_release_folio(struct page *page)
{
	(void)page;
	return true;
}

/**
 * xfs_vm_read_folio() - ->read_folio: iomap_read_folio() from the data fork
 * @page: locked, not up to date
 *
 * Reads see the data fork only: a COW fork block is not the file's data
 * until xfs_reflink_end_cow() remaps it.  A hole reads as zeros.
 *
 * Return: 0, or -ENOMEM; the page is unlocked.
 */
static int xfs_vm_read_folio(struct page *page)
{
	struct inode *inode = page_inode(page);

	return mpage_read_folio(page, xfs_data_block(inode, page->index));
}

/**
 * xfs_write_begin() - ->write_begin of a buffered write (iomap_write_begin())
 * @mapping: the file's page cache
 * @index:   page to write
 * @pagep:   set to the page, locked and with a reference
 *
 * iomap_iter() maps first (xfs_buffered_write_iomap_begin(): a COW
 * reservation over a shared block), then block_write_begin().  The
 * caller holds the IOLOCK (i_rwsem), which reflink takes exclusively.
 *
 * Return: 0 or -ENOMEM.
 */
static int xfs_write_begin(struct address_space *mapping, pgoff_t index,
			   struct page **pagep)
{
	xfs_buffered_write_iomap_begin(mapping->host, index);
	return block_write_begin(mapping, index, pagep);
}

/*
 * iomap_page_mkwrite()'s iomap_iter() on the locked page: map it (a COW
 * reservation over a shared block), dirty it, wait for stable pages.
 */
static void xfs_mkwrite(struct inode *inode, struct page *page)
{
	xfs_buffered_write_iomap_begin(inode, page->index);
	filemap_dirty_folio(inode->i_mapping, page);
	folio_wait_stable(page);
}

/**
 * xfs_write_fault() - ->page_mkwrite of xfs (xfs_filemap_page_mkwrite())
 * @vmf: the write fault, with the page referenced
 *
 * iomap_page_mkwrite() (block_page_mkwrite() with xfs_mkwrite()) under
 * the MMAPLOCK, shared: do_page_mkwrite() takes it for every filesystem
 * (mapping->invalidate_lock).  A reflink,
 * which holds it exclusively while it flushes and shares the file's
 * blocks, keeps the fault out until the blocks are shared, and the fault
 * then reserves its COW extent.
 *
 * Return: VM_FAULT_LOCKED with the page locked, or VM_FAULT_NOPAGE.
 */
static int xfs_write_fault(struct vm_fault *vmf)
{
	return block_page_mkwrite(vmf, xfs_mkwrite);
}

/*
 * layout=cow: a source page a device may still write into (maybe pinned),
 * or one already dirtied behind the filesystem's back since the flush
 * (dirty now, under the MMAPLOCK that keeps faults out: only a device's
 * unpin can have done it), gets its COW reservation at once: its next
 * writeback goes to a new block and the clone keeps the old one.
 */
static void xfs_reflink_cow_pinned(struct inode *src, struct page *page)
{
	if (page_maybe_dma_pinned(page) || PageDirty(page))
		xfs_bmapi_reserve_delalloc(src, page->index);
}

/*
 * layout=cow: before a source page's block is shared, the page is locked
 * and any writeback of it waited for.  A flusher may have cleaned a page
 * an unpin dirtied after the reflink's flush and mapped it to the data
 * fork's block; sharing that block under the write in flight would let it
 * land in the clone.  With the page locked no new writeback starts until
 * the block is shared and the page's COW extent reserved.
 * Return: the page, locked and referenced, or NULL if it is not cached.
 */
static struct page *xfs_reflink_lock_page(struct inode *src, pgoff_t index)
{
	struct page *page = find_get_page(src->i_mapping, index);

	if (!page)
		return NULL;
	lock_page(page);
	wait_on_page_writeback(page);
	return page;
}

/*
 * xfs_reflink_remap_blocks(): share the source's blocks with the
 * destination, one extent per transaction: the ILOCKs are dropped between
 * extents (a scheduling point before each).
 */
static void xfs_reflink_remap_blocks(struct inode *src, struct inode *dst)
{
	struct page *page = NULL;
	pgoff_t i, size;

	size = i_size_load(src);
	for (i = 0; i < size; i++) {
		if (inode_policy(src)->layout == LAYOUT_COW)
			page = xfs_reflink_lock_page(src, i);
		__sched_point(&dst->i_blocks[i], KACC_WRITE, "xfs_reflink_remap_extent");
		remap_share_block(src, dst, i);
		if (!page)
			continue;
		xfs_reflink_cow_pinned(src, page);
		unlock_page(page);
		put_page(page);
		page = NULL;
	}
}

/**
 * xfs_file_remap_range() - ->remap_file_range: FICLONE of @src onto @dst
 * @src: the source file
 * @dst: the destination file
 *
 * xfs_reflink_remap_prep(): IOLOCKs, break layouts, MMAPLOCKs,
 * inode_dio_wait() on both, write back the source then the destination,
 * truncate the destination's page cache; then xfs_reflink_remap_blocks()
 * and xfs_reflink_update_dest().  The source's pages stay cached: one the
 * filesystem is not told about before it is written again (a device's
 * write and dirtying unpin) goes through the data fork into the shared
 * block, and the clone changes.
 *
 * Context: sleeps on the locks, in break_layouts() and in writeback.
 *
 * Return: 0 or -errno from break_layouts() or the flush.
 */
static int xfs_file_remap_range(struct inode *src, struct inode *dst)
{
	int err = remap_file_range_lock(src, dst);

	if (err)
		return err;
	err = generic_remap_file_range_prep(src, dst);
	if (err)
		goto out_unlock;
	remap_truncate_dest(dst);
	xfs_reflink_remap_blocks(src, dst);
	remap_update_dest_size(src, dst);
out_unlock:
	remap_file_range_unlock(src, dst);
	return err;
}

/**
 * xfs_setattr_size() - ->setattr_size: truncate(2) of @inode to @size pages
 * @inode: the file, i_rwsem (IOLOCK) held by vfs_truncate()
 * @size:  the new size in pages
 *
 * xfs_vn_setattr_size() order: MMAPLOCK exclusive, xfs_break_layouts()
 * for the pages that go (BREAK_UNMAP), then xfs_setattr_size():
 * inode_dio_wait() (under both locks, unlike ext4), the new size and
 * truncate_pagecache(), then xfs_itruncate_extents(): the blocks beyond
 * lose the file's reference (a reflinked block stays for the other file)
 * and COW fork extents over them are cancelled.  Growing only changes
 * i_size: the new pages are holes.
 *
 * Context: i_rwsem held; sleeps.
 *
 * Return: 0, or break_layouts()'s error with nothing changed.
 */
static int xfs_setattr_size(struct inode *inode, pgoff_t size)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t oldsize;
	int err = 0;

	filemap_invalidate_lock(mapping);
	oldsize = i_size_load(inode);
	if (size < oldsize) {
		err = break_layouts(inode, size, oldsize - size, BREAK_UNMAP);
		if (err)
			goto out_unlock;
	}
	inode_dio_wait(inode);
	i_size_write(inode, size);
	if (size < oldsize) {
		truncate_pagecache(inode, oldsize, size);
		inode_remove_blocks(inode, size, oldsize);
	}
out_unlock:
	filemap_invalidate_unlock(mapping);
	return err;
}

/**
 * xfs_free_file_space() - ->punch_hole: fallocate(PUNCH_HOLE | KEEP_SIZE)
 * @inode: the file
 * @index: first page
 * @nr:    pages, within the largest file
 *
 * xfs_file_fallocate() order: IOLOCK and MMAPLOCK exclusive,
 * xfs_break_layouts() (BREAK_UNMAP), inode_dio_wait(), then
 * xfs_free_file_space(): xfs_flush_unmap_range() writes back and waits
 * for the range and truncates its page cache, and the range's extents
 * are unmapped (shared blocks keep their other file).  Only the part
 * below i_size is punched; the size stays.
 *
 * Context: takes i_rwsem and the invalidate lock; sleeps.
 *
 * Return: 0 or -errno from break_layouts() or the flush.
 */
static int xfs_free_file_space(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t end;
	int err = 0;

	mutex_lock(&inode->i_rwsem);
	filemap_invalidate_lock(mapping);
	end = min_t(pgoff_t, index + nr, i_size_load(inode));
	if (index >= end)
		goto out_unlock;
	err = break_layouts(inode, index, end - index, BREAK_UNMAP);
	if (err)
		goto out_unlock;
	inode_dio_wait(inode);
	err = filemap_write_and_wait_range(mapping, index, end);
	if (err)
		goto out_unlock;
	truncate_pagecache_range(inode, index, end - index);
	inode_remove_blocks(inode, index, end);
out_unlock:
	filemap_invalidate_unlock(mapping);
	mutex_unlock(&inode->i_rwsem);
	return err;
}

static const struct address_space_operations xfs_address_space_operations = {
	.writepages	= xfs_vm_writepages,
	.dirty_folio	= filemap_dirty_folio,
	.release_folio	= xfs_release_folio,
	.read_folio	= xfs_vm_read_folio,
	.write_begin	= xfs_write_begin,
	.write_end	= generic_write_end,	/* iomap_write_end() */
};

static const struct vm_operations_struct xfs_file_vm_ops = {
	.page_mkwrite	= xfs_write_fault,
};

const struct fs_profile xfs_profile = {
	.name		= "xfs",
	.a_ops		= &xfs_address_space_operations,
	.vm_ops		= &xfs_file_vm_ops,
	.dirty_tracked	= true,
	.has_disk	= true,
	.buffers	= false,
	.setattr_size	= xfs_setattr_size,
	.punch_hole	= xfs_free_file_space,
	.remap_file_range = xfs_file_remap_range,
};
