/* sim.c - the deterministic back end: tasks as coroutines, run one step at a time by the explorer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <pinlab/audit.h>
#include <pinlab/bug.h>
#include <pinlab/lockdep.h>
#include <pinlab/sim.h>
#include <pinlab/wait.h>
#include "internal.h"
#include "kctx.h"

/* Sanitizers need deeper stacks; 256 KiB is plenty for the model either way. */
#define SIM_STACK_SIZE	(256u << 10)

/**
 * struct sim - the state of the execution being run
 * @tasks:     task table, indexed by pid
 * @ctx:       saved context of each task
 * @sched:     the explorer's own context, resumed whenever a task parks
 * @nr:        tasks created in this execution
 * @runnable:  bit p: task p is new or parked at a scheduling point
 * @blocked:   bit p: task p sleeps
 * @acquiring: bit p: task p's next step acquires the lock at its ->wait_obj
 * @daemons:   bit p: task p is a daemon (kthread_run_idle())
 * @waiters:   sim_lock_waiters() as last computed between steps
 * @waiters_ok: @waiters still holds: no step ran and no task was made since
 * @ret:       how the task that ran last gave the CPU back
 * @fp:        footprint of the step being taken (or just taken)
 * @label:     kernel function the current step began in
 * @steps:     steps taken in this execution
 */
static struct sim {
	struct task_struct tasks[NR_TASKS_MAX];
	struct kctx ctx[NR_TASKS_MAX];
	struct kctx sched;
	int nr;
	u32 runnable;
	u32 blocked;
	u32 acquiring;
	u32 daemons;
	u32 waiters;
	bool waiters_ok;
	enum sim_step_ret ret;
	struct footprint fp;
	const char *label;
	u32 steps;
} sim;

__thread struct task_struct *current_task;

/* A pinlab bug, not a model outcome: model code must run inside a task. */
static __noreturn void sim_misuse(const char *what)
{
	fprintf(stderr, "pinlab: internal error: %s\n", what);
	abort();
}

static void fp_add(const void *obj, u8 mode)
{
	struct footprint *fp = &sim.fp;
	int i;

	if (!obj)
		return;
	for (i = 0; i < fp->n; i++) {
		if (fp->ent[i].obj == obj) {
			fp->ent[i].mode |= mode;
			return;
		}
	}
	if (fp->n == FOOTPRINT_MAX) {
		fp->global = true;
		return;
	}
	fp->ent[fp->n].obj = obj;
	fp->ent[fp->n].mode = mode;
	fp->n++;
}

void sim_kobj_access(const void *obj, enum kacc mode)
{
	if (current)
		fp_add(obj, mode);
}

/* Give the CPU back to the explorer; returns when the task is picked again. */
static void sim_park(enum sim_step_ret ret)
{
	struct task_struct *t = current;

	sim.ret = ret;
	kctx_jump(&sim.ctx[t->pid], &sim.sched);
	current = t;
}

void sim_sched_point(const void *obj, enum kacc mode, const char *fn)
{
	struct task_struct *t = current;

	if (!t)
		return;
	t->park_fn = fn;
	sim_park(SIM_PARKED);
	fp_add(obj, mode);
}

void sim_block(const void *wait_obj, const char *fn)
{
	struct task_struct *t = current;

	if (!t)
		sim_misuse("sleeping outside a task");
	fp_add(wait_obj, KACC_WRITE);
	t->state = TASK_BLOCKED;
	t->wait_obj = wait_obj;
	t->park_fn = fn;
	sim.runnable &= ~BIT(t->pid);
	sim.blocked |= BIT(t->pid);
	sim_park(SIM_BLOCKED);
	/* Resuming touches nothing shared: it only has to follow the wake-up. */
	sim.fp.after = t->woken_by;
}

/**
 * sim_lock_wait() - park current at the acquisition of a lock
 * @lock: the lock, recorded as acquired in the step that begins here
 * @held: whether @lock is held; the task cannot run while it is
 * @fn:   label of that step
 *
 * A task finding the lock held takes no step: it is simply not runnable
 * until the owner word is cleared, so a blocked attempt is no event for the
 * explorer.  Returns in the step that may take the lock, with it free.
 */
