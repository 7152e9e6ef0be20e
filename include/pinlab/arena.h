/* arena.h - per-execution bump allocator: reset between executions, never freed. */
#ifndef PINLAB_ARENA_H
#define PINLAB_ARENA_H

#include <pinlab/types.h>

/**
 * struct arena - a bump allocator
 * @base: start of the reserved memory
 * @size: bytes reserved
 * @used: bytes handed out since the last arena_reset()
 * @peak: largest @used seen, for the benchmarks
 */
struct arena {
	char *base;
	size_t size;
	size_t used;
	size_t peak;
};

int arena_init(struct arena *a, size_t size);
void arena_destroy(struct arena *a);

/**
 * arena_alloc() - @size zeroed bytes aligned to 16
 *
 * Return: the memory, or NULL when the arena is exhausted.
 */
void *arena_alloc(struct arena *a, size_t size);

void arena_reset(struct arena *a);

/* The arena model objects of the current execution live in. */
extern struct arena exec_arena;

#endif /* PINLAB_ARENA_H */
