/* sim.h - the deterministic back end as the explorer drives it, one step at a time. */
#ifndef PINLAB_SIM_H
#define PINLAB_SIM_H

#include <pinlab/sched.h>

enum sim_step_ret {
	SIM_PARKED,		/* the task reached its next scheduling point */
	SIM_BLOCKED,		/* the task went to sleep on a wait object */
	SIM_EXITED,		/* the task returned or was killed */
};

/**
 * sim_reset() - forget every task of the previous execution
 *
 * Stacks are kept and reused: no allocation per execution.
 */
void sim_reset(void);

int sim_nr_tasks(void);

struct task_struct *sim_task(int pid);

/**
 * sim_runnable_mask() - bit p set when task p can take a step
 *
 * A task parked at the acquisition of a held lock cannot: it counts as
 * blocked until the lock is released.
 */
u32 sim_runnable_mask(void);

/**
 * sim_blocked_mask() - bit p set when task p sleeps or waits for a held lock
 *
 * A daemon (kthread_run_idle()) asleep on its work queue is idle: it is
 * left out.
 */
u32 sim_blocked_mask(void);

u32 sim_daemon_mask(void);

/**
 * sim_step() - run task @pid until it parks, sleeps or exits
 * @pid: a runnable task
 *
 * The step's footprint is available from sim_footprint() afterwards.
 */
enum sim_step_ret sim_step(int pid);

const struct footprint *sim_footprint(void);

const char *sim_step_label(void);

/**
 * sim_block() - put current to sleep on @wait_obj until sim_wake(); @fn labels the step that resumes
 *
 * Records a write of @wait_obj in the footprint of the step that goes to
 * sleep (it races with the wake-up: tested later, the condition would have
 * held).  The step that resumes records nothing of @wait_obj: its
 * footprint's @after names the step that woke it, which orders it without
 * a race (it could not have run before).  Wait queues are the only
 * sleepers: a task waiting for a lock does not sleep (sim_lock_wait()).
 */
void sim_block(const void *wait_obj, const char *fn);

void sim_lock_wait(const void *lock, bool (*held)(const void *lock), const char *fn);

u32 sim_lock_waiters(void);

void sim_wake(struct task_struct *t);

void sim_wake_mask(u32 mask);

u32 sim_steps_taken(void);

#endif /* PINLAB_SIM_H */
