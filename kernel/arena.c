/* arena.c - the per-execution bump allocator: one mapping, reset between executions. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <pinlab/arena.h>

struct arena exec_arena;

/**
 * arena_init() - reserve @size bytes.
 *
 * Return: 0 or -ENOMEM
 */
int arena_init(struct arena *a, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -ENOMEM;
	a->base = p;
	a->size = size;
	a->used = 0;
	a->peak = 0;
	return 0;
}

void arena_destroy(struct arena *a)
{
	if (a->base)
		munmap(a->base, a->size);
	a->base = NULL;
	a->size = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size || need > a->size - a->used)
		return NULL;
	p = a->base + a->used;
	a->used += need;
	if (a->used > a->peak)
		a->peak = a->used;
	memset(p, 0, size);
	return p;
}

/**
 * arena_reset() - hand out the same addresses again from the start
 */
void arena_reset(struct arena *a)
{
	a->used = 0;
}
