#!/bin/sh
# gen.sh - writes one peer-benchmark family at one size, as a pinlab litmus test or its Promela twin.
#
# Usage: gen.sh litmus|promela FAMILY SIZE...
#   sb-ring N          N threads; thread i writes x_i, then reads x_{i+1 mod N};
#                      condition: every read saw 0 (Never under SC)
#   counter N          N threads each do r = x; x = r + 1 with no lock;
#                      condition: x < N, an update lost (Sometimes)
#   counter-mutex T K  T threads each do K increments of x inside mutex m;
#                      condition: x < T*K, an update lost (Never)
#   philo N            N dining philosophers, the deadlocking variant: each
#                      takes its left fork (mutex f_i), then its right one
#                      (f_{i+1 mod N}); condition: deadlock (Sometimes)
#   pincount N         N threads each pin one page of a tmpfs file with
#                      FOLL_WRITE and unpin it; condition: a pin leaked or
#                      a pin did not return 1 (Never)
#
# The litmus test goes to stdout, named FAMILY-SIZE (FAMILY-TxK for
# counter-mutex).  The Promela twin is written at the granularity of
# pinlab's scheduling points: one Promela statement (or d_step) per step the
# explorer can interleave.  A monitor process, created first, waits for
# `timeout' (every thread finished or blocked) and then takes one of two
# printf branches; pan's report of unreached statements says which branches
# some final state reaches, which gives the verdict: only PEER-COND reached
# is Always, only PEER-NOCOND is Never, both is Sometimes.  Threads run in
# proctypes created after the monitor so that finished threads can die and
# `_nr_pr == 1' means that every thread finished (no deadlock).
set -eu

usage() {
	echo "usage: gen.sh litmus|promela sb-ring N | counter N | counter-mutex T K | philo N | pincount N" >&2
	exit 2
}

[ $# -ge 3 ] || usage
kind=$1
family=$2
n=$3
case $kind in litmus|promela) ;; *) usage ;; esac
case $n in ''|*[!0-9]*) usage ;; esac
[ "$n" -ge 1 ] || usage

# seq_list FIRST LAST: the integers FIRST..LAST, one a line
seq_list() {
	i=$1
	while [ "$i" -le "$2" ]; do
		echo "$i"
		i=$((i + 1))
	done
}

# monitor COND: the Promela monitor that classifies final states by COND
monitor() {
	cat <<EOF
/* Created first (pid 0), so that finished threads can die before it. */
active proctype monitor() {
	timeout ->
	if
	:: ($1) -> printf("PEER-COND\n")
	:: else -> printf("PEER-NOCOND\n")
	fi
}

EOF
}

# ---- SB ring ----
sb_ring_litmus() {
	echo "PIN sb-ring-$n"
	echo "\"Store buffering around a ring of $n threads: thread i writes x_i, then"
	echo "reads x_{i+1 mod $n}.  Under SC the last writer's read sees a 1.\""
	echo
	printf '{'
	for i in $(seq_list 0 $((n - 1))); do printf ' x%d = 0;' "$i"; done
	echo ' }'
	echo
	for i in $(seq_list 0 $((n - 1))); do
		echo "P$i(cpu) {"
		echo "  x$i = 1;"
		echo "  r0 = x$(((i + 1) % n));"
		echo "}"
		echo
	done
	printf 'exists ('
	for i in $(seq_list 0 $((n - 1))); do
		[ "$i" -gt 0 ] && printf ' /\\ '
		printf '%d:r0=0' "$i"
	done
	echo ')'
}

sb_ring_promela() {
	echo "/* sb-ring-$n: the Promela twin of pinlab's sb-ring-$n.litmus. */"
	echo "byte x[$n];"
	echo "byte r[$n];	/* thread i's r0, written in the step that reads */"
	echo
	cond=""
	for i in $(seq_list 0 $((n - 1))); do
		[ -n "$cond" ] && cond="$cond && "
		cond="${cond}r[$i] == 0"
	done
	monitor "_nr_pr == 1 && $cond"
	for i in $(seq_list 0 $((n - 1))); do
		echo "active proctype P$i() {"
		echo "	x[$i] = 1;"
		echo "	r[$i] = x[$(((i + 1) % n))]"
		echo "}"
		echo
	done
}

