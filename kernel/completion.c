/* completion.c - completions built from an atomic count and a wait queue. */
#include <pinlab/completion.h>

void init_completion(struct completion *x)
{
	atomic_init_plain(&x->done, 0);
	init_waitqueue_head(&x->wait);
}

void complete(struct completion *x)
{
	atomic_inc(&x->done);
	wake_up(&x->wait);
}

void complete_all(struct completion *x)
{
	atomic_set(&x->done, 1 << 30);
	wake_up(&x->wait);
}

/* Take one completion if there is one. */
static bool try_wait_for_completion(struct completion *x)
{
	int done = atomic_read(&x->done);

	while (done > 0) {
		int old = atomic_cmpxchg(&x->done, done, done - 1);

		if (old == done)
			return true;
		done = old;
	}
	return false;
}

void wait_for_completion(struct completion *x)
{
	wait_event(&x->wait, try_wait_for_completion(x));
}

/**
 * completion_done() - true when a wait would not sleep
 */
bool completion_done(struct completion *x)
{
	return atomic_read(&x->done) > 0;
}
