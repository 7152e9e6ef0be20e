/* kernel-watch.c - what an iteration watches besides registers: the kernel log, pins in vmstat. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pinlab/bug.h>

#include "kernel.h"

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

/**
 * kwatch_kmsg_flags() - the flags the kernel log lines since kwatch_start() raise
 * @w:  the watchers
 * @kr: the test's outcomes: the first such line is kept in @kr->kmsg
 *
 * Return: PLF_* bits; 0 without /dev/kmsg.
 */
u32 kwatch_kmsg_flags(struct kwatch *w, struct kresult *kr)
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
 * kwatch_init() - the watchers of test @t
 * @w: to set up; kwatch_free() undoes it
 * @t: the test: what its condition reads decides what is watched
 *
 * Return: 0, or -EACCES when the condition reads a flag only the kernel log
 * raises and /dev/kmsg cannot be read (@w is set up all the same).
 */
int kwatch_init(struct kwatch *w, const struct litmus_test *t)
{
	w->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	w->want_pins = reads_flag(t, PLF_LEAK);
	return w->kmsg_fd < 0 && reads_kmsg_flag(t) ? -EACCES : 0;
}

/**
 * kwatch_free() - close what kwatch_init() opened
 * @w: the watchers
 */
void kwatch_free(struct kwatch *w)
{
	if (w->kmsg_fd >= 0)
		close(w->kmsg_fd);
}

/**
 * kwatch_start() - before an iteration: skip the kernel log so far, count the pins
 * @w: the watchers
 */
void kwatch_start(struct kwatch *w)
{
	if (w->kmsg_fd >= 0)
		lseek(w->kmsg_fd, 0, SEEK_END);
	if (w->want_pins)
		w->pins = pins_outstanding();
}

/**
 * kwatch_leaked() - after an iteration: pins are still held beyond those before it
 * @w: the watchers
 *
 * Context: sleeps up to PINS_SETTLE_MS while deferred releases may still come.
 * Return: true when the condition reads leak and pins remain outstanding.
 */
bool kwatch_leaked(struct kwatch *w)
{
	return w->want_pins && pins_settled(w->pins) > w->pins;
}
