/* locks.c - layout leases: vfs_setlease(), __break_lease() and its lease_break_time timer, and design 5's revocation of pins. */
#include <errno.h>
#include <pinlab/arena.h>
#include <pinlab/bio.h>
#include <pinlab/bug.h>
#include <pinlab/filelock.h>
#include <pinlab/gup.h>
#include <pinlab/mm.h>
#include <pinlab/mmdebug.h>
#include <pinlab/policy.h>
#include <pinlab/tracepoint.h>

/*
 * What is modelled (the kernel's fs/locks.c, FL_LAYOUT leases only):
 *
 *  vfs_setlease(F_RDLCK)  generic_add_lease(): time out expired leases;
 *			   no new lease while another's break is pending
 *			   (-EAGAIN); a second one of the same task is the
 *			   first one.
 *  vfs_setlease(F_UNLCK)  generic_delete_lease(): remove it, wake breakers.
 *  __break_lease()        time out expired leases; mark every lease
 *			   FL_UNLOCK_PENDING with a break time (a timer task
 *			   per lease, below) and call lm_break (wake the
 *			   holder); -EWOULDBLOCK for a non-blocking caller;
 *			   else sleep until the leases are gone or a break
 *			   time passed, time them out (the breaker removes
 *			   the lease) and look again.
 *
 * The break time: the kernel compares fl_break_time with jiffies when the
 * breaker's timed sleep ends.  pinlab has no clock: the break starts a
 * kernel task, runnable at once, whose single step is "the break time has
 * passed" (fl_break_passed, a wake-up of the breakers).  The explorer may
 * run it at any point after the break started, so every order of the
 * holder's reaction and the timeout is explored; a test without a break
 * has no such task and no extra execution.
 *
 * Removing a lease never touches pins in the kernel.  Under
 * layout=lease-break (Dave Chinner's design, Ira Weiny's 2019 series) the
 * long-term pins taken under a lease are tied to it (lease_attach_pins()),
 * and a lease that goes while they are held takes them with it: they are
 * revoked (unpinned for the driver, dirtying what the device may have
 * written) and the device reaches nothing through them any more.  A lease
 * that went with the pin left in place would be layout=ignore.
 */

/**
 * struct lease_dispose - what removing leases leaves to do once out of the
 * flc_lock region (the kernel's dispose list)
 * @nr: handles in @h
 * @h:  long-term pins to revoke
 */
struct lease_dispose {
	int nr;
	struct gup_handle *h[NR_TASKS_MAX * LEASE_PINS_MAX];
};

/**
 * locks_init_context() - an empty lease list
 * @ctx: the file's lease context, zeroed
 */
void locks_init_context(struct file_lock_context *ctx)
{
	init_waitqueue_head(&ctx->flc_wait);
}

/**
 * locks_inode_context() - the lease list of @inode
 * @inode: the file
 *
 * Return: its lock context (pinlab keeps one per file in the world).
 */
struct file_lock_context *locks_inode_context(struct inode *inode)
{
	return &inode->i_world->flctx[inode->i_ino];
}

/* Leases belong to litmus tasks: pids below the world's nr_tasks. */
static int lease_owners(struct inode *inode)
{
	return inode->i_world->nr_tasks;
}

/* The lease @owner holds on the file, read with its footprint. */
static struct file_lease *lease_of(struct file_lock_context *ctx, int owner)
{
	kobj_read(&ctx->flc_lease[owner]);
	return ctx->flc_lease[owner];
}

/* lease_breaking() - a break of @fl is pending */
static bool lease_breaking(struct file_lease *fl)
{
	kobj_read(fl);
	return fl->fl_flags & FL_UNLOCK_PENDING;
}

/* past_time(fl_break_time): the lease's break timer fired */
static bool lease_break_passed(struct file_lease *fl)
{
	kobj_read(fl);
	return fl->fl_break_passed;
}

