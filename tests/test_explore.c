/* test_explore.c - the explorer against plain DFS on generated programs, and its bounds and replay. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pinlab/arena.h>
#include <pinlab/atomic.h>
#include <pinlab/bug.h>
#include <pinlab/explore.h>
#include "../explore/internal.h"
#include <pinlab/mm.h>
#include <pinlab/mutex.h>
#include <pinlab/rwsem.h>
#include <pinlab/sim.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>

#define MAX_T	4
#define MAX_OPS	6
#define MAX_V	3
#define MAX_ROWS 8192	/* outcomes one program may have; more fails the test */
#define ROW_LEN	(MAX_T * MAX_OPS + 3 * MAX_V + 1)

/*
 * A generated program: each task runs a few operations on shared variables
 * (read into its log, write a constant, increment as a read and a write),
 * on atomics (an add nobody sees, an add whose result is logged, a
 * cmpxchg, a read), on reference counts (get, get unless zero, put and
 * test, which sees only whether the count is positive), and on locks (two
 * mutexes, a spinlock, a page lock and a reader/writer semaphore, taken
 * around other operations, possibly nested in either order, and a trylock
 * that logs whether it got the lock), and on a wait queue (wait until a
 * variable is set; set it and wake up).  The outcome of an execution is the
 * log, the final values and whether it deadlocked; DPOR must find exactly
 * the outcomes plain DFS finds.
 */
enum gen_kind {
	G_READ, G_WRITE, G_INC,			/* plain variables */
	G_ADD, G_ADD_RETURN, G_CMPXCHG, G_AREAD,	/* atomics */
	G_REF_GET, G_REF_TRYGET, G_REF_PUT, G_REF_TEST,	/* reference counts */
	G_TRYLOCK,				/* trylock, write, unlock */
	G_WAIT, G_SIGNAL,			/* wait queue */
	G_NR_SIMPLE,				/* kinds gen_random() picks freely */
	G_LOCK = G_NR_SIMPLE, G_UNLOCK,		/* placed in pairs */
};

#define NR_LOCKS	6	/* 0 and 1 are mutexes, 2 a spinlock, 3 a page lock,
				   4 and 5 one rw_semaphore taken for write and for read */
#define NR_TRYLOCKS	4	/* the locks with a trylock */

/**
 * struct gen_op - one operation of a generated task
 * @kind: enum gen_kind
 * @var:  variable or atomic index; for G_LOCK, G_UNLOCK, G_TRYLOCK the lock
 * @val:  constant written or added
 */
struct gen_op {
	enum gen_kind kind;
	int var;
	int val;
};

/**
 * struct gen_prog - a generated program
 * @nr_tasks: tasks
 * @nr_ops:   operations per task
 * @ops:      the operations
 * @nr_vars:  variables (and atomics) used
 */
struct gen_prog {
	int nr_tasks;
	int nr_ops[MAX_T];
	struct gen_op ops[MAX_T][MAX_OPS];
	int nr_vars;
};

/**
 * struct gen_world - the state one execution of a program runs on
 * @p:     the program
 * @vars:  plain variables
 * @atoms: atomics
 * @refs:  reference counts, starting at 1
 * @owners: what each task holds of each of @refs, for the footprints
 * @log:   per task and operation, what it saw
 * @mutex: locks 0 and 1
 * @spin:  lock 2
 * @page:  lock 3, its PG_locked
 * @rwsem: locks 4 (down_write) and 5 (down_read)
 * @wq:    the wait queue of G_WAIT and G_SIGNAL
 * @tasks: the tasks' arguments and where they are (not hashed by
 *	   gen_state(): everything before them is)
 */
struct gen_world {
	const struct gen_prog *p;
	long vars[MAX_V];
	atomic_t atoms[MAX_V];
	long refs[MAX_V];
	struct count_owners owners[MAX_V];
	long log[MAX_T][MAX_OPS];
	struct mutex mutex[2];
	spinlock_t spin;
	struct page page;
	struct rw_semaphore rwsem;
	struct wait_queue_head wq;
	struct gen_task {
		struct gen_world *w;	/* the world */
		int id;			/* task index */
		int op;			/* the operation it began last */
		u32 op_step;		/* kernel_steps_taken() when it began it */
	} tasks[MAX_T];
};

/**
 * struct outcome_set - the outcomes seen, as a set of rows
 * @n:        rows used
 * @overflow: an outcome did not fit
 * @v:        the rows: log, variables, atomics, deadlock
 */
struct outcome_set {
	int n;
	bool overflow;
	long v[MAX_ROWS][ROW_LEN];
};

struct gen_model {
	const struct gen_prog *p;
	struct gen_world *w;
	struct outcome_set *set;
	u64 deadlocks;
	u64 finished;
	bool spin;
};

static void gen_lock(struct gen_world *w, int l)
{
	if (l < 2)
		mutex_lock(&w->mutex[l]);
	else if (l == 2)
		spin_lock(&w->spin);
	else if (l == 3)
		lock_page(&w->page);
	else if (l == 4)
		down_write(&w->rwsem);
	else
		down_read(&w->rwsem);
}

static void gen_unlock(struct gen_world *w, int l)
{
	if (l < 2)
		mutex_unlock(&w->mutex[l]);
	else if (l == 2)
		spin_unlock(&w->spin);
	else if (l == 3)
		unlock_page(&w->page);
	else if (l == 4)
		up_write(&w->rwsem);
	else
		up_read(&w->rwsem);
}

static bool gen_trylock(struct gen_world *w, int l)
{
	if (l < 2)
		return mutex_trylock(&w->mutex[l]);
	return l == 2 ? spin_trylock(&w->spin) : trylock_page(&w->page);
}

