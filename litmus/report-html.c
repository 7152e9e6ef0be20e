/* report-html.c - `pinlab report`: one self-contained HTML page of a matrix and its witnesses. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <pinlab/report.h>
#include "report-internal.h"

#define CELL_TEXT_MAX	32	/* "Sometimes!?", "error!" */
#define DIR_MAX		1024	/* a test's directory, as its path gives it */
#define LABEL_MAX	256	/* one step's text, a lane's heading */
#define SRC_MAX		(1 << 20)	/* source bytes shown; the rest is cut */
#define SVG_NUM_W	40	/* the step number column */
#define SVG_LANE_W	220	/* one lane */
#define SVG_HEAD_H	30	/* the lane headings */
#define SVG_STEP_H	22	/* one step's row */
#define SVG_BOX_H	18	/* one step's box */
#define SVG_NOTE_W	220	/* the remark column: condition, flags */
#define SVG_CHARS	27	/* characters of a label that fit in a box */

/* The page's style: no external asset, the colours say the verdict. */
static const char html_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
	"h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #bbb;padding:2px 8px;text-align:left}\n"
	"th{background:#eee}td.test{font-family:monospace}\n"
	"td.cell a{color:inherit;text-decoration:none;display:block}\n"
	".never{background:#d4edda}.sometimes{background:#fff3cd}\n"
	".always{background:#f8d7da}.error{background:#ccc}.notrun{background:#fff}\n"
	"td.mismatch{outline:3px solid #c00;outline-offset:-3px;font-weight:bold}\n"
	"td.incomplete{border-style:dashed;font-style:italic}\n"
	"pre.src{background:#f6f6f6;border:1px solid #ddd;padding:.5em;overflow:auto}\n"
	"section.test{border-top:2px solid #999;margin-top:1.5em}\n"
	"div.witness{margin:1em 0;padding:.3em;overflow-x:auto}\n"
	"div.witness:target{background:#eef5ff}\n"
	"code{background:#f3f3f3;padding:0 3px}\n"
	"svg.swimlane text{font:12px monospace}\n"
	"svg .lane-bg{fill:#f7f7f7;stroke:#ccc}svg .lane-head{font-weight:bold}\n"
	"svg .step rect{fill:#dbe8ff;stroke:#6b8cc7}\n"
	"svg .step.cond rect{fill:#ffb3b3;stroke:#c00;stroke-width:2}\n"
	"svg .step.flag rect{stroke:#c60;stroke-width:2}\n"
	"svg .remark{fill:#c00;font-weight:bold}svg .num{fill:#777}\n";

/* @s with &, <, >, " and ' escaped, so that it is text in an element or attribute. */
static void html_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* The result in the cell of @row, @col. */
static const struct lt_result *page_result(const struct report_page *p,
					   int row, int col)
{
	return &p->results[row * p->m->nr_policies + col];
}

