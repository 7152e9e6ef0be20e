/* internal.h - the explorer's private state (DFS path, execution, DPOR tables) and the strategy ops. */
#ifndef PINLAB_EXPLORE_INTERNAL_H
#define PINLAB_EXPLORE_INTERNAL_H

#include <pinlab/explore.h>

/**
 * struct step - one step of the execution being run
 * @pid: task that took it
 * @seq: its position among @pid's steps, from 1
 * @vc:  vector clock: @vc[q] steps of task q happen before or are this step
 * @fp:  the objects it touched
 */
struct step {
	u8 pid;
	u32 seq;
	u32 vc[NR_TASKS_MAX];
	struct footprint fp;
};

/**
 * struct node - one scheduling decision on the current DFS path
 * @enabled:   tasks that could run here
 * @backtrack: tasks that must be explored from here
 * @done:      tasks explored from here already
 * @sleep:     tasks whose steps from here are covered by other executions
 * @chosen:    task run here in the current execution
 * @prev:      task of the step before, -1 at the root
 * @preempt:   preemptions on the path before this node
 * @pool_mark: footprint pool size when the node was made (freed back to it)
 * @fpi:       for a task in @done or @sleep: its step's footprint in the pool
 */
struct node {
	u32 enabled;
	u32 backtrack;
	u32 done;
	u32 sleep;
	u8 chosen;
	s8 prev;
	u16 preempt;
	u32 pool_mark;
	u32 fpi[NR_TASKS_MAX];
};

/**
 * struct objstate - DPOR's memory of the last accesses to one object
 * @obj:        the object, NULL for a free slot
 * @gen:        execution the entry belongs to; older entries count as free
 * @last_write: last step that wrote it, acquired it (a lock) or added to it
 *              and read it, -1 if none
 * @last_rel:   last step that released it (a lock), -1 if none
 * @last_acq:   last step that acquired it (a lock), -1 if none
 * @readers:    tasks with a @last_read entry; the others' entries are stale
 * @adders:     tasks with a @last_add entry; the others' entries are stale
 * @testers:    tasks with a @last_nz entry; the others' entries are stale
 * @last_read:  per task in @readers, its last plain read since @last_write
 *              and @last_rel
 * @last_add:   per task in @adders, its last plain add (or add unless zero)
 *              since @last_write and @last_rel
 * @last_nz:    per task in @testers, its last counter test (KACC_NZ, alone
 *              or with an add) since @last_write and @last_rel
 */
struct objstate {
	const void *obj;
	u32 gen;
	s32 last_write;
	s32 last_rel;
	s32 last_acq;
	u32 readers;
	u32 adders;
	u32 testers;
	s32 last_read[NR_TASKS_MAX];
	s32 last_add[NR_TASKS_MAX];
	s32 last_nz[NR_TASKS_MAX];
};

/**
 * struct explore_clock - the wall-time side of one explore_run()
 * @t0:            when it began
 * @deadline:      when opts.timeout runs out, 0 for never
 * @next_progress: when the next progress call is due
 * @execs_left:    executions until the next poll
 * @reported:      a progress call was made
 */
struct explore_clock {
	double t0;
	double deadline;
	double next_progress;
	u32 execs_left;
	bool reported;
};

struct explore_strategy_ops;

/**
 * struct explorer - one explore_run()
 * @m:           what is explored
 * @o:           how
 * @st:          what it did
 * @ops:         the strategy, as o->strategy names it
 * @priv:        the strategy's own state (its init() sets it), NULL if none
 * @dpor:        DFS with DPOR: @steps records every step (dfs.c sets it)
 * @sleepsets:   DFS with sleep sets, @dpor or @cache: @steps records every
 *               step's footprint, @pool the sleepers' (dfs.c sets it)
 * @cache:       the visited-state table of opts.cache, NULL without
 *               (cache.c)
 * @task_last:   with @cache, per task 1 + the index of its last step in
 *               this execution, 0 before its first
 * @local_step:  with @cache, 1 + the index of the step taken without
 *               branching as the model's local() named it, whose footprint
 *               must be empty; 0 for none
 * @nodes:       the DFS path (dfs.c, read by dpor.c)
 * @nr_nodes:    nodes on the path that the next execution replays
 * @cap_nodes:   entries allocated in @nodes
 * @steps:       steps of the current execution, with @dpor
 * @sched:       pid of each step of the current execution
 * @trace:       trace of the current execution, when tracing
 * @nr_trace:    entries used in @trace (steps plus epilogue steps)
 * @cap_steps:   entries allocated in @steps, @sched and @trace
 * @pool:        footprints of done and sleeping tasks, a stack
 * @pool_top:    entries used in @pool
 * @pool_cap:    entries allocated in @pool
 * @objs:        open-addressing table of struct objstate
 * @obj_mask:    its size minus one (a power of two)
 * @obj_used:    live entries in this execution
 * @gen:         current execution's generation for @objs
 * @last_step:   per task, its last step in this execution, -1 if none
 * @last_global: last step with a global footprint, -1 if none
 * @lock_fail:   per task waiting for a held lock, the holder's acquisition
 *               its pending one was raced with already, -1 if none
 * @dpor_fresh:  first step of this execution that leaves the DFS path of
 *               the one before: earlier steps replay it, their clocks and
 *               races are known already
 * @rng:         xorshift state, seeded from opts.seed (explore_rand())
 * @clk:         the interrupt, timeout and progress polling
 * @stop:        the model asked to stop
 */