/* Trylock @op->var; if taken, write variable 0 inside and unlock. Return: taken */
static long gen_try(struct gen_world *w, const struct gen_op *op)
{
	if (!gen_trylock(w, op->var))
		return 0;
	sched_point(&w->vars[0], KACC_WRITE);
	w->vars[0] = op->val;
	gen_unlock(w, op->var);
	return 1;
}

static bool gen_var_set(struct gen_world *w, int var)
{
	kobj_read(&w->vars[var]);
	return w->vars[var] != 0;
}

/* get_page(): add @op->val, as page_ref_add() records it. Return: 0 (nothing seen) */
static long gen_ref_get(struct gen_world *w, const struct gen_op *op)
{
	long old;

	sched_point(NULL, KACC_READ);
	old = w->refs[op->var];
	w->refs[op->var] = old + op->val;
	kobj_count_add(&w->refs[op->var], &w->owners[op->var], old, op->val);
	return 0;
}

/* get_page_unless_zero(), as find_get_page() records it. Return: whether it got one */
static long gen_ref_tryget(struct gen_world *w, const struct gen_op *op)
{
	long old;

	sched_point(NULL, KACC_READ);
	old = w->refs[op->var];
	kobj_count_test(&w->refs[op->var], old);
	if (old == 0)
		return 0;
	w->refs[op->var] = old + 1;
	kobj_count_add(&w->refs[op->var], &w->owners[op->var], old, 1);
	return 1;
}

/* put_page() of @op->val references, as page_ref_sub_and_test() records it. Return: reached 0 */
static long gen_ref_put(struct gen_world *w, const struct gen_op *op)
{
	long old;

	sched_point(NULL, KACC_READ);
	old = w->refs[op->var];
	w->refs[op->var] = old - op->val;
	kobj_count_sub(&w->refs[op->var], &w->owners[op->var], old, op->val);
	return w->refs[op->var] == 0;
}

/* Run one operation. Return: what goes into the log (0 when nothing is seen) */
static long gen_op_run(struct gen_world *w, const struct gen_op *op)
{
	/* Only atomics' indices stay below MAX_V: a lock's may not (NR_LOCKS). */
	atomic_t *a = op->kind >= G_ADD && op->kind <= G_AREAD ? &w->atoms[op->var] : NULL;
	long v;

	switch (op->kind) {
	case G_READ:
		sched_point(&w->vars[op->var], KACC_READ);
		return w->vars[op->var];
	case G_WRITE:
		sched_point(&w->vars[op->var], KACC_WRITE);
		w->vars[op->var] = op->val;
		return 0;
	case G_INC:
		sched_point(&w->vars[op->var], KACC_READ);
		v = w->vars[op->var];
		sched_point(&w->vars[op->var], KACC_WRITE);
		w->vars[op->var] = v + 1;
		return 0;
	case G_ADD:
		atomic_add(op->val, a);
		return 0;
	case G_ADD_RETURN:
		return atomic_add_return(op->val, a);
	case G_CMPXCHG:
		return atomic_cmpxchg(a, op->val - 1, op->val);
	case G_AREAD:
		return atomic_read(a);
	case G_REF_GET:
		return gen_ref_get(w, op);
	case G_REF_TRYGET:
		return gen_ref_tryget(w, op);
	case G_REF_PUT:
		return gen_ref_put(w, op);
	case G_REF_TEST:
		sched_point(NULL, KACC_READ);
		kobj_count_test(&w->refs[op->var], w->refs[op->var]);
		return w->refs[op->var] > 0;
	case G_TRYLOCK:
		return gen_try(w, op);
	case G_WAIT:
		wait_event(&w->wq, gen_var_set(w, op->var));
		return w->vars[op->var];
	case G_SIGNAL:
		sched_point(&w->vars[op->var], KACC_WRITE);
		w->vars[op->var] = op->val;
		wake_up(&w->wq);
		return 0;
	case G_LOCK:
		gen_lock(w, op->var);
		return 0;
	case G_UNLOCK:
		gen_unlock(w, op->var);
		return 0;
	}
	return 0;
}

static int gen_task(void *arg)
{
	struct gen_task *t = arg;
	struct gen_world *w = t->w;
	int i;

	for (i = 0; i < w->p->nr_ops[t->id]; i++) {
		t->op = i;
		t->op_step = kernel_steps_taken();
		w->log[t->id][i] = gen_op_run(w, &w->p->ops[t->id][i]);
	}
	return 0;
}

