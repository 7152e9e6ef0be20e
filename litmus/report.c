/* report.c - printers for run results: herd7 block, matrix, TAP, diff, vacuity warnings. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/report.h>
#include "report-internal.h"

#define LOC_MAX		(LT_NAME_MAX + 32)	/* "A[12]", "3:r31", "csum_error" */
#define VAL_MAX		32			/* "-9223372036854775808", "-EFAULT" */

BUILD_BUG_ON(sizeof(((struct lt_result *)0)->explored) < EXPLORE_DESCRIBE_MAX);


/* herd7's word for the kind of condition: exists is Allowed, and so on. */
static const char *quant_kind(enum lt_quant q)
{
	switch (q) {
	case LQ_EXISTS:
		return "Allowed";
	case LQ_NOT_EXISTS:
		return "Forbidden";
	case LQ_FORALL:
		return "Required";
	}
	return "?";
}

static const char *verdict_name(enum lt_verdict v)
{
	return or_unknown(lt_verdict_name(v));
}

/* One state line: "0:r0=1; A[0]=2; io_error=0;". */
static void herd_outcome(FILE *f, const struct litmus_test *t,
			 const struct outcome *o)
{
	char loc[LOC_MAX], val[VAL_MAX];
	bool first = true;
	int i;

	for (i = 0; i < t->nr_locs; i++) {
		if (t->locs[i].hidden)	/* only the filter reads it */
			continue;
		lt_format_loc(t, &t->locs[i], loc, sizeof(loc));
		lt_format_value(&t->locs[i], o->vals[i], val, sizeof(val));
		fprintf(f, "%s%s=%s;", first ? "" : " ", loc, val);
		first = false;
	}
	fputc('\n', f);
}

/* The lines from Test to the state lines. */
static void herd_states(FILE *f, const struct lt_result *r)
{
	const struct litmus_test *t = r->test;
	int i;

	fprintf(f, "Test %s %s\n", test_name(r), quant_kind(t->quant));
	fprintf(f, "Policy %s\n", policy_name(r));
	fprintf(f, "States %d\n", r->nr_outcomes);
	for (i = 0; i < r->nr_outcomes; i++)
		herd_outcome(f, t, &r->outcomes[i]);
}

/*
 * With a filter: "Filtered NAME N", the executions it removed.  When it
 * removed every one, the verdict speaks of no execution at all, and the
 * line says so: "Filtered NAME N vacuous (no execution satisfies the filter)".
 */
static void herd_filtered(FILE *f, const struct lt_result *r)
{
	if (!r->test->filter)
		return;
	fprintf(f, "Filtered %s %" PRIu64 "%s\n", test_name(r), r->filtered,
		r->positive + r->negative ? "" :
		" vacuous (no execution satisfies the filter)");
}

/* The lines from Ok/No to Time. */
static void herd_summary(FILE *f, const struct lt_result *r)
{
	const char *name = test_name(r);

	fprintf(f, "%s\n", r->validated ? "Ok" : "No");
	fprintf(f, "Witnesses\n");
	fprintf(f, "Positive: %" PRIu64 " Negative: %" PRIu64 "\n",
		r->positive, r->negative);
	fprintf(f, "Condition %s\n", or_unknown(r->test->cond_text));
	fprintf(f, "Observation %s %s %" PRIu64 " %" PRIu64 "\n", name,
		verdict_name(r->verdict), r->positive, r->negative);
	herd_filtered(f, r);
	fprintf(f, "Explored %s %s %" PRIu64, name, r->explored, r->stats.executions);
	if (r->stats.caching)
		fprintf(f, " cached %" PRIu64 " states %" PRIu64, r->stats.cached, r->stats.states);
	fputc('\n', f);
	if (r->witness)
		fprintf(f, "Witness %s %s\n", name, r->witness);
	fprintf(f, "Time %s %.2f\n", name, r->stats.seconds);
}

/**
 * report_herd() - the herd7-style block of one result (docs/litmus.md), and a blank line
 * @f: where to print
 * @r: the result
 *
 * Return: 0, -EINVAL when @r has no test, or -EIO when writing to @f failed.
 */
