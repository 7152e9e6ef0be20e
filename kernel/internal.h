/* internal.h - the two back ends' ops tables and what kernel/sim-ops.c takes from kernel/sim.c. */
#ifndef PINLAB_KERNEL_INTERNAL_H
#define PINLAB_KERNEL_INTERNAL_H

#include <pinlab/sched.h>

struct wait_queue_head;

/*
 * kernel_set_backend() (kernel/kthread.c) points kernel_ops at one of these.
 * The threads back end (kernel/threads.c) is plain pthreads and C11 atomics:
 * no scheduling points, no footprints, and it must be clean under
 * ThreadSanitizer.  The sim back end's primitives are in kernel/sim-ops.c,
 * its scheduler in kernel/sim.c.
 */
extern const struct kernel_backend_ops sim_backend_ops;
extern const struct kernel_backend_ops thr_backend_ops;

void sim_sched_point(const void *obj, enum kacc mode, const char *fn);
void sim_kobj_access(const void *obj, enum kacc mode);
struct task_struct *sim_kthread_run(int (*fn)(void *), void *arg, const char *comm);
struct task_struct *sim_kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
					 struct wait_queue_head *wq);
__noreturn void sim_task_exit(void);

#endif /* PINLAB_KERNEL_INTERNAL_H */
