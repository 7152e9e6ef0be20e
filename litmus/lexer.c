/* lexer.c - the litmus tokenizer: tokens with positions, nested comments, Result: pairs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"

#define INT_LIMIT	((u64)1 << 63)	/* largest magnitude an integer may have */
#define SNIPPET_MAX	32		/* bytes of source text quoted in a message */

/* The byte @off bytes ahead, or -1 past the end. */
static int peekc(const struct lt_lexer *lx, size_t off)
{
	if ((size_t)(lx->end - lx->st.p) <= off)
		return -1;
	return (unsigned char)lx->st.p[off];
}

static bool at_end(const struct lt_lexer *lx)
{
	return lx->st.p >= lx->end;
}

/* Whether the input continues with the string @s. */
static bool looking_at(const struct lt_lexer *lx, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(lx->end - lx->st.p) >= n && !memcmp(lx->st.p, s, n);
}

/* Step over one byte, keeping the line and column up to date. */
static void adv(struct lt_lexer *lx)
{
	if (*lx->st.p == '\n') {
		lx->st.loc.line++;
		lx->st.loc.col = 1;
	} else {
		lx->st.loc.col++;
	}
	lx->st.p++;
}

static void adv_n(struct lt_lexer *lx, size_t n)
{
	while (n--)
		adv(lx);
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static bool is_name_char(int c)
{
	return is_alnum(c) || c == '.' || c == '+' || c == '-';
}

static bool is_policy_char(int c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * lt_lex_quote() - source text made safe for a one-line message
 * @buf:  where to write, NUL-terminated
 * @size: size of @buf; LT_QUOTE_SIZE holds any quote
 * @s:    the text
 * @len:  its length
 *
 * Bytes that are not printable ASCII become \xNN, and text longer than
 * SNIPPET_MAX bytes is cut short with "...".
 */
void lt_lex_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && i < SNIPPET_MAX; i++) {
		unsigned char c = s[i];

		if (o + 5 >= size)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = c;
		else
			o += snprintf(buf + o, size - o, "\\x%02x", c);
	}
	if (i < len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

/* Record the first error at @loc; every later token is TK_ERROR. */
static __printf(3, 4)
int lex_fail(struct lt_lexer *lx, struct lt_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (lx->st.failed)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(lx->err, sizeof(lx->err), fmt, ap);
	va_end(ap);
	lx->err_loc = loc;
	lx->st.failed = true;
	return -EINVAL;
}

/* Bytes from the current position up to a blank or "*)". */
static size_t pair_extent(const struct lt_lexer *lx)
{
	size_t n = 0;
	int c;

	while ((c = peekc(lx, n)) >= 0 && !is_space(c)) {
		if (c == '*' && peekc(lx, n + 1) == ')')
			break;
		n++;
	}
	return n;
}

static int malformed_pair(struct lt_lexer *lx, struct lt_loc loc,
			  const char *start)
{
	char q[LT_QUOTE_SIZE];
	size_t n;

	n = pair_extent(lx) + (size_t)(lx->st.p - start);
	lt_lex_quote(q, sizeof(q), start, n);
	return lex_fail(lx, loc,
			"malformed Result: pair '%s', expected policy=Never|Sometimes|Always",
			q);
}

/* The names of enum lt_verdict, as Result: and herd7's Observation write them. */
static const char *const lt_verdict_names[] = {
	[LV_NEVER] = "Never",
	[LV_SOMETIMES] = "Sometimes",
	[LV_ALWAYS] = "Always",
};

/**
 * lt_verdict_name() - the name of a verdict as herd7 prints it
 * @v: the verdict
 *
 * Return: "Never", "Sometimes", "Always", or "?" for a value out of range.
 */
const char *lt_verdict_name(enum lt_verdict v)
{
	return (unsigned int)v < ARRAY_SIZE(lt_verdict_names) ?
	       lt_verdict_names[v] : "?";
}

/* Never, Sometimes or Always: Return: the verdict, or -1 */
static int verdict_of(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lt_verdict_names); i++)
		if (strlen(lt_verdict_names[i]) == len &&
		    !memcmp(lt_verdict_names[i], s, len))
			return i;
	return -1;
}

