/* test_parser.c - unit tests of the litmus parser: structures it builds, errors it locates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <pinlab/bug.h>
#include <pinlab/litmus.h>
#include <pinlab/run.h>
#include <pinlab/mm_flags.h>

#define PATH	"t.litmus"

/* The example of LITMUS.md, verbatim. */
static const char example[] =
	"PIN dif-dma-vs-writeback\n"
	"\"A device keeps writing a long-term pinned page while writeback sends it to a\n"
	"DIF/DIX disk: the guard tag no longer matches the data (objective O1).\"\n"
	"(* Result: placeholder=Sometimes block-bounce=Never stable-pinned=Sometimes mainline=Never pinlab=Never *)\n"
	"\n"
	"{\n"
	"  fs = ext4; dev = dif;\n"
	"  file A = 1;\n"
	"}\n"
	"\n"
	"P0(device) {\n"
	"  r1 = lease(A);\n"
	"  r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM);\n"
	"  dma_write(r0, 0, 1);\n"
	"  dma_write(r0, 0, 2);\n"
	"  unpin_user_pages_dirty_lock(r0, true);\n"
	"}\n"
	"\n"
	"P1(flusher) {\n"
	"  writeback(A, WB_SYNC_NONE);\n"
	"}\n"
	"\n"
	"exists (0:r0=1 /\\ (io_error \\/ csum_error \\/ bug \\/ A[0]!=2))\n";

static struct litmus_test *parse_ok(const char *src)
{
	struct litmus_test *t = NULL;
	char err[512] = "";
	int ret;

	ret = litmus_parse(PATH, src, strlen(src), &t, err, sizeof(err));
	if (ret)
		print_error("unexpected parse error: %s\n", err);
	assert_int_equal(ret, 0);
	assert_non_null(t);
	return t;
}

/**
 * struct op_need - an operation these tests call, as LITMUS.md describes it
 * @name:  its name
 * @sig:   the signature the tests rely on
 * @flags: the LT_OP_* flags the tests rely on
 */
struct op_need {
	const char *name;
	const char *sig;
	unsigned int flags;
};

static const struct op_need needed_ops[] = {
	{ "lease", "f", LT_OP_VALUE },
	{ "pin_user_pages", "fpiF", LT_OP_VALUE | LT_OP_HANDLE },
	{ "dma_write", "hii", 0 },
	{ "unpin_user_pages_dirty_lock", "hb", 0 },
	{ "writeback", "fw", 0 },
	{ "store", "fpi", 0 },
	{ "mutex_lock", "m", 0 },
	{ "mutex_unlock", "m", 0 },
};

/* The operation table has what the other tests call, with those signatures. */
static void test_ops_needed(void **state)
{
	const struct lt_op *op;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(needed_ops); i++) {
		op = litmus_find_op(needed_ops[i].name,
				    strlen(needed_ops[i].name));
		if (!op)
			print_error("operation %s is missing\n",
				    needed_ops[i].name);
		assert_non_null(op);
		assert_string_equal(op->sig, needed_ops[i].sig);
		assert_int_equal(op->flags & needed_ops[i].flags,
				 needed_ops[i].flags);
	}
	assert_null(litmus_find_op("mutex_lock", 5));
	assert_false(litmus_find_op("mutex_lock", 10)->flags & LT_OP_VALUE);
}

