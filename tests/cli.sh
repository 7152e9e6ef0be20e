#!/bin/sh
# cli.sh - the pinlab command's usage errors, exit status and basic output, as TAP.
#
# usage: tests/cli.sh PATH-TO-PINLAB
#
# Every bad invocation must exit 2, print nothing on stdout and exactly one
# line on stderr containing "error".  Ends with "N passed, M failed" and
# exits 1 when anything failed.

. "$(dirname "$0")/tap.sh"
PINLAB=${1:?usage: cli.sh PATH-TO-PINLAB}
PINLAB=$(abs_path "$PINLAB")

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# pinlab ARGS...: run it in $tmp; sets rc, output in $tmp/out and $tmp/err.
pinlab() {
	(cd "$tmp" && "$PINLAB" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# bad DESC ARGS...: a usage or parse error.
bad() {
	desc=$1
	shift
	pinlab "$@"
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne 2 ]; then
		not_ok "$desc" "exit $rc, want 2"
	elif [ "$lines" -ne 1 ] || ! grep -q error "$tmp/err"; then
		not_ok "$desc" "$lines lines on stderr, want one with 'error'"
	elif [ -s "$tmp/out" ]; then
		not_ok "$desc" "output on stdout"
	else
		ok "$desc"
	fi
}

# exits DESC STATUS PATTERN ARGS...: exit STATUS, stdout matching PATTERN
# (a grep -E regex; empty: anything).
exits() {
	desc=$1
	want=$2
	pattern=$3
	shift 3
	pinlab "$@"
	if [ "$rc" -ne "$want" ]; then
		not_ok "$desc" "exit $rc, want $want: $(head -n 1 "$tmp/err")"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
		not_ok "$desc" "no line matching '$pattern' on stdout"
	else
		ok "$desc"
	fi
}

mkdir -p "$tmp/tests/sub" "$tmp/empty"

cat >"$tmp/tests/SB.litmus" <<'EOF'
PIN SB
"Store buffering: under sequential consistency one thread sees the other's write."
(* Result: mainline=Never placeholder=Never *)
{ x = 0; y = 0; }
P0(cpu) {
  x = 1;
  r0 = y;
}
P1(cpu) {
  y = 1;
  r0 = x;
}
exists (0:r0=0 /\ 1:r0=0)
EOF

cat >"$tmp/tests/sub/race.litmus" <<'EOF'
PIN race
"A read may or may not see a racing write."
(* Result: mainline=Sometimes *)
{ x = 0; }
P0(writer) {
  x = 1;
}
P1(reader) {
  r0 = x;
}
exists (1:r0=1)
EOF

cat >"$tmp/wrong.litmus" <<'EOF'
PIN wrong
(* Result: mainline=Never *)
{ x = 0; }
P0(writer) {
  x = 1;
}
P1(reader) {
  r0 = x;
}
exists (1:r0=1)
EOF

printf 'PIN broken\n{ x = ; }\n' >"$tmp/broken.litmus"
nl='
'

bad "no arguments"
bad "unknown command" frob
bad "option before the command" --policy mainline run tests
bad "run without a file" run
bad "unknown option" run --frobnicate tests
bad "option missing its value" run tests --bound
bad "--bound not a number" run --bound abc tests
bad "--bound negative" run --bound -1 tests
bad "--bound=negative" run --bound=-3 tests
bad "--runs 0" run --strategy random --runs 0 tests
bad "--seed out of range" run --strategy random --seed 99999999999999999999999 tests
bad "--depth 0" run --strategy pct --depth 0 tests
bad "unknown policy" run --policy nosuch tests
bad "empty policy name" run --policy mainline, tests
bad "unknown strategy" run --strategy bfs tests
bad "unknown reduction" run --reduction some tests
bad "--bound with --strategy random" run --strategy random --bound 2 tests
bad "--runs with dfs" run --runs 5 tests
bad "--cache with --reduction dpor" run --cache --reduction dpor tests
bad "--cache with --bound" run --cache --bound 1 tests
bad "--cache with --strategy random" run --cache --strategy random tests
bad "--strategy with --replay" run --replay 0x1 --strategy random --policy mainline tests/SB.litmus
bad "--replay with several policies" run --replay 0x1 --policy mainline,pinlab tests/SB.litmus
bad "--replay with several files" run --replay 0x1 --policy mainline tests
bad "--replay with the test's several policies" run --replay 0x1 tests/SB.litmus
bad "option given twice" run --strategy dfs --strategy random tests
bad "flag with a value" run --trace=yes tests
bad "nonexistent file" run nonexistent.litmus
bad "directory without litmus files" check empty
bad "parse error" run broken.litmus
bad "parse error stops run" run broken.litmus tests
bad "-o unknown knob" run -o nosuch=1 tests
bad "-o without =" run -o reclaim tests
bad "-o unknown value" run -o reclaim=sometimes tests
bad "-o with check" check -o reclaim=skip tests
bad "--trace with matrix" matrix --trace tests
bad "--expect-never with check" check --expect-never tests
bad "--trace-json into a missing directory" run --trace-json missing/x.json tests
bad "newline in an argument" run --policy "a${nl}b" tests
bad "help on an unknown command" help frob
bad "policies with an unknown name" policies nosuch
bad "--version with an argument" --version tests

pinlab run broken.litmus
if grep -q '^broken.litmus:[0-9][0-9]*:[0-9][0-9]*: error: ' "$tmp/err"; then
	ok "parse error as file:line:col: error:"
else
	not_ok "parse error as file:line:col: error:" "$(head -n 1 "$tmp/err")"
fi

exits "--help" 0 "^usage: pinlab" --help
exits "-h" 0 "^usage: pinlab" -h
exits "help" 0 "^usage: pinlab" help
exits "help run" 0 "--policy" help run
exits "run --help" 0 "--replay" run --help
exits "check --help" 0 "^usage: pinlab check" check --help
exits "--version" 0 "^pinlab " --version
exits "policies" 0 "^mainline" policies
exits "policies mainline" 0 "^mainline" policies mainline
exits "run a test" 0 "^Explored SB complete [0-9]+$" run tests/SB.litmus
exits "run prints the policy" 0 "^Policy placeholder$" run --policy placeholder tests/SB.litmus
exits "run with -o" 0 "^Policy mainline,reclaim=release$" run --policy mainline -o reclaim=release tests/SB.litmus
exits "options after files" 0 "^Observation SB Never " run tests/SB.litmus --policy mainline
exits "-- ends the options" 0 "^Test SB Allowed$" run --policy mainline -- tests/SB.litmus
exits "--expect-never without a witness" 0 "^Observation SB Never" run --expect-never tests/SB.litmus
exits "--expect-never with a witness" 1 "^Witness race " run --expect-never tests/sub/race.litmus
exits "check passes" 0 "^# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0$" check tests
exits "check prints the plan" 0 "^1\.\.3$" check tests
exits "check fails on a mismatch" 1 "^not ok 1 - wrong mainline # expected Never, got Sometimes$" check wrong.litmus
exits "check --policy filters" 0 "^# Totals: pass:1 fail:0 " check --policy placeholder tests
exits "matrix" 0 "^2 tests, [0-9]+ policies, 0 mismatches$" matrix tests
exits "matrix --policy" 0 "^race +Sometimes" matrix --policy mainline tests
exits "matrix mismatch" 1 "Sometimes!" matrix --policy mainline wrong.litmus
exits "random strategy" 0 "^Explored race random seed=7 " run --strategy random --seed 7 --runs 20 tests/sub/race.litmus
exits "bounded dfs" 0 "^Explored SB bounded preemptions<=1 " run --bound 1 tests/SB.litmus

pinlab run --policy mainline tests/sub/race.litmus
witness=$(sed -n 's/^Witness race //p' "$tmp/out")
if [ -n "$witness" ]; then
	exits "--replay of a witness" 0 "^Positive: 1 Negative: 0$" run --policy mainline --replay "$witness" tests/sub/race.litmus
	exits "--trace" 0 "^Trace race mainline " run --policy mainline --trace tests/sub/race.litmus
	exits "--trace-json" 0 "" run --policy mainline --trace-json trace.json tests/sub/race.litmus
	if grep -q '"traceEvents"' "$tmp/trace.json" 2>/dev/null; then
		ok "--trace-json writes trace events"
	else
		not_ok "--trace-json writes trace events" "no traceEvents in the file"
	fi
else
	not_ok "run finds a witness for race" "no Witness line"
fi

# ---- Sound verdicts (issue 7): no false proof, no silent hang ----
# A cut, a cap, a timeout or an interrupt makes the exploration incomplete;
# check then fails Never/Always points and matrix marks the cell '?'.
# Option ranges and replay strings are usage errors before any output.
lib=$(cd "$(dirname "$0")/.." && pwd)/litmus-tests
{
	echo 'PIN many'
	echo '"Twelve writers of x: 12! orders, far too many to finish."'
	echo '(* Result: mainline=Sometimes *)'
	echo '{ x = 0; }'
	for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
		echo "P$i(cpu) { x = $((i + 1)); }"
	done
	echo 'exists (x=12)'
} >"$tmp/many.litmus"
sed -e 's/mainline=Sometimes/mainline=Never/' -e 's/x=12/x=0/' \
	"$tmp/many.litmus" >"$tmp/many-never.litmus"

exits "a cut execution is no outcome" 0 "^Observation race Never 0 0$" \
	run --policy mainline --max-steps 1 tests/sub/race.litmus
exits "a cut execution makes the run bounded" 0 "^Explored race bounded steps<=1 1$" \
	run --policy mainline --max-steps 1 tests/sub/race.litmus
exits "cuts combine with the preemption bound" 0 "^Explored SB bounded preemptions<=0 steps<=3 " \
	run --policy mainline --bound 0 --max-steps 3 tests/SB.litmus
exits "check fails a Never point with --max-steps 5" 1 \
	"^not ok 1 - SB mainline # exploration incomplete \(bounded steps<=5\)$" \
	check --policy mainline --max-steps 5 tests/SB.litmus
exits "matrix marks a cut cell '?'" 0 "^SB +Never\?$" matrix --policy mainline --max-steps 2 tests/SB.litmus
bad "--max-steps 0" run --max-steps 0 tests
bad "--max-steps 4294967295 (would wrap)" run --max-steps 4294967295 tests
bad "--max-steps 2147483648 --trace" run --max-steps 2147483648 --trace tests
bad "--max-steps past EXPLORE_STEPS_MAX" run --max-steps 16777217 tests
bad "--depth 18 (16 change points)" run --strategy pct --depth 18 tests
bad "--depth 2147483647" run --strategy pct --depth 2147483647 tests
bad "--bound 65535" run --bound 65535 tests
bad "--timeout 0" run --timeout 0 tests
bad "--timeout not a number" run --timeout 1.5 tests
bad "--stop-at-witness with check" check --stop-at-witness tests
bad "--stop-at-witness with --replay" run --stop-at-witness --replay 0 --policy mainline tests/SB.litmus
bad "--replay malformed" run --policy mainline --replay 0x tests/sub/race.litmus
bad "--replay with a trailing comma" run --policy mainline --replay 0, tests/sub/race.litmus
bad "--replay longer than --max-steps" run --policy mainline --max-steps 2 --replay 0x3 tests/sub/race.litmus
exits "the largest --max-steps traces the whole witness" 0 "<== condition true" \
	run --policy mainline --max-steps 16777216 --trace tests/sub/race.litmus

pinlab run --policy mainline tests/sub/race.litmus
witness=$(sed -n 's/^Witness race //p' "$tmp/out")
# Issue 10: a replay string is a prefix; one that goes on after every task
# finished diverges there, and the run says so (it was an error before).
exits "--replay with steps left over diverges where the tasks ended" 0 \
	"^Explored race replay diverged=[0-9]+ 1$" \
	run --policy mainline --replay "$witness,0x5" tests/sub/race.litmus
if grep -q 'diverged at step [0-9]* (every task had finished)' "$tmp/err"; then
	ok "--replay left over: says why"
else
	not_ok "--replay left over: says why" "$(head -n 1 "$tmp/err")"
fi

exits "--stop-at-witness says the counts are partial" 0 "^Explored race witness [0-9]+$" \
	run --policy mainline --stop-at-witness tests/sub/race.litmus
exits "--stop-at-witness keeps Never complete" 0 "^Explored SB complete [0-9]+$" \
	run --policy mainline --stop-at-witness tests/SB.litmus
# in_tmp CMD ARGS...: like pinlab(), for a command that wraps pinlab.
in_tmp() {
	(cd "$tmp" && "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# 12! executions in full: only a stop at the witness ends this in time.
in_tmp timeout 120 "$PINLAB" check many.litmus
if [ "$rc" -eq 0 ] && grep -q '^ok 1 - many mainline$' "$tmp/out"; then
	ok "check stops a Sometimes point at its witness"
else
	not_ok "check stops a Sometimes point at its witness" "exit $rc"
fi

# Progress lines come every 2 s when stderr is not a terminal.
exits "--timeout makes the run bounded" 0 "^Explored many bounded time<=3s [0-9]+$" \
	run --progress --timeout 3 many-never.litmus
if grep -q '^pinlab: many under mainline: [0-9]* executions, [0-9]*/s, .* s, depth [0-9]*$' "$tmp/err"; then
	ok "--progress prints progress lines on stderr"
else
	not_ok "--progress prints progress lines on stderr" "$(head -n 1 "$tmp/err")"
fi
exits "check fails a Never point cut by --timeout" 1 \
	"^not ok 1 - many mainline # exploration incomplete \(bounded time<=1s\)$" \
	check --timeout 1 many-never.litmus

# --foreground: without it timeout(1) signals its whole process group too,
# so pinlab may get a second SIGINT, which kills it (SA_RESETHAND) as a
# second Ctrl-C should: one interrupt is what is tested here.
in_tmp timeout --foreground --preserve-status -s INT 1 "$PINLAB" run many-never.litmus
if [ "$rc" -ne 130 ]; then
	not_ok "SIGINT exits 130" "exit $rc"
else
	ok "SIGINT exits 130"
fi
if grep -q '^Explored many interrupted [0-9][0-9]*$' "$tmp/out"; then
	ok "SIGINT prints the result so far as interrupted"
else
	not_ok "SIGINT prints the result so far as interrupted" "no Explored ... interrupted line"
fi

# --stop-at-witness changes no cell of the library's matrix but its '?'.
squeeze() {
	sed -e 's/?//g' -e 's/  */ /g' "$1"
}
pinlab matrix "$lib"
squeeze "$tmp/out" >"$tmp/matrix-full"
pinlab matrix --stop-at-witness "$lib"
squeeze "$tmp/out" >"$tmp/matrix-witness"
if ! grep -q Sometimes "$tmp/matrix-full"; then
	not_ok "--stop-at-witness gives the full run's verdicts" "no matrix printed"
elif cmp -s "$tmp/matrix-full" "$tmp/matrix-witness"; then
	ok "--stop-at-witness gives the full run's verdicts"
else
	not_ok "--stop-at-witness gives the full run's verdicts" \
		"$(diff "$tmp/matrix-full" "$tmp/matrix-witness" | sed -n 2p)"
fi
# ---- end of the sound-verdicts block ----
# ---- issue 7: inputs that crashed or hung pinlab are located errors or run ----
# Each line below failed before its fix: a heap overflow, a NULL world, a wrapped
# bound check, a FIFO that blocked open() forever, errors after output.
i7() {
	printf 'PIN %s\n%s\n' "$1" "$2" >"$tmp/$1.litmus"
}
i7 files9 '{ file A = 1; file B = 1; file C = 1; file D = 1; file E = 1;
  file F = 1; file G = 1; file H = 1; file I = 1; }
P0(a) { store(I, 0, 1); }
exists (I[0]=1)'
i7 nofiles '{ x = 0; }
P0(a) { sync(); drop_caches(); x = 1; }
exists (x=1)'
i7 negpin '{ file A = 1; }
P0(a) { r0 = pin_user_pages_fast(A, -1, 1, FOLL_WRITE); }
exists (0:r0=1)'
i7 negondisk '{ file A = 1; }
P0(a) { r0 = ondisk(A, -1); }
exists (0:r0=0)'
i7 regpin '{ file A = 1; }
P0(a) { r1 = -1; r0 = pin_user_pages_fast(A, r1, 1, FOLL_WRITE); r2 = ondisk(A, r1); }
exists (0:r0=-EFAULT /\ 0:r2=-EINVAL)'
i7 xfs '{ fs = xfs; file A = 1; }
P0(a) { store(A, 0, 1); }
exists (A[0]=1)'
i7 nopolicy '(* Result: mainline=Never nosuch=Never *)
{ x = 0; }
P0(a) { x = 1; }
exists (x=2)'
bad "issue 7: more than 8 files" run files9.litmus
grep -q '^files9.litmus:3:39: error: too many files' "$tmp/err" ||
	not_ok "issue 7: too many files is located" "$(cat "$tmp/err")"
exits "issue 7: sync() and drop_caches() without files" 0 "^Observation nofiles Always 1 0$" run nofiles.litmus
bad "issue 7: negative page constant" run negpin.litmus
bad "issue 7: negative ondisk page" run negondisk.litmus
exits "issue 7: negative page at run time" 0 "^Observation regpin Always 1 0$" run regpin.litmus
exits "issue 9: fs = xfs runs on the xfs profile" 0 "^Observation xfs Always 1 0$" run xfs.litmus
exits "issue 7: unknown Result: policy" 1 "^not ok 1 - nopolicy.litmus # parse error: " check nopolicy.litmus
grep -q '^nopolicy.litmus:2:27: error: ' "$tmp/err" ||
	not_ok "issue 7: unknown policy is located" "$(cat "$tmp/err")"
bad "issue 7: unknown Result: policy before any output" run tests/SB.litmus nopolicy.litmus
mkfifo "$tmp/fifo.litmus"
(cd "$tmp" && timeout 10 "$PINLAB" run fifo.litmus) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q '^fifo.litmus: error: not a regular file$' "$tmp/err"; then
	ok "issue 7: a FIFO as FILE is refused, not waited on"
else
	not_ok "issue 7: a FIFO as FILE is refused, not waited on" "exit $rc: $(cat "$tmp/err")"
fi
# The overrides fit "lease" but not "placeholder": refused before lease's output.
bad "issue 7: -o overrides past the policy name" run --policy lease,placeholder \
	-o wb_skip_cleaning=yes -o reclaim=skip -o layout=lease-break tests/SB.litmus
# ---- end of issue 7 ----

# ---- issue 10: the witness run prints is a simplest one (fewest preemptions) ----
# DPOR's first witness here switches tasks 4 times; a preemption-bounded
# search finds one with 2.  The one printed must also replay to the condition.
cat >"$tmp/simplest.litmus" <<'LITMUS'
PIN simplest
{ x = 0; y = 0; z = 0; }
P0(c) { r0 = x; r1 = y; }
P1(c) { y = 1; r0 = y; r1 = z; }
P2(c) { z = 1; y = 2; }
exists (1:r0=1 /\ 0:r1=2 /\ 1:r1=1)
LITMUS
w=$("$PINLAB" run -p mainline "$tmp/simplest.litmus" | awk '$1 == "Witness" { print $3 }')
switches=$(printf '%s' "$w" | tr -cd , | wc -c)
if [ -n "$w" ] && [ "$switches" -le 2 ] &&
   "$PINLAB" run -p mainline --replay "$w" "$tmp/simplest.litmus" | grep -q '^Positive: 1 '; then
	ok "run prints a witness with the fewest preemptions, and it replays"
else
	not_ok "run prints a witness with the fewest preemptions, and it replays" \
		"witness '$w', $switches switches"
fi

# ---- issue 10: pinlab diff -p A,B: states one policy reaches and the other not ----
rsp=$lib/mm/reclaim-strips-pinned.litmus
"$PINLAB" diff -p placeholder,mainline "$rsp" >"$tmp/diff" 2>&1
rc=$?
only=$(sed -n 's/^Only placeholder: //p' "$tmp/diff" | head -n 1)
wit=$(awk '$1 == "Witness" && $3 == "placeholder" { print $4; exit }' "$tmp/diff")
if [ $rc -eq 1 ] && [ -n "$only" ] && grep -q '^Only mainline: 0:r0=-EFAULT;' "$tmp/diff" &&
   "$PINLAB" run -p placeholder --replay "$wit" "$rsp" | grep -qxF "$only"; then
	ok "diff: each side's own states, with a witness that replays to it"
else
	not_ok "diff: each side's own states, with a witness that replays to it" \
		"exit $rc, '$only', witness '$wit'"
fi
exits "diff: the same states exit 0" 0 "^Same SB 3$" diff -p mainline,pinlab tests/SB.litmus
bad "diff: needs exactly two policies" diff tests/SB.litmus

# ---- issue 10: pinlab explain -p P: which knobs decide a verdict ----
"$PINLAB" explain -p pinlab "$lib/stable/dif-dma-vs-writeback.litmus" >"$tmp/explain" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^Explain dif-dma-vs-writeback pinlab Never$' "$tmp/explain" &&
   grep -q '^Flip dif-dma-vs-writeback wb=fs-bounce->inplace Sometimes changes$' "$tmp/explain" &&
   grep -q '^Flip dif-dma-vs-writeback pin=exact->none Sometimes changes$' "$tmp/explain" &&
   grep -q '^Flip dif-dma-vs-writeback wb=fs-bounce->block-bounce Never same$' "$tmp/explain"; then
	ok "explain: flipping pinlab's bounce or its pin count sinks it, block-bounce does not"
else
	not_ok "explain: flipping pinlab's bounce or its pin count sinks it, block-bounce does not" \
		"exit $rc: $(head -n 3 "$tmp/explain" | tr '\n' '|')"
fi
bad "explain: takes one policy" explain -p pinlab,mainline tests/SB.litmus

# ---- run --assumptions: every assumption it prints is in the man page ----
if "$PINLAB" run --assumptions >"$tmp/assume" 2>&1 && [ "$(wc -l <"$tmp/assume")" -ge 8 ]; then
	missing=$(sed 's/^- \([^:]*\):.*/\1/' "$tmp/assume" | while read -r key; do
		man_key=$(printf '%s' "$key" | sed 's/-/\\\\-/g')
		grep -qF ".B $man_key" "$(dirname "$0")/../docs/pinlab.1" ||
			grep -qF ".B $key" "$(dirname "$0")/../docs/pinlab.1" || echo "$key"
	done)
	if [ -z "$missing" ]; then
		ok "run --assumptions: each one is in the man page"
	else
		not_ok "run --assumptions: each one is in the man page" "missing: $missing"
	fi
else
	not_ok "run --assumptions prints the assumptions" "$(head -n 1 "$tmp/assume")"
fi

# ---- docs/ops.md is pinlab help ops, so the reference cannot drift ----
if "$PINLAB" help ops >"$tmp/ops" 2>&1 &&
   sed -n '/^| operation |/,$p' "$(dirname "$0")/../docs/ops.md" | cmp -s - "$tmp/ops"; then
	ok "docs/ops.md is the output of pinlab help ops"
else
	not_ok "docs/ops.md is the output of pinlab help ops" "regenerate it from pinlab help ops"
fi
if [ "$(grep -c '^| `' "$tmp/ops")" -ge 28 ]; then
	ok "pinlab help ops lists every operation"
else
	not_ok "pinlab help ops lists every operation" "$(grep -c '^| `' "$tmp/ops") rows"
fi

# ---- issue 10: check speaks TAP version 13 (kselftest Totals, SKIP, -j, prove) ----
# The stream: "TAP version 13", the plan, the points, "# Totals: ..." last.
# A file that does not parse is a "not ok" point and the rest still runs
# (exit 1); usage errors stay exit 2 before any output.  A test without
# Result: or parked by (* Skip: reason *) gives SKIP points.  -j N output
# is -j 1's byte for byte.  prove runs check on files and directories.
i10() {
	printf 'PIN %s\n%s\n{ x = 0; }\nP0(a) { x = 1; }\nexists (x=2)\n' "$1" "$2" \
		>"$tmp/i10/$1.litmus"
}
mkdir -p "$tmp/i10"
i10 parked '(* Skip: waits for the xfs profile *)
(* Result: mainline=Never placeholder=Never *)'
i10 parked-bare '(* Skip:   nothing to compare with yet   *)'
i10 unannotated '"No Result: comment."'
i10 prose '(* We Skip: nothing here. *)
(* Result: mainline=Never *)'
i10 noreason '(* Skip: *)'
i10 twice '(* Skip: a *)
(* Skip: b *)'
cp "$tmp/broken.litmus" "$tmp/wrong.litmus" "$tmp/i10/"

# i10_is DESC WANT GOT: the two strings are equal.
# i10_is DESC WANT GOT: is() with the expectation first.
i10_is() {
	is "$1" "$3" "$2"
}

pinlab check tests
i10_is "issue 10: check starts with TAP version 13" "TAP version 13" "$(sed -n 1p "$tmp/out")"
i10_is "issue 10: the plan comes second" "1..3" "$(sed -n 2p "$tmp/out")"
i10_is "issue 10: Totals is the last line" \
	"# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0" "$(tail -n 1 "$tmp/out")"

pinlab check i10/broken.litmus tests i10/parked.litmus i10/parked-bare.litmus \
	i10/unannotated.litmus i10/wrong.litmus i10/prose.litmus
i10_is "issue 10: a parse error fails check with exit 1" 1 "$rc"
i10_is "issue 10: a parse error is a not ok point" \
	"not ok 1 - i10/broken.litmus # parse error: $(cat "$tmp/err")" "$(sed -n 3p "$tmp/out")"
if grep -q '^i10/broken.litmus:2:[0-9]*: error: ' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
	ok "issue 10: the parse error is also one line on stderr"
else
	not_ok "issue 10: the parse error is also one line on stderr" "$(head -n 2 "$tmp/err")"
fi
i10_is "issue 10: the files after a parse error still run" "ok 2 - SB mainline" \
	"$(sed -n 4p "$tmp/out")"
i10_is "issue 10: Skip: parks each Result: point" \
	"ok 5 - parked mainline # SKIP waits for the xfs profile
ok 6 - parked placeholder # SKIP waits for the xfs profile" \
	"$(grep '^ok [0-9]* - parked ' "$tmp/out")"
i10_is "issue 10: Skip: without Result: is one point, reason trimmed" \
	"ok 7 - parked-bare # SKIP nothing to compare with yet" \
	"$(grep -- '- parked-bare' "$tmp/out")"
i10_is "issue 10: no Result: is a SKIP point" "ok 8 - unannotated # SKIP no Result: annotation" \
	"$(grep -- '- unannotated' "$tmp/out")"
i10_is "issue 10: Skip: after the first word is prose" "ok 10 - prose mainline" \
	"$(grep -- '- prose' "$tmp/out")"
i10_is "issue 10: the plan counts every point" "1..10" "$(sed -n 2p "$tmp/out")"
i10_is "issue 10: Totals counts pass, fail, skip and error" \
	"# Totals: pass:4 fail:1 xfail:0 xpass:0 skip:4 error:1" "$(tail -n 1 "$tmp/out")"
cp "$tmp/out" "$tmp/i10-serial"
pinlab check -j 3 i10/broken.litmus tests i10/parked.litmus i10/parked-bare.litmus \
	i10/unannotated.litmus i10/wrong.litmus i10/prose.litmus
if [ "$rc" -eq 1 ] && cmp -s "$tmp/out" "$tmp/i10-serial"; then
	ok "issue 10: -j 3 prints the same parse errors, SKIPs and failures"
else
	not_ok "issue 10: -j 3 prints the same parse errors, SKIPs and failures" "exit $rc"
fi
exits "issue 10: only files that do not parse: TAP, exit 1" 1 \
	"^not ok 2 - i10/twice.litmus # parse error: .*a second Skip: comment" \
	check i10/noreason.litmus i10/twice.litmus
exits "issue 10: check --policy selecting no point plans 1..0 # SKIP" 0 \
	"^1\.\.0 # SKIP " check --policy lease tests/SB.litmus
bad "issue 10: Skip: without a reason" run i10/noreason.litmus
bad "issue 10: a second Skip:" run i10/twice.litmus
bad "issue 10: an unknown option before a file that does not parse" check --frob i10/broken.litmus
bad "issue 10: a missing file is a usage error" check tests nonexistent.litmus
bad "issue 10: -j 0" check -j 0 tests
bad "issue 10: -j 65" check -j 65 tests
bad "issue 10: -j not a number" check -j two tests
bad "issue 10: -j with run" run -j 2 tests

# -j 2 over the library: the same bytes as -j 1.
pinlab check -j 1 "$lib"
cp "$tmp/out" "$tmp/i10-j1"
pinlab check -j 2 "$lib"
if ! grep -q '^ok ' "$tmp/i10-j1"; then
	not_ok "issue 10: -j 2 over litmus-tests/ is -j 1 byte for byte" "no ok point with -j 1"
elif [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/i10-j1"; then
	ok "issue 10: -j 2 over litmus-tests/ is -j 1 byte for byte"
else
	not_ok "issue 10: -j 2 over litmus-tests/ is -j 1 byte for byte" \
		"$(diff "$tmp/i10-j1" "$tmp/out" | sed -n 2p)"
fi
pinlab check -j64 "$lib"
if [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/i10-j1"; then
	ok "issue 10: -j64 over litmus-tests/ is -j 1 byte for byte"
else
	not_ok "issue 10: -j64 over litmus-tests/ is -j 1 byte for byte" \
		"$(diff "$tmp/i10-j1" "$tmp/out" | sed -n 2p)"
fi

# SIGINT to check -j 2: passed on to the workers; the stream ends Bail out!.
in_tmp timeout --foreground --preserve-status -s INT 1 "$PINLAB" check -j 2 \
	many-never.litmus tests
i10_is "issue 10: SIGINT stops check -j 2 with exit 130" 130 "$rc"
i10_is "issue 10: SIGINT: the interrupted point, Totals, Bail out!" \
	"not ok 1 - many mainline # interrupted
# interrupted: the points after 1 were not run
# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:1
Bail out! interrupted" "$(sed -n '3,$p' "$tmp/out")"

# A worker that dies: its points are not ok, the other files are printed.
# Once SB's worker has ended, the one left is many's: kill it.
(cd "$tmp" && exec "$PINLAB" check -j 2 many-never.litmus tests/SB.litmus) \
	>"$tmp/out" 2>"$tmp/err" &
parent=$!
sleep 1
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(pgrep -P "$parent" | wc -l)" -le 1 ] && break
	sleep 1
done
for child in $(pgrep -P "$parent"); do
	kill -KILL "$child"
done
wait "$parent"
rc=$?
i10_is "issue 10: a killed worker's points are not ok" \
	"1 not ok 1 - many mainline # worker killed by signal 9 ok 2 - SB mainline" \
	"$rc $(sed -n 3,4p "$tmp/out" | tr '\n' ' ' | sed 's/ $//')"

# prove (Debian's perl): each file is one TAP stream.
if command -v prove >/dev/null; then
	in_tmp prove --exec "$PINLAB check" tests/SB.litmus tests/sub/race.litmus
	if [ "$rc" -eq 0 ] && grep -q '^Result: PASS' "$tmp/out"; then
		ok "issue 10: prove --exec 'pinlab check' FILE..."
	else
		not_ok "issue 10: prove --exec 'pinlab check' FILE..." "exit $rc: $(tail -n 1 "$tmp/out")"
	fi
	in_tmp prove -r --ext .litmus --exec "$PINLAB check" tests i10/parked.litmus
	if [ "$rc" -eq 0 ] && grep -q '^Files=3, Tests=5,' "$tmp/out"; then
		ok "issue 10: prove -r --ext .litmus walks a directory"
	else
		not_ok "issue 10: prove -r --ext .litmus walks a directory" "exit $rc: $(grep Files= "$tmp/out")"
	fi
	in_tmp prove --exec "$PINLAB check" i10/broken.litmus tests/SB.litmus
	if [ "$rc" -ne 0 ] && grep -q '^Result: FAIL' "$tmp/out"; then
		ok "issue 10: prove fails on a file that does not parse"
	else
		not_ok "issue 10: prove fails on a file that does not parse" "exit $rc"
	fi
else
	echo "# SKIP issue 10: prove not found (apt-get install perl): 3 prove tests not run" >&2
	for d in "FILE..." "-r DIR" "a parse error"; do
		ok "issue 10: prove $d # SKIP prove not found (apt-get install perl)"
	done
fi
# ---- end of issue 10 ----

# ---- issue 10: a condition that can see an operation only fail ----
pinlab run -p mainline,placeholder "$lib/layout/punch-longterm-pin.litmus"
i10_is "issue 10: a register that held only errors is warned about, once, located" \
	"1 :15:3: 'r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM)' failed in every execution under mainline (-EFAULT)" \
	"$(grep -c warning "$tmp/err") $(sed -n 's/^pinlab: warning: [^:]*\(:15:3: .*(-EFAULT)\): .*/\1/p' "$tmp/err")"
exits "issue 10: explain prints what the design did" 0 "^Cost punch-longterm-pin mainline pins_refused=[0-9]+$" \
	explain -p mainline "$lib/layout/punch-longterm-pin.litmus"
exits "issue 10: ... and its counters where it did work" 0 "^Cost dif-dma-vs-writeback pinlab bounces=[0-9]+ " \
	explain -p pinlab "$lib/stable/dif-dma-vs-writeback.litmus"
printf 'PIN dr\n{ dax = on; fs = xfs; file A = [1]; file B = [2]; }\nP0(a) {\n  r0 = reflink(A, B);\n}\nexists (0:r0=0)\n' >"$tmp/dax-reflink.litmus"
bad "issue 9: a reflink of DAX files is refused, located" run dax-reflink.litmus
i10_is "issue 9: ... at the reflink" "dax-reflink.litmus:4:3: error: reflink of DAX files (dax = on) is not modelled yet" \
	"$(cat "$tmp/err")"
printf 'PIN dd\n{ dax = on; fs = btrfs; file A = [1]; }\nP0(a) { r0 = read(A, 0); }\nexists (0:r0=0)\n' >"$tmp/dax-btrfs.litmus"
bad "issue 9: dax = on with btrfs is a located parse error" run dax-btrfs.litmus
i10_is "issue 9: ... at the dax setting" "dax-btrfs.litmus:2:9: error: dax = on needs fs = ext4 or xfs (fsdax)" \
	"$(cat "$tmp/err")"
# ---- end of vacuity ----

# ---- issue 10: policies defined in a test or a file ----
mkdir -p "$tmp/pol"
cat >"$tmp/pol/own.litmus" <<'END'
PIN own
"A lost update, with a design of its own named in Result:."
policy strict = mainline + layout=fail + base=4.20
(* Result: strict=Sometimes mainline=Sometimes *)
{ x = 0; }
P0(a) { r0 = x; x = r0 + 1; }
P1(b) { r0 = x; x = r0 + 1; }
exists (x=1)
END
cat >"$tmp/pol/mine.policy" <<'END'
# designs to try
policy blocky = block-bounce + layout=block   # waits for the unpin

policy fails = mainline + layout=fail
END
exits "issue 10: a test's own policy line runs in check" 0 "^ok 1 - own strict$" \
	check pol/own.litmus
exits "issue 10: ... and in run without -p" 0 "^Policy strict$" run pol/own.litmus
exits "issue 10: --policies FILE: a column of matrix" 0 "blocky +fails *$" \
	matrix --policies pol/mine.policy pol/own.litmus
exits "issue 10: --policies after -p still defines what -p names" 0 "^Policy fails$" \
	run -p fails --policies pol/mine.policy pol/own.litmus
exits "issue 10: pinlab policies lists a defined one with its knobs" 0 "^  layout += block$" \
	policies --policies pol/mine.policy blocky
printf 'policy x = nope\n' >"$tmp/pol/bad.policy"
bad "issue 10: --policies: an unknown preset is located" \
	matrix --policies pol/bad.policy pol/own.litmus
i10_is "issue 10: ... at its column" "pol/bad.policy:1:12: error: unknown preset 'nope' (see pinlab policies)" \
	"$(cat "$tmp/err")"
printf 'policy mainline = lease\n' >"$tmp/pol/shadow.policy"
bad "issue 10: --policies may not redefine a preset" \
	run --policies pol/shadow.policy pol/own.litmus
sed 's/layout=fail/layout=nah/' "$tmp/pol/own.litmus" >"$tmp/pol/badknob.litmus"
bad "issue 10: a test's policy line with an unknown value is a parse error" \
	run pol/badknob.litmus
i10_is "issue 10: ... located at the knob" \
	"pol/badknob.litmus:3:28: error: unknown value 'nah' for knob 'layout' (values: ignore fail block cow lease-break)" \
	"$(cat "$tmp/err")"
# ---- end of policies ----

# ---- issue 10: pinlab report ----
bad "report: -o FILE is required" report tests
bad "report: -o needs its value" report tests -o
bad "report: -o with an empty name" report -o "" tests
bad "report: -o given twice" report -o a.html -o b.html tests
bad "report: no litmus file" report -o r.html
bad "report: --set does not apply (-o is the output)" report --set pin=none -o r.html tests
bad "report: -o in a directory that does not exist" report -o nodir/r.html tests
bad "report: a parse error" report -o r.html tests broken.litmus
i10_is "report: ... is located and writes no file" \
	"broken.litmus:2:7: error: unexpected ';', expected an integer, no r.html" \
	"$(cat "$tmp/err"), $([ -e "$tmp/r.html" ] && echo r.html || echo no r.html)"
bad "report: a path that does not exist" report -o r.html nosuch
i10_is "report: ... writes no file either" "no r.html" \
	"$([ -e "$tmp/r.html" ] && echo r.html || echo no r.html)"
exits "report: -o - writes the page to stdout" 0 '^<!DOCTYPE html>$' report -o - tests
exits "report: --output=FILE is -o FILE" 0 '' report --output=r.html tests
i10_is "report: ... and the page ends" "</html>" "$(tail -n 1 "$tmp/r.html" 2>/dev/null)"
exits "report: a cell contradicting Result: is exit 1, as in matrix" 1 '' \
	report -o w.html wrong.litmus
i10_is "report: ... and the page is written, the cell marked '!'" 1 \
	"$(grep -c 'class="cell sometimes mismatch"' "$tmp/w.html" 2>/dev/null)"
exits "report: -o is still --set for matrix" 0 '^test +mainline,pin=none$' \
	matrix -p mainline -o pin=none tests
# ---- end of report ----
# ---- issue 10: reading a witness ----
# The trace of every witness of the library fits 100 columns and cuts
# nothing; rows name their objects; page states that changed get a row.
trace_only() {
	awk '/^Trace /{t=1} /^$/{t=0} t' "$tmp/out"
}
widest=0
cut=""
for f in $(find "$lib" -name '*.litmus' | sort); do
	pinlab run --trace "$f"
	w=$(trace_only | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	[ "$w" -gt "$widest" ] && widest=$w
	trace_only | grep -q '~' && cut="$cut $(basename "$f")"
done
if [ "$widest" -gt 0 ] && [ "$widest" -le 100 ]; then
	ok "issue 10: the library's traces fit 100 columns (widest $widest)"
else
	not_ok "issue 10: the library's traces fit 100 columns" "widest line $widest"
fi
if [ -z "$cut" ]; then
	ok "issue 10: no trace of the library cuts a cell with '~'"
else
	not_ok "issue 10: no trace of the library cuts a cell with '~'" "in$cut"
fi
pinlab run -p placeholder --trace "$lib/mm/reclaim-strips-pinned.litmus"
trace_only >"$tmp/trace.txt"
i10_trace() {
	if grep -Eq -- "$2" "$tmp/trace.txt"; then
		ok "$1"
	else
		not_ok "$1" "no line matching '$2' in the trace"
	fi
}
i10_trace "issue 10: a trace row names its page" ' lock_page\(A:0\)$'
i10_trace "issue 10: ... its lock" ' spin_lock\(i_lock A\)$'
i10_trace "issue 10: ... a PTE" 'try_to_unmap_one\(pte P0 A:0\)$'
i10_trace "issue 10: a row carries the page state a step changed (PG_writeback set)" \
	'^ +\[A:0 PG_writeback bufs refs=[0-9]+ pins=0 pte=ro\]$'
i10_trace "issue 10: ... and the buffers reclaim freed" '^ +\[A:0 clean refs=[0-9]+ pins=0 pte=none\]$'
i10_trace "issue 10: a flag's row is marked '!' and says its reason" \
	'^![0-9]+  set_page_dirty\(A:0 PG_dirty\) +<== warn: !page_test_flag'
i10_trace "issue 10: the condition's row is marked '*'" '^\*[0-9]+  lock_page\(A:0\)  <== condition true, bug: '
stmts=$(grep -c '^ *> writeback(A, WB_SYNC_NONE)$' "$tmp/trace.txt")
if [ "$stmts" -eq 1 ] && ! grep -q ': writeback(A' "$tmp/trace.txt"; then
	ok "issue 10: a statement is shown once, where it starts"
else
	not_ok "issue 10: a statement is shown once, where it starts" "$stmts rows"
fi
pinlab run -p placeholder --trace=flat "$lib/mm/reclaim-strips-pinned.litmus"
trace_only | sed -e 1d -e '/^Flags: /d' >"$tmp/flat.txt"
# A step's line, then a line per event inside it, under the same step number.
badf=$(awk -F '\t' 'NF != 7 || ($1 != last && $1 != last + 1) || ($1 == last && $3 != "-") {
	print; exit } { last = $1 }' last=-1 "$tmp/flat.txt")
if [ -s "$tmp/flat.txt" ] && [ -z "$badf" ]; then
	ok "issue 10: --trace=flat: one event per line, seven tab-separated fields"
else
	not_ok "issue 10: --trace=flat: one event per line, seven tab-separated fields" "line '$badf'"
fi
if grep -q "$(printf '^[0-9]*\tepilogue\tlock_page\tA:0\t-\t-\tcondition true, bug: ')" "$tmp/flat.txt" &&
   grep -q "$(printf '\tP1\ttry_to_unmap_one\tpte P1 A:0\treclaim(A)\tA:0 clean refs=[0-9]* pins=0 pte=none[^\t]*\t-$')" \
	"$tmp/flat.txt"; then
	ok "issue 10: --trace=flat: object, statement, state change and marks in their fields"
else
	not_ok "issue 10: --trace=flat: object, statement, state change and marks in their fields" \
		"see $(head -n 3 "$tmp/flat.txt" | tr '\t' ' ')"
fi
bad "issue 10: --trace=yes is no format" run --trace=yes tests
# A replay string is a prefix: the default scheduler completes it, and
# --trace shows the execution, witness or not.  A witness replayed under
# another policy is followed as far as it stays feasible; the trace marks
# where it diverged and why.
exits "issue 10: --replay PREFIX is completed" 0 \
	"^Explored reclaim-strips-pinned replay prefix=3 1$" \
	run -p placeholder --replay 0x3 --trace "$lib/mm/reclaim-strips-pinned.litmus"
i10_out() {
	if grep -Eq -- "$2" "$tmp/out"; then
		ok "$1"
	else
		not_ok "$1" "no line matching '$2'"
	fi
}
i10_out "issue 10: ... and its execution traced though no witness" \
	'^Trace reclaim-strips-pinned placeholder 0x[0-9]+'
i10_out "issue 10: ... the trace marks where the string ended" \
	'^ +3  filemap_get_entry\(i_pages A:0\)  <== replay string ends: the default scheduler'
if ! grep -q 'condition true' "$tmp/out"; then
	ok "issue 10: ... and marks no condition in an execution that is no witness"
else
	not_ok "issue 10: ... and marks no condition in an execution that is no witness" \
		"$(grep 'condition true' "$tmp/out")"
fi
pinlab run -p placeholder "$lib/mm/reclaim-strips-pinned.litmus"
pw=$(sed -n 's/^Witness reclaim-strips-pinned //p' "$tmp/out")
exits "issue 10: placeholder's witness under mainline: replayed as far as it goes" 0 \
	"^Explored reclaim-strips-pinned replay diverged=1 1$" \
	run -p mainline --replay "$pw" --trace "$lib/mm/reclaim-strips-pinned.litmus"
i10_out "issue 10: ... the trace says where it diverged and why" \
	'<== replay diverged: P0 has ended: the default scheduler from here$'
if grep -q "^pinlab: warning: reclaim-strips-pinned under mainline: the replay string diverged at step 1 (P0 has ended)" "$tmp/err"; then
	ok "issue 10: ... and so does stderr"
else
	not_ok "issue 10: ... and so does stderr" "$(cat "$tmp/err")"
fi
pinlab run -p placeholder --trace "$lib/mm/reclaim-strips-pinned.litmus"
i10_is "issue 10: decisive model events are rows of their own: pin, write-protect, buffers freed, unpin" \
	"= pinned A:0|= PTE write-protected pte P0 A:0|= buffers freed A:0|= unpinned A:0" \
	"$(grep -o '= \(pinned\|PTE write-protected\|buffers freed\|unpinned\)[^,]*' "$tmp/out" | sed 's/ *$//' | paste -sd'|')"
pinlab run -p placeholder --trace-json flow.json "$lib/stable/dif-dma-vs-writeback.litmus"
i10_is "issue 10: --trace-json draws a flow from the device write to the guard mismatch" "1 1" \
	"$(grep -c '"ph":"s","pid":1,"tid":0,"name":"device write"' "$tmp/flow.json") $(grep -c '"ph":"f",.*"name":"device write".*"bp":"e"' "$tmp/flow.json")"
# Statements without a scheduling point get rows of their own: put_page()
# inside the step of the dma_write before it, with the reference it drops;
# mainline's refused long-term pin and the unpins of nothing.
pinlab run -p placeholder --trace "$lib/mm/put-page-lost-write.litmus"
i10_is "issue 10: put_page() without a scheduling point: its statement and its reference drop" \
	"> put_page(r0)|= A:0 refs 3->2" \
	"$(trace_only | grep -A1 '^ *> put_page(r0)$' | sed 's/^ *//' | paste -sd'|')"
i10_is "issue 10: ... and a reference gained inside a step is a row of its own" 1 \
	"$(trace_only | grep -c '^ *= A:0 refs 2->3$' | awk '{ print ($1 > 0) }')"
pinlab run -p mainline --trace "$lib/mm/longterm-ext4-rw.litmus"
i10_is "issue 10: statements that end without a scheduling point are shown (a refused pin, unpins)" \
	"> r0 = pin_user_pages(A, 0, 1, FOLL_WRITE|FOLL_LONGTERM)|> unpin_user_pages(r0)|> unpin_user_pages(r1)" \
	"$(trace_only | grep -E '^ *> (r0 = pin_user_pages|unpin_user_pages)' | sed 's/^ *//' | paste -sd'|')"
pinlab run -p placeholder --trace=flat "$lib/mm/put-page-lost-write.litmus"
if grep -q "$(printf '^[0-9]*\tP0\t-\t-\tput_page(r0)\t= A:0 refs 3->2\t-$')" "$tmp/out"; then
	ok "issue 10: --trace=flat: an event inside a step is a line of its own, with its statement"
else
	not_ok "issue 10: --trace=flat: an event inside a step is a line of its own, with its statement" \
		"$(grep 'put_page' "$tmp/out" | tr '\t' ' ')"
fi
# Several (test, policy) pairs with a witness: one process each in one file.
pinlab run -p placeholder,mapcount --trace-json two.json "$lib/mm/put-page-lost-write.litmus" \
	"$lib/self/lost-update.litmus"
i10_is "issue 10: --trace-json: one process per (test, policy) with a witness" \
	"1 put-page-lost-write under placeholder|2 put-page-lost-write under mapcount|3 lost-update under placeholder|4 lost-update under mapcount" \
	"$(sed -n 's/^{"ph":"M","pid":\([0-9]*\),"tid":0,"name":"process_name","args":{"name":"\([^"]*\)"}},*$/\1 \2/p' \
		"$tmp/two.json" | paste -sd'|')"
i10_is "issue 10: ... each with its threads as lanes" "4 4 2 2" \
	"$(for p in 1 2 3 4; do grep -c "^{\"ph\":\"M\",\"pid\":$p,\"tid\":[0-9]*,\"name\":\"thread_name\"" \
		"$tmp/two.json"; done | paste -sd' ')"
if ! command -v python3 >/dev/null; then
	ok "issue 10: ... and the file parses as JSON # SKIP no python3"
elif python3 -m json.tool "$tmp/two.json" >/dev/null 2>"$tmp/err"; then
	ok "issue 10: ... and the file parses as JSON"
else
	not_ok "issue 10: ... and the file parses as JSON" "$(head -n 1 "$tmp/err")"
fi
# ---- end of reading a witness ----

# Two reflinks racing a lease break once deadlocked (docs/design-notes.md,
# "Lock order, checked"); within one preemption the old code deadlocked in
# 3,780 of 10,042 executions.
exits "remap: two reflinks racing a lease break never deadlock within one preemption" 0 \
	"^Observation reflink-lease-two-ways Never 0 [0-9]+$" \
	run -p lease -b 1 "$lib/../tests/bounded/reflink-lease-two-ways.litmus"

tap_done
