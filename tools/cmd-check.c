/* cmd-check.c - pinlab check: each test against its Result: annotation, as TAP, -j workers. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pinlab.h"

/**
 * struct tap_counts - the kselftest totals of some TAP points
 * @pass:        ok points
 * @fail:        not ok points: a verdict other than the one expected, or
 *               Never/Always from an incomplete exploration
 * @skip:        ok points with "# SKIP"
 * @error:       not ok points that could not be checked: the file did not
 *               parse, the run failed or was interrupted, a worker died
 * @interrupted: SIGINT stopped a point; nothing after it was run
 */
struct tap_counts {
	int pass;
	int fail;
	int skip;
	int error;
	bool interrupted;
};

static int tap_points(const struct tap_counts *k)
{
	return k->pass + k->fail + k->skip + k->error;
}

static void tap_add(struct tap_counts *to, const struct tap_counts *k)
{
	to->pass += k->pass;
	to->fail += k->fail;
	to->skip += k->skip;
	to->error += k->error;
	to->interrupted |= k->interrupted;
}

/*
 * @s in a TAP line: control characters as '?'; in a description (@desc)
 * '#' is escaped, since an unescaped one starts the directive.
 */
static void tap_put(FILE *f, const char *s, bool desc)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', f);
		else if (desc && (*s == '#' || *s == '\\'))
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

/* After a failed test point with a witness: how to look at it. */
static void tap_hint(FILE *f, const struct litmus_test *t,
		     const struct lt_result *r)
{
	if (r->witness)
		fprintf(f, "#   see: pinlab run --policy %s --replay %s --trace %s\n",
			r->policy->name, r->witness, t->path);
}

static bool selected(const struct cli *c, const char *name)
{
	int i;

	if (!c->nr_sel)
		return true;
	for (i = 0; i < c->nr_sel && name; i++)
		if (!strcmp(c->sel[i]->name, name))
			return true;
	return false;
}

/*
 * The TAP points of file @i: one for a file that did not parse, one for a
 * test without Result: pairs, else one per Result: pair of the --policy
 * selection (none when it selects none of them).
 */
static int file_points(const struct cli *c, int i)
{
	const struct litmus_test *t = c->tests[i];
	int j, n = 0;

	if (!t || !t->nr_expect)
		return 1;
	for (j = 0; j < t->nr_expect; j++)
		n += selected(c, t->expect[j].policy);
	return n;
}

/* "ok N - NAME [POLICY] # SKIP reason" */
static void skip_line(FILE *f, int n, const char *name, const char *pname,
		      const char *why)
{
	fprintf(f, "ok %d - %s%s%s # SKIP ", n, name, pname ? " " : "",
		pname ? pname : "");
	tap_put(f, why, false);
	fputc('\n', f);
}

/*
 * "ok N - NAME [POLICY] # SKIP reason" for each point of @t: it has no
 * Result: pairs, or a Skip: comment parks it.
 */
static void check_skip(const struct cli *c, FILE *f, int n,
		       const struct litmus_test *t, struct tap_counts *k)
{
	const char *why = t->skip ? t->skip : "no Result: annotation";
	int j;

	if (!t->nr_expect) {
		skip_line(f, n, t->name, NULL, why);
		k->skip++;
		return;
	}
	for (j = 0; j < t->nr_expect; j++) {
		if (!selected(c, t->expect[j].policy))
			continue;
		skip_line(f, n++, t->name, t->expect[j].policy, why);
		k->skip++;
	}
}

/*
 * "not ok" for each point of file @i, because of @why (one line): it did
 * not parse, or the worker that checked it died.
 */
static void check_error(const struct cli *c, FILE *f, int i, int n,
			const char *why, struct tap_counts *k)
{
	const struct litmus_test *t = c->tests[i];
	int j;

	if (!t || !t->nr_expect) {
		fprintf(f, "not ok %d - ", n);
		tap_put(f, t ? t->name : c->paths.v[i], true);
		fputs(" # ", f);
		tap_put(f, why, false);
		fputc('\n', f);
		k->error++;
		return;
	}
	for (j = 0; j < t->nr_expect; j++) {
		if (!selected(c, t->expect[j].policy))
			continue;
		report_tap_fail(f, n++, t->name, t->expect[j].policy, why);
		k->error++;
	}
}

