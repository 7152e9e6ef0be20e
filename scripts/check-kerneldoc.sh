#!/bin/bash
# check-kerneldoc.sh - kernel-doc once, at the definition, in the form scripts/kernel-doc reads (issue 11).
#
# Usage: scripts/check-kerneldoc.sh [--tap] [FILE...]
#
# Over the library, the tools and the public headers (tests/ excluded, as
# in check-layers.sh), or the FILEs given, it flags
#   FILE:LINE: one-line kernel-doc        a "/** ... */" on one line: the
#                                         kernel's tool skips it
#   FILE:LINE: no NAME - line             a "/**" block whose first line is
#                                         not "NAME() - ", "struct NAME - "...
#   FILE:LINE: documents X, declares Y    the name differs from the
#                                         function or type below the block
#   FILE:LINE: X documented twice         a second kernel-doc block for the
#                                         same name in a header and a source
#                                         file, or in one file
# and exits 1 on any.  "DOC:" blocks are free text and are not checked.
# With --tap the result is TAP (for tests/run.sh), the findings as comments.
set -u
cd "$(dirname "$0")/.."

tap=0
[ "${1:-}" = --tap ] && { tap=1; shift; }

if [ $# -gt 0 ]; then
	files=$(printf '%s\n' "$@")
else
	files=$(find kernel lib policy mm fs block drivers explore litmus tools \
		     bench fuzz include/pinlab -name '*.[ch]' 2>/dev/null | sort)
fi

# One awk pass over all files: findings on stdout as "F FILE:LINE: text",
# every documented name as "N NAME FILE:LINE".
scan() {
	# shellcheck disable=SC2086
	awk '
	function finding(line, text) { print "F " FILENAME ":" line ": " text }
	FNR == 1 { state = 0 }
	# state 0: outside; 1: just after "/**"; 2: in the block; 3: after it
	state == 3 && /^[[:space:]]*$/ { next }
	state == 3 {
		state = 0
		# "(name)(" is a definition a same-named macro must not expand
		if (kind == "func" && index($0, name "(") == 0 && index($0, "(" name ")(") == 0)
			finding(start, "documents " name "(), declares: " $0)
		else if (kind == "typedef" && $0 !~ /^typedef/)
			finding(start, "documents typedef " name ", declares: " $0)
		else if (kind != "func" && kind != "typedef" && index($0, kind " " name) == 0)
			finding(start, "documents " kind " " name ", declares: " $0)
	}
	state == 0 && /^[[:space:]]*\/\*\*.*\*\/[[:space:]]*$/ {
		finding(FNR, "one-line kernel-doc (scripts/kernel-doc skips it)")
		next
	}
	state == 0 && /^[[:space:]]*\/\*\*[[:space:]]*$/ { state = 1; start = FNR; next }
	state == 1 {
		state = 2
		line = $0
		sub(/^[[:space:]]*\*[[:space:]]*/, "", line)
		if (line ~ /^DOC:/) { kind = "doc"; next }
		if (match(line, /^(struct|union|enum|typedef)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]+-/)) {
			split(line, w, /[[:space:]]+/)
			kind = w[1]; name = w[2]
		} else if (match(line, /^[A-Za-z_][A-Za-z0-9_]*(\(\))?[[:space:]]+-/)) {
			name = line
			sub(/[\( [:space:]].*/, "", name)
			kind = "func"
		} else {
			finding(start, "no NAME - line: " line)
			kind = "doc"
			next
		}
		print "N " kind ":" name " " FILENAME ":" start
	}
	state == 2 && /\*\// { state = (kind == "doc") ? 0 : 3 }
	' $files
}

out=$(scan)
findings=$(grep '^F ' <<<"$out" | cut -c3-)
# A name documented in a header and in a source file, or twice in one
# file; two programs' static functions of one name are not a finding.
twice=$(grep '^N ' <<<"$out" | sort -k2,2 -s | awk '
	function file(w) { sub(/:[0-9]+$/, "", w); return w }
	$2 == prev && (file($3) == file(where) || $3 ~ /\.h:/ || where ~ /\.h:/) {
		print $3 ": " $2 " documented twice (first at " where ")"
	}
	{ prev = $2; where = $3 }')
all=$(printf '%s\n%s\n' "$findings" "$twice" | sed '/^$/d')
n=$(sed '/^$/d' <<<"$all" | wc -l)

if [ $tap -eq 1 ]; then
	echo "1..1"
	if [ "$n" -eq 0 ]; then
		echo "ok 1 - kernel-doc once, at the definition, in block form"
	else
		echo "not ok 1 - $n kernel-doc findings"
		sed 's/^/# /' <<<"$all"
	fi
else
	[ "$n" -eq 0 ] || echo "$all"
fi
[ "$n" -eq 0 ]
