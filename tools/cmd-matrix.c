/* cmd-matrix.c - pinlab matrix: every test under every policy, and the table report shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinlab.h"

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

/**
 * table_free() - free what table_run() filled in
 * @c:  the invocation whose tests are the rows
 * @tb: the table, zeroed after
 */
void table_free(const struct cli *c, struct table *tb)
{
	int i;

	for (i = 0; tb->results && i < c->nr_tests * tb->nr_cols; i++)
		lt_result_free(&tb->results[i]);
	free(tb->results);
	free(tb->cells);
	free(tb->cols);
	memset(tb, 0, sizeof(*tb));
}

/**
 * table_run() - the columns, then every test under each
 * @c:    the invocation
 * @tb:   receives the table; free it with table_free(), also on error
 * @keep: keep each cell's result (report), not only its cell
 *
 * Return: 0 or EXIT_USAGE.
 */
int table_run(struct cli *c, struct table *tb, bool keep)
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

/**
 * table_matrix() - @tb as report_matrix() takes it
 * @c:     the invocation
 * @tb:    the table, from table_run()
 * @names: receives the columns' names, to free()
 * @m:     receives the matrix, pointing into @tb and @names
 *
 * Return: 0 or EXIT_USAGE.
 */
int table_matrix(const struct cli *c, const struct table *tb,
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

/**
 * cmd_matrix() - pinlab matrix: every test under every policy, as a table
 * @c: the invocation, its tests parsed
 *
 * Return: 0, EXIT_MISMATCH (a cell differs from Result:), EXIT_USAGE or
 * EXIT_INTERRUPTED.
 */
int cmd_matrix(struct cli *c)
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
