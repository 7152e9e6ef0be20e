/* panic.c - outcome flags: BUG, WARN and the rest, recorded per execution instead of crashing. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <pinlab/bug.h>
#include <pinlab/sched.h>

static const char *const flag_names[PLF_NR] = {
	[PLF_BUG] = "bug",
	[PLF_WARN] = "warn",
	[PLF_CSUM_ERROR] = "csum_error",
	[PLF_IO_ERROR] = "io_error",
	[PLF_UAF] = "uaf",
	[PLF_LEAK] = "leak",
	[PLF_DEADLOCK] = "deadlock",
	[PLF_REVOKED] = "revoked",
	[PLF_LIVELOCK] = "livelock",
	[PLF_DMA_AFTER_UNPIN] = "dma_after_unpin",
};

/*
 * @report and @reason are shared by every task of the threads back end, hence
 * @lock; on sim only one task runs at a time.
 */
static struct flag_report report;
static char reason[PLF_NR][128];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * flag_name() - the litmus name of a flag ("bug", "csum_error", ...)
 */
const char *flag_name(enum pl_flag f)
{
	return (unsigned int)f < PLF_NR ? flag_names[f] : "?";
}

/**
 * flag_lookup() - the flag called @name, or -1
 */
int flag_lookup(const char *name, size_t len)
{
	int f;

	for (f = 0; f < PLF_NR; f++) {
		if (strlen(flag_names[f]) == len && !memcmp(flag_names[f], name, len))
			return f;
	}
	return -1;
}

/**
 * flags_reset() - forget every flag: called at the start of each execution
 */
void flags_reset(void)
{
	memset(&report, 0, sizeof(report));
}

/**
 * flags_get() - the flags raised so far in this execution
 */
const struct flag_report *flags_get(void)
{
	return &report;
}

static void flag_record(enum pl_flag f, const char *what, const char *fn)
{
	u32 steps = kernel_steps_taken();

	if (report.mask & BIT(f))
		return;
	report.mask |= BIT(f);
	report.step[f] = steps ? steps - 1 : 0;
	if (fn)
		snprintf(reason[f], sizeof(reason[f]), "%s in %s", what, fn);
	else
		snprintf(reason[f], sizeof(reason[f]), "%s", what);
	report.what[f] = reason[f];
}

void flag_raise(enum pl_flag f, const char *what)
{
	pthread_mutex_lock(&lock);
	flag_record(f, what, NULL);
	pthread_mutex_unlock(&lock);
}

__noreturn void __bug(const char *cond, const char *fn)
{
	pthread_mutex_lock(&lock);
	flag_record(PLF_BUG, cond, fn);
	pthread_mutex_unlock(&lock);
	task_exit();
}

void __warn(const char *cond, const char *fn)
{
	pthread_mutex_lock(&lock);
	flag_record(PLF_WARN, cond, fn);
	pthread_mutex_unlock(&lock);
}
