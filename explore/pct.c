/* pct.c - the pct strategy: probabilistic concurrency testing (priorities, change points). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

#define PCT_K_INITIAL	32	/* steps per execution assumed before one has run */

/**
 * struct pct_state - PCT's draw for the current execution
 * @prio:   task priorities, higher runs first
 * @change: steps at which the running task's priority drops
 * @k:      estimated steps per execution: the longest one so far
 */
struct pct_state {
	int prio[NR_TASKS_MAX];
	u32 change[16];
	u32 k;
};

/* The option range protects the table of change points. */
BUILD_BUG_ON(EXPLORE_PCT_DEPTH_MAX - 1 > ARRAY_SIZE(((struct pct_state *)0)->change));

static int pct_init(struct explorer *x)
{
	struct pct_state *s;

	if (x->o->pct_depth < 1 || x->o->pct_depth > EXPLORE_PCT_DEPTH_MAX)
		return explore_fail(x, -EINVAL, "pct depth %d out of range 1..%d",
				    x->o->pct_depth, EXPLORE_PCT_DEPTH_MAX);
	s = calloc(1, sizeof(*s));
	if (!s)
		return explore_fail(x, -ENOMEM, "out of memory");
	s->k = PCT_K_INITIAL;
	x->priv = s;
	return 0;
}

static void pct_release(struct explorer *x)
{
	free(x->priv);
	x->priv = NULL;
}

/* Draw a random priority order and the d-1 change points among k steps. */
static void pct_begin(struct explorer *x)
{
	struct pct_state *s = x->priv;
	int i, j, n = NR_TASKS_MAX;
	int perm[NR_TASKS_MAX];

	s->k = max_t(u32, s->k, x->st->max_depth);
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = explore_rand(x) % (i + 1);
		int t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < n; i++)
		s->prio[i] = x->o->pct_depth + perm[i];
	for (i = 0; i < x->o->pct_depth - 1 && i < (int)ARRAY_SIZE(s->change); i++)
		s->change[i] = explore_rand(x) % s->k;
}

/* The highest-priority runnable task, after the change point of step d. */
static int pct_choose(struct explorer *x, u32 d, u32 enabled)
{
	struct pct_state *s = x->priv;
	int i, p = -1, best = -1;
	u32 m;

	for (m = enabled; m; m &= m - 1) {
		int q = __builtin_ctz(m);

		if (s->prio[q] > best) {
			best = s->prio[q];
			p = q;
		}
	}
	for (i = 0; i < x->o->pct_depth - 1; i++) {
		if (s->change[i] == d) {
			s->prio[p] = i;
			return pct_choose(x, d + 1 + s->k, enabled);
		}
	}
	return p;
}

static size_t pct_describe(const struct explore_opts *o, const struct explore_stats *st,
			   char *buf, size_t len)
{
	(void)st;
	return snprintf(buf, len, "pct seed=%llu depth=%d",
			(unsigned long long)o->seed, o->pct_depth);
}

const struct explore_strategy_ops pct_strategy_ops = {
	.init		= pct_init,
	.release	= pct_release,
	.begin		= pct_begin,
	.choose		= pct_choose,
	.more		= explore_runs_left,
	.describe	= pct_describe,
};
