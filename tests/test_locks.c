/* test_locks.c - layout leases, their break and revocation, and break_layouts() under block and lease-break, on sim. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pinlab/arena.h>
#include <pinlab/bug.h>
#include <pinlab/drivers.h>
#include <pinlab/filelock.h>
#include <pinlab/fs.h>
#include <pinlab/gup.h>
#include <pinlab/layout.h>
#include <pinlab/mm.h>
#include <pinlab/pagemap.h>
#include <pinlab/policy.h>
#include <pinlab/sim.h>
#include <pinlab/world.h>

#include "sim_group.h"

/*
 * The tests play the explorer by hand: tasks are made with kthread_run()
 * and stepped with sim_step() in the order a test wants, and the test body
 * looks at the world between steps (a cmocka assertion must not fire on a
 * task's stack: tasks only record what they saw in @obs).  Task 0 is the
 * lease holder (its pid is its lease owner and its mm), task 1 the breaker.
 */

#define STEP_LIMIT	100000

static const s64 init_a[] = { 10, 11 };

static struct mm_world *w;
static struct policy pol;

/**
 * struct obs - what the tasks saw
 * @lease:   the holder's lease() result
 * @pin:     its pin_user_pages() result
 * @wait:    its wait_lease_break() result
 * @wait2:   a second wait_lease_break() after the first returned
 * @dma:     its dma_write_region() result after the break
 * @unlease: its unlease result
 * @brk:     the breaker's result
 * @h:       the holder's pins
 */
static struct {
	long lease;
	long pin;
	long wait;
	long wait2;
	long dma;
	long unlease;
	long brk;
	struct gup_handle h;
} obs;

/* A fresh execution under preset @name with knob override @knob (or NULL). */
static void world_setup(const char *name, const char *knob)
{
	struct mm_config cfg = {
		.fs = &ext4_profile,
		.sectors = 1,
		.nr_files = 1,
		.names = { "A" },
		.nr_pages = { 2 },
		.init = { init_a },
		.nr_tasks = 3,
		.policy = &pol,
	};

	pol = *policy_find(name);
	if (knob)
		assert_int_equal(policy_set_knob(&pol, knob, NULL, 0), 0);
	sim_reset();
	arena_reset(&exec_arena);
	flags_reset();
	memset(&obs, 0, sizeof(obs));
	w = mm_world_create(&cfg);
	assert_non_null(w);
}

static struct inode *file_a(void)
{
	return w->inodes[0];
}

static struct file_lock_context *ctx_a(void)
{
	return &w->flctx[0];
}

static struct page *page_a0(void)
{
	return file_a()->i_mapping->i_pages[0];
}

static bool flag_raised(enum pl_flag f)
{
	return flags_get()->mask & BIT(f);
}

static bool runnable(int pid)
{
	return sim_runnable_mask() & BIT(pid);
}

/* Step task @pid until it sleeps or ends. Return: its state then */
static enum task_state run_until_stuck(int pid)
{
	int steps = 0;

	while (runnable(pid) && steps++ < STEP_LIMIT)
		sim_step(pid);
	assert_true(steps < STEP_LIMIT);
	return sim_task(pid)->state;
}

static int spawn(int (*fn)(void *))
{
	struct task_struct *t = kthread_run(fn, NULL, "test");

	assert_non_null(t);
	return t->pid;
}

/* ---- the tasks ---- */

/* Holder: lease, long-term writable pin of page 0, and nothing more. */
static int holder_pin(void *arg)
{
	(void)arg;
	obs.lease = vfs_setlease(file_a(), 0, F_RDLCK);
	obs.pin = pin_user_pages(w->mm[0], file_a(), 0, 1, FOLL_WRITE | FOLL_LONGTERM, &obs.h);
	return 0;
}

/* Holder that cooperates: lease, pin, wait for the break, unpin dirty, unlease. */
static int holder_cooperates(void *arg)
{
	holder_pin(arg);
	obs.wait = lease_wait_break(file_a(), 0);
	if (!lease_detach_pins(&obs.h))
		unpin_user_pages_dirty_lock(obs.h.pages, obs.h.nr, true);
	obs.unlease = vfs_setlease(file_a(), 0, F_UNLCK);
	return 0;
}

/* Holder that is told of the break, then ignores it and keeps using the pin. */
static int holder_ignores(void *arg)
{
	holder_pin(arg);
	obs.wait = lease_wait_break(file_a(), 0);
	obs.dma = dma_write_region(&obs.h, 0, 7);
	return 0;
}

/* The holder asks again, later. */
static int holder_asks(void *arg)
{
	(void)arg;
	obs.wait2 = lease_wait_break(file_a(), 0);
	return 0;
}

