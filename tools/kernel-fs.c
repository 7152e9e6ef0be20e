/* kernel-fs.c - the filesystems `pinlab kernel` makes for itself: loop, mkfs, mount, cleanup. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/loop.h>
#include <linux/magic.h>

#include "kernel.h"

#define IMG_MB_EXT4	64	/* image sizes: sparse, so only metadata takes space */
#define IMG_MB_BTRFS	256	/* mkfs.btrfs wants more than 114 MiB */
#define IMG_MB_XFS	320	/* mkfs.xfs refuses less than 300 MiB */
#define TMPFS_OPTS	"size=64m,mode=0700"

/**
 * struct kfs_kind - how to make one kind of filesystem
 * @name:  its mount type and name in tests
 * @mkfs:  the mkfs command and its options; NULL for tmpfs
 * @img_mb: the image's size in MiB
 */
struct kfs_kind {
	const char *name;
	const char *const mkfs[6];
	int img_mb;
};

static const struct kfs_kind kinds[KFS_NR] = {
	[LT_FS_EXT4] = { "ext4", { "mkfs.ext4", "-q", "-F", "-E", "nodiscard" }, IMG_MB_EXT4 },
	[LT_FS_BTRFS] = { "btrfs", { "mkfs.btrfs", "-q", "-f", "-K" }, IMG_MB_BTRFS },
	[LT_FS_XFS] = { "xfs", { "mkfs.xfs", "-q", "-f", "-K" }, IMG_MB_XFS },
	[LT_FS_TMPFS] = { "tmpfs", { NULL }, 0 },
};

/**
 * kfs_name() - the name of a filesystem kind, as tests and mount(2) write it
 * @fs: the kind
 *
 * Return: "ext4", "btrfs", "xfs", "tmpfs", or "?".
 */
const char *kfs_name(enum lt_fs fs)
{
	return (unsigned int)fs < KFS_NR ? kinds[fs].name : "?";
}

/* Set @f's reason and return -@err. */
static __printf(3, 4) int kfs_fail(struct kfs *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return -err;
}

/**
 * kenv_init() - the private directory and, as root, a private mount namespace
 * @e:   the environment to fill
 * @why: on failure, the reason
 * @len: size of @why
 *
 * In its own mount namespace the runner's mounts are invisible to the rest
 * of the machine and are torn down by the kernel if the runner dies; its
 * loop devices are set to detach themselves when unmounted (autoclear).
 *
 * Return: 0 or -errno.
 */
int kenv_init(struct kenv *e, char *why, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < KFS_NR; i++) {
		e->fs[i].fs = i;
		e->fs[i].loop = -1;
		pthread_mutex_init(&e->fs[i].src_lock, NULL);
	}
	snprintf(e->dir, sizeof(e->dir), "%s/pinlab-kernel.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(e->dir)) {
		snprintf(why, len, "mkdtemp %s: %s", e->dir, strerror(errno));
		e->dir[0] = '\0';
		return -errno;
	}
	e->root = geteuid() == 0;
	if (e->root && !unshare(CLONE_NEWNS) &&
	    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		e->private_ns = true;
	return 0;
}