/* locks_wake_up_blocks() and lm_break's SIGIO: wake whoever sleeps on the file's leases. */
static void locks_wake_up(struct file_lock_context *ctx)
{
	if (wq_has_sleeper(&ctx->flc_wait))
		wake_up(&ctx->flc_wait);
}

/*
 * lease_revoke_pins() - design 5: the long-term pins still tied to @fl
 * go with it.  Marks each handle revoked (the device reaches nothing
 * through it from now on) and leaves the unpinning to lease_dispose_list().
 */
static void lease_revoke_pins(struct file_lease *fl, struct lease_dispose *dispose)
{
	int i;

	for (i = 0; i < fl->fl_nr_pins; i++) {
		struct gup_handle *h = fl->fl_pins[i];

		kobj_write(&h->revoked);
		h->revoked = true;
		trace_mm_event("pins revoked", h->nr ? h->pages[0] : NULL);
		dispose->h[dispose->nr++] = h;
	}
	fl->fl_nr_pins = 0;
}

/*
 * locks_delete_lock_ctx() - take @fl off @inode's list and wake the
 * breakers blocked on it.  Context: in the flc_lock step.
 */
static void locks_delete_lease(struct inode *inode, struct file_lease *fl,
			       struct lease_dispose *dispose)
{
	struct file_lock_context *ctx = locks_inode_context(inode);

	kobj_write(&ctx->flc_lease[fl->fl_owner]);
	kobj_write(fl);
	ctx->flc_lease[fl->fl_owner] = NULL;
	fl->fl_deleted = true;
	fl->fl_flags &= ~FL_UNLOCK_PENDING;
	if (inode_policy(inode)->layout == LAYOUT_LEASE_BREAK)
		lease_revoke_pins(fl, dispose);
	locks_wake_up(ctx);
}

/*
 * locks_dispose_list() - after the flc_lock region: unpin the revoked
 * handles for their drivers, as deregistering the memory region would
 * (dirtying the pages of a writable pin: the device may have written them).
 */
static void lease_dispose_list(struct lease_dispose *dispose)
{
	int i;

	if (dispose->nr)
		flag_raise(PLF_REVOKED, "a layout lease went: its long-term pins were revoked");
	for (i = 0; i < dispose->nr; i++) {
		struct gup_handle *h = dispose->h[i];

		unpin_user_pages_dirty_lock(h->pages, h->nr, h->flags & FOLL_WRITE);
	}
	dispose->nr = 0;
}

/*
 * time_out_leases() - remove every lease whose break time has passed: the
 * breaker removes it (lease_modify(F_UNLCK)).  Its holder's next
 * wait_lease_break() reports the revocation.
 */
static void time_out_leases(struct inode *inode, struct lease_dispose *dispose)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	int p;

	for (p = 0; p < lease_owners(inode); p++) {
		struct file_lease *fl = lease_of(ctx, p);

		if (!fl || !lease_break_passed(fl))
			continue;
		kobj_write(&ctx->flc_revoked);
		ctx->flc_revoked |= BIT(p);
		inode_cost(inode)->revocations++;
		locks_delete_lease(inode, fl, dispose);
	}
}

/*
 * any_leases_conflict() - is any layout lease left on the file?  Every
 * layout lease conflicts with a layout break (leases_conflict()), the
 * breaker's own included: a task that truncates a file it holds a layout
 * lease on waits for its own lease's break time, as in the kernel.
 */
static bool any_leases_conflict(struct inode *inode)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	int p;

	for (p = 0; p < lease_owners(inode); p++)
		if (lease_of(ctx, p))
			return true;
	return false;
}

/* Has some lease on the file passed its break time? (the breaker's timed sleep ends) */
static bool any_lease_break_passed(struct inode *inode)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	int p;

	for (p = 0; p < lease_owners(inode); p++) {
		struct file_lease *fl = lease_of(ctx, p);

		if (fl && lease_break_passed(fl))
			return true;
	}
	return false;
}

