/* sched.h - model tasks, scheduling points and step footprints, on either back end. */
#ifndef PINLAB_SCHED_H
#define PINLAB_SCHED_H

#include <pinlab/types.h>

/*
 * Model code (mm/, fs/, block/, drivers/, the litmus interpreter) runs as
 * tasks.  It never calls pthreads: it calls the primitives declared here and
 * in spinlock.h, mutex.h, wait.h, completion.h and atomic.h, which run on one
 * of two back ends chosen at start-up:
 *
 *  KERNEL_SIM	   cooperative, deterministic; the explorer decides at each
 *		   scheduling point which task runs next.
 *  KERNEL_THREADS one pthread per task; scheduling points are no-ops and
 *		   the primitives are real locks and C11 atomics.
 *
 * A scheduling point is where the real kernel lets another actor in: before a
 * lockless access, a lock acquisition, a sleep, each sector of a DMA.  The
 * code between two scheduling points of a task is one *step*, atomic with
 * respect to other tasks.  Every shared object a step reads or writes is
 * recorded in the step's footprint (sched_point() records the access it
 * guards; kobj_access() records further ones), because the explorer's
 * partial-order reduction trusts footprints: a shared access left out of a
 * footprint makes "Never" unsound.
 */

#define NR_TASKS_MAX	16	/* model tasks per execution (bitmask width) */
#define FOOTPRINT_MAX	24	/* distinct objects a step may record */

enum kernel_backend {
	KERNEL_SIM,		/* deterministic, explorer-driven */
	KERNEL_THREADS,		/* real pthreads */
};

/*
 * How a step touches an object.  Two accesses to one object commute when
 * both are plain reads, both are plain adds, or one only tests whether a
 * counter is positive (KACC_NZ) and the other is a plain read, a plain add
 * or such a test; every other pair conflicts.  An access that does both
 * (an add whose result is looked at) records KACC_READ | KACC_ADD and
 * conflicts with everything.  KACC_NZ | KACC_ADD (add unless zero) commutes
 * with adds and tests.  The lock modes are recorded by kernel/sim-ops.c
 * only; docs/design-notes.md says why they are sound, and why KACC_NZ is
 * only for counters whose plain adds are recorded by kobj_count_add().
 */
enum kacc {
	KACC_READ = 1,		/* reads the object */
	KACC_WRITE = 2,		/* writes it (or reads and writes it) */
	KACC_ADD = 4,		/* adds to it without looking at the value */
	KACC_ACQUIRE = 8,	/* takes a lock: only enabled while it is free */
	KACC_RELEASE = 16,	/* releases a lock */
	KACC_TRY = 32,		/* takes a lock without waiting (a trylock) */
	KACC_NZ = 64,		/* sees only that a counter is positive */
};

/**
 * struct footprint - the shared objects one step touched
 * @n:		entries used in @ent
 * @global:	the step overflowed @ent: it conflicts with every step
 * @after:	the step resumes a task woken by step @after of this execution
 *		(0-based), which it must follow; -1 if none
 * @ent:	object address and the strongest access made to it
 */
struct footprint {
	u8 n;
	bool global;
	s32 after;
	struct {
		const void *obj;	/* object identity: a stable address */
		u8 mode;		/* enum kacc bits, or-ed over the step */
	} ent[FOOTPRINT_MAX];
};

enum task_state {
	TASK_NEW,		/* created, has not run yet (parked at its start) */
	TASK_RUNNABLE,		/* parked at a scheduling point */
	TASK_BLOCKED,		/* sleeping on a wait object, not runnable */
	TASK_DEAD,		/* returned or killed by BUG() */
};

struct kctx;

/**
 * struct task_struct - one model task
 * @pid:	index in the execution's task table, 0-based (litmus thread number)
 * @comm:	label shown in traces ("device", "flusher", ...)
 * @fn:		entry point
 * @arg:	argument of @fn
 * @state:	enum task_state (sim back end)
 * @park_fn:	kernel function the task is parked in (label of its next step)
 * @note:	what the task is doing, for traces (the litmus statement text)
 * @wait_obj:	wait object the task sleeps on while TASK_BLOCKED, or the lock
 *		its next step acquires
 * @acquire:	sim: if its next step acquires a lock (@wait_obj), tells
 *		whether that lock is held: the task cannot run while it is;
 *		NULL if none
 * @woken_by:	sim: the step that last woke it, or that created it inside a
 *		step (0-based), -1 if none
 * @ctx:	saved registers (sim back end)
 * @stack:	stack base (sim back end)
 * @stack_size:	stack size in bytes (sim back end)
 * @thread:	pthread handle (threads back end), as an opaque word
 * @priv:	owner's per-task data (the litmus interpreter's registers)
 * @idle_wq:	sim: a server task's work queue (kthread_run_idle()), NULL
 *		for other tasks: asleep on it, the task is idle, not deadlocked
 */
