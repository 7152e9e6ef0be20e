/* parse-cond.c - the final condition: locations, filter, quantifier and proposition. */
#include <stdio.h>

#include "parser.h"

/* The names of enum lt_pstate, as written in conditions. */
static const char *const lt_pstate_names[LT_PS_NR] = {
	[LT_PS_DIRTY] = "PageDirty",
	[LT_PS_WRITEBACK] = "PageWriteback",
	[LT_PS_PINS] = "pins",
	[LT_PS_REFS] = "refs",
	[LT_PS_BUFFERS] = "buffers",
};

/**
 * lt_pstate_name() - the name of a page state in conditions
 * @ps: enum lt_pstate
 *
 * Return: "PageDirty", "PageWriteback", "pins", "refs", "buffers", or NULL
 */
const char *lt_pstate_name(int ps)
{
	return ps >= 0 && ps < LT_PS_NR ? lt_pstate_names[ps] : NULL;
}

/* ---- the final condition ---- */

static bool same_loc(const struct lt_operand *a, const struct lt_operand *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case LO_REG:
		return a->thread == b->thread && a->reg == b->reg;
	case LO_PAGE:
		return a->file == b->file && a->page == b->page;
	case LO_VAR:
		return a->var == b->var;
	case LO_FLAG:
		return a->flag == b->flag;
	case LO_PSTATE:
		return a->file == b->file && a->page == b->page &&
		       a->pstate == b->pstate;
	case LO_SECTOR:
		return a->file == b->file && a->page == b->page &&
		       a->sector == b->sector;
	case LO_SIZE:
		return a->file == b->file;
	default:
		return false;
	}
}

/* Give a location operand its slot in the test's locs, adding it if new. */
static int add_loc(struct parser *p, struct lt_operand *o)
{
	int i;

	o->slot = -1;
	if (o->kind == LO_INT || o->kind == LO_TORN || o->kind == LO_EIO)
		return 0;
	for (i = 0; i < p->nr_locs; i++) {
		if (same_loc(&p->locs[i], o)) {
			o->slot = i;
			/* Printed once anything but the filter reads it. */
			p->locs[i].hidden &= p->in_filter;
			return 0;
		}
	}
	if (p->nr_locs == LT_MAX_LOCS)
		return perr(p, o->loc,
			    "too many locations in the final condition (max %d)",
			    LT_MAX_LOCS);
	o->slot = p->nr_locs;
	o->hidden = p->in_filter;
	p->locs[p->nr_locs++] = *o;
	return 0;
}

/* "T:rN", the current token being the ':' after @th. */
static int parse_reg_operand(struct parser *p, const struct lt_token *th,
			     struct lt_operand *o)
{
	char q[LT_QUOTE_SIZE];
	int reg;

	advance(p);
	reg = reg_of(&p->tok);
	if (reg == REG_NONE)
		return unexpected(p, "a register");
	if (reg == REG_BAD)
		return bad_reg(p, &p->tok);
	if (th->ovf || th->num >= (u64)p->nr_threads) {
		lt_lex_quote(q, sizeof(q), th->s, th->len);
		return perr(p, th->loc, "no thread P%s (the test has %d)", q,
			    p->nr_threads);
	}
	o->kind = LO_REG;
	o->thread = (int)th->num;
	o->reg = reg;
	if (!(p->threads[o->thread].regs_set & BIT(reg)))
		return perr(p, o->loc, "thread %d never assigns r%d", o->thread,
			    reg);
	advance(p);
	return 0;
}

/* A page number of file @file, the current token: its index, or -1 (error set). */
static int page_number(struct parser *p, int file)
{
	const struct lt_file *f = &p->files[file];
	const struct lt_token *t = &p->tok;
	int n;

	if (t->kind != TK_INT) {
		unexpected(p, "a page number");
		return -1;
	}
	if (t->ovf || t->num >= (u64)f->nr_pages) {
		perr(p, t->loc, "page %.*s of '%s' out of range (it has %d page%s)",
		     (int)min_t(size_t, t->len, 24), t->s, f->name,
		     f->nr_pages, f->nr_pages == 1 ? "" : "s");
		return -1;
	}
	n = (int)t->num;
	advance(p);
	return n;
}

