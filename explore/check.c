/* check.c - debug builds: the explorer's nodes, sleep sets, backtrack sets and pool marks checked at every step. */
#include <pinlab/audit.h>
#include <pinlab/sim.h>
#include "check.h"

#ifdef PINLAB_DEBUG

static __noreturn void node_broken(const char *inv, u32 d, const struct node *n)
{
	audit_fail("invariant %s broken: explorer node %u: enabled %#x backtrack %#x "
		   "done %#x sleep %#x chosen P%u pool_mark %u",
		   inv, d, n->enabled, n->backtrack, n->done, n->sleep, n->chosen, n->pool_mark);
}

/* The sets of one node, against each other and the tasks that can run now. */
static void check_sets(const struct explorer *x, u32 d, const struct node *n)
{
	(void)x;
	if (n->enabled != sim_runnable_mask())
		node_broken("node-enabled-is-runnable", d, n);
	if (!(n->enabled & BIT(n->chosen)))
		node_broken("node-chosen-enabled", d, n);
	if (n->done & ~n->enabled)
		node_broken("node-done-subset-enabled", d, n);
	if (n->backtrack & ~n->enabled)
		node_broken("node-backtrack-subset-enabled", d, n);
	if (!(n->backtrack & BIT(n->chosen)))
		node_broken("node-chosen-in-backtrack", d, n);
	if (!x->sleepsets)
		return;
	if (n->sleep & ~n->enabled)
		node_broken("sleep-subset-enabled", d, n);
	if (n->sleep & BIT(n->chosen))
		node_broken("sleep-chosen-not-asleep", d, n);
	if (n->sleep & n->done)
		node_broken("sleep-disjoint-done", d, n);
}

/* Footprints of done and sleeping tasks: in the pool, below or above the mark as they must be. */
static void check_pool(const struct explorer *x, u32 d, const struct node *n)
{
	u32 m;

	if (n->pool_mark > x->pool_top || (d && x->nodes[d - 1].pool_mark > n->pool_mark))
		node_broken("pool-marks-monotone", d, n);
	for (m = n->done | n->sleep; m; m &= m - 1) {
		int q = __builtin_ctz(m);

		if (n->fpi[q] >= x->pool_top)
			node_broken("pool-index-live", d, n);
		if ((n->sleep & BIT(q)) && n->fpi[q] >= n->pool_mark)
			node_broken("pool-sleeper-older-than-node", d, n);
		if ((n->done & BIT(q)) && n->fpi[q] < n->pool_mark)
			node_broken("pool-done-newer-than-node", d, n);
	}
}

/*
 * Sleep-set rule: q sleeps at d exactly when it slept or was explored at
 * d - 1, was not chosen there, and the step taken there does not conflict
 * with q's recorded step.
 */
static void check_sleep_rule(const struct explorer *x, u32 d, const struct node *n)
{
	const struct node *up = &x->nodes[d - 1];
	u32 cand = (up->sleep | up->done) & ~BIT(up->chosen), m;

	if (n->sleep & ~cand)
		node_broken("sleep-inherited", d, n);
	for (m = cand; m; m &= m - 1) {
		int q = __builtin_ctz(m);
		bool indep = !fp_conflict(&x->pool[up->fpi[q]], &x->steps[d - 1].fp);

		if (indep != !!(n->sleep & BIT(q)))
			node_broken("sleep-independent-of-step", d, n);
		if (indep && n->fpi[q] != up->fpi[q])
			node_broken("sleep-keeps-footprint", d, n);
	}
}

void explore_check_node(const struct explorer *x, u32 d)
{
	const struct node *n;

	if (d >= x->nr_nodes)
		return;
	n = &x->nodes[d];
	check_sets(x, d, n);
	if (!x->sleepsets)
		return;
	check_pool(x, d, n);
	if (d)
		check_sleep_rule(x, d, n);
}

#endif /* PINLAB_DEBUG */
