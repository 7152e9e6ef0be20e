/* kernel-outcome.c - the kernel's outcomes counted in the model's form, compared with the model. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <pinlab/bug.h>
#include <pinlab/explore.h>
#include <pinlab/policy.h>
#include <pinlab/run.h>

#include "kernel.h"

/* ---- outcomes ---- */

/* The index of the outcome @vals (@nr_locs values) in @r, or -1. */
static int outcome_find(const struct lt_result *r, const s64 *vals, int nr_locs)
{
	int i;

	for (i = 0; i < r->nr_outcomes; i++)
		if (!memcmp(r->outcomes[i].vals, vals, nr_locs * sizeof(s64)))
			return i;
	return -1;
}

/**
 * kresult_add() - count one iteration's outcome
 * @kr:   the test's outcomes so far
 * @vals: the values of the condition's locations, in its order
 *
 * Return: 0 or -ENOMEM.
 */
int kresult_add(struct kresult *kr, const s64 *vals)
{
	const struct litmus_test *t = kr->r.test;
	size_t sz = t->nr_locs * sizeof(s64);
	struct outcome *o;
	int i;

	i = outcome_find(&kr->r, vals, t->nr_locs);
	if (i < 0) {
		i = kr->r.nr_outcomes;
		if (i == kr->cap) {
			kr->cap = kr->cap ? kr->cap * 2 : 8;
			o = realloc(kr->r.outcomes, kr->cap * sizeof(*o));
			if (!o)
				return -ENOMEM;
			kr->r.outcomes = o;
		}
		o = &kr->r.outcomes[i];
		o->vals = malloc(sz ? sz : 1);
		if (!o->vals)
			return -ENOMEM;
		memcpy(o->vals, vals, sz);
		o->count = 0;
		o->holds = lt_cond_holds(t, vals);
		o->witness = NULL;	/* a kernel iteration has no replay string */
		kr->r.nr_outcomes++;
	}
	o = &kr->r.outcomes[i];
	o->count++;
	if (o->holds)
		kr->r.positive++;
	else
		kr->r.negative++;
	return 0;
}

/**
 * kresult_conclude() - sorted outcomes, verdict and validation, as litmus_run() concludes them
 * @kr:         the test's outcomes
 * @iterations: how many were asked for, for the "explored" line
 */
void kresult_conclude(struct kresult *kr, u64 iterations)
{
	struct lt_result *r = &kr->r;

	lt_result_conclude(r);
	snprintf(r->explored, sizeof(r->explored), "kernel iterations=%" PRIu64, iterations);
}

/**
 * kresult_init() - no outcomes yet, under the policy "kernel-<uname -r>"
 * @kr: to set up; lt_result_free(&kr->r) frees it
 * @t:  the test
 */
void kresult_init(struct kresult *kr, const struct litmus_test *t)
{
	struct utsname u;

	memset(kr, 0, sizeof(*kr));
	kr->r.test = t;
	kr->r.mark = -1;
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(kr->kpol.name, sizeof(kr->kpol.name), "kernel-%.48s", u.release);
	kr->kpol.summary = "the running kernel";
	kr->r.policy = &kr->kpol;
}

/* ---- comparing with the model ---- */

/* "0:r0=1; A[0]=2;" */
static void state_line(const struct litmus_test *t, const s64 *vals, char *buf, size_t len)
{
	char loc[LT_NAME_MAX + 32], val[32];
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < t->nr_locs && used < len; i++) {
		lt_format_loc(t, &t->locs[i], loc, sizeof(loc));
		lt_format_value(&t->locs[i], vals[i], val, sizeof(val));
		used += snprintf(buf + used, len - used, "%s%s=%s;", i ? " " : "", loc, val);
	}
}

/* Print the outcomes of @a that @b lacks, each on a line starting with @tag. */
static int print_missing(const char *tag, const struct lt_result *a,
			 const struct lt_result *b)
{
	const struct litmus_test *t = a->test;
	char line[KSTATE_MAX];
	int i, n = 0;

	for (i = 0; i < a->nr_outcomes; i++) {
		if (outcome_find(b, a->outcomes[i].vals, t->nr_locs) >= 0)
			continue;
		state_line(t, a->outcomes[i].vals, line, sizeof(line));
		printf("%s %s %s\n", tag, t->name, line);
		n++;
	}
	return n;
}

/**
 * kresult_compare() - the kernel's outcomes against the model's under mainline
 * @kr:   the kernel's outcomes
 * @tap:  TAP test point number
 * @fs:   the filesystem name, for the TAP line
 *
 * Return: 0 when every kernel outcome is in the model's set, KEXIT_MISMATCH
 * when one is not; a model that cannot run the test is a SKIP (0).
 */
int kresult_compare(struct kresult *kr, int tap, const char *fs)
{
	const struct litmus_test *t = kr->r.test;
	const struct policy *p = policy_find("mainline");
	struct explore_opts eo;
	struct lt_result mr;
	int extra, missing;

	explore_opts_default(&eo);
	if (!p || litmus_run(t, p, &eo, false, &mr)) {
		printf("ok %d - %s %s # SKIP the model cannot run it: %s\n", tap, t->name, fs,
		       p ? mr.stats.error : "no mainline preset");
		if (p)
			lt_result_free(&mr);
		return 0;
	}
	printf("Model %s mainline %s %" PRIu64 " states=%d\n", t->name, mr.explored,
	       mr.stats.executions, mr.nr_outcomes);
	extra = print_missing("Kernel-only", &kr->r, &mr);
	missing = print_missing("Model-only", &mr, &kr->r);
	if (extra)
		printf("not ok %d - %s %s: %d kernel state(s) the model forbids\n", tap,
		       t->name, fs, extra);
	else
		printf("ok %d - %s %s: %d kernel state(s) inside mainline's %d (%d not seen)\n",
		       tap, t->name, fs, kr->r.nr_outcomes, mr.nr_outcomes, missing);
	lt_result_free(&mr);
	return extra ? KEXIT_MISMATCH : 0;
}
