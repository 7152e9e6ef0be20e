#!/bin/sh
# report-html.sh - `pinlab report` loaded in headless Chromium: the rendered DOM checked, as TAP.
#
# usage: tests/report-html.sh PATH-TO-PINLAB
#
# Makes a report of litmus-tests/self and litmus-tests/stable, then checks:
# the file needs nothing from elsewhere; in the DOM Chromium renders, every
# cell of `pinlab matrix` is there with the same text, every link resolves
# to an element id, each SVG swimlane has one lane per thread of its test's
# source; a wrong Result: is marked '!', an incomplete exploration '?', and
# a description is text, not markup.  Screenshots go next to PINLAB, in
# report-html/ (report.png: the top of the page, witness.png: one
# swimlane).  Without a usable Chromium the browser checks say so and SKIP;
# the others still run.  Ends with "N passed, M failed".

. "$(dirname "$0")/tap.sh"
PINLAB=${1:?usage: report-html.sh PATH-TO-PINLAB}
PINLAB=$(abs_path "$PINLAB")
CHROMIUM=${CHROMIUM:-chromium}
out=$(dirname "$PINLAB")/report-html
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out" || exit 2

# xp FILE XPATH: the XPath's value in the HTML FILE (libxml2 warns about HTML5 tags).
xp() {
	xmllint --html --xpath "$2" "$1" 2>/dev/null
}

