/* kernel-run.c - `pinlab kernel`: run a litmus test's threads on the running Linux, many times. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <pinlab/bug.h>
#include <pinlab/explore.h>
#include <pinlab/policy.h>
#include <pinlab/report.h>
#include <pinlab/run.h>

#include "kernel.h"

#define EXIT_MISMATCH		1	/* --compare: an outcome the model forbids */
#define EXIT_USAGE		2	/* usage, parse error, refusal, failure */
#define DEFAULT_ITERATIONS	100
#define MAX_ITERATIONS		1000000
#define DEFAULT_DELAY_NS	2000000	/* delays before each statement: up to 2 ms */
#define SPIN_MAX_NS		50000	/* shorter delays spin, longer ones sleep */
#define STATE_MAX		1024	/* one state line */

volatile sig_atomic_t kernel_stop;

/**
 * struct kopts - one `pinlab kernel` invocation
 * @iterations: runs of each test
 * @compare:    also run the model under mainline and compare
 * @keep_going: a refused test is skipped, not fatal
 * @seed:       seed of the random delays
 * @delay_ns:   upper bound of each delay
 * @paths:      the litmus files
 * @nr_paths:   entries in @paths
 * @fs:         --fs: the filesystems each test runs on instead of its own
 * @nr_fs:      entries in @fs; 0: each test's own
 */
struct kopts {
	u64 iterations;
	bool compare;
	bool keep_going;
	u64 seed;
	long delay_ns;
	char **paths;
	int nr_paths;
	enum lt_fs fs[LT_FS_NR];
	int nr_fs;
};

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

static __printf(1, 2) int kerr(const char *fmt, ...)
{
	char msg[STATE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "pinlab: error: %s\n", msg);
	return EXIT_USAGE;
}

static void on_signal(int sig)
{
	(void)sig;
	kernel_stop = 1;
}

/* SIGINT and SIGTERM only set kernel_stop: everything unwinds through one path. */
static void signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- the interpreter ---- */

