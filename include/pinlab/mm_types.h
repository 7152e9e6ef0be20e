/* mm_types.h - struct page, address_space, inode, PTEs and the per-execution model world. */
#ifndef PINLAB_MM_TYPES_H
#define PINLAB_MM_TYPES_H

#include <stdatomic.h>
#include <pinlab/filelock.h>
#include <pinlab/mm_flags.h>
#include <pinlab/mutex.h>
#include <pinlab/rwsem.h>
#include <pinlab/spinlock.h>
#include <pinlab/wait.h>

struct mm_cost;
struct policy;

#define PAGE_SECTORS_MAX	64	/* sectors per page at most (litmus: sectors = N) */
#define MM_FILES_MAX		8	/* files per test */
#define MM_PAGES_MAX		64	/* pages per file */
#define MM_BLOCKS_MAX		512	/* disk blocks (a block holds one page) */

/* Page values that are not numbers (a litmus condition reads them too). */
#define PAGE_VAL_TORN		(INT64_MIN + 1)	/* sectors of the page disagree */
#define PAGE_VAL_EIO		(INT64_MIN + 2)	/* the page fails its checksum */

/**
 * sector_value_fold() - fold one more sector into the value of a page
 * @value: the value of sectors 0..@s-1 so far (anything when @s is 0)
 * @s:     the sector's number
 * @x:     its value
 *
 * Folding a page's sectors in order leaves in @value their common value,
 * or PAGE_VAL_TORN once two differ (it stays so).  A reader that stops at
 * the first sector that differs stops when this returns true.
 *
 * Return: true if @x differs from the sectors before it.
 */
static inline bool sector_value_fold(s64 *value, int s, s64 x)
{
	bool torn = s && x != *value;

	*value = torn ? PAGE_VAL_TORN : x;
	return torn;
}

typedef unsigned long pgoff_t;

/*
 * Page flags.  PG_locked, PG_writeback and PG_dirty follow the kernel.
 * Each flag is its own object for footprints, byte N of the flags word
 * (page_flag_obj()), so there may be at most as many flags as the word
 * has bytes; PG_locked must stay bit 0, whose object is &page->flags.
 */
enum pageflags {
	PG_locked,		/* page lock held (lock_page) */
	PG_uptodate,		/* contents valid */
	PG_dirty,		/* must be written back */
	PG_writeback,		/* under writeback I/O */
	PG_private,		/* ->private holds buffer heads */
	PG_reclaim,		/* reclaim wants it freed after writeback */
	NR_PAGEFLAGS		/* not a flag: how many there are */
};

_Static_assert(NR_PAGEFLAGS <= sizeof(unsigned long) && PG_locked == 0,
	       "page flag objects are the bytes of the flags word");

struct address_space;
struct buffer_head;
struct mm_world;
struct request_queue;

/**
 * struct page - a page of file data
 * @flags:      PG_* bits
 * @_refcount:  references; GUP adds 1 (FOLL_GET, PIN_NONE/MAPCOUNT/EXACT) or
 *		GUP_PIN_COUNTING_BIAS (FOLL_PIN under PIN_BIAS)
 * @_mapcount:  PTEs mapping it minus one (-1: unmapped), plus one per GUP
 *		pin under PIN_MAPCOUNT
 * @_pincount:  exact FOLL_PIN pins (PIN_EXACT)
 * @mapping:    the page cache it belongs to, NULL once removed
 * @index:      its offset in @mapping, in pages
 * @private:    buffer heads when PG_private
 * @wait:       waiters for PG_locked and PG_writeback to clear
 * @nr_sectors: sectors of data
 * @data:       sector values; each sector is its own object (&data[s])
 * @freed:      returned to the allocator: any later access is a use after free
 * @id:         allocation number in this execution, for traces
 * @ref_owners: sim: references each task took by plain adds, which it
 *		may drop as plain adds (footprint bookkeeping, not audited)
 * @pin_owners: sim: the same for @_pincount
 * @dax:        an fsdax page: @data is its disk block's sectors, and it is
 *		never in a page cache; its one base reference is the device's
 * @alloc_next: the page allocated before it in this execution (the world's
 *		list, which mm_obj_name() walks to name objects in traces)
 * @world:      the world it was allocated in, set once (page_world(), as
 *		page_pgdat() finds a page's node)
 */
struct page {
	_Atomic unsigned long flags;
	_Atomic int _refcount;
	_Atomic int _mapcount;
	_Atomic int _pincount;
	struct address_space *mapping;
	pgoff_t index;
	struct buffer_head *private;
	struct wait_queue_head wait;
	int nr_sectors;
	s64 *data;
	bool freed;
	int id;
	struct count_owners ref_owners;
	struct count_owners pin_owners;
	bool dax;
	struct page *alloc_next;
	struct mm_world *world;
};

