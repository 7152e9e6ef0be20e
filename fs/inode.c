/* inode.c - an inode's direct I/O in flight and the release of its blocks. */
#include <pinlab/blkdev.h>
#include <pinlab/fs.h>

/**
 * inode_dio_begin() - a direct I/O on @inode starts
 */
void inode_dio_begin(struct inode *inode)
{
	kobj_write(&inode->i_dio_count);
	atomic_fetch_add(&inode->i_dio_count, 1);
}

/**
 * inode_dio_end() - it is done: wake inode_dio_wait() at the last one
 */
void inode_dio_end(struct inode *inode)
{
	kobj_write(&inode->i_dio_count);
	if (atomic_fetch_sub(&inode->i_dio_count, 1) == 1)
		wake_up(&inode->i_dio_wait);
}

static bool inode_dio_done(struct inode *inode)
{
	kobj_read(&inode->i_dio_count);
	return atomic_load(&inode->i_dio_count) == 0;
}

/**
 * inode_dio_wait() - wait for the direct I/O in flight *on* @inode
 * @inode: the file
 *
 * Only I/O to or from @inode itself counts: a direct read of another file
 * whose user buffer is a page of @inode is not waited for.
 *
 * Context: sleeps; the caller holds i_rwsem so that no new I/O starts.
 */
void inode_dio_wait(struct inode *inode)
{
	wait_event(&inode->i_dio_wait, inode_dio_done(inode));
}

/*
 * The file's reference on the block of page @i goes: a block a reflink
 * shares stays for the other file (xfs_refcount_decrease_extent()); a COW
 * fork extent over the page is cancelled with it
 * (xfs_reflink_cancel_cow_range()).
 */
static void inode_remove_block(struct inode *inode, pgoff_t i)
{
	long block;

	kobj_write(&inode->i_blocks[i]);
	block = inode->i_blocks[i];
	inode->i_blocks[i] = -1;
	if (block >= 0)
		disk_block_put(inode->i_world, block);
	kobj_write(&inode->i_cow_blocks[i]);
	block = inode->i_cow_blocks[i];
	inode->i_cow_blocks[i] = XFS_COW_NONE;
	if (block >= 0)
		disk_block_put(inode->i_world, block);
}

void inode_remove_blocks(struct inode *inode, pgoff_t start, pgoff_t end)
{
	pgoff_t i;

	for (i = start; i < min_t(pgoff_t, end, MM_PAGES_MAX); i++)
		inode_remove_block(inode, i);
}

