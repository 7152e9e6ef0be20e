/* io_uring_longterm.c - asks the running kernel for long-term writable pins via io_uring. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* memfd_create() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <liburing.h>

#define EXIT_SKIP	77	/* automake's "test skipped" */

/**
 * struct iou_ctx - what every case shares
 * @ring: the io_uring the buffers are registered with
 * @page: the page size
 * @dir:  temporary directory for the regular file, or "" if none was made
 * @path: the regular file (one page), or "" if it could not be made
 */
struct iou_ctx {
	struct io_uring ring;
	size_t page;
	char dir[PATH_MAX];
	char path[PATH_MAX];
};

/**
 * struct mapping - the buffer one case asks io_uring to register
 * @addr: start of the mapping, MAP_FAILED while there is none
 * @len:  its length
 * @fd:   the file behind it, -1 for anonymous memory or once mapped
 * @fs:   the file's filesystem type ("ext4", "tmpfs", "anon", ...)
 * @dirty: 1 if that filesystem does writeback, 0 if not, -1 if unknown
 */
struct mapping {
	void *addr;
	size_t len;
	int fd;
	char fs[32];
	int dirty;
};

/**
 * struct iou_case - one question to the kernel
 * @name:  printed as "case <name>"
 * @what:  what is mapped, for the message when setup fails
 * @setup: creates the mapping. Return: 0, or -errno after printing why
 */
struct iou_case {
	const char *name;
	const char *what;
	int (*setup)(struct iou_ctx *ctx, struct mapping *m);
};

/**
 * struct fs_name - a statfs f_type value and its name
 * @magic: the f_type value (include/uapi/linux/magic.h)
 * @name:  what the case line prints
 * @dirty: the filesystem tracks dirty pages of shared mappings (writeback)
 */
struct fs_name {
	unsigned long magic;
	const char *name;
	int dirty;
};

static const struct fs_name fs_names[] = {
	{ 0xEF53,	"ext4",		1 },	/* ext2/3/4 share the magic */
	{ 0x58465342,	"xfs",		1 },
	{ 0x9123683E,	"btrfs",	1 },
	{ 0xF2F52010,	"f2fs",		1 },
	{ 0xca451a4e,	"bcachefs",	1 },
	{ 0x2fc12fc1,	"zfs",		1 },
	{ 0x6969,	"nfs",		1 },
	{ 0x65735546,	"fuse",		1 },
	{ 0x01021997,	"9p",		1 },
	{ 0x794c7630,	"overlayfs",	1 },	/* pins the upper fs's pages */
	{ 0x01021994,	"tmpfs",	0 },
	{ 0x858458f6,	"ramfs",	0 },
	{ 0x958458f6,	"hugetlbfs",	0 },
};

/* Name @fd's filesystem into @buf; set *@dirty when it does writeback. */
static void fs_type(int fd, char *buf, size_t size, int *dirty)
{
	struct statfs st;
	size_t i;

	*dirty = -1;
	if (fstatfs(fd, &st)) {
		snprintf(buf, size, "unknown");
		return;
	}
	for (i = 0; i < sizeof(fs_names) / sizeof(fs_names[0]); i++) {
		if ((unsigned long)st.f_type == fs_names[i].magic) {
			snprintf(buf, size, "%s", fs_names[i].name);
			*dirty = fs_names[i].dirty;
			return;
		}
	}
	snprintf(buf, size, "0x%lx", (unsigned long)st.f_type);
}

/* "-EFAULT" for -14, "0" for 0, "-<n>" for errnos without a name here. */
static const char *errno_str(int ret, char *buf, size_t size)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EFAULT, "EFAULT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ EPERM, "EPERM" }, { ENOMEM, "ENOMEM" }, { EINVAL, "EINVAL" },
		{ EBUSY, "EBUSY" }, { EOVERFLOW, "EOVERFLOW" },
		{ EAGAIN, "EAGAIN" }, { ENOSYS, "ENOSYS" }, { ENXIO, "ENXIO" },
	};
	size_t i;

	if (ret >= 0) {
		snprintf(buf, size, "%d", ret);
		return buf;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (-ret == names[i].err) {
			snprintf(buf, size, "-%s", names[i].name);
			return buf;
		}
	}
	snprintf(buf, size, "%d", ret);
	return buf;
}