/* Append a pair, refusing a second verdict for the same policy. */
static int add_pair(struct lt_lexer *lx, struct lt_loc loc, const char *policy,
		    size_t len, enum lt_verdict v)
{
	struct lt_lex_pair *pr;
	int i;

	for (i = 0; i < lx->st.nr_pairs; i++) {
		pr = &lx->pairs[i];
		if (pr->len == len && !memcmp(pr->policy, policy, len))
			return lex_fail(lx, loc,
					"duplicate Result: policy '%.*s' (first at %u:%u)",
					(int)len, policy, pr->loc.line,
					pr->loc.col);
	}
	if (lx->st.nr_pairs >= LT_MAX_RESULTS)
		return lex_fail(lx, loc, "too many Result: pairs (max %d)",
				LT_MAX_RESULTS);
	pr = &lx->pairs[lx->st.nr_pairs++];
	pr->loc = loc;
	pr->policy = policy;
	pr->len = len;
	pr->verdict = v;
	return 0;
}

/* One policy=Verdict pair, ending at a blank or at "*)". */
static int lex_pair(struct lt_lexer *lx)
{
	struct lt_loc loc = lx->st.loc, vloc;
	const char *start = lx->st.p, *verdict;
	size_t len = 0, vlen = 0;
	int c, v;

	while (is_policy_char(peekc(lx, len)))
		len++;
	if (!len || len > LT_IDENT_MAX || peekc(lx, len) != '=')
		return malformed_pair(lx, loc, start);
	adv_n(lx, len + 1);
	vloc = lx->st.loc;
	verdict = lx->st.p;
	while ((c = peekc(lx, vlen)) >= 0 && is_alpha(c))
		vlen++;
	c = peekc(lx, vlen);
	if (!vlen || (c >= 0 && !is_space(c) && !(c == '*' &&
						  peekc(lx, vlen + 1) == ')')))
		return malformed_pair(lx, loc, start);
	v = verdict_of(verdict, vlen);
	if (v < 0)
		return lex_fail(lx, vloc,
				"unknown verdict '%.*s' (expected Never, Sometimes or Always)",
				(int)vlen, verdict);
	adv_n(lx, vlen);
	return add_pair(lx, loc, start, len, v);
}

/*
 * The pairs after "Result:", up to the "*)" that closes the comment (left for
 * the caller to read), or the end of the input (unterminated comment).
 */
static int lex_pairs(struct lt_lexer *lx, struct lt_loc at)
{
	int n = 0;

	for (;;) {
		while (is_space(peekc(lx, 0)))
			adv(lx);
		if (at_end(lx))
			return 0;
		if (looking_at(lx, "*)"))
			break;
		if (lex_pair(lx))
			return -EINVAL;
		n++;
	}
	if (!n)
		return lex_fail(lx, at,
				"'Result:' must be followed by policy=Verdict pairs");
	return 0;
}

/* Whether the reason of a Skip: comment ends at the current byte + @n. */
static bool skip_reason_end(const struct lt_lexer *lx, size_t n)
{
	int c = peekc(lx, n), d = peekc(lx, n + 1);

	return c < 0 || c == '\n' || ((c == '*' || c == '(') &&
				      d == (c == '*' ? ')' : '*'));
}

/*
 * The reason after "Skip:", up to the end of its line or the "*)" closing
 * the comment (left for the caller), without the blanks around it.  A test
 * has at most one; a lookahead that lexes the same comment again is fine.
 */
static int lex_skip(struct lt_lexer *lx, struct lt_loc at)
{
	size_t n = 0, len = 0;

	while (peekc(lx, 0) != '\n' && is_space(peekc(lx, 0)))
		adv(lx);
	for (; !skip_reason_end(lx, n); n++)
		if (!is_space(peekc(lx, n)))
			len = n + 1;
	if (!len)
		return lex_fail(lx, at, "'Skip:' must be followed by a reason");
	if (lx->skip && lx->skip != lx->st.p)
		return lex_fail(lx, at, "a second Skip: comment (the first at %u:%u)",
				lx->skip_loc.line, lx->skip_loc.col);
	lx->skip = lx->st.p;
	lx->skip_len = len;
	lx->skip_loc = at;
	adv_n(lx, len);
	return 0;
}

/*
 * A comment "(* ... *)"; comments nest, as in OCaml and herd7.  "Result:"
 * and "Skip:" are special only as a comment's first word: prose that
 * mentions them ("my first Result: said ...") is prose.
 */