/*
 * lease_break_timer() - lease_break_time has passed for the lease @arg:
 * the kernel task a break starts.  One step; a lease removed meanwhile
 * is left alone.
 */
static int lease_break_timer(void *arg)
{
	struct file_lease *fl = arg;

	kobj_read(fl);
	if (fl->fl_deleted)
		return 0;
	kobj_write(fl);
	fl->fl_break_passed = true;
	locks_wake_up(fl->fl_ctx);
	return 0;
}

/*
 * lease_start_break() - fl_flags |= FL_UNLOCK_PENDING, fl_break_time =
 * jiffies + lease_break_time: arm the timer.  Without a task left for it
 * (a test using every task) the break time has passed at once.
 */
static void lease_start_break(struct inode *inode, struct file_lease *fl)
{
	struct task_struct *timer;

	kobj_write(fl);
	fl->fl_flags |= FL_UNLOCK_PENDING;
	inode_cost(inode)->lease_breaks++;
	timer = kthread_run(lease_break_timer, fl, "lease_break_time");
	if (!timer) {
		fl->fl_break_passed = true;
		return;
	}
	timer->note = "lease_break_time passes";	/* what traces show for its step */
}

/*
 * lease_mark_breaking() - start the break of every lease not yet being
 * broken, then lm_break: the holders are told (SIGIO; here, woken in
 * wait_lease_break()).  Return: whether any lease is left.
 */
static bool lease_mark_breaking(struct inode *inode)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	bool any = false;
	int p;

	for (p = 0; p < lease_owners(inode); p++) {
		struct file_lease *fl = lease_of(ctx, p);

		if (!fl)
			continue;
		any = true;
		if (!lease_breaking(fl))
			lease_start_break(inode, fl);
	}
	if (any)
		locks_wake_up(ctx);
	return any;
}

/* The breaker's sleep ends: the leases went, or a break time passed. */
static bool lease_break_wait_done(struct inode *inode)
{
	return !any_leases_conflict(inode) || any_lease_break_passed(inode);
}

/**
 * __break_lease() - break every layout lease on @inode
 * @inode: the file whose layout is about to change
 * @wait:  sleep until the leases are gone (else -EWOULDBLOCK)
 *
 * Context: a scheduling point at the start (spin_lock(&ctx->flc_lock))
 * and at each wake-up of the blocking sleep; the holders' revoked pins
 * are unpinned after the lock region, with the unpin's own points.
 *
 * Return: 0 once no layout lease is left, -EWOULDBLOCK when leases are
 * left and @wait is false (their break has started).
 */
static int __break_lease(struct inode *inode, bool wait)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	struct lease_dispose dispose = { 0 };
	int error = 0;

	__sched_point(NULL, KACC_READ, "__break_lease");
	time_out_leases(inode, &dispose);
	if (!lease_mark_breaking(inode))
		goto out;
	if (!wait) {
		error = -EWOULDBLOCK;
		goto out;
	}
	lease_dispose_list(&dispose);
	for (;;) {
		wait_event(&ctx->flc_wait, lease_break_wait_done(inode));
		time_out_leases(inode, &dispose);
		if (!any_leases_conflict(inode))
			break;
		lease_dispose_list(&dispose);
	}
out:
	lease_dispose_list(&dispose);
	return error;
}

/**
 * break_layout() - break the layout leases of @inode (include/linux/filelock.h)
 * @inode: the file
 * @wait:  block until they are gone
 *
 * Context: may sleep when @wait.  Return: as __break_lease().
 */
int break_layout(struct inode *inode, bool wait)
{
	return __break_lease(inode, wait);
}

/* lease_alloc() - a new layout lease of @owner on @ctx's file. Return: NULL without memory */
static struct file_lease *lease_alloc(struct file_lock_context *ctx, int owner)
{
	struct file_lease *fl = arena_alloc(&exec_arena, sizeof(*fl));

