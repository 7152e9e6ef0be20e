#!/bin/sh
# run.sh - runs each peer family through pinlab and through SPIN, checks they agree, prints the table.
#
# Usage: bench/peers/run.sh [PINLAB]      (make bench-peers)
#   PINLAB         the pinlab binary (default ./pinlab)
# Environment:
#   PEERS_TIMEOUT  seconds each tool gets per family and size (default 30);
#                  SPIN's budget includes spin -a and the compile of pan
#   PEERS_SIZES    "quick" for the small sizes only, else every size
#   PEERS_ONLY     run only this family (sb-ring, counter, counter-mutex,
#                  philo, pincount)
#   PEERS_CACHE    families that get a second pinlab row, run with --cache
#                  (default "counter"; pure litmus families only: not
#                  pincount, whose files the state cache does not hold)
#   SPIN, CC       the spin command (default spin) and pan's compiler (gcc)
#
# Every figure comes from this run: pinlab's Observation, Explored and Time
# lines; SPIN's time from `spin -a' to the end of `./pan', compile included,
# and its `states, stored'.  The ratio is SPIN's wall time over pinlab's.
# Nothing asserts a time.  A family whose two verdicts differ, or differ
# from the family's expected verdict, is a failure: exit 1.  When spin is
# missing and cannot be installed (not root, no package), the SPIN side is
# skipped with a loud message and only pinlab's figures are printed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
pinlab=${1:-./pinlab}
limit=${PEERS_TIMEOUT:-30}
sizes=${PEERS_SIZES:-all}
only=${PEERS_ONLY:-}
cache_fams=${PEERS_CACHE:-counter}

case $limit in ''|*[!0-9]*) echo "run.sh: PEERS_TIMEOUT must be whole seconds" >&2; exit 2 ;; esac
if [ ! -x "$pinlab" ]; then
	echo "run.sh: no pinlab binary at $pinlab (make pinlab)" >&2
	exit 2
fi
pinlab=$(cd "$(dirname "$pinlab")" && pwd)/$(basename "$pinlab")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pinlab-peers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- spin: install it when missing, as scripts/install-deps.sh does ----
SPIN=${SPIN:-spin}
have_spin=1
if ! command -v "$SPIN" >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench-peers: apt-get install spin" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get install -y -qq spin >/dev/null 2>&1 || true
	fi
	if ! command -v "$SPIN" >/dev/null 2>&1; then
		have_spin=0
		cat >&2 <<'EOF'
bench-peers: *** SKIPPING THE SPIN SIDE ***
bench-peers: `spin' is not installed and could not be installed (run as root
bench-peers: on Debian, or install the `spin' package).  Only pinlab's figures
bench-peers: follow; no verdict is cross-checked.
EOF
	fi
fi
CC=${CC:-gcc}

# now_ms: monotonic-enough wall clock in milliseconds
now_ms() {
	t=$(date +%s%N)
	echo $((t / 1000000))
}

# secs MS: milliseconds as seconds with two decimals
secs() {
	printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10))
}

# ratio A B: A/B to two significant figures, or - when B is 0 or either is missing
ratio() {
	case "$1$2" in *[!0-9]*|'') echo -; return ;; esac
	[ "$2" -gt 0 ] || { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf(r >= 100 ? "%.0f\n" : "%.2g\n", r) }'
}

# expected FAMILY: the verdict the family's condition has under SC
expected() {
	case $1 in
	sb-ring|counter-mutex|pincount) echo Never ;;
	counter|philo) echo Sometimes ;;
	esac
}

fails=0
rows=0