/* Report a failed setup step of case @name and return -errno. */
static int setup_err(const char *name, const char *step, const char *arg)
{
	int err = errno;

	fprintf(stderr, "case %s: setup failed: %s%s%s: %s\n", name, step,
		arg ? " " : "", arg ? arg : "", strerror(err));
	return -err;
}

/* Map @fd's first page with @prot and @flags, and touch it. */
static int map_fd(const char *name, struct mapping *m, size_t page,
		  int prot, int flags)
{
	volatile char *p;

	m->addr = mmap(NULL, page, prot, flags, m->fd, 0);
	if (m->addr == MAP_FAILED)
		return setup_err(name, "mmap", NULL);
	m->len = page;
	p = m->addr;
	/* Fault the page in as a program would before handing it to a device. */
	if (prot & PROT_WRITE)
		p[0] = 'w';
	else
		(void)p[0];
	return 0;
}

/* Open the case's regular file with @oflags and name its filesystem. */
static int open_file(const char *name, struct iou_ctx *ctx, struct mapping *m,
		     int oflags)
{
	if (!ctx->path[0]) {
		fprintf(stderr, "case %s: setup failed: no test file (see above)\n",
			name);
		return -ENOENT;
	}
	m->fd = open(ctx->path, oflags | O_CLOEXEC);
	if (m->fd < 0)
		return setup_err(name, "open", ctx->path);
	fs_type(m->fd, m->fs, sizeof(m->fs), &m->dirty);
	return 0;
}

/* (a) MAP_SHARED, writable: the mapping mainline refuses to pin long-term. */
static int setup_file_shared(struct iou_ctx *ctx, struct mapping *m)
{
	int ret = open_file("file-shared", ctx, m, O_RDWR);

	if (ret)
		return ret;
	if (m->dirty == 0)
		fprintf(stderr, "case file-shared: note: %s does no writeback, so this is not the refused case; pass a directory on ext4, xfs or btrfs\n",
			m->fs);
	return map_fd("file-shared", m, ctx->page, PROT_READ | PROT_WRITE,
		      MAP_SHARED);
}

/* (b) MAP_SHARED, writable, of a memfd: shmem has no writeback. */
static int setup_memfd_shared(struct iou_ctx *ctx, struct mapping *m)
{
	m->fd = memfd_create("pinlab-iou", MFD_CLOEXEC);
	if (m->fd < 0)
		return setup_err("memfd-shared", "memfd_create", NULL);
	if (ftruncate(m->fd, ctx->page))
		return setup_err("memfd-shared", "ftruncate", NULL);
	fs_type(m->fd, m->fs, sizeof(m->fs), &m->dirty);
	return map_fd("memfd-shared", m, ctx->page, PROT_READ | PROT_WRITE,
		      MAP_SHARED);
}

/* (c) MAP_SHARED, PROT_READ, file opened read-only: no VM_WRITE at all. */
static int setup_file_shared_ro(struct iou_ctx *ctx, struct mapping *m)
{
	int ret = open_file("file-shared-ro", ctx, m, O_RDONLY);

	if (ret)
		return ret;
	return map_fd("file-shared-ro", m, ctx->page, PROT_READ, MAP_SHARED);
}

/* (d) anonymous private memory: the control, always pinnable. */
static int setup_anon(struct iou_ctx *ctx, struct mapping *m)
{
	snprintf(m->fs, sizeof(m->fs), "anon");
	return map_fd("anon", m, ctx->page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS);
}

/* (e) MAP_PRIVATE, writable, of the file: the write fault COWs to anon. */
static int setup_file_private(struct iou_ctx *ctx, struct mapping *m)
{
	int ret = open_file("file-private", ctx, m, O_RDONLY);

	if (ret)
		return ret;
	return map_fd("file-private", m, ctx->page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE);
}

static const struct iou_case cases[] = {
	{ "file-shared", "MAP_SHARED writable mapping of a regular file",
	  setup_file_shared },
	{ "memfd-shared", "MAP_SHARED writable mapping of a memfd (shmem)",
	  setup_memfd_shared },
	{ "file-shared-ro", "MAP_SHARED PROT_READ mapping of the regular file",
	  setup_file_shared_ro },
	{ "anon", "anonymous private memory (control)", setup_anon },
	{ "file-private", "MAP_PRIVATE writable mapping of the regular file",
	  setup_file_private },
};

