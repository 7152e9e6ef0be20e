/* explore.c - the explorer loop: reset the world, run one execution under a strategy, backtrack. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pinlab/arena.h>
#include <pinlab/bug.h>
#include <pinlab/sim.h>
#include "internal.h"
#include "check.h"

#define EXEC_ARENA_SIZE	(64u << 20)

static char explore_err[200];
static struct explorer *running;	/* for explore_run_solo() */

const char *explore_error(void)
{
	return explore_err;
}

int explore_set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(explore_err, sizeof(explore_err), fmt, ap);
	va_end(ap);
	return err;
}

void explore_opts_default(struct explore_opts *o)
{
	*o = (struct explore_opts){
		.strategy = EXPLORE_DFS,
		.reduction = REDUCTION_DPOR,
		.bound = -1,
		.runs = 1000,
		.seed = 1,
		.pct_depth = 3,
		.max_execs = 0,
		.max_steps = 10000,
	};
}

static bool dfs_dpor(const struct explorer *x)
{
	return x->o->strategy == EXPLORE_DFS && x->o->reduction == REDUCTION_DPOR &&
	       x->o->bound < 0;
}

static u64 xorshift(struct explorer *x)
{
	x->rng ^= x->rng << 13;
	x->rng ^= x->rng >> 7;
	x->rng ^= x->rng << 17;
	return x->rng;
}

/* The i-th set bit of @mask. */
static int nth_bit(u32 mask, u32 i)
{
	while (i--)
		mask &= mask - 1;
	return __builtin_ctz(mask);
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

/* A fresh node at depth d; its first choice keeps the previous task running. */
static int node_new(struct explorer *x, u32 d, u32 enabled)
{
	struct node *n;
	u32 avail;
	int p;

	if (grow_nodes(x, d + 1))
		return -ENOMEM;
	n = &x->nodes[d];
	memset(n, 0, offsetof(struct node, fpi));
	n->enabled = enabled;
	n->pool_mark = x->pool_top;
	n->prev = d ? (s8)x->sched[d - 1] : -1;
	n->preempt = d ? x->nodes[d - 1].preempt +
			 preempt_cost(&x->nodes[d - 1], x->nodes[d - 1].chosen) : 0;
	if (d && dfs_dpor(x))
		n->sleep = sleep_after(x, d - 1, n->fpi);
	avail = enabled & ~n->sleep;
	if (!avail)
		return -EAGAIN;
	p = (n->prev >= 0 && (avail & BIT(n->prev))) ? n->prev : __builtin_ctz(avail);
	n->chosen = (u8)p;
	n->backtrack = dfs_dpor(x) ? BIT(p) : enabled;
	x->nr_nodes = d + 1;
	return p;
}

/* PCT: the highest-priority runnable task, after the change point of step d. */
static int pct_choose(struct explorer *x, u32 d, u32 enabled)
{
	int i, p = -1, best = -1;
	u32 m;

	for (m = enabled; m; m &= m - 1) {
		int q = __builtin_ctz(m);

		if (x->prio[q] > best) {
			best = x->prio[q];
			p = q;
		}
	}
	for (i = 0; i < x->o->pct_depth - 1; i++) {
		if (x->change[i] == d) {
			x->prio[p] = i;
			return pct_choose(x, d + 1 + x->pct_k, enabled);
		}
	}
	return p;
}

static void pct_begin(struct explorer *x)
{
	int i, j, n = NR_TASKS_MAX;
	int perm[NR_TASKS_MAX];

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = xorshift(x) % (i + 1);
		int t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < n; i++)
		x->prio[i] = x->o->pct_depth + perm[i];
	for (i = 0; i < x->o->pct_depth - 1 && i < (int)ARRAY_SIZE(x->change); i++)
		x->change[i] = xorshift(x) % x->pct_k;
}

