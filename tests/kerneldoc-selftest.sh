#!/bin/sh
# kerneldoc-selftest.sh - scripts/check-kerneldoc.sh must flag each kind of finding and pass clean files, as TAP.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pinlab-kdoc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

# expect WHAT FILE...: check-kerneldoc.sh on FILEs exits 1 and says WHAT
# ("" for a clean run: exit 0, no output).
expect() {
	what=$1
	shift
	n=$((n + 1))
	out=$(scripts/check-kerneldoc.sh "$@" 2>&1)
	rc=$?
	if [ -z "$what" ] && [ $rc -eq 0 ] && [ -z "$out" ]; then
		echo "ok $n - clean: $*"
	elif [ -n "$what" ] && [ $rc -eq 1 ] && echo "$out" | grep -q -- "$what"; then
		echo "ok $n - flags '$what'"
	else
		echo "not ok $n - expected '${what:-nothing}', got status $rc: $out"
		fail=1
	fi
}

cat >"$tmp/good.c" <<'C'
/**
 * good() - a documented function
 * @x: its argument
 *
 * Return: @x
 */
int good(int x)
{
	return x;
}

/**
 * struct thing - a documented type
 * @a: a field
 */
struct thing {
	int a;
};
C
printf '/** one() - a one-liner */\nint one(void);\n' >"$tmp/one.h"
printf '/**\n * wrong() - names another function\n */\nint right(void);\n' >"$tmp/wrong.c"
printf '/**\n * Some prose without a name line.\n */\nint prose(void);\n' >"$tmp/prose.c"
printf '/**\n * good() - the header copy\n */\nint good(int x);\n' >"$tmp/good.h"

expect "" "$tmp/good.c"
expect "one-line kernel-doc" "$tmp/one.h"
expect "documents wrong(), declares: int right(void);" "$tmp/wrong.c"
expect "no NAME - line" "$tmp/prose.c"
expect "func:good documented twice" "$tmp/good.c" "$tmp/good.h"
echo "1..$n"
exit $fail
