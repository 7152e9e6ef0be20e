/* parse-stmt.c - the threads, their statements and the arguments of operations. */
#include <string.h>

#include "parser.h"

/**
 * struct stmt_node - a statement while its block is being read
 * @s:    the statement
 * @next: the statement after it
 */
struct stmt_node {
	struct lt_stmt s;
	struct stmt_node *next;
};


/* ---- operations ---- */

/*
 * Count the arguments between the parentheses without consuming them.
 * Return: the count, or -1 when the call is malformed (the parse that
 * follows reports where).
 */
static int count_args(struct parser *p)
{
	struct lt_lex_state saved = p->lx.st;
	struct lt_token t = p->tok;
	int n = 0, depth = 0;

	if (t.kind == TK_RPAREN)
		return 0;
	for (;; lt_lex_next(&p->lx, &t)) {
		if (t.kind == TK_LPAREN || t.kind == TK_LBRACKET) {
			depth++;
		} else if (t.kind == TK_RPAREN && !depth) {
			break;
		} else if (t.kind == TK_RPAREN || t.kind == TK_RBRACKET) {
			if (!depth--)
				goto malformed;
		} else if (t.kind == TK_COMMA) {
			n += !depth;
		} else if (t.kind == TK_SEMI || t.kind == TK_LBRACE ||
			   t.kind == TK_RBRACE || t.kind == TK_EOF ||
			   t.kind == TK_ERROR) {
			goto malformed;
		}
	}
	p->lx.st = saved;
	return n + 1;

malformed:
	p->lx.st = saved;
	return -1;
}

/* The current token cannot be argument @i of @op, which must be @what. */
static int bad_arg(struct parser *p, const struct lt_op *op, int i,
		   const char *what)
{
	if (p->tok.kind == TK_ERROR)
		return unexpected(p, what);
	return perr(p, p->tok.loc, "argument %d of '%s' must be %s", i + 1,
		    op->name, what);
}

static bool starts_expr(const struct parser *p)
{
	const struct lt_token *t = &p->tok;
	int idx;

	if (t->kind == TK_INT || t->kind == TK_MINUS || t->kind == TK_LPAREN)
		return true;
	if (t->kind != TK_IDENT)
		return false;
	if (reg_of(t) != REG_NONE || errno_of(t))
		return true;
	if (is_reserved(t) || find_file(p, t) >= 0)
		return false;
	idx = find_var(p, t);
	return idx < 0 || !p->vars[idx].is_mutex;
}

static int parse_int_arg(struct parser *p, const struct lt_op *op, int i,
			 struct lt_arg *a)
{
	if (!starts_expr(p))
		return bad_arg(p, op, i, "an integer expression");
	return parse_expr(p, false, &a->expr);
}

/*
 * A page index of the file argument just before it: an integer expression
 * whose constant value, when it has one, must be a page the model can hold.
 * Whether the file reaches that page is checked once every thread is parsed
 * (check_page_args(): a write(2) may extend it).  A value known only at run
 * time is range-checked by the operation.
 */
/*
 * An integer argument about the file argument just before it (a page or a
 * size).  Return: 0 with *@f the file when the argument is a constant, in
 * *@v; 0 with *@f NULL when it is known only at run time; else the error.
 */
static int parse_file_int_arg(struct parser *p, const struct lt_op *op, int i,
			      struct lt_arg *a, const struct lt_file **f, s64 *v)
{
	int err;

	*f = NULL;
	if (!i || a[-1].kind != 'f')
		return perr(p, a->loc, "operation '%s' has an invalid signature",
			    op->name);
	err = parse_int_arg(p, op, i, a);
	if (err || a->expr->kind != LX_INT)
		return err;
	*f = &p->files[a[-1].value];
	*v = a->expr->value;
	return 0;
}

static int parse_page_arg(struct parser *p, const struct lt_op *op, int i,
			  struct lt_arg *a)
{
	const struct lt_file *f;
	s64 v;
	int err = parse_file_int_arg(p, op, i, a, &f, &v);