int report_herd(FILE *f, const struct lt_result *r)
{
	if (!r->test)
		return -EINVAL;
	herd_states(f, r);
	herd_summary(f, r);
	fputc('\n', f);
	return report_status(f);
}

/**
 * report_expected() - the verdict @t's Result: annotation expects under @pname
 * @t:      the test
 * @pname:  a policy name
 * @v:      the expected verdict, when found
 *
 * Return: true when @t names @policy in its Result: annotation.
 */
bool report_expected(const struct litmus_test *t, const char *pname,
		     enum lt_verdict *v)
{
	int i;

	for (i = 0; i < t->nr_expect; i++) {
		if (t->expect[i].policy && !strcmp(t->expect[i].policy, pname)) {
			*v = t->expect[i].verdict;
			return true;
		}
	}
	return false;
}

/**
 * report_cell_text() - a matrix cell's text: "Sometimes", "Never!?", "error!", "-"
 * @m:   the table
 * @row: the test's row
 * @col: the policy's column
 * @buf: where the text goes
 * @len: size of @buf
 *
 * Return: true when the cell has '!' (it differs from Result:, or the run failed).
 */
bool report_cell_text(const struct matrix *m, int row, int col,
		      char *buf, size_t len)
{
	const struct matrix_cell *c = &m->cells[row * m->nr_policies + col];
	enum lt_verdict want;
	bool differs;

	if (c->failed) {
		snprintf(buf, len, "error!");
		return true;
	}
	if (c->skipped) {
		snprintf(buf, len, "-");
		return false;
	}
	differs = report_expected(m->tests[row], m->policies[col], &want) &&
		  want != c->verdict;
	snprintf(buf, len, "%s%s%s", verdict_name(c->verdict),
		 differs ? "!" : "", c->complete ? "" : "?");
	return differs;
}

/* Width of the test column. */
static int matrix_name_width(const struct matrix *m)
{
	int w = strlen("test");
	int i;

	for (i = 0; i < m->nr_tests; i++)
		w = max_t(int, w, strlen(or_unknown(m->tests[i]->name)));
	return w;
}

/* Width of policy column @col: its name or the widest cell, "Sometimes!?". */
static int matrix_col_width(const struct matrix *m, int col)
{
	return max_t(int, strlen(m->policies[col]), strlen("Sometimes!?"));
}

/* One row: the first cell and then one per policy; row -1 is the heading. */
static void matrix_row(FILE *f, const struct matrix *m, const char *first,
		       int row)
{
	char buf[VAL_MAX];
	const char *text;
	int col;

	fprintf(f, "%-*s", matrix_name_width(m), first);
	for (col = 0; col < m->nr_policies; col++) {
		text = m->policies[col];
		if (row >= 0) {
			report_cell_text(m, row, col, buf, sizeof(buf));
			text = buf;
		}
		if (col + 1 < m->nr_policies)
			fprintf(f, "  %-*s", matrix_col_width(m, col), text);
		else
			fprintf(f, "  %s", text);
	}
	fputc('\n', f);
}

/* Cells not run: the matrix was interrupted. */
static bool matrix_skipped(const struct matrix *m)
{
	int i;

	for (i = 0; i < m->nr_tests * m->nr_policies; i++)
		if (m->cells[i].skipped)
			return true;
	return false;
}

/* Cells marked '!'. */
static int matrix_mismatches(const struct matrix *m)
{
	char buf[VAL_MAX];
	int row, col, n = 0;

	for (row = 0; row < m->nr_tests; row++)
		for (col = 0; col < m->nr_policies; col++)
			n += report_cell_text(m, row, col, buf, sizeof(buf));
	return n;
}

/**
 * report_matrix() - the table test x policy, a legend and a summary line
 * @f: where to print
 * @m: the table
 *
 * A cell differing from the test's Result: annotation for that policy gets
 * '!', and so does a failed run ("error!"); an incomplete exploration gets '?'.
 *
 * Return: the number of cells marked '!', or -EIO when writing failed.
 */
