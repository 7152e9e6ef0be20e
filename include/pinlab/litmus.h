/* litmus.h - the parsed form of a litmus test (LITMUS.md) and the operation table. */
#ifndef PINLAB_LITMUS_H
#define PINLAB_LITMUS_H

#include <stdio.h>
#include <pinlab/mm_types.h>

#include <pinlab/sched.h>
#include <pinlab/types.h>

/*
 * The limits of the litmus language.  Each has one owner: what the kernel
 * model can hold is defined by the model's headers (mm_types.h, sched.h) and
 * only derived here; what only the front end holds is defined here.  The
 * parser refuses a test past any of them with a located error, and
 * BUILD_BUG_ON()s in litmus/ check the tables each one sizes.
 */
#define LT_NR_THREADS	(NR_TASKS_MAX - 3)	/* kept: the disk, its worker, the epilogue */
#define LT_MAX_FILES	MM_FILES_MAX	/* files of the init block */
#define LT_MAX_PAGES	MM_PAGES_MAX	/* pages per file */
#define LT_MAX_SECTORS	PAGE_SECTORS_MAX	/* sectors per page */
#define LT_NR_REGS	32	/* r0..r31 per thread (bits of lt_thread.regs_set) */
#define LT_NAME_MAX	64	/* identifiers, test and policy names */
#define LT_MAX_VARS	256	/* shared variables and mutexes */
#define LT_MAX_DEPTH	64	/* nesting of ifs, parentheses and prefix operators */
#define LT_MAX_STMTS	1024	/* statements per thread, nested ones included */
#define LT_MAX_LOCS	256	/* distinct locations of locations, filter and condition */

/* Page values that are not numbers: the model's (mm_types.h). */
#define LT_VAL_TORN	PAGE_VAL_TORN	/* sectors of the page disagree */
#define LT_VAL_EIO	PAGE_VAL_EIO	/* the page fails its checksum */

/**
 * struct lt_loc - a position in the litmus source, 1-based
 * @line: line number
 * @col:  column, counting bytes
 */
struct lt_loc {
	u32 line;
	u32 col;
};

enum lt_expr_kind {
	LX_INT,			/* @value */
	LX_REG,			/* register @index of the thread */
	LX_VAR,			/* shared variable @index (one explorer step per read) */
	LX_ADD, LX_SUB,		/* @l op @r */
	LX_NEG,			/* -@l */
	LX_EQ, LX_NE, LX_LT, LX_LE, LX_GT, LX_GE,	/* comparisons, only in if */
	LX_AND, LX_OR,		/* && || */
	LX_NOT,			/* !@l */
};

/**
 * struct lt_expr - an expression
 * @kind:  enum lt_expr_kind
 * @loc:   where it starts
 * @value: LX_INT
 * @index: LX_REG register number, LX_VAR variable index
 * @l:     left or only operand
 * @r:     right operand
 */
struct lt_expr {
	enum lt_expr_kind kind;
	struct lt_loc loc;
	s64 value;
	int index;
	struct lt_expr *l;
	struct lt_expr *r;
};

/*
 * Argument kinds, one letter each in struct lt_op.sig:
 *  'i' integer expression           -> its value
 *  'p' page index of the 'f' argument just before it: an integer expression;
 *      a constant outside that file's pages is a parse error, a run-time
 *      value outside them is the operation's -EFAULT or -EINVAL
 *  's' size in pages of the 'f' argument just before it: an integer
 *      expression, a constant beyond LT_MAX_PAGES a parse error; an
 *      LT_OP_EXTENDS operation may grow the file to it (truncate(2))
 *  'f' file name declared in init    -> file index
 *  'h' register holding pages (rN)   -> register number
 *  'v' shared variable name          -> variable index
 *  'm' mutex name (init: mutex m;)   -> variable index
 *  'F' FOLL_* flags joined with |    -> OR of their values
 *  'w' WB_SYNC_NONE or WB_SYNC_ALL   -> its value
 *  'b' true or false                 -> 1 or 0
 */

/**
 * struct lt_arg - one argument of an operation
 * @kind:  the signature letter it was checked against
 * @loc:   where it starts
 * @expr:  'i' and 'p': the expression (evaluate it whenever it is set)
 * @value: every other kind: the resolved index or constant
 */
