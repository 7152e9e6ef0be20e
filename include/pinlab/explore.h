/* explore.h - the stateless explorer: strategies, replay strings and per-run statistics. */
#ifndef PINLAB_EXPLORE_H
#define PINLAB_EXPLORE_H

#include <stdio.h>
#include <pinlab/sched.h>

enum explore_strategy {
	EXPLORE_DFS,		/* every execution class (complete unless bounded) */
	EXPLORE_RANDOM,		/* uniform choice at each point, opts.runs times */
	EXPLORE_PCT,		/* probabilistic concurrency testing, depth opts.pct_depth */
	EXPLORE_REPLAY,		/* the one schedule in opts.replay */
};

/* The ranges of the numeric options; pinlab checks them when it parses. */
#define EXPLORE_BOUND_MAX	65534		/* preemptions: a node counts them in a u16 */
#define EXPLORE_PCT_DEPTH_MAX	17		/* 16 priority change points */
#define EXPLORE_STEPS_MAX	(1u << 24)	/* steps per execution (DPOR: ~0.5 KiB each) */
#define EXPLORE_TIMEOUT_MAX	UINT32_MAX	/* seconds */
#define EXPLORE_DESCRIBE_MAX	96		/* explore_describe() text, NUL included */
#define EXPLORE_ERROR_MAX	200		/* explore_stats.error, NUL included */

enum explore_reduction {
	REDUCTION_DPOR,		/* source-DPOR with sleep sets (default) */
	REDUCTION_NONE,		/* plain DFS: every interleaving */
};

/**
 * struct explore_progress - what a progress line shows
 * @executions: executions so far (finished and cut)
 * @redundant:  executions abandoned as redundant so far
 * @elapsed:    seconds since the exploration began
 * @depth:      steps into the current execution, or length of the DFS path
 * @done:       the exploration has ended: the last call, to clear the line
 */
struct explore_progress {
	u64 executions;
	u64 redundant;
	double elapsed;
	u32 depth;
	bool done;
};

struct trace_step;

/**
 * struct explore_opts - how to explore
 * @strategy:	 enum explore_strategy
 * @reduction:	 enum explore_reduction (dfs only)
 * @bound:	 preemption bound for dfs, -1 for none (a bound disables DPOR)
 * @runs:	 executions for random and pct
 * @seed:	 random seed for random and pct
 * @pct_depth:	 bug depth d of PCT (d-1 priority change points)
 * @max_execs:	 stop after this many executions (0: no limit); the result is
 *		 then not complete
 * @max_steps:	 steps per execution before it is cut off as a livelock
 * @replay:	 the schedule for EXPLORE_REPLAY
 * @replay_complete: EXPLORE_REPLAY: take @replay as a prefix.  A string
 *		 that ends while tasks can still run is completed, and one
 *		 that names a task that cannot run, or goes on after every
 *		 task finished, diverges there; from that step on the
 *		 default scheduler picks (the task of the last step while it
 *		 can run, else the lowest-numbered runnable one, as DFS
 *		 first does).  explore_stats says which and where.  Without
 *		 it either is an error
 * @trace:	 record a trace_step for every step (replay)
 * @traced:	 with @trace, called after each step (the epilogue's too) with
 *		 the model's state as the step left it: @i is the step's index
 *		 in the trace, @s its entry (its @obj filled in); NULL for none.
 *		 The model's window on a traced replay: never called without @trace
 * @traced_arg:	 its first argument
 * @timeout:	 wall-time budget in seconds (0: none); the result is then not
 *		 complete
 * @stop_at_witness: tell the model it may stop once its verdict is settled
 *		 (the model's finish() decides; the result is then not complete)
 * @progress:	 called about every @progress_every seconds while exploring,
 *		 and once with p->done when it ends if it was called before; NULL
 *		 for none
 * @progress_arg: its first argument
 * @progress_every: seconds between two @progress calls
 * @cache:	 dfs with REDUCTION_NONE and no bound: sleep sets and a table of
 *		 visited states (the model's state() hook); an execution that
 *		 reaches a state explored already is cut there (explore/cache.c)
 */
