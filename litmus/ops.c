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
	{ "mutex_lock", "m", 0, op_mutex_lock },
	{ "mutex_unlock", "m", 0, op_mutex_unlock },
};

/**
 * struct lt_op_table - one subsystem's operations
 * @ops: the operations
 * @nr:  how many
 */
struct lt_op_table {
	const struct lt_op *ops;
	size_t nr;
};

static const struct lt_op_table op_tables[] = {
	{ self_ops, ARRAY_SIZE(self_ops) },
	{ mm_ops, 0 },		/* size filled in below: nr_mm_ops is not a constant */
};

static size_t table_size(size_t i)
{
	return op_tables[i].ops == mm_ops ? nr_mm_ops : op_tables[i].nr;
}

const struct lt_op *litmus_find_op(const char *name, size_t len)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(op_tables); i++) {
		for (j = 0; j < table_size(i); j++) {
			const struct lt_op *op = &op_tables[i].ops[j];

			if (strlen(op->name) == len && !memcmp(op->name, name, len))
				return op;
		}
	}
	return NULL;
}
