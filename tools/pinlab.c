/* pinlab.c - the pinlab command: run, check and tabulate litmus tests under pinning policies. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pinlab.h"
#include "kernel.h"

const char *const cmd_names[CMD_NR] = {
	[CMD_RUN] = "run",
	[CMD_CHECK] = "check",
	[CMD_MATRIX] = "matrix",
	[CMD_DIFF] = "diff",
	[CMD_EXPLAIN] = "explain",
	[CMD_REPORT] = "report",
	[CMD_POLICIES] = "policies",
	[CMD_HELP] = "help",
	[CMD_VERSION] = "version",
};

static void help_general(FILE *f)
{
	fputs("usage: pinlab <command> [options] [FILE|DIR...]\n"
	      "\n"
	      "Explore litmus tests of Linux page pinning under the designs debated\n"
	      "on linux-mm and print herd7-style verdicts.\n"
	      "\n"
	      "Commands:\n"
	      "  run FILE|DIR...     explore each test under each selected policy\n"
	      "  check FILE|DIR...   verify every test's Result: annotation, print TAP\n"
	      "  matrix FILE|DIR...  print the table test x policy (every preset)\n"
	      "  diff -p A,B FILE... the states one policy reaches and the other does not\n"
	      "  explain -p P FILE.. which of P's knobs decide each test's verdict\n"
	      "  report -o F FILE... the matrix and its witnesses as one HTML page\n"
	      "  policies [P...]     list the presets, their knobs and the knob values\n"
	      "  kernel FILE...      run the tests on the running kernel (pinlab kernel --help)\n"
	      "  help [COMMAND|ops]  this text, the options of COMMAND, or the operations\n"
	      "\n"
	      "  -h, --help          this text;  -V, --version  the version\n"
	      "\n"
	      "Directories are searched recursively for *.litmus files, in path order.\n"
	      "Exit status: 0 ok; 1 a check or matrix mismatch, a file check could not\n"
	      "parse, or a witness with --expect-never; 2 a usage error, a parse error\n"
	      "(run, matrix) or a failed run.\n"
	      "See pinlab(1).\n", f);
}

/**
 * struct cmd_help - what `pinlab help COMMAND` says before the options
 * @usage: the arguments after the command name
 * @what:  what the command does, one or two lines
 */
struct cmd_help {
	const char *usage;
	const char *what;
};

static const struct cmd_help cmd_helps[CMD_NR] = {
	[CMD_RUN] = { "[options] FILE|DIR...",
		"Explore each test under each policy; print herd7-style blocks.\n"
		"Without --policy: the policies of the test's Result: comment, else mainline." },
	[CMD_CHECK] = { "[options] FILE|DIR...",
		"Run each test under each policy its Result: comment names; print TAP\n"
		"(version 13, kselftest's Totals).  With --policy: only the Result: pairs\n"
		"of those policies.  A file that does not parse is a 'not ok' point; a\n"
		"test without Result: or with a (* Skip: reason *) comment is SKIP." },
	[CMD_MATRIX] = { "[options] FILE|DIR...",
		"Print the Observation of each test under each policy as a table.\n"
		"Without --policy: every preset." },
	[CMD_DIFF] = { "--policy A,B [options] FILE|DIR...",
		"Print the states each test reaches under one of two policies and not\n"
		"the other, each with a witness; exit 1 when any test differs." },
	[CMD_EXPLAIN] = { "--policy P [options] FILE|DIR...",
		"For each knob of P, flip it to each other value and say whether the\n"
		"test's Observation changes: which part of a design saves or sinks it." },
	[CMD_REPORT] = { "-o FILE [options] FILE|DIR...",
		"Write one self-contained HTML page: the matrix by directory, each cell\n"
		"linked to its witness drawn as a swimlane, the tests, the policies.\n"
		"Without --policy: every preset.  -o - writes it to stdout." },
	[CMD_POLICIES] = { "[P...]",
		"Print the presets (or only P...), their knobs and the knob values." },
};

