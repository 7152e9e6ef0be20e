/* audit.h - debug builds: the footprint auditor and the hooks of the model's invariant checkers. */
#ifndef PINLAB_AUDIT_H
#define PINLAB_AUDIT_H

#include <pinlab/sched.h>

/*
 * The explorer's reduction trusts footprints (sched.h): a write of shared
 * model state left out of the step's footprint lets DPOR prune a real race.
 * In a build with -DPINLAB_DEBUG (B=build-debug, `make check`) the auditor
 * checks every step of every execution:
 *
 *  writes  Model objects are registered with a table of their fields when
 *	    they are created.  Before a step the auditor holds a shadow copy
 *	    of each; after it, every field whose bytes changed must have its
 *	    footprint object in the step's footprint with a mode other than
 *	    KACC_READ (or the footprint is global).
 *  reads   Fields that are read raw (not through a recording helper such
 *	    as page_test_flag()) are read through asserting accessors
 *	    (i_size_read(), page_freed(), ...) that call audit_read(): the
 *	    object must be in the current step's footprint, in any mode.
 *
 * The granularity is the footprint object: a field is audited against the
 * object that stands for it in footprints (its own address, or the word
 * its writer records, e.g. page->index against &page->mapping).  In a
 * release build every hook below compiles to nothing.
 */

#define AUDIT_SELF	(-1)	/* struct audit_field.obj: the element is its own object */
#define AUDIT_OWNER_NONE (-1)	/* audit_register() owner: shared from birth */

/**
 * struct audit_field - one audited field of a registered object type
 * @name:   field name for messages ("_refcount", "i_pages[]")
 * @off:    offset of its first element in the object
 * @size:   bytes of one element
 * @count:  elements; 0: as many as the registration says
 * @stride: bytes from one element to the next
 * @obj:    offset of the footprint object that stands for the field, or
 *	    AUDIT_SELF when each element is its own object
 * @bits:   the field is an unsigned long of flags, each its own object:
 *	    bit N stands for byte N of the field (page_flag_obj())
 */
struct audit_field {
	const char *name;
	u32 off;
	u32 size;
	u32 count;
	u32 stride;
	s32 obj;
	bool bits;
};

/**
 * struct audit_type - a registered object type
 * @name:   type name for messages ("struct page")
 * @fields: its audited fields, ended by one with a NULL @name
 */
struct audit_type {
	const char *name;
	const struct audit_field *fields;
};

#define AUDIT_FIELD(type, f, o)						\
	{ #f, offsetof(type, f), sizeof(((type *)0)->f), 1, 0, (o), false }
#define AUDIT_ARRAY(type, f, n)						\
	{ #f "[]", offsetof(type, f), sizeof(((type *)0)->f[0]), (n),	\
	  sizeof(((type *)0)->f[0]), AUDIT_SELF, false }
/* An unsigned long of flags whose bit N is audited against byte N of the field. */
#define AUDIT_BITS(type, f)						\
	{ #f, offsetof(type, f), sizeof(unsigned long), 1, 0, AUDIT_SELF, true }
#define AUDIT_END	{ NULL, 0, 0, 0, 0, 0, false }

#ifdef PINLAB_DEBUG

void audit_reset(void);
/**
 * audit_register() - audit the object at @base from the next step on
 * @base:  the object
 * @type:  its fields
 * @count: elements of the fields declared with count 0
 * @owner: pid of the task it is private to (its writes need no
 *	   footprint), or AUDIT_OWNER_NONE
 */
void audit_register(const void *base, const struct audit_type *type, u32 count, int owner);
void audit_step_begin(void);
void audit_step_end(int pid, const struct footprint *fp);
void audit_read(const void *obj, const char *what, const char *fn);
/**
 * audit_add_checker() - run @check after every audited step (an invariant
 * checker) and @reset (may be NULL) whenever a new execution begins
 */
void audit_add_checker(void (*check)(void), void (*reset)(void));
void audit_touch(void);
void audit_enable(bool on);
__noreturn __printf(1, 2) void audit_fail(const char *fmt, ...);

#define AUDIT_READ(obj, what)	audit_read((obj), (what), __func__)

#else

static inline void audit_reset(void) { }
static inline void audit_register(const void *base, const struct audit_type *type,
				  u32 count, int owner)
{
	(void)base, (void)type, (void)count, (void)owner;
}
static inline void audit_step_begin(void) { }
static inline void audit_step_end(int pid, const struct footprint *fp)
{
	(void)pid, (void)fp;
}
static inline void audit_read(const void *obj, const char *what, const char *fn)
{
	(void)obj, (void)what, (void)fn;
}
#define AUDIT_READ(obj, what)	((void)(obj))

#endif /* PINLAB_DEBUG */

#endif /* PINLAB_AUDIT_H */
