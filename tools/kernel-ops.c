/* kernel-ops.c - which litmus operations run on the kernel and which are refused; page contents. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinlab/bug.h>

#include "kernel.h"

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

	for (i = 0; i < KWORDS; i++)
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

	for (i = 1; i < KWORDS; i++)
		if (w[i] != w[0])
			return LT_VAL_TORN;
	return w[0];
}

/**
 * kpage_got() - the value of a page of which a read returned @n bytes
 * @buf: KPAGE bytes, the first @n of them read
 * @n:   what pread(2) returned, not negative
 *
 * Return: 0 when nothing was read (beyond EOF, as the model reads it),
 * LT_VAL_TORN for a short read, else kpage_value().
 */
s64 kpage_got(const void *buf, ssize_t n)
{
	if (n == 0)
		return 0;
	if (n != KPAGE)
		return LT_VAL_TORN;
	return kpage_value(buf);
}

/**
 * kpage_pread() - the value of the page at @off of @fd, read into an aligned buffer
 * @fd:  the file or device, O_DIRECT or not
 * @off: its byte offset
 *
 * Return: kpage_value() of the page; -ENOMEM, or -errno (-EIO for a short
 * read) when it cannot be read whole.
 */
s64 kpage_pread(int fd, off_t off)
{
	void *buf;
	s64 ret;

	if (posix_memalign(&buf, KPAGE, KPAGE))
		return -ENOMEM;
	ret = pread(fd, buf, KPAGE, off) == KPAGE ? kpage_value(buf) : kneg_errno();
	free(buf);
	return ret;
}

/* ---- which operations run, and how ---- */

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

#define NO_GET	"no syscall holds a FOLL_GET reference to a file page across later operations " \
		"(6.18 takes FOLL_PIN for direct I/O, vmsplice and io_uring)"
#define NO_DIRTY "no syscall dirties the pages of a pin held from userspace: io_uring " \
		"unpins without set_page_dirty()"
#define NO_SEED	"the 2018 put_user_page*() API does not exist in 6.18; io_uring unpins " \
		"with unpin_user_page()"

/* Operations no syscall can mirror, each with the reason. */
static const struct kop refused[] = {
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

static const struct kop_set kops_refused = { refused, ARRAY_SIZE(refused) };

/* Every operation the runner knows, by kind. */
static const struct kop_set *const kop_sets[] = {
	&kops_mm, &kops_file, &kops_layout, &kops_gup, &kops_refused,
};

static const struct kop *kop_find(const char *name)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(kop_sets); i++)
		for (j = 0; j < kop_sets[i]->n; j++)
			if (!strcmp(kop_sets[i]->v[j].name, name))
				return &kop_sets[i]->v[j];
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
	kmap_sigbus_install();
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

