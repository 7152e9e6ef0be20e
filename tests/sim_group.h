/* sim_group.h - the cmocka group setup of the tests that step the sim by hand: backend and arena. */
#ifndef PINLAB_TESTS_SIM_GROUP_H
#define PINLAB_TESTS_SIM_GROUP_H

#include <pinlab/arena.h>
#include <pinlab/sched.h>

#define SIM_ARENA_SIZE	(64u << 20)	/* the execution arena of these tests */

/**
 * sim_group_setup() - the sim back end, and the execution arena once
 * @state: cmocka's group state, unused
 *
 * Shared by the tests that create worlds and step tasks themselves
 * (test_mm_gup, test_locks, test_debug) instead of going through the
 * harness; header-only, as they do not link tests/harness.o.
 *
 * Context: cmocka_run_group_tests()'s group setup.
 * Return: 0, or -1 when the arena cannot be allocated.
 */
static inline int sim_group_setup(void **state)
{
	(void)state;
	kernel_set_backend(KERNEL_SIM);
	if (!exec_arena.base && arena_init(&exec_arena, SIM_ARENA_SIZE))
		return -1;
	return 0;
}

#endif /* PINLAB_TESTS_SIM_GROUP_H */
