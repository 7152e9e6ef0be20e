/* lockdep.c - debug builds: the lock-order checker, each sim task's held locks and the graph of their order. */
#include <stdlib.h>
#include <string.h>
#include <pinlab/audit.h>
#include <pinlab/lockdep.h>
#include <pinlab/sim.h>

#ifdef PINLAB_DEBUG

#define LOCKDEP_CLASSES_MAX	64	/* classes in the graph (a u64 of successors each) */
#define LOCKDEP_HELD_MAX	16	/* locks one task holds at once */
#define LOCKDEP_VIA_MAX		512	/* distinct (held class, class, sites) nestings kept */
#define LOCKDEP_GRAPH_ENV	"PINLAB_LOCKDEP_GRAPH"	/* file the graph is written to at exit */

/*
 * What is checked (docs/design-notes.md, "Lock order, checked"): every
 * acquisition by a sim task, once it has the lock, adds an edge from the
 * class of each lock the task holds to the new lock's class, in a graph
 * kept for the life of the process (every execution of every test of a
 * run).  An edge that closes a cycle is a lock-order inversion: two tasks
 * taking the locks in the two orders can deadlock, whether or not the
 * execution that showed the second order did.  A trylock adds no edge (it
 * cannot wait) but is held like any lock.  A lock of the class of one
 * already held (two pages, two inodes' i_rwsem) adds no edge: the order
 * between instances is the caller's (by inode number, by index); such
 * nestings are counted and listed with the graph, apart from taking a
 * lock the task holds already (a second shared hold of an rw_semaphore).
 * The threads back end, and lock operations outside a task, are not seen.
 */

/**
 * struct held_lock - a lock a task holds
 * @lock: its instance
 * @cls:  its class's index
 * @site: the function that took it
 */
struct held_lock {
	const void *lock;
	int cls;
	const char *site;
};

/**
 * struct lock_edge - the first acquisition seen of one class under another
 * @held_site: the function that took the held lock
 * @site:      the function that took the new one
 * @comm:      the task (a copy: tests come and go)
 * @note:      the litmus statement it ran, a copy; NULL if none
 * @count:     acquisitions seen in that order
 */
struct lock_edge {
	const char *held_site;
	const char *site;
	char *comm;
	char *note;
	unsigned long count;
};

/**
 * struct lock_via - one way a class is taken under another (or its own)
 * @a:         the held lock's class, + 1 (0: the slot is free)
 * @b:         the new lock's class
 * @held_site: the function that took the held lock
 * @site:      the function that took the new one
 * @note:      the litmus statement of the first such acquisition, a copy
 * @count:     acquisitions seen this way
 */
struct lock_via {
	int a;
	int b;
	const char *held_site;
	const char *site;
	char *note;
	unsigned long count;
};

/**
 * struct lockdep - the checker's state
 * @keys:     the classes, by index
 * @nr:       classes used in @keys
 * @next:     per class, the classes taken while it was held
 * @edge:     what first showed each edge of @next
 * @nested:   per class, acquisitions under another lock of the same class
 * @nest:     the first of those, as an edge
 * @recursed: per class, acquisitions of a lock the task holds already
 *	      (shared holds of an rw_semaphore)
 * @recurse:  the first of those
 * @handoffs: per class, releases by a task other than the holder
 * @via:      every nesting seen, by classes and functions (a hash table)
 * @nr_via:   slots used in @via
 * @held:     per pid, the locks the task holds, oldest first
 * @depth:    per pid, entries used in @held
 * @site:     per pid, the function taking the lock the task waits for
 */
static struct lockdep {
	struct lock_class_key *keys[LOCKDEP_CLASSES_MAX];
	int nr;
	u64 next[LOCKDEP_CLASSES_MAX];
	struct lock_edge edge[LOCKDEP_CLASSES_MAX][LOCKDEP_CLASSES_MAX];
	unsigned long nested[LOCKDEP_CLASSES_MAX];
	struct lock_edge nest[LOCKDEP_CLASSES_MAX];
	unsigned long recursed[LOCKDEP_CLASSES_MAX];
	struct lock_edge recurse[LOCKDEP_CLASSES_MAX];
	unsigned long handoffs[LOCKDEP_CLASSES_MAX];
	struct lock_via via[LOCKDEP_VIA_MAX];
	int nr_via;
	struct held_lock held[NR_TASKS_MAX][LOCKDEP_HELD_MAX];
	int depth[NR_TASKS_MAX];
	const char *site[NR_TASKS_MAX];
} dep;

/**
 * struct lock_exception - a known inversion, reported but not fatal
 * @held: the held lock's class name
 * @cls:  the class taken under it, closing the cycle
 * @site: the function taking it
 * @why:  what it is and where it is discussed
 * @hits: times seen in this process
 */
