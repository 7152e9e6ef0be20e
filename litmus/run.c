/* run.c - explores one litmus test under one policy and gathers its outcomes, witness and trace. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/bio.h>
#include <pinlab/fs.h>
#include <pinlab/run.h>
#include <pinlab/sim.h>
#include <pinlab/tracepoint.h>
#include <pinlab/world.h>
#include "interp.h"
#include "trace-events.h"

/**
 * struct lt_runner - the explore_model of one litmus_run()
 * @t:        the test
 * @r:        the result being filled
 * @cost:     the cost counters every execution's world bumps (mm_config.cost)
 * @w:        the world of the current execution
 * @vals:     scratch outcome of the current execution
 * @cap:      entries allocated in r->outcomes
 * @tracing:  this is the witness's traced replay
 * @stop:     stop once the verdict is Sometimes (opts.stop_at_witness)
 * @replaying: the exploration is one replay (EXPLORE_REPLAY): keep its schedule
 * @seeking:  looking for a simplest witness (fewest preemptions, then steps)
 * @found:    the replay string of the witness that search found
 * @found_steps: its steps
 * @seek_after: executions the search ran since it found one
 * @detail:   the traced replay: what it saw of each step so far
 * @cap_detail: entries allocated in @detail
 * @pstates:  the traced replay: the state of every page of the test's files
 *	      after the last step (file f, page i at f * MM_PAGES_MAX + i)
 * @events:   the traced replay: the model's events since the last step
 * @err:      an allocation failed while recording
 */
struct lt_runner {
	const struct litmus_test *t;
	struct lt_result *r;
	struct mm_cost cost;
	struct lt_world *w;
	s64 *vals;
	int cap;
	bool tracing;
	bool stop;
	bool replaying;
	bool seeking;
	char *found;
	u32 found_steps;
	u32 seek_after;
	struct lt_step_detail *detail;
	u32 cap_detail;
	struct mm_page_state *pstates;
	struct lt_evlog *events;
	int err;
};

static const struct fs_profile *lt_fs_profile(enum lt_fs fs)
{
	switch (fs) {
	case LT_FS_EXT4:
		return &ext4_profile;
	case LT_FS_BTRFS:
		return &btrfs_profile;
	case LT_FS_XFS:
		return &xfs_profile;
	case LT_FS_TMPFS:
		return &tmpfs_profile;
	default:
		return NULL;
	}
}

/* The kernel model's world for a test that declares files. */
static int lt_model_create(struct lt_runner *run)
{
	const struct litmus_test *t = run->t;
	struct mm_config cfg = {
		.fs = lt_fs_profile(t->fs),
		.dif = t->dev == LT_DEV_DIF,
		.dax = t->dax,
		.sectors = t->sectors,
		.nr_files = t->nr_files,
		.nr_tasks = t->nr_threads,
		.policy = run->r->policy,
		.cost = &run->cost,
	};
	int f;

	/* The parser's limits (litmus.h) must fit what the model holds. */
	BUILD_BUG_ON(LT_MAX_FILES > ARRAY_SIZE(cfg.names));
	BUILD_BUG_ON(LT_MAX_PAGES > MM_PAGES_MAX);
	BUILD_BUG_ON(LT_MAX_SECTORS > PAGE_SECTORS_MAX);
	BUILD_BUG_ON(LT_NR_THREADS > ARRAY_SIZE(((struct mm_world *)0)->mm));
	/* The disk starts with one block per page of every file. */
	BUILD_BUG_ON(LT_MAX_FILES * LT_MAX_PAGES > MM_BLOCKS_MAX);
	for (f = 0; f < t->nr_files; f++) {
		cfg.names[f] = t->files[f].name;
		cfg.nr_pages[f] = t->files[f].nr_pages;
		cfg.init[f] = t->files[f].init;
	}
	run->w->model = mm_world_create(&cfg);
	return run->w->model ? 0 : -ENOMEM;
}

/* Step detail @d: page @f:@i changed to @st. */
static void detail_add_change(struct lt_runner *run, struct lt_step_detail *d, int f, int i,
			      const struct mm_page_state *st)
{
	size_t used = strlen(d->state), len = sizeof(d->state);
	char one[64];

	if (d->nr_changes < LT_CHANGES_MAX)
		d->changes[d->nr_changes++] = (struct lt_page_change){ f, i, *st };
	if (used >= len - 1)
		return;
	mm_page_state_format(st, one, sizeof(one));
	snprintf(d->state + used, len - used, "%s%s:%d %s", used ? "; " : "",
		 run->t->files[f].name, i, one);
}

