/* lexer.h - the litmus tokenizer: tokens with positions, comments and Result: pairs. */
#ifndef PINLAB_LITMUS_LEXER_H
#define PINLAB_LITMUS_LEXER_H

#include <pinlab/litmus.h>

#define LT_IDENT_MAX	(LT_NAME_MAX - 1)	/* longest identifier or name */
#define LT_STRING_MAX	4096	/* longest quoted description */
#define LT_MAX_RESULTS	64	/* policy=Verdict pairs per test */
#define LT_LEX_MSG_MAX	160	/* longest lexer error message */
#define LT_QUOTE_SIZE	136	/* buffer for lt_lex_quote(): 32 bytes quoted */

enum lt_tok {
	TK_EOF,			/* end of the input */
	TK_ERROR,		/* a lexical error, see lt_lexer.err */
	TK_IDENT,		/* [A-Za-z_][A-Za-z0-9_]* */
	TK_NAME,		/* the test name after PIN: [A-Za-z0-9_.+-]+ */
	TK_INT,			/* decimal or 0x hexadecimal digits */
	TK_STRING,		/* "..." (the quotes are not part of the text) */
	TK_LPAREN,		/* ( */
	TK_RPAREN,		/* ) */
	TK_LBRACE,		/* { */
	TK_RBRACE,		/* } */
	TK_LBRACKET,		/* [ */
	TK_RBRACKET,		/* ] */
	TK_SEMI,		/* ; */
	TK_COMMA,		/* , */
	TK_COLON,		/* : */
	TK_ASSIGN,		/* = */
	TK_EQ,			/* == */
	TK_NE,			/* != */
	TK_LT,			/* < */
	TK_LE,			/* <= */
	TK_GT,			/* > */
	TK_GE,			/* >= */
	TK_PLUS,		/* + */
	TK_MINUS,		/* - */
	TK_NOT,			/* ! */
	TK_ANDAND,		/* && */
	TK_OROR,		/* || */
	TK_PIPE,		/* | */
	TK_TILDE,		/* ~ */
	TK_CONJ,		/* /\ */
	TK_DISJ,		/* \/ */
	TK_DOT,			/* . (a sector of a page: A[0].1) */
};

/**
 * struct lt_token - one token
 * @kind:  enum lt_tok
 * @loc:   where it starts
 * @s:     its text in the source (for TK_STRING: between the quotes)
 * @len:   bytes of @s
 * @num:   TK_INT: its value, at most 2^63 (so that -2^63 can be written)
 * @ovf:   TK_INT: the value exceeds 2^63
 * @space: white space or a comment precedes it
 */
struct lt_token {
	enum lt_tok kind;
	struct lt_loc loc;
	const char *s;
	size_t len;
	u64 num;
	bool ovf;
	bool space;
};

/**
 * struct lt_lex_pair - one policy=Verdict pair of a Result: comment
 * @loc:     where the pair starts
 * @policy:  the policy name in the source, not NUL-terminated
 * @len:     bytes of @policy
 * @verdict: the expected verdict
 */
struct lt_lex_pair {
	struct lt_loc loc;
	const char *policy;
	size_t len;
	enum lt_verdict verdict;
};

/**
 * struct lt_lex_state - the part of the lexer a lookahead saves and restores
 * @p:        next byte to read
 * @loc:      position of @p
 * @nr_pairs: entries of lt_lexer.pairs in use
 * @failed:   an error was found; every later token is TK_ERROR
 */
struct lt_lex_state {
	const char *p;
	struct lt_loc loc;
	int nr_pairs;
	bool failed;
};

/**
 * struct lt_lexer - a tokenizer over one source text
 * @end:       one past the last byte of the source
 * @st:        the current position
 * @name_mode: lex the next token as a test name (TK_NAME) if it can be one
 * @pairs:     the Result: pairs seen so far, in order
 * @skip:      the reason of the "(* Skip: reason *)" comment, not
 *             NUL-terminated; NULL when there is none
 * @skip_len:  bytes of @skip
 * @skip_loc:  where its "Skip:" is
 * @err_loc:   where the error is, once @st.failed
 * @err:       the error message, once @st.failed
 */
struct lt_lexer {
	const char *end;
	struct lt_lex_state st;
	bool name_mode;
	struct lt_lex_pair pairs[LT_MAX_RESULTS];
	const char *skip;
	size_t skip_len;
	struct lt_loc skip_loc;
	struct lt_loc err_loc;
	char err[LT_LEX_MSG_MAX];
};

void lt_lex_init(struct lt_lexer *lx, const char *text, size_t len);
void lt_lex_next(struct lt_lexer *lx, struct lt_token *t);
void lt_lex_peek(struct lt_lexer *lx, struct lt_token *t);
void lt_lex_quote(char *buf, size_t size, const char *s, size_t len);

#endif /* PINLAB_LITMUS_LEXER_H */