# run_pinlab NAME [OPTION...]: fills p_verdict p_execs p_time p_ms
run_pinlab() {
	p_verdict=timeout p_execs=- p_time=- p_ms=-
	t0=$(now_ms)
	rc=0
	pn=$1
	shift
	timeout -k 5 "$limit" "$pinlab" run -p mainline "$@" "$tmp/$pn.litmus" \
		> "$tmp/$pn.pinlab" 2>&1 || rc=$?
	set -- "$pn"
	t1=$(now_ms)
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		p_ms=$((limit * 1000))
		return
	fi
	p_ms=$((t1 - t0))
	obs=$(grep "^Observation $1 " "$tmp/$1.pinlab" || true)
	expl=$(grep "^Explored $1 " "$tmp/$1.pinlab" || true)
	p_time=$(sed -n "s/^Time $1 //p" "$tmp/$1.pinlab")
	if [ -z "$obs" ] || [ -z "$expl" ]; then
		p_verdict=error
		sed 's/^/  pinlab: /' "$tmp/$1.pinlab" | head -5 >&2
		return
	fi
	p_verdict=$(echo "$obs" | awk '{ print $3 }')
	# Explored NAME complete N [cached M states S] | Explored NAME bounded HOW N
	how=$(echo "$expl" | awk '{ print $3 }')
	if [ "$how" = complete ] && [ "$(echo "$expl" | awk '{ print $5 }')" = cached ]; then
		# --cache: N paths ran to their end, M were cut at a visited state.
		p_execs=$(echo "$expl" | awk '{ printf("%s+%s cut", $4, $6) }')
	elif [ "$how" = complete ]; then
		p_execs=$(echo "$expl" | awk '{ print $4 }')
	else
		# A bounded exploration proves nothing: the verdict is marked unproven.
		p_execs="$(echo "$expl" | awk '{ print $NF }')($how)"
		p_verdict="$p_verdict?"
	fi
}

# run_spin NAME: fills s_verdict s_states s_ms s_pan_ms
run_spin() {
	s_verdict=skipped s_states=- s_ms=- s_pan_ms=-
	[ "$have_spin" = 1 ] || return 0
	d=$tmp/spin-$1
	mkdir -p "$d"
	cp "$tmp/$1.pml" "$d/"
	t0=$(now_ms)
	rc=0
	(cd "$d" && timeout -k 5 "$limit" sh -c \
		"$SPIN -a $1.pml && $CC -DSAFETY -O2 -w -o pan pan.c" > "$d/compile.out" 2>&1) || rc=$?
	t1=$(now_ms)
	if [ "$rc" != 0 ]; then
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			s_verdict=timeout s_ms=$((limit * 1000))
		else
			s_verdict=error
			sed 's/^/  spin: /' "$d/compile.out" | head -5 >&2
		fi
		return 0
	fi
	left=$((limit - (t1 - t0) / 1000))
	[ "$left" -ge 1 ] || left=1
	rc=0
	# -E: the monitor process judges deadlocks itself, so pan must not stop
	# at the first invalid end state; the search is exhaustive.
	(cd "$d" && timeout -k 5 "$left" ./pan -m1000000 -E > pan.out 2>&1) || rc=$?
	t2=$(now_ms)
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		s_verdict=timeout s_ms=$((limit * 1000))
		return 0
	fi
	s_ms=$((t2 - t0))
	s_pan_ms=$((t2 - t1))
	s_states=$(awk '/states, stored/ { print $1; exit }' "$d/pan.out")
	if [ "$rc" != 0 ] || [ -z "$s_states" ] || ! grep -q 'errors: 0' "$d/pan.out" ||
	   grep -q 'max search depth too small\|out of memory' "$d/pan.out"; then
		s_verdict=error
		sed 's/^/  pan: /' "$d/pan.out" | head -12 >&2
		return 0
	fi
	# pan lists the monitor's printf branches that no final state reached.
	cond=1 nocond=1
	grep -q "\"printf('PEER-COND" "$d/pan.out" && cond=0
	grep -q "\"printf('PEER-NOCOND" "$d/pan.out" && nocond=0
	case $cond$nocond in
	11) s_verdict=Sometimes ;;
	10) s_verdict=Always ;;
	01) s_verdict=Never ;;
	*) s_verdict=error ;;
	esac
}

