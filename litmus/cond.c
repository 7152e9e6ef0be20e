/* cond.c - a test's final proposition and filter, evaluated on one outcome's values. */
#include <pinlab/run.h>

/* The value of operand @o: a constant, torn, eio, or the outcome's slot. */
static s64 operand_value(const struct lt_operand *o, const s64 *vals)
{
	switch (o->kind) {
	case LO_INT:
		return o->value;
	case LO_TORN:
		return LT_VAL_TORN;
	case LO_EIO:
		return LT_VAL_EIO;
	default:
		return vals[o->slot];
	}
}

/* Whether @a @c @b holds. */
static bool cmp_holds(enum lt_cmp c, s64 a, s64 b)
{
	switch (c) {
	case LC_EQ:
		return a == b;
	case LC_NE:
		return a != b;
	case LC_LT:
		return a < b;
	case LC_LE:
		return a <= b;
	case LC_GT:
		return a > b;
	case LC_GE:
		return a >= b;
	}
	return false;
}

/* Whether proposition @p holds on @vals. */
static bool prop_holds(const struct lt_prop *p, const s64 *vals)
{
	switch (p->kind) {
	case LP_AND:
		return prop_holds(p->l, vals) && prop_holds(p->r, vals);
	case LP_OR:
		return prop_holds(p->l, vals) || prop_holds(p->r, vals);
	case LP_NOT:
		return !prop_holds(p->l, vals);
	case LP_CMP:
		return cmp_holds(p->cmp, operand_value(&p->a, vals),
				 operand_value(&p->b, vals));
	case LP_FLAG:
		return vals[p->a.slot] != 0;
	}
	return false;
}

/**
 * lt_filter_holds() - whether @t's filter keeps an outcome
 * @t:    the test
 * @vals: the outcome's values, one per entry of @t->locs
 *
 * Return: true when the filter holds, or the test has none.
 */
bool lt_filter_holds(const struct litmus_test *t, const s64 *vals)
{
	return !t->filter || prop_holds(t->filter, vals);
}

/**
 * lt_cond_holds() - whether @t's final proposition holds in an outcome
 * @t:    the test
 * @vals: the outcome's values, one per entry of @t->locs
 *
 * The evaluation litmus_run() uses, for outcomes observed elsewhere
 * (`pinlab kernel`).  Return: true when it holds.
 */
bool lt_cond_holds(const struct litmus_test *t, const s64 *vals)
{
	return prop_holds(t->cond, vals);
}