static int skip_comment(struct lt_lexer *lx)
{
	struct lt_loc start = lx->st.loc, at;
	size_t depth = 0;
	bool first = false;	/* nothing but blanks since the last "(*" */

	do {
		if (at_end(lx))
			return lex_fail(lx, start, "unterminated comment");
		if (looking_at(lx, "(*")) {
			adv_n(lx, 2);
			depth++;
			first = true;
		} else if (looking_at(lx, "*)")) {
			adv_n(lx, 2);
			depth--;
			first = false;
		} else if (first && looking_at(lx, "Result:")) {
			at = lx->st.loc;
			adv_n(lx, strlen("Result:"));
			if (lex_pairs(lx, at))
				return -EINVAL;
			first = false;
		} else if (first && looking_at(lx, "Skip:")) {
			at = lx->st.loc;
			adv_n(lx, strlen("Skip:"));
			if (lex_skip(lx, at))
				return -EINVAL;
			first = false;
		} else {
			first = first && is_space(peekc(lx, 0));
			adv(lx);
		}
	} while (depth);
	return 0;
}

/* Skip blanks and comments; @space tells whether there were any. */
static int skip_blank(struct lt_lexer *lx, bool *space)
{
	*space = false;
	for (;;) {
		if (is_space(peekc(lx, 0))) {
			adv(lx);
		} else if (looking_at(lx, "(*")) {
			if (skip_comment(lx))
				return -EINVAL;
		} else {
			return 0;
		}
		*space = true;
	}
}

static int lex_ident(struct lt_lexer *lx, struct lt_token *t)
{
	size_t n = 0;

	while (is_alnum(peekc(lx, n)))
		n++;
	if (n > LT_IDENT_MAX)
		return lex_fail(lx, t->loc,
				"identifier too long (max %d characters)",
				LT_IDENT_MAX);
	t->kind = TK_IDENT;
	t->len = n;
	adv_n(lx, n);
	return 0;
}

static int lex_name(struct lt_lexer *lx, struct lt_token *t)
{
	size_t n = 0;

	while (is_name_char(peekc(lx, n)))
		n++;
	if (n > LT_IDENT_MAX)
		return lex_fail(lx, t->loc,
				"test name too long (max %d characters)",
				LT_IDENT_MAX);
	t->kind = TK_NAME;
	t->len = n;
	adv_n(lx, n);
	return 0;
}

/*
 * Decimal digits, or hexadecimal after 0x.  Values above 2^63 set @t->ovf
 * (the parser reports them); a letter glued to the digits is an error.
 */
static int lex_number(struct lt_lexer *lx, struct lt_token *t)
{
	unsigned int base = 10;
	size_t n = 0;
	int d;

	if (peekc(lx, 0) == '0' && (peekc(lx, 1) | 0x20) == 'x' &&
	    hex_value(peekc(lx, 2)) >= 0) {
		base = 16;
		n = 2;
	}
	t->kind = TK_INT;
	while ((d = hex_value(peekc(lx, n))) >= 0 && (unsigned int)d < base) {
		if (t->num > (INT_LIMIT - d) / base)
			t->ovf = true;
		else
			t->num = t->num * base + d;
		n++;
	}
	if (is_alnum(peekc(lx, n))) {
		char q[LT_QUOTE_SIZE];

		while (is_alnum(peekc(lx, n)))
			n++;
		lt_lex_quote(q, sizeof(q), lx->st.p, n);
		return lex_fail(lx, t->loc, "invalid integer '%s'", q);
	}
	t->len = n;
	adv_n(lx, n);
	return 0;
}

/* "...": may span lines; no escapes, no control characters but blanks. */
static int lex_string(struct lt_lexer *lx, struct lt_token *t)
{
	size_t n = 0;
	int c;

	while ((c = peekc(lx, n + 1)) != '"') {
		if (c < 0)
			return lex_fail(lx, t->loc, "unterminated string");
		if (c < 0x20 && !is_space(c)) {
			adv_n(lx, n + 1);
			return lex_fail(lx, lx->st.loc,
					"invalid character '\\x%02x' in string",
					c);
		}
		if (++n > LT_STRING_MAX)
			return lex_fail(lx, t->loc,
					"string too long (max %d bytes)",
					LT_STRING_MAX);
	}
	t->kind = TK_STRING;
	t->s = lx->st.p + 1;
	t->len = n;
	adv_n(lx, n + 2);
	return 0;
}

/* A two-character operator @two if the input has it, else @one (may be -1). */
static int lex_pair_op(struct lt_lexer *lx, struct lt_token *t, char second,
		       int two, int one)
{
	if (peekc(lx, 1) == second) {
		t->kind = two;
		t->len = 2;
	} else if (one >= 0) {
		t->kind = one;
		t->len = 1;
	} else {
		return -1;
	}
	adv_n(lx, t->len);
	return 0;
}