	if (!fl)
		return NULL;
	fl->fl_owner = owner;
	fl->fl_flags = FL_LAYOUT;
	fl->fl_ctx = ctx;
	mm_debug_lease(fl);
	return fl;
}

/* Is another task's lease on the file being broken? (no new lease meanwhile) */
static bool other_lease_breaking(struct inode *inode, int owner)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	int p;

	for (p = 0; p < lease_owners(inode); p++) {
		struct file_lease *fl = p == owner ? NULL : lease_of(ctx, p);

		if (fl && lease_breaking(fl))
			return true;
	}
	return false;
}

/*
 * generic_add_lease() - F_SETLEASE F_RDLCK with FL_LAYOUT.  Layout leases
 * do not conflict with open writers (check_conflicting_open() skips them).
 * Return: 0, -EAGAIN while another lease's break is pending, -ENOMEM.
 */
static int generic_add_lease(struct inode *inode, int owner)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	struct lease_dispose dispose = { 0 };
	struct file_lease *fl;
	int error = 0;

	time_out_leases(inode, &dispose);
	if (lease_of(ctx, owner))
		goto out;		/* lease_modify() to the same type */
	error = -EAGAIN;
	if (other_lease_breaking(inode, owner))
		goto out;
	error = -ENOMEM;
	fl = lease_alloc(ctx, owner);
	if (!fl)
		goto out;
	kobj_write(&ctx->flc_lease[owner]);
	kobj_write(&ctx->flc_revoked);
	ctx->flc_lease[owner] = fl;
	ctx->flc_revoked &= ~BIT(owner);
	error = 0;
out:
	lease_dispose_list(&dispose);
	return error;
}

/* generic_delete_lease() - F_SETLEASE F_UNLCK. Return: 0, -EAGAIN when @owner holds none */
static int generic_delete_lease(struct inode *inode, int owner)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	struct lease_dispose dispose = { 0 };
	struct file_lease *fl = lease_of(ctx, owner);

	if (!fl)
		return -EAGAIN;
	locks_delete_lease(inode, fl, &dispose);
	lease_dispose_list(&dispose);
	return 0;
}

/**
 * vfs_setlease() - fcntl(F_SETLEASE) of a layout lease on @inode for task @owner
 * @inode: the file
 * @owner: the task's pid
 * @arg:   F_RDLCK (take) or F_UNLCK (release)
 *
 * Context: one step (the flc_lock region), begun at a scheduling point;
 * unpinning revoked pins (a lease released with its pins still held, under
 * layout=lease-break) adds the unpin's own points.
 *
 * Return: 0, or -errno (see generic_add_lease(), generic_delete_lease();
 * -EINVAL for another @arg).
 */
int vfs_setlease(struct inode *inode, int owner, int arg)
{
	struct file_lock_context *ctx = locks_inode_context(inode);

	if (owner < 0 || owner >= lease_owners(inode))
		return -EINVAL;
	__sched_point(&ctx->flc_lease[owner], KACC_WRITE, "generic_setlease");
	switch (arg) {
	case F_RDLCK:
		return generic_add_lease(inode, owner);
	case F_UNLCK:
		return generic_delete_lease(inode, owner);
	default:
		return -EINVAL;
	}
}

/* What wait_lease_break() returns now, or -EAGAIN to go on sleeping. */
static int lease_break_state(struct inode *inode, int owner)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	struct file_lease *fl = lease_of(ctx, owner);

	if (fl)
		return lease_breaking(fl) ? 0 : -EAGAIN;
	kobj_read(&ctx->flc_revoked);
	return ctx->flc_revoked & BIT(owner) ? -ETIMEDOUT : -ENOLCK;
}

/**
 * lease_wait_break() - the holder's side of a break: sleep until the lease
 * @owner holds on @inode is being broken (the SIGIO lm_break sends, then
 * F_GETLEASE showing the break)
 * @inode: the file
 * @owner: the holder's pid
 *
 * Context: sleeps on the file's lease wait queue; each test is a step.
 * Under a policy that never breaks leases it sleeps for good.
 *
 * Return: 0 when the lease is being broken, -ETIMEDOUT when it was
 * removed at its break time (revoked), -ENOLCK when @owner holds none.
 */
