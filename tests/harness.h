/* harness.h - the scenario harness shared by the sim tests: a world, tasks explored by DPOR, results. */
#ifndef PINLAB_TESTS_HARNESS_H
#define PINLAB_TESTS_HARNESS_H

#include <pinlab/bug.h>
#include <pinlab/cost.h>
#include <pinlab/explore.h>
#include <pinlab/mm_types.h>

/*
 * A test is a scenario: a world of one or two files, a prepare() run
 * before the tasks (outside any task: nothing sleeps there), up to
 * HARNESS_TASKS tasks explored completely by DFS with DPOR, an optional
 * epilogue task run alone after them, and a check() after each execution.
 * The tasks run on the sim's own stacks, where a cmocka assertion must not
 * fire: they record what they see in obs[], check() counts outcomes in
 * res.count[], and the test body asserts.  Like the kernel's
 * tools/testing/vma/shared.h, one copy for every test file that needs it.
 */

#define HARNESS_TASKS	2	/* tasks explored together */
#define HARNESS_FILES	2	/* files of a world: A, then B */
#define HARNESS_PAGES	4	/* initial page values per file */
#define HARNESS_SECTORS	2	/* sectors per page unless a scenario says */
#define HARNESS_OBS	16	/* observations per execution */
#define HARNESS_COUNTS	6	/* per-test counters */

/**
 * struct scenario - one test's world, tasks and checks
 *
 * Every field may be left zero: the default is noted with it.
 */
struct scenario {
	const char *policy;			/* preset to run under */
	const char *knob;			/* an override of @policy ("base=4.20"), or NULL */
	const struct fs_profile *fs;		/* profile of every file; NULL: ext4 */
	bool dif;				/* a DIF/DIX disk */
	int sectors;				/* sectors per page; 0: HARNESS_SECTORS */
	int nr_files;				/* files "A" and "B"; 0: only A */
	int nr_pages;				/* pages of each file; 0: one */
	s64 init[HARNESS_PAGES];		/* A's initial page values */
	s64 init_b[HARNESS_PAGES];		/* B's, when @nr_files is 2 */
	const char *comm[HARNESS_TASKS];	/* the tasks' names; NULL: "task" */
	void (*prepare)(struct mm_world *w);	/* before the tasks, outside them */
	int (*task[HARNESS_TASKS])(void *w);	/* explored together (NULL: fewer) */
	int (*epilogue)(void *w);		/* run alone after them, or NULL */
	void (*check)(struct mm_world *w);	/* after each execution, or NULL */
	bool queue;				/* a device task (blk_mq_init_queue()) */
};

/**
 * struct results - what one scenario saw, over all its executions
 */
struct results {
	u64 executions;			/* executions explored */
	u32 flags_any;			/* flags raised in some execution */
	u32 flags_all;			/* flags raised in every execution */
	u64 deadlocks;			/* executions (or epilogues) that deadlocked */
	u64 count[HARNESS_COUNTS];	/* per-test counters, bumped by check() */
	struct mm_cost cost;		/* what every execution's world cost (mm_config.cost) */
	struct mm_world *world;		/* the last execution's world (mm_world_create()),
					 * in the arena until the next scenario runs */
};

extern struct results res;		/* the running scenario's results */
extern s64 obs[HARNESS_OBS];		/* the tasks' observations, zeroed per execution */
extern struct gup_handle gh;		/* a pin prepare() may take, zeroed per execution */

void run_scenario(const struct scenario *sc);

/**
 * file_a() - the world's first file, A
 * @w: the world
 * Return: its inode
 */
static inline struct inode *file_a(struct mm_world *w)
{
	return w->inodes[0];
}

/**
 * raised() - whether a flag is in a mask
 * @mask: flags (res.flags_any, res.flags_all, flags_get()->mask)
 * @f:    the flag
 * Return: true when @f is in @mask
 */
static inline bool raised(u32 mask, enum pl_flag f)
{
	return mask & BIT(f);
}

/**
 * raised_now() - whether the execution that just ended raised a flag
 * @f: the flag
 *
 * Context: check(), after an execution.
 * Return: true when @f was raised
 */
static inline bool raised_now(enum pl_flag f)
{
	return raised(flags_get()->mask, f);
}

/**
 * RUN_SCENARIO() - run_scenario() of a scenario written in place
 * @...: the designated initializers of its struct scenario
 *
 * The scenario lives for the call, which is all the explorer needs of it.
 */
#define RUN_SCENARIO(...)	run_scenario(&(const struct scenario){ __VA_ARGS__ })

void assert_obs(const s64 *want, size_t n);

/**
 * ASSERT_OBS() - the scenario's obs[0], obs[1], ... are these values
 * @...: the values, from obs[0] on
 */
#define ASSERT_OBS(...)							\
	assert_obs((const s64[]){ __VA_ARGS__ },			\
		   sizeof((const s64[]){ __VA_ARGS__ }) / sizeof(s64))

#endif /* PINLAB_TESTS_HARNESS_H */