struct task_struct {
	int pid;
	const char *comm;
	int (*fn)(void *arg);
	void *arg;
	enum task_state state;
	const char *park_fn;
	const char *note;
	const void *wait_obj;
	bool (*acquire)(const void *lock);
	s32 woken_by;
	struct kctx *ctx;
	void *stack;
	size_t stack_size;
	unsigned long thread;
	void *priv;
	const void *idle_wq;
};

extern __thread struct task_struct *current_task;
#define current current_task

struct spinlock;
struct mutex;
struct wait_queue_head;

/**
 * struct kernel_backend_ops - one back end's primitives
 * @name:	"sim" or "threads"
 * @footprints:	steps have footprints: the count_owners bookkeeping and the
 *		footprint audit apply (sim)
 * @sched_point: end the current step, then record (@obj, @mode)
 * @kobj_access: record one more access in the current step's footprint
 * @steps_taken: steps taken in this execution so far (0 without steps)
 * @kthread_run: create a task and make it runnable
 * @kthread_run_idle: create a server task asleep on its work queue, or NULL
 * @kthread_join_all: wait for every task to return
 * @task_exit:	end the current task now
 * @spin_lock:	take a spinlock
 * @spin_unlock: release a spinlock
 * @spin_trylock: take a spinlock if free
 * @spin_is_locked: racy test of a spinlock
 * @mutex_init:	set up a mutex's back-end state (its owner is cleared)
 * @mutex_destroy: release a mutex's back-end state
 * @mutex_lock:	take a mutex
 * @mutex_unlock: release a mutex
 * @mutex_trylock: take a mutex if free
 * @lock_wait:	park current at the acquisition of a lock whose holder is
 *		told by @held, until it is free; false when this back end (or
 *		context) does not park lock waiters: the caller waits itself
 * @lock_waiters_sleep: must a lock's release wake a wait queue?  False
 *		where @lock_wait parks the waiters instead
 * @init_waitqueue_head: set up a wait queue's back-end state
 * @destroy_waitqueue_head: release it
 * @wait_prepare: first half of wait_event(), a step of its own labelled @fn
 * @prepare_to_wait: first half of a wait tested within the current step
 * @wait_sleep:	second half of either: sleep until a wake-up
 * @wake_up:	wake every task sleeping on a wait queue
 * @wq_has_sleeper: may a task sleep on a wait queue?
 *
 * One instance per back end (kernel/sim-ops.c, kernel/threads.c);
 * kernel_set_backend() selects it.  The primitives' front ends
 * (kernel/locking.c, kernel/wait.c, kernel/kthread.c and the inlines here)
 * call through it and never test which back end runs.
 */
struct kernel_backend_ops {
	const char *name;
	bool footprints;
	void (*sched_point)(const void *obj, enum kacc mode, const char *fn);
	void (*kobj_access)(const void *obj, enum kacc mode);
	u32 (*steps_taken)(void);
	struct task_struct *(*kthread_run)(int (*fn)(void *), void *arg, const char *comm);
	struct task_struct *(*kthread_run_idle)(int (*fn)(void *), void *arg,
						const char *comm,
						struct wait_queue_head *wq);
	void (*kthread_join_all)(void);
	__noreturn void (*task_exit)(void);
	void (*spin_lock)(struct spinlock *lock);
	void (*spin_unlock)(struct spinlock *lock);
	bool (*spin_trylock)(struct spinlock *lock);
	bool (*spin_is_locked)(struct spinlock *lock);
	void (*mutex_init)(struct mutex *m);
	void (*mutex_destroy)(struct mutex *m);
	void (*mutex_lock)(struct mutex *m);
	void (*mutex_unlock)(struct mutex *m);
	bool (*mutex_trylock)(struct mutex *m);
	bool (*lock_wait)(const void *lock, bool (*held)(const void *lock), const char *fn);
	bool (*lock_waiters_sleep)(void);
	void (*init_waitqueue_head)(struct wait_queue_head *wq);
	void (*destroy_waitqueue_head)(struct wait_queue_head *wq);
	u64 (*wait_prepare)(struct wait_queue_head *wq, const char *fn);
	u64 (*prepare_to_wait)(struct wait_queue_head *wq);
	void (*wait_sleep)(struct wait_queue_head *wq, u64 cookie);
	void (*wake_up)(struct wait_queue_head *wq);
	bool (*wq_has_sleeper)(struct wait_queue_head *wq);
};

