/* lockdep.h - debug builds: lock classes and the lock-order checker's hooks (kernel/lockdep.c). */
#ifndef PINLAB_LOCKDEP_H
#define PINLAB_LOCKDEP_H

#include <stdio.h>
#include <pinlab/types.h>

/*
 * A lock class is a lock initialiser's call site, as the kernel's lockdep
 * keys are: spin_lock_init(&inode->i_data.i_lock) in inode_init() is one
 * class for every inode's i_lock, named by the expression text.  The page
 * lock (PG_locked) is one class of its own, lockdep_page_lock.
 *
 * In a build with -DPINLAB_DEBUG the lock front ends (kernel/locking.c,
 * kernel/rwsem.c, mm/page.c) tell kernel/lockdep.c of each acquisition and
 * release by a sim task; it keeps each task's stack of held locks and a
 * process-wide graph of "class A held while class B was taken" and aborts
 * on an edge that closes a cycle (docs/design-notes.md, "Lock order,
 * checked").  In a release build every hook below compiles to nothing and
 * the lock structures have no class field.
 */

/**
 * struct lock_class_key - one lock class
 * @name: the initialised lock's expression ("&inode->i_rwsem")
 * @id:   1 + its index in the order graph; 0 until first taken
 */
struct lock_class_key {
	const char *name;
	int id;
};

#ifdef PINLAB_DEBUG

extern struct lock_class_key lockdep_page_lock;
extern __thread const char *lockdep_site;

void lock_begin(const char *fn);
void lock_acquire(struct lock_class_key *key, const void *lock);
void lock_tried(struct lock_class_key *key, const void *lock, bool taken);
void lock_release(struct lock_class_key *key, const void *lock);
void lockdep_reset(void);
void lockdep_print(FILE *f);

/*
 * LOCKDEP_INIT() - run initialiser @init on @lock and give it the class of
 * this call site.  LOCKDEP_CALL() - call lock function @fn on @lock,
 * telling the checker which function takes it.  The lock headers wrap
 * their initialisers and acquisitions in these; the functions themselves
 * are defined and called as (fn)(...), which no macro expands.
 */
#define LOCKDEP_INIT(init, lock)					\
	({								\
		static struct lock_class_key __key = { #lock, 0 };	\
		__typeof__(lock) __l = (lock);				\
									\
		(init)(__l);						\
		__l->dep_key = &__key;					\
	})

#define LOCKDEP_CALL(fn, lock)	(lockdep_site = __func__, (fn)(lock))

/* The class of a spinlock_t, struct mutex or struct rw_semaphore (NULL: none). */
#define LOCKDEP_KEY(lock)	((lock)->dep_key)

#else

#define lock_begin(fn)				do { } while (0)
#define lock_acquire(key, lock)			do { } while (0)
#define lock_tried(key, lock, taken)		do { } while (0)
#define lock_release(key, lock)			do { } while (0)
#define lockdep_reset()				do { } while (0)

#endif /* PINLAB_DEBUG */

#endif /* PINLAB_LOCKDEP_H */
