#!/bin/sh
# kernel-compare.sh - pinlab kernel --compare over the litmus library and tests/kernel/litmus, as TAP.
#
# usage: tests/kernel/kernel-compare.sh PINLAB [ITERATIONS]
#
# Every test whose operations all map runs ITERATIONS times (default 20) on
# the running kernel, on a filesystem pinlab kernel makes for itself, and its
# outcomes must lie inside the model's outcome set under mainline.  Tests that
# cannot be mapped, or that this machine cannot run (no root, no loop device,
# no io_uring), come out as "# SKIP reason" from pinlab kernel itself.
#
# KNOWN lists the tests on which the comparison fails today: a model
# divergence found by pinlab kernel and not fixed yet.  Each such "not ok"
# becomes "ok" with the reason.  When the model is fixed and one of them
# agrees, that is "ok" with a note to drop it from KNOWN.
set -u
pinlab=$1
n=${2:-20}
KNOWN=""

# Why a KNOWN test diverges.
reason() {
	case $1 in
	*) echo "no reason recorded: add one here" ;;
	esac
}

if [ "$(id -u)" != 0 ]; then
	echo "# WARNING: not root: pinlab kernel cannot make loop filesystems; ext4, xfs and btrfs tests SKIP"
fi
[ -e /dev/loop-control ] || echo "# WARNING: no /dev/loop-control: ext4, xfs and btrfs tests SKIP"

# Images go under a directory of this run's own, so that the leftover check
# below sees only this run's loop devices, not those of a concurrent one.
TMPDIR=$(mktemp -d)
export TMPDIR
out=$(mktemp)
all=$(mktemp)
err=$(mktemp)
trap 'rm -rf "$TMPDIR"' EXIT
t=0

# expect_usage WHAT ARGS...: exit 2, nothing on stdout, one located line on stderr.
expect_usage() {
	what=$1
	shift
	t=$((t + 1))
	"$pinlab" kernel "$@" >"$out" 2>"$err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$out" ] && [ "$(wc -l <"$err")" -eq 1 ] &&
	   grep -q "^pinlab: error: .*$what" "$err"; then
		echo "ok $t - pinlab kernel $* refuses: $(cat "$err")"
	else
		echo "not ok $t - pinlab kernel $*: status $rc, stderr '$(cat "$err")'"
		fail=1
	fi
}

fail=0
expect_usage "13:3: get_user_pages(): no syscall" litmus-tests/mm/put-page-dirty-safe.litmus
expect_usage "21:12: the kernel runner does not read page state" tests/litmus/page-dirty-late-store.litmus
expect_usage "18:3: set_page_dirty_lock()" -n 1 litmus-tests/mm/reclaim-store-safe.litmus \
	litmus-tests/stable/fsync-after-skip.litmus
expect_usage "dev = dif" litmus-tests/stable/dif-dma-vs-writeback.litmus
expect_usage "unknown option '--bogus'" --bogus litmus-tests/mm/reclaim-store-safe.litmus
expect_usage "--iterations expects a number" --iterations 0 litmus-tests/mm/reclaim-store-safe.litmus
expect_usage "no litmus file" --compare
expect_usage "no-such.litmus" no-such.litmus
mkdir "$TMPDIR/empty"
expect_usage "no .litmus files in this directory" "$TMPDIR/empty"
# "ok 3 - x" -> "ok $((3 + t)) - x": after the usage test points.
renumber() {
	echo "$1" | awk -v t="$t" '{ i = ($1 == "not") ? 3 : 2; $i = $i + t; print }'
}

known() {
	for k in $KNOWN; do
		[ "$k" = "$1" ] && return 0
	done
	return 1
}

# compare ARGS...: one pinlab kernel --compare run, its points renumbered
# after the ones printed so far and known divergences marked.
compare() {
	"$pinlab" kernel --compare --iterations "$n" "$@" >"$out" 2>&1
	rc=$?
	if [ $rc -gt 1 ]; then
		sed 's/^/# /' "$out"
		echo "not ok - pinlab kernel --compare $* exited with status $rc"
		exit 1
	fi
	while IFS= read -r line; do
		case $line in
		"not ok "*)
			line=$(renumber "$line")
			name=$(echo "$line" | sed 's/^not ok [0-9]* - \([^ ]*\).*/\1/')
			if known "$name"; then
				why=$(reason "$name")
				echo "ok${line#not ok} # known model divergence: $why"
			else
				echo "$line"
				fail=1
			fi ;;
		"ok "*)
			line=$(renumber "$line")
			name=$(echo "$line" | sed 's/^ok [0-9]* - \([^ ]*\).*/\1/')
			if known "$name" && ! echo "$line" | grep -q '# SKIP'; then
				echo "$line # NOTE: the known divergence is gone; drop $name from KNOWN in $0"
			else
				echo "$line"
			fi ;;
		1..*)
			;;
		*)
			echo "# $line" ;;
		esac
	done <"$out"
	t=$((t + $(grep -c '^\(not \)\{0,1\}ok ' "$out")))
	cat "$out" >>"$all"
}

# Directories, walked in path order as run and check walk them.
compare litmus-tests/ tests/kernel/litmus/
# The layout tests on every filesystem the model has, not only their own.
compare --fs ext4,btrfs,xfs,tmpfs litmus-tests/layout/

losetup -a 2>/dev/null | grep -q "$TMPDIR/pinlab-kernel" && { echo "not ok - a loop device of pinlab kernel is left"; fail=1; }
ls -d "${TMPDIR:-/tmp}"/pinlab-kernel.* >/dev/null 2>&1 &&
	echo "# note: ${TMPDIR:-/tmp}/pinlab-kernel.* exists (another run, or one killed with SIGKILL)"
exit $fail
