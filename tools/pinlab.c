/* pinlab.c - the pinlab command: run, check and tabulate litmus tests under pinning policies. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pinlab/explore.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/report.h>
#include <pinlab/run.h>

#include "kernel.h"

#ifndef PINLAB_VERSION
#define PINLAB_VERSION	"0.1"
#endif

#define VERSION_LINE	"pinlab " PINLAB_VERSION " (litmus language version 1)"

#define EXIT_MISMATCH	1	/* check/matrix mismatch, witness with --expect-never */
#define EXIT_USAGE	2	/* usage error, parse error, a run that failed */
#define EXIT_INTERRUPTED 130	/* SIGINT: the result so far was printed */
#define PROGRESS_TTY	0.25	/* seconds between progress lines on a terminal */
#define PROGRESS_LOG	2.0	/* ... and elsewhere (--progress into a file) */
#define MSG_MAX		1024	/* one error line */
#define WALK_DEPTH_MAX	32	/* directory levels walked below an argument */
#define JOBS_MAX	64	/* check -j: worker processes at most */

enum cmd {
	CMD_RUN,
	CMD_CHECK,
	CMD_MATRIX,
	CMD_DIFF,
	CMD_EXPLAIN,
	CMD_REPORT,
	CMD_POLICIES,
	CMD_HELP,
	CMD_VERSION,
	CMD_NR,
};

static const char *const cmd_names[CMD_NR] = {
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

enum opt_id {
	OPT_POLICY,
	OPT_POLICIES,
	OPT_SET,
	OPT_STRATEGY,
	OPT_BOUND,
	OPT_REDUCTION,
	OPT_RUNS,
	OPT_SEED,
	OPT_DEPTH,
	OPT_MAX_EXECS,
	OPT_MAX_STEPS,
	OPT_TIMEOUT,
	OPT_STOP_AT_WITNESS,
	OPT_PROGRESS,
	OPT_REPLAY,
	OPT_TRACE,
	OPT_TRACE_JSON,
	OPT_EXPECT_NEVER,
	OPT_JOBS,
	OPT_ASSUMPTIONS,
	OPT_OUTPUT,
	OPT_HELP,
	OPT_NR,
};

BUILD_BUG_ON(OPT_NR > 32);	/* struct cli.seen */

/* Which commands and strategies an option goes with. */
#define C_RUN		BIT(CMD_RUN)
#define C_EXPLORE	(BIT(CMD_RUN) | BIT(CMD_CHECK) | BIT(CMD_MATRIX) | BIT(CMD_DIFF) | \
			 BIT(CMD_EXPLAIN) | BIT(CMD_REPORT))
#define C_ALL		(C_EXPLORE | BIT(CMD_POLICIES) | BIT(CMD_HELP))
#define S_DFS		BIT(EXPLORE_DFS)
#define S_SEARCH	(BIT(EXPLORE_DFS) | BIT(EXPLORE_RANDOM) | BIT(EXPLORE_PCT))
#define S_SAMPLE	(BIT(EXPLORE_RANDOM) | BIT(EXPLORE_PCT))
#define S_ANY		(S_SEARCH | BIT(EXPLORE_REPLAY))

/**
 * struct cli_opt - one command line option
 * @name:   long name, without the leading "--"
 * @abbr:   single-letter form, or 0
 * @arg:    name of its value in help texts; NULL when it takes none
 * @id:     enum opt_id
 * @cmds:   commands accepting it, C_* bits
 * @strats: strategies it makes sense with, S_* bits
 * @help:   one line for --help
 */
struct cli_opt {
	const char *name;
	char abbr;
	const char *arg;
	enum opt_id id;
	unsigned int cmds;
	unsigned int strats;
	const char *help;
};

static const struct cli_opt cli_opts[] = {
	{ "policy", 'p', "P[,P...]|all", OPT_POLICY, C_EXPLORE, S_ANY,
	  "policies to use; 'all' is every preset" },
	{ "policies", 0, "FILE", OPT_POLICIES, C_EXPLORE | BIT(CMD_POLICIES), S_ANY,
	  "define policies from FILE's 'policy NAME = PRESET + knob=value' lines (repeatable)" },
	{ "set", 'o', "KNOB=VALUE", OPT_SET, C_RUN | BIT(CMD_MATRIX), S_ANY,
	  "override a knob of every selected policy (repeatable)" },
	{ "strategy", 's', "dfs|random|pct", OPT_STRATEGY, C_EXPLORE, S_SEARCH,
	  "how to explore (default dfs: every execution class)" },
	{ "bound", 'b', "N", OPT_BOUND, C_EXPLORE, S_DFS,
	  "dfs: at most N preemptions per execution (disables DPOR)" },
	{ "reduction", 0, "dpor|none", OPT_REDUCTION, C_EXPLORE, S_DFS,
	  "dfs: partial-order reduction (default dpor)" },
	{ "runs", 'n', "N", OPT_RUNS, C_EXPLORE, S_SAMPLE,
	  "random, pct: executions to run" },
	{ "seed", 0, "S", OPT_SEED, C_EXPLORE, S_SAMPLE,
	  "random, pct: random seed" },
	{ "depth", 'd', "D", OPT_DEPTH, C_EXPLORE, BIT(EXPLORE_PCT),
	  "pct: bug depth (D-1 priority change points)" },
	{ "max-execs", 0, "N", OPT_MAX_EXECS, C_EXPLORE, S_SEARCH,
	  "stop after N executions; the result is then not complete" },
	{ "max-steps", 0, "N", OPT_MAX_STEPS, C_EXPLORE, S_ANY,
	  "cut an execution off after N steps (then not complete)" },
	{ "timeout", 0, "S", OPT_TIMEOUT, C_EXPLORE, S_ANY,
	  "stop each exploration after S seconds (then not complete)" },
	{ "stop-at-witness", 0, NULL, OPT_STOP_AT_WITNESS, C_RUN | BIT(CMD_MATRIX), S_SEARCH,
	  "stop once the Observation is Sometimes; counts are then partial" },
	{ "progress", 0, NULL, OPT_PROGRESS, C_EXPLORE, S_ANY,
	  "print progress lines on stderr even when it is not a terminal" },
	{ "replay", 'r', "S", OPT_REPLAY, C_RUN, S_ANY,
	  "run only the schedule S of a Witness line, or a prefix of it (one test, one policy)" },
	{ "trace", 't', "[=flat]", OPT_TRACE, C_RUN, S_ANY,
	  "print the witness as a timeline after its block; =flat: one event per line" },
	{ "trace-json", 0, "FILE", OPT_TRACE_JSON, C_RUN, S_ANY,
	  "write the (last) witness as Chrome/Perfetto trace-event JSON" },
	{ "expect-never", 0, NULL, OPT_EXPECT_NEVER, C_RUN, S_ANY,
	  "exit 1 when any test under any policy is not Never" },
	{ "jobs", 'j', "N", OPT_JOBS, BIT(CMD_CHECK), S_ANY,
	  "check N files at a time in worker processes, 1 to 64" },
	{ "assumptions", 0, NULL, OPT_ASSUMPTIONS, C_RUN, S_ANY,
	  "print the modelling assumptions that shape a verdict and exit" },
	/* -o is --set elsewhere: a short name resolves within the command. */
	{ "output", 'o', "FILE", OPT_OUTPUT, BIT(CMD_REPORT), S_ANY,
	  "write the HTML report to FILE ('-': stdout); required" },
	{ "help", 'h', NULL, OPT_HELP, C_ALL, S_ANY,
	  "print this help and exit" },
};

/**
 * struct cli - one invocation
 * @cmd:          the command
 * @seen:         BIT(enum opt_id) of each option given
 * @help:         --help was given: print the command's help, do nothing else
 * @opts:         exploration options for litmus_run()
 * @sel:          presets chosen with --policy, no duplicates (room for all)
 * @nr_sel:       entries in @sel
 * @sets:         the -o KNOB=VALUE arguments, in order (room for argc)
 * @nr_sets:      entries in @sets
 * @trace_flat:   --trace=flat: one event per line instead of the timeline
 * @json_path:    --trace-json FILE
 * @json:         @json_path, open for writing while tests run
 * @json_buf:     the JSON of the last witness traced
 * @json_len:     its length
 * @out_path:     report: --output FILE, "-" for stdout
 * @args:         FILE and DIR arguments, in order (room for argc)
 * @nr_args:      entries in @args
 * @paths:        litmus files found from @args
 * @nr_paths:     entries in @paths
 * @max_paths:    room in @paths
 * @tests:        the parsed tests, one per path (check: NULL for a path
 *                that did not parse)
 * @nr_tests:     entries in @tests
 * @errs:         check: the one-line error of each path that did not parse
 * @jobs:         check -j: files checked at a time
 * @status:       exit status so far (EXIT_SUCCESS or EXIT_MISMATCH)
 * @progress:     print progress lines on stderr
 * @tty:          stderr is a terminal: progress lines overwrite each other
 * @interrupted:  an exploration was interrupted (SIGINT): stop, exit 130
 */
