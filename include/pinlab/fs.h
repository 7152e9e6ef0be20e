/* fs.h - the inode: its size, its direct I/O count, the release of its blocks; the filesystem profiles (fs/inode.c, fs/ext4.c, ...). */
#ifndef PINLAB_FS_H
#define PINLAB_FS_H

#include <pinlab/mm_types.h>

/**
 * i_size_write() - set the file's size in pages; the caller holds i_rwsem
 */
static inline void i_size_write(struct inode *inode, pgoff_t size)
{
	kobj_write(&inode->i_size);
	inode->i_size = (int)size;
}

void inode_dio_begin(struct inode *inode);
void inode_dio_end(struct inode *inode);
void inode_dio_wait(struct inode *inode);
/**
 * inode_remove_blocks() - the filesystem's extent removal for pages
 * [@start, @end): the blocks go back to the free space, the pages read as holes
 */
void inode_remove_blocks(struct inode *inode, pgoff_t start, pgoff_t end);

/* The filesystem profiles (fs/ext4.c, fs/btrfs.c, fs/xfs.c, fs/tmpfs.c). */
extern const struct fs_profile ext4_profile;
extern const struct fs_profile btrfs_profile;
extern const struct fs_profile xfs_profile;
extern const struct fs_profile tmpfs_profile;

#endif /* PINLAB_FS_H */
