/* kernel.h - private to tools/kernel-*.c: `pinlab kernel`, litmus tests on the running Linux. */
#ifndef PINLAB_TOOLS_KERNEL_H
#define PINLAB_TOOLS_KERNEL_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include <liburing.h>

#include <pinlab/litmus.h>

#define KPAGE		4096	/* bytes per page on the running kernel (x86-64, arm64 4K) */
#define KSECTOR		512	/* bytes per block-layer sector */
#define KWHY_MAX	256	/* one refusal or skip reason */
#define KSRC_MAX	16	/* distinct dma_write() values per filesystem */
#define KFS_NR		(LT_FS_TMPFS + 1)
#define KDIR_MAX	512	/* the private directory's path */

/**
 * struct ksrc - a page-sized source file holding one value, read by dma_write()
 * @value: the value every 8-byte word of the page holds
 * @fd:    the file, open O_RDONLY (and O_DIRECT when the filesystem has it)
 */
struct ksrc {
	s64 value;
	int fd;
};

/**
 * struct kfs - one filesystem `pinlab kernel` prepared for itself
 * @fs:       which (enum lt_fs)
 * @img:      the sparse image file behind the loop device ("" for tmpfs)
 * @mnt:      its mount point, inside the runner's private directory
 * @loop:     the loop device's number, or -1
 * @mounted:  @mnt is mounted
 * @tried:    preparing it was attempted (successfully or not)
 * @ok:       it is ready to use
 * @why:      when not @ok: why it could not be prepared
 * @src:      sources for dma_write(), created on first use
 * @nr_src:   entries in @src
 * @src_lock: protects @src and @nr_src (threads create sources)
 */
struct kfs {
	enum lt_fs fs;
	char img[PATH_MAX];
	char mnt[PATH_MAX];
	int loop;
	bool mounted;
	bool tried;
	bool ok;
	char why[KWHY_MAX];
	struct ksrc src[KSRC_MAX];
	int nr_src;
	pthread_mutex_t src_lock;
};

/**
 * struct kenv - everything the runner created on the machine, to undo at the end
 * @dir:      the private directory under $TMPDIR holding images and mount points
 * @root:     running with CAP_SYS_ADMIN (mount, loop devices)
 * @private_ns: the runner unshared its mount namespace: its mounts die with it
 * @fs:       one per filesystem kind, prepared on demand
 */
struct kenv {
	char dir[KDIR_MAX];
	bool root;
	bool private_ns;
	struct kfs fs[KFS_NR];
};

/* ---- kernel-fs.c ---- */

/** kenv_init() - make the private directory and the mount namespace. Return: 0 or -errno */
int kenv_init(struct kenv *e, char *why, size_t len);

/** kenv_fs() - the mounted filesystem @fs, preparing it on first use. Return: NULL with @why */
struct kfs *kenv_fs(struct kenv *e, enum lt_fs fs, char *why, size_t len);

/** kenv_cleanup() - unmount, detach the loop devices, remove images and the directory */
void kenv_cleanup(struct kenv *e);

/** kfs_name() - "ext4", "btrfs", "xfs", "tmpfs" */
const char *kfs_name(enum lt_fs fs);

/** kfs_source() - the source file of @v for dma_write(). Return: its fd or -errno */
int kfs_source(struct kfs *f, s64 v);

/* ---- kernel-ops.c ---- */

/**
 * struct khandle - what a pin_user_pages() register holds on the kernel: an
 * io_uring with one registered buffer over the pinned pages
 * @ring:  the ring the buffer is registered with
 * @live:  @ring exists and holds the registration
 * @file:  the file whose mapping was pinned
 * @first: its first page
 * @nr:    pages pinned
 */
struct khandle {
	struct io_uring ring;
	bool live;
	int file;
	int first;
	int nr;
};

/**
 * struct kfile - one test file during an iteration
 * @fd:   open O_RDWR
 * @dfd:  open O_RDWR|O_DIRECT, or -1 where the filesystem has no O_DIRECT
 * @map:  its MAP_SHARED mapping, shared by every thread
 * @nr:   pages mapped
 * @path: where it is
 */
struct kfile {
	int fd;
	int dfd;
	char *map;
	int nr;
	char path[PATH_MAX];
};

struct kiter;

/**
 * struct kthread - one litmus thread on a pthread
 * @it:   the iteration it belongs to
 * @thr:  its parsed thread
 * @tid:  the pthread
 * @regs: its registers
 * @h:    per register, the pin it holds
 * @rnd:  its random state for the delays
 */
struct kthread {
	struct kiter *it;
	const struct lt_thread *thr;
	pthread_t tid;
	s64 regs[LT_NR_REGS];
	struct khandle h[LT_NR_REGS];
	unsigned int rnd;
};

/**
 * struct kiter - one run of a test on the kernel
 * @t:        the test
 * @fs:       the filesystem its files live on
 * @files:    its files (t->nr_files)
 * @vars:     shared variables (t->nr_vars), sequentially consistent atomics
 * @thr:      the threads
 * @go:       set when every thread exists: they start together
 * @go_lock:  protects @go
 * @go_cond:  the threads wait on it for @go
 * @max_delay_ns: upper bound of the random delay before each operation
 * @unmapped: set when an operation met a state it cannot mirror
 * @why:      then: the one-line reason
 * @why_lock: protects @why
 */
struct kiter {
	const struct litmus_test *t;
	struct kfs *fs;
	struct kfile *files;
	_Atomic s64 *vars;
	struct kthread thr[LT_NR_THREADS];
	bool go;
	pthread_mutex_t go_lock;
	pthread_cond_t go_cond;
	long max_delay_ns;
	atomic_bool unmapped;
	char why[KWHY_MAX];
	pthread_mutex_t why_lock;
};

/** kops_refuse() - why @t cannot run on the kernel. Return: true, with @why, if it cannot */
bool kops_refuse(const struct litmus_test *t, char *why, size_t len);

/** kops_init() - install the SIGBUS handler that stores and loads need */
void kops_init(void);

/** kops_call() - run @st's operation in @th with resolved @argv. Return: the register value */
s64 kops_call(struct kthread *th, const struct lt_stmt *st, const s64 *argv);

/** kops_release() - end @th's pins (after the epilogue). Return: pins that were still held */
int kops_release(struct kthread *th);

/** kops_unmapped() - mark @it as unmirrorable at run time with a reason (first one kept) */
void kops_unmapped(struct kiter *it, const char *fmt, ...) __printf(2, 3);

/** kpage_fill() - @buf (KPAGE bytes) as the model's page holding @v in every sector */
void kpage_fill(void *buf, s64 v);

/** kpage_value() - the value of a KPAGE page: LT_VAL_TORN when its sectors disagree */
s64 kpage_value(const void *buf);

/* ---- kernel-run.c ---- */

/** kernel_main() - `pinlab kernel ARGS`; @argv[0] is "kernel". Return: the exit status */
int kernel_main(int argc, char **argv);

/** kernel_stop - set by SIGINT/SIGTERM: finish the current operation and unwind */
extern volatile sig_atomic_t kernel_stop;

#endif /* PINLAB_TOOLS_KERNEL_H */