/* Which task takes step d. Return: pid, -EAGAIN (all asleep), or -errno. */
static int choose(struct explorer *x, u32 d, u32 enabled)
{
	switch (x->o->strategy) {
	case EXPLORE_DFS:
		if (d < x->nr_nodes) {
			int p = x->nodes[d].chosen;

			if (!(enabled & BIT(p)))
				return explore_set_error(-EPROTO,
					"nondeterministic model: P%d cannot run at step %u on replay",
					p, d);
			return p;
		}
		return node_new(x, d, enabled);
	case EXPLORE_RANDOM:
		return nth_bit(enabled, xorshift(x) % __builtin_popcount(enabled));
	case EXPLORE_PCT:
		return pct_choose(x, d, enabled);
	case EXPLORE_REPLAY:
		if (d >= x->nr_replay)
			return explore_set_error(-EINVAL,
				"replay string ends at step %u but tasks can still run", d);
		if (!(enabled & BIT(x->replay[d])))
			return explore_set_error(-EINVAL,
				"replay string diverges at step %u: P%u cannot run there",
				d, x->replay[d]);
		return x->replay[d];
	}
	return -EINVAL;
}

static void trace_record(struct explorer *x, int pid)
{
	const struct task_struct *t = sim_task(pid);

	if (!x->trace || x->nr_trace >= x->cap_steps)
		return;
	x->trace[x->nr_trace++] = (struct trace_step){
		.pid = (u8)pid,
		.fn = t->park_fn,
		.note = t->note,
		.obj = NULL,
	};
}

static void trace_fill_obj(struct explorer *x)
{
	const struct footprint *fp = sim_footprint();

	if (x->trace && x->nr_trace && fp->n)
		x->trace[x->nr_trace - 1].obj = fp->ent[0].obj;
}

static void raise_deadlock(void)
{
	u32 blocked = sim_blocked_mask();
	int p = __builtin_ctz(blocked);

	flag_raise(PLF_DEADLOCK, sim_task(p)->park_fn);
}

/* Take one step of @p at depth d. Return: 0 or -errno. */
static int take_step(struct explorer *x, u32 d, int p)
{
	explore_check_node(x, d);
	x->sched[d] = (u8)p;
	trace_record(x, p);
	sim_step(p);
	trace_fill_obj(x);
	x->st->steps++;
	if (!dfs_dpor(x))
		return 0;
	x->steps[d].pid = (u8)p;
	fp_copy(&x->steps[d].fp, sim_footprint());
	return dpor_step(x, d);
}

static int begin_execution(struct explorer *x)
{
	int err;

	arena_reset(&exec_arena);
	flags_reset();
	sim_reset();
	dpor_begin_execution(x);
	x->nr_trace = 0;
	if (x->o->strategy == EXPLORE_PCT)
		pct_begin(x);
	err = x->m->setup(x->m->priv);
	if (err < 0)
		return explore_set_error(err, "setting up the test failed: %s", strerror(-err));
	return 0;
}

/*
 * Run one execution, replaying the DFS path first.
 * Return: 1 when it was abandoned as redundant, 0 when finished, or -errno.
 */
static int run_execution(struct explorer *x)
{
	struct exec_info info = { 0 };
	u32 d, enabled = 0;
	int err = begin_execution(x);

	if (err)
		return err;
	for (d = 0;; d++) {
		int p;

		enabled = sim_runnable_mask();
		if (!enabled)
			break;
		if (d >= x->o->max_steps) {
			info.livelock = true;
			flag_raise(PLF_LIVELOCK, "step limit reached");
			break;
		}
		p = choose(x, d, enabled);
		if (p == -EAGAIN) {
			x->st->redundant++;
			return 1;
		}
		if (p < 0)
			return p;
		err = take_step(x, d, p);
		if (err)
			return err;
	}
	info.nr_steps = d;
	info.schedule = x->sched;
	info.deadlock = !enabled && sim_blocked_mask();
	if (info.deadlock)
		raise_deadlock();
	info.trace = x->trace;
	if (d > x->st->max_depth)
		x->st->max_depth = d;
	x->st->executions++;
	running = x;
	x->stop = x->m->finish(x->m->priv, &info);
	running = NULL;
	return 0;
}