static void mapping_release(struct mapping *m)
{
	if (m->addr != MAP_FAILED)
		munmap(m->addr, m->len);
	if (m->fd >= 0)
		close(m->fd);
}

/*
 * Set up case @c, register its mapping as one fixed buffer and print the
 * result.  Return: 0 when the kernel was asked, -errno when setup failed.
 */
static int run_case(struct iou_ctx *ctx, const struct iou_case *c)
{
	struct mapping m = { .addr = MAP_FAILED, .fd = -1, .fs = "?", .dirty = -1 };
	struct iovec iov;
	char res[32];
	int ret;

	ret = c->setup(ctx, &m);
	if (ret) {
		fprintf(stderr, "case %s (%s): not run\n", c->name, c->what);
		goto out;
	}
	iov.iov_base = m.addr;
	iov.iov_len = m.len;
	ret = io_uring_register_buffers(&ctx->ring, &iov, 1);
	printf("case %s fs=%s result=%s\n", c->name, m.fs,
	       errno_str(ret, res, sizeof(res)));
	fflush(stdout);
	if (!ret)
		io_uring_unregister_buffers(&ctx->ring);
	ret = 0;
out:
	mapping_release(&m);
	return ret;
}

/*
 * Make the one-page regular file in a new directory under @base.  On
 * failure the file cases report it and the other cases still run.
 */
static void make_test_file(struct iou_ctx *ctx, const char *base)
{
	char *buf = NULL;
	ssize_t n;
	int fd, err;

	n = snprintf(ctx->dir, sizeof(ctx->dir), "%s/pinlab-iou-XXXXXX", base);
	if (n < 0 || (size_t)n >= sizeof(ctx->dir)) {
		fprintf(stderr, "%s: path too long\n", base);
		ctx->dir[0] = '\0';
		return;
	}
	if (!mkdtemp(ctx->dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", ctx->dir, strerror(errno));
		ctx->dir[0] = '\0';
		return;
	}
	n = snprintf(ctx->path, sizeof(ctx->path), "%s/file", ctx->dir);
	if (n < 0 || (size_t)n >= sizeof(ctx->path)) {
		err = ENAMETOOLONG;
		goto err;
	}
	fd = open(ctx->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		goto err;
	}
	buf = malloc(ctx->page);
	if (!buf) {
		err = ENOMEM;
		goto err_close;
	}
	memset(buf, 'p', ctx->page);
	n = write(fd, buf, ctx->page);
	if (n != (ssize_t)ctx->page) {
		err = n < 0 ? errno : EIO;
		goto err_close;
	}
	free(buf);
	close(fd);
	return;

err_close:
	free(buf);
	close(fd);
err:
	fprintf(stderr, "creating %s: %s\n", ctx->path, strerror(err));
	unlink(ctx->path);
	ctx->path[0] = '\0';
}

static void remove_test_file(struct iou_ctx *ctx)
{
	if (ctx->path[0])
		unlink(ctx->path);
	if (ctx->dir[0])
		rmdir(ctx->dir);
}

/* Return: the value of /proc/sys/kernel/io_uring_disabled, 0 if absent. */
static int io_uring_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	int val = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &val) != 1)
		val = 0;
	fclose(f);
	return val;
}

/* Set up the ring. Return: 0, EXIT_SKIP or EXIT_FAILURE, having said why. */
static int ring_init(struct iou_ctx *ctx)
{
	int disabled = io_uring_disabled();
	int ret;

	if (disabled == 2) {
		printf("SKIP: io_uring disabled (kernel.io_uring_disabled=2)\n");
		return EXIT_SKIP;
	}
	ret = io_uring_queue_init(4, &ctx->ring, 0);
	if (ret == -ENOSYS || ret == -EPERM) {
		printf("SKIP: io_uring_queue_init: %s%s\n", strerror(-ret),
		       disabled == 1 ? " (kernel.io_uring_disabled=1)" : "");
		return EXIT_SKIP;
	}
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : ".";
	static struct iou_ctx ctx;
	int status, failed = 0;
	size_t i;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [directory on the filesystem to test]\n",
			argv[0]);
		return EXIT_FAILURE;
	}
	ctx.page = sysconf(_SC_PAGESIZE);
	status = ring_init(&ctx);
	if (status)
		return status;
	make_test_file(&ctx, base);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (run_case(&ctx, &cases[i]))
			failed = 1;
	remove_test_file(&ctx);
	io_uring_queue_exit(&ctx.ring);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
