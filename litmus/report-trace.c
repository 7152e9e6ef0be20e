/* report-trace.c - a witness as a timeline of at most 100 columns, or one event per line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <pinlab/report.h>
#include "report-internal.h"

#define TRACE_COLS	(NR_TASKS_MAX + 1)	/* threads, kernel tasks, the epilogue */
#define LINE_MAX_	512			/* one output line, before its end */
#define TEXT_MAX	(LT_STATE_MAX + 64)	/* a cell or a row's text */
#define WRAP_MIN	40			/* a row's text gets at least this much */
#define FLAGS_INDENT	7			/* strlen("Flags: "): where its lines go on */

/*
 * The timeline of report_trace().  Column c < nr_threads shows thread c;
 * the model's own tasks that run beside the threads (the disk, the
 * workqueue's worker, a lease's break timer: tasks past the threads that
 * are not the epilogue) get a column each after them, headed by their
 * comm.  The epilogue runs when every thread has ended: its steps come
 * last, under a heading of their own, in column nr_lanes, which spans the
 * whole line.
 */
struct timeline {
	FILE *f;			/* where it goes */
	const struct lt_result *r;	/* the result whose trace is shown */
	int nr_threads;			/* thread columns */
	int nr_lanes;			/* thread and kernel task columns */
	int lane[NR_TASKS_MAX];		/* per pid its column, -1: the epilogue's */
	int nr_cols;			/* lanes, plus one if the epilogue ran */
	bool in_epilogue;		/* the epilogue's heading has been printed */
	int want[TRACE_COLS];		/* width each column's widest cell asks for */
	int width[TRACE_COLS];		/* width each column gets */
	int start[TRACE_COLS];		/* where each column starts on the line */
	int numw;			/* width of the step number */
	int prefix;			/* where the first column starts */
	const char *note[TRACE_COLS];	/* the statement last shown in each column */
};

/* The column of a step taken by task @pid. */
static int timeline_col(const struct timeline *tl, int pid)
{
	return pid >= 0 && pid < NR_TASKS_MAX && tl->lane[pid] >= 0 ? tl->lane[pid] :
	       tl->nr_lanes;
}

/* Is step @s one of the epilogue's (its task is called so, or has no name)? */
static bool epilogue_step(const struct lt_result *r, const struct trace_step *s)
{
	if (s->pid < min_t(int, r->test->nr_threads, LT_NR_THREADS))
		return false;
	return !s->comm || !strcmp(s->comm, "epilogue");
}

/*
 * The pids of @r's kernel tasks that run beside the threads, ascending,
 * in @pids (room for NR_TASKS_MAX), and for each the comm a step gave it.
 * Return: how many.
 */
static int kernel_lanes(const struct lt_result *r, int *pids, const char **comms)
{
	int n = 0, i, j;
	u32 k;

	for (k = 0; k < r->nr_trace; k++) {
		const struct trace_step *s = &r->trace[k];

		if (s->pid < min_t(int, r->test->nr_threads, LT_NR_THREADS) ||
		    s->pid >= NR_TASKS_MAX || epilogue_step(r, s))
			continue;
		for (i = 0; i < n && pids[i] < s->pid; i++)
			;
		if (i < n && pids[i] == s->pid)
			continue;
		for (j = n; j > i; j--) {
			pids[j] = pids[j - 1];
			comms[j] = comms[j - 1];
		}
		pids[i] = s->pid;
		comms[i] = s->comm;
		n++;
	}
	return n;
}

/**
 * report_column_heading() - the heading of a trace column: "P0(device)", "P1",
 * "disk", "epilogue"
 * @r:   the result
 * @c:   the column: a thread, a kernel task beside them (the disk, a worker,
 *	 a break timer), or the epilogue past them
 * @buf: where it goes
 * @len: its size
 */
void report_column_heading(const struct lt_result *r, int c, char *buf, size_t len)
{
	int nt = min_t(int, r->test->nr_threads, LT_NR_THREADS);
	const char *comms[NR_TASKS_MAX];
	int pids[NR_TASKS_MAX], n;
	const struct lt_thread *th;

	if (c >= nt) {
		n = kernel_lanes(r, pids, comms);
		snprintf(buf, len, "%s", c - nt < n ? comms[c - nt] : "epilogue");
		return;
	}
	th = &r->test->threads[c];
	if (th->label)
		snprintf(buf, len, "P%d(%s)", c, th->label);
	else
		snprintf(buf, len, "P%d", c);
}

