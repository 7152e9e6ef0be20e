/* test_report.c - unit tests of litmus/format.c and litmus/report.c on hand-built results. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/report.h>
#include <pinlab/run.h>

#include "../litmus/trace-events.h"

/**
 * struct capture - a FILE whose output the test reads back
 * @f:   the stream
 * @buf: its text after capture_end()
 * @len: its length
 */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *capture_begin(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static const char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	c->f = NULL;
	return c->buf;
}

/**
 * struct fixture - a hand-built test "sb" and a result of it
 * @files:    file A, one page
 * @threads:  P0(device), P1(flusher)
 * @locs:     0:r0, A[0], io_error
 * @vals:     two outcomes of three values
 * @outcomes: the two outcomes
 * @trace:    a five-step witness
 * @pol:      the policy "mainline"
 * @test:     the test
 * @r:        the result
 */
struct fixture {
	struct lt_file files[1];
	struct lt_thread threads[2];
	struct lt_operand locs[3];
	s64 vals[2][3];
	struct outcome outcomes[2];
	struct trace_step trace[5];
	struct policy pol;
	struct litmus_test test;
	struct lt_result r;
};

static struct fixture fx;

static void fixture_locs(struct fixture *x)
{
	x->locs[0] = (struct lt_operand){ .kind = LO_REG, .thread = 0, .reg = 0 };
	x->locs[1] = (struct lt_operand){ .kind = LO_PAGE, .file = 0, .page = 0 };
	x->locs[2] = (struct lt_operand){ .kind = LO_FLAG, .flag = PLF_IO_ERROR };
}

static void fixture_test(struct fixture *x)
{
	x->files[0] = (struct lt_file){ .name = "A", .nr_pages = 1 };
	x->threads[0] = (struct lt_thread){ .id = 0, .label = "device" };
	x->threads[1] = (struct lt_thread){ .id = 1, .label = "flusher" };
	fixture_locs(x);
	x->test = (struct litmus_test){
		.path = "sb.litmus", .name = "sb",
		.files = x->files, .nr_files = 1,
		.threads = x->threads, .nr_threads = 2,
		.quant = LQ_EXISTS,
		.cond_text = "exists (0:r0=1 /\\ A[0]=2)",
		.locs = x->locs, .nr_locs = 3,
	};
}

static void fixture_outcomes(struct fixture *x)
{
	static const s64 v[2][3] = {
		{ -14, LT_VAL_TORN, 1 },
		{ 1, 2, 0 },
	};

	memcpy(x->vals, v, sizeof(v));
	x->outcomes[0] = (struct outcome){ .vals = x->vals[0], .count = 3 };
	x->outcomes[1] = (struct outcome){ .vals = x->vals[1], .count = 1,
					   .holds = true };
}

static void fixture_trace(struct fixture *x)
{
	x->trace[0] = (struct trace_step){ 0, "pin_user_pages",
		"r0 = pin_user_pages(A, 0, 1, FOLL_WRITE)", NULL, NULL };
	x->trace[1] = (struct trace_step){ 1, "clear_page_dirty_for_io",
		"writeback(A, WB_SYNC_NONE)", NULL, NULL };
	x->trace[2] = (struct trace_step){ 0, "dma_write", "dma_write(r0, 0, 2)", NULL, NULL };
	x->trace[3] = (struct trace_step){ 1, "submit_bio", NULL, NULL, NULL };
	x->trace[4] = (struct trace_step){ 2, "epilogue", "sync", NULL, "epilogue" };
	x->r.trace = x->trace;
	x->r.nr_trace = 5;
	x->r.mark = 2;
	x->r.flags.mask = BIT(PLF_IO_ERROR);
	x->r.flags.what[PLF_IO_ERROR] = "guard tag mismatch";
	x->r.flags.step[PLF_IO_ERROR] = 3;
}

/* The five-step witness, with what the traced replay saw of each step. */
static void fixture_traced(struct fixture *x, struct lt_step_detail *detail)
{
	fixture_trace(x);
	x->r.detail = detail;
}

static int fixture_setup(void **state)
{
	struct fixture *x = &fx;

	memset(x, 0, sizeof(*x));
	fixture_test(x);
	fixture_outcomes(x);
	snprintf(x->pol.name, sizeof(x->pol.name), "mainline");
	x->r = (struct lt_result){
		.test = &x->test, .policy = &x->pol,
		.outcomes = x->outcomes, .nr_outcomes = 2,
		.positive = 1, .negative = 3,
		.validated = true, .verdict = LV_SOMETIMES,
		.stats = { .executions = 4, .complete = true, .seconds = 0.004 },
		.explored = "complete",
		.witness = "0x2,1",
		.mark = -1,
	};
	*state = x;
	return 0;
}