/*
 * The traced replay: take a new snapshot of the test's pages, and note in
 * @d (when not NULL) each page whose state differs from the last one.
 */
static void pstates_changed(struct lt_runner *run, struct lt_step_detail *d)
{
	struct mm_page_state st, *old;
	int f, i;

	for (f = 0; f < run->t->nr_files; f++) {
		for (i = 0; i < MM_PAGES_MAX; i++) {
			old = &run->pstates[f * MM_PAGES_MAX + i];
			mm_page_state(run->w->model, f, i, &st);
			if (!memcmp(&st, old, sizeof(st)))
				continue;
			*old = st;
			if (d)
				detail_add_change(run, d, f, i, &st);
		}
	}
}

/* The traced replay: the name of @obj, a litmus variable or a model object. */
static void obj_name(struct lt_runner *run, const void *obj, char *buf, size_t len)
{
	const struct lt_world *w = run->w;
	int v;

	buf[0] = '\0';
	for (v = 0; obj && v < run->t->nr_vars; v++) {
		if (obj == &w->vars[v] || obj == &w->mutexes[v]) {
			snprintf(buf, len, "%s", run->t->vars[v].name);
			return;
		}
	}
	if (w->model)
		mm_obj_name(w->model, obj, buf, len);
}

/* explore_model.traced: name step @i's object and note the page states it changed. */
static void lt_traced(void *priv, u32 i, const struct trace_step *s)
{
	struct lt_runner *run = priv;
	struct lt_step_detail *d;

	if (run->err || !run->pstates)
		return;
	if (i >= run->cap_detail) {
		u32 cap = max_t(u32, 2 * run->cap_detail, 256);

		d = realloc(run->detail, cap * sizeof(*d));
		if (!d) {
			run->err = -ENOMEM;
			return;
		}
		run->detail = d;
		run->cap_detail = cap;
	}
	d = &run->detail[i];
	lt_evlog_step(run->events, s->note, d);
	obj_name(run, s->obj, d->obj, sizeof(d->obj));
	d->state[0] = '\0';
	d->nr_changes = 0;
	if (run->w->model)
		pstates_changed(run, d);
}

/* tracepoint_sink during the traced replay: the events of a task's step, its objects named. */
static void lt_mm_event(void *priv, const struct tracepoint_event *ev)
{
	struct lt_runner *run = priv;
	char name[LT_OBJ_MAX];

	if (!current)
		return;	/* the world being set up: no step yet */
	name[0] = '\0';
	if (ev->obj)
		obj_name(run, ev->obj, name, sizeof(name));
	lt_evlog_add(run->events, ev, name, current->note);
}

static int lt_setup(void *priv)
{
	struct lt_runner *run = priv;
	struct mm_world *mw;
	int err;

	run->w = lt_world_create(run->t);
	if (!run->w)
		return -ENOMEM;
	if (run->t->nr_files) {
		err = lt_model_create(run);
		if (err)
			return err;
	}
	if (run->pstates)
		pstates_changed(run, NULL);
	err = lt_world_start(run->w);
	mw = run->w->model;
	if (err || !mw || !mw->fs->has_disk)
		return err;
	/* The disk's device task, after the threads: their pids are their numbers. */
	return blk_mq_init_queue(mw);
}

static int lt_epilogue(void *arg)
{
	mm_epilogue(arg);
	return 0;
}

/* @o's page state (LO_PSTATE), read when the threads have ended. */
static s64 pstate_value(struct lt_runner *run, const struct lt_operand *o)
{
	struct mm_page_state st;

	mm_page_state(run->w->model, o->file, o->page, &st);
	switch (o->pstate) {
	case LT_PS_DIRTY:
		return st.dirty;
	case LT_PS_WRITEBACK:
		return st.writeback;
	case LT_PS_PINS:
		return st.pins;
	case LT_PS_REFS:
		return st.refs;
	case LT_PS_BUFFERS:
		return st.buffers;
	default:
		return 0;
	}
}

/* @o's sector (LO_SECTOR) as read back after the epilogue: a value or eio. */
static s64 sector_value(struct lt_runner *run, const struct lt_operand *o)
{
	s64 v;

	if (mm_readback_sector(run->w->model, o->file, o->page, o->sector, &v))
		return LT_VAL_EIO;
	return v;
}

