#!/bin/sh
# run.sh - runs every test of one build directory and ends with "N passed, M failed".
#
# Usage: tests/run.sh BUILD_DIR
# cmocka suites print TAP (CMOCKA_MESSAGE_OUTPUT=TAP); the CLI test and
# `pinlab check` print TAP too; every "ok"/"not ok" line is counted.
set -u
b=${1:-build}
pinlab=$b/pinlab
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

{
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		suite "$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
	suite cli.sh tests/cli.sh "$pinlab"
	if [ -x "$b/tests/kernel/io_uring_longterm" ]; then
		suite kernel-compare tests/kernel/compare.sh "$b/tests/kernel/io_uring_longterm" "$pinlab"
	fi
	suite "pinlab kernel" tests/kernel/kernel-compare.sh "$pinlab"
	suite dpor-vs-dfs tests/dpor_vs_dfs.sh "$pinlab"
	suite "pinlab check" "$pinlab" check litmus-tests/
} | tee "$log.all"

pass=$(grep -c '^ok ' "$log.all")
fail=$(grep -c '^not ok' "$log.all")
rm -f "$log.all"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
exit 0
