/* trace-events.c - what happens inside a traced step: the model's events and the statements run without a scheduling point. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace-events.h"

/* The name @page had in a test file's page cache, or NULL if it never was in one. */
static const char *page_known(struct lt_evlog *log, const void *page)
{
	int i;

	for (i = 0; i < log->nr_pages; i++)
		if (log->pages[i].page == page)
			return log->pages[i].name;
	return NULL;
}

/*
 * The name to show for @page, named @name by the model now: a page in a
 * test file's page cache ("A:0") is remembered, so that it keeps its name
 * once truncated out of it; a page outside every page cache ("page#N":
 * a bounce page, one being read in) that never was in one gets NULL.
 */
static const char *page_shown(struct lt_evlog *log, const void *page, const char *name)
{
	const char *known = page_known(log, page);
	struct lt_ev_page *p;

	if (!name[0] || !strncmp(name, "page#", 5))
		return known;
	if (known && !strcmp(known, name))
		return known;
	if (!known && log->nr_pages < LT_EV_PAGES) {
		p = &log->pages[log->nr_pages++];
		p->page = page;
		snprintf(p->name, sizeof(p->name), "%s", name);
	}
	return name;
}

/* Does @ev go on with the count change @e, the last event of the step? */
static bool count_goes_on(const struct lt_ev *e, const struct tracepoint_event *ev,
			  const char *note)
{
	return e->kind == TP_COUNT && ev->kind == TP_COUNT && e->obj == ev->obj &&
	       !strcmp(e->what, ev->what) && e->note == note && e->last == ev->before;
}

/**
 * lt_evlog_add() - one event of the step being run
 * @log:  the log
 * @ev:   the event, as the tracepoint gave it
 * @name: the name of its object, "" when none
 * @note: the statement the current task is in (its note)
 *
 * A page's event or counter change is kept only for a page of the test's
 * files (page_shown()); a counter changing again in the same statement
 * extends the last event ("A:0 refs 2->3->2").
 *
 * Context: a task of the traced replay.
 */
void lt_evlog_add(struct lt_evlog *log, const struct tracepoint_event *ev,
		  const char *name, const char *note)
{
	struct lt_ev *e = log->n ? &log->ev[log->n - 1] : NULL;
	size_t used;

	if (ev->kind == TP_COUNT || ev->kind == TP_PAGE) {
		name = page_shown(log, ev->obj, name);
		if (!name)
			return;
	}
	if (e && count_goes_on(e, ev, note)) {
		used = strlen(e->chain);
		snprintf(e->chain + used, sizeof(e->chain) - used, "->%ld", ev->after);
		e->last = ev->after;
		return;
	}
	if (log->n == LT_EV_MAX) {
		log->lost++;
		return;
	}
	e = &log->ev[log->n++];
	*e = (struct lt_ev){ .kind = ev->kind, .what = ev->what, .note = note,
			     .obj = ev->obj, .last = ev->after };
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (ev->kind == TP_COUNT)
		snprintf(e->chain, sizeof(e->chain), "%ld->%ld", ev->before, ev->after);
}

/* Append line @fmt to @d's events. */
static void __attribute__((format(printf, 2, 3)))
events_line(struct lt_step_detail *d, const char *fmt, ...)
{
	size_t used = strlen(d->events), len = sizeof(d->events);
	va_list ap;

	if (used && used < len - 1)
		d->events[used++] = '\n';
	d->events[used] = '\0';
	va_start(ap, fmt);
	vsnprintf(d->events + used, len - used, fmt, ap);
	va_end(ap);
}

/* @e as its line: "buffers freed A:0", "A:0 refs 3->2". */
static void event_line(struct lt_step_detail *d, const struct lt_ev *e)
{
	if (e->kind == TP_COUNT)
		events_line(d, "%s %s %s", e->name, e->what, e->chain);
	else
		events_line(d, "%s%s%s", e->what, e->name[0] ? " " : "", e->name);
}

/* A "> TEXT" line for statement @note, the one the lines after it happen in. */
static void stmt_line(struct lt_step_detail *d, const char *note, const char **shown)
{
	if (note)
		events_line(d, "> %s", note);
	*shown = note;
	if (note)
		d->note = note;
}

/**
 * lt_evlog_step() - the step has ended: its events into @d, and the log emptied
 * @log:  the log
 * @note: the statement the step began in (its trace_step note)
 * @d:    the step's detail: gets events and note
 *
 * Each event is a line; before the first one of a statement the step did
 * not begin in, a line "> STATEMENT".  A statement the task began but left
 * at a scheduling point without an event gets none: the step it goes on in
 * shows it.  One it began and ended inside the step (a TP_STMT came after
 * it) gets its line even without events: it took no scheduling point.
 */
void lt_evlog_step(struct lt_evlog *log, const char *note, struct lt_step_detail *d)
{
	const char *shown = note, *pending = note;
	int i;

	d->events[0] = '\0';
	d->note = NULL;
	for (i = 0; i < log->n; i++) {
		const struct lt_ev *e = &log->ev[i];

		if (e->kind == TP_STMT) {
			if (pending != shown)
				stmt_line(d, pending, &shown);
			pending = e->note;
			continue;
		}
		if (e->note != shown)
			stmt_line(d, e->note, &shown);
		pending = shown;
		event_line(d, e);
	}
	if (log->lost)
		events_line(d, "(%d more events)", log->lost);
	log->n = 0;
	log->lost = 0;
}
