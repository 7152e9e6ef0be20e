/* parser.h - private to litmus/parse*.c: the parser's state and the functions its pieces share. */
#ifndef PINLAB_LITMUS_PARSER_H
#define PINLAB_LITMUS_PARSER_H

#include <pinlab/bug.h>
#include <pinlab/litmus.h>

#include "lexer.h"

#define LT_TEXT_MAX	4096	/* folded text of a statement or of the condition */
#define LT_MSG_MAX	256	/* longest error message, location excluded */

#define REG_NONE	(-1)	/* reg_of(): not written like a register */
#define REG_BAD		(-2)	/* reg_of(): r and digits, but not r0..r31 */

struct litmus_pool;

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
 * @in_filter:    the filter is being read: locations it adds are hidden
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


/* parse-pool.c */
struct litmus_pool *pool_create(void);
void pool_destroy(struct litmus_pool *pool);
__printf(3, 4)
int perr(struct parser *p, struct lt_loc loc, const char *fmt, ...);
const char *tok_desc(const struct lt_token *t, char *buf, size_t size);
int unexpected(struct parser *p, const char *what);
void *p_alloc(struct parser *p, size_t size);
char *p_strndup(struct parser *p, const char *s, size_t len);

/* parse-tok.c */
void advance(struct parser *p);
bool tok_is(const struct parser *p, enum lt_tok kind);
bool next_is(struct parser *p, enum lt_tok kind);
bool tok_word(const struct lt_token *t, const char *word);
int expect(struct parser *p, enum lt_tok kind, const char *what);
void rec_start(struct parser *p);
int rec_finish(struct parser *p, struct lt_loc loc, const char *what,
	       const char **text);
int enter(struct parser *p, struct lt_loc loc);
int int_value(struct parser *p, const struct lt_token *t, bool neg,
	      s64 *v);
int parse_count(struct parser *p, int min, int max, const char *what,
		int *out);
int reg_of(const struct lt_token *t);
int bad_reg(struct parser *p, const struct lt_token *t);
int thread_of(const struct lt_token *t);
int flag_of(const struct lt_token *t);
int errno_of(const struct lt_token *t);
bool is_reserved(const struct lt_token *t);
int find_file(const struct parser *p, const struct lt_token *t);
int find_var(const struct parser *p, const struct lt_token *t);
int check_new_name(struct parser *p);
int lookup_var(struct parser *p, int *idx);

/* parse-init.c */
int parse_header(struct parser *p);
int parse_policies(struct parser *p);
int check_dax(struct parser *p);
int parse_signed(struct parser *p, s64 *v);
int parse_init(struct parser *p);

/* parse-expr.c */
int parse_expr(struct parser *p, bool cond, struct lt_expr **out);

/* parse-stmt.c */
int check_page_args(struct parser *p);
int parse_threads(struct parser *p);

/* parse-cond.c */
int parse_cond(struct parser *p);

#endif /* PINLAB_LITMUS_PARSER_H */