/* The name step @i's object has, or NULL. */
static const char *step_obj(const struct lt_result *r, u32 i)
{
	return r->detail && r->detail[i].obj[0] ? r->detail[i].obj : NULL;
}

/* The page states step @i changed, or NULL. */
static const char *step_state(const struct lt_result *r, u32 i)
{
	return r->detail && r->detail[i].state[0] ? r->detail[i].state : NULL;
}

/* The model's decisive events in step @i ("buffers freed A:0"), or NULL. */
static const char *step_events(const struct lt_result *r, u32 i)
{
	return r->detail && r->detail[i].events[0] ? r->detail[i].events : NULL;
}

/* The cell of step @i: "lock_page(A:0)", "kthread", or "-" without a function. */
static void step_cell(const struct lt_result *r, u32 i, char *buf, size_t len)
{
	const struct trace_step *s = &r->trace[i];
	const char *obj = step_obj(r, i);

	if (s->fn && obj)
		snprintf(buf, len, "%s(%s)", s->fn, obj);
	else
		snprintf(buf, len, "%s", s->fn ? s->fn : "-");
}

/* The statement step @i starts, or NULL when its task goes on with the last one. */
static const char *step_starts(struct timeline *tl, u32 i)
{
	const struct trace_step *s = &tl->r->trace[i];
	int c = timeline_col(tl, s->pid);

	if (!s->note || s->note == tl->note[c])
		return NULL;
	tl->note[c] = s->note;
	return s->note;
}

/*
 * Share the line among the columns: each gets what it asks for when all
 * fit in 100 columns; else the narrow ones keep their width and the rest
 * is split evenly among the wide ones, none under REPORT_COL_MIN (so that
 * more than four threads may make the line wider than 100).
 */
static void timeline_share(struct timeline *tl)
{
	int budget = REPORT_WIDTH - tl->prefix - 2 * (tl->nr_lanes - 1);
	int c, left, wide, share;
	bool again = true;

	for (c = 0; c < tl->nr_lanes; c++)
		tl->width[c] = -1;
	while (again) {
		again = false;
		left = budget;
		wide = 0;
		for (c = 0; c < tl->nr_lanes; c++) {
			if (tl->width[c] >= 0)
				left -= tl->width[c];
			else
				wide++;
		}
		share = wide ? max_t(int, left / wide, REPORT_COL_MIN) : 0;
		for (c = 0; c < tl->nr_lanes; c++) {
			if (tl->width[c] < 0 && tl->want[c] <= share) {
				tl->width[c] = tl->want[c];
				again = true;
			}
		}
	}
	for (c = 0; c < tl->nr_lanes; c++)
		if (tl->width[c] < 0)
			tl->width[c] = share;
}

/**
 * report_trace_lanes() - the column of each task's steps in @r's timeline
 * @r:    the result
 * @lane: per pid (NR_TASKS_MAX entries) its column: a thread's number, a
 *	  kernel task's past the threads, or the return value (the epilogue)
 *
 * Return: the number of thread and kernel task columns; the epilogue's
 * column is that number.
 */
int report_trace_lanes(const struct lt_result *r, int *lane)
{
	int nt = min_t(int, r->test->nr_threads, LT_NR_THREADS);
	const char *comms[NR_TASKS_MAX];
	int pids[NR_TASKS_MAX], n, i;

	n = kernel_lanes(r, pids, comms);
	for (i = 0; i < NR_TASKS_MAX; i++)
		lane[i] = i < nt ? i : nt + n;
	for (i = 0; i < n; i++)
		lane[pids[i]] = nt + i;
	return nt + n;
}

/* Which column each task's steps go in: threads, kernel tasks, the epilogue. */
static void timeline_lanes(struct timeline *tl)
{
	int i;

	tl->nr_lanes = report_trace_lanes(tl->r, tl->lane);
	for (i = 0; i < NR_TASKS_MAX; i++)
		if (tl->lane[i] == tl->nr_lanes)
			tl->lane[i] = -1;
}

