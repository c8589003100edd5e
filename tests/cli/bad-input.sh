#!/bin/bash
# bad-input.sh: every hostile file in tests/data/bad (issue 16, item 5)
# gives what tests/data/bad/EXPECTED says: refused with one line naming
# the file, where in it and what was expected, the database unchanged
# byte for byte; or imported with the correct result.  Then the big
# files make-big.py writes at test time, the OSCAL import's non-regular
# files, and the crafted databases of make-dbs.py.  Every command runs
# in bounded time and (but under ASan) memory.  hostile-import.sh has
# the limits of lines and text; damaged.sh the demo with bad values.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

BAD=$HW_TESTDATA/bad

# Each command under a timeout and 1 GiB (not under ASan): the 50 MiB
# string takes 15 s to refuse here.
hw_bounded 120

# The database every file is imported into: four assets.
BASE=$TMP/base.db
hw_setup --db "$BASE" --quiet init
for a in a1 a2 a3; do
	hw_setup --db "$BASE" --quiet asset add $a --name "A $a" --type server
done
hw_setup --db "$BASE" --quiet asset add sys --name Sys --type application
DB=$TMP/t.db

# fresh: DB a copy of the base.  A case that refused its file leaves
# the copy as it was (try checks the sums), and the next case takes it
# as it is: _same holds its sum then, and fresh clears it.
_same=
fresh() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$BASE" "$DB"
	_same=
}

# try DESC FILE WANT TEXT ARGS...: on a copy of the base (see fresh), highwater
# --db it ARGS; WANT 1: exit 1, one stderr line holding 'FILE' then TEXT,
# nothing on stdout, the file unchanged; WANT 0: exit 0, TEXT in stdout.
try() {
	local desc=$1 file=$2 want=$3 text=$4 sum problems= after
	shift 4
	if [ -n "$_same" ]; then
		sum=$_same
	else
		fresh
		sum=$(db_sum "$DB")
	fi
	_same=
	hw --db "$DB" "$@"
	[ "$RC" = "$want" ] || problems+="exit status $RC, expected $want; "
	if [ "$want" = 1 ]; then
		_err_is_one_line || problems+="stderr is not one line; "
		[[ $ERR == *"'$file$text"* ]] ||
			problems+="stderr lacks: '$file$text; "
		[ -z "$OUT" ] || problems+="stdout is not empty; "
		after=$(db_sum "$DB")
		if [ "$after" = "$sum" ]; then
			_same=$sum
		else
			problems+="the database changed; "
		fi
	else
		[[ $OUT == *"$text"* ]] || problems+="stdout lacks: $text; "
	fi
	if [ -z "$problems" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "$problems"
		diag_value "stderr" "$ERR"
	fi
}

# import_args FILE: how the file is imported.
import_args() {
	case ${1##*/} in
	oscal-*) echo "import --format oscal $1 --asset sys" ;;
	*) echo "import $1" ;;
	esac
}

# --- the committed files ----------------------------------------------
n=0
declare -A listed=()
while IFS=$'\t' read -r name want text; do
	case $name in '#'* | '') continue ;; esac
	listed[$name]=1
	n=$((n + 1))
	# shellcheck disable=SC2046
	try "$name: exit $want" "$BAD/$name" "$want" "$text" \
		$(import_args "$BAD/$name")
done <"$BAD/EXPECTED"
missing=
for f in "$BAD"/*; do
	b=${f##*/}
	case $b in EXPECTED | make-*) continue ;; esac
	[ -n "${listed[$b]:-}" ] || missing+=" $b"
done
expect_eq "$missing" "" "every file in tests/data/bad is in EXPECTED"
ok_if "at least 80 hostile files ($n)" [ "$n" -ge 80 ]

# --- correct results ----------------------------------------------------
# A cycle is valid: each asset on it gets the levels of the others.
fresh
hw_setup --db "$DB" --quiet import "$BAD/json-cycle-3.json"
hw --db "$DB" --json categorize b2
expect_json '[d["assets"][0]["on_cycle"], d["assets"][0]["effective"]]' \
	'[true,{"availability":"high","confidentiality":"low","integrity":"low"}]' \
	"a cycle of three: b2 is on it and gets b1's levels"
hw --db "$DB" --json categorize b1
expect_json 'd["assets"][0]["effective"]' \
	'{"availability":"high","confidentiality":"low","integrity":"low"}' \
	"... and b1 keeps its own"
fresh
hw_setup --db "$DB" --quiet import "$BAD/csv-deps-cycle.csv"
hw --db "$DB" --json categorize a1
expect_json 'd["assets"][0]["on_cycle"]' true "a cycle in dependencies.csv: a1 is on it"

