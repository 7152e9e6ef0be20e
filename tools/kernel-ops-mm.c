/* kernel-ops-mm.c - the mapping on the kernel: CPU stores and loads, reclaim, drop_caches. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pinlab/bug.h>

#include "kernel.h"

static __thread sigjmp_buf *fault_jmp;	/* set while touching the mapping */

/* SIGBUS on a store or load beyond EOF: the model's -EFAULT. */
static void on_sigbus(int sig)
{
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/**
 * kmap_sigbus_install() - turn SIGBUS on a store or load beyond EOF into -EFAULT
 *
 * Context: once per process, before the first thread runs; later calls do
 * nothing.
 */
void kmap_sigbus_install(void)
{
	static bool done;
	struct sigaction sa = { .sa_handler = on_sigbus };

	if (done)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	done = true;
}

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
	for (i = 0; i < KWORDS; i++) {
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
	volatile s64 *p = kmap_page(th, argv[0], argv[1]);

	(void)st;
	if (!p)
		return -EFAULT;
	return map_access(p, NULL, argv[2]);
}

/* r = load(A, i): CPU loads through the mapping. */
static s64 k_load(struct kthread *th, const struct lt_stmt *st, const s64 *argv)
{
	volatile s64 *p = kmap_page(th, argv[0], argv[1]);
	s64 buf[KWORDS];
	int err;

	(void)st;
	if (!p)
		return -EFAULT;
	err = map_access(p, buf, 0);
	return err ? err : kpage_value(buf);
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

static const struct kop mm_ops[] = {
	{ "store", k_store, NULL, NULL },
	{ "load", k_load, NULL, NULL },
	{ "reclaim", k_reclaim, check_reclaim, NULL },
	{ "drop_caches", k_drop_caches, NULL, NULL },
};

const struct kop_set kops_mm = { mm_ops, ARRAY_SIZE(mm_ops) };