struct cli {
	enum cmd cmd;
	unsigned int seen;
	bool help;
	struct explore_opts opts;
	const struct policy **sel;
	int nr_sel;
	const char **sets;
	int nr_sets;
	bool trace_flat;
	const char *json_path;
	FILE *json;
	char *json_buf;
	size_t json_len;
	const char *out_path;
	const char **args;
	int nr_args;
	char **paths;
	int nr_paths;
	int max_paths;
	struct litmus_test **tests;
	int nr_tests;
	char **errs;
	int jobs;
	int status;
	bool progress;
	bool tty;
	bool interrupted;
};

/* Replace what would break the one-line rule (newlines, control bytes). */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* "@where: error: message" on one line of stderr. Return: EXIT_USAGE. */
static int err_line(const char *where, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	one_line(msg);
	fprintf(stderr, "%s: error: %s\n", where, msg);
	return EXIT_USAGE;
}

/* "pinlab: error: ..." on one line of stderr. Return: EXIT_USAGE. */
static __printf(1, 2) int cli_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = err_line("pinlab", fmt, ap);
	va_end(ap);
	return ret;
}

/* "FILE:LINE:COL: error: ..." on one line of stderr, as the parser reports. Return: EXIT_USAGE. */
static __printf(4, 5) int located_err(const char *path, int line, size_t col,
				      const char *fmt, ...)
{
	char where[PATH_MAX + 32];
	va_list ap;
	int ret;

	snprintf(where, sizeof(where), "%s:%d:%zu", path, line, col);
	va_start(ap, fmt);
	ret = err_line(where, fmt, ap);
	va_end(ap);
	return ret;
}

static int out_of_memory(void)
{
	return cli_err("out of memory");
}

/* ---- help ---- */

/* " (default N)" for the numeric options, from explore_opts_default(). */
static void opt_default(const struct cli_opt *o, char *buf, size_t len)
{
	struct explore_opts d;
	unsigned long long v;

	explore_opts_default(&d);
	switch (o->id) {
	case OPT_RUNS:
		v = d.runs;
		break;
	case OPT_SEED:
		v = d.seed;
		break;
	case OPT_DEPTH:
		v = d.pct_depth;
		break;
	case OPT_MAX_STEPS:
		v = d.max_steps;
		break;
	case OPT_JOBS:
		v = 1;
		break;
	default:
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, " (default %llu)", v);
}

static void help_options(FILE *f, enum cmd cmd)
{
	const struct cli_opt *o;
	char left[64], dflt[32];
	size_t i;

	fprintf(f, "\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(cli_opts); i++) {
		o = &cli_opts[i];
		if (!(o->cmds & BIT(cmd)))
			continue;
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 o->abbr ? '-' : ' ', o->abbr ? o->abbr : ' ',
			 o->abbr ? ", " : "  ", o->name, o->arg && *o->arg != '[' ? " " : "",
			 o->arg ? o->arg : "");
		opt_default(o, dflt, sizeof(dflt));
		fprintf(f, "  %-30s %s%s\n", left, o->help, dflt);
	}
}

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

/* ---- argument parsing ---- */

/* Parse @s as a decimal in [@lo, @hi] for option @o. Return: 0 or EXIT_USAGE. */
static int parse_num(const struct cli_opt *o, const char *s, u64 lo, u64 hi,
		     u64 *out)
{
	unsigned long long v;
	char *end;

	if (*s == '-')
		return cli_err("--%s: negative value '%s'", o->name, s);
	if (!isdigit((unsigned char)*s))
		return cli_err("--%s expects a number, got '%s'", o->name, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return cli_err("--%s expects a number, got '%s'", o->name, s);
	if (errno == ERANGE || v > hi)
		return cli_err("--%s: %s is too large (at most %llu)", o->name, s,
			       (unsigned long long)hi);
	if (v < lo)
		return cli_err("--%s: %s is too small (at least %llu)", o->name, s,
			       (unsigned long long)lo);
	*out = v;
	return 0;
}

/* The presets' names, "a, b, c", for error messages. */
static void preset_list(char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < policy_nr_listed() && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 policy_listed(i)->name);
}

static int unknown_policy(const char *name)
{
	char presets[MSG_MAX / 2];

	preset_list(presets, sizeof(presets));
	return cli_err("unknown policy '%s' (presets: %s)", name, presets);
}

/* Add preset @p to the selection unless it is there already. */
static int select_policy(struct cli *c, const struct policy *p)
{
	int i;

	for (i = 0; i < c->nr_sel; i++)
		if (c->sel[i] == p)
			return 0;
	c->sel[c->nr_sel++] = p;
	return 0;
}

/* One name of a --policy list: a preset or "all". */
static int select_name(struct cli *c, const char *name)
{
	const struct policy *p;
	int i, ret;

	if (!strcmp(name, "all")) {
		for (i = 0; i < policy_nr_listed(); i++) {
			ret = select_policy(c, policy_listed(i));
			if (ret)
				return ret;
		}
		return 0;
	}
	p = policy_find(name);
	if (!p)
		return unknown_policy(name);
	return select_policy(c, p);
}

/* --policy P[,P...]|all; an empty name is an error. */
static int opt_policy(struct cli *c, const char *list)
{
	char *copy, *rest, *name;
	int ret = 0;

	copy = strdup(list);
	if (!copy)
		return out_of_memory();
	rest = copy;
	while (rest && !ret) {
		name = strsep(&rest, ",");
		if (!*name)
			ret = cli_err("--policy '%s': empty policy name", list);
		else
			ret = select_name(c, name);
	}
	free(copy);
	return ret;
}

/* -o KNOB=VALUE: checked now against a scratch policy, applied per run. */
static int opt_set(struct cli *c, const char *assign)
{
	struct policy scratch = *policy_preset(0);
	char err[MSG_MAX / 2];

	if (policy_set_knob(&scratch, assign, err, sizeof(err)))
		return cli_err("-o %s: %s", assign, err);
	c->sets[c->nr_sets++] = assign;
	return 0;
}

/*
 * Every -o applied together to every preset, as the runs will: the name
 * the overrides are appended to may overflow for some presets only, and that
 * must be a usage error before any output, not in the middle of a run.
 */
static int check_sets(const struct cli *c)
{
	struct policy p;
	char err[MSG_MAX / 2];
	int i, j;

	for (i = 0; i < policy_nr_listed(); i++) {
		p = *policy_listed(i);
		for (j = 0; j < c->nr_sets; j++)
			if (policy_set_knob(&p, c->sets[j], err, sizeof(err)))
				return cli_err("-o %s: %s", c->sets[j], err);
	}
	return 0;
}

static int opt_strategy(struct cli *c, const char *s)
{
	if (!strcmp(s, "dfs"))
		c->opts.strategy = EXPLORE_DFS;
	else if (!strcmp(s, "random"))
		c->opts.strategy = EXPLORE_RANDOM;
	else if (!strcmp(s, "pct"))
		c->opts.strategy = EXPLORE_PCT;
	else
		return cli_err("unknown strategy '%s' (dfs, random, pct)", s);
	return 0;
}

static int opt_reduction(struct cli *c, const char *s)
{
	if (!strcmp(s, "dpor"))
		c->opts.reduction = REDUCTION_DPOR;
	else if (!strcmp(s, "none"))
		c->opts.reduction = REDUCTION_NONE;
	else
		return cli_err("unknown reduction '%s' (dpor, none)", s);
	return 0;
}