static void test_consts(void **state)
{
	const struct lt_const *c;

	(void)state;
	c = litmus_find_const("FOLL_LONGTERM", 13);
	assert_non_null(c);
	assert_int_equal(c->kind, 'F');
	assert_int_equal(c->value, FOLL_LONGTERM);
	c = litmus_find_const("FOLL_WRITEX", 10);
	assert_non_null(c);
	assert_int_equal(c->value, FOLL_WRITE);
	assert_null(litmus_find_const("FOLL_WRITEX", 11));
	c = litmus_find_const("WB_SYNC_ALL", 11);
	assert_int_equal(c->kind, 'w');
	assert_int_equal(c->value, WB_SYNC_ALL);
	c = litmus_find_const("false", 5);
	assert_int_equal(c->kind, 'b');
	assert_int_equal(c->value, 0);
	assert_int_equal(litmus_errno_value("EFAULT", 6), EFAULT);
	assert_int_equal(litmus_errno_value("EFAULTY", 6), EFAULT);
	assert_int_equal(litmus_errno_value("EFAUL", 5), 0);
	assert_int_equal(litmus_errno_value("ETIMEDOUT", 9), ETIMEDOUT);
	assert_string_equal(litmus_errno_name(EBUSY), "EBUSY");
	assert_string_equal(litmus_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(litmus_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_null(litmus_errno_name(0));
	assert_null(litmus_errno_name(100000));
	assert_string_equal(lt_verdict_name(LV_NEVER), "Never");
	assert_string_equal(lt_verdict_name(LV_SOMETIMES), "Sometimes");
	assert_string_equal(lt_verdict_name(LV_ALWAYS), "Always");
}

static void check_example_header(const struct litmus_test *t)
{
	static const char *const policies[] = {
		"placeholder", "block-bounce", "stable-pinned", "mainline",
		"pinlab",
	};
	static const enum lt_verdict verdicts[] = {
		LV_SOMETIMES, LV_NEVER, LV_SOMETIMES, LV_NEVER, LV_NEVER,
	};
	int i;

	assert_string_equal(t->path, PATH);
	assert_string_equal(t->name, "dif-dma-vs-writeback");
	assert_non_null(t->desc);
	assert_true(!strncmp(t->desc, "A device keeps", 14));
	assert_non_null(strstr(t->desc, "(objective O1)."));
	assert_int_equal(t->nr_expect, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(t->expect[i].policy, policies[i]);
		assert_int_equal(t->expect[i].verdict, verdicts[i]);
		assert_int_equal(t->expect[i].loc.line, 4);
	}
	assert_int_equal(t->expect[0].loc.col, 12);
	assert_int_equal(t->fs, LT_FS_EXT4);
	assert_int_equal(t->dev, LT_DEV_DIF);
	assert_int_equal(t->sectors, 4);
	assert_int_equal(t->nr_files, 1);
	assert_string_equal(t->files[0].name, "A");
	assert_int_equal(t->files[0].nr_pages, 1);
	assert_int_equal(t->files[0].init[0], 0);
	assert_int_equal(t->files[0].loc.line, 8);
	assert_int_equal(t->files[0].loc.col, 8);
	assert_int_equal(t->nr_vars, 0);
}

static void check_example_p0(const struct lt_thread *th)
{
	const struct lt_stmt *s = th->body.v;

	assert_int_equal(th->id, 0);
	assert_string_equal(th->label, "device");
	assert_int_equal(th->regs_set, BIT(0) | BIT(1));
	assert_int_equal(th->handles, BIT(0));
	assert_int_equal(th->body.n, 5);
	assert_int_equal(s[0].kind, LS_OP);
	assert_string_equal(s[0].op->name, "lease");
	assert_int_equal(s[0].reg, 1);
	assert_string_equal(s[0].text, "r1 = lease(A)");
	assert_int_equal(s[1].loc.line, 13);
	assert_int_equal(s[1].loc.col, 3);
	assert_string_equal(s[1].text,
			    "r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM)");
	assert_int_equal(s[1].reg, 0);
	assert_int_equal(s[1].nargs, 4);
	assert_int_equal(s[1].args[0].kind, 'f');
	assert_int_equal(s[1].args[0].value, 0);
	assert_int_equal(s[1].args[2].kind, 'i');
	assert_int_equal(s[1].args[2].expr->kind, LX_INT);
	assert_int_equal(s[1].args[2].expr->value, 1);
	assert_int_equal(s[1].args[3].kind, 'F');
	assert_int_equal(s[1].args[3].value, FOLL_WRITE | FOLL_LONGTERM);
	assert_int_equal(s[1].args[3].loc.col, 32);
	assert_string_equal(s[3].text, "dma_write(r0, 0, 2)");
	assert_int_equal(s[3].reg, -1);
	assert_int_equal(s[3].args[0].kind, 'h');
	assert_int_equal(s[3].args[0].value, 0);
	assert_int_equal(s[3].args[2].expr->value, 2);
	assert_int_equal(s[4].args[1].kind, 'b');
	assert_int_equal(s[4].args[1].value, 1);
}

static void check_example_cond(const struct litmus_test *t)
{
	const struct lt_prop *c = t->cond, *or;
	static const enum lt_operand_kind kinds[] = {
		LO_REG, LO_FLAG, LO_FLAG, LO_FLAG, LO_PAGE,
	};
	int i;

	assert_int_equal(t->quant, LQ_EXISTS);
	assert_string_equal(t->cond_text,
			    "exists (0:r0=1 /\\ (io_error \\/ csum_error \\/ bug \\/ A[0]!=2))");
	assert_int_equal(t->nr_locs, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(t->locs[i].kind, kinds[i]);
		assert_int_equal(t->locs[i].slot, i);
	}
	assert_int_equal(t->locs[1].flag, PLF_IO_ERROR);
	assert_int_equal(t->locs[2].flag, PLF_CSUM_ERROR);
	assert_int_equal(t->locs[3].flag, PLF_BUG);
	assert_int_equal(c->kind, LP_AND);
	assert_int_equal(c->l->kind, LP_CMP);
	assert_int_equal(c->l->cmp, LC_EQ);
	assert_int_equal(c->l->a.kind, LO_REG);
	assert_int_equal(c->l->a.thread, 0);
	assert_int_equal(c->l->a.reg, 0);
	assert_int_equal(c->l->a.slot, 0);
	assert_int_equal(c->l->b.kind, LO_INT);
	assert_int_equal(c->l->b.value, 1);
	assert_int_equal(c->l->b.slot, -1);
	or = c->r;
	assert_int_equal(or->kind, LP_OR);
	assert_int_equal(or->r->kind, LP_CMP);
	assert_int_equal(or->r->cmp, LC_NE);
	assert_int_equal(or->r->a.kind, LO_PAGE);
	assert_int_equal(or->r->a.slot, 4);
	assert_int_equal(or->l->kind, LP_OR);
	assert_int_equal(or->l->r->kind, LP_FLAG);
	assert_int_equal(or->l->r->a.flag, PLF_BUG);
	assert_int_equal(or->l->r->a.slot, 3);
	assert_int_equal(or->l->l->l->a.flag, PLF_IO_ERROR);
}

/* The example of LITMUS.md parses into the structure it describes. */
static void test_example(void **state)
{
	struct litmus_test *t = parse_ok(example);

	(void)state;
	check_example_header(t);
	assert_int_equal(t->nr_threads, 2);
	check_example_p0(&t->threads[0]);
	assert_string_equal(t->threads[1].label, "flusher");
	assert_int_equal(t->threads[1].regs_set, 0);
	assert_int_equal(t->threads[1].body.n, 1);
	assert_int_equal(t->threads[1].body.v[0].args[1].kind, 'w');
	assert_int_equal(t->threads[1].body.v[0].args[1].value, WB_SYNC_NONE);
	check_example_cond(t);
	litmus_free(t);
}

static const char vars_src[] =
	"PIN sb-1.x (* store (* nested *) buffering *)\n"
	"{ x = 0; y = -5; mutex m; file B = [1, -2, 0x10]; sectors = 1; fs = btrfs; }\n"
	"P0(a) {\n"
	"\tmutex_lock(m);\n"
	"\tx = 1;\n"
	"\tr0   =   y +\t-EFAULT (* c *) - (3 - -4);\n"
	"\tif (r0 == 1 && !(x < 2) || y) {\n"
	"\t\tr1 = 1;\n"
	"\t} else if (x) { r2 = 2; } else { r1 = r0; }\n"
	"\tmutex_unlock(m);\n"
	"}\n"
	"P1(b) { y = 1; r0 = x; }\n"
	"~exists (0:r0=0 /\\ 1:r0=0 \\/ ~x=1 /\\ B[2]=torn /\\ 0:r0 != -EIO /\\ leak)\n";

static void check_vars_init(const struct litmus_test *t)
{
	assert_string_equal(t->name, "sb-1.x");
	assert_null(t->desc);
	assert_int_equal(t->nr_expect, 0);
	assert_int_equal(t->sectors, 1);
	assert_int_equal(t->fs, LT_FS_BTRFS);
	assert_int_equal(t->dev, LT_DEV_PLAIN);
	assert_int_equal(t->nr_vars, 3);
	assert_string_equal(t->vars[1].name, "y");
	assert_int_equal(t->vars[1].init, -5);
	assert_false(t->vars[1].is_mutex);
	assert_string_equal(t->vars[2].name, "m");
	assert_true(t->vars[2].is_mutex);
	assert_int_equal(t->nr_files, 1);
	assert_int_equal(t->files[0].nr_pages, 3);
	assert_int_equal(t->files[0].init[0], 1);
	assert_int_equal(t->files[0].init[1], -2);
	assert_int_equal(t->files[0].init[2], 16);
}

static void check_vars_p0(const struct lt_thread *th)
{
	const struct lt_stmt *s = th->body.v, *els;
	const struct lt_expr *e;

	assert_int_equal(th->body.n, 5);
	assert_int_equal(th->regs_set, BIT(0) | BIT(1) | BIT(2));
	assert_int_equal(th->handles, 0);
	assert_int_equal(s[0].args[0].kind, 'm');
	assert_int_equal(s[0].args[0].value, 2);
	assert_int_equal(s[1].kind, LS_ASSIGN_VAR);
	assert_int_equal(s[1].var, 0);
	assert_int_equal(s[2].kind, LS_ASSIGN_REG);
	assert_string_equal(s[2].text, "r0 = y + -EFAULT - (3 - -4)");
	e = s[2].expr;			/* (y + -14) - (3 - -4) */
	assert_int_equal(e->kind, LX_SUB);
	assert_int_equal(e->l->kind, LX_ADD);
	assert_int_equal(e->l->l->kind, LX_VAR);
	assert_int_equal(e->l->l->index, 1);
	assert_int_equal(e->l->r->kind, LX_INT);
	assert_int_equal(e->l->r->value, -EFAULT);
	assert_int_equal(e->r->r->value, -4);
	assert_int_equal(s[3].kind, LS_IF);
	assert_string_equal(s[3].text, "if (r0 == 1 && !(x < 2) || y)");
	e = s[3].expr;
	assert_int_equal(e->kind, LX_OR);
	assert_int_equal(e->l->kind, LX_AND);
	assert_int_equal(e->l->l->kind, LX_EQ);
	assert_int_equal(e->l->r->kind, LX_NOT);
	assert_int_equal(e->l->r->l->kind, LX_LT);
	assert_int_equal(s[3].then.n, 1);
	assert_int_equal(s[3].els.n, 1);
	els = &s[3].els.v[0];
	assert_int_equal(els->kind, LS_IF);
	assert_string_equal(els->text, "if (x)");
	assert_int_equal(els->then.v[0].reg, 2);
	assert_int_equal(els->els.v[0].expr->kind, LX_REG);
	assert_int_equal(els->els.v[0].loc.line, 9);
	assert_int_equal(els->els.v[0].loc.col, 35);
}

static void check_vars_cond(const struct litmus_test *t)
{
	const struct lt_prop *c = t->cond;

	assert_int_equal(t->quant, LQ_NOT_EXISTS);
	/* 0:r0, 1:r0, x, B[2], leak: 0:r0 is read twice, one slot */
	assert_int_equal(t->nr_locs, 5);
	assert_int_equal(t->locs[1].kind, LO_REG);
	assert_int_equal(t->locs[1].thread, 1);
	assert_int_equal(t->locs[2].kind, LO_VAR);
	assert_int_equal(t->locs[3].kind, LO_PAGE);
	assert_int_equal(t->locs[3].page, 2);
	assert_int_equal(t->locs[4].kind, LO_FLAG);
	assert_int_equal(t->locs[4].flag, PLF_LEAK);
	/* ~ binds tighter than /\, which binds tighter than \/ */
	assert_int_equal(c->kind, LP_OR);
	assert_int_equal(c->l->kind, LP_AND);
	c = c->r;
	assert_int_equal(c->kind, LP_AND);
	assert_int_equal(c->r->kind, LP_FLAG);
	c = c->l;
	assert_int_equal(c->r->a.slot, 0);
	assert_int_equal(c->r->b.value, -EIO);
	assert_int_equal(c->l->r->b.kind, LO_TORN);
	assert_int_equal(c->l->l->kind, LP_NOT);
	assert_int_equal(c->l->l->l->a.kind, LO_VAR);
}

/* Shared variables, mutexes, if/else if, expressions, ~exists. */
static void test_vars_and_if(void **state)
{
	struct litmus_test *t = parse_ok(vars_src);

	(void)state;
	check_vars_init(t);
	check_vars_p0(&t->threads[0]);
	assert_int_equal(t->threads[1].regs_set, BIT(0));
	check_vars_cond(t);
	litmus_free(t);
}

static void test_forall_and_limits(void **state)
{
	struct litmus_test *t;

	(void)state;
	t = parse_ok("PIN a\n{ x = -9223372036854775808; y = 0x7fffffffffffffff; }\n"
		     "P0(a) { r31 = -9223372036854775808; }\n"
		     "forall x < -1 \\/ 0:r31=-9223372036854775808");
	assert_int_equal(t->vars[0].init, INT64_MIN);
	assert_int_equal(t->vars[1].init, INT64_MAX);
	assert_int_equal(t->threads[0].regs_set, BIT(31));
	assert_int_equal(t->threads[0].body.v[0].expr->value, INT64_MIN);
	assert_int_equal(t->quant, LQ_FORALL);
	assert_int_equal(t->cond->r->b.value, INT64_MIN);
	litmus_free(t);
}

/**
 * struct bad_case - an input that must be refused
 * @name:  the test's name
 * @src:   the litmus source
 * @where: the expected "line:col"
 * @msg:   a substring the message must contain
 */
struct bad_case {
	const char *name;
	const char *src;
	const char *where;
	const char *msg;
};

#define HDR	"PIN t\n{ file A = 1; x = 0; mutex m; }\n"
#define COND	"\nexists (x=0)\n"

static const struct bad_case bad_cases[] = {
	{ "locations value", HDR "P0(a) { }\nlocations [x; 3]" COND,
	  "4:15", "a value is not a location" },
	{ "locations separator", HDR "P0(a) { }\nlocations [x, m]" COND,
	  "4:13", "expected ';' or ']'" },
	{ "locations unclosed", HDR "P0(a) { }\nlocations [x;" COND,
	  "5:1", "an operand" },
	{ "filter after condition", HDR "P0(a) { }" COND "filter (x=0)\n",
	  "5:1", "after the final condition" },
	{ "filter twice", HDR "P0(a) { }\nfilter (x=0)\nfilter (x=1)" COND,
	  "5:1", "the final condition" },
	{ "locations after filter", HDR "P0(a) { }\nfilter (x=0)\nlocations [x]" COND,
	  "5:1", "the final condition" },
	{ "pstate page out of range", HDR "P0(a) { }\nexists (PageDirty(A,1)=1)",
	  "4:21", "page 1 of 'A' out of range (it has 1 page)" },
	{ "pstate undefined file", HDR "P0(a) { }\nexists (pins(B,0)=1)",
	  "4:14", "undefined file 'B'" },
	{ "pstate page not a number", HDR "P0(a) { }\nexists (refs(A,x)=1)",
	  "4:16", "a page number" },
	{ "pstate unclosed", HDR "P0(a) { }\nexists (buffers(A,0=1)",
	  "4:20", "')'" },
	{ "sector out of range", HDR "P0(a) { }\nexists (A[0].4=1)",
	  "4:14", "sector 4 out of range (sectors = 4: 0..3)" },
	{ "sector not a number", HDR "P0(a) { }\nexists (A[0].x=1)",
	  "4:14", "a sector number" },
	{ "sector in locations", HDR "P0(a) { }\nlocations [A[0].9]" COND,
	  "4:17", "sector 9 out of range" },
	{ "unknown op", HDR "P0(a) { foo(A); }" COND,
	  "3:9", "unknown operation 'foo' (see pinlab help ops)" },
	{ "FOLL_PIN by the caller", HDR "P0(a) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_PIN); }" COND,
	  "3:49", "FOLL_PIN is the API's to set: 'pin_user_pages' adds it" },
	{ "FOLL_GET by the caller", HDR "P0(a) { r0 = get_user_pages(A, 0, 1, FOLL_GET); }" COND,
	  "3:38", "FOLL_GET is the API's to set" },
	{ "misspelt op", HDR "P0(a) { writebak(A, WB_SYNC_ALL); }" COND,
	  "3:9", "unknown operation 'writebak'; did you mean 'writeback'?" },
	{ "C comment", HDR "/* a C comment */\nP0(a) { }" COND,
	  "3:1", "C comments are not litmus comments: write (* ... *)" },
	{ "C++ comment", HDR "P0(a) { } // done" COND,
	  "3:11", "C comments are not litmus comments" },
	{ "Result: opens a comment", "PIN t\n(*  Result: said *)\n{ }\nP0(a) { }\nexists (bug)",
	  "2:13", "malformed Result: pair" },
	{ "wrong arity", HDR "P0(a) { r0 = pin_user_pages(A, 0, 1); }" COND,
	  "3:14", "'pin_user_pages' takes 4 arguments, got 3" },
	{ "too many args", HDR "P0(a) { store(A, (1, 2), 3, 4); }" COND,
	  "3:9", "'store' takes 3 arguments, got 4" },
	{ "file as integer", HDR "P0(a) { store(A, A, 1); }" COND,
	  "3:18", "argument 2 of 'store' must be an integer expression" },
	{ "undefined register", HDR "P0(a) { r0 = r3 + 1; }" COND,
	  "3:14", "undefined register r3" },
	{ "register read before set", HDR "P0(a) { r0 = r0 + 1; }" COND,
	  "3:14", "undefined register r0" },
	{ "invalid register", HDR "P0(a) { r32 = 1; }" COND,
	  "3:9", "invalid register 'r32'" },
	{ "undefined file", HDR "P0(a) { store(B, 0, 1); }" COND,
	  "3:15", "undefined file 'B'" },
	{ "undeclared variable", HDR "P0(a) { y = 1; }" COND,
	  "3:9", "undeclared variable 'y'" },
	{ "mutex read", HDR "P0(a) { r0 = m; }" COND,
	  "3:14", "'m' is a mutex" },
	{ "variable as mutex", HDR "P0(a) { mutex_lock(x); }" COND,
	  "3:20", "argument 1 of 'mutex_lock' must be a mutex" },
	{ "no pages", HDR "P0(a) { r0 = 1; dma_write(r0, 0, 1); }" COND,
	  "3:27", "r0 holds no pages" },
	{ "undefined handle", HDR "P0(a) { dma_write(r4, 0, 1); }" COND,
	  "3:19", "undefined register r4" },
	{ "bad boolean", HDR "P0(a) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE);\n"
	  "unpin_user_pages_dirty_lock(r0, 1); }" COND,
	  "4:33", "argument 2 of 'unpin_user_pages_dirty_lock' must be true or false" },
	{ "no value", HDR "P0(a) { r0 = mutex_lock(m); }" COND,
	  "3:14", "'mutex_lock' returns no value" },
	{ "bad flags", HDR "P0(a) { r0 = pin_user_pages(A, 0, 1, WB_SYNC_ALL); }" COND,
	  "3:38", "must be FOLL_* flags" },
	{ "bad sync mode", HDR "P0(a) { writeback(A, 1); }" COND,
	  "3:22", "must be WB_SYNC_NONE or WB_SYNC_ALL" },
	{ "comparison outside if", HDR "P0(a) { r0 = x == 1; }" COND,
	  "3:16", "comparison '==' is only allowed in an if condition" },
	{ "logic outside if", HDR "P0(a) { x = 1 && x; }" COND,
	  "3:15", "'&&' is only allowed in an if condition" },
	{ "not outside if", HDR "P0(a) { x = !x; }" COND,
	  "3:13", "'!' is only allowed in an if condition" },
	{ "bare errno", HDR "P0(a) { x = EFAULT; }" COND,
	  "3:13", "must be written -EFAULT" },
	{ "int overflow", HDR "P0(a) { r0 = 9223372036854775808; }" COND,
	  "3:14", "integer overflow" },
	{ "int overflow init", "PIN t\n{ x = 99999999999999999999999; }",
	  "2:7", "integer overflow" },
	{ "missing semicolon", HDR "P0(a) { x = 1 }" COND,
	  "3:15", "unexpected '}', expected ';'" },
	{ "stray character", HDR "P0(a) { x = 1 @ 2; }" COND,
	  "3:15", "unexpected character '@'" },
	{ "duplicate file", "PIN t\n{ file A = 1; file A = 2; }",
	  "2:20", "duplicate name 'A' (first declared at 2:8)" },
	{ "file and variable clash", "PIN t\n{ file A = 1; A = 2; }",
	  "2:15", "duplicate name 'A'" },
	{ "register-like name", "PIN t\n{ r1 = 0; }",
	  "2:3", "written like a register" },
	{ "reserved name", "PIN t\n{ file torn = 1; }",
	  "2:8", "reserved" },
	/* Issue 7: inputs the model cannot run are located errors, not crashes. */
	{ "negative page, GUP", HDR "P0(a) { r0 = pin_user_pages_fast(A, -1, 1, FOLL_WRITE); }" COND,
	  "3:37", "page -1 is outside file A (pages 0..0)" },
	{ "negative page, ondisk", HDR "P0(a) { r0 = ondisk(A, -1); }" COND,
	  "3:24", "page -1 is outside file A" },
	{ "page past the file", HDR "P0(a) { store(A, 1, 1); }" COND,
	  "3:18", "page 1 is outside file A (pages 0..0, and no write extends it)" },
	{ "page past a write's extension", HDR "P0(a) { r0 = write(A, 1, 1); }\n"
	  "P1(b) { r0 = load(A, 2); }" COND,
	  "4:22", "page 2 is outside file A (pages 0..1, and no write extends it)" },
	{ "page past the model", HDR "P0(a) { r0 = write(A, 64, 1); }" COND,
	  "3:23", "page 64 is outside file A (pages 0..0)" },
	{ "huge page, dio_read", HDR "P0(a) { r0 = dio_read(A, 0, A, 9223372036854775807); }" COND,
	  "3:32", "page 9223372036854775807 is outside file A" },
	{ "torn as a page value", "PIN t\n{ file A = [0, -9223372036854775807]; }",
	  "2:16", "the value -9223372036854775807 is reserved for torn and eio" },
	{ "unknown Result: policy", "PIN t\n(* Result: mainline=Never nosuch=Never *)\n{ }\n"
	  "P0(a) { }\nexists (bug)", "2:27", "Result: names unknown policy 'nosuch'" },
	{ "duplicate setting", "PIN t\n{ fs = ext4; fs = tmpfs; }",
	  "2:14", "duplicate setting 'fs'" },
	{ "unknown fs", "PIN t\n{ fs = zfs; }",
	  "2:8", "unknown fs 'zfs'" },
	{ "sectors range", "PIN t\n{ sectors = 65; }",
	  "2:13", "sectors must be between 1 and 64" },
	{ "empty file", "PIN t\n{ file A = 0; }",
	  "2:12", "must be between 1 and 64" },
	{ "bad verdict", "PIN t (* Result: mainline=Maybe *)\n{ }",
	  "1:27", "unknown verdict 'Maybe'" },
	{ "malformed pair", "PIN t (* Result: mainline *)\n{ }",
	  "1:18", "malformed Result: pair 'mainline'" },
	{ "duplicate policy", "PIN t\n(* Result: lease=Never\n   lease=Always *)",
	  "3:4", "duplicate Result: policy 'lease'" },
	{ "thread numbering gap", HDR "P0(a) { }\nP2(b) { }" COND,
	  "4:1", "thread numbering gap: expected P1, got P2" },
	{ "no thread", "PIN t\n{ }\nexists (0:r0=0)",
	  "3:1", "expected a thread P0" },
	{ "name on next line", "PIN\nt\n{ }",
	  "2:1", "the test name must be on the line of PIN" },
	{ "empty input", "",
	  "1:1", "unexpected end of file, expected 'PIN'" },
	{ "unterminated comment", "PIN t\n{ } (* a (* b *)\n*",
	  "2:5", "unterminated comment" },
	{ "unterminated string", "PIN t\n  \"oops\n{ }",
	  "2:3", "unterminated string" },
	{ "comment closer", HDR "P0(a) { x = 1; *) }" COND,
	  "3:16", "'*)' outside a comment" },
	{ "no such thread", HDR "P0(a) { }\nexists (3:r0=1)",
	  "4:9", "no thread P3" },
	{ "register never set", HDR "P0(a) { r1 = 0; }\nexists (0:r5=1)",
	  "4:9", "thread 0 never assigns r5" },
	{ "register without thread", HDR "P0(a) { r1 = 0; }\nexists (r1=1)",
	  "4:9", "needs its thread" },
	{ "page out of range", HDR "P0(a) { }\nexists (A[1]=0)",
	  "4:11", "page 1 of 'A' out of range" },
	{ "undefined file in cond", HDR "P0(a) { }\nexists (C[0]=0)",
	  "4:9", "undefined file 'C'" },
	{ "undeclared var in cond", HDR "P0(a) { }\nexists (y=0)",
	  "4:9", "undeclared variable 'y'" },
	{ "double equals in cond", HDR "P0(a) { }\nexists (x==0)",
	  "4:10", "write '='" },
	{ "trailing garbage", HDR "P0(a) { }" COND "foo",
	  "5:1", "unexpected 'foo' after the final condition" },
	{ "no condition", HDR "P0(a) { }\n",
	  "4:1", "expected a thread P1(label) or the final condition" },
};

/* One refused input: -EINVAL, no test, "t.litmus:L:C: error: ...". */
static void test_bad_input(void **state)
{
	const struct bad_case *c = *state;
	struct litmus_test *t = (void *)1;
	char err[512], prefix[64], head[64];
	int ret;

	ret = litmus_parse(PATH, c->src, strlen(c->src), &t, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_null(t);
	snprintf(prefix, sizeof(prefix), PATH ":%s: error: ", c->where);
	snprintf(head, sizeof(head), "%.*s", (int)strlen(prefix), err);
	assert_string_equal(head, prefix);
	if (!strstr(err, c->msg))
		print_error("'%s' not in '%s'\n", c->msg, err);
	assert_non_null(strstr(err, c->msg));
	assert_null(strchr(err, '\n'));
}

/* A body of @n statements "x = 1;", or @n nested ifs. */
static char *make_body(int n, bool nest)
{
	char *src = malloc(64 + (size_t)n * 16), *s;
	int i;

	assert_non_null(src);
	s = src + sprintf(src, "PIN t\n{ x = 0; }\nP0(a) { ");
	for (i = 0; i < n; i++)
		s += sprintf(s, nest ? "if (x) { " : "x = 1; ");
	for (i = 0; nest && i < n; i++)
		s += sprintf(s, "} ");
	sprintf(s, "}\nexists (x=1)\n");
	return src;
}

static int parse_src(const char *src, char *err, size_t errlen)
{
	struct litmus_test *t;
	int ret = litmus_parse(PATH, src, strlen(src), &t, err, errlen);

	litmus_free(t);
	return ret;
}

/* Nesting, statement counts and text length are bounded */
static void test_limits(void **state)
{
	char err[512], *src;
	int i;

	(void)state;
	src = make_body(64, true);
	assert_int_equal(parse_src(src, err, sizeof(err)), 0);
	free(src);
	src = make_body(65, true);	/* the 65th "if" is at col 9 + 64 * 9 */
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, PATH ":3:585: error: nesting too deep (max 64)");
	free(src);
	src = make_body(1024, false);
	assert_int_equal(parse_src(src, err, sizeof(err)), 0);
	free(src);
	src = make_body(1025, false);
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many statements in P0 (max 1024)"));
	free(src);

	src = malloc(9000);
	assert_non_null(src);
	i = sprintf(src, "PIN t\n{ x = 0; }\nP0(a) { x = 0");
	while (i < 8000)
		i += sprintf(src + i, " + 1");
	sprintf(src + i, "; }\nexists (x=1)\n");
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    PATH ":3:9: error: statement too long (max 4095 characters)");

	i = sprintf(src, "PIN t\n{ x = 0; }\nP0(a) { x = ");
	memset(src + i, '(', 4096);
	sprintf(src + i + 4096, "; }\nexists (x=1)\n");
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, PATH ":3:77: error: nesting too deep (max 64)");
	free(src);
}

