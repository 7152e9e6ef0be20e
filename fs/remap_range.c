/* remap_range.c - FICLONE: the VFS side of sharing one file's blocks with another. */
#include <errno.h>
#include <pinlab/blkdev.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>

/*
 * lock_two_nondirectories(): both files' i_rwsem (xfs's IOLOCK), the
 * lower inode number first, so that two reflinks in opposite directions
 * cannot deadlock.
 */
static void lock_two_nondirectories(struct inode *a, struct inode *b)
{
	struct inode *first = a->i_ino < b->i_ino ? a : b;

	mutex_lock(&first->i_rwsem);
	mutex_lock(first == a ? &b->i_rwsem : &a->i_rwsem);
}

static void unlock_two_nondirectories(struct inode *a, struct inode *b)
{
	mutex_unlock(&b->i_rwsem);
	mutex_unlock(&a->i_rwsem);
}

/* filemap_invalidate_lock_two(): both MMAPLOCKs, in the same order. */
static void filemap_invalidate_lock_two(struct inode *a, struct inode *b)
{
	struct inode *first = a->i_ino < b->i_ino ? a : b;
	struct inode *second = first == a ? b : a;

	filemap_invalidate_lock(first->i_mapping);
	filemap_invalidate_lock(second->i_mapping);
}

static void filemap_invalidate_unlock_two(struct inode *a, struct inode *b)
{
	filemap_invalidate_unlock(b->i_mapping);
	filemap_invalidate_unlock(a->i_mapping);
}

/**
 * remap_file_range_lock() - take what a clone of @src onto @dst holds
 * while it flushes and shares blocks
 * @src: the source file
 * @dst: the destination file
 *
 * Both IOLOCKs (i_rwsem), both MMAPLOCKs (invalidate_lock), which keep
 * write faults (and the GUP behind them) out until the blocks are shared,
 * then the layouts of the source (BREAK_WRITE: its pages stay, their
 * blocks become shared) and of the destination (BREAK_UNMAP: its pages
 * and blocks go) are broken: the design's answer to a pinned page,
 * break_layouts().  xfs_ilock2_io_mmap() breaks layouts between the two
 * lock pairs; pinlab breaks them under the invalidate locks, as
 * break_layouts() requires of every caller, so that no new pin appears
 * behind the design's look at the pages.  A lease break that must be
 * waited for is waited for with every lock dropped, and the locking starts
 * again (xfs_iolock_two_inodes_and_break_layout()): dropping one file's
 * locks while the other's stay held would take an i_rwsem under an
 * invalidate lock, and two reflinks in opposite directions deadlock (the
 * debug build's lock-order checker found it).
 *
 * Context: sleeps on the locks, in break_layouts() and break_layout().
 *
 * Return: 0 with every lock held, or break_layouts()'s error with none.
 */
int remap_file_range_lock(struct inode *src, struct inode *dst)
{
	struct inode *blocked;
	int err;

again:
	lock_two_nondirectories(src, dst);
	filemap_invalidate_lock_two(src, dst);
	blocked = src;
	err = break_layouts(src, 0, i_size_load(src), BREAK_WRITE | BREAK_NOWAIT);
	if (!err) {
		blocked = dst;
		err = break_layouts(dst, 0, i_size_load(dst), BREAK_UNMAP | BREAK_NOWAIT);
	}
	if (!err)
		return 0;
	filemap_invalidate_unlock_two(src, dst);
	unlock_two_nondirectories(src, dst);
	if (err != -EWOULDBLOCK)
		return err;
	/* A lease is being broken: wait holding nothing, then start over. */
	err = break_layout(blocked, true);
	if (err)
		return err;
	goto again;
}

/**
 * remap_file_range_unlock() - drop what remap_file_range_lock() took
 * @src: the source file
 * @dst: the destination file
 */
void remap_file_range_unlock(struct inode *src, struct inode *dst)
{
	filemap_invalidate_unlock_two(src, dst);
	unlock_two_nondirectories(src, dst);
}

/**
 * generic_remap_file_range_prep() - make both files' blocks what their
 * pages say before they are shared
 * @src: the source file
 * @dst: the destination file
 *
 * __generic_remap_file_range_prep(): wait for direct I/O *on* each file
 * (inode_dio_wait(): not for an O_DIRECT read of another file whose
 * buffer is a page of @src), then write back and wait for the source,
 * then the destination.  The source's pages stay cached, clean and
 * write-protected: the next CPU write faults, and ->page_mkwrite learns
 * that the block is shared.  A page dirtied later without a fault (a
 * device's unpin) is not seen by anyone.
 *
 * Context: remap_file_range_lock() held; sleeps.
 *
 * Return: 0, or the flush's error.
 */
int generic_remap_file_range_prep(struct inode *src, struct inode *dst)
{
	int err;

	inode_dio_wait(src);
	inode_dio_wait(dst);
	err = filemap_write_and_wait(src->i_mapping);
	if (err)
		return err;
	return filemap_write_and_wait(dst->i_mapping);
}

/**
 * remap_truncate_dest() - drop the destination's page cache, so that its
 * reads see the shared blocks
 * @dst: the destination file
 *
 * xfs does it before sharing (xfs_reflink_remap_prep()), btrfs after
 * cloning (btrfs_clone_files()).  Pinned pages leave as truncate leaves
 * them: orphans.
 *
 * Context: remap_file_range_lock() held; sleeps on page locks.
 */
void remap_truncate_dest(struct inode *dst)
{
	truncate_inode_pages_range(dst->i_mapping, 0, i_size_load(dst));
}

/**
 * remap_share_block() - page @index of @dst now points at @src's block
 * @src:   the source file
 * @dst:   the destination file
 * @index: the page
 *
 * xfs_reflink_remap_extent(): the destination's old block loses its
 * reference (freed at zero), the source's gains one (shared), and the
 * destination's data fork points at it.  A hole in the source punches one
 * in the destination.
 *
 * Context: under both files' extent locks (xfs's ILOCK, btrfs's extent
 * lock): no scheduling point.
 */
void remap_share_block(struct inode *src, struct inode *dst, pgoff_t index)
{
	struct mm_world *w = src->i_world;
	long sblock, dblock;

	kobj_read(&src->i_blocks[index]);
	sblock = i_block_read(src, index);
	kobj_write(&dst->i_blocks[index]);
	dblock = dst->i_blocks[index];
	if (dblock >= 0)
		disk_block_put(w, dblock);
	if (sblock >= 0)
		disk_block_get(w, sblock);
	dst->i_blocks[index] = sblock;
}

/**
 * remap_update_dest_size() - the destination is at least as long as the
 * source (xfs_reflink_update_dest(), btrfs_clone_files())
 * @src: the source file
 * @dst: the destination file; its tail beyond @src's size stays
 */
void remap_update_dest_size(struct inode *src, struct inode *dst)
{
	pgoff_t size = i_size_load(src);

	if (size <= i_size_load(dst))
		return;
	i_size_write(dst, size);
}

/**
 * vfs_clone_file_range() - ioctl(FICLONE) of @src onto @dst
 * @src: the source file
 * @dst: the destination, on the same filesystem
 *
 * Return: 0, or -errno: -EINVAL for a file onto itself, -EOPNOTSUPP for a
 * filesystem without ->remap_file_range (ext4, tmpfs), or its error.
 */
int vfs_clone_file_range(struct inode *src, struct inode *dst)
{
	if (src == dst)
		return -EINVAL;
	if (!src->i_sb->remap_file_range)
		return -EOPNOTSUPP;
	return src->i_sb->remap_file_range(src, dst);
}