static void test_format_value(void **state)
{
	struct lt_operand reg = { .kind = LO_REG };
	struct lt_operand page = { .kind = LO_PAGE };
	char buf[32];

	(void)state;
	lt_format_value(&page, LT_VAL_TORN, buf, sizeof(buf));
	assert_string_equal(buf, "torn");
	lt_format_value(&page, LT_VAL_EIO, buf, sizeof(buf));
	assert_string_equal(buf, "eio");
	lt_format_value(&reg, -EFAULT, buf, sizeof(buf));
	assert_string_equal(buf, "-EFAULT");
	lt_format_value(&reg, -EPERM, buf, sizeof(buf));
	assert_string_equal(buf, "-EPERM");
	lt_format_value(&page, -EFAULT, buf, sizeof(buf));
	assert_string_equal(buf, "-14");
	lt_format_value(&reg, -134, buf, sizeof(buf));
	assert_string_equal(buf, "-134");
	lt_format_value(&reg, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	lt_format_value(&reg, 1024, buf, sizeof(buf));
	assert_string_equal(buf, "1024");
	lt_format_value(NULL, -14, buf, sizeof(buf));
	assert_string_equal(buf, "-14");
	lt_format_value(&reg, INT64_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-9223372036854775808");
}

static void test_format_value_truncates(void **state)
{
	struct lt_operand reg = { .kind = LO_REG };
	char buf[4] = "xyz";

	(void)state;
	lt_format_value(&reg, 123456, buf, sizeof(buf));
	assert_string_equal(buf, "123");
	lt_format_value(&reg, 7, buf, 0);
	assert_string_equal(buf, "123");
}

static void test_format_loc(void **state)
{
	struct fixture *x = *state;
	struct lt_operand var = { .kind = LO_VAR, .var = 0 };
	struct lt_operand bad = { .kind = LO_PAGE, .file = 7, .page = 1 };
	struct lt_var vars[1] = { { .name = "x" } };
	char buf[64];

	lt_format_loc(&x->test, &x->locs[0], buf, sizeof(buf));
	assert_string_equal(buf, "0:r0");
	lt_format_loc(&x->test, &x->locs[1], buf, sizeof(buf));
	assert_string_equal(buf, "A[0]");
	lt_format_loc(&x->test, &x->locs[2], buf, sizeof(buf));
	assert_string_equal(buf, "io_error");
	lt_format_loc(&x->test, &bad, buf, sizeof(buf));
	assert_string_equal(buf, "?[1]");
	x->test.vars = vars;
	x->test.nr_vars = 1;
	lt_format_loc(&x->test, &var, buf, sizeof(buf));
	assert_string_equal(buf, "x");
}

static void test_herd_block(void **state)
{
	struct fixture *x = *state;
	struct capture c;

	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	assert_string_equal(capture_end(&c),
		"Test sb Allowed\n"
		"Policy mainline\n"
		"States 2\n"
		"0:r0=-EFAULT; A[0]=torn; io_error=1;\n"
		"0:r0=1; A[0]=2; io_error=0;\n"
		"Ok\n"
		"Witnesses\n"
		"Positive: 1 Negative: 3\n"
		"Condition exists (0:r0=1 /\\ A[0]=2)\n"
		"Observation sb Sometimes 1 3\n"
		"Explored sb complete 4\n"
		"Witness sb 0x2,1\n"
		"Time sb 0.00\n"
		"\n");
	free(c.buf);
}

static void test_herd_forbidden_no_witness(void **state)
{
	struct fixture *x = *state;
	struct capture c;
	const char *s;

	x->test.quant = LQ_NOT_EXISTS;
	x->r.witness = NULL;
	x->r.validated = false;
	x->r.verdict = LV_NEVER;
	x->r.stats.seconds = 1.5;
	snprintf(x->r.explored, sizeof(x->r.explored), "bounded preemptions<=1");
	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	s = capture_end(&c);
	assert_non_null(strstr(s, "Test sb Forbidden\n"));
	assert_non_null(strstr(s, "\nNo\n"));
	assert_non_null(strstr(s, "Observation sb Never 1 3\n"));
	assert_non_null(strstr(s, "Explored sb bounded preemptions<=1 4\n"));
	assert_null(strstr(s, "Witness sb"));
	assert_non_null(strstr(s, "Time sb 1.50\n\n"));
	free(c.buf);
	x->test.quant = LQ_FORALL;
	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	assert_non_null(strstr(capture_end(&c), "Test sb Required\n"));
	free(c.buf);
}

static void test_herd_write_error(void **state)
{
	struct fixture *x = *state;
	FILE *f = fopen("/dev/null", "r");

	assert_non_null(f);
	assert_int_equal(report_herd(f, &x->r), -EIO);
	assert_int_equal(report_trace_json(f, &x->r), -EIO);
	fclose(f);
}

static void test_trace_timeline(void **state)
{
	struct fixture *x = *state;
	struct lt_step_detail detail[5] = {
		[0] = { .obj = "A:0 refcount" },
		[2] = { .obj = "A:0 s0", .state = "A:0 PG_dirty refs=2 pins=1 pte=rw" },
	};
	struct capture c;

	fixture_traced(x, detail);
	assert_int_equal(report_trace(capture_begin(&c), &x->r), 0);
	assert_string_equal(capture_end(&c),
		"Trace sb mainline 0x2,1\n"
		"    P0(device)                    P1(flusher)\n"
		"    ----------                    -----------\n"
		"    > r0 = pin_user_pages(A, 0, 1, FOLL_WRITE)\n"
		" 0  pin_user_pages(A:0 refcount)\n"
		"                                  > writeback(A, WB_SYNC_NONE)\n"
		" 1                                clear_page_dirty_for_io\n"
		"    > dma_write(r0, 0, 2)\n"
		"*2  dma_write(A:0 s0)  <== condition true\n"
		"    [A:0 PG_dirty refs=2 pins=1 pte=rw]\n"
		"!3                                submit_bio  <== io_error: guard tag mismatch\n"
		"    epilogue\n"
		"    --------\n"
		"    > sync\n"
		" 4  epilogue\n"
		"Flags: io_error at step 3 (guard tag mismatch)\n"
		"\n");
	free(c.buf);
}

static void test_trace_flat(void **state)
{
	struct fixture *x = *state;
	struct lt_step_detail detail[5] = {
		[2] = { .obj = "A:0 s0", .state = "A:0 PG_dirty refs=2 pins=1 pte=rw" },
	};
	struct capture c;

	fixture_traced(x, detail);
	assert_int_equal(report_trace_flat(capture_begin(&c), &x->r), 0);
	assert_string_equal(capture_end(&c),
		"Trace sb mainline 0x2,1\n"
		"0\tP0\tpin_user_pages\t-\tr0 = pin_user_pages(A, 0, 1, FOLL_WRITE)\t-\t-\n"
		"1\tP1\tclear_page_dirty_for_io\t-\twriteback(A, WB_SYNC_NONE)\t-\t-\n"
		"2\tP0\tdma_write\tA:0 s0\tdma_write(r0, 0, 2)\t"
		"A:0 PG_dirty refs=2 pins=1 pte=rw\tcondition true\n"
		"3\tP1\tsubmit_bio\t-\t-\t-\tio_error: guard tag mismatch\n"
		"4\tepilogue\tepilogue\t-\tsync\t-\t-\n"
		"Flags: io_error at step 3 (guard tag mismatch)\n"
		"\n");
	free(c.buf);
}

/* The timeline of @n hand-built @steps, no step marked, as @c captured it. */
static const char *steps_timeline(struct fixture *x, struct trace_step *steps, u32 n,
				  struct capture *c)
{
	x->r.trace = steps;
	x->r.nr_trace = n;
	x->r.mark = -1;
	assert_int_equal(report_trace(capture_begin(c), &x->r), 0);
	return capture_end(c);
}

/*
 * What happens inside a step gets rows of its own: events ("= "), and a
 * statement run without a scheduling point ("> "), which a later step of
 * the same statement does not repeat.
 */
static void test_trace_events(void **state)
{
	static const char put[] = "put_page(r0)";
	struct fixture *x = *state;
	struct trace_step steps[3] = {
		{ 0, "dma_write", "dma_write(r0, 0, 2)", NULL, NULL },
		{ 1, "f", NULL, NULL, NULL },
		{ 0, "lock_page", put, NULL, NULL },
	};
	struct lt_step_detail detail[3] = {
		[0] = { .events = "pinned A:0\n> put_page(r0)\nA:0 refs 3->2->1", .note = put,
			.state = "A:0 clean refs=1 pins=0 pte=ro" },
		[1] = { .events = "> r1 = 1" },
	};
	struct capture c;

	x->r.detail = detail;
	assert_string_equal(steps_timeline(x, steps, 3, &c),
		"Trace sb mainline 0x2,1\n"
		"    P0(device)  P1(flusher)\n"
		"    ----------  -----------\n"
		"    > dma_write(r0, 0, 2)\n"
		" 0  dma_write\n"
		"    = pinned A:0\n"
		"    > put_page(r0)\n"
		"    = A:0 refs 3->2->1\n"
		"    [A:0 clean refs=1 pins=0 pte=ro]\n"
		" 1              f\n"
		"                > r1 = 1\n"
		" 2  lock_page\n"
		"Flags: none\n"
		"\n");
	free(c.buf);
	assert_int_equal(report_trace_flat(capture_begin(&c), &x->r), 0);
	assert_string_equal(capture_end(&c),
		"Trace sb mainline 0x2,1\n"
		"0\tP0\tdma_write\t-\tdma_write(r0, 0, 2)\tA:0 clean refs=1 pins=0 pte=ro\t-\n"
		"0\tP0\t-\t-\tdma_write(r0, 0, 2)\t= pinned A:0\t-\n"
		"0\tP0\t-\t-\tput_page(r0)\t-\t-\n"
		"0\tP0\t-\t-\tput_page(r0)\t= A:0 refs 3->2->1\t-\n"
		"1\tP1\tf\t-\t-\t-\t-\n"
		"1\tP1\t-\t-\tr1 = 1\t-\t-\n"
		"2\tP0\tlock_page\t-\tput_page(r0)\t-\t-\n"
		"Flags: none\n"
		"\n");
	free(c.buf);
}

/* The log of a step: statements that end inside it are shown, one left at a scheduling point is not. */
static void test_evlog_statements(void **state)
{
	static const char a[] = "dma_write(r0, 0, 2)", b[] = "put_page(r0)", d[] = "r1 = 2";
	static const char e[] = "unpin_user_page(r1)";
	static struct lt_evlog log;
	struct lt_step_detail det;
	int page;

	(void)state;
	memset(&log, 0, sizeof(log));
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_STMT }, "", b);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_COUNT, .what = "refs",
		     .obj = &page, .before = 3, .after = 2 }, "A:0", b);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_COUNT, .what = "refs",
		     .obj = &page, .before = 2, .after = 1 }, "A:0", b);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_STMT }, "", d);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_STMT }, "", e);
	lt_evlog_step(&log, a, &det);
	assert_string_equal(det.events, "> put_page(r0)\nA:0 refs 3->2->1\n> r1 = 2");
	assert_ptr_equal(det.note, d);
	/* Out of the cache the page keeps its name; a page never in it is not shown. */
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_PAGE, .what = "page freed",
		     .obj = &page }, "page#3", e);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_COUNT, .what = "refs",
		     .obj = &det, .before = 1, .after = 2 }, "page#4", e);
	lt_evlog_add(&log, &(struct tracepoint_event){ .kind = TP_EVENT, .what = "unpinned",
		     .obj = &page }, "page#3", e);
	lt_evlog_step(&log, e, &det);
	assert_string_equal(det.events, "page freed A:0\nunpinned page#3");
	assert_null(det.note);
}

