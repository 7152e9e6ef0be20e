/* kernel-ops.c - each litmus operation as the syscall for the same kernel path, or a refusal. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/fiemap.h>
#include <linux/fs.h>

#include <pinlab/bug.h>

#include "kernel.h"

#define RING_ENTRIES	4	/* one fixed read at a time per pin */
#define WORDS		(KPAGE / sizeof(s64))

typedef s64 (*kop_fn)(struct kthread *th, const struct lt_stmt *st, const s64 *argv);
typedef bool (*kcheck_fn)(const struct litmus_test *t, const struct lt_stmt *st,
			  char *why, size_t len);

/**
 * struct kop - how `pinlab kernel` runs one litmus operation
 * @name:   the operation
 * @run:    runs it on the kernel; NULL when it is refused
 * @check:  optional static check of one use; true (with a reason) refuses it
 * @refuse: when @run is NULL: why it has no faithful counterpart
 */
struct kop {
	const char *name;
	kop_fn run;
	kcheck_fn check;
	const char *refuse;
};

/* ---- page contents: the model's values as bytes ---- */

/**
 * kpage_fill() - a page holding @v, as the model's page with @v in every sector
 * @buf: KPAGE bytes
 * @v:   the value, stored in every 8-byte word (little-endian on x86)
 */
void kpage_fill(void *buf, s64 v)
{
	s64 *w = buf;
	size_t i;

	for (i = 0; i < WORDS; i++)
		w[i] = v;
}

/**
 * kpage_value() - what the model would call a page with these bytes
 * @buf: KPAGE bytes
 *
 * Return: the value of its words when they all agree, else LT_VAL_TORN (its
 * sectors, or the bytes within one, disagree).
 */
s64 kpage_value(const void *buf)
{
	const s64 *w = buf;
	size_t i;

	for (i = 1; i < WORDS; i++)
		if (w[i] != w[0])
			return LT_VAL_TORN;
	return w[0];
}

/* ---- run-time helpers ---- */

static __thread sigjmp_buf *fault_jmp;	/* set while touching the mapping */

