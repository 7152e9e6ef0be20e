/* interp.h - the litmus interpreter's per-execution world and per-thread state. */
#ifndef PINLAB_LITMUS_INTERP_H
#define PINLAB_LITMUS_INTERP_H

#include <pinlab/litmus.h>
#include <pinlab/mutex.h>

/**
 * struct lt_task - one litmus thread in one execution
 * @w:        the world it runs in
 * @thr:      its parsed thread
 * @regs:     its registers
 * @reg_step: per register, the step that last wrote it plus one (0: never)
 * @handle:   per register, the pages a GUP operation left in it (model-owned)
 * @ret_handle: set by an LT_OP_HANDLE operation: the pages it returns
 * @stmt:     the statement it began last, NULL before its first
 * @stmt_step: kernel_steps_taken() in the step that began @stmt, 0 before
 *	      (lt_world_state(): the task is at a statement boundary while it
 *	      has taken no step since)
 */
struct lt_task {
	struct lt_world *w;
	const struct lt_thread *thr;
	s64 regs[LT_NR_REGS];
	u32 reg_step[LT_NR_REGS];
	void *handle[LT_NR_REGS];
	void *ret_handle;
	const struct lt_stmt *stmt;
	u32 stmt_step;
};

/**
 * struct lt_world - everything a litmus execution creates, in the arena
 * @test:     the test
 * @vars:     shared variables' values
 * @var_step: per variable, the step that last wrote it plus one
 * @mutexes:  per variable declared "mutex", its lock
 * @tasks:    one per thread
 * @model:    the kernel model's world (pages, files), NULL without files
 */
struct lt_world {
	const struct litmus_test *test;
	s64 *vars;
	u32 *var_step;
	struct mutex *mutexes;
	struct lt_task tasks[LT_NR_THREADS];
	void *model;
};

struct lt_world *lt_world_create(const struct litmus_test *t);

int lt_world_start(struct lt_world *w);

s64 lt_var_read(struct lt_world *w, int var);

void lt_var_write(struct lt_world *w, int var, s64 v);

bool lt_test_cacheable(const struct litmus_test *t);

bool lt_world_state(const struct lt_world *w, const u32 *last_step, u64 hash[2]);

u32 lt_world_local(const struct lt_world *w, const u32 *last_step);

#endif /* PINLAB_LITMUS_INTERP_H */