/* The options that take a number. */
static int opt_number(struct cli *c, const struct cli_opt *o, const char *val)
{
	u64 v;
	int ret;

	switch (o->id) {
	case OPT_BOUND:
		ret = parse_num(o, val, 0, EXPLORE_BOUND_MAX, &v);
		c->opts.bound = (int)v;
		break;
	case OPT_RUNS:
		ret = parse_num(o, val, 1, UINT64_MAX, &c->opts.runs);
		break;
	case OPT_SEED:
		ret = parse_num(o, val, 0, UINT64_MAX, &c->opts.seed);
		break;
	case OPT_DEPTH:
		ret = parse_num(o, val, 1, EXPLORE_PCT_DEPTH_MAX, &v);
		c->opts.pct_depth = (int)v;
		break;
	case OPT_MAX_EXECS:
		ret = parse_num(o, val, 0, UINT64_MAX, &c->opts.max_execs);
		break;
	case OPT_TIMEOUT:
		ret = parse_num(o, val, 1, EXPLORE_TIMEOUT_MAX, &v);
		c->opts.timeout = (u32)v;
		break;
	case OPT_JOBS:
		ret = parse_num(o, val, 1, JOBS_MAX, &v);
		c->jobs = (int)v;
		break;
	default:	/* OPT_MAX_STEPS */
		ret = parse_num(o, val, 1, EXPLORE_STEPS_MAX, &v);
		c->opts.max_steps = (u32)v;
		break;
	}
	return ret;
}

/* Apply option @o with value @val (NULL for options without one). */
static int apply_opt(struct cli *c, const struct cli_opt *o, const char *val)
{
	switch (o->id) {
	case OPT_POLICY:
		return opt_policy(c, val);
	case OPT_SET:
		return opt_set(c, val);
	case OPT_STRATEGY:
		return opt_strategy(c, val);
	case OPT_REDUCTION:
		return opt_reduction(c, val);
	case OPT_REPLAY:
		if (!*val)
			return cli_err("--replay expects a schedule");
		c->opts.replay = val;
		return 0;
	case OPT_TRACE_JSON:
		if (!*val)
			return cli_err("--trace-json expects a file name");
		c->json_path = val;
		return 0;
	case OPT_OUTPUT:
		if (!*val)
			return cli_err("--output expects a file name (or '-' for stdout)");
		c->out_path = val;
		return 0;
	case OPT_STOP_AT_WITNESS:
		c->opts.stop_at_witness = true;
		return 0;
	case OPT_PROGRESS:
		c->progress = true;
		return 0;
	case OPT_TRACE:
		if (val && strcmp(val, "flat"))
			return cli_err("--trace takes no value or '=flat', not '%s'", val);
		c->trace_flat = val != NULL;
		return 0;
	case OPT_EXPECT_NEVER:
	case OPT_POLICIES:	/* loaded before the other options: load_policies() */
		return 0;
	case OPT_HELP:
	case OPT_ASSUMPTIONS:
		c->help = true;
		return 0;
	default:
		return opt_number(c, o, val);
	}
}

/* Option @o is called @name (@len bytes), long or (len 1, @abbr) short. */
static bool opt_named(const struct cli_opt *o, const char *name, size_t len, bool abbr)
{
	if (abbr)
		return o->abbr && o->abbr == name[0];
	return strlen(o->name) == len && !strncmp(o->name, name, len);
}

/*
 * The option called @name: the one that applies to @cmd first (-o is
 * --output for report, --set elsewhere), else any, for the error message.
 */
static const struct cli_opt *opt_lookup(const char *name, size_t len, bool abbr,
					enum cmd cmd)
{
	const struct cli_opt *o, *any = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cli_opts); i++) {
		o = &cli_opts[i];
		if (!opt_named(o, name, len, abbr))
			continue;
		if (o->cmds & BIT(cmd))
			return o;
		if (!any)
			any = o;
	}
	return any;
}

/*
 * Find the option argv[*i] names and its value: "--name value",
 * "--name=value", "-x value" or "-xvalue".  Advances *i past a separate value.
 */
static int opt_split(enum cmd cmd, int argc, char **argv, int *i,
		     const struct cli_opt **po, const char **pval)
{
	const char *arg = argv[*i], *val = NULL;
	bool is_long = arg[1] == '-';
	const char *name = arg + (is_long ? 2 : 1);
	size_t len = is_long ? strcspn(name, "=") : 1;
	const struct cli_opt *o = opt_lookup(name, len, !is_long, cmd);

	if (!o)
		return cli_err("unknown option '%.*s'", (int)(len + (is_long ? 2 : 1)), arg);
	if (name[len])
		val = name + len + (is_long ? 1 : 0);
	if (!o->arg && val)
		return cli_err("option '%.*s' takes no value", (int)(len + (is_long ? 2 : 1)), arg);
	if (o->arg && !val && *o->arg != '[') {	/* "[=VALUE]": only with '=' */
		if (*i + 1 >= argc)
			return cli_err("option '%s' needs a value (%s)", arg, o->arg);
		val = argv[++*i];
	}
	*po = o;
	*pval = val;
	return 0;
}

/* How messages name @o: "--bound", but "-o" as everybody writes it (but report's). */
static void opt_label(const struct cli_opt *o, enum cmd cmd, char *buf, size_t len)
{
	if (o->id == OPT_SET && cmd != CMD_REPORT)
		snprintf(buf, len, "-o");
	else
		snprintf(buf, len, "--%s", o->name);
}

/* Parse and apply the option at argv[*i]. */
static int parse_opt(struct cli *c, int argc, char **argv, int *i)
{
	const struct cli_opt *o = NULL;
	const char *val = NULL;
	char label[32];
	int ret;

	ret = opt_split(c->cmd, argc, argv, i, &o, &val);
	if (ret)
		return ret;
	opt_label(o, c->cmd, label, sizeof(label));
	if (!(o->cmds & BIT(c->cmd)))
		return cli_err("option '%s' does not apply to '%s'", label,
			       cmd_names[c->cmd]);
	if ((c->seen & BIT(o->id)) && o->id != OPT_POLICY && o->id != OPT_SET &&
	    o->id != OPT_POLICIES)
		return cli_err("option '%s' given twice", label);
	c->seen |= BIT(o->id);
	return apply_opt(c, o, val);
}

/* The command argv[1] names; -h, --help, -V and --version count as commands. */
static int parse_cmd(struct cli *c, const char *arg)
{
	int i;

	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		c->cmd = CMD_HELP;
		return 0;
	}
	if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
		c->cmd = CMD_VERSION;
		return 0;
	}
	for (i = 0; i < CMD_NR; i++) {
		if (cmd_names[i] && i != CMD_VERSION && !strcmp(arg, cmd_names[i])) {
			c->cmd = i;
			return 0;
		}
	}
	if (arg[0] == '-')
		return cli_err("expected a command before '%s' (try 'pinlab --help')", arg);
	return cli_err("unknown command '%s' (try 'pinlab --help')", arg);
}

/* Options and arguments, in any order; "--" ends the options. */
static int parse_args(struct cli *c, int argc, char **argv)
{
	bool dashdash = false;
	int i, ret;

	if (argc < 2 || !argv[1])
		return cli_err("no command given (try 'pinlab --help')");
	ret = parse_cmd(c, argv[1]);
	for (i = 2; i < argc && !ret; i++) {
		if (!dashdash && !strcmp(argv[i], "--"))
			dashdash = true;
		else if (!dashdash && argv[i][0] == '-' && argv[i][1])
			ret = parse_opt(c, argc, argv, &i);
		else
			c->args[c->nr_args++] = argv[i];
	}
	return ret;
}

/* ---- checks across options ---- */

/* An option given that does not go with the chosen strategy. */
static int check_strategy(const struct cli *c)
{
	static const char *const names[] = {
		[EXPLORE_DFS] = "--strategy dfs",
		[EXPLORE_RANDOM] = "--strategy random",
		[EXPLORE_PCT] = "--strategy pct",
		[EXPLORE_REPLAY] = "--replay",
	};
	enum explore_strategy s = c->opts.strategy;
	bool dflt = s == EXPLORE_DFS && !(c->seen & BIT(OPT_STRATEGY));
	char label[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cli_opts); i++) {
		if (!(c->seen & BIT(cli_opts[i].id)) || (cli_opts[i].strats & BIT(s)))
			continue;
		opt_label(&cli_opts[i], c->cmd, label, sizeof(label));
		return cli_err("option '%s' cannot be used with %s%s", label,
			       names[s], dflt ? " (the default)" : "");
	}
	return 0;
}

/* A --replay string must parse and fit in --max-steps before anything runs. */
static int check_replay(const struct cli *c)
{
	u32 max = c->opts.max_steps, n;
	u8 *sched;
	int ret = 0;

	if (!c->opts.replay)
		return 0;
	sched = malloc(max);
	if (!sched)
		return out_of_memory();
	if (replay_parse(c->opts.replay, sched, max, &n))
		ret = cli_err("--replay '%s': not a schedule of at most --max-steps %u steps "
			      "(PID or PIDxCOUNT, joined by ',')", c->opts.replay, max);
	free(sched);
	return ret;
}

