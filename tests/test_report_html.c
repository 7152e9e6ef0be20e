/* test_report_html.c - unit tests of litmus/report-html.c on a hand-built matrix. */
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

/**
 * struct page_fx - one test "t<1>" under two columns, and the page of it
 * @threads: P0(dev<ice>), P1
 * @expect:  Result: mainline=Never placeholder=Sometimes
 * @trace:   a four-step witness: two threads and the epilogue
 * @test:    the test
 * @tests:   the matrix's one row
 * @names:   the column names
 * @cols:    the columns' policies
 * @cells:   Sometimes (differs from Never) and Sometimes, both complete
 * @results: the two results, the first with a traced witness
 * @m:       the matrix
 * @page:    what report_html() is given
 * @html:    the page written
 * @len:     its length
 */
struct page_fx {
	struct lt_thread threads[2];
	struct lt_expect expect[2];
	struct trace_step trace[4];
	struct litmus_test test;
	const struct litmus_test *tests[1];
	const char *names[2];
	struct policy cols[2];
	struct matrix_cell cells[2];
	struct lt_result results[2];
	struct matrix m;
	struct report_page page;
	char *html;
	size_t len;
};

static struct page_fx fx;

static void fx_test(struct page_fx *x)
{
	x->threads[0] = (struct lt_thread){ .id = 0, .label = "dev<ice>" };
	x->threads[1] = (struct lt_thread){ .id = 1 };
	x->expect[0] = (struct lt_expect){ .policy = "mainline", .verdict = LV_NEVER };
	x->expect[1] = (struct lt_expect){ .policy = "placeholder", .verdict = LV_SOMETIMES };
	x->test = (struct litmus_test){
		.path = "/nonexistent/dir/t.litmus", .name = "t<1>",
		.desc = "a \"quoted\" & <b>bold</b> description",
		.expect = x->expect, .nr_expect = 2,
		.threads = x->threads, .nr_threads = 2,
		.quant = LQ_EXISTS, .cond_text = "exists (x=1)",
	};
	x->tests[0] = &x->test;
}

static void fx_trace(struct page_fx *x)
{
	x->trace[0] = (struct trace_step){ .pid = 0, .fn = "pin_user_pages", .note = "r0 = pin(A)" };
	x->trace[1] = (struct trace_step){ .pid = 1,
		.fn = "a_kernel_function_name_longer_than_a_box" };
	x->trace[2] = (struct trace_step){ .pid = 0, .fn = "dma_write", .note = "dma_write(r0, 0, 2)" };
	x->trace[3] = (struct trace_step){ .pid = 2, .fn = "submit_bio", .note = "epilogue" };
}

static void fx_results(struct page_fx *x)
{
	int i;

	for (i = 0; i < 2; i++) {
		x->cells[i] = (struct matrix_cell){ .verdict = LV_SOMETIMES, .complete = true };
		x->results[i] = (struct lt_result){
			.test = &x->test, .policy = &x->cols[i], .verdict = LV_SOMETIMES,
			.explored = "complete", .mark = -1,
			.stats = { .executions = 4, .complete = true },
		};
	}
	x->results[0].witness = "0x2,1";
	x->results[0].trace = x->trace;
	x->results[0].nr_trace = 4;
	x->results[0].mark = 2;
	x->results[0].flags.mask = BIT(PLF_IO_ERROR);
	x->results[0].flags.step[PLF_IO_ERROR] = 3;
	x->results[0].flags.what[PLF_IO_ERROR] = "guard <tag> mismatch";
}

static int fx_setup(void **state)
{
	struct page_fx *x = &fx;
	static const char *const args[] = { "dir" };

	memset(x, 0, sizeof(*x));
	fx_test(x);
	fx_trace(x);
	assert_non_null(policy_find("mainline"));
	assert_non_null(policy_find("placeholder"));
	x->cols[0] = *policy_find("mainline");
	x->cols[1] = *policy_find("placeholder");
	x->names[0] = x->cols[0].name;
	x->names[1] = x->cols[1].name;
	fx_results(x);
	x->m = (struct matrix){ x->tests, 1, x->names, 2, x->cells };
	x->page = (struct report_page){
		.m = &x->m, .results = x->results, .cols = x->cols,
		.version = "pinlab 0.1", .date = "today", .args = args, .nr_args = 1,
	};
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	(void)state;
	free(fx.html);
	fx.html = NULL;
	return 0;
}

