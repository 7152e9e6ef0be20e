/* dax.h - fsdax: a file's pages are its disk blocks, mapped and pinned directly, no page cache. */
#ifndef PINLAB_DAX_H
#define PINLAB_DAX_H

#include <pinlab/mm_types.h>

/**
 * IS_DAX() - are @inode's pages its blocks (the test said dax = on)?
 */
static inline bool IS_DAX(const struct inode *inode)
{
	return inode->i_world->dax;
}

/**
 * dax_iomap_fault() - a fault on a DAX file: map the block's page itself
 * @vmf: the fault
 *
 * Context: the caller holds the invalidate lock shared for the whole fault,
 * as ext4's and xfs's DAX faults do.
 *
 * Return: 0 or VM_FAULT_SIGBUS (beyond EOF, no block left).
 */
int dax_iomap_fault(struct vm_fault *vmf);

s64 dax_read(struct inode *inode, pgoff_t index);

int dax_write(struct inode *inode, pgoff_t index, s64 v);

/**
 * dax_break_layout() - before blocks [@start, @end) of a DAX file are freed:
 * unmap them, then wait until no page of the range is in use
 * Return: 0
 */
int dax_break_layout(struct inode *inode, pgoff_t start, pgoff_t end);

long dax_iomap_lookup(struct inode *inode, pgoff_t index);
s64 dax_block_sector(struct mm_world *w, long block, int s);

/* The page cache methods of a DAX file: only ->dirty_folio, a no-op's. */
extern const struct address_space_operations dax_aops;


#endif /* PINLAB_DAX_H */