/* ".s" after "A[i]", the current token being the '.'. */
static int parse_sector(struct parser *p, struct lt_operand *o)
{
	const struct lt_token *t = &p->tok;
	int n = p->t->sectors;

	advance(p);
	if (t->kind != TK_INT)
		return unexpected(p, "a sector number");
	if (t->ovf || t->num >= (u64)n)
		return perr(p, t->loc,
			    "sector %.*s out of range (sectors = %d: 0..%d)",
			    (int)min_t(size_t, t->len, 24), t->s, n, n - 1);
	o->kind = LO_SECTOR;
	o->sector = (int)t->num;
	advance(p);
	return 0;
}

/* "A[i]" or "A[i].s", the current token being the file name. */
static int parse_page_operand(struct parser *p, int file, struct lt_operand *o)
{
	int err;

	advance(p);
	err = expect(p, TK_LBRACKET, "'[' (a page of a file)");
	if (err)
		return err;
	o->page = page_number(p, file);
	if (o->page < 0)
		return p->ret;
	o->kind = LO_PAGE;
	o->file = file;
	err = expect(p, TK_RBRACKET, "']'");
	if (!err && tok_is(p, TK_DOT))
		err = parse_sector(p, o);
	return err;
}

/* The page state @t names (PageDirty, pins, ...), or -1. */
static int pstate_of(const struct lt_token *t)
{
	int i;

	for (i = 0; i < LT_PS_NR; i++)
		if (tok_word(t, lt_pstate_name(i)))
			return i;
	return -1;
}

/*
 * "NAME(FILE" of a page-state or size operand, the current token being
 * NAME: the file's index in *@file, the token after it current.
 */
static int parse_file_call(struct parser *p, int *file)
{
	const struct lt_token *t = &p->tok;
	int err;

	advance(p);
	err = expect(p, TK_LPAREN, "'('");
	if (err)
		return err;
	if (t->kind != TK_IDENT)
		return unexpected(p, "a file name");
	*file = find_file(p, t);
	if (*file < 0)
		return perr(p, t->loc, "undefined file '%.*s'", (int)t->len, t->s);
	advance(p);
	return 0;
}

/* "PageDirty(A,i)" and the like, the current token being the name. */
static int parse_pstate_operand(struct parser *p, int ps, struct lt_operand *o)
{
	int file, err = parse_file_call(p, &file);

	if (!err)
		err = expect(p, TK_COMMA, "','");
	if (err)
		return err;
	o->page = page_number(p, file);
	if (o->page < 0)
		return p->ret;
	o->kind = LO_PSTATE;
	o->file = file;
	o->pstate = ps;
	return expect(p, TK_RPAREN, "')'");
}

/* "size(A)", the current token being "size". */
static int parse_size_operand(struct parser *p, struct lt_operand *o)
{
	int file, err = parse_file_call(p, &file);

	if (err)
		return err;
	o->kind = LO_SIZE;
	o->file = file;
	return expect(p, TK_RPAREN, "')'");
}

/* A number: "42", "-1", "-EFAULT". */
static int parse_const_operand(struct parser *p, struct lt_operand *o)
{
	int err = parse_signed(p, &o->value);

	if (err)
		return err;
	o->kind = LO_INT;
	if (o->value == LT_VAL_TORN || o->value == LT_VAL_EIO)
		return perr(p, o->loc,
			    "the value %lld is reserved for torn and eio",
			    (long long)o->value);
	return 0;
}

static int parse_name_operand(struct parser *p, struct lt_operand *o)
{
	const struct lt_token *t = &p->tok;
	int reg = reg_of(t), flag = flag_of(t), idx;
	struct lt_token next;

	if (tok_word(t, "torn") || tok_word(t, "eio")) {
		o->kind = tok_word(t, "torn") ? LO_TORN : LO_EIO;
	} else if (flag >= 0) {
		o->kind = LO_FLAG;
		o->flag = flag;
	} else if (reg >= 0) {
		return perr(p, t->loc, "register r%d needs its thread: write T:r%d",
			    reg, reg);
	} else if (reg == REG_BAD) {
		return bad_reg(p, t);
	} else if (errno_of(t)) {
		return perr(p, t->loc, "errno name '%.*s' must be written -%.*s",
			    (int)t->len, t->s, (int)t->len, t->s);
	} else if ((idx = find_file(p, t)) >= 0) {
		return parse_page_operand(p, idx, o);
	} else if ((idx = pstate_of(t)) >= 0 && next_is(p, TK_LPAREN)) {
		return parse_pstate_operand(p, idx, o);
	} else if (tok_word(t, "size") && next_is(p, TK_LPAREN)) {
		return parse_size_operand(p, o);
	} else if (is_reserved(t)) {
		return unexpected(p, "an operand");
	} else {
		lt_lex_peek(&p->lx, &next);
		if (find_var(p, t) < 0 && next.kind == TK_LBRACKET)
			return perr(p, t->loc, "undefined file '%.*s'",
				    (int)t->len, t->s);
		if (lookup_var(p, &o->var))
			return p->ret;
		o->kind = LO_VAR;
	}
	advance(p);
	return 0;
}

