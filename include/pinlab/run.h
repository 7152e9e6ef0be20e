/* run.h - running one litmus test under one policy and the result the reports print. */
#ifndef PINLAB_RUN_H
#define PINLAB_RUN_H

#include <pinlab/bug.h>
#include <pinlab/cost.h>
#include <pinlab/explore.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>

/**
 * struct outcome - one distinct final state
 * @vals:  value of each location of test->locs (test->nr_locs entries);
 *	   flags are 0 or 1, pages may be LT_VAL_TORN or LT_VAL_EIO
 * @count: executions that ended in it
 * @holds: the condition's proposition is true in it
 * @witness: replay string of the first execution that ended in it
 */
struct outcome {
	s64 *vals;
	u64 count;
	bool holds;
	char *witness;
};

#define LT_OBJ_MAX	40	/* a step's object name, NUL included */
#define LT_STATE_MAX	160	/* the page states a step changed, NUL included */
#define LT_CHANGES_MAX	4	/* pages of one step whose new state is kept as numbers */
#define LT_EVENTS_MAX	480	/* the events and statements inside one step, NUL included */

/**
 * struct lt_page_change - a page whose state a traced step changed
 * @file: its file (index in litmus_test.files)
 * @page: its index in the file
 * @st:   its state after the step
 */
struct lt_page_change {
	int file;
	int page;
	struct mm_page_state st;
};

/**
 * struct lt_step_detail - what the traced replay saw of one step, beside its trace_step
 * @obj:   the name of the first object of its footprint ("A:0 PG_dirty",
 *	   "i_lock A", "x"); "" when the model has no name for it
 * @state: each page of the test whose state the step changed, with its new
 *	   state: "A:0 PG_dirty bufs refs=2 pins=1 pte=rw"; pages joined by
 *	   "; "; "" when none changed
 * @nr_changes: entries in @changes (the first LT_CHANGES_MAX pages of @state)
 * @changes: the same pages' states as numbers, for counter tracks
 * @events: what happened inside the step, in order, one per line ('\n'
 *	    between them): the model's decisive events ("buffers freed A:0",
 *	    "A:0 refs 3->2", "page freed A:0") and, as "> TEXT", each
 *	    statement the step's task ran into without a scheduling point
 *	    (put_page(r0), a register assignment); "" when none
 * @note:   the statement of the last "> " line of @events (the pointer a
 *	    later step of the task has as its trace_step note while it goes
 *	    on with it), NULL when @events has none
 */
struct lt_step_detail {
	char obj[LT_OBJ_MAX];
	char state[LT_STATE_MAX];
	char events[LT_EVENTS_MAX];
	int nr_changes;
	struct lt_page_change changes[LT_CHANGES_MAX];
	const char *note;
};

/**
 * struct lt_result - what exploring one test under one policy found
 * @test:        the test
 * @policy:      the policy
 * @outcomes:    distinct final states, sorted by @vals (lexicographic)
 * @nr_outcomes: entries in @outcomes
 * @positive:    executions in which the proposition held
 * @negative:    executions in which it did not
 * @filtered:    executions the test's filter removed (counted in neither)
 * @validated:   the quantifier holds: exists: positive > 0; ~exists:
 *		 positive == 0; forall: negative == 0 (herd7's Ok / No)
 * @verdict:     Never (positive == 0), Always (negative == 0), else Sometimes
 * @stats:       what the explorer did
 * @explored:    the Explored line's kind: "complete", "bounded preemptions<=2",
 *		 "bounded executions<=N", "random seed=S", "pct seed=S depth=D",
 *		 "replay"
 * @witness:     replay string of the first execution in which the proposition
 *		 held (exists, ~exists) or failed (forall); NULL when none
 * @replayed:    with opts.strategy EXPLORE_REPLAY: the schedule the one
 *		 execution took (the replay string as completed or diverged),
 *		 traced under LT_RUN_TRACE whether or not it is a witness
 * @trace:       with want_trace and a witness (or @replayed): its steps
 * @nr_trace:    entries in @trace
 * @detail:      with @trace: one entry per step of it, or NULL (a result
 *		 built by hand)
 * @mark:        index in @trace of the step where the condition became true
 *		 (the last step that wrote a location it reads), -1 if unknown
 * @flags:       with want_trace: the flags the witness raised, with reasons
 * @cost:        what the design did, summed over the exploration's executions
 */
struct lt_result {
	const struct litmus_test *test;
	const struct policy *policy;
	struct outcome *outcomes;
	int nr_outcomes;
	u64 positive;
	u64 negative;
	u64 filtered;
	bool validated;
	enum lt_verdict verdict;
	struct explore_stats stats;
	char explored[96];
	char *witness;
	char *replayed;
	struct trace_step *trace;
	u32 nr_trace;
	struct lt_step_detail *detail;
	int mark;
	struct flag_report flags;
	struct mm_cost cost;
};

#define LT_RUN_TRACE	BIT(0)	/* replay the witness with tracing into @r->trace */
#define LT_RUN_SIMPLEST	BIT(1)	/* replace the witness by one with fewest preemptions */

/**
 * litmus_run() - explore @t under @p as @o says
 * @flags: LT_RUN_TRACE, LT_RUN_SIMPLEST (true is LT_RUN_TRACE)
 *
 * Return: 0, or a negative errno with a one-line reason in @r->stats.error.
 */
int litmus_run(const struct litmus_test *t, const struct policy *p,
	       const struct explore_opts *o, unsigned int flags, struct lt_result *r);

/**
 * litmus_check_modelled() - can the model run @t at all?
 * @err: set to a located one-line reason when it cannot
 * @len: size of @err
 *
 * The parser accepts every filesystem of the language, because `pinlab
 * kernel` runs them all; a filesystem the model has no profile for is
 * refused here (every one of version 1 has one since fs/xfs.c).
 * Return: 0, or -EOPNOTSUPP with @err set.
 */
int litmus_check_modelled(const struct litmus_test *t, char *err, size_t len);

/**
 * lt_result_conclude() - sort @r's outcomes; set its verdict and validation
 *
 * From the counts and outcomes already in @r, as litmus_run() ends a run;
 * `pinlab kernel` ends its iterations the same way.
 */
void lt_result_conclude(struct lt_result *r);

bool lt_cond_holds(const struct litmus_test *t, const s64 *vals);

bool lt_filter_holds(const struct litmus_test *t, const s64 *vals);

void lt_result_free(struct lt_result *r);

void lt_format_loc(const struct litmus_test *t, const struct lt_operand *loc,
		   char *buf, size_t len);

void lt_format_value(const struct lt_operand *loc, s64 v, char *buf, size_t len);

#endif /* PINLAB_RUN_H */