static void help_cmd(FILE *f, enum cmd cmd)
{
	const struct cmd_help *h = &cmd_helps[cmd];

	if (!h->usage) {
		help_general(f);
		return;
	}
	fprintf(f, "usage: pinlab %s %s\n%s\n", cmd_names[cmd], h->usage, h->what);
	help_options(f, cmd);
}

static int json_keep(struct cli *c, const struct lt_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int ret;

	if (!m)
		return out_of_memory();
	ret = report_trace_json(m, r);
	if (fclose(m) || ret) {
		free(buf);
		return out_of_memory();
	}
	free(c->json_buf);
	c->json_buf = buf;
	c->json_len = len;
	return 0;
}

/* A --replay that could not be followed to its end: say where and why, on stderr. */
static void replay_note(const struct lt_result *r)
{
	if (!r->stats.replay_diverged)
		return;
	fprintf(stderr, "pinlab: warning: %s under %s: the replay string diverged at step %u "
		"(%s); the default scheduler chose the rest: %s\n", r->test->name,
		r->policy->name, r->stats.replay_followed, r->stats.replay_why,
		r->replayed ? r->replayed : "?");
}

/* Run @t under preset @preset and print its block (and trace). */
static int run_policy(struct cli *c, const struct litmus_test *t,
		      const struct policy *preset)
{
	struct policy p;
	struct lt_result r;
	int ret;

	ret = make_policy(c, preset, &p);
	if (ret)
		return ret;
	if (run_one(c, t, &p, false, &r))
		return EXIT_USAGE;
	report_herd(stdout, &r);
	fflush(stdout);
	report_vacuous(stderr, &r);
	replay_note(&r);
	if ((c->seen & BIT(OPT_TRACE)) && (r.witness || r.replayed))
		(c->trace_flat ? report_trace_flat : report_trace)(stdout, &r);
	if (c->json && (r.witness || r.replayed))
		ret = json_keep(c, &r);
	if ((c->seen & BIT(OPT_EXPECT_NEVER)) && r.verdict != LV_NEVER)
		c->status = EXIT_MISMATCH;
	lt_result_free(&r);
	return ret;
}

/* The presets @t's Result: comment names, else mainline; none unknown. */
static int default_policies(const struct litmus_test *t,
			    const struct policy **v, int *n)
{
	const struct policy *p;
	int i, j;

	*n = 0;
	for (i = 0; i < t->nr_expect; i++) {
		p = t->expect[i].policy ? litmus_policy(t, t->expect[i].policy) : NULL;
		if (!p)
			return cli_err("%s:%u:%u: Result: names unknown policy '%s' (use --policy)",
				       t->path, t->expect[i].loc.line,
				       t->expect[i].loc.col,
				       t->expect[i].policy ? t->expect[i].policy : "?");
		for (j = 0; j < *n && v[j] != p; j++)
			;
		if (j == *n)
			v[(*n)++] = p;
	}
	if (!*n) {
		p = policy_find("mainline");
		v[(*n)++] = p ? p : policy_preset(0);
	}
	return 0;
}

/* run: each test under the --policy selection or its own policies. */
static int run_test(struct cli *c, const struct litmus_test *t)
{
	const struct policy **v = c->sel;
	int i, n = c->nr_sel, ret = 0;

	if (!n) {
		v = calloc(t->nr_expect + 1, sizeof(*v));
		if (!v)
			return out_of_memory();
		ret = default_policies(t, v, &n);
		if (!ret && c->opts.replay && n > 1)
			ret = cli_err("--replay runs one policy; %s names %d (use --policy)",
				      t->name, n);
	}
	for (i = 0; i < n && !ret && !c->interrupted; i++)
		ret = run_policy(c, t, v[i]);
	if (v != c->sel)
		free(v);
	return ret;
}