/* SIGBUS on a store or load beyond EOF: the model's -EFAULT. */
static void on_sigbus(int sig)
{
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void sigbus_install(void)
{
	static bool done;
	struct sigaction sa = { .sa_handler = on_sigbus };

	if (done)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	done = true;
}

static struct kfile *kfile_of(struct kthread *th, s64 f)
{
	return &th->it->files[f];
}

/* Page @i of file @f's mapping, or NULL when outside it. */
static volatile s64 *map_page(struct kthread *th, s64 f, s64 i)
{
	struct kfile *kf = kfile_of(th, f);

	if (i < 0 || i >= kf->nr)
		return NULL;
	return (volatile s64 *)(kf->map + i * KPAGE);
}

static s64 neg_errno(void)
{
	return errno ? -errno : -EIO;
}

/**
 * kops_unmapped() - the iteration met a state it cannot mirror: stop it
 * @it:  the iteration
 * @fmt: the one-line reason; only the first reason is kept
 *
 * The threads stop at their next statement, the iteration counts no
 * outcome, and the test is reported as refused with the reason.
 */
void kops_unmapped(struct kiter *it, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&it->why_lock);
	if (!atomic_exchange(&it->unmapped, true)) {
		va_start(ap, fmt);
		vsnprintf(it->why, sizeof(it->why), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&it->why_lock);
}

/* ---- the operations ---- */

/*
 * Every word of the page at @p, stored (@buf NULL: each gets @v) or loaded
 * into @buf, with a fault (SIGBUS past EOF) turned into -EFAULT.
 */
static int map_access(volatile s64 *p, s64 *buf, s64 v)
{
	sigjmp_buf jb;
	size_t i;

	if (sigsetjmp(jb, 1)) {
		fault_jmp = NULL;
		return -EFAULT;
	}
	fault_jmp = &jb;
	for (i = 0; i < WORDS; i++) {
		if (buf)
			buf[i] = p[i];
		else
			p[i] = v;
	}
	fault_jmp = NULL;
	return 0;
}

/* store(A, i, v): CPU stores through the shared mapping (write fault, page_mkwrite). */
static s64 k_store(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	volatile s64 *p = map_page(th, argv[0], argv[1]);

	(void)st;
	if (!p)
		return -EFAULT;
	return map_access(p, NULL, argv[2]);
}

/* r = load(A, i): CPU loads through the mapping. */
static s64 k_load(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	volatile s64 *p = map_page(th, argv[0], argv[1]);
	s64 buf[WORDS];
	int err;

	(void)st;
	if (!p)
		return -EFAULT;
	err = map_access(p, buf, 0);
	return err ? err : kpage_value(buf);
}

/* write(A, i, v): pwrite(2) of the page through the page cache. */
static s64 k_write(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	s64 buf[WORDS];

	(void)st;
	kpage_fill(buf, argv[2]);
	if (pwrite(kfile_of(th, argv[0])->fd, buf, KPAGE, argv[1] * KPAGE) != KPAGE)
		return neg_errno();
	return 0;
}

/* r = read(A, i): pread(2); beyond EOF reads nothing, the model's 0. */
static s64 k_read(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	s64 buf[WORDS];
	ssize_t n;

	(void)st;
	n = pread(kfile_of(th, argv[0])->fd, buf, KPAGE, argv[1] * KPAGE);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if (n != KPAGE)
		return LT_VAL_TORN;
	return kpage_value(buf);
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

/* reclaim(A): MADV_PAGEOUT over the mapping: reclaim_pages() -> shrink_folio_list(). */
static s64 k_reclaim(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct kfile *kf = kfile_of(th, argv[0]);

	(void)st;
	madvise(kf->map, (size_t)kf->nr * KPAGE, MADV_PAGEOUT);
	return 0;
}

static bool check_reclaim(const struct litmus_test *t, const struct lt_stmt *st,
			  char *why, size_t len)
{
	(void)t;
	if (st->reg < 0)
		return false;
	snprintf(why, len, "assigned to r%d: MADV_PAGEOUT does not say how many pages it freed",
		 st->reg);
	return true;
}

/* drop_caches(): echo 1 > /proc/sys/vm/drop_caches: clean page cache only, no writeback. */
static s64 k_drop_caches(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	(void)th;
	(void)st;
	(void)argv;
	if (fd < 0)
		return 0;
	if (write(fd, "1", 1) != 1)
		kops_unmapped(th->it, "drop_caches(): /proc/sys/vm/drop_caches: %s",
			      strerror(errno));
	close(fd);
	return 0;
}

/* r = lease(A): F_SETLEASE F_WRLCK on the file (see docs/kernel-runner.md). */
static s64 k_lease(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return fcntl(kfile_of(th, argv[0])->fd, F_SETLEASE, F_WRLCK) ? -errno : 0;
}

static s64 k_unlease(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return fcntl(kfile_of(th, argv[0])->fd, F_SETLEASE, F_UNLCK) ? -errno : 0;
}

/* True when @t calls an operation named @name anywhere in @b. */
static bool block_calls(const struct lt_block *b, const char *name)
{
	int i;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		if (s->kind == LS_OP && !strcmp(s->op->name, name))
			return true;
		if (s->kind == LS_IF &&
		    (block_calls(&s->then, name) || block_calls(&s->els, name)))
			return true;
	}
	return false;
}

static bool test_calls(const struct litmus_test *t, const char *name)
{
	int i;

	for (i = 0; i < t->nr_threads; i++)
		if (block_calls(&t->threads[i].body, name))
			return true;
	return false;
}

/* A file lease is broken by the test's own layout changes; the model's never is. */
static bool check_lease(const struct litmus_test *t, const struct lt_stmt *st,
			char *why, size_t len)
{
	static const char *const breakers[] = { "truncate", "punch", "reflink" };
	size_t i;

	(void)st;
	for (i = 0; i < ARRAY_SIZE(breakers); i++) {
		if (test_calls(t, breakers[i])) {
			snprintf(why, len, "with %s(): F_SETLEASE takes a file lease, "
				 "which %s() breaks (lease-break-time wait); the model's layout "
				 "lease under mainline is never broken", breakers[i], breakers[i]);
			return true;
		}
	}
	return false;
}

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
	void *buf;
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
	if (!ret && posix_memalign(&buf, KPAGE, KPAGE))
		ret = -ENOMEM;
	else if (!ret) {
		ret = pread(fd, buf, KPAGE, 0) == KPAGE ? kpage_value(buf) : neg_errno();
		free(buf);
	}
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

/* r = dio_read(B, j, A, i): pread(2) with O_DIRECT from B into A's mapping. */
static s64 k_dio_read(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	struct kfile *src = kfile_of(th, argv[0]);
	volatile s64 *dst = map_page(th, argv[2], argv[3]);
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
	void *buf;
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
	if (fd < 0 || posix_memalign(&buf, KPAGE, KPAGE)) {
		ret = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	ret = pread(fd, buf, KPAGE, byte) == KPAGE ? kpage_value(buf) : neg_errno();
	free(buf);
out:
	if (fd >= 0)
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

static s64 k_truncate(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return ftruncate(kfile_of(th, argv[0])->fd, argv[1] * KPAGE) ? -errno : 0;
}

static s64 k_punch(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return fallocate(kfile_of(th, argv[0])->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			 argv[1] * KPAGE, argv[2] * KPAGE) ? -errno : 0;
}

/* reflink(A, B): FICLONE of A onto B. */
static s64 k_reflink(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	(void)st;
	return ioctl(kfile_of(th, argv[1])->fd, FICLONE, kfile_of(th, argv[0])->fd) ? -errno : 0;
}

#define NO_GET	"no syscall holds a FOLL_GET reference to a file page across later operations " \
		"(6.18 takes FOLL_PIN for direct I/O, vmsplice and io_uring)"
#define NO_DIRTY "no syscall dirties the pages of a pin held from userspace: io_uring " \
		"unpins without set_page_dirty()"
#define NO_SEED	"the 2018 put_user_page*() API does not exist in 6.18; io_uring unpins " \
		"with unpin_user_page()"

static const struct kop kops[] = {
	{ "store", k_store, NULL, NULL },
	{ "load", k_load, NULL, NULL },
	{ "write", k_write, NULL, NULL },
	{ "read", k_read, NULL, NULL },
	{ "fsync", k_fsync, NULL, NULL },
	{ "sync", k_sync, NULL, NULL },
	{ "writeback", k_writeback, NULL, NULL },
	{ "reclaim", k_reclaim, check_reclaim, NULL },
	{ "drop_caches", k_drop_caches, NULL, NULL },
	{ "lease", k_lease, check_lease, NULL },
	{ "unlease", k_unlease, NULL, NULL },
	{ "pin_user_pages", k_pin, check_pin, NULL },
	{ "pin_user_pages_fast", k_pin, check_pin, NULL },
	{ "dma_write", k_dma_write, NULL, NULL },
	{ "dma_read", k_dma_read, NULL, NULL },
	{ "unpin_user_page", k_unpin, NULL, NULL },
	{ "unpin_user_pages", k_unpin, NULL, NULL },
	{ "unpin_user_pages_dirty_lock", k_unpin_dirty, NULL, NULL },
	{ "dio_read", k_dio_read, NULL, NULL },
	{ "ondisk", k_ondisk, check_ondisk, NULL },
	{ "truncate", k_truncate, NULL, NULL },
	{ "punch", k_punch, NULL, NULL },
	{ "reflink", k_reflink, NULL, NULL },
	{ "get_user_pages", NULL, NULL, NO_GET },
	{ "put_page", NULL, NULL, NO_GET },
	{ "set_page_dirty", NULL, NULL, NO_DIRTY },
	{ "set_page_dirty_lock", NULL, NULL, NO_DIRTY },
	{ "put_user_page", NULL, NULL, NO_SEED },
	{ "put_user_pages", NULL, NULL, NO_SEED },
	{ "put_user_pages_dirty_lock", NULL, NULL, NO_SEED },
	{ "wait_lease_break", NULL, NULL, "no lease break of a pin can be observed: Linux "
	  "has no userspace layout lease" },
	{ "mutex_lock", NULL, NULL, "an explorer object with no kernel path" },
	{ "mutex_unlock", NULL, NULL, "an explorer object with no kernel path" },
};

static const struct kop *kop_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kops); i++)
		if (!strcmp(kops[i].name, name))
			return &kops[i];
	return NULL;
}

