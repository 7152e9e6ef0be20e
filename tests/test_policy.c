/* test_policy.c - unit tests of the policy presets, knob parsing and printing (policy/policy.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/policy.h>
#include <pinlab/run.h>

/* In the order `pinlab policies` (and the matrix's columns) lists them. */
static const char *const preset_names[] = {
	"placeholder", "mapcount", "block-bounce", "fs-bounce",
	"stable-pinned", "lease", "mainline", "pinlab",
};

static void test_presets_order(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(policy_nr_presets(), ARRAY_SIZE(preset_names));
	for (i = 0; i < ARRAY_SIZE(preset_names); i++) {
		const struct policy *p = policy_preset(i);

		assert_non_null(p);
		assert_string_equal(p->name, preset_names[i]);
		assert_non_null(p->summary);
		assert_true(strlen(p->summary) > 0);
		assert_null(strchr(p->summary, '\n'));
	}
	assert_null(policy_preset(-1));
	assert_null(policy_preset(policy_nr_presets()));
}

/*
 * Small scenarios, each the smallest race one design answers.  A verdict
 * here is what the model does under a policy, so a test of these fails
 * when the behaviour a knob selects breaks, not when a table is edited.
 */

/* A long-term writable pin of an ext4 page, without a lease: is it granted? */
static const char sc_longterm[] =
	"PIN longterm\n{ fs = ext4; sectors = 1; file A = 1; }\n"
	"P0(device) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM);\n"
	"  unpin_user_pages(r0); }\n"
	"exists (0:r0=1)\n";

/* reclaim-strips-pinned: reclaim strips the buffers of a page the device dirties (O2). */
static const char sc_reclaim[] =
	"PIN reclaim\n{ fs = ext4; sectors = 1; file A = 1; }\n"
	"P0(device) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM);\n"
	"  dma_write(r0, 0, 2); unpin_user_pages_dirty_lock(r0, true); }\n"
	"P1(kswapd) { writeback(A, WB_SYNC_NONE); reclaim(A); }\n"
	"exists (0:r0=1 /\\ (bug \\/ warn \\/ A[0]!=2))\n";

/* The device writes a page under writeback: the body of the next two. */
#define DMA_VS_WRITEBACK							\
	"P0(device) { r1 = lease(A);\n"					\
	"  r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM);\n"		\
	"  dma_write(r0, 0, 1); dma_write(r0, 0, 2);\n"				\
	"  unpin_user_pages_dirty_lock(r0, true); }\n"				\
	"P1(flusher) { writeback(A, WB_SYNC_NONE); }\n"				\
	"exists (0:r0=1 /\\ (io_error \\/ csum_error \\/ bug \\/ A[0]!=2))\n"

/* dif-dma-vs-writeback: the guard tags no longer match the data (O1). */
static const char sc_dif[] =
	"PIN dif\n{ fs = ext4; dev = dif; file A = 1; }\n" DMA_VS_WRITEBACK;

/* btrfs-dma-vs-writeback: btrfs checksums a page the device still writes. */
static const char sc_btrfs[] =
	"PIN btrfs\n{ fs = btrfs; sectors = 2; file A = 1; }\n" DMA_VS_WRITEBACK;

/*
 * A CPU store to a pinned page of a plain disk after writeback began
 * (0:r5=1) finishes (1:r4=1) before the page reached the disk (1:r3=0):
 * only a stable-page wait for pinned pages stops it.
 */
static const char sc_stable[] =
	"PIN stable\n{ fs = ext4; sectors = 1; file A = 1; x = 0; y = 0; z = 0; }\n"
	"P0(app) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE);\n"
	"  store(A, 0, 1); x = 1; r5 = z; store(A, 0, 2); y = 1;\n"
	"  unpin_user_pages(r0); }\n"
	"P1(flusher) { r1 = x; if (r1 == 1) {\n"
	"  writeback(A, WB_SYNC_NONE); z = 1; r4 = y; r3 = ondisk(A, 0); } }\n"
	"exists (0:r5=1 /\\ 1:r4=1 /\\ 1:r3=0)\n";

/*
 * Cleaning writeback while the page stays pinned (0:r2=1: the unpin came
 * after it) puts the device's data on disk (1:r3=2), unless it skips pins.
 */