# ---- counter (read; write) ----
counter_litmus() {
	echo "PIN counter-$n"
	echo "\"$n threads increment x with a separate load and store and no lock:"
	echo "updates can be lost.\""
	echo
	echo "{ x = 0; }"
	echo
	for i in $(seq_list 0 $((n - 1))); do
		echo "P$i(cpu) {"
		echo "  r0 = x;"
		echo "  x = r0 + 1;"
		echo "}"
		echo
	done
	echo "exists (x<$n)"
}

counter_promela() {
	echo "/* counter-$n: the Promela twin of pinlab's counter-$n.litmus. */"
	echo "byte x;"
	echo
	monitor "_nr_pr == 1 && x < $n"
	for i in $(seq_list 0 $((n - 1))); do
		echo "active proctype P$i() {"
		echo "	byte r0;"
		echo "	r0 = x;"
		echo "	x = r0 + 1"
		echo "}"
		echo
	done
}

# ---- counter with a mutex ----
counter_mutex_litmus() {
	echo "PIN counter-mutex-${n}x$k"
	echo "\"$n threads each increment x $k times inside mutex m: no update is lost.\""
	echo
	echo "{ x = 0; mutex m; }"
	echo
	for i in $(seq_list 0 $((n - 1))); do
		echo "P$i(cpu) {"
		for _ in $(seq_list 1 "$k"); do
			echo "  mutex_lock(m);"
			echo "  r0 = x;"
			echo "  x = r0 + 1;"
			echo "  mutex_unlock(m);"
		done
		echo "}"
		echo
	done
	echo "exists (x<$((n * k)))"
}

counter_mutex_promela() {
	echo "/* counter-mutex-${n}x$k: the Promela twin of pinlab's counter-mutex-${n}x$k.litmus. */"
	echo "byte x;"
	echo "bit m;	/* the mutex: 1 while held */"
	echo
	monitor "_nr_pr == 1 && x < $((n * k))"
	for i in $(seq_list 0 $((n - 1))); do
		echo "active proctype P$i() {"
		echo "	byte r0;"
		for _ in $(seq_list 1 "$k"); do
			echo "	atomic { m == 0 -> m = 1 };	/* mutex_lock */"
			echo "	r0 = x;"
			echo "	x = r0 + 1;"
			echo "	m = 0;				/* mutex_unlock */"
		done
		echo "	skip"
		echo "}"
		echo
	done
}

# ---- dining philosophers, deadlocking variant ----
philo_litmus() {
	echo "PIN philo-$n"
	echo "\"$n dining philosophers, each taking the fork on its left, then the one on"
	echo "its right: all can hold their left fork and wait forever.\""
	echo
	printf '{'
	for i in $(seq_list 0 $((n - 1))); do printf ' mutex f%d;' "$i"; done
	echo ' }'
	echo
	for i in $(seq_list 0 $((n - 1))); do
		j=$(((i + 1) % n))
		echo "P$i(cpu) {"
		echo "  mutex_lock(f$i);"
		echo "  mutex_lock(f$j);"
		echo "  mutex_unlock(f$j);"
		echo "  mutex_unlock(f$i);"
		echo "}"
		echo
	done
	echo "exists (deadlock)"
}

philo_promela() {
	echo "/* philo-$n: the Promela twin of pinlab's philo-$n.litmus. */"
	echo "bit f[$n];	/* the forks: 1 while held */"
	echo
	monitor "_nr_pr > 1"
	for i in $(seq_list 0 $((n - 1))); do
		j=$(((i + 1) % n))
		echo "active proctype P$i() {"
		echo "	atomic { f[$i] == 0 -> f[$i] = 1 };"
		echo "	atomic { f[$j] == 0 -> f[$j] = 1 };"
		echo "	f[$j] = 0;"
		echo "	f[$i] = 0"
		echo "}"
		echo
	done
}

