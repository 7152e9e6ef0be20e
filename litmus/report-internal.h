/* report-internal.h - what the report printers of litmus/ share: a stream's status and a result's names. */
#ifndef PINLAB_LITMUS_REPORT_INTERNAL_H
#define PINLAB_LITMUS_REPORT_INTERNAL_H

#include <errno.h>
#include <stdio.h>
#include <pinlab/run.h>

/* Writing failed at some point: the stdio error indicator is sticky. */
static inline int report_status(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

/* @s, or "?" for a name nobody gave. */
static inline const char *or_unknown(const char *s)
{
	return s ? s : "?";
}

/* The name of @r's test, "?" without one. */
static inline const char *test_name(const struct lt_result *r)
{
	return or_unknown(r->test ? r->test->name : NULL);
}

/* The name of @r's policy, "?" without one. */
static inline const char *policy_name(const struct lt_result *r)
{
	return r->policy ? r->policy->name : "?";
}

#endif /* PINLAB_LITMUS_REPORT_INTERNAL_H */