/* A statement starts once: the second step of the same statement has no "> " row. */
static void test_trace_narrow(void **state)
{
	struct fixture *x = *state;
	struct trace_step steps[3] = {
		{ 1, "f", NULL, NULL, NULL },
		{ 0, NULL, "x = 1", NULL, NULL },
		{ 0, "g", "x = 1", NULL, NULL },
	};
	struct capture c;

	steps[2].note = steps[1].note;
	assert_string_equal(steps_timeline(x, steps, 3, &c),
		"Trace sb mainline 0x2,1\n"
		"    P0(device)  P1(flusher)\n"
		"    ----------  -----------\n"
		" 0              f\n"
		"    > x = 1\n"
		" 1  -\n"
		" 2  g\n"
		"Flags: none\n"
		"\n");
	free(c.buf);
}

/* Does every line of @s fit @width columns, and has no '~' (nothing cut)? */
static bool lines_fit(const char *s, size_t width)
{
	const char *nl;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl || (size_t)(nl - s) > width || memchr(s, '~', nl - s))
			return false;
	}
	return true;
}

/* @s with every blank and newline dropped, in @buf: what a wrap may not lose. */
static void squeeze(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 1 < len; s++)
		if (*s != ' ' && *s != '\n')
			buf[n++] = *s;
	buf[n] = '\0';
}