static int lex_single(struct lt_lexer *lx, struct lt_token *t, int c)
{
	static const char chars[] = "(){}[];,:+-~.";
	static const enum lt_tok kinds[] = {
		TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACKET,
		TK_RBRACKET, TK_SEMI, TK_COMMA, TK_COLON, TK_PLUS, TK_MINUS,
		TK_TILDE, TK_DOT,
	};
	const char *at;

	BUILD_BUG_ON(sizeof(chars) - 1 != ARRAY_SIZE(kinds));
	at = c ? strchr(chars, c) : NULL;
	if (!at)
		return -1;
	t->kind = kinds[at - chars];
	t->len = 1;
	adv(lx);
	return 0;
}

/* Punctuation and operators. Return: 0, or -1 when @c starts none */
static int lex_punct(struct lt_lexer *lx, struct lt_token *t, int c)
{
	switch (c) {
	case '=':
		return lex_pair_op(lx, t, '=', TK_EQ, TK_ASSIGN);
	case '!':
		return lex_pair_op(lx, t, '=', TK_NE, TK_NOT);
	case '<':
		return lex_pair_op(lx, t, '=', TK_LE, TK_LT);
	case '>':
		return lex_pair_op(lx, t, '=', TK_GE, TK_GT);
	case '&':
		return lex_pair_op(lx, t, '&', TK_ANDAND, -1);
	case '|':
		return lex_pair_op(lx, t, '|', TK_OROR, TK_PIPE);
	case '/':
		if (peekc(lx, 1) == '*' || peekc(lx, 1) == '/')
			return lex_fail(lx, t->loc,
					"C comments are not litmus comments: write (* ... *)");
		return lex_pair_op(lx, t, '\\', TK_CONJ, -1);
	case '\\':
		return lex_pair_op(lx, t, '/', TK_DISJ, -1);
	default:
		return lex_single(lx, t, c);
	}
}

static int lex_token(struct lt_lexer *lx, struct lt_token *t, bool name)
{
	int c = peekc(lx, 0);

	if (c < 0) {
		t->kind = TK_EOF;
		return 0;
	}
	if (name && is_name_char(c))
		return lex_name(lx, t);
	if (is_alpha(c))
		return lex_ident(lx, t);
	if (is_digit(c))
		return lex_number(lx, t);
	if (c == '"')
		return lex_string(lx, t);
	if (!lex_punct(lx, t, c))
		return 0;
	if (looking_at(lx, "*)"))
		return lex_fail(lx, t->loc, "'*)' outside a comment");
	if (c >= 0x20 && c < 0x7f)
		return lex_fail(lx, t->loc, "unexpected character '%c'", c);
	return lex_fail(lx, t->loc, "unexpected character '\\x%02x'", c);
}

/**
 * lt_lex_init() - start tokenizing @text
 * @lx:   the lexer
 * @text: the source, need not be NUL-terminated (NULL when @len is 0)
 * @len:  its length
 */
void lt_lex_init(struct lt_lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	if (!text)
		text = "";
	lx->st.p = text;
	lx->end = text + len;
	lx->st.loc.line = 1;
	lx->st.loc.col = 1;
}

/**
 * lt_lex_next() - the next token
 * @lx: the lexer
 * @t:  the token read
 *
 * Blanks and comments before the token are skipped, collecting the pairs of
 * Result: comments.  After an error, this and every later token is TK_ERROR
 * at @lx->err_loc with the message in @lx->err.
 */
void lt_lex_next(struct lt_lexer *lx, struct lt_token *t)
{
	bool name = lx->name_mode;

	lx->name_mode = false;
	memset(t, 0, sizeof(*t));
	if (lx->st.failed || skip_blank(lx, &t->space))
		goto error;
	t->loc = lx->st.loc;
	t->s = lx->st.p;
	if (lex_token(lx, t, name))
		goto error;
	return;

error:
	t->kind = TK_ERROR;
	t->loc = lx->err_loc;
	t->s = lx->err;
	t->len = strlen(lx->err);
}

/**
 * lt_lex_peek() - the token lt_lex_next() would return, without consuming it
 * @lx: the lexer
 * @t:  the token
 */
void lt_lex_peek(struct lt_lexer *lx, struct lt_token *t)
{
	struct lt_lex_state saved = lx->st;

	lt_lex_next(lx, t);
	lx->st = saved;
}
