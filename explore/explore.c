/* explore.c - the explorer loop: reset the world, run an execution as the strategy chooses, repeat. */
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

#define EXEC_ARENA_SIZE	(64u << 20)
#define STEPS_INITIAL	4096	/* steps reserved before an execution needs more */
#define POLL_STEPS_MASK	4095	/* poll the clock every 4096 steps of an execution */
#define POLL_EXECS	32	/* ... and every 32 executions */
#define EXEC_STOPPED	2	/* run_execution(): stopped midway by explore_poll() */

/* The tables the option ranges protect: node.preempt, s32 step indices. */
BUILD_BUG_ON(EXPLORE_BOUND_MAX >= UINT16_MAX);
BUILD_BUG_ON(EXPLORE_STEPS_MAX > INT32_MAX / 2);

static volatile sig_atomic_t interrupt_requested;	/* explore_interrupt() */

/* The strategies, as enum explore_strategy numbers them. */
static const struct explore_strategy_ops *const strategies[] = {
	[EXPLORE_DFS]		= &dfs_strategy_ops,
	[EXPLORE_RANDOM]	= &random_strategy_ops,
	[EXPLORE_PCT]		= &pct_strategy_ops,
	[EXPLORE_REPLAY]	= &replay_strategy_ops,
};

static const struct explore_strategy_ops *strategy_ops(enum explore_strategy s)
{
	return (unsigned int)s < ARRAY_SIZE(strategies) ? strategies[s] : NULL;
}

/**
 * explore_fail() - say why the running explore_run() fails
 * @x:   the explorer
 * @err: the negative errno it returns
 * @fmt: one line, printf-style
 *
 * The line goes to explore_stats.error.
 * Return: @err
 */
int explore_fail(struct explorer *x, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->st->error, sizeof(x->st->error), fmt, ap);
	va_end(ap);
	return err;
}

/* opts.runs executions: the budget of the strategies that sample (random, pct). */
bool explore_runs_left(struct explorer *x)
{
	return x->st->executions < x->o->runs;
}

/**
 * explore_opts_default() - dfs with DPOR, no bound, 1000 random runs
 */
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
		return explore_fail(x, -ENOMEM, "out of memory for a trace of %u steps",
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

	x->sched[d] = (u8)p;
	err = trace_record(x, p);
	if (err)
		return err;
	sim_step(p);
	trace_step_done(x);
	x->st->steps++;
	return x->ops->step ? x->ops->step(x, d) : 0;
}

static int begin_execution(struct explorer *x)
{
	int err;

	arena_reset(&exec_arena);
	flags_reset();
	sim_reset();
	dpor_begin_execution(x);
	x->nr_trace = 0;
	if (x->ops->begin)
		x->ops->begin(x);
	err = x->m->setup(x->m->priv);
	if (err < 0)
		return explore_fail(x, err, "setting up the test failed: %s", strerror(-err));
	return 0;
}

