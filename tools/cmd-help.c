/* cmd-help.c - pinlab help: the general text, a command's usage and options. */
#include <stdio.h>
#include <string.h>

#include "pinlab.h"

static void help_general(FILE *f)
{
	fputs("usage: pinlab <command> [options] [FILE|DIR...]\n"
	      "\n"
	      "Explore litmus tests of Linux page pinning under the designs debated\n"
	      "on linux-mm and print herd7-style verdicts.\n"
	      "\n"
	      "Commands:\n"
	      "  run FILE|DIR...     explore each test under each selected policy\n"
	      "  check FILE|DIR...   verify every test's Result: annotation, print TAP\n"
	      "  matrix FILE|DIR...  print the table test x policy (every preset)\n"
	      "  diff -p A,B FILE... the states one policy reaches and the other does not\n"
	      "  explain -p P FILE.. which of P's knobs decide each test's verdict\n"
	      "  report -o F FILE... the matrix and its witnesses as one HTML page\n"
	      "  policies [P...]     list the presets, their knobs and the knob values\n"
	      "  kernel FILE...      run the tests on the running kernel (pinlab kernel --help)\n"
	      "  help [COMMAND|ops]  this text, the options of COMMAND, or the operations\n"
	      "\n"
	      "  -h, --help          this text;  -V, --version  the version\n"
	      "\n"
	      "Directories are searched recursively for *.litmus files, in path order.\n"
	      "Exit status: 0 ok; 1 a check or matrix mismatch, a file check could not\n"
	      "parse, or a witness with --expect-never; 2 a usage error, a parse error\n"
	      "(run, matrix) or a failed run.\n"
	      "See pinlab(1).\n", f);
}

/**
 * struct cmd_help - what `pinlab help COMMAND` says before the options
 * @usage: the arguments after the command name
 * @what:  what the command does, one or two lines
 */
struct cmd_help {
	const char *usage;
	const char *what;
};

static const struct cmd_help cmd_helps[CMD_NR] = {
	[CMD_RUN] = { "[options] FILE|DIR...",
		"Explore each test under each policy; print herd7-style blocks.\n"
		"Without --policy: the policies of the test's Result: comment, else mainline." },
	[CMD_CHECK] = { "[options] FILE|DIR...",
		"Run each test under each policy its Result: comment names; print TAP\n"
		"(version 13, kselftest's Totals).  With --policy: only the Result: pairs\n"
		"of those policies.  A file that does not parse is a 'not ok' point; a\n"
		"test without Result: or with a (* Skip: reason *) comment is SKIP." },
	[CMD_MATRIX] = { "[options] FILE|DIR...",
		"Print the Observation of each test under each policy as a table.\n"
		"Without --policy: every preset." },
	[CMD_DIFF] = { "--policy A,B [options] FILE|DIR...",
		"Print the states each test reaches under one of two policies and not\n"
		"the other, each with a witness; exit 1 when any test differs." },
	[CMD_EXPLAIN] = { "--policy P [options] FILE|DIR...",
		"For each knob of P, flip it to each other value and say whether the\n"
		"test's Observation changes: which part of a design saves or sinks it." },
	[CMD_REPORT] = { "-o FILE [options] FILE|DIR...",
		"Write one self-contained HTML page: the matrix by directory, each cell\n"
		"linked to its witness drawn as a swimlane, the tests, the policies.\n"
		"Without --policy: every preset.  -o - writes it to stdout." },
	[CMD_POLICIES] = { "[P...]",
		"Print the presets (or only P...), their knobs and the knob values." },
};

/**
 * help_cmd() - the help of one command: its usage, what it does, its options
 * @f:   where to
 * @cmd: the command; CMD_HELP and CMD_VERSION get the general text
 */
void help_cmd(FILE *f, enum cmd cmd)
{
	const struct cmd_help *h = &cmd_helps[cmd];

	if (!h->usage) {
		help_general(f);
		return;
	}
	fprintf(f, "usage: pinlab %s %s\n%s\n", cmd_names[cmd], h->usage, h->what);
	help_options(f, cmd);
}

/**
 * cmd_help() - pinlab help [COMMAND|ops]
 * @c: the invocation
 *
 * Return: 0 or EXIT_USAGE.
 */
int cmd_help(const struct cli *c)
{
	int i;

	if (!c->nr_args) {
		help_general(stdout);
		return 0;
	}
	if (c->nr_args > 1)
		return cli_err("help takes one command, %d given", c->nr_args);
	if (!strcmp(c->args[0], "ops")) {
		litmus_print_ops(stdout);
		return 0;
	}
	for (i = 0; i < CMD_NR; i++)
		if (cmd_names[i] && !strcmp(c->args[0], cmd_names[i]))
			break;
	if (i == CMD_NR || i == CMD_VERSION)
		return cli_err("no such command '%s' (try 'pinlab --help')", c->args[0]);
	help_cmd(stdout, i);
	return 0;
}
