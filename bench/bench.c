/* bench.c - the sim back end's context switch and the explorer's speed, against baselines. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <pinlab/bio.h>
#include <pinlab/explore.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/run.h>
#include "../kernel/kctx.h"

/*
 * Every figure is printed next to a baseline measured in the same run:
 * swapcontext() for the context switch, plain DFS (no reduction) for DPOR.
 * Nothing here asserts a time; numbers that miss their target are printed
 * with the target and summed up at the end.
 */

#define CO_STACK_SIZE		(64 * 1024)	/* stack of the ping-pong peer */
#define SWITCH_TARGET		10.0	/* kctx must be this many times cheaper */
#define DECISIONS_TARGET	1e6	/* scheduling decisions per second */
#define WALL_TARGET		1.0	/* seconds for one complete exploration */
#define DEFAULT_DIR		"litmus-tests/self"
#define MM_DIR			"litmus-tests/mm"
#define STABLE_DIR		"litmus-tests/stable"
#define LAYOUT_DIR		"litmus-tests/layout"
#define MM_PLAIN_CAP		100000	/* plain-DFS executions per mm test at most */

/**
 * struct bench_cfg - how long to measure
 * @switch_secs: target duration of one context-switch run
 * @rate_secs:   minimum duration of each litmus measurement
 * @dir:         directory of litmus files
 */
struct bench_cfg {
	double switch_secs;
	double rate_secs;
	const char *dir;
};

/**
 * struct targets - the headline figures, checked against their targets at the end
 * @switch_ratio:  kctx_jump's advantage over swapcontext()
 * @min_rate:      lowest decisions/s of any test
 * @min_rate_test: the test with @min_rate
 * @max_wall:      longest complete exploration, seconds
 * @max_wall_test: the test with @max_wall
 * @mismatches:    tests whose verdict differs between DPOR and plain DFS
 * @errors:        tests that could not be parsed or run
 */
struct targets {
	double switch_ratio;
	double min_rate;
	char min_rate_test[LT_NAME_MAX];
	double max_wall;
	char max_wall_test[LT_NAME_MAX];
	int mismatches;
	int errors;
};

/* Monotonic time in seconds. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- context switch ---- */

/**
 * struct pingpong - two contexts switching back and forth
 * @main:  the benchmark's own context
 * @co:    the peer, on its own stack
 * @umain: swapcontext() baseline: the benchmark's context
 * @uco:   swapcontext() baseline: the peer
 * @stop:  tells the peer to leave for good at its next resumption
 */
struct pingpong {
	struct kctx main;
	struct kctx co;
	ucontext_t umain;
	ucontext_t uco;
	volatile bool stop;
};

static struct pingpong pp;

/* The peer: bounce straight back until told to stop. */
static void kctx_peer(void *arg)
{
	struct pingpong *p = arg;

	kctx_start(&p->main);
	for (;;) {
		kctx_jump(&p->co, &p->main);
		if (p->stop)
			kctx_jump(NULL, &p->main);
	}
}

/* @rounds round trips (two switches each) through kctx_jump(). Return: seconds */
static double kctx_rounds(void *stack, u64 rounds)
{
	double t0;
	u64 i;

	pp.main = (struct kctx){ 0 };
	pp.co = (struct kctx){ .stack = stack, .stack_size = CO_STACK_SIZE };
	pp.stop = false;
	kctx_init(&pp.co, kctx_peer, &pp);
	kctx_jump(&pp.main, &pp.co);
	t0 = now();
	for (i = 0; i < rounds; i++)
		kctx_jump(&pp.main, &pp.co);
	t0 = now() - t0;
	pp.stop = true;
	kctx_jump(&pp.main, &pp.co);
	return t0;
}

/* The swapcontext() peer: bounce straight back until told to stop. */
static void ucontext_peer(void)
{
	while (!pp.stop)
		swapcontext(&pp.uco, &pp.umain);
}

