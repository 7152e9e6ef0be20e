/* atomic.h - atomic_t: a scheduling point per operation on sim, C11 atomics on both; the model's one atomics API. */
#ifndef PINLAB_ATOMIC_H
#define PINLAB_ATOMIC_H

#include <stdatomic.h>
#include <pinlab/sched.h>

/**
 * typedef atomic_t - an atomic counter
 * @counter: the value
 */
typedef struct {
	_Atomic int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

/*
 * raw_atomic_*() - the operations alone, as Linux's raw_atomic_*() are
 * atomic_*() without instrumentation: no scheduling point, no footprint.
 * For a primitive that places its own scheduling point and records its own
 * footprint (kernel/rwsem.c); everything else uses atomic_*() below.
 */
static inline int raw_atomic_read(atomic_t *v)
{
	return atomic_load_explicit(&v->counter, memory_order_acquire);
}

static inline void raw_atomic_set(atomic_t *v, int i)
{
	atomic_store_explicit(&v->counter, i, memory_order_release);
}

static inline int raw_atomic_add_return(int i, atomic_t *v)
{
	return atomic_fetch_add(&v->counter, i) + i;
}

static inline void raw_atomic_add(int i, atomic_t *v)
{
	atomic_fetch_add(&v->counter, i);
}

static inline int raw_atomic_xchg(atomic_t *v, int i)
{
	return atomic_exchange(&v->counter, i);
}

/**
 * raw_atomic_try_cmpxchg() - store @new in @v if it holds *@old
 * @v:   the atomic
 * @old: the value expected; on failure, updated to the value found
 * @new: the value stored on success
 *
 * Return: whether @new was stored.
 */
static inline bool raw_atomic_try_cmpxchg(atomic_t *v, int *old, int new)
{
	return atomic_compare_exchange_strong(&v->counter, old, new);
}

/*
 * Every operation is a lockless access: on sim it is a scheduling point.
 * atomic_read() records a read; atomic_add() and the others that return
 * nothing record KACC_ADD, so that they commute with each other; every
 * operation whose result the caller sees (atomic_add_return(),
 * atomic_dec_and_test(), atomic_xchg(), atomic_cmpxchg()) and atomic_set()
 * record a write.
 */
static inline int atomic_read(atomic_t *v)
{
	sched_point(v, KACC_READ);
	return raw_atomic_read(v);
}

static inline void atomic_set(atomic_t *v, int i)
{
	sched_point(v, KACC_WRITE);
	raw_atomic_set(v, i);
}

static inline int atomic_add_return(int i, atomic_t *v)
{
	sched_point(v, KACC_WRITE);
	return raw_atomic_add_return(i, v);
}

static inline int atomic_sub_return(int i, atomic_t *v)
{
	return atomic_add_return(-i, v);
}

/**
 * atomic_add() - add @i to @v; the result is not seen, so it commutes with
 * other adds
 */
static inline void atomic_add(int i, atomic_t *v)
{
	sched_point(v, KACC_ADD);
	raw_atomic_add(i, v);
}

static inline void atomic_sub(int i, atomic_t *v)
{
	atomic_add(-i, v);
}

static inline void atomic_inc(atomic_t *v)
{
	atomic_add(1, v);
}

static inline void atomic_dec(atomic_t *v)
{
	atomic_add(-1, v);
}

/**
 * atomic_dec_and_test() - whether @v reached 0 (it observes the value)
 */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return atomic_add_return(-1, v) == 0;
}

static inline int atomic_xchg(atomic_t *v, int i)
{
	sched_point(v, KACC_WRITE);
	return raw_atomic_xchg(v, i);
}

/**
 * atomic_cmpxchg() - the old value; @new was stored when it equals @old
 */
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	sched_point(v, KACC_WRITE);
	raw_atomic_try_cmpxchg(v, &old, new);
	return old;
}

/**
 * atomic_init_plain() - initialise without a scheduling point (object not yet
 * shared)
 */
static inline void atomic_init_plain(atomic_t *v, int i)
{
	atomic_store_explicit(&v->counter, i, memory_order_relaxed);
}

#endif /* PINLAB_ATOMIC_H */