static s64 loc_value(struct lt_runner *run, const struct lt_operand *o)
{
	const struct lt_world *w = run->w;

	switch (o->kind) {
	case LO_SECTOR:
		return sector_value(run, o);
	case LO_REG:
		return w->tasks[o->thread].regs[o->reg];
	case LO_VAR:
		return w->vars[o->var];
	case LO_FLAG:
		return !!(flags_get()->mask & BIT(o->flag));
	case LO_PAGE:
		return mm_readback(w->model, o->file, o->page);
	case LO_SIZE:
		return mm_file_size(w->model, o->file);
	default:
		return 0;
	}
}

/* The step (plus one) that last wrote location @o, 0 if none. */
static u32 loc_step(struct lt_runner *run, const struct lt_operand *o)
{
	const struct lt_world *w = run->w;
	const struct flag_report *f = flags_get();

	switch (o->kind) {
	case LO_REG:
		return w->tasks[o->thread].reg_step[o->reg];
	case LO_VAR:
		return w->var_step[o->var];
	case LO_FLAG:
		return (f->mask & BIT(o->flag)) ? f->step[o->flag] + 1 : 0;
	default:
		return 0;
	}
}

static struct outcome *outcome_find(struct lt_runner *run, const s64 *vals)
{
	struct lt_result *r = run->r;
	size_t sz = run->t->nr_locs * sizeof(s64);
	int i;

	for (i = 0; i < r->nr_outcomes; i++)
		if (!memcmp(r->outcomes[i].vals, vals, sz))
			return &r->outcomes[i];
	if (r->nr_outcomes == run->cap) {
		int cap = run->cap ? run->cap * 2 : 16;
		struct outcome *o = realloc(r->outcomes, cap * sizeof(*o));

		if (!o)
			return NULL;
		r->outcomes = o;
		run->cap = cap;
	}
	r->outcomes[r->nr_outcomes].vals = malloc(sz ? sz : 1);
	if (!r->outcomes[r->nr_outcomes].vals)
		return NULL;
	memcpy(r->outcomes[r->nr_outcomes].vals, vals, sz);
	r->outcomes[r->nr_outcomes].count = 0;
	r->outcomes[r->nr_outcomes].witness = NULL;
	r->outcomes[r->nr_outcomes].holds = lt_cond_holds(run->t, vals);
	return &r->outcomes[r->nr_outcomes++];
}

static bool is_witness(const struct litmus_test *t, bool holds)
{
	return t->quant == LQ_FORALL ? !holds : holds;
}

