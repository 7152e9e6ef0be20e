/* cache.c - opts.cache: the table of visited states and Godefroid's rule for revisiting one with sleep sets. */
#include <errno.h>
#include <stdlib.h>
#include "internal.h"

#define CACHE_INITIAL	(1u << 12)	/* slots of a fresh table, a power of two */

/**
 * struct cache_entry - one visited state
 * @h:     its 128-bit hash, as the model's state() hook computed it
 * @sleep: the tasks asleep in every visit so far (the intersection of their
 *         sleep sets): only their steps from here may be unexplored
 * @used:  the slot holds a state
 */
struct cache_entry {
	u64 h[2];
	u32 sleep;
	bool used;
};

/**
 * struct state_cache - an open-addressing table of struct cache_entry
 * @tab:  the slots
 * @mask: their number minus one (a power of two)
 * @used: slots holding a state
 */
struct state_cache {
	struct cache_entry *tab;
	u64 mask;
	u64 used;
};

/**
 * cache_init() - an empty table for this explore_run()
 * @x: the explorer (dfs, opts.cache, a model with a state() hook)
 *
 * Return: 0 or -ENOMEM (with explore_fail())
 */
int cache_init(struct explorer *x)
{
	struct state_cache *c = calloc(1, sizeof(*c));

	if (c)
		c->tab = calloc(CACHE_INITIAL, sizeof(*c->tab));
	if (!c || !c->tab) {
		free(c);
		return explore_fail(x, -ENOMEM, "out of memory for the state cache");
	}
	c->mask = CACHE_INITIAL - 1;
	x->cache = c;
	x->st->caching = true;
	return 0;
}

/**
 * cache_release() - free the table at the end of an explore_run()
 * @x: the explorer
 */
void cache_release(struct explorer *x)
{
	if (!x->cache)
		return;
	free(x->cache->tab);
	free(x->cache);
	x->cache = NULL;
}

/* The slot of @h in @tab (@mask + 1 slots): its own, or the empty one it would take. */
static struct cache_entry *slot_of(struct cache_entry *tab, u64 mask, const u64 *h)
{
	u64 i = h[0] & mask;

	while (tab[i].used && (tab[i].h[0] != h[0] || tab[i].h[1] != h[1]))
		i = (i + 1) & mask;
	return &tab[i];
}

/* Double the table when it is half full. Return: 0 or -ENOMEM. */
static int cache_grow(struct state_cache *c)
{
	u64 mask = c->mask * 2 + 1, i;
	struct cache_entry *tab;

	if (c->used * 2 < c->mask)
		return 0;
	tab = calloc(mask + 1, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (i = 0; i <= c->mask; i++)
		if (c->tab[i].used)
			*slot_of(tab, mask, c->tab[i].h) = c->tab[i];
	free(c->tab);
	c->tab = tab;
	c->mask = mask;
	return 0;
}

/**
 * cache_visit() - a fresh node of the DFS path: has its state been explored?
 * @x:     the explorer
 * @sleep: the node's sleep set
 * @todo:  left alone, or narrowed to the tasks whose steps from here must
 *         still be explored
 *
 * Godefroid's rule for state caching with sleep sets ("Partial-Order
 * Methods for the Verification of Concurrent Systems", LNCS 1032, ch. 5):
 * each visited state keeps the sleep set Z it was explored with.  A visit
 * with sleep set Z' where Z is a subset of Z' finds nothing new: every step
 * it would take was taken from there before, or is covered by a sleeper's
 * path then.  Otherwise only the steps of Z \ Z' are taken, with sleep set
 * Z', and the state keeps Z & Z'.  That needs the earlier visit to have
 * ended, as it has when the states reachable form no cycle (each step of a
 * litmus thread moves it on: it has no loops).  A state the model cannot
 * hash is explored as without the cache.
 *
 * Return: 0 to explore the node, -EEXIST to cut the execution here, or
 * -ENOMEM (with explore_fail())
 */
int cache_visit(struct explorer *x, u32 sleep, u32 *todo)
{
	struct state_cache *c = x->cache;
	struct cache_entry *e;
	u64 h[2];

	if (!x->m->state(x->m->priv, x->task_last, h))
		return 0;
	e = slot_of(c->tab, c->mask, h);
	if (e->used) {
		if (!(e->sleep & ~sleep))
			return -EEXIST;
		*todo = e->sleep & ~sleep;
		e->sleep &= sleep;
		return 0;
	}
	*e = (struct cache_entry){ .h = { h[0], h[1] }, .sleep = sleep, .used = true };
	c->used++;
	x->st->states = c->used;
	if (cache_grow(c))
		return explore_fail(x, -ENOMEM, "out of memory for %llu cached states",
				    (unsigned long long)c->used);
	return 0;
}