	if (err || !f || (v >= 0 && v < LT_MAX_PAGES))
		return err;
	return perr(p, a->loc, "page %lld is outside file %s (pages 0..%d)",
		    (long long)v, f->name, f->nr_pages - 1);
}

/* A size in pages of the file named just before; any constant the model can hold. */
static int parse_size_arg(struct parser *p, const struct lt_op *op, int i,
			  struct lt_arg *a)
{
	const struct lt_file *f;
	s64 v;
	int err = parse_file_int_arg(p, op, i, a, &f, &v);

	if (err || !f || (v >= 0 && v <= LT_MAX_PAGES))
		return err;
	return perr(p, a->loc, "size %lld of file %s is not 0..%d pages",
		    (long long)v, f->name, LT_MAX_PAGES);
}

/*
 * Pages each file can have: its initial pages, extended by every write(2)
 * or truncate(2) (LT_OP_EXTENDS) to a constant page or size, or to every
 * page the model holds by one known only at run time.
 */
static void file_reach_block(const struct lt_block *b, int *reach)
{
	int i, j;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		file_reach_block(&s->then, reach);
		file_reach_block(&s->els, reach);
		if (s->kind != LS_OP || !(s->op->flags & LT_OP_EXTENDS))
			continue;
		for (j = 1; j < s->nargs; j++) {
			const struct lt_arg *a = &s->args[j];
			int *r = &reach[a[-1].value];

			if (a->kind != 'p' && a->kind != 's')
				continue;
			if (a->expr->kind != LX_INT)
				*r = LT_MAX_PAGES;
			else if (a->expr->value + (a->kind == 'p') > *r)
				*r = (int)a->expr->value + (a->kind == 'p');
		}
	}
}

/* The first constant page argument in @b past what its file can reach. */
static int page_args_block(struct parser *p, const struct lt_block *b,
			   const int *reach)
{
	const struct lt_file *f;
	int i, j, err;

	for (i = 0; i < b->n; i++) {
		const struct lt_stmt *s = &b->v[i];

		err = page_args_block(p, &s->then, reach);
		if (!err)
			err = page_args_block(p, &s->els, reach);
		if (err)
			return err;
		for (j = 1; s->kind == LS_OP && j < s->nargs; j++) {
			const struct lt_arg *a = &s->args[j];

			if (a->kind != 'p' || a->expr->kind != LX_INT ||
			    a->expr->value < reach[a[-1].value])
				continue;
			f = &p->files[a[-1].value];
			return perr(p, a->loc,
				    "page %lld is outside file %s (pages 0..%d, and no write extends it)",
				    (long long)a->expr->value, f->name,
				    reach[a[-1].value] - 1);
		}
	}
	return 0;
}

/*
 * A constant page no execution's file can have makes the operation fail
 * with -EFAULT in every execution: a test that can only be vacuous.
 */
int check_page_args(struct parser *p)
{
	int reach[LT_MAX_FILES], f, i, err = 0;

	for (f = 0; f < p->nr_files; f++)
		reach[f] = p->files[f].nr_pages;
	for (i = 0; i < p->nr_threads; i++)
		file_reach_block(&p->threads[i].body, reach);
	for (i = 0; !err && i < p->nr_threads; i++)
		err = page_args_block(p, &p->threads[i].body, reach);
	return err;
}

static int parse_file_arg(struct parser *p, const struct lt_op *op, int i,
			  struct lt_arg *a)
{
	const struct lt_token *t = &p->tok;
	int idx = find_file(p, t);

	if (idx >= 0) {
		a->value = idx;
		advance(p);
		return 0;
	}
	if (t->kind != TK_IDENT || find_var(p, t) >= 0 || is_reserved(t) ||
	    reg_of(t) != REG_NONE)
		return bad_arg(p, op, i, "a file");
	return perr(p, t->loc, "undefined file '%.*s'", (int)t->len, t->s);
}