/* Task 0's lease() again: the same lease. */
static int holder_leases_again(void *arg)
{
	(void)arg;
	obs.wait2 = vfs_setlease(file_a(), 0, F_RDLCK);
	return 0;
}

static int breaker_blocking(void *arg)
{
	(void)arg;
	obs.brk = break_layout(file_a(), true);
	return 0;
}

static int breaker_nonblocking(void *arg)
{
	(void)arg;
	obs.brk = break_layout(file_a(), false);
	return 0;
}

/* A layout change of page 0 under the policy's rule, with truncate's locks held. */
static int layout_change(void *arg)
{
	(void)arg;
	mutex_lock(&file_a()->i_rwsem);
	filemap_invalidate_lock(file_a()->i_mapping);
	obs.brk = break_layouts(file_a(), 0, 1, BREAK_UNMAP);
	filemap_invalidate_unlock(file_a()->i_mapping);
	mutex_unlock(&file_a()->i_rwsem);
	return 0;
}

/* A short-term pin (as O_DIRECT takes), dropped only when told by the test. */
static int short_pin(void *arg)
{
	(void)arg;
	obs.pin = pin_user_pages(w->mm[0], file_a(), 0, 1, FOLL_WRITE, &obs.h);
	return 0;
}

static int short_unpin(void *arg)
{
	(void)arg;
	unpin_user_pages(obs.h.pages, obs.h.nr);
	return 0;
}

static int task_unlease(void *arg)
{
	(void)arg;
	obs.unlease = vfs_setlease(file_a(), 0, F_UNLCK);
	return 0;
}

static int third_lease(void *arg)
{
	(void)arg;
	obs.wait2 = vfs_setlease(file_a(), 2, F_RDLCK);
	return 0;
}

/* ---- leases ---- */

/* Taking a lease twice keeps one; releasing one not held is -EAGAIN; no timer without a break. */
static void test_lease_take_release(void **state)
{
	struct file_lease *fl;

	(void)state;
	world_setup("lease", NULL);
	assert_int_equal(run_until_stuck(spawn(holder_pin)), TASK_DEAD);
	assert_int_equal(obs.lease, 0);
	assert_int_equal(obs.pin, 1);
	fl = ctx_a()->flc_lease[0];
	assert_non_null(fl);
	assert_int_equal(fl->fl_flags, FL_LAYOUT);
	assert_int_equal(fl->fl_nr_pins, 1);
	assert_ptr_equal(obs.h.lease, fl);
	assert_int_equal(run_until_stuck(spawn(holder_leases_again)), TASK_DEAD);
	assert_int_equal(obs.wait2, 0);
	assert_ptr_equal(ctx_a()->flc_lease[0], fl);
	assert_int_equal(run_until_stuck(spawn(task_unlease)), TASK_DEAD);
	assert_int_equal(obs.unlease, 0);
	assert_null(ctx_a()->flc_lease[0]);
	assert_true(fl->fl_deleted);
	/* The pin was still held: under lease-break it went with the lease. */
	assert_true(obs.h.revoked);
	assert_true(flag_raised(PLF_REVOKED));
	assert_int_equal(atomic_load(&page_a0()->_pincount), 0);
	assert_true(PageDirty(page_a0()));
	assert_int_equal(run_until_stuck(spawn(task_unlease)), TASK_DEAD);
	assert_int_equal(obs.unlease, -EAGAIN);
	/* Four tasks made, none a timer: nothing was broken. */
	assert_int_equal(sim_nr_tasks(), 4);
}

/* Under a policy without lease breaks, releasing a lease leaves its pins alone. */
static void test_unlease_keeps_pins_without_lease_break(void **state)
{
	(void)state;
	world_setup("lease", "layout=ignore");
	run_until_stuck(spawn(holder_pin));
	assert_int_equal(obs.pin, 1);
	run_until_stuck(spawn(task_unlease));
	assert_false(obs.h.revoked);
	assert_false(flag_raised(PLF_REVOKED));
	assert_int_equal(atomic_load(&page_a0()->_pincount), 1);
}

