/* kernel-main.c - `pinlab kernel`: its options, the tests it loads, what it prints for each. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/bug.h>
#include <pinlab/report.h>

#include "kernel.h"

#define EXIT_USAGE		2	/* usage, parse error, refusal, failure */
#define DEFAULT_ITERATIONS	100
#define MAX_ITERATIONS		1000000
#define DEFAULT_DELAY_NS	2000000	/* delays before each statement: up to 2 ms */

volatile sig_atomic_t kernel_stop;

static __printf(1, 2) int kerr(const char *fmt, ...)
{
	char msg[KSTATE_MAX];
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

static void usage(FILE *f)
{
	fputs("usage: pinlab kernel [--iterations N] [--compare] [--keep-going] [--seed S]\n"
	      "                     [--delay-ns D] [--fs FS,...] FILE|DIR...\n"
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

/* Add FILE, or the *.litmus files under DIR in path order, as run and check do. */
static int kcollect(struct kopts *o, const char *arg)
{
	char err[KSTATE_MAX];

	if (litmus_collect(&o->paths, arg, err, sizeof(err)))
		return kerr("%s", err);
	return 0;
}

static int parse_opts(int argc, char **argv, struct kopts *o)
{
	int i, ret = 0;

	o->iterations = DEFAULT_ITERATIONS;
	o->seed = 1;
	o->delay_ns = DEFAULT_DELAY_NS;
	for (i = 1; i < argc && !ret; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			ret = parse_opt(argc, argv, &i, o);
		else
			ret = kcollect(o, argv[i]);
	}
	if (!ret && !o->paths.n)
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
	char err[KSTATE_MAX], why[KWHY_MAX];
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

	c->tests = calloc((size_t)o->paths.n * per, sizeof(*c->tests));
	c->refused = calloc((size_t)o->paths.n * per, sizeof(*c->refused));
	if (!c->tests || !c->refused)
		return kerr("out of memory");
	for (i = 0; i < o->paths.n && !ret; i++)
		for (f = 0; f < per && !ret; f++)
			ret = kcli_load_one(c, o, o->paths.v[i], o->nr_fs ? (int)o->fs[f] : -1);
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
			ret = kresult_compare(&kr, ++s->tap, fs);
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
	lt_paths_free(&o.paths);
	return ret < 0 ? 0 : ret;
}