/* Size the columns of @r's trace. */
static void timeline_init(struct timeline *tl, FILE *f, const struct lt_result *r)
{
	char buf[TEXT_MAX];
	u32 i;
	int c;

	memset(tl, 0, sizeof(*tl));
	tl->f = f;
	tl->r = r;
	tl->nr_threads = min_t(int, r->test->nr_threads, LT_NR_THREADS);
	timeline_lanes(tl);
	tl->nr_cols = tl->nr_lanes;
	for (i = 0; i < r->nr_trace; i++)
		if (timeline_col(tl, r->trace[i].pid) == tl->nr_lanes)
			tl->nr_cols = tl->nr_lanes + 1;
	for (c = 0; c < tl->nr_cols; c++) {
		report_column_heading(r, c, buf, sizeof(buf));
		tl->want[c] = strlen(buf);
	}
	for (i = 0; i < r->nr_trace; i++) {
		c = timeline_col(tl, r->trace[i].pid);
		step_cell(r, i, buf, sizeof(buf));
		tl->want[c] = max_t(int, tl->want[c], strlen(buf));
	}
	snprintf(buf, sizeof(buf), "%u", r->nr_trace ? r->nr_trace - 1 : 0);
	tl->numw = (int)strlen(buf);
	tl->prefix = tl->numw + 3;
	timeline_share(tl);
	tl->start[0] = tl->prefix;
	for (c = 1; c < tl->nr_lanes; c++)
		tl->start[c] = tl->start[c - 1] + tl->width[c - 1] + 2;
	tl->start[tl->nr_lanes] = tl->prefix;
	tl->width[tl->nr_lanes] = REPORT_WIDTH - tl->prefix;
}

/*
 * How much of @s goes on a line of @width: up to the last blank before the
 * width, or, when that would leave the line less than half full, after the
 * last "(" or "|"; all of the width when a word is longer.  Nothing is cut:
 * the rest goes on the next line.
 */
static int wrap_at(const char *s, int width)
{
	int n = (int)strlen(s), i, blank = 0, other = 0;

	if (n <= width)
		return n;
	for (i = 1; i <= width; i++) {
		if (s[i - 1] == ' ')
			blank = i;
		else if (s[i - 1] == '(' || s[i - 1] == '|')
			other = i;
	}
	if (blank > width / 2)
		return blank;
	if (blank || other)
		return max_t(int, blank, other);
	return width;
}

/* How much of cell @s goes on a line of @width: "fn(" first, so that its object stays whole. */
static int wrap_cell(const char *s, int width)
{
	const char *paren = strchr(s, '(');
	int n = (int)strlen(s);

	if (n > width && paren && paren - s < width)
		return paren - s + 1;
	return wrap_at(s, width);
}

/* Print @line without trailing blanks. */
static void line_put(FILE *f, char *line, int n)
{
	while (n > 0 && line[n - 1] == ' ')
		n--;
	fprintf(f, "%.*s\n", n, line);
}

/* Write @n bytes of @s into @line at @at; @end grows to cover them. */
static void line_set(char *line, int *end, int at, const char *s, int n)
{
	if (at + n > LINE_MAX_)
		n = LINE_MAX_ - at;
	if (n <= 0)
		return;
	if (at > *end)
		memset(line + *end, ' ', at - *end);
	memcpy(line + at, s, n);
	*end = max_t(int, *end, at + n);
}

/*
 * A row of its own for @text in column @c: a statement ("> r0 = ..."), a
 * page state ("[A:0 PG_dirty ...]") or a remark.  It starts at the column
 * and wraps at 100; a column too far right for WRAP_MIN characters moves
 * the row left so that it keeps that many.
 */
static void timeline_note(const struct timeline *tl, int c, const char *text)
{
	int at = tl->start[c], width, n;
	char line[LINE_MAX_];
	int end;

	width = REPORT_WIDTH - at;
	if (width < WRAP_MIN) {
		width = WRAP_MIN;
		at = max_t(int, tl->prefix, REPORT_WIDTH - WRAP_MIN);
	}
	while (*text) {
		end = 0;
		n = wrap_at(text, width);
		line_set(line, &end, at, text, n);
		line_put(tl->f, line, end);
		text += n;
		while (*text == ' ')
			text++;
	}
}