/* The first statement of @b that cannot run on the kernel. */
static bool block_refuse(const struct litmus_test *t, const struct lt_block *b,
			 char *why, size_t len)
{
	char reason[KWHY_MAX];
	const struct kop *k;
	int i;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		if (s->kind == LS_IF) {
			if (block_refuse(t, &s->then, why, len) ||
			    block_refuse(t, &s->els, why, len))
				return true;
			continue;
		}
		if (s->kind != LS_OP)
			continue;
		k = kop_find(s->op->name);
		if (!k || !k->run) {
			snprintf(why, len, "%u:%u: %s(): %s", s->loc.line, s->loc.col,
				 s->op->name, k ? k->refuse : "unknown to the kernel runner");
			return true;
		}
		if (k->check && k->check(t, s, reason, sizeof(reason))) {
			snprintf(why, len, "%u:%u: %s(): %s", s->loc.line, s->loc.col,
				 s->op->name, reason);
			return true;
		}
	}
	return false;
}

/*
 * What the runner does not implement yet: a filter, and locations read from
 * page state (PageDirty(A,i), pins(A,i), ...) or single sectors (A[i].s).
 * Refused, never read as 0.
 */
static bool syntax_refuse(const struct litmus_test *t, char *why, size_t len)
{
	int i;

	if (t->dax) {
		snprintf(why, len, "%d:%d: dax = on: a loop device cannot do DAX, and the "
			 "runner makes no persistent-memory device", (int)t->dax_loc.line,
			 (int)t->dax_loc.col);
		return true;
	}
	if (t->filter) {
		snprintf(why, len, "%s: the kernel runner does not apply filters yet",
			 t->filter_text);
		return true;
	}
	for (i = 0; i < t->nr_locs; i++) {
		if (t->locs[i].kind == LO_PSTATE || t->locs[i].kind == LO_SECTOR) {
			snprintf(why, len, "%d:%d: the kernel runner does not read page state "
				 "or single sectors yet", (int)t->locs[i].loc.line,
				 (int)t->locs[i].loc.col);
			return true;
		}
	}
	return false;
}

