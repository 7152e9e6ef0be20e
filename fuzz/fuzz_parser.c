/* fuzz_parser.c - libFuzzer target: litmus_parse() survives any input and keeps its invariants. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/litmus.h>

#define FUZZ_PATH	"fuzz.litmus"
#define LT_TEXT_DEPTH	4096	/* texts are under 4096 bytes: trees are shallower */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)							\
	do {								\
		if (!(c))						\
			abort();					\
	} while (0)

/* A failed parse: -EINVAL or -ENOMEM, one line "path:L:C: error: ...". */
static void check_error(int ret, const struct litmus_test *t, const char *err)
{
	CHECK(ret == -EINVAL || ret == -ENOMEM);
	CHECK(!t);
	CHECK(!strncmp(err, FUZZ_PATH ":", strlen(FUZZ_PATH ":")));
	CHECK(strstr(err, ": error: "));
	CHECK(!strchr(err, '\n'));
}

static void check_operand(const struct litmus_test *t,
			  const struct lt_operand *o)
{
	switch (o->kind) {
	case LO_INT:
	case LO_TORN:
	case LO_EIO:
		CHECK(o->slot == -1);
		return;
	case LO_REG:
		CHECK(o->thread >= 0 && o->thread < t->nr_threads);
		CHECK(o->reg >= 0 && o->reg < LT_NR_REGS);
		CHECK(t->threads[o->thread].regs_set & BIT(o->reg));
		break;
	case LO_PAGE:
		CHECK(o->file >= 0 && o->file < t->nr_files);
		CHECK(o->page >= 0 && o->page < t->files[o->file].nr_pages);
		break;
	case LO_VAR:
		CHECK(o->var >= 0 && o->var < t->nr_vars);
		CHECK(!t->vars[o->var].is_mutex);
		break;
	case LO_FLAG:
		CHECK(o->flag >= 0);
		break;
	default:
		abort();
	}
	CHECK(o->slot >= 0 && o->slot < t->nr_locs);
	CHECK(t->locs[o->slot].kind == o->kind);
}

static void check_prop(const struct litmus_test *t, const struct lt_prop *p,
		       int depth)
{
	CHECK(p && depth < LT_TEXT_DEPTH);
	switch (p->kind) {
	case LP_AND:
	case LP_OR:
		check_prop(t, p->r, depth + 1);
		/* fall through */
	case LP_NOT:
		check_prop(t, p->l, depth + 1);
		return;
	case LP_CMP:
		check_operand(t, &p->b);
		/* fall through */
	case LP_FLAG:
		check_operand(t, &p->a);
		return;
	default:
		abort();
	}
}

static void check_expr(const struct litmus_test *t, const struct lt_expr *e,
		       int depth)
{
	CHECK(e && depth < LT_TEXT_DEPTH);
	if (e->kind == LX_INT)
		return;
	if (e->kind == LX_REG) {
		CHECK(e->index >= 0 && e->index < LT_NR_REGS);
		return;
	}
	if (e->kind == LX_VAR) {
		CHECK(e->index >= 0 && e->index < t->nr_vars);
		CHECK(!t->vars[e->index].is_mutex);
		return;
	}
	check_expr(t, e->l, depth + 1);
	if (e->kind != LX_NEG && e->kind != LX_NOT)
		check_expr(t, e->r, depth + 1);
}

/* A page index follows its file; a constant one names a page of it. */
static void check_page_arg(const struct litmus_test *t, const struct lt_arg *a,
			   int j)
{
	const struct lt_expr *e = a[j].expr;

	CHECK(j > 0 && a[j - 1].kind == 'f' && e);
	CHECK(a[j - 1].value >= 0 && a[j - 1].value < t->nr_files);
	if (e->kind == LX_INT)
		CHECK(e->value >= 0 &&
		      e->value < t->files[a[j - 1].value].nr_pages);
}

static void check_block(const struct litmus_test *t, const struct lt_block *b,
			int depth)
{
	const struct lt_stmt *s;
	int i, j;

	CHECK(depth < LT_TEXT_DEPTH && b->n >= 0 && (b->v || !b->n));
	for (i = 0; i < b->n; i++) {
		s = &b->v[i];
		CHECK(s->text);
		if (s->kind == LS_OP) {
			CHECK(s->op && (size_t)s->nargs == strlen(s->op->sig));
			for (j = 0; j < s->nargs; j++) {
				if (s->args[j].expr)
					check_expr(t, s->args[j].expr, 0);
				if (s->args[j].kind == 'p')
					check_page_arg(t, s->args, j);
			}
		} else {
			check_expr(t, s->expr, 0);
		}
		if (s->kind == LS_IF) {
			check_block(t, &s->then, depth + 1);
			check_block(t, &s->els, depth + 1);
		}
	}
}

/* A successful parse: every index points inside the test. */
static void check_test(const struct litmus_test *t)
{
	int i;

	CHECK(t->name && t->cond && t->cond_text && t->path);
	CHECK(t->nr_threads >= 1 && t->nr_threads <= LT_NR_THREADS);
	for (i = 0; i < t->nr_threads; i++) {
		CHECK(t->threads[i].id == i && t->threads[i].label);
		CHECK(!(t->threads[i].handles & ~t->threads[i].regs_set));
		check_block(t, &t->threads[i].body, 0);
	}
	/* What the model can hold (issue 7: 64 files were accepted for 8). */
	CHECK(t->nr_files >= 0 && t->nr_files <= LT_MAX_FILES);
	CHECK(t->sectors >= 1 && t->sectors <= LT_MAX_SECTORS);
	CHECK(t->fs != LT_FS_XFS);
	for (i = 0; i < t->nr_files; i++)
		CHECK(t->files[i].nr_pages >= 1 &&
		      t->files[i].nr_pages <= LT_MAX_PAGES && t->files[i].init);
	for (i = 0; i < t->nr_locs; i++)
		CHECK(t->locs[i].slot == i);
	check_prop(t, t->cond, 0);
}

/**
 * LLVMFuzzerTestOneInput() - parse @data as a litmus test, check, free
 * @data: the input
 * @size: its length
 *
 * Return: 0 (aborts when the parser breaks one of its promises)
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct litmus_test *t;
	char err[512];
	int ret;

	ret = litmus_parse(FUZZ_PATH, (const char *)data, size, &t, err,
			   sizeof(err));
	if (ret)
		check_error(ret, t, err);
	else
		check_test(t);
	litmus_free(t);
	return 0;
}
