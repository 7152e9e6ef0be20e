/* kernel-ops-file.c - file I/O on the kernel: pwrite, pread, fsync, writeback, O_DIRECT, ondisk. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/fiemap.h>
#include <linux/fs.h>

#include <pinlab/bug.h>

#include "kernel.h"

/* write(A, i, v): pwrite(2) of the page through the page cache. */
static s64 k_write(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	s64 buf[KWORDS];

	(void)st;
	kpage_fill(buf, argv[2]);
	if (pwrite(kfile_of(th, argv[0])->fd, buf, KPAGE, argv[1] * KPAGE) != KPAGE)
		return kneg_errno();
	return 0;
}

/* r = read(A, i): pread(2); beyond EOF reads nothing, the model's 0. */
static s64 k_read(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	s64 buf[KWORDS];
	ssize_t n;

	(void)st;
	n = pread(kfile_of(th, argv[0])->fd, buf, KPAGE, argv[1] * KPAGE);
	if (n < 0)
		return -errno;
	return kpage_got(buf, n);
}

static s64 k_fsync(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return fsync(kfile_of(th, argv[0])->fd) ? -errno : 0;
}

/* sync(): syncfs(2) of the test's filesystem, the same path limited to it. */
static s64 k_sync(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	(void)argv;
	if (th->it->t->nr_files)
		syncfs(kfile_of(th, 0)->fd);
	return 0;
}

/* writeback(A, mode): sync_file_range(); WRITE_AND_WAIT is WB_SYNC_ALL in the kernel. */
static s64 k_writeback(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	const struct lt_const *all = litmus_find_const("WB_SYNC_ALL", 11);
	unsigned int flags = SYNC_FILE_RANGE_WRITE;

	(void)st;
	if (all && argv[1] == all->value)
		flags = SYNC_FILE_RANGE_WRITE_AND_WAIT;
	return sync_file_range(kfile_of(th, argv[0])->fd, 0, 0, flags) ? -errno : 0;
}

/* r = dio_read(B, j, A, i): pread(2) with O_DIRECT from B into A's mapping. */
static s64 k_dio_read(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct kfile *src = kfile_of(th, argv[0]);
	volatile s64 *dst = kmap_page(th, argv[2], argv[3]);
	ssize_t n;

	(void)st;
	if (!dst)
		return -EFAULT;
	if (src->dfd < 0)
		return -EINVAL;
	n = pread(src->dfd, (void *)dst, KPAGE, argv[1] * KPAGE);
	return n < 0 ? -errno : 0;
}

/* FS_IOC_FIEMAP's header and room for the one extent asked for, aligned for both. */
#define FIEMAP_WORDS	((sizeof(struct fiemap) + sizeof(struct fiemap_extent)) / sizeof(u64) + 1)

/* Where page @i of @kf is on the device (in-memory extent map). Return: 1, 0 (hole), -errno */
static int page_extent(struct kfile *kf, s64 i, u64 *byte, char *why, size_t len)
{
	const u32 odd = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_ENCODED |
			FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE;
	u64 raw[FIEMAP_WORDS] = { 0 };
	struct fiemap *fm = (struct fiemap *)raw;
	struct fiemap_extent *e = &fm->fm_extents[0];

	fm->fm_start = i * KPAGE;
	fm->fm_length = KPAGE;
	fm->fm_extent_count = 1;
	if (ioctl(kf->fd, FS_IOC_FIEMAP, fm))
		return -errno;
	if (!fm->fm_mapped_extents || (e->fe_flags & FIEMAP_EXTENT_UNWRITTEN))
		return 0;	/* a hole, or allocated and never written: zeros */
	if (e->fe_flags & (odd | FIEMAP_EXTENT_DELALLOC)) {
		snprintf(why, len, "ondisk(): page %lld has no block yet or an odd extent "
			 "(FIEMAP flags %#x)", (long long)i, e->fe_flags);
		return -EOPNOTSUPP;
	}
	*byte = e->fe_physical + (i * KPAGE - e->fe_logical);
	return 1;
}

/*
 * r = ondisk(A, i): the block the in-memory extent map gives for the page
 * (FS_IOC_FIEMAP without FIEMAP_FLAG_SYNC), read from the loop device with
 * O_DIRECT: what a crash would leave, without writing anything back.
 */
static s64 k_ondisk(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct kfs *f = th->it->fs;
	char dev[32], why[KWHY_MAX];
	u64 byte = 0;
	s64 ret;
	int fd;

	(void)st;
	if (f->fs == LT_FS_TMPFS)
		return 0;	/* a crash leaves nothing of a tmpfs file */
	if (argv[1] < 0 || argv[1] >= kfile_of(th, argv[0])->nr)
		return -EINVAL;
	ret = page_extent(kfile_of(th, argv[0]), argv[1], &byte, why, sizeof(why));
	if (ret == -EOPNOTSUPP)
		kops_unmapped(th->it, "%s", why);
	if (ret <= 0)
		return ret;
	snprintf(dev, sizeof(dev), "/dev/loop%d", f->loop);
	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = kpage_pread(fd, byte);
	close(fd);
	return ret;
}

/* btrfs's FIEMAP gives addresses in its own chunk space, and ondisk() verifies csums. */
static bool check_ondisk(const struct litmus_test *t, const struct lt_stmt *st,
			 char *why, size_t len)
{
	(void)st;
	if (t->fs != LT_FS_BTRFS)
		return false;
	snprintf(why, len, "on btrfs FIEMAP gives logical addresses of btrfs's chunk space, "
		 "not device offsets, and a raw read would not verify the data checksum");
	return true;
}

static const struct kop file_ops[] = {
	{ "write", k_write, NULL, NULL },
	{ "read", k_read, NULL, NULL },
	{ "fsync", k_fsync, NULL, NULL },
	{ "sync", k_sync, NULL, NULL },
	{ "writeback", k_writeback, NULL, NULL },
	{ "dio_read", k_dio_read, NULL, NULL },
	{ "ondisk", k_ondisk, check_ondisk, NULL },
};

const struct kop_set kops_file = { file_ops, ARRAY_SIZE(file_ops) };
