/* cmd-report.c - pinlab report: the matrix and its witnesses as one HTML page. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pinlab.h"

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

/**
 * cmd_report() - pinlab report: the matrix and every witness as one HTML page
 * @c: the invocation, its tests parsed; the page goes to its -o FILE
 *
 * Return: 0, EXIT_MISMATCH ('!' cells), EXIT_USAGE or EXIT_INTERRUPTED.
 */
int cmd_report(struct cli *c)
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
