#!/bin/bash
# knobs.sh - every value of every policy knob changes at least one verdict of the library, as TAP.
#
# Usage: knobs.sh PINLAB [DIR...]
# For each knob K and each of its values V, the matrix of the library under
# every preset with -o K=V is computed; a value passes when its matrix
# differs in some cell from the matrix of every other value of K.  A value
# that gives another value's verdicts on every test changes nothing: "not ok" --
# unless NULL below lists the two as equivalent, with the reason the model
# gives them no verdict to tell them apart; listed values that then differ
# are "not ok" too, so that the list follows the model.
set -u

# Values expected to give the same verdicts as each other, and why: one
# "knob values reason" line per group.
NULL="$(cat <<'END'
stable off,forced a device's DMA ignores stable pages, and every mapping whose data must stay stable under writeback (a DIF/DIX disk, btrfs's checksums) has them already; forcing them for pinned pages only makes CPU stores wait (stable_waits in make bench)
pin bias,exact both see every FOLL_PIN pin; bias differs only by false positives past GUP_PIN_COUNTING_BIAS (1024) plain references, which no test takes
END
)"

# The other values of @1 expected to give @2's verdicts, sorted, one line.
expected_same() {
	echo "$NULL" | awk -v k="$1" -v v="$2" '$1 == k {
		n = split($2, vs, ","); hit = 0
		for (i = 1; i <= n; i++) if (vs[i] == v) hit = 1
		if (hit) for (i = 1; i <= n; i++) if (vs[i] != v) print vs[i] }' | sort
}

null_reason() {
	echo "$NULL" | awk -v k="$1" '$1 == k { $1 = ""; $2 = ""; sub(/^  /, ""); print; exit }'
}

pinlab=$1
shift
dirs=${*:-litmus-tests/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "pin none|mapcount|bias|exact" per knob, from the Knobs section.
"$pinlab" policies | awk '/^Knobs/ { k = 1; next }
	k && /^  [a-z_]+ +[^ ]+\|/ { print $1, $2 }' >"$tmp/knobs"
[ -s "$tmp/knobs" ] || { echo "not ok 1 - no knobs found in pinlab policies"; exit 1; }

t=0
fail=0
while read -r knob values; do
	for v in ${values//|/ }; do
		# The verdict columns only: policy names carry the override.
		"$pinlab" matrix -o "$knob=$v" $dirs 2>&1 | awk 'NR > 1 && !/^Legend|policies,/ { $1 = $1; print }' \
			>"$tmp/$knob=$v" || true
	done
	for v in ${values//|/ }; do
		t=$((t + 1))
		same=""
		for w in ${values//|/ }; do
			[ "$w" != "$v" ] && cmp -s "$tmp/$knob=$v" "$tmp/$knob=$w" && same="$same $w"
		done
		same=$(printf '%s\n' $same | sort | xargs)
		want=$(expected_same "$knob" "$v" | xargs)
		if [ "$same" = "$want" ] && [ -z "$want" ]; then
			echo "ok $t - $knob=$v gives verdicts no other value of $knob gives"
		elif [ "$same" = "$want" ]; then
			echo "ok $t - $knob=$v gives the verdicts of $want, as expected: $(null_reason "$knob")"
		elif [ -n "$want" ]; then
			echo "not ok $t - $knob=$v was expected to match '$want' and matches '$same': update NULL in $0"
			fail=1
		else
			echo "not ok $t - $knob=$v gives the verdicts of $same on every test: it changes nothing"
			fail=1
		fi
	done
done <"$tmp/knobs"
echo "1..$t"
exit $fail