struct lock_exception {
	const char *held;
	const char *cls;
	const char *site;
	const char *why;
	unsigned long hits;
};

/*
 * The model's known inversions (docs/design-notes.md, "Lock order,
 * checked").  Each is printed when first seen and by lockdep_print(); its
 * edge stays out of the graph, so every other cycle is still fatal.
 */
static struct lock_exception exceptions[] = {
	/*
	 * None.  The one this list held, reflink under layout=lease-break
	 * taking the source's i_rwsem again under the destination's
	 * invalidate lock, is fixed: remap_file_range_lock() now waits for
	 * a lease break with every lock dropped.
	 */
};
/* The page lock, PG_locked: a bit lock with no initialiser, one class. */
struct lock_class_key lockdep_page_lock = { "page->flags PG_locked", 0 };

/* Set by LOCKDEP_CALL(): the caller of the lock function being entered. */
__thread const char *lockdep_site;

static void lockdep_write_graph(void)
{
	const char *path = getenv(LOCKDEP_GRAPH_ENV);
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f)
		return;
	lockdep_print(f);
	fclose(f);
}

/* The index of @key's class, given one on its first acquisition. */
static int class_of(struct lock_class_key *key)
{
	if (key->id)
		return key->id - 1;
	if (dep.nr == LOCKDEP_CLASSES_MAX)
		audit_fail("lockdep: more than %d lock classes", LOCKDEP_CLASSES_MAX);
	if (!dep.nr && getenv(LOCKDEP_GRAPH_ENV))
		atexit(lockdep_write_graph);
	dep.keys[dep.nr] = key;
	key->id = ++dep.nr;
	return key->id - 1;
}

/* Only sim tasks are followed: their locks are one thread's, in step order. */
static bool followed(const struct lock_class_key *key)
{
	return key && current && kernel_footprints();
}

static char *copy(const char *s)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		audit_fail("lockdep: out of memory");
	return c;
}

static void edge_init(struct lock_edge *e, const struct held_lock *h, const char *site)
{
	e->held_site = h->site;
	e->site = site;
	e->comm = copy(current->comm);
	e->note = copy(current->note);
}

static const char *class_name(int c)
{
	const char *name = dep.keys[c]->name;

	return *name == '&' ? name + 1 : name;
}

/*
 * A shortest path of edges from @from to @to: @prev[c] is the class before
 * c on it.  Return: whether there is one.
 */
static bool find_path(int from, int to, int *prev)
{
	int queue[LOCKDEP_CLASSES_MAX], head = 0, tail = 0;
	u64 seen = 1ull << from;

	queue[tail++] = from;
	while (head < tail) {
		int c = queue[head++];
		u64 m;

		for (m = dep.next[c] & ~seen; m; m &= m - 1) {
			int n = __builtin_ctzll(m);

			seen |= 1ull << n;
			prev[n] = c;
			if (n == to)
				return true;
			queue[tail++] = n;
		}
	}
	return false;
}

static void print_edge(int a, int b, const struct lock_edge *e, const char *when)
{
	fprintf(stderr, "pinlab:   %s (taken in %s) -> %s (taken in %s): %s by %s%s%s%s\n",
		class_name(a), e->held_site, class_name(b), e->site, when, e->comm ? e->comm : "?",
		e->note ? " in '" : "", e->note ? e->note : "", e->note ? "'" : "");
}

/* Edge @a -> @b closes the cycle back from @b that @prev gives: print its edges and abort. */
static __noreturn void inversion(int a, int b, const struct held_lock *h, const char *site,
				 const int *prev)
{
	struct lock_edge now = { 0 };
	int path[LOCKDEP_CLASSES_MAX], n = 0, c;

	edge_init(&now, h, site);
	fflush(stdout);
	fprintf(stderr, "pinlab: lock-order inversion: %s takes %s while holding %s; "
		"the opposite order was seen before:\n",
		now.comm ? now.comm : "?", class_name(b), class_name(a));
	print_edge(a, b, &now, "now");
	for (c = a; c != b; c = prev[c])
		path[n++] = c;
	for (c = b; n--; c = path[n])
		print_edge(c, path[n], &dep.edge[c][path[n]], "first");
	audit_fail("invariant lock-order broken: %s -> %s closes a cycle%s%s%s",
		   class_name(a), class_name(b), now.note ? " at '" : "",
		   now.note ? now.note : "", now.note ? "'" : "");
}

