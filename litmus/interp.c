/* interp.c - runs a litmus thread's statements as a model task. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/filelock.h>
#include <pinlab/tracepoint.h>
#include "interp.h"

/**
 * lt_var_read() - a shared variable read: one step
 */
s64 lt_var_read(struct lt_world *w, int var)
{
	__sched_point(&w->vars[var], KACC_READ, "READ_ONCE");
	return w->vars[var];
}

/**
 * lt_var_write() - a shared variable write: one step
 */
void lt_var_write(struct lt_world *w, int var, s64 v)
{
	__sched_point(&w->vars[var], KACC_WRITE, "WRITE_ONCE");
	w->vars[var] = v;
	w->var_step[var] = kernel_steps_taken();
}

static bool lt_truth(struct lt_task *t, const struct lt_expr *e);

/* Integer arithmetic wraps, as the kernel builds with -fno-strict-overflow. */
static s64 lt_eval(struct lt_task *t, const struct lt_expr *e)
{
	switch (e->kind) {
	case LX_INT:
		return e->value;
	case LX_REG:
		return t->regs[e->index];
	case LX_VAR:
		return lt_var_read(t->w, e->index);
	case LX_ADD:
		return (s64)((u64)lt_eval(t, e->l) + (u64)lt_eval(t, e->r));
	case LX_SUB:
		return (s64)((u64)lt_eval(t, e->l) - (u64)lt_eval(t, e->r));
	case LX_NEG:
		return (s64)(0 - (u64)lt_eval(t, e->l));
	default:
		return lt_truth(t, e);
	}
}

static bool lt_compare(struct lt_task *t, const struct lt_expr *e)
{
	s64 a = lt_eval(t, e->l), b = lt_eval(t, e->r);

	switch (e->kind) {
	case LX_EQ:
		return a == b;
	case LX_NE:
		return a != b;
	case LX_LT:
		return a < b;
	case LX_LE:
		return a <= b;
	case LX_GT:
		return a > b;
	default:
		return a >= b;
	}
}

/* Conditions short-circuit: a shared variable not read is no step. */
static bool lt_truth(struct lt_task *t, const struct lt_expr *e)
{
	switch (e->kind) {
	case LX_AND:
		return lt_truth(t, e->l) && lt_truth(t, e->r);
	case LX_OR:
		return lt_truth(t, e->l) || lt_truth(t, e->r);
	case LX_NOT:
		return !lt_truth(t, e->l);
	case LX_EQ:
	case LX_NE:
	case LX_LT:
	case LX_LE:
	case LX_GT:
	case LX_GE:
		return lt_compare(t, e);
	default:
		return lt_eval(t, e) != 0;
	}
}

static void lt_set_reg(struct lt_task *t, int reg, s64 v)
{
	t->regs[reg] = v;
	t->reg_step[reg] = kernel_steps_taken();
}

static void lt_exec_op(struct lt_task *t, const struct lt_stmt *s)
{
	s64 argv[LT_MAX_ARGS];
	s64 v;
	int i;

	for (i = 0; i < s->nargs; i++)
		argv[i] = s->args[i].expr ? lt_eval(t, s->args[i].expr) :
					    s->args[i].value;
	t->ret_handle = NULL;
	v = s->op->fn(t, argv);
	if (s->reg < 0)
		return;
	lt_set_reg(t, s->reg, v);
	if (s->op->flags & LT_OP_HANDLE)
		t->handle[s->reg] = t->ret_handle;
}

static void lt_exec_block(struct lt_task *t, const struct lt_block *b);

static void lt_exec_stmt(struct lt_task *t, const struct lt_stmt *s)
{
	t->stmt = s;
	t->stmt_step = kernel_steps_taken();
	current->note = s->text;
	trace_stmt();
	switch (s->kind) {
	case LS_OP:
		lt_exec_op(t, s);
		break;
	case LS_ASSIGN_REG:
		lt_set_reg(t, s->reg, lt_eval(t, s->expr));
		break;
	case LS_ASSIGN_VAR:
		lt_var_write(t->w, s->var, lt_eval(t, s->expr));
		break;
	case LS_IF:
		if (lt_truth(t, s->expr))
			lt_exec_block(t, &s->then);
		else
			lt_exec_block(t, &s->els);
		break;
	}
}

static void lt_exec_block(struct lt_task *t, const struct lt_block *b)
{
	int i;

	for (i = 0; i < b->n; i++)
		lt_exec_stmt(t, &b->v[i]);
}

static int lt_thread_fn(void *arg)
{
	struct lt_task *t = arg;

	lt_exec_block(t, &t->thr->body);
	current->note = NULL;
	trace_stmt();
	/* The thread's files close as it exits: its layout leases go. */
	if (t->w->model)
		locks_remove_task(t->w->model, t->thr->id);
	return 0;
}

/**
 * lt_world_create() - a fresh world in the execution arena.
 *
 * Return: NULL if full
 */
struct lt_world *lt_world_create(const struct litmus_test *t)
{
	struct lt_world *w = arena_alloc(&exec_arena, sizeof(*w));
	int i;

	/* Every thread gets a task, and the epilogue one more. */
	BUILD_BUG_ON(LT_NR_THREADS + 1 > NR_TASKS_MAX);
	BUILD_BUG_ON(LT_NR_THREADS > ARRAY_SIZE(w->tasks));
	/* rN is bit N of lt_thread.regs_set and .handles. */
	BUILD_BUG_ON(LT_NR_REGS > 8 * sizeof(((struct lt_thread *)0)->regs_set));
	if (!w)
		return NULL;
	w->test = t;
	w->vars = arena_alloc(&exec_arena, (t->nr_vars + 1) * sizeof(*w->vars));
	w->var_step = arena_alloc(&exec_arena, (t->nr_vars + 1) * sizeof(*w->var_step));
	w->mutexes = arena_alloc(&exec_arena, (t->nr_vars + 1) * sizeof(*w->mutexes));
	if (!w->vars || !w->var_step || !w->mutexes)
		return NULL;
	for (i = 0; i < t->nr_vars; i++) {
		w->vars[i] = t->vars[i].init;
		if (t->vars[i].is_mutex)
			mutex_init(&w->mutexes[i]);
	}
	for (i = 0; i < t->nr_threads; i++) {
		w->tasks[i].w = w;
		w->tasks[i].thr = &t->threads[i];
	}
	return w;
}

/**
 * lt_world_start() - kthread_run() one task per thread.
 *
 * Return: 0 or -EAGAIN
 */
int lt_world_start(struct lt_world *w)
{
	int i;

	for (i = 0; i < w->test->nr_threads; i++) {
		const struct lt_thread *thr = &w->test->threads[i];

		if (!kthread_run(lt_thread_fn, &w->tasks[i], thr->label))
			return -EAGAIN;
	}
	return 0;
}
