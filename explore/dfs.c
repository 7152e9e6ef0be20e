/* dfs.c - the dfs strategy: the DFS path, sleep sets, backtracking; DPOR or a preemption bound. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/sim.h>
#include "internal.h"
#include "check.h"

/*
 * Source-DPOR needs every execution class: a preemption bound turns it off.
 * The state cache needs plain DFS (DPOR's backtrack sets are not sound
 * across a cut at a visited state) and no bound (a state reached with fewer
 * preemptions left is not explored the same): both are refused.
 */
static int dfs_init(struct explorer *x)
{
	const struct explore_opts *o = x->o;

	x->dpor = o->reduction == REDUCTION_DPOR && o->bound < 0;
	if (!o->cache || !x->m->state) {
		x->sleepsets = x->dpor;
		return 0;
	}
	if (o->reduction == REDUCTION_DPOR)
		return explore_fail(x, -EINVAL, "the state cache needs reduction none");
	if (o->bound >= 0)
		return explore_fail(x, -EINVAL, "the state cache cannot be used with a bound");
	x->sleepsets = true;
	return cache_init(x);
}

/* With the cache: no task has stepped yet. */
static void dfs_begin(struct explorer *x)
{
	if (x->cache)
		memset(x->task_last, 0, sizeof(x->task_last));
	x->local_step = 0;
}

