/* ops.c - the table of operations litmus threads can call, looked up by name. */
#include <string.h>
#include "interp.h"
#include "ops.h"

static s64 op_mutex_lock(struct lt_task *t, const s64 *argv)
{
	mutex_lock(&t->w->mutexes[argv[0]]);
	return 0;
}

static s64 op_mutex_unlock(struct lt_task *t, const s64 *argv)
{
	mutex_unlock(&t->w->mutexes[argv[0]]);
	return 0;
}

/* Operations on the explorer's own objects: plain locks for its self-tests. */
static const struct lt_op self_ops[] = {
	{ "mutex_lock", "m", LT_OP_PURE, op_mutex_lock, "m",
	  "mutex_lock() on a mutex of the init block (explorer self-tests)",
	  "none", "at the acquisition; waits while it is held" },
	{ "mutex_unlock", "m", LT_OP_PURE, op_mutex_unlock, "m",
	  "mutex_unlock(): release it", "none", "none (within the holder's step)" },
	{ .name = NULL },
};

/* Each subsystem's table, ended by an entry without a name. */
static const struct lt_op *const op_tables[] = {
	self_ops,
	mm_ops,
};

/**
 * litmus_find_op() - the operation called @name.
 *
 * Return: NULL if none
 */
const struct lt_op *litmus_find_op(const char *name, size_t len)
{
	const struct lt_op *op;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(op_tables); i++) {
		for (op = op_tables[i]; op->name; op++) {
			if (strlen(op->name) == len && !memcmp(op->name, name, len))
				return op;
		}
	}
	return NULL;
}

/* Edit distance of @a (@la bytes) and @b, each capped at OP_NAME_MAX bytes. */
#define OP_NAME_MAX	48

static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[OP_NAME_MAX + 1], i, j;

	la = min_t(size_t, la, OP_NAME_MAX);
	lb = min_t(size_t, lb, OP_NAME_MAX);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + (a[i - 1] != b[j - 1]);

			row[j] = min_t(size_t, sub, min_t(size_t, up, row[j - 1]) + 1);
			diag = up;
		}
	}
	return row[lb];
}

/**
 * litmus_closest_op() - the operation whose name is nearest to a misspelt one
 * @name: the name as written
 * @len:  its length
 *
 * Near means at most a third of the name's letters (and at least two) added,
 * dropped or changed, so "pin_user_page" finds "pin_user_pages" and "frobnicate"
 * finds nothing.  Return: the nearest name, or NULL when none is near.
 */
const char *litmus_closest_op(const char *name, size_t len)
{
	size_t best = max_t(size_t, 2, len / 3) + 1, d, i;
	const char *found = NULL;
	const struct lt_op *op;

	for (i = 0; i < ARRAY_SIZE(op_tables); i++) {
		for (op = op_tables[i]; op->name; op++) {
			d = edit_distance(name, len, op->name);
			if (d < best) {
				best = d;
				found = op->name;
			}
		}
	}
	return found;
}

/**
 * litmus_print_ops() - every operation as a Markdown table, from the tables above
 * @f: where to print
 *
 * `pinlab help ops` prints it and docs/ops.md holds it, so the reference
 * cannot drift from the code (tests/cli.sh compares them).
 */
void litmus_print_ops(FILE *f)
{
	const struct lt_op *op;
	size_t i;

	fprintf(f, "| operation | kernel path | returns | other threads come in |\n");
	fprintf(f, "|---|---|---|---|\n");
	for (i = 0; i < ARRAY_SIZE(op_tables); i++) {
		for (op = op_tables[i]; op->name; op++) {
			fprintf(f, "| `%s%s(%s)` | %s | %s | %s |\n",
				op->flags & LT_OP_VALUE ? "[r =] " : "", op->name,
				op->args, op->path, op->ret, op->where);
		}
	}
}