/* Write the kept JSON, or an empty trace when no witness was found. */
static int json_write(struct cli *c)
{
	static const char empty[] = "{\"traceEvents\":[]}\n";
	const char *buf = c->json_buf ? c->json_buf : empty;
	size_t len = c->json_buf ? c->json_len : strlen(empty);
	bool bad = fwrite(buf, 1, len, c->json) != len;

	bad |= fclose(c->json) != 0;
	c->json = NULL;
	if (bad)
		return cli_err("%s: %s", c->json_path, strerror(errno));
	return 0;
}

static int cmd_run(struct cli *c)
{
	int i, ret = 0;

	if (c->json_path) {
		c->json = fopen(c->json_path, "w");
		if (!c->json)
			return cli_err("%s: %s", c->json_path, strerror(errno));
	}
	for (i = 0; i < c->nr_tests && !ret && !c->interrupted; i++)
		ret = run_test(c, c->tests[i]);
	if (c->json && json_write(c) && !ret)
		ret = EXIT_USAGE;
	if (!ret && c->interrupted)
		return EXIT_INTERRUPTED;
	return ret ? ret : c->status;
}

/* ---- check ---- */

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
		tap_put(f, t ? t->name : c->paths[i], true);
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
		snprintf(why, sizeof(why), "run failed: %s", explore_error());
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
 * @i: index into c->paths and c->tests
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

static volatile sig_atomic_t sigint_seen;	/* set by on_sigint() */

static void on_sigint(int sig)
{
	(void)sig;
	sigint_seen = 1;
	explore_interrupt();
}

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

static int cmd_check(struct cli *c)
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

/* ---- matrix ---- */

