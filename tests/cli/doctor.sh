#!/bin/bash
# doctor.sh: 'highwater doctor' says what is wrong with a database, one
# line a finding, exit 1 (issue 16, "the database is input"): a clean
# demo, then crafted copies (an orphan dependency written with foreign
# keys off, a level and a weight out of range, an edited audit record,
# pages overwritten, a foreign SQLite file, a text file, a newer and a
# damaged schema version, an assignment of a deleted type).  Doctor
# never writes on a read (the file's checksum); --repair removes the
# orphan rows, only when confirmed, with an audit record, keeping the
# rest.  A damaged file's error in another command points at doctor.
. "$(dirname "$0")/lib.sh"
sqlite_only "SQLite files damaged and crafted (postgres.sh checks the server's)"

demo_db
DEMO=$TMP/demo.db
cp "$HIGHWATER_DB" "$DEMO"
SCHEMA=$("$HIGHWATER" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
DB=$TMP/crafted.db
ADVICE_VALUE="what to do: a value highwater never writes (another tool wrote it, or damage): restore the database from a backup ('highwater backup' makes one)"
QUICK="integrity: ok (PRAGMA quick_check: every page and row; --full checks every index too)"
FK_OK="foreign keys: ok (PRAGMA foreign_key_check: every row's references are there)"
VALUES_OK="values: ok (114 assets, 327 dependencies, 173 information types, settings, weights and history read as the commands read them)"

# craft CASE: a fresh copy of the demo in $DB changed as CASE says.
CRAFT='
import sqlite3, sys
path, case = sys.argv[1], sys.argv[2]
c = sqlite3.connect(path, isolation_level=None)
x = c.execute
if case.startswith("orphan") and case != "orphan-type":
    x("pragma foreign_keys = off")
    x("delete from asset where id = ?", ("sql-vm-01",))
    if case.startswith("orphan,version="):
        x("pragma user_version = %d" % int(case[15:]))
elif case == "orphan-type":
    x("pragma foreign_keys = off")
    x("delete from info_type where id = ?", ("X.WTR.4",))
elif case == "level":
    x("pragma ignore_check_constraints = on")
    x("update asset set integrity = ? where id = ?", ("hihg", "scada-hmi-01"))
    x("insert or replace into risk_weight (name, value) values (?, ?)",
      ("impact.uncategorized", 99.0))
elif case == "settings":
    x("insert or replace into setting (name, value) values (?, ?), (?, ?)",
      ("change.self_approval", "maybe", "route.full_cab", "hihg"))
elif case == "settings-utf8":
    x("insert or replace into setting (name, value) "
      "values (?, cast(? as text))",
      ("change.self_approval", b"\xff\xe2\x82"))
elif case == "row":
    x("insert into asset (n, id, name, type) values (-7, ?, ?, ?)",
      ("evil", "Evil", "server"))
elif case == "carries":
    x("pragma ignore_check_constraints = on")
    x("update dependency set carries = 99 where src = (select n from asset"
      " where id = ?) and dst = (select n from asset where id = ?)",
      ("cmms-db", "sql-vm-01"))
elif case == "audit":
    x("update audit set actor = ? where seq = 5", ("mallory",))
elif case.startswith("version="):
    x("pragma user_version = %d" % int(case[8:]))
else:
    sys.exit("unknown case " + case)
c.close()
'
craft() {
	hw_craft "$DEMO" "$DB" "$CRAFT" "$1"
}

# doctor_on DESC ARGS...: doctor on $DB; one assertion that the file
# was not written.
doctor_on() {
	local desc=$1 sum
	shift
	sum=$(sha256sum <"$DB")
	hw --db "$DB" doctor "$@"
	expect_eq "$(sha256sum <"$DB")" "$sum" "$desc: doctor did not write to the file"
}

# --- a clean database --------------------------------------------------
DB=$DEMO
hw --db "$DB" --json audit head
HEAD=$(json_val "d['head']")
HEAD=${HEAD//\"/}
SEQ=$(json_val "d['seq']")
doctor_on "clean"
expect_rc 0 "a clean database: exit 0"
expect_out_eq "file: ok (a highwater database, schema version $SCHEMA)
$QUICK
$FK_OK
$VALUES_OK
audit trail: ok ($SEQ records, head $HEAD: 'audit verify' agrees)
$DB: no problems found" "... and says what it checked, one line each, and the summary"
expect_eq "$ERR" "" "... nothing on stderr"
doctor_on "clean --full" --full
expect_rc 0 "--full: exit 0"
expect_out_has "integrity: ok (PRAGMA integrity_check: every page, row and index entry)" \
	"... and says it ran integrity_check"
doctor_on "clean --quiet" --quiet
expect_out_eq "$DB: no problems found" "--quiet: the summary alone"
doctor_on "clean --json" --json
expect_rc 0 "--json: exit 0"
expect_json "[d['problems'], d['repairable'], [f['check'] + ':' + f['status'] for f in d['findings']]]" \
	'[0,0,["file:ok","integrity:ok","foreign keys:ok","values:ok","audit trail:ok"]]' \
	"--json: the findings, each check ok"
DB=$TMP/crafted.db

# --- an orphan dependency: found, repairable -----------------------------
craft orphan
doctor_on "orphan" --quiet
expect_rc 1 "orphan dependencies: exit 1"
expect_out_eq "foreign keys: table dependency: 'cmms-db' depends on asset number 101, which does not exist (repairable)
foreign keys: table dependency: 'lims-db' depends on asset number 101, which does not exist (repairable)
foreign keys: table dependency: 'mdm-db' depends on asset number 101, which does not exist (repairable)
foreign keys: table dependency: 'portal-db' depends on asset number 101, which does not exist (repairable)
foreign keys: table dependency: asset number 101, which does not exist, depends on 'active-directory' (repairable)
foreign keys: table dependency: asset number 101, which does not exist, depends on 'backup-appliance-01' (repairable)
foreign keys: table dependency: asset number 101, which does not exist, depends on 'it-esx-02' (repairable)
$DB: 7 problems found, 7 of them repairable with 'highwater doctor --repair'" \
	"... each row named, with both ends"
doctor_on "orphan (all lines)"
expect_out_has "values: checked in part (a load stops at a row named under foreign keys: run doctor again once they are repaired)" \
	"... the loads that stop at them said to be checked in part"

# A command that meets the orphan points at doctor, one line.
hw --db "$DB" dep list
expect_err_eq "highwater: dep list: '$DB' is damaged: table dependency: a row names asset number 101, which does not exist (or has no id) (hint: highwater doctor)" \
	"a read command on it: one line ending with the hint"

# --repair without a terminal and without --yes: refused, nothing done.
doctor_on "--repair without --yes" --repair --quiet
expect_rc 1 "--repair with no terminal and no --yes: exit 1"
expect_err_eq "highwater: doctor: --repair removes rows: confirm on a terminal, or add --yes (nothing removed)" \
	"... saying so"
hw --db "$DB" doctor --yes
expect_rc 2 "--yes alone is a usage error"

# On a terminal it asks: "n" (or nothing) removes nothing.
if command -v script >/dev/null 2>&1 &&
	script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	sum=$(sha256sum <"$DB")
	TTY=$(printf 'n\n' | script -qec "'$HIGHWATER' --db '$DB' doctor --repair --quiet" /dev/null | tr -d '\r')
	expect_eq "$(printf '%s\n' "$TTY" | tail -n 2)" \
		"remove the rows of the 7 repairable findings above? [y/N] $DB: 7 problems found, 7 of them repairable
nothing removed" "--repair on a terminal asks; 'n' removes nothing"
	expect_eq "$(sha256sum <"$DB")" "$sum" "... and the file is unchanged"
else
	skip "--repair on a terminal asks" "no util-linux 'script' for a pseudo-terminal"
	skip "... and the file is unchanged" "no util-linux 'script'"
fi

hw --db "$DB" --json asset list
ASSETS=$(json_val "len(d['assets'])")
hw --db "$DB" --json audit head
SEQ=$(json_val "d['seq']")
hw --db "$DB" doctor --repair --yes --quiet
expect_rc 0 "--repair --yes: exit 0 (every problem was repairable)"
expect_out_has "repaired: removed 7 dependency rows whose parent row was gone (audit record: repair database)" \
	"... saying what it removed"
hw --db "$DB" doctor --quiet
expect_rc 0 "... doctor then finds nothing"
expect_out_eq "$DB: no problems found" "... and says so"
hw --db "$DB" audit verify
expect_rc 0 "... the audit trail still verifies"
hw --db "$DB" --json audit log
expect_json "[len(d['records']) - $SEQ, d['records'][-1]['action'], d['records'][-1]['object'], d['records'][-1]['before']['orphan_rows']['dependency']['count'], d['records'][-1]['before']['orphan_rows']['dependency']['rows'][0]]" \
	'[1,"repair","database",7,{"carries":7,"dst":101,"from":"cmms-db","src":13,"to":null,"type":"runs_on"}]' \
	"... one audit record, listing the rows removed"
hw --db "$DB" --json asset list
expect_json "len(d['assets'])" "$ASSETS" "... every asset kept"
hw --db "$DB" --json dep list
expect_json "len(d['dependencies'])" 320 "... every other dependency kept (327 - 7)"

# The same rows in a file of a newer schema: named, not repairable (the
# repair's writable open would refuse the file).
craft "orphan,version=$((SCHEMA + 1))"
doctor_on "orphan in a newer file" --quiet
expect_out_eq "file: schema version $((SCHEMA + 1)): written by a newer highwater (this one knows up to $SCHEMA)
foreign keys: table dependency: 'cmms-db' depends on asset number 101, which does not exist
foreign keys: table dependency: 'lims-db' depends on asset number 101, which does not exist
foreign keys: table dependency: 'mdm-db' depends on asset number 101, which does not exist
foreign keys: table dependency: 'portal-db' depends on asset number 101, which does not exist
foreign keys: table dependency: asset number 101, which does not exist, depends on 'active-directory'
foreign keys: table dependency: asset number 101, which does not exist, depends on 'backup-appliance-01'
foreign keys: table dependency: asset number 101, which does not exist, depends on 'it-esx-02'
what to do: use the highwater that wrote it, or a newer one
what to do: 'highwater doctor --repair' removes such rows once the file is of this highwater's schema version
$DB: 8 problems found" "orphans in a newer file: named, not repairable"

# --- an assignment of a deleted type: found, not repairable -------------
craft orphan-type
doctor_on "orphan-type" --quiet
expect_rc 1 "an assignment of a deleted type: exit 1"
expect_out_eq "foreign keys: table assignment: 'arcgis-enterprise' holds information type 'X.WTR.4', which is not in table info_type
foreign keys: table assignment: 'gis-asset-management' holds information type 'X.WTR.4', which is not in table info_type
foreign keys: table assignment: 'gis-enterprise-gdb' holds information type 'X.WTR.4', which is not in table info_type
foreign keys: table assignment: 'hydraulic-model' holds information type 'X.WTR.4', which is not in table info_type
what to do: add the information type again ('highwater infotype add'), or restore the database from a backup ('highwater backup' makes one)
$DB: 4 problems found" "... named, with what to do"
sum=$(sha256sum <"$DB")
hw --db "$DB" doctor --repair --yes --quiet
expect_rc 1 "--repair leaves what it cannot mend: exit 1"
expect_eq "$(sha256sum <"$DB")" "$sum" "... and does not write"

# --- values out of range, found by the loads ------------------------------
craft level
doctor_on "level" --quiet
expect_rc 1 "a level and a weight out of range: exit 1"
expect_out_eq "values: table asset: 'scada-hmi-01' has a level that is not low, moderate or high
values: table risk_weight: impact.uncategorized = 99 is out of range (expected 1 to 3)
$ADVICE_VALUE
$DB: 2 problems found" "... each named as the loads name it"
hw --db "$DB" asset show scada-hmi-01
expect_err_eq "highwater: asset show: '$DB' is damaged: table asset: 'scada-hmi-01' has a level that is not low, moderate or high (hint: highwater doctor)" \
	"asset show on it: one line ending with the hint"

craft settings
doctor_on "settings" --quiet
expect_rc 1 "settings no write gives: exit 1"
expect_out_eq "values: setting route.full_cab holds \"hihg\", not a level
values: setting change.self_approval holds \"maybe\" (expected allow or refuse)
$ADVICE_VALUE
$DB: 2 problems found" "... each named, as config would refuse it"
craft row
doctor_on "row" --quiet
expect_rc 1 "a row number out of range: exit 1"
expect_out_eq "values: table asset: row number -7 is out of range (expected 1 or more)
$ADVICE_VALUE
$DB: 1 problem found" "... said once"
craft carries
doctor_on "carries" --quiet
expect_rc 1 "a dependency's carries out of range: exit 1"
expect_out_eq "values: table dependency: 'cmms-db' -> 'sql-vm-01': carries 99 is out of range (expected 1 to 7)
$ADVICE_VALUE
$DB: 1 problem found" "... said once, naming the assets by id (not again by number by the graph's load)"

# --- an edited audit record ---------------------------------------------------
craft audit
doctor_on "audit" --quiet
expect_rc 1 "an edited audit record: exit 1"
expect_out_eq "audit trail: record 5 does not match its hash: it was edited, or the record before it is not the one it followed (deleted, inserted or reordered)
what to do: the trail was changed outside highwater: keep this file as evidence; restore the database from a backup ('highwater backup' makes one)
$DB: 1 problem found" "... the record named"

# --- damaged pages --------------------------------------------------------------
cp "$DEMO" "$DB"
rm -f "$DB-wal" "$DB-shm"
# two 16 KiB pages in the middle of the file overwritten with 0xff
head -c 32768 /dev/zero | tr '\0' '\377' |
	dd of="$DB" bs=16384 seek=5 count=2 conv=notrunc 2>/dev/null
doctor_on "pages" --quiet
expect_rc 1 "overwritten pages: exit 1"
expect_out_has "integrity: PRAGMA quick_check: " "... quick_check's findings"
expect_out_has "what to do: restore the database from a backup ('highwater backup' makes one); 'sqlite3 FILE .recover' may save what is readable" \
	"... what to do"
doctor_on "pages, all lines"
expect_out_has "values: not checked (the pages are damaged)" \
	"... the checks that cannot mean anything said to be skipped"

# --- not a highwater database -------------------------------------------------
"$PYTHON" -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).execute("create table t (x)")' "$TMP/other.db"
DB=$TMP/other.db
doctor_on "foreign SQLite file"
expect_rc 1 "a SQLite file that is not highwater's: exit 1"
expect_out_eq "file: a SQLite database but not a highwater one (its application id is 0x00000000, highwater's 0x68774442)
what to do: check the path (--db, \$HIGHWATER_DB)
$DB: 1 problem found" "... said, with what to do"
echo "just text, no database" >"$TMP/text.db"
DB=$TMP/text.db
doctor_on "text file"
expect_rc 1 "a text file: exit 1"
expect_out_eq "file: not a SQLite database, so not a highwater one
what to do: check the path (--db, \$HIGHWATER_DB)
$DB: 1 problem found" "... said"
hw --db "$TMP/missing.db" doctor
expect_rc 1 "a missing file: exit 1"
expect_err_eq "highwater: doctor: database '$TMP/missing.db' does not exist (hint: highwater init)" \
	"... the open's one line"
DB=$TMP/crafted.db

# --- schema versions ------------------------------------------------------------
craft "version=$((SCHEMA + 1))"
doctor_on "newer" --quiet
expect_rc 1 "a newer schema version: exit 1"
expect_out_eq "file: schema version $((SCHEMA + 1)): written by a newer highwater (this one knows up to $SCHEMA)
what to do: use the highwater that wrote it, or a newer one
$DB: 1 problem found" "... said, the checks of this schema skipped"
craft version=0
doctor_on "version 0"
expect_rc 1 "schema version 0: exit 1"
expect_out_eq "file: damaged: its schema version (PRAGMA user_version) is 0, expected 1 to $SCHEMA
$QUICK
$FK_OK
values: not checked (not this highwater's schema)
audit trail: not checked (not this highwater's schema)
what to do: restore the database from a backup ('highwater backup' makes one)
$DB: 1 problem found" "... said; integrity and foreign keys still checked"
hw --db "$DB" asset list
expect_err_eq "highwater: asset list: '$DB' is damaged: its schema version (PRAGMA user_version) is 0, expected 1 to $SCHEMA (hint: highwater doctor)" \
	"asset list on it: one line ending with the hint"

# A value that is not UTF-8 (a character cut short) read from the file:
# the finding shows it as '?', and --json stays JSON.
craft settings-utf8
hw --db "$DB" --json doctor
expect_rc 1 "a setting that is not UTF-8: doctor --json exits 1"
expect_json "[f['check'] for f in d['findings'] if f['status'] != 'ok'] == ['values'] and '?' in [f for f in d['findings'] if f['check'] == 'values'][0]['text']" \
	true "... a JSON document naming the values, the bytes shown as '?'"
done_testing
