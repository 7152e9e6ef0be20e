/* explore.c - the explorer loop: reset the world, run one execution under a strategy, backtrack. */
#include <errno.h>
#include <signal.h>
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
#define STEPS_INITIAL	4096	/* steps reserved before an execution needs more */
#define POLL_STEPS_MASK	4095	/* poll the clock every 4096 steps of an execution */
#define POLL_EXECS	32	/* ... and every 32 executions */
#define EXEC_STOPPED	2	/* run_execution(): stopped midway by explore_poll() */

/* The tables the option ranges protect: PCT change points, node.preempt, s32 step indices. */
BUILD_BUG_ON(EXPLORE_PCT_DEPTH_MAX - 1 > ARRAY_SIZE(((struct explorer *)0)->change));
BUILD_BUG_ON(EXPLORE_BOUND_MAX >= UINT16_MAX);
BUILD_BUG_ON(EXPLORE_STEPS_MAX > INT32_MAX / 2);

static char explore_err[200];
static struct explorer *running;	/* for explore_run_solo() */
static volatile sig_atomic_t interrupt_requested;	/* explore_interrupt() */
static int solo_err;		/* explore_run_solo() failed in this execution */

/**
 * struct explore_clock - the wall-time side of the running explore_run()
 * @t0:            when it began
 * @deadline:      when opts.timeout runs out, 0 for never
 * @next_progress: when the next progress call is due
 * @execs_left:    executions until the next poll
 * @reported:      a progress call was made
 */
static struct explore_clock {
	double t0;
	double deadline;
	double next_progress;
	u32 execs_left;
	bool reported;
} clk;

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

/* Preemptions on the path after node @n's choice; saturates above any bound. */
static u16 preempt_after(const struct node *n)
{
	u32 p = n->preempt + preempt_cost(n, n->chosen);

	return (u16)min_t(u32, p, UINT16_MAX);
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
	n->preempt = d ? preempt_after(&x->nodes[d - 1]) : 0;
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

/* Replay with opts.replay_complete: the string stops being followed at step @d. */
static void replay_stop(struct explorer *x, u32 d, bool diverged)
{
	x->replay_off = true;
	x->st->replay_followed = d;
	x->st->replay_diverged = diverged;
	x->st->replay_completed = !diverged;
}

/* The task the replay string names at step @d, or the default scheduler's past it. */
static int replay_choose(struct explorer *x, u32 d, u32 enabled)
{
	if (x->replay_off)
		return default_choice(x, d, enabled);
	if (d >= x->nr_replay) {
		if (!x->o->replay_complete)
			return explore_set_error(-EINVAL,
				"replay string ends at step %u but tasks can still run", d);
		replay_stop(x, d, false);
		return default_choice(x, d, enabled);
	}
	if (!(enabled & BIT(x->replay[d]))) {
		if (!x->o->replay_complete)
			return explore_set_error(-EINVAL,
				"replay string diverges at step %u: P%u cannot run there",
				d, x->replay[d]);
		replay_why_not(x, x->replay[d]);
		replay_stop(x, d, true);
		return default_choice(x, d, enabled);
	}
	return x->replay[d];
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
		return replay_choose(x, d, enabled);
	}
	return -EINVAL;
}

static int trace_room(struct explorer *x);
static int steps_grow(struct explorer *x, u32 need);
static double now(void);

/* Append the step @pid is about to take to the trace. Return: 0 or -ENOMEM. */
static int trace_record(struct explorer *x, int pid)
{
	const struct task_struct *t = sim_task(pid);

	if (!x->trace)
		return 0;
	if (trace_room(x))
		return explore_set_error(-ENOMEM, "out of memory for a trace of %u steps",
					 x->nr_trace + 1);
	x->trace[x->nr_trace++] = (struct trace_step){
		.pid = (u8)pid,
		.fn = t->park_fn,
		.note = t->note,
		.obj = NULL,
		.comm = t->comm,
	};
	return 0;
}

