#!/bin/bash
# damaged.sh: a damaged or crafted database never corrupts memory and
# never gets written by a read command (issue 9, section 5).
#
# Each crafted database is the demo with one bad value put in with the
# sqlite3 library (python3's module, foreign keys off as in the stock
# sqlite3 shell).  Every read command runs on it: those that read the
# bad value exit 1 with one line naming the table and what is wrong;
# the others answer (exit 0, nothing on stderr); none may crash, print a
# sanitizer report or change the file.  overwritten.sh does the same
# with random byte overwrites.
. "$(dirname "$0")/lib.sh"
sqlite_only "damaged SQLite files, byte by byte"

demo_db
DEMO=$TMP/demo.db
# The schema version this highwater writes ("highwater 0.1.0 (schema 4)").
SCHEMA=$("$HIGHWATER" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
cp "$HIGHWATER_DB" "$DEMO"
DB=$TMP/crafted.db

# craft CASE: a fresh copy of the demo in $DB with one bad value.
CRAFT='
import sqlite3, sys
path, case = sys.argv[1], sys.argv[2]
c = sqlite3.connect(path, isolation_level=None)
x = c.execute
def n(asset):
    return x("select n from asset where id = ?", (asset,)).fetchone()[0]
if case == "row-40000":
    x("insert into asset (n, id, name, type) values (-40000, ?, ?, ?)",
      ("evil", "Evil", "server"))
elif case == "row-7":
    x("insert into asset (n, id, name, type) values (-7, ?, ?, ?)",
      ("evil", "Evil", "server"))
    x("insert into dependency (src, dst, type) values (-7, ?, ?)",
      (n("sql-vm-01"), "runs_on"))
elif case.startswith("weight="):
    name, value = case[7:].split(":")
    x("insert or replace into risk_weight (name, value) values (?, ?)",
      (name, float(value)))
elif case.startswith("version="):
    # An older file as that version wrote it: without what schema 5
    # added (every table past those of the inventory, and two columns).
    if 1 <= int(case[8:]) < 5:
        v4 = {"setting", "info_type", "asset", "assignment", "dependency",
              "asset_factor", "risk_weight"}
        for (t,) in c.execute("select name from sqlite_master where "
                               "type = ?", ("table",)).fetchall():
            if t not in v4:
                x("drop table \"%s\"" % t)
        # nor the triggers schema 9 added (they name its table)
        for (t,) in c.execute("select name from sqlite_master where "
                               "type = ?", ("trigger",)).fetchall():
            x("drop trigger \"%s\"" % t)
        x("alter table asset_factor drop column authorized_by")
        x("alter table asset_factor drop column authorized_at")
    x("pragma user_version = %d" % int(case[8:]))
elif case == "orphan":
    x("pragma foreign_keys = off")
    x("delete from asset where id = ?", ("sql-vm-01",))
elif case == "orphan-type":
    x("pragma foreign_keys = off")
    x("delete from info_type where id = ?", ("X.WTR.4",))
elif case == "self-dep":
    x("pragma ignore_check_constraints = on")
    x("insert into dependency (src, dst, type) values (?, ?, ?)",
      (n("cmms-db"), n("cmms-db"), "runs_on"))
elif case.startswith("internet-facing="):
    x("pragma ignore_check_constraints = on")
    x("update asset set internet_facing = 5 where id = ?", (case[16:],))
elif case == "null-id":
    x("pragma writable_schema = on")
    x("update sqlite_schema set sql = replace(sql, ?, ?) where name = ?",
      ("id TEXT NOT NULL UNIQUE", "id TEXT UNIQUE", "asset"))
    c.close()
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("pragma ignore_check_constraints = on")
    c.execute("update asset set id = null where id = ?", ("scada-hmi-01",))
elif case == "asset-type":
    x("update asset set type = ? where id = ?", ("spaceship", "scada-hmi-01"))
elif case == "dep-type":
    x("update dependency set type = ? where src = ? and dst = ?",
      ("teleports", n("cmms-db"), n("sql-vm-01")))
elif case == "carries":
    x("pragma ignore_check_constraints = on")
    x("update dependency set carries = 99 where src = ? and dst = ?",
      (n("cmms-db"), n("sql-vm-01")))
elif case == "level":
    x("pragma ignore_check_constraints = on")
    x("update asset set integrity = ? where id = ?", ("hihg", "scada-hmi-01"))
elif case == "selected-level":
    x("pragma ignore_check_constraints = on")
    x("update assignment set sel_i = ? where asset = ?", ("x", n("active-directory")))
elif case == "factor":
    x("pragma ignore_check_constraints = on")
    x("update asset_factor set worst_cvss = 1e300 where asset = ?",
      (n("fw-edge-01"),))
else:
    sys.exit("unknown case " + case)
c.close()
'
craft() {
	hw_craft "$DEMO" "$DB" "$CRAFT" "$1"
}

COMMANDS=("${READ_COMMANDS[@]}")

# run_all CASE ASSET NEEDLE ANSWERING...: craft CASE, run every command;
# those in ANSWERING exit 0, the others exit 1 with one stderr line
# containing NEEDLE.  One assertion a command, and one that the file is
# unchanged after them all.
run_all() {
	local case=$1 asset=$2 needle=$3 cmd sum rc_want problems
	shift 3
	local answering
	answering=$(printf '|%s' "$@")'|'
	craft "$case"
	sum=$(sha256sum <"$DB")
	for cmd in "${COMMANDS[@]}"; do
		hw_read "$DB" "$cmd" "$asset"
		problems=
		if [[ $answering == *"|$cmd|"* ]]; then
			rc_want=0
			[ "$RC" = 0 ] || problems+="exit status $RC, expected 0; "
			[ ! -s "$ERR_FILE" ] || problems+="stderr is not empty; "
		else
			rc_want=1
			[ "$RC" = 1 ] || problems+="exit status $RC, expected 1; "
			_err_is_one_line || problems+="stderr is not one line; "
			[[ $ERR == *"$needle"* ]] ||
				problems+="stderr lacks: $needle; "
		fi
		if [ -z "$problems" ]; then
			_result 1 "$case: $cmd exits $rc_want"
		else
			_result 0 "$case: $cmd exits $rc_want"
			diag "$problems"
			diag_value "stderr" "$ERR"
		fi
	done
	expect_eq "$(sha256sum <"$DB")" "$sum" "$case: no command wrote to the file"
}

# The commands that do not read the bad value answer.
run_all row-40000 sql-vm-01 "table asset: row number -40000 is out of range" \
	"asset show ASSET" "categorize ASSET" "impact ASSET" \
	"report change ASSET -o OUT/change.xlsx" "dep list" "dep list ASSET" \
	"infotype list"
run_all row-7 sql-vm-01 "table " "dep list" "dep list ASSET" "infotype list"
run_all weight=impact.uncategorized:99 sql-vm-01 \
	"table risk_weight: impact.uncategorized = 99 is out of range (expected 1 to 3)" \
	"asset list" "asset show ASSET" "categorize" "categorize ASSET" \
	"impact ASSET" "check" "graph" "export" \
	"report change ASSET -o OUT/change.xlsx" \
	"report inventory -o OUT/inventory.xlsx" "dep list" "dep list ASSET" \
	"infotype list"
# The other weights of the issue: the commands that read weights.
ALL_COMMANDS=("${COMMANDS[@]}")
COMMANDS=("risk" "plan" "report plan -o OUT/plan.xlsx")
for w in impact.uncategorized:10 impact.uncategorized:-1 likelihood.base:-1 \
	blast.floor:3 band.high:10; do
	run_all "weight=$w" sql-vm-01 "table risk_weight: "
done
COMMANDS=("${ALL_COMMANDS[@]}")
run_all version=-1000 sql-vm-01 \
	"its schema version (PRAGMA user_version) is -1000, expected 1 to $SCHEMA"
run_all version=0 sql-vm-01 "its schema version (PRAGMA user_version) is 0,"
# An orphan dependency row (its asset deleted with foreign keys off):
# cmms-db depends on the deleted sql-vm-01.  What depends on cmms-db
# (its categorization, the impact of changing it) does not read it.
run_all orphan cmms-db \
	"table dependency: a row names asset number" "asset list" \
	"categorize ASSET" "impact ASSET" \
	"report change ASSET -o OUT/change.xlsx" "infotype list"
# An assignment of a type deleted with foreign keys off: the commands
# that read assignments refuse (an export would not import again); the
# levels, kept in the assignment, still answer.
run_all orphan-type arcgis-enterprise \
	"table assignment: 'arcgis-enterprise' holds information type 'X.WTR.4', which is not in table info_type" \
	"categorize" "impact ASSET" "risk" "plan" "check" "graph" \
	"report plan -o OUT/plan.xlsx" "report change ASSET -o OUT/change.xlsx" \
	"dep list" "dep list ASSET" "infotype list"
# A dependency of an asset on itself (written past the CHECK):
# every command that reads dependencies refuses, export included.
run_all self-dep cmms-db "table dependency: " "asset list" "infotype list"
# internet_facing outside 0 and 1, on an asset with risk factors and on
# one without (the risk scan reads them in two parts): every command
# that reads it refuses.
for a in print-srv-01 ami-headend; do
	run_all "internet-facing=$a" $a \
		"table asset: '$a' has an internet_facing that is not 0 or 1" \
		"categorize" "impact ASSET" "graph" \
		"report change ASSET -o OUT/change.xlsx" "dep list" \
		"dep list ASSET" "infotype list"
done
run_all null-id ot-plant-sw-01 "table " "infotype list"
run_all asset-type sql-vm-01 \
	"table asset: 'scada-hmi-01' has an unknown asset type \"spaceship\"" \
	"asset show ASSET" "categorize ASSET" "impact ASSET" \
	"report change ASSET -o OUT/change.xlsx" "dep list" "dep list ASSET" \
	"infotype list"
run_all dep-type sql-vm-01 "unknown dependency type \"teleports\"" \
	"asset list" "infotype list"
run_all carries sql-vm-01 "carries 99 is out of range (expected 1 to 7)" \
	"asset list" "infotype list"
run_all level sql-vm-01 \
	"table asset: 'scada-hmi-01' has a level that is not low, moderate or high" \
	"asset show ASSET" "categorize ASSET" "impact ASSET" \
	"report change ASSET -o OUT/change.xlsx" "dep list" "dep list ASSET" \
	"infotype list"
run_all selected-level sql-vm-01 "table assignment: " \
	"asset show ASSET" "categorize ASSET" "impact ASSET" \
	"report change ASSET -o OUT/change.xlsx" "dep list" "dep list ASSET" \
	"infotype list"
run_all factor sql-vm-01 \
	"table asset_factor: 'fw-edge-01' has a worst_cvss that is out of range" \
	"asset show ASSET" "categorize" "categorize ASSET" "impact ASSET" \
	"graph" "report change ASSET -o OUT/change.xlsx" "dep list" \
	"dep list ASSET" "infotype list"

# --- an older database: read commands never write, not even to upgrade
run_all version=2 sql-vm-01 \
	"has schema version 2, this highwater needs $SCHEMA: upgrade it first with 'highwater upgrade'"
hw --db "$DB" upgrade
expect_rc 0 "upgrade exits 0"
expect_out_eq "$DB is at schema version $SCHEMA" "... and says the version"
expect_eq "$("$PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("pragma user_version").fetchone()[0])' "$DB")" \
	"$SCHEMA" "... having migrated the file"
hw --db "$DB" --json asset list
expect_rc 0 "a read command works on the upgraded file"
# A command that writes upgrades too, as before; one that mostly reads
# (risk, config) opens read-only, so it asks for the upgrade first.
craft version=2
hw --db "$DB" risk --set likelihood.internet=0.3
expect_rc 1 "risk --set on an older database exits 1 ..."
expect_err_has "upgrade it first with 'highwater upgrade'" "... asking for the upgrade"
hw --db "$DB" asset add new-vm --name "New VM" --type virtual_machine
expect_rc 0 "asset add (a write command) upgrades an older database"
hw --db "$DB" risk --set likelihood.internet=0.3
expect_rc 0 "... and then risk --set works"

done_testing
