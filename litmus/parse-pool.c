/* parse-pool.c - the litmus parser's allocation pool and its located errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define LT_POOL_MAX	(16u << 20)	/* bytes a parsed test may occupy */
#define LT_POOL_CHUNK	(16u << 10)	/* bytes the pool asks malloc for at once */
#define LT_POOL_ALIGN	16u		/* alignment of every pool allocation */

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

/* ---- the pool ---- */

struct litmus_pool *pool_create(void)
{
	return calloc(1, sizeof(struct litmus_pool));
}

void pool_destroy(struct litmus_pool *pool)
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
__printf(3, 4)
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
const char *tok_desc(const struct lt_token *t, char *buf, size_t size)
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
int unexpected(struct parser *p, const char *what)
{
	char buf[LT_QUOTE_SIZE + 2];

	if (p->tok.kind == TK_ERROR)
		return perr(p, p->tok.loc, "%s", p->lx.err);
	return perr(p, p->tok.loc, "unexpected %s, expected %s",
		    tok_desc(&p->tok, buf, sizeof(buf)), what);
}

void *p_alloc(struct parser *p, size_t size)
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

char *p_strndup(struct parser *p, const char *s, size_t len)
{
	char *d = p_alloc(p, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}