/* The back end selected by kernel_set_backend(); sim until then. */
extern const struct kernel_backend_ops *kernel_ops;

/**
 * kernel_set_backend() - choose the back end for tasks created from now on
 * @b: KERNEL_SIM or KERNEL_THREADS
 */
void kernel_set_backend(enum kernel_backend b);

/**
 * kernel_steps_taken() - steps taken in this execution so far
 *
 * Return: 0 on a back end without steps (threads).
 */
static inline u32 kernel_steps_taken(void)
{
	return kernel_ops->steps_taken();
}

/**
 * kernel_footprints() - do steps record footprints on this back end?
 */
static inline bool kernel_footprints(void)
{
	return kernel_ops->footprints;
}

/**
 * lock_wait() - park current at the acquisition of @lock until it is free
 * @lock: the lock, recorded as acquired (KACC_ACQUIRE) in the step that begins
 * @held: tells whether @lock is held
 * @fn:   label of that step
 *
 * For a lock implemented by its caller (the page lock).  Sim: a task whose
 * next step takes a held lock cannot run until its release, so it neither
 * sleeps nor needs waking (lock_waiters_sleep() is false).
 * Return: true when current was parked and @lock is free now; false when
 * the back end does not park lock waiters (threads, or outside a task):
 * the caller then sleeps on a wait queue its release wakes.
 */
static inline bool lock_wait(const void *lock, bool (*held)(const void *lock),
			     const char *fn)
{
	return kernel_ops->lock_wait(lock, held, fn);
}

/**
 * lock_waiters_sleep() - must the release of a lock taken through lock_wait() wake its wait queue?
 */
static inline bool lock_waiters_sleep(void)
{
	return kernel_ops->lock_waiters_sleep();
}

/**
 * kthread_run() - create a task and make it runnable
 * @fn:   entry point; its return ends the task
 * @arg:  argument of @fn
 * @comm: label for traces
 *
 * Sim: registers the task in the current execution; it runs when the
 * explorer schedules it.  Threads: starts a pthread.
 * Return: the task, or NULL when NR_TASKS_MAX tasks exist already.
 */
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *comm);

/**
 * kthread_run_idle() - create a server task that starts asleep on @wq
 * @fn:   entry point, entered by the first step after a wake_up(@wq)
 * @arg:  argument of @fn
 * @comm: label for traces
 * @wq:   the wait queue its clients wake it on
 *
 * Like a kthread_create()d task the kernel wakes when work arrives (a
 * device's completion, a worker).  Sim: the task takes no step until woken,
 * so an execution that never wakes it is explored as if it did not exist;
 * its first step follows the wake-up.  It is a daemon: asleep on @wq it is
 * idle, never counted as deadlocked (sim_blocked_mask()); waiting for
 * anything else (a page lock) it is blocked like any task.
 * The explorer steps it while a model's epilogue waits for it.
 *
 * Context: a sim task or the explorer's setup.
 * Return: the task, or NULL on the threads back end (the caller then does
 * the work inline) or when NR_TASKS_MAX tasks exist already.
 */
struct task_struct *kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
				     struct wait_queue_head *wq);

/**
 * kthread_join_all() - threads back end: wait for every task to return
 */
void kthread_join_all(void);

/* sched_point() with the label of the step that begins: see below. */
static inline void __sched_point(const void *obj, enum kacc mode, const char *fn)
{
	kernel_ops->sched_point(obj, mode, fn);
}

/**
 * sched_point() - let another task in, then access @obj
 * @obj:  the shared object the next step starts by touching (may be NULL)
 * @mode: KACC_READ, KACC_WRITE or KACC_ADD
 *
 * Ends the current step.  The next step starts, when the explorer picks this
 * task again, by recording (@obj, @mode) in its footprint.
 */
#define sched_point(obj, mode)	__sched_point((obj), (mode), __func__)

/**
 * kobj_access() - record one more access in the current step's footprint
 */
static inline void kobj_access(const void *obj, enum kacc mode)
{
	kernel_ops->kobj_access(obj, mode);
}