int lease_wait_break(struct inode *inode, int owner)
{
	struct file_lock_context *ctx = locks_inode_context(inode);
	int ret;

	if (owner < 0 || owner >= lease_owners(inode))
		return -EINVAL;
	wait_event(&ctx->flc_wait, (ret = lease_break_state(inode, owner)) != -EAGAIN);
	return ret;
}

/**
 * layout_lease_held() - does task @owner hold a layout lease on @inode?
 * @inode: the file
 * @owner: the task's pid
 *
 * A lease being broken is still held.  Context: a read of @owner's slot.
 * Return: true if it does.
 */
bool layout_lease_held(struct inode *inode, int owner)
{
	if (owner < 0 || owner >= lease_owners(inode))
		return false;
	return lease_of(locks_inode_context(inode), owner) != NULL;
}

/**
 * lease_attach_pins() - tie the long-term pins in @h to @owner's layout
 * lease on @inode, so that they go with it (layout=lease-break)
 * @inode: the pinned file
 * @owner: the pinning task
 * @h:     its handle, all pins taken
 *
 * Context: the pinning task's step that took the last pin.
 * Return: 0, -ENOLCK when @owner holds no lease (any more), -ENOSPC when
 * the lease carries LEASE_PINS_MAX handles already.
 */
int lease_attach_pins(struct inode *inode, int owner, struct gup_handle *h)
{
	struct file_lease *fl;

	if (owner < 0 || owner >= lease_owners(inode))
		return -ENOLCK;
	fl = lease_of(locks_inode_context(inode), owner);
	if (!fl)
		return -ENOLCK;
	kobj_write(fl);
	if (fl->fl_nr_pins == LEASE_PINS_MAX)
		return -ENOSPC;
	fl->fl_pins[fl->fl_nr_pins++] = h;
	h->lease = fl;
	return 0;
}

/**
 * lease_detach_pins() - the driver releases @h itself: untie it from its
 * lease first, unless the lease's removal revoked it already
 * @h: the handle
 *
 * Both sides write the lease, so the explorer orders the release and the
 * revocation; only one of them unpins.
 *
 * Return: true when @h was revoked (its pins are gone: release nothing).
 */
bool lease_detach_pins(struct gup_handle *h)
{
	struct file_lease *fl = h->lease;
	int i;

	if (!fl)
		return false;
	kobj_write(fl);
	kobj_read(&h->revoked);
	if (h->revoked)
		return true;
	for (i = 0; i < fl->fl_nr_pins; i++) {
		if (fl->fl_pins[i] == h) {
			fl->fl_pins[i] = fl->fl_pins[--fl->fl_nr_pins];
			break;
		}
	}
	h->lease = NULL;
	return false;
}

/**
 * gup_handle_revoked() - were @h's pins revoked with their lease?
 * @h: a handle of the calling task
 *
 * Return: true if so; a handle never tied to a lease costs no footprint.
 */
bool gup_handle_revoked(struct gup_handle *h)
{
	if (!h->lease)
		return false;
	kobj_read(&h->revoked);
	return h->revoked;
}

/**
 * locks_remove_task() - a task ends: its files are closed and its leases
 * go with them (locks_remove_file() -> locks_remove_lease())
 * @w:     the world
 * @owner: the task's pid
 *
 * Context: the task's last step; adds no scheduling point unless revoked
 * pins are unpinned.
 */
void locks_remove_task(struct mm_world *w, int owner)
{
	int f;

	if (owner < 0 || owner >= w->nr_tasks)
		return;
	for (f = 0; f < w->nr_files; f++) {
		struct inode *inode = w->inodes[f];

		if (layout_lease_held(inode, owner))
			generic_delete_lease(inode, owner);
	}
}
