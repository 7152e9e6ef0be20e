/* dpor.c - source-DPOR: happens-before by vector clocks, races, and the backtrack points they add. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/*
 * After each step k of task p, DPOR finds the earlier steps of other tasks
 * that k conflicts with (same object, one of them writes) and that are not
 * already ordered before k by other conflicts: each is a race.  Reversing a
 * race (i, k) needs a task that can start the reversed order at the node
 * before i: one of the "initials" of v, the steps after i not ordered after
 * it, followed by k (Abdulla et al., "Optimal dynamic partial order
 * reduction", POPL 2014, Algorithm 1).  If no initial is already to be
 * explored there, one is added.  Per object only the last write and each
 * task's reads since matter: earlier accesses are ordered before those.
 */

#define OBJ_TABLE_MIN	1024
#define MAX_CAND	(NR_TASKS_MAX * 4)

int dpor_init(struct explorer *x)
{
	x->obj_mask = OBJ_TABLE_MIN - 1;
	x->objs = calloc(OBJ_TABLE_MIN, sizeof(*x->objs));
	x->gen = 0;
	return x->objs ? 0 : -ENOMEM;
}

void dpor_begin_execution(struct explorer *x)
{
	int p;

	x->gen++;
	x->obj_used = 0;
	x->last_global = -1;
	for (p = 0; p < NR_TASKS_MAX; p++)
		x->last_step[p] = -1;
}

static u32 obj_hash(const void *obj)
{
	u64 h = (uintptr_t)obj * 0x9e3779b97f4a7c15ull;

	return (u32)(h >> 32);
}

static struct objstate *obj_slot(struct objstate *tab, u32 mask, u32 gen,
				 const void *obj)
{
	u32 i = obj_hash(obj) & mask;

	while (tab[i].gen == gen && tab[i].obj != obj)
		i = (i + 1) & mask;
	return &tab[i];
}

/* Double the table, keeping this execution's entries. */
static int obj_grow(struct explorer *x)
{
	u32 size = (x->obj_mask + 1) * 2, i;
	struct objstate *tab = calloc(size, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (i = 0; i <= x->obj_mask; i++) {
		struct objstate *o = &x->objs[i];

		if (o->gen == x->gen)
			*obj_slot(tab, size - 1, x->gen, o->obj) = *o;
	}
	free(x->objs);
	x->objs = tab;
	x->obj_mask = size - 1;
	return 0;
}

static struct objstate *obj_lookup(struct explorer *x, const void *obj)
{
	struct objstate *o;
	int p;

	if (2 * (x->obj_used + 1) > x->obj_mask + 1 && obj_grow(x))
		return NULL;
	o = obj_slot(x->objs, x->obj_mask, x->gen, obj);
	if (o->gen != x->gen) {
		o->obj = obj;
		o->gen = x->gen;
		o->last_write = -1;
		for (p = 0; p < NR_TASKS_MAX; p++)
			o->last_read[p] = -1;
		x->obj_used++;
	}
	return o;
}

bool fp_conflict(const struct footprint *a, const struct footprint *b)
{
	int i, j;

	if (a->global || b->global)
		return true;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++) {
			if (a->ent[i].obj == b->ent[j].obj &&
			    ((a->ent[i].mode | b->ent[j].mode) & KACC_WRITE))
				return true;
		}
	}
	return false;
}

void fp_copy(struct footprint *dst, const struct footprint *src)
{
	dst->n = src->n;
	dst->global = src->global;
	memcpy(dst->ent, src->ent, src->n * sizeof(src->ent[0]));
}

/* Step i happens before (or is) the point whose vector clock is @vc. */
static bool hb(const struct step *i, const u32 *vc)
{
	return vc[i->pid] >= i->seq;
}

static void vc_join(u32 *dst, const u32 *src)
{
	int q;

	for (q = 0; q < NR_TASKS_MAX; q++)
		if (src[q] > dst[q])
			dst[q] = src[q];
}

static void cand_add(s32 *cand, int *nr, s32 i, const struct step *steps, int pid)
{
	int j;

	if (i < 0 || steps[i].pid == pid || *nr == MAX_CAND)
		return;
	for (j = 0; j < *nr; j++)
		if (cand[j] == i)
			return;
	cand[(*nr)++] = i;
}

