/* kernel-thread.c - a litmus thread on a pthread: the interpreter, random delays, start, join. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pinlab/bug.h>

#include "kernel.h"

#define SPIN_MAX_NS		50000	/* shorter delays spin, longer ones sleep */

/* ---- the interpreter ---- */

static s64 eval(struct kthread *th, const struct lt_expr *e)
{
	switch (e->kind) {
	case LX_INT:
		return e->value;
	case LX_REG:
		return th->regs[e->index];
	case LX_VAR:
		return atomic_load(&th->it->vars[e->index]);
	case LX_ADD:	/* wraps, as the model's lt_eval() does */
		return (s64)((u64)eval(th, e->l) + (u64)eval(th, e->r));
	case LX_SUB:
		return (s64)((u64)eval(th, e->l) - (u64)eval(th, e->r));
	case LX_NEG:
		return (s64)-(u64)eval(th, e->l);
	case LX_EQ:
		return eval(th, e->l) == eval(th, e->r);
	case LX_NE:
		return eval(th, e->l) != eval(th, e->r);
	case LX_LT:
		return eval(th, e->l) < eval(th, e->r);
	case LX_LE:
		return eval(th, e->l) <= eval(th, e->r);
	case LX_GT:
		return eval(th, e->l) > eval(th, e->r);
	case LX_GE:
		return eval(th, e->l) >= eval(th, e->r);
	case LX_AND:
		return eval(th, e->l) && eval(th, e->r);
	case LX_OR:
		return eval(th, e->l) || eval(th, e->r);
	case LX_NOT:
		return !eval(th, e->l);
	}
	return 0;
}

/**
 * kclock_ns() - the time on CLOCK_MONOTONIC
 *
 * Return: nanoseconds since an arbitrary start.
 */
u64 kclock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A delay drawn log-uniformly from [0, @max): as many in 0..1 us as in
 * 1..2 ms, so that both a plain store and an fsync can be overtaken.
 */
static long delay_ns(unsigned int *rnd, long max)
{
	int bits = 0, e;
	long base;

	while (bits < 62 && (1L << (bits + 1)) <= max)
		bits++;
	e = rand_r(rnd) % (bits + 1);
	base = 1L << e;
	return min_t(long, max - 1, base - 1 + rand_r(rnd) % base);
}

/* A random delay before a statement: spinning when short, else sleeping. */
static void delay(struct kthread *th)
{
	long max = th->it->max_delay_ns, ns;
	struct timespec ts;
	u64 end;

	if (max <= 0)
		return;
	ns = delay_ns(&th->rnd, max);
	if (ns > SPIN_MAX_NS) {
		ts.tv_sec = ns / 1000000000L;
		ts.tv_nsec = ns % 1000000000L;
		nanosleep(&ts, NULL);
		return;
	}
	end = kclock_ns() + (u64)ns;
	while (kclock_ns() < end)
		;
}

static void exec_op(struct kthread *th, const struct lt_stmt *st)
{
	s64 argv[LT_MAX_ARGS];
	s64 v;
	int i;

	for (i = 0; i < st->nargs && i < LT_MAX_ARGS; i++)
		argv[i] = st->args[i].expr ? eval(th, st->args[i].expr) :
						    st->args[i].value;
	v = kops_call(th, st, argv);
	if (st->reg >= 0)
		th->regs[st->reg] = v;
}

static void exec_block(struct kthread *th, const struct lt_block *b)
{
	const struct lt_stmt *st;
	int i;

	for (i = 0; i < b->n; i++) {
		if (kernel_stop || atomic_load(&th->it->unmapped))
			return;
		st = &b->v[i];
		delay(th);
		switch (st->kind) {
		case LS_OP:
			exec_op(th, st);
			break;
		case LS_ASSIGN_REG:
			th->regs[st->reg] = eval(th, st->expr);
			break;
		case LS_ASSIGN_VAR:
			atomic_store(&th->it->vars[st->var], eval(th, st->expr));
			break;
		case LS_IF:
			exec_block(th, eval(th, st->expr) ? &st->then : &st->els);
			break;
		}
	}
}

static void *thread_main(void *arg)
{
	struct kthread *th = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_mutex_lock(&th->it->go_lock);
	while (!th->it->go)
		pthread_cond_wait(&th->it->go_cond, &th->it->go_lock);
	pthread_mutex_unlock(&th->it->go_lock);
	exec_block(th, &th->thr->body);
	return NULL;
}

/* Let the threads go: all at once, or (@fail) to find the iteration abandoned. */
static void iter_go(struct kiter *it, bool fail)
{
	if (fail)
		kops_unmapped(it, "pthread_create: %s", strerror(EAGAIN));
	pthread_mutex_lock(&it->go_lock);
	it->go = true;
	pthread_cond_broadcast(&it->go_cond);
	pthread_mutex_unlock(&it->go_lock);
}

/**
 * kthreads_run() - create every thread of @it, start them together, wait for all
 * @it: the iteration, set up
 *
 * A thread that cannot be created abandons the iteration: those created
 * find it unmapped and stop at once.
 * Return: 0 or -errno from pthread_create().
 */
int kthreads_run(struct kiter *it)
{
	int i, n = it->t->nr_threads, started = 0, ret = 0;

	it->go = false;
	for (i = 0; i < n && !ret; i++) {
		ret = -pthread_create(&it->thr[i].tid, NULL, thread_main, &it->thr[i]);
		if (!ret)
			started++;
	}
	iter_go(it, ret != 0);
	for (i = 0; i < started; i++)
		pthread_join(it->thr[i].tid, NULL);
	return ret;
}