/* Four threads of long cells, statements, states and marks: 100 columns, nothing lost. */
static void test_trace_width(void **state)
{
	static const char stmt[] = "r0 = pin_user_pages_fast(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM)";
	static const char why[] = "!page_test_flag(page, PG_private) in ext4_dirty_folio";
	struct fixture *x = *state;
	struct lt_thread threads[4];
	struct trace_step steps[4];
	struct lt_step_detail detail[4];
	char got[4096], want[512];
	struct capture c;
	int i;

	memset(detail, 0, sizeof(detail));
	for (i = 0; i < 4; i++) {
		threads[i] = (struct lt_thread){ .id = i, .label = "application" };
		steps[i] = (struct trace_step){ (u8)i, "unpin_user_pages_dirty_lock", stmt, NULL, NULL };
		snprintf(detail[i].obj, sizeof(detail[i].obj), "invalidate_lock A");
		snprintf(detail[i].state, sizeof(detail[i].state),
			 "A:0 PG_dirty|PG_writeback bufs refs=1027 pins=1 pte=ro");
	}
	x->test.threads = threads;
	x->test.nr_threads = 4;
	x->r.trace = steps;
	x->r.nr_trace = 4;
	x->r.detail = detail;
	x->r.mark = 3;
	x->r.flags.mask = BIT(PLF_WARN);
	x->r.flags.step[PLF_WARN] = 3;
	x->r.flags.what[PLF_WARN] = why;
	assert_int_equal(report_trace(capture_begin(&c), &x->r), 0);
	capture_end(&c);
	assert_true(lines_fit(c.buf, REPORT_WIDTH));
	squeeze(c.buf, got, sizeof(got));
	squeeze(stmt, want, sizeof(want));
	assert_non_null(strstr(got, want));
	squeeze("unpin_user_pages_dirty_lock(invalidate_lock A)", want, sizeof(want));
	assert_non_null(strstr(got, want));
	squeeze(why, want, sizeof(want));
	assert_non_null(strstr(got, want));
	squeeze("[A:0 PG_dirty|PG_writeback bufs refs=1027 pins=1 pte=ro]", want, sizeof(want));
	assert_non_null(strstr(got, want));
	free(c.buf);
}


