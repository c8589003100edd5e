# lib.sh: shared helpers for the end-to-end CLI tests (TAP).
#
# Sourced by each tests/cli/*.sh.  Under "make check" the environment
# gives HIGHWATER (the binary), HIGHWATER_DATADIR (the data folder),
# HW_TESTDATA (tests/data) and HW_SRCDIR (the source tree); run by hand
# ("bash tests/cli/asset.sh") they default to paths relative to the
# script.  Each script gets a fresh temporary folder, removed on exit,
# with HIGHWATER_DB=$TMP/test.db and HIGHWATER_ACTOR=tester.
#
# Running a command:   hw ARGS...   sets OUT (stdout), ERR (stderr) and RC
#                      (exit status); it never aborts the script.  OUT and
#                      ERR lose their trailing newlines; the raw bytes are
#                      in $OUT_FILE and $ERR_FILE.
# Assertions (each prints one TAP line, plus "# " diagnostics on failure):
#   expect_rc N DESC             exit status
#   expect_out_eq TEXT DESC      stdout is exactly TEXT
#   expect_out_has TEXT DESC     stdout contains TEXT
#   expect_out_file FILE DESC    stdout equals FILE byte for byte
#   expect_err_eq TEXT DESC      stderr is exactly TEXT
#   expect_err_has TEXT DESC     stderr contains TEXT
#   expect_err_one_line DESC     stderr is exactly one non-empty line
#   expect_eq GOT WANT DESC      two strings are equal
#   expect_json EXPR WANT DESC   python3: json.dumps(EXPR) == WANT, where
#                                d is the JSON document on stdout
#   snapshot / expect_unchanged DESC
#                                the export now equals the snapshot
#   refuse DESC NEEDLE... -- ARGS...
#                                snapshot; hw ARGS; one assertion that it
#                                exited 1 with one stderr line containing
#                                every NEEDLE and left the export unchanged
#   refuse_usage DESC NEEDLE... -- ARGS...
#                                the same for a usage error: exit 2, the
#                                first stderr line has every NEEDLE and
#                                the command's usage follows
#   READ_COMMANDS, hw_read DB COMMAND ASSET
#                                every read command, to run on damaged
#                                databases
#   ok_if DESC CMD...            passes when CMD succeeds
#   skip DESC REASON             an assertion that cannot be made here
#   py_ok DESC SCRIPT ARGS...    python3 -c SCRIPT ARGS prints "ok"
#   xlsx_check DESC SCRIPT ARGS  the same with $COMMON before SCRIPT
#   todo REASON                  marks the next assertion "# TODO REASON"
#   done_testing                 prints the plan and exits 0
# Fixtures: demo_db (init + import data/demo-inventory.json, quietly).
# Bounds: hw_bounded SECONDS (a timeout, and 1 GiB of memory but under
#         ASan, for every command after it).

if [ -z "${BASH_VERSION:-}" ]; then
	echo "Bail out! tests/cli/lib.sh needs bash"
	exit 1
fi
set -u

_hw_script_dir=$(cd "$(dirname "$0")" && pwd)

# Absolute form of a path (relative to the folder we started in).
_hw_abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}

if [ -z "${HW_SRCDIR:-}" ]; then
	HW_SRCDIR=$(cd "$_hw_script_dir/../.." && pwd)
fi
if [ -z "${HIGHWATER:-}" ]; then
	HIGHWATER=$_hw_script_dir/../../src/cli/highwater
fi
HIGHWATER=$(_hw_abs "$HIGHWATER")
HW_SRCDIR=$(_hw_abs "$HW_SRCDIR")
: "${HIGHWATER_DATADIR:=$HW_SRCDIR/data}"
: "${HW_TESTDATA:=$HW_SRCDIR/tests/data}"
HIGHWATER_DATADIR=$(_hw_abs "$HIGHWATER_DATADIR")
HW_TESTDATA=$(_hw_abs "$HW_TESTDATA")
export HIGHWATER HIGHWATER_DATADIR HW_TESTDATA HW_SRCDIR

