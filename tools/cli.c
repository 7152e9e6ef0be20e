/* cli.c - the pinlab command line: the option table, parsing, checks across options, shared helpers. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinlab.h"

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
	{ "cache", 0, NULL, OPT_CACHE, C_EXPLORE, S_DFS,
	  "dfs: cut paths at visited states (litmus tests without files); implies --reduction none" },
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
 * one_line() - keep a message on one line
 * @s: the message, changed in place
 *
 * Replaces what would break the one-line rule of error messages: newlines
 * and other control bytes.
 */
void one_line(char *s)
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

/**
 * cli_err() - print "pinlab: error: ..." on one line of stderr
 * @fmt: printf() format of the message
 *
 * Return: EXIT_USAGE, for the caller to return.
 */
__printf(1, 2) int cli_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = err_line("pinlab", fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * located_err() - print "FILE:LINE:COL: error: ..." on one line of stderr
 * @path: the file
 * @line: its line, from 1
 * @col:  the column, from 1
 * @fmt:  printf() format of the message
 *
 * The form the litmus parser reports its errors in.
 * Return: EXIT_USAGE.
 */
__printf(4, 5) int located_err(const char *path, int line, size_t col,
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

/**
 * out_of_memory() - report a failed allocation as cli_err() does
 *
 * Return: EXIT_USAGE.
 */
int out_of_memory(void)
{
	return cli_err("out of memory");
}

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

/**
 * help_options() - print the "Options:" part of a command's help
 * @f:   where to
 * @cmd: the command, whose options are listed in table order
 */
void help_options(FILE *f, enum cmd cmd)
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

/**
 * unknown_policy() - report a policy name that is neither a preset nor defined
 * @name: the name given
 *
 * Return: EXIT_USAGE.
 */
int unknown_policy(const char *name)
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
	case OPT_CACHE:
		c->opts.cache = true;
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

/**
 * parse_args() - fill @c from the command line
 * @c:    the invocation, from cli_init()
 * @argc: main()'s
 * @argv: main()'s
 *
 * Options and arguments in any order; "--" ends the options.
 * Return: 0 or EXIT_USAGE, the error printed.
 */
int parse_args(struct cli *c, int argc, char **argv)
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

/* --cache implies --reduction none; DPOR and a bound are not sound with it. */
static int check_cache(struct cli *c)
{
	if (!c->opts.cache)
		return 0;
	if ((c->seen & BIT(OPT_REDUCTION)) && c->opts.reduction == REDUCTION_DPOR)
		return cli_err("option '--reduction dpor' cannot be used with --cache %s",
			       "(the state cache needs plain DFS)");
	if (c->seen & BIT(OPT_BOUND))
		return cli_err("option '--bound' cannot be used with --cache %s",
			       "(a state reached with fewer preemptions left is not explored alike)");
	c->opts.reduction = REDUCTION_NONE;
	return 0;
}

/**
 * check_opts() - refuse options that contradict each other
 * @c: the invocation, parsed
 *
 * Return: 0 or EXIT_USAGE, the error printed.
 */
int check_opts(struct cli *c)
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
	ret = check_cache(c);
	if (ret)
		return ret;
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

/**
 * cli_free() - free what an invocation holds, and close its --trace-json file
 * @c: the invocation
 */
void cli_free(struct cli *c)
{
	int i;

	for (i = 0; i < c->nr_tests; i++)
		litmus_free(c->tests[i]);
	for (i = 0; c->errs && i < c->paths.n; i++)
		free(c->errs[i]);
	free(c->errs);
	if (c->json)
		fclose(c->json);
	free(c->tests);
	lt_paths_free(&c->paths);
	free(c->args);
	free(c->sets);
	free(c->sel);
}

/**
 * cli_init() - an invocation with the defaults
 * @c:    the invocation, zeroed
 * @argc: main()'s
 *
 * Room for every argument and every preset, so that parsing never
 * reallocates.
 * Return: 0 or EXIT_USAGE.
 */
int cli_init(struct cli *c, int argc)
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