# SQL is data: the names come back byte for byte, no table is gone.
fresh
hw_setup --db "$DB" --quiet import "$BAD/json-name-sql.json"
hw --db "$DB" --json asset show b1
expect_json '[d["name"], d["owner"], d["description"]]' \
	"[\"Robert'); DROP TABLE asset;--\",\"x' OR '1'='1\",\"\\\"; DELETE FROM dependency; --\"]" \
	"SQL metacharacters in a name, an owner, a description are stored as given"
hw --db "$DB" asset list --ids
expect_out_eq "a1
a2
a3
b1
sys" "... and every asset is still there"

# Formula-leading text is stored as given; the CSV export neutralises it
# (one leading '), and imports back to the same text.
fresh
hw_setup --db "$DB" --quiet import "$BAD/csv-formula-names.csv"
hw --db "$DB" --json asset show f1
expect_json '[d["name"], d["owner"], d["description"]]' \
	'["=HYPERLINK(\"http://evil.example/\",\"x\")","+cmd","-1+2"]' \
	"formula-leading names from CSV are stored as given"
hw_setup --db "$DB" export --format csv -o "$TMP/csv"
py_ok "the CSV export starts each with one ' (OWASP)" '
import csv, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
want = {"f1": ["\x27=HYPERLINK(\"http://evil.example/\",\"x\")", "\x27+cmd", "\x27-1+2"],
        "f2": ["\x27@SUM(A1)", "\x27\t=1", "\x27\r=2"]}
got = {k: [rows[k]["name"], rows[k]["owner"], rows[k]["description"]] for k in want}
print("ok" if got == want else got)' "$TMP/csv/assets.csv"
for t in eq plus minus at tab cr; do
	fresh
	hw_setup --db "$DB" --quiet import "$BAD/json-formula-$t.json"
	hw_setup --db "$DB" export -o "$TMP/back.json"
	py_ok "json-formula-$t: the export gives the name back as given" '
import json, sys
a = json.load(open(sys.argv[1]))["assets"]
b = [x for x in json.load(open(sys.argv[2]))["assets"] if x["id"] == "b1"][0]
print("ok" if b["name"] == a[0]["name"] else repr(b["name"]))' "$BAD/json-formula-$t.json" "$TMP/back.json"
	rm -f "$TMP/back.json"
done

# --- OSCAL: what is not a regular file is refused at once --------------
mkfifo "$TMP/ssp.json"
mkdir "$TMP/sspdir"
try "oscal: a FIFO without a writer is refused, not waited on" "$TMP/ssp.json" 1 \
	"' is not a regular file (a FIFO)" import --format oscal "$TMP/ssp.json" --asset sys
try "oscal: a directory" "$TMP/sspdir" 1 "' is a directory (expected a file)" \
	import --format oscal "$TMP/sspdir" --asset sys
try "oscal: /dev/zero" /dev/zero 1 "' is not a regular file (a character device)" \
	import --format oscal /dev/zero --asset sys

# --- the big files, made one at a time (the largest are 50 MiB) --------
hw_setup --db "$BASE" --quiet report inventory -o "$TMP/base.xlsx"
mkdir "$TMP/big"
while IFS=$'\t' read -r name want text; do
	if ! "$PYTHON" "$BAD/make-big.py" "$name" "$TMP/big" "$TMP/base.xlsx"; then
		echo "Bail out! make-big.py cannot write $name"
		exit 1
	fi
	# shellcheck disable=SC2046
	try "$name (made at test time): exit $want" "$TMP/big/$name" "$want" \
		"$text" $(import_args "$TMP/big/$name")
	rm -f "$TMP/big/$name"
done < <("$PYTHON" "$BAD/make-big.py" --list)
# The limit is the asset's own dependencies, checked at dep add too.
fresh
"$PYTHON" "$BAD/make-big.py" deps-100000.jsonl "$TMP/big" ||
	echo "Bail out! make-big.py cannot write deps-100000.jsonl"
hw_setup --db "$DB" --quiet import "$TMP/big/deps-100000.jsonl"
rm -f "$TMP/big/deps-100000.jsonl"
sum=$(db_sum "$DB")
hw --db "$DB" dep add hub a1
expect_eq "$RC:$ERR" "1:highwater: dep add: asset 'hub' depends on more than 100000 assets (the most dependencies an asset has)" \
	"dep add: the 100,001st dependency of an asset is refused"
expect_eq "$(db_sum "$DB")" "$sum" "... and the database is unchanged"
hw --db "$DB" dep add a1 hub
expect_rc 0 "... while what depends on it is not bounded"

# Assets: row numbers past the limit with few assets are counted, not
# taken for the count (10,000,000 assets are too many to make here).
# Then crafted database files: SQLite's.
if on_sqlite "row numbers and crafted database files"; then
fresh
"$PYTHON" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE asset SET n = 20000000 WHERE id = ?", ("a3",))
c.commit()' "$DB"
hw --db "$DB" asset add a4 --name D --type server
expect_rc 0 "asset add: a row number over 10,000,000 is not 10,000,000 assets"