/* The columns: the --policy selection or every preset, with -o applied. */
static int matrix_policies(const struct cli *c, struct policy *cols, int *n)
{
	int i, ret;

	*n = c->nr_sel ? c->nr_sel : policy_nr_listed();
	for (i = 0; i < *n; i++) {
		ret = make_policy(c, c->nr_sel ? c->sel[i] : policy_listed(i),
				  &cols[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * struct table - every test under every column, as matrix and report run them
 * @cols:    the columns' policies
 * @nr_cols: entries in @cols
 * @cells:   c->nr_tests * @nr_cols cells, row after row
 * @results: report: each cell's result, its witness traced (zeroed for a cell
 *           that failed or was not run); NULL for matrix, which keeps none
 */
struct table {
	struct policy *cols;
	int nr_cols;
	struct matrix_cell *cells;
	struct lt_result *results;
};

/* Cell @i: the run of its test under its column, kept in @tb->results if any. */
static void table_cell(struct cli *c, struct table *tb, int i)
{
	struct matrix_cell *cell = &tb->cells[i];
	struct lt_result r;

	if (c->interrupted) {
		cell->skipped = true;
		return;
	}
	if (run_one(c, c->tests[i / tb->nr_cols], &tb->cols[i % tb->nr_cols], false, &r)) {
		cell->failed = true;
		return;
	}
	cell->verdict = r.verdict;
	cell->complete = r.stats.complete;
	if (tb->results)
		tb->results[i] = r;
	else
		lt_result_free(&r);
}

/* Run every test under every column into @tb's cells; after an interrupt, skip. */
static void matrix_fill(struct cli *c, struct table *tb)
{
	int i;

	for (i = 0; i < c->nr_tests * tb->nr_cols; i++)
		table_cell(c, tb, i);
}

static void table_free(const struct cli *c, struct table *tb)
{
	int i;

	for (i = 0; tb->results && i < c->nr_tests * tb->nr_cols; i++)
		lt_result_free(&tb->results[i]);
	free(tb->results);
	free(tb->cells);
	free(tb->cols);
	memset(tb, 0, sizeof(*tb));
}

/* The columns, then every test under each (@keep: keeping the results). */
static int table_run(struct cli *c, struct table *tb, bool keep)
{
	size_t nr_cells;
	int ret;

	memset(tb, 0, sizeof(*tb));
	tb->nr_cols = max_t(int, c->nr_sel, policy_nr_listed());
	tb->cols = calloc(tb->nr_cols, sizeof(*tb->cols));
	if (!tb->cols)
		return out_of_memory();
	ret = matrix_policies(c, tb->cols, &tb->nr_cols);
	if (ret)
		return ret;
	nr_cells = (size_t)c->nr_tests * tb->nr_cols;
	tb->cells = calloc(nr_cells ? nr_cells : 1, sizeof(*tb->cells));
	if (keep)
		tb->results = calloc(nr_cells ? nr_cells : 1, sizeof(*tb->results));
	if (!tb->cells || (keep && !tb->results))
		return out_of_memory();
	matrix_fill(c, tb);
	return 0;
}

/* @tb as report_matrix() takes it; @names gets room for the columns' names. */
static int table_matrix(const struct cli *c, const struct table *tb,
			const char ***names, struct matrix *m)
{
	int i;

	*names = calloc(tb->nr_cols ? tb->nr_cols : 1, sizeof(**names));
	if (!*names)
		return out_of_memory();
	for (i = 0; i < tb->nr_cols; i++)
		(*names)[i] = tb->cols[i].name;
	*m = (struct matrix) {
		.tests = (const struct litmus_test *const *)c->tests,
		.nr_tests = c->nr_tests,
		.policies = *names,
		.nr_policies = tb->nr_cols,
		.cells = tb->cells,
	};
	return 0;
}

static int matrix_print(const struct cli *c, const struct table *tb)
{
	const char **names;
	struct matrix m;
	int bad, ret = table_matrix(c, tb, &names, &m);

	if (ret)
		return ret;
	bad = report_matrix(stdout, &m);
	free(names);
	return bad ? EXIT_MISMATCH : 0;
}

static int cmd_matrix(struct cli *c)
{
	struct table tb;
	int ret = table_run(c, &tb, false);

	if (!ret)
		ret = matrix_print(c, &tb);
	if (c->interrupted && ret != EXIT_USAGE)
		ret = EXIT_INTERRUPTED;
	table_free(c, &tb);
	return ret;
}

/* ---- report ---- */

/* "2026-12-01 23:30:00 UTC", when the report is made. */
static void report_date(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "unknown");
}

/* The page of @tb into @out.  Return: 0, EXIT_MISMATCH ('!' cells) or EXIT_USAGE. */
static int report_write(const struct cli *c, const struct table *tb, FILE *out)
{
	struct report_page page = {
		.results = tb->results,
		.cols = tb->cols,
		.version = VERSION_LINE,
		.args = c->args,
		.nr_args = c->nr_args,
	};
	char date[64], text[32];
	const char **names;
	struct matrix m;
	int i, bad = 0, ret = table_matrix(c, tb, &names, &m);

	if (ret)
		return ret;
	report_date(date, sizeof(date));
	page.m = &m;
	page.date = date;
	ret = report_html(out, &page) ? EXIT_USAGE : 0;
	for (i = 0; i < c->nr_tests * tb->nr_cols; i++)
		bad |= report_cell_text(&m, i / tb->nr_cols, i % tb->nr_cols, text,
					sizeof(text));
	free(names);
	return ret ? ret : (bad ? EXIT_MISMATCH : 0);
}

/* Close the report's file; a failed write removes it rather than leave half a page. */
static int report_close(const struct cli *c, FILE *out, int ret)
{
	if (out == stdout)
		return ret;
	if (fclose(out) && ret != EXIT_USAGE)
		ret = EXIT_USAGE;
	if (ret == EXIT_USAGE) {
		cli_err("%s: %s", c->out_path, "could not write the report");
		unlink(c->out_path);
	}
	return ret;
}

/* report: the matrix and every witness as one HTML page in -o FILE. */
static int cmd_report(struct cli *c)
{
	bool to_stdout = !strcmp(c->out_path, "-");
	FILE *out = to_stdout ? stdout : fopen(c->out_path, "w");
	struct table tb;
	int ret;

	if (!out)
		return cli_err("%s: %s", c->out_path, strerror(errno));
	ret = table_run(c, &tb, true);
	if (!ret)
		ret = report_write(c, &tb, out);
	ret = report_close(c, out, ret);
	if (c->interrupted && ret != EXIT_USAGE)
		ret = EXIT_INTERRUPTED;
	table_free(c, &tb);
	return ret;
}

/* ---- policies, help, version ---- */

static int cmd_policies(const struct cli *c)
{
	const struct policy *p;
	int i;

	for (i = 0; i < c->nr_args; i++)
		if (!policy_find(c->args[i]))
			return unknown_policy(c->args[i]);
	for (i = 0; i < c->nr_args; i++) {
		policy_print(stdout, policy_find(c->args[i]));
		putchar('\n');
	}
	if (c->nr_args)
		return 0;
	for (i = 0; i < policy_nr_listed(); i++) {
		p = policy_listed(i);
		policy_print(stdout, p);
		putchar('\n');
	}
	printf("Knobs (override with -o KNOB=VALUE):\n");
	policy_print_knobs(stdout);
	return 0;
}

static int cmd_help(const struct cli *c)
{
	int i;

	if (!c->nr_args) {
		help_general(stdout);
		return 0;
	}
	if (c->nr_args > 1)
		return cli_err("help takes one command, %d given", c->nr_args);
	if (!strcmp(c->args[0], "ops")) {
		litmus_print_ops(stdout);
		return 0;
	}
	for (i = 0; i < CMD_NR; i++)
		if (cmd_names[i] && !strcmp(c->args[0], cmd_names[i]))
			break;
	if (i == CMD_NR || i == CMD_VERSION)
		return cli_err("no such command '%s' (try 'pinlab --help')", c->args[0]);
	help_cmd(stdout, i);
	return 0;
}

/* ---- diff ---- */

/* @t under both selected policies; report_diff() of the two.  Return: 0, 1 or 2. */
static int diff_test(struct cli *c, const struct litmus_test *t)
{
	struct lt_result r[2];
	struct policy p[2];
	int i, n, ret = 0;

	for (i = 0; i < 2 && !ret; i++) {
		ret = make_policy(c, c->sel[i], &p[i]);
		if (!ret)
			ret = run_one(c, t, &p[i], false, &r[i]);
	}
	if (ret) {
		if (i == 2)
			lt_result_free(&r[0]);
		return ret;
	}
	n = c->interrupted ? 0 : report_diff(stdout, &r[0], &r[1]);
	lt_result_free(&r[0]);
	lt_result_free(&r[1]);
	return n ? 1 : 0;
}

static int cmd_diff(struct cli *c)
{
	int i, ret, status = 0;

	if (c->nr_sel != 2)
		return cli_err("diff compares two policies: give --policy A,B");
	for (i = 0; i < c->nr_tests && !c->interrupted; i++) {
		ret = diff_test(c, c->tests[i]);
		if (ret > 1)
			return ret;
		status |= ret;
	}
	return c->interrupted ? EXIT_INTERRUPTED : status;
}

/* ---- explain ---- */

/* The Observation of @t under @p, '?' appended when it is unproven. */
static int explain_verdict(struct cli *c, const struct litmus_test *t,
			   const struct policy *p, char *buf, size_t len,
			   struct mm_cost *cost)
{
	struct lt_result r;
	int ret;

	ret = run_one(c, t, p, false, &r);
	if (ret)
		return ret;
	if (cost)
		*cost = r.cost;
	snprintf(buf, len, "%s%s", lt_verdict_name(r.verdict),
		 r.stats.complete || r.verdict == LV_SOMETIMES ? "" : "?");
	lt_result_free(&r);
	return 0;
}

/*
 * "Cost NAME P counter=N ...": what the design did over the whole
 * exploration just run (mm_cost), the counters that are not zero, or
 * "none" -- a Never with "pins_refused" alone is a refusal, not a defence.
 */
static void explain_cost(const struct litmus_test *t, const struct policy *p,
			 const struct mm_cost *cost)
{
	static const struct {
		const char *name;	/* as printed */
		size_t off;		/* offsetof(struct mm_cost, counter) */
	} ctr[] = {
		{ "bounces", offsetof(struct mm_cost, bounces) },
		{ "stable_waits", offsetof(struct mm_cost, stable_waits) },
		{ "wb_waits", offsetof(struct mm_cost, wb_waits) },
		{ "skipped", offsetof(struct mm_cost, skipped) },
		{ "layout_fails", offsetof(struct mm_cost, layout_fails) },
		{ "layout_waits", offsetof(struct mm_cost, layout_waits) },
		{ "lease_breaks", offsetof(struct mm_cost, lease_breaks) },
		{ "revocations", offsetof(struct mm_cost, revocations) },
		{ "cow_reservations", offsetof(struct mm_cost, cow_reservations) },
		{ "pins_refused", offsetof(struct mm_cost, pins_refused) },
	};
	size_t i;
	bool any = false;

	printf("Cost %s %s", t->name, p->name);
	for (i = 0; i < ARRAY_SIZE(ctr); i++) {
		u64 v = *(const u64 *)((const char *)cost + ctr[i].off);

		if (v)
			printf(" %s=%" PRIu64, ctr[i].name, v);
		any |= v != 0;
	}
	printf("%s\n", any ? "" : " none");
}

/* "Flip NAME knob=old->new VERDICT changes|same" for every other value of knob @k. */
static int explain_knob(struct cli *c, const struct litmus_test *t,
			const struct policy *p, int k, const char *base)
{
	int v, cur = policy_knob_get(p, k), ret = 0;
	char assign[64], err[MSG_MAX / 2], verdict[32];
	struct policy q;

	for (v = 0; v < policy_knob_nr_values(k) && !ret && !c->interrupted; v++) {
		if (v == cur)
			continue;
		q = *p;
		snprintf(assign, sizeof(assign), "%s=%s", policy_knob_name(k),
			 policy_knob_value(k, v));
		if (policy_set_knob(&q, assign, err, sizeof(err)))
			return cli_err("%s: %s", assign, err);
		ret = explain_verdict(c, t, &q, verdict, sizeof(verdict), NULL);
		if (!ret)
			printf("Flip %s %s=%s->%s %s %s\n", t->name, policy_knob_name(k),
			       policy_knob_value(k, cur), policy_knob_value(k, v), verdict,
			       strcmp(verdict, base) ? "changes" : "same");
	}
	return ret;
}

static int explain_test(struct cli *c, const struct litmus_test *t)
{
	struct mm_cost cost;
	char base[32];
	struct policy p;
	int k, ret = make_policy(c, c->sel[0], &p);

	if (!ret)
		ret = explain_verdict(c, t, &p, base, sizeof(base), &cost);
	if (ret)
		return ret;
	printf("Explain %s %s %s\n", t->name, p.name, base);
	explain_cost(t, &p, &cost);
	for (k = 0; k < policy_nr_knobs() && !ret && !c->interrupted; k++)
		ret = explain_knob(c, t, &p, k, base);
	putchar('\n');
	return ret;
}

static int cmd_explain(struct cli *c)
{
	int i, ret = 0;

	if (c->nr_sel != 1)
		return cli_err("explain takes one policy: give --policy P");
	for (i = 0; i < c->nr_tests && !ret && !c->interrupted; i++)
		ret = explain_test(c, c->tests[i]);
	if (!ret && c->interrupted)
		return EXIT_INTERRUPTED;
	return ret;
}

/* ---- main ---- */

/* Find and parse the tests, then run the command over them. */
static int dispatch(struct cli *c)
{
	int ret;

	switch (c->cmd) {
	case CMD_VERSION:
		printf("%s\n", VERSION_LINE);
		return 0;
	case CMD_HELP:
		return cmd_help(c);
	case CMD_POLICIES:
		return cmd_policies(c);
	default:
		break;
	}
	ret = collect_paths(c);
	if (!ret)
		ret = parse_tests(c);
	if (ret)
		return ret;
	if (c->cmd == CMD_CHECK)
		return cmd_check(c);
	if (c->cmd == CMD_MATRIX)
		return cmd_matrix(c);
	if (c->cmd == CMD_DIFF)
		return cmd_diff(c);
	if (c->cmd == CMD_EXPLAIN)
		return cmd_explain(c);
	if (c->cmd == CMD_REPORT)
		return cmd_report(c);
	return cmd_run(c);
}

/* Output that could not be written is an error, not a silent success. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_err("writing output: %s", strerror(errno ? errno : EIO));
		return EXIT_USAGE;
	}
	return ret;
}

/*
 * Commands that explore: SIGINT stops the exploration and prints what it
 * found (a second one kills, as usual); progress lines when stderr is a
 * terminal or with --progress.
 */
static void explore_setup(struct cli *c)
{
	struct sigaction sa = {
		.sa_handler = on_sigint,
		.sa_flags = SA_RESETHAND | SA_RESTART,
	};

	if (!(BIT(c->cmd) & C_EXPLORE))
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	/* Workers under check -j would garble each other's \r lines. */
	c->tty = isatty(STDERR_FILENO) && c->jobs == 1;
	c->progress = c->tty || (c->seen & BIT(OPT_PROGRESS));
}

/* One line of a --policies file: "policy NAME = PRESET + knob=value", '#' comments. */
static int load_policy_line(const char *path, int line, const char *s, size_t len)
{
	struct policy p;
	char why[MSG_MAX / 2];
	size_t col = 0, at = strspn(s, " \t");
	int ret;

	if (at == len || s[at] == '#')
		return 0;
	if (policy_define(s, len, &p, &col, why, sizeof(why)))
		return located_err(path, line, col + 1, "%s", why);
	ret = policy_register(&p);
	if (ret == -ENOSPC)
		return located_err(path, line, 1, "too many policies");
	if (ret)
		return located_err(path, line, at + 1, "policy '%s' is already defined", p.name);
	return 0;
}

/* --policies FILE: every definition in it, registered for -p, Result: and matrix. */
static int load_policy_file(const char *path)
{
	char buf[512];
	FILE *f = fopen(path, "re");
	int line = 0, ret = 0;

	if (!f)
		return cli_err("--policies %s: %s", path, strerror(errno));
	while (!ret && fgets(buf, sizeof(buf), f)) {
		size_t len = strcspn(buf, "\n");

		line++;
		if (!buf[len] && !feof(f))
			ret = located_err(path, line, 1, "line longer than %zu bytes",
					  sizeof(buf) - 2);
		else
			ret = load_policy_line(path, line, buf, len);
	}
	fclose(f);
	return ret;
}

/*
 * The --policies options first, wherever they are, so that -p may name their
 * policies before or after them.  Stops at "--", as parse_args() does.
 */
static int load_policies(int argc, char **argv)
{
	int i, ret = 0;

	for (i = 2; i < argc && !ret && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--policies") && i + 1 < argc)
			ret = load_policy_file(argv[++i]);
		else if (!strncmp(argv[i], "--policies=", 11))
			ret = load_policy_file(argv[i] + 11);
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct cli c = { .cmd = CMD_HELP };
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "kernel"))	/* tools/kernel-run.c */
		return flush_stdout(kernel_main(argc - 1, argv + 1));
	ret = load_policies(argc, argv);
	if (!ret)
		ret = cli_init(&c, argc);
	if (!ret)
		ret = parse_args(&c, argc, argv);
	if (!ret && c.help && (c.seen & BIT(OPT_ASSUMPTIONS)) && !(c.seen & BIT(OPT_HELP))) {
		litmus_print_assumptions(stdout);
	} else if (!ret && c.help) {
		help_cmd(stdout, c.cmd);
	} else if (!ret) {
		ret = check_opts(&c);
		if (!ret) {
			explore_setup(&c);
			ret = dispatch(&c);
		}
	}
	cli_free(&c);
	return flush_stdout(ret);
}
