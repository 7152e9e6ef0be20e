/* parse-tok.c - the litmus parser's tokens and names: registers, threads, files, variables. */
#include <stdio.h>
#include <string.h>

#include "parser.h"

#define INT_LIMIT	((u64)1 << 63)	/* magnitude of INT64_MIN */

/*
 * Keywords.  Neither they nor constants, errno names and flag names can name
 * a file or a variable.
 */
static const char *const lt_keywords[] = {
	"PIN", "fs", "dev", "dax", "sectors", "file", "mutex", "if", "else",
	"exists", "forall", "torn", "eio",
};

/* ---- tokens ---- */

/* Consume the current token, adding it to the folded text if recording. */
void advance(struct parser *p)
{
	const struct lt_token *t = &p->tok;

	if (p->rec_on) {
		bool sp = t->space && p->rec_len;

		if (p->rec_len + sp + t->len >= LT_TEXT_MAX) {
			p->rec_ovf = true;
		} else {
			if (sp)
				p->rec[p->rec_len++] = ' ';
			memcpy(p->rec + p->rec_len, t->s, t->len);
			p->rec_len += t->len;
		}
	}
	lt_lex_next(&p->lx, &p->tok);
}

bool tok_is(const struct parser *p, enum lt_tok kind)
{
	return p->tok.kind == kind;
}

/* Is the token after the current one of @kind? */
bool next_is(struct parser *p, enum lt_tok kind)
{
	struct lt_token next;

	lt_lex_peek(&p->lx, &next);
	return next.kind == kind;
}

bool tok_word(const struct lt_token *t, const char *word)
{
	return t->kind == TK_IDENT && t->len == strlen(word) &&
	       !memcmp(t->s, word, t->len);
}

int expect(struct parser *p, enum lt_tok kind, const char *what)
{
	if (p->tok.kind != kind)
		return unexpected(p, what);
	advance(p);
	return 0;
}

void rec_start(struct parser *p)
{
	p->rec_on = true;
	p->rec_ovf = false;
	p->rec_len = 0;
}

/* Stop recording and keep the folded text of @what (starting at @loc). */
int rec_finish(struct parser *p, struct lt_loc loc, const char *what,
	       const char **text)
{
	p->rec_on = false;
	if (p->rec_ovf)
		return perr(p, loc, "%s too long (max %d characters)", what,
			    LT_TEXT_MAX - 1);
	*text = p_strndup(p, p->rec, p->rec_len);
	return *text ? 0 : p->ret;
}

int enter(struct parser *p, struct lt_loc loc)
{
	if (++p->depth > LT_MAX_DEPTH)
		return perr(p, loc, "nesting too deep (max %d)", LT_MAX_DEPTH);
	return 0;
}

/* The value of an integer token, negated if @neg, checking it fits. */
int int_value(struct parser *p, const struct lt_token *t, bool neg,
	      s64 *v)
{
	char q[LT_QUOTE_SIZE];

	if (t->ovf || t->num > (neg ? INT_LIMIT : (u64)INT64_MAX)) {
		lt_lex_quote(q, sizeof(q), t->s, t->len);
		return perr(p, t->loc,
			    "integer overflow: '%s%s' does not fit in 64 bits",
			    neg ? "-" : "", q);
	}
	if (!neg)
		*v = (s64)t->num;
	else if (t->num == INT_LIMIT)
		*v = INT64_MIN;
	else
		*v = -(s64)t->num;
	return 0;
}

/* A small positive integer in [@min, @max], what being its name in messages. */
int parse_count(struct parser *p, int min, int max, const char *what,
		int *out)
{
	const struct lt_token *t = &p->tok;

	if (t->kind != TK_INT)
		return unexpected(p, "an integer");
	if (t->ovf || t->num < (u64)min || t->num > (u64)max)
		return perr(p, t->loc, "%s must be between %d and %d", what,
			    min, max);
	*out = (int)t->num;
	advance(p);
	return 0;
}

/* ---- names ---- */

