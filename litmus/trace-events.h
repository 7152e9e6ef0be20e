/* trace-events.h - the traced replay's log of what happens inside each step. */
#ifndef PINLAB_LITMUS_TRACE_EVENTS_H
#define PINLAB_LITMUS_TRACE_EVENTS_H

#include <pinlab/run.h>
#include <pinlab/tracepoint.h>

#define LT_EV_MAX	32	/* events one step keeps; the rest are counted */
#define LT_EV_PAGES	32	/* pages of the test's files the log remembers by name */
#define LT_EV_CHAIN	40	/* a counter's values in one run of changes, "3->2->1" */

/**
 * struct lt_ev - one event of the step being run
 * @kind:  enum tracepoint_kind
 * @what:  its constant text ("buffers freed", "refs"); NULL for TP_STMT
 * @note:  the statement its task was in (the task's note)
 * @obj:   its object: TP_COUNT changes of one object in a row are one event
 * @name:  the object's name, "" when it has none
 * @chain: TP_COUNT: the values the counter went through, "3->2->1"
 * @last:  TP_COUNT: its last value
 */
struct lt_ev {
	enum tracepoint_kind kind;
	const char *what;
	const char *note;
	const void *obj;
	char name[LT_OBJ_MAX];
	char chain[LT_EV_CHAIN];
	long last;
};

/**
 * struct lt_ev_page - a page known to be one of the test's files', by its name there
 * @page: the page
 * @name: "A:0", kept once the page has left the page cache (truncated)
 */
struct lt_ev_page {
	const void *page;
	char name[LT_OBJ_MAX];
};

/**
 * struct lt_evlog - the events of the step being run, and the test's pages by name
 * @ev:       this step's events so far, in order
 * @n:        entries in @ev
 * @lost:     events of this step that did not fit in @ev
 * @pages:    pages seen in a test file's page cache during the replay
 * @nr_pages: entries in @pages
 *
 * Zeroed (calloc) for each traced replay: no events, no pages known.
 */
struct lt_evlog {
	struct lt_ev ev[LT_EV_MAX];
	int n;
	int lost;
	struct lt_ev_page pages[LT_EV_PAGES];
	int nr_pages;
};

void lt_evlog_add(struct lt_evlog *log, const struct tracepoint_event *ev,
		  const char *name, const char *note);
void lt_evlog_step(struct lt_evlog *log, const char *note, struct lt_step_detail *d);

#endif /* PINLAB_LITMUS_TRACE_EVENTS_H */
