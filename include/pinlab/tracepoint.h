/* tracepoint.h - the model's decisive events (buffers freed, a reference dropped, a statement begun), seen only while a witness is traced. */
#ifndef PINLAB_TRACEPOINT_H
#define PINLAB_TRACEPOINT_H

#include <pinlab/types.h>

/* What a tracepoint_event says. */
enum tracepoint_kind {
	TP_EVENT,	/* something happened to @obj: "buffers freed", "pinned" */
	TP_PAGE,	/* the same, of a page: shown for the test's own pages only */
	TP_COUNT,	/* counter @what of page @obj went from @before to @after */
	TP_STMT,	/* the current task began the statement in its note (or ended) */
};

/**
 * struct tracepoint_event - one event, as the sink hears it
 * @kind:   enum tracepoint_kind
 * @what:   a constant string: "buffers freed", "refs"; NULL for TP_STMT
 * @obj:    the object it happened to (a page, a PTE), named by the trace; may be NULL
 * @before: TP_COUNT: the counter before
 * @after:  TP_COUNT: the counter after
 */
struct tracepoint_event {
	enum tracepoint_kind kind;
	const char *what;
	const void *obj;
	long before;
	long after;
};

/**
 * struct tracepoint_sink - who hears the model's events
 * @fn:  called with each event, in the task that caused it; NULL: nobody
 *	 (exploration: the events cost one test of @fn)
 * @arg: its first argument
 */
struct tracepoint_sink {
	void (*fn)(void *arg, const struct tracepoint_event *ev);
	void *arg;
};

/* Set by the litmus runner around a witness's traced replay only. */
extern struct tracepoint_sink tracepoint_sink;

/**
 * trace_mm_event() - a decisive model event, for the witness's trace
 * @what: what happened, a constant string: "buffers freed", "bounce copy"
 * @obj:  the object it happened to (a page, a PTE), named by the trace
 */
static inline void trace_mm_event(const char *what, const void *obj)
{
	if (unlikely(tracepoint_sink.fn))
		tracepoint_sink.fn(tracepoint_sink.arg, &(struct tracepoint_event){
				   .kind = TP_EVENT, .what = what, .obj = obj });
}

/**
 * trace_mm_page() - an event of a page, shown only if the page is one of the test's files'
 * @what: what happened: "page freed"
 * @page: the page
 */
static inline void trace_mm_page(const char *what, const void *page)
{
	if (unlikely(tracepoint_sink.fn))
		tracepoint_sink.fn(tracepoint_sink.arg, &(struct tracepoint_event){
				   .kind = TP_PAGE, .what = what, .obj = page });
}

/**
 * trace_mm_count() - a page's counter changed inside a step (get_page, put_page)
 * @what:   the counter: "refs"
 * @page:   the page; shown only if it is one of the test's files'
 * @before: its value before
 * @after:  its value after
 */
static inline void trace_mm_count(const char *what, const void *page, long before,
				  long after)
{
	if (unlikely(tracepoint_sink.fn))
		tracepoint_sink.fn(tracepoint_sink.arg, &(struct tracepoint_event){
				   .kind = TP_COUNT, .what = what, .obj = page,
				   .before = before, .after = after });
}

/**
 * trace_stmt() - the current task has just set its note: a statement begins (or, NULL, all ended)
 *
 * Lets the trace show a statement that runs to its end without a
 * scheduling point, inside a step that began in an earlier one.
 */
static inline void trace_stmt(void)
{
	if (unlikely(tracepoint_sink.fn))
		tracepoint_sink.fn(tracepoint_sink.arg, &(struct tracepoint_event){
				   .kind = TP_STMT });
}

#endif /* PINLAB_TRACEPOINT_H */