/* The heading rows of columns @from to @to - 1: their names, then dashes under them. */
static void timeline_header(const struct timeline *tl, int from, int to)
{
	char buf[TEXT_MAX], line[LINE_MAX_];
	int c, n, end = 0;

	for (c = from; c < to; c++) {
		report_column_heading(tl->r, c, buf, sizeof(buf));
		line_set(line, &end, tl->start[c], buf, strlen(buf));
	}
	line_put(tl->f, line, end);
	end = 0;
	for (c = from; c < to; c++) {
		report_column_heading(tl->r, c, buf, sizeof(buf));
		n = strlen(buf);
		memset(buf, '-', n);
		line_set(line, &end, tl->start[c], buf, n);
	}
	line_put(tl->f, line, end);
}

/* Is step @i the first one the replay string did not choose? */
static bool replay_left_at(const struct lt_result *r, u32 i)
{
	const struct explore_stats *st = &r->stats;

	return (st->replay_diverged || st->replay_completed) && st->replay_followed == i;
}

/**
 * report_trace_marks() - what a trace says at step @i: the condition, the flags raised
 * @r:   the result
 * @i:   the step
 * @buf: "<== condition true", "<== warn: REASON", joined by ", "; "" when none
 * @len: its size
 */
void report_trace_marks(const struct lt_result *r, u32 i, char *buf, size_t len)
{
	const struct flag_report *fr = &r->flags;
	size_t used = 0;
	int fl;

	buf[0] = '\0';
	if (r->mark >= 0 && (u32)r->mark == i)
		used = snprintf(buf, len, "<== condition true");
	if (replay_left_at(r, i))
		used += snprintf(buf + used, len - used, "%s%s%s%s", used ? ", " : "<== ",
				 r->stats.replay_diverged ? "replay diverged: " :
				 "replay string ends", r->stats.replay_diverged ?
				 r->stats.replay_why : "", ": the default scheduler from here");
	for (fl = 0; fl < PLF_NR && used < len; fl++) {
		if (!(fr->mask & BIT(fl)) || fr->step[fl] != i)
			continue;
		used += snprintf(buf + used, len - used, "%s%s%s%s", used ? ", " : "<== ",
				 or_unknown(flag_name(fl)), fr->what[fl] ? ": " : "",
				 fr->what[fl] ? fr->what[fl] : "");
	}
}

/* Did step @i raise a flag? */
static bool step_raised(const struct lt_result *r, u32 i)
{
	int fl;

	for (fl = 0; fl < PLF_NR; fl++)
		if ((r->flags.mask & BIT(fl)) && r->flags.step[fl] == i)
			return true;
	return false;
}

/* Before the step number: '*' where the condition became true, '!' where a flag was raised. */
static const char *step_marker(const struct lt_result *r, u32 i)
{
	if (r->mark >= 0 && (u32)r->mark == i)
		return "*";
	return step_raised(r, i) ? "!" : " ";
}

/* Step @i: its cell wrapped in its column, the marks after it or on a row of their own. */
static void timeline_step(const struct timeline *tl, u32 i)
{
	const struct lt_result *r = tl->r;
	int c = timeline_col(tl, r->trace[i].pid), n, end = 0;
	char cell[TEXT_MAX], marks[TEXT_MAX], num[16], line[LINE_MAX_];
	const char *p = cell;
	bool first = true;

	step_cell(r, i, cell, sizeof(cell));
	report_trace_marks(r, i, marks, sizeof(marks));
	snprintf(num, sizeof(num), "%u", i);
	while (*p || first) {
		end = 0;
		if (first) {
			line_set(line, &end, 0, step_marker(r, i), 1);
			line_set(line, &end, 1 + tl->numw - strlen(num), num, strlen(num));
		}
		n = p == cell ? wrap_cell(p, tl->width[c]) : wrap_at(p, tl->width[c]);
		line_set(line, &end, tl->start[c], p, n);
		p += n;
		if (first && !*p && marks[0] &&
		    end + 2 + (int)strlen(marks) <= REPORT_WIDTH) {
			line_set(line, &end, end + 2, marks, strlen(marks));
			marks[0] = '\0';
		}
		line_put(tl->f, line, end);
		first = false;
	}
	if (marks[0])
		timeline_note(tl, c, marks);
}

