/* report.h - printers for run results: herd7 block, timeline, trace-event JSON, matrix, TAP. */
#ifndef PINLAB_REPORT_H
#define PINLAB_REPORT_H

#include <stdio.h>

#include <pinlab/run.h>

#define REPORT_WIDTH	100	/* a trace of up to four threads fits this many columns */
#define REPORT_COL_MIN	12	/* narrowest trace column: more threads make the line wider */

int report_herd(FILE *f, const struct lt_result *r);

int report_diff(FILE *f, const struct lt_result *a, const struct lt_result *b);
int report_vacuous(FILE *f, const struct lt_result *r);
int report_trace_lanes(const struct lt_result *r, int *lane);

int report_trace(FILE *f, const struct lt_result *r);

int report_trace_flat(FILE *f, const struct lt_result *r);

void report_column_heading(const struct lt_result *r, int c, char *buf, size_t len);

void report_trace_marks(const struct lt_result *r, u32 i, char *buf, size_t len);

bool report_trace_event(const char **p, char *buf, size_t len);

int report_trace_json(FILE *f, const struct lt_result *r);

/**
 * struct report_json - a trace-event file being written, one process per traced result
 * @f:         where it goes
 * @pid:       the process last added (the first is 1)
 * @nr_events: events written so far: commas go between them
 * @other:     otherData's entries so far, one per process (a memstream)
 * @other_buf: @other's buffer
 * @other_len: its length
 */
struct report_json {
	FILE *f;
	int pid;
	int nr_events;
	FILE *other;
	char *other_buf;
	size_t other_len;
};

int report_json_begin(struct report_json *j, FILE *f);
int report_json_add(struct report_json *j, const struct lt_result *r);
int report_json_end(struct report_json *j);

/**
 * struct matrix_cell - one test under one policy, as report_matrix() shows it
 * @verdict:  the Observation
 * @complete: every execution class was covered (else the cell gets '?')
 * @failed:   litmus_run() failed; the cell reads "error"
 * @skipped:  not run (interrupted before); the cell reads "-"
 */
struct matrix_cell {
	enum lt_verdict verdict;
	bool complete;
	bool failed;
	bool skipped;
};

/**
 * struct matrix - the table report_matrix() prints
 * @tests:       the rows
 * @nr_tests:    entries in @tests
 * @policies:    the column headings: policy names as litmus_run() saw them
 * @nr_policies: entries in @policies
 * @cells:       @nr_tests * @nr_policies cells, row after row
 */
struct matrix {
	const struct litmus_test *const *tests;
	int nr_tests;
	const char *const *policies;
	int nr_policies;
	const struct matrix_cell *cells;
};

int report_matrix(FILE *f, const struct matrix *m);

bool report_expected(const struct litmus_test *t, const char *pname,
		     enum lt_verdict *v);

bool report_tap_line(FILE *f, int n, const struct lt_result *r,
		     enum lt_verdict expected);

void report_tap_fail(FILE *f, int n, const char *test, const char *pname,
		     const char *reason);

bool report_cell_text(const struct matrix *m, int row, int col,
		      char *buf, size_t len);

/**
 * struct report_page - what report_html() puts in one HTML page
 * @m:        the matrix: tests, column names, cells
 * @results:  @m->nr_tests * @m->nr_policies results, row after row, computed
 *	      with LT_RUN_TRACE; zeroed for a cell that failed or was not run
 * @cols:     the policy of each column (@m->nr_policies entries): the knob table
 * @version:  what `pinlab --version` prints
 * @date:     when the report was made, e.g. "2026-12-01 23:30 UTC"
 * @args:     the FILE and DIR arguments, for the heading
 * @nr_args:  entries in @args
 */
struct report_page {
	const struct matrix *m;
	const struct lt_result *results;
	const struct policy *cols;
	const char *version;
	const char *date;
	const char *const *args;
	int nr_args;
};

int report_html(FILE *f, const struct report_page *p);

#endif /* PINLAB_REPORT_H */
