/* cmd-explain.c - pinlab explain: which knobs of a policy decide each test's verdict. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pinlab.h"

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
 * exploration just run (lt_result.cost), the counters that are not zero, or
 * "none" -- a Never with "pins_refused" alone is a refusal, not a defence.
 */
static void explain_cost(const struct litmus_test *t, const struct policy *p,
			 const struct mm_cost *cost)
{
	const struct mm_cost_field *f;
	bool any = false;
	int i;

	printf("Cost %s %s", t->name, p->name);
	for (i = 0; (f = mm_cost_field(i)); i++) {
		u64 v = mm_cost_get(cost, f);

		if (v)
			printf(" %s=%" PRIu64, f->name, v);
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

/**
 * cmd_explain() - pinlab explain: which knobs of a policy decide each verdict
 * @c: the invocation, its tests parsed and one policy selected
 *
 * Return: 0, EXIT_USAGE or EXIT_INTERRUPTED.
 */
int cmd_explain(struct cli *c)
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