/* The earlier steps of other tasks that step k conflicts with directly. */
static int dpor_candidates(struct explorer *x, u32 k, s32 *cand)
{
	const struct step *s = &x->steps[k];
	int nr = 0, e, q;

	if (s->fp.global) {
		for (q = 0; q < NR_TASKS_MAX; q++)
			cand_add(cand, &nr, x->last_step[q], x->steps, s->pid);
		return nr;
	}
	cand_add(cand, &nr, x->last_global, x->steps, s->pid);
	for (e = 0; e < s->fp.n; e++) {
		struct objstate *o = obj_lookup(x, s->fp.ent[e].obj);

		if (!o)
			return -ENOMEM;
		cand_add(cand, &nr, o->last_write, x->steps, s->pid);
		if (!(s->fp.ent[e].mode & KACC_WRITE))
			continue;
		for (q = 0; q < NR_TASKS_MAX; q++)
			cand_add(cand, &nr, o->last_read[q], x->steps, s->pid);
	}
	return nr;
}

/* The tasks that can start v = (steps after i not after it in hb), k. */
static u32 dpor_initials(struct explorer *x, u32 i, u32 k)
{
	const struct step *si = &x->steps[i];
	s32 first[NR_TASKS_MAX];
	u32 seen = 0, initials = 0, j;

	for (j = i + 1; j <= k; j++) {
		const struct step *sj = &x->steps[j];
		u32 r, others;
		bool initial = true;

		if (j < k && hb(si, sj->vc))
			continue;
		if (seen & BIT(sj->pid))
			continue;
		for (others = seen; others; others &= others - 1) {
			r = __builtin_ctz(others);
			if (hb(&x->steps[first[r]], sj->vc)) {
				initial = false;
				break;
			}
		}
		seen |= BIT(sj->pid);
		first[sj->pid] = j;
		if (initial)
			initials |= BIT(sj->pid);
	}
	return initials;
}

static void dpor_race(struct explorer *x, u32 i, u32 k)
{
	struct node *n = &x->nodes[i];
	u32 initials = dpor_initials(x, i, k);
	u32 cand;

	if (initials & (n->backtrack | n->done | n->sleep))
		return;
	cand = initials & n->enabled;
	if (cand & BIT(x->steps[k].pid))
		n->backtrack |= BIT(x->steps[k].pid);
	else if (cand)
		n->backtrack |= BIT(__builtin_ctz(cand));
	else
		n->backtrack |= n->enabled & ~n->sleep;
}

/* Record step k's accesses as the latest to each object it touched. */
static int dpor_update(struct explorer *x, u32 k)
{
	const struct step *s = &x->steps[k];
	int e, q;

	x->last_step[s->pid] = k;
	if (s->fp.global) {
		x->last_global = k;
		return 0;
	}
	for (e = 0; e < s->fp.n; e++) {
		struct objstate *o = obj_lookup(x, s->fp.ent[e].obj);

		if (!o)
			return -ENOMEM;
		if (s->fp.ent[e].mode & KACC_WRITE) {
			o->last_write = k;
			for (q = 0; q < NR_TASKS_MAX; q++)
				o->last_read[q] = -1;
		} else {
			o->last_read[s->pid] = k;
		}
	}
	return 0;
}

/**
 * dpor_step() - order step k after what it conflicts with, and note its races
 * @x: the explorer, with x->steps[k] filled in (pid and footprint)
 * @k: the step just taken
 *
 * Return: 0 or -ENOMEM.
 */
int dpor_step(struct explorer *x, u32 k)
{
	struct step *s = &x->steps[k];
	s32 prev = x->last_step[s->pid];
	u32 own[NR_TASKS_MAX];
	s32 cand[MAX_CAND];
	int nr, a, b;

	if (prev >= 0)
		memcpy(s->vc, x->steps[prev].vc, sizeof(s->vc));
	else
		memset(s->vc, 0, sizeof(s->vc));
	s->seq = prev >= 0 ? x->steps[prev].seq + 1 : 1;
	s->vc[s->pid] = s->seq;

	nr = dpor_candidates(x, k, cand);
	if (nr < 0)
		return nr;
	memcpy(own, s->vc, sizeof(own));
	/* The initials of a race are judged against k's whole clock: join first. */
	for (a = 0; a < nr; a++)
		vc_join(s->vc, x->steps[cand[a]].vc);
	for (a = 0; a < nr; a++) {
		u32 vc[NR_TASKS_MAX];

		memcpy(vc, own, sizeof(vc));
		for (b = 0; b < nr; b++)
			if (b != a)
				vc_join(vc, x->steps[cand[b]].vc);
		if (!hb(&x->steps[cand[a]], vc))
			dpor_race(x, cand[a], k);
	}
	return dpor_update(x, k);
}
