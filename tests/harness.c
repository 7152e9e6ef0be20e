/* harness.c - the scenario harness of the sim tests: world setup, DPOR exploration, results. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/bio.h>
#include <pinlab/fs.h>
#include <pinlab/policy.h>
#include <pinlab/world.h>

#include "harness.h"

struct results res;
s64 obs[HARNESS_OBS];
struct gup_handle gh;
static struct policy scenario_policy;	/* the running scenario's, knob applied */

/**
 * scenario_setup() - one execution's world, its prepare() and its tasks
 * @priv: the scenario
 *
 * Context: explore_model.setup, before each execution (arena and flags reset).
 * Return: 0, -ENOMEM when the world does not fit the arena, -EAGAIN when a
 * task could not be created, or blk_mq_init_queue()'s error.
 */
static int scenario_setup(void *priv)
{
	const struct scenario *sc = priv;
	struct mm_config cfg = {
		.fs = sc->fs ? sc->fs : &ext4_profile,
		.dif = sc->dif,
		.sectors = sc->sectors ? sc->sectors : HARNESS_SECTORS,
		.nr_files = sc->nr_files ? sc->nr_files : 1,
		.names = { "A", "B" },
		.init = { sc->init, sc->init_b },
		.nr_tasks = HARNESS_TASKS,
		.policy = &scenario_policy,
		.cost = &res.cost,
	};
	struct mm_world *w;
	int i;

	for (i = 0; i < cfg.nr_files; i++)
		cfg.nr_pages[i] = sc->nr_pages ? sc->nr_pages : 1;
	w = mm_world_create(&cfg);
	if (!w)
		return -ENOMEM;
	res.world = w;
	memset(obs, 0, sizeof(obs));
	memset(&gh, 0, sizeof(gh));
	if (sc->prepare)
		sc->prepare(w);
	for (i = 0; i < HARNESS_TASKS && sc->task[i]; i++)
		if (!kthread_run(sc->task[i], w, sc->comm[i] ? sc->comm[i] : "task"))
			return -EAGAIN;
	return sc->queue ? blk_mq_init_queue(w) : 0;
}

/**
 * scenario_ended() - the scenario's epilogue, if it has one
 * @priv: the scenario
 * @epi:  set to it, run on the world
 *
 * Context: explore_model.ended, when the tasks of an execution have ended.
 */
static void scenario_ended(void *priv, struct explore_epilogue *epi)
{
	const struct scenario *sc = priv;

	if (sc->epilogue)
		*epi = (struct explore_epilogue){ sc->epilogue, res.world, "epilogue" };
}

/**
 * scenario_finish() - one execution's outcome into res
 * @priv: the scenario
 * @info: how the execution and its epilogue ended
 *
 * Context: explore_model.finish, after each execution that ran to its end.
 * Return: false: explore on.
 */
static bool scenario_finish(void *priv, const struct exec_info *info)
{
	const struct scenario *sc = priv;
	u32 flags;

	if (info->epilogue_err)
		res.deadlocks++;
	flags = flags_get()->mask;
	res.flags_any |= flags;
	res.flags_all = res.executions ? res.flags_all & flags : flags;
	res.deadlocks += info->deadlock;
	res.executions++;
	if (sc->check)
		sc->check(res.world);
	return false;
}

/**
 * run_scenario() - explore every execution of a scenario, results in res
 * @sc: the scenario
 *
 * Runs under @sc->policy with @sc->knob applied, with res (res.cost
 * included) zeroed first.  Asserts that the exploration completed, that no
 * execution deadlocked and that there was at least one.
 *
 * Context: a test body (cmocka), outside the sim.
 */
void run_scenario(const struct scenario *sc)
{
	struct explore_model m = {
		.priv = (void *)sc,
		.setup = scenario_setup,
		.ended = scenario_ended,
		.finish = scenario_finish,
	};
	struct explore_opts o;
	struct explore_stats st;

	assert_non_null(policy_find(sc->policy));
	scenario_policy = *policy_find(sc->policy);
	if (sc->knob)
		assert_int_equal(policy_set_knob(&scenario_policy, sc->knob, NULL, 0), 0);
	memset(&res, 0, sizeof(res));
	explore_opts_default(&o);
	assert_int_equal(explore_run(&m, &o, &st), 0);
	assert_true(st.complete);
	assert_int_equal(res.deadlocks, 0);
	assert_true(res.executions > 0);
}

/**
 * assert_obs() - obs[0..@n) hold @want[0..@n), in order
 * @want: the values expected
 * @n:    how many
 *
 * Fails the test at the first obs[] that differs, naming its index.
 *
 * Context: a test body (cmocka), after run_scenario(); through ASSERT_OBS().
 */
void assert_obs(const s64 *want, size_t n)
{
	size_t i;

	assert_true(n <= HARNESS_OBS);
	for (i = 0; i < n; i++)
		if (obs[i] != want[i])
			fail_msg("obs[%zu] is %lld, expected %lld", i,
				 (long long)obs[i], (long long)want[i]);
}
