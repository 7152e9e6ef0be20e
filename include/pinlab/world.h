/* world.h - one execution's world: its creation from the litmus init block, the epilogue, what the oracle and traces read of it (fs/world.c, mm/names.c). */
#ifndef PINLAB_WORLD_H
#define PINLAB_WORLD_H

#include <pinlab/mm_types.h>

/**
 * struct mm_config - what the litmus init block asks for
 * @fs:       profile of every file
 * @dif:      a DIF/DIX disk
 * @dax:      fsdax files (ext4 and xfs): pages are the disk's blocks
 * @sectors:  sectors per page
 * @nr_files: files
 * @names:    their names
 * @nr_pages: their sizes in pages
 * @init:     their initial page values
 * @nr_tasks: tasks that get an address space
 * @policy:   the design the world runs under (required)
 * @cost:     the counters the world bumps, kept by the caller across the
 *	      worlds it creates (summed over an exploration's executions);
 *	      NULL: the world's own, zeroed, gone with it
 */
struct mm_config {
	const struct fs_profile *fs;
	bool dif;
	bool dax;
	int sectors;
	int nr_files;
	const char *names[MM_FILES_MAX];
	int nr_pages[MM_FILES_MAX];
	const s64 *init[MM_FILES_MAX];
	int nr_tasks;
	const struct policy *policy;
	struct mm_cost *cost;
};

struct mm_world *mm_world_create(const struct mm_config *cfg);
void mm_epilogue(struct mm_world *w);
int mm_file_size(struct mm_world *w, int ino);
s64 mm_readback(struct mm_world *w, int ino, pgoff_t index);

/**
 * struct mm_page_state - what the threads left of a page cache page
 * @cached:    the page is in the page cache (every other field is 0 if not)
 * @dirty:     PG_dirty
 * @writeback: PG_writeback
 * @buffers:   it has buffer heads (PG_private)
 * @refs:      _refcount
 * @pins:      FOLL_PIN pins as the policy's pin knob counts them: bias: _refcount /
 *	       GUP_PIN_COUNTING_BIAS; exact: _pincount; mapcount: _mapcount
 *	       beyond the PTEs mapping it; none: 0 (a pin is a plain reference)
 * @ptes:      PTEs of the tasks that map it
 * @ptes_rw:   of those, the writable ones
 */
struct mm_page_state {
	bool cached;
	bool dirty;
	bool writeback;
	bool buffers;
	int refs;
	int pins;
	int ptes;
	int ptes_rw;
};

void mm_page_state(struct mm_world *w, int ino, pgoff_t index, struct mm_page_state *st);
int mm_readback_sector(struct mm_world *w, int ino, pgoff_t index, int s, s64 *v);
s64 mm_ondisk(struct mm_world *w, int ino, pgoff_t index);

int mm_obj_name(const struct mm_world *w, const void *obj, char *buf, size_t len);
void mm_page_state_format(const struct mm_page_state *st, char *buf, size_t len);

#endif /* PINLAB_WORLD_H */