/* Run @argv with its output in @log; Return: 0, or the exit status / -errno. */
static int run_cmd(const char *const *argv, const char *log)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* A sparse image file of @mb MiB. */
static int make_image(struct kfs *f, const char *dir, int mb)
{
	int fd;

	snprintf(f->img, sizeof(f->img), "%s/%s.img", dir, kfs_name(f->fs));
	fd = open(f->img, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return kfs_fail(f, errno, "%s: %s", f->img, strerror(errno));
	if (ftruncate(fd, (off_t)mb << 20)) {
		close(fd);
		return kfs_fail(f, errno, "%s: ftruncate: %s", f->img, strerror(errno));
	}
	return fd;
}

/* A free loop device bound to @img_fd, detaching itself at its last close. Return: its fd */
static int attach_loop(struct kfs *f, int img_fd)
{
	struct loop_config cfg = { .fd = (u32)img_fd };
	char dev[32];
	int ctl, nr, fd, err;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return kfs_fail(f, errno, "no loop devices: /dev/loop-control: %s",
				strerror(errno));
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	err = errno;
	close(ctl);
	if (nr < 0)
		return kfs_fail(f, err, "no free loop device: %s", strerror(err));
	snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return kfs_fail(f, errno, "%s: %s", dev, strerror(errno));
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	if (ioctl(fd, LOOP_CONFIGURE, &cfg)) {
		err = errno;
		close(fd);
		return kfs_fail(f, err, "%s: LOOP_CONFIGURE: %s", dev, strerror(err));
	}
	f->loop = nr;
	return fd;
}

/* mkfs on the loop device, then mount it on @f->mnt. */
static int mkfs_and_mount(struct kfs *f, const char *dir)
{
	const struct kfs_kind *k = &kinds[f->fs];
	const char *argv[8];
	char dev[32], log[PATH_MAX];
	int i, ret;

	snprintf(dev, sizeof(dev), "/dev/loop%d", f->loop);
	snprintf(log, sizeof(log), "%s/mkfs.log", dir);
	for (i = 0; k->mkfs[i]; i++)
		argv[i] = k->mkfs[i];
	argv[i++] = dev;
	argv[i] = NULL;
	ret = run_cmd(argv, log);
	if (ret == 127)
		return kfs_fail(f, ENOENT, "%s not found (scripts/install-deps.sh)", k->mkfs[0]);
	if (ret)
		return kfs_fail(f, EIO, "%s %s failed (%d), see %s", k->mkfs[0], dev, ret, log);
	if (mount(dev, f->mnt, k->name, 0, NULL))
		return kfs_fail(f, errno, "mount -t %s %s: %s", k->name, dev, strerror(errno));
	f->mounted = true;
	return 0;
}

/* An ext4, xfs or btrfs on a loop device over a sparse image. */
static int prepare_disk(struct kenv *e, struct kfs *f, const char *dir)
{
	int img, loop, ret;

	if (!e->root)
		return kfs_fail(f, EPERM, "loop devices and mount need root");
	img = make_image(f, dir, kinds[f->fs].img_mb);
	if (img < 0)
		return img;
	loop = attach_loop(f, img);
	close(img);
	if (loop < 0)
		return loop;
	ret = mkfs_and_mount(f, dir);
	close(loop);	/* with autoclear, the device goes away with the mount */
	return ret;
}

/* tmpfs: mounted privately as root, else a directory on /dev/shm if that is tmpfs. */
static int prepare_tmpfs(struct kenv *e, struct kfs *f)
{
	struct statfs sfs;

	if (e->root) {
		if (mount("pinlab-tmpfs", f->mnt, "tmpfs", 0, TMPFS_OPTS))
			return kfs_fail(f, errno, "mount -t tmpfs: %s", strerror(errno));
		f->mounted = true;
		return 0;
	}
	rmdir(f->mnt);
	snprintf(f->mnt, sizeof(f->mnt), "/dev/shm/pinlab-kernel.XXXXXX");
	if (statfs("/dev/shm", &sfs) || sfs.f_type != TMPFS_MAGIC || !mkdtemp(f->mnt)) {
		f->mnt[0] = '\0';
		return kfs_fail(f, EPERM, "not root, and /dev/shm is not a usable tmpfs");
	}
	return 0;
}

static int kfs_prepare(struct kenv *e, struct kfs *f)
{
	char dir[KDIR_MAX];

	memcpy(dir, e->dir, sizeof(dir));	/* not an alias of @f for snprintf() */
	snprintf(f->mnt, sizeof(f->mnt), "%s/mnt-%s", dir, kfs_name(f->fs));
	if (mkdir(f->mnt, 0700))
		return kfs_fail(f, errno, "mkdir %s: %s", f->mnt, strerror(errno));
	if (f->fs == LT_FS_TMPFS)
		return prepare_tmpfs(e, f);
	return prepare_disk(e, f, dir);
}

/**
 * kenv_fs() - the filesystem @fs, mounted, preparing it on first use
 * @e:   the environment
 * @fs:  which
 * @why: when it cannot be had: why ("no loop devices: ...")
 * @len: size of @why
 *
 * Return: the filesystem, or NULL.
 */
struct kfs *kenv_fs(struct kenv *e, enum lt_fs fs, char *why, size_t len)
{
	struct kfs *f;

	if ((unsigned int)fs >= KFS_NR) {
		snprintf(why, len, "unknown filesystem");
		return NULL;
	}
	f = &e->fs[fs];
	if (!f->tried) {
		f->tried = true;
		f->ok = !kfs_prepare(e, f);
	}
	if (!f->ok) {
		snprintf(why, len, "cannot prepare %s: %s", kfs_name(fs), f->why);
		return NULL;
	}
	return f;
}

/* Create the source page of @v: written, synced and dropped from the cache. */
static int source_create(struct kfs *f, s64 v)
{
	char path[PATH_MAX + 32];
	void *buf;
	int fd, dfd, ret = 0;

	snprintf(path, sizeof(path), "%s/.src-%d", f->mnt, f->nr_src);
	if (posix_memalign(&buf, KPAGE, KPAGE))
		return -ENOMEM;
	kpage_fill(buf, v);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || pwrite(fd, buf, KPAGE, 0) != KPAGE || fsync(fd))
		ret = -errno;
	free(buf);
	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
	if (ret)
		return ret;
	dfd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (dfd < 0 && errno == EINVAL)
		dfd = open(path, O_RDONLY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	f->src[f->nr_src].value = v;
	f->src[f->nr_src].fd = dfd;
	f->nr_src++;
	return dfd;
}

/**
 * kfs_source() - a file on @f whose one page holds @v, for dma_write()
 * @f: the filesystem
 * @v: the value
 *
 * Read with O_DIRECT where the filesystem allows it, so that the block layer
 * (the loop device) writes the destination page the way a device does.
 *
 * Return: the file's descriptor, or -errno.
 */
int kfs_source(struct kfs *f, s64 v)
{
	int i, ret = -ENOSPC;

	pthread_mutex_lock(&f->src_lock);
	for (i = 0; i < f->nr_src; i++) {
		if (f->src[i].value == v) {
			ret = f->src[i].fd;
			goto out;
		}
	}
	if (f->nr_src < KSRC_MAX)
		ret = source_create(f, v);
out:
	pthread_mutex_unlock(&f->src_lock);
	return ret;
}

/* Unmount, let autoclear detach the loop device (or detach it), remove it all. */
static void kfs_cleanup(struct kfs *f)
{
	char dev[32], src[PATH_MAX + 32];
	int i, fd;

	for (i = 0; i < f->nr_src; i++) {
		close(f->src[i].fd);
		snprintf(src, sizeof(src), "%s/.src-%d", f->mnt, i);
		unlink(src);
	}
	f->nr_src = 0;
	if (f->mounted && umount2(f->mnt, 0) && umount2(f->mnt, MNT_DETACH))
		fprintf(stderr, "pinlab: kernel: umount %s: %s\n", f->mnt, strerror(errno));
	f->mounted = false;
	if (f->loop >= 0) {
		snprintf(dev, sizeof(dev), "/dev/loop%d", f->loop);
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			ioctl(fd, LOOP_CLR_FD, 0);	/* ENXIO: autoclear did it */
			close(fd);
		}
		f->loop = -1;
	}
	if (f->img[0])
		unlink(f->img);
	if (f->mnt[0])
		rmdir(f->mnt);
	f->img[0] = f->mnt[0] = '\0';
}

/**
 * kenv_cleanup() - undo everything kenv_init() and kenv_fs() did
 * @e: the environment
 *
 * Safe to call more than once and after a partial setup.
 */
void kenv_cleanup(struct kenv *e)
{
	char log[PATH_MAX + 16];
	int i;

	for (i = 0; i < KFS_NR; i++)
		kfs_cleanup(&e->fs[i]);
	if (!e->dir[0])
		return;
	snprintf(log, sizeof(log), "%s/mkfs.log", e->dir);
	unlink(log);
	if (rmdir(e->dir))
		fprintf(stderr, "pinlab: kernel: rmdir %s: %s\n", e->dir, strerror(errno));
	e->dir[0] = '\0';
}
