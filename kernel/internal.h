/* internal.h - what the primitive front ends in kernel/ call in each back end. */
#ifndef PINLAB_KERNEL_INTERNAL_H
#define PINLAB_KERNEL_INTERNAL_H

#include <pinlab/completion.h>
#include <pinlab/mutex.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>

/*
 * The front ends (kernel/locking.c, kernel/wait.c, kernel/kthread.c) test
 * kernel_backend and call sim_*() (kernel/sim.c) or thr_*() (kernel/threads.c).
 * The threads back end is plain pthreads and C11 atomics: no scheduling
 * points, no footprints, and it must be clean under ThreadSanitizer.
 */

struct task_struct *sim_kthread_run(int (*fn)(void *), void *arg, const char *comm);
struct task_struct *sim_kthread_run_idle(int (*fn)(void *), void *arg, const char *comm,
					 struct wait_queue_head *wq);

struct task_struct *thr_kthread_run(int (*fn)(void *), void *arg, const char *comm);
void thr_kthread_join_all(void);
__noreturn void thr_task_exit(void);

void thr_spin_lock(spinlock_t *lock);
void thr_spin_unlock(spinlock_t *lock);
bool thr_spin_trylock(spinlock_t *lock);

void thr_mutex_init(struct mutex *m);
void thr_mutex_destroy(struct mutex *m);
void thr_mutex_lock(struct mutex *m);
void thr_mutex_unlock(struct mutex *m);
bool thr_mutex_trylock(struct mutex *m);

void thr_init_waitqueue_head(struct wait_queue_head *wq);
void thr_destroy_waitqueue_head(struct wait_queue_head *wq);
void thr_wake_up(struct wait_queue_head *wq);
u64 thr_wait_prepare(struct wait_queue_head *wq);
void thr_wait_sleep(struct wait_queue_head *wq, u64 seq);

#endif /* PINLAB_KERNEL_INTERNAL_H */