/* @rounds round trips through swapcontext(). Return: seconds */
static double ucontext_rounds(void *stack, u64 rounds)
{
	double t0;
	u64 i;

	pp.stop = false;
	getcontext(&pp.uco);
	pp.uco.uc_stack.ss_sp = stack;
	pp.uco.uc_stack.ss_size = CO_STACK_SIZE;
	pp.uco.uc_link = &pp.umain;
	makecontext(&pp.uco, ucontext_peer, 0);
	swapcontext(&pp.umain, &pp.uco);
	t0 = now();
	for (i = 0; i < rounds; i++)
		swapcontext(&pp.umain, &pp.uco);
	t0 = now() - t0;
	pp.stop = true;
	swapcontext(&pp.umain, &pp.uco);
	return t0;
}

/**
 * switch_cost() - best of three runs of a ping-pong, in ns per switch
 * @rounds_fn: kctx_rounds or ucontext_rounds
 * @stack:     the peer's stack
 * @secs:      how long one run should last
 * @switches:  set to the switches made per run
 *
 * The number of round trips is calibrated first so that a run lasts @secs.
 */
static double switch_cost(double (*rounds_fn)(void *, u64), void *stack,
			  double secs, u64 *switches)
{
	double t, best = 0;
	u64 rounds = 1 << 12;
	int i;

	while ((t = rounds_fn(stack, rounds)) < secs / 10)
		rounds *= 2;
	rounds = (u64)(rounds * secs / t) + 1;
	for (i = 0; i < 3; i++) {
		t = rounds_fn(stack, rounds);
		if (i == 0 || t < best)
			best = t;
	}
	*switches = 2 * rounds;
	return best * 1e9 / (2 * rounds);
}

/* "ok" or "MISSED", for a figure compared with its target. */
static const char *verdict_mark(bool ok)
{
	return ok ? "ok" : "MISSED";
}

/* Part 1: kctx_jump() against swapcontext(). Return: 0 or -ENOMEM */
static int bench_switch(const struct bench_cfg *cfg, struct targets *tg)
{
	void *stack = malloc(CO_STACK_SIZE);
	double kns, uns;
	u64 kn, un;

	if (!stack)
		return -ENOMEM;
	kns = switch_cost(kctx_rounds, stack, cfg->switch_secs, &kn);
	uns = switch_cost(ucontext_rounds, stack, cfg->switch_secs, &un);
	free(stack);
	tg->switch_ratio = uns / kns;

	printf("1. Context switch: two contexts ping-ponging, best of 3 runs\n\n");
	printf("  %-22s %12s %12s\n", "switch", "switches/run", "ns/switch");
	printf("  %-22s %12llu %12.2f\n", "kctx_jump (sim)",
	       (unsigned long long)kn, kns);
	printf("  %-22s %12llu %12.2f\n", "swapcontext (baseline)",
	       (unsigned long long)un, uns);
	printf("\n  kctx_jump is %.1fx cheaper than swapcontext (target >= %.0fx): %s\n\n",
	       tg->switch_ratio, SWITCH_TARGET,
	       verdict_mark(tg->switch_ratio >= SWITCH_TARGET));
	return 0;
}

/* ---- explorer on litmus tests ---- */

/**
 * struct measure - one test under one reduction, repeated
 * @execs:   executions of one exploration
 * @steps:   scheduling decisions of one exploration
 * @verdict: its Observation
 * @reps:    explorations timed
 * @secs:    wall time of all @reps explorations
 * @cap:     plain DFS only: stop after this many executions (0: none)
 * @complete: the exploration covered every execution class
 */
struct measure {
	u64 cap;
	bool complete;
	u64 execs;
	u64 steps;
	enum lt_verdict verdict;
	u64 reps;
	double secs;
};

/**
 * measure_test() - explore @t under @p until @min_secs have passed
 * @t:         the test
 * @p:         the policy
 * @reduction: REDUCTION_DPOR or REDUCTION_NONE
 * @min_secs:  least total wall time of the timed explorations
 * @m:         the figures
 * @why:       set to why an exploration failed, EXPLORE_ERROR_MAX bytes
 *
 * One untimed exploration warms up (stacks, caches) and records the counts;
 * the timed ones repeat it.
 * Return: 0, or litmus_run()'s error.
 */
static int measure_test(const struct litmus_test *t, const struct policy *p,
			enum explore_reduction reduction, double min_secs,
			struct measure *m, char *why)
{
	struct explore_opts o;
	struct lt_result r;
	double t0;
	int err;