/* FNV-1a over @len bytes, from @h. */
static u64 fnv(u64 h, const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

/*
 * explore_model.state of a generated program: every task between two
 * operations (or not started, or ended), the world's bytes up to its tasks
 * (the arena zeroes padding; step numbers in them only split states).
 */
static bool gen_state(void *priv, const u32 *last_step, u64 hash[2])
{
	struct gen_model *m = priv;
	struct gen_world *w = m->w;
	long pos[MAX_T];
	int i;

	for (i = 0; i < m->p->nr_tasks; i++) {
		const struct task_struct *k = sim_task(i);

		if (k->state == TASK_DEAD)
			pos[i] = -1;
		else if (k->state == TASK_NEW)
			pos[i] = -2;
		else if (k->state == TASK_BLOCKED || last_step[i] != w->tasks[i].op_step)
			return false;
		else
			pos[i] = w->tasks[i].op;
	}
	hash[0] = fnv(fnv(0xcbf29ce484222325ull, pos, m->p->nr_tasks * sizeof(*pos)),
		      w, offsetof(struct gen_world, tasks));
	hash[1] = fnv(fnv(0x84222325cbf29ce4ull, w, offsetof(struct gen_world, tasks)),
		      pos, m->p->nr_tasks * sizeof(*pos));
	return true;
}

static int spin_task(void *arg)
{
	(void)arg;
	for (;;)
		sched_point(NULL, KACC_READ);
	return 0;
}

static int gen_setup(void *priv)
{
	struct gen_model *m = priv;
	int i;

	m->w = arena_alloc(&exec_arena, sizeof(*m->w));
	m->w->p = m->p;
	mutex_init(&m->w->mutex[0]);
	mutex_init(&m->w->mutex[1]);
	spin_lock_init(&m->w->spin);
	init_waitqueue_head(&m->w->page.wait);
	init_rwsem(&m->w->rwsem);
	init_waitqueue_head(&m->w->wq);
	for (i = 0; i < MAX_V; i++) {
		atomic_init_plain(&m->w->atoms[i], 0);
		m->w->refs[i] = 1;
	}
	if (m->spin)
		return kthread_run(spin_task, NULL, "spin") ? 0 : -EAGAIN;
	for (i = 0; i < m->p->nr_tasks; i++) {
		m->w->tasks[i].w = m->w;
		m->w->tasks[i].id = i;
		if (!kthread_run(gen_task, &m->w->tasks[i], "gen"))
			return -EAGAIN;
	}
	return 0;
}

static bool gen_finish(void *priv, const struct exec_info *info)
{
	struct gen_model *m = priv;
	long row[ROW_LEN];
	int i, t, k = 0;

	memset(row, 0, sizeof(row));
	for (t = 0; t < MAX_T; t++)
		for (i = 0; i < MAX_OPS; i++)
			row[k++] = m->w->log[t][i];
	for (i = 0; i < MAX_V; i++)
		row[k++] = m->w->vars[i];
	for (i = 0; i < MAX_V; i++)
		row[k++] = atomic_load(&m->w->atoms[i].counter);
	for (i = 0; i < MAX_V; i++)
		row[k++] = m->w->refs[i];
	row[k] = info->deadlock;
	m->deadlocks += info->deadlock;
	m->finished++;
	for (i = 0; i < m->set->n; i++)
		if (!memcmp(m->set->v[i], row, sizeof(row)))
			return false;
	if (m->set->n < MAX_ROWS)
		memcpy(m->set->v[m->set->n++], row, sizeof(row));
	else
		m->set->overflow = true;
	return false;
}

static int row_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(((struct outcome_set *)0)->v[0]));
}

/* As explore_prog_with(), at most @max_execs executions (0: no cap). */
static void explore_prog_capped(const struct gen_prog *p, enum explore_reduction red, int bound,
				bool cache, u64 max_execs, struct outcome_set *set,
				struct explore_stats *st)
{
	struct gen_model m = { .p = p, .set = set };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish,
				    .state = gen_state };
	struct explore_opts o;

	explore_opts_default(&o);
	o.reduction = red;
	o.bound = bound;
	o.cache = cache;
	o.max_execs = max_execs;
	set->n = 0;
	set->overflow = false;
	assert_int_equal(explore_run(&em, &o, st), 0);
	assert_false(set->overflow);
	qsort(set->v, set->n, sizeof(set->v[0]), row_cmp);
}

/* Explore @p with @red and @bound (-1: none), and the state cache when @cache. */
static void explore_prog_with(const struct gen_prog *p, enum explore_reduction red, int bound,
			      bool cache, struct outcome_set *set, struct explore_stats *st)
{
	explore_prog_capped(p, red, bound, cache, 0, set, st);
}

static void explore_prog(const struct gen_prog *p, enum explore_reduction red,
			 int bound, struct outcome_set *set, struct explore_stats *st)
{
	explore_prog_with(p, red, bound, false, set, st);
}

static u64 rng_state = 88172645463325252ull;

static int rnd(int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (int)(rng_state % (u64)n);
}

/* Put @l around ops[0, n) of @ops: lock first, unlock last. Return: the new count */
static int gen_wrap(struct gen_op *ops, int n, int l)
{
	memmove(&ops[1], &ops[0], n * sizeof(*ops));
	ops[0] = (struct gen_op){ G_LOCK, l, 0 };
	ops[n + 1] = (struct gen_op){ G_UNLOCK, l, 0 };
	return n + 2;
}

/*
 * A random program.  @mix 0: plain variables only; 1: and a mutex held by
 * a task from its first operation to its last; 2: every kind: atomics,
 * trylocks, a wait queue, and a mutex, the spinlock or the page lock around
 * a task's operations, sometimes a second lock nested inside.
 */
static void gen_random(struct gen_prog *p, int mix)
{
	int t, i, n, outer;

	memset(p, 0, sizeof(*p));
	p->nr_tasks = 2 + rnd(2);
	p->nr_vars = 1 + rnd(MAX_V);
	for (t = 0; t < p->nr_tasks; t++) {
		n = 1 + rnd(mix == 2 && p->nr_tasks == 3 ? 2 : 3);
		for (i = 0; i < n; i++) {
			struct gen_op *op = &p->ops[t][i];

			op->kind = rnd(mix == 2 ? G_NR_SIMPLE : G_ADD);
			op->var = rnd(op->kind == G_TRYLOCK ? NR_TRYLOCKS : p->nr_vars);
			op->val = 1 + rnd(3);
		}
		if (mix == 1 && n >= 2 && rnd(2)) {
			p->ops[t][0] = (struct gen_op){ G_LOCK, 0, 0 };
			p->ops[t][n - 1] = (struct gen_op){ G_UNLOCK, 0, 0 };
		} else if (mix == 2 && rnd(2)) {
			outer = rnd(NR_LOCKS);
			if (n <= 2 && !rnd(3))
				n = gen_wrap(p->ops[t], n, (outer + 1 + rnd(2)) % NR_LOCKS);
			n = gen_wrap(p->ops[t], n, outer);
		}
		p->nr_ops[t] = n;
	}
}

