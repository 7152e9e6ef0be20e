/* report-json.c - witnesses as one Chrome/Perfetto trace-event file: a process per (test, policy), a lane per thread. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinlab/report.h>
#include "report-internal.h"

#define CELL_MAX	256			/* a JSON name */
#define JSON_STEP_US	10			/* duration of one step in the JSON */

/* @s as a JSON string, or null. */
static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Start an event object of process @j->pid with the fields every event has. */
static void json_event(struct report_json *j, const char *ph, const char *name, int tid)
{
	fputs(j->nr_events++ ? ",\n" : "\n", j->f);
	fprintf(j->f, "{\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"name\":", ph, j->pid, tid);
	json_str(j->f, name);
}

/* A metadata event naming the process (tid -1 is ignored) or a thread. */
static void json_meta(struct report_json *j, const char *what, int tid, const char *name)
{
	json_event(j, "M", what, tid < 0 ? 0 : tid);
	fputs(",\"args\":{\"name\":", j->f);
	json_str(j->f, name);
	fputs("}}", j->f);
}

/* The process and thread names: a thread per timeline column, the epilogue's when it ran. */
static void json_names(struct report_json *j, const struct lt_result *r)
{
	int c, lane[NR_TASKS_MAX], nr_lanes = report_trace_lanes(r, lane);
	int nr_cols = nr_lanes;
	char buf[CELL_MAX];
	u32 i;

	for (i = 0; r->trace && i < r->nr_trace; i++)
		if (r->trace[i].pid >= NR_TASKS_MAX || lane[r->trace[i].pid] == nr_lanes)
			nr_cols = nr_lanes + 1;
	snprintf(buf, sizeof(buf), "%s under %s", test_name(r), policy_name(r));
	json_meta(j, "process_name", -1, buf);
	for (c = 0; c < nr_cols; c++) {
		report_column_heading(r, c, buf, sizeof(buf));
		json_meta(j, "thread_name", c, buf);
	}
}

/* The timeline column of the task that took step @i. */
static int json_tid(const struct lt_result *r, const int *lane, int nr_lanes, u32 i)
{
	int pid = r->trace[i].pid;

	return pid < NR_TASKS_MAX ? lane[pid] : nr_lanes;
}

/* One complete event per step, in the column report_trace() would use. */
static void json_steps(struct report_json *j, const struct lt_result *r)
{
	int lane[NR_TASKS_MAX], nr_lanes = report_trace_lanes(r, lane);
	const struct trace_step *s;
	u32 i;

	for (i = 0; i < r->nr_trace; i++) {
		s = &r->trace[i];
		json_event(j, "X", s->fn ? s->fn : or_unknown(s->note),
			   json_tid(r, lane, nr_lanes, i));
		fprintf(j->f, ",\"ts\":%" PRIu64 ",\"dur\":%d,\"args\":{\"note\":",
			(u64)i * JSON_STEP_US, JSON_STEP_US);
		json_str(j->f, s->note);
		if (r->detail) {
			fputs(",\"object\":", j->f);
			json_str(j->f, r->detail[i].obj[0] ? r->detail[i].obj : NULL);
			fputs(",\"state\":", j->f);
			json_str(j->f, r->detail[i].state[0] ? r->detail[i].state : NULL);
		}
		fprintf(j->f, ",\"step\":%u}}", i);
	}
}

/* Lines in the events of step @i. */
static int json_nr_events(const struct lt_result *r, u32 i)
{
	const char *p = r->detail[i].events;
	int n = *p ? 1 : 0;

	while ((p = strchr(p, '\n')))
		n++, p++;
	return n;
}

/*
 * An instant event per line of step @i's events, spread over the step's
 * slice in their order: an event ("A:0 refs 3->2", category "event", with
 * the statement it happened in) or a statement the step ran without a
 * scheduling point (category "statement").
 */
static void json_step_events(struct report_json *j, const struct lt_result *r, u32 i,
			     int tid)
{
	char line[LT_EVENTS_MAX], stmt[LT_EVENTS_MAX];
	const char *p = r->detail[i].events;
	int k = 0, n = json_nr_events(r, i);
	bool is_stmt;

	snprintf(stmt, sizeof(stmt), "%s", r->trace[i].note ? r->trace[i].note : "");
	while (report_trace_event(&p, line, sizeof(line))) {
		is_stmt = line[0] == '>';
		if (is_stmt)
			snprintf(stmt, sizeof(stmt), "%s", line + 2);
		json_event(j, "i", is_stmt ? stmt : line, tid);
		fprintf(j->f, ",\"cat\":\"%s\",\"s\":\"t\",\"ts\":%.3f,\"args\":{\"step\":%u",
			is_stmt ? "statement" : "event",
			(double)i * JSON_STEP_US + (double)JSON_STEP_US * ++k / (n + 1), i);
		if (!is_stmt) {
			fputs(",\"note\":", j->f);
			json_str(j->f, stmt[0] ? stmt : NULL);
		}
		fputs("}}", j->f);
	}
}