static int parse_operand(struct parser *p, struct lt_operand *o)
{
	struct lt_token first = p->tok;

	o->loc = first.loc;
	switch (first.kind) {
	case TK_INT:
		advance(p);
		if (tok_is(p, TK_COLON))
			return parse_reg_operand(p, &first, o);
		o->kind = LO_INT;
		return int_value(p, &first, false, &o->value);
	case TK_MINUS:
		return parse_const_operand(p, o);
	case TK_IDENT:
		return parse_name_operand(p, o);
	default:
		return unexpected(p, "an operand");
	}
}

static int prop_cmp(enum lt_tok tok)
{
	switch (tok) {
	case TK_ASSIGN:
		return LC_EQ;
	case TK_NE:
		return LC_NE;
	case TK_LT:
		return LC_LT;
	case TK_LE:
		return LC_LE;
	case TK_GT:
		return LC_GT;
	case TK_GE:
		return LC_GE;
	default:
		return -1;
	}
}

static struct lt_prop *new_prop(struct parser *p, enum lt_prop_kind kind,
				struct lt_loc loc)
{
	struct lt_prop *pr = p_alloc(p, sizeof(*pr));

	if (pr) {
		pr->kind = kind;
		pr->loc = loc;
		pr->a.slot = -1;
		pr->b.slot = -1;
	}
	return pr;
}

/* "operand cmp operand", or a flag alone. */
static int parse_atom(struct parser *p, struct lt_prop **out)
{
	struct lt_prop *pr = new_prop(p, LP_CMP, p->tok.loc);
	int cmp, err;

	if (!pr)
		return p->ret;
	*out = pr;
	err = parse_operand(p, &pr->a);
	if (!err)
		err = add_loc(p, &pr->a);
	if (err)
		return err;
	cmp = prop_cmp(p->tok.kind);
	if (cmp < 0 && tok_is(p, TK_EQ))
		return perr(p, p->tok.loc,
			    "'==' in the final condition: write '='");
	if (cmp < 0 && pr->a.kind == LO_FLAG) {
		pr->kind = LP_FLAG;
		return 0;
	}
	if (cmp < 0)
		return unexpected(p, "a comparison ('=', '!=', '<', ...)");
	pr->cmp = cmp;
	advance(p);
	err = parse_operand(p, &pr->b);
	if (!err)
		err = add_loc(p, &pr->b);
	return err;
}

static int parse_disj(struct parser *p, struct lt_prop **out);
static int parse_neg(struct parser *p, struct lt_prop **out);

/* "~prop", the '~' being the current token. */
static int parse_not_prop(struct parser *p, struct lt_prop **out)
{
	struct lt_loc loc = p->tok.loc;
	struct lt_prop *l;
	int err = enter(p, loc);

	advance(p);
	if (!err)
		err = parse_neg(p, &l);
	p->depth--;
	if (err)
		return err;
	*out = new_prop(p, LP_NOT, loc);
	if (!*out)
		return p->ret;
	(*out)->l = l;
	return 0;
}

/* "(prop)", the '(' being the current token. */
static int parse_paren_prop(struct parser *p, struct lt_prop **out)
{
	int err = enter(p, p->tok.loc);

	advance(p);
	if (!err)
		err = parse_disj(p, out);
	if (!err)
		err = expect(p, TK_RPAREN, "')'");
	p->depth--;
	return err;
}

/* "~prop", "(prop)" or an atom: '~' binds tightest. */
static int parse_neg(struct parser *p, struct lt_prop **out)
{
	if (tok_is(p, TK_TILDE))
		return parse_not_prop(p, out);
	if (tok_is(p, TK_LPAREN))
		return parse_paren_prop(p, out);
	return parse_atom(p, out);
}

