#!/bin/sh
# cache_vs_dfs.sh - --cache must reach exactly the final states plain DFS reaches, as TAP.
#
# usage: tests/cache_vs_dfs.sh PINLAB
#
# The state cache trusts the model's state hash (litmus/state.c) and cuts
# every path that reaches a state it has explored; a state the hash leaves
# something out of would make it miss final states.  This runs --cache on
# every test the cache applies to (litmus tests without files: the self
# tests, and the peer benchmark's pure families at small sizes) and compares
# its States block with plain DFS's (--reduction none), or with DPOR's where
# plain DFS would take more than PLAIN_MAX executions (tests/dpor_vs_dfs.sh
# checks DPOR against plain DFS).  A test the cache does not apply to
# (files: the mm model's world) must say so: no "cached" on its Explored line.
set -u
pinlab=$1
n=0
fail=0
PLAIN_MAX=300000
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pinlab-cache.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

states() {
	sed -n '/^States/,/^Ok$\|^No$/p'
}

# complete: every Explored line of the output on stdin says complete
complete() {
	awk '$1 == "Explored" { seen = 1; if ($3 != "complete") bad = 1 } END { exit bad || !seen }'
}

# cached FILE: does --cache apply to FILE? (one execution tells)
cached() {
	"$pinlab" run --cache --max-execs 1 "$1" | grep -q '^Explored .* cached '
}

check() {
	file=$1
	name=$(basename "$file" .litmus)
	n=$((n + 1))
	if ! cached "$file"; then
		echo "not ok $n - $name: --cache does not apply to a test without files"
		fail=$((fail + 1))
		return
	fi
	ref=$("$pinlab" run --reduction none --max-execs $PLAIN_MAX "$file")
	how="plain DFS"
	if ! echo "$ref" | complete; then
		ref=$("$pinlab" run "$file")
		how="DPOR"
	fi
	got=$("$pinlab" run --cache "$file")
	if ! echo "$got" | complete; then
		echo "not ok $n - $name: --cache did not complete"
		fail=$((fail + 1))
	elif [ "$(echo "$got" | states)" = "$(echo "$ref" | states)" ]; then
		echo "ok $n - $name: --cache and $how reach the same states"
	else
		echo "not ok $n - $name: --cache and $how differ"
		fail=$((fail + 1))
	fi
}

for f in litmus-tests/self/*.litmus; do
	check "$f"
done
for spec in "sb-ring 3" "sb-ring 5" "counter 3" "counter 4" "counter 5" \
	    "counter-mutex 2 2" "counter-mutex 3 1" "philo 3" "philo 5"; do
	# shellcheck disable=SC2086 # the spec is words on purpose
	set -- $spec
	f=$tmp/$(echo "$spec" | tr ' ' -).litmus
	sh bench/peers/gen.sh litmus $spec > "$f"
	check "$f"
done
# Statements of several steps, and an if whose condition reads twice: a
# thread between two steps of one statement is no state the cache holds.
cat > "$tmp/inc-one-statement.litmus" <<'EOF'
PIN inc-one-statement
"Increments in one statement, an if of two reads with statements inside."

{ x = 0; y = 0; mutex m; }

P0(cpu) {
  x = x + 1;
  r1 = y;
}

P1(cpu) {
  x = x + 1;
  r1 = x;
  y = x + r1;
}

P2(cpu) {
  if (x == 1 && y == 0) {
    mutex_lock(m);
    x = x + 2;
    r2 = x;
    mutex_unlock(m);
  } else {
    y = 5;
  }
  r3 = x + y;
}

exists (x=2 /\ 2:r3=7)
EOF
check "$tmp/inc-one-statement.litmus"
# Tests with files: the cache does not apply, and says so by its absence.
for f in tests/litmus/page-pins-leaked.litmus litmus-tests/mm/put-page-lost-write.litmus; do
	n=$((n + 1))
	if cached "$f"; then
		echo "not ok $n - $(basename "$f" .litmus): --cache claims a test with files"
		fail=$((fail + 1))
	else
		echo "ok $n - $(basename "$f" .litmus): no state cache for a test with files"
	fi
done
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