static s64 eval(struct kthread *th, const struct lt_expr *e)
{
	switch (e->kind) {
	case LX_INT:
		return e->value;
	case LX_REG:
		return th->regs[e->index];
	case LX_VAR:
		return atomic_load(&th->it->vars[e->index]);
	case LX_ADD:	/* wraps, as the model's lt_eval() does */
		return (s64)((u64)eval(th, e->l) + (u64)eval(th, e->r));
	case LX_SUB:
		return (s64)((u64)eval(th, e->l) - (u64)eval(th, e->r));
	case LX_NEG:
		return (s64)-(u64)eval(th, e->l);
	case LX_EQ:
		return eval(th, e->l) == eval(th, e->r);
	case LX_NE:
		return eval(th, e->l) != eval(th, e->r);
	case LX_LT:
		return eval(th, e->l) < eval(th, e->r);
	case LX_LE:
		return eval(th, e->l) <= eval(th, e->r);
	case LX_GT:
		return eval(th, e->l) > eval(th, e->r);
	case LX_GE:
		return eval(th, e->l) >= eval(th, e->r);
	case LX_AND:
		return eval(th, e->l) && eval(th, e->r);
	case LX_OR:
		return eval(th, e->l) || eval(th, e->r);
	case LX_NOT:
		return !eval(th, e->l);
	}
	return 0;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A delay drawn log-uniformly from [0, @max): as many in 0..1 us as in
 * 1..2 ms, so that both a plain store and an fsync can be overtaken.
 */
static long delay_ns(unsigned int *rnd, long max)
{
	int bits = 0, e;
	long base;

	while (bits < 62 && (1L << (bits + 1)) <= max)
		bits++;
	e = rand_r(rnd) % (bits + 1);
	base = 1L << e;
	return min_t(long, max - 1, base - 1 + rand_r(rnd) % base);
}

/* A random delay before a statement: spinning when short, else sleeping. */
static void delay(struct kthread *th)
{
	long max = th->it->max_delay_ns, ns;
	struct timespec ts;
	u64 end;

	if (max <= 0)
		return;
	ns = delay_ns(&th->rnd, max);
	if (ns > SPIN_MAX_NS) {
		ts.tv_sec = ns / 1000000000L;
		ts.tv_nsec = ns % 1000000000L;
		nanosleep(&ts, NULL);
		return;
	}
	end = now_ns() + (u64)ns;
	while (now_ns() < end)
		;
}

static void exec_op(struct kthread *th, const struct lt_stmt *st)
{
	s64 argv[LT_MAX_ARGS];
	s64 v;
	int i;

	for (i = 0; i < st->nargs && i < LT_MAX_ARGS; i++)
		argv[i] = st->args[i].expr ? eval(th, st->args[i].expr) :
						    st->args[i].value;
	v = kops_call(th, st, argv);
	if (st->reg >= 0)
		th->regs[st->reg] = v;
}

static void exec_block(struct kthread *th, const struct lt_block *b)
{
	const struct lt_stmt *st;
	int i;

	for (i = 0; i < b->n; i++) {
		if (kernel_stop || atomic_load(&th->it->unmapped))
			return;
		st = &b->v[i];
		delay(th);
		switch (st->kind) {
		case LS_OP:
			exec_op(th, st);
			break;
		case LS_ASSIGN_REG:
			th->regs[st->reg] = eval(th, st->expr);
			break;
		case LS_ASSIGN_VAR:
			atomic_store(&th->it->vars[st->var], eval(th, st->expr));
			break;
		case LS_IF:
			exec_block(th, eval(th, st->expr) ? &st->then : &st->els);
			break;
		}
	}
}

static void *thread_main(void *arg)
{
	struct kthread *th = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_mutex_lock(&th->it->go_lock);
	while (!th->it->go)
		pthread_cond_wait(&th->it->go_cond, &th->it->go_lock);
	pthread_mutex_unlock(&th->it->go_lock);
	exec_block(th, &th->thr->body);
	return NULL;
}

/* ---- one iteration ---- */

/* A test file on @fs: its pages written, synced and dropped from the cache, mapped. */
static int file_create(struct kiter *it, int n, int iter)
{
	const struct lt_file *lf = &it->t->files[n];
	struct kfile *kf = &it->files[n];
	s64 buf[KPAGE / sizeof(s64)];
	int i;

	if (snprintf(kf->path, sizeof(kf->path), "%s/i%d-%s", it->fs->mnt, iter,
		     lf->name) >= (int)sizeof(kf->path))
		return -ENAMETOOLONG;
	kf->nr = lf->nr_pages;
	kf->fd = open(kf->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (kf->fd < 0)
		return -errno;
	for (i = 0; i < lf->nr_pages; i++) {
		kpage_fill(buf, lf->init[i]);
		if (pwrite(kf->fd, buf, KPAGE, (off_t)i * KPAGE) != KPAGE)
			return -errno;
	}
	if (fsync(kf->fd))
		return -errno;
	posix_fadvise(kf->fd, 0, 0, POSIX_FADV_DONTNEED);
	kf->dfd = open(kf->path, O_RDWR | O_DIRECT | O_CLOEXEC);
	kf->map = mmap(NULL, (size_t)kf->nr * KPAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       kf->fd, 0);
	if (kf->map == MAP_FAILED) {
		kf->map = NULL;
		return -errno;
	}
	return 0;
}

static void file_destroy(struct kfile *kf)
{
	if (kf->map)
		munmap(kf->map, (size_t)kf->nr * KPAGE);
	if (kf->dfd >= 0)
		close(kf->dfd);
	if (kf->fd >= 0)
		close(kf->fd);
	if (kf->path[0])
		unlink(kf->path);
	kf->map = NULL;
	kf->fd = kf->dfd = -1;
	kf->path[0] = '\0';
}

static int iter_setup(struct kiter *it, int iter)
{
	const struct litmus_test *t = it->t;
	int i, ret;

	for (i = 0; i < t->nr_files; i++) {
		it->files[i].fd = it->files[i].dfd = -1;
		it->files[i].map = NULL;
		it->files[i].path[0] = '\0';
	}
	for (i = 0; i < t->nr_files; i++) {
		ret = file_create(it, i, iter);
		if (ret)
			return ret;
	}
	for (i = 0; i < t->nr_vars; i++)
		atomic_store(&it->vars[i], t->vars[i].init);
	atomic_store(&it->unmapped, false);
	for (i = 0; i < t->nr_threads; i++) {
		memset(it->thr[i].regs, 0, sizeof(it->thr[i].regs));
		memset(it->thr[i].h, 0, sizeof(it->thr[i].h));
		it->thr[i].it = it;
		it->thr[i].thr = &t->threads[i];
	}
	return 0;
}

/* Let the threads go: all at once, or (@fail) to find the iteration abandoned. */
static void iter_go(struct kiter *it, bool fail)
{
	if (fail)
		kops_unmapped(it, "pthread_create: %s", strerror(EAGAIN));
	pthread_mutex_lock(&it->go_lock);
	it->go = true;
	pthread_cond_broadcast(&it->go_cond);
	pthread_mutex_unlock(&it->go_lock);
}

/* Create every thread, start them together, wait for all of them. */
static int iter_threads(struct kiter *it)
{
	int i, n = it->t->nr_threads, started = 0, ret = 0;

	it->go = false;
	for (i = 0; i < n && !ret; i++) {
		ret = -pthread_create(&it->thr[i].tid, NULL, thread_main, &it->thr[i]);
		if (!ret)
			started++;
	}
	iter_go(it, ret != 0);
	for (i = 0; i < started; i++)
		pthread_join(it->thr[i].tid, NULL);
	return ret;
}

/* After fsync: page @i read from the disk (O_DIRECT), or from tmpfs's cache. */
static s64 readback(struct kiter *it, struct kfile *kf, int i, void *buf)
{
	int fd = kf->dfd >= 0 && it->fs->fs != LT_FS_TMPFS ? kf->dfd : kf->fd;
	ssize_t n;

	if (fd == kf->fd)
		posix_fadvise(kf->fd, 0, 0, POSIX_FADV_DONTNEED);
	n = pread(fd, buf, KPAGE, (off_t)i * KPAGE);
	if (n < 0)
		return errno == EIO ? LT_VAL_EIO : 0;
	if (n == 0)
		return 0;
	if (n != KPAGE)
		return LT_VAL_TORN;
	return kpage_value(buf);
}

static const char *vmstat_names[2] = { "nr_foll_pin_acquired", "nr_foll_pin_released" };

/* nr_foll_pin_acquired - nr_foll_pin_released, per-cpu deltas folded first. */
static s64 pins_outstanding(void)
{
	char line[128];
	long long v[2] = { 0, 0 };
	FILE *f;
	int fd, i;

	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			errno = 0;	/* not root: the counters lag a little */
		close(fd);
	}
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < 2; i++)
			if (!strncmp(line, vmstat_names[i], strlen(vmstat_names[i])) &&
			    line[strlen(vmstat_names[i])] == ' ')
				v[i] = atoll(line + strlen(vmstat_names[i]) + 1);
	fclose(f);
	return v[0] - v[1];
}

