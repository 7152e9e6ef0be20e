/* assumptions.c - the modelling assumptions that shape a verdict, for pinlab run --assumptions. */
#include <stdio.h>
#include <pinlab/litmus.h>

/**
 * struct lt_assumption - one way the model is simpler than the kernel
 * @key:  a short name, also the man page's heading for it
 * @text: what the model does, and what follows for a verdict
 */
struct lt_assumption {
	const char *key;
	const char *text;
};

static const struct lt_assumption assumptions[] = {
	{ "I/O completes in the submitter",
	  "bio_endio() and end_page_writeback() run in the task that submitted "
	  "the bio, after its last sector, not later from an interrupt: writeback "
	  "is never in flight while the submitter does something else." },
	{ "reclaim(A) is one kswapd pass",
	  "over every page of A, on a node taken as flagged PGDAT_DIRTY: a dirty "
	  "file page gets PG_reclaim on a first pass and is written only by a "
	  "second (base 4.20; 6.18 has no ->writepage for file pages). No LRU: "
	  "reclaim looks at A's pages only." },
	{ "sectors per page",
	  "4 unless the test says `sectors = N`; DMA and disk transfers move one "
	  "sector per step, and a page whose sectors disagree reads back torn." },
	{ "one disk block per page",
	  "ext4 overwrites it in place, btrfs writes a new block per writeback; "
	  "no extents, no journal, no delayed allocation beyond buffer heads." },
	{ "every thread maps every file",
	  "shared and writable, each thread in its own mm; no fault-around, no "
	  "readahead: a page enters the cache only when an operation touches it." },
	{ "shared variables are sequentially consistent",
	  "each read or write of one is a step; there is no weak memory model." },
	{ "a task waiting for a lock sleeps",
	  "a spinning CPU makes no progress until the release either way; a held "
	  "lock simply disables the tasks that wait for it." },
	{ "a cut execution has no outcome",
	  "an execution stopped at --max-steps is counted in Explored, never in "
	  "States, and makes the exploration incomplete." },
	{ "the epilogue",
	  "when the threads end: sync every file, wait for all I/O, read page "
	  "state, drop caches, read every page back from disk; pins still held "
	  "are a leak and are not released." },
	{ "the kernel base",
	  "each preset runs on Linux 4.20 or 6.18 behaviour (`base=`, "
	  "docs/eras.md); -o base= moves a design to the other." },
	{ "layout leases",
	  "are granted and never broken: truncate, punch and reflink are not "
	  "modelled yet." },
};

/**
 * litmus_print_assumptions() - the list `pinlab run --assumptions` prints
 * @f: where to print
 */
void litmus_print_assumptions(FILE *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(assumptions); i++)
		fprintf(f, "- %s: %s\n", assumptions[i].key, assumptions[i].text);
}