/*
 * One test point: @t under the policy its Result: pair @e names.  A point
 * expected Sometimes stops at its first witness and counter-example; Never
 * and Always need every execution, so they never stop early.
 */
static void check_one(struct cli *c, FILE *f, int n,
		      const struct litmus_test *t, const struct lt_expect *e,
		      struct tap_counts *k)
{
	const struct policy *p = e->policy ? litmus_policy(t, e->policy) : NULL;
	struct lt_result r;
	char why[MSG_MAX];

	if (!p) {
		snprintf(why, sizeof(why), "%s:%u:%u: unknown policy",
			 t->path, e->loc.line, e->loc.col);
		report_tap_fail(f, n, t->name, e->policy, why);
		k->error++;
		return;
	}
	if (run_one(c, t, p, e->verdict == LV_SOMETIMES, &r)) {
		snprintf(why, sizeof(why), "run failed: %s", r.stats.error);
		one_line(why);
		report_tap_fail(f, n, t->name, p->name, why);
		k->error++;
		return;
	}
	if (report_tap_line(f, n, &r, e->verdict)) {
		k->pass++;
	} else if (r.stats.interrupted) {
		k->error++;
	} else {
		k->fail++;
		tap_hint(f, t, &r);
	}
	k->interrupted |= r.stats.interrupted;
	lt_result_free(&r);
}

/**
 * check_file() - the TAP points of file @i, numbered from @n, into @f
 * @c: the invocation
 * @f: where the lines go (stdout, or a worker's pipe)
 * @i: index into c->paths.v and c->tests
 * @n: the number of its first point
 * @k: counts, updated
 *
 * Stops after a point that SIGINT interrupted (@k->interrupted).
 */
static void check_file(struct cli *c, FILE *f, int i, int n,
		       struct tap_counts *k)
{
	const struct litmus_test *t = c->tests[i];
	char why[MSG_MAX];
	int j;

	if (!t) {
		snprintf(why, sizeof(why), "parse error: %s", c->errs[i]);
		check_error(c, f, i, n, why, k);
		return;
	}
	if (t->skip || !t->nr_expect) {
		check_skip(c, f, n, t, k);
		return;
	}
	for (j = 0; j < t->nr_expect && !k->interrupted; j++)
		if (selected(c, t->expect[j].policy))
			check_one(c, f, n++, t, &t->expect[j], k);
}

/* Each file in turn, in this process. */
static void check_serial(struct cli *c, const int *first, struct tap_counts *k)
{
	int i;

	for (i = 0; i < c->nr_tests && !k->interrupted; i++) {
		check_file(c, stdout, i, first[i], k);
		fflush(stdout);
	}
}

/* ---- check -j: a worker process per file, output in file order ---- */

/**
 * struct worker - the child process that checks one file for check -j
 * @pid:    its process id; 0 until it starts
 * @fd:     read end of the pipe it writes to; -1 when closed
 * @out:    what it wrote: its TAP lines, then its struct tap_counts
 * @len:    bytes in @out
 * @cap:    room in @out
 * @status: its wait status, once @done
 * @err:    errno when it could not be started, else 0
 * @done:   it was reaped (or never started): @out is complete
 */
struct worker {
	pid_t pid;
	int fd;
	char *out;
	size_t len;
	size_t cap;
	int status;
	int err;
	bool done;
};

/**
 * struct pool - the workers of check -j, at most c->jobs at a time
 * @w:         one per file, in order
 * @started:   workers started so far (they start in file order)
 * @running:   started and not reaped
 * @stop:      start no more (SIGINT, or a file printed as interrupted)
 * @forwarded: SIGINT was passed on to the running workers
 * @mask:      the signal mask without SIGINT blocked: SIGINT is blocked
 *             but while waiting in ppoll(), so that none goes unseen
 */
struct pool {
	struct worker *w;
	int started;
	int running;
	bool stop;
	bool forwarded;
	sigset_t mask;
};