struct explore_opts {
	enum explore_strategy strategy;
	enum explore_reduction reduction;
	int bound;
	u64 runs;
	u64 seed;
	int pct_depth;
	u64 max_execs;
	u32 max_steps;
	const char *replay;
	bool replay_complete;
	bool trace;
	void (*traced)(void *arg, u32 i, const struct trace_step *s);
	void *traced_arg;
	u32 timeout;
	bool stop_at_witness;
	void (*progress)(void *arg, const struct explore_progress *p);
	void *progress_arg;
	double progress_every;
	bool cache;
};

void explore_opts_default(struct explore_opts *o);

/**
 * struct trace_step - one step of a traced execution
 * @pid:   task that took it
 * @fn:    kernel function the step began in
 * @note:  what the task was doing (its litmus statement), may be NULL
 * @obj:   first object of its footprint, may be NULL
 * @comm:  label of the task (its comm: "disk", "epilogue"), may be NULL
 */
struct trace_step {
	u8 pid;
	const char *fn;
	const char *note;
	const void *obj;
	const char *comm;
};

/**
 * struct exec_info - one finished execution, handed to the model
 * @nr_steps:	steps taken
 * @schedule:	pid of each step (nr_steps entries)
 * @trace:	when opts.trace, one entry per step, then one per step of the
 *		epilogue and of the daemons stepped while it waited; else NULL
 * @nr_trace:	entries in @trace
 * @deadlock:	no task could run and some were asleep
 * @epilogue_err: the epilogue explore_model.ended named: 0 when it ran to
 *		its end (or there was none), -EDEADLK when it went to sleep with
 *		nobody to wake it, -EAGAIN when it could not be started
 *
 * An execution cut off at opts.max_steps is not handed to the model: it did
 * not end, so it has no outcome (explore_stats.cut counts it).
 */
struct exec_info {
	u32 nr_steps;
	const u8 *schedule;
	const struct trace_step *trace;
	u32 nr_trace;
	bool deadlock;
	int epilogue_err;
};

/**
 * struct explore_epilogue - a task the explorer runs alone once an execution's tasks end
 * @fn:   its entry point; NULL for none
 * @arg:  its argument
 * @comm: its label in traces
 *
 * While it waits, runnable daemons (kthread_run_idle(): the device
 * completing its I/O) are stepped, lowest pid first; its steps and theirs
 * are traced after the execution's.  They are not scheduling decisions:
 * explore_stats.steps does not count them.
 */
struct explore_epilogue {
	int (*fn)(void *arg);
	void *arg;
	const char *comm;
};

/**
 * struct explore_model - what is explored, e.g. one litmus test under one policy
 * @priv:   the model's own data
 * @setup:  reset the world and kthread_run() the tasks; called before each
 *	    execution with the arena and flags already reset. Return: 0 or -errno
 * @ended:  NULL, or called when the tasks of an execution that ran to its
 *	    end have ended, before finish(): may read the state they left, and
 *	    sets @epi (zeroed) to the epilogue to run, or leaves it for none
 * @finish: called after each execution that ran to its end (including
 *	    deadlock; not sleep-set-blocked ones, not ones cut off at the step
 *	    limit), after its epilogue: record the outcome.
 *	    Return: true to stop exploring.
 * @state:  NULL, or for opts.cache: at a scheduling decision, hash the whole
 *	    state the rest of the execution depends on (what every task will
 *	    do, every shared value, every flag the outcome reads) into @hash.
 *	    @last_step[p] is 1 + the index of task p's last step in this
 *	    execution (kernel_steps_taken() during it), 0 before its first.
 *	    Return: false when the state cannot be cached here (a task in the
 *	    middle of something the hash does not hold)
 * @local:  NULL, or for opts.cache: the tasks whose next step touches
 *	    nothing shared (a thread's start, running only its own register
 *	    code up to its first scheduling point), @last_step as for
 *	    @state.  The explorer takes the lowest such step without
 *	    branching (it commutes with every other step); one that leaves a
 *	    footprint fails the exploration
 */
struct explore_model {
	void *priv;
	int (*setup)(void *priv);
	void (*ended)(void *priv, struct explore_epilogue *epi);
	bool (*finish)(void *priv, const struct exec_info *info);
	bool (*state)(void *priv, const u32 *last_step, u64 hash[2]);
	u32 (*local)(void *priv, const u32 *last_step);
};