struct explorer {
	const struct explore_model *m;
	const struct explore_opts *o;
	struct explore_stats *st;
	const struct explore_strategy_ops *ops;
	void *priv;
	bool dpor;
	bool sleepsets;
	struct state_cache *cache;
	u32 task_last[NR_TASKS_MAX];
	u32 local_step;
	struct node *nodes;
	u32 nr_nodes;
	u32 cap_nodes;
	struct step *steps;
	u8 *sched;
	struct trace_step *trace;
	u32 nr_trace;
	u32 cap_steps;
	struct footprint *pool;
	u32 pool_top;
	u32 pool_cap;
	struct objstate *objs;
	u32 obj_mask;
	u32 obj_used;
	u32 gen;
	s32 last_step[NR_TASKS_MAX];
	s32 last_global;
	s32 lock_fail[NR_TASKS_MAX];
	u32 dpor_fresh;
	u64 rng;
	struct explore_clock clk;
	bool stop;
};

/**
 * struct explore_strategy_ops - one strategy: who takes each step, and what runs next
 * @init:     NULL, or once per explore_run(), before any execution: check
 *            the strategy's options, set x->priv and x->dpor.
 *            Return: 0 or -errno (with explore_fail())
 * @release:  NULL, or at the end of an explore_run() whose init() succeeded
 * @begin:    NULL, or before each execution, before the model's setup()
 * @choose:   which of the tasks in @enabled takes step @d.
 *            Return: a pid, -EAGAIN when all of them sleep (the execution
 *            is redundant), -EEXIST when the state here was explored
 *            already (opts.cache), or -errno (with explore_fail())
 * @step:     NULL, or after step @d was taken, its footprint in
 *            sim_footprint(). Return: 0 or -errno
 * @ended:    NULL, or when every task has ended after @d steps, before the
 *            model hears of it. Return: 0 or -errno (with explore_fail())
 * @more:     after an execution: may another one run?  (false when its
 *            budget is spent; sets st->capped for a cap)
 * @next:     NULL, or after @more, to set up the next execution.
 *            Return: false when every one has run (sets st->complete)
 * @describe: the Explored line's text of a run neither interrupted nor
 *            stopped, before the step and time bounds explore_describe()
 *            appends. Return: as snprintf() (may exceed @len)
 *
 * One file per strategy (dfs.c, random.c, pct.c, replay.c), one entry in
 * explore.c's table, indexed by enum explore_strategy.
 */
struct explore_strategy_ops {
	int (*init)(struct explorer *x);
	void (*release)(struct explorer *x);
	void (*begin)(struct explorer *x);
	int (*choose)(struct explorer *x, u32 d, u32 enabled);
	int (*step)(struct explorer *x, u32 d);
	int (*ended)(struct explorer *x, u32 d);
	bool (*more)(struct explorer *x);
	bool (*next)(struct explorer *x);
	size_t (*describe)(const struct explore_opts *o, const struct explore_stats *st,
			   char *buf, size_t len);
};

extern const struct explore_strategy_ops dfs_strategy_ops;
extern const struct explore_strategy_ops random_strategy_ops;
extern const struct explore_strategy_ops pct_strategy_ops;
extern const struct explore_strategy_ops replay_strategy_ops;

/* explore.c */
int explore_fail(struct explorer *x, int err, const char *fmt, ...) __printf(3, 4);
bool explore_runs_left(struct explorer *x);

/* The next number of the run's xorshift sequence. */
static inline u64 explore_rand(struct explorer *x)
{
	x->rng ^= x->rng << 13;
	x->rng ^= x->rng >> 7;
	x->rng ^= x->rng << 17;
	return x->rng;
}

/* cache.c */
int cache_init(struct explorer *x);
void cache_release(struct explorer *x);
int cache_visit(struct explorer *x, u32 sleep, u32 *todo);

/* dpor.c */
int dpor_init(struct explorer *x);
void dpor_begin_execution(struct explorer *x);
int dpor_step(struct explorer *x, u32 k);
bool kacc_conflict(u8 a, u8 b);
bool fp_conflict(const struct footprint *a, const struct footprint *b);
void fp_copy(struct footprint *dst, const struct footprint *src);

#endif /* PINLAB_EXPLORE_INTERNAL_H */
