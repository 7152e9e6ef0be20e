/* cmd-policies.c - pinlab policies: the presets, their knobs and the knob values. */
#include <stdio.h>

#include "pinlab.h"

/**
 * cmd_policies() - pinlab policies: the presets, their knobs, the knob values
 * @c: the invocation; its arguments, if any, are the policies to print
 *
 * Return: 0 or EXIT_USAGE.
 */
int cmd_policies(const struct cli *c)
{
	const struct policy *p;
	int i;

	for (i = 0; i < c->nr_args; i++)
		if (!policy_find(c->args[i]))
			return unknown_policy(c->args[i]);
	for (i = 0; i < c->nr_args; i++) {
		policy_print(stdout, policy_find(c->args[i]));
		putchar('\n');
	}
	if (c->nr_args)
		return 0;
	for (i = 0; i < policy_nr_listed(); i++) {
		p = policy_listed(i);
		policy_print(stdout, p);
		putchar('\n');
	}
	printf("Knobs (override with -o KNOB=VALUE):\n");
	policy_print_knobs(stdout);
	return 0;
}
