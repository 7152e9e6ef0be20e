/* kernel-run.c - one test on the running Linux, many times: files, threads, epilogue, outcome. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pinlab/bug.h>

#include "kernel.h"

/* ---- one iteration ---- */

/* A test file on @fs: its pages written, synced and dropped from the cache, mapped. */
static int file_create(struct kiter *it, int n, int iter)
{
	const struct lt_file *lf = &it->t->files[n];
	struct kfile *kf = &it->files[n];
	s64 buf[KWORDS];
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
	return kpage_got(buf, n);
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
	if (held || kwatch_leaked(w))
		fin->flags |= BIT(PLF_LEAK);
	fin->flags |= kwatch_kmsg_flags(w, kr);
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

/* The value of the condition's location @o at the end of the iteration. */
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
	kwatch_free(&k->w);
	pthread_mutex_destroy(&k->it.why_lock);
	pthread_mutex_destroy(&k->it.go_lock);
	pthread_cond_destroy(&k->it.go_cond);
}

/* Everything @t's iterations need. Return: 0, -ENOMEM, or -EACCES (kwatch_init()) */
static int krun_init(struct krun *k, const struct litmus_test *t, struct kfs *fs,
		     const struct kopts *o)
{
	int f, n = t->nr_files, ret;

	memset(k, 0, sizeof(*k));
	k->t = t;
	ret = kwatch_init(&k->w, t);
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
	return ret;
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
	kwatch_start(&k->w);
	ret = kthreads_run(&k->it);
	if (ret || kernel_stop || atomic_load(&k->it.unmapped))
		goto out;
	ret = iter_epilogue(&k->it, &k->w, kr, &k->fin);
	if (ret)
		goto out;
	for (i = 0; i < k->t->nr_locs; i++)
		k->vals[i] = loc_value(&k->it, &k->fin, &k->t->locs[i]);
	ret = kresult_add(kr, k->vals);
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
int kernel_run_test(const struct litmus_test *t, struct kfs *fs, const struct kopts *o,
		    struct kresult *kr, char *why, size_t len)
{
	struct krun k;
	u64 start = kclock_ns(), n;
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
	kr->r.stats.seconds = (kclock_ns() - start) / 1e9;
	kresult_conclude(kr, o->iterations);
	krun_free(&k);
	return ret;
}
