/* kernel.h - private to tools/kernel-*.c: `pinlab kernel`, litmus tests on the running Linux. */
#ifndef PINLAB_TOOLS_KERNEL_H
#define PINLAB_TOOLS_KERNEL_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>

#include <liburing.h>

#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/run.h>

#define KPAGE		4096	/* bytes per page on the running kernel (x86-64, arm64 4K) */
#define KSECTOR		512	/* bytes per block-layer sector */
#define KWHY_MAX	256	/* one refusal or skip reason */
#define KSRC_MAX	16	/* distinct dma_write() values per filesystem */
#define KFS_NR		(LT_FS_TMPFS + 1)
#define KDIR_MAX	512	/* the private directory's path */
#define KWORDS		(KPAGE / sizeof(s64))	/* 8-byte words per page */
#define KSTATE_MAX	1024	/* one state line or error message */
#define KEXIT_MISMATCH	1	/* --compare: an outcome the model forbids */

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

/* kenv_init() - make the private directory and the mount namespace. Return: 0 or -errno */
int kenv_init(struct kenv *e, char *why, size_t len);

/* kenv_fs() - the mounted filesystem @fs, preparing it on first use. Return: NULL with @why */
struct kfs *kenv_fs(struct kenv *e, enum lt_fs fs, char *why, size_t len);

/* kenv_cleanup() - unmount, detach the loop devices, remove images and the directory */
void kenv_cleanup(struct kenv *e);

/* kfs_name() - "ext4", "btrfs", "xfs", "tmpfs" */
const char *kfs_name(enum lt_fs fs);

/* kfs_source() - the source file of @v for dma_write(). Return: its fd or -errno */
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

/* Open file @f of @th's test. */
static inline struct kfile *kfile_of(struct kthread *th, s64 f)
{
	return &th->it->files[f];
}

/* Page @i of file @f's mapping, or NULL when outside it. */
static inline volatile s64 *kmap_page(struct kthread *th, s64 f, s64 i)
{
	struct kfile *kf = kfile_of(th, f);

	if (i < 0 || i >= kf->nr)
		return NULL;
	return (volatile s64 *)(kf->map + i * KPAGE);
}

/* -errno of a failed call, -EIO for one that failed without saying why (a short I/O). */
static inline s64 kneg_errno(void)
{
	return errno ? -errno : -EIO;
}

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

/**
 * struct kop_set - the operations of one kind, defined in the file of that kind
 * @v: the operations
 * @n: entries in @v
 */
struct kop_set {
	const struct kop *v;
	size_t n;
};

/* kernel-ops-mm.c: store, load, reclaim, drop_caches */
extern const struct kop_set kops_mm;
/* kernel-ops-file.c: write, read, fsync, sync, writeback, dio_read, ondisk */
extern const struct kop_set kops_file;
/* kernel-ops-layout.c: lease, unlease, truncate, punch, reflink */
extern const struct kop_set kops_layout;
/* kernel-ops-gup.c: pin_user_pages*, dma_write, dma_read, unpin_user_page* */
extern const struct kop_set kops_gup;

/* kops_refuse() - why @t cannot run on the kernel. Return: true, with @why, if it cannot */
bool kops_refuse(const struct litmus_test *t, char *why, size_t len);

/* kops_init() - install the SIGBUS handler that stores and loads need */
void kops_init(void);

/* kops_call() - run @st's operation in @th with resolved @argv. Return: the register value */
s64 kops_call(struct kthread *th, const struct lt_stmt *st, const s64 *argv);

/* kops_unmapped() - mark @it as unmirrorable at run time with a reason (first one kept) */
void kops_unmapped(struct kiter *it, const char *fmt, ...) __printf(2, 3);

/* kpage_fill() - @buf (KPAGE bytes) as the model's page holding @v in every sector */
void kpage_fill(void *buf, s64 v);

/* kpage_value() - the value of a KPAGE page: LT_VAL_TORN when its sectors disagree */
s64 kpage_value(const void *buf);

/* kpage_got() - the value of a page a read returned @n >= 0 bytes of (0: beyond EOF) */
s64 kpage_got(const void *buf, ssize_t n);

/* kpage_pread() - the value of the page at @off of @fd. Return: it or -errno */
s64 kpage_pread(int fd, off_t off);

/* ---- kernel-ops-mm.c ---- */