#define PINS_SETTLE_MS	200	/* how long deferred pin releases may take */

/*
 * pins_settled() - the pins still outstanding beyond @base once the I/O has
 * ended: a direct I/O whose pages need dirtying again releases its pins
 * from a worker after read(2) returned (bio_check_pages_dirty() defers to
 * bio_dirty_work), so a count above @base is looked at again for up to
 * PINS_SETTLE_MS before it is called a leak, as the model's epilogue waits
 * for all I/O before it counts.
 */
static s64 pins_settled(s64 base)
{
	struct timespec ms = { 0, 1000000 };
	s64 n = pins_outstanding();
	int i;

	for (i = 0; n > base && i < PINS_SETTLE_MS; i++) {
		nanosleep(&ms, NULL);
		n = pins_outstanding();
	}
	return n;
}

static void kmsg_start(struct kwatch *w)
{
	if (w->kmsg_fd >= 0)
		lseek(w->kmsg_fd, 0, SEEK_END);
	if (w->want_pins)
		w->pins = pins_outstanding();
}

/* Which flag a kernel log line raises, or -1. */
static int kmsg_flag(const char *msg)
{
	if (strstr(msg, "kernel BUG") || strstr(msg, "BUG:") || strstr(msg, "Oops"))
		return strstr(msg, "Bad page") || strstr(msg, "use-after-free") ?
		       PLF_UAF : PLF_BUG;
	if (strstr(msg, "WARNING:"))
		return PLF_WARN;
	if (strstr(msg, "csum failed") || strstr(msg, "checksum error"))
		return PLF_CSUM_ERROR;
	if (strstr(msg, "I/O error"))
		return PLF_IO_ERROR;
	return -1;
}

