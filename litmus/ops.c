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
	{ .name = NULL },
};

/* Each subsystem's table, ended by an entry without a name. */
static const struct lt_op *const op_tables[] = {
	self_ops,
	mm_ops,
};

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
