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

/**
 * struct preset_want - what DESIGN.md and the thread say a preset is
 * @name:     preset name
 * @pin:      enum pin_tracking
 * @longterm: enum longterm_file
 * @reclaim:  enum reclaim_pinned
 * @wb:       enum wb_pinned
 * @skip:     wb_skip_cleaning
 * @stable:   enum stable_pinned
 * @base:     enum kernel_base
 * @layout:   enum layout_pinned
 */
struct preset_want {
	const char *name;
	int pin;
	int longterm;
	int reclaim;
	int wb;
	int skip;
	int stable;
	int base;
	int layout;
};

/* In the order `pinlab policies` lists them. */
static const struct preset_want want[] = {
	{ "placeholder",   PIN_NONE,     LONGTERM_ALLOW,  RECLAIM_RELEASE,
	  WB_INPLACE,      0, STABLE_OFF,    BASE_4_20, LAYOUT_IGNORE },
	{ "mapcount",      PIN_MAPCOUNT, LONGTERM_ALLOW,  RECLAIM_RELEASE,
	  WB_BLOCK_BOUNCE, 0, STABLE_OFF,    BASE_4_20, LAYOUT_IGNORE },
	{ "block-bounce",  PIN_EXACT,    LONGTERM_ALLOW,  RECLAIM_SKIP,
	  WB_BLOCK_BOUNCE, 0, STABLE_OFF,    BASE_4_20, LAYOUT_IGNORE },
	{ "fs-bounce",     PIN_EXACT,    LONGTERM_ALLOW,  RECLAIM_SKIP,
	  WB_FS_BOUNCE,    0, STABLE_OFF,    BASE_4_20, LAYOUT_IGNORE },
	{ "stable-pinned", PIN_EXACT,    LONGTERM_ALLOW,  RECLAIM_SKIP,
	  WB_INPLACE,      0, STABLE_FORCED, BASE_4_20, LAYOUT_IGNORE },
	{ "lease",         PIN_EXACT,    LONGTERM_LEASE,  RECLAIM_SKIP,
	  WB_INPLACE,      0, STABLE_FORCED, BASE_4_20, LAYOUT_LEASE_BREAK },
	{ "mainline",      PIN_BIAS,     LONGTERM_REFUSE, RECLAIM_SKIP,
	  WB_INPLACE,      0, STABLE_OFF,    BASE_6_18, LAYOUT_IGNORE },
	{ "pinlab",        PIN_EXACT,    LONGTERM_ALLOW,  RECLAIM_SKIP,
	  WB_FS_BOUNCE,    1, STABLE_OFF,    BASE_6_18, LAYOUT_COW },
};

static void test_presets_order(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(policy_nr_presets(), ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct policy *p = policy_preset(i);

		assert_non_null(p);
		assert_string_equal(p->name, want[i].name);
		assert_non_null(p->summary);
		assert_true(strlen(p->summary) > 0);
		assert_null(strchr(p->summary, '\n'));
	}
	assert_null(policy_preset(-1));
	assert_null(policy_preset(policy_nr_presets()));
}

static void test_presets_knobs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct policy *p = policy_find(want[i].name);

		assert_non_null(p);
		assert_string_equal(p->name, want[i].name);
		assert_int_equal(p->pin, want[i].pin);
		assert_int_equal(p->longterm, want[i].longterm);
		assert_int_equal(p->reclaim, want[i].reclaim);
		assert_int_equal(p->wb, want[i].wb);
		assert_int_equal(p->wb_skip_cleaning, want[i].skip);
		assert_int_equal(p->stable, want[i].stable);
		assert_int_equal(p->base, want[i].base);
		assert_int_equal(p->layout, want[i].layout);
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

static void test_default_is_mainline(void **state)
{
	(void)state;
	assert_ptr_equal(policy, policy_find("mainline"));
	assert_int_equal(policy->pin, PIN_BIAS);
}

static void test_set_knob(void **state)
{
	struct policy p = *policy_find("mainline");
	char err[256] = "";

	(void)state;
	assert_int_equal(policy_set_knob(&p, "wb=fs-bounce", err, sizeof(err)), 0);
	assert_int_equal(p.wb, WB_FS_BOUNCE);
	assert_string_equal(p.name, "mainline,wb=fs-bounce");

	assert_int_equal(policy_set_knob(&p, "wb_skip_cleaning=yes", err, sizeof(err)), 0);
	assert_int_equal(p.wb_skip_cleaning, 1);
	assert_int_equal(p.wb, WB_FS_BOUNCE);
	assert_string_equal(p.name, "mainline,wb=fs-bounce,wb_skip_cleaning=yes");

	assert_int_equal(policy_set_knob(&p, "layout=lease-break", err, sizeof(err)), 0);
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
	char err[256] = "";

	(void)state;
	assert_int_equal(policy_set_knob(&p, "base=4.20", err, sizeof(err)), 0);
	assert_int_equal(p.base, BASE_4_20);
	assert_string_equal(p.name, "mainline,base=4.20");
	assert_int_equal(p.pin, PIN_BIAS);
	assert_int_equal(policy_set_knob(&p, "base=5.18", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown value '5.18' for knob 'base' (values: 4.20 6.18)");
	assert_int_equal(policy_find("mainline")->base, BASE_6_18);
}

static void test_set_knob_twice(void **state)
{
	struct policy p = *policy_find("pinlab");
	char err[256] = "";

	(void)state;
	assert_int_equal(policy_set_knob(&p, "wb=inplace", err, sizeof(err)), 0);
	assert_int_equal(policy_set_knob(&p, "stable=forced", err, sizeof(err)), 0);
	assert_int_equal(policy_set_knob(&p, "wb=block-bounce", err, sizeof(err)), 0);
	assert_int_equal(p.wb, WB_BLOCK_BOUNCE);
	assert_string_equal(p.name, "pinlab,stable=forced,wb=block-bounce");
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
	assert_int_equal(policy_set_knob(&p, "foo=bar", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown knob 'foo' (knobs: pin longterm reclaim wb "
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
	char err[256] = "";

	(void)state;
	assert_int_equal(policy_set_knob(&p, "wb=x", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown value 'x' for knob 'wb' "
			    "(values: inplace block-bounce fs-bounce)");
	assert_int_equal(policy_set_knob(&p, "wb=", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown value '' for knob 'wb' "
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
	assert_int_equal(policy_set_knob(&p, "layout=lease-break", err, sizeof(err)), 0);
	assert_int_equal(policy_set_knob(&p, "wb=block-bounce", err, sizeof(err)), 0);
	/* 63 characters: the longest name that fits. */
	assert_int_equal(policy_set_knob(&p, "longterm=lease", err, sizeof(err)), 0);
	assert_int_equal(strlen(p.name), sizeof(p.name) - 1);
	before = p;
	assert_int_equal(policy_set_knob(&p, "base=6.18", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many overrides"));
	assert_memory_equal(&p, &before, sizeof(p));
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
		cmocka_unit_test(test_presets_knobs),
		cmocka_unit_test(test_summaries_name_proposers),
		cmocka_unit_test(test_find_unknown),
		cmocka_unit_test(test_default_is_mainline),
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
