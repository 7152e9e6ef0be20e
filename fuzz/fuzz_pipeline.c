/* fuzz_pipeline.c - libFuzzer target: parse, set up the model, explore a little and report, for any input. */
#include <ctype.h>
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
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

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
		CHECK(!strchr(r.stats.error, '\n'));
	}
	lt_result_free(&r);
}

/* ---- grammar-aware mutations: most byte flips only make parse errors ---- */

/* Statements a thread may gain, each ending in ';'. */
static const char *const fuzz_stmts[] = {
	"store(A, 0, 1);", "r1 = load(A, 0);", "write(A, 0, 2);", "r2 = read(A, 0);",
	"r3 = ondisk(A, 0);", "fsync(A);", "sync();", "writeback(A, WB_SYNC_NONE);",
	"writeback(A, WB_SYNC_ALL);", "reclaim(A);", "drop_caches();", "r4 = lease(A);",
	"unlease(A);", "r0 = get_user_pages(A, 0, 1, FOLL_WRITE);",
	"r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM);",
	"r0 = pin_user_pages_fast(A, 0, 1, FOLL_WRITE);", "dma_write(r0, 0, 7);",
	"r5 = dma_read(r0, 0);", "put_page(r0);", "set_page_dirty_lock(r0);",
	"unpin_user_pages_dirty_lock(r0, true);", "put_user_pages_dirty_lock(r0, false);",
	"r6 = dio_read(A, 0, A, 0);", "x = x + 1;", "r7 = x;", "r1 = -1;",
	"if (r1 == 0) { store(A, 0, 3); } else { r2 = read(A, 0); }",
};

/* Integers a number may become: the edges of every range the tool checks. */
static const char *const fuzz_ints[] = {
	"0", "1", "2", "7", "8", "9", "14", "15", "16", "31", "32", "63", "64",
	"65", "511", "512", "4294967295", "4294967296", "9223372036854775807",
	"9223372036854775808",
};

/* xorshift32: the mutator's choices come from libFuzzer's seed only. */
static u32 fuzz_rand(u32 *state)
{
	u32 x = *state ? *state : 1;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Replace @len bytes at @pos by @with. Return: the new size, 0 if it does not fit */
static size_t splice(uint8_t *data, size_t size, size_t max_size, size_t pos,
		     size_t len, const char *with)
{
	size_t n = strlen(with);

	if (pos > size || len > size - pos || size - len + n > max_size)
		return 0;
	memmove(data + pos + n, data + pos + len, size - pos - len);
	memcpy(data + pos, with, n);
	return size - len + n;
}

/* The @k-th position (mod their count) after a byte in @set. Return: -1 if none */
static long nth_after(const uint8_t *data, size_t size, const char *set, u32 k)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		n += data[i] && strchr(set, data[i]) != NULL;
	if (!n)
		return -1;
	k %= n;
	for (i = 0; i < size; i++)
		if (data[i] && strchr(set, data[i]) && !k--)
			return i + 1;
	return -1;
}

/* One number of the text becomes an edge value. */
static size_t mutate_int(uint8_t *data, size_t size, size_t max_size, u32 *st)
{
	size_t i, n = 0, k, len;

	for (i = 0; i < size; i++)
		n += isdigit(data[i]) && (!i || !isalnum(data[i - 1]));
	if (!n)
		return 0;
	k = fuzz_rand(st) % n;
	for (i = 0; i < size; i++) {
		if (!isdigit(data[i]) || (i && isalnum(data[i - 1])) || k--)
			continue;
		for (len = 0; i + len < size && isdigit(data[i + len]); len++)
			;
		return splice(data, size, max_size, i, len,
			      fuzz_ints[fuzz_rand(st) % ARRAY_SIZE(fuzz_ints)]);
	}
	return 0;
}

/* A statement is inserted after some ';' or '{'. */
static size_t mutate_stmt(uint8_t *data, size_t size, size_t max_size, u32 *st)
{
	long pos = nth_after(data, size, ";{", fuzz_rand(st));

	if (pos < 0)
		return 0;
	return splice(data, size, max_size, pos, 0,
		      fuzz_stmts[fuzz_rand(st) % ARRAY_SIZE(fuzz_stmts)]);
}

/* A line is doubled: another file, variable, statement or thread. */
static size_t mutate_line(uint8_t *data, size_t size, size_t max_size, u32 *st)
{
	long start = nth_after(data, size, "\n", fuzz_rand(st));
	size_t end;

	if (start < 0)
		return 0;
	for (end = start; end < size && data[end] != '\n'; end++)
		;
	if (end == size || size + (end - start) + 1 > max_size)
		return 0;
	memmove(data + end + 1, data + start, size - start);
	return size + (end - start) + 1;
}

/**
 * LLVMFuzzerCustomMutator() - libFuzzer's byte mutations, or a grammar-aware one
 * @data:     the input, mutated in place
 * @size:     its length
 * @max_size: room in @data
 * @seed:     libFuzzer's choice, so runs reproduce
 *
 * Half the time one of: an integer set to an edge value, a statement
 * inserted, a line doubled; the other half (or when that does not fit)
 * libFuzzer's own mutations.
 *
 * Return: the new length.
 */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	u32 st = seed;
	size_t n = 0;

	switch (fuzz_rand(&st) % 6) {
	case 0:
		n = mutate_int(data, size, max_size, &st);
		break;
	case 1:
		n = mutate_stmt(data, size, max_size, &st);
		break;
	case 2:
		n = mutate_line(data, size, max_size, &st);
		break;
	default:
		break;
	}
	return n ? n : LLVMFuzzerMutate(data, size, max_size);
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
	/* What parses but the model cannot run is refused the way pinlab does. */
	if (litmus_check_modelled(t, err, sizeof(err))) {
		CHECK(!strchr(err, '\n'));
		litmus_free(t);
		return 0;
	}
	h = input_hash(data, size);
	pick_opts(h, &o);
	for (i = 0; i < FUZZ_POLICIES; i++)
		run_policy(t, policy_preset((h >> (8 * i + 16)) % n), &o, sink);
	litmus_free(t);
	return 0;
}
