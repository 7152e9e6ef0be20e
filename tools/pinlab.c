/* pinlab.c - the pinlab command: main(), the command table and dispatch. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pinlab.h"
#include "kernel.h"

/* The command table: each command's name, by enum cmd (parse_cmd(), help). */
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

volatile sig_atomic_t sigint_seen;	/* set by on_sigint() */

/**
 * on_sigint() - SIGINT: stop the exploration under way, print what it found
 * @sig: SIGINT
 *
 * Installed by explore_setup() for the exploring commands, and again by
 * each check -j worker.
 */
void on_sigint(int sig)
{
	(void)sig;
	sigint_seen = 1;
	explore_interrupt();
}

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