static const char sc_skip[] =
	"PIN skip\n{ fs = ext4; sectors = 1; file A = 1; x = 0; y = 0; }\n"
	"P0(device) { r0 = pin_user_pages(A, 0, 1, FOLL_WRITE);\n"
	"  dma_write(r0, 0, 2); set_page_dirty_lock(r0); x = 1; r2 = y;\n"
	"  unpin_user_pages_dirty_lock(r0, true); }\n"
	"P1(flusher) { r1 = x; if (r1 == 1) {\n"
	"  writeback(A, WB_SYNC_NONE); y = 1; r3 = ondisk(A, 0); } }\n"
	"exists (0:r2=1 /\\ 1:r3=2)\n";

/* The verdict of litmus source @src under @p, explored completely. */
static enum lt_verdict verdict(const char *src, const struct policy *p)
{
	struct litmus_test *t;
	struct explore_opts o;
	struct lt_result r;
	enum lt_verdict v;
	char err[256];

	assert_int_equal(litmus_parse("policy.litmus", src, strlen(src), &t, err, sizeof(err)), 0);
	explore_opts_default(&o);
	assert_int_equal(litmus_run(t, p, &o, 0, &r), 0);
	assert_true(r.stats.complete);
	v = r.verdict;
	lt_result_free(&r);
	litmus_free(t);
	return v;
}

/**
 * struct knob_case - a preset's own knob and a scenario it decides
 * @preset: the preset
 * @assign: its distinguishing knob set to another value
 * @src:    the scenario
 * @before: the verdict under @preset
 * @after:  the verdict under @preset with @assign
 */
struct knob_case {
	const char *preset;
	const char *assign;
	const char *src;
	enum lt_verdict before;
	enum lt_verdict after;
};

static const struct knob_case knob_cases[] = {
	{ "placeholder",   "pin=mapcount",        sc_reclaim,  LV_SOMETIMES, LV_NEVER },
	{ "mapcount",      "pin=none",            sc_reclaim,  LV_NEVER, LV_SOMETIMES },
	{ "block-bounce",  "wb=inplace",          sc_dif,      LV_NEVER, LV_SOMETIMES },
	{ "fs-bounce",     "wb=block-bounce",     sc_btrfs,    LV_NEVER, LV_SOMETIMES },
	{ "stable-pinned", "stable=off",          sc_stable,   LV_NEVER, LV_SOMETIMES },
	{ "lease",         "longterm=allow",      sc_longterm, LV_NEVER, LV_ALWAYS },
	{ "mainline",      "longterm=allow",      sc_longterm, LV_NEVER, LV_ALWAYS },
	{ "pinlab",        "wb_skip_cleaning=no", sc_skip,     LV_NEVER, LV_SOMETIMES },
};

/* Each preset's distinguishing knob is what decides its scenario. */
static void test_presets_knob_decides(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(knob_cases), policy_nr_presets());
	for (i = 0; i < ARRAY_SIZE(knob_cases); i++) {
		const struct knob_case *c = &knob_cases[i];
		struct policy p = *policy_find(c->preset);

		assert_string_equal(policy_preset(i)->name, c->preset);
		assert_int_equal(verdict(c->src, &p), c->before);
		assert_int_equal(policy_set_knob(&p, c->assign, NULL, 0), 0);
		assert_int_equal(verdict(c->src, &p), c->after);
	}
}

/* Whether @a and @b give every knob the same value. */
static bool same_knobs(const struct policy *a, const struct policy *b)
{
	int k;

	for (k = 0; k < policy_nr_knobs(); k++)
		if (policy_knob_get(a, k) != policy_knob_get(b, k))
			return false;
	return true;
}

/* No two presets are one design under two names. */
static void test_presets_distinct(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < policy_nr_presets(); i++)
		for (j = i + 1; j < policy_nr_presets(); j++)
			assert_false(same_knobs(policy_preset(i), policy_preset(j)));
}

/* "policy NAME = PRESET + knob=value" behaves as PRESET with that knob set. */
static void test_define_behaves_as_override(void **state)
{
	char line[128], err[256] = "";
	struct policy def, set;
	size_t i, col;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(knob_cases); i++) {
		const struct knob_case *c = &knob_cases[i];

		snprintf(line, sizeof(line), "policy t = %s + %s", c->preset, c->assign);
		assert_int_equal(policy_define(line, strlen(line), &def, &col, err, sizeof(err)), 0);
		set = *policy_find(c->preset);
		assert_int_equal(policy_set_knob(&set, c->assign, NULL, 0), 0);
		assert_true(same_knobs(&def, &set));
		assert_false(same_knobs(&def, policy_find(c->preset)));
		assert_int_equal(verdict(c->src, &def), c->after);
	}
}