	explore_opts_default(&o);
	o.reduction = reduction;
	o.max_execs = reduction == REDUCTION_NONE ? m->cap : 0;
	err = litmus_run(t, p, &o, false, &r);
	if (!err) {
		m->complete = r.stats.complete;
		m->execs = r.stats.executions;
		m->steps = r.stats.steps;
		m->verdict = r.verdict;
	}
	lt_result_free(&r);
	m->reps = 0;
	t0 = now();
	while (!err && (m->reps == 0 || now() - t0 < min_secs)) {
		err = litmus_run(t, p, &o, false, &r);
		lt_result_free(&r);
		m->reps++;
	}
	m->secs = now() - t0;
	if (err)
		memcpy(why, r.stats.error, sizeof(r.stats.error));
	return err;
}

/**
 * struct totals - sums over the tests of part 2
 * @tests:       tests measured
 * @execs:       DPOR executions, one exploration per test
 * @steps:       DPOR decisions, one exploration per test
 * @secs:        DPOR wall time of one exploration per test, summed
 * @plain:       plain-DFS executions, one exploration per test
 * @plain_steps: plain-DFS decisions, one exploration per test
 * @plain_secs:  plain-DFS wall time of one exploration per test, summed
 */
struct totals {
	int tests;
	u64 execs;
	u64 steps;
	double secs;
	u64 plain;
	u64 plain_steps;
	double plain_secs;
};

/* Executions the reduction avoided, in percent of plain DFS's. */
static double pct_saved(u64 dpor, u64 plain)
{
	return plain ? 100.0 * (1.0 - (double)dpor / plain) : 0;
}

/* One table row: the DPOR figures @d and the plain-DFS ones @n of @t. */
static void print_row(const struct litmus_test *t, const struct measure *d,
		      const struct measure *n)
{
	double run = d->secs / d->reps;
	double rate = d->steps / run;
	double plain_rate = n->steps / (n->secs / n->reps);
	const char *note = "";

	if (rate < DECISIONS_TARGET)
		note = "  < 1M/s target";
	if (run >= WALL_TARGET)
		note = "  >= 1 s target";
	if (d->verdict != n->verdict)
		note = "  VERDICT DIFFERS from plain DFS";
	printf("  %-18s %6llu %9llu %9.0f %11.0f %7.3f | %6llu %11.0f %6.1f%%%s\n",
	       t->name, (unsigned long long)d->execs,
	       (unsigned long long)d->steps, d->execs / run, rate, run * 1e3,
	       (unsigned long long)n->execs, plain_rate,
	       pct_saved(d->execs, n->execs), note);
}

/* Fold one test's figures into @tot and the target trackers. */
static void account(const struct litmus_test *t, const struct measure *d,
		    const struct measure *n, struct totals *tot,
		    struct targets *tg)
{
	double run = d->secs / d->reps;
	double rate = d->steps / run;

	tot->tests++;
	tot->execs += d->execs;
	tot->steps += d->steps;
	tot->secs += run;
	tot->plain += n->execs;
	tot->plain_steps += n->steps;
	tot->plain_secs += n->secs / n->reps;
	if (tot->tests == 1 || rate < tg->min_rate) {
		tg->min_rate = rate;
		snprintf(tg->min_rate_test, sizeof(tg->min_rate_test), "%s", t->name);
	}
	if (run > tg->max_wall) {
		tg->max_wall = run;
		snprintf(tg->max_wall_test, sizeof(tg->max_wall_test), "%s", t->name);
	}
	if (d->verdict != n->verdict)
		tg->mismatches++;
}

/* Parse, measure and print one litmus file. */
static void bench_file(const char *path, const struct bench_cfg *cfg,
		       struct totals *tot, struct targets *tg)
{
	const struct policy *p = policy_find("mainline");
	struct litmus_test *t;
	struct measure d = { 0 }, n = { 0 };
	char why[EXPLORE_ERROR_MAX];
	char err[256];

