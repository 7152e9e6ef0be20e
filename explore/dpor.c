/* dpor.c - source-DPOR: happens-before by vector clocks, races, and the backtrack points they add. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/audit.h>
#include <pinlab/sim.h>
#include "internal.h"

/*
 * After each step k of task p, DPOR finds the earlier steps of other tasks
 * that k conflicts with and that are not already ordered before k by other
 * conflicts: each is a race.  Reversing a race (i, k) needs a task that can
 * start the reversed order at the node before i: one of the "initials" of
 * v, the steps after i not ordered after it, followed by k (Abdulla et al.,
 * "Optimal dynamic partial order reduction", POPL 2014, Algorithm 1).  If no
 * initial is already to be explored there, one is added.  Per object only
 * the last write and each task's reads and adds since matter: earlier
 * accesses are ordered before those.
 *
 * Locks, as Nidhugg treats them: a task whose next step acquires a held
 * lock is not enabled, so a blocked attempt is no step.  The release of a
 * lock orders it before the next acquisition (an edge, never a race: the
 * acquisition cannot run before it), and the race to reverse is between
 * the two acquisitions, at the node before the earlier one.  A trylock is
 * always enabled: it reads the lock, and a successful one writes it, so it
 * races with releases and acquisitions like any read or write.
 */

#define OBJ_TABLE_MIN	1024

/**
 * struct dpor_cands - the earlier steps one step conflicts with
 * @step:    per task, its latest such step, -1 if none; the task's earlier
 *           ones are ordered before it, so they cannot be races
 * @edge:    per task, @step is a lock release k waited for: ordered, no race
 * @mask:    tasks with a @step
 * @lock:    acquisitions of the locks k acquires: raced as lock acquisitions
 * @nr_lock: entries used in @lock
 *
 * Sized by construction: one entry per task, one lock per footprint entry.
 */
struct dpor_cands {
	s32 step[NR_TASKS_MAX];
	bool edge[NR_TASKS_MAX];
	u32 mask;
	s32 lock[FOOTPRINT_MAX];
	int nr_lock;
};

int dpor_init(struct explorer *x)
{
	x->obj_mask = OBJ_TABLE_MIN - 1;
	x->objs = calloc(OBJ_TABLE_MIN, sizeof(*x->objs));
	x->gen = 0;
	return x->objs ? 0 : -ENOMEM;
}

/*
 * A new generation makes every entry of the object table stale at once.
 * Generation 0 marks a never-used slot, so when the counter wraps (after
 * 2^32 executions, kept across runs) the table is cleared instead: an old
 * entry of the same number would otherwise look live, and a table of
 * zeroed slots all of generation 0 would make obj_slot() probe forever.
 */
static void dpor_next_gen(struct explorer *x)
{
	if (++x->gen)
		return;
	memset(x->objs, 0, (x->obj_mask + 1) * sizeof(*x->objs));
	x->gen = 1;
}

