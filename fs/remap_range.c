/* remap_range.c - FICLONE: the VFS side of sharing one file's blocks with another. */
#include <errno.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>

int vfs_clone_file_range(struct inode *src, struct inode *dst)
{
	if (src == dst)
		return -EINVAL;
	if (!src->i_sb->remap_file_range)
		return -EOPNOTSUPP;
	return src->i_sb->remap_file_range(src, dst);
}