static int parse_handle_arg(struct parser *p, const struct lt_op *op, int i,
			    struct lt_arg *a)
{
	const struct lt_token *t = &p->tok;
	int reg = reg_of(t);

	if (reg == REG_NONE)
		return bad_arg(p, op, i, "a register holding pages");
	if (reg == REG_BAD)
		return bad_reg(p, t);
	if (!(p->th->regs_set & BIT(reg)))
		return perr(p, t->loc, "undefined register r%d", reg);
	if (!(p->th->handles & BIT(reg)))
		return perr(p, t->loc,
			    "argument %d of '%s': r%d holds no pages (it is not assigned from an operation returning pages)",
			    i + 1, op->name, reg);
	a->value = reg;
	advance(p);
	return 0;
}

/* 'v' (a shared variable) or, when @mutex, 'm' (a mutex). */
static int parse_var_arg(struct parser *p, const struct lt_op *op, int i,
			 struct lt_arg *a, bool mutex)
{
	const struct lt_token *t = &p->tok;
	int idx = find_var(p, t);

	if (idx >= 0 && p->vars[idx].is_mutex == mutex) {
		a->value = idx;
		advance(p);
		return 0;
	}
	if (t->kind != TK_IDENT || idx >= 0 || find_file(p, t) >= 0 ||
	    is_reserved(t) || reg_of(t) != REG_NONE)
		return bad_arg(p, op, i, mutex ? "a mutex" : "a shared variable");
	return perr(p, t->loc, "undeclared %s '%.*s'",
		    mutex ? "mutex" : "variable", (int)t->len, t->s);
}

static const char *const_kind_name(char kind)
{
	switch (kind) {
	case 'F':
		return "FOLL_* flags joined with '|'";
	case 'w':
		return "WB_SYNC_NONE or WB_SYNC_ALL";
	default:
		return "true or false";
	}
}

/* One constant of @a->kind ('w', 'b') or, for 'F', several joined with '|'. */
static int parse_const_arg(struct parser *p, const struct lt_op *op, int i,
			   struct lt_arg *a)
{
	const struct lt_const *c;

	for (;;) {
		c = litmus_find_const(p->tok.s, p->tok.len);
		if (p->tok.kind != TK_IDENT || !c || c->kind != a->kind)
			return bad_arg(p, op, i, const_kind_name(a->kind));
		if (a->kind == 'F' && (c->value & (FOLL_GET | FOLL_PIN)))
			return perr(p, p->tok.loc,
				    "%s is the API's to set: '%s' adds it, and a caller passing it gets WARN_ON_ONCE and -EINVAL (is_valid_gup_args)",
				    c->name, op->name);
		a->value |= c->value;
		advance(p);
		if (a->kind != 'F' || !tok_is(p, TK_PIPE))
			return 0;
		advance(p);
	}
}

static int parse_arg(struct parser *p, const struct lt_op *op, int i,
		     struct lt_arg *a)
{
	a->kind = op->sig[i];
	a->loc = p->tok.loc;
	switch (a->kind) {
	case 'i':
		return parse_int_arg(p, op, i, a);
	case 'p':
		return parse_page_arg(p, op, i, a);
	case 's':
		return parse_size_arg(p, op, i, a);
	case 'f':
		return parse_file_arg(p, op, i, a);
	case 'h':
		return parse_handle_arg(p, op, i, a);
	case 'v':
	case 'm':
		return parse_var_arg(p, op, i, a, a->kind == 'm');
	case 'F':
	case 'w':
	case 'b':
		return parse_const_arg(p, op, i, a);
	default:
		return perr(p, a->loc, "operation '%s' has an invalid signature",
			    op->name);
	}
}

