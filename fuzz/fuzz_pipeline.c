/* fuzz_pipeline.c - libFuzzer target: parse, set up the model, explore a little and report, for any input. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/explore.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/report.h>
#include <pinlab/run.h>

/*
 * Bounds of one input's exploration: enough to reach every operation and
 * the epilogue, few enough that an input takes milliseconds.  Cutting
 * executions at FUZZ_MAX_STEPS also exercises the abandoned-task paths.
 */
#define FUZZ_PATH	"fuzz.litmus"
#define FUZZ_MAX_EXECS	6	/* executions per policy */
#define FUZZ_MAX_STEPS	400	/* steps per execution */
#define FUZZ_POLICIES	2	/* policies each input runs under */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)							\
	do {								\
		if (!(c))						\
			abort();					\
	} while (0)

/* FNV-1a of the input: picks policies and strategy, reproducibly. */
static u64 input_hash(const uint8_t *data, size_t size)
{
	u64 h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h;
}

/* DFS with DPOR mostly; plain DFS and random now and then. */
static void pick_opts(u64 h, struct explore_opts *o)
{
	explore_opts_default(o);
	o->max_execs = FUZZ_MAX_EXECS;
	o->max_steps = FUZZ_MAX_STEPS;
	switch (h % 8) {
	case 0:
		o->reduction = REDUCTION_NONE;
		break;
	case 1:
		o->strategy = EXPLORE_RANDOM;
		o->runs = FUZZ_MAX_EXECS;
		o->seed = h >> 8;
		break;
	case 2:
		o->bound = 1;
		break;
	default:
		break;
	}
}

/* What litmus_run() promises about a result it returned 0 for. */
static void check_result(const struct litmus_test *t, const struct lt_result *r)
{
	u64 sum = 0;
	int i;

	CHECK(r->nr_outcomes >= 0);
	for (i = 0; i < r->nr_outcomes; i++)
		sum += r->outcomes[i].count;
	CHECK(sum == r->positive + r->negative);
	CHECK(r->stats.executions >= sum);
	CHECK(r->stats.max_depth <= FUZZ_MAX_STEPS);
	CHECK(!r->stats.complete || !r->stats.bounded);
	CHECK(r->mark < (int)r->nr_trace);
	CHECK(r->test == t);
}

/* Print the result as pinlab does, into a sink: the printers must cope too. */
static void report(FILE *sink, const struct lt_result *r)
{
	if (!sink)
		return;
	report_herd(sink, r);
	if (r->witness) {
		report_trace(sink, r);
		report_trace_json(sink, r);
	}
}

static void run_policy(const struct litmus_test *t, const struct policy *p,
		       const struct explore_opts *o, FILE *sink)
{
	struct lt_result r;
	int ret;

	ret = litmus_run(t, p, o, true, &r);
	if (!ret) {
		check_result(t, &r);
		report(sink, &r);
	} else {
		/* Only resources may fail: bad input is the parser's to refuse. */
		CHECK(ret == -ENOMEM || ret == -EAGAIN);
		CHECK(explore_error() && !strchr(explore_error(), '\n'));
	}
	lt_result_free(&r);
}

/**
 * LLVMFuzzerTestOneInput() - the whole pipeline on @data
 * @data: the input, a litmus test or not
 * @size: its length
 *
 * A test the parser accepts is run under FUZZ_POLICIES presets chosen by
 * the input's hash, with a bounded exploration, its witness traced and every
 * report printed into /dev/null.
 *
 * Return: 0 (aborts, or a sanitizer reports, when the pipeline breaks)
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct explore_opts o;
	struct litmus_test *t;
	char err[512];
	u64 h;
	int i, n = policy_nr_presets();

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (litmus_parse(FUZZ_PATH, (const char *)data, size, &t, err,
			 sizeof(err))) {
		CHECK(!t && !strchr(err, '\n'));
		return 0;
	}
	h = input_hash(data, size);
	pick_opts(h, &o);
	for (i = 0; i < FUZZ_POLICIES; i++)
		run_policy(t, policy_preset((h >> (8 * i + 16)) % n), &o, sink);
	litmus_free(t);
	return 0;
}