int report_matrix(FILE *f, const struct matrix *m)
{
	int row, bad = matrix_mismatches(m);

	matrix_row(f, m, "test", -1);
	for (row = 0; row < m->nr_tests; row++)
		matrix_row(f, m, or_unknown(m->tests[row]->name), row);
	fprintf(f, "Legend: ! differs from Result: or the run failed;"
		" ? incomplete exploration, Never/Always unproven%s\n",
		matrix_skipped(m) ? "; - not run (interrupted)" : "");
	fprintf(f, "%d tests, %d policies, %d mismatches\n", m->nr_tests,
		m->nr_policies, bad);
	if (report_status(f))
		return -EIO;
	return bad;
}

/**
 * report_tap_line() - the TAP line of test point @n: @r checked against @expected
 * @f:        where to print
 * @n:        test point number, from 1
 * @r:        the result
 * @expected: the verdict the test's Result: annotation gives
 *
 * Expecting Never or Always from an incomplete exploration fails: both say
 * that no execution of some kind exists, which only a complete exploration
 * proves.  Sometimes needs one witness and one counter-example, so it passes
 * however the exploration ended.  An interrupted exploration that has not
 * shown the Sometimes expected fails as "interrupted": its verdict says
 * nothing.
 *
 * Return: true when the line is "ok".
 */
bool report_tap_line(FILE *f, int n, const struct lt_result *r,
		     enum lt_verdict expected)
{
	const char *name = test_name(r), *pol = policy_name(r);

	if (r->stats.interrupted &&
	    !(expected == LV_SOMETIMES && r->verdict == LV_SOMETIMES)) {
		fprintf(f, "not ok %d - %s %s # interrupted\n", n, name, pol);
		return false;
	}
	if (r->verdict != expected) {
		fprintf(f, "not ok %d - %s %s # expected %s, got %s\n", n, name,
			pol, verdict_name(expected), verdict_name(r->verdict));
		return false;
	}
	if (expected != LV_SOMETIMES && !r->stats.complete) {
		fprintf(f, "not ok %d - %s %s # exploration incomplete (%s)\n",
			n, name, pol, r->explored);
		return false;
	}
	fprintf(f, "ok %d - %s %s\n", n, name, pol);
	return true;
}

/**
 * report_tap_fail() - a "not ok" TAP line for a test point that could not run
 * @f:      where to print
 * @n:      test point number, from 1
 * @test:   test name
 * @pname:  policy name
 * @reason: why, one line
 */
void report_tap_fail(FILE *f, int n, const char *test, const char *pname,
		     const char *reason)
{
	fprintf(f, "not ok %d - %s %s # %s\n", n, or_unknown(test),
		or_unknown(pname), or_unknown(reason));
}

/* Is @o of @in also an outcome of @other (same test, same locations)? */
static bool outcome_in(const struct litmus_test *t, const struct outcome *o,
		       const struct lt_result *other)
{
	int i;

	for (i = 0; i < other->nr_outcomes; i++)
		if (!memcmp(other->outcomes[i].vals, o->vals, t->nr_locs * sizeof(s64)))
			return true;
	return false;
}

/* "Only P: state" and its witness for each outcome of @a that @b lacks. */
static int diff_side(FILE *f, const struct lt_result *a, const struct lt_result *b)
{
	const struct litmus_test *t = a->test;
	int i, n = 0;

	for (i = 0; i < a->nr_outcomes; i++) {
		const struct outcome *o = &a->outcomes[i];

		if (outcome_in(t, o, b))
			continue;
		fprintf(f, "Only %s: ", policy_name(a));
		herd_outcome(f, t, o);
		fprintf(f, "Witness %s %s %s\n", test_name(a), policy_name(a),
			o->witness ? o->witness : "?");
		n++;
	}
	return n;
}

/**
 * report_diff() - the outcomes reachable under one policy and not the other
 * @f: where to print
 * @a: @t explored under one policy
 * @b: the same test under another
 *
 * Prints "Diff NAME A B", then for each state only one side reaches an
 * "Only P: state" line and a "Witness NAME P REPLAY" line that reaches it,
 * then "Same NAME N" when there is none, and "Explored NAME P ..." for a
 * side whose exploration was incomplete (its missing states prove nothing).
 * Return: the number of differing states.
 */
