# tap.sh - what the shell tests share: numbered TAP lines, the closing totals, an absolute program path.
#
# Sourced by tests/cli.sh and tests/report-html.sh: ". tests/tap.sh".

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

skip() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1 # SKIP $2"
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'"
	fi
}

# tap_done: the plan line and "N passed, M failed"; false when any failed.
tap_done() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# abs_path PATH: PATH, made absolute against the current directory.
abs_path() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$(pwd)/$1" ;;
	esac
}