/* Print @p, for a mismatch to be reproduced by hand. */
static void gen_print(const struct gen_prog *p)
{
	static const char *const kind[] = {
		"read", "write", "inc", "add", "add_return", "cmpxchg", "aread",
		"ref_get", "ref_tryget", "ref_put", "ref_test", "trylock", "wait", "signal", "lock", "unlock",
	};
	int t, i;

	for (t = 0; t < p->nr_tasks; t++) {
		fprintf(stderr, "# P%d:", t);
		for (i = 0; i < p->nr_ops[t]; i++)
			fprintf(stderr, " %s(%d,%d)", kind[p->ops[t][i].kind],
				p->ops[t][i].var, p->ops[t][i].val);
		fprintf(stderr, "\n");
	}
}

/* @a and @b, two explorations' outcomes of @p, are the same set; else print @p and fail. */
static void assert_same_outcomes(const struct gen_prog *p, const struct outcome_set *a,
				 const struct outcome_set *b)
{
	if (a->n != b->n || memcmp(a->v, b->v, a->n * sizeof(a->v[0])))
		gen_print(p);
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->v, b->v, a->n * sizeof(a->v[0]));
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

/*
 * DPOR finds every outcome plain DFS finds, in fewer executions, on 100
 * programs of each mix.  For long offline runs PINLAB_GEN_COUNT sets how
 * many, PINLAB_GEN_SEED which, and PINLAB_GEN_MIXES (a bit mask) the mixes.
 */
static void test_dpor_matches_dfs(void **state)
{
	static struct outcome_set a, b;
	struct explore_stats sa, sb;
	u64 full[3] = { 0 }, reduced[3] = { 0 };
	int n, count = env_int("PINLAB_GEN_COUNT", 100), mix;
	int mixes = env_int("PINLAB_GEN_MIXES", 7);

	(void)state;
	if (env_int("PINLAB_GEN_SEED", 0))
		rng_state = (u64)env_int("PINLAB_GEN_SEED", 0) * 2654435761u;
	for (n = 0; n < 3 * count; n++) {
		struct gen_prog p;

		mix = n % 3;
		gen_random(&p, mix);
		if (!(mixes & BIT(mix)))
			continue;
		explore_prog(&p, REDUCTION_NONE, -1, &a, &sa);
		explore_prog(&p, REDUCTION_DPOR, -1, &b, &sb);
		assert_true(sa.complete);
		assert_true(sb.complete);
		assert_same_outcomes(&p, &a, &b);
		assert_true(sb.executions <= sa.executions);
		full[mix] += sa.executions;
		reduced[mix] += sb.executions;
	}
	for (mix = 0; mix < 3; mix++) {
		if (!(mixes & BIT(mix)))
			continue;
		fprintf(stderr, "# mix %d: %d programs, %llu executions plain, %llu DPOR\n",
			mix, count, (unsigned long long)full[mix],
			(unsigned long long)reduced[mix]);
		assert_true(reduced[mix] < full[mix] / 2);
	}
}

/*
 * The state cache (sleep sets, cut at visited states) finds exactly the
 * outcomes plain DFS finds, on 1000 programs of each mix (PINLAB_GEN_COUNT
 * and PINLAB_GEN_SEED as above) but those plain DFS needs more than
 * CACHE_TEST_EXECS executions for, and cuts some paths.
 */
#define CACHE_TEST_EXECS	20000
static void test_cache_matches_dfs(void **state)
{
	static struct outcome_set a, b;
	struct explore_stats sa, sb;
	u64 cached = 0, full = 0, paths = 0;
	int n, skipped = 0, count = env_int("PINLAB_GEN_COUNT", 1000);

	(void)state;
	if (env_int("PINLAB_GEN_SEED", 0))
		rng_state = (u64)env_int("PINLAB_GEN_SEED", 0) * 2654435761u;
	for (n = 0; n < 3 * count; n++) {
		struct gen_prog p;

		gen_random(&p, n % 3);
		explore_prog_capped(&p, REDUCTION_NONE, -1, false, CACHE_TEST_EXECS, &a, &sa);
		if (!sa.complete) {
			skipped++;
			continue;
		}
		explore_prog_with(&p, REDUCTION_NONE, -1, true, &b, &sb);
		assert_true(sb.complete);
		assert_true(sb.caching);
		assert_same_outcomes(&p, &a, &b);
		cached += sb.cached;
		full += sa.executions;
		paths += sb.executions + sb.cached;
	}
	fprintf(stderr, "# cache: %d programs (%d too big for plain DFS), %llu executions plain, "
		"%llu paths cached (%llu cut)\n", 3 * count - skipped, skipped,
		(unsigned long long)full, (unsigned long long)paths, (unsigned long long)cached);
	assert_true(skipped * 5 < 3 * count);	/* under a fifth */
	assert_true(cached > 0);
	assert_true(paths < full);
}

static void lost_update(struct gen_prog *p);

/* The cache refuses DPOR and a bound. */
static void test_cache_refuses(void **state)
{
	static struct outcome_set a;
	struct gen_model m = { .set = &a };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish,
				    .state = gen_state };
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p;

	(void)state;
	lost_update(&p);
	m.p = &p;
	explore_opts_default(&o);
	o.cache = true;
	assert_int_equal(explore_run(&em, &o, &st), -EINVAL);
	o.reduction = REDUCTION_NONE;
	o.bound = 1;
	assert_int_equal(explore_run(&em, &o, &st), -EINVAL);
}

/*
 * Counter tests commute with gets only while the count is positive: a get
 * that raises a count its task just dropped to zero is a write, or DPOR
 * would never run the test between the put and the get (it sees 0 there).
 * Gets, tests and puts of what a task got itself commute: one execution.
 * A put of references another task took is a write, or DPOR would never
 * run it before their get (the test between them sees -1).
 */
