/* replay.c - the replay strategy, and replay strings: run-length pids, "0x3,1,0x2". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/sim.h>
#include "internal.h"

/**
 * struct replay_state - the schedule a replay follows
 * @sched: pid of each step
 * @n:     its length
 * @off:   with opts.replay_complete: the string ended or diverged; the
 *         default scheduler picks from here
 */
struct replay_state {
	u8 *sched;
	u32 n;
	bool off;
};

int replay_format(const u8 *sched, u32 n, char *buf, size_t len)
{
	size_t used = 0;
	u32 i = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	while (i < n) {
		u32 run = 1;
		int w;

		while (i + run < n && sched[i + run] == sched[i])
			run++;
		if (run > 1)
			w = snprintf(buf + used, len - used, "%s%ux%u",
				     used ? "," : "", sched[i], run);
		else
			w = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", sched[i]);
		if (w < 0 || (size_t)w >= len - used)
			return -ENOSPC;
		used += w;
		i += run;
	}
	return (int)used;
}

/*
 * One "pid" or "pidxcount" item at *s; *s is moved past it.  Counts that
 * do not fit are left to the caller's room check: strtoul() saturates.
 * Return: 0 or -EINVAL.
 */
static int replay_item(const char **s, unsigned long *pid, unsigned long *count)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -EINVAL;
	*pid = strtoul(*s, &end, 10);
	*count = 1;
	if (*end == 'x') {
		const char *c = end + 1;

		if (*c < '0' || *c > '9')
			return -EINVAL;
		*count = strtoul(c, &end, 10);
	}
	if (*pid >= NR_TASKS_MAX || *count == 0)
		return -EINVAL;
	*s = end;
	return 0;
}

int replay_parse(const char *s, u8 *sched, u32 max, u32 *n)
{
	u32 len = 0;

	while (*s) {
		unsigned long pid, count;

		if (replay_item(&s, &pid, &count) || count > max - len)
			return -EINVAL;
		while (count--)
			sched[len++] = (u8)pid;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -EINVAL;	/* "0,", "0;1" */
	}
	*n = len;
	return 0;
}

static void replay_release(struct explorer *x)
{
	struct replay_state *r = x->priv;

	if (r)
		free(r->sched);
	free(r);
	x->priv = NULL;
}

/*
 * The schedule of a replay.  It may not be longer than max_steps: the
 * execution would be cut before its end.
 */
static int replay_init(struct explorer *x)
{
	const char *s = x->o->replay ? x->o->replay : "";
	u32 max = x->o->max_steps;
	struct replay_state *r = calloc(1, sizeof(*r));

	x->priv = r;
	if (r)
		r->sched = malloc(max ? max : 1);
	if (!r || !r->sched) {
		replay_release(x);
		return explore_fail(x, -ENOMEM, "out of memory");
	}
	if (replay_parse(s, r->sched, max, &r->n)) {
		replay_release(x);
		return explore_fail(x, -EINVAL,
			"malformed replay string '%.60s%s', or longer than --max-steps %u",
			s, strlen(s) > 60 ? "..." : "", max);
	}
	return 0;
}

/* The default scheduler: the task of the last step while it can run, else the lowest. */
static int default_choice(const struct explorer *x, u32 d, u32 enabled)
{
	int prev = d ? x->sched[d - 1] : -1;

	return prev >= 0 && (enabled & BIT(prev)) ? prev : __builtin_ctz(enabled);
}

/* Why P@p cannot take a step now. */
static void replay_why_not(struct explorer *x, int p)
{
	const struct task_struct *t = p < sim_nr_tasks() ? sim_task(p) : NULL;
	char *buf = x->st->replay_why;
	size_t len = sizeof(x->st->replay_why);

	if (!t)
		snprintf(buf, len, "there is no P%d", p);
	else if (t->state == TASK_DEAD)
		snprintf(buf, len, "P%d has ended", p);
	else if (t->state == TASK_BLOCKED)
		snprintf(buf, len, "P%d cannot run: it sleeps in %s", p,
			 t->park_fn ? t->park_fn : "?");
	else
		snprintf(buf, len, "P%d cannot run: it waits for a lock in %s", p,
			 t->park_fn ? t->park_fn : "?");
}

/* With opts.replay_complete: the string stops being followed at step @d. */
static void replay_stop(struct explorer *x, u32 d, bool diverged)
{
	struct replay_state *r = x->priv;

	r->off = true;
	x->st->replay_followed = d;
	x->st->replay_diverged = diverged;
	x->st->replay_completed = !diverged;
}

/* The task the replay string names at step @d, or the default scheduler's past it. */
static int replay_choose(struct explorer *x, u32 d, u32 enabled)
{
	struct replay_state *r = x->priv;

	if (r->off)
		return default_choice(x, d, enabled);
	if (d >= r->n) {
		if (!x->o->replay_complete)
			return explore_fail(x, -EINVAL,
				"replay string ends at step %u but tasks can still run", d);
		replay_stop(x, d, false);
		return default_choice(x, d, enabled);
	}
	if (!(enabled & BIT(r->sched[d]))) {
		if (!x->o->replay_complete)
			return explore_fail(x, -EINVAL,
				"replay string diverges at step %u: P%u cannot run there",
				d, r->sched[d]);
		replay_why_not(x, r->sched[d]);
		replay_stop(x, d, true);
		return default_choice(x, d, enabled);
	}
	return r->sched[d];
}

/* Every task finished at step @d: an error if the string goes on, unless it is a prefix. */
static int replay_ended(struct explorer *x, u32 d)
{
	struct replay_state *r = x->priv;

	if (d >= r->n || r->off)
		return 0;
	if (!x->o->replay_complete)
		return explore_fail(x, -EINVAL,
			"replay string has %u steps but every task finished after %u steps",
			r->n, d);
	snprintf(x->st->replay_why, sizeof(x->st->replay_why), "every task had finished");
	replay_stop(x, d, true);
	return 0;
}

/* One execution. */
static bool replay_more(struct explorer *x)
{
	return x->st->executions == 0;
}

/* "replay", and where the string stopped being followed. */
static size_t replay_describe(const struct explore_opts *o, const struct explore_stats *st,
			      char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "replay");

	(void)o;
	if (st->replay_diverged || st->replay_completed)
		used += snprintf(buf + used, len - used, " %s=%u",
				 st->replay_diverged ? "diverged" : "prefix",
				 st->replay_followed);
	return used;
}

const struct explore_strategy_ops replay_strategy_ops = {
	.init		= replay_init,
	.release	= replay_release,
	.choose		= replay_choose,
	.ended		= replay_ended,
	.more		= replay_more,
	.describe	= replay_describe,
};