void dpor_begin_execution(struct explorer *x)
{
	int p;

	dpor_next_gen(x);
	x->obj_used = 0;
	x->last_global = -1;
	for (p = 0; p < NR_TASKS_MAX; p++) {
		x->last_step[p] = -1;
		x->lock_fail[p] = -1;
	}
	/* Node nr_nodes - 1 has a new choice; the steps before it are the last execution's. */
	x->dpor_fresh = x->nr_nodes ? x->nr_nodes - 1 : 0;
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

/* Keep the table at most half full with @n more entries. Return: 0 or -ENOMEM. */
static int obj_reserve(struct explorer *x, u32 n)
{
	while (2 * (x->obj_used + n) > x->obj_mask + 1)
		if (obj_grow(x))
			return -ENOMEM;
	return 0;
}

/* @obj's entry, made (with no accesses) if this execution has none; room reserved. */
static struct objstate *obj_get(struct explorer *x, const void *obj)
{
	struct objstate *o = obj_slot(x->objs, x->obj_mask, x->gen, obj);

	if (o->gen != x->gen) {
		o->obj = obj;
		o->gen = x->gen;
		o->last_write = -1;
		o->last_rel = -1;
		o->last_acq = -1;
		o->readers = 0;
		o->adders = 0;
		o->testers = 0;
		x->obj_used++;
	}
	return o;
}

static struct objstate *obj_lookup(struct explorer *x, const void *obj)
{
	return obj_reserve(x, 1) ? NULL : obj_get(x, obj);
}

/*
 * The entries of the objects step k touched, in footprint order, in @o.
 * Room for all of them is made first: a growing table would move those
 * already found.  Return: 0 or -ENOMEM.
 */
static int dpor_objs(struct explorer *x, u32 k, struct objstate **o)
{
	const struct footprint *fp = &x->steps[k].fp;
	int e;

	if (obj_reserve(x, fp->n))
		return -ENOMEM;
	for (e = 0; e < fp->n; e++)
		o[e] = obj_get(x, fp->ent[e].obj);
	return 0;
}

/* The accesses that may commute: a read, a counter test, a plain add, an add unless zero. */
static bool kacc_soft(u8 m)
{
	return m == KACC_READ || m == KACC_NZ || m == (KACC_READ | KACC_NZ) ||
	       m == KACC_ADD || m == (KACC_NZ | KACC_ADD);
}

/**
 * kacc_conflict() - do two accesses to one object fail to commute?
 * @a: enum kacc bits of one step's access
 * @b: enum kacc bits of the other's
 *
 * Plain reads commute with plain reads and plain adds with plain adds; a
 * counter test (KACC_NZ) commutes with both, and an add unless zero
 * (KACC_NZ | KACC_ADD) with adds and tests.  A read and an add conflict,
 * and so does every other pair (writes, an add whose result is seen, lock
 * modes, conservatively).
 */
bool kacc_conflict(u8 a, u8 b)
{
	if (!kacc_soft(a) || !kacc_soft(b))
		return true;
	return ((a & KACC_ADD) && (b & KACC_READ)) ||
	       ((b & KACC_ADD) && (a & KACC_READ));
}

bool fp_conflict(const struct footprint *a, const struct footprint *b)
{
	int i, j;

	if (a->global || b->global)
		return true;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++) {
			if (a->ent[i].obj == b->ent[j].obj &&
			    kacc_conflict(a->ent[i].mode, b->ent[j].mode))
				return true;
		}
	}
	return false;
}

/**
 * fp_copy() - copy the used part of a footprint
 * @dst: where to
 * @src: what
 *
 * Entry by entry: a step records a handful, and a memcpy() of a variable
 * size becomes a string move (rep movsq) whose start-up costs more than
 * the copy.
 */
