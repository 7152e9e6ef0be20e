/* bug.h - BUG_ON/WARN_ON and the other outcome flags, raised as outcomes, never crashes. */
#ifndef PINLAB_BUG_H
#define PINLAB_BUG_H

#include <pinlab/types.h>

/* The outcome flags of LITMUS.md, plus livelock (step limit hit). */
enum pl_flag {
	PLF_BUG,		/* BUG_ON()/VM_BUG_ON() fired; the task died */
	PLF_WARN,		/* WARN_ON() fired */
	PLF_CSUM_ERROR,		/* a block reached disk failing its checksum */
	PLF_IO_ERROR,		/* a write failed (e.g. DIF guard mismatch) */
	PLF_UAF,		/* page freed while pinned, or written after free */
	PLF_LEAK,		/* pins left at the end, acquired != released */
	PLF_DEADLOCK,		/* no task runnable, some asleep */
	PLF_REVOKED,		/* a layout lease was revoked */
	PLF_LIVELOCK,		/* the per-execution step limit was reached */
	PLF_DMA_AFTER_UNPIN,	/* a device wrote or read a page after its pin was dropped */
	PLF_NR,
};

/**
 * struct flag_report - flags raised in one execution
 * @mask: bit f set when flag f was raised
 * @what: for each flag, the first assertion or reason that raised it
 * @step: for each flag, the index of the step during which it was first raised
 */
struct flag_report {
	u32 mask;
	const char *what[PLF_NR];
	u32 step[PLF_NR];
};

const char *flag_name(enum pl_flag f);

int flag_lookup(const char *name, size_t len);

void flags_reset(void);

const struct flag_report *flags_get(void);

/**
 * flag_raise() - record that @f happened; @what says where or why
 *
 * Only the first @what of each flag is kept.  Safe on both back ends.
 */
void flag_raise(enum pl_flag f, const char *what);

__noreturn void __bug(const char *cond, const char *fn);
void __warn(const char *cond, const char *fn);

/* A BUG kills the task that hit it, as an oops kills the kernel thread. */
#define BUG_ON(c)							\
	do {								\
		if (unlikely(c))					\
			__bug(#c, __func__);				\
	} while (0)
#define VM_BUG_ON(c)	BUG_ON(c)

#define WARN_ON(c)							\
	({								\
		bool __w = !!(c);					\
		if (unlikely(__w))					\
			__warn(#c, __func__);				\
		__w;							\
	})
#define WARN_ON_ONCE(c)	WARN_ON(c)

#endif /* PINLAB_BUG_H */