/* The page of @x, kept in x->html. */
static const char *fx_write(struct page_fx *x)
{
	FILE *f = open_memstream(&x->html, &x->len);

	assert_non_null(f);
	assert_int_equal(report_html(f, &x->page), 0);
	assert_int_equal(fclose(f), 0);
	return x->html;
}

/* Occurrences of @needle in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

/* Names, descriptions, labels and reasons are text, never markup. */
static void test_escaped(void **state)
{
	const char *h = fx_write(*state);

	assert_non_null(strstr(h, "<h3>t&lt;1&gt;</h3>"));
	assert_non_null(strstr(h, "a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; description"));
	assert_non_null(strstr(h, "P0(dev&lt;ice&gt;)"));
	assert_non_null(strstr(h, "guard &lt;tag&gt; mismatch"));
	assert_null(strstr(h, "<b>bold"));
	assert_null(strstr(h, "t<1>"));
	assert_non_null(strstr(h, "(cannot read the source: No such file or directory)"));
}

/* Cells: matrix's text and marks, linked to the witness or else the test. */
static void test_cells(void **state)
{
	const char *h = fx_write(*state);

	assert_non_null(strstr(h, "<td class=\"cell sometimes mismatch\" id=\"c-0-0\""));
	assert_non_null(strstr(h, "<a href=\"#w-0-0\">Sometimes!</a>"));
	assert_non_null(strstr(h, "<td class=\"cell sometimes\" id=\"c-0-1\""));
	assert_non_null(strstr(h, "<a href=\"#t-0\">Sometimes</a>"));
	assert_int_equal(count(h, "<div class=\"witness\" id=\"w-0-0\""), 1);
	assert_int_equal(count(h, "class=\"witness\""), 1);
	assert_non_null(strstr(h, "<h2 class=\"dir\">/nonexistent/dir</h2>"));
}

/* The swimlane: a lane per thread, the epilogue's apart, marks on the right steps. */
static void test_swimlane(void **state)
{
	const char *h = fx_write(*state);

	assert_int_equal(count(h, "<svg class=\"swimlane\""), 1);
	assert_int_equal(count(h, "<g class=\"lane\""), 2);
	assert_int_equal(count(h, "<g class=\"lane-epilogue\""), 1);
	assert_int_equal(count(h, "<g class=\"step"), 4);
	assert_non_null(strstr(h, "<g class=\"step cond\" data-step=\"2\" data-lane=\"0\">"));
	assert_non_null(strstr(h, "<g class=\"step flag\" data-step=\"3\" data-lane=\"2\">"));
	assert_non_null(strstr(h, ">&lt;== condition true</text>"));
	assert_non_null(strstr(h, ">&lt;== io_error</text>"));
	assert_non_null(strstr(h, ">a_kernel_function_name_lon~</text>"));
	assert_non_null(strstr(h, "<title>step 0: pin_user_pages: r0 = pin(A)</title>"));
}

/* The knob table and the metadata: every knob, the kernel base per column. */
static void test_policies(void **state)
{
	const char *h = fx_write(*state);
	int k;

	for (k = 0; k < policy_nr_knobs(); k++) {
		char row[64];

		snprintf(row, sizeof(row), "<tr><th>%s</th>", policy_knob_name(k));
		assert_non_null(strstr(h, row));
	}
	assert_non_null(strstr(h, "mainline: 6.18, placeholder: 4.20"));
	assert_non_null(strstr(h, "2 of 2 complete"));
}

/* A stream that cannot be written is -EIO. */
static void test_write_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");

	assert_non_null(f);
	assert_int_equal(report_html(f, &((struct page_fx *)*state)->page), -EIO);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_escaped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cells, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_swimlane, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_policies, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_write_error, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
