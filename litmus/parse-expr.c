/* parse-expr.c - the expressions of statements and if conditions. */

#include "parser.h"

/* ---- expressions ---- */

static struct lt_expr *new_expr(struct parser *p, enum lt_expr_kind kind,
				struct lt_loc loc)
{
	struct lt_expr *e = p_alloc(p, sizeof(*e));

	if (e) {
		e->kind = kind;
		e->loc = loc;
	}
	return e;
}

/* *@l becomes "*@l kind r". */
static int new_binary(struct parser *p, enum lt_expr_kind kind,
		      struct lt_expr **l, struct lt_expr *r)
{
	struct lt_expr *e = new_expr(p, kind, (*l)->loc);

	if (!e)
		return p->ret;
	e->l = *l;
	e->r = r;
	*l = e;
	return 0;
}

static int new_int(struct parser *p, struct lt_loc loc, s64 v,
		   struct lt_expr **out)
{
	*out = new_expr(p, LX_INT, loc);
	if (!*out)
		return p->ret;
	(*out)->value = v;
	return 0;
}


/* A register, a shared variable, or a name that cannot be in an expression. */
static int parse_name_expr(struct parser *p, struct lt_expr **out)
{
	const struct lt_token *t = &p->tok;
	int reg = reg_of(t), idx, err;

	if (reg == REG_BAD)
		return bad_reg(p, t);
	if (reg >= 0 && !(p->th->regs_set & BIT(reg)))
		return perr(p, t->loc, "undefined register r%d", reg);
	if (errno_of(t))
		return perr(p, t->loc, "errno name '%.*s' must be written -%.*s",
			    (int)t->len, t->s, (int)t->len, t->s);
	if (litmus_find_const(t->s, t->len))
		return perr(p, t->loc, "'%.*s' cannot be used in an expression",
			    (int)t->len, t->s);
	if (reg < 0 && is_reserved(t))
		return unexpected(p, "an expression");
	if (reg >= 0) {
		*out = new_expr(p, LX_REG, t->loc);
		idx = reg;
	} else {
		err = lookup_var(p, &idx);
		if (err)
			return err;
		*out = new_expr(p, LX_VAR, t->loc);
	}
	if (!*out)
		return p->ret;
	(*out)->index = idx;
	advance(p);
	return 0;
}

static int parse_primary(struct parser *p, bool cond, struct lt_expr **out)
{
	struct lt_loc loc = p->tok.loc;
	int err;

	switch (p->tok.kind) {
	case TK_INT: {
		s64 v = 0;

		err = int_value(p, &p->tok, false, &v);
		if (!err)
			err = new_int(p, loc, v, out);
		if (!err)
			advance(p);
		return err;
	}
	case TK_LPAREN:
		err = enter(p, loc);
		advance(p);
		if (!err)
			err = parse_expr(p, cond, out);
		if (!err)
			err = expect(p, TK_RPAREN, "')'");
		p->depth--;
		return err;
	case TK_IDENT:
		return parse_name_expr(p, out);
	default:
		return unexpected(p, "an expression");
	}
}

/* After a '-': an integer or errno name, folded into a negative constant. */
static int parse_negated(struct parser *p, struct lt_loc loc,
			 struct lt_expr **out)
{
	s64 v = -errno_of(&p->tok);
	int err = 0;

	if (tok_is(p, TK_INT))
		err = int_value(p, &p->tok, true, &v);
	if (!err)
		err = new_int(p, loc, v, out);
	if (!err)
		advance(p);
	return err;
}

static int parse_unary(struct parser *p, bool cond, struct lt_expr **out);

/* "-e" or "!e", the operator being the current token. */
static int parse_prefix(struct parser *p, bool cond, enum lt_expr_kind kind,
			struct lt_expr **out)
{
	struct lt_loc loc = p->tok.loc;
	struct lt_expr *e;
	int err;

	advance(p);
	if (kind == LX_NEG && (tok_is(p, TK_INT) || errno_of(&p->tok)))
		return parse_negated(p, loc, out);
	err = enter(p, loc);
	if (!err)
		err = parse_unary(p, cond, &e);
	p->depth--;
	if (err)
		return err;
	*out = new_expr(p, kind, loc);
	if (!*out)
		return p->ret;
	(*out)->l = e;
	return 0;
}

/* Unary minus; in a condition also '!'. */
static int parse_unary(struct parser *p, bool cond, struct lt_expr **out)
{
	if (tok_is(p, TK_MINUS))
		return parse_prefix(p, cond, LX_NEG, out);
	if (!tok_is(p, TK_NOT))
		return parse_primary(p, cond, out);
	if (!cond)
		return perr(p, p->tok.loc,
			    "'!' is only allowed in an if condition");
	return parse_prefix(p, cond, LX_NOT, out);
}

static int parse_add(struct parser *p, bool cond, struct lt_expr **out)
{
	struct lt_expr *r;
	enum lt_expr_kind kind;
	int err = parse_unary(p, cond, out);

	while (!err && (tok_is(p, TK_PLUS) || tok_is(p, TK_MINUS))) {
		kind = tok_is(p, TK_PLUS) ? LX_ADD : LX_SUB;
		advance(p);
		err = parse_unary(p, cond, &r);
		if (!err)
			err = new_binary(p, kind, out, r);
	}
	return err;
}

static int cmp_kind(enum lt_tok tok)
{
	switch (tok) {
	case TK_EQ:
		return LX_EQ;
	case TK_NE:
		return LX_NE;
	case TK_LT:
		return LX_LT;
	case TK_LE:
		return LX_LE;
	case TK_GT:
		return LX_GT;
	case TK_GE:
		return LX_GE;
	default:
		return -1;
	}
}

/* a [cmp b]: comparisons do not chain. */
static int parse_cmp(struct parser *p, struct lt_expr **out)
{
	struct lt_expr *r;
	int kind, err = parse_add(p, true, out);

	kind = cmp_kind(p->tok.kind);
	if (err || kind < 0)
		return err;
	advance(p);
	err = parse_add(p, true, &r);
	if (!err)
		err = new_binary(p, kind, out, r);
	return err;
}

static int parse_and(struct parser *p, struct lt_expr **out)
{
	struct lt_expr *r;
	int err = parse_cmp(p, out);

	while (!err && tok_is(p, TK_ANDAND)) {
		advance(p);
		err = parse_cmp(p, &r);
		if (!err)
			err = new_binary(p, LX_AND, out, r);
	}
	return err;
}

static int parse_or(struct parser *p, struct lt_expr **out)
{
	struct lt_expr *r;
	int err = parse_and(p, out);

	while (!err && tok_is(p, TK_OROR)) {
		advance(p);
		err = parse_and(p, &r);
		if (!err)
			err = new_binary(p, LX_OR, out, r);
	}
	return err;
}

/*
 * An expression: with @cond, a full if condition; otherwise arithmetic only,
 * where a comparison or logical operator is an error.
 */
int parse_expr(struct parser *p, bool cond, struct lt_expr **out)
{
	const struct lt_token *t = &p->tok;
	int err;

	if (cond)
		return parse_or(p, out);
	err = parse_add(p, false, out);
	if (err)
		return err;
	if (cmp_kind(t->kind) >= 0)
		return perr(p, t->loc,
			    "comparison '%.*s' is only allowed in an if condition",
			    (int)t->len, t->s);
	if (t->kind == TK_ANDAND || t->kind == TK_OROR)
		return perr(p, t->loc, "'%.*s' is only allowed in an if condition",
			    (int)t->len, t->s);
	return 0;
}