struct lt_arg {
	char kind;
	struct lt_loc loc;
	struct lt_expr *expr;
	s64 value;
};

struct lt_task;
struct policy;

/**
 * struct lt_op - an operation litmus threads can call
 * @name:  as written in tests
 * @sig:   argument kinds, see above ("fiiF")
 * @flags: LT_OP_VALUE: returns a value that may be assigned to a register;
 *	   LT_OP_HANDLE: the assigned register also receives pages;
 *	   LT_OP_EXTENDS: may extend its file to the page it names (write(2))
 *	   or to the size it names (truncate(2));
 *	   LT_OP_PURE: touches only the litmus world's variables and mutexes,
 *	   which lt_world_state() hashes (tests calling only these can be run
 *	   with the state cache)
 * @fn:    runs the operation in the calling task; @argv holds the resolved
 *	   arguments. Return: the value (a negative errno on failure)
 * @args:  the arguments as `pinlab help ops` names them ("A, i, v")
 * @path:  the kernel path it runs, in the model's order of steps
 * @ret:   what it returns
 * @where: where another thread can come in (its scheduling points)
 */
struct lt_op {
	const char *name;
	const char *sig;
	unsigned int flags;
	s64 (*fn)(struct lt_task *t, const s64 *argv);
	const char *args;
	const char *path;
	const char *ret;
	const char *where;
};

#define LT_OP_VALUE	BIT(0)
#define LT_OP_HANDLE	BIT(1)
#define LT_OP_EXTENDS	BIT(2)
#define LT_OP_PURE	BIT(3)
#define LT_MAX_ARGS	8

/**
 * struct lt_const - a named constant usable as an argument
 * @name:  "FOLL_WRITE", "WB_SYNC_ALL", "true", ...
 * @kind:  the argument kind it belongs to ('F', 'w', 'b')
 * @value: its value
 */
struct lt_const {
	const char *name;
	char kind;
	s64 value;
};

const struct lt_op *litmus_find_op(const char *name, size_t len);

const char *litmus_closest_op(const char *name, size_t len);

void litmus_print_ops(FILE *f);

void litmus_print_assumptions(FILE *f);

const struct lt_const *litmus_find_const(const char *name, size_t len);

int litmus_errno_value(const char *name, size_t len);

const char *litmus_errno_name(int err);

enum lt_stmt_kind {
	LS_OP,			/* [rN =] op(args); */
	LS_ASSIGN_REG,		/* rN = expr; */
	LS_ASSIGN_VAR,		/* x = expr; */
	LS_IF,			/* if (expr) { then } else { els } */
};

struct lt_stmt;

/**
 * struct lt_block - a sequence of statements
 * @n: statements in @v
 * @v: the statements
 */
struct lt_block {
	int n;
	struct lt_stmt *v;
};

/**
 * struct lt_stmt - one statement
 * @kind:  enum lt_stmt_kind
 * @loc:   where it starts
 * @text:  its source text with white space folded, for traces ("r0 = x + 1")
 * @reg:   target register or -1 (LS_OP, LS_ASSIGN_REG)
 * @var:   target variable (LS_ASSIGN_VAR)
 * @op:    the operation (LS_OP)
 * @nargs: arguments in @args
 * @args:  the arguments (LS_OP)
 * @expr:  the value (LS_ASSIGN_*) or the condition (LS_IF)
 * @then:  LS_IF: taken when @expr is non-zero
 * @els:   LS_IF: taken otherwise (may be empty)
 */
struct lt_stmt {
	enum lt_stmt_kind kind;
	struct lt_loc loc;
	const char *text;
	int reg;
	int var;
	const struct lt_op *op;
	int nargs;
	struct lt_arg *args;
	struct lt_expr *expr;
	struct lt_block then;
	struct lt_block els;
};

/**
 * struct lt_thread - one thread P<id>(label) { body }
 * @id:        its number (P0 is 0); threads are numbered 0..n-1 in order
 * @label:     "device", "flusher", ...
 * @body:      its statements
 * @regs_set:  bit N set when rN is assigned somewhere in the thread
 * @handles:   bit N set when rN is assigned by an LT_OP_HANDLE operation
 */
struct lt_thread {
	int id;
	const char *label;
	struct lt_block body;
	u32 regs_set;
	u32 handles;
};

