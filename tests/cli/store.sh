#!/bin/bash
# store.sh: files that are not highwater databases, or are too new, are
# refused with a clear message and left alone.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
sqlite_only "SQLite files' schema versions, migrations and pragmas"

sum() { md5sum <"$1"; }

# A SQLite file that is not ours: one table, one row.
make_foreign() {
	"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("create table t (x)")
c.execute("insert into t values (42)")
c.commit()
c.close()
' "$1"
}

# Dump of any SQLite file's content, to show it did not change.
dump() {
	"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("pragma user_version").fetchone()[0])
for line in c.iterdump():
    print(line)
' "$1"
}

# --- a text file ------------------------------------------------------
printf 'id,name\nweb,Web\n' >"$TMP/text.db"
before=$(sum "$TMP/text.db")
hw --db "$TMP/text.db" asset list
expect_rc 1 "a text file as database: exit 1"
expect_err_eq "highwater: asset list: '$TMP/text.db' is not a highwater database" \
	"a text file is 'not a highwater database' (one line, naming it)"
hw --db "$TMP/text.db" asset add web --name Web --type application
expect_err_has "is not a highwater database" "a write command says the same"
expect_eq "$(sum "$TMP/text.db")" "$before" "the text file is untouched"

# --- an empty file ------------------------------------------------------
: >"$TMP/empty.db"
hw --db "$TMP/empty.db" asset add web --name Web --type application
expect_rc 1 "an empty file as database: exit 1"
expect_err_eq "highwater: asset add: '$TMP/empty.db' is not a highwater database" \
	"an empty file is 'not a highwater database'"
expect_eq "$(stat -c %s "$TMP/empty.db")" 0 "the empty file stays empty"

# --- somebody else's SQLite database -------------------------------------
make_foreign "$TMP/foreign.db"
before=$(sum "$TMP/foreign.db")
hw --db "$TMP/foreign.db" asset list
expect_rc 1 "a foreign SQLite database: exit 1"
expect_err_one_line "the message is one line"
expect_err_has "'$TMP/foreign.db' is not a highwater database" \
	"a foreign SQLite database is 'not a highwater database'"
hw --db "$TMP/foreign.db" import "$HW_SRCDIR/data/demo-inventory.json"
expect_err_has "is not a highwater database" "import into it is refused too"
hw --db "$TMP/foreign.db" init
expect_rc 1 "init will not overwrite it"
expect_eq "$(sum "$TMP/foreign.db")" "$before" "the foreign database is byte-for-byte unchanged"
expect_eq "$(dump "$TMP/foreign.db" | tail -n +2 | grep -c .)" 4 \
	"and still holds only its own table and row"

# --- a folder ---------------------------------------------------------------
mkdir "$TMP/folder.db"
hw --db "$TMP/folder.db" asset list
expect_eq "$RC" 1 "a folder as database: exit 1"
expect_err_has "'$TMP/folder.db' is not a highwater database" "a folder is not a highwater database"

# --- a database from a newer highwater ---------------------------------------
hw_setup --quiet init
hw_setup --quiet asset add web --name Web --type application --c low --i low --a low
"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("pragma user_version = 99")
c.commit()
c.close()
' "$HIGHWATER_DB"
before=$(dump "$HIGHWATER_DB")
hw asset list
expect_rc 1 "user_version 99: a read command exits 1"
expect_err_one_line "the message is one line"
expect_err_has "newer highwater" "it says the database comes from a newer highwater"
expect_err_has "'$HIGHWATER_DB'" "it names the file"
hw asset add db --name DB --type database
expect_rc 1 "user_version 99: a write command exits 1"
expect_err_has "newer highwater" "with the same message"
hw import "$HW_SRCDIR/data/demo-inventory.json"
expect_rc 1 "user_version 99: import exits 1"
expect_eq "$(dump "$HIGHWATER_DB")" "$before" \
	"the newer database is not changed (nor downgraded)"

# --- a damaged highwater database --------------------------------------------
hw_setup --quiet --db "$TMP/whole.db" init
head -c 4096 "$TMP/whole.db" >"$TMP/truncated.db"
hw --db "$TMP/truncated.db" asset list
expect_rc 1 "a truncated database: exit 1"
expect_err_one_line "the message is one line"
expect_err_has "'$TMP/truncated.db'" "the message names the damaged file"

# --- schema 9 to 10: the generation's random tag ------------------------------
# A schema-9 file as schema 9 made it: no tag column, the triggers'
# bump without it.
hw_setup --quiet --db "$TMP/v9.db" init
hw_setup --quiet --db "$TMP/v9.db" asset add web --name Web --type server
"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
for name, sql in c.execute("select name, sql from sqlite_master "
                           "where type = ? and name glob ?",
                           ("trigger", "generation_*")).fetchall():
    c.execute("drop trigger %s" % name)
    c.execute(sql.replace(", tag = randomblob(8)", ""))
c.execute("alter table generation drop column tag")
c.execute("pragma user_version = 9")
' "$TMP/v9.db"
hw --db "$TMP/v9.db" asset list
expect_rc 1 "schema 9: a read command asks for the upgrade"
expect_err_has "highwater upgrade" "... saying so"
hw --db "$TMP/v9.db" upgrade
expect_rc 0 "schema 9: upgrade exits 0"
expect_eq "$("$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("pragma user_version").fetchone()[0],
      c.execute("select length(tag) from generation").fetchone()[0],
      c.execute("select count(*) from sqlite_master where type = ? and "
                "sql like ?", ("trigger", "%tag = randomblob(8)%")).fetchone()[0])
' "$TMP/v9.db")" "10 8 15" \
	"... schema 10: a tag drawn, and the 15 triggers draw one at each write"
hw --db "$TMP/v9.db" asset list
expect_rc 0 "... and read commands work"
# A schema-10 file whose trigger still bumps as schema 9's did: not
# the code schema 10 makes, refused before anything is written.
"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
sql = c.execute("select sql from sqlite_master where name = ?",
                ("generation_asset_INS",)).fetchone()[0]
c.execute("drop trigger generation_asset_INS")
c.execute(sql.replace(", tag = randomblob(8)", ""))
' "$TMP/v9.db"
before=$(dump "$TMP/v9.db")
hw --db "$TMP/v9.db" asset add db --name DB --type database
expect_rc 1 "schema 10 with a schema-9 trigger: a write is refused"
expect_err_has "trigger 'generation_asset_INS' is not highwater's" "... naming the trigger"
expect_eq "$(dump "$TMP/v9.db")" "$before" "... and the file is unchanged"

done_testing
