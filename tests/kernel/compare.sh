#!/bin/sh
# compare.sh - checks pinlab's mainline verdicts against the running kernel's answers, as TAP.
#
# usage: tests/kernel/compare.sh PROBE PINLAB
#
# PROBE (io_uring_longterm.c) asks the running kernel for long-term writable
# pins through io_uring buffer registration.  Each case is paired with the
# litmus test that asks pinlab the same question under the mainline policy:
#   file-shared  (ext4, xfs, btrfs: dirty-tracked)  <-> longterm-ext4-rw
#   memfd-shared (shmem)                             <-> longterm-tmpfs-rw
# Kernels before 6.5 did not refuse; a file on a filesystem that is not
# dirty-tracked asks nothing: those comparisons are skipped with the reason.
set -u
probe=$1
pinlab=$2
n=0
fail=0

tap() {
	n=$((n + 1))
	echo "$1 $n - $2"
	[ "$1" = "not ok" ] && fail=$((fail + 1))
}

# The Observation of a litmus test under mainline: Never, Sometimes or Always.
observe() {
	"$pinlab" run --policy mainline "litmus-tests/mm/$1.litmus" |
		awk '$1 == "Observation" { print $3 }'
}

# "case NAME fs=FS result=R" -> R
kernel_result() {
	grep "^case $1 " "$out" | sed -n 's/.* result=\(.*\)$/\1/p'
}

# "case NAME fs=FS result=R" -> FS
kernel_fs() {
	grep "^case $1 " "$out" | sed -n 's/.* fs=\([^ ]*\) .*/\1/p'
}

kernel_at_least_6_5() {
	v=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
	set -- $v
	[ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 5 ]; }
}

# compare CASE TEST WANT_KERNEL WANT_PINLAB
compare() {
	got=$(kernel_result "$1")
	case_fs=$(kernel_fs "$1")
	obs=$(observe "$2")
	what="kernel $1 ($case_fs) gave ${got:-nothing}, pinlab $2 mainline: $obs"
	if [ -z "$got" ]; then
		tap "ok" "$1 # SKIP the probe could not set this case up"
	elif [ "$got" = "$3" ] && [ "$obs" = "$4" ]; then
		tap "ok" "$what"
	else
		tap "not ok" "$what (expected $3 and $4)"
	fi
}

out=$(mktemp)
dir=$(mktemp -d ./.kcompare.XXXXXX)
trap 'rm -rf "$out" "$dir"' EXIT
"$probe" "$dir" >"$out" 2>&1
rc=$?
if [ $rc -eq 77 ]; then
	tap "ok" "io_uring long-term pins # SKIP $(grep SKIP "$out" | head -1)"
elif ! kernel_at_least_6_5; then
	tap "ok" "io_uring long-term pins # SKIP kernel $(uname -r) predates 6.5's refusal"
else
	case_fs=$(kernel_fs file-shared)
	case $case_fs in
	ext4 | xfs | btrfs | overlayfs | f2fs)
		compare file-shared longterm-ext4-rw -EFAULT Always ;;
	*)
		tap "ok" "file-shared # SKIP $dir is on ${case_fs:-an unknown fs}, not a dirty-tracked one" ;;
	esac
	compare memfd-shared longterm-tmpfs-rw 0 Never
fi
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