/* The arguments of @s->op, the current token being the first after '('. */
static int parse_args(struct parser *p, struct lt_stmt *s, struct lt_loc loc)
{
	const struct lt_op *op = s->op;
	int want = strlen(op->sig), got, i, err;

	if (want > LT_MAX_ARGS)
		return perr(p, loc, "operation '%s' has an invalid signature",
			    op->name);
	got = count_args(p);
	if (got >= 0 && got != want)
		return perr(p, loc, "'%s' takes %d argument%s, got %d", op->name,
			    want, want == 1 ? "" : "s", got);
	s->nargs = want;
	s->args = want ? p_alloc(p, want * sizeof(*s->args)) : NULL;
	if (want && !s->args)
		return p->ret;
	for (i = 0; i < want; i++) {
		err = i ? expect(p, TK_COMMA, "','") : 0;
		if (!err)
			err = parse_arg(p, op, i, &s->args[i]);
		if (err)
			return err;
	}
	return expect(p, TK_RPAREN, "')'");
}

/* "unknown operation", with the nearest valid name when one is near. */
static int unknown_op(struct parser *p, struct lt_loc loc, const struct lt_token *t)
{
	const char *near = litmus_closest_op(t->s, t->len);

	if (near)
		return perr(p, loc, "unknown operation '%.*s'; did you mean '%s'?",
			    (int)t->len, t->s, near);
	return perr(p, loc, "unknown operation '%.*s' (see pinlab help ops)",
		    (int)t->len, t->s);
}

/* "op(args)", its value going to @reg unless it is -1. */
static int parse_call(struct parser *p, struct lt_stmt *s, int reg)
{
	const struct lt_token *t = &p->tok;
	struct lt_loc loc = t->loc;
	const struct lt_op *op = litmus_find_op(t->s, t->len);
	int err;

	if (!op || !op->name || !op->sig)
		return unknown_op(p, loc, t);
	if (reg >= 0 && !(op->flags & LT_OP_VALUE))
		return perr(p, loc, "'%s' returns no value to assign to r%d",
			    op->name, reg);
	s->kind = LS_OP;
	s->op = op;
	s->reg = reg;
	advance(p);
	err = expect(p, TK_LPAREN, "'('");
	if (!err)
		err = parse_args(p, s, loc);
	if (err || reg < 0)
		return err;
	p->th->regs_set |= BIT(reg);
	if (op->flags & LT_OP_HANDLE)
		p->th->handles |= BIT(reg);
	return 0;
}

/* ---- statements ---- */

/* "rN = op(args)" or "rN = expr". */
static int parse_reg_stmt(struct parser *p, struct lt_stmt *s, int reg)
{
	struct lt_token next;
	int err;

	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (err)
		return err;
	if (tok_is(p, TK_IDENT) && reg_of(&p->tok) == REG_NONE) {
		lt_lex_peek(&p->lx, &next);
		if (next.kind == TK_LPAREN)
			return parse_call(p, s, reg);
	}
	s->kind = LS_ASSIGN_REG;
	s->reg = reg;
	err = parse_expr(p, false, &s->expr);
	if (!err)
		p->th->regs_set |= BIT(reg);
	return err;
}

/* "x = expr". */
static int parse_var_assign(struct parser *p, struct lt_stmt *s)
{
	int err = lookup_var(p, &s->var);

	if (err)
		return err;
	s->kind = LS_ASSIGN_VAR;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (!err)
		err = parse_expr(p, false, &s->expr);
	return err;
}

/* A statement other than if, without its ';'. */
static int parse_simple(struct parser *p, struct lt_stmt *s)
{
	const struct lt_token *t = &p->tok;
	struct lt_token next;
	int reg = reg_of(t);

	if (t->kind != TK_IDENT || (reg == REG_NONE && is_reserved(t)))
		return unexpected(p, "a statement");
	if (reg == REG_BAD)
		return bad_reg(p, t);
	if (reg >= 0)
		return parse_reg_stmt(p, s, reg);
	lt_lex_peek(&p->lx, &next);
	if (next.kind == TK_LPAREN)
		return parse_call(p, s, -1);
	if (next.kind == TK_ASSIGN)
		return parse_var_assign(p, s);
	advance(p);
	return unexpected(p, "'(' or '='");
}

static int parse_stmt(struct parser *p, struct lt_stmt *s);