	if (litmus_parse_file(path, &t, err, sizeof(err))) {
		printf("  %s: %s\n", path, err);
		tg->errors++;
		return;
	}
	if (measure_test(t, p, REDUCTION_DPOR, cfg->rate_secs, &d, why) ||
	    measure_test(t, p, REDUCTION_NONE, cfg->rate_secs, &n, why)) {
		printf("  %-18s skipped: %s\n", t->name, why);
		tg->errors++;
	} else {
		print_row(t, &d, &n);
		account(t, &d, &n, tot, tg);
	}
	litmus_free(t);
}

/* The table's last row: sums over every test. */
static void print_totals(const struct totals *tot)
{
	printf("  %-18s %6llu %9llu %9.0f %11.0f %7.3f | %6llu %11.0f %6.1f%%\n\n",
	       "total", (unsigned long long)tot->execs,
	       (unsigned long long)tot->steps, tot->execs / tot->secs,
	       tot->steps / tot->secs, tot->secs * 1e3,
	       (unsigned long long)tot->plain, tot->plain_steps / tot->plain_secs,
	       pct_saved(tot->execs, tot->plain));
}

/* Part 2: every file of @files (@n of them) under mainline. */
static void bench_litmus(const struct bench_cfg *cfg, char **files, int n,
			 struct totals *tot, struct targets *tg)
{
	int i;

	printf("2. Explorer: %s/*.litmus, policy mainline, dfs; each figure\n"
	       "   repeated for >= %.0f ms. execs and decisions are per exploration;\n"
	       "   plain = --reduction none (executions, decisions/s);\n"
	       "   saved = 1 - dpor execs / plain execs.\n\n",
	       cfg->dir, cfg->rate_secs * 1e3);
	printf("  %-18s %6s %9s %9s %11s %7s | %6s %11s %7s\n", "test", "execs",
	       "decisions", "execs/s", "decisions/s", "wall ms", "plain",
	       "decisions/s", "saved");
	for (i = 0; i < n; i++)
		bench_file(files[i], cfg, tot, tg);
	if (tot->tests)
		print_totals(tot);
}

/* ---- summary ---- */

/* Part 3: the headline figures against their targets. */
static void summarise(const struct totals *tot, const struct targets *tg)
{
	double rate = tot->secs > 0 ? tot->steps / tot->secs : 0;
	bool rate_ok = tg->min_rate >= DECISIONS_TARGET;
	bool wall_ok = tg->max_wall < WALL_TARGET;
	bool sw_ok = tg->switch_ratio >= SWITCH_TARGET;

	printf("3. Summary\n\n");
	printf("  context switch    %.1fx cheaper than swapcontext  (target >= %.0fx)  %s\n",
	       tg->switch_ratio, SWITCH_TARGET, verdict_mark(sw_ok));
	printf("  decisions/s       %.2fM overall, lowest %.2fM (%s)  (target >= 1M/s)  %s\n",
	       rate / 1e6, tg->min_rate / 1e6, tg->min_rate_test,
	       verdict_mark(rate_ok));
	printf("  plain dfs         %.2fM decisions/s over the same tests (baseline)\n",
	       tot->plain_secs > 0 ? tot->plain_steps / tot->plain_secs / 1e6 : 0);
	printf("  wall per test     longest %.3f ms (%s, parts 2 and 4)  (target < 1 s)  %s\n",
	       tg->max_wall * 1e3, tg->max_wall_test, verdict_mark(wall_ok));
	printf("  total             %d tests, %llu executions (%llu plain, %.1f%% saved),"
	       " %llu decisions in %.1f ms\n",
	       tot->tests, (unsigned long long)tot->execs,
	       (unsigned long long)tot->plain, pct_saved(tot->execs, tot->plain),
	       (unsigned long long)tot->steps, tot->secs * 1e3);
	if (tg->mismatches || tg->errors)
		printf("  problems          %d verdict mismatches, %d tests not run\n",
		       tg->mismatches, tg->errors);
}

/* ---- part 4: the mm model ---- */