# --- crafted databases: every read command answers or refuses in one
# line, none writes to the file ------------------------------------------
while IFS=$'\t' read -r name want text; do
	db=$TMP/crafted-$name
	if ! "$PYTHON" "$BAD/make-dbs.py" "$name" "$BASE" "$db"; then
		echo "Bail out! make-dbs.py cannot write $name"
		exit 1
	fi
	sum=$(db_sum "$db")
	problems=
	refused=0
	for cmd in "${READ_COMMANDS[@]}"; do
		hw_read "$db" "$cmd" a1
		if [ "$RC" = 0 ]; then
			[ ! -s "$ERR_FILE" ] || problems+="$cmd: exit 0 with stderr; "
		elif [ "$RC" = "$want" ]; then
			refused=$((refused + 1))
			_err_is_one_line || problems+="$cmd: stderr is not one line; "
			[[ $ERR == *"$text"* ]] || problems+="$cmd: stderr lacks: $text; "
		else
			problems+="$cmd: exit $RC; "
		fi
	done
	[ "$refused" -gt 0 ] || problems+="no command refused it; "
	[ "$(db_sum "$db")" = "$sum" ] || problems+="the file changed; "
	if [ -z "$problems" ]; then
		_result 1 "crafted $name: refused in one line ($refused commands) or answered, unchanged"
	else
		_result 0 "crafted $name: refused in one line or answered, unchanged"
		diag "$problems"
		diag_value "last stderr" "$ERR"
	fi
done < <("$PYTHON" "$BAD/make-dbs.py" --list)

# A trigger no highwater writes must not run: here it would delete every
# dependency at the next asset added.  The file is refused, unchanged.
db=$TMP/crafted-trigger.db
cp "$BASE" "$db"
hw_setup --db "$db" --quiet dep add a1 a2
mv "$db" "$TMP/trigger-base.db"
"$PYTHON" "$BAD/make-dbs.py" trigger.db "$TMP/trigger-base.db" "$db" ||
	echo "Bail out! make-dbs.py cannot write trigger.db"
sum=$(db_sum "$db")
hw --db "$db" asset add zz --name Z --type server
expect_rc 1 "crafted trigger.db: asset add refused"
expect_err_one_line "... in one line"
expect_err_has "is damaged: trigger 'evil' is not highwater's" "... naming the trigger"
expect_eq "$(db_sum "$db")" "$sum" "... the file unchanged"
hw --db "$db" doctor
expect_rc 1 "crafted trigger.db: doctor finds it"
expect_out_has "evil" "... naming the trigger"

# A view, and one of the triggers that count writes dropped (a write
# from outside would leave the service's warm graph stale): refused.
cp "$TMP/trigger-base.db" "$TMP/view.db"
sqlite3 "$TMP/view.db" "CREATE VIEW v AS SELECT id FROM asset" ||
	echo "Bail out! cannot make view.db"
hw --db "$TMP/view.db" asset list
expect_rc 1 "a database with a view no highwater makes is refused"
expect_err_has "is damaged: view 'v' is not highwater's" "... naming it"
cp "$TMP/trigger-base.db" "$TMP/notrigger.db"
sqlite3 "$TMP/notrigger.db" "DROP TRIGGER generation_dependency_INS" ||
	echo "Bail out! cannot make notrigger.db"
hw --db "$TMP/notrigger.db" dep list
expect_rc 1 "a database missing a trigger that counts writes is refused"
expect_err_has "is damaged: 1 of its 15 triggers that count writes are missing" \
	"... saying how many"

# SQLite makes an object from its row's SQL alone: a trigger written
# with type 'TRIGGER' is a trigger all the same (one of type 'table'
# SQLite refuses itself).
for type in TRIGGER table; do
	db=$TMP/sneaky-$type.db
	cp "$TMP/trigger-base.db" "$db"
	"$PYTHON" - "$db" "$type" <<'PY' || echo "Bail out! cannot make sneaky-$type.db"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA writable_schema = ON")
c.execute("INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) "
          "VALUES (?, 'evil', 'asset', 0, 'CREATE TRIGGER evil AFTER "
          "INSERT ON asset BEGIN DELETE FROM dependency; END')",
          (sys.argv[2],))
PY
	sum=$(db_sum "$db")
	hw --db "$db" asset add zz --name Z --type server
	expect_rc 1 "a trigger kept as type '$type' is refused"
	case $type in
	TRIGGER) msg="is damaged: trigger 'evil' is not highwater's" ;;
	*) msg="malformed database schema (evil)" ;; # SQLite's own refusal
	esac
	expect_err_has "$msg" "... naming it"
	expect_eq "$(db_sum "$db")" "$sum" "... the file unchanged"
	hw --db "$db" doctor
	expect_rc 1 "... doctor finds it"
done
fi

done_testing