/* Options that contradict each other. */
static int check_opts(struct cli *c)
{
	int ret;

	if (c->opts.replay) {
		c->opts.strategy = EXPLORE_REPLAY;
		c->opts.replay_complete = true;	/* a prefix, or another policy's witness */
	}
	ret = check_strategy(c);
	if (!ret)
		ret = check_sets(c);
	if (ret)
		return ret;
	if ((c->seen & BIT(OPT_BOUND)) && (c->seen & BIT(OPT_REDUCTION)) &&
	    c->opts.reduction == REDUCTION_DPOR)
		return cli_err("option '--reduction dpor' cannot be used with --bound %s",
			       "(a bound disables DPOR)");
	if (c->cmd == CMD_VERSION && c->nr_args)
		return cli_err("--version takes no arguments");
	if (c->opts.replay && c->nr_sel > 1)
		return cli_err("--replay runs one policy, %d given", c->nr_sel);
	ret = check_replay(c);
	if (ret)
		return ret;
	if ((BIT(c->cmd) & C_EXPLORE) && !c->nr_args)
		return cli_err("no litmus file given (try 'pinlab %s --help')",
			       cmd_names[c->cmd]);
	if (c->cmd == CMD_REPORT && !c->out_path)
		return cli_err("report needs -o FILE (or -o - for stdout)");
	return 0;
}

/* ---- finding and parsing the tests ---- */

static int add_path(struct cli *c, const char *path)
{
	char **v = c->paths;
	int cap = c->max_paths;

	if (c->nr_paths == cap) {
		cap = cap ? 2 * cap : 16;
		v = cap > 0 ? reallocarray(v, cap, sizeof(*v)) : NULL;
		if (!v)
			return out_of_memory();
		c->paths = v;
		c->max_paths = cap;
	}
	v[c->nr_paths] = strdup(path);
	if (!v[c->nr_paths])
		return out_of_memory();
	c->nr_paths++;
	return 0;
}

static bool is_litmus_name(const char *name)
{
	size_t n = strlen(name), s = strlen(".litmus");

	return n > s && !strcmp(name + n - s, ".litmus");
}

static int walk_dir(struct cli *c, const char *dir, int depth);

