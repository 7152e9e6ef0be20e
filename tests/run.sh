#!/bin/sh
# run.sh - runs every test of one build directory and ends with "N passed, M failed".
#
# Usage: tests/run.sh BUILD_DIR [DEBUG_DIR]
#        tests/run.sh --debug DEBUG_DIR
# DEBUG_DIR is a -DPINLAB_DEBUG build: the checkers' own tests, then the
# whole litmus library under every preset with the footprint auditor and
# invariant checkers on.  With both, one closing line counts them all.
# cmocka suites print TAP (CMOCKA_MESSAGE_OUTPUT=TAP); the CLI test and
# `pinlab check` print TAP too; every "ok"/"not ok" line is counted.
set -u
debug=0
if [ "${1:-}" = --debug ]; then
	debug=1
	shift
fi
b=${1:-build}
dbg=${2:-}
[ $debug -eq 1 ] && dbg=$b
pinlab=$b/pinlab
release=build/pinlab
[ $debug -eq 1 ] || release=$pinlab
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

suite() {
	name=$1
	shift
	echo "# $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		# A crash or a failure that printed no test point still counts.
		echo "not ok - $name exited with status $rc"
	fi
	[ $rc -eq 0 ] || status=1
}

# Every test under every preset, explored completely: any unlisted access
# or broken invariant aborts.  The verdicts must be the release build's.
debug_library() {
	out=$(mktemp)
	"$dbg/pinlab" matrix litmus-tests/ tests/litmus/ >"$out"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok 1 - debug build: litmus-tests/ tests/litmus/ under every preset, audited"
	else
		echo "not ok 1 - debug build: litmus-tests/ tests/litmus/ under every preset, audited (status $rc)"
	fi
	if [ -x "$release" ]; then
		if "$release" matrix litmus-tests/ tests/litmus/ | cmp -s - "$out"; then
			echo "ok 2 - debug build: the same matrix as the release build"
		else
			echo "not ok 2 - debug build: the matrix differs from the release build's"
		fi
	fi
	rm -f "$out"
	[ $rc -eq 0 ]
}

# The other suites build states by hand between steps, which the auditor
# would blame on the next step: they run in the release and ASan builds.
debug_suites() {
	suite test_debug env CMOCKA_MESSAGE_OUTPUT=TAP "$dbg/tests/test_debug"
	suite "debug library" debug_library
}

all_suites() {
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		suite "$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	suite cli.sh tests/cli.sh "$pinlab"
	suite report-html.sh tests/report-html.sh "$pinlab"
	if [ -x "$b/tests/kernel/io_uring_longterm" ]; then
		suite kernel-compare tests/kernel/compare.sh "$b/tests/kernel/io_uring_longterm" "$pinlab"
	fi
	suite "pinlab kernel" tests/kernel/kernel-compare.sh "$pinlab"
	suite dpor-vs-dfs tests/dpor_vs_dfs.sh "$pinlab"
	suite cache-vs-dfs tests/cache_vs_dfs.sh "$pinlab"
	suite "pinlab check" "$pinlab" check litmus-tests/
	# Which directories may include which headers (issue 11).
	[ "$(basename "$b")" != build ] || suite check-layers scripts/check-layers.sh --tap
	# kernel-doc once, at the definition, in the form scripts/kernel-doc reads.
	[ "$(basename "$b")" != build ] || suite check-kerneldoc scripts/check-kerneldoc.sh --tap
	[ "$(basename "$b")" != build ] || suite "check-kerneldoc self-test" tests/kerneldoc-selftest.sh
	# A property of the verdicts, not of memory safety: 27 matrices of the
	# library, run once, in the release build (under ASan they take minutes).
	[ "$(basename "$b")" != build ] || suite "knob values" tests/knobs.sh "$pinlab"
	# Regression tests of the model itself (footprint gaps found by the auditor).
	suite "pinlab check tests/litmus" "$pinlab" check tests/litmus/
}

{
	[ $debug -eq 1 ] || all_suites
	[ -z "$dbg" ] || debug_suites
} | tee "$log.all"

pass=$(grep -c '^ok ' "$log.all")
fail=$(grep -c '^not ok' "$log.all")
rm -f "$log.all"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
exit 0