/* A non-blocking break marks the lease, arms a timer, tells the holder -EWOULDBLOCK-style; no new lease meanwhile. */
static void test_break_nonblocking(void **state)
{
	struct file_lease *fl;
	int timer;

	(void)state;
	world_setup("lease", NULL);
	run_until_stuck(spawn(holder_pin));
	assert_int_equal(run_until_stuck(spawn(breaker_nonblocking)), TASK_DEAD);
	assert_int_equal(obs.brk, -EWOULDBLOCK);
	fl = ctx_a()->flc_lease[0];
	assert_non_null(fl);
	assert_true(fl->fl_flags & FL_UNLOCK_PENDING);
	assert_false(fl->fl_break_passed);
	/* The break made the timer task, runnable at once. */
	timer = sim_nr_tasks() - 1;
	assert_int_equal(timer, 2);
	assert_string_equal(sim_task(timer)->comm, "lease_break_time");
	assert_true(runnable(timer));
	/* Another task may not take a lease while a break is pending. */
	assert_int_equal(run_until_stuck(spawn(third_lease)), TASK_DEAD);
	assert_int_equal(obs.wait2, -EAGAIN);
	assert_null(ctx_a()->flc_lease[2]);
	/* The timer fires in one step; a non-blocking breaker is gone, the lease stays until timed out. */
	assert_int_equal(sim_step(timer), SIM_EXITED);
	assert_true(fl->fl_break_passed);
	assert_non_null(ctx_a()->flc_lease[0]);
	assert_false(flag_raised(PLF_REVOKED));
}

/* A cooperating holder unpins and unleases; the breaker proceeds; nothing is revoked. */
static void test_break_cooperating_holder(void **state)
{
	int holder, breaker, timer;

	(void)state;
	world_setup("lease", NULL);
	holder = spawn(holder_cooperates);
	breaker = spawn(breaker_blocking);
	assert_int_equal(run_until_stuck(holder), TASK_BLOCKED);	/* in wait_lease_break() */
	assert_int_equal(obs.pin, 1);
	assert_int_equal(run_until_stuck(breaker), TASK_BLOCKED);	/* waits for the lease */
	timer = 2;
	assert_true(runnable(timer));
	assert_true(runnable(holder));					/* lm_break woke it */
	assert_int_equal(run_until_stuck(holder), TASK_DEAD);
	assert_int_equal(obs.wait, 0);
	assert_int_equal(obs.unlease, 0);
	assert_true(runnable(breaker));					/* the removal woke it */
	assert_int_equal(run_until_stuck(breaker), TASK_DEAD);
	assert_int_equal(obs.brk, 0);
	/* The late timer finds the lease gone and does nothing. */
	assert_int_equal(run_until_stuck(timer), TASK_DEAD);
	assert_false(flag_raised(PLF_REVOKED));
	assert_false(obs.h.revoked);
	assert_int_equal(ctx_a()->flc_revoked, 0);
	assert_int_equal(atomic_load(&page_a0()->_pincount), 0);
	assert_true(PageDirty(page_a0()));
}

/* A holder that ignores the break is revoked at the break time: pins taken, device writes go nowhere. */
static void test_break_revokes_ignoring_holder(void **state)
{
	int holder, breaker, timer;

	(void)state;
	world_setup("lease", NULL);
	holder = spawn(holder_ignores);
	breaker = spawn(breaker_blocking);
	run_until_stuck(holder);
	run_until_stuck(breaker);
	timer = 2;
	/* The holder is told, but keeps its pin: the breaker waits. */
	assert_int_equal(run_until_stuck(holder), TASK_DEAD);
	assert_int_equal(obs.wait, 0);
	assert_int_equal(obs.dma, 0);
	assert_false(runnable(breaker));
	assert_int_equal(page_a0()->data[0], 7);
	/* Until the break time passes. */
	assert_int_equal(sim_step(timer), SIM_EXITED);
	assert_true(runnable(breaker));
	assert_int_equal(run_until_stuck(breaker), TASK_DEAD);
	assert_int_equal(obs.brk, 0);
	assert_null(ctx_a()->flc_lease[0]);
	assert_true(obs.h.revoked);
	assert_true(flag_raised(PLF_REVOKED));
	assert_int_equal(atomic_load(&page_a0()->_pincount), 0);
	/* What the device wrote before the revocation is dirty, not lost. */
	assert_true(PageDirty(page_a0()));
	/* The holder learns it was revoked. */
	assert_int_equal(run_until_stuck(spawn(holder_asks)), TASK_DEAD);
	assert_int_equal(obs.wait2, -ETIMEDOUT);
	assert_int_equal(ctx_a()->flc_revoked, BIT(0));
}

/* The device's write after revocation goes nowhere and raises revoked. */
static int device_writes(void *arg)
{
	(void)arg;
	obs.dma = dma_write_region(&obs.h, 0, 9);
	return 0;
}

static void test_revoked_region_goes_nowhere(void **state)
{
	int breaker;

	(void)state;
	world_setup("lease", NULL);
	run_until_stuck(spawn(holder_pin));
	breaker = spawn(breaker_blocking);
	run_until_stuck(breaker);
	sim_step(2);						/* the timer */
	assert_int_equal(run_until_stuck(breaker), TASK_DEAD);
	flags_reset();
	run_until_stuck(spawn(device_writes));
	assert_int_equal(obs.dma, -EIO);
	assert_true(flag_raised(PLF_REVOKED));
	assert_int_equal(page_a0()->data[0], 10);
	/* The driver's own release finds nothing left to release. */
	assert_true(lease_detach_pins(&obs.h));
}