/**
 * struct buffer_head - one block of a page (pinlab: one block per page)
 * @b_state:   BH_* bits (an object for footprints)
 * @b_page:    the page it belongs to
 * @b_blocknr: disk block when BH_Mapped
 */
struct buffer_head {
	_Atomic unsigned long b_state;
	struct page *b_page;
	long b_blocknr;
};

enum bh_state_bits {
	BH_Uptodate,		/* contains valid data */
	BH_Dirty,		/* must be written */
	BH_Mapped,		/* has a disk block */
	BH_Delay,		/* delayed allocation: block reserved, not allocated */
};

/**
 * struct writeback_control - what one writeback pass should do
 * @sync_mode:      WB_SYNC_NONE (cleaning) or WB_SYNC_ALL (integrity)
 * @nr_to_write:    pages it may still write
 * @for_reclaim:    called from pageout()
 * @pages_written:  pages submitted (result)
 * @pages_skipped:  dirty pages left dirty (result)
 * @range_start:    first page to write
 * @range_end:      one past the last page to write; 0: to the end of the file
 * @bounce:         set by write_cache_pages() for the page being written when
 *		    clear_page_dirty_for_io() handed back a bounce copy
 *		    (the policy's wb is fs-bounce and the page maybe
 *		    pinned): the filesystem checksums and submits the copy,
 *		    and ends writeback on the page
 */
struct writeback_control {
	enum writeback_sync_modes sync_mode;
	long nr_to_write;
	bool for_reclaim;
	long pages_written;
	long pages_skipped;
	pgoff_t range_start;
	pgoff_t range_end;
	struct page *bounce;
};

struct inode;
struct vm_fault;

/**
 * struct address_space_operations - a filesystem's page cache methods
 * @writepages:     write dirty pages of the mapping as @wbc says
 * @writepage:      write one locked page (pageout from reclaim); it unlocks it
 * @dirty_folio:    mark a page dirty (set_page_dirty); Return: true if it was clean
 * @release_folio:  free the page's private data (buffers) if possible
 * @read_folio:     fill a locked page from disk; it unlocks it
 * @write_begin:    write(2): find or create and lock the page, prepare blocks
 * @write_end:      write(2): the data is copied: mark dirty, unlock, drop ref
 */
struct address_space_operations {
	int (*writepages)(struct address_space *mapping, struct writeback_control *wbc);
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	bool (*dirty_folio)(struct address_space *mapping, struct page *page);
	bool (*release_folio)(struct page *page);
	int (*read_folio)(struct page *page);
	int (*write_begin)(struct address_space *mapping, pgoff_t index,
			   struct page **pagep);
	int (*write_end)(struct address_space *mapping, struct page *page);
};

/**
 * struct vm_operations_struct - a filesystem's mapping methods
 * @page_mkwrite: a clean page of a shared mapping is about to be written;
 *		  NULL means the mapping is not write-notified (tmpfs)
 */
struct vm_operations_struct {
	int (*page_mkwrite)(struct vm_fault *vmf);
};

/* Bits of address_space.flags */
#define AS_STABLE_WRITES	0	/* pages must not change under writeback */
#define AS_EIO			1	/* a write failed: the next fsync returns -EIO */

/**
 * struct address_space - one file's page cache
 * @host:      the inode
 * @i_pages:   page at each index, NULL if not cached; each slot is an object
 * @nrpages:   pages cached
 * @i_lock:    protects @i_pages and @nrpages (xa_lock)
 * @flags:     AS_* bits
 * @a_ops:     the filesystem's methods
 * @invalidate_lock: taken exclusively by truncate and hole punch, shared by
 *	       ->page_mkwrite and by the creation of a new cache page
 *	       (5.15's invalidate_lock; ext4's i_mmap_sem, xfs's MMAPLOCK and
 *	       btrfs's i_mmap_lock before and beside it).  Lock order:
 *	       i_rwsem, then invalidate_lock, then the page lock.
 */
struct address_space {
	struct inode *host;
	struct page *i_pages[MM_PAGES_MAX];
	int nrpages;
	spinlock_t i_lock;
	_Atomic unsigned long flags;
	const struct address_space_operations *a_ops;
	struct rw_semaphore invalidate_lock;
};