void fp_copy(struct footprint *dst, const struct footprint *src)
{
	int i;

	dst->n = src->n;
	dst->global = src->global;
	dst->after = src->after;
	for (i = 0; i < src->n; i++) {
		dst->ent[i].obj = src->ent[i].obj;
		dst->ent[i].mode = src->ent[i].mode;
	}
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

/* Note step i of another task as conflicting with the step of @pid; @edge: ordered, no race. */
static void cand_add(struct dpor_cands *c, s32 i, const struct step *steps, int pid,
		     bool edge)
{
	int q;

	if (i < 0 || steps[i].pid == pid)
		return;
	q = steps[i].pid;
	if (!(c->mask & BIT(q)) || i > c->step[q]) {
		c->mask |= BIT(q);
		c->step[q] = i;
		c->edge[q] = edge;
	} else if (i == c->step[q]) {
		c->edge[q] |= edge;
	}
}

static void cand_lock(struct dpor_cands *c, s32 i, const struct step *steps, int pid)
{
	int j;

	if (i < 0 || steps[i].pid == pid)
		return;
	for (j = 0; j < c->nr_lock; j++)
		if (c->lock[j] == i)
			return;
	c->lock[c->nr_lock++] = i;
}

/* Note the steps @last[q] of the tasks q in @tasks, other than @pid. */
static void cand_tasks(struct dpor_cands *c, u32 tasks, const s32 *last,
		       const struct step *steps, int pid)
{
	for (tasks &= ~BIT(pid); tasks; tasks &= tasks - 1)
		cand_add(c, last[__builtin_ctz(tasks)], steps, pid, false);
}

/*
 * An acquisition that waited for the lock: it was only enabled once the lock
 * was free.  A trylock (KACC_TRY) is always enabled.
 */
static bool mode_waits(u8 mode)
{
	return mode & KACC_ACQUIRE;
}

/* The earlier accesses to @o that an access in @mode by task @pid conflicts with. */
static void obj_candidates(struct dpor_cands *c, const struct objstate *o, u8 mode,
			   const struct step *steps, int pid)
{
	if (mode_waits(mode)) {
		/* A write of the lock word after the last release still races. */
		cand_lock(c, o->last_acq, steps, pid);
		cand_add(c, o->last_write, steps, pid, false);
		cand_add(c, o->last_rel, steps, pid, true);
	} else {
		cand_add(c, o->last_write, steps, pid, false);
		cand_add(c, o->last_rel, steps, pid, false);
	}
	if (!kacc_soft(mode)) {
		cand_tasks(c, o->readers, o->last_read, steps, pid);
		cand_tasks(c, o->adders, o->last_add, steps, pid);
		cand_tasks(c, o->testers, o->last_nz, steps, pid);
		return;
	}
	/* A counter test conflicts with neither reads nor adds. */
	if (mode & KACC_ADD)
		cand_tasks(c, o->readers, o->last_read, steps, pid);
	if (mode & KACC_READ)
		cand_tasks(c, o->adders, o->last_add, steps, pid);
}

/* The tasks that took a step in this execution so far. */
static u32 dpor_ran(const struct explorer *x)
{
	u32 ran = 0;
	int q;

	for (q = 0; q < NR_TASKS_MAX; q++)
		if (x->last_step[q] >= 0)
			ran |= BIT(q);
	return ran;
}

/* The earlier steps of other tasks that step k, touching objects @o, conflicts with directly. */
static void dpor_candidates(struct explorer *x, u32 k, struct objstate *const *o,
			    struct dpor_cands *c)
{
	const struct step *s = &x->steps[k];
	int e;

	c->mask = 0;
	c->nr_lock = 0;
	if (s->fp.global)
		cand_tasks(c, dpor_ran(x), x->last_step, x->steps, s->pid);
	else
		cand_add(c, x->last_global, x->steps, s->pid, false);
	/* A resumed sleeper follows the step that woke it: an edge, no race. */
	if (s->fp.after >= 0 && (u32)s->fp.after < k)
		cand_add(c, s->fp.after, x->steps, s->pid, true);
	/* A global step still has its recorded entries: its lock acquisitions count. */
	for (e = 0; e < s->fp.n; e++)
		obj_candidates(c, o[e], s->fp.ent[e].mode, x->steps, s->pid);
}

/**
 * struct dpor_event - the later event of a race
 * @pid: its task
 * @vc:  its vector clock
 * @end: the race's v ends just before step @end, then holds this event
 *
 * A step just taken, or the acquisition a task waits to make.
 */
struct dpor_event {
	int pid;
	const u32 *vc;
	u32 end;
};

/* The tasks that can start v = (steps after i not after it in hb), then @e. */
static u32 dpor_initials(struct explorer *x, u32 i, const struct dpor_event *e)
{
	const struct step *si = &x->steps[i];
	s32 first[NR_TASKS_MAX];
	u32 seen = 0, initials = 0, j, others;

	for (j = i + 1; j <= e->end; j++) {
		bool last = j == e->end;
		int pid = last ? e->pid : x->steps[j].pid;
		const u32 *vc = last ? e->vc : x->steps[j].vc;
		bool initial = true;

		if (!last && hb(si, vc))
			continue;
		if (seen & BIT(pid))
			continue;
		for (others = seen; others; others &= others - 1) {
			int r = __builtin_ctz(others);

			if (hb(&x->steps[first[r]], vc)) {
				initial = false;
				break;
			}
		}
		seen |= BIT(pid);
		first[pid] = j;
		if (initial)
			initials |= BIT(pid);
	}
	return initials;
}

/* Make sure the node before step i explores a task that starts the reversed race (i, e). */
static void dpor_race(struct explorer *x, u32 i, const struct dpor_event *e)
{
	struct node *n = &x->nodes[i];
	u32 initials = dpor_initials(x, i, e);
	u32 cand;

	if (initials & (n->backtrack | n->done | n->sleep))
		return;
	cand = initials & n->enabled;
	if (cand & BIT(e->pid))
		n->backtrack |= BIT(e->pid);
	else if (cand)
		n->backtrack |= BIT(__builtin_ctz(cand));
	else
		n->backtrack |= n->enabled & ~n->sleep;
}

static void dpor_race_step(struct explorer *x, u32 i, u32 k)
{
	struct dpor_event e = { x->steps[k].pid, x->steps[k].vc, k };

	dpor_race(x, i, &e);
}

/*
 * A task waiting to acquire a held lock takes no step, but it could have
 * acquired the lock before the holder did: that is a race of its pending
 * acquisition with the holder's (Nidhugg's failed-lock races), reversed at
 * the node before the holder's.  Checked after every step k, once per
 * holder acquisition and waiter; @race false only notes the acquisitions
 * seen, for a replayed step whose races are known.
 */
static int dpor_lock_waiters(struct explorer *x, u32 k, bool race)
{
	static const u32 zero[NR_TASKS_MAX];
	u32 m;

	for (m = sim_lock_waiters(); m; m &= m - 1) {
		int q = __builtin_ctz(m);
		struct objstate *o = obj_lookup(x, sim_task(q)->wait_obj);
		s32 a, last = x->last_step[q];
		struct dpor_event e = { q, last >= 0 ? x->steps[last].vc : zero, k + 1 };

		if (!o)
			return -ENOMEM;
		a = o->last_acq;
		if (a < 0 || x->steps[a].pid == q || x->lock_fail[q] == a)
			continue;
		x->lock_fail[q] = a;
		if (race && !hb(&x->steps[a], e.vc))
			dpor_race(x, a, &e);
	}
	return 0;
}

/* Record an access in @mode by step k as the latest to @o. */
static void obj_update(struct objstate *o, u8 mode, s32 k, int pid)
{
	if (kacc_soft(mode)) {
		/* A read that also tests is a read; an add unless zero both tests and adds. */
		if (mode & KACC_READ) {
			o->last_read[pid] = k;
			o->readers |= BIT(pid);
		} else if (mode & KACC_NZ) {
			o->last_nz[pid] = k;
			o->testers |= BIT(pid);
		}
		if (mode & KACC_ADD) {
			o->last_add[pid] = k;
			o->adders |= BIT(pid);
		}
		return;
	}
	if (mode & KACC_RELEASE)
		o->last_rel = k;
	if (mode & (KACC_ACQUIRE | KACC_TRY))
		o->last_acq = k;
	if (mode & ~KACC_RELEASE)
		o->last_write = k;
	o->readers = 0;
	o->adders = 0;
	o->testers = 0;
}

/* Record step k's accesses as the latest to each object it touched, @o. */
static void dpor_update(struct explorer *x, u32 k, struct objstate *const *o)
{
	const struct step *s = &x->steps[k];
	int e;

	x->last_step[s->pid] = k;
	if (s->fp.global)
		x->last_global = k;
	for (e = 0; e < s->fp.n; e++)
		obj_update(o[e], s->fp.ent[e].mode, k, s->pid);
}

/*
 * Is the regular candidate of task q a race?  It is unless another
 * candidate, or k's own task, is ordered after it: only their clocks' q
 * component matters.
 */
static bool cand_races(const struct explorer *x, const struct dpor_cands *c,
		       const u32 *own, int q)
{
	const struct step *i = &x->steps[c->step[q]];
	u32 seen = own[q], m;

	for (m = c->mask & ~BIT(q); m; m &= m - 1) {
		const struct step *r = &x->steps[c->step[__builtin_ctz(m)]];

		if (r->vc[q] > seen)
			seen = r->vc[q];
	}
	return seen < i->seq;
}

/*
 * Step k's clock: its task's previous step's, joined with the clocks of the
 * steps it conflicts with, found from the entries @o of the objects it
 * touched (@c).  @own gets the clock before the join.
 */
static void dpor_clock(struct explorer *x, u32 k, struct objstate *const *o,
		       struct dpor_cands *c, u32 *own)
{
	struct step *s = &x->steps[k];
	s32 prev = x->last_step[s->pid];
	u32 m;
	int a;

	if (prev >= 0)
		memcpy(s->vc, x->steps[prev].vc, sizeof(s->vc));
	else
		memset(s->vc, 0, sizeof(s->vc));
	s->seq = prev >= 0 ? x->steps[prev].seq + 1 : 1;
	s->vc[s->pid] = s->seq;

	dpor_candidates(x, k, o, c);
	memcpy(own, s->vc, sizeof(s->vc));
	/* The initials of a race are judged against k's whole clock: join first. */
	for (m = c->mask; m; m &= m - 1)
		vc_join(s->vc, x->steps[c->step[__builtin_ctz(m)]].vc);
	for (a = 0; a < c->nr_lock; a++)
		vc_join(s->vc, x->steps[c->lock[a]].vc);
}

/* Note the races of step k with the candidates @c that nothing else orders before it. */
static void dpor_races(struct explorer *x, u32 k, const struct dpor_cands *c,
		       const u32 *own)
{
	u32 m;
	int a;

	for (m = c->mask; m; m &= m - 1) {
		int q = __builtin_ctz(m);

		if (!c->edge[q] && cand_races(x, c, own, q))
			dpor_race_step(x, c->step[q], k);
	}
	/* k could have run before an acquisition unless its own task saw that one. */
	for (a = 0; a < c->nr_lock; a++)
		if (!hb(&x->steps[c->lock[a]], own))
			dpor_race_step(x, c->lock[a], k);
}

/* Record step k's accesses to @o and the lock acquisitions its waiters saw; @race: note races. */
static int dpor_record(struct explorer *x, u32 k, struct objstate *const *o, bool race)
{
	x->lock_fail[x->steps[k].pid] = -1;
	dpor_update(x, k, o);
	return dpor_lock_waiters(x, k, race);
}

#ifdef PINLAB_DEBUG
/* A replayed step's clock, computed again, must be the one the last execution left. */
static void dpor_check_replay(struct explorer *x, u32 k, struct objstate *const *o)
{
	struct step *s = &x->steps[k];
	u32 vc[NR_TASKS_MAX], own[NR_TASKS_MAX], seq = s->seq;
	struct dpor_cands c;

	memcpy(vc, s->vc, sizeof(vc));
	dpor_clock(x, k, o, &c, own);
	if (s->seq != seq || memcmp(s->vc, vc, sizeof(vc)))
		audit_fail("invariant dpor-replay-same-clock broken: step %u of P%u", k, s->pid);
}
#else
static void dpor_check_replay(struct explorer *x, u32 k, struct objstate *const *o)
{
	(void)x, (void)k, (void)o;
}
#endif

/**
 * dpor_step() - order step k after what it conflicts with, and note its races
 * @x: the explorer, with x->steps[k] filled in (pid and footprint)
 * @k: the step just taken
 *
 * A step before x->dpor_fresh replays the DFS path: the last execution took
 * it after the same steps, so its clock in x->steps[k] still holds, and
 * every race it has was noted then (noting one again changes no backtrack
 * set).  Only the per-object state later steps are judged against is
 * rebuilt for it.
 *
 * Return: 0 or -ENOMEM.
 */
int dpor_step(struct explorer *x, u32 k)
{
	struct objstate *o[FOOTPRINT_MAX];
	u32 own[NR_TASKS_MAX];
	struct dpor_cands c;

	if (dpor_objs(x, k, o))
		return -ENOMEM;
	if (k < x->dpor_fresh) {
		dpor_check_replay(x, k, o);
		return dpor_record(x, k, o, false);
	}
	dpor_clock(x, k, o, &c, own);
	dpor_races(x, k, &c, own);
	return dpor_record(x, k, o, true);
}
