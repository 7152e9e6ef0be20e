/* internal.h - the explorer's private state: the DFS path, the current execution and DPOR tables. */
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
 * struct explorer - one explore_run()
 * @m:           what is explored
 * @o:           how
 * @st:          what it did
 * @nodes:       the DFS path
 * @nr_nodes:    nodes on the path that the next execution replays
 * @cap_nodes:   entries allocated in @nodes
 * @steps:       steps of the current execution
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
 * @rng:         xorshift state for random and pct
 * @prio:        pct: task priorities, higher runs first
 * @change:      pct: steps at which the running task's priority drops
 * @pct_k:       pct: estimated steps per execution
 * @replay:      replay: the schedule
 * @nr_replay:   replay: its length
 * @replay_off:  replay with opts.replay_complete: the string ended or
 *		 diverged; the default scheduler picks from here
 * @stop:        the model asked to stop
 */
struct explorer {
	const struct explore_model *m;
	const struct explore_opts *o;
	struct explore_stats *st;
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
	int prio[NR_TASKS_MAX];
	u32 change[16];
	u32 pct_k;
	u8 *replay;
	u32 nr_replay;
	bool replay_off;
	bool stop;
};

/* dpor.c */
int dpor_init(struct explorer *x);
void dpor_begin_execution(struct explorer *x);
int dpor_step(struct explorer *x, u32 k);
bool kacc_conflict(u8 a, u8 b);
bool fp_conflict(const struct footprint *a, const struct footprint *b);
void fp_copy(struct footprint *dst, const struct footprint *src);

#endif /* PINLAB_EXPLORE_INTERNAL_H */