/* One row: @t under @p, DPOR, and its savings against capped plain DFS. */
static void bench_mm_row(const struct litmus_test *t, const struct policy *p,
			 const struct bench_cfg *cfg, struct targets *tg)
{
	struct measure d = { 0 }, n = { .cap = MM_PLAIN_CAP };
	char why[EXPLORE_ERROR_MAX];
	double run;

	if (measure_test(t, p, REDUCTION_DPOR, cfg->rate_secs, &d, why) ||
	    measure_test(t, p, REDUCTION_NONE, 0, &n, why)) {
		printf("  %-26s %-12s skipped: %s\n", t->name, p->name, why);
		tg->errors++;
		return;
	}
	run = d.secs / d.reps;
	printf("  %-26s %-12s %6llu %9.0f %11.0f %8.2f | %7llu%s %5s%.2f%%\n",
	       t->name, p->name, (unsigned long long)d.execs, d.execs / run,
	       d.steps / run, run * 1e3, (unsigned long long)n.execs,
	       n.complete ? " " : "+", n.complete ? "" : ">",
	       pct_saved(d.execs, n.execs));
	if (run > tg->max_wall) {
		tg->max_wall = run;
		snprintf(tg->max_wall_test, sizeof(tg->max_wall_test), "%s", t->name);
	}
}

/* Part 4: every mm test under each policy its Result: comment names. */
static void bench_mm(const struct bench_cfg *cfg, struct targets *tg)
{
	struct lt_paths files = { 0 };
	char err[256];
	int i, k;

	if (litmus_collect(&files, MM_DIR, err, sizeof(err))) {
		lt_paths_free(&files);
		return;
	}
	printf("4. mm model: %s/*.litmus under each annotated policy, dfs with DPOR;\n"
	       "   plain = --reduction none capped at %d executions ('+': capped,\n"
	       "   so saved is a lower bound).\n\n", MM_DIR, MM_PLAIN_CAP);
	printf("  %-26s %-12s %6s %9s %11s %8s | %8s %7s\n", "test", "policy",
	       "execs", "execs/s", "decisions/s", "wall ms", "plain", "saved");
	for (i = 0; i < files.n; i++) {
		struct litmus_test *t;

		if (litmus_parse_file(files.v[i], &t, err, sizeof(err))) {
			printf("  %s\n", err);
			tg->errors++;
		} else {
			for (k = 0; k < t->nr_expect; k++)
				if (policy_find(t->expect[k].policy))
					bench_mm_row(t, policy_find(t->expect[k].policy), cfg, tg);
			litmus_free(t);
		}
	}
	lt_paths_free(&files);
	printf("\n");
}

/* ---- parts 5 and 6: what each design costs ---- */

/**
 * struct preset_cost - one preset over a directory of tests
 * @execs: executions explored
 * @secs:  wall time of those explorations
 * @cost:  mm_cost summed over them
 * @tests: tests run
 */
struct preset_cost {
	u64 execs;
	double secs;
	struct mm_cost cost;
	int tests;
};

/* A column of a cost table: one mm_cost counter, under the heading @n. */
#define COST_COL(n, f)	{ n, offsetof(struct mm_cost, f) }

/* Explore @t once under @p, adding executions, time and mm_cost to @pc. */
static void cost_one(const struct litmus_test *t, const struct policy *p,
		     struct preset_cost *pc, struct targets *tg)
{
	struct explore_opts o;
	struct lt_result r;
	double t0 = now();

	explore_opts_default(&o);
	if (litmus_run(t, p, &o, false, &r)) {
		tg->errors++;
	} else {
		pc->execs += r.stats.executions;
		pc->secs += now() - t0;
		mm_cost_add(&pc->cost, &r.cost);
		pc->tests++;
	}
	lt_result_free(&r);
}

/* Parse every test of @dir into @tests (at most @max). Return: how many */
static int load_tests(const char *dir, struct litmus_test **tests, int max,
		      struct targets *tg)
{
	struct lt_paths files = { 0 };
	char err[256];
	int i, nt = 0;

	if (!litmus_collect(&files, dir, err, sizeof(err))) {
		for (i = 0; i < files.n; i++) {
			if (nt < max &&
			    !litmus_parse_file(files.v[i], &tests[nt], err, sizeof(err)))
				nt++;
			else
				tg->errors++;
		}
	}
	lt_paths_free(&files);
	return nt;
}