/* The flags raised by the kernel log lines that appeared since kmsg_start(). */
static u32 kmsg_flags(struct kwatch *w, struct kresult *kr)
{
	char rec[2048];
	const char *msg;
	u32 mask = 0;
	ssize_t n;
	int fl;

	if (w->kmsg_fd < 0)
		return 0;
	for (;;) {
		n = read(w->kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten; read on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		fl = kmsg_flag(msg ? msg + 1 : rec);
		if (fl < 0)
			continue;
		mask |= BIT(fl);
		if (!kr->kmsg[0]) {
			snprintf(kr->kmsg, sizeof(kr->kmsg), "%.200s", msg ? msg + 1 : rec);
			kr->kmsg[strcspn(kr->kmsg, "\n")] = '\0';
		}
	}
	return mask;
}

/**
 * struct kfinal - the state at the end of an iteration
 * @flags: PLF_* bits observed
 * @pages: per file, per page, the value read back
 * @sizes: per file, its size in pages (rounded up)
 */
struct kfinal {
	u32 flags;
	s64 **pages;
	s64 sizes[LT_MAX_FILES];
};

/* The size of the file open at @fd in pages, rounded up; -errno if fstat fails. */
static s64 file_pages(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	return (st.st_size + KPAGE - 1) / KPAGE;
}

/* docs/litmus.md's epilogue on the kernel: fsync, look at pins, read back from disk. */
static int iter_epilogue(struct kiter *it, struct kwatch *w, struct kresult *kr,
			 struct kfinal *fin)
{
	const struct litmus_test *t = it->t;
	void *buf;
	int f, i, held = 0;

	if (posix_memalign(&buf, KPAGE, KPAGE))
		return -ENOMEM;
	fin->flags = 0;
	for (f = 0; f < t->nr_files; f++)
		if (fsync(it->files[f].fd) && errno == EIO)
			fin->flags |= BIT(PLF_IO_ERROR);
	for (f = 0; f < t->nr_files; f++)
		for (i = 0; i < t->files[f].nr_pages; i++)
			fin->pages[f][i] = readback(it, &it->files[f], i, buf);
	for (f = 0; f < t->nr_files; f++)
		fin->sizes[f] = file_pages(it->files[f].fd);
	free(buf);
	for (i = 0; i < t->nr_threads; i++)
		held += kops_release(&it->thr[i]);
	if (held || (w->want_pins && pins_settled(w->pins) > w->pins))
		fin->flags |= BIT(PLF_LEAK);
	fin->flags |= kmsg_flags(w, kr);
	return 0;
}

static void iter_teardown(struct kiter *it)
{
	int i;

	for (i = 0; i < it->t->nr_threads; i++)
		kops_release(&it->thr[i]);
	for (i = 0; i < it->t->nr_files; i++)
		file_destroy(&it->files[i]);
}

/* ---- outcomes ---- */

static s64 loc_value(const struct kiter *it, const struct kfinal *fin,
		     const struct lt_operand *o)
{
	switch (o->kind) {
	case LO_REG:
		return it->thr[o->thread].regs[o->reg];
	case LO_VAR:
		return atomic_load(&it->vars[o->var]);
	case LO_FLAG:
		return !!(fin->flags & BIT(o->flag));
	case LO_PAGE:
		return fin->pages[o->file][o->page];
	case LO_SIZE:
		return fin->sizes[o->file];
	default:
		return 0;
	}
}

/* Count the outcome @vals in @kr. Return: 0 or -ENOMEM */
static int outcome_add(struct kresult *kr, const s64 *vals)
{
	const struct litmus_test *t = kr->r.test;
	size_t sz = t->nr_locs * sizeof(s64);
	struct outcome *o;
	int i;

	for (i = 0; i < kr->r.nr_outcomes; i++)
		if (!memcmp(kr->r.outcomes[i].vals, vals, sz))
			break;
	if (i == kr->r.nr_outcomes) {
		if (i == kr->cap) {
			kr->cap = kr->cap ? kr->cap * 2 : 8;
			o = realloc(kr->r.outcomes, kr->cap * sizeof(*o));
			if (!o)
				return -ENOMEM;
			kr->r.outcomes = o;
		}
		o = &kr->r.outcomes[i];
		o->vals = malloc(sz ? sz : 1);
		if (!o->vals)
			return -ENOMEM;
		memcpy(o->vals, vals, sz);
		o->count = 0;
		o->holds = lt_cond_holds(t, vals);
		o->witness = NULL;	/* a kernel iteration has no replay string */
		kr->r.nr_outcomes++;
	}
	o = &kr->r.outcomes[i];
	o->count++;
	if (o->holds)
		kr->r.positive++;
	else
		kr->r.negative++;
	return 0;
}

/* Sorted outcomes, verdict and validation as litmus_run() concludes them. */
static void kresult_conclude(struct kresult *kr, u64 iterations)
{
	struct lt_result *r = &kr->r;

	lt_result_conclude(r);
	snprintf(r->explored, sizeof(r->explored), "kernel iterations=%" PRIu64, iterations);
}

static void kresult_init(struct kresult *kr, const struct litmus_test *t)
{
	struct utsname u;

	memset(kr, 0, sizeof(*kr));
	kr->r.test = t;
	kr->r.mark = -1;
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(kr->kpol.name, sizeof(kr->kpol.name), "kernel-%.48s", u.release);
	kr->kpol.summary = "the running kernel";
	kr->r.policy = &kr->kpol;
}

/* ---- one test ---- */

/**
 * struct krun - the state of running one test
 * @t:     the test
 * @it:    the iteration
 * @fin:   the final state of the iteration
 * @vals:  its outcome
 * @w:     the watchers
 */
struct krun {
	const struct litmus_test *t;
	struct kiter it;
	struct kfinal fin;
	s64 *vals;
	struct kwatch w;
};

static void krun_free(struct krun *k)
{
	int f;

	if (k->fin.pages)
		for (f = 0; f < k->t->nr_files; f++)
			free(k->fin.pages[f]);
	free(k->fin.pages);
	free(k->it.files);
	free(k->it.vars);
	free(k->vals);
	if (k->w.kmsg_fd >= 0)
		close(k->w.kmsg_fd);
	pthread_mutex_destroy(&k->it.why_lock);
	pthread_mutex_destroy(&k->it.go_lock);
	pthread_cond_destroy(&k->it.go_cond);
}

static bool reads_flag(const struct litmus_test *t, enum pl_flag fl)
{
	int i;

	for (i = 0; i < t->nr_locs; i++)
		if (t->locs[i].kind == LO_FLAG && t->locs[i].flag == (int)fl)
			return true;
	return false;
}

/* The condition reads a flag that only the kernel log can raise. */
static bool reads_kmsg_flag(const struct litmus_test *t)
{
	return reads_flag(t, PLF_BUG) || reads_flag(t, PLF_WARN) || reads_flag(t, PLF_UAF) ||
	       reads_flag(t, PLF_CSUM_ERROR);
}

static int krun_init(struct krun *k, const struct litmus_test *t, struct kfs *fs,
		     const struct kopts *o)
{
	int f, n = t->nr_files;

	memset(k, 0, sizeof(*k));
	k->t = t;
	k->w.kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	k->w.want_pins = reads_flag(t, PLF_LEAK);
	pthread_mutex_init(&k->it.why_lock, NULL);
	pthread_mutex_init(&k->it.go_lock, NULL);
	pthread_cond_init(&k->it.go_cond, NULL);
	k->it.t = t;
	k->it.fs = fs;
	k->it.max_delay_ns = o->delay_ns;
	k->it.files = calloc(n ? n : 1, sizeof(*k->it.files));
	k->it.vars = calloc(t->nr_vars ? t->nr_vars : 1, sizeof(*k->it.vars));
	k->vals = calloc(t->nr_locs ? t->nr_locs : 1, sizeof(*k->vals));
	k->fin.pages = calloc(n ? n : 1, sizeof(*k->fin.pages));
	if (!k->it.files || !k->it.vars || !k->vals || !k->fin.pages)
		return -ENOMEM;
	for (f = 0; f < n; f++) {
		k->fin.pages[f] = calloc(t->files[f].nr_pages, sizeof(s64));
		if (!k->fin.pages[f])
			return -ENOMEM;
	}
	if (k->w.kmsg_fd < 0 && reads_kmsg_flag(t))
		return -EACCES;
	return 0;
}

/* One iteration: set up, run the threads, the epilogue, count the outcome. */
static int krun_once(struct krun *k, struct kresult *kr, int iter, unsigned int seed)
{
	int i, ret;

	ret = k->t->nr_files && !k->it.fs ? -ENODEV : iter_setup(&k->it, iter);
	if (ret)
		goto out;
	for (i = 0; i < k->t->nr_threads; i++)
		k->it.thr[i].rnd = seed * 31u + i;
	kmsg_start(&k->w);
	ret = iter_threads(&k->it);
	if (ret || kernel_stop || atomic_load(&k->it.unmapped))
		goto out;
	ret = iter_epilogue(&k->it, &k->w, kr, &k->fin);
	if (ret)
		goto out;
	for (i = 0; i < k->t->nr_locs; i++)
		k->vals[i] = loc_value(&k->it, &k->fin, &k->t->locs[i]);
	ret = outcome_add(kr, k->vals);
out:
	iter_teardown(&k->it);
	return ret;
}

/**
 * kernel_run_test() - run @t o->iterations times on @fs
 * @t:   the test, accepted by kops_refuse()
 * @fs:  its filesystem, NULL for a test without files
 * @o:   the options
 * @kr:  the outcomes
 * @why: when an iteration met something it cannot mirror: why
 * @len: size of @why
 *
 * Return: 0; -EOPNOTSUPP with @why when the test cannot be mirrored after
 * all; -EINTR when interrupted; another -errno when setting up failed.
 */
static int kernel_run_test(const struct litmus_test *t, struct kfs *fs,
			   const struct kopts *o, struct kresult *kr, char *why, size_t len)
{
	struct krun k;
	u64 start = now_ns(), n;
	int ret;

	ret = krun_init(&k, t, fs, o);
	if (ret == -EACCES) {
		snprintf(why, len, "the condition reads kernel warnings, and /dev/kmsg cannot be read");
		ret = -EOPNOTSUPP;
	}
	for (n = 0; !ret && n < o->iterations; n++) {
		if (kernel_stop) {
			ret = -EINTR;
			break;
		}
		ret = krun_once(&k, kr, (int)n, (unsigned int)(o->seed + n));
		if (!ret && atomic_load(&k.it.unmapped)) {
			snprintf(why, len, "%s", k.it.why);
			ret = -EOPNOTSUPP;
		}
	}
	if (!ret && kernel_stop)
		ret = -EINTR;
	if (ret && ret != -EOPNOTSUPP && ret != -EINTR)
		snprintf(why, len, "iteration %" PRIu64 ": %s", n, strerror(-ret));
	kr->r.stats.executions = kr->r.positive + kr->r.negative;
	kr->r.stats.seconds = (now_ns() - start) / 1e9;
	kresult_conclude(kr, o->iterations);
	krun_free(&k);
	return ret;
}

/* ---- comparing with the model ---- */

/* "0:r0=1; A[0]=2;" */
static void state_line(const struct litmus_test *t, const s64 *vals, char *buf, size_t len)
{
	char loc[LT_NAME_MAX + 32], val[32];
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < t->nr_locs && used < len; i++) {
		lt_format_loc(t, &t->locs[i], loc, sizeof(loc));
		lt_format_value(&t->locs[i], vals[i], val, sizeof(val));
		used += snprintf(buf + used, len - used, "%s%s=%s;", i ? " " : "", loc, val);
	}
}

