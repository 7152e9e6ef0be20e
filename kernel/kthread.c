/* kthread.c - task creation and exit, and the choice of the back end everything dispatches to. */
#include <pinlab/sched.h>
#include "internal.h"

const struct kernel_backend_ops *kernel_ops = &sim_backend_ops;

void kernel_set_backend(enum kernel_backend b)
{
	kernel_ops = b == KERNEL_SIM ? &sim_backend_ops : &thr_backend_ops;
}

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *comm)
{
	return kernel_ops->kthread_run(fn, arg, comm);
}

struct task_struct *kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
				     struct wait_queue_head *wq)
{
	return kernel_ops->kthread_run_idle(fn, arg, comm, wq);
}

void kthread_join_all(void)
{
	kernel_ops->kthread_join_all();
}

__noreturn void task_exit(void)
{
	kernel_ops->task_exit();
}
