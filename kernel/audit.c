/* audit.c - debug builds: every write and raw read of model state checked against the step's footprint. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pinlab/audit.h>
#include <pinlab/sim.h>

#ifdef PINLAB_DEBUG

#define AUDIT_CHECKERS_MAX	8

/**
 * struct audit_obj - one registered object
 * @base:   its first byte
 * @type:   its fields
 * @count:  elements of the fields declared with count 0
 * @extent: bytes from @base that hold audited fields
 * @shadow: offset of its shadow copy in audit.shadow
 * @owner:  pid of the task it is private to, or AUDIT_OWNER_NONE
 * @snap:   the shadow holds its bytes (false until the step after its birth)
 */
struct audit_obj {
	const u8 *base;
	const struct audit_type *type;
	u32 count;
	u32 extent;
	u32 shadow;
	s32 owner;
	bool snap;
};

/**
 * struct audit - the auditor's state for the execution being run
 * @objs:       registered objects
 * @nr:         entries used in @objs
 * @cap:        entries allocated in @objs
 * @pending:    objects registered and not yet shadowed
 * @shadow:     shadow bytes of every object, back to back
 * @shadow_top: bytes used in @shadow
 * @shadow_cap: bytes allocated in @shadow
 * @checkers:   invariant checkers run after every step
 * @resets:     their per-execution resets, run by audit_reset()
 * @nr_checkers: entries used in @checkers and @resets
 * @changed:    some audited byte changed, or audit_touch() was called,
 *		since the checkers last ran
 * @off:        audit_enable(false) was called
 */
static struct audit {
	struct audit_obj *objs;
	u32 nr;
	u32 cap;
	u32 pending;
	u8 *shadow;
	u32 shadow_top;
	u32 shadow_cap;
	void (*checkers[AUDIT_CHECKERS_MAX])(void);
	void (*resets[AUDIT_CHECKERS_MAX])(void);
	int nr_checkers;
	bool changed;
	bool off;
} audit;

/**
 * audit_fail() - a pinlab internal error found by a debug check: print and
 * abort
 */
void audit_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "pinlab: internal error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/**
 * audit_enable() - turn the write audit and the checkers on or off (unit tests)
 */
void audit_enable(bool on)
{
	audit.off = !on;
}

void audit_add_checker(void (*check)(void), void (*reset)(void))
{
	if (audit.nr_checkers == AUDIT_CHECKERS_MAX)
		audit_fail("more than %d invariant checkers", AUDIT_CHECKERS_MAX);
	audit.resets[audit.nr_checkers] = reset;
	audit.checkers[audit.nr_checkers++] = check;
}

/**
 * audit_reset() - forget every registered object: a new execution begins
 */
void audit_reset(void)
{
	int c;

	for (c = 0; c < audit.nr_checkers; c++)
		if (audit.resets[c])
			audit.resets[c]();
	audit.nr = 0;
	audit.pending = 0;
	audit.shadow_top = 0;
	audit.changed = true;
}

/**
 * audit_touch() - state the checkers read outside registered objects changed:
 * run them
 */
void audit_touch(void)
{
	audit.changed = true;
}

static u32 field_count(const struct audit_field *f, u32 count)
{
	return f->count ? f->count : count;
}

static u32 type_extent(const struct audit_type *type, u32 count)
{
	const struct audit_field *f;
	u32 end = 0;

	for (f = type->fields; f->name; f++) {
		u32 n = field_count(f, count);

		if (n)
			end = max_t(u32, end, f->off + (n - 1) * f->stride + f->size);
	}
	return end;
}

static void *grow(void *p, u32 *cap, u32 need, size_t size)
{
	u32 n = *cap ? *cap : 64;

	while (n < need)
		n *= 2;
	p = realloc(p, (size_t)n * size);
	if (!p)
		audit_fail("footprint audit: out of memory");
	*cap = n;
	return p;
}

void audit_register(const void *base, const struct audit_type *type, u32 count, int owner)
{
	struct audit_obj *o;
	u32 extent = type_extent(type, count);

	if (!kernel_footprints() || !base)
		return;
	if (audit.nr == audit.cap)
		audit.objs = grow(audit.objs, &audit.cap, audit.nr + 1, sizeof(*o));
	if (audit.shadow_top + extent > audit.shadow_cap)
		audit.shadow = grow(audit.shadow, &audit.shadow_cap,
				    audit.shadow_top + extent, 1);
	o = &audit.objs[audit.nr++];
	*o = (struct audit_obj){
		.base = base,
		.type = type,
		.count = count,
		.extent = extent,
		.shadow = audit.shadow_top,
		.owner = owner,
	};
	audit.shadow_top += extent;
	audit.pending++;
	audit.changed = true;
}

static void snapshot(struct audit_obj *o)
{
	memcpy(audit.shadow + o->shadow, o->base, o->extent);
	o->snap = true;
}

/**
 * audit_step_begin() - before a step: take the shadow of objects born since the
 * last one
 */
