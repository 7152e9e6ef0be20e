/* cost.h - what the designs cost: counters the model bumps, vmstat-like, outside the footprints. */
#ifndef PINLAB_COST_H
#define PINLAB_COST_H

#include <stddef.h>
#include <pinlab/types.h>

/**
 * struct mm_cost - what the designs cost, a world's counters (mm_world.cost,
 * as a pgdat's vm_stat), summed over every execution whose world the caller
 * gave them to (instrumentation, not model state: no footprints)
 * @bounces:      bounce copies made (block or filesystem level)
 * @stable_waits: folio_wait_stable() calls that found the page under writeback
 * @wb_waits:     integrity writeback waits on a page under writeback
 * @skipped:      pinned pages cleaning writeback left dirty
 * @layout_fails: truncates, punches and reflinks failed over a maybe-pinned page
 * @layout_waits: layout changes that slept until a range was unpinned
 * @lease_breaks: layout leases broken by a layout change
 * @revocations:  leases revoked at the break time, their pins taken away
 * @cow_reservations: COW-fork extents reserved (xfs: a write to a shared
 *		  block, a reflink's pinned page under layout=cow, each
 *		  writeback of a pinned page under layout=cow)
 * @pins_refused: GUP calls the design or the kernel refused before faulting
 *		  (a long-term pin of a dirty-tracked or DAX file, one without a lease)
 */
struct mm_cost {
	u64 bounces;
	u64 stable_waits;
	u64 wb_waits;
	u64 skipped;
	u64 layout_fails;
	u64 layout_waits;
	u64 lease_breaks;
	u64 revocations;
	u64 cow_reservations;
	u64 pins_refused;
};

#define MM_COST_NR	(int)(sizeof(struct mm_cost) / sizeof(u64))	/* counters */

/**
 * struct mm_cost_field - one counter of struct mm_cost
 * @name: its field name ("bounces")
 * @off:  offsetof(struct mm_cost, the field)
 */
struct mm_cost_field {
	const char *name;
	size_t off;
};

const struct mm_cost_field *mm_cost_field(int i);
u64 mm_cost_get(const struct mm_cost *c, const struct mm_cost_field *f);
void mm_cost_add(struct mm_cost *a, const struct mm_cost *b);

#endif /* PINLAB_COST_H */