static bool has_outcome(const struct lt_result *r, const s64 *vals, int nr_locs)
{
	int i;

	for (i = 0; i < r->nr_outcomes; i++)
		if (!memcmp(r->outcomes[i].vals, vals, nr_locs * sizeof(s64)))
			return true;
	return false;
}

/* Print the outcomes of @a that @b lacks, each on a line starting with @tag. */
static int print_missing(const char *tag, const struct lt_result *a,
			 const struct lt_result *b)
{
	const struct litmus_test *t = a->test;
	char line[STATE_MAX];
	int i, n = 0;

	for (i = 0; i < a->nr_outcomes; i++) {
		if (has_outcome(b, a->outcomes[i].vals, t->nr_locs))
			continue;
		state_line(t, a->outcomes[i].vals, line, sizeof(line));
		printf("%s %s %s\n", tag, t->name, line);
		n++;
	}
	return n;
}

/**
 * compare_model() - the kernel's outcomes against the model's under mainline
 * @kr:   the kernel's outcomes
 * @tap:  TAP test point number
 * @fs:   the filesystem name, for the TAP line
 *
 * Return: 0 when every kernel outcome is in the model's set, EXIT_MISMATCH
 * when one is not; a model that cannot run the test is a SKIP (0).
 */
static int compare_model(struct kresult *kr, int tap, const char *fs)
{
	const struct litmus_test *t = kr->r.test;
	const struct policy *p = policy_find("mainline");
	struct explore_opts eo;
	struct lt_result mr;
	int extra, missing;

	explore_opts_default(&eo);
	if (!p || litmus_run(t, p, &eo, false, &mr)) {
		printf("ok %d - %s %s # SKIP the model cannot run it: %s\n", tap, t->name, fs,
		       p ? mr.stats.error : "no mainline preset");
		if (p)
			lt_result_free(&mr);
		return 0;
	}
	printf("Model %s mainline %s %" PRIu64 " states=%d\n", t->name, mr.explored,
	       mr.stats.executions, mr.nr_outcomes);
	extra = print_missing("Kernel-only", &kr->r, &mr);
	missing = print_missing("Model-only", &mr, &kr->r);
	if (extra)
		printf("not ok %d - %s %s: %d kernel state(s) the model forbids\n", tap,
		       t->name, fs, extra);
	else
		printf("ok %d - %s %s: %d kernel state(s) inside mainline's %d (%d not seen)\n",
		       tap, t->name, fs, kr->r.nr_outcomes, mr.nr_outcomes, missing);
	lt_result_free(&mr);
	return extra ? EXIT_MISMATCH : 0;
}