/**
 * report_trace_event() - the next line of a step's events
 * @p:    where the events go on (&detail->events at first); moved past the line
 * @buf:  the line: an event ("A:0 refs 3->2") or a statement run without a
 *	  scheduling point ("> put_page(r0)")
 * @len:  its size
 *
 * Return: false when no line is left.
 */
bool report_trace_event(const char **p, char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (!*p || !**p)
		return false;
	nl = strchr(*p, '\n');
	n = nl ? (size_t)(nl - *p) : strlen(*p);
	snprintf(buf, len, "%.*s", (int)min_t(size_t, n, INT_MAX), *p);
	*p += nl ? n + 1 : n;
	return true;
}

/* A row per event of step @i, and one per statement it ran without a scheduling point. */
static void timeline_events(struct timeline *tl, int c, u32 i)
{
	const char *p = step_events(tl->r, i);
	char line[LT_EVENTS_MAX], buf[LT_EVENTS_MAX + 4];

	while (report_trace_event(&p, line, sizeof(line))) {
		snprintf(buf, sizeof(buf), "%s%s", line[0] == '>' ? "" : "= ", line);
		timeline_note(tl, c, buf);
	}
	if (tl->r->detail && tl->r->detail[i].note)
		tl->note[c] = tl->r->detail[i].note;
}

/* The rows of step @i: the statement it starts, the step, its events, the page states it changed. */
static void timeline_row(struct timeline *tl, u32 i)
{
	int c = timeline_col(tl, tl->r->trace[i].pid);
	const char *stmt = step_starts(tl, i), *state = step_state(tl->r, i);
	char buf[TEXT_MAX];

	if (c == tl->nr_lanes && !tl->in_epilogue) {
		timeline_header(tl, c, c + 1);
		tl->in_epilogue = true;
	}
	if (stmt) {
		snprintf(buf, sizeof(buf), "> %s", stmt);
		timeline_note(tl, c, buf);
	}
	timeline_step(tl, i);
	timeline_events(tl, c, i);
	if (state) {
		snprintf(buf, sizeof(buf), "[%s]", state);
		timeline_note(tl, c, buf);
	}
}

/* "Flags: io_error at step 7 (reason), ..." or "Flags: none", wrapped at @wrap (0: never). */
static void print_flags(FILE *f, const struct flag_report *fr, int wrap)
{
	char buf[PLF_NR * (LT_OBJ_MAX + 160)];
	const char *p = buf;
	size_t used = 0;
	int fl, n, m, width = wrap ? wrap : (int)sizeof(buf);

	used = snprintf(buf, sizeof(buf), "Flags:%s", fr->mask ? "" : " none");
	for (fl = 0; fl < PLF_NR && used < sizeof(buf); fl++) {
		if (!(fr->mask & BIT(fl)))
			continue;
		used += snprintf(buf + used, sizeof(buf) - used, "%s %s at step %u%s%s%s",
				 used > strlen("Flags:") ? "," : "", or_unknown(flag_name(fl)),
				 fr->step[fl], fr->what[fl] ? " (" : "",
				 fr->what[fl] ? fr->what[fl] : "", fr->what[fl] ? ")" : "");
	}
	while (*p) {
		n = wrap_at(p, width);
		m = n;
		while (m > 0 && p[m - 1] == ' ')
			m--;
		fprintf(f, "%*s%.*s\n", p == buf ? 0 : FLAGS_INDENT, "", m, p);
		p += n;
		while (*p == ' ')
			p++;
		width = wrap ? wrap - FLAGS_INDENT : (int)sizeof(buf);
	}
}

/**
 * report_trace() - the witness of @r as a timeline, one column per thread
 * @f: where to print
 * @r: a result computed with want_trace
 *
 * Prints a heading, then for each step: a row "> STATEMENT" in its
 * thread's column when the step starts a statement, the step's row (its
 * number, "fn(object)" wrapped in the column; the step where the condition
 * became true marked with '*' and "<== condition true", a step raising a
 * flag with '!' and "<== flag: reason"), a row per event inside the step
 * ("= A:0 refs 3->2") and per statement it ran without a scheduling point
 * ("> put_page(r0)"), and a row "[A:0 PG_dirty ...]" with the page states
 * it changed.  Up to four threads fit in REPORT_WIDTH columns.
 * Then the flags raised with their reasons, and a blank line.
 *
 * Return: 0, -EINVAL when @r has no test, or -EIO when writing to @f failed.
 */