/* A test of @nr_files one-page files whose P0 stores into the last. */
static char *make_files(int nr_files)
{
	char *src = malloc(64 + (size_t)nr_files * 24), *s;
	int i;

	assert_non_null(src);
	s = src + sprintf(src, "PIN t\n{ ");
	for (i = 0; i < nr_files; i++)
		s += sprintf(s, "file F%d = 1; ", i);
	sprintf(s, "}\nP0(a) { store(F%d, 0, 1); }\nexists (F0[0]=0)\n",
		nr_files - 1);
	return src;
}

/*
 * Issue 7: the grammar allowed 64 files where the model holds 8, and
 * litmus_run() overflowed mm_config.names[].  The limits now come from the
 * model's headers: MM_FILES_MAX files, MM_PAGES_MAX pages,
 * PAGE_SECTORS_MAX sectors, NR_TASKS_MAX - 3 threads (issue 8: the disk's
 * device task, its worker and the epilogue take the other three).
 */
static void test_model_limits(void **state)
{
	char err[512], *src;

	(void)state;
	assert_int_equal(LT_MAX_FILES, MM_FILES_MAX);
	assert_int_equal(LT_NR_THREADS + 3, NR_TASKS_MAX);
	src = make_files(MM_FILES_MAX);
	assert_int_equal(parse_src(src, err, sizeof(err)), 0);
	free(src);
	src = make_files(MM_FILES_MAX + 1);
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many files (max 8)"));
	assert_non_null(strstr(err, ":2:107: error:"));
	free(src);
	assert_int_equal(parse_src("PIN t\n{ file A = 65; }", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, PATH ":2:12: error: the number of pages must be between 1 and 64");
	assert_int_equal(parse_src("PIN t\n{ sectors = 65; }", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, PATH ":2:13: error: sectors must be between 1 and 64");
}

/* Too many threads: P13 does not exist. */
static void test_too_many_threads(void **state)
{
	char src[1024], err[512];
	int i, n;

	(void)state;
	n = sprintf(src, "PIN t\n{ }\n");
	for (i = 0; i < 14; i++)
		n += sprintf(src + n, "P%d(a) { }\n", i);
	sprintf(src + n, "exists (bug)\n");
	assert_int_equal(parse_src(src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, PATH ":16:1: error: too many threads (max 13)");
	src[strlen(src) - strlen("P13(a) { }\nexists (bug)\n")] = '\0';
	strcat(src, "exists (bug)\n");
	assert_int_equal(parse_src(src, err, sizeof(err)), 0);
}

/* Binary garbage, NULs, and every one-byte deletion of the example. */
static void test_garbage(void **state)
{
	static const char nuls[] = "PIN t\n{ }\0P0(a) { }";
	char *buf, err[512];
	unsigned int seed = 1;
	size_t len = strlen(example), i, j;
	struct litmus_test *t;
	int ret;

	(void)state;
	ret = litmus_parse(PATH, nuls, sizeof(nuls) - 1, &t, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, PATH ":2:4: error: unexpected character '\\x00'");
	buf = malloc(len);
	assert_non_null(buf);
	for (i = 0; i < len; i++) {
		memcpy(buf, example, i);
		memcpy(buf + i, example + i + 1, len - i - 1);
		ret = litmus_parse(PATH, buf, len - 1, &t, err, sizeof(err));
		assert_true(ret == 0 || (ret == -EINVAL && !t));
		litmus_free(t);
	}
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			buf[j] = (seed >> 16) % 8 ? example[j] : (char)(seed >> 8);
		}
		ret = litmus_parse(PATH, buf, len, &t, err, sizeof(err));
		assert_true(ret == 0 || (ret == -EINVAL && !t));
		litmus_free(t);
	}
	free(buf);
	/* A tiny error buffer is truncated, not overrun. */
	ret = litmus_parse(PATH, "", 0, &t, err, 4);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "t.l");
	assert_int_equal(litmus_parse(PATH, NULL, 0, &t, NULL, 0), -EINVAL);
}