# browse HTML DOM [PNG [WIDTH,HEIGHT]]: Chromium's DOM of HTML into DOM; a screenshot.
browse() {
	(cd "$tmp" && timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/chrome" --dump-dom "file://$1" >"$2" 2>"$tmp/chrome.err")
	[ -z "${3:-}" ] && return
	(cd "$tmp" && timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/chrome" --hide-scrollbars --window-size="${4:-1400,1000}" \
		--screenshot="$3" "file://$1" >/dev/null 2>>"$tmp/chrome.err")
}

# Threads of a litmus file: its "P0(label) {" headings.
threads_of() {
	grep -cE '^[[:space:]]*P[0-9]+[[:space:]]*(\([^)]*\))?[[:space:]]*\{' "$1"
}

dirs="litmus-tests/self litmus-tests/stable"
report=$out/report.html
# shellcheck disable=SC2086
"$PINLAB" report -o "$report" $dirs 2>"$tmp/err"
is "report of $dirs exits 0" "$?" 0
# shellcheck disable=SC2086
"$PINLAB" matrix $dirs >"$tmp/matrix"
summary=$(tail -n 1 "$tmp/matrix")
nr_tests=${summary%% tests*}
nr_pol=${summary#*tests, }
nr_pol=${nr_pol%% policies*}

# Self-contained: no element that fetches, every link within the page.
fetches=$(grep -ciE '<(link|img|iframe|object|embed)[ >]|<script[^>]* src=|url\(|@import' "$report")
is "the report loads nothing from elsewhere" "$fetches" 0
outside=$(grep -oE 'href="[^"]*"' "$report" | grep -vc '^href="#')
is "every link of the report stays in the page" "$outside" 0

# A Result: the model contradicts, a bounded run, a description with markup.
mkdir -p "$tmp/odd"
cat >"$tmp/odd/wrong.litmus" <<'EOF'
PIN wrong
"<script>alert(1)</script> & <b>not bold</b>"
(* Result: mainline=Never placeholder=Sometimes *)
{ x = 0; }
P0(writer) {
  x = 1;
}
P1(reader) {
  r0 = x;
}
exists (1:r0=1)
EOF
"$PINLAB" report -o "$tmp/odd.html" -p mainline,placeholder --max-execs 2 "$tmp/odd" \
	2>"$tmp/err"
is "a report with a mismatch exits 1, as matrix does" "$?" 1

# done_tap: the plan, the counts and the exit status; the end of the script.
done_tap() {
	tap_done
	exit
}

if ! grep -q '</html>' "$report" 2>/dev/null; then
	not_ok "a whole page to load in the browser" "no $report"
	done_tap
fi
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	echo "# ************************************************************"
	echo "# $CHROMIUM is not installed: the report is NOT checked in a browser"
	echo "# (scripts/install-deps.sh installs Debian's chromium)"
	echo "# ************************************************************"
	skip "the report in headless Chromium" "$CHROMIUM not found"
	done_tap
fi

if ! command -v xmllint >/dev/null 2>&1; then
	echo "# ************************************************************"
	echo "# xmllint (libxml2-utils) is not installed: the DOM is NOT checked"
	echo "# ************************************************************"
	skip "the report in headless Chromium" "xmllint not found"
	done_tap
fi

dom=$tmp/dom.html
rm -f "$out/report.png" "$out/witness.png"
browse "$report" "$dom" "$out/report.png"
if ! grep -q '</html>' "$dom"; then
	echo "# ************************************************************"
	echo "# $CHROMIUM did not render the report: the browser checks are SKIPPED"
	sed 's/^/# /' "$tmp/chrome.err" | tail -n 5
	echo "# ************************************************************"
	skip "the report in headless Chromium" "$CHROMIUM cannot run here"
	done_tap
fi
ok "headless $("$CHROMIUM" --version 2>/dev/null | head -n 1) rendered the report"

# Every cell of the matrix, with matrix's text.
cells=$(xp "$dom" "count(//td[contains(concat(' ', @class, ' '), ' cell ')])")
is "the DOM has every cell: $nr_tests tests x $nr_pol policies" "$cells" $((nr_tests * nr_pol))
rows=$(xp "$dom" "count(//tr[@class='row'])")
i=1
: >"$tmp/dom-matrix"
while [ "$i" -le "$rows" ]; do
	xp "$dom" "(//tr[@class='row'])[$i]/td/a/text()" | tr '\n' ' ' | sed 's/ *$//' \
		>>"$tmp/dom-matrix"
	echo >>"$tmp/dom-matrix"
	i=$((i + 1))
done
sed '1d' "$tmp/matrix" | grep -vE '^(Legend:|[0-9]+ tests, )' | tr -s ' ' >"$tmp/want-matrix"
if cmp -s "$tmp/dom-matrix" "$tmp/want-matrix"; then
	ok "each row of the DOM reads as pinlab matrix prints it ($rows rows)"
else
	not_ok "each row of the DOM reads as pinlab matrix prints it" \
		"$(diff "$tmp/want-matrix" "$tmp/dom-matrix" | sed -n 2p)"
fi
groups=$(xp "$dom" "count(//h2[@class='dir'])")
is "the matrix is grouped by directory" "$groups" 2

# Every link resolves to an element id.
xp "$dom" "//@id" | sed 's/^ id="\(.*\)"$/\1/' | sort >"$tmp/ids"
xp "$dom" "//a/@href" | sed 's/^ href="#\(.*\)"$/\1/' | sort -u >"$tmp/hrefs"
dangling=$(comm -23 "$tmp/hrefs" "$tmp/ids" | head -n 3 | tr '\n' ' ')
is "every witness and test link resolves to an id ($(wc -l <"$tmp/hrefs") targets)" \
	"$dangling" ""
dups=$(uniq -d "$tmp/ids" | head -n 3 | tr '\n' ' ')
is "no id is used twice" "$dups" ""
to_witness=$(grep -c '^w-' "$tmp/hrefs")
svgs=$(xp "$dom" "count(//div[@class='witness']/svg)")
is "one swimlane per cell with a witness" "$svgs" "$to_witness"
[ "$svgs" -gt 0 ] || not_ok "some cell has a witness" "none"

# Each swimlane: one lane per thread of its test's source, one box per step.
bad=""
for w in $(xp "$dom" "//div[@class='witness']/@id" | sed 's/^ id="\(.*\)"$/\1/'); do
	path=$(xp "$dom" "string(//section[div[@id='$w']]/p[@class='path']/code)")
	want=$(threads_of "$path")
	lanes=$(xp "$dom" "count(//div[@id='$w']/svg/g[@class='lane'])")
	[ "$lanes" = "$want" ] || bad="$bad $w:$lanes/$want"
done
is "each swimlane has one lane per thread of its test ($svgs swimlanes)" "$bad" ""
conds=$(xp "$dom" "count(//div[@class='witness']/svg/g[contains(@class, 'cond')])")
is "each swimlane highlights the step that made the condition true" "$conds" "$svgs"
labels=$(xp "$dom" "count(//g[contains(@class, 'step')]/text[not(@class)][string-length(.) = 0])")
is "every step's box is labelled" "$labels" 0

# The policies' knobs and the metadata.
knobs=$("$PINLAB" policies | grep -cE '^  [a-z_]+ += ')
knob_rows=$(xp "$dom" "count(//table[@class='policies']//tr[td]) - 1")
is "the knob table has every knob of pinlab policies" "$knob_rows" $((knobs / nr_pol))
version=$(xp "$dom" "string(//table[@class='meta']//tr[th='version']/td)")
is "the metadata names the version pinlab --version prints" "$version" \
	"$("$PINLAB" --version)"

# '!', '?' and escaping, in the browser too.
odd=$tmp/odd-dom.html
browse "$tmp/odd.html" "$odd"
marked=$(xp "$odd" "string(//td[contains(@class, 'mismatch')]/a)")
is "a cell that contradicts Result: is marked '!' and '?' (bounded)" "$marked" "Sometimes!?"
nr=$(xp "$odd" "count(//td[contains(@class, 'mismatch')])")
is "... and only that cell is a mismatch" "$nr" 1
nr=$(xp "$odd" "count(//td[contains(@class, 'incomplete')][substring(a, string-length(a)) = '?'])")
is "both bounded cells are marked '?'" "$nr" 2
scripts=$(xp "$odd" "count(//script)")
is "a description's markup stays text" "$scripts" 0
desc=$(xp "$odd" "string(//p[@class='desc'])")
is "... and reads as written" "$desc" "<script>alert(1)</script> & <b>not bold</b>"

# Screenshots, for a human to look at.
size=$(wc -c <"$out/report.png" 2>/dev/null || echo 0)
if [ "$size" -gt 20000 ]; then
	ok "screenshot $out/report.png ($size bytes)"
else
	not_ok "screenshot $out/report.png" "$size bytes (a blank page is ~7000)"
fi
"$PINLAB" report -o "$out/witness.html" -p placeholder,mainline \
	litmus-tests/mm/reclaim-strips-pinned.litmus 2>"$tmp/err"
browse "$out/witness.html" "$tmp/w-dom.html" "$out/witness.png" 1200,1800
size=$(wc -c <"$out/witness.png" 2>/dev/null || echo 0)
if [ "$size" -gt 20000 ]; then
	ok "screenshot of a swimlane $out/witness.png ($size bytes)"
else
	not_ok "screenshot of a swimlane $out/witness.png" "$size bytes"
fi

done_tap