/**
 * struct lt_file - a file of the init block
 * @name:     "A"
 * @nr_pages: pages in it
 * @init:     initial value of each page (nr_pages entries)
 * @loc:      where it was declared
 */
struct lt_file {
	const char *name;
	int nr_pages;
	s64 *init;
	struct lt_loc loc;
};

/**
 * struct lt_var - a shared variable (x = v;) or mutex (mutex m;) of the init block
 * @name:     its name
 * @init:     initial value (0 for a mutex)
 * @is_mutex: declared with "mutex"
 * @loc:      where it was declared
 */
struct lt_var {
	const char *name;
	s64 init;
	bool is_mutex;
	struct lt_loc loc;
};

enum lt_cmp { LC_EQ, LC_NE, LC_LT, LC_LE, LC_GT, LC_GE };

enum lt_operand_kind {
	LO_INT,			/* @value (errno names are negative ints) */
	LO_TORN,		/* the value "torn" */
	LO_EIO,			/* the value "eio" */
	LO_REG,			/* @thread:r@reg */
	LO_PAGE,		/* @file[@page] after the epilogue */
	LO_VAR,			/* shared variable @var at the end */
	LO_FLAG,		/* outcome flag @flag (enum pl_flag), 0 or 1 */
	LO_PSTATE,		/* @pstate of @file[@page] when the threads have ended */
	LO_SECTOR,		/* sector @sector of @file[@page] after the epilogue */
	LO_SIZE,		/* size(@file): its i_size in pages after the epilogue */
};

/*
 * The page state a condition may read (LO_PSTATE), as the threads left it:
 * before the epilogue's sync and drop.  A page not in the page cache then
 * reads 0 for every one of them.
 */
enum lt_pstate {
	LT_PS_DIRTY,		/* PageDirty(A,i): PG_dirty, 0 or 1 */
	LT_PS_WRITEBACK,	/* PageWriteback(A,i): PG_writeback, 0 or 1 */
	LT_PS_PINS,		/* pins(A,i): FOLL_PIN pins the pin mode counts */
	LT_PS_REFS,		/* refs(A,i): _refcount */
	LT_PS_BUFFERS,		/* buffers(A,i): 1 if it has buffer heads */
	LT_PS_NR,
};

const char *lt_pstate_name(int ps);

/**
 * struct lt_operand - an operand of the final condition
 * @kind:   enum lt_operand_kind
 * @loc:    where it was written
 * @value:  LO_INT
 * @thread: LO_REG
 * @reg:    LO_REG
 * @file:   LO_PAGE file index
 * @page:   LO_PAGE page index
 * @var:    LO_VAR variable index
 * @flag:   LO_FLAG
 * @pstate: LO_PSTATE: enum lt_pstate
 * @sector: LO_SECTOR: sector index (LO_PAGE and LO_PSTATE also set @file, @page)
 * @slot:   locations (not constants): index in litmus_test.locs
 * @hidden: in litmus_test.locs: read only by the filter, so not printed
 */
struct lt_operand {
	enum lt_operand_kind kind;
	struct lt_loc loc;
	s64 value;
	int thread;
	int reg;
	int file;
	int page;
	int var;
	int flag;
	int pstate;
	int sector;
	int slot;
	bool hidden;
};

enum lt_prop_kind {
	LP_AND, LP_OR,		/* @l /\ @r, @l \/ @r */
	LP_NOT,			/* ~@l */
	LP_CMP,			/* @a @cmp @b */
	LP_FLAG,		/* the flag @a (an LO_FLAG operand) is raised */
};

/**
 * struct lt_prop - the final condition's proposition
 * @kind: enum lt_prop_kind
 * @loc:  where it starts
 * @cmp:  LP_CMP
 * @a:    LP_CMP left operand, LP_FLAG the flag
 * @b:    LP_CMP right operand
 * @l:    LP_AND/LP_OR left, LP_NOT operand
 * @r:    LP_AND/LP_OR right
 */
struct lt_prop {
	enum lt_prop_kind kind;
	struct lt_loc loc;
	enum lt_cmp cmp;
	struct lt_operand a;
	struct lt_operand b;
	struct lt_prop *l;
	struct lt_prop *r;
};

enum lt_quant {
	LQ_EXISTS,		/* exists (p): Allowed */
	LQ_NOT_EXISTS,		/* ~exists (p): Forbidden */
	LQ_FORALL,		/* forall (p): Required */
};