/* Run @fn into a memory stream and return what it printed (free() it). */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void print_policy(FILE *f, const void *arg)
{
	policy_print(f, arg);
}

static void print_knobs(FILE *f, const void *arg)
{
	(void)arg;
	policy_print_knobs(f);
}

/* Apply each "  knob = value" line policy_print() wrote for @p to @to (renamed). */
static void apply_printed(const struct policy *p, struct policy *to)
{
	char *buf = capture(print_policy, p), *line, *save;
	char assign[96], knob[32], value[32];

	strtok_r(buf, "\n", &save);	/* "name: summary" */
	while ((line = strtok_r(NULL, "\n", &save))) {
		assert_int_equal(sscanf(line, " %31s = %31s", knob, value), 2);
		snprintf(assign, sizeof(assign), "%s=%s", knob, value);
		snprintf(to->name, sizeof(to->name), "p");	/* room for nine overrides */
		assert_int_equal(policy_set_knob(to, assign, NULL, 0), 0);
	}
	free(buf);
}

/*
 * A preset's name finds it; what policy_print() says of a policy, read
 * back as overrides, is that policy; and a name with overrides,
 * "PRESET,knob=value,...", read back the same way, is the policy it names.
 */
static void test_names_round_trip(void **state)
{
	char name[sizeof(((struct policy *)0)->name)], *seg, *save;
	int i, other;

	(void)state;
	for (i = 0; i < policy_nr_presets(); i++) {
		const struct policy *p = policy_preset(i);
		struct policy back, named;

		assert_ptr_equal(policy_find(p->name), p);
		other = (i + 1) % policy_nr_presets();
		back = *policy_preset(other);
		apply_printed(p, &back);
		assert_true(same_knobs(&back, p));

		named = *policy_preset(other);
		assert_int_equal(policy_set_knob(&named, knob_cases[other].assign, NULL, 0), 0);
		snprintf(name, sizeof(name), "%s", named.name);
		seg = strtok_r(name, ",", &save);
		assert_non_null(policy_find(seg));
		back = *policy_find(seg);
		while ((seg = strtok_r(NULL, ",", &save)))
			assert_int_equal(policy_set_knob(&back, seg, NULL, 0), 0);
		assert_string_equal(back.name, named.name);
		assert_true(same_knobs(&back, &named));
	}
}

static void test_summaries_name_proposers(void **state)
{
	(void)state;
	assert_non_null(strstr(policy_find("mapcount")->summary, "Glisse"));
	assert_non_null(strstr(policy_find("block-bounce")->summary, "Jan Kara"));
	assert_non_null(strstr(policy_find("fs-bounce")->summary, "Jan Kara"));
	assert_non_null(strstr(policy_find("stable-pinned")->summary, "Chinner"));
	assert_non_null(strstr(policy_find("lease")->summary, "Chinner"));
	assert_non_null(strstr(policy_find("mainline")->summary, "6.5"));
}

static void test_find_unknown(void **state)
{
	(void)state;
	assert_null(policy_find("nosuch"));
	assert_null(policy_find(""));
	assert_null(policy_find("mainline,wb=inplace"));
	assert_null(policy_find("Mainline"));
}

/* policy_set_knob(@p, @assign) succeeds; @p is called @name then, if given. */
static void set_ok(struct policy *p, const char *assign, const char *name)
{
	char err[256] = "";

	assert_int_equal(policy_set_knob(p, assign, err, sizeof(err)), 0);
	if (name)
		assert_string_equal(p->name, name);
}

