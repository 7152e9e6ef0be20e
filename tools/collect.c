/* collect.c - the litmus files named on the command line, found and parsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinlab.h"

/**
 * collect_paths() - the litmus files of the FILE and DIR arguments
 * @c: the invocation; c->paths gets them, each directory's in path order
 *     (litmus_collect())
 *
 * Return: 0 or EXIT_USAGE, the error printed.
 */
int collect_paths(struct cli *c)
{
	char err[MSG_MAX];
	int i;

	for (i = 0; i < c->nr_args; i++)
		if (litmus_collect(&c->paths, c->args[i], err, sizeof(err)))
			return cli_err("%s", err);
	if (c->opts.replay && c->paths.n > 1)
		return cli_err("--replay runs one test, %d given", c->paths.n);
	return 0;
}

/*
 * Parse path @i into c->tests[i], or leave that NULL and print why on one
 * line of stderr, also kept in @err.  Return: 0 or EXIT_USAGE.
 */
static int parse_one(struct cli *c, int i, char *err, size_t len)
{
	err[0] = '\0';
	if (!litmus_parse_file(c->paths.v[i], &c->tests[i], err, len) &&
	    !litmus_check_modelled(c->tests[i], err, len))
		return 0;
	litmus_free(c->tests[i]);
	c->tests[i] = NULL;
	if (!err[0])
		snprintf(err, len, "%s: cannot be read", c->paths.v[i]);
	one_line(err);
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

/**
 * parse_tests() - parse every path of @c into c->tests
 * @c: the invocation
 *
 * run and matrix stop at the first that does not parse (exit 2, nothing on
 * stdout); check keeps its error in c->errs for a "not ok" point.
 * Return: 0 or EXIT_USAGE.
 */
int parse_tests(struct cli *c)
{
	char err[MSG_MAX];
	int i;

	c->tests = calloc(c->paths.n, sizeof(*c->tests));
	c->errs = calloc(c->paths.n, sizeof(*c->errs));
	if (!c->tests || !c->errs)
		return out_of_memory();
	for (i = 0; i < c->paths.n; i++) {
		if (!parse_one(c, i, err, sizeof(err))) {
			c->nr_tests = i + 1;
			continue;
		}
		if (c->cmd != CMD_CHECK)
			return EXIT_USAGE;
		c->errs[i] = strdup(err);
		if (!c->errs[i])
			return out_of_memory();
		c->nr_tests = i + 1;
	}
	return 0;
}