/* The replay string of @info's schedule, or NULL without memory. */
static char *schedule_string(const struct exec_info *info)
{
	size_t len = (size_t)info->nr_steps * 8 + 16;
	char *buf = malloc(len);

	if (buf && replay_format(info->schedule, info->nr_steps, buf, len) < 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

static void record_witness(struct lt_runner *run, const struct exec_info *info)
{
	run->r->witness = schedule_string(info);
	if (!run->r->witness)
		run->err = -ENOMEM;
}

/* The traced replay: keep the steps (the epilogue's too), the flags and the step to mark. */
static void record_trace(struct lt_runner *run, const struct exec_info *info)
{
	const struct trace_step *tr = info->trace;
	struct lt_result *r = run->r;
	u32 n = info->nr_trace, mark = 0;
	int i;

	r->trace = malloc((n ? n : 1) * sizeof(*tr));
	if (!r->trace) {
		run->err = -ENOMEM;
		return;
	}
	memcpy(r->trace, tr, n * sizeof(*tr));
	r->nr_trace = n;
	if (n && run->detail && run->cap_detail >= n) {
		r->detail = run->detail;
		run->detail = NULL;
		run->cap_detail = 0;
	}
	r->flags = *flags_get();
	r->mark = -1;
	if (!lt_filter_holds(run->t, run->vals) ||
	    !is_witness(run->t, lt_cond_holds(run->t, run->vals)))
		return;	/* a replayed execution that is no witness: nothing to mark */
	for (i = 0; i < run->t->nr_locs; i++)
		mark = max_t(u32, mark, loc_step(run, &run->t->locs[i]));
	r->mark = mark ? (int)mark - 1 : -1;
}

/**
 * lt_ended() - the threads have ended: their page states, then the epilogue
 * @priv: the runner
 * @epi:  set to the epilogue when the test has files: sync, check pins,
 *        drop caches, as docs/litmus.md's epilogue says
 *
 * Context: explore_model.ended, before the epilogue; lt_collect() reads
 * the other locations after it.
 */
static void lt_ended(void *priv, struct explore_epilogue *epi)
{
	struct lt_runner *run = priv;
	const struct litmus_test *t = run->t;
	int i;

	for (i = 0; i < t->nr_locs; i++)
		if (t->locs[i].kind == LO_PSTATE)
			run->vals[i] = pstate_value(run, &t->locs[i]);
	if (run->w->model)
		*epi = (struct explore_epilogue){ lt_epilogue, run->w->model, "epilogue" };
}

/*
 * The values of the current execution's locations but its page states
 * (lt_ended() read those), as the epilogue left them.
 */
static void lt_collect(struct lt_runner *run, const struct exec_info *info)
{
	const struct litmus_test *t = run->t;
	int i;

	if (info->epilogue_err == -EDEADLK)
		flag_raise(PLF_DEADLOCK, "the epilogue waits on a lock a stuck thread holds");
	for (i = 0; i < t->nr_locs; i++)
		if (t->locs[i].kind != LO_PSTATE)
			run->vals[i] = loc_value(run, &t->locs[i]);
}

/*
 * Does the current execution count?  One the filter removes is only
 * counted; in one it keeps, the locations only the filter reads are
 * cleared, so that they do not split outcomes they are not printed in.
 */
static bool lt_keep(struct lt_runner *run)
{
	const struct litmus_test *t = run->t;
	int i;

	if (!lt_filter_holds(t, run->vals))
		return false;
	for (i = 0; i < t->nr_locs; i++)
		if (t->locs[i].hidden)
			run->vals[i] = 0;
	return true;
}

#define LT_SIMPLEST_MORE	2000	/* executions a simplest-witness search goes on for a shorter one */

/*
 * Seeking a simpler witness at the current preemption bound: keep the
 * shortest witness among the first one and the LT_SIMPLEST_MORE
 * executions after it, then stop.
 */
static bool lt_seek_finish(struct lt_runner *run, const struct exec_info *info)
{
	char *s;

	if (run->found && ++run->seek_after > LT_SIMPLEST_MORE)
		return true;
	if (!lt_filter_holds(run->t, run->vals) ||
	    !is_witness(run->t, lt_cond_holds(run->t, run->vals)))
		return false;
	if (run->found && info->nr_steps >= run->found_steps)
		return false;
	s = schedule_string(info);
	if (!s) {
		run->err = -ENOMEM;
		return true;
	}
	free(run->found);
	run->found = s;
	run->found_steps = info->nr_steps;
	return false;
}

static bool lt_finish(void *priv, const struct exec_info *info)
{
	struct lt_runner *run = priv;
	struct outcome *o;

	lt_collect(run, info);
	if (run->tracing) {
		record_trace(run, info);
		return true;
	}
	if (run->seeking)
		return lt_seek_finish(run, info);
	if (run->replaying && !run->r->replayed) {
		run->r->replayed = schedule_string(info);
		if (!run->r->replayed)
			run->err = -ENOMEM;
	}
	if (!lt_keep(run)) {
		run->r->filtered++;
		return run->err != 0;
	}
	o = outcome_find(run, run->vals);
	if (!o) {
		run->err = -ENOMEM;
		return true;
	}
	if (!o->count++) {
		o->witness = schedule_string(info);
		if (!o->witness)
			run->err = -ENOMEM;
	}
	if (o->holds)
		run->r->positive++;
	else
		run->r->negative++;
	if (!run->r->witness && is_witness(run->t, o->holds))
		record_witness(run, info);
	/* Sometimes, once seen, is what every further execution leaves it. */
	if (run->stop && run->r->positive && run->r->negative)
		return true;
	return run->err != 0;
}

/* explore_model.state: the world's hash, when every thread is at a statement boundary. */
static bool lt_state(void *priv, const u32 *last_step, u64 hash[2])
{
	struct lt_runner *run = priv;

	return lt_world_state(run->w, last_step, hash);
}

/* explore_model.local: the threads whose start touches nothing shared. */
static u32 lt_local(void *priv, const u32 *last_step)
{
	struct lt_runner *run = priv;

	return lt_world_local(run->w, last_step);
}

/* What the explorer runs: @run's world, its epilogue, its outcomes, its state for the cache. */
static struct explore_model lt_model(struct lt_runner *run)
{
	return (struct explore_model){
		.priv = run,
		.setup = lt_setup,
		.ended = lt_ended,
		.finish = lt_finish,
		.state = lt_test_cacheable(run->t) ? lt_state : NULL,
		.local = lt_test_cacheable(run->t) ? lt_local : NULL,
	};
}

static int nr_locs_cmp;

static int outcome_cmp(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;
	int i;

	for (i = 0; i < nr_locs_cmp; i++) {
		if (x->vals[i] != y->vals[i])
			return x->vals[i] < y->vals[i] ? -1 : 1;
	}
	return 0;
}

void lt_result_conclude(struct lt_result *r)
{
	const struct litmus_test *t = r->test;

	nr_locs_cmp = t->nr_locs;
	if (r->nr_outcomes)	/* none when every execution was cut */
		qsort(r->outcomes, r->nr_outcomes, sizeof(*r->outcomes), outcome_cmp);
	if (!r->positive)
		r->verdict = LV_NEVER;
	else if (!r->negative)
		r->verdict = LV_ALWAYS;
	else
		r->verdict = LV_SOMETIMES;
	switch (t->quant) {
	case LQ_EXISTS:
		r->validated = r->positive > 0;
		break;
	case LQ_NOT_EXISTS:
		r->validated = r->positive == 0;
		break;
	case LQ_FORALL:
		r->validated = r->negative == 0;
		break;
	}
}

static void lt_conclude(const struct explore_opts *o, struct lt_result *r)
{
	lt_result_conclude(r);
	explore_describe(o, &r->stats, r->explored, sizeof(r->explored));
}

/* A second exploration of the test: its failure is the run's, and @r->stats.error says why. */
static int lt_explore_again(struct lt_runner *run, const struct explore_opts *o,
			    struct explore_stats *st)
{
	struct explore_model m = lt_model(run);
	int err = explore_run(&m, o, st);

	if (err)
		memcpy(run->r->stats.error, st->error, sizeof(st->error));
	return err;
}

static int lt_trace_witness(struct lt_runner *run, const struct explore_opts *o)
{
	struct explore_opts ro = *o;
	struct explore_stats st;
	int err;

	ro.strategy = EXPLORE_REPLAY;
	ro.replay = run->r->witness ? run->r->witness : run->r->replayed;
	ro.replay_complete = false;	/* the schedule an execution took: exact */
	ro.trace = true;
	ro.traced = lt_traced;
	ro.traced_arg = run;
	run->pstates = calloc(run->t->nr_files * MM_PAGES_MAX + 1, sizeof(*run->pstates));
	run->events = calloc(1, sizeof(*run->events));
	if (!run->pstates || !run->events) {
		err = -ENOMEM;
		goto out;
	}
	run->tracing = true;
	tracepoint_sink = (struct tracepoint_sink){ lt_mm_event, run };
	err = lt_explore_again(run, &ro, &st);
	tracepoint_sink = (struct tracepoint_sink){ NULL, NULL };
	run->tracing = false;
out:
	free(run->pstates);
	free(run->events);
	free(run->detail);
	run->pstates = NULL;
	run->events = NULL;
	run->detail = NULL;
	run->cap_detail = 0;
	return err ? err : run->err;
}

/*
 * The simplest witness, CHESS-style: a preemption-bounded search with bound
 * 0, 1, ... up to LT_SIMPLEST_BOUND, stopped at the first bound that has a
 * witness, so the one kept has the fewest preemptions any witness has; at
 * that bound, the fewest steps among its first witness and the
 * LT_SIMPLEST_MORE executions after it.  The searches share a budget of
 * LT_SIMPLEST_EXECS executions, so that a witness deep in preemptions
 * (the philosophers' deadlock needs one per philosopher but one) costs at
 * most that on top of the exploration; if none finds one within it, the
 * witness of the full exploration stays.  The full run's counts are not
 * touched.
 */
#define LT_SIMPLEST_BOUND	8
#define LT_SIMPLEST_EXECS	100000

static int lt_simplest_witness(struct lt_runner *run, const struct explore_opts *o)
{
	struct explore_opts so = *o;
	struct explore_stats st;
	u64 left = LT_SIMPLEST_EXECS;
	int b, err = 0;

	so.stop_at_witness = false;
	so.cache = false;	/* a bound: the cache is not sound with one */
	so.progress = NULL;
	run->seeking = true;
	run->seek_after = 0;
	for (b = 0; b <= LT_SIMPLEST_BOUND && !err && !run->found && left; b++) {
		so.bound = b;
		so.max_execs = left;
		err = lt_explore_again(run, &so, &st);
		if (!err)
			err = run->err;
		if (st.interrupted)
			break;
		left -= min_t(u64, left, st.executions + st.cut);
	}
	run->seeking = false;
	if (!err && run->found) {
		free(run->r->witness);
		run->r->witness = run->found;
	} else {
		free(run->found);
	}
	run->found = NULL;
	return err;
}

/* The first call of operation @name in @b (or a nested block), or NULL. */
static const struct lt_stmt *block_find_op(const struct lt_block *b, const char *name)
{
	const struct lt_stmt *s, *in;
	int i;

	for (i = 0; i < b->n; i++) {
		s = &b->v[i];
		if (s->kind == LS_OP && !strcmp(s->op->name, name))
			return s;
		if (s->kind != LS_IF)
			continue;
		in = block_find_op(&s->then, name);
		if (!in)
			in = block_find_op(&s->els, name);
		if (in)
			return in;
	}
	return NULL;
}

/*
 * What the model cannot run yet, refused before any output rather than run
 * as something else: a filesystem without a profile, and a reflink of DAX
 * files (xfs shares DAX blocks since 6.0, through dax_remap_file_range_prep();
 * the model's remap knows only page cache files).
 */
int litmus_check_modelled(const struct litmus_test *t, char *err, size_t len)
{
	const struct lt_stmt *s = NULL;
	int i;

	if (t->nr_files && !lt_fs_profile(t->fs)) {
		snprintf(err, len, "%s:%d:%d: error: filesystem profile '%s' is not modelled yet",
			 t->path, (int)t->fs_loc.line, (int)t->fs_loc.col,
			 t->fs == LT_FS_XFS ? "xfs" : "?");
		return -EOPNOTSUPP;
	}
	for (i = 0; t->dax && i < t->nr_threads && !s; i++)
		s = block_find_op(&t->threads[i].body, "reflink");
	if (!s)
		return 0;
	snprintf(err, len, "%s:%u:%u: error: reflink of DAX files (dax = on) is not modelled yet",
		 t->path, s->loc.line, s->loc.col);
	return -EOPNOTSUPP;
}

int litmus_run(const struct litmus_test *t, const struct policy *p,
	       const struct explore_opts *o, unsigned int flags, struct lt_result *r)
{
	struct lt_runner run = { .t = t, .r = r, .stop = o->stop_at_witness,
				 .replaying = o->strategy == EXPLORE_REPLAY };
	struct explore_model m = lt_model(&run);
	int err;

	memset(r, 0, sizeof(*r));
	r->test = t;
	r->policy = p;
	r->mark = -1;
	err = litmus_check_modelled(t, r->stats.error, sizeof(r->stats.error));
	if (err)
		return err;
	run.vals = calloc(t->nr_locs + 1, sizeof(s64));
	if (!run.vals)
		return -ENOMEM;
	err = explore_run(&m, o, &r->stats);
	r->cost = run.cost;
	if (!err)
		err = run.err;
	if (!err) {
		lt_conclude(o, r);
		if ((flags & LT_RUN_SIMPLEST) && r->witness && o->strategy == EXPLORE_DFS &&
		    !r->stats.interrupted)
			err = lt_simplest_witness(&run, o);
		if (!err && (flags & LT_RUN_TRACE) && (r->witness || r->replayed))
			err = lt_trace_witness(&run, o);
	}
	free(run.vals);
	return err;
}

/**
 * lt_result_free() - free what litmus_run() allocated in @r
 */
void lt_result_free(struct lt_result *r)
{
	int i;

	for (i = 0; i < r->nr_outcomes; i++) {
		free(r->outcomes[i].vals);
		free(r->outcomes[i].witness);
	}
	free(r->outcomes);
	free(r->witness);
	free(r->replayed);
	free(r->trace);
	free(r->detail);
	r->detail = NULL;
	r->outcomes = NULL;
	r->witness = NULL;
	r->replayed = NULL;
	r->trace = NULL;
	r->nr_outcomes = 0;
}
