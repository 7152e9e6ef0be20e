/* layout.h - a file's layout changing under its pages: truncate, hole punch, reflink, and a design's answer to a pinned range. */
#ifndef PINLAB_LAYOUT_H
#define PINLAB_LAYOUT_H

#include <pinlab/mm_types.h>

/*
 * Who owns what (fs/layout.c, fs/locks.c, mm/truncate.c, fs/remap_range.c):
 * a layout change takes the inode's locks, calls break_layouts() for the
 * range it will change (the policy's layout knob decides what a pinned
 * page in the range means), and only then changes the page cache and the
 * blocks.
 */

/*
 * Why a layout breaks (xfs_break_layouts()'s reason): BREAK_WRITE keeps the
 * range's pages in the file but moves or shares their blocks (reflink);
 * BREAK_UNMAP takes pages and blocks away (truncate, hole punch).
 * BREAK_NOWAIT may be or'ed in by a caller that holds two files' locks: a
 * lease break that has to wait returns -EWOULDBLOCK instead of dropping
 * this file's locks alone (xfs_iolock_two_inodes_and_break_layout()).
 */
enum layout_break_reason {
	BREAK_WRITE = 0,	/* blocks change under cached pages: reflink */
	BREAK_UNMAP = 1,	/* pages and blocks leave the file: truncate, punch */
	BREAK_NOWAIT = 2,	/* modifier: never drop the locks, -EWOULDBLOCK */
};

/**
 * break_layouts() - a layout change of pages [@index, @index + @nr) of
 * @inode is about to happen; apply the policy's answer to pinned pages
 * @inode:  the file whose layout changes
 * @index:  first page of the range
 * @nr:     pages in the range
 * @reason: BREAK_WRITE or BREAK_UNMAP, with BREAK_NOWAIT or'ed in by a
 *          caller that holds another file's locks too
 *
 * layout=cow copies on write only where there is a block to keep
 * (BREAK_WRITE; the remap reserves the COW blocks itself); a BREAK_UNMAP
 * under cow fails as layout=fail does, since the pinned page's data would
 * have no home in the file.
 *
 * Context: the caller holds @inode->i_rwsem and the invalidate lock.  A
 * scheduling point when it waits (layout=block, layout=lease-break);
 * layout=lease-break drops both locks while it sleeps and retakes them,
 * so the file may have changed when it returns; with BREAK_NOWAIT it only
 * starts the break and never sleeps.
 *
 * Return: 0 to go on with the change, or -errno to fail it (-EBUSY under
 * layout=fail, or cow for BREAK_UNMAP, when a page of the range may be
 * DMA-pinned; -EWOULDBLOCK with BREAK_NOWAIT when a lease break must be
 * waited for with break_layout(@inode, true), every lock dropped).
 */
int break_layouts(struct inode *inode, pgoff_t index, pgoff_t nr,
		  enum layout_break_reason reason);

bool mapping_range_maybe_pinned(struct address_space *mapping, pgoff_t index, pgoff_t nr);

int vfs_truncate(struct inode *inode, pgoff_t size);

int vfs_punch_hole(struct inode *inode, pgoff_t index, pgoff_t nr);

int generic_setattr_size(struct inode *inode, pgoff_t size);
int generic_punch_hole(struct inode *inode, pgoff_t index, pgoff_t nr);

int vfs_clone_file_range(struct inode *src, struct inode *dst);

/*
 * The steps of a clone the filesystems share (fs/remap_range.c), called
 * by ->remap_file_range in xfs_file_remap_range() order:
 * remap_file_range_lock(), generic_remap_file_range_prep(),
 * remap_truncate_dest() (xfs: here; btrfs: after sharing),
 * remap_share_block() per page, remap_update_dest_size(),
 * remap_file_range_unlock().
 */

int remap_file_range_lock(struct inode *src, struct inode *dst);
void remap_file_range_unlock(struct inode *src, struct inode *dst);
int generic_remap_file_range_prep(struct inode *src, struct inode *dst);
void remap_truncate_dest(struct inode *dst);
void remap_share_block(struct inode *src, struct inode *dst, pgoff_t index);
void remap_update_dest_size(struct inode *src, struct inode *dst);

#endif /* PINLAB_LAYOUT_H */