int report_trace(FILE *f, const struct lt_result *r)
{
	struct timeline tl;
	u32 i;

	if (!r->test)
		return -EINVAL;
	fprintf(f, "Trace %s %s %s\n", test_name(r), policy_name(r),
		or_unknown(r->witness ? r->witness : r->replayed));
	if (r->trace && r->nr_trace) {
		timeline_init(&tl, f, r);
		timeline_header(&tl, 0, tl.nr_lanes);
		for (i = 0; i < r->nr_trace; i++)
			timeline_row(&tl, i);
	} else {
		fputs("(no steps recorded)\n", f);
	}
	print_flags(f, &r->flags, REPORT_WIDTH);
	fputc('\n', f);
	return report_status(f);
}

/* @s, or "-" for a field that is empty. */
static const char *field(const char *s)
{
	return s && *s ? s : "-";
}

/* The thread field of step @i: "P0", a kernel task's comm, "epilogue". */
static void flat_col(const struct lt_result *r, u32 i, char *buf, size_t len)
{
	const struct trace_step *s = &r->trace[i];

	if (s->pid < min_t(int, r->test->nr_threads, LT_NR_THREADS))
		snprintf(buf, len, "P%d", s->pid);
	else
		snprintf(buf, len, "%s", epilogue_step(r, s) ? "epilogue" : s->comm);
}

/*
 * One line per event of step @i after the step's own: the step number and
 * thread again, no function or object, the statement it happened in (one
 * the step ran into without a scheduling point, else the step's), and
 * "= EVENT" in the state field.
 */
static void flat_events(FILE *f, const struct lt_result *r, u32 i, const char *col)
{
	const char *p = step_events(r, i);
	char line[LT_EVENTS_MAX], stmt[LT_EVENTS_MAX];

	snprintf(stmt, sizeof(stmt), "%s", field(r->trace[i].note));
	while (report_trace_event(&p, line, sizeof(line))) {
		if (line[0] == '>') {
			snprintf(stmt, sizeof(stmt), "%s", line + 2);
			fprintf(f, "%u\t%s\t-\t-\t%s\t-\t-\n", i, col, stmt);
			continue;
		}
		fprintf(f, "%u\t%s\t-\t-\t%s\t= %s\t-\n", i, col, stmt, line);
	}
}

/* One line per step: step, thread, fn, object, statement, state, marks; then its events. */
static void flat_step(FILE *f, const struct lt_result *r, u32 i)
{
	const struct trace_step *s = &r->trace[i];
	char col[TEXT_MAX], marks[TEXT_MAX];
	const char *m;

	flat_col(r, i, col, sizeof(col));
	report_trace_marks(r, i, marks, sizeof(marks));
	m = strncmp(marks, "<== ", 4) ? marks : marks + 4;
	fprintf(f, "%u\t%s\t%s\t%s\t%s\t%s\t%s\n", i, col, field(s->fn),
		field(step_obj(r, i)), field(s->note), field(step_state(r, i)), field(m));
	flat_events(f, r, i, col);
}

/**
 * report_trace_flat() - the witness of @r one event per line, for grep and diff
 * @f: where to print
 * @r: a result computed with want_trace
 *
 * The "Trace NAME POLICY REPLAY" line, then one line per step of seven
 * fields joined by tabs: step number, thread ("P0", a kernel task's comm
 * such as "disk", or "epilogue"),
 * kernel function, object, litmus statement, the page states the step
 * changed, and its marks ("condition true", "warn: REASON"), "-" for an
 * empty field, each followed by its events' lines (flat_events()); then
 * the Flags line unwrapped, and a blank line.
 *
 * Return: 0, -EINVAL when @r has no test, or -EIO when writing to @f failed.
 */
int report_trace_flat(FILE *f, const struct lt_result *r)
{
	u32 i;

	if (!r->test)
		return -EINVAL;
	fprintf(f, "Trace %s %s %s\n", test_name(r), policy_name(r),
		or_unknown(r->witness ? r->witness : r->replayed));
	for (i = 0; r->trace && i < r->nr_trace; i++)
		flat_step(f, r, i);
	print_flags(f, &r->flags, 0);
	fputc('\n', f);
	return report_status(f);
}