void audit_step_begin(void)
{
	u32 i;

	for (i = audit.nr; audit.pending && i--;) {
		if (!audit.objs[i].snap) {
			snapshot(&audit.objs[i]);
			audit.pending--;
		}
	}
}

/* The mode @fp records for @obj, 0 if none. */
static int fp_mode(const struct footprint *fp, const void *obj)
{
	int i;

	for (i = 0; i < fp->n; i++)
		if (fp->ent[i].obj == obj)
			return fp->ent[i].mode;
	return 0;
}

static void print_footprint(const struct footprint *fp)
{
	int i;

	fprintf(stderr, "pinlab: the step's footprint:%s", fp->global ? " global" : "");
	for (i = 0; i < fp->n; i++)
		fprintf(stderr, " %p/%s", fp->ent[i].obj,
			fp->ent[i].mode & ~(KACC_READ | KACC_NZ) ? "w" : "r");
	fputc('\n', stderr);
}

static __noreturn void unlisted(const char *access, const struct audit_obj *o,
				const struct audit_field *f, u32 elem, const void *obj,
				int pid, const char *fn, const struct footprint *fp)
{
	struct task_struct *t = sim_task(pid);

	print_footprint(fp);
	audit_fail("footprint audit: step %u of P%d (%s), from %s to %s: "
		   "%s of %s %p field %s (element or bit %u, object %p) not in its footprint%s",
		   sim_steps_taken(), pid, t->comm ? t->comm : "?", sim_step_label(), fn,
		   access, o->type->name, (const void *)o->base, f->name, elem, obj,
		   *access == 'w' ? " as a write" : "");
}

/* Is the write of an object declared? */
static bool write_listed(const struct footprint *fp, const void *obj)
{
	/* A counter test (KACC_NZ) is a read. */
	return fp_mode(fp, obj) & ~(KACC_READ | KACC_NZ);
}

/* A flags field: each changed bit N must have byte N of the field written. */
static void check_bits(const struct audit_obj *o, const struct audit_field *f, u32 off,
		       int pid, const struct footprint *fp)
{
	unsigned long now, was, diff;

	memcpy(&now, o->base + off, sizeof(now));
	memcpy(&was, audit.shadow + o->shadow + off, sizeof(was));
	for (diff = now ^ was; diff; diff &= diff - 1) {
		u32 bit = __builtin_ctzl(diff);
		const void *obj = o->base + off + bit;

		if (bit >= sizeof(unsigned long) || !write_listed(fp, obj))
			unlisted("write", o, f, bit, obj, pid, sim_task(pid)->park_fn, fp);
	}
}

/* Did element @e of field @f change, and is that write declared? */
static void check_elem(const struct audit_obj *o, const struct audit_field *f, u32 e,
		       int pid, const struct footprint *fp)
{
	u32 off = f->off + e * f->stride;
	const void *obj;

	if (!memcmp(o->base + off, audit.shadow + o->shadow + off, f->size))
		return;
	if (f->bits) {
		check_bits(o, f, off, pid, fp);
		return;
	}
	obj = f->obj == AUDIT_SELF ? (const void *)(o->base + off) :
				     (const void *)(o->base + f->obj);
	if (!write_listed(fp, obj))
		unlisted("write", o, f, e, obj, pid, sim_task(pid)->park_fn, fp);
}

static void check_obj(struct audit_obj *o, int pid, const struct footprint *fp)
{
	const struct audit_field *f;

	if (!memcmp(o->base, audit.shadow + o->shadow, o->extent))
		return;
	audit.changed = true;
	if (!fp->global && o->owner != pid) {
		for (f = o->type->fields; f->name; f++) {
			u32 e, n = field_count(f, o->count);

			for (e = 0; e < n; e++)
				check_elem(o, f, e, pid, fp);
		}
	}
	snapshot(o);
}

/**
 * audit_step_end() - after a step of @pid: check its writes, then the
 * invariants
 */
void audit_step_end(int pid, const struct footprint *fp)
{
	u32 i;
	int c;

	if (audit.off)
		return;
	for (i = 0; i < audit.nr; i++) {
		struct audit_obj *o = &audit.objs[i];

		if (o->snap)
			check_obj(o, pid, fp);
	}
	/* The invariants are functions of the audited state: unchanged, they still hold. */
	if (!audit.changed)
		return;
	audit.changed = false;
	for (c = 0; c < audit.nr_checkers; c++)
		audit.checkers[c]();
}

/**
 * audit_read() - @obj is read raw by @fn through accessor @what: it must be in
 * the footprint
 */
void audit_read(const void *obj, const char *what, const char *fn)
{
	const struct footprint *fp;
	struct task_struct *t = current;

	if (!kernel_footprints() || !t || audit.off)
		return;
	fp = sim_footprint();
	if (fp->global || fp_mode(fp, obj))
		return;
	print_footprint(fp);
	audit_fail("footprint audit: step %u of P%d (%s), from %s: %s() reads %s "
		   "(object %p) not in its footprint",
		   sim_steps_taken(), t->pid, t->comm ? t->comm : "?", sim_step_label(),
		   fn, what, obj);
}

#endif /* PINLAB_DEBUG */
