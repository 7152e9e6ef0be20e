/* pinlab.c - the pinlab command: run, check and tabulate litmus tests under pinning policies. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pinlab.h"
#include "kernel.h"

const char *const cmd_names[CMD_NR] = {
	[CMD_RUN] = "run",
	[CMD_CHECK] = "check",
	[CMD_MATRIX] = "matrix",
	[CMD_DIFF] = "diff",
	[CMD_EXPLAIN] = "explain",
	[CMD_REPORT] = "report",
	[CMD_POLICIES] = "policies",
	[CMD_HELP] = "help",
	[CMD_VERSION] = "version",
};

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

static void help_cmd(FILE *f, enum cmd cmd)
{
	const struct cmd_help *h = &cmd_helps[cmd];

	if (!h->usage) {
		help_general(f);
		return;
	}
	fprintf(f, "usage: pinlab %s %s\n%s\n", cmd_names[cmd], h->usage, h->what);
	help_options(f, cmd);
}

volatile sig_atomic_t sigint_seen;	/* set by on_sigint() */

void on_sigint(int sig)
{
	(void)sig;
	sigint_seen = 1;
	explore_interrupt();
}

/* ---- policies, help, version ---- */

static int cmd_policies(const struct cli *c)
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

static int cmd_help(const struct cli *c)
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

/* ---- main ---- */

/* Find and parse the tests, then run the command over them. */
static int dispatch(struct cli *c)
{
	int ret;

	switch (c->cmd) {
	case CMD_VERSION:
		printf("%s\n", VERSION_LINE);
		return 0;
	case CMD_HELP:
		return cmd_help(c);
	case CMD_POLICIES:
		return cmd_policies(c);
	default:
		break;
	}
	ret = collect_paths(c);
	if (!ret)
		ret = parse_tests(c);
	if (ret)
		return ret;
	if (c->cmd == CMD_CHECK)
		return cmd_check(c);
	if (c->cmd == CMD_MATRIX)
		return cmd_matrix(c);
	if (c->cmd == CMD_DIFF)
		return cmd_diff(c);
	if (c->cmd == CMD_EXPLAIN)
		return cmd_explain(c);
	if (c->cmd == CMD_REPORT)
		return cmd_report(c);
	return cmd_run(c);
}

/* Output that could not be written is an error, not a silent success. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_err("writing output: %s", strerror(errno ? errno : EIO));
		return EXIT_USAGE;
	}
	return ret;
}

/*
 * Commands that explore: SIGINT stops the exploration and prints what it
 * found (a second one kills, as usual); progress lines when stderr is a
 * terminal or with --progress.
 */
static void explore_setup(struct cli *c)
{
	struct sigaction sa = {
		.sa_handler = on_sigint,
		.sa_flags = SA_RESETHAND | SA_RESTART,
	};

	if (!(BIT(c->cmd) & C_EXPLORE))
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	/* Workers under check -j would garble each other's \r lines. */
	c->tty = isatty(STDERR_FILENO) && c->jobs == 1;
	c->progress = c->tty || (c->seen & BIT(OPT_PROGRESS));
}

/* One line of a --policies file: "policy NAME = PRESET + knob=value", '#' comments. */
static int load_policy_line(const char *path, int line, const char *s, size_t len)
{
	struct policy p;
	char why[MSG_MAX / 2];
	size_t col = 0, at = strspn(s, " \t");
	int ret;

	if (at == len || s[at] == '#')
		return 0;
	if (policy_define(s, len, &p, &col, why, sizeof(why)))
		return located_err(path, line, col + 1, "%s", why);
	ret = policy_register(&p);
	if (ret == -ENOSPC)
		return located_err(path, line, 1, "too many policies");
	if (ret)
		return located_err(path, line, at + 1, "policy '%s' is already defined", p.name);
	return 0;
}

/* --policies FILE: every definition in it, registered for -p, Result: and matrix. */
static int load_policy_file(const char *path)
{
	char buf[512];
	FILE *f = fopen(path, "re");
	int line = 0, ret = 0;

	if (!f)
		return cli_err("--policies %s: %s", path, strerror(errno));
	while (!ret && fgets(buf, sizeof(buf), f)) {
		size_t len = strcspn(buf, "\n");

		line++;
		if (!buf[len] && !feof(f))
			ret = located_err(path, line, 1, "line longer than %zu bytes",
					  sizeof(buf) - 2);
		else
			ret = load_policy_line(path, line, buf, len);
	}
	fclose(f);
	return ret;
}

/*
 * The --policies options first, wherever they are, so that -p may name their
 * policies before or after them.  Stops at "--", as parse_args() does.
 */
static int load_policies(int argc, char **argv)
{
	int i, ret = 0;

	for (i = 2; i < argc && !ret && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--policies") && i + 1 < argc)
			ret = load_policy_file(argv[++i]);
		else if (!strncmp(argv[i], "--policies=", 11))
			ret = load_policy_file(argv[i] + 11);
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct cli c = { .cmd = CMD_HELP };
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "kernel"))	/* tools/kernel-run.c */
		return flush_stdout(kernel_main(argc - 1, argv + 1));
	ret = load_policies(argc, argv);
	if (!ret)
		ret = cli_init(&c, argc);
	if (!ret)
		ret = parse_args(&c, argc, argv);
	if (!ret && c.help && (c.seen & BIT(OPT_ASSUMPTIONS)) && !(c.seen & BIT(OPT_HELP))) {
		litmus_print_assumptions(stdout);
	} else if (!ret && c.help) {
		help_cmd(stdout, c.cmd);
	} else if (!ret) {
		ret = check_opts(&c);
		if (!ret) {
			explore_setup(&c);
			ret = dispatch(&c);
		}
	}
	cli_free(&c);
	return flush_stdout(ret);
}