/* ---- the command ---- */

static void usage(FILE *f)
{
	fputs("usage: pinlab kernel [--iterations N] [--compare] [--keep-going] [--seed S]\n"
	      "                     [--delay-ns D] FILE...\n"
	      "Run each test's threads as pthreads on the running kernel N times, each\n"
	      "operation mapped to the syscall that drives the same kernel path (see\n"
	      "docs/kernel-runner.md), and print the outcomes as a herd7 block.\n"
	      "\n"
	      "  -n, --iterations N  runs of each test (default 100)\n"
	      "  -c, --compare       also run the model under mainline; exit 1 on a kernel\n"
	      "                      outcome the model forbids; print TAP\n"
	      "  -k, --keep-going    skip a refused test instead of exiting 2\n"
	      "      --seed S        seed of the random delays (default 1)\n"
	      "      --delay-ns D    longest random delay before a statement, log-uniform\n"
	      "                      (default 2000000)\n"
	      "      --fs FS[,FS...] run each test on each of ext4, btrfs, xfs, tmpfs instead\n"
	      "                      of its own fs = (the model comparison follows)\n", f);
}

static int parse_u64(const char *opt, const char *s, u64 lo, u64 hi, u64 *out)
{
	char *end;
	unsigned long long v;

	if (!s)
		return kerr("%s needs a value", opt);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '-' || !*s || *end || errno || v < lo || v > hi)
		return kerr("%s expects a number from %llu to %llu, got '%s'", opt,
			    (unsigned long long)lo, (unsigned long long)hi, s);
	*out = v;
	return 0;
}

