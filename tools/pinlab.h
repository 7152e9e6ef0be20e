/* pinlab.h - private to tools/: struct cli and what the pinlab command's files share. */
#ifndef PINLAB_TOOLS_PINLAB_H
#define PINLAB_TOOLS_PINLAB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <pinlab/explore.h>
#include <pinlab/litmus.h>
#include <pinlab/policy.h>
#include <pinlab/report.h>
#include <pinlab/run.h>

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

enum opt_id {
	OPT_POLICY,
	OPT_POLICIES,
	OPT_SET,
	OPT_STRATEGY,
	OPT_BOUND,
	OPT_REDUCTION,
	OPT_CACHE,
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
 * @json_out:     the writer of @json, one process per witness traced, while tests run
 * @out_path:     report: --output FILE, "-" for stdout
 * @args:         FILE and DIR arguments, in order (room for argc)
 * @nr_args:      entries in @args
 * @paths:        litmus files found from @args (litmus_collect())
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
	struct report_json json_out;
	const char *out_path;
	const char **args;
	int nr_args;
	struct lt_paths paths;
	struct litmus_test **tests;
	int nr_tests;
	char **errs;
	int jobs;
	int status;
	bool progress;
	bool tty;
	bool interrupted;
};

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

/* tools/cli.c */
void one_line(char *s);
__printf(1, 2) int cli_err(const char *fmt, ...);
__printf(4, 5) int located_err(const char *path, int line, size_t col,
			       const char *fmt, ...);
int out_of_memory(void);
void help_options(FILE *f, enum cmd cmd);
int unknown_policy(const char *name);
int parse_args(struct cli *c, int argc, char **argv);
int check_opts(struct cli *c);
void cli_free(struct cli *c);
int cli_init(struct cli *c, int argc);

/* tools/run.c */
int make_policy(const struct cli *c, const struct policy *preset,
		struct policy *out);
int run_one(struct cli *c, const struct litmus_test *t,
	    const struct policy *p, bool stop_at_witness, struct lt_result *r);

/* tools/collect.c */
int collect_paths(struct cli *c);
int parse_tests(struct cli *c);

/* tools/cmd-check.c */
int cmd_check(struct cli *c);

/* tools/cmd-matrix.c */
void table_free(const struct cli *c, struct table *tb);
int table_run(struct cli *c, struct table *tb, bool keep);
int table_matrix(const struct cli *c, const struct table *tb,
		 const char ***names, struct matrix *m);
int cmd_matrix(struct cli *c);

/* tools/cmd-report.c */
int cmd_report(struct cli *c);

/* tools/cmd-run.c */
int cmd_run(struct cli *c);

/* tools/cmd-diff.c */
int cmd_diff(struct cli *c);

/* tools/cmd-explain.c */
int cmd_explain(struct cli *c);

/* tools/cmd-policies.c */
int cmd_policies(const struct cli *c);

/* tools/cmd-help.c */
void help_cmd(FILE *f, enum cmd cmd);
int cmd_help(const struct cli *c);

/* tools/pinlab.c */
extern const char *const cmd_names[CMD_NR];
extern volatile sig_atomic_t sigint_seen;
void on_sigint(int sig);

#endif /* PINLAB_TOOLS_PINLAB_H */