static void test_dpor_refcount(void **state)
{
	static struct outcome_set a, b;
	struct gen_prog p = { .nr_tasks = 2, .nr_vars = 1 };
	struct explore_stats sa, sb;

	(void)state;
	p.nr_ops[0] = 2;
	p.ops[0][0] = (struct gen_op){ G_REF_PUT, 0, 1 };
	p.ops[0][1] = (struct gen_op){ G_REF_GET, 0, 2 };
	p.nr_ops[1] = 1;
	p.ops[1][0] = (struct gen_op){ G_REF_TEST, 0, 0 };
	explore_prog(&p, REDUCTION_NONE, -1, &a, &sa);
	explore_prog(&p, REDUCTION_DPOR, -1, &b, &sb);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, a.n);
	assert_memory_equal(a.v, b.v, a.n * sizeof(a.v[0]));

	p.nr_tasks = 3;
	p.ops[0][0] = (struct gen_op){ G_REF_GET, 0, 1 };
	p.ops[0][1] = (struct gen_op){ G_REF_TRYGET, 0, 0 };
	p.ops[1][0] = (struct gen_op){ G_REF_TEST, 0, 0 };
	p.nr_ops[2] = 2;
	p.ops[2][0] = (struct gen_op){ G_REF_TRYGET, 0, 0 };
	p.ops[2][1] = (struct gen_op){ G_REF_GET, 0, 3 };
	explore_prog(&p, REDUCTION_DPOR, -1, &b, &sb);
	assert_int_equal(sb.executions, 1);
	assert_int_equal(b.n, 1);

	/* Dropping what one took itself commutes; dropping another's does not. */
	p.ops[0][1] = (struct gen_op){ G_REF_PUT, 0, 1 };
	p.ops[2][0] = (struct gen_op){ G_REF_GET, 0, 2 };
	p.ops[2][1] = (struct gen_op){ G_REF_PUT, 0, 2 };
	explore_prog(&p, REDUCTION_DPOR, -1, &b, &sb);
	assert_int_equal(sb.executions, 1);
	p.nr_ops[0] = 1;
	p.ops[0][0] = (struct gen_op){ G_REF_GET, 0, 2 };
	p.nr_ops[2] = 1;
	p.ops[2][0] = (struct gen_op){ G_REF_PUT, 0, 2 };
	explore_prog(&p, REDUCTION_NONE, -1, &a, &sa);
	explore_prog(&p, REDUCTION_DPOR, -1, &b, &sb);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, a.n);
	assert_memory_equal(a.v, b.v, a.n * sizeof(a.v[0]));
}

/* Tasks on disjoint objects: one execution suffices. */
static void test_dpor_independent(void **state)
{
	static struct outcome_set s;
	struct gen_prog p = { .nr_tasks = 3, .nr_vars = 3 };
	struct explore_stats st;
	int t;

	(void)state;
	for (t = 0; t < 3; t++) {
		p.nr_ops[t] = 2;
		p.ops[t][0] = (struct gen_op){ G_WRITE, t, 1 };
		p.ops[t][1] = (struct gen_op){ G_READ, t, 0 };
	}
	explore_prog(&p, REDUCTION_DPOR, -1, &s, &st);
	assert_int_equal(st.executions, 1);
	explore_prog(&p, REDUCTION_NONE, -1, &s, &st);
	assert_true(st.executions > 100);
}

/* Lost update: both results under DFS; only the serial one with no preemption. */
static void test_lost_update_and_bound(void **state)
{
	static struct outcome_set s;
	struct gen_prog p = { .nr_tasks = 2, .nr_vars = 1 };
	struct explore_stats st;

	(void)state;
	p.nr_ops[0] = p.nr_ops[1] = 1;
	p.ops[0][0] = p.ops[1][0] = (struct gen_op){ G_INC, 0, 0 };
	explore_prog(&p, REDUCTION_DPOR, -1, &s, &st);
	assert_int_equal(s.n, 2);
	explore_prog(&p, REDUCTION_NONE, 0, &s, &st);
	assert_int_equal(s.n, 1);
	assert_false(st.complete);
	assert_true(st.bounded);
	explore_prog(&p, REDUCTION_NONE, 1, &s, &st);
	assert_int_equal(s.n, 2);
}

/**
 * struct abba_seen - what the executions of a two-lock program ended in
 * @gen:       the generated program's model, whose finish() records outcomes
 * @deadlocks: executions reported as deadlocked (exec_info.deadlock)
 * @flagged:   of those, executions that also raised PLF_DEADLOCK
 * @abba:      of those, executions where each task waits for the lock the
 *	       other holds: P0 for mutex 1, P1 for mutex 0, nothing runnable
 * @clean:     executions that ended with both tasks done and no flag
 */
struct abba_seen {
	struct gen_model gen;
	u64 deadlocks;
	u64 flagged;
	u64 abba;
	u64 clean;
};

static bool abba_finish(void *priv, const struct exec_info *info)
{
	struct abba_seen *a = priv;
	struct gen_world *w = a->gen.w;
	bool flag = flags_get()->mask & BIT(PLF_DEADLOCK);

	if (!info->deadlock) {
		a->clean += !flag && !sim_blocked_mask();
		return gen_finish(&a->gen, info);
	}
	a->deadlocks++;
	a->flagged += flag;
	a->abba += sim_runnable_mask() == 0 &&
		   sim_blocked_mask() == (BIT(0) | BIT(1)) &&
		   sim_task(0)->wait_obj == &w->mutex[1] &&
		   sim_task(1)->wait_obj == &w->mutex[0];
	return gen_finish(&a->gen, info);
}

/*
 * Two tasks each take mutex @first[t], then mutex 1 - @first[t], and
 * release both.  Explored under @red to its end.
 */
static void explore_two_locks(const int first[2], enum explore_reduction red,
			      struct abba_seen *a)
{
	static struct outcome_set s;
	static struct gen_prog p;
	struct explore_model em = { .priv = a, .setup = gen_setup, .finish = abba_finish };
	struct explore_opts o;
	struct explore_stats st;
	int t;