/**
 * struct fs_profile - how a filesystem of the litmus init block behaves
 * @name:          "ext4", "tmpfs", ...
 * @a_ops:         page cache methods
 * @vm_ops:        mapping methods
 * @dirty_tracked: mappings are write-notified and written back
 *		   (vma_needs_dirty_tracking(): true for ext4, false for tmpfs)
 * @has_disk:      pages are backed by disk blocks (false: tmpfs keeps them
 *		   in memory, and the epilogue reads the page cache)
 * @buffers:       uses buffer heads (ext4)
 * @stable_writes: pages must not change under writeback (btrfs checksums
 *		   them: SB_I_STABLE_WRITES), so every mapping gets
 *		   AS_STABLE_WRITES
 * @setattr_size:  truncate(2) to a size in pages (->setattr with ATTR_SIZE);
 *		   NULL: -EOPNOTSUPP
 * @punch_hole:    fallocate(PUNCH_HOLE|KEEP_SIZE) of a page range; NULL: -EOPNOTSUPP
 * @remap_file_range: FICLONE of a whole file onto another; NULL: -EOPNOTSUPP
 */
struct fs_profile {
	const char *name;
	const struct address_space_operations *a_ops;
	const struct vm_operations_struct *vm_ops;
	bool dirty_tracked;
	bool has_disk;
	bool buffers;
	bool stable_writes;
	int (*setattr_size)(struct inode *inode, pgoff_t size);
	int (*punch_hole)(struct inode *inode, pgoff_t index, pgoff_t nr);
	int (*remap_file_range)(struct inode *src, struct inode *dst);
};

/**
 * struct inode - a file
 * @i_ino:      file index in the test (A is 0)
 * @i_name:     its litmus name
 * @i_size:     size in pages
 * @i_mapping:  points at @i_data
 * @i_data:     its page cache
 * @i_rwsem:    serialises write(2), truncate, fsync's writeback
 * @i_sb:       filesystem profile
 * @i_blocks:   disk block of each page, -1 for a hole or an unallocated
 *		delayed block; each entry is an object (xfs: the data fork)
 * @i_cow_blocks: xfs's COW fork: per page, XFS_COW_NONE, XFS_COW_DELALLOC
 *		(a reservation from xfs_bmapi_reserve_delalloc()) or the
 *		block writeback allocated for it, not yet remapped into
 *		@i_blocks by xfs_reflink_end_cow(); each entry is an object
 * @i_world:    the world it lives in
 * @i_dio_count: direct I/O in flight on this file (inode_dio_begin())
 * @i_dio_wait: inode_dio_wait() sleeps here until @i_dio_count is 0
 */
struct inode {
	int i_ino;
	const char *i_name;
	int i_size;
	struct address_space *i_mapping;
	struct address_space i_data;
	struct mutex i_rwsem;
	const struct fs_profile *i_sb;
	long i_blocks[MM_PAGES_MAX];
	long i_cow_blocks[MM_PAGES_MAX];
	struct mm_world *i_world;
	_Atomic int i_dio_count;
	struct wait_queue_head i_dio_wait;
};

#define XFS_COW_NONE		(-1)	/* i_cow_blocks[]: no COW fork extent */
#define XFS_COW_DELALLOC	(-2)	/* i_cow_blocks[]: reserved, no block yet */

/**
 * struct pte - one page table entry of a task's mapping of a file page
 * @page:    the page mapped, when present
 * @present: the entry maps @page
 * @write:   writable (else a write faults)
 * @dirty:   written through since it was last cleaned (hardware dirty bit)
 */
struct pte {
	struct page *page;
	bool present;
	bool write;
	bool dirty;
};

/**
 * struct mm_struct - one task's address space: every file mapped shared
 * @pid:  owning task
 * @ptl:  page table lock (pte_offset_map_lock)
 * @pte:  @pte[file][index]; each entry is an object.  Only the rows of the
 *        test's files exist: see mm_struct_size()
 */
struct mm_struct {
	int pid;
	spinlock_t ptl;
	struct pte pte[MM_FILES_MAX][MM_PAGES_MAX];
};

/*
 * Bytes of a struct mm_struct with the page table rows of @nr_files files:
 * what a world allocates (and zeroes) per task, every execution.
 */
static inline size_t mm_struct_size(int nr_files)
{
	return offsetof(struct mm_struct, pte) +
	       (size_t)nr_files * sizeof(((struct mm_struct *)NULL)->pte[0]);
}

/**
 * struct vm_fault - a page fault being handled
 * @mm:      faulting task's address space
 * @inode:   the file
 * @pgoff:   page index in the file
 * @write:   a write fault (FAULT_FLAG_WRITE)
 * @page:    the page found (with a reference), set by the fault path
 */
struct vm_fault {
	struct mm_struct *mm;
	struct inode *inode;
	pgoff_t pgoff;
	bool write;
	struct page *page;
};

#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_LOCKED		0x0200	/* ->page_mkwrite returned the page locked */
#define VM_FAULT_NOPAGE		0x0100	/* retry: the page went away */
#define VM_FAULT_RETRY		0x0400
#define VM_FAULT_ERROR		(VM_FAULT_OOM | VM_FAULT_SIGBUS)