# ---- pin count with atomic read-modify-writes ----
pincount_litmus() {
	echo "PIN pincount-$n"
	echo "\"$n threads each pin the page of a one-page tmpfs file for writing and"
	echo "unpin it: the atomic pin counts never lose a pin.\""
	echo
	echo "{ fs = tmpfs; file A = 1; sectors = 1; }"
	echo
	for i in $(seq_list 0 $((n - 1))); do
		echo "P$i(app) {"
		echo "  r0 = pin_user_pages(A, 0, 1, FOLL_WRITE);"
		echo "  unpin_user_pages(r0);"
		echo "}"
		echo
	done
	printf 'exists (leak'
	for i in $(seq_list 0 $((n - 1))); do printf ' \\/ %d:r0!=1' "$i"; done
	echo ')'
}

# The twin follows mainline's path in pinlab's mm/gup.c and mm/memory.c on
# a tmpfs page that starts in the page cache, up to date and dirty, with
# one reference (the cache's): follow_page_pte() finds no PTE, the shared
# write fault takes a reference (find_get_page()), locks the page, maps it
# under this thread's own page table lock (page_add_file_rmap()), dirties
# and unlocks it, and the retried follow_page_pte() adds
# GUP_PIN_COUNTING_BIAS and counts nr_foll_pin_acquired; the unpin counts
# nr_foll_pin_released and drops the bias.
pincount_promela() {
	echo "/* pincount-$n: the Promela twin of pinlab's pincount-$n.litmus (mainline, tmpfs). */"
	echo "#define BIAS 1024	/* GUP_PIN_COUNTING_BIAS */"
	echo "int refcount = 1;	/* page->_refcount: the page cache's reference */"
	echo "byte mapcount;	/* page->_mapcount + 1 */"
	echo "bit plock;	/* PG_locked */"
	echo "bit dirty = 1;	/* PG_dirty: tmpfs pages start dirty */"
	echo "byte acquired;	/* nr_foll_pin_acquired */"
	echo "byte released;	/* nr_foll_pin_released */"
	echo "byte r[$n];	/* what each pin_user_pages() returned */"
	echo
	cond="refcount >= BIAS"
	for i in $(seq_list 0 $((n - 1))); do cond="$cond || r[$i] != 1"; done
	monitor "_nr_pr == 1 && ($cond)"
	for i in $(seq_list 0 $((n - 1))); do
		cat <<EOF
active proctype P$i() {
	bit pte;	/* this thread's PTE for the page; its page table lock is its own */
	do	/* __get_user_pages(): follow_page_pte() under the page table lock */
	:: pte -> atomic { refcount = refcount + BIAS; acquired++; r[$i] = 1 }; break
	:: else ->
		refcount++;				/* do_shared_fault(): find_get_page() */
		atomic { plock == 0 -> plock = 1 };	/* lock_page() */
		d_step { mapcount++; pte = 1 };		/* finish_fault(): page_add_file_rmap(), set_pte_at() */
		dirty = 1;				/* fault_dirty_shared_page(): set_page_dirty() */
		plock = 0				/* unlock_page() */
	od;
	atomic { released++; refcount = refcount - BIAS }	/* unpin_user_pages() */
}

EOF
	done
}

case $family in
sb-ring) "sb_ring_$kind" ;;
counter) "counter_$kind" ;;
counter-mutex)
	[ $# -ge 4 ] || usage
	k=$4
	case $k in ''|*[!0-9]*) usage ;; esac
	[ "$k" -ge 1 ] || usage
	"counter_mutex_$kind"
	;;
philo) "philo_$kind" ;;
pincount) "pincount_$kind" ;;
*) usage ;;
esac
