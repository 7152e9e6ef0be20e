/* check.h - debug builds: the explorer's own invariants, checked at every step. */
#ifndef PINLAB_EXPLORE_CHECK_H
#define PINLAB_EXPLORE_CHECK_H

#include "internal.h"

#ifdef PINLAB_DEBUG
/**
 * explore_check_node() - before step @d: node @d of the DFS path and its
 * relation to node @d - 1 obey the sleep-set, backtrack and pool rules;
 * aborts naming the first rule broken
 */
void explore_check_node(const struct explorer *x, u32 d);
#else
static inline void explore_check_node(const struct explorer *x, u32 d)
{
	(void)x, (void)d;
}
#endif

#endif /* PINLAB_EXPLORE_CHECK_H */