int report_diff(FILE *f, const struct lt_result *a, const struct lt_result *b)
{
	int n;

	fprintf(f, "Diff %s %s %s\n", test_name(a), policy_name(a), policy_name(b));
	n = diff_side(f, a, b) + diff_side(f, b, a);
	if (!n)
		fprintf(f, "Same %s %d\n", test_name(a), a->nr_outcomes);
	if (!a->stats.complete)
		fprintf(f, "Explored %s %s %s\n", test_name(a), policy_name(a), a->explored);
	if (!b->stats.complete)
		fprintf(f, "Explored %s %s %s\n", test_name(b), policy_name(b), b->explored);
	fputc('\n', f);
	return n;
}

/* ---- vacuity: a condition on a register that only ever held an error ---- */

/* The operation statement of @b (or a nested block) that assigns register @reg. */
static const struct lt_stmt *reg_assigner(const struct lt_block *b, int reg)
{
	const struct lt_stmt *s;
	int i;

	for (i = 0; i < b->n; i++) {
		s = &b->v[i];
		if (s->kind == LS_OP && s->reg == reg)
			return s;
		if (s->kind == LS_IF) {
			const struct lt_stmt *in = reg_assigner(&s->then, reg);

			if (!in)
				in = reg_assigner(&s->els, reg);
			if (in)
				return in;
		}
	}
	return NULL;
}

/* True when location @k held an errno (-4095..-1) in every outcome of @r. */
static bool loc_always_failed(const struct lt_result *r, int k)
{
	int i;

	for (i = 0; i < r->nr_outcomes; i++) {
		s64 v = r->outcomes[i].vals[k];

		if (v >= 0 || v < -4095)
			return false;
	}
	return r->nr_outcomes > 0;
}

/* "-EFAULT" or "-EFAULT, -EPERM": the distinct failures location @k held. */
static void loc_failures(const struct lt_result *r, int k, char *buf, size_t len)
{
	const struct lt_operand *loc = &r->test->locs[k];
	size_t used = 0;
	char one[32];
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < r->nr_outcomes && used < len; i++) {
		s64 v = r->outcomes[i].vals[k];

		for (j = 0; j < i && r->outcomes[j].vals[k] != v; j++)
			;
		if (j < i)
			continue;
		lt_format_value(loc, v, one, sizeof(one));
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", one);
	}
}

/**
 * report_vacuous() - warn about the condition's registers that only failed
 * @f: where to print (standard error)
 * @r: the result
 *
 * For each register the condition reads that an operation assigns, and
 * that held an errno in every outcome, one line "pinlab: warning:
 * FILE:LINE:COL: 'STATEMENT' failed in every execution under POLICY
 * (-EFAULT): the condition sees T:rN only as a failure".  A verdict that
 * rests on such a register is likely vacuous: a Never because the
 * operation was refused, not because the race cannot happen.
 *
 * Return: how many warnings were printed.
 */
int report_vacuous(FILE *f, const struct lt_result *r)
{
	const struct litmus_test *t = r->test;
	const struct lt_stmt *s;
	char errs[128];
	int k, n = 0;

	for (k = 0; k < t->nr_locs; k++) {
		const struct lt_operand *loc = &t->locs[k];

		if (loc->kind != LO_REG || loc->hidden || !loc_always_failed(r, k))
			continue;
		s = reg_assigner(&t->threads[loc->thread].body, loc->reg);
		if (!s)
			continue;
		loc_failures(r, k, errs, sizeof(errs));
		fprintf(f, "pinlab: warning: %s:%u:%u: '%s' failed in every execution under %s "
			"(%s): the condition sees %d:r%d only as a failure\n", t->path,
			s->loc.line, s->loc.col, s->text, r->policy->name, errs, loc->thread,
			loc->reg);
		n++;
	}
	return n;
}
