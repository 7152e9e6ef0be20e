/* policy.h - the pinning designs as one struct of orthogonal knobs, with named presets. */
#ifndef PINLAB_POLICY_H
#define PINLAB_POLICY_H

#include <stdio.h>
#include <pinlab/types.h>

enum pin_tracking {
	PIN_NONE,		/* FOLL_PIN takes plain references (the 2018 placeholder) */
	PIN_MAPCOUNT,		/* GUP raises _mapcount too (Jerome Glisse) */
	PIN_BIAS,		/* +GUP_PIN_COUNTING_BIAS on _refcount (mainline) */
	PIN_EXACT,		/* a separate exact pin counter (Jan Kara) */
};

enum longterm_file {
	LONGTERM_ALLOW,		/* FOLL_LONGTERM pins of file pages are allowed */
	LONGTERM_REFUSE,	/* -EFAULT for writable pins of dirty-tracked mappings (6.5) */
	LONGTERM_LEASE,		/* -EPERM unless the caller holds a layout lease (Dave Chinner) */
};

enum reclaim_pinned {
	RECLAIM_RELEASE,	/* reclaim cleans and strips buffers of pinned pages */
	RECLAIM_SKIP,		/* shrink_folio_list() keeps maybe-pinned folios (6.4) */
};

enum wb_pinned {
	WB_INPLACE,		/* write the pinned page itself */
	WB_BLOCK_BOUNCE,	/* the block layer bounces pinned pages at submit_bio */
	WB_FS_BOUNCE,		/* clear_page_dirty_for_io() hands back a bounce copy */
};

enum stable_pinned {
	STABLE_OFF,		/* folio_wait_stable() only for AS_STABLE_WRITES mappings */
	STABLE_FORCED,		/* ... and always for pinned pages (Dave Chinner) */
};

/*
 * The kernel a design runs on: behaviour that changed between the 2018
 * thread's kernel and mainline now, one value per era (docs/eras.md).
 */
enum kernel_base {
	BASE_4_20,		/* Linux 4.20 (December 2018), the thread's kernel */
	BASE_6_18,		/* Linux 6.18, mainline now */
};

enum layout_pinned {
	LAYOUT_IGNORE,		/* reflink/truncate/punch ignore pins */
	LAYOUT_FAIL,		/* fail with -EBUSY */
	LAYOUT_BLOCK,		/* block until unpinned */
	LAYOUT_COW,		/* copy pinned blocks immediately */
	LAYOUT_LEASE_BREAK,	/* break the layout lease; revoke on timeout */
};

enum dax_busy {
	DAX_BUSY_WAIT,		/* dax_break_layout(): wait until the pages are idle (4.17+) */
	DAX_BUSY_FREE,		/* free the blocks under busy pages (DAX before 4.17) */
};

/**
 * struct policy - one design
 * @name:             preset name, or the preset's name followed by overrides
 * @summary:          one line: whose design, where from
 * @pin:              how a pin is counted
 * @longterm:         what FOLL_LONGTERM of a file page gets
 * @reclaim:          what reclaim does with a pinned page
 * @wb:               how writeback writes a pinned page
 * @wb_skip_cleaning: WB_SYNC_NONE leaves pinned pages dirty; WB_SYNC_ALL still
 *		      writes them (Jan Kara's 2023 RFC); 0 or 1
 * @stable:           whether pinned pages get stable-page waits
 * @base:             the kernel the design runs on
 * @layout:           a layout change over a pinned range
 * @dax_busy:         truncate of a busy DAX page
 *
 * Every knob after @summary is an int-sized field, as policy/policy.c's
 * knob table reads and writes them (it checks the size of each).
 */
struct policy {
	char name[64];			/* preset name and overrides */
	const char *summary;		/* one line: whose design, where from */
	enum pin_tracking pin;		/* how a pin is counted */
	enum longterm_file longterm;	/* FOLL_LONGTERM of file pages */
	enum reclaim_pinned reclaim;	/* reclaim of a pinned page */
	enum wb_pinned wb;		/* writeback of a pinned page */
	int wb_skip_cleaning;		/* bool: cleaning writeback skips pins */
	enum stable_pinned stable;	/* stable-page waits for pinned pages */
	enum kernel_base base;		/* the kernel era under the design */
	enum layout_pinned layout;	/* layout change over a pinned range */
	enum dax_busy dax_busy;		/* truncate of a busy DAX page */
};

int policy_nr_presets(void);

const struct policy *policy_preset(int i);

const struct policy *policy_find(const char *name);

int policy_set_knob(struct policy *p, const char *assign, char *err, size_t errlen);

void policy_print(FILE *f, const struct policy *p);

void policy_print_knobs(FILE *f);

int policy_define(const char *text, size_t len, struct policy *out, size_t *col,
		  char *err, size_t errlen);
int policy_register(const struct policy *p);
int policy_nr_user(void);
const struct policy *policy_user(int i);
int policy_nr_listed(void);
const struct policy *policy_listed(int i);

int policy_nr_knobs(void);
const char *policy_knob_name(int k);
int policy_knob_nr_values(int k);
const char *policy_knob_value(int k, int v);
int policy_knob_get(const struct policy *p, int k);

#endif /* PINLAB_POLICY_H */