/* One directory entry: a *.litmus file is taken, a directory walked. */
static int walk_entry(struct cli *c, const char *dir, const char *name,
		      int depth)
{
	bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
	struct stat st;
	char *path;
	int ret = 0;

	if (name[0] == '.')
		return 0;
	if (asprintf(&path, "%s%s%s", dir, slash ? "" : "/", name) < 0)
		return out_of_memory();
	if (lstat(path, &st))
		ret = cli_err("%s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		ret = walk_dir(c, path, depth + 1);
	else if (is_litmus_name(name) && !stat(path, &st) && S_ISREG(st.st_mode))
		ret = add_path(c, path);
	free(path);
	return ret;
}

/* Collect the *.litmus files under @dir; symbolic links to directories are not followed. */
static int walk_dir(struct cli *c, const char *dir, int depth)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (depth > WALK_DEPTH_MAX)
		return cli_err("%s: directories nested too deep", dir);
	d = opendir(dir);
	if (!d)
		return cli_err("%s: %s", dir, strerror(errno));
	while (!ret && (de = readdir(d)))
		ret = walk_entry(c, dir, de->d_name, depth);
	closedir(d);
	return ret;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A FILE argument is taken as is; a DIR gives its *.litmus files, sorted. */
static int collect_arg(struct cli *c, const char *arg)
{
	int first = c->nr_paths, ret;
	struct stat st;

	if (stat(arg, &st))
		return cli_err("%s: %s", arg, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return add_path(c, arg);
	ret = walk_dir(c, arg, 0);
	if (ret)
		return ret;
	if (c->nr_paths == first)
		return cli_err("%s: no .litmus files in this directory", arg);
	qsort(c->paths + first, c->nr_paths - first, sizeof(*c->paths), cmp_path);
	return 0;
}

static int collect_paths(struct cli *c)
{
	int i, ret;

	for (i = 0; i < c->nr_args; i++) {
		ret = collect_arg(c, c->args[i]);
		if (ret)
			return ret;
	}
	if (c->opts.replay && c->nr_paths > 1)
		return cli_err("--replay runs one test, %d given", c->nr_paths);
	return 0;
}

/*
 * Parse path @i into c->tests[i], or leave that NULL and print why on one
 * line of stderr, also kept in @err.  Return: 0 or EXIT_USAGE.
 */
static int parse_one(struct cli *c, int i, char *err, size_t len)
{
	err[0] = '\0';
	if (!litmus_parse_file(c->paths[i], &c->tests[i], err, len) &&
	    !litmus_check_modelled(c->tests[i], err, len))
		return 0;
	litmus_free(c->tests[i]);
	c->tests[i] = NULL;
	if (!err[0])
		snprintf(err, len, "%s: cannot be read", c->paths[i]);
	one_line(err);
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

/*
 * Parse every path.  run and matrix stop at the first that does not parse
 * (exit 2, nothing on stdout); check keeps its error for a "not ok" point.
 */
static int parse_tests(struct cli *c)
{
	char err[MSG_MAX];
	int i;

	c->tests = calloc(c->nr_paths, sizeof(*c->tests));
	c->errs = calloc(c->nr_paths, sizeof(*c->errs));
	if (!c->tests || !c->errs)
		return out_of_memory();
	for (i = 0; i < c->nr_paths; i++) {
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

/* ---- running ---- */

/* @preset with every -o override applied, into @out. */
static int make_policy(const struct cli *c, const struct policy *preset,
		       struct policy *out)
{
	char err[MSG_MAX / 2];
	int i;

	*out = *preset;
	for (i = 0; i < c->nr_sets; i++)
		if (policy_set_knob(out, c->sets[i], err, sizeof(err)))
			return cli_err("-o %s: %s", c->sets[i], err);
	return 0;
}

/**
 * struct progress_ctx - what the progress lines of one exploration name
 * @test:   the test's name
 * @policy: the policy's name
 * @tty:    stderr is a terminal: each line overwrites the one before
 */
struct progress_ctx {
	const char *test;
	const char *policy;
	bool tty;
};

/* The explorer's progress hook: one line on stderr, or clear it when done. */
static void progress_line(void *arg, const struct explore_progress *p)
{
	const struct progress_ctx *pc = arg;
	double rate = p->elapsed > 0 ? p->executions / p->elapsed : 0;

	if (p->done) {
		if (pc->tty)
			fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "%spinlab: %s under %s: %llu executions, %.0f/s, %.1f s, depth %u%s",
		pc->tty ? "\r" : "", pc->test, pc->policy,
		(unsigned long long)p->executions, rate, p->elapsed, p->depth,
		pc->tty ? "\033[K" : "\n");
}

/*
 * litmus_run() with the failure reported on one line of stderr; with
 * @stop_at_witness it may stop once the Observation is Sometimes.
 */
static int run_one(struct cli *c, const struct litmus_test *t,
		   const struct policy *p, bool stop_at_witness, struct lt_result *r)
{
	bool want_trace = (c->seen & BIT(OPT_TRACE)) || c->json_path ||
			  c->cmd == CMD_REPORT;
	struct progress_ctx pc = { t->name, p->name, c->tty };
	struct explore_opts o = c->opts;
	unsigned int flags;
	int ret;

	if (c->progress) {
		o.progress = progress_line;
		o.progress_arg = &pc;
		o.progress_every = c->tty ? PROGRESS_TTY : PROGRESS_LOG;
	}
	o.stop_at_witness |= stop_at_witness;
	memset(r, 0, sizeof(*r));
	flags = want_trace ? LT_RUN_TRACE : 0;
	if (c->cmd == CMD_RUN || c->cmd == CMD_REPORT)	/* they show witnesses */
		flags |= LT_RUN_SIMPLEST;
	ret = litmus_run(t, p, &o, flags, r);
	if (ret) {
		cli_err("%s under %s: %s", t->name, p->name, explore_error());
		lt_result_free(r);
		return ret;
	}
	if (r->stats.interrupted)
		c->interrupted = true;
	return 0;
}

/* Keep the trace-event JSON of @r; the file gets the last one at the end. */
static int json_keep(struct cli *c, const struct lt_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int ret;

	if (!m)
		return out_of_memory();
	ret = report_trace_json(m, r);
	if (fclose(m) || ret) {
		free(buf);
		return out_of_memory();
	}
	free(c->json_buf);
	c->json_buf = buf;
	c->json_len = len;
	return 0;
}

/* A --replay that could not be followed to its end: say where and why, on stderr. */
static void replay_note(const struct lt_result *r)
{
	if (!r->stats.replay_diverged)
		return;
	fprintf(stderr, "pinlab: warning: %s under %s: the replay string diverged at step %u "
		"(%s); the default scheduler chose the rest: %s\n", r->test->name,
		r->policy->name, r->stats.replay_followed, r->stats.replay_why,
		r->replayed ? r->replayed : "?");
}

/* Run @t under preset @preset and print its block (and trace). */
static int run_policy(struct cli *c, const struct litmus_test *t,
		      const struct policy *preset)
{
	struct policy p;
	struct lt_result r;
	int ret;

	ret = make_policy(c, preset, &p);
	if (ret)
		return ret;
	if (run_one(c, t, &p, false, &r))
		return EXIT_USAGE;
	report_herd(stdout, &r);
	fflush(stdout);
	report_vacuous(stderr, &r);
	replay_note(&r);
	if ((c->seen & BIT(OPT_TRACE)) && (r.witness || r.replayed))
		(c->trace_flat ? report_trace_flat : report_trace)(stdout, &r);
	if (c->json && (r.witness || r.replayed))
		ret = json_keep(c, &r);
	if ((c->seen & BIT(OPT_EXPECT_NEVER)) && r.verdict != LV_NEVER)
		c->status = EXIT_MISMATCH;
	lt_result_free(&r);
	return ret;
}

/* The presets @t's Result: comment names, else mainline; none unknown. */
static int default_policies(const struct litmus_test *t,
			    const struct policy **v, int *n)
{
	const struct policy *p;
	int i, j;

	*n = 0;
	for (i = 0; i < t->nr_expect; i++) {
		p = t->expect[i].policy ? litmus_policy(t, t->expect[i].policy) : NULL;
		if (!p)
			return cli_err("%s:%u:%u: Result: names unknown policy '%s' (use --policy)",
				       t->path, t->expect[i].loc.line,
				       t->expect[i].loc.col,
				       t->expect[i].policy ? t->expect[i].policy : "?");
		for (j = 0; j < *n && v[j] != p; j++)
			;
		if (j == *n)
			v[(*n)++] = p;
	}
	if (!*n) {
		p = policy_find("mainline");
		v[(*n)++] = p ? p : policy_preset(0);
	}
	return 0;
}

/* run: each test under the --policy selection or its own policies. */
static int run_test(struct cli *c, const struct litmus_test *t)
{
	const struct policy **v = c->sel;
	int i, n = c->nr_sel, ret = 0;

	if (!n) {
		v = calloc(t->nr_expect + 1, sizeof(*v));
		if (!v)
			return out_of_memory();
		ret = default_policies(t, v, &n);
		if (!ret && c->opts.replay && n > 1)
			ret = cli_err("--replay runs one policy; %s names %d (use --policy)",
				      t->name, n);
	}
	for (i = 0; i < n && !ret && !c->interrupted; i++)
		ret = run_policy(c, t, v[i]);
	if (v != c->sel)
		free(v);
	return ret;
}

/* Write the kept JSON, or an empty trace when no witness was found. */
static int json_write(struct cli *c)
{
	static const char empty[] = "{\"traceEvents\":[]}\n";
	const char *buf = c->json_buf ? c->json_buf : empty;
	size_t len = c->json_buf ? c->json_len : strlen(empty);
	bool bad = fwrite(buf, 1, len, c->json) != len;

	bad |= fclose(c->json) != 0;
	c->json = NULL;
	if (bad)
		return cli_err("%s: %s", c->json_path, strerror(errno));
	return 0;
}

static int cmd_run(struct cli *c)
{
	int i, ret = 0;

	if (c->json_path) {
		c->json = fopen(c->json_path, "w");
		if (!c->json)
			return cli_err("%s: %s", c->json_path, strerror(errno));
	}
	for (i = 0; i < c->nr_tests && !ret && !c->interrupted; i++)
		ret = run_test(c, c->tests[i]);
	if (c->json && json_write(c) && !ret)
		ret = EXIT_USAGE;
	if (!ret && c->interrupted)
		return EXIT_INTERRUPTED;
	return ret ? ret : c->status;
}

/* ---- check ---- */

/**
 * struct tap_counts - the kselftest totals of some TAP points
 * @pass:        ok points
 * @fail:        not ok points: a verdict other than the one expected, or
 *               Never/Always from an incomplete exploration
 * @skip:        ok points with "# SKIP"
 * @error:       not ok points that could not be checked: the file did not
 *               parse, the run failed or was interrupted, a worker died
 * @interrupted: SIGINT stopped a point; nothing after it was run
 */
struct tap_counts {
	int pass;
	int fail;
	int skip;
	int error;
	bool interrupted;
};

static int tap_points(const struct tap_counts *k)
{
	return k->pass + k->fail + k->skip + k->error;
}

static void tap_add(struct tap_counts *to, const struct tap_counts *k)
{
	to->pass += k->pass;
	to->fail += k->fail;
	to->skip += k->skip;
	to->error += k->error;
	to->interrupted |= k->interrupted;
}

/*
 * @s in a TAP line: control characters as '?'; in a description (@desc)
 * '#' is escaped, since an unescaped one starts the directive.
 */
static void tap_put(FILE *f, const char *s, bool desc)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', f);
		else if (desc && (*s == '#' || *s == '\\'))
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

/* After a failed test point with a witness: how to look at it. */
static void tap_hint(FILE *f, const struct litmus_test *t,
		     const struct lt_result *r)
{
	if (r->witness)
		fprintf(f, "#   see: pinlab run --policy %s --replay %s --trace %s\n",
			r->policy->name, r->witness, t->path);
}

static bool selected(const struct cli *c, const char *name)
{
	int i;

	if (!c->nr_sel)
		return true;
	for (i = 0; i < c->nr_sel && name; i++)
		if (!strcmp(c->sel[i]->name, name))
			return true;
	return false;
}

/*
 * The TAP points of file @i: one for a file that did not parse, one for a
 * test without Result: pairs, else one per Result: pair of the --policy
 * selection (none when it selects none of them).
 */
static int file_points(const struct cli *c, int i)
{
	const struct litmus_test *t = c->tests[i];
	int j, n = 0;

	if (!t || !t->nr_expect)
		return 1;
	for (j = 0; j < t->nr_expect; j++)
		n += selected(c, t->expect[j].policy);
	return n;
}

/* "ok N - NAME [POLICY] # SKIP reason" */
static void skip_line(FILE *f, int n, const char *name, const char *pname,
		      const char *why)
{
	fprintf(f, "ok %d - %s%s%s # SKIP ", n, name, pname ? " " : "",
		pname ? pname : "");
	tap_put(f, why, false);
	fputc('\n', f);
}

/*
 * "ok N - NAME [POLICY] # SKIP reason" for each point of @t: it has no
 * Result: pairs, or a Skip: comment parks it.
 */
static void check_skip(const struct cli *c, FILE *f, int n,
		       const struct litmus_test *t, struct tap_counts *k)
{
	const char *why = t->skip ? t->skip : "no Result: annotation";
	int j;

	if (!t->nr_expect) {
		skip_line(f, n, t->name, NULL, why);
		k->skip++;
		return;
	}
	for (j = 0; j < t->nr_expect; j++) {
		if (!selected(c, t->expect[j].policy))
			continue;
		skip_line(f, n++, t->name, t->expect[j].policy, why);
		k->skip++;
	}
}

/*
 * "not ok" for each point of file @i, because of @why (one line): it did
 * not parse, or the worker that checked it died.
 */
static void check_error(const struct cli *c, FILE *f, int i, int n,
			const char *why, struct tap_counts *k)
{
	const struct litmus_test *t = c->tests[i];
	int j;

	if (!t || !t->nr_expect) {
		fprintf(f, "not ok %d - ", n);
		tap_put(f, t ? t->name : c->paths[i], true);
		fputs(" # ", f);
		tap_put(f, why, false);
		fputc('\n', f);
		k->error++;
		return;
	}
	for (j = 0; j < t->nr_expect; j++) {
		if (!selected(c, t->expect[j].policy))
			continue;
		report_tap_fail(f, n++, t->name, t->expect[j].policy, why);
		k->error++;
	}
}

/*
 * One test point: @t under the policy its Result: pair @e names.  A point
 * expected Sometimes stops at its first witness and counter-example; Never
 * and Always need every execution, so they never stop early.
 */
static void check_one(struct cli *c, FILE *f, int n,
		      const struct litmus_test *t, const struct lt_expect *e,
		      struct tap_counts *k)
{
	const struct policy *p = e->policy ? litmus_policy(t, e->policy) : NULL;
	struct lt_result r;
	char why[MSG_MAX];

	if (!p) {
		snprintf(why, sizeof(why), "%s:%u:%u: unknown policy",
			 t->path, e->loc.line, e->loc.col);
		report_tap_fail(f, n, t->name, e->policy, why);
		k->error++;
		return;
	}
	if (run_one(c, t, p, e->verdict == LV_SOMETIMES, &r)) {
		snprintf(why, sizeof(why), "run failed: %s", explore_error());
		one_line(why);
		report_tap_fail(f, n, t->name, p->name, why);
		k->error++;
		return;
	}
	if (report_tap_line(f, n, &r, e->verdict)) {
		k->pass++;
	} else if (r.stats.interrupted) {
		k->error++;
	} else {
		k->fail++;
		tap_hint(f, t, &r);
	}
	k->interrupted |= r.stats.interrupted;
	lt_result_free(&r);
}

/**
 * check_file() - the TAP points of file @i, numbered from @n, into @f
 * @c: the invocation
 * @f: where the lines go (stdout, or a worker's pipe)
 * @i: index into c->paths and c->tests
 * @n: the number of its first point
 * @k: counts, updated
 *
 * Stops after a point that SIGINT interrupted (@k->interrupted).
 */
static void check_file(struct cli *c, FILE *f, int i, int n,
		       struct tap_counts *k)
{
	const struct litmus_test *t = c->tests[i];
	char why[MSG_MAX];
	int j;

	if (!t) {
		snprintf(why, sizeof(why), "parse error: %s", c->errs[i]);
		check_error(c, f, i, n, why, k);
		return;
	}
	if (t->skip || !t->nr_expect) {
		check_skip(c, f, n, t, k);
		return;
	}
	for (j = 0; j < t->nr_expect && !k->interrupted; j++)
		if (selected(c, t->expect[j].policy))
			check_one(c, f, n++, t, &t->expect[j], k);
}

/* Each file in turn, in this process. */
static void check_serial(struct cli *c, const int *first, struct tap_counts *k)
{
	int i;

	for (i = 0; i < c->nr_tests && !k->interrupted; i++) {
		check_file(c, stdout, i, first[i], k);
		fflush(stdout);
	}
}

/* ---- check -j: a worker process per file, output in file order ---- */

/**
 * struct worker - the child process that checks one file for check -j
 * @pid:    its process id; 0 until it starts
 * @fd:     read end of the pipe it writes to; -1 when closed
 * @out:    what it wrote: its TAP lines, then its struct tap_counts
 * @len:    bytes in @out
 * @cap:    room in @out
 * @status: its wait status, once @done
 * @err:    errno when it could not be started, else 0
 * @done:   it was reaped (or never started): @out is complete
 */
struct worker {
	pid_t pid;
	int fd;
	char *out;
	size_t len;
	size_t cap;
	int status;
	int err;
	bool done;
};

/**
 * struct pool - the workers of check -j, at most c->jobs at a time
 * @w:         one per file, in order
 * @started:   workers started so far (they start in file order)
 * @running:   started and not reaped
 * @stop:      start no more (SIGINT, or a file printed as interrupted)
 * @forwarded: SIGINT was passed on to the running workers
 * @mask:      the signal mask without SIGINT blocked: SIGINT is blocked
 *             but while waiting in ppoll(), so that none goes unseen
 */
struct pool {
	struct worker *w;
	int started;
	int running;
	bool stop;
	bool forwarded;
	sigset_t mask;
};

static volatile sig_atomic_t sigint_seen;	/* set by on_sigint() */

static void on_sigint(int sig)
{
	(void)sig;
	sigint_seen = 1;
	explore_interrupt();
}

/*
 * A worker's SIGINT: stop the exploration, however many times it comes
 * (from the terminal and forwarded by the parent); the parent dies at the
 * second one and the worker's next write ends it.
 */
static void worker_signals(void)
{
	struct sigaction sa = {
		.sa_handler = on_sigint,
		.sa_flags = SA_RESTART,
	};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* The child: check file @i into the pipe @fd, the counts last; never returns. */
static __noreturn void worker_main(struct cli *c, struct pool *pl, int i,
				   int fd, int n)
{
	struct tap_counts k = { 0 };
	FILE *f;
	int j;

	worker_signals();
	sigprocmask(SIG_SETMASK, &pl->mask, NULL);
	for (j = 0; j < pl->started; j++)
		if (pl->w[j].fd >= 0)
			close(pl->w[j].fd);
	f = fdopen(fd, "w");
	if (!f)
		_exit(EXIT_USAGE);
	check_file(c, f, i, n, &k);
	fwrite(&k, sizeof(k), 1, f);
	_exit(fclose(f) ? EXIT_USAGE : 0);
}

/* Start the worker of the next file; one that cannot start is done at once. */
static void pool_start(struct cli *c, struct pool *pl, const int *first)
{
	struct worker *w = &pl->w[pl->started];
	int fds[2];

	if (pipe(fds)) {
		w->err = errno;
		w->done = true;
		pl->started++;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	w->pid = fork();
	if (!w->pid)
		worker_main(c, pl, pl->started, fds[1], first[pl->started]);
	close(fds[1]);
	if (w->pid < 0) {
		w->err = errno;
		w->done = true;
		close(fds[0]);
	} else {
		w->fd = fds[0];
		pl->running++;
	}
	pl->started++;
}

/* Room for more of @w's output. Return: 0 or -ENOMEM. */
static int worker_room(struct worker *w)
{
	size_t cap = w->cap ? 2 * w->cap : 4096;
	char *p;

	if (w->len < w->cap)
		return 0;
	p = realloc(w->out, cap);
	if (!p)
		return -ENOMEM;
	w->out = p;
	w->cap = cap;
	return 0;
}

/* Read what worker @w wrote; at the end of its output, reap it. */
static void pool_read(struct pool *pl, struct worker *w)
{
	ssize_t got = -1;

	if (worker_room(w)) {
		w->err = ENOMEM;
	} else {
		got = read(w->fd, w->out + w->len, w->cap - w->len);
		if (got < 0 && errno == EINTR)
			return;
		if (got > 0) {
			w->len += got;
			return;
		}
		if (got < 0)
			w->err = errno;
	}
	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
		;
	w->done = true;
	pl->running--;
}

/* SIGINT came to pinlab: start nothing more, pass it on once. */
static void pool_interrupt(struct pool *pl)
{
	int i;

	pl->stop = true;
	if (pl->forwarded)
		return;
	pl->forwarded = true;
	for (i = 0; i < pl->started; i++)
		if (!pl->w[i].done && pl->w[i].pid > 0)
			kill(pl->w[i].pid, SIGINT);
}

/* Wait until a running worker has written something or ended. */
static void pool_wait(struct pool *pl)
{
	struct pollfd fds[JOBS_MAX];
	struct worker *ws[JOBS_MAX];
	int i, n = 0;

	for (i = 0; i < pl->started && n < JOBS_MAX; i++) {
		if (pl->w[i].done)
			continue;
		fds[n].fd = pl->w[i].fd;
		fds[n].events = POLLIN;
		ws[n++] = &pl->w[i];
	}
	if (ppoll(fds, n, NULL, &pl->mask) < 0)
		return;		/* EINTR: the caller looks at sigint_seen */
	for (i = 0; i < n; i++)
		if (fds[i].revents)
			pool_read(pl, ws[i]);
}

/*
 * Print file @i's lines as its worker wrote them, or, when it failed, a
 * "not ok" for each of its points.
 */
static void pool_print(struct cli *c, struct worker *w, int i, int n,
		       struct tap_counts *k)
{
	struct tap_counts wk;
	char why[MSG_MAX];
	size_t len;

	if (!w->err && WIFEXITED(w->status) && !WEXITSTATUS(w->status) &&
	    w->len >= sizeof(wk)) {
		len = w->len - sizeof(wk);
		memcpy(&wk, w->out + len, sizeof(wk));
		fwrite(w->out, 1, len, stdout);
		tap_add(k, &wk);
	} else if (w->err) {
		snprintf(why, sizeof(why), "worker failed: %s", strerror(w->err));
		check_error(c, stdout, i, n, why, k);
	} else if (WIFSIGNALED(w->status)) {
		snprintf(why, sizeof(why), "worker killed by signal %d",
			 WTERMSIG(w->status));
		check_error(c, stdout, i, n, why, k);
	} else {
		snprintf(why, sizeof(why), "worker exited with status %d",
			 WEXITSTATUS(w->status));
		check_error(c, stdout, i, n, why, k);
	}
	fflush(stdout);
}

static void pool_free(struct pool *pl, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(pl->w[i].out);
	free(pl->w);
}

/**
 * check_parallel() - check every file in worker processes, c->jobs at a time
 * @c:     the invocation
 * @first: the number of each file's first point
 * @k:     counts, updated
 *
 * The output is the serial one byte for byte: each worker writes its file's
 * lines to a pipe and they are printed in file order.  After SIGINT, or a
 * file printed as interrupted, nothing more starts and what the running
 * workers wrote after that file is dropped, as serially it would not have
 * run.  Return: 0, or EXIT_USAGE when out of memory.
 */
static int check_parallel(struct cli *c, const int *first, struct tap_counts *k)
{
	struct pool pl = { .w = calloc(c->nr_tests, sizeof(*pl.w)) };
	sigset_t sigint;
	int i, next = 0;

	if (!pl.w)
		return out_of_memory();
	for (i = 0; i < c->nr_tests; i++)
		pl.w[i].fd = -1;
	sigemptyset(&sigint);
	sigaddset(&sigint, SIGINT);
	sigprocmask(SIG_BLOCK, &sigint, &pl.mask);
	for (;;) {
		if (sigint_seen || k->interrupted)
			pool_interrupt(&pl);
		while (!pl.stop && pl.running < c->jobs && pl.started < c->nr_tests)
			pool_start(c, &pl, first);
		if (!k->interrupted && next < pl.started && pl.w[next].done) {
			pool_print(c, &pl.w[next], next, first[next], k);
			next++;
		} else if (pl.running) {
			pool_wait(&pl);
		} else {
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &pl.mask, NULL);
	pool_free(&pl, c->nr_tests);
	return 0;
}

/* kselftest's closing lines; after SIGINT, a Bail out! as the last. */
static void check_end(const struct tap_counts *k)
{
	if (k->interrupted)
		printf("# interrupted: the points after %d were not run\n",
		       tap_points(k));
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d\n",
	       k->pass, k->fail, k->skip, k->error);
	if (k->interrupted)
		printf("Bail out! interrupted\n");
}

static int cmd_check(struct cli *c)
{
	struct tap_counts k = { 0 };
	int *first = calloc(c->nr_tests + 1, sizeof(*first));
	int i, total, ret = 0;

	if (!first)
		return out_of_memory();
	first[0] = 1;
	for (i = 0; i < c->nr_tests; i++)
		first[i + 1] = first[i] + file_points(c, i);
	total = first[c->nr_tests] - 1;
	printf("TAP version 13\n1..%d%s\n", total,
	       total ? "" : " # SKIP no Result: pair of the selected policies");
	if (c->jobs > 1)
		ret = check_parallel(c, first, &k);
	else
		check_serial(c, first, &k);
	free(first);
	if (ret)
		return ret;
	k.interrupted |= sigint_seen && tap_points(&k) < total;
	check_end(&k);
	if (k.interrupted)
		return EXIT_INTERRUPTED;
	return k.fail || k.error ? EXIT_MISMATCH : 0;
}

/* ---- matrix ---- */

/* The columns: the --policy selection or every preset, with -o applied. */
static int matrix_policies(const struct cli *c, struct policy *cols, int *n)
{
	int i, ret;

	*n = c->nr_sel ? c->nr_sel : policy_nr_listed();
	for (i = 0; i < *n; i++) {
		ret = make_policy(c, c->nr_sel ? c->sel[i] : policy_listed(i),
				  &cols[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * struct table - every test under every column, as matrix and report run them
 * @cols:    the columns' policies
 * @nr_cols: entries in @cols
 * @cells:   c->nr_tests * @nr_cols cells, row after row
 * @results: report: each cell's result, its witness traced (zeroed for a cell
 *           that failed or was not run); NULL for matrix, which keeps none
 */
struct table {
	struct policy *cols;
	int nr_cols;
	struct matrix_cell *cells;
	struct lt_result *results;
};

/* Cell @i: the run of its test under its column, kept in @tb->results if any. */
static void table_cell(struct cli *c, struct table *tb, int i)
{
	struct matrix_cell *cell = &tb->cells[i];
	struct lt_result r;

	if (c->interrupted) {
		cell->skipped = true;
		return;
	}
	if (run_one(c, c->tests[i / tb->nr_cols], &tb->cols[i % tb->nr_cols], false, &r)) {
		cell->failed = true;
		return;
	}
	cell->verdict = r.verdict;
	cell->complete = r.stats.complete;
	if (tb->results)
		tb->results[i] = r;
	else
		lt_result_free(&r);
}

/* Run every test under every column into @tb's cells; after an interrupt, skip. */
static void matrix_fill(struct cli *c, struct table *tb)
{
	int i;

	for (i = 0; i < c->nr_tests * tb->nr_cols; i++)
		table_cell(c, tb, i);
}

static void table_free(const struct cli *c, struct table *tb)
{
	int i;

	for (i = 0; tb->results && i < c->nr_tests * tb->nr_cols; i++)
		lt_result_free(&tb->results[i]);
	free(tb->results);
	free(tb->cells);
	free(tb->cols);
	memset(tb, 0, sizeof(*tb));
}

/* The columns, then every test under each (@keep: keeping the results). */
static int table_run(struct cli *c, struct table *tb, bool keep)
{
	size_t nr_cells;
	int ret;

	memset(tb, 0, sizeof(*tb));
	tb->nr_cols = max_t(int, c->nr_sel, policy_nr_listed());
	tb->cols = calloc(tb->nr_cols, sizeof(*tb->cols));
	if (!tb->cols)
		return out_of_memory();
	ret = matrix_policies(c, tb->cols, &tb->nr_cols);
	if (ret)
		return ret;
	nr_cells = (size_t)c->nr_tests * tb->nr_cols;
	tb->cells = calloc(nr_cells ? nr_cells : 1, sizeof(*tb->cells));
	if (keep)
		tb->results = calloc(nr_cells ? nr_cells : 1, sizeof(*tb->results));
	if (!tb->cells || (keep && !tb->results))
		return out_of_memory();
	matrix_fill(c, tb);
	return 0;
}

/* @tb as report_matrix() takes it; @names gets room for the columns' names. */
static int table_matrix(const struct cli *c, const struct table *tb,
			const char ***names, struct matrix *m)
{
	int i;

	*names = calloc(tb->nr_cols ? tb->nr_cols : 1, sizeof(**names));
	if (!*names)
		return out_of_memory();
	for (i = 0; i < tb->nr_cols; i++)
		(*names)[i] = tb->cols[i].name;
	*m = (struct matrix) {
		.tests = (const struct litmus_test *const *)c->tests,
		.nr_tests = c->nr_tests,
		.policies = *names,
		.nr_policies = tb->nr_cols,
		.cells = tb->cells,
	};
	return 0;
}

static int matrix_print(const struct cli *c, const struct table *tb)
{
	const char **names;
	struct matrix m;
	int bad, ret = table_matrix(c, tb, &names, &m);

	if (ret)
		return ret;
	bad = report_matrix(stdout, &m);
	free(names);
	return bad ? EXIT_MISMATCH : 0;
}

static int cmd_matrix(struct cli *c)
{
	struct table tb;
	int ret = table_run(c, &tb, false);

	if (!ret)
		ret = matrix_print(c, &tb);
	if (c->interrupted && ret != EXIT_USAGE)
		ret = EXIT_INTERRUPTED;
	table_free(c, &tb);
	return ret;
}

/* ---- report ---- */

/* "2026-12-01 23:30:00 UTC", when the report is made. */
static void report_date(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "unknown");
}

/* The page of @tb into @out.  Return: 0, EXIT_MISMATCH ('!' cells) or EXIT_USAGE. */
static int report_write(const struct cli *c, const struct table *tb, FILE *out)
{
	struct report_page page = {
		.results = tb->results,
		.cols = tb->cols,
		.version = VERSION_LINE,
		.args = c->args,
		.nr_args = c->nr_args,
	};
	char date[64], text[32];
	const char **names;
	struct matrix m;
	int i, bad = 0, ret = table_matrix(c, tb, &names, &m);

	if (ret)
		return ret;
	report_date(date, sizeof(date));
	page.m = &m;
	page.date = date;
	ret = report_html(out, &page) ? EXIT_USAGE : 0;
	for (i = 0; i < c->nr_tests * tb->nr_cols; i++)
		bad |= report_cell_text(&m, i / tb->nr_cols, i % tb->nr_cols, text,
					sizeof(text));
	free(names);
	return ret ? ret : (bad ? EXIT_MISMATCH : 0);
}

/* Close the report's file; a failed write removes it rather than leave half a page. */
static int report_close(const struct cli *c, FILE *out, int ret)
{
	if (out == stdout)
		return ret;
	if (fclose(out) && ret != EXIT_USAGE)
		ret = EXIT_USAGE;
	if (ret == EXIT_USAGE) {
		cli_err("%s: %s", c->out_path, "could not write the report");
		unlink(c->out_path);
	}
	return ret;
}

/* report: the matrix and every witness as one HTML page in -o FILE. */
static int cmd_report(struct cli *c)
{
	bool to_stdout = !strcmp(c->out_path, "-");
	FILE *out = to_stdout ? stdout : fopen(c->out_path, "w");
	struct table tb;
	int ret;

	if (!out)
		return cli_err("%s: %s", c->out_path, strerror(errno));
	ret = table_run(c, &tb, true);
	if (!ret)
		ret = report_write(c, &tb, out);
	ret = report_close(c, out, ret);
	if (c->interrupted && ret != EXIT_USAGE)
		ret = EXIT_INTERRUPTED;
	table_free(c, &tb);
	return ret;
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

/* ---- diff ---- */

/* @t under both selected policies; report_diff() of the two.  Return: 0, 1 or 2. */
static int diff_test(struct cli *c, const struct litmus_test *t)
{
	struct lt_result r[2];
	struct policy p[2];
	int i, n, ret = 0;

	for (i = 0; i < 2 && !ret; i++) {
		ret = make_policy(c, c->sel[i], &p[i]);
		if (!ret)
			ret = run_one(c, t, &p[i], false, &r[i]);
	}
	if (ret) {
		if (i == 2)
			lt_result_free(&r[0]);
		return ret;
	}
	n = c->interrupted ? 0 : report_diff(stdout, &r[0], &r[1]);
	lt_result_free(&r[0]);
	lt_result_free(&r[1]);
	return n ? 1 : 0;
}

static int cmd_diff(struct cli *c)
{
	int i, ret, status = 0;

	if (c->nr_sel != 2)
		return cli_err("diff compares two policies: give --policy A,B");
	for (i = 0; i < c->nr_tests && !c->interrupted; i++) {
		ret = diff_test(c, c->tests[i]);
		if (ret > 1)
			return ret;
		status |= ret;
	}
	return c->interrupted ? EXIT_INTERRUPTED : status;
}

/* ---- explain ---- */

/* The Observation of @t under @p, '?' appended when it is unproven. */
static int explain_verdict(struct cli *c, const struct litmus_test *t,
			   const struct policy *p, char *buf, size_t len,
			   struct mm_cost *cost)
{
	struct lt_result r;
	int ret;

	ret = run_one(c, t, p, false, &r);
	if (ret)
		return ret;
	if (cost)
		*cost = r.cost;
	snprintf(buf, len, "%s%s", lt_verdict_name(r.verdict),
		 r.stats.complete || r.verdict == LV_SOMETIMES ? "" : "?");
	lt_result_free(&r);
	return 0;
}

/*
 * "Cost NAME P counter=N ...": what the design did over the whole
 * exploration just run (mm_cost), the counters that are not zero, or
 * "none" -- a Never with "pins_refused" alone is a refusal, not a defence.
 */
static void explain_cost(const struct litmus_test *t, const struct policy *p,
			 const struct mm_cost *cost)
{
	static const struct {
		const char *name;	/* as printed */
		size_t off;		/* offsetof(struct mm_cost, counter) */
	} ctr[] = {
		{ "bounces", offsetof(struct mm_cost, bounces) },
		{ "stable_waits", offsetof(struct mm_cost, stable_waits) },
		{ "wb_waits", offsetof(struct mm_cost, wb_waits) },
		{ "skipped", offsetof(struct mm_cost, skipped) },
		{ "layout_fails", offsetof(struct mm_cost, layout_fails) },
		{ "layout_waits", offsetof(struct mm_cost, layout_waits) },
		{ "lease_breaks", offsetof(struct mm_cost, lease_breaks) },
		{ "revocations", offsetof(struct mm_cost, revocations) },
		{ "cow_reservations", offsetof(struct mm_cost, cow_reservations) },
		{ "pins_refused", offsetof(struct mm_cost, pins_refused) },
	};
	size_t i;
	bool any = false;

	printf("Cost %s %s", t->name, p->name);
	for (i = 0; i < ARRAY_SIZE(ctr); i++) {
		u64 v = *(const u64 *)((const char *)cost + ctr[i].off);

		if (v)
			printf(" %s=%" PRIu64, ctr[i].name, v);
		any |= v != 0;
	}
	printf("%s\n", any ? "" : " none");
}

/* "Flip NAME knob=old->new VERDICT changes|same" for every other value of knob @k. */
static int explain_knob(struct cli *c, const struct litmus_test *t,
			const struct policy *p, int k, const char *base)
{
	int v, cur = policy_knob_get(p, k), ret = 0;
	char assign[64], err[MSG_MAX / 2], verdict[32];
	struct policy q;

	for (v = 0; v < policy_knob_nr_values(k) && !ret && !c->interrupted; v++) {
		if (v == cur)
			continue;
		q = *p;
		snprintf(assign, sizeof(assign), "%s=%s", policy_knob_name(k),
			 policy_knob_value(k, v));
		if (policy_set_knob(&q, assign, err, sizeof(err)))
			return cli_err("%s: %s", assign, err);
		ret = explain_verdict(c, t, &q, verdict, sizeof(verdict), NULL);
		if (!ret)
			printf("Flip %s %s=%s->%s %s %s\n", t->name, policy_knob_name(k),
			       policy_knob_value(k, cur), policy_knob_value(k, v), verdict,
			       strcmp(verdict, base) ? "changes" : "same");
	}
	return ret;
}

static int explain_test(struct cli *c, const struct litmus_test *t)
{
	struct mm_cost cost;
	char base[32];
	struct policy p;
	int k, ret = make_policy(c, c->sel[0], &p);

	if (!ret)
		ret = explain_verdict(c, t, &p, base, sizeof(base), &cost);
	if (ret)
		return ret;
	printf("Explain %s %s %s\n", t->name, p.name, base);
	explain_cost(t, &p, &cost);
	for (k = 0; k < policy_nr_knobs() && !ret && !c->interrupted; k++)
		ret = explain_knob(c, t, &p, k, base);
	putchar('\n');
	return ret;
}

static int cmd_explain(struct cli *c)
{
	int i, ret = 0;

	if (c->nr_sel != 1)
		return cli_err("explain takes one policy: give --policy P");
	for (i = 0; i < c->nr_tests && !ret && !c->interrupted; i++)
		ret = explain_test(c, c->tests[i]);
	if (!ret && c->interrupted)
		return EXIT_INTERRUPTED;
	return ret;
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

static void cli_free(struct cli *c)
{
	int i;

	for (i = 0; i < c->nr_tests; i++)
		litmus_free(c->tests[i]);
	for (i = 0; i < c->nr_paths; i++) {
		free(c->paths[i]);
		if (c->errs)
			free(c->errs[i]);
	}
	free(c->errs);
	if (c->json)
		fclose(c->json);
	free(c->tests);
	free(c->paths);
	free(c->args);
	free(c->sets);
	free(c->sel);
	free(c->json_buf);
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

/* Room for every argument and every preset, so that parsing never reallocates. */
static int cli_init(struct cli *c, int argc)
{
	size_t n = argc > 0 ? argc : 1;

	explore_opts_default(&c->opts);
	c->jobs = 1;
	c->args = calloc(n, sizeof(*c->args));
	c->sets = calloc(n, sizeof(*c->sets));
	c->sel = calloc(policy_nr_listed() + 1, sizeof(*c->sel));
	if (!c->args || !c->sets || !c->sel)
		return out_of_memory();
	return 0;
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
