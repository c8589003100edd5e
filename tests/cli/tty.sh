#!/bin/bash
# tty.sh: what highwater does on a terminal, run under a pseudo-terminal
# (util-linux "script"): levels in colour on stdout (HIGH red, MODERATE
# yellow, LOW green) unless $NO_COLOR is set, with the columns still
# aligned; never colour when stdout is piped or for --json; a progress
# bar on stderr for an import, an export or a report that takes over a
# second, and none for short work, for --quiet or --json, or when stderr
# is not a terminal.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1 ||
	! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	echo "1..0 # SKIP no util-linux 'script' to make a pseudo-terminal"
	exit 0
fi

ESC=$'\033'
RED="${ESC}[31m" YELLOW="${ESC}[33m" GREEN="${ESC}[32m" RESET="${ESC}[0m"

# pty CMD: run the shell command CMD under a pseudo-terminal (stdout and
# stderr on it unless CMD sends them elsewhere); TTY gets what the
# terminal showed, carriage returns removed, raw bytes in $TTY_FILE.
TTY_FILE=$TMP/tty.out
pty() {
	local start
	start=$(date +%s%N)
	script -qec "$1" /dev/null </dev/null >"$TTY_FILE" 2>&1
	RC=$?
	ELAPSED=$((($(date +%s%N) - start) / 1000000))
	TTY=$(tr -d '\r' <"$TTY_FILE")
}

# Progress is drawn once work has taken a second: what the terminal
# must show depends on how long the run took here (a loaded or
# instrumented build is slower), so a run too close to the second
# skips rather than guess.  The run's time includes starting the
# process and opening the database, before the work and its bar begin
# (about 0.4 s under the sanitizers: a 1.28 s export showed no bar), so
# the margin is 0.6 s.
# slow TEXT DESC: the last run took 1.6 s or more and showed TEXT.
slow() {
	if [ "$ELAPSED" -ge 1600 ]; then
		has "$1" "$2 (${ELAPSED} ms)"
	else
		skip "$2" "the run took ${ELAPSED} ms here, under 1.6 s"
	fi
}
# quick TEXT DESC: the last run took under 0.9 s and did not show TEXT.
quick() {
	if [ "$ELAPSED" -lt 900 ]; then
		lacks "$1" "$2 (${ELAPSED} ms)"
	else
		skip "$2" "the run took ${ELAPSED} ms here, 0.9 s or more"
	fi
}

# has TEXT DESC / lacks TEXT DESC: the terminal showed TEXT (or not).
has() {
	case $TTY in
	*"$1"*) _result 1 "$2" ;;
	*) _result 0 "$2"; diag "terminal: ${TTY:0:600}" ;;
	esac
}
lacks() {
	case $TTY in
	*"$1"*) _result 0 "$2"; diag "terminal: ${TTY:0:600}" ;;
	*) _result 1 "$2" ;;
	esac
}

# no_sgr TEXT: TEXT without its colour escapes.
no_sgr() {
	printf '%s' "$1" | sed "s/${ESC}\[[0-9;]*m//g"
}

demo_db
q() { printf '%q' "$1"; }
HWQ="$(q "$HIGHWATER") --db $(q "$HIGHWATER_DB")"

# --- colour ------------------------------------------------------------

hw asset list
PIPED=$OUT
expect_eq "$(printf '%s' "$OUT" | grep -c "$ESC")" 0 \
	"asset list piped: no escape sequences"

pty "$HWQ asset list"
expect_rc 0 "asset list on a terminal exits 0"
has "${RED}high${RESET}" "... high in red"
has "${YELLOW}moderate${RESET}" "... moderate in yellow"
has "${GREEN}low${RESET}" "... low in green"
expect_eq "$(no_sgr "$TTY")" "$PIPED" \
	"... and without the escapes it is the piped table: columns aligned"
expect_eq "$(printf '%s\n' "$TTY" | grep "^ID " | grep -c "$ESC")" 0 \
	"... the header row is plain"

pty "NO_COLOR=1 $HWQ asset list"
lacks "$ESC" "NO_COLOR=1: no colour on a terminal"
expect_eq "$TTY" "$PIPED" "... the table as piped"
pty "NO_COLOR=yes $HWQ asset list"
lacks "$ESC" "NO_COLOR=yes: no colour either"
pty "NO_COLOR= $HWQ asset list"
has "${RED}high${RESET}" "NO_COLOR set but empty: colour (no-color.org)"

hw asset list --json
PIPED=$OUT
pty "$HWQ asset list --json"
lacks "$ESC" "asset list --json on a terminal: no colour"
expect_eq "$TTY" "$PIPED" "... byte for byte the piped document"