#define kobj_read(obj)	kobj_access((obj), KACC_READ)
#define kobj_write(obj)	kobj_access((obj), KACC_WRITE)
/* An atomic add whose result nobody looks at: commutes with other adds. */
#define kobj_add(obj)	kobj_access((obj), KACC_ADD)

/**
 * kobj_count_test() - record a test of counter @obj that saw the value @v
 * @obj: the counter (a reference count)
 * @v:   the value the step read
 *
 * For a caller that only tells a positive count from the others (a count
 * that hit zero is going away).  A positive @v is recorded as KACC_NZ,
 * which commutes with adds recorded by kobj_count_add(): they keep a
 * positive count positive.  Anything else is recorded as a plain read.
 */
static inline void kobj_count_test(const void *obj, long v)
{
	kobj_access(obj, v > 0 ? KACC_NZ : KACC_READ);
}

/**
 * struct count_owners - sim: what each task added to a counter by plain adds
 * @seq:  bumped by every add or subtraction of the counter recorded as a
 *	  write: it ends what every task held
 * @at:   per task, the @seq its @held counts from
 * @held: per task, what it added by plain adds (less what it took back by
 *	  plain subtractions) since @seq was @at
 *
 * Bookkeeping for the footprints only: the model never reads it, and it is
 * not audited.  Zero-initialised means nobody holds anything.
 */
struct count_owners {
	u32 seq;
	u32 at[NR_TASKS_MAX];
	long held[NR_TASKS_MAX];
};

/* What the current task holds of a counter by plain adds (0 outside a sim task). */
static inline long *count_held(struct count_owners *own)
{
	int pid;

	if (!kernel_footprints() || !current)
		return NULL;
	pid = current->pid;
	if (own->at[pid] != own->seq) {
		own->at[pid] = own->seq;
		own->held[pid] = 0;
	}
	return &own->held[pid];
}

/**
 * kobj_count_add() - record an add of @nr to counter @obj that found @old
 * @obj: the counter tested by kobj_count_test()
 * @own: its owners
 * @old: its value before the add
 * @nr:  what was added
 *
 * Only an add that takes a positive count higher is a plain add
 * (KACC_ADD); the task then holds @nr more.  Any other add might make or
 * unmake a zero: it is recorded as a write and ends what every task held.
 * Every change of a counter that is tested with kobj_count_test() must be
 * recorded here or by kobj_count_sub().
 */
static inline void kobj_count_add(const void *obj, struct count_owners *own,
				  long old, long nr)
{
	long *held = count_held(own);

	if (old > 0 && nr > 0) {
		kobj_access(obj, KACC_ADD);
		if (held)
			*held += nr;
		return;
	}
	kobj_access(obj, KACC_WRITE);
	own->seq++;
}

/**
 * kobj_count_owned() - does the current task hold @nr of counter @own by plain adds?
 * @own: the counter's owners
 * @nr:  the amount
 *
 * If so the counter is above @nr in every order of the steps DPOR takes as
 * equivalent: the tasks' plain adds since the last write keep it positive,
 * and this task's own are ordered before it.
 */
static inline bool kobj_count_owned(struct count_owners *own, long nr)
{
	long *held = count_held(own);

	return held && *held >= nr;
}

/**
 * kobj_count_sub() - record a subtraction of @nr from counter @obj that found @old
 * @obj: the counter tested by kobj_count_test()
 * @own: its owners
 * @old: its value before
 * @nr:  what was subtracted
 *
 * A task giving back @nr of what it added by plain adds, leaving the count
 * positive, makes a plain add (KACC_ADD) of -@nr: in every order of the
 * plain adds since the last write each task's subtractions follow its own
 * adds, so the count stays positive, every test sees that, and no such
 * subtraction reaches zero.  Any other subtraction is a write.
 * Return: whether it was recorded as a plain add (then it did not reach 0).
 */
static inline bool kobj_count_sub(const void *obj, struct count_owners *own,
				  long old, long nr)
{
	long *held = count_held(own);

	if (held && *held >= nr && nr >= 0 && old - nr > 0) {
		kobj_access(obj, KACC_ADD);
		*held -= nr;
		return true;
	}
	kobj_access(obj, KACC_WRITE);
	own->seq++;
	return false;
}

/**
 * task_exit() - end the current task now (what BUG() does to it)
 */
__noreturn void task_exit(void);

#endif /* PINLAB_SCHED_H */