/* The model's events and the statements run without a scheduling point, step by step. */
static void json_events(struct report_json *j, const struct lt_result *r)
{
	int lane[NR_TASKS_MAX], nr_lanes = report_trace_lanes(r, lane);
	u32 i;

	for (i = 0; r->detail && i < r->nr_trace; i++)
		if (r->detail[i].events[0])
			json_step_events(j, r, i, json_tid(r, lane, nr_lanes, i));
}

/*
 * A counter track per page of the test ("A:0"), a sample at each step that
 * changed it: refcount, pins, PG_dirty and PG_writeback, as ftrace's
 * counters would show them.
 */
static void json_counters(struct report_json *j, const struct lt_result *r)
{
	const struct lt_page_change *c;
	char name[LT_NAME_MAX + 16];
	u32 i;
	int k;

	for (i = 0; r->detail && i < r->nr_trace; i++) {
		for (k = 0; k < r->detail[i].nr_changes; k++) {
			c = &r->detail[i].changes[k];
			snprintf(name, sizeof(name), "%s:%d",
				 or_unknown(r->test->files[c->file].name), c->page);
			json_event(j, "C", name, 0);
			fprintf(j->f, ",\"ts\":%" PRIu64 ",\"args\":{\"refs\":%d,\"pins\":%d,"
				"\"PG_dirty\":%d,\"PG_writeback\":%d}}", (u64)i * JSON_STEP_US,
				c->st.refs, c->st.pins, c->st.dirty, c->st.writeback);
		}
	}
}

/* An instant event at step @step, on the thread that took it. */
static void json_instant(struct report_json *j, const struct lt_result *r,
			 const char *name, u32 step, const char *what)
{
	int lane[NR_TASKS_MAX], nr_lanes = report_trace_lanes(r, lane), tid = 0;

	if (step < r->nr_trace)
		tid = json_tid(r, lane, nr_lanes, step);
	json_event(j, "i", name, tid);
	fprintf(j->f, ",\"s\":\"t\",\"ts\":%" PRIu64 ",\"args\":{\"step\":%u",
		(u64)step * JSON_STEP_US, step);
	if (what) {
		fputs(",\"what\":", j->f);
		json_str(j->f, what);
	}
	fputs("}}", j->f);
}

/* The condition mark and the flags as instant events. */
static void json_marks(struct report_json *j, const struct lt_result *r)
{
	const struct flag_report *fr = &r->flags;
	int fl;

	if (r->mark >= 0 && (u32)r->mark < r->nr_trace)
		json_instant(j, r, "condition true", r->mark, NULL);
	for (fl = 0; fl < PLF_NR; fl++)
		if (fr->mask & BIT(fl))
			json_instant(j, r, or_unknown(flag_name(fl)),
				     fr->step[fl], fr->what[fl]);
}

/* The last step before @step that was a device's write (dma_write), or -1. */
static int json_dma_before(const struct lt_result *r, u32 step)
{
	u32 i;

	for (i = min_t(u32, step, r->nr_trace); i-- > 0;)
		if (r->trace[i].fn && !strcmp(r->trace[i].fn, "dma_write"))
			return (int)i;
	return -1;
}

/* One flow arrow ("s" then "f", id @id, unique in the file) from step @from to step @to. */
static void json_flow(struct report_json *j, const struct lt_result *r, int id,
		      u32 from, u32 to)
{
	int lane[NR_TASKS_MAX], nr_lanes = report_trace_lanes(r, lane);

	json_event(j, "s", "device write", json_tid(r, lane, nr_lanes, from));
	fprintf(j->f, ",\"cat\":\"cause\",\"id\":%d,\"ts\":%" PRIu64 "}", id,
		(u64)from * JSON_STEP_US);
	json_event(j, "f", "device write", json_tid(r, lane, nr_lanes, to));
	fprintf(j->f, ",\"cat\":\"cause\",\"id\":%d,\"bp\":\"e\",\"ts\":%" PRIu64 "}",
		id, (u64)to * JSON_STEP_US);
}