/* The next alternative at node n, or -1. */
static int next_choice(struct explorer *x, struct node *n)
{
	u32 cand;

	if (dfs_dpor(x))
		cand = n->backtrack & n->enabled & ~n->done & ~n->sleep;
	else
		cand = n->backtrack & ~n->done;
	for (; cand; cand &= cand - 1) {
		int p = __builtin_ctz(cand);

		if (x->o->bound >= 0 && n->preempt + preempt_cost(n, p) > x->o->bound) {
			x->st->bounded = true;
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
		if (dfs_dpor(x) && pool_push(x, &x->steps[d].fp, &n->fpi[n->chosen]))
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

static bool budget_left(struct explorer *x)
{
	const struct explore_opts *o = x->o;

	switch (o->strategy) {
	case EXPLORE_DFS:
		if (o->max_execs && x->st->executions + x->st->redundant >= o->max_execs) {
			x->st->bounded = true;
			return false;
		}
		return true;
	case EXPLORE_RANDOM:
	case EXPLORE_PCT:
		return x->st->executions < o->runs;
	case EXPLORE_REPLAY:
		return x->st->executions == 0;
	}
	return false;
}

static int explore_loop(struct explorer *x)
{
	for (;;) {
		int ret = run_execution(x);

		if (ret < 0)
			return ret;
		if (x->o->strategy == EXPLORE_PCT && x->st->max_depth > x->pct_k)
			x->pct_k = x->st->max_depth;
		if (x->stop || !budget_left(x))
			return 0;
		if (x->o->strategy == EXPLORE_DFS && !backtrack(x)) {
			x->st->complete = !x->st->bounded;
			return 0;
		}
	}
}

/*
 * Buffers kept from one explore_run() to the next: most explorations are a
 * handful of short executions, and allocating (and zeroing) room for
 * max_steps every time would cost more than exploring.  Nothing in them is
 * read before this run writes it.
 */
static struct explorer_bufs {
	struct step *steps;		/* x->steps */
	u32 cap_steps;			/* entries in @steps */
	u8 *sched;			/* x->sched */
	u32 cap_sched;			/* entries in @sched */
	struct trace_step *trace;	/* x->trace */
	u32 cap_trace;			/* entries in @trace */
	struct node *nodes;		/* x->nodes */
	u32 cap_nodes;			/* entries in @nodes */
	struct footprint *pool;		/* x->pool */
	u32 pool_cap;			/* entries in @pool */
	struct objstate *objs;		/* x->objs; stale entries are told apart by @gen */
	u32 obj_mask;			/* x->obj_mask */
	u32 gen;			/* x->gen: keeps growing across runs */
} bufs;

static int buf_reserve(void **p, u32 *cap, u32 need, size_t size)
{
	void *n;

	if (*cap >= need)
		return 0;
	n = realloc(*p, (size_t)need * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = need;
	return 0;
}

static int explorer_reserve(struct explorer *x, u32 cap)
{
	if (buf_reserve((void **)&bufs.sched, &bufs.cap_sched, cap, 1))
		return -ENOMEM;
	if (dfs_dpor(x) &&
	    buf_reserve((void **)&bufs.steps, &bufs.cap_steps, cap, sizeof(*bufs.steps)))
		return -ENOMEM;
	if (x->o->trace &&
	    buf_reserve((void **)&bufs.trace, &bufs.cap_trace, cap * 2, sizeof(*bufs.trace)))
		return -ENOMEM;
	if (!bufs.objs) {
		x->objs = NULL;
		if (dpor_init(x))
			return -ENOMEM;
		bufs.objs = x->objs;
		bufs.obj_mask = x->obj_mask;
	}
	return 0;
}

static int explorer_init(struct explorer *x)
{
	u32 cap = x->o->max_steps + 1;

	if (!exec_arena.base && arena_init(&exec_arena, EXEC_ARENA_SIZE))
		return explore_set_error(-ENOMEM, "cannot reserve the execution arena");
	if (explorer_reserve(x, cap))
		return explore_set_error(-ENOMEM, "out of memory for %u steps", cap);
	x->sched = bufs.sched;
	x->steps = bufs.steps;
	x->trace = x->o->trace ? bufs.trace : NULL;
	x->cap_steps = cap * 2;
	x->nodes = bufs.nodes;
	x->cap_nodes = bufs.cap_nodes;
	x->pool = bufs.pool;
	x->pool_cap = bufs.pool_cap;
	x->objs = bufs.objs;
	x->obj_mask = bufs.obj_mask;
	x->gen = bufs.gen;
	x->rng = x->o->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!x->rng)
		x->rng = 1;
	x->pct_k = 32;
	return 0;
}

/* Hand the (possibly grown) buffers back for the next run. */
static void explorer_free(struct explorer *x)
{
	bufs.nodes = x->nodes;
	bufs.cap_nodes = x->cap_nodes;
	bufs.pool = x->pool;
	bufs.pool_cap = x->pool_cap;
	if (x->objs) {
		bufs.objs = x->objs;
		bufs.obj_mask = x->obj_mask;
	}
	bufs.gen = x->gen;
	free(x->replay);
}

static int load_replay(struct explorer *x)
{
	u32 max = x->o->max_steps + 1;

	x->replay = malloc(max);
	if (!x->replay)
		return explore_set_error(-ENOMEM, "out of memory");
	if (replay_parse(x->o->replay ? x->o->replay : "", x->replay, max, &x->nr_replay))
		return explore_set_error(-EINVAL, "malformed replay string '%s'",
				    x->o->replay ? x->o->replay : "");
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int explore_run(const struct explore_model *m, const struct explore_opts *o,
		struct explore_stats *st)
{
	struct explorer x = { .m = m, .o = o, .st = st };
	double t0 = now();
	int err;

	memset(st, 0, sizeof(*st));
	explore_err[0] = '\0';
	kernel_set_backend(KERNEL_SIM);
	err = explorer_init(&x);
	if (!err && o->strategy == EXPLORE_REPLAY)
		err = load_replay(&x);
	if (!err)
		err = explore_loop(&x);
	explorer_free(&x);
	st->seconds = now() - t0;
	return err;
}

int explore_run_solo(int (*fn)(void *), void *arg, const char *comm)
{
	struct explorer *x = running;
	struct task_struct *t = kthread_run(fn, arg, comm);

	if (!t)
		return -EAGAIN;
	while (sim_runnable_mask() & BIT(t->pid)) {
		if (x)
			trace_record(x, t->pid);
		sim_step(t->pid);
		if (x)
			trace_fill_obj(x);
	}
	return t->state == TASK_DEAD ? 0 : -EDEADLK;
}

const struct trace_step *explore_trace(u32 *n)
{
	*n = running ? running->nr_trace : 0;
	return running ? running->trace : NULL;
}

void explore_describe(const struct explore_opts *o, const struct explore_stats *st,
		      char *buf, size_t len)
{
	switch (o->strategy) {
	case EXPLORE_DFS:
		if (st->complete)
			snprintf(buf, len, "complete");
		else if (o->bound >= 0 && !(o->max_execs && st->executions + st->redundant >= o->max_execs))
			snprintf(buf, len, "bounded preemptions<=%d", o->bound);
		else
			snprintf(buf, len, "bounded executions<=%llu",
				 (unsigned long long)o->max_execs);
		break;
	case EXPLORE_RANDOM:
		snprintf(buf, len, "random seed=%llu", (unsigned long long)o->seed);
		break;
	case EXPLORE_PCT:
		snprintf(buf, len, "pct seed=%llu depth=%d",
			 (unsigned long long)o->seed, o->pct_depth);
		break;
	case EXPLORE_REPLAY:
		snprintf(buf, len, "replay");
		break;
	}
}