/* *@l becomes "*@l kind r". */
static int new_prop_binary(struct parser *p, enum lt_prop_kind kind,
			   struct lt_prop **l, struct lt_prop *r)
{
	struct lt_prop *pr = new_prop(p, kind, (*l)->loc);

	if (!pr)
		return p->ret;
	pr->l = *l;
	pr->r = r;
	*l = pr;
	return 0;
}

static int parse_conj(struct parser *p, struct lt_prop **out)
{
	struct lt_prop *r;
	int err = parse_neg(p, out);

	while (!err && tok_is(p, TK_CONJ)) {
		advance(p);
		err = parse_neg(p, &r);
		if (!err)
			err = new_prop_binary(p, LP_AND, out, r);
	}
	return err;
}

static int parse_disj(struct parser *p, struct lt_prop **out)
{
	struct lt_prop *r;
	int err = parse_conj(p, out);

	while (!err && tok_is(p, TK_DISJ)) {
		advance(p);
		err = parse_conj(p, &r);
		if (!err)
			err = new_prop_binary(p, LP_OR, out, r);
	}
	return err;
}

/* exists, ~exists or forall. */
static int parse_quant(struct parser *p)
{
	char what[64];

	if (tok_word(&p->tok, "exists")) {
		p->t->quant = LQ_EXISTS;
	} else if (tok_word(&p->tok, "forall")) {
		p->t->quant = LQ_FORALL;
	} else if (tok_is(p, TK_TILDE)) {
		advance(p);
		if (!tok_word(&p->tok, "exists"))
			return unexpected(p, "'exists'");
		p->t->quant = LQ_NOT_EXISTS;
	} else {
		snprintf(what, sizeof(what),
			 "a thread P%d(label) or the final condition",
			 p->nr_threads);
		return unexpected(p, what);
	}
	advance(p);
	return 0;
}

/* One entry of "locations [...]": a location, not a constant. */
static int parse_location(struct parser *p)
{
	struct lt_operand o = { .slot = -1 };
	int err = parse_operand(p, &o);

	if (err)
		return err;
	if (o.kind == LO_INT || o.kind == LO_TORN || o.kind == LO_EIO)
		return perr(p, o.loc, "a value is not a location (locations lists "
			    "registers, pages, variables, flags and page states)");
	return add_loc(p, &o);
}

/*
 * herd7's "locations [loc; loc; ...]" (a ';' may end the list): these
 * columns come first in every outcome.  The current token is "locations".
 */
static int parse_locations(struct parser *p)
{
	int err;

	advance(p);
	err = expect(p, TK_LBRACKET, "'[' after locations");
	while (!err && !tok_is(p, TK_RBRACKET)) {
		err = parse_location(p);
		if (!err && !tok_is(p, TK_RBRACKET))
			err = expect(p, TK_SEMI, "';' or ']'");
	}
	if (!err)
		advance(p);
	return err;
}

/* herd7's "filter prop"; the current token is "filter". */
static int parse_filter(struct parser *p)
{
	struct lt_loc loc = p->tok.loc;
	int err;

	rec_start(p);
	advance(p);
	p->in_filter = true;
	err = parse_disj(p, &p->t->filter);
	p->in_filter = false;
	if (!err)
		err = rec_finish(p, loc, "filter", &p->t->filter_text);
	p->rec_on = false;
	return err;
}

int parse_cond(struct parser *p)
{
	struct lt_loc loc = p->tok.loc;
	char buf[LT_QUOTE_SIZE + 2];
	int err = 0;

	if (tok_word(&p->tok, "locations") && next_is(p, TK_LBRACKET))
		err = parse_locations(p);
	if (!err && tok_word(&p->tok, "filter"))
		err = parse_filter(p);
	if (err)
		return err;
	loc = p->tok.loc;
	rec_start(p);
	err = parse_quant(p);
	if (!err)
		err = parse_disj(p, &p->t->cond);
	if (!err)
		err = rec_finish(p, loc, "condition", &p->t->cond_text);
	p->rec_on = false;
	if (err || tok_is(p, TK_EOF))
		return err;
	if (tok_is(p, TK_ERROR))
		return unexpected(p, "end of file");
	return perr(p, p->tok.loc, "unexpected %s after the final condition",
		    tok_desc(&p->tok, buf, sizeof(buf)));
}