if [ ! -x "$HIGHWATER" ]; then
	echo "Bail out! no highwater binary at $HIGHWATER (run make first)"
	exit 1
fi
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# HW_TEST_ENGINE=postgresql: every database on the test cluster (its
# socket folder in HW_PG_HOST), through tests/pg/highwater.  A script
# about SQLite's file itself says so with sqlite_only.
HW_TEST_ENGINE=${HW_TEST_ENGINE:-sqlite}
export HW_TEST_ENGINE
if [ "$HW_TEST_ENGINE" = postgresql ]; then
	if [ -z "${HW_PG_HOST:-}" ]; then
		echo "Bail out! HW_TEST_ENGINE=postgresql needs HW_PG_HOST"
		exit 1
	fi
	HW_PG_REAL=${HW_PG_REAL:-$HIGHWATER}
	HIGHWATER=$HW_SRCDIR/tests/pg/highwater
	export HW_PG_REAL HW_PG_HOST HIGHWATER
fi

# db_sum DB: what changes when anything in database DB does: the file's
# bytes on SQLite; on PostgreSQL every table's rows.
db_sum() {
	if [ "$HW_TEST_ENGINE" = sqlite ]; then
		sha256sum <"$1"
	else
		# each table's rows in one order, hashed by the server: one
		# psql (bad-input.sh sums twice a case)
		"$HW_SRCDIR/tests/pg/sql" "$1" 2>&1 <<-'EOF' | sha256sum
			SELECT format('SELECT %L, md5(coalesce(string_agg(r::text, '
			    'chr(10) ORDER BY r::text), '''')) FROM %I r', relname, relname)
			FROM pg_class WHERE relkind = 'r'
			AND relnamespace = current_schema()::regnamespace ORDER BY relname
			\gexec
		EOF
	fi
}

# db_sql DB [SQL]: SQL (else stdin) run on database DB behind
# highwater's back, rows as sqlite3 prints them (SQL both engines
# share).
db_sql() {
	if [ "$HW_TEST_ENGINE" = sqlite ]; then
		sqlite3 "$@"
	else
		"$HW_SRCDIR/tests/pg/sql" "$@"
	fi
}

# db_shown DB: how highwater names database DB where it writes it (a
# workbook's Summary): the path, or on PostgreSQL the URI standing for it.
db_shown() {
	if [ "$HW_TEST_ENGINE" = sqlite ]; then
		printf '%s\n' "$1"
	else
		printf 'postgresql://hw@/%s?host=%s\n' \
			"$(HW_PG_RESOLVE=1 HW_PG_REAL=: "$HW_SRCDIR/tests/pg/highwater" --db "$1" version)" \
			"$HW_PG_HOST"
	fi
}

# on_sqlite DESC: true on SQLite; on another engine false, after a
# skipped assertion DESC (a part of a script about SQLite's file):
#   if on_sqlite "crafted files"; then ...; fi
on_sqlite() {
	[ "$HW_TEST_ENGINE" = sqlite ] && return 0
	skip "$1" "a SQLite file's own (the suite runs on $HW_TEST_ENGINE)"
	return 1
}

# sqlite_only REASON: the whole script is about SQLite's database file
# (its bytes, modes, side files): when the suite runs on PostgreSQL it
# runs on SQLite files all the same (the suite's sanitizer run is on
# PostgreSQL, and must still cover SQLite's code).
sqlite_only() {
	if [ "$HW_TEST_ENGINE" != sqlite ]; then
		diag "on SQLite files although the suite runs on $HW_TEST_ENGINE: $1"
		HIGHWATER=$HW_PG_REAL
		HW_TEST_ENGINE=sqlite
		export HIGHWATER HW_TEST_ENGINE
	fi
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hw-cli.XXXXXX") || {
	echo "Bail out! cannot create a temporary folder"
	exit 1
}
trap 'rm -rf "$TMP"' EXIT
HIGHWATER_DB=$TMP/test.db
HIGHWATER_ACTOR=tester
LC_ALL=C
export HIGHWATER_DB HIGHWATER_ACTOR LC_ALL
# Commands that fall back to ./highwater.db must not touch the tree.
cd "$TMP" || exit 1

OUT_FILE=$TMP/.stdout
ERR_FILE=$TMP/.stderr
SNAPSHOT=$TMP/.snapshot.json
OUT=
ERR=
RC=
_hw_n=0
_hw_todo=

# ------------------------------------------------------------------
# Running

hw() {
	"$HIGHWATER" "$@" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
	return 0
}

# hw_bounded SECONDS: from now on every command runs under a timeout of
# SECONDS (a hang fails, it does not stop the suite) and, where the build
# allows it (not under ASan, which reserves terabytes of address space),
# 1 GiB of address space (hostile-import.sh, bad-input.sh).  Under a
# wrapper (make check-valgrind's script, not the program itself) every
# command runs tens of times slower: twenty times the time.
hw_bounded() {
	local real=$HIGHWATER limit='ulimit -v 1048576' secs=$1

	if [ "$(head -c 4 "${HW_PG_REAL:-$real}" | tr -d '\177')" != ELF ]; then
		secs=$((secs * 20))
		diag "a wrapped binary (valgrind): $secs s a command"
	fi

	if ! (ulimit -v 1048576 && "$real" --version) >/dev/null 2>&1; then
		limit=:
		diag "no ulimit -v here (a sanitizer build): time bounded only"
	fi
	HIGHWATER=$TMP/.bounded
	printf '#!/bin/sh\n%s\nexec timeout %s "%s" "$@"\n' "$limit" "$secs" \
		"$real" >"$HIGHWATER"
	chmod +x "$HIGHWATER"
}

# hw_craft FROM TO SCRIPT CASE: TO a fresh copy of database FROM (no
# side files), changed by the Python SCRIPT (argv: TO, CASE); bails out
# if it fails.
hw_craft() {
	cp "$1" "$2"
	rm -f "$2-wal" "$2-shm"
	if ! "$PYTHON" -c "$3" "$2" "$4"; then
		echo "Bail out! cannot craft the database for $4"
		exit 1
	fi
}

# Drop every trigger of database $1: a file crafted as an older schema
# (before 9) has none, and highwater refuses triggers it does not make.
hw_drop_triggers() {
	sqlite3 "$1" "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_schema WHERE type = 'trigger'" |
		sqlite3 "$1"
}

# Run quietly and stop the script if it fails: for setting up fixtures.
hw_setup() {
	hw "$@"
	if [ "$RC" -ne 0 ]; then
		echo "Bail out! setup failed: highwater $* (exit $RC): $ERR"
		exit 1
	fi
}

demo_db() {
	rm -f "$HIGHWATER_DB"
	hw_setup --quiet init
	hw_setup --quiet import "$HW_SRCDIR/data/demo-inventory.json"
}

# ------------------------------------------------------------------
# TAP

todo() {
	_hw_todo=$1
}

# Print "#   LABEL: TEXT", continuing multi-line text on "# " lines.
diag_value() {
	local label=$1 text=$2 first=1 line
	if [ -z "$text" ]; then
		printf '#   %s: (empty)\n' "$label"
		return
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		if [ $first = 1 ]; then
			printf '#   %s: %s\n' "$label" "$line"
			first=0
		else
			printf '#   %*s  %s\n' ${#label} '' "$line"
		fi
	done <<<"$text"
}

diag() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# _result PASS DESC: print one TAP line; the diagnostics follow it.
_result() {
	local pass=$1 desc=$2 suffix=''
	_hw_n=$((_hw_n + 1))
	desc=${desc//#/\\#}
	if [ -n "$_hw_todo" ]; then
		suffix=" # TODO $_hw_todo"
		_hw_todo=
	fi
	if [ "$pass" = 1 ]; then
		printf 'ok %d - %s%s\n' $_hw_n "$desc" "$suffix"
		return 0
	fi
	printf 'not ok %d - %s%s\n' $_hw_n "$desc" "$suffix"
	return 1
}

# The exit status and stderr of the last command, for diagnostics.
_hw_context() {
	diag_value "exit status" "$RC"
	diag_value "stderr" "$ERR"
}

expect_rc() {
	local want=$1 desc=$2
	if [ "$RC" = "$want" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected exit status" "$want"
		diag_value "got exit status" "$RC"
		diag_value "stderr" "$ERR"
	fi
}

expect_eq() {
	local got=$1 want=$2 desc=$3
	if [ "$got" = "$want" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected" "$want"
		diag_value "got" "$got"
	fi
}

expect_out_eq() {
	local want=$1 desc=$2
	if [ "$OUT" = "$want" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected stdout" "$want"
		diag_value "got stdout" "$OUT"
		_hw_context
	fi
}

expect_out_has() {
	local want=$1 desc=$2
	if [[ $OUT == *"$want"* ]]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected stdout to contain" "$want"
		diag_value "got stdout" "$OUT"
		_hw_context
	fi
}

expect_out_file() {
	local file=$1 desc=$2
	if cmp -s "$OUT_FILE" "$file"; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "stdout differs from $file:"
		diag "$(diff -u "$file" "$OUT_FILE" | head -n 20)"
		_hw_context
	fi
}

expect_err_eq() {
	local want=$1 desc=$2
	if [ "$ERR" = "$want" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected stderr" "$want"
		diag_value "got stderr" "$ERR"
	fi
}

expect_err_has() {
	local want=$1 desc=$2
	if [[ $ERR == *"$want"* ]]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "expected stderr to contain" "$want"
		diag_value "got stderr" "$ERR"
	fi
}

# Is the raw stderr exactly one non-empty line ending in a newline?
_err_is_one_line() {
	[ -s "$ERR_FILE" ] && [ "$(wc -l <"$ERR_FILE")" -eq 1 ] &&
		[ -z "$(tail -c 1 "$ERR_FILE")" ] && [ -n "$ERR" ]
}

expect_err_one_line() {
	local desc=$1
	if _err_is_one_line; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "expected stderr to be exactly one line"
		diag_value "got stderr" "$ERR"
	fi
}

# skip DESC REASON: a TAP assertion that could not be made here.
skip() {
	_hw_n=$((_hw_n + 1))
	printf 'ok %d - %s # SKIP %s\n' $_hw_n "$1" "$2"
}

# py_ok DESC SCRIPT ARGS...: run python3 SCRIPT ARGS; passes when it
# prints exactly "ok" (anything else is shown as diagnostics).
py_ok() {
	local desc=$1 script=$2 got
	shift 2
	got=$("$PYTHON" -c "$script" "$@" 2>&1)
	if [ "$got" = ok ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "$got"
	fi
}

# xlsx_check DESC SCRIPT ARGS...: py_ok with the script's own $COMMON
# (helpers that load the workbook with openpyxl) before SCRIPT.
xlsx_check() {
	py_ok "$1" "${COMMON:-}$2" "${@:3}"
}

ok_if() {
	local desc=$1
	shift
	if "$@"; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "failed: $*"
	fi
}

# json_val EXPR: json.dumps(EXPR) (sorted keys, compact) where d is the
# JSON document in stdout; prints "ERROR: ..." if that fails.
json_val() {
	"$PYTHON" -c '
import json, sys
try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
    v = eval(sys.argv[2], {"d": d})
    print(json.dumps(v, sort_keys=True, separators=(",", ":")))
except Exception as e:
    print("ERROR: %s: %s" % (type(e).__name__, e))
' "$OUT_FILE" "$1"
}

expect_json() {
	local expr=$1 want=$2 desc=$3 got
	got=$(json_val "$expr")
	if [ "$got" = "$want" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "python3" "$expr"
		diag_value "expected" "$want"
		diag_value "got" "$got"
	fi
}

# ------------------------------------------------------------------
# "A failed command changes nothing": compare exports.

snapshot() {
	if ! "$HIGHWATER" export >"$SNAPSHOT" 2>"$TMP/.snapshot.err"; then
		echo "Bail out! snapshot: highwater export failed: $(cat "$TMP/.snapshot.err")"
		exit 1
	fi
}

# Returns 0 if the export equals the snapshot; else puts a diff in
# $_hw_changed.
_unchanged() {
	_hw_changed=
	if ! "$HIGHWATER" export >"$TMP/.now.json" 2>"$TMP/.now.err"; then
		_hw_changed="export failed: $(cat "$TMP/.now.err")"
		return 1
	fi
	if ! cmp -s "$SNAPSHOT" "$TMP/.now.json"; then
		_hw_changed=$(diff -u "$SNAPSHOT" "$TMP/.now.json" | head -n 20)
		return 1
	fi
	return 0
}

expect_unchanged() {
	local desc=$1
	if _unchanged; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "the database changed:"
		diag "$_hw_changed"
	fi
}

# refuse DESC NEEDLE... -- ARGS...: a bad input is refused cleanly.
refuse() {
	_refuse 1 "$@"
}

# refuse_usage DESC NEEDLE... -- ARGS...: a value that does not parse
# as its option's type is a usage error (exit 2) that changes nothing.
refuse_usage() {
	_refuse 2 "$@"
}

# _refuse STATUS DESC NEEDLE... -- ARGS...: status 1 is one stderr line
# with every NEEDLE; status 2 a first line with every NEEDLE, then the
# command's usage (maybe wrapped over lines).
_refuse() {
	local want=$1 desc=$2 problems='' needle text
	local -a needles=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		needles+=("$1")
		shift
	done
	shift
	snapshot
	hw "$@"
	text=$ERR
	[ "$RC" = "$want" ] || problems+="exit status $RC, expected $want"$'\n'
	if [ "$want" = 1 ]; then
		_err_is_one_line || problems+="stderr is not exactly one line"$'\n'
	else
		text=$(head -n 1 "$ERR_FILE")
		[[ $(sed -n 2p "$ERR_FILE") == "usage: highwater "* ]] ||
			problems+="stderr is not a message and the usage"$'\n'
	fi
	for needle in "${needles[@]}"; do
		[[ $text == *"$needle"* ]] ||
			problems+="stderr lacks: $needle"$'\n'
	done
	[ -z "$OUT" ] || problems+="stdout is not empty: $OUT"$'\n'
	_unchanged || problems+="the database changed: $_hw_changed"$'\n'
	if [ -z "$problems" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "highwater $*"
		diag "${problems%$'\n'}"
		diag_value "stderr" "$ERR"
	fi
}

# ------------------------------------------------------------------
# Damaged databases (damaged.sh, overwritten.sh): the read commands,
# ASSET standing for an asset and OUT for a folder for workbooks.

READ_COMMANDS=(
	"asset list" "asset show ASSET" "categorize" "categorize ASSET"
	"impact ASSET" "risk" "plan" "check" "graph" "export"
	"report plan -o OUT/plan.xlsx" "report change ASSET -o OUT/change.xlsx"
	"report inventory -o OUT/inventory.xlsx" "dep list" "dep list ASSET"
	"infotype list")

# hw_read DB COMMAND ASSET: hw --db DB --quiet COMMAND, its workbooks
# going to a fresh $TMP/out.
hw_read() {
	local words
	rm -rf "$TMP/out"
	mkdir -p "$TMP/out"
	words=${2//ASSET/$3}
	words=${words//OUT/$TMP/out}
	# shellcheck disable=SC2086
	hw --db "$1" --quiet $words
}

done_testing() {
	echo "1..$_hw_n"
	exit 0
}