/*
 * Flow arrows to a guard mismatch or a checksum error from the device write
 * that caused it: the last dma_write before the step that raised the flag
 * (the write that changed the data after the guard or checksum was taken).
 */
static void json_flows(struct report_json *j, const struct lt_result *r)
{
	static const enum pl_flag caused[] = { PLF_IO_ERROR, PLF_CSUM_ERROR };
	const struct flag_report *fr = &r->flags;
	size_t k;
	int from;

	for (k = 0; k < ARRAY_SIZE(caused); k++) {
		if (!(fr->mask & BIT(caused[k])) || fr->step[caused[k]] >= r->nr_trace)
			continue;
		from = json_dma_before(r, fr->step[caused[k]]);
		if (from >= 0)
			json_flow(j, r, (j->pid - 1) * (int)ARRAY_SIZE(caused) + (int)k + 1,
				  (u32)from, fr->step[caused[k]]);
	}
}

/* @r's entry in otherData's "traces": which process shows what. */
static void json_other(FILE *f, const struct report_json *j, const struct lt_result *r)
{
	fprintf(f, "%s{\"pid\":%d,\"test\":", j->pid > 1 ? "," : "", j->pid);
	json_str(f, test_name(r));
	fputs(",\"policy\":", f);
	json_str(f, policy_name(r));
	fputs(",\"witness\":", f);
	json_str(f, r->witness);
	fputs(",\"explored\":", f);
	json_str(f, r->explored);
	fputs("}", f);
}

/**
 * report_json_begin() - start a trace-event file of one process per traced result
 * @j: the file's writer
 * @f: where it goes
 *
 * Return: 0, or -ENOMEM.
 */
int report_json_begin(struct report_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->other = open_memstream(&j->other_buf, &j->other_len);
	if (!j->other)
		return -ENOMEM;
	fputs("{\"traceEvents\":[", f);
	return 0;
}

/**
 * report_json_add() - the witness of @r as the next process of @j's file
 * @j: the file's writer, from report_json_begin()
 * @r: a result computed with want_trace
 *
 * Process @j->pid + 1, named "TEST under POLICY", gets a thread per
 * timeline column, an "X" event per step (10 us each; args: note, object,
 * state, step), an instant event per event or statement inside a step, a
 * "C" counter track per page of the test sampled where a step changed it
 * (refs, pins, PG_dirty, PG_writeback), an instant event where the
 * condition became true and one per flag raised, and flow arrows from a
 * device write to the guard mismatch or checksum error it caused.
 *
 * Return: 0, -EINVAL when @r has no test, or -EIO when writing failed.
 */
int report_json_add(struct report_json *j, const struct lt_result *r)
{
	if (!r->test)
		return -EINVAL;
	j->pid++;
	json_names(j, r);
	if (r->trace) {
		json_steps(j, r);
		json_events(j, r);
		json_counters(j, r);
		json_marks(j, r);
		json_flows(j, r);
	}
	json_other(j->other, j, r);
	return report_status(j->f);
}

/**
 * report_json_end() - end @j's file: the events' array, then otherData
 * @j: the file's writer, from report_json_begin()
 *
 * otherData is {"traces": [{pid, test, policy, witness, explored}, ...]},
 * one entry per process.  @j's buffers are freed, @j->f is left open.
 *
 * Return: 0, -ENOMEM, or -EIO when writing failed.
 */
int report_json_end(struct report_json *j)
{
	bool lost = fclose(j->other) != 0;

	fputs("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"traces\":[", j->f);
	if (j->other_buf)
		fputs(j->other_buf, j->f);
	fputs("]}}\n", j->f);
	free(j->other_buf);
	j->other = NULL;
	j->other_buf = NULL;
	if (lost)
		return -ENOMEM;
	return report_status(j->f);
}

/**
 * report_trace_json() - the witness of @r as Chrome/Perfetto trace-event JSON
 * @f: where to write
 * @r: a result computed with want_trace
 *
 * A file of one process (pid 1): report_json_add() says what it shows.
 *
 * Return: 0, -EINVAL when @r has no test, -ENOMEM, or -EIO when writing to
 * @f failed.
 */
int report_trace_json(FILE *f, const struct lt_result *r)
{
	struct report_json j;
	int err, end;

	if (!r->test)
		return -EINVAL;
	err = report_json_begin(&j, f);
	if (err)
		return err;
	err = report_json_add(&j, r);
	end = report_json_end(&j);
	return err ? err : end;
}