/* One row: @p over @tests, each of @cols per 1000 executions. */
static void cost_row(const struct policy *p, struct litmus_test **tests, int nt,
		     const struct mm_cost_field *cols, int nc, struct targets *tg)
{
	struct preset_cost pc = { 0 };
	int i;

	for (i = 0; i < nt; i++)
		cost_one(tests[i], p, &pc, tg);
	printf("  %-14s %8llu %9.0f |", p->name, (unsigned long long)pc.execs,
	       pc.execs / pc.secs);
	for (i = 0; i < nc; i++)
		printf(" %9.1f", pc.execs ? 1000.0 * mm_cost_get(&pc.cost, &cols[i]) / pc.execs : 0);
	printf("\n");
}

/* Part @part: per preset, @dir's tests and the counters @cols of the work each design adds. */
static void bench_cost_table(int part, const char *dir, const struct mm_cost_field *cols,
			     int nc, struct targets *tg)
{
	struct litmus_test *tests[64];
	int i, k, nt = load_tests(dir, tests, 64, tg);

	printf("%d. Cost per design: %s/*.litmus, every preset, complete dfs;\n"
	       "   counts are summed over all explored executions (per 1000 executions).\n\n",
	       part, dir);
	printf("  %-14s %8s %9s |", "preset", "execs", "execs/s");
	for (i = 0; i < nc; i++)
		printf(" %9s", cols[i].name);
	printf("\n");
	for (k = 0; k < policy_nr_presets(); k++)
		cost_row(policy_preset(k), tests, nt, cols, nc, tg);
	for (i = 0; i < nt; i++)
		litmus_free(tests[i]);
	printf("\n");
}

/* Part 5: the stable-data tests: bounces, stable-page and writeback waits, skips. */
static void bench_costs(struct targets *tg)
{
	static const struct mm_cost_field cols[] = {
		COST_COL("bounces", bounces),
		COST_COL("stable-w", stable_waits),
		COST_COL("wb-waits", wb_waits),
		COST_COL("skipped", skipped),
	};

	bench_cost_table(5, STABLE_DIR, cols, ARRAY_SIZE(cols), tg);
}

/* Part 6: the layout tests: failures, waits, lease breaks, revocations, COW blocks. */
static void bench_layout_costs(struct targets *tg)
{
	static const struct mm_cost_field cols[] = {
		COST_COL("fails", layout_fails),
		COST_COL("waits", layout_waits),
		COST_COL("breaks", lease_breaks),
		COST_COL("revoked", revocations),
		COST_COL("cow", cow_reservations),
	};

	bench_cost_table(6, LAYOUT_DIR, cols, ARRAY_SIZE(cols), tg);
}

/* Print the usage on stderr. Return: exit status 2 */
static int usage(void)
{
	fprintf(stderr, "usage: bench [--quick] [DIR]\n"
		"  --quick  shorter runs (less stable figures)\n"
		"  DIR      litmus files to explore (default %s)\n", DEFAULT_DIR);
	return 2;
}

/* Options into @cfg. Return: 0, or usage()'s status */
static int parse_args(int argc, char **argv, struct bench_cfg *cfg)
{
	bool have_dir = false;
	int i;

	*cfg = (struct bench_cfg){ 0.2, 0.05, DEFAULT_DIR };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			cfg->switch_secs = 0.05;
			cfg->rate_secs = 0.01;
		} else if (argv[i][0] == '-' || have_dir) {
			return usage();
		} else {
			cfg->dir = argv[i];
			have_dir = true;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct targets tg = { 0 };
	struct totals tot = { 0 };
	struct bench_cfg cfg;
	struct lt_paths files = { 0 };
	char err[256];
	int ret;

	ret = parse_args(argc, argv, &cfg);
	if (ret)
		return ret;
	if (litmus_collect(&files, cfg.dir, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		lt_paths_free(&files);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pinlab bench%s: ratios against baselines measured in this run\n\n",
	       cfg.switch_secs < 0.2 ? " --quick" : "");
	ret = bench_switch(&cfg, &tg);
	if (!ret) {
		bench_litmus(&cfg, files.v, files.n, &tot, &tg);
		if (!strcmp(cfg.dir, DEFAULT_DIR)) {
			bench_mm(&cfg, &tg);
			bench_costs(&tg);
			bench_layout_costs(&tg);
		}
		summarise(&tot, &tg);
	}
	lt_paths_free(&files);
	return ret || tg.errors ? 1 : 0;
}