/* litmus_parse_file(): the file is read and parsed; errors name it. */
static void test_parse_file(void **state)
{
	static const char src[] = "PIN lock\n{ mutex m; }\n"
		"P0(a) { mutex_lock(m); mutex_unlock(m); }\nexists (deadlock)\n";
	char path[] = "/tmp/test_parser.XXXXXX", err[512], want[600];
	struct litmus_test *t;
	int fd, ret;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
	close(fd);
	ret = litmus_parse_file(path, &t, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_string_equal(t->path, path);
	assert_string_equal(t->name, "lock");
	assert_int_equal(t->threads[0].body.v[1].args[0].kind, 'm');
	assert_int_equal(t->locs[0].flag, PLF_DEADLOCK);
	litmus_free(t);
	unlink(path);
	ret = litmus_parse_file(path, &t, err, sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_null(t);
	snprintf(want, sizeof(want), "%s: error: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);
	litmus_free(NULL);
}

/*
 * Issue 7: a FIFO given as FILE blocked forever in open(); a directory or
 * device is no test either.  Each is refused at once.
 */
static void test_parse_file_not_regular(void **state)
{
	char dir[] = "/tmp/pinlab-fifo-XXXXXX", path[64], err[512], want[128];
	struct litmus_test *t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.litmus", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(litmus_parse_file(path, &t, err, sizeof(err)), -EMEDIUMTYPE);
	assert_null(t);
	snprintf(want, sizeof(want), "%s: error: not a regular file", path);
	assert_string_equal(err, want);
	unlink(path);
	assert_int_equal(litmus_parse_file(dir, &t, err, sizeof(err)), -EMEDIUMTYPE);
	rmdir(dir);
	assert_int_equal(litmus_parse_file("/dev/null", &t, err, sizeof(err)),
			 -EMEDIUMTYPE);
	assert_string_equal(err, "/dev/null: error: not a regular file");
}

/*
 * `fs = xfs` parses (pinlab kernel runs it on the real xfs) and, since
 * fs/xfs.c, the model runs it too: litmus_check_modelled() accepts every
 * filesystem of the language, with or without files.
 */
static void test_check_modelled(void **state)
{
	static const char *const fs[] = { "ext4", "btrfs", "xfs", "tmpfs" };
	struct litmus_test *t;
	char src[160], err[256] = "";
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fs); i++) {
		snprintf(src, sizeof(src), "PIN t\n{ fs = %s; file A = 1; }\n"
			 "P0(a) { store(A, 0, 1); }\nexists (A[0]=1)", fs[i]);
		t = parse_ok(src);
		assert_int_equal(litmus_check_modelled(t, err, sizeof(err)), 0);
		assert_string_equal(err, "");
		litmus_free(t);
	}
	t = parse_ok("PIN t\n{ fs = xfs; x = 0; }\nP0(a) { x = 1; }\nexists (x=1)");
	assert_int_equal(litmus_check_modelled(t, err, sizeof(err)), 0);
	litmus_free(t);
}

/* "Result:" inside prose is prose; only a comment's first word records verdicts. */
static const char pstate_src[] =
	"PIN ps\n{ sectors = 2; file A = 2; x = 0; }\n"
	"P0(a) { r0 = x; }\n"
	"locations [PageWriteback(A,1); A[1].1; 0:r0; x;]\n"
	"filter (pins(A,0)=0 /\\ x=0)\n"
	"exists (PageDirty(A,0)=1 /\\ refs(A,1)>0 \\/ buffers(A,0)=1 /\\ A[0].0!=A[0].1 /\\ x=0)\n";

/* locations, filter, page states and sectors: kinds, slots, hidden, text. */
static void test_locations_filter_pstate(void **state)
{
	static const enum lt_operand_kind kinds[] = {
		LO_PSTATE, LO_SECTOR, LO_REG, LO_VAR, LO_PSTATE, LO_PSTATE,
		LO_PSTATE, LO_PSTATE, LO_SECTOR, LO_SECTOR,
	};
	struct litmus_test *t = parse_ok(pstate_src);
	char buf[64];
	int i;

	(void)state;
	assert_int_equal(t->nr_locs, ARRAY_SIZE(kinds));
	for (i = 0; i < t->nr_locs; i++) {
		assert_int_equal(t->locs[i].kind, kinds[i]);
		assert_int_equal(t->locs[i].slot, i);
		/* pins(A,0) only the filter reads; x the condition reads too */
		assert_int_equal(t->locs[i].hidden, i == 4);
	}
	assert_int_equal(t->locs[0].pstate, LT_PS_WRITEBACK);
	assert_int_equal(t->locs[0].page, 1);
	assert_int_equal(t->locs[1].sector, 1);
	assert_int_equal(t->locs[4].pstate, LT_PS_PINS);
	assert_int_equal(t->locs[5].pstate, LT_PS_DIRTY);
	assert_int_equal(t->locs[6].pstate, LT_PS_REFS);
	assert_int_equal(t->locs[7].pstate, LT_PS_BUFFERS);
	assert_int_equal(t->locs[8].sector, 0);
	assert_int_equal(t->locs[9].sector, 1);
	assert_non_null(t->filter);
	assert_int_equal(t->filter->kind, LP_AND);
	assert_int_equal(t->filter->r->a.slot, 3);
	assert_string_equal(t->filter_text, "filter (pins(A,0)=0 /\\ x=0)");
	assert_string_equal(t->cond_text, "exists (PageDirty(A,0)=1 /\\ refs(A,1)>0 "
			    "\\/ buffers(A,0)=1 /\\ A[0].0!=A[0].1 /\\ x=0)");
	lt_format_loc(t, &t->locs[0], buf, sizeof(buf));
	assert_string_equal(buf, "PageWriteback(A,1)");
	lt_format_loc(t, &t->locs[1], buf, sizeof(buf));
	assert_string_equal(buf, "A[1].1");
	litmus_free(t);
}

/* Without the new clauses nothing changes; their names stay free for variables. */
static void test_locations_filter_names(void **state)
{
	struct litmus_test *t = parse_ok(
		"PIN n\n{ file A = 1; filter = 0; locations = 1; pins = 2; }\n"
		"P0(a) { filter = locations + pins; }\n"
		"exists (filter=3 /\\ pins=2 /\\ locations=1 /\\ A[0]=0)\n");

	(void)state;
	assert_null(t->filter);
	assert_null(t->filter_text);
	assert_int_equal(t->nr_locs, 4);
	assert_int_equal(t->locs[0].kind, LO_VAR);
	assert_int_equal(t->locs[1].kind, LO_VAR);
	assert_false(t->locs[0].hidden);
	litmus_free(t);
}

static void test_result_in_prose(void **state)
{
	struct litmus_test *t;

	(void)state;
	t = parse_ok("PIN t\n(* My first Result: said Sometimes. *)\n"
		     "(* (* nested *) Result: mainline=Never *)\n{ x = 0; }\n"
		     "P0(a) { x = 1; }\nexists (x=2)");
	assert_int_equal(t->nr_expect, 0);
	litmus_free(t);
	t = parse_ok("PIN t\n(* Result: mainline=Never *)\n(*\n   (* Result: pinlab=Never *) *)\n"
		     "{ x = 0; }\nP0(a) { x = 1; }\nexists (x=2)");
	assert_int_equal(t->nr_expect, 2);
	litmus_free(t);
	t = parse_ok("PIN t\n(*  Skip:  waits for xfs  *)\n(* Result: mainline=Never *)\n"
		     "{ x = 0; }\nP0(a) { x = 1; }\nexists (x=2)");
	assert_non_null(t->skip);
	assert_string_equal(t->skip, "waits for xfs");
	assert_int_equal(t->nr_expect, 1);
	litmus_free(t);
	t = parse_ok("PIN t\n(* a Skip: in prose *)\n{ x = 0; }\nP0(a) { x = 1; }\nexists (x=2)");
	assert_null(t->skip);
	litmus_free(t);
}

int main(void)
{
	static struct CMUnitTest bad[ARRAY_SIZE(bad_cases)];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_needed),
		cmocka_unit_test(test_consts),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_vars_and_if),
		cmocka_unit_test(test_forall_and_limits),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_too_many_threads),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_parse_file_not_regular),
		cmocka_unit_test(test_check_modelled),
		cmocka_unit_test(test_result_in_prose),
		cmocka_unit_test(test_locations_filter_pstate),
		cmocka_unit_test(test_locations_filter_names),
		cmocka_unit_test(test_model_limits),
	};
	size_t i;
	int failed;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		bad[i].name = bad_cases[i].name;
		bad[i].test_func = test_bad_input;
		bad[i].initial_state = (void *)&bad_cases[i];
	}
	failed = cmocka_run_group_tests_name("parser", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("parser errors", bad, NULL, NULL);
	return failed ? 1 : 0;
}