/* "{ stmts }" into @b. */
static int parse_block(struct parser *p, struct lt_block *b)
{
	struct stmt_node *head = NULL, **tail = &head, *node;
	int n = 0, err;

	err = expect(p, TK_LBRACE, "'{'");
	while (!err && !tok_is(p, TK_RBRACE)) {
		node = p_alloc(p, sizeof(*node));
		if (!node)
			return p->ret;
		err = parse_stmt(p, &node->s);
		*tail = node;
		tail = &node->next;
		n++;
	}
	if (err)
		return err;
	advance(p);
	b->n = n;
	b->v = n ? p_alloc(p, n * sizeof(*b->v)) : NULL;
	if (n && !b->v)
		return p->ret;
	for (n = 0, node = head; node; node = node->next)
		b->v[n++] = node->s;
	return 0;
}

/* "else { ... }" or "else if ...". */
static int parse_else(struct parser *p, struct lt_block *b)
{
	advance(p);
	if (!tok_word(&p->tok, "if"))
		return parse_block(p, b);
	b->v = p_alloc(p, sizeof(*b->v));
	if (!b->v)
		return p->ret;
	b->n = 1;
	return parse_stmt(p, b->v);
}

static int parse_if(struct parser *p, struct lt_stmt *s)
{
	int err;

	s->kind = LS_IF;
	err = enter(p, s->loc);
	rec_start(p);
	if (!err) {
		advance(p);
		err = expect(p, TK_LPAREN, "'('");
	}
	if (!err)
		err = parse_expr(p, true, &s->expr);
	if (!err)
		err = expect(p, TK_RPAREN, "')'");
	if (!err)
		err = rec_finish(p, s->loc, "statement", &s->text);
	p->rec_on = false;
	if (!err)
		err = parse_block(p, &s->then);
	if (!err && tok_word(&p->tok, "else"))
		err = parse_else(p, &s->els);
	p->depth--;
	return err;
}

static int parse_stmt(struct parser *p, struct lt_stmt *s)
{
	int err;

	s->loc = p->tok.loc;
	s->reg = -1;
	s->var = -1;
	if (++p->nr_stmts > LT_MAX_STMTS)
		return perr(p, s->loc, "too many statements in P%d (max %d)",
			    p->th->id, LT_MAX_STMTS);
	if (tok_word(&p->tok, "if"))
		return parse_if(p, s);
	rec_start(p);
	err = parse_simple(p, s);
	if (!err)
		err = rec_finish(p, s->loc, "statement", &s->text);
	p->rec_on = false;
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	return err;
}

/* ---- threads ---- */

static int parse_thread(struct parser *p)
{
	const struct lt_token *t = &p->tok;
	int id = thread_of(t), err;
	struct lt_thread *th;

	if (id == -2)
		return perr(p, t->loc, "invalid thread name '%.*s'",
			    (int)t->len, t->s);
	if (id < p->nr_threads)
		return perr(p, t->loc, "duplicate thread P%d", id);
	if (id > p->nr_threads)
		return perr(p, t->loc, "thread numbering gap: expected P%d, got P%d",
			    p->nr_threads, id);
	if (id >= LT_NR_THREADS)
		return perr(p, t->loc, "too many threads (max %d)",
			    LT_NR_THREADS);
	th = &p->threads[p->nr_threads++];
	th->id = id;
	p->th = th;
	p->nr_stmts = 0;
	advance(p);
	err = expect(p, TK_LPAREN, "'('");
	if (err)
		return err;
	if (!tok_is(p, TK_IDENT))
		return unexpected(p, "a thread label");
	th->label = p_strndup(p, t->s, t->len);
	if (!th->label)
		return p->ret;
	advance(p);
	err = expect(p, TK_RPAREN, "')'");
	if (!err)
		err = parse_block(p, &th->body);
	return err;
}

int parse_threads(struct parser *p)
{
	int err = 0;

	while (!err && thread_of(&p->tok) != -1)
		err = parse_thread(p);
	if (!err && !p->nr_threads)
		return unexpected(p, "a thread P0(label)");
	return err;
}