/* Without layout=lease-break a layout change breaks no lease. */
static void test_no_break_without_lease_break(void **state)
{
	(void)state;
	world_setup("lease", "layout=ignore");
	run_until_stuck(spawn(holder_pin));
	assert_int_equal(run_until_stuck(spawn(layout_change)), TASK_DEAD);
	assert_int_equal(obs.brk, 0);
	assert_false(ctx_a()->flc_lease[0]->fl_flags & FL_UNLOCK_PENDING);
	assert_int_equal(sim_nr_tasks(), 2);
}

/*
 * layout=lease-break: break_layouts() drops i_rwsem and the invalidate
 * lock while it sleeps, as xfs drops IOLOCK and MMAPLOCK: a writer and a
 * fault (the holder's re-pin) can get in.
 */
static int rwsem_taker(void *arg)
{
	(void)arg;
	mutex_lock(&file_a()->i_rwsem);
	obs.wait2 = 1;
	mutex_unlock(&file_a()->i_rwsem);
	filemap_invalidate_lock_shared(file_a()->i_mapping);
	obs.wait2 = 2;
	filemap_invalidate_unlock_shared(file_a()->i_mapping);
	return 0;
}

static void test_lease_break_drops_locks(void **state)
{
	int changer;

	(void)state;
	world_setup("lease", NULL);
	run_until_stuck(spawn(holder_pin));
	changer = spawn(layout_change);
	assert_int_equal(run_until_stuck(changer), TASK_BLOCKED);
	assert_int_equal(run_until_stuck(spawn(rwsem_taker)), TASK_DEAD);
	assert_int_equal(obs.wait2, 2);
	sim_step(2);						/* the timer */
	assert_int_equal(run_until_stuck(changer), TASK_DEAD);
	assert_int_equal(obs.brk, 0);
	assert_true(obs.h.revoked);
}

/* ---- layout=block ---- */

/* The layout change waits for a short-term pin and goes on once it is dropped. */
static void test_block_waits_for_unpin(void **state)
{
	int changer;

	(void)state;
	world_setup("mainline", "layout=block");
	run_until_stuck(spawn(short_pin));
	assert_int_equal(obs.pin, 1);
	changer = spawn(layout_change);
	assert_int_equal(run_until_stuck(changer), TASK_BLOCKED);
	assert_false(runnable(changer));
	run_until_stuck(spawn(short_unpin));
	assert_true(runnable(changer));				/* the unpin woke it */
	assert_int_equal(run_until_stuck(changer), TASK_DEAD);
	assert_int_equal(obs.brk, 0);
}

/* A pin never dropped: the change sleeps for good, nothing can run (the explorer's deadlock). */
static void test_block_forever_on_held_pin(void **state)
{
	int changer;

	(void)state;
	world_setup("mainline", "layout=block");
	run_until_stuck(spawn(short_pin));
	changer = spawn(layout_change);
	assert_int_equal(run_until_stuck(changer), TASK_BLOCKED);
	assert_int_equal(sim_runnable_mask(), 0);
	assert_int_equal(sim_blocked_mask(), BIT(changer));
}

/* Pages that are not pinned do not hold the change up; layout=fail still fails a pinned one. */
static void test_block_unpinned_and_fail(void **state)
{
	(void)state;
	world_setup("mainline", "layout=block");
	assert_int_equal(run_until_stuck(spawn(layout_change)), TASK_DEAD);
	assert_int_equal(obs.brk, 0);

	world_setup("mainline", "layout=fail");
	run_until_stuck(spawn(short_pin));
	assert_int_equal(run_until_stuck(spawn(layout_change)), TASK_DEAD);
	assert_int_equal(obs.brk, -EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_take_release),
		cmocka_unit_test(test_unlease_keeps_pins_without_lease_break),
		cmocka_unit_test(test_break_nonblocking),
		cmocka_unit_test(test_break_cooperating_holder),
		cmocka_unit_test(test_break_revokes_ignoring_holder),
		cmocka_unit_test(test_revoked_region_goes_nowhere),
		cmocka_unit_test(test_no_break_without_lease_break),
		cmocka_unit_test(test_lease_break_drops_locks),
		cmocka_unit_test(test_block_waits_for_unpin),
		cmocka_unit_test(test_block_forever_on_held_pin),
		cmocka_unit_test(test_block_unpinned_and_fail),
	};

	return cmocka_run_group_tests(tests, sim_group_setup, NULL);
}
