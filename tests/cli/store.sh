#!/bin/bash
# store.sh: files that are not highwater databases, or are too new, are
# refused with a clear message and left alone.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

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

done_testing