/* Is @a -> @b, taken in @site, a known inversion?  Say so the first time. */
static bool excepted(int a, int b, const char *site)
{
	struct lock_exception *x;

	for (x = exceptions; x < exceptions + ARRAY_SIZE(exceptions); x++) {
		if (strcmp(x->held, class_name(a)) || strcmp(x->cls, class_name(b)) ||
		    strcmp(x->site, site))
			continue;
		if (!x->hits++)
			fprintf(stderr, "pinlab: lockdep: known lock-order inversion %s -> %s "
				"in %s, not fatal: %s\n", x->held, x->cls, x->site, x->why);
		return true;
	}
	return false;
}

/* Class @b is taken with @h held. */
static void add_edge(const struct held_lock *h, int b, const char *site)
{
	int a = h->cls, prev[LOCKDEP_CLASSES_MAX];

	if (dep.next[a] & (1ull << b)) {
		dep.edge[a][b].count++;
		return;
	}
	if (find_path(b, a, prev)) {
		if (excepted(a, b, site))
			return;
		inversion(a, b, h, site, prev);
	}
	dep.next[a] |= 1ull << b;
	edge_init(&dep.edge[a][b], h, site);
	dep.edge[a][b].count = 1;
}

/* Count the acquisition of class @b at @site with @h held, by the functions that took them. */
static void add_via(const struct held_lock *h, int b, const char *site)
{
	uintptr_t hash = (uintptr_t)h->site * 31 + (uintptr_t)site * 7 + h->cls * 64 + b;
	struct lock_via *v;
	int i;

	for (i = 0; i < LOCKDEP_VIA_MAX; i++) {
		v = &dep.via[(hash + i) % LOCKDEP_VIA_MAX];
		if (!v->a)
			break;
		if (v->a == h->cls + 1 && v->b == b && v->held_site == h->site && v->site == site) {
			v->count++;
			return;
		}
	}
	if (dep.nr_via == LOCKDEP_VIA_MAX - 1)
		return;		/* the listing is incomplete; the graph is not */
	dep.nr_via++;
	*v = (struct lock_via){ h->cls + 1, b, h->site, site,
				copy(current->note ? current->note : current->comm), 1 };
}

/* Count an acquisition under a lock of its own class; keep the first. */
static void same_class(unsigned long *count, struct lock_edge *first,
		       const struct held_lock *h, const char *site)
{
	if (!(*count)++)
		edge_init(first, h, site);
}

static void push(int pid, const void *lock, int cls, const char *site)
{
	if (dep.depth[pid] == LOCKDEP_HELD_MAX)
		audit_fail("lockdep: P%d holds more than %d locks", pid, LOCKDEP_HELD_MAX);
	dep.held[pid][dep.depth[pid]++] = (struct held_lock){ lock, cls, site };
}

/**
 * lock_begin() - a lock function @fn is entered: before it can wait
 * @fn: its name, the site when no LOCKDEP_CALL() named its caller
 *
 * The site LOCKDEP_CALL() left is per thread and every sim task runs on
 * the explorer's: it is moved to the task before another task can run.
 */
void lock_begin(const char *fn)
{
	const char *site = lockdep_site ? lockdep_site : fn;

	lockdep_site = NULL;
	if (current && kernel_footprints())
		dep.site[current->pid] = site;
}

/**
 * lock_acquire() - current has taken @lock, of class @key, waiting if need be
 * @key:  its class; NULL for a lock no initialiser gave one (not followed)
 * @lock: the instance
 *
 * Adds an edge to @key's class from each class current holds, aborting on
 * one that closes a cycle (invariant lock-order), then holds @lock.
 *
 * Context: a sim task, in the step that took the lock, after lock_begin();
 * elsewhere a no-op.
 */
void lock_acquire(struct lock_class_key *key, const void *lock)
{
	const char *site;
	int pid, cls, i;

	if (!followed(key))
		return;
	pid = current->pid;
	site = dep.site[pid];
	cls = class_of(key);
	for (i = 0; i < dep.depth[pid]; i++) {
		const struct held_lock *h = &dep.held[pid][i];

		add_via(h, cls, site);
		if (h->cls != cls)
			add_edge(h, cls, site);
		else if (h->lock != lock)
			same_class(&dep.nested[cls], &dep.nest[cls], h, site);
		else
			same_class(&dep.recursed[cls], &dep.recurse[cls], h, site);
	}
	push(pid, lock, cls, site);
}

/**
 * lock_tried() - a trylock of @lock, of class @key, returned @taken
 * @key:   its class, or NULL
 * @lock:  the instance
 * @taken: whether it was taken: then it is held, with no edge added
 *
 * Context: after lock_begin(), as lock_acquire().
 */
