/* tracepoint.h - the model's decisive events (buffers freed, a PTE write-protected, a pin taken), seen only while a witness is traced. */
#ifndef PINLAB_TRACEPOINT_H
#define PINLAB_TRACEPOINT_H

#include <pinlab/types.h>

/**
 * struct tracepoint_sink - who hears the model's events
 * @fn:  called with the event and the object it happened to; NULL: nobody
 *	 (exploration: the events cost one test of @fn)
 * @arg: its first argument
 */
struct tracepoint_sink {
	void (*fn)(void *arg, const char *what, const void *obj);
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
		tracepoint_sink.fn(tracepoint_sink.arg, what, obj);
}

#endif /* PINLAB_TRACEPOINT_H */