# row LABEL: one row of the table, from run_pinlab's and run_spin's figures
row() {
	note=""
	pv=$p_verdict sv=$s_verdict
	case $pv in Never|Sometimes|Always) ;; *) pv="" ;; esac
	case $sv in Never|Sometimes|Always) ;; *) sv="" ;; esac
	if [ -n "$pv" ] && [ -n "$sv" ] && [ "$pv" != "$sv" ]; then
		note="MISMATCH"
	elif [ -n "$pv" ] && [ "$pv" != "$want" ]; then
		note="UNEXPECTED(pinlab)"
	elif [ -n "$sv" ] && [ "$sv" != "$want" ]; then
		note="UNEXPECTED(spin)"
	elif [ "$p_verdict" = error ] || [ "$s_verdict" = error ]; then
		note="ERROR"
	fi
	[ -z "$note" ] || fails=$((fails + 1))
	pt=timeout
	[ "$p_verdict" = timeout ] || pt=$(secs "$p_ms")
	st=$s_verdict
	sp=-
	case $s_verdict in Never|Sometimes|Always) st=$(secs "$s_ms") sp=$(secs "$s_pan_ms") ;; esac
	r=-
	case "$p_verdict/$s_verdict" in
	timeout/timeout|*/skipped|*/error|error/*) ;;
	timeout/*) r="<$(ratio "$s_ms" "$p_ms")" ;;
	*/timeout) r=">$(ratio "$s_ms" "$p_ms")" ;;
	*) r=$(ratio "$s_ms" "$p_ms") ;;
	esac
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
		"$1" "$size" "$want" "$p_verdict" "$p_execs" "$pt" "${p_time:--}" \
		"$s_verdict" "$s_states" "$st" "$sp" "$r${note:+ **$note**}"
	rows=$((rows + 1))
}

# bench FAMILY SIZE...: its row, and a --cache row (against the same SPIN run)
bench() {
	fam=$1
	shift
	[ -z "$only" ] || [ "$only" = "$fam" ] || return 0
	if [ "$fam" = counter-mutex ]; then
		name=$fam-$1x$2 size="$1 x $2"
	else
		name=$fam-$1 size=$1
	fi
	"$here/gen.sh" litmus "$fam" "$@" > "$tmp/$name.litmus"
	"$here/gen.sh" promela "$fam" "$@" > "$tmp/$name.pml"
	want=$(expected "$fam")
	run_pinlab "$name"
	run_spin "$name"
	row "$fam"
	case " $cache_fams " in *" $fam "*) ;; *) return 0 ;; esac
	run_pinlab "$name" --cache
	row "$fam --cache"
}

echo "# pinlab vs SPIN, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "- machine: $(nproc) cores${cpu:+, $cpu}; per-run timeout ${limit} s"
rev=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "- pinlab: $rev, policy mainline, DFS with DPOR; rows \"--cache\": plain DFS with"
echo "  sleep sets and a visited-state table (executions: paths run to their end + paths cut)"
if [ "$have_spin" = 1 ]; then
	echo "- spin: $("$SPIN" -V 2>&1 | head -1); pan: $CC -DSAFETY -O2, partial-order reduction on, ./pan -m1000000 -E"
fi
echo
echo "| family | size | expected | pinlab | executions | pinlab s | (explore s) | SPIN | states stored | SPIN s (incl. compile) | (pan s) | SPIN/pinlab |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"

if [ "$sizes" = quick ]; then
	set -- "sb-ring 5" "sb-ring 9" "counter 4" "counter 5" \
		"counter-mutex 2 3" "counter-mutex 3 1" "philo 5" "philo 7" \
		"pincount 2" "pincount 3"
else
	set -- "sb-ring 5" "sb-ring 9" "sb-ring 11" "sb-ring 13" \
		"counter 4" "counter 5" "counter 6" "counter 7" \
		"counter-mutex 2 3" "counter-mutex 2 5" "counter-mutex 2 7" "counter-mutex 3 1" \
		"philo 5" "philo 7" "philo 9" "philo 13" \
		"pincount 2" "pincount 3" "pincount 4"
fi
for spec in "$@"; do
	# shellcheck disable=SC2086 # the spec is words on purpose
	bench $spec
done

echo
if [ "$fails" -gt 0 ]; then
	echo "bench-peers: $fails of $rows rows FAILED: the verdicts disagree, are unexpected or are errors"
	exit 1
fi
if [ "$have_spin" = 1 ]; then
	echo "bench-peers: $rows rows, the verdicts agree"
else
	echo "bench-peers: $rows rows of pinlab alone; SPIN SKIPPED, no verdict cross-checked"
fi