/* policy_set_knob(@p, @assign) fails with -EINVAL, saying @msg. */
static void set_fails(struct policy *p, const char *assign, const char *msg)
{
	char err[256] = "";

	assert_int_equal(policy_set_knob(p, assign, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void test_set_knob(void **state)
{
	struct policy p = *policy_find("mainline");

	(void)state;
	set_ok(&p, "wb=fs-bounce", "mainline,wb=fs-bounce");
	assert_int_equal(p.wb, WB_FS_BOUNCE);

	set_ok(&p, "wb_skip_cleaning=yes", "mainline,wb=fs-bounce,wb_skip_cleaning=yes");
	assert_int_equal(p.wb_skip_cleaning, 1);
	assert_int_equal(p.wb, WB_FS_BOUNCE);

	set_ok(&p, "layout=lease-break", NULL);
	assert_int_equal(p.layout, LAYOUT_LEASE_BREAK);
	/* Everything else is still mainline's. */
	assert_int_equal(p.pin, PIN_BIAS);
	assert_int_equal(p.longterm, LONGTERM_REFUSE);
	assert_int_equal(p.base, BASE_6_18);
	/* The presets themselves are untouched. */
	assert_int_equal(policy_find("mainline")->wb, WB_INPLACE);
}

/* Any design runs on either kernel base. */
static void test_set_base(void **state)
{
	struct policy p = *policy_find("mainline");

	(void)state;
	set_ok(&p, "base=4.20", "mainline,base=4.20");
	assert_int_equal(p.base, BASE_4_20);
	assert_int_equal(p.pin, PIN_BIAS);
	set_fails(&p, "base=5.18", "unknown value '5.18' for knob 'base' (values: 4.20 6.18)");
	assert_int_equal(policy_find("mainline")->base, BASE_6_18);
}

static void test_set_knob_twice(void **state)
{
	struct policy p = *policy_find("pinlab");

	(void)state;
	set_ok(&p, "wb=inplace", NULL);
	set_ok(&p, "stable=forced", NULL);
	set_ok(&p, "wb=block-bounce", "pinlab,stable=forced,wb=block-bounce");
	assert_int_equal(p.wb, WB_BLOCK_BOUNCE);
}

static void test_set_every_value(void **state)
{
	static const char *const assigns[] = {
		"pin=none", "pin=mapcount", "pin=bias", "pin=exact",
		"longterm=allow", "longterm=refuse", "longterm=lease",
		"reclaim=release", "reclaim=skip",
		"wb=inplace", "wb=block-bounce", "wb=fs-bounce",
		"wb_skip_cleaning=no", "wb_skip_cleaning=yes",
		"stable=off", "stable=forced",
		"base=4.20", "base=6.18",
		"layout=ignore", "layout=fail", "layout=block", "layout=cow",
		"layout=lease-break",
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(assigns); i++) {
		struct policy p = *policy_find("placeholder");

		err[0] = '\0';
		assert_int_equal(policy_set_knob(&p, assigns[i], err, sizeof(err)), 0);
		assert_string_equal(err, "");
	}
}

static void test_unknown_knob(void **state)
{
	struct policy p = *policy_find("mainline");
	char err[256] = "";

	(void)state;
	set_fails(&p, "foo=bar", "unknown knob 'foo' (knobs: pin longterm reclaim wb "
		  "wb_skip_cleaning stable base layout dax_busy)");
	assert_string_equal(p.name, "mainline");
	/* A prefix of a knob name is not that knob. */
	assert_int_equal(policy_set_knob(&p, "w=inplace", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown knob 'w'"));
}

/* policy NAME = PRESET + knob=value: the preset's knobs, the overrides, the name. */
static void test_define(void **state)
{
	const char line[] = "  policy my-design = block-bounce + layout=fail +base=6.18 # why";
	struct policy p;
	char err[256] = "";
	size_t col = 99;

	(void)state;
	assert_int_equal(policy_define(line, strlen(line), &p, &col, err, sizeof(err)), 0);
	assert_string_equal(p.name, "my-design");
	assert_int_equal(p.layout, LAYOUT_FAIL);
	assert_int_equal(p.base, BASE_6_18);
	assert_int_equal(p.wb, policy_find("block-bounce")->wb);
	assert_int_equal(policy_register(&p), 0);
	assert_ptr_not_equal(policy_find("my-design"), NULL);
	assert_int_equal(policy_register(&p), -EEXIST);
	assert_int_equal(policy_nr_listed(), policy_nr_presets() + policy_nr_user());
	assert_string_equal(policy_listed(policy_nr_presets())->name, "my-design");
}

/* Each error says what is wrong and where (an offset into the line). */
static void test_define_errors(void **state)
{
	static const struct {
		const char *line;
		size_t col;
		const char *msg;
	} bad[] = {
		{ "policy x = nope", 11, "unknown preset 'nope' (see pinlab policies)" },
		{ "policy x = mainline + layout=nah", 22,
		  "unknown value 'nah' for knob 'layout' (values: ignore fail block cow lease-break)" },
		{ "policy mainline = lease", 7, "policy 'mainline' is already defined" },
		{ "policy a/b = lease", 7, "bad policy name 'a/b' (letters, digits, '_', '-', '.')" },
		{ "policy x lease", 6, "expected '=' after 'policy x lease'" },
		{ "policy x = mainline +", 21, "expected knob=value after '+', got ''" },
		{ "polic x = lease", 0, "expected 'policy NAME = PRESET + knob=value', got 'polic x = lease'" },
	};
	struct policy p;
	char err[256];
	size_t i, col;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		col = 99;
		assert_int_equal(policy_define(bad[i].line, strlen(bad[i].line), &p, &col,
					       err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].msg);
		assert_int_equal(col, bad[i].col);
	}
}

static void test_unknown_value(void **state)
{
	struct policy p = *policy_find("mainline");

	(void)state;
	set_fails(&p, "wb=x", "unknown value 'x' for knob 'wb' "
		  "(values: inplace block-bounce fs-bounce)");
	set_fails(&p, "wb=", "unknown value '' for knob 'wb' "
		  "(values: inplace block-bounce fs-bounce)");
	assert_int_equal(p.wb, WB_INPLACE);
	assert_string_equal(p.name, "mainline");
}

static void test_malformed_and_small_err(void **state)
{
	struct policy p = *policy_find("mainline");
	char err[16];

	(void)state;
	assert_int_equal(policy_set_knob(&p, "wb", err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	/* A truncated message is still NUL-terminated; NULL err is allowed. */
	assert_int_equal(policy_set_knob(&p, "foo=1", err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) < sizeof(err));
	assert_int_equal(policy_set_knob(&p, "foo=1", NULL, 0), -EINVAL);
	assert_int_equal(policy_set_knob(&p, "wb=x", NULL, 0), -EINVAL);
	assert_string_equal(p.name, "mainline");
}

static void test_name_overflow(void **state)
{
	struct policy p = *policy_find("stable-pinned");
	struct policy before;
	char err[256] = "";

	(void)state;
	set_ok(&p, "layout=lease-break", NULL);
	set_ok(&p, "wb=block-bounce", NULL);
	/* 63 characters: the longest name that fits. */
	set_ok(&p, "longterm=lease", NULL);
	assert_int_equal(strlen(p.name), sizeof(p.name) - 1);
	before = p;
	assert_int_equal(policy_set_knob(&p, "base=6.18", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many overrides"));
	assert_memory_equal(&p, &before, sizeof(p));
}

static void test_print(void **state)
{
	const struct policy *p = policy_find("mainline");
	char *out = capture(print_policy, p);
	char head[256];

	(void)state;
	snprintf(head, sizeof(head), "mainline: %s\n", p->summary);
	assert_memory_equal(out, head, strlen(head));
	assert_non_null(strstr(out, "\n  pin              = bias\n"));
	assert_non_null(strstr(out, "\n  longterm         = refuse\n"));
	assert_non_null(strstr(out, "\n  wb_skip_cleaning = no\n"));
	assert_non_null(strstr(out, "\n  layout           = ignore\n"));
	assert_non_null(strstr(out, "\n  base             = 6.18\n"));
	free(out);
	out = capture(print_policy, policy_find("placeholder"));
	assert_non_null(strstr(out, "\n  base             = 4.20\n"));
	free(out);
}

static void test_print_knobs(void **state)
{
	char *out = capture(print_knobs, NULL);

	(void)state;
	assert_non_null(strstr(out, "pin              none|mapcount|bias|exact\n"));
	assert_non_null(strstr(out, "wb               inplace|block-bounce|fs-bounce\n"));
	assert_non_null(strstr(out, "layout           ignore|fail|block|cow|lease-break\n"));
	assert_non_null(strstr(out, "wb_skip_cleaning no|yes\n"));
	assert_non_null(strstr(out, "base             4.20|6.18\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets_order),
		cmocka_unit_test(test_presets_knob_decides),
		cmocka_unit_test(test_presets_distinct),
		cmocka_unit_test(test_define_behaves_as_override),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_summaries_name_proposers),
		cmocka_unit_test(test_find_unknown),
		cmocka_unit_test(test_set_knob),
		cmocka_unit_test(test_set_base),
		cmocka_unit_test(test_set_knob_twice),
		cmocka_unit_test(test_set_every_value),
		cmocka_unit_test(test_unknown_knob),
		cmocka_unit_test(test_unknown_value),
		cmocka_unit_test(test_define),
		cmocka_unit_test(test_define_errors),
		cmocka_unit_test(test_malformed_and_small_err),
		cmocka_unit_test(test_name_overflow),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_knobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