/**
 * struct disk_block - one block on the disk: a page's worth of sectors
 * @data:     sector values; each sector is an object
 * @csum:     per-sector data checksum stored with the block (btrfs)
 * @has_csum: @csum is valid and reads verify it
 * @refcount: file extents that point at it (xfs's refcount btree, btrfs's
 *	      extent item references): 1 when allocated, +1 per file a
 *	      reflink shares it with, -1 when a file stops pointing at it;
 *	      more than 1 is a shared extent (an object of its own)
 */
struct disk_block {
	s64 data[PAGE_SECTORS_MAX];
	u32 csum[PAGE_SECTORS_MAX];
	bool has_csum;
	int refcount;
};

/**
 * struct gendisk - the disk: its blocks, their allocator and its request queue
 * @blocks:      the blocks, @max_blocks of them
 * @nr_blocks:   blocks allocated so far (the allocator is a bump)
 * @max_blocks:  blocks @blocks has room for (at most MM_BLOCKS_MAX)
 * @free_blocks: on a DAX world, blocks freed since, reused first (a stack)
 * @nr_free:     entries of @free_blocks
 * @dif:         the disk is DIF/DIX (issue 4)
 * @queue:       its request queue (blk_mq_init_queue()), NULL when I/O
 *		 completes in the submitter
 *
 * Reached from a bio (@bi_disk) and from the world; defined beside the
 * world rather than in blkdev.h because mm's debug checkers and trace
 * names walk its blocks.
 */
struct gendisk {
	struct disk_block *blocks;
	int nr_blocks;
	int max_blocks;
	long *free_blocks;
	int nr_free;
	bool dif;
	struct request_queue *queue;
};

/**
 * struct gup_handle - what a GUP operation gave a driver: the pages it holds
 * @nr:     pages
 * @flags:  FOLL_* it was taken with (FOLL_PIN or FOLL_GET decides the release)
 * @pages:  the pages
 * @released: the driver has let go of them (put_page(), put_user_page*(),
 *	    unpin_user_page*()); the handle still names them, as a driver's
 *	    stale pointer would
 * @revoked: a layout lease break took the pins from the driver
 *	    (layout=lease-break, fs/locks.c): the device reaches no page
 *	    through the handle any more; its own object, written by the
 *	    task that revoked it
 * @lease:  the layout lease the long-term pins were taken under, or NULL
 *	    (set by the pinning task, read only by it)
 */
struct gup_handle {
	int nr;
	unsigned int flags;
	struct page *pages[MM_PAGES_MAX];
	bool released;
	bool revoked;
	struct file_lease *lease;
};

/**
 * struct mm_world - the kernel state of one execution, in the arena
 * @nr_files:          files
 * @inodes:            one per file
 * @nr_tasks:          tasks with an address space (litmus threads)
 * @mm:                per task, its address space
 * @sectors:           sectors per page
 * @fs:                filesystem profile of every file
 * @disk:              the disk
 * @nr_pages_alloc:    pages allocated so far (page ids)
 * @pages_alloc:       the last page allocated; the others follow page->alloc_next
 * @nr_foll_pin_acquired: vmstat: FOLL_PIN pins taken
 * @nr_foll_pin_released: vmstat: FOLL_PIN pins released
 * @flctx:             per file, its layout leases (fs/locks.c)
 * @pin_wait:          woken by an unpin when a task waits for pins to go
 *		       (layout=block); the kernel's wait_var_event() hash,
 *		       one bucket
 * @dax:               the files are fsdax (dax = on): pages are blocks
 * @dax_pages:         with @dax, the page of each block, made at its first use
 * @dax_wait:          dax_break_layout() waits here for pages to go idle
 * @policy:            the design the world runs under (mm_config.policy):
 *		       constant for a run, so read freely, with no footprint
 *		       (page_policy(), inode_policy())
 * @cost:              the counters the design bumps (mm_config.cost), as a
 *		       pgdat's vm_stat; outside the footprints (page_cost(),
 *		       inode_cost())
 */
struct mm_world {
	int nr_files;
	struct inode *inodes[MM_FILES_MAX];
	int nr_tasks;
	struct mm_struct *mm[NR_TASKS_MAX];
	int sectors;
	const struct fs_profile *fs;
	struct gendisk *disk;
	int nr_pages_alloc;
	struct page *pages_alloc;
	_Atomic long nr_foll_pin_acquired;
	_Atomic long nr_foll_pin_released;
	struct file_lock_context flctx[MM_FILES_MAX];
	struct wait_queue_head pin_wait;
	bool dax;
	struct page **dax_pages;
	struct wait_queue_head dax_wait;
	const struct policy *policy;
	struct mm_cost *cost;
};

#endif /* PINLAB_MM_TYPES_H */
