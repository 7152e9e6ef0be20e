/* random.c - the random strategy: a uniform choice among the runnable tasks at every step. */
#include <stdio.h>
#include "internal.h"

/* The i-th set bit of @mask. */
static int nth_bit(u32 mask, u32 i)
{
	while (i--)
		mask &= mask - 1;
	return __builtin_ctz(mask);
}

static int random_choose(struct explorer *x, u32 d, u32 enabled)
{
	(void)d;
	return nth_bit(enabled, explore_rand(x) % __builtin_popcount(enabled));
}

static size_t random_describe(const struct explore_opts *o, const struct explore_stats *st,
			      char *buf, size_t len)
{
	(void)st;
	return snprintf(buf, len, "random seed=%llu", (unsigned long long)o->seed);
}

const struct explore_strategy_ops random_strategy_ops = {
	.choose		= random_choose,
	.more		= explore_runs_left,
	.describe	= random_describe,
};
