/* cmd-diff.c - pinlab diff: the states one policy reaches and the other does not. */
#include <stdio.h>

#include "pinlab.h"

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

/**
 * cmd_diff() - pinlab diff: the states one policy reaches and the other not
 * @c: the invocation, its tests parsed and two policies selected
 *
 * Return: 0, 1 when a test differs, EXIT_USAGE or EXIT_INTERRUPTED.
 */
int cmd_diff(struct cli *c)
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
