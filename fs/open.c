/* open.c - truncate(2) and fallocate(2) of a hole: the VFS entry points into the filesystem's methods. */
#include <errno.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>

int vfs_truncate(struct inode *inode, pgoff_t size)
{
	if (size > MM_PAGES_MAX)
		return -EFBIG;
	if (!inode->i_sb->setattr_size)
		return -EOPNOTSUPP;
	return inode->i_sb->setattr_size(inode, size);
}

int vfs_punch_hole(struct inode *inode, pgoff_t index, pgoff_t nr)
{
	if (nr == 0 || index >= MM_PAGES_MAX)
		return -EINVAL;
	if (!inode->i_sb->punch_hole)
		return -EOPNOTSUPP;
	return inode->i_sb->punch_hole(inode, index, nr);
}
