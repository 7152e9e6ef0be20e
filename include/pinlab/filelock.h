/* filelock.h - layout leases (FL_LAYOUT) on a file: take, release, break, revoke (fs/locks.c). */
#ifndef PINLAB_FILELOCK_H
#define PINLAB_FILELOCK_H

#include <pinlab/sched.h>
#include <pinlab/wait.h>

struct gup_handle;
struct inode;
struct mm_world;

/* struct file_lease.fl_flags, the kernel's values. */
#define FL_LAYOUT		2048	/* a layout lease: broken by layout changes */
#define FL_UNLOCK_PENDING	512	/* being broken: the holder must let go */

/* F_SETLEASE arguments: a layout lease is a read lease. */
#define F_RDLCK			0
#define F_UNLCK			2

#define LEASE_PINS_MAX		4	/* long-term pin handles one lease can carry */

/**
 * struct file_lease - one task's layout lease on one file (the kernel
 * allocates one per lease; so does pinlab, in the execution arena, so that
 * a lease taken again is a new object and a stale break timer touches only
 * the old one)
 * @fl_owner:       pid of the task holding it
 * @fl_flags:       FL_LAYOUT, plus FL_UNLOCK_PENDING once a break started
 * @fl_break_passed: jiffies passed fl_break_time: the lease_break_time
 *		    timer fired (time_out_leases() removes the lease)
 * @fl_deleted:     taken off its file's list (a timer firing later does nothing)
 * @fl_nr_pins:     handles in @fl_pins
 * @fl_pins:        long-term pins taken under the lease (Ira Weiny's 2019
 *		    series ties them to the file); layout=lease-break revokes
 *		    those still held when the lease goes
 * @fl_ctx:         the file's lease list (fixed at creation)
 *
 * The whole lease is one footprint object.
 */
struct file_lease {
	int fl_owner;
	unsigned int fl_flags;
	bool fl_break_passed;
	bool fl_deleted;
	int fl_nr_pins;
	struct gup_handle *fl_pins[LEASE_PINS_MAX];
	struct file_lock_context *fl_ctx;
};

/**
 * struct file_lock_context - the leases of one file (inode->i_flctx)
 * @flc_lease:   per task, its lease on the file or NULL (the kernel's
 *		 flc_lease list; each slot is a footprint object)
 * @flc_revoked: bit p: task p's last lease was removed at its break time
 *		 (one object)
 * @flc_wait:    breakers waiting for leases to go and holders waiting in
 *		 wait_lease_break() for a break to start (the kernel's
 *		 fl_wait and the holder's SIGIO)
 *
 * flc_lock: every lease operation runs in one step of the model, which is
 * the region the kernel's ctx->flc_lock protects; nothing sleeps in it.
 */
struct file_lock_context {
	struct file_lease *flc_lease[NR_TASKS_MAX];
	u32 flc_revoked;
	struct wait_queue_head flc_wait;
};

void locks_init_context(struct file_lock_context *ctx);

struct file_lock_context *locks_inode_context(struct inode *inode);

int vfs_setlease(struct inode *inode, int owner, int arg);
int break_layout(struct inode *inode, bool wait);
int lease_wait_break(struct inode *inode, int owner);
bool layout_lease_held(struct inode *inode, int owner);
int lease_attach_pins(struct inode *inode, int owner, struct gup_handle *h);
bool lease_detach_pins(struct gup_handle *h);
bool gup_handle_revoked(struct gup_handle *h);
void locks_remove_task(struct mm_world *w, int owner);

#endif /* PINLAB_FILELOCK_H */
