/* state.c - the litmus world's state as a 128-bit hash, for the explorer's state cache (opts.cache). */
#include <string.h>
#include <pinlab/bug.h>
#include <pinlab/sim.h>
#include "interp.h"

/* Two 64-bit hashes of one sequence of words, with their own seeds and constants. */
struct state_hash {
	u64 a;	/* the first hash */
	u64 b;	/* the second */
};

/* The finalizer of MurmurHash3: every input bit flips each output bit with probability 1/2. */
static u64 fmix64(u64 k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

static void hash_word(struct state_hash *h, u64 w)
{
	h->a = fmix64(h->a ^ (w * 0x9e3779b97f4a7c15ull));
	h->b = fmix64((h->b + w) * 0xbf58476d1ce4e5b9ull + 0x94d049bb133111ebull);
}

static bool block_cacheable(const struct lt_block *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		if (s->kind == LS_OP && !(s->op->flags & LT_OP_PURE))
			return false;
		if (s->kind == LS_IF && (!block_cacheable(&s->then) || !block_cacheable(&s->els)))
			return false;
	}
	return true;
}

/**
 * lt_test_cacheable() - can lt_world_state() hold every state of @t?
 * @t: the test
 *
 * Only a test without files that calls only LT_OP_PURE operations: its
 * state is its variables, mutexes, registers, flags and the threads'
 * positions.  The kernel model's world (pages, files, the disk) is not
 * hashed: it is large, and caching would not pay there.
 * Return: true when it can
 */
bool lt_test_cacheable(const struct litmus_test *t)
{
	int i;

	if (t->nr_files)
		return false;
	for (i = 0; i < t->nr_threads; i++)
		if (!block_cacheable(&t->threads[i].body))
			return false;
	return true;
}

static bool expr_reads_var(const struct lt_expr *e)
{
	if (!e)
		return false;
	return e->kind == LX_VAR || expr_reads_var(e->l) || expr_reads_var(e->r);
}

/*
 * What a thread's first step does in @b: 1 when it reaches a scheduling
 * point before any shared access (or ends) doing only register work, 0
 * when it may touch something shared or the statement is not known to
 * (an if, an operation but mutex_lock), -1 when @b ends first.
 */
static int block_starts_local(const struct lt_block *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		switch (s->kind) {
		case LS_ASSIGN_REG:
			if (expr_reads_var(s->expr))
				return 1;
			break;
		case LS_ASSIGN_VAR:
			return 1;	/* a read of the value, or the write: a scheduling point first */
		case LS_OP:
			return !strcmp(s->op->name, "mutex_lock");	/* sim_lock_wait() first */
		default:
			return 0;
		}
	}
	return -1;
}

/**
 * lt_world_local() - the threads whose next step, their start, touches nothing shared
 * @w:         the world of the current execution (lt_test_cacheable())
 * @last_step: per pid, 1 + the index of its last step, 0 before its first
 *
 * Context: explore_model.local, between two steps.
 * Return: bit i for each such thread i that has not taken a step
 */
u32 lt_world_local(const struct lt_world *w, const u32 *last_step)
{
	u32 local = 0;
	int i;

	for (i = 0; i < w->test->nr_threads; i++)
		if (!last_step[i] && block_starts_local(&w->test->threads[i].body))
			local |= BIT(i);
	return local;
}

/* The registers of thread @i that the test's locations read, as bits. */
static u32 loc_regs(const struct litmus_test *t, int i)
{
	u32 regs = 0;
	int l;

	for (l = 0; l < t->nr_locs; l++)
		if (t->locs[l].kind == LO_REG && t->locs[l].thread == i)
			regs |= BIT(t->locs[l].reg);
	return regs;
}

/*
 * Where thread @i is, as one word: 0 before its first step, 1 once it has
 * ended, else its statement (which, without loops, also fixes the ifs it
 * is in and what follows); false when it is inside a statement.
 */
static bool task_position(const struct lt_world *w, int i, const u32 *last_step, u64 *pos)
{
	const struct lt_task *t = &w->tasks[i];
	const struct task_struct *k = sim_task(i);

	if (k->state == TASK_DEAD) {
		*pos = 1;
		return true;
	}
	if (k->state == TASK_BLOCKED || last_step[i] != t->stmt_step)
		return false;
	*pos = t->stmt ? (u64)(uintptr_t)t->stmt : 0;
	return true;
}

/**
 * lt_world_state() - hash the state of @w, if every thread is at a statement boundary
 * @w:         the world of the current execution (lt_test_cacheable())
 * @last_step: per pid, 1 + the index of its last step, 0 before its first
 * @hash:      set to the state's 128-bit hash
 *
 * A thread is at a boundary when it has taken no step since the one that
 * began its current statement: it is parked at that statement's first
 * scheduling point, having done nothing yet but read its own registers.
 * Then the rest of the execution depends only on what is hashed: each
 * thread's position and registers (of an ended thread, only those the
 * test's locations read: no step reads the others again), every variable's
 * value, every mutex's owner and the flags raised.  Thread i is task i.
 *
 * Context: explore_model.state, between two steps.
 * Return: false when some thread is inside a statement
 */
bool lt_world_state(const struct lt_world *w, const u32 *last_step, u64 hash[2])
{
	const struct litmus_test *t = w->test;
	struct state_hash h = { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull };
	int i, r;
	u64 pos;

	for (i = 0; i < t->nr_threads; i++) {
		u32 regs = t->threads[i].regs_set;

		if (!task_position(w, i, last_step, &pos))
			return false;
		hash_word(&h, pos);
		if (pos == 1)
			regs &= loc_regs(t, i);
		for (r = 0; r < LT_NR_REGS; r++)
			if (regs & BIT(r))
				hash_word(&h, (u64)w->tasks[i].regs[r]);
	}
	for (i = 0; i < t->nr_vars; i++) {
		const struct task_struct *owner = t->vars[i].is_mutex ? w->mutexes[i].owner : NULL;

		hash_word(&h, (u64)w->vars[i]);
		hash_word(&h, owner ? (u64)owner->pid + 1 : 0);
	}
	hash_word(&h, flags_get()->mask);
	hash[0] = h.a;
	hash[1] = h.b;
	return true;
}
