#!/bin/sh
# cli.sh - the pinlab command's usage errors, exit status and basic output, as TAP.
#
# usage: tests/cli.sh PATH-TO-PINLAB
#
# Every bad invocation must exit 2, print nothing on stdout and exactly one
# line on stderr containing "error".  Ends with "N passed, M failed" and
# exits 1 when anything failed.

PINLAB=${1:?usage: cli.sh PATH-TO-PINLAB}
case $PINLAB in
/*) ;;
*) PINLAB=$(pwd)/$PINLAB ;;
esac

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1 # $2"
}

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
bad "--replay with steps left over" run --policy mainline --replay "$witness,0x5" tests/sub/race.litmus
if grep -q 'every task finished' "$tmp/err"; then
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
bad "issue 7: fs = xfs" run xfs.litmus
grep -q '^xfs.litmus:2:8: error: ' "$tmp/err" || not_ok "issue 7: xfs is located" "$(cat "$tmp/err")"
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

echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