void sim_lock_wait(const void *lock, bool (*held)(const void *lock), const char *fn)
{
	struct task_struct *t = current;

	if (!t)
		sim_misuse("taking a lock outside a task");
	t->acquire = held;
	t->wait_obj = lock;
	sim.acquiring |= BIT(t->pid);
	sim_sched_point(lock, KACC_ACQUIRE, fn);
	sim.acquiring &= ~BIT(t->pid);
	t->acquire = NULL;
	t->wait_obj = NULL;
	if (held(lock))
		sim_misuse("a task ran while the lock it takes was held");
}

/* Ask each task parked at an acquisition whether its lock is held. */
static u32 sim_find_lock_waiters(void)
{
	u32 m, w = 0;

	for (m = sim.acquiring; m; m &= m - 1) {
		int p = __builtin_ctz(m);

		if (sim.tasks[p].acquire(sim.tasks[p].wait_obj))
			w |= BIT(p);
	}
	return w;
}

/**
 * sim_lock_waiters() - bit p set when task p waits to acquire a held lock (its
 * ->wait_obj)
 *
 * Locks change hands only in a task's step, so between two steps the
 * answer is kept: the explorer asks several times per step.
 */
u32 sim_lock_waiters(void)
{
	if (current)
		return sim_find_lock_waiters();
	if (!sim.waiters_ok) {
		sim.waiters = sim_find_lock_waiters();
		sim.waiters_ok = true;
	}
	return sim.waiters;
}

/**
 * sim_wake() - make a sleeping task runnable again
 */
void sim_wake(struct task_struct *t)
{
	if (t->state != TASK_BLOCKED)
		return;
	t->state = TASK_RUNNABLE;
	t->wait_obj = NULL;
	t->woken_by = current ? (s32)sim.steps - 1 : -1;
	sim.blocked &= ~BIT(t->pid);
	sim.runnable |= BIT(t->pid);
}

/**
 * sim_wake_mask() - sim_wake() every task whose bit is set in @mask
 */
void sim_wake_mask(u32 mask)
{
	while (mask) {
		int pid = __builtin_ctz(mask);

		mask &= mask - 1;
		if (pid < sim.nr)
			sim_wake(&sim.tasks[pid]);
	}
}

__noreturn void sim_task_exit(void)
{
	struct task_struct *t = current;

	if (!t)
		sim_misuse("BUG() or task_exit() outside a task");

	t->state = TASK_DEAD;
	sim.runnable &= ~BIT(t->pid);
	sim.ret = SIM_EXITED;
	kctx_jump(NULL, &sim.sched);
	__builtin_unreachable();
}

static __noreturn void sim_task_entry(void *arg)
{
	struct task_struct *t = arg;

	kctx_start(&sim.sched);
	current = t;
	/*
	 * A task made inside a step follows that step (an edge, no race); one
	 * created asleep (kthread_run_idle()) first runs after its wake-up.
	 */
	sim.fp.after = t->woken_by;
	t->fn(t->arg);
	sim_task_exit();
}

static int sim_alloc_stack(struct kctx *ctx)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p;

	if (ctx->stack)
		return 0;
	p = mmap(NULL, SIM_STACK_SIZE + page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	/* A guard page below the stack turns an overflow into a fault, not corruption. */
	mprotect(p, page, PROT_NONE);
	ctx->stack = p + page;
	ctx->stack_size = SIM_STACK_SIZE;
	return 0;
}

struct task_struct *sim_kthread_run(int (*fn)(void *), void *arg, const char *comm)
{
	struct task_struct *t;
	struct kctx *ctx;

