/* open.c - truncate(2) and fallocate(2) of a hole: the VFS entry points and the steps the filesystems share. */
#include <errno.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>

/**
 * vfs_truncate() - do_truncate(): take i_rwsem, then ->setattr(ATTR_SIZE)
 * @inode: the file
 * @size:  its new size in pages
 *
 * Context: sleeps on i_rwsem and in the filesystem.
 *
 * Return: 0 or -errno: -EFBIG beyond the largest file, -EOPNOTSUPP for a
 * filesystem without the method, or what the method returned.
 */
int vfs_truncate(struct inode *inode, pgoff_t size)
{
	int err;

	if (size > MM_PAGES_MAX)
		return -EFBIG;
	if (!inode->i_sb->setattr_size)
		return -EOPNOTSUPP;
	mutex_lock(&inode->i_rwsem);
	err = inode->i_sb->setattr_size(inode, size);
	mutex_unlock(&inode->i_rwsem);
	return err;
}

/**
 * vfs_punch_hole() - vfs_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)
 * @inode: the file
 * @index: first page of the hole
 * @nr:    pages
 *
 * The VFS takes no lock here: each filesystem's ->fallocate takes its own.
 *
 * Return: 0 or -errno: -EINVAL for an empty or impossible range,
 * -EOPNOTSUPP for a filesystem without the method.
 */
int vfs_punch_hole(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	if (nr == 0 || index >= MM_PAGES_MAX)
		return -EINVAL;
	if (!inode->i_sb->punch_hole)
		return -EOPNOTSUPP;
	return inode->i_sb->punch_hole(inode, index, min_t(pgoff_t, nr, MM_PAGES_MAX - index));
}

/**
 * generic_setattr_size() - the ATTR_SIZE steps ext4_setattr(), btrfs_setsize()
 * and shmem_setattr() share
 * @inode: the file, i_rwsem held
 * @size:  the new size in pages
 *
 * Wait for direct I/O on the file (inode_dio_wait(); ext4 then takes the
 * invalidate lock, which faults take too), break layouts (ext4 does for
 * DAX; here the design's answer to pins, for every filesystem), write the
 * new size, then truncate_pagecache() and free the blocks beyond it
 * (ext4_truncate(), btrfs_truncate(); tmpfs has none).  A growing size only
 * changes i_size: the new pages are holes.
 *
 * Context: i_rwsem held; sleeps.
 *
 * Return: 0, or break_layouts()'s error, with nothing changed.
 */
int generic_setattr_size(struct inode *inode, pgoff_t size)
{
	pgoff_t oldsize;
	int err;

	inode_dio_wait(inode);
	filemap_invalidate_lock(inode->i_mapping);
	oldsize = i_size_load(inode);
	if (size < oldsize) {
		err = break_layouts(inode, size, oldsize - size, BREAK_UNMAP);
		if (err)
			goto out_unlock;
		oldsize = i_size_load(inode);	/* a lease break drops the locks */
	}
	i_size_write(inode, size);
	if (size < oldsize) {
		truncate_pagecache(inode, oldsize, size);
		inode_remove_blocks(inode, size, oldsize);
	}
	err = 0;
out_unlock:
	filemap_invalidate_unlock(inode->i_mapping);
	return err;
}

/**
 * generic_punch_hole() - the hole-punch steps ext4_punch_hole(),
 * btrfs_punch_hole() and shmem_fallocate() share
 * @inode: the file
 * @index: first page
 * @nr:    pages, within the largest file
 *
 * Under i_rwsem: wait for direct I/O, break layouts, write back and wait
 * for the range (ext4's flush, btrfs_wait_ordered_range(); tmpfs writes
 * nothing), truncate_pagecache_range(), then free the range's blocks.
 * Only the part below i_size is punched; the size stays (KEEP_SIZE).
 *
 * Context: takes i_rwsem; sleeps.
 *
 * Return: 0 or -errno from break_layouts() or the flush.
 */
int generic_punch_hole(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	pgoff_t end;
	int err;

	mutex_lock(&inode->i_rwsem);
	inode_dio_wait(inode);
	filemap_invalidate_lock(inode->i_mapping);
	end = min_t(pgoff_t, index + nr, i_size_load(inode));
	err = 0;
	if (index >= end)
		goto out_unlock;
	err = break_layouts(inode, index, end - index, BREAK_UNMAP);
	if (err)
		goto out_unlock;
	/* A lease break drops the locks: the file may have shrunk meanwhile. */
	end = min_t(pgoff_t, index + nr, i_size_load(inode));
	if (index >= end)
		goto out_unlock;
	err = filemap_write_and_wait_range(inode->i_mapping, index, end);
	if (err)
		goto out_unlock;
	truncate_pagecache_range(inode, index, end - index);
	inode_remove_blocks(inode, index, end);
out_unlock:
	filemap_invalidate_unlock(inode->i_mapping);
	mutex_unlock(&inode->i_rwsem);
	return err;
}
