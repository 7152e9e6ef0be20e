/* kernel-ops-layout.c - layout changes on the kernel: leases, truncate, hole punch, reflink. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/fs.h>

#include <pinlab/bug.h>

#include "kernel.h"

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

static const struct kop layout_ops[] = {
	{ "lease", k_lease, check_lease, NULL },
	{ "unlease", k_unlease, NULL, NULL },
	{ "truncate", k_truncate, NULL, NULL },
	{ "punch", k_punch, NULL, NULL },
	{ "reflink", k_reflink, NULL, NULL },
};

const struct kop_set kops_layout = { layout_ops, ARRAY_SIZE(layout_ops) };