/**
 * struct explore_stats - what an exploration did
 * @executions:	executions run to their end (handed to finish()) or cut off
 *		at the step limit
 * @cut:	of those, executions cut off at opts.max_steps (not handed to
 *		finish(): they have no outcome)
 * @redundant:	executions abandoned because every runnable task slept (DPOR)
 * @steps:	scheduling decisions made, in all executions
 * @max_depth:	longest execution, in steps
 * @complete:	every execution class was covered to its end: dfs, nothing
 *		pruned, cut, capped or stopped
 * @bounded:	some execution class was not covered because of a bound: any
 *		of @pruned, @capped, @cut, @timed_out
 * @pruned:	the preemption bound pruned a branch
 * @capped:	stopped by opts.max_execs
 * @timed_out:	stopped by opts.timeout
 * @interrupted: stopped by explore_interrupt()
 * @stopped:	the model's finish() asked to stop (with opts.stop_at_witness:
 *		its verdict was settled)
 * @replay_followed: EXPLORE_REPLAY with opts.replay_complete: steps taken
 *		as the string says; the default scheduler chose the rest
 * @replay_completed: the string ended while tasks could still run
 * @replay_diverged: the string could not be followed at step
 *		@replay_followed (a task that cannot run, or every task done)
 * @replay_why:	why it diverged: "P1 cannot run: it sleeps in lock_page",
 *		"P1 has ended", "every task had finished"
 * @caching:	opts.cache was in force: the counts are of paths, each cut at
 *		a visited state or run to its end, not of executions
 * @cached:	paths cut at a state visited already (opts.cache), not counted
 *		in @executions
 * @states:	states stored in the cache table
 * @seconds:	wall time
 * @error:	why explore_run() failed, one line; empty when it did not
 */
struct explore_stats {
	u64 executions;
	u64 cut;
	u64 redundant;
	u64 steps;
	u32 max_depth;
	bool complete;
	bool bounded;
	bool pruned;
	bool capped;
	bool timed_out;
	bool interrupted;
	bool stopped;
	u32 replay_followed;
	bool replay_completed;
	bool replay_diverged;
	char replay_why[EXPLORE_DESCRIBE_MAX];
	bool caching;
	u64 cached;
	u64 states;
	double seconds;
	char error[EXPLORE_ERROR_MAX];
};

/**
 * explore_run() - explore @m's executions as @o says
 *
 * Switches to the sim back end.  Return: 0, -EINVAL for a replay string that
 * does not fit the test, or a negative errno from @m->setup; @st->error says
 * why.
 */
int explore_run(const struct explore_model *m, const struct explore_opts *o,
		struct explore_stats *st);

/**
 * explore_interrupt() - ask the running (or next) explore_run() to stop
 *
 * Async-signal-safe: it only sets a sig_atomic_t flag, which the explorer
 * checks between executions and every few thousand steps.  The stopped
 * exploration returns 0 with @interrupted set, and so does every later one.
 */
void explore_interrupt(void);

/**
 * replay_format() - the replay string of a schedule: "0x3,1,0x2" = 0 0 0 1 0 0
 * Return: characters written (excluding NUL), or -ENOSPC.
 */
int replay_format(const u8 *sched, u32 n, char *buf, size_t len);

/**
 * replay_parse() - read a replay string into @sched (at most @max steps)
 * Return: 0 or -EINVAL.
 */
int replay_parse(const char *s, u8 *sched, u32 max, u32 *n);

/**
 * explore_describe() - the Explored line's text
 * @o:   the options explored with
 * @st:  what the exploration did
 * @buf: where to write it, EXPLORE_DESCRIBE_MAX bytes suffice
 * @len: its size
 *
 * "complete"; "interrupted"; "witness" (stopped by the model under
 * stop_at_witness), "stopped" (by the model otherwise); "bounded" followed by
 * each bound that cut something, in this order: "preemptions<=K",
 * "executions<=N", "steps<=N", "time<=Ss"; "random seed=S" and "pct seed=S
 * depth=D", and "replay", each followed by "steps<=N" and "time<=Ss" when
 * those cut something.
 */
void explore_describe(const struct explore_opts *o, const struct explore_stats *st,
		      char *buf, size_t len);

#endif /* PINLAB_EXPLORE_H */