/* kmap_sigbus_install() - SIGBUS on a store or load beyond EOF becomes -EFAULT */
void kmap_sigbus_install(void);

/* ---- kernel-ops-gup.c ---- */

/* kops_release() - end @th's pins (after the epilogue). Return: pins that were still held */
int kops_release(struct kthread *th);

/* ---- kernel-thread.c ---- */

/* kthreads_run() - run @it's threads together to their end. Return: 0 or -errno */
int kthreads_run(struct kiter *it);

/* kclock_ns() - CLOCK_MONOTONIC in nanoseconds */
u64 kclock_ns(void);

/* ---- kernel-outcome.c ---- */

/**
 * struct kresult - the outcomes of one test's iterations, in the model's form
 * @r:      what report_herd() prints
 * @cap:    room in @r.outcomes
 * @kpol:   the policy line: "kernel-<uname -r>"
 * @kmsg:   the first kernel line that raised a flag, for the report
 */
struct kresult {
	struct lt_result r;
	int cap;
	struct policy kpol;
	char kmsg[KWHY_MAX];
};

/* kresult_init() - no outcomes of @t yet, under the policy "kernel-<uname -r>" */
void kresult_init(struct kresult *kr, const struct litmus_test *t);

/* kresult_add() - count the outcome @vals. Return: 0 or -ENOMEM */
int kresult_add(struct kresult *kr, const s64 *vals);

/* kresult_conclude() - sort the outcomes and decide the verdict, as litmus_run() does */
void kresult_conclude(struct kresult *kr, u64 iterations);

/* kresult_compare() - @kr against the model under mainline, TAP. Return: 0 or KEXIT_MISMATCH */
int kresult_compare(struct kresult *kr, int tap, const char *fs);

/* ---- kernel-watch.c ---- */

/**
 * struct kwatch - what is watched around an iteration besides the test's registers
 * @kmsg_fd:  /dev/kmsg, positioned at its end before each iteration, or -1
 * @pins:     nr_foll_pin_acquired - nr_foll_pin_released before the iteration
 * @want_pins: the condition reads leak: sample /proc/vmstat
 */
struct kwatch {
	int kmsg_fd;
	s64 pins;
	bool want_pins;
};

/* kwatch_init() - the watchers @t needs. Return: 0, or -EACCES: /dev/kmsg needed, unreadable */
int kwatch_init(struct kwatch *w, const struct litmus_test *t);

/* kwatch_free() - close what kwatch_init() opened */
void kwatch_free(struct kwatch *w);

/* kwatch_start() - note the kernel log's end and the pins before an iteration */
void kwatch_start(struct kwatch *w);

/* kwatch_leaked() - @t reads leak and pins are still outstanding after the iteration */
bool kwatch_leaked(struct kwatch *w);

/* kwatch_kmsg_flags() - the PLF_* bits the kernel log raised since kwatch_start() */
u32 kwatch_kmsg_flags(struct kwatch *w, struct kresult *kr);

/* ---- kernel-run.c ---- */

/**
 * struct kopts - one `pinlab kernel` invocation
 * @iterations: runs of each test
 * @compare:    also run the model under mainline and compare
 * @keep_going: a refused test is skipped, not fatal
 * @seed:       seed of the random delays
 * @delay_ns:   upper bound of each delay
 * @paths:      the litmus files, a DIR argument's in path order
 * @fs:         --fs: the filesystems each test runs on instead of its own
 * @nr_fs:      entries in @fs; 0: each test's own
 */
struct kopts {
	u64 iterations;
	bool compare;
	bool keep_going;
	u64 seed;
	long delay_ns;
	struct lt_paths paths;
	enum lt_fs fs[LT_FS_NR];
	int nr_fs;
};

/* kernel_run_test() - run @t o->iterations times on @fs. Return: 0 or -errno, with @why */
int kernel_run_test(const struct litmus_test *t, struct kfs *fs, const struct kopts *o,
		    struct kresult *kr, char *why, size_t len);

/* ---- kernel-main.c ---- */

/* kernel_main() - `pinlab kernel ARGS`; @argv[0] is "kernel". Return: the exit status */
int kernel_main(int argc, char **argv);

/* kernel_stop - set by SIGINT/SIGTERM: finish the current operation and unwind */
extern volatile sig_atomic_t kernel_stop;

#endif /* PINLAB_TOOLS_KERNEL_H */
