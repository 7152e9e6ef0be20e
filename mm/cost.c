/* cost.c - the cost counters the designs bump, and their names. */
#include <stddef.h>
#include <pinlab/cost.h>

#define COST_FIELD(f)	{ #f, offsetof(struct mm_cost, f) }

/* Every counter of struct mm_cost, in its order. */
static const struct mm_cost_field mm_cost_fields[] = {
	COST_FIELD(bounces),
	COST_FIELD(stable_waits),
	COST_FIELD(wb_waits),
	COST_FIELD(skipped),
	COST_FIELD(layout_fails),
	COST_FIELD(layout_waits),
	COST_FIELD(lease_breaks),
	COST_FIELD(revocations),
	COST_FIELD(cow_reservations),
	COST_FIELD(pins_refused),
};

_Static_assert(sizeof(mm_cost_fields) / sizeof(mm_cost_fields[0]) ==
	       sizeof(struct mm_cost) / sizeof(u64),
	       "every counter of struct mm_cost has a name");

/**
 * mm_cost_field() - the i-th counter of struct mm_cost: its name and offset
 * @i: 0 to MM_COST_NR - 1
 *
 * Return: the field, or NULL past the last one.
 */
const struct mm_cost_field *mm_cost_field(int i)
{
	return i >= 0 && i < MM_COST_NR ? &mm_cost_fields[i] : NULL;
}

/**
 * mm_cost_get() - the value of counter @f in @c
 */
u64 mm_cost_get(const struct mm_cost *c, const struct mm_cost_field *f)
{
	return *(const u64 *)((const char *)c + f->off);
}

/**
 * mm_cost_add() - add every counter of @b to @a
 */
void mm_cost_add(struct mm_cost *a, const struct mm_cost *b)
{
	int i;

	for (i = 0; i < MM_COST_NR; i++)
		*(u64 *)((char *)a + mm_cost_fields[i].off) += mm_cost_get(b, &mm_cost_fields[i]);
}
