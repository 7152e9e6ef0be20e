/* kthread.c - task creation on the back end chosen at start-up. */
#include <pinlab/sched.h>
#include "internal.h"

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *comm)
{
	if (kernel_is_sim())
		return sim_kthread_run(fn, arg, comm);
	return thr_kthread_run(fn, arg, comm);
}

struct task_struct *kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
				     struct wait_queue_head *wq)
{
	if (kernel_is_sim())
		return sim_kthread_run_idle(fn, arg, comm, wq);
	return NULL;
}

void kthread_join_all(void)
{
	if (!kernel_is_sim())
		thr_kthread_join_all();
}
