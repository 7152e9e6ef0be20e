/* run.c - one test under one policy as the commands run it: the -o overrides, progress lines. */
#include <stdio.h>
#include <string.h>

#include "pinlab.h"

/**
 * make_policy() - a preset with every -o override applied
 * @c:      the invocation
 * @preset: the policy to start from
 * @out:    receives the result
 *
 * Return: 0 or EXIT_USAGE, the error printed.
 */
int make_policy(const struct cli *c, const struct policy *preset,
		struct policy *out)
{
	char err[MSG_MAX / 2];
	int i;

	*out = *preset;
	for (i = 0; i < c->nr_sets; i++)
		if (policy_set_knob(out, c->sets[i], err, sizeof(err)))
			return cli_err("-o %s: %s", c->sets[i], err);
	return 0;
}

/**
 * struct progress_ctx - what the progress lines of one exploration name
 * @test:   the test's name
 * @policy: the policy's name
 * @tty:    stderr is a terminal: each line overwrites the one before
 */
struct progress_ctx {
	const char *test;
	const char *policy;
	bool tty;
};

/* The explorer's progress hook: one line on stderr, or clear it when done. */
static void progress_line(void *arg, const struct explore_progress *p)
{
	const struct progress_ctx *pc = arg;
	double rate = p->elapsed > 0 ? p->executions / p->elapsed : 0;

	if (p->done) {
		if (pc->tty)
			fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "%spinlab: %s under %s: %llu executions, %.0f/s, %.1f s, depth %u%s",
		pc->tty ? "\r" : "", pc->test, pc->policy,
		(unsigned long long)p->executions, rate, p->elapsed, p->depth,
		pc->tty ? "\033[K" : "\n");
}

/**
 * run_one() - litmus_run() of one test under one policy, as @c asks
 * @c:               the invocation: exploration options, tracing, progress
 * @t:               the test
 * @p:               the policy
 * @stop_at_witness: may stop once the Observation is Sometimes
 * @r:               receives the result; free it with lt_result_free()
 *
 * A failure is reported on one line of stderr and leaves nothing in @r to
 * free; an interrupted exploration sets c->interrupted.
 * Return: 0, or litmus_run()'s error.
 */
int run_one(struct cli *c, const struct litmus_test *t,
	    const struct policy *p, bool stop_at_witness, struct lt_result *r)
{
	bool want_trace = (c->seen & BIT(OPT_TRACE)) || c->json_path ||
			  c->cmd == CMD_REPORT;
	struct progress_ctx pc = { t->name, p->name, c->tty };
	struct explore_opts o = c->opts;
	unsigned int flags;
	int ret;

	if (c->progress) {
		o.progress = progress_line;
		o.progress_arg = &pc;
		o.progress_every = c->tty ? PROGRESS_TTY : PROGRESS_LOG;
	}
	o.stop_at_witness |= stop_at_witness;
	memset(r, 0, sizeof(*r));
	flags = want_trace ? LT_RUN_TRACE : 0;
	if (c->cmd == CMD_RUN || c->cmd == CMD_REPORT)	/* they show witnesses */
		flags |= LT_RUN_SIMPLEST;
	ret = litmus_run(t, p, &o, flags, r);
	if (ret) {
		cli_err("%s under %s: %s", t->name, p->name, r->stats.error);
		lt_result_free(r);
		return ret;
	}
	if (r->stats.interrupted)
		c->interrupted = true;
	return 0;
}