	if (sim.nr == NR_TASKS_MAX)
		return NULL;
	ctx = &sim.ctx[sim.nr];
	if (sim_alloc_stack(ctx))
		return NULL;
	t = &sim.tasks[sim.nr];
	*t = (struct task_struct){
		.pid = sim.nr,
		.comm = comm,
		.fn = fn,
		.arg = arg,
		.state = TASK_NEW,
		.park_fn = "kthread",
		.woken_by = current ? (s32)sim.steps - 1 : -1,
		.ctx = ctx,
		.stack = ctx->stack,
		.stack_size = ctx->stack_size,
	};
	kctx_init(ctx, sim_task_entry, t);
	sim.waiters_ok = false;
	sim.runnable |= BIT(sim.nr);
	sim.nr++;
	return t;
}

/**
 * sim_kthread_run_idle() - sim side of kthread_run_idle()
 * @fn:   entry point
 * @arg:  its argument
 * @comm: label for traces
 * @wq:   where it sleeps until its first wake_up()
 *
 * Context: the explorer's setup, or a task's step (nothing shared is
 * touched: the task becomes visible only through @wq).
 * Return: the task, or NULL when the task table is full.
 */
struct task_struct *sim_kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
					 struct wait_queue_head *wq)
{
	struct task_struct *t = sim_kthread_run(fn, arg, comm);

	if (!t)
		return NULL;
	t->state = TASK_BLOCKED;
	t->wait_obj = wq;
	t->idle_wq = wq;
	sim.runnable &= ~BIT(t->pid);
	sim.blocked |= BIT(t->pid);
	sim.daemons |= BIT(t->pid);
	wq->waiters |= BIT(t->pid);
	return t;
}

void sim_reset(void)
{
	sim.nr = 0;
	sim.runnable = 0;
	sim.blocked = 0;
	sim.acquiring = 0;
	sim.daemons = 0;
	sim.waiters_ok = false;
	sim.steps = 0;
	sim.fp.n = 0;
	sim.fp.global = false;
	audit_reset();
	lockdep_reset();
	sim.fp.after = -1;
}

/**
 * sim_nr_tasks() - tasks created in this execution
 */
int sim_nr_tasks(void)
{
	return sim.nr;
}

/**
 * sim_task() - the task with this pid
 */
struct task_struct *sim_task(int pid)
{
	return &sim.tasks[pid];
}

u32 sim_runnable_mask(void)
{
	return sim.runnable & ~sim_lock_waiters();
}

/* Daemons asleep on their own work queue: idle, not blocked. */
static u32 sim_idle_mask(void)
{
	u32 m, idle = 0;

	for (m = sim.daemons & sim.blocked; m; m &= m - 1) {
		int p = __builtin_ctz(m);

		if (sim.tasks[p].wait_obj == sim.tasks[p].idle_wq)
			idle |= BIT(p);
	}
	return idle;
}

u32 sim_blocked_mask(void)
{
	return (sim.blocked | sim_lock_waiters()) & ~sim_idle_mask();
}

/**
 * sim_daemon_mask() - bit p set when task p is a daemon (kthread_run_idle())
 */
u32 sim_daemon_mask(void)
{
	return sim.daemons;
}

enum sim_step_ret sim_step(int pid)
{
	struct task_struct *t = &sim.tasks[pid];

	if (pid < 0 || pid >= sim.nr || !(sim_runnable_mask() & BIT(pid)))
		sim_misuse("sim_step() of a task that cannot run");
	sim.fp.n = 0;
	sim.fp.global = false;
	sim.fp.after = -1;
	sim.label = t->park_fn;
	t->state = TASK_RUNNABLE;
	sim.steps++;
	sim.waiters_ok = false;
	current = t;
	audit_step_begin();
	kctx_jump(&sim.sched, &sim.ctx[pid]);
	current = NULL;
	sim.waiters_ok = false;
	audit_step_end(pid, &sim.fp);
	return sim.ret;
}

/**
 * sim_footprint() - footprint of the last step taken
 */
const struct footprint *sim_footprint(void)
{
	return &sim.fp;
}

/**
 * sim_step_label() - kernel function of the last step (its park point)
 */
const char *sim_step_label(void)
{
	return sim.label;
}

/**
 * sim_steps_taken() - steps taken in this execution so far
 */
u32 sim_steps_taken(void)
{
	return sim.steps;
}
