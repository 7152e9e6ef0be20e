/* parser.c - recursive-descent parser of litmus tests into struct litmus_test. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <pinlab/bug.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>

#include "lexer.h"

#define LT_MAX_INPUT	(1u << 20)	/* bytes of source text */
#define LT_POOL_MAX	(16u << 20)	/* bytes a parsed test may occupy */
#define LT_POOL_CHUNK	(16u << 10)	/* bytes the pool asks malloc for at once */
#define LT_POOL_ALIGN	16u		/* alignment of every pool allocation */
#define LT_TEXT_MAX	4096	/* folded text of a statement or of the condition */
#define LT_MSG_MAX	256	/* longest error message, location excluded */

#define INT_LIMIT	((u64)1 << 63)	/* magnitude of INT64_MIN */
#define REG_NONE	(-1)	/* reg_of(): not written like a register */
#define REG_BAD		(-2)	/* reg_of(): r and digits, but not r0..r31 */

/**
 * struct pool_chunk - one malloc'ed block of a pool
 * @next: the chunk allocated before this one
 * @size: bytes of @data
 * @used: bytes of @data handed out
 * @data: the memory handed out
 */
struct pool_chunk {
	struct pool_chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

/**
 * struct litmus_pool - every allocation of one parsed test (litmus_test.pool)
 * @head:  the newest chunk, which allocations come from
 * @total: bytes malloc'ed so far, at most LT_POOL_MAX
 */
struct litmus_pool {
	struct pool_chunk *head;
	size_t total;
};

/**
 * struct stmt_node - a statement while its block is being read
 * @s:    the statement
 * @next: the statement after it
 */
struct stmt_node {
	struct lt_stmt s;
	struct stmt_node *next;
};

/**
 * struct parser - the state of one litmus_parse() call
 * @lx:           the lexer
 * @tok:          the current token, not consumed yet
 * @pool:         where the test is allocated
 * @t:            the test being built
 * @path:         file name for messages
 * @depth:        current nesting, at most LT_MAX_DEPTH
 * @ret:          0, or the error litmus_parse() returns
 * @err_loc:      where the first error is
 * @msg:          the first error's message
 * @rec_on:       consumed tokens are appended to @rec
 * @rec_ovf:      @rec overflowed
 * @rec_len:      bytes in @rec
 * @rec:          folded text of the statement or condition being read
 * @seen_fs:      the init block set fs
 * @seen_dev:     the init block set dev
 * @seen_dax:     the init block set dax
 * @seen_sectors: the init block set sectors
 * @files:        the files declared so far
 * @nr_files:     entries in @files
 * @vars:         the shared variables and mutexes declared so far
 * @nr_vars:      entries in @vars
 * @threads:      the threads read so far
 * @nr_threads:   entries in @threads
 * @th:           the thread being read
 * @nr_stmts:     statements of @th so far
 * @locs:         the locations the final condition reads, as they appear
 * @nr_locs:      entries in @locs
 */
struct parser {
	struct lt_lexer lx;
	struct lt_token tok;
	struct litmus_pool *pool;
	struct litmus_test *t;
	const char *path;
	int depth;
	int ret;
	struct lt_loc err_loc;
	char msg[LT_MSG_MAX];
	bool rec_on;
	bool rec_ovf;
	size_t rec_len;
	char rec[LT_TEXT_MAX];
	bool seen_fs;
	bool seen_dev;
	bool seen_dax;
	bool seen_sectors;
	struct lt_file files[LT_MAX_FILES];
	int nr_files;
	struct lt_var vars[LT_MAX_VARS];
	int nr_vars;
	struct lt_thread threads[LT_NR_THREADS];
	int nr_threads;
	struct lt_thread *th;
	int nr_stmts;
	struct lt_operand locs[LT_MAX_LOCS];
	int nr_locs;
	bool in_filter;
};

/*
 * Keywords.  Neither they nor constants, errno names and flag names can name
 * a file or a variable.
 */
static const char *const lt_keywords[] = {
	"PIN", "fs", "dev", "dax", "sectors", "file", "mutex", "if", "else",
	"exists", "forall", "torn", "eio",
};

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

/* ---- the pool ---- */

static struct litmus_pool *pool_create(void)
{
	return calloc(1, sizeof(struct litmus_pool));
}

static void pool_destroy(struct litmus_pool *pool)
{
	struct pool_chunk *c, *next;

	if (!pool)
		return;
	for (c = pool->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(pool);
}

/*
 * @size zeroed bytes.  Return: the memory, NULL with *@full set when the
 * test outgrew LT_POOL_MAX, or NULL with *@full clear when malloc failed.
 */
static void *pool_alloc(struct litmus_pool *pool, size_t size, bool *full)
{
	struct pool_chunk *c = pool->head;
	size_t csize;
	void *mem;

	*full = size > LT_POOL_MAX;
	if (*full)
		return NULL;
	size = (size + LT_POOL_ALIGN - 1) & ~(size_t)(LT_POOL_ALIGN - 1);
	if (!c || c->size - c->used < size) {
		csize = max_t(size_t, size, LT_POOL_CHUNK);
		*full = pool->total + csize > LT_POOL_MAX;
		if (*full)
			return NULL;
		c = calloc(1, sizeof(*c) + csize);
		if (!c)
			return NULL;
		pool->total += csize;
		c->size = csize;
		c->next = pool->head;
		pool->head = c;
	}
	mem = (char *)c->data + c->used;
	c->used += size;
	return mem;
}

/* ---- errors ---- */

/* Record the first error at @loc. Return: -EINVAL */
static __printf(3, 4)
int perr(struct parser *p, struct lt_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (p->ret)
		return p->ret;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	p->err_loc = loc;
	p->ret = -EINVAL;
	return p->ret;
}

/* "'text'", "end of file" or "a string", for messages. */
static const char *tok_desc(const struct lt_token *t, char *buf, size_t size)
{
	char q[LT_QUOTE_SIZE];

	if (t->kind == TK_EOF)
		return "end of file";
	if (t->kind == TK_STRING)
		return "a string";
	lt_lex_quote(q, sizeof(q), t->s, t->len);
	snprintf(buf, size, "'%s'", q);
	return buf;
}

/* The current token is not @what: report it, or the lexer's error. */
static int unexpected(struct parser *p, const char *what)
{
	char buf[LT_QUOTE_SIZE + 2];

	if (p->tok.kind == TK_ERROR)
		return perr(p, p->tok.loc, "%s", p->lx.err);
	return perr(p, p->tok.loc, "unexpected %s, expected %s",
		    tok_desc(&p->tok, buf, sizeof(buf)), what);
}

static void *p_alloc(struct parser *p, size_t size)
{
	bool full;
	void *mem = pool_alloc(p->pool, size, &full);

	if (mem || p->ret)
		return mem;
	if (full) {
		perr(p, p->tok.loc, "test too large (more than %u MiB parsed)",
		     LT_POOL_MAX >> 20);
	} else {
		perr(p, p->tok.loc, "out of memory");
		p->ret = -ENOMEM;
	}
	return NULL;
}

static char *p_strndup(struct parser *p, const char *s, size_t len)
{
	char *d = p_alloc(p, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

/* ---- tokens ---- */

/* Consume the current token, adding it to the folded text if recording. */
static void advance(struct parser *p)
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

static bool tok_is(const struct parser *p, enum lt_tok kind)
{
	return p->tok.kind == kind;
}

/* Is the token after the current one of @kind? */
static bool next_is(struct parser *p, enum lt_tok kind)
{
	struct lt_token next;

	lt_lex_peek(&p->lx, &next);
	return next.kind == kind;
}

static bool tok_word(const struct lt_token *t, const char *word)
{
	return t->kind == TK_IDENT && t->len == strlen(word) &&
	       !memcmp(t->s, word, t->len);
}

static int expect(struct parser *p, enum lt_tok kind, const char *what)
{
	if (p->tok.kind != kind)
		return unexpected(p, what);
	advance(p);
	return 0;
}

static void rec_start(struct parser *p)
{
	p->rec_on = true;
	p->rec_ovf = false;
	p->rec_len = 0;
}

/* Stop recording and keep the folded text of @what (starting at @loc). */
static int rec_finish(struct parser *p, struct lt_loc loc, const char *what,
		      const char **text)
{
	p->rec_on = false;
	if (p->rec_ovf)
		return perr(p, loc, "%s too long (max %d characters)", what,
			    LT_TEXT_MAX - 1);
	*text = p_strndup(p, p->rec, p->rec_len);
	return *text ? 0 : p->ret;
}

static int enter(struct parser *p, struct lt_loc loc)
{
	if (++p->depth > LT_MAX_DEPTH)
		return perr(p, loc, "nesting too deep (max %d)", LT_MAX_DEPTH);
	return 0;
}

/* The value of an integer token, negated if @neg, checking it fits. */
static int int_value(struct parser *p, const struct lt_token *t, bool neg,
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
static int parse_count(struct parser *p, int min, int max, const char *what,
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
static int reg_of(const struct lt_token *t)
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

static int bad_reg(struct parser *p, const struct lt_token *t)
{
	return perr(p, t->loc, "invalid register '%.*s': registers are r0..r%d",
		    (int)t->len, t->s, LT_NR_REGS - 1);
}

/* PN: Return: N (at most 99), -1 if @t is not P and digits, -2 if malformed */
static int thread_of(const struct lt_token *t)
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
static int flag_of(const struct lt_token *t)
{
	return t->kind == TK_IDENT ? flag_lookup(t->s, t->len) : -1;
}

static int errno_of(const struct lt_token *t)
{
	if (t->kind != TK_IDENT)
		return 0;
	return litmus_errno_value(t->s, t->len);
}

/* Keywords, constants, errno names and flags. */
static bool is_reserved(const struct lt_token *t)
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

static int find_file(const struct parser *p, const struct lt_token *t)
{
	int i;

	for (i = 0; i < p->nr_files; i++)
		if (name_eq(p->files[i].name, t))
			return i;
	return -1;
}

static int find_var(const struct parser *p, const struct lt_token *t)
{
	int i;

	for (i = 0; i < p->nr_vars; i++)
		if (name_eq(p->vars[i].name, t))
			return i;
	return -1;
}

/* The current token must be a fresh name for a file or variable. */
static int check_new_name(struct parser *p)
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
static int lookup_var(struct parser *p, int *idx)
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

/* ---- header and init block ---- */

static int parse_header(struct parser *p)
{
	u32 line = p->tok.loc.line;

	if (!tok_word(&p->tok, "PIN"))
		return unexpected(p, "'PIN'");
	p->lx.name_mode = true;
	advance(p);
	if (p->tok.kind != TK_NAME)
		return unexpected(p, "the test name after PIN");
	if (p->tok.loc.line != line)
		return perr(p, p->tok.loc,
			    "the test name must be on the line of PIN");
	p->t->name = p_strndup(p, p->tok.s, p->tok.len);
	if (!p->t->name)
		return p->ret;
	advance(p);
	if (!tok_is(p, TK_STRING))
		return 0;
	p->t->desc = p_strndup(p, p->tok.s, p->tok.len);
	if (!p->t->desc)
		return p->ret;
	advance(p);
	return 0;
}

#define LT_MAX_POLICIES	16	/* "policy" lines per test */

/*
 * "policy NAME = PRESET + knob=value ..." lines after the header: each runs
 * to the end of its line (knob values such as 4.20 and lease-break are not
 * tokens of the language), and defines a policy for this test only.
 */
static int parse_policy_line(struct parser *p)
{
	const struct lt_token *t = &p->tok;
	const char *eol = memchr(t->s, '\n', p->lx.end - t->s);
	struct lt_loc loc = t->loc;
	struct policy *v;
	char why[LT_NAME_MAX * 2];
	size_t col = 0;
	int i;

	if (!eol)
		eol = p->lx.end;
	if (p->t->nr_policies == LT_MAX_POLICIES)
		return perr(p, loc, "more than %d policy lines", LT_MAX_POLICIES);
	if (!p->t->policies) {
		p->t->policies = p_alloc(p, LT_MAX_POLICIES * sizeof(*p->t->policies));
		if (!p->t->policies)
			return p->ret;
	}
	v = &p->t->policies[p->t->nr_policies];
	if (policy_define(t->s, eol - t->s, v, &col, why, sizeof(why))) {
		loc.col += col;
		return perr(p, loc, "%s", why);
	}
	for (i = 0; i < p->t->nr_policies; i++)
		if (!strcmp(p->t->policies[i].name, v->name))
			return perr(p, loc, "policy '%s' is defined twice", v->name);
	p->t->nr_policies++;
	p->lx.st.p = eol;
	p->lx.st.loc.line = t->loc.line;
	p->lx.st.loc.col = t->loc.col + (eol - t->s);
	advance(p);
	return 0;
}

static int parse_policies(struct parser *p)
{
	int err = 0;

	while (!err && tok_word(&p->tok, "policy") && next_is(p, TK_IDENT))
		err = parse_policy_line(p);
	return err;
}

/*
 * "fs = ext4;" and "dev = dif;": one of @names, each setting at most once;
 * *@loc is where the value was written.
 */
static int parse_choice(struct parser *p, bool *seen, const char *const *names,
			int nr, const char *list, int *out, struct lt_loc *loc)
{
	const struct lt_token *t = &p->tok;
	char setting[LT_NAME_MAX];
	int i, err;

	snprintf(setting, sizeof(setting), "%.*s", (int)t->len, t->s);
	if (*seen)
		return perr(p, t->loc, "duplicate setting '%s'", setting);
	*seen = true;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (err)
		return err;
	if (t->kind != TK_IDENT)
		return unexpected(p, list);
	for (i = 0; i < nr; i++) {
		if (tok_word(t, names[i])) {
			*out = i;
			*loc = t->loc;
			advance(p);
			return expect(p, TK_SEMI, "';'");
		}
	}
	return perr(p, t->loc, "unknown %s '%.*s' (expected %s)", setting,
		    (int)t->len, t->s, list);
}

static int parse_fs(struct parser *p)
{
	static const char *const names[] = {
		[LT_FS_EXT4] = "ext4",
		[LT_FS_BTRFS] = "btrfs",
		[LT_FS_XFS] = "xfs",
		[LT_FS_TMPFS] = "tmpfs",
	};

	struct lt_loc loc;
	int v = 0, err;

	err = parse_choice(p, &p->seen_fs, names, ARRAY_SIZE(names),
			   "ext4, btrfs, xfs or tmpfs", &v, &loc);
	if (!err) {
		p->t->fs = v;
		p->t->fs_loc = loc;
	}
	return err;
}

static int parse_dev(struct parser *p)
{
	static const char *const names[] = {
		[LT_DEV_PLAIN] = "plain",
		[LT_DEV_DIF] = "dif",
	};
	struct lt_loc loc;
	int v = 0, err;

	err = parse_choice(p, &p->seen_dev, names, ARRAY_SIZE(names),
			   "plain or dif", &v, &loc);
	if (!err)
		p->t->dev = v;
	return err;
}

/* "dax = on;": fsdax, for ext4 and xfs only (checked once fs is known: check_dax()). */
static int parse_dax(struct parser *p)
{
	static const char *const names[] = { "off", "on" };
	int v = 0, err;

	err = parse_choice(p, &p->seen_dax, names, ARRAY_SIZE(names), "on or off", &v,
			   &p->t->dax_loc);
	if (!err)
		p->t->dax = v;
	return err;
}

/* fsdax exists for ext4 and xfs: btrfs and tmpfs have no DAX mode. */
static int check_dax(struct parser *p)
{
	const struct litmus_test *t = p->t;

	if (!t->dax || t->fs == LT_FS_EXT4 || t->fs == LT_FS_XFS)
		return 0;
	return perr(p, t->dax_loc, "dax = on needs fs = ext4 or xfs (fsdax)");
}

static int parse_sectors(struct parser *p)
{
	int err;

	if (p->seen_sectors)
		return perr(p, p->tok.loc, "duplicate setting 'sectors'");
	p->seen_sectors = true;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (!err)
		err = parse_count(p, 1, LT_MAX_SECTORS, "sectors", &p->t->sectors);
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	return err;
}

/* An integer constant: [-]digits or -ERRNO. */
static int parse_signed(struct parser *p, s64 *v)
{
	bool neg = tok_is(p, TK_MINUS);
	int e, err;

	if (neg)
		advance(p);
	if (tok_is(p, TK_INT)) {
		err = int_value(p, &p->tok, neg, v);
		if (!err)
			advance(p);
		return err;
	}
	e = errno_of(&p->tok);
	if (!neg || !e)
		return unexpected(p, neg ? "an integer or an errno name" :
				  "an integer");
	*v = -e;
	advance(p);
	return 0;
}

/* "[v0, v1, ...]": the initial page values of a file. */
static int parse_page_values(struct parser *p, struct lt_file *f)
{
	s64 v[LT_MAX_PAGES];
	struct lt_loc loc;
	int n = 0, err;

	advance(p);
	do {
		err = n ? expect(p, TK_COMMA, "',' or ']'") : 0;
		if (err)
			return err;
		if (n == LT_MAX_PAGES)
			return perr(p, p->tok.loc, "too many pages (max %d)",
				    LT_MAX_PAGES);
		loc = p->tok.loc;
		err = parse_signed(p, &v[n]);
		if (err)
			return err;
		/* A page holding one would read back as torn or eio. */
		if (v[n] == LT_VAL_TORN || v[n] == LT_VAL_EIO)
			return perr(p, loc, "the value %lld is reserved for torn and eio",
				    (long long)v[n]);
		n++;
	} while (!tok_is(p, TK_RBRACKET));
	advance(p);
	f->init = p_alloc(p, n * sizeof(*f->init));
	if (!f->init)
		return p->ret;
	memcpy(f->init, v, n * sizeof(*f->init));
	f->nr_pages = n;
	return 0;
}

/* "file A = N;" or "file A = [v0, ...];" */
static int parse_file_decl(struct parser *p)
{
	struct lt_file f = { .loc = p->tok.loc };
	int err;

	if (p->nr_files == LT_MAX_FILES)
		return perr(p, p->tok.loc, "too many files (max %d)",
			    LT_MAX_FILES);
	advance(p);
	err = check_new_name(p);
	if (err)
		return err;
	f.loc = p->tok.loc;
	f.name = p_strndup(p, p->tok.s, p->tok.len);
	if (!f.name)
		return p->ret;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (err)
		return err;
	if (tok_is(p, TK_LBRACKET)) {
		err = parse_page_values(p, &f);
	} else {
		err = parse_count(p, 1, LT_MAX_PAGES, "the number of pages",
				  &f.nr_pages);
		f.init = err ? NULL : p_alloc(p, f.nr_pages * sizeof(*f.init));
		if (!err && !f.init)
			err = p->ret;
	}
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	if (!err)
		p->files[p->nr_files++] = f;
	return err;
}

/* "x = v;" and, when @mutex, "mutex m;" */
static int parse_var_decl(struct parser *p, bool mutex)
{
	struct lt_var v = { .is_mutex = mutex };
	int err;

	if (p->nr_vars == LT_MAX_VARS)
		return perr(p, p->tok.loc,
			    "too many shared variables and mutexes (max %d)",
			    LT_MAX_VARS);
	if (mutex)
		advance(p);
	err = check_new_name(p);
	if (err)
		return err;
	v.loc = p->tok.loc;
	v.name = p_strndup(p, p->tok.s, p->tok.len);
	if (!v.name)
		return p->ret;
	advance(p);
	if (!mutex) {
		err = expect(p, TK_ASSIGN, "'='");
		if (!err)
			err = parse_signed(p, &v.init);
	}
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	if (!err)
		p->vars[p->nr_vars++] = v;
	return err;
}

static int parse_setting(struct parser *p)
{
	const struct lt_token *t = &p->tok;

	if (t->kind != TK_IDENT)
		return unexpected(p, "a setting or '}'");
	if (tok_word(t, "fs"))
		return parse_fs(p);
	if (tok_word(t, "dev"))
		return parse_dev(p);
	if (tok_word(t, "dax"))
		return parse_dax(p);
	if (tok_word(t, "sectors"))
		return parse_sectors(p);
	if (tok_word(t, "file"))
		return parse_file_decl(p);
	if (tok_word(t, "mutex"))
		return parse_var_decl(p, true);
	return parse_var_decl(p, false);
}

static int parse_init(struct parser *p)
{
	int err = expect(p, TK_LBRACE, "'{' (the init block)");

	while (!err && !tok_is(p, TK_RBRACE))
		err = parse_setting(p);
	if (!err)
		advance(p);
	return err;
}

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

static int parse_expr(struct parser *p, bool cond, struct lt_expr **out);

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
static int parse_expr(struct parser *p, bool cond, struct lt_expr **out)
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
static int check_page_args(struct parser *p)
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

static int parse_threads(struct parser *p)
{
	int err = 0;

	while (!err && thread_of(&p->tok) != -1)
		err = parse_thread(p);
	if (!err && !p->nr_threads)
		return unexpected(p, "a thread P0(label)");
	return err;
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

/* "PageDirty(A,i)" and the like, the current token being the name. */
static int parse_pstate_operand(struct parser *p, int ps, struct lt_operand *o)
{
	const struct lt_token *t = &p->tok;
	int file, err;

	advance(p);
	err = expect(p, TK_LPAREN, "'('");
	if (err)
		return err;
	if (t->kind != TK_IDENT)
		return unexpected(p, "a file name");
	file = find_file(p, t);
	if (file < 0)
		return perr(p, t->loc, "undefined file '%.*s'", (int)t->len, t->s);
	advance(p);
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
	const struct lt_token *t = &p->tok;
	int file, err;

	advance(p);
	err = expect(p, TK_LPAREN, "'('");
	if (err)
		return err;
	if (t->kind != TK_IDENT)
		return unexpected(p, "a file name");
	file = find_file(p, t);
	if (file < 0)
		return perr(p, t->loc, "undefined file '%.*s'", (int)t->len, t->s);
	advance(p);
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

static int parse_cond(struct parser *p)
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

/* ---- the whole test ---- */

/* A copy in the pool of @n elements of @size bytes: NULL if none or failed. */
static void *keep(struct parser *p, const void *src, int n, size_t size)
{
	void *mem;

	if (!n)
		return NULL;
	mem = p_alloc(p, n * size);
	if (mem)
		memcpy(mem, src, n * size);
	return mem;
}

const struct policy *litmus_policy(const struct litmus_test *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->nr_policies; i++)
		if (!strcmp(t->policies[i].name, name))
			return &t->policies[i];
	return policy_find(name);
}

/* A Result: pair must name a policy pinlab check can run. */
static int check_policy(struct parser *p, const struct lt_lex_pair *pr)
{
	char name[LT_NAME_MAX];

	snprintf(name, sizeof(name), "%.*s", (int)pr->len, pr->policy);
	if (litmus_policy(p->t, name))
		return 0;
	return perr(p, pr->loc, "Result: names unknown policy '%s' (see pinlab policies)",
		    name);
}

static int keep_expect(struct parser *p)
{
	struct litmus_test *t = p->t;
	const struct lt_lex_pair *pr;
	int i, err, n = p->lx.st.nr_pairs;

	t->expect = n ? p_alloc(p, n * sizeof(*t->expect)) : NULL;
	if (n && !t->expect)
		return p->ret;
	for (i = 0; i < n; i++) {
		pr = &p->lx.pairs[i];
		err = check_policy(p, pr);
		if (err)
			return err;
		t->expect[i].policy = p_strndup(p, pr->policy, pr->len);
		if (!t->expect[i].policy)
			return p->ret;
		t->expect[i].verdict = pr->verdict;
		t->expect[i].loc = pr->loc;
	}
	t->nr_expect = n;
	if (p->lx.skip) {
		t->skip = p_strndup(p, p->lx.skip, p->lx.skip_len);
		if (!t->skip)
			return p->ret;
	}
	return 0;
}

/* Move what the parser collected into the test. */
static int finish(struct parser *p)
{
	struct litmus_test *t = p->t;

	t->files = keep(p, p->files, p->nr_files, sizeof(*p->files));
	t->vars = keep(p, p->vars, p->nr_vars, sizeof(*p->vars));
	t->threads = keep(p, p->threads, p->nr_threads, sizeof(*p->threads));
	t->locs = keep(p, p->locs, p->nr_locs, sizeof(*p->locs));
	if (p->ret || keep_expect(p))
		return p->ret;
	t->nr_files = p->nr_files;
	t->nr_vars = p->nr_vars;
	t->nr_threads = p->nr_threads;
	t->nr_locs = p->nr_locs;
	return 0;
}

static int parse_test(struct parser *p, const char *text, size_t len)
{
	struct lt_loc start = { .line = 1, .col = 1 };
	int err;

	if (len > LT_MAX_INPUT)
		return perr(p, start, "input too large (%zu bytes, max %u)", len,
			    LT_MAX_INPUT);
	p->pool = pool_create();
	if (!p->pool) {
		perr(p, start, "out of memory");
		return p->ret = -ENOMEM;
	}
	lt_lex_init(&p->lx, text, len);
	lt_lex_next(&p->lx, &p->tok);
	p->t = p_alloc(p, sizeof(*p->t));
	if (!p->t)
		return p->ret;
	p->t->pool = p->pool;
	p->t->sectors = 4;
	p->t->path = p_strndup(p, p->path, strlen(p->path));
	if (!p->t->path)
		return p->ret;
	err = parse_header(p);
	if (!err)
		err = parse_policies(p);
	if (!err)
		err = parse_init(p);
	if (!err)
		err = check_dax(p);
	if (!err)
		err = parse_threads(p);
	if (!err)
		err = check_page_args(p);
	if (!err)
		err = parse_cond(p);
	if (!err)
		err = finish(p);
	return err;
}

/**
 * litmus_parse() - parse litmus source text
 * @path:   file name used in error messages (NULL: "<input>")
 * @text:   the source (need not be NUL-terminated)
 * @len:    its length
 * @out:    the test, on success; NULL on failure
 * @err:    on failure, "path:line:col: error: message" (one line, no newline)
 * @errlen: size of @err (may be 0)
 *
 * Only the first error is reported.  The test and everything it points to
 * live in one pool that litmus_free() releases.
 *
 * Return: 0, -EINVAL with @err filled in, or -ENOMEM.
 */
int litmus_parse(const char *path, const char *text, size_t len,
		 struct litmus_test **out, char *err, size_t errlen)
{
	struct parser *p;
	int ret;

	*out = NULL;
	if (!path)
		path = "<input>";
	if (err && errlen)
		err[0] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p) {
		if (err && errlen)
			snprintf(err, errlen, "%s: error: out of memory", path);
		return -ENOMEM;
	}
	p->path = path;
	ret = parse_test(p, text, len);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s:%u:%u: error: %s", path,
				 p->err_loc.line, p->err_loc.col, p->msg);
		pool_destroy(p->pool);
	} else {
		*out = p->t;
	}
	free(p);
	return ret;
}

/*
 * Open @path for reading if it is a regular file.  O_NONBLOCK keeps open()
 * from waiting for a writer when @path is a FIFO.
 * Return: the descriptor, -EMEDIUMTYPE when @path is not a regular file, or -errno.
 */
static int open_regular(const char *path)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EMEDIUMTYPE;
	}
	return fd;
}

/*
 * Read all of @path into a malloc'ed buffer, stopping one byte past
 * LT_MAX_INPUT so that litmus_parse() reports the file as too large.
 */
static int read_all(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, size = 0;
	char *buf = NULL, *nbuf;
	ssize_t n;
	int fd, ret;

	fd = open_regular(path);
	if (fd < 0)
		return fd;
	for (;;) {
		if (len == size) {
			size = size ? 2 * size : 4096;
			nbuf = realloc(buf, size);
			if (!nbuf) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out_free;
		}
		len += n;
		if (!n || len > LT_MAX_INPUT)
			break;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;

out_free:
	free(buf);
	close(fd);
	return ret;
}

/**
 * litmus_parse_file() - read @path and litmus_parse() it
 * @path:   the file
 * @out:    the test, on success; NULL on failure
 * @err:    on failure, the message: "path: error: not a regular file" for a
 *	    FIFO, directory or device, "path: error: <strerror>" when reading
 *	    failed, else as for litmus_parse()
 * @errlen: size of @err (may be 0)
 *
 * Return: 0, -EINVAL (parse error), -EMEDIUMTYPE (not a regular file) or -errno
 * from reading.
 */
int litmus_parse_file(const char *path, struct litmus_test **out,
		      char *err, size_t errlen)
{
	size_t len = 0;
	char *buf = NULL;
	int ret;

	*out = NULL;
	ret = read_all(path, &buf, &len);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s: error: %s", path,
				 ret == -EMEDIUMTYPE ? "not a regular file" :
				 strerror(-ret));
		return ret;
	}
	ret = litmus_parse(path, buf, len, out, err, errlen);
	free(buf);
	return ret;
}

/**
 * litmus_free() - free a parsed test and everything it points to
 * @t: the test, or NULL
 */
void litmus_free(struct litmus_test *t)
{
	if (t)
		pool_destroy(t->pool);
}

/**
 * lt_verdict_name() - the name of a verdict as herd7 prints it
 * @v: the verdict
 *
 * Return: "Never", "Sometimes", "Always", or "?" for a value out of range.
 */
const char *lt_verdict_name(enum lt_verdict v)
{
	switch (v) {
	case LV_NEVER:
		return "Never";
	case LV_SOMETIMES:
		return "Sometimes";
	case LV_ALWAYS:
		return "Always";
	default:
		return "?";
	}
}