/* A strict JSON checker, enough to say that the output parses. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
					return NULL;
			p += 4;
		} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	char *end;

	if (*p != '-' && (*p < '0' || *p > '9'))
		return NULL;
	strtod(p, &end);
	return end;
}

static const char *json_list(const char *p, char close, bool object, int depth)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = json_string(json_ws(p));
			if (!p || *(p = json_ws(p)) != ':')
				return NULL;
			p++;
		}
		p = json_value(p, depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	p = json_ws(p);
	if (depth > 32)
		return NULL;
	if (*p == '{')
		return json_list(p, '}', true, depth);
	if (*p == '[')
		return json_list(p, ']', false, depth);
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "null", 4) || !strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	return json_number(p);
}

static bool json_valid(const char *s)
{
	const char *end = json_value(s, 0);

	return end && !*json_ws(end);
}

/* The captured text, which must be one valid JSON value. */
static const char *json_end(struct capture *c)
{
	const char *s = capture_end(c);

	assert_true(json_valid(s));
	return s;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

static void test_json_checker(void **state)
{
	(void)state;
	assert_true(json_valid("{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\"y\"}"));
	assert_false(json_valid("{\"a\":[1,2}"));
	assert_false(json_valid("{\"a\":\"x\"y\"}"));
	assert_false(json_valid("{\"a\":\"x\ny\"}"));
}

static void test_trace_json(void **state)
{
	struct fixture *x = *state;
	struct capture c;
	const char *s;

	fixture_trace(x);
	x->trace[2].note = "say \"hi\"\\\n\tnow";
	assert_int_equal(report_trace_json(capture_begin(&c), &x->r), 0);
	s = json_end(&c);
	assert_int_equal(s[0], '{');
	assert_non_null(strstr(s, "\"traceEvents\":["));
	assert_non_null(strstr(s, "\"note\":\"say \\\"hi\\\"\\\\\\n\\tnow\""));
	assert_int_equal(count(s, "\"ph\":\"X\""), 5);
	assert_int_equal(count(s, "\"thread_name\""), 3);
	assert_non_null(strstr(s, "\"args\":{\"name\":\"P0(device)\"}"));
	assert_non_null(strstr(s, "\"args\":{\"name\":\"epilogue\"}"));
	assert_non_null(strstr(s, "\"ph\":\"i\",\"pid\":1,\"tid\":0,\"name\":\"condition true\""));
	assert_non_null(strstr(s, "\"ts\":20,\"dur\":10"));
	assert_non_null(strstr(s, "\"note\":null"));
	assert_int_equal(count(s, "\"ph\":\"C\""), 0);
	free(c.buf);
}

/* Steps that changed a page give its counter track a sample; named objects go in args. */
static void test_trace_json_counters(void **state)
{
	struct fixture *x = *state;
	struct lt_step_detail detail[5] = {
		[1] = { .obj = "A:0 PG_dirty", .nr_changes = 1,
			.changes = { { 0, 0, { .cached = true, .dirty = true, .refs = 2 } } } },
		[3] = { .nr_changes = 1, .changes = { { 0, 0, { .cached = true, .writeback = true,
							   .refs = 1027, .pins = 1 } } } },
	};
	struct capture c;
	const char *s;

	fixture_traced(x, detail);
	assert_int_equal(report_trace_json(capture_begin(&c), &x->r), 0);
	s = json_end(&c);
	assert_int_equal(count(s, "\"ph\":\"C\""), 2);
	assert_non_null(strstr(s, "{\"ph\":\"C\",\"pid\":1,\"tid\":0,\"name\":\"A:0\",\"ts\":10,"
			       "\"args\":{\"refs\":2,\"pins\":0,\"PG_dirty\":1,\"PG_writeback\":0}}"));
	assert_non_null(strstr(s, "\"ts\":30,\"args\":{\"refs\":1027,\"pins\":1,"
			       "\"PG_dirty\":0,\"PG_writeback\":1}}"));
	assert_non_null(strstr(s, "\"object\":\"A:0 PG_dirty\""));
	free(c.buf);
}

/* Several results in one file: a process each, named, with otherData listing them. */
static void test_trace_json_processes(void **state)
{
	struct fixture *x = *state;
	struct lt_step_detail detail[5] = {
		[2] = { .events = "> put_page(r0)\nA:0 refs 3->2", .note = "put_page(r0)" },
	};
	struct report_json j;
	struct policy other = { .name = "placeholder" };
	struct lt_result r2;
	struct capture c;
	const char *s;

	fixture_traced(x, detail);
	r2 = x->r;
	r2.policy = &other;
	assert_int_equal(report_json_begin(&j, capture_begin(&c)), 0);
	assert_int_equal(report_json_add(&j, &x->r), 0);
	assert_int_equal(report_json_add(&j, &r2), 0);
	assert_int_equal(report_json_end(&j), 0);
	s = json_end(&c);
	assert_int_equal(count(s, "\"process_name\""), 2);
	assert_non_null(strstr(s, "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\","
			       "\"args\":{\"name\":\"sb under mainline\"}}"));
	assert_non_null(strstr(s, "{\"ph\":\"M\",\"pid\":2,\"tid\":0,\"name\":\"process_name\","
			       "\"args\":{\"name\":\"sb under placeholder\"}}"));
	assert_int_equal(count(s, "\"ph\":\"X\",\"pid\":2,"), 5);
	assert_int_equal(count(s, "\"cat\":\"statement\""), 2);
	assert_non_null(strstr(s, "\"name\":\"A:0 refs 3->2\",\"cat\":\"event\",\"s\":\"t\","
			       "\"ts\":26.667,\"args\":{\"step\":2,\"note\":\"put_page(r0)\"}}"));
	assert_non_null(strstr(s, "\"otherData\":{\"traces\":[{\"pid\":1,\"test\":\"sb\","
			       "\"policy\":\"mainline\""));
	assert_non_null(strstr(s, "},{\"pid\":2,\"test\":\"sb\",\"policy\":\"placeholder\""));
	free(c.buf);
}

static void test_trace_json_no_trace(void **state)
{
	struct fixture *x = *state;
	struct capture c;
	const char *s;

	x->r.witness = NULL;
	assert_int_equal(report_trace_json(capture_begin(&c), &x->r), 0);
	s = json_end(&c);
	assert_int_equal(count(s, "\"ph\":\"X\""), 0);
	assert_non_null(strstr(s, "\"witness\":null"));
	free(c.buf);
}

static void test_tap_lines(void **state)
{
	struct fixture *x = *state;
	struct capture c;

	capture_begin(&c);
	assert_true(report_tap_line(c.f, 1, &x->r, LV_SOMETIMES));
	assert_false(report_tap_line(c.f, 2, &x->r, LV_NEVER));
	x->r.verdict = LV_NEVER;
	x->r.stats.complete = false;
	snprintf(x->r.explored, sizeof(x->r.explored), "random seed=3");
	assert_false(report_tap_line(c.f, 3, &x->r, LV_NEVER));
	x->r.verdict = LV_SOMETIMES;
	assert_true(report_tap_line(c.f, 4, &x->r, LV_SOMETIMES));
	report_tap_fail(c.f, 5, "sb", "nosuch", "unknown policy (not a preset)");
	assert_string_equal(capture_end(&c),
		"ok 1 - sb mainline\n"
		"not ok 2 - sb mainline # expected Never, got Sometimes\n"
		"not ok 3 - sb mainline # exploration incomplete (random seed=3)\n"
		"ok 4 - sb mainline\n"
		"not ok 5 - sb nosuch # unknown policy (not a preset)\n");
	free(c.buf);
}

static void test_expected(void **state)
{
	struct fixture *x = *state;
	struct lt_expect e[2] = {
		{ .policy = "placeholder", .verdict = LV_SOMETIMES },
		{ .policy = "mainline", .verdict = LV_NEVER },
	};
	enum lt_verdict v;

	x->test.expect = e;
	x->test.nr_expect = 2;
	assert_true(report_expected(&x->test, "mainline", &v));
	assert_int_equal(v, LV_NEVER);
	assert_false(report_expected(&x->test, "lease", &v));
}

static void test_matrix(void **state)
{
	struct fixture *x = *state;
	struct lt_expect e[2] = {
		{ .policy = "placeholder", .verdict = LV_SOMETIMES },
		{ .policy = "mainline", .verdict = LV_NEVER },
	};
	struct litmus_test other = { .name = "long-test-name" };
	const struct litmus_test *tests[2] = { &x->test, &other };
	const char *pols[2] = { "placeholder", "mainline" };
	struct matrix_cell cells[4] = {
		{ LV_SOMETIMES, true, false, false }, { LV_SOMETIMES, true, false, false },
		{ LV_NEVER, false, false, false }, { LV_NEVER, true, true, false },
	};
	struct matrix m = { tests, 2, pols, 2, cells };
	struct capture c;

	x->test.expect = e;
	x->test.nr_expect = 2;
	assert_int_equal(report_matrix(capture_begin(&c), &m), 2);
	assert_string_equal(capture_end(&c),
		"test            placeholder  mainline\n"
		"sb              Sometimes    Sometimes!\n"
		"long-test-name  Never?       error!\n"
		"Legend: ! differs from Result: or the run failed;"
		" ? incomplete exploration, Never/Always unproven\n"
		"2 tests, 2 policies, 2 mismatches\n");
	free(c.buf);
}

/* A filter: its count, its locations hidden from the states, and vacuity said. */
static void test_herd_filtered(void **state)
{
	struct fixture *x = *state;
	struct lt_prop filter = { .kind = LP_FLAG };
	struct capture c;
	const char *s;

	x->test.filter = &filter;
	x->locs[2].hidden = true;
	x->r.filtered = 5;
	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	s = capture_end(&c);
	assert_non_null(strstr(s, "States 2\n0:r0=-EFAULT; A[0]=torn;\n0:r0=1; A[0]=2;\n"));
	assert_non_null(strstr(s, "Observation sb Sometimes 1 3\nFiltered sb 5\nExplored"));
	free(c.buf);
	x->r.positive = x->r.negative = 0;
	x->r.nr_outcomes = 0;
	x->r.verdict = LV_NEVER;
	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	assert_non_null(strstr(capture_end(&c), "Observation sb Never 0 0\n"
		"Filtered sb 5 vacuous (no execution satisfies the filter)\n"));
	free(c.buf);
	x->test.filter = NULL;
	assert_int_equal(report_herd(capture_begin(&c), &x->r), 0);
	assert_null(strstr(capture_end(&c), "Filtered"));
	free(c.buf);
}

/* Parse @src and run it under @policy_name, completely. */
static void run_src(const char *src, const char *policy_name,
		    struct litmus_test **t, struct lt_result *r)
{
	const struct policy *p = policy_find(policy_name);
	struct explore_opts o;
	char err[256];

	assert_non_null(p);
	assert_int_equal(litmus_parse("r.litmus", src, strlen(src), t, err, sizeof(err)), 0);
	explore_opts_default(&o);
	assert_int_equal(litmus_run(*t, p, &o, false, r), 0);
	assert_true(r->stats.complete);
}

static const char filter_src[] =
	"PIN f\n{ sectors = 1; file A = 1; x = 0; }\n"
	"P0(d) { r1 = x; r0 = pin_user_pages(A, r1, 1, FOLL_WRITE);\n"
	"  dma_write(r0, 0, 1); unpin_user_pages_dirty_lock(r0, true); }\n"
	"P1(a) { x = 1; }\n"
	"filter (0:r0=1 /\\ pins(A,0)=0)\n"
	"exists (A[0]!=1)\n";

/* The executions where the GUP failed are counted apart, not in the verdict. */
static void test_run_filter(void **state)
{
	struct litmus_test *t;
	struct lt_result r;
	struct capture c;
	const char *s;

	(void)state;
	run_src(filter_src, "mainline", &t, &r);
	assert_int_equal(r.filtered, 1);
	assert_int_equal(r.positive, 0);
	assert_int_equal(r.negative, 1);
	assert_int_equal(r.verdict, LV_NEVER);
	assert_int_equal(report_herd(capture_begin(&c), &r), 0);
	s = capture_end(&c);
	/* 0:r0 and pins(A,0) are read only by the filter */
	assert_non_null(strstr(s, "States 1\nA[0]=1;\n"));
	assert_non_null(strstr(s, "Filtered f 1\n"));
	free(c.buf);
	lt_result_free(&r);
	litmus_free(t);
}

static const char pstate_src[] =
	"PIN ps\n{ fs = ext4; sectors = 2; file A = 1; }\n"
	"P0(a) { store(A, 0, 1); }\n"
	"P1(f) { writeback(A, WB_SYNC_ALL); }\n"
	"locations [buffers(A,0); A[0].1]\n"
	"exists (PageDirty(A,0)=1)\n";

/* Page states are read before the epilogue, sectors after it. */
static void test_run_pstate(void **state)
{
	struct litmus_test *t;
	struct lt_result r;
	struct capture c;

	(void)state;
	run_src(pstate_src, "mainline", &t, &r);
	assert_int_equal(r.verdict, LV_SOMETIMES);
	assert_int_equal(report_herd(capture_begin(&c), &r), 0);
	assert_non_null(strstr(capture_end(&c), "States 2\n"
		"buffers(A,0)=1; A[0].1=1; PageDirty(A,0)=0;\n"
		"buffers(A,0)=1; A[0].1=1; PageDirty(A,0)=1;\n"));
	free(c.buf);
	lt_result_free(&r);
	litmus_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_format_value, fixture_setup),
		cmocka_unit_test_setup(test_format_value_truncates, fixture_setup),
		cmocka_unit_test_setup(test_format_loc, fixture_setup),
		cmocka_unit_test_setup(test_herd_block, fixture_setup),
		cmocka_unit_test_setup(test_herd_forbidden_no_witness, fixture_setup),
		cmocka_unit_test_setup(test_herd_write_error, fixture_setup),
		cmocka_unit_test_setup(test_trace_timeline, fixture_setup),
		cmocka_unit_test_setup(test_trace_narrow, fixture_setup),
		cmocka_unit_test_setup(test_trace_width, fixture_setup),
		cmocka_unit_test_setup(test_trace_flat, fixture_setup),
		cmocka_unit_test_setup(test_trace_events, fixture_setup),
		cmocka_unit_test(test_evlog_statements),
		cmocka_unit_test_setup(test_json_checker, fixture_setup),
		cmocka_unit_test_setup(test_trace_json, fixture_setup),
		cmocka_unit_test_setup(test_trace_json_counters, fixture_setup),
		cmocka_unit_test_setup(test_trace_json_processes, fixture_setup),
		cmocka_unit_test_setup(test_trace_json_no_trace, fixture_setup),
		cmocka_unit_test_setup(test_tap_lines, fixture_setup),
		cmocka_unit_test_setup(test_expected, fixture_setup),
		cmocka_unit_test_setup(test_matrix, fixture_setup),
		cmocka_unit_test_setup(test_herd_filtered, fixture_setup),
		cmocka_unit_test(test_run_filter),
		cmocka_unit_test(test_run_pstate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