/*
 * Flags the kernel runner cannot observe.  dma_after_unpin: io_uring fails a
 * fixed-buffer I/O once the buffer is unregistered, so no device touches the
 * page then.  revoked is observable: nothing in Linux revokes a pin, so a
 * run on the kernel reads it as 0, as the model under mainline never raises
 * it.
 */
static bool cond_refuse(const struct litmus_test *t, char *why, size_t len)
{
	static const enum pl_flag unseen[] = {
		PLF_DEADLOCK, PLF_LIVELOCK, PLF_DMA_AFTER_UNPIN,
	};
	size_t j;
	int i;

	for (i = 0; i < t->nr_locs; i++) {
		if (t->locs[i].kind != LO_FLAG)
			continue;
		for (j = 0; j < ARRAY_SIZE(unseen); j++) {
			if (t->locs[i].flag == (int)unseen[j]) {
				snprintf(why, len, "the condition reads '%s', which a run on the "
					 "kernel cannot observe", flag_name(unseen[j]));
				return true;
			}
		}
	}
	return false;
}

/**
 * kops_refuse() - whether @t can run on the kernel, decided before any output
 * @t:   the test
 * @why: when it cannot: "LINE:COL: op(): reason" or a reason about the test
 * @len: size of @why
 *
 * Return: true when @t is refused.
 */
bool kops_refuse(const struct litmus_test *t, char *why, size_t len)
{
	int i;

	if (t->dev == LT_DEV_DIF) {
		snprintf(why, len, "dev = dif: no DIF/DIX-capable device can be had (loop "
			 "devices have no integrity profile)");
		return true;
	}
	for (i = 0; i < t->nr_threads; i++)
		if (block_refuse(t, &t->threads[i].body, why, len))
			return true;
	return cond_refuse(t, why, len) || syntax_refuse(t, why, len);
}

/**
 * kops_init() - prepare the process for running operations
 *
 * A store or load beyond EOF raises SIGBUS; the handler turns it into the
 * model's -EFAULT for the thread that touched the mapping.
 */
void kops_init(void)
{
	sigbus_install();
}

/**
 * kops_call() - run the operation of @st in thread @th
 * @th:   the thread
 * @st:   an LS_OP statement kops_refuse() accepted
 * @argv: its arguments, resolved
 *
 * Return: the value the register receives: the model's convention (0 or
 * -errno, a page's value, pages pinned).
 */
s64 kops_call(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	const struct kop *k = kop_find(st->op->name);

	errno = 0;
	return k && k->run ? k->run(th, st, argv) : -ENOSYS;
}

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