	memset(&p, 0, sizeof(p));
	p.nr_tasks = 2;
	p.nr_vars = 1;
	for (t = 0; t < 2; t++) {
		p.nr_ops[t] = 4;
		p.ops[t][0] = (struct gen_op){ G_LOCK, first[t], 0 };
		p.ops[t][1] = (struct gen_op){ G_LOCK, 1 - first[t], 0 };
		p.ops[t][2] = (struct gen_op){ G_UNLOCK, 1 - first[t], 0 };
		p.ops[t][3] = (struct gen_op){ G_UNLOCK, first[t], 0 };
	}
	memset(a, 0, sizeof(*a));
	a->gen = (struct gen_model){ .p = &p, .set = &s };
	s.n = 0;
	explore_opts_default(&o);
	o.reduction = red;
	assert_int_equal(explore_run(&em, &o, &st), 0);
	assert_true(st.complete);
	assert_int_equal(a->gen.deadlocks, a->deadlocks);
}

/*
 * ABBA: P0 takes mutex 0 then 1, P1 takes 1 then 0.  The explorer must find
 * the interleaving where each holds its first and blocks on its second, and
 * report it as a deadlock (exec_info.deadlock and PLF_DEADLOCK), under DPOR
 * as under plain DFS; it must still find the serial orders, which finish.
 * Taking them in one order (both 0 then 1) never deadlocks.
 */
static void test_deadlock_found(void **state)
{
	static const int abba[2] = { 0, 1 }, ordered[2] = { 0, 0 };
	static const enum explore_reduction reds[] = { REDUCTION_DPOR, REDUCTION_NONE };
	struct abba_seen a;
	size_t r;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(reds); r++) {
		explore_two_locks(abba, reds[r], &a);
		assert_true(a.deadlocks > 0);
		assert_int_equal(a.flagged, a.deadlocks);
		assert_int_equal(a.abba, a.deadlocks);
		assert_true(a.clean > 0);

		explore_two_locks(ordered, reds[r], &a);
		assert_int_equal(a.deadlocks, 0);
		assert_true(a.clean > 0);
	}
}

/*
 * A task that never ends is cut off at the step limit: the execution has no
 * outcome (finish() is not called) and the exploration is not complete.
 */
static void test_livelock_cut(void **state)
{
	static struct outcome_set s;
	struct gen_model m = { .set = &s, .spin = true };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish };
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p = { 0 };

	(void)state;
	m.p = &p;
	explore_opts_default(&o);
	o.max_steps = 100;
	assert_int_equal(explore_run(&em, &o, &st), 0);
	assert_int_equal(m.finished, 0);
	assert_int_equal(st.cut, st.executions);
	assert_int_equal(st.executions, 1);
	assert_false(st.complete);
	assert_true(st.bounded);
	assert_int_equal(st.max_depth, 100);
}

static void test_replay_roundtrip(void **state)
{
	u8 s[] = { 0, 0, 0, 1, 0, 0, 2 }, back[16];
	char buf[64];
	u32 n;

	(void)state;
	assert_true(replay_format(s, sizeof(s), buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "0x3,1,0x2,2");
	assert_int_equal(replay_parse(buf, back, 16, &n), 0);
	assert_int_equal(n, sizeof(s));
	assert_memory_equal(back, s, sizeof(s));
	assert_int_equal(replay_parse("0x", back, 16, &n), -EINVAL);
	assert_int_equal(replay_parse("0,,1", back, 16, &n), -EINVAL);
	assert_int_equal(replay_parse("99", back, 16, &n), -EINVAL);
	assert_int_equal(replay_parse("0x20", back, 16, &n), -EINVAL);
	assert_int_equal(replay_format(s, sizeof(s), buf, 4), -ENOSPC);
}

/* A replayed schedule gives the outcome it gave when explored; a wrong one is refused. */
static void test_replay_reproduces(void **state)
{
	static struct outcome_set s;
	struct gen_prog p = { .nr_tasks = 2, .nr_vars = 1 };
	struct gen_model m = { .p = &p, .set = &s };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish };
	struct explore_opts o;
	struct explore_stats st;

	(void)state;
	p.nr_ops[0] = p.nr_ops[1] = 1;
	p.ops[0][0] = p.ops[1][0] = (struct gen_op){ G_INC, 0, 0 };
	explore_opts_default(&o);
	o.strategy = EXPLORE_REPLAY;
	/* Start both, both read, both write: the lost update, x == 1. */
	o.replay = "0,1,0,1,0,1";
	s.n = 0;
	assert_int_equal(explore_run(&em, &o, &st), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0][MAX_T * MAX_OPS], 1);
	o.replay = "0x3,1x3";
	s.n = 0;
	assert_int_equal(explore_run(&em, &o, &st), 0);
	assert_int_equal(s.v[0][MAX_T * MAX_OPS], 2);
	o.replay = "0x4";
	assert_int_equal(explore_run(&em, &o, &st), -EINVAL);
	assert_non_null(strstr(st.error, "step 3"));
	o.replay = "0x3";
	assert_int_equal(explore_run(&em, &o, &st), -EINVAL);
}

/* Random and PCT runs are reproducible from their seed and find the race. */
static void test_random_and_pct(void **state)
{
	static struct outcome_set s;
	struct gen_prog p = { .nr_tasks = 2, .nr_vars = 1 };
	struct gen_model m = { .p = &p, .set = &s };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish };
	struct explore_opts o;
	struct explore_stats st;
	int strat;

	(void)state;
	p.nr_ops[0] = p.nr_ops[1] = 1;
	p.ops[0][0] = p.ops[1][0] = (struct gen_op){ G_INC, 0, 0 };
	for (strat = EXPLORE_RANDOM; strat <= EXPLORE_PCT; strat++) {
		explore_opts_default(&o);
		o.strategy = strat;
		o.runs = 200;
		o.seed = 7;
		s.n = 0;
		assert_int_equal(explore_run(&em, &o, &st), 0);
		assert_int_equal(st.executions, 200);
		assert_false(st.complete);
		assert_int_equal(s.n, 2);
	}
}