void lock_tried(struct lock_class_key *key, const void *lock, bool taken)
{
	if (taken && followed(key))
		push(current->pid, lock, class_of(key), dep.site[current->pid]);
}

/* Drop entry @i of @pid's held locks. */
static void pop(int pid, int i)
{
	int n = --dep.depth[pid];

	memmove(&dep.held[pid][i], &dep.held[pid][i + 1], (n - i) * sizeof(dep.held[pid][0]));
}

/**
 * lock_release() - @lock, of class @key, is released
 * @key:  its class, or NULL
 * @lock: the instance
 *
 * The holder is usually current; a page lock may be released by the task
 * that completes its read (a hand-off), and is then dropped from its
 * holder's locks.  A release of a lock nobody is seen holding is ignored.
 */
void lock_release(struct lock_class_key *key, const void *lock)
{
	int p0, p, i;

	if (!key || !kernel_footprints())
		return;
	p0 = current ? current->pid : 0;
	for (p = p0; p < p0 + NR_TASKS_MAX; p++) {
		int pid = p % NR_TASKS_MAX;

		for (i = dep.depth[pid]; i--;) {
			if (dep.held[pid][i].lock != lock)
				continue;
			if (pid != p0 || !current)
				dep.handoffs[dep.held[pid][i].cls]++;
			pop(pid, i);
			return;
		}
	}
}

/**
 * lockdep_reset() - a new execution: no task holds anything (the graph stays)
 */
void lockdep_reset(void)
{
	memset(dep.depth, 0, sizeof(dep.depth));
}

/* Same classes and functions: an inline function's __func__ has a copy per file. */
static bool via_same(const struct lock_via *v, const struct lock_via *w)
{
	return v->a == w->a && v->b == w->b && !strcmp(v->held_site, w->held_site) &&
	       !strcmp(v->site, w->site);
}

/* Was @v printed already, as an earlier slot's? */
static bool via_seen(const struct lock_via *v)
{
	const struct lock_via *w;

	for (w = dep.via; w < v; w++)
		if (w->a && via_same(v, w))
			return true;
	return false;
}

static unsigned long via_count(const struct lock_via *v)
{
	const struct lock_via *w;
	unsigned long n = 0;

	for (w = v; w < dep.via + LOCKDEP_VIA_MAX; w++)
		if (w->a && via_same(v, w))
			n += w->count;
	return n;
}

static void print_one(FILE *f, const char *what, int a, int b, const struct lock_edge *e,
		      unsigned long count)
{
	fprintf(f, "%s %s -> %s: %lu, first %s -> %s by %s%s%s%s\n", what, class_name(a),
		class_name(b), count, e->held_site, e->site, e->comm ? e->comm : "?",
		e->note ? " in '" : "", e->note ? e->note : "", e->note ? "'" : "");
}

/**
 * lockdep_print() - write the classes, the order graph and the same-class nestings to @f
 * @f: the stream
 *
 * One line a class, an edge or a class nesting in itself, with the
 * acquisitions counted and the first one's functions, task and statement;
 * then one line for each pair of functions seen taking such a nesting.
 * Written to the file named by PINLAB_LOCKDEP_GRAPH at exit when that is
 * set (how docs/design-notes.md's order was collected).
 */
void lockdep_print(FILE *f)
{
	const struct lock_exception *x;
	const struct lock_via *v;
	int a, b;

	for (x = exceptions; x < exceptions + ARRAY_SIZE(exceptions); x++)
		fprintf(f, "exception %s -> %s in %s: %lu, %s\n", x->held, x->cls, x->site,
			x->hits, x->why);
	for (a = 0; a < dep.nr; a++)
		fprintf(f, "class %s: %lu released by another task\n", class_name(a),
			dep.handoffs[a]);
	for (a = 0; a < dep.nr; a++)
		for (b = 0; b < dep.nr; b++)
			if (dep.next[a] & (1ull << b))
				print_one(f, "order", a, b, &dep.edge[a][b], dep.edge[a][b].count);
	for (a = 0; a < dep.nr; a++) {
		if (dep.nested[a])
			print_one(f, "nested", a, a, &dep.nest[a], dep.nested[a]);
		if (dep.recursed[a])
			print_one(f, "recursive", a, a, &dep.recurse[a], dep.recursed[a]);
	}
	for (v = dep.via; v < dep.via + LOCKDEP_VIA_MAX; v++)
		if (v->a && !via_seen(v))
			fprintf(f, "via %s -> %s: %s -> %s: %lu, first in '%s'\n",
				class_name(v->a - 1), class_name(v->b), v->held_site, v->site,
				via_count(v), v->note ? v->note : "");
}

#endif /* PINLAB_DEBUG */
