/* cmd-run.c - pinlab run: explore each test under each policy, herd7-style blocks and traces. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinlab.h"

/* The trace-event JSON of @r: the next process of the --trace-json file. */
static int json_add(struct cli *c, const struct lt_result *r)
{
	int err = report_json_add(&c->json_out, r);

	if (err == -ENOMEM)
		return out_of_memory();
	if (err)
		return cli_err("%s: %s", c->json_path, strerror(-err));
	return 0;
}

/* A --replay that could not be followed to its end: say where and why, on stderr. */
static void replay_note(const struct lt_result *r)
{
	if (!r->stats.replay_diverged)
		return;
	fprintf(stderr, "pinlab: warning: %s under %s: the replay string diverged at step %u "
		"(%s); the default scheduler chose the rest: %s\n", r->test->name,
		r->policy->name, r->stats.replay_followed, r->stats.replay_why,
		r->replayed ? r->replayed : "?");
}

/* Run @t under preset @preset and print its block (and trace). */
static int run_policy(struct cli *c, const struct litmus_test *t,
		      const struct policy *preset)
{
	struct policy p;
	struct lt_result r;
	int ret;

	ret = make_policy(c, preset, &p);
	if (ret)
		return ret;
	if (run_one(c, t, &p, false, &r))
		return EXIT_USAGE;
	report_herd(stdout, &r);
	fflush(stdout);
	report_vacuous(stderr, &r);
	replay_note(&r);
	if ((c->seen & BIT(OPT_TRACE)) && (r.witness || r.replayed))
		(c->trace_flat ? report_trace_flat : report_trace)(stdout, &r);
	if (c->json && (r.witness || r.replayed))
		ret = json_add(c, &r);
	if ((c->seen & BIT(OPT_EXPECT_NEVER)) && r.verdict != LV_NEVER)
		c->status = EXIT_MISMATCH;
	lt_result_free(&r);
	return ret;
}

/* The presets @t's Result: comment names, else mainline; none unknown. */
static int default_policies(const struct litmus_test *t,
			    const struct policy **v, int *n)
{
	const struct policy *p;
	int i, j;

	*n = 0;
	for (i = 0; i < t->nr_expect; i++) {
		p = t->expect[i].policy ? litmus_policy(t, t->expect[i].policy) : NULL;
		if (!p)
			return cli_err("%s:%u:%u: Result: names unknown policy '%s' (use --policy)",
				       t->path, t->expect[i].loc.line,
				       t->expect[i].loc.col,
				       t->expect[i].policy ? t->expect[i].policy : "?");
		for (j = 0; j < *n && v[j] != p; j++)
			;
		if (j == *n)
			v[(*n)++] = p;
	}
	if (!*n) {
		p = policy_find("mainline");
		v[(*n)++] = p ? p : policy_preset(0);
	}
	return 0;
}

/* run: each test under the --policy selection or its own policies. */
static int run_test(struct cli *c, const struct litmus_test *t)
{
	const struct policy **v = c->sel;
	int i, n = c->nr_sel, ret = 0;

	if (!n) {
		v = calloc(t->nr_expect + 1, sizeof(*v));
		if (!v)
			return out_of_memory();
		ret = default_policies(t, v, &n);
		if (!ret && c->opts.replay && n > 1)
			ret = cli_err("--replay runs one policy; %s names %d (use --policy)",
				      t->name, n);
	}
	for (i = 0; i < n && !ret && !c->interrupted; i++)
		ret = run_policy(c, t, v[i]);
	if (v != c->sel)
		free(v);
	return ret;
}

/* End the --trace-json file: its array of events (empty when no witness was found), otherData. */
static int json_write(struct cli *c)
{
	int err = report_json_end(&c->json_out);
	bool bad = fclose(c->json) != 0;

	c->json = NULL;
	if (err == -ENOMEM)
		return out_of_memory();
	if (err || bad)
		return cli_err("%s: %s", c->json_path, strerror(err ? -err : errno));
	return 0;
}

/**
 * cmd_run() - pinlab run: each test under each policy, as herd7-style blocks
 * @c: the invocation, its tests parsed
 *
 * Return: 0, EXIT_MISMATCH (a witness with --expect-never), EXIT_USAGE or
 * EXIT_INTERRUPTED.
 */
int cmd_run(struct cli *c)
{
	int i, ret = 0;

	if (c->json_path) {
		c->json = fopen(c->json_path, "w");
		if (!c->json)
			return cli_err("%s: %s", c->json_path, strerror(errno));
		if (report_json_begin(&c->json_out, c->json))
			return out_of_memory();
	}
	for (i = 0; i < c->nr_tests && !ret && !c->interrupted; i++)
		ret = run_test(c, c->tests[i]);
	if (c->json && json_write(c) && !ret)
		ret = EXIT_USAGE;
	if (!ret && c->interrupted)
		return EXIT_INTERRUPTED;
	return ret ? ret : c->status;
}
