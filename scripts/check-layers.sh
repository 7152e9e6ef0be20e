#!/bin/bash
# check-layers.sh - which directories may include which headers: dependencies point one way (issue 11).
#
# Usage: scripts/check-layers.sh [--tap]
#
# tools -> litmus -> explore and the model (kernel, lib, policy, mm, fs,
# block, drivers).  Every #include of a pinlab header (<pinlab/X.h>, or a
# directory's private "X.h") in the library, the tools and the public
# headers is looked up in the tables below: the including file's layer must
# allow the included header's layer.  Each violation is printed as
#   FILE:LINE: includes HEADER (layer X may not include layer Y)
# and the exit status is 1 on any, on a header the map does not know, and
# on an exception that is no longer needed.  With --tap the result is TAP
# (for tests/run.sh), the violations as comments.  tests/ is not checked:
# a unit test reaches into the layer it tests, private headers included.
set -u
cd "$(dirname "$0")/.."

tap=0
[ "${1:-}" = --tap ] && tap=1

# The layer of each directory; a directory's private headers ("blk.h",
# "internal.h") are in its layer.  bench/ and fuzz/ are front ends.
declare -A dir_layer=(
	[kernel]=kernel
	[lib]=lib
	[policy]=policy
	[mm]=mm
	[fs]=fs
	[block]=block
	[drivers]=drivers
	[explore]=explore
	[litmus]=litmus
	[tools]=tools
	[bench]=tools
	[fuzz]=tools
)

# The layer of each public header, include/pinlab/X.h.  A new header must be
# added here: the script fails on one it does not know.
declare -A hdr_layer=(
	# kernel: tasks, scheduling points, locks, waits, the arena, the back ends
	[types.h]=kernel	[bug.h]=kernel		[sched.h]=kernel
	[atomic.h]=kernel	[spinlock.h]=kernel	[mutex.h]=kernel
	[rwsem.h]=kernel	[wait.h]=kernel		[completion.h]=kernel
	[workqueue.h]=kernel	[arena.h]=kernel	[sim.h]=kernel
	[audit.h]=kernel	[tracepoint.h]=kernel	[lockdep.h]=kernel
	# lib: checksums
	[crc.h]=lib
	# policy: the designs' knobs and presets
	[policy.h]=policy
	# mm: pages, the page cache, PTEs, GUP, writeback, reclaim, vmstat-like costs
	[mm_types.h]=mm		[mm_flags.h]=mm		[mm.h]=mm
	[mmdebug.h]=mm		[pgtable.h]=mm		[rmap.h]=mm
	[swap.h]=mm		[cost.h]=mm		[pagemap.h]=mm
	[writeback.h]=mm	[gup.h]=mm
	# fs: inodes, buffer heads, layout changes, leases, fsdax, the world
	[layout.h]=fs		[filelock.h]=fs		[dax.h]=fs
	[fs.h]=fs		[buffer_head.h]=fs	[world.h]=fs
	# block: bios, the request queue, bouncing, integrity, the disk
	[bio.h]=block		[blkdev.h]=block
	# drivers: the DMA device, direct I/O
	[drivers.h]=drivers
	# explore: the model checker
	[explore.h]=explore
	# litmus: the front end (parsed tests, runs, reports)
	[litmus.h]=litmus	[run.h]=litmus		[report.h]=litmus
)

# Which layers each layer may include (its own always).  mm and fs know
# each other (as mm/ and linux/fs.h do); fs and drivers submit bios, block
# calls mm, mm never calls block; the explorer knows no model, the model no
# explorer and no front end.
declare -A allowed=(
	[kernel]="kernel"
	[lib]="kernel lib"
	[policy]="kernel lib policy"
	[mm]="kernel lib policy mm fs"
	[fs]="kernel lib policy mm fs block"
	[block]="kernel lib policy mm block"
	[drivers]="kernel lib policy mm fs block drivers"
	[explore]="kernel explore"
	[litmus]="kernel lib policy mm fs block drivers explore litmus"
	[tools]="kernel lib policy mm fs block drivers explore litmus tools"
)

# Violations not fixed yet, one a line: "FILE HEADER: why".  Issue 11 is
# done when this list is empty.
exceptions=(
	# none
)

violations=()
stale=()
used=()

# layer_of_header FILE HEADER: the layer of HEADER as FILE includes it, or
# "" when the map does not know it.
layer_of_header() {
	local file=$1 hdr=$2 dir
	case $hdr in
	pinlab/*)
		echo "${hdr_layer[${hdr#pinlab/}]:-}"
		return
		;;
	esac
	# A private header, relative to the including file.
	dir=$(dirname "$file")
	[ "$dir" = include/pinlab ] && { echo "${hdr_layer[$hdr]:-}"; return; }
	dir=$(realpath -m --relative-to=. "$dir/$(dirname "$hdr")")
	echo "${dir_layer[${dir%%/*}]:-}"
}

# layer_of_file FILE: the layer of a source file or header.
layer_of_file() {
	case $1 in
	include/pinlab/*) echo "${hdr_layer[${1#include/pinlab/}]:-}" ;;
	*) echo "${dir_layer[${1%%/*}]:-}" ;;
	esac
}

is_exception() {
	local i
	for ((i = 0; i < ${#exceptions[@]}; i++)); do
		if [ "${exceptions[i]%%:*}" = "$1 $2" ]; then
			used[i]=1
			return 0
		fi
	done
	return 1
}

check_file() {
	local file=$1 from to lineno hdr
	from=$(layer_of_file "$file")
	if [ -z "$from" ]; then
		violations+=("$file: not in the layer map (add it to hdr_layer)")
		return
	fi
	while IFS=: read -r lineno hdr; do
		to=$(layer_of_header "$file" "$hdr")
		if [ -z "$to" ]; then
			violations+=("$file:$lineno: includes $hdr (not in the layer map)")
			continue
		fi
		case " ${allowed[$from]} " in
		*" $to "*) continue ;;
		esac
		is_exception "$file" "$hdr" && continue
		violations+=("$file:$lineno: includes $hdr (layer $from may not include layer $to)")
	done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*(<pinlab/|")' "$file" |
		 sed -E 's/^([0-9]+):[^<"]*(<([^>]*)>|"([^"]*)").*/\1:\3\4/')
}

files=$(find "${!dir_layer[@]}" include/pinlab -name '*.[chS]' 2>/dev/null | sort)
for f in $files; do
	check_file "$f"
done
for ((i = 0; i < ${#exceptions[@]}; i++)); do
	[ -n "${used[i]:-}" ] || stale+=("exception no longer needed: ${exceptions[i]%%:*} (remove it)")
done

if [ $tap -eq 1 ]; then
	echo "1..2"
	if [ ${#violations[@]} -eq 0 ]; then
		echo "ok 1 - every include follows the layers (${#exceptions[@]} exceptions)"
	else
		echo "not ok 1 - includes against the layers"
		printf '# %s\n' "${violations[@]}"
	fi
	if [ ${#stale[@]} -eq 0 ]; then
		echo "ok 2 - every exception is still needed"
	else
		echo "not ok 2 - exceptions no longer needed"
		printf '# %s\n' "${stale[@]}"
	fi
else
	[ ${#violations[@]} -eq 0 ] || printf '%s\n' "${violations[@]}"
	[ ${#stale[@]} -eq 0 ] || printf '%s\n' "${stale[@]}"
fi
[ ${#violations[@]} -eq 0 ] && [ ${#stale[@]} -eq 0 ]