enum lt_verdict { LV_NEVER, LV_SOMETIMES, LV_ALWAYS };

/**
 * struct lt_expect - one policy=Verdict pair of a Result: comment
 * @policy:  policy name as written (checked against the presets by pinlab check)
 * @verdict: expected Observation
 * @loc:     where it was written
 */
struct lt_expect {
	const char *policy;
	enum lt_verdict verdict;
	struct lt_loc loc;
};

enum lt_fs { LT_FS_EXT4, LT_FS_BTRFS, LT_FS_XFS, LT_FS_TMPFS, LT_FS_NR };
enum lt_dev { LT_DEV_PLAIN, LT_DEV_DIF };

/**
 * struct litmus_test - a parsed litmus file
 * @path:       file it came from
 * @name:       the name after PIN
 * @desc:       the quoted description, or NULL
 * @expect:     the Result: pairs, in order
 * @nr_expect:  entries in @expect
 * @skip:       the reason of a "(* Skip: reason *)" comment (one line), or
 *		NULL: pinlab check reports the test's points as SKIP
 * @policies:   the test's own "policy NAME = PRESET + knob=value" lines
 * @nr_policies: entries in @policies
 * @fs:         filesystem profile (default ext4)
 * @fs_loc:     where @fs was set (line 0: the default)
 * @dev:        device (default plain)
 * @dax:        the files are fsdax (dax = on): page == block, no page cache
 * @dax_loc:    where @dax was set
 * @sectors:    sectors per page (default 4)
 * @files:      declared files
 * @nr_files:   entries in @files
 * @vars:       shared variables and mutexes
 * @nr_vars:    entries in @vars
 * @threads:    P0..Pn-1
 * @nr_threads: entries in @threads
 * @quant:      exists, ~exists or forall
 * @cond:       the proposition
 * @cond_text:  the whole final condition as written, white space folded
 * @filter:     the filter's proposition, or NULL when the test has none
 * @filter_text: "filter (...)" as written, white space folded, or NULL
 * @locs:       the distinct locations of the locations list, the filter and
 *		the condition, in order of first appearance (the columns of
 *		an outcome; those only the filter reads are @hidden)
 * @nr_locs:    entries in @locs
 * @pool:       the parser's allocations, freed by litmus_free()
 */
struct litmus_test {
	const char *path;
	const char *name;
	const char *desc;
	struct lt_expect *expect;
	int nr_expect;
	const char *skip;
	struct policy *policies;
	int nr_policies;
	enum lt_fs fs;
	struct lt_loc fs_loc;
	enum lt_dev dev;
	bool dax;
	struct lt_loc dax_loc;
	int sectors;
	struct lt_file *files;
	int nr_files;
	struct lt_var *vars;
	int nr_vars;
	struct lt_thread *threads;
	int nr_threads;
	enum lt_quant quant;
	struct lt_prop *cond;
	const char *cond_text;
	struct lt_prop *filter;
	const char *filter_text;
	struct lt_operand *locs;
	int nr_locs;
	void *pool;
};

/**
 * litmus_policy() - the policy @t's Result: or a caller names @name: one of
 * the test's own "policy" lines, else a preset or a registered policy
 * Return: the policy, or NULL
 */
const struct policy *litmus_policy(const struct litmus_test *t, const char *name);

int litmus_parse(const char *path, const char *text, size_t len,
		 struct litmus_test **out, char *err, size_t errlen);

int litmus_parse_file(const char *path, struct litmus_test **out,
		      char *err, size_t errlen);

void litmus_free(struct litmus_test *t);

/**
 * struct lt_paths - the litmus files of FILE and DIR arguments (litmus_collect())
 * @v:   the paths, each malloc'ed, in argument order, a directory's sorted
 * @n:   entries in @v
 * @cap: room in @v
 */
struct lt_paths {
	char **v;
	int n;
	int cap;
};

/* litmus_collect() - add the litmus files of @arg to @p. Return: 0 or -errno, with @err */
int litmus_collect(struct lt_paths *p, const char *arg, char *err, size_t len);

/* lt_paths_free() - free what litmus_collect() added, and empty @p */
void lt_paths_free(struct lt_paths *p);

const char *lt_verdict_name(enum lt_verdict v);

#endif /* PINLAB_LITMUS_H */
