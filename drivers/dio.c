/* dio.c - O_DIRECT read into a mapped file page: flush, map, pin, DMA from disk, dirty, release. */
#include <errno.h>
#include <pinlab/dax.h>
#include <pinlab/drivers.h>
#include <pinlab/mm.h>
#include <pinlab/policy.h>

/*
 * The iomap direct I/O read of one page (ext4 since 5.5):
 *
 *  __iomap_dio_rw()        nothing to read at or beyond EOF; flush the
 *                          source range (kiocb_write_and_wait())
 *  ->iomap_begin()         look up the source block
 *  iomap_dio_hole_iter()   a hole: zero the user buffer with a CPU store
 *  iomap_dio_bio_iter()    else take the buffer page (pinned where pins are
 *                          tracked), dirty it (bio_set_pages_dirty()) and
 *                          submit_bio(): the disk DMAs the block into it
 *  bio completion          bio_check_pages_dirty(): dirty it again if
 *                          writeback cleaned it meanwhile, then release it
 */

/* ext4_iomap_begin() - the disk block of page @index, -1 for a hole; under i_data_sem. */
static long dio_iomap_begin(struct inode *inode, pgoff_t index)
{
	long *block = &inode->i_blocks[index];

	__sched_point(block, KACC_READ, "ext4_iomap_begin");
	return i_block_read(inode, index);
}

/* iomap_dio_hole_iter() - a hole reads as zeroes, copied to the user buffer by the CPU. */
static int dio_hole_iter(struct mm_struct *mm, struct inode *dst, pgoff_t i)
{
	return mm_store(mm, dst, i, 0);
}

/*
 * bio_iov_iter_get_pages() - take the user buffer's page for the device to
 * write: iov_iter_extract_pages() pins it where pins are tracked; before
 * that, a plain reference from get_user_pages().
 */
static int dio_get_buffer_page(struct mm_struct *mm, struct inode *dst,
			       pgoff_t i, struct gup_handle *h)
{
	long ret;

	if (policy->pin != PIN_NONE)
		ret = pin_user_pages(mm, dst, i, 1, FOLL_WRITE, h);
	else
		ret = get_user_pages(mm, dst, i, 1, FOLL_WRITE, h);
	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -EFAULT;
}

/* bio_set_pages_dirty() - dirty the buffer pages before the device writes them. */
static void bio_set_pages_dirty(struct gup_handle *h)
{
	int k;

	for (k = 0; k < h->nr; k++)
		set_page_dirty_lock(h->pages[k]);
}

/* The disk DMAs @block into @page, one sector per step; no PTE is consulted. */
static void dio_submit_bio(struct mm_world *w, long block, struct page *page)
{
	s64 *src;
	int s;

	for (s = 0; s < page->nr_sectors; s++) {
		src = &w->disk[block].data[s];
		__sched_point(&page->data[s], KACC_WRITE, "submit_bio");
		kobj_read(src);
		page_write_sector(page, s, *src);
	}
}

/*
 * bio_check_pages_dirty() - at completion, a page writeback cleaned during
 * the transfer is dirtied again (bio_release_pages(bio, true)); then each
 * page is released as it was taken.
 */
static void bio_check_pages_dirty(struct gup_handle *h)
{
	struct page *page;
	int k;

	if (h->flags & FOLL_PIN) {
		unpin_user_pages_dirty_lock(h->pages, h->nr, true);
		return;
	}
	for (k = 0; k < h->nr; k++) {
		page = h->pages[k];
		__sched_point(&page->flags, KACC_READ, "bio_check_pages_dirty");
		if (!PageDirty(page)) {
			set_page_dirty_lock(page);
			__sched_point(&page->_refcount, KACC_WRITE,
				      "bio_release_pages");
		}
		put_page(page);
	}
}

/*
 * shmem_dio_read() - tmpfs accepts O_DIRECT since 6.6 ("tmpfs: trivial
 * support for direct IO", e88e0d366f9c) and shmem_file_read_iter() serves
 * it as a buffered read: copy_page_to_iter() from the page cache page into
 * the user buffer, one sector per step.  No page of the buffer is pinned.
 */
static int shmem_dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
			  struct inode *dst, pgoff_t i)
{
	struct page *page = filemap_get_page(src->i_mapping, j, false);
	int s, ret = 0;
	s64 v;

	if (!page)
		return -ENOMEM;
	for (s = 0; s < page->nr_sectors && !ret; s++) {
		__sched_point(&page->data[s], KACC_READ, "copy_page_to_iter");
		v = page_read_sector(page, s);
		ret = mm_store_sector(mm, dst, i, s, v);
	}
	put_page(page);
	return ret;
}

/*
 * dax_dio_read() - O_DIRECT from a DAX file is dax_iomap_rw(): the CPU
 * copies the block's sectors into the user buffer; no bio, no pin.
 */
static int dax_dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
			struct inode *dst, pgoff_t i)
{
	int s, ret = 0;
	s64 v;

	for (s = 0; s < src->i_world->sectors && !ret; s++) {
		dax_read_sector(src, j, s, &v);
		ret = mm_store_sector(mm, dst, i, s, v);
	}
	return ret;
}

/*
 * dio_source_ok() - open(O_DIRECT) of @src succeeds: a filesystem with a
 * disk, or tmpfs on base 6.18.  4.20's do_dentry_open() refused O_DIRECT
 * with -EINVAL to a mapping without ->direct_IO, which shmem had not.
 */
static bool dio_source_ok(struct inode *src)
{
	return src->i_sb->has_disk || policy->base == BASE_6_18;
}

/* i_size_read() */
static pgoff_t dio_i_size(struct inode *inode)
{
	kobj_read(&inode->i_size);
	return i_size_read(inode);
}

/**
 * dio_read() - O_DIRECT read of page @j of @src into the user buffer that
 * maps page @i of @dst in @mm
 * @mm:  the reading task's address space
 * @src: the file read with O_DIRECT
 * @j:   its page
 * @dst: the file whose mapping is the user buffer
 * @i:   the buffer's page in @dst
 *
 * A tmpfs @src (6.18 only) is copied by the CPU, as a buffered read.
 *
 * Return: 0 (also for @j at or beyond EOF: nothing is read), or -errno:
 * -EINVAL when @src is tmpfs on base 4.20, -EFAULT when the buffer cannot
 * be faulted in, or the flush's error.
 */
int dio_read(struct mm_struct *mm, struct inode *src, pgoff_t j,
	     struct inode *dst, pgoff_t i)
{
	struct gup_handle h;
	long block;
	int ret;

	if (!dio_source_ok(src))
		return -EINVAL;
	if (j >= dio_i_size(src))
		return 0;
	if (!src->i_sb->has_disk)
		return shmem_dio_read(mm, src, j, dst, i);
	if (IS_DAX(src))
		return dax_dio_read(mm, src, j, dst, i);
	ret = filemap_write_and_wait(src->i_mapping);
	if (ret)
		return ret;
	inode_dio_begin(src);
	block = dio_iomap_begin(src, j);
	if (block < 0) {
		ret = dio_hole_iter(mm, dst, i);
		goto out;
	}
	ret = dio_get_buffer_page(mm, dst, i, &h);
	if (ret)
		goto out;
	bio_set_pages_dirty(&h);
	dio_submit_bio(src->i_world, block, h.pages[0]);
	bio_check_pages_dirty(&h);
out:
	inode_dio_end(src);
	return ret;
}