/* Call the progress hook: now, or to say the exploration ended. */
static void progress_report(struct explorer *x, u32 depth, double t, bool done)
{
	struct explore_progress p = {
		.executions = x->st->executions,
		.redundant = x->st->redundant,
		.elapsed = t - x->clk.t0,
		.depth = depth,
		.done = done,
	};

	x->o->progress(x->o->progress_arg, &p);
	x->clk.reported = true;
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
	if (!x->clk.deadline && !x->o->progress)
		return false;
	t = now();
	if (x->clk.deadline && t >= x->clk.deadline) {
		x->st->timed_out = true;
		x->st->bounded = true;
		return true;
	}
	if (x->o->progress && t >= x->clk.next_progress) {
		progress_report(x, depth, t, false);
		x->clk.next_progress = t + x->o->progress_every;
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

/*
 * The task run_epilogue() steps next: @t while it can run; while it waits,
 * the lowest runnable daemon (the device completing its I/O); -1 when
 * neither can run.
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

/*
 * The tasks have ended: the model's ended() hook, then the epilogue it
 * names, run alone to its end (traced after the execution's steps).
 * Return: 0 (its own result in @info->epilogue_err), or -errno.
 */
static int run_epilogue(struct explorer *x, struct exec_info *info)
{
	struct explore_epilogue epi = { 0 };
	struct task_struct *t;
	u32 n = 0;
	int p, err;

	if (x->m->ended)
		x->m->ended(x->m->priv, &epi);
	if (!epi.fn)
		return 0;
	t = kthread_run(epi.fn, epi.arg, epi.comm);
	if (!t) {
		info->epilogue_err = -EAGAIN;
		return 0;
	}
	while ((p = solo_next(t)) >= 0) {
		if (n++ >= EXPLORE_STEPS_MAX)
			return explore_fail(x, -ELOOP,
				"%s ran %u steps without ending: a model bug", epi.comm, n - 1);
		err = trace_record(x, p);
		if (err)
			return err;
		sim_step(p);
		trace_step_done(x);
	}
	info->epilogue_err = t->state == TASK_DEAD ? 0 : -EDEADLK;
	return 0;
}

/*
 * Run one execution, each step as the strategy chooses, then its epilogue.
 * Return: 1 when it was abandoned as redundant or at a visited state, EXEC_STOPPED when
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
			return explore_fail(x, -ENOMEM, "out of memory for %u steps", d + 1);
		p = x->ops->choose(x, d, enabled);
		if (p == -EAGAIN) {
			x->st->redundant++;
			return 1;
		}
		if (p == -EEXIST) {
			x->st->cached++;
			return 1;
		}
		if (p < 0)
			return p;
		err = take_step(x, d, p);
		if (err)
			return err;
	}
	if (x->ops->ended) {
		err = x->ops->ended(x, d);
		if (err)
			return err;
	}
	info.nr_steps = d;
	info.schedule = x->sched;
	info.deadlock = !enabled && sim_blocked_mask();
	if (info.deadlock)
		raise_deadlock();
	if (d > x->st->max_depth)
		x->st->max_depth = d;
	x->st->executions++;
	err = run_epilogue(x, &info);
	if (err)
		return err;
	info.trace = x->trace;
	info.nr_trace = x->nr_trace;
	x->stop = x->m->finish(x->m->priv, &info);
	return 0;
}

/* After each execution: poll now and then, at once when interrupted. */
static bool poll_between(struct explorer *x)
{
	if (!interrupt_requested && --x->clk.execs_left)
		return false;
	x->clk.execs_left = POLL_EXECS;
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
		if (x->stop) {
			x->st->stopped = true;
			return 0;
		}
		if (!x->ops->more(x) || poll_between(x))
			return 0;
		if (x->ops->next && !x->ops->next(x))
			return 0;
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
	if (x->sleepsets &&
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
	if (x->sleepsets)
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
		return explore_fail(x, -ENOMEM, "cannot reserve the execution arena");
	if (explorer_reserve(x, cap))
		return explore_fail(x, -ENOMEM, "out of memory for %u steps", cap);
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
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Options outside the ranges explore.h gives; pinlab checks them earlier.
 * The strategy's init() checks its own.
 */
static int explore_check_opts(struct explorer *x)
{
	const struct explore_opts *o = x->o;

	if (!x->ops)
		return explore_fail(x, -EINVAL, "unknown strategy %d", (int)o->strategy);
	if (o->max_steps < 1 || o->max_steps > EXPLORE_STEPS_MAX)
		return explore_fail(x, -EINVAL, "max_steps %u out of range 1..%u",
				    o->max_steps, EXPLORE_STEPS_MAX);
	if (o->bound > EXPLORE_BOUND_MAX)
		return explore_fail(x, -EINVAL, "bound %d out of range 0..%d",
				    o->bound, EXPLORE_BOUND_MAX);
	if (o->progress && !(o->progress_every > 0))
		return explore_fail(x, -EINVAL, "progress_every must be positive");
	return 0;
}

/* Start the clock of one explore_run() at @t0. */
static void clock_start(struct explorer *x, double t0)
{
	const struct explore_opts *o = x->o;

	x->clk = (struct explore_clock){
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
	struct explorer x = { .m = m, .o = o, .st = st, .ops = strategy_ops(o->strategy) };
	double t0 = now();
	int err;

	memset(st, 0, sizeof(*st));
	kernel_set_backend(KERNEL_SIM);
	clock_start(&x, t0);
	err = explore_check_opts(&x);
	if (!err && x.ops->init)
		err = x.ops->init(&x);
	if (err)
		return err;
	err = explorer_init(&x);
	if (err)
		goto release;	/* @x holds none of the kept buffers yet */
	err = explore_loop(&x);
	explorer_free(&x);
	st->seconds = now() - t0;
	if (o->progress && x.clk.reported)
		progress_report(&x, 0, now(), true);
release:
	if (x.ops->release)
		x.ops->release(&x);
	return err;
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

void explore_describe(const struct explore_opts *o, const struct explore_stats *st,
		      char *buf, size_t len)
{
	const struct explore_strategy_ops *ops;
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
	ops = strategy_ops(o->strategy);
	if (ops)
		used = ops->describe(o, st, buf, len);
	else
		buf[0] = '\0';
	describe_cuts(o, st, buf, len, used);
}
