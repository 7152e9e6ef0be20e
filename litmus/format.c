/* format.c - litmus locations and values as herd7 prints them in outcome lines. */
#include <inttypes.h>
#include <stdio.h>

#include <pinlab/run.h>

#define ERRNO_NAME_MAX	133	/* highest Linux errno (EHWPOISON) */

/* The name of file @i of @t, or "?" when @i is out of range. */
static const char *file_name(const struct litmus_test *t, int i)
{
	if (!t || i < 0 || i >= t->nr_files || !t->files[i].name)
		return "?";
	return t->files[i].name;
}

/* The name of shared variable @i of @t, or "?" when @i is out of range. */
static const char *var_name(const struct litmus_test *t, int i)
{
	if (!t || i < 0 || i >= t->nr_vars || !t->vars[i].name)
		return "?";
	return t->vars[i].name;
}

/* The name of outcome flag @f, or "?" when it is not one. */
static const char *loc_flag_name(int f)
{
	const char *name;

	if (f < 0 || f >= PLF_NR)
		return "?";
	name = flag_name(f);
	return name ? name : "?";
}

/**
 * lt_format_loc() - a location as herd7 writes it: "0:r0", "A[0]", "x", "io_error",
 * "PageDirty(A,0)", "A[0].1"
 * @t:   the test the location belongs to (file and variable names)
 * @loc: the location; a constant operand is formatted as its value
 * @buf: where to write, always NUL-terminated when @len > 0
 * @len: size of @buf
 *
 * Indices out of range print as "?" rather than reading past the test.
 */
void lt_format_loc(const struct litmus_test *t, const struct lt_operand *loc,
		   char *buf, size_t len)
{
	if (!len)
		return;
	switch (loc->kind) {
	case LO_REG:
		snprintf(buf, len, "%d:r%d", loc->thread, loc->reg);
		break;
	case LO_PAGE:
		snprintf(buf, len, "%s[%d]", file_name(t, loc->file), loc->page);
		break;
	case LO_VAR:
		snprintf(buf, len, "%s", var_name(t, loc->var));
		break;
	case LO_FLAG:
		snprintf(buf, len, "%s", loc_flag_name(loc->flag));
		break;
	case LO_PSTATE:
		snprintf(buf, len, "%s(%s,%d)", lt_pstate_name(loc->pstate) ?
			 lt_pstate_name(loc->pstate) : "?",
			 file_name(t, loc->file), loc->page);
		break;
	case LO_SECTOR:
		snprintf(buf, len, "%s[%d].%d", file_name(t, loc->file), loc->page,
			 loc->sector);
		break;
	case LO_SIZE:
		snprintf(buf, len, "size(%s)", file_name(t, loc->file));
		break;
	case LO_TORN:
		lt_format_value(loc, LT_VAL_TORN, buf, len);
		break;
	case LO_EIO:
		lt_format_value(loc, LT_VAL_EIO, buf, len);
		break;
	default:
		lt_format_value(loc, loc->value, buf, len);
		break;
	}
}

/* The errno name of @v when @loc is a register holding one, else NULL. */
static const char *reg_errno_name(const struct lt_operand *loc, s64 v)
{
	if (!loc || loc->kind != LO_REG)
		return NULL;
	if (v < -ERRNO_NAME_MAX || v > -1)
		return NULL;
	return litmus_errno_name((int)-v);
}

/**
 * lt_format_value() - a value: "2", "torn", "eio"; registers holding an errno
 * print it by name ("-EFAULT")
 * @loc: the location the value was read from (may be NULL: plain number)
 * @v:   the value
 * @buf: where to write, always NUL-terminated when @len > 0
 * @len: size of @buf
 */
void lt_format_value(const struct lt_operand *loc, s64 v, char *buf, size_t len)
{
	const char *name;

	if (!len)
		return;
	if (v == LT_VAL_TORN) {
		snprintf(buf, len, "torn");
		return;
	}
	if (v == LT_VAL_EIO) {
		snprintf(buf, len, "eio");
		return;
	}
	name = reg_errno_name(loc, v);
	if (name)
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "%" PRId64, v);
}
