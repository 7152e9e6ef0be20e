/* kernel-ops-gup.c - pins on the kernel: io_uring registered buffers, their DMA, unpinning. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinlab/bug.h>

#include "kernel.h"

#define RING_ENTRIES	4	/* one fixed read at a time per pin */

static s64 foll(const char *name)
{
	const struct lt_const *c = litmus_find_const(name, strlen(name));

	return c ? c->value : 0;
}

/* io_uring pins with pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), nothing else. */
static bool check_pin(const struct litmus_test *t, const struct lt_stmt *st,
		      char *why, size_t len)
{
	s64 want = foll("FOLL_WRITE") | foll("FOLL_LONGTERM");
	s64 flags = st->args[3].value & ~foll("FOLL_PIN");

	(void)t;
	if (flags != want) {
		snprintf(why, len, "flags other than FOLL_WRITE|FOLL_LONGTERM: io_uring buffer "
			 "registration, the only way to hold a pin from userspace, always pins "
			 "with exactly those");
		return true;
	}
	if (st->reg < 0) {
		snprintf(why, len, "its pages are kept in no register");
		return true;
	}
	return false;
}

/* r = pin_user_pages*(A, i, n, FOLL_WRITE|FOLL_LONGTERM): io_uring_register_buffers(). */
static s64 k_pin(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct khandle *h = &th->h[st->reg];
	struct kfile *kf = kfile_of(th, argv[0]);
	struct iovec iov;
	int ret;

	if (argv[2] < 1 || argv[1] < 0 || argv[1] + argv[2] > kf->nr)
		return -EINVAL;
	if (h->live)
		kops_unmapped(th->it, "r%d = %s: r%d still holds a pin", st->reg,
			      st->op->name, st->reg);
	ret = io_uring_queue_init(RING_ENTRIES, &h->ring, 0);
	if (ret < 0) {
		kops_unmapped(th->it, "io_uring_queue_init: %s", strerror(-ret));
		return ret;
	}
	iov.iov_base = kf->map + argv[1] * KPAGE;
	iov.iov_len = argv[2] * KPAGE;
	ret = io_uring_register_buffers(&h->ring, &iov, 1);
	if (ret < 0) {
		io_uring_queue_exit(&h->ring);
		return ret;
	}
	h->live = true;
	h->file = argv[0];
	h->first = argv[1];
	h->nr = argv[2];
	return argv[2];
}

/* One fixed-buffer I/O of page @k of @h against @fd. Return: 0 or -errno */
static s64 fixed_io(struct khandle *h, s64 k, int fd, bool to_page, struct kiter *it)
{
	void *addr = it->files[h->file].map + (h->first + k) * KPAGE;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&h->ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	if (to_page)
		io_uring_prep_read_fixed(sqe, fd, addr, KPAGE, 0, 0);
	else
		io_uring_prep_write_fixed(sqe, fd, addr, KPAGE, 0, 0);
	ret = io_uring_submit_and_wait(&h->ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(&h->ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&h->ring, cqe);
	if (ret < 0)
		return ret;
	return ret == KPAGE ? 0 : -EIO;
}

/* dma_write(r, k, v): IORING_OP_READ_FIXED of a page holding v into the pinned page. */
static s64 k_dma_write(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct khandle *h = &th->h[argv[0]];
	int src;

	(void)st;
	if (!h->live || argv[1] < 0 || argv[1] >= h->nr)
		return -EFAULT;
	src = kfs_source(th->it->fs, argv[2]);
	if (src < 0) {
		kops_unmapped(th->it, "dma_write(): source page of %lld: %s",
			      (long long)argv[2], strerror(-src));
		return src;
	}
	return fixed_io(h, argv[1], src, true, th->it);
}

/* An unnamed file on the test's filesystem, for dma_read() to write into. */
static int sink_open(struct kfs *f)
{
	int fd = open(f->mnt, O_TMPFILE | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EINVAL)
		fd = open(f->mnt, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

/* r = dma_read(h, k): IORING_OP_WRITE_FIXED of the pinned page to a sink, read back. */
static s64 k_dma_read(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct khandle *h = &th->h[argv[0]];
	s64 ret;
	int fd;

	(void)st;
	if (!h->live || argv[1] < 0 || argv[1] >= h->nr)
		return -EFAULT;
	fd = sink_open(th->it->fs);
	if (fd < 0) {
		kops_unmapped(th->it, "dma_read(): sink file: %s", strerror(-fd));
		return fd;
	}
	ret = fixed_io(h, argv[1], fd, false, th->it);
	if (!ret)
		ret = kpage_pread(fd, 0);
	close(fd);
	return ret;
}

/* The pin ends: io_uring_unregister_buffers() unpins without dirtying. */
static void unpin(struct khandle *h)
{
	io_uring_unregister_buffers(&h->ring);
	io_uring_queue_exit(&h->ring);
	h->live = false;
}

/* unpin_user_page(s)(r), unpin_user_pages_dirty_lock(r, false). */
static s64 k_unpin(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct khandle *h = &th->h[argv[0]];

	(void)st;
	if (!h->live)
		return -EFAULT;
	unpin(h);
	return 0;
}

/*
 * unpin_user_pages_dirty_lock(r, true): io_uring never dirties at unpin.
 * Faithful only for a register without pages (the pin failed): then both the
 * model and the kernel do nothing.  Pages actually pinned cannot be mirrored.
 */
static s64 k_unpin_dirty(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct khandle *h = &th->h[argv[0]];

	if (!argv[1])
		return k_unpin(th, st, argv);
	if (!h->live)
		return -EFAULT;
	kops_unmapped(th->it, "unpin_user_pages_dirty_lock(r%lld, true) on pages the kernel "
		      "did pin: io_uring unpins without set_page_dirty_lock()",
		      (long long)argv[0]);
	unpin(h);
	return 0;
}

static const struct kop gup_ops[] = {
	{ "pin_user_pages", k_pin, check_pin, NULL },
	{ "pin_user_pages_fast", k_pin, check_pin, NULL },
	{ "dma_write", k_dma_write, NULL, NULL },
	{ "dma_read", k_dma_read, NULL, NULL },
	{ "unpin_user_page", k_unpin, NULL, NULL },
	{ "unpin_user_pages", k_unpin, NULL, NULL },
	{ "unpin_user_pages_dirty_lock", k_unpin_dirty, NULL, NULL },
};

const struct kop_set kops_gup = { gup_ops, ARRAY_SIZE(gup_ops) };

/**
 * kops_release() - unpin whatever @th still holds, after the epilogue
 * @th: the thread
 *
 * Return: how many registers still held a pin (the model's leak).
 */
int kops_release(struct kthread *th)
{
	int r, n = 0;

	for (r = 0; r < LT_NR_REGS; r++) {
		if (th->h[r].live) {
			unpin(&th->h[r]);
			n++;
		}
	}
	return n;
}