/* ---- Sound verdicts (issue 7): cuts, bounds, stops and their descriptions ---- */

/* Explore @p with @o, returning explore_run()'s result. */
static int explore_with(const struct gen_prog *p, struct explore_opts *o,
			struct outcome_set *set, struct explore_stats *st)
{
	struct gen_model m = { .p = p, .set = set };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = gen_finish };

	set->n = 0;
	return explore_run(&em, o, st);
}

/* Lost update: two read-then-write tasks on x. */
static void lost_update(struct gen_prog *p)
{
	memset(p, 0, sizeof(*p));
	p->nr_tasks = 2;
	p->nr_vars = 1;
	p->nr_ops[0] = p->nr_ops[1] = 1;
	p->ops[0][0] = p->ops[1][0] = (struct gen_op){ G_INC, 0, 0 };
}

/* Executions cut at the step limit leave the run incomplete and unrecorded. */
static void test_cut_is_not_complete(void **state)
{
	static struct outcome_set s;
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p;
	char buf[EXPLORE_DESCRIBE_MAX];

	(void)state;
	lost_update(&p);
	explore_opts_default(&o);
	o.max_steps = 3;
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.cut > 0);
	assert_true(st.cut <= st.executions);
	assert_false(st.complete);
	assert_true(st.bounded);
	assert_true(st.max_depth <= 3);
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "bounded steps<=3");
	/* Enough steps: nothing cut, complete again. */
	o.max_steps = 100;
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_int_equal(st.cut, 0);
	assert_true(st.complete);
	assert_int_equal(s.n, 2);
}

/* Every bound that cut something is named, in a fixed order. */
static void test_describe_bounds(void **state)
{
	struct explore_opts o;
	struct explore_stats st = { .executions = 5 };
	char buf[EXPLORE_DESCRIBE_MAX];

	(void)state;
	explore_opts_default(&o);
	o.bound = 2;
	o.max_execs = 40;
	o.max_steps = 50;
	o.timeout = 7;
	st.pruned = st.bounded = true;
	st.cut = 1;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "bounded preemptions<=2 steps<=50");
	st.capped = st.timed_out = true;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "bounded preemptions<=2 executions<=40 steps<=50 time<=7s");
	st.interrupted = true;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "interrupted");
	st = (struct explore_stats){ .stopped = true };
	o.stop_at_witness = true;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "witness");
	st = (struct explore_stats){ .timed_out = true, .bounded = true };
	o.strategy = EXPLORE_RANDOM;
	o.seed = 9;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "random seed=9 time<=7s");
}

/* The longest description fits EXPLORE_DESCRIBE_MAX. */
static void test_describe_fits(void **state)
{
	struct explore_opts o;
	struct explore_stats st = { 0 };
	char buf[EXPLORE_DESCRIBE_MAX + 8];

	(void)state;
	explore_opts_default(&o);
	o.bound = EXPLORE_BOUND_MAX;
	o.max_execs = UINT64_MAX;
	o.max_steps = EXPLORE_STEPS_MAX;
	o.timeout = EXPLORE_TIMEOUT_MAX;
	st.pruned = st.capped = st.timed_out = st.bounded = true;
	st.cut = 1;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_true(strlen(buf) < EXPLORE_DESCRIBE_MAX);
	o.strategy = EXPLORE_PCT;
	o.seed = UINT64_MAX;
	o.pct_depth = EXPLORE_PCT_DEPTH_MAX;
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_true(strlen(buf) < EXPLORE_DESCRIBE_MAX);
}

/* Options out of range are refused, not wrapped; the extremes run. */
static void test_option_ranges(void **state)
{
	static struct outcome_set s;
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p;

	(void)state;
	lost_update(&p);
	explore_opts_default(&o);
	o.max_steps = EXPLORE_STEPS_MAX + 1;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	o.max_steps = 0;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	o.max_steps = EXPLORE_STEPS_MAX;
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.complete);
	o.bound = EXPLORE_BOUND_MAX + 1;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	o.bound = EXPLORE_BOUND_MAX;
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	explore_opts_default(&o);
	o.strategy = EXPLORE_PCT;
	o.pct_depth = EXPLORE_PCT_DEPTH_MAX + 1;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	o.pct_depth = EXPLORE_PCT_DEPTH_MAX;
	o.runs = 50;
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_int_equal(st.executions, 50);
}

/* A replay string that goes on after every task finished is an error. */
static void test_replay_leftover(void **state)
{
	static struct outcome_set s;
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p;

	(void)state;
	lost_update(&p);
	explore_opts_default(&o);
	o.strategy = EXPLORE_REPLAY;
	o.replay = "0x3,1x3,0";
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	assert_non_null(strstr(st.error, "every task finished"));
	assert_int_equal(s.n, 0);
	o.replay = "0x3,1x3";
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	o.max_steps = 5;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
	assert_int_equal(replay_parse("0,", (u8[4]){ 0 }, 4, &(u32){ 0 }), -EINVAL);
}

/*
 * With replay_complete a string is a prefix: the default scheduler ends
 * it, a task that cannot run or a string that goes on diverges, and the
 * stats say where and why.
 */
