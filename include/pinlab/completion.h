/* completion.h - struct completion on top of wait queues. */
#ifndef PINLAB_COMPLETION_H
#define PINLAB_COMPLETION_H

#include <pinlab/atomic.h>
#include <pinlab/wait.h>

/**
 * struct completion - a one-way event
 * @done: completions signalled and not yet consumed
 * @wait: where wait_for_completion() sleeps
 */
struct completion {
	atomic_t done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif /* PINLAB_COMPLETION_H */