static int grow_nodes(struct explorer *x, u32 need)
{
	struct node *n;
	u32 cap;

	if (need <= x->cap_nodes)
		return 0;
	cap = max_t(u32, need, x->cap_nodes * 2);
	n = realloc(x->nodes, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	x->nodes = n;
	x->cap_nodes = cap;
	return 0;
}

static int pool_push(struct explorer *x, const struct footprint *fp, u32 *idx)
{
	if (x->pool_top == x->pool_cap) {
		u32 cap = x->pool_cap ? x->pool_cap * 2 : 256;
		struct footprint *p = realloc(x->pool, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		x->pool = p;
		x->pool_cap = cap;
	}
	fp_copy(&x->pool[x->pool_top], fp);
	*idx = x->pool_top++;
	return 0;
}

/* Sleep set of node d+1: sleepers and explored tasks of d that step d leaves alone. */
static u32 sleep_after(struct explorer *x, u32 d, u32 *fpi)
{
	const struct node *n = &x->nodes[d];
	const struct footprint *fp = &x->steps[d].fp;
	u32 cand = (n->sleep | n->done) & ~BIT(n->chosen), sleep = 0;

	for (; cand; cand &= cand - 1) {
		int q = __builtin_ctz(cand);

		if (!fp_conflict(&x->pool[n->fpi[q]], fp)) {
			sleep |= BIT(q);
			fpi[q] = n->fpi[q];
		}
	}
	return sleep;
}

/* Preemptions the choice of @p at @n adds: switching away from a runnable task. */
static int preempt_cost(const struct node *n, int p)
{
	return n->prev >= 0 && (n->enabled & BIT(n->prev)) && p != n->prev;
}

/* Preemptions on the path after node @n's choice; saturates above any bound. */
static u16 preempt_after(const struct node *n)
{
	u32 p = n->preempt + preempt_cost(n, n->chosen);

	return (u16)min_t(u32, p, UINT16_MAX);
}

/*
 * The cache's part of a fresh node at depth d: a local step the model names
 * is the only one taken (a persistent set of one; the state is not looked
 * up), else the visited-state table says which steps are still to take.
 * Return: 0 with @todo set, -EAGAIN, -EEXIST or -ENOMEM.
 */
static int cache_node(struct explorer *x, u32 d, u32 sleep, u32 enabled, u32 *todo)
{
	u32 local = x->m->local ? x->m->local(x->m->priv, x->task_last) & enabled : 0;

	if (!local)
		return cache_visit(x, sleep, todo);
	*todo = BIT(__builtin_ctz(local));
	if (*todo & sleep)
		return -EAGAIN;
	x->local_step = d + 1;
	return 0;
}

/* A fresh node at depth d; its first choice keeps the previous task running. */
static int node_new(struct explorer *x, u32 d, u32 enabled)
{
	struct node *n;
	u32 avail, todo = enabled;
	int p;

	if (grow_nodes(x, d + 1))
		return -ENOMEM;
	n = &x->nodes[d];
	memset(n, 0, offsetof(struct node, fpi));
	n->enabled = enabled;
	n->pool_mark = x->pool_top;
	n->prev = d ? (s8)x->sched[d - 1] : -1;
	n->preempt = d ? preempt_after(&x->nodes[d - 1]) : 0;
	if (d && x->sleepsets)
		n->sleep = sleep_after(x, d - 1, n->fpi);
	avail = enabled & ~n->sleep;
	if (!avail)
		return -EAGAIN;
	if (x->cache) {
		p = cache_node(x, d, n->sleep, enabled, &todo);
		if (p)
			return p;
		avail &= todo;
	}
	p = (n->prev >= 0 && (avail & BIT(n->prev))) ? n->prev : __builtin_ctz(avail);
	n->chosen = (u8)p;
	n->backtrack = x->dpor ? BIT(p) : todo;
	x->nr_nodes = d + 1;
	return p;
}

/* Step d: as the path says while it is replayed, else a fresh node's first choice. */
static int dfs_choose(struct explorer *x, u32 d, u32 enabled)
{
	int p;

	if (d < x->nr_nodes) {
		p = x->nodes[d].chosen;
		if (!(enabled & BIT(p)))
			return explore_fail(x, -EPROTO,
				"nondeterministic model: P%d cannot run at step %u on replay",
				p, d);
	} else {
		p = node_new(x, d, enabled);
		if (p < 0)
			return p;
	}
	explore_check_node(x, d);
	return p;
}

/*
 * Sleep sets: record step d (its task and footprint); DPOR: the races it
 * reverses; the cache: the task's last step.
 */
static int dfs_step(struct explorer *x, u32 d)
{
	if (!x->sleepsets)
		return 0;
	x->steps[d].pid = x->sched[d];
	fp_copy(&x->steps[d].fp, sim_footprint());
	if (x->cache)
		x->task_last[x->sched[d]] = d + 1;
	if (x->local_step == d + 1) {
		const struct footprint *fp = &x->steps[d].fp;

		x->local_step = 0;
		if (fp->n || fp->global)
			return explore_fail(x, -EPROTO,
				"model bug: step %u of P%u, called local, touched shared state",
				d, x->sched[d]);
	}
	return x->dpor ? dpor_step(x, d) : 0;
}

/* The next alternative at node n, or -1. */
static int next_choice(struct explorer *x, struct node *n)
{
	u32 cand;

	cand = n->backtrack & ~n->done;
	if (x->sleepsets)
		cand &= n->enabled & ~n->sleep;
	for (; cand; cand &= cand - 1) {
		int p = __builtin_ctz(cand);

		if (x->o->bound >= 0 && n->preempt + preempt_cost(n, p) > x->o->bound) {
			x->st->bounded = true;
			x->st->pruned = true;
			n->done |= BIT(p);
			continue;
		}
		return p;
	}
	return -1;
}

/* Move the DFS path to its next unexplored branch. Return: false when none is left. */
static bool backtrack(struct explorer *x)
{
	while (x->nr_nodes) {
		u32 d = x->nr_nodes - 1;
		struct node *n = &x->nodes[d];
		int p;

		n->done |= BIT(n->chosen);
		if (x->sleepsets && pool_push(x, &x->steps[d].fp, &n->fpi[n->chosen]))
			return false;
		p = next_choice(x, n);
		if (p >= 0) {
			n->chosen = (u8)p;
			return true;
		}
		/* Footprints pushed since n was made are its explored tasks': gone with it. */
		x->pool_top = n->pool_mark;
		x->nr_nodes--;
	}
	return false;
}

/* The next branch of the path; none left: complete unless a bound cut one. */
static bool dfs_next(struct explorer *x)
{
	if (backtrack(x))
		return true;
	x->st->complete = !x->st->bounded;
	return false;
}

/* opts.max_execs counts every execution begun, redundant ones too. */
static bool dfs_more(struct explorer *x)
{
	const struct explore_opts *o = x->o;

	if (o->max_execs && x->st->executions + x->st->redundant >= o->max_execs) {
		x->st->bounded = true;
		x->st->capped = true;
		return false;
	}
	return true;
}

/* "complete", or "bounded" and the preemption and execution bounds that cut something. */
static size_t dfs_describe(const struct explore_opts *o, const struct explore_stats *st,
			   char *buf, size_t len)
{
	size_t used;

	if (st->complete)
		return snprintf(buf, len, "complete");
	used = snprintf(buf, len, "bounded");
	if (st->pruned && used < len)
		used += snprintf(buf + used, len - used, " preemptions<=%d", o->bound);
	if (st->capped && used < len)
		used += snprintf(buf + used, len - used, " executions<=%llu",
				 (unsigned long long)o->max_execs);
	return used;
}

const struct explore_strategy_ops dfs_strategy_ops = {
	.init		= dfs_init,
	.release	= cache_release,
	.begin		= dfs_begin,
	.choose		= dfs_choose,
	.step		= dfs_step,
	.more		= dfs_more,
	.next		= dfs_next,
	.describe	= dfs_describe,
};