/* The value of option argv[*i], advancing *i; NULL when there is none. */
static const char *opt_value(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

/* --fs ext4,btrfs: each name once. */
static int parse_fs_list(const char *list, struct kopts *o)
{
	const char *p = list;
	size_t len;
	int f, j;

	if (!list || !*list)
		return kerr("--fs needs a list of filesystems (ext4, btrfs, xfs, tmpfs)");
	for (; *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		for (f = 0; f < LT_FS_NR; f++)
			if (strlen(kfs_name(f)) == len && !strncmp(p, kfs_name(f), len))
				break;
		if (f == LT_FS_NR)
			return kerr("--fs: unknown filesystem '%.*s' (ext4, btrfs, xfs or tmpfs)",
				    (int)len, p);
		for (j = 0; j < o->nr_fs; j++)
			if (o->fs[j] == (enum lt_fs)f)
				return kerr("--fs: '%.*s' twice", (int)len, p);
		o->fs[o->nr_fs++] = f;
	}
	return 0;
}

/* One option at argv[*i]. Return: 0, EXIT_USAGE, or -1 after --help */
static int parse_opt(int argc, char **argv, int *i, struct kopts *o)
{
	const char *a = argv[*i];
	u64 v;
	int ret;

	if (!strcmp(a, "-n") || !strcmp(a, "--iterations"))
		return parse_u64(a, opt_value(argc, argv, i), 1, MAX_ITERATIONS,
				 &o->iterations);
	if (!strcmp(a, "-c") || !strcmp(a, "--compare")) {
		o->compare = true;
		return 0;
	}
	if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
		o->keep_going = true;
		return 0;
	}
	if (!strcmp(a, "--seed"))
		return parse_u64(a, opt_value(argc, argv, i), 0, UINT32_MAX, &o->seed);
	if (!strcmp(a, "--fs"))
		return o->nr_fs ? kerr("--fs given twice") : parse_fs_list(opt_value(argc, argv, i), o);
	if (!strcmp(a, "--delay-ns")) {
		ret = parse_u64(a, opt_value(argc, argv, i), 0, 1000000000, &v);
		o->delay_ns = (long)v;
		return ret;
	}
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		usage(stdout);
		return -1;
	}
	return kerr("kernel: unknown option '%s' (try 'pinlab kernel --help')", a);
}

static int parse_opts(int argc, char **argv, struct kopts *o)
{
	int i, ret = 0;

	o->iterations = DEFAULT_ITERATIONS;
	o->seed = 1;
	o->delay_ns = DEFAULT_DELAY_NS;
	o->paths = calloc(argc, sizeof(*o->paths));
	if (!o->paths)
		return kerr("out of memory");
	for (i = 1; i < argc && !ret; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			ret = parse_opt(argc, argv, &i, o);
		else
			o->paths[o->nr_paths++] = argv[i];
	}
	if (!ret && !o->nr_paths)
		ret = kerr("no litmus file given (try 'pinlab kernel --help')");
	return ret;
}

/**
 * struct kcli - the tests of one invocation and what became of them
 * @tests:   parsed tests, one per path
 * @refused: per test, why it cannot run on the kernel, or NULL
 * @n:       entries
 */
struct kcli {
	struct litmus_test **tests;
	char **refused;
	int n;
};

static void kcli_free(struct kcli *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		litmus_free(c->tests[i]);
		free(c->refused[i]);
	}
	free(c->tests);
	free(c->refused);
}

/* Test @i of @c is the file at @path, on --fs @fs when given. */
static int kcli_load_one(struct kcli *c, const struct kopts *o, const char *path,
			 int fs)
{
	char err[STATE_MAX], why[KWHY_MAX];
	int i = c->n;

	if (litmus_parse_file(path, &c->tests[i], err, sizeof(err)))
		return kerr("%s", err);
	c->n++;
	if (fs >= 0)
		c->tests[i]->fs = fs;
	if (!kops_refuse(c->tests[i], why, sizeof(why)))
		return 0;
	if (!o->compare && !o->keep_going)
		return kerr("%s: pinlab kernel refuses it: %s", path, why);
	c->refused[i] = strdup(why);
	return c->refused[i] ? 0 : kerr("out of memory");
}

