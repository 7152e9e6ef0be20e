/* tmpfs.c - a tmpfs-like filesystem: page cache only, no writeback, no dirty tracking. */
#include <pinlab/blkdev.h>
#include <pinlab/fs.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/writeback.h>

/**
 * shmem_read_folio() - fill a page that tmpfs never created
 * @page: locked, not up to date
 *
 * shmem creates its pages zeroed.  Pages holding a file's initial values
 * are put in the cache by the world's creator and never come here.
 *
 * Return: 0; the page is up to date and unlocked.
 */
static int shmem_read_folio(struct page *page)
{
	clear_highpage(page);
	SetPageUptodate(page);
	unlock_page(page);
	return 0;
}

/*
 * No ->writepages and no ->writepage: the flusher and pageout() leave tmpfs
 * pages alone (shmem's ->writepage swaps, which pinlab does not model).
 * ->write_begin and ->write_end are the page cache's simple ones.
 * ->dirty_folio is noop_dirty_folio(): tmpfs pages have nothing to write
 * back; PG_dirty only tells reclaim and invalidation that the page holds
 * data.
 */
static const struct address_space_operations shmem_aops = {
	.dirty_folio	= filemap_dirty_folio,
	.read_folio	= shmem_read_folio,
};

/* No ->page_mkwrite: shared tmpfs mappings are not write-notified. */
static const struct vm_operations_struct shmem_vm_ops = {
	.page_mkwrite	= NULL,
};

const struct fs_profile tmpfs_profile = {
	.name		= "tmpfs",
	.a_ops		= &shmem_aops,
	.vm_ops		= &shmem_vm_ops,
	.dirty_tracked	= false,
	.has_disk	= false,
	.buffers	= false,
	.setattr_size	= generic_setattr_size,
	.punch_hole	= generic_punch_hole,
};