/* The directory part of @path: "litmus-tests/self", or "." for a bare name. */
static void path_dir(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* The CSS class of a cell's verdict. */
static const char *cell_class(const struct matrix_cell *c)
{
	if (c->failed)
		return "error";
	if (c->skipped)
		return "notrun";
	switch (c->verdict) {
	case LV_NEVER:
		return "never";
	case LV_ALWAYS:
		return "always";
	default:
		return "sometimes";
	}
}

/* The knob called @name. Return: its index, or -1. */
static int knob_index(const char *name)
{
	int k;

	for (k = 0; k < policy_nr_knobs(); k++)
		if (!strcmp(policy_knob_name(k), name))
			return k;
	return -1;
}

/* The heading, the run's metadata and the legend. */
static void html_meta(FILE *f, const struct report_page *p)
{
	const struct matrix *m = p->m;
	int i, n, complete = 0, base = knob_index("base");

	for (i = 0; i < m->nr_tests * m->nr_policies; i++)
		complete += m->cells[i].complete && !m->cells[i].failed;
	fputs("<h1>pinlab report</h1>\n<table class=\"meta\">\n<tr><th>version</th><td>", f);
	html_esc(f, p->version);
	fputs("</td></tr>\n<tr><th>date</th><td>", f);
	html_esc(f, p->date);
	fputs("</td></tr>\n<tr><th>arguments</th><td>", f);
	for (i = 0; i < p->nr_args; i++) {
		fputs(i ? " <code>" : "<code>", f);
		html_esc(f, p->args[i]);
		fputs("</code>", f);
	}
	n = m->nr_tests * m->nr_policies;
	fprintf(f, "</td></tr>\n<tr><th>explorations</th><td id=\"explored\">"
		"%d of %d complete%s</td></tr>\n", complete, n,
		complete == n ? " (every Never and Always is a proof)" :
		"; the others are bounded (marked ?)");
	fputs("<tr><th>kernel base</th><td>", f);
	for (i = 0; i < m->nr_policies; i++) {
		fprintf(f, "%s", i ? ", " : "");
		html_esc(f, p->cols[i].name);
		fputs(": ", f);
		html_esc(f, base < 0 ? "?" :
			 policy_knob_value(base, policy_knob_get(&p->cols[i], base)));
	}
	fprintf(f, "</td></tr>\n</table>\n<p class=\"legend\">%d tests, %d policies. "
		"<span class=\"never\">Never</span> <span class=\"sometimes\">Sometimes"
		"</span> <span class=\"always\">Always</span>: the Observation; "
		"<b>!</b> differs from Result: or the run failed; <i>?</i> incomplete "
		"exploration, Never/Always unproven; - not run. A cell links to its "
		"witness, or to its test when it has none; the columns' knobs are in "
		"<a href=\"#policies\">Policies</a>.</p>\n",
		m->nr_tests, m->nr_policies);
}

/* One cell of the matrix, linked to its witness (or its test). */
static void html_cell(FILE *f, const struct report_page *p, int row, int col)
{
	const struct matrix_cell *c = &p->m->cells[row * p->m->nr_policies + col];
	const struct lt_result *r = page_result(p, row, col);
	char text[CELL_TEXT_MAX];
	bool bad = report_cell_text(p->m, row, col, text, sizeof(text));
	bool open = !c->failed && !c->skipped && !c->complete;

	fprintf(f, "<td class=\"cell %s%s%s\" id=\"c-%d-%d\" data-policy=\"", cell_class(c),
		bad ? " mismatch" : "", open ? " incomplete" : "", row, col);
	html_esc(f, p->m->policies[col]);
	fputs("\" title=\"", f);
	if (r->test)
		fprintf(f, "explored %s, %" PRIu64 " executions", r->explored,
			r->stats.executions);
	if (r->witness && r->trace)
		fprintf(f, "\"><a href=\"#w-%d-%d\">", row, col);
	else
		fprintf(f, "\"><a href=\"#t-%d\">", row);
	html_esc(f, text);
	fputs("</a></td>", f);
}

/* The table of the tests in rows [@first, @end), all from one directory. */
static void html_group(FILE *f, const struct report_page *p, int first, int end)
{
	char dir[DIR_MAX];
	int row, col;

	path_dir(p->m->tests[first]->path, dir, sizeof(dir));
	fputs("<h2 class=\"dir\">", f);
	html_esc(f, dir);
	fputs("</h2>\n<table class=\"matrix\">\n<tr><th>test</th>", f);
	for (col = 0; col < p->m->nr_policies; col++) {
		fputs("<th>", f);
		html_esc(f, p->m->policies[col]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (row = first; row < end; row++) {
		fprintf(f, "<tr class=\"row\" data-test=\"");
		html_esc(f, p->m->tests[row]->name);
		fprintf(f, "\"><td class=\"test\"><a href=\"#t-%d\">", row);
		html_esc(f, p->m->tests[row]->name);
		fputs("</a></td>", f);
		for (col = 0; col < p->m->nr_policies; col++)
			html_cell(f, p, row, col);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The matrix, one table per directory (consecutive tests sharing one). */
static void html_matrix(FILE *f, const struct report_page *p)
{
	char dir[DIR_MAX], next[DIR_MAX];
	int first = 0, row;

	for (row = 1; row <= p->m->nr_tests; row++) {
		path_dir(p->m->tests[first]->path, dir, sizeof(dir));
		if (row < p->m->nr_tests)
			path_dir(p->m->tests[row]->path, next, sizeof(next));
		if (row < p->m->nr_tests && !strcmp(dir, next))
			continue;
		html_group(f, p, first, row);
		first = row;
	}
}

/* Every column's knobs, one row per knob, as `pinlab policies` prints them. */
static void html_policies(FILE *f, const struct report_page *p)
{
	int col, k;

	fputs("<h2 id=\"policies\">Policies</h2>\n<table class=\"policies\">\n<tr><th>knob</th>", f);
	for (col = 0; col < p->m->nr_policies; col++) {
		fputs("<th>", f);
		html_esc(f, p->cols[col].name);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr><th>summary</th>", f);
	for (col = 0; col < p->m->nr_policies; col++) {
		fputs("<td>", f);
		html_esc(f, p->cols[col].summary);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	for (k = 0; k < policy_nr_knobs(); k++) {
		fputs("<tr><th>", f);
		html_esc(f, policy_knob_name(k));
		fputs("</th>", f);
		for (col = 0; col < p->m->nr_policies; col++) {
			fputs("<td>", f);
			html_esc(f, policy_knob_value(k, policy_knob_get(&p->cols[col], k)));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The test's file, escaped, or a note that it cannot be read any more. */
static void html_source(FILE *f, const char *path)
{
	FILE *src = fopen(path, "re");
	char buf[4096];
	size_t n, total = 0;

	fputs("<details><summary>source</summary><pre class=\"src\">", f);
	if (!src) {
		fprintf(f, "(cannot read the source: %s)</pre></details>\n", strerror(errno));
		return;
	}
	while (total < SRC_MAX && fgets(buf, sizeof(buf), src)) {
		n = strlen(buf);
		total += n;
		html_esc(f, buf);
	}
	if (total >= SRC_MAX)
		fputs("\n(cut)", f);
	fclose(src);
	fputs("</pre></details>\n", f);
}

/* The heading of lane @c: "P0(device)" as the text timeline writes it. */
static void lane_heading(const struct litmus_test *t, int c, char *buf, size_t len)
{
	if (t->threads[c].label)
		snprintf(buf, len, "P%d(%s)", c, t->threads[c].label);
	else
		snprintf(buf, len, "P%d", c);
}

/* The lanes: one per thread, then the epilogue's when any task past them ran. */
static void svg_lanes(FILE *f, const struct lt_result *r, int nr_threads,
		      bool epilogue, int height)
{
	char head[LABEL_MAX];
	int c, x;

	for (c = 0; c < nr_threads + epilogue; c++) {
		x = SVG_NUM_W + c * SVG_LANE_W;
		if (c < nr_threads)
			lane_heading(r->test, c, head, sizeof(head));
		else
			snprintf(head, sizeof(head), "epilogue");
		fprintf(f, "<g class=\"%s\" data-lane=\"%d\"><rect class=\"lane-bg\" "
			"x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\"/>"
			"<text class=\"lane-head\" x=\"%d\" y=\"19\">", c < nr_threads ?
			"lane" : "lane-epilogue", c, x + 2, SVG_LANE_W - 4, height,
			x + 8);
		html_esc(f, head);
		fputs("</text></g>\n", f);
	}
}

/* "<== condition true, bug": what step @i did that matters, or "". */
static void step_remark(const struct lt_result *r, u32 i, char *buf, size_t len)
{
	size_t used = 0;
	int fl;

	buf[0] = '\0';
	if (r->mark >= 0 && (u32)r->mark == i)
		used = snprintf(buf, len, "<== condition true");
	for (fl = 0; fl < PLF_NR && used < len; fl++) {
		if (!(r->flags.mask & BIT(fl)) || r->flags.step[fl] != i)
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "<== ",
				 flag_name(fl) ? flag_name(fl) : "?");
	}
}

/* Step @i raised a flag. */
static bool step_flagged(const struct lt_result *r, u32 i)
{
	int fl;

	for (fl = 0; fl < PLF_NR; fl++)
		if ((r->flags.mask & BIT(fl)) && r->flags.step[fl] == i)
			return true;
	return false;
}

/* Step @i: a box in its task's lane labelled with its kernel function. */
static void svg_step(FILE *f, const struct lt_result *r, u32 i, int nr_threads)
{
	const struct trace_step *s = &r->trace[i];
	int lane = s->pid < nr_threads ? s->pid : nr_threads;
	int x = SVG_NUM_W + lane * SVG_LANE_W, y = SVG_HEAD_H + (int)i * SVG_STEP_H;
	const char *fn = s->fn ? s->fn : (s->note ? s->note : "-");
	char label[LABEL_MAX], remark[LABEL_MAX];
	bool cond = r->mark >= 0 && (u32)r->mark == i;

	step_remark(r, i, remark, sizeof(remark));
	snprintf(label, sizeof(label), "%s", fn);
	if (strlen(label) > SVG_CHARS)
		snprintf(label + SVG_CHARS - 1, sizeof(label) - SVG_CHARS + 1, "~");
	fprintf(f, "<g class=\"step%s%s\" data-step=\"%u\" data-lane=\"%d\"><title>step %u: ",
		cond ? " cond" : "", step_flagged(r, i) ? " flag" : "", i, lane, i);
	html_esc(f, fn);
	if (s->fn && s->note) {
		fputs(": ", f);
		html_esc(f, s->note);
	}
	fprintf(f, "</title><text class=\"num\" x=\"4\" y=\"%d\">%u</text>"
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>"
		"<text x=\"%d\" y=\"%d\">", y + 13, i, x + 6, y, SVG_LANE_W - 12,
		SVG_BOX_H, x + 10, y + 13);
	html_esc(f, label);
	fputs("</text>", f);
	if (remark[0]) {
		fprintf(f, "<text class=\"remark\" x=\"%d\" y=\"%d\">",
			SVG_NUM_W + (nr_threads + 1) * SVG_LANE_W + 6, y + 13);
		html_esc(f, remark);
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

/* @r's witness as an SVG swimlane: lanes side by side, time going down. */
static void svg_swimlane(FILE *f, const struct lt_result *r)
{
	int nr_threads = min_t(int, r->test->nr_threads, LT_NR_THREADS);
	bool epilogue = false;
	int width, height;
	u32 i;

	for (i = 0; i < r->nr_trace; i++)
		epilogue |= r->trace[i].pid >= nr_threads;
	width = SVG_NUM_W + (nr_threads + 1) * SVG_LANE_W + SVG_NOTE_W;
	height = SVG_HEAD_H + (int)r->nr_trace * SVG_STEP_H + 4;
	fprintf(f, "<svg class=\"swimlane\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
		width, height, width, height);
	svg_lanes(f, r, nr_threads, epilogue, height);
	for (i = 0; i < r->nr_trace; i++)
		svg_step(f, r, i, nr_threads);
	fputs("</svg>\n", f);
}

/* The flags the witness raised, each with its step and reason. */
static void html_flags(FILE *f, const struct flag_report *fr)
{
	int fl;

	if (!fr->mask) {
		fputs("<p class=\"flags\">Flags: none</p>\n", f);
		return;
	}
	fputs("<ul class=\"flags\">\n", f);
	for (fl = 0; fl < PLF_NR; fl++) {
		if (!(fr->mask & BIT(fl)))
			continue;
		fputs("<li><b>", f);
		html_esc(f, flag_name(fl));
		fprintf(f, "</b> at step %u", fr->step[fl]);
		if (fr->what[fl]) {
			fputs(" (", f);
			html_esc(f, fr->what[fl]);
			fputc(')', f);
		}
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* The witness of cell @row, @col: heading, replay command, swimlane, flags. */
static void html_witness(FILE *f, const struct report_page *p, int row, int col)
{
	const struct lt_result *r = page_result(p, row, col);

	fprintf(f, "<div class=\"witness\" id=\"w-%d-%d\" data-threads=\"%d\">\n<h4>",
		row, col, r->test->nr_threads);
	html_esc(f, r->test->name);
	fputs(" under ", f);
	html_esc(f, p->m->policies[col]);
	fprintf(f, ": %s, explored %s, %u steps</h4>\n<p>Replay: <code>pinlab run -p ",
		lt_verdict_name(r->verdict), r->explored, r->nr_trace);
	html_esc(f, p->m->policies[col]);
	fputs(" --replay ", f);
	html_esc(f, r->witness);
	fputs(" --trace ", f);
	html_esc(f, r->test->path);
	fputs("</code></p>\n", f);
	svg_swimlane(f, r);
	html_flags(f, &r->flags);
	fputs("</div>\n", f);
}

/* Test @row: name, description, source, then the witness of each column. */
static void html_test(FILE *f, const struct report_page *p, int row)
{
	const struct litmus_test *t = p->m->tests[row];
	const struct lt_result *r;
	int col;

	fprintf(f, "<section class=\"test\" id=\"t-%d\">\n<h3>", row);
	html_esc(f, t->name);
	fputs("</h3>\n<p class=\"path\"><code>", f);
	html_esc(f, t->path);
	fputs("</code></p>\n<p class=\"desc\">", f);
	html_esc(f, t->desc ? t->desc : "(no description)");
	fputs("</p>\n", f);
	html_source(f, t->path);
	for (col = 0; col < p->m->nr_policies; col++) {
		r = page_result(p, row, col);
		if (r->test && r->witness && r->trace)
			html_witness(f, p, row, col);
	}
	fputs("</section>\n", f);
}

/**
 * report_html() - one self-contained HTML page: matrix, witnesses, tests, policies
 * @f: where to write
 * @p: what to show
 *
 * The matrix comes first, one table per directory, each cell coloured by
 * its verdict, marked '!' and '?' as report_matrix() marks it and linked to
 * its witness (or its test when it has none).  Then, per test, its
 * description, its source and each witness as an inline SVG swimlane: one
 * lane per thread, one box per step labelled with the kernel function it
 * began in, the step that made the condition true and the steps that raised
 * a flag highlighted; last, the policies' knobs.  Nothing is fetched from
 * elsewhere.
 *
 * Return: 0, or -EIO when writing to @f failed.
 */
int report_html(FILE *f, const struct report_page *p)
{
	int row;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>pinlab report</title>\n<style>\n%s</style>\n</head>\n<body>\n",
		html_style);
	html_meta(f, p);
	fputs("<h2>Matrix</h2>\n", f);
	if (p->m->nr_tests)
		html_matrix(f, p);
	fputs("<h2>Tests and witnesses</h2>\n", f);
	for (row = 0; row < p->m->nr_tests; row++)
		html_test(f, p, row);
	html_policies(f, p);
	fputs("</body>\n</html>\n", f);
	return report_status(f);
}