/* Parse every test (once per --fs filesystem) and decide the refusals, before any output. */
static int kcli_load(struct kcli *c, const struct kopts *o)
{
	int per = o->nr_fs ? o->nr_fs : 1, i, f, ret = 0;

	c->tests = calloc((size_t)o->nr_paths * per, sizeof(*c->tests));
	c->refused = calloc((size_t)o->nr_paths * per, sizeof(*c->refused));
	if (!c->tests || !c->refused)
		return kerr("out of memory");
	for (i = 0; i < o->nr_paths && !ret; i++)
		for (f = 0; f < per && !ret; f++)
			ret = kcli_load_one(c, o, o->paths[i], o->nr_fs ? (int)o->fs[f] : -1);
	return ret;
}

/**
 * struct kstatus - the running totals of one invocation
 * @tap:    TAP test points printed (--compare)
 * @status: exit status so far
 */
struct kstatus {
	int tap;
	int status;
};

/* A test that does not run: TAP SKIP with --compare, else a loud line on stderr. */
static void skip(const struct kopts *o, struct kstatus *s, const struct litmus_test *t,
		 const char *fs, const char *why)
{
	if (o->compare)
		printf("ok %d - %s %s # SKIP %s\n", ++s->tap, t->name, fs, why);
	else
		fprintf(stderr, "pinlab: kernel: SKIP %s (%s): %s\n", t->name, fs, why);
}

static void one_test(struct kenv *e, const struct kopts *o, struct kstatus *s,
		     const struct litmus_test *t, const char *refused)
{
	const char *fs = t->nr_files ? kfs_name(t->fs) : "nofs";
	char why[KWHY_MAX];
	struct kresult kr;
	struct kfs *f = NULL;
	int ret;

	if (refused) {
		skip(o, s, t, fs, refused);
		if (!o->compare)
			s->status = max_t(int, s->status, EXIT_USAGE);
		return;
	}
	if (t->nr_files) {
		f = kenv_fs(e, t->fs, why, sizeof(why));
		if (!f) {
			skip(o, s, t, fs, why);
			return;
		}
	}
	kresult_init(&kr, t);
	ret = kernel_run_test(t, f, o, &kr, why, sizeof(why));
	if (ret == -EOPNOTSUPP) {
		skip(o, s, t, fs, why);
		if (!o->compare)
			s->status = max_t(int, s->status, EXIT_USAGE);
	} else if (ret && ret != -EINTR) {
		fprintf(stderr, "pinlab: error: %s: %s\n", t->path, why);
		s->status = EXIT_USAGE;
	} else if (!ret) {
		report_herd(stdout, &kr.r);
		if (kr.kmsg[0])
			printf("Kmsg %s %s\n", t->name, kr.kmsg);
		if (o->compare) {
			ret = compare_model(&kr, ++s->tap, fs);
			s->status = max_t(int, s->status, ret);
		}
	}
	lt_result_free(&kr.r);
}

/**
 * kernel_main() - `pinlab kernel [options] FILE...`
 * @argc: arguments, from "kernel" on
 * @argv: them
 *
 * Return: 0; 1 with --compare when the kernel showed an outcome the model
 * forbids; 2 for a usage or parse error, a refused test or a failure; 130
 * when interrupted (after cleaning up).
 */
int kernel_main(int argc, char **argv)
{
	struct kopts o = { 0 };
	struct kstatus s = { 0 };
	struct kcli c = { 0 };
	struct kenv e;
	char why[KWHY_MAX];
	int i, ret;

	ret = parse_opts(argc, argv, &o);
	if (!ret)
		ret = kcli_load(&c, &o);
	if (ret || kenv_init(&e, why, sizeof(why))) {
		if (!ret)
			ret = kerr("kernel: %s", why);
		goto out;
	}
	signals_install();
	kops_init();
	if (!e.root)
		fprintf(stderr, "pinlab: kernel: WARNING: not root: no loop filesystems "
			"(ext4, xfs, btrfs); only tmpfs on /dev/shm\n");
	for (i = 0; i < c.n && !kernel_stop; i++)
		one_test(&e, &o, &s, c.tests[i], c.refused[i]);
	kenv_cleanup(&e);
	if (o.compare)
		printf("1..%d\n", s.tap);
	ret = kernel_stop ? 130 : s.status;
	if (kernel_stop)
		fprintf(stderr, "pinlab: kernel: interrupted; cleaned up\n");
out:
	kcli_free(&c);
	free(o.paths);
	return ret < 0 ? 0 : ret;
}