/* rN: Return: N, REG_NONE if @t is not written like a register, or REG_BAD */
int reg_of(const struct lt_token *t)
{
	size_t i;
	int n = 0;

	if (t->kind != TK_IDENT || t->len < 2 || t->s[0] != 'r')
		return REG_NONE;
	for (i = 1; i < t->len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return REG_NONE;
	if (t->len > 3 || (t->len == 3 && t->s[1] == '0'))
		return REG_BAD;
	for (i = 1; i < t->len; i++)
		n = n * 10 + t->s[i] - '0';
	return n < LT_NR_REGS ? n : REG_BAD;
}

int bad_reg(struct parser *p, const struct lt_token *t)
{
	return perr(p, t->loc, "invalid register '%.*s': registers are r0..r%d",
		    (int)t->len, t->s, LT_NR_REGS - 1);
}

/* PN: Return: N (at most 99), -1 if @t is not P and digits, -2 if malformed */
int thread_of(const struct lt_token *t)
{
	size_t i;

	if (t->kind != TK_IDENT || t->len < 2 || t->s[0] != 'P')
		return -1;
	for (i = 1; i < t->len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
	if (t->len > 3 || (t->len == 3 && t->s[1] == '0'))
		return -2;
	return t->len == 2 ? t->s[1] - '0' : (t->s[1] - '0') * 10 + t->s[2] - '0';
}

/* An outcome flag, named as kernel/panic.c names it: one table for both. */
int flag_of(const struct lt_token *t)
{
	return t->kind == TK_IDENT ? flag_lookup(t->s, t->len) : -1;
}

int errno_of(const struct lt_token *t)
{
	if (t->kind != TK_IDENT)
		return 0;
	return litmus_errno_value(t->s, t->len);
}

/* Keywords, constants, errno names and flags. */
bool is_reserved(const struct lt_token *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lt_keywords); i++)
		if (tok_word(t, lt_keywords[i]))
			return true;
	return litmus_find_const(t->s, t->len) || errno_of(t) ||
	       flag_of(t) >= 0;
}

static bool name_eq(const char *name, const struct lt_token *t)
{
	return t->kind == TK_IDENT && strlen(name) == t->len &&
	       !memcmp(name, t->s, t->len);
}

int find_file(const struct parser *p, const struct lt_token *t)
{
	int i;

	for (i = 0; i < p->nr_files; i++)
		if (name_eq(p->files[i].name, t))
			return i;
	return -1;
}

int find_var(const struct parser *p, const struct lt_token *t)
{
	int i;

	for (i = 0; i < p->nr_vars; i++)
		if (name_eq(p->vars[i].name, t))
			return i;
	return -1;
}

/* The current token must be a fresh name for a file or variable. */
int check_new_name(struct parser *p)
{
	const struct lt_token *t = &p->tok;
	const struct lt_loc *prev = NULL;
	int i;

	if (t->kind != TK_IDENT)
		return unexpected(p, "a name");
	if (reg_of(t) != REG_NONE)
		return perr(p, t->loc,
			    "'%.*s' cannot be a name: it is written like a register",
			    (int)t->len, t->s);
	if (is_reserved(t))
		return perr(p, t->loc, "'%.*s' is reserved and cannot be a name",
			    (int)t->len, t->s);
	i = find_file(p, t);
	if (i >= 0)
		prev = &p->files[i].loc;
	i = find_var(p, t);
	if (i >= 0)
		prev = &p->vars[i].loc;
	if (prev)
		return perr(p, t->loc, "duplicate name '%.*s' (first declared at %u:%u)",
			    (int)t->len, t->s, prev->line, prev->col);
	return 0;
}

/* The current token names a shared variable (not a mutex): its index. */
int lookup_var(struct parser *p, int *idx)
{
	const struct lt_token *t = &p->tok;
	int i = find_var(p, t);

	if (i >= 0 && !p->vars[i].is_mutex) {
		*idx = i;
		return 0;
	}
	if (i >= 0)
		return perr(p, t->loc, "'%.*s' is a mutex, not a shared variable",
			    (int)t->len, t->s);
	if (find_file(p, t) >= 0)
		return perr(p, t->loc, "'%.*s' is a file, not a shared variable",
			    (int)t->len, t->s);
	return perr(p, t->loc, "undeclared variable '%.*s'", (int)t->len, t->s);
}