hw categorize scada-hmi-01
PIPED=$OUT
pty "$HWQ categorize scada-hmi-01"
has "(integrity, ${RED}HIGH${RESET})" "categorize: HIGH in red in the SC"
has "overall    ${RED}HIGH${RESET}, SP 800-53B ${RED}HIGH${RESET} baseline" \
	"... and in the overall line"
expect_eq "$(no_sgr "$TTY")" "$PIPED" "... otherwise as piped"

for cmd in "impact active-directory" "risk" "plan --top 3" "check" \
	"infotype list" "asset show active-directory"; do
	hw $cmd
	PIPED=$OUT
	pty "$HWQ $cmd"
	has "$ESC[3" "$cmd on a terminal: levels in colour"
	expect_eq "$(no_sgr "$TTY")" "$PIPED" "... otherwise as piped"
done

pty "$HWQ asset list | cat"
lacks "$ESC" "stdout piped from a terminal session: no colour"

# --- progress ------------------------------------------------------------

pty "$HWQ export -o $(q "$TMP/demo.json")"
expect_rc 0 "export of the demo with stderr on a terminal exits 0"
quick "[" "... no progress for work under a second"
expect_eq "$(printf '%s\n' "$TTY" | tail -n 1)" "exported to $TMP/demo.json" \
	"... and says what it did"

# A big inventory from bench/gen-inventory.c (built with the C compiler).
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1 ||
	! "$CC" -O2 -o "$TMP/gen" "$HW_SRCDIR/bench/gen-inventory.c" 2>/dev/null; then
	skip "progress on long work" "cannot build bench/gen-inventory.c with $CC"
	done_testing
fi
# 60,000 assets, 20,000 under the sanitizers (still several seconds a
# run there, and a third of the time).
N=60000
[ -n "${HW_SANITIZED:-}" ] && N=20000
"$TMP/gen" "$N" >"$TMP/big.jsonl"
BIG=$TMP/big.db
BQ="$(q "$HIGHWATER") --db $(q "$BIG")"
hw_setup --db "$BIG" --quiet init

pty "$BQ import $(q "$TMP/big.jsonl") >/dev/null"
expect_rc 0 "import of $N assets, stderr on a terminal, exits 0"
slow "importing [" "... draws its progress"
slow "100%" "... to the end"

pty "$BQ report plan -o $(q "$TMP/plan.xlsx") >/dev/null"
expect_rc 0 "report plan of $N assets exits 0"
slow "writing the workbook [" "... draws its progress on stderr"
slow "] 100%" "... to the end"
if [ "$ELAPSED" -ge 1600 ]; then
	expect_eq "$(printf '%s\n' "$TTY" | tail -n 1 | grep -c '100%$')" 1 \
		"... and ends the line"
else
	skip "... and ends the line" "the run took ${ELAPSED} ms here"
fi

pty "$BQ report inventory -o $(q "$TMP/inv0.xlsx") 2>$(q "$TMP/err")"
expect_rc 0 "report inventory with stderr to a file exits 0"
expect_eq "$(cat "$TMP/err")" "" "... no progress when stderr is not a terminal"
lacks "[" "... nor on the terminal (stdout)"

pty "$BQ export -o $(q "$TMP/big.json") >/dev/null"
expect_rc 0 "export of $N assets exits 0"
slow "exporting [" "... draws its progress"

hw_setup --db "$TMP/again.db" --quiet init
pty "$(q "$HIGHWATER") --db $(q "$TMP/again.db") import $(q "$TMP/big.json") >/dev/null"
expect_rc 0 "import of that export (one JSON document) exits 0"
slow "importing [" "... draws its progress"
slow "] 100%" "... over the whole file"

pty "$BQ export --format csv -o $(q "$TMP/csv")"
expect_rc 0 "export --format csv of $N assets exits 0"
slow "exporting [" "... draws its progress"
hw_setup --db "$TMP/csv.db" --quiet init
pty "$(q "$HIGHWATER") --db $(q "$TMP/csv.db") import $(q "$TMP/csv")/*.csv >/dev/null"
expect_rc 0 "import of the four CSV files exits 0"
slow "importing [" "... draws its progress"
slow "] 100%" "... over all the files"

pty "$BQ --quiet report inventory -o $(q "$TMP/inv.xlsx") >/dev/null"
expect_rc 0 "report inventory --quiet exits 0"
lacks "[" "... no progress with --quiet"
pty "$BQ --json export -o $(q "$TMP/big2.json") --force >/dev/null"
lacks "[" "export --json: no progress"
hw --db "$BIG" export -o "$TMP/big3.json"
expect_err_eq "exported to $TMP/big3.json" \
	"export with stderr not a terminal: no progress"

done_testing