/* The step just taken: its first object, then the model's look at the state it left. */
static void trace_step_done(struct explorer *x)
{
	const struct footprint *fp = sim_footprint();
	struct trace_step *s;

	if (!x->trace || !x->nr_trace)
		return;
	s = &x->trace[x->nr_trace - 1];
	if (fp->n)
		s->obj = fp->ent[0].obj;
	if (x->o->traced)
		x->o->traced(x->o->traced_arg, x->nr_trace - 1, s);
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
	int err;

	explore_check_node(x, d);
	x->sched[d] = (u8)p;
	err = trace_record(x, p);
	if (err)
		return err;
	sim_step(p);
	trace_step_done(x);
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

/* Call the progress hook: now, or to say the exploration ended. */
static void progress_report(struct explorer *x, u32 depth, double t, bool done)
{
	struct explore_progress p = {
		.executions = x->st->executions,
		.redundant = x->st->redundant,
		.elapsed = t - clk.t0,
		.depth = depth,
		.done = done,
	};

	x->o->progress(x->o->progress_arg, &p);
	clk.reported = true;
}

/*
 * Between executions and every few thousand steps: an interrupt, the
 * timeout, a progress call due.  Return: true to stop exploring now.
 */
static bool explore_poll(struct explorer *x, u32 depth)
{
	double t;

	if (interrupt_requested) {
		x->st->interrupted = true;
		return true;
	}
	if (!clk.deadline && !x->o->progress)
		return false;
	t = now();
	if (clk.deadline && t >= clk.deadline) {
		x->st->timed_out = true;
		x->st->bounded = true;
		return true;
	}
	if (x->o->progress && t >= clk.next_progress) {
		progress_report(x, depth, t, false);
		clk.next_progress = t + x->o->progress_every;
	}
	return false;
}

/*
 * An execution reached the step limit at step @d: it did not end, so it has
 * no outcome and is not handed to finish(); the exploration is not complete.
 * Return: 0, as for a finished execution (DFS backtracks from it).
 */
static int execution_cut(struct explorer *x, u32 d)
{
	if (d > x->st->max_depth)
		x->st->max_depth = d;
	x->st->executions++;
	x->st->cut++;
	x->st->bounded = true;
	return 0;
}

/* Every task finished at step @d, but the replay string goes on: an error. */
static int replay_leftover(struct explorer *x, u32 d)
{
	return explore_set_error(-EINVAL,
		"replay string has %u steps but every task finished after %u steps",
		x->nr_replay, d);
}

/*
 * Run one execution, replaying the DFS path first.
 * Return: 1 when it was abandoned as redundant, EXEC_STOPPED when
 * explore_poll() stopped it midway, 0 when finished or cut at the step
 * limit, or -errno.
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
		if (d >= x->o->max_steps)
			return execution_cut(x, d);
		if (unlikely((d & POLL_STEPS_MASK) == POLL_STEPS_MASK) && explore_poll(x, d))
			return EXEC_STOPPED;
		if (unlikely(d >= x->cap_steps) && steps_grow(x, d + 1))
			return explore_set_error(-ENOMEM, "out of memory for %u steps", d + 1);
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
	if (x->o->strategy == EXPLORE_REPLAY && d < x->nr_replay && !x->replay_off) {
		if (!x->o->replay_complete)
			return replay_leftover(x, d);
		snprintf(x->st->replay_why, sizeof(x->st->replay_why),
			 "every task had finished");
		replay_stop(x, d, true);
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
	solo_err = 0;
	x->stop = x->m->finish(x->m->priv, &info);
	running = NULL;
	return solo_err;
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
			x->st->capped = true;
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

/* After each execution: poll now and then, at once when interrupted. */
static bool poll_between(struct explorer *x)
{
	if (!interrupt_requested && --clk.execs_left)
		return false;
	clk.execs_left = POLL_EXECS;
	return explore_poll(x, x->nr_nodes);
}

static int explore_loop(struct explorer *x)
{
	for (;;) {
		int ret = run_execution(x);

		if (ret < 0)
			return ret;
		if (ret == EXEC_STOPPED)
			return 0;
		if (x->o->strategy == EXPLORE_PCT && x->st->max_depth > x->pct_k)
			x->pct_k = x->st->max_depth;
		if (x->stop) {
			x->st->stopped = true;
			return 0;
		}
		if (!budget_left(x) || poll_between(x))
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

/* Room for @cap steps in the per-step buffers this run uses. */
static int explorer_reserve(struct explorer *x, u32 cap)
{
	if (buf_reserve((void **)&bufs.sched, &bufs.cap_sched, cap, 1))
		return -ENOMEM;
	if (dfs_dpor(x) &&
	    buf_reserve((void **)&bufs.steps, &bufs.cap_steps, cap, sizeof(*bufs.steps)))
		return -ENOMEM;
	if (x->o->trace &&
	    buf_reserve((void **)&bufs.trace, &bufs.cap_trace, cap, sizeof(*bufs.trace)))
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

/* Point @x at the buffers; @cap_steps is what both @sched and @steps hold. */
static void explorer_attach(struct explorer *x)
{
	x->sched = bufs.sched;
	x->steps = bufs.steps;
	x->trace = x->o->trace ? bufs.trace : NULL;
	x->cap_steps = bufs.cap_sched;
	if (dfs_dpor(x))
		x->cap_steps = min_t(u32, x->cap_steps, bufs.cap_steps);
}

/*
 * Grow the per-step buffers to at least @need steps (doubling), in the middle
 * of an execution: nothing keeps pointers into them.  Return: 0 or -ENOMEM.
 */
static int steps_grow(struct explorer *x, u32 need)
{
	u32 cap = min_t(u32, x->cap_steps, EXPLORE_STEPS_MAX) * 2;

	cap = max_t(u32, min_t(u32, cap, x->o->max_steps), need);
	if (explorer_reserve(x, cap))
		return -ENOMEM;
	explorer_attach(x);
	return 0;
}

/* Room for one more trace entry; the trace holds the epilogue's steps too. */
static int trace_room(struct explorer *x)
{
	u32 cap = bufs.cap_trace;

	if (x->nr_trace < cap)
		return 0;
	if (cap >= UINT32_MAX / 2)
		return -ENOMEM;
	cap = cap ? cap * 2 : STEPS_INITIAL;
	if (buf_reserve((void **)&bufs.trace, &bufs.cap_trace, cap, sizeof(*bufs.trace)))
		return -ENOMEM;
	x->trace = bufs.trace;
	return 0;
}

static int explorer_init(struct explorer *x)
{
	u32 cap = min_t(u32, x->o->max_steps, STEPS_INITIAL);

	if (!exec_arena.base && arena_init(&exec_arena, EXEC_ARENA_SIZE))
		return explore_set_error(-ENOMEM, "cannot reserve the execution arena");
	if (explorer_reserve(x, cap))
		return explore_set_error(-ENOMEM, "out of memory for %u steps", cap);
	explorer_attach(x);
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

/*
 * The schedule of a replay.  It may not be longer than max_steps: the
 * execution would be cut before its end.
 */
static int load_replay(struct explorer *x)
{
	const char *s = x->o->replay ? x->o->replay : "";
	u32 max = x->o->max_steps;

	x->replay = malloc(max ? max : 1);
	if (!x->replay)
		return explore_set_error(-ENOMEM, "out of memory");
	if (replay_parse(s, x->replay, max, &x->nr_replay))
		return explore_set_error(-EINVAL,
			"malformed replay string '%.60s%s', or longer than --max-steps %u",
			s, strlen(s) > 60 ? "..." : "", max);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Options outside the ranges explore.h gives; pinlab checks them earlier. */
static int explore_check_opts(const struct explore_opts *o)
{
	if (o->max_steps < 1 || o->max_steps > EXPLORE_STEPS_MAX)
		return explore_set_error(-EINVAL, "max_steps %u out of range 1..%u",
					 o->max_steps, EXPLORE_STEPS_MAX);
	if (o->bound > EXPLORE_BOUND_MAX)
		return explore_set_error(-EINVAL, "bound %d out of range 0..%d",
					 o->bound, EXPLORE_BOUND_MAX);
	if (o->strategy == EXPLORE_PCT &&
	    (o->pct_depth < 1 || o->pct_depth > EXPLORE_PCT_DEPTH_MAX))
		return explore_set_error(-EINVAL, "pct depth %d out of range 1..%d",
					 o->pct_depth, EXPLORE_PCT_DEPTH_MAX);
	if (o->progress && !(o->progress_every > 0))
		return explore_set_error(-EINVAL, "progress_every must be positive");
	return 0;
}

/* Start the clock of one explore_run() at @t0. */
static void clock_start(const struct explore_opts *o, double t0)
{
	clk = (struct explore_clock){
		.t0 = t0,
		.deadline = o->timeout ? t0 + o->timeout : 0,
		.next_progress = t0 + o->progress_every,
		.execs_left = POLL_EXECS,
	};
}

void explore_interrupt(void)
{
	interrupt_requested = 1;
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
	clock_start(o, t0);
	err = explore_check_opts(o);
	if (!err)
		err = explorer_init(&x);
	if (err)
		return err;	/* @x holds none of the kept buffers yet */
	if (o->strategy == EXPLORE_REPLAY)
		err = load_replay(&x);
	if (!err)
		err = explore_loop(&x);
	explorer_free(&x);
	st->seconds = now() - t0;
	if (o->progress && clk.reported)
		progress_report(&x, 0, now(), true);
	return err;
}

/*
 * The task explore_run_solo() steps next: @t while it can run; while it
 * waits, the lowest runnable daemon (the device completing its I/O); -1
 * when neither can run.
 */
static int solo_next(struct task_struct *t)
{
	u32 run = sim_runnable_mask();

	if (run & BIT(t->pid))
		return t->pid;
	if (t->state == TASK_DEAD || !(run & sim_daemon_mask()))
		return -1;
	return __builtin_ctz(run & sim_daemon_mask());
}

int explore_run_solo(int (*fn)(void *), void *arg, const char *comm)
{
	struct explorer *x = running;
	struct task_struct *t = kthread_run(fn, arg, comm);
	u32 n = 0;

	int p;

	if (!t)
		return -EAGAIN;
	while ((p = solo_next(t)) >= 0) {
		if (n++ >= EXPLORE_STEPS_MAX) {
			solo_err = explore_set_error(-ELOOP,
				"%s ran %u steps without ending: a model bug", comm, n - 1);
			return -ELOOP;
		}
		if (x && !solo_err && trace_record(x, p))
			solo_err = -ENOMEM;
		sim_step(p);
		if (x)
			trace_step_done(x);
	}
	return t->state == TASK_DEAD ? 0 : -EDEADLK;
}

const struct trace_step *explore_trace(u32 *n)
{
	*n = running ? running->nr_trace : 0;
	return running ? running->trace : NULL;
}

/* Append the bounds that cut something: " steps<=N", " time<=Ss". */
static size_t describe_cuts(const struct explore_opts *o, const struct explore_stats *st,
			    char *buf, size_t len, size_t used)
{
	if (st->cut && used < len)
		used += snprintf(buf + used, len - used, " steps<=%u", o->max_steps);
	if (st->timed_out && used < len)
		used += snprintf(buf + used, len - used, " time<=%us", o->timeout);
	return used;
}

/* "bounded" and each bound of a DFS that cut something. */
static void describe_bounded(const struct explore_opts *o, const struct explore_stats *st,
			     char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "bounded");

	if (st->pruned && used < len)
		used += snprintf(buf + used, len - used, " preemptions<=%d", o->bound);
	if (st->capped && used < len)
		used += snprintf(buf + used, len - used, " executions<=%llu",
				 (unsigned long long)o->max_execs);
	describe_cuts(o, st, buf, len, used);
}

void explore_describe(const struct explore_opts *o, const struct explore_stats *st,
		      char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	if (st->interrupted) {
		snprintf(buf, len, "interrupted");
		return;
	}
	if (st->stopped) {
		snprintf(buf, len, "%s", o->stop_at_witness ? "witness" : "stopped");
		return;
	}
	switch (o->strategy) {
	case EXPLORE_DFS:
		if (st->complete)
			snprintf(buf, len, "complete");
		else
			describe_bounded(o, st, buf, len);
		return;
	case EXPLORE_RANDOM:
		used = snprintf(buf, len, "random seed=%llu", (unsigned long long)o->seed);
		break;
	case EXPLORE_PCT:
		used = snprintf(buf, len, "pct seed=%llu depth=%d",
				(unsigned long long)o->seed, o->pct_depth);
		break;
	case EXPLORE_REPLAY:
		used = snprintf(buf, len, "replay");
		if (st->replay_diverged || st->replay_completed)
			used += snprintf(buf + used, len - used, " %s=%u",
					 st->replay_diverged ? "diverged" : "prefix",
					 st->replay_followed);
		break;
	}
	describe_cuts(o, st, buf, len, used);
}