/*
 * A worker's SIGINT: stop the exploration, however many times it comes
 * (from the terminal and forwarded by the parent); the parent dies at the
 * second one and the worker's next write ends it.
 */
static void worker_signals(void)
{
	struct sigaction sa = {
		.sa_handler = on_sigint,
		.sa_flags = SA_RESTART,
	};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* The child: check file @i into the pipe @fd, the counts last; never returns. */
static __noreturn void worker_main(struct cli *c, struct pool *pl, int i,
				   int fd, int n)
{
	struct tap_counts k = { 0 };
	FILE *f;
	int j;

	worker_signals();
	sigprocmask(SIG_SETMASK, &pl->mask, NULL);
	for (j = 0; j < pl->started; j++)
		if (pl->w[j].fd >= 0)
			close(pl->w[j].fd);
	f = fdopen(fd, "w");
	if (!f)
		_exit(EXIT_USAGE);
	check_file(c, f, i, n, &k);
	fwrite(&k, sizeof(k), 1, f);
	_exit(fclose(f) ? EXIT_USAGE : 0);
}

/* Start the worker of the next file; one that cannot start is done at once. */
static void pool_start(struct cli *c, struct pool *pl, const int *first)
{
	struct worker *w = &pl->w[pl->started];
	int fds[2];

	if (pipe(fds)) {
		w->err = errno;
		w->done = true;
		pl->started++;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	w->pid = fork();
	if (!w->pid)
		worker_main(c, pl, pl->started, fds[1], first[pl->started]);
	close(fds[1]);
	if (w->pid < 0) {
		w->err = errno;
		w->done = true;
		close(fds[0]);
	} else {
		w->fd = fds[0];
		pl->running++;
	}
	pl->started++;
}

/* Room for more of @w's output. Return: 0 or -ENOMEM. */
static int worker_room(struct worker *w)
{
	size_t cap = w->cap ? 2 * w->cap : 4096;
	char *p;

	if (w->len < w->cap)
		return 0;
	p = realloc(w->out, cap);
	if (!p)
		return -ENOMEM;
	w->out = p;
	w->cap = cap;
	return 0;
}

/* Read what worker @w wrote; at the end of its output, reap it. */
static void pool_read(struct pool *pl, struct worker *w)
{
	ssize_t got = -1;

	if (worker_room(w)) {
		w->err = ENOMEM;
	} else {
		got = read(w->fd, w->out + w->len, w->cap - w->len);
		if (got < 0 && errno == EINTR)
			return;
		if (got > 0) {
			w->len += got;
			return;
		}
		if (got < 0)
			w->err = errno;
	}
	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
		;
	w->done = true;
	pl->running--;
}

/* SIGINT came to pinlab: start nothing more, pass it on once. */
static void pool_interrupt(struct pool *pl)
{
	int i;

	pl->stop = true;
	if (pl->forwarded)
		return;
	pl->forwarded = true;
	for (i = 0; i < pl->started; i++)
		if (!pl->w[i].done && pl->w[i].pid > 0)
			kill(pl->w[i].pid, SIGINT);
}

/* Wait until a running worker has written something or ended. */
static void pool_wait(struct pool *pl)
{
	struct pollfd fds[JOBS_MAX];
	struct worker *ws[JOBS_MAX];
	int i, n = 0;

	for (i = 0; i < pl->started && n < JOBS_MAX; i++) {
		if (pl->w[i].done)
			continue;
		fds[n].fd = pl->w[i].fd;
		fds[n].events = POLLIN;
		ws[n++] = &pl->w[i];
	}
	if (ppoll(fds, n, NULL, &pl->mask) < 0)
		return;		/* EINTR: the caller looks at sigint_seen */
	for (i = 0; i < n; i++)
		if (fds[i].revents)
			pool_read(pl, ws[i]);
}

/*
 * Print file @i's lines as its worker wrote them, or, when it failed, a
 * "not ok" for each of its points.
 */
static void pool_print(struct cli *c, struct worker *w, int i, int n,
		       struct tap_counts *k)
{
	struct tap_counts wk;
	char why[MSG_MAX];
	size_t len;

	if (!w->err && WIFEXITED(w->status) && !WEXITSTATUS(w->status) &&
	    w->len >= sizeof(wk)) {
		len = w->len - sizeof(wk);
		memcpy(&wk, w->out + len, sizeof(wk));
		fwrite(w->out, 1, len, stdout);
		tap_add(k, &wk);
	} else if (w->err) {
		snprintf(why, sizeof(why), "worker failed: %s", strerror(w->err));
		check_error(c, stdout, i, n, why, k);
	} else if (WIFSIGNALED(w->status)) {
		snprintf(why, sizeof(why), "worker killed by signal %d",
			 WTERMSIG(w->status));
		check_error(c, stdout, i, n, why, k);
	} else {
		snprintf(why, sizeof(why), "worker exited with status %d",
			 WEXITSTATUS(w->status));
		check_error(c, stdout, i, n, why, k);
	}
	fflush(stdout);
}

static void pool_free(struct pool *pl, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(pl->w[i].out);
	free(pl->w);
}

/**
 * check_parallel() - check every file in worker processes, c->jobs at a time
 * @c:     the invocation
 * @first: the number of each file's first point
 * @k:     counts, updated
 *
 * The output is the serial one byte for byte: each worker writes its file's
 * lines to a pipe and they are printed in file order.  After SIGINT, or a
 * file printed as interrupted, nothing more starts and what the running
 * workers wrote after that file is dropped, as serially it would not have
 * run.  Return: 0, or EXIT_USAGE when out of memory.
 */
static int check_parallel(struct cli *c, const int *first, struct tap_counts *k)
{
	struct pool pl = { .w = calloc(c->nr_tests, sizeof(*pl.w)) };
	sigset_t sigint;
	int i, next = 0;

	if (!pl.w)
		return out_of_memory();
	for (i = 0; i < c->nr_tests; i++)
		pl.w[i].fd = -1;
	sigemptyset(&sigint);
	sigaddset(&sigint, SIGINT);
	sigprocmask(SIG_BLOCK, &sigint, &pl.mask);
	for (;;) {
		if (sigint_seen || k->interrupted)
			pool_interrupt(&pl);
		while (!pl.stop && pl.running < c->jobs && pl.started < c->nr_tests)
			pool_start(c, &pl, first);
		if (!k->interrupted && next < pl.started && pl.w[next].done) {
			pool_print(c, &pl.w[next], next, first[next], k);
			next++;
		} else if (pl.running) {
			pool_wait(&pl);
		} else {
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &pl.mask, NULL);
	pool_free(&pl, c->nr_tests);
	return 0;
}

/* kselftest's closing lines; after SIGINT, a Bail out! as the last. */
static void check_end(const struct tap_counts *k)
{
	if (k->interrupted)
		printf("# interrupted: the points after %d were not run\n",
		       tap_points(k));
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d\n",
	       k->pass, k->fail, k->skip, k->error);
	if (k->interrupted)
		printf("Bail out! interrupted\n");
}

/**
 * cmd_check() - pinlab check: each Result: pair of each test, as TAP
 * @c: the invocation, its tests parsed (or their errors kept)
 *
 * Return: 0, EXIT_MISMATCH (a point not ok), EXIT_USAGE or EXIT_INTERRUPTED.
 */
int cmd_check(struct cli *c)
{
	struct tap_counts k = { 0 };
	int *first = calloc(c->nr_tests + 1, sizeof(*first));
	int i, total, ret = 0;

	if (!first)
		return out_of_memory();
	first[0] = 1;
	for (i = 0; i < c->nr_tests; i++)
		first[i + 1] = first[i] + file_points(c, i);
	total = first[c->nr_tests] - 1;
	printf("TAP version 13\n1..%d%s\n", total,
	       total ? "" : " # SKIP no Result: pair of the selected policies");
	if (c->jobs > 1)
		ret = check_parallel(c, first, &k);
	else
		check_serial(c, first, &k);
	free(first);
	if (ret)
		return ret;
	k.interrupted |= sigint_seen && tap_points(&k) < total;
	check_end(&k);
	if (k.interrupted)
		return EXIT_INTERRUPTED;
	return k.fail || k.error ? EXIT_MISMATCH : 0;
}