static void test_replay_complete(void **state)
{
	static struct outcome_set s;
	struct explore_opts o;
	struct explore_stats st;
	char buf[EXPLORE_DESCRIBE_MAX];
	struct gen_prog p;

	(void)state;
	lost_update(&p);
	explore_opts_default(&o);
	o.strategy = EXPLORE_REPLAY;
	o.replay_complete = true;
	o.replay = "0";	/* P0 runs on to its end, then P1: no lost update */
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.replay_completed);
	assert_false(st.replay_diverged);
	assert_int_equal(st.replay_followed, 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0][MAX_T * MAX_OPS], 2);
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "replay prefix=1");
	o.replay = "0x4,1";	/* P0 has ended after 3 steps */
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.replay_diverged);
	assert_int_equal(st.replay_followed, 3);
	assert_string_equal(st.replay_why, "P0 has ended");
	o.replay = "0x3,1x3,0";	/* goes on after both ended */
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.replay_diverged);
	assert_int_equal(st.replay_followed, 6);
	assert_string_equal(st.replay_why, "every task had finished");
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "replay diverged=6");
	o.replay = "0x3,1x3";	/* followed exactly: neither */
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_false(st.replay_diverged || st.replay_completed);
}

/* struct progress_log - what the progress hook saw */
struct progress_log {
	int calls;	/* calls with !done */
	int done;	/* calls with done */
	u64 last;	/* executions in the last call */
};

static void progress_hook(void *arg, const struct explore_progress *p)
{
	struct progress_log *log = arg;

	if (p->done) {
		log->done++;
		return;
	}
	assert_true(p->executions >= log->last);
	log->last = p->executions;
	log->calls++;
}

/* A due progress call is made between executions, and a last one at the end. */
static void test_progress_calls(void **state)
{
	static struct outcome_set s;
	struct progress_log log = { 0 };
	struct explore_opts o;
	struct explore_stats st;
	struct gen_prog p = { .nr_tasks = 3, .nr_vars = 1 };
	int t;

	(void)state;
	for (t = 0; t < 3; t++) {
		p.nr_ops[t] = 2;
		p.ops[t][0] = (struct gen_op){ G_WRITE, 0, t + 1 };
		p.ops[t][1] = (struct gen_op){ G_READ, 0, 0 };
	}
	explore_opts_default(&o);
	o.reduction = REDUCTION_NONE;
	o.progress = progress_hook;
	o.progress_arg = &log;
	o.progress_every = 1e-9;	/* due at every poll */
	assert_int_equal(explore_with(&p, &o, &s, &st), 0);
	assert_true(st.executions > 64);
	assert_true(log.calls >= 1);
	assert_int_equal(log.done, 1);
	o.progress_every = 0;
	assert_int_equal(explore_with(&p, &o, &s, &st), -EINVAL);
}

/* A model that asks to stop is reported as stopped, not complete. */
static bool stop_finish(void *priv, const struct exec_info *info)
{
	gen_finish(priv, info);
	return true;
}

static void test_model_stop(void **state)
{
	static struct outcome_set s;
	struct gen_prog p;
	struct gen_model m = { .p = &p, .set = &s };
	struct explore_model em = { .priv = &m, .setup = gen_setup, .finish = stop_finish };
	struct explore_opts o;
	struct explore_stats st;
	char buf[EXPLORE_DESCRIBE_MAX];

	(void)state;
	lost_update(&p);
	explore_opts_default(&o);
	o.stop_at_witness = true;
	assert_int_equal(explore_run(&em, &o, &st), 0);
	assert_int_equal(st.executions, 1);
	assert_true(st.stopped);
	assert_false(st.complete);
	explore_describe(&o, &st, buf, sizeof(buf));
	assert_string_equal(buf, "witness");
}

/* explore_interrupt() is sticky: run it in a child so later tests are not stopped. */
static void test_interrupt(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		static struct outcome_set s;
		struct explore_opts o;
		struct explore_stats st;
		struct gen_prog p;

		lost_update(&p);
		explore_opts_default(&o);
		explore_interrupt();
		if (explore_with(&p, &o, &s, &st) || !st.interrupted || st.complete ||
		    st.executions > 1)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The object table's generation counter is kept across runs: when it wraps,
 * stale entries must not look live, and the table must be cleared rather
 * than left as slots of generation 0, which obj_slot() would probe forever.
 */
static void test_dpor_gen_wrap(void **state)
{
	static const int obj;
	struct explorer x = { 0 };
	u32 i;

	(void)state;
	assert_int_equal(dpor_init(&x), 0);
	for (i = 0; i <= x.obj_mask; i++)
		x.objs[i] = (struct objstate){ .obj = &obj, .gen = 1 };
	x.gen = UINT32_MAX;
	dpor_begin_execution(&x);
	assert_int_equal(x.gen, 1);
	for (i = 0; i <= x.obj_mask; i++)
		assert_int_equal(x.objs[i].gen, 0);
	free(x.objs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpor_gen_wrap),
		cmocka_unit_test(test_dpor_matches_dfs),
		cmocka_unit_test(test_cache_matches_dfs),
		cmocka_unit_test(test_cache_refuses),
		cmocka_unit_test(test_dpor_refcount),
		cmocka_unit_test(test_dpor_independent),
		cmocka_unit_test(test_lost_update_and_bound),
		cmocka_unit_test(test_deadlock_found),
		cmocka_unit_test(test_livelock_cut),
		cmocka_unit_test(test_replay_roundtrip),
		cmocka_unit_test(test_replay_reproduces),
		cmocka_unit_test(test_random_and_pct),
		cmocka_unit_test(test_cut_is_not_complete),
		cmocka_unit_test(test_describe_bounds),
		cmocka_unit_test(test_describe_fits),
		cmocka_unit_test(test_option_ranges),
		cmocka_unit_test(test_replay_leftover),
		cmocka_unit_test(test_replay_complete),
		cmocka_unit_test(test_progress_calls),
		cmocka_unit_test(test_model_stop),
		cmocka_unit_test(test_interrupt),
	};

	return cmocka_run_group_tests_name("explore", tests, NULL, NULL);
}
