#!/bin/sh
# dpor_vs_dfs.sh - DPOR must reach exactly the final states plain DFS reaches, as TAP.
#
# usage: tests/dpor_vs_dfs.sh PINLAB
#
# The reduction trusts every step's footprint; a shared access model code
# forgot to record would make DPOR miss states.  Plain DFS trusts nothing.
# This runs both, to completion, on every self-test and on the mm tests small
# enough for plain DFS (up to about half a million executions), under a
# policy that pins with plain references and one that counts pins, and on
# tests/dpor/ (small races of references, pins and page flags) under those
# and pinlab's exact pin count, and its lease tests under lease.
set -u
pinlab=$1
n=0
fail=0

states() {
	sed -n '/^States/,/^Ok$\|^No$/p'
}

check() {
	file=$1
	policy=$2
	name=$(basename "$file" .litmus)
	n=$((n + 1))
	plain=$("$pinlab" run --reduction none --policy "$policy" "$file")
	if [ "$(echo "$plain" | awk '$1 == "Explored" { print $3 }')" != complete ]; then
		echo "not ok $n - $name $policy: plain DFS did not complete"
		fail=$((fail + 1))
	elif [ "$("$pinlab" run --policy "$policy" "$file" | states)" = \
	       "$(echo "$plain" | states)" ]; then
		echo "ok $n - $name $policy: DPOR and plain DFS reach the same states"
	else
		echo "not ok $n - $name $policy: DPOR and plain DFS differ"
		fail=$((fail + 1))
	fi
}

for f in litmus-tests/self/*.litmus; do
	check "$f" mainline
done
for t in put-page-lost-write put-page-dirty-safe write-notify-fault-safe \
	 longterm-ext4-rw longterm-tmpfs-rw reclaim-strips-pinned; do
	for p in placeholder mainline; do
		# reclaim-strips-pinned is small only where mainline refuses the pin.
		[ $t = reclaim-strips-pinned ] && [ $p = placeholder ] && continue
		check "litmus-tests/mm/$t.litmus" $p
	done
done
# Small mm tests of the refcount and page flag reductions.
for f in tests/dpor/*.litmus; do
	for p in placeholder mainline pinlab; do
		check "$f" $p
	done
done
# The lease break timer, a kernel task made inside a step (fs/locks.c),
# under the one preset that breaks leases.
for f in tests/dpor/lease-*.litmus; do
	check "$f" lease
done
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
