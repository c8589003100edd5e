#!/bin/bash
# backup.sh: "highwater backup FILE": a consistent, owner-only copy of the
# whole database, taken while another connection holds a write
# transaction open; the copy is a database like any other; an existing
# file only with --force; never onto the database itself; nothing left
# behind when it fails.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
sqlite_only "backup copies a SQLite file (on PostgreSQL: pg_dump)"

demo_db
hw_setup --quiet config organisation "Backup Test Ltd"
B=$TMP/copy.db

hw backup "$B"
expect_rc 0 "backup FILE exits 0"
expect_out_eq "backed up $HIGHWATER_DB to $B ($(stat -c %s "$B") bytes)" \
	"... and says what it copied where, with the size"
expect_eq "$(stat -c %a "$B")" 600 "the copy is owner-only (0600)"
expect_eq "$(ls "$TMP" | grep -c 'copy.db.tmp')" 0 "no temporary file is left"
hw export
cp "$OUT_FILE" "$TMP/original.json"
hw --db "$B" export
expect_out_file "$TMP/original.json" "the copy exports the same inventory"
hw --db "$B" config organisation
expect_out_eq "Backup Test Ltd" "... and keeps the settings"
expect_eq "$(sqlite3 "$B" 'PRAGMA integrity_check')" ok \
	"SQLite finds the copy sound"

snapshot
echo junk >"$TMP/junk"
refuse "an existing FILE is refused without --force" \
	"already exists" "--force" -- backup "$TMP/junk"
expect_eq "$(cat "$TMP/junk")" junk "... and left as it was"
hw backup "$TMP/junk" --force
expect_rc 0 "--force replaces it"
hw --db "$TMP/junk" asset show fw-edge-01
expect_rc 0 "... with the database"
ln -s "$TMP/nowhere.db" "$TMP/dangling.db"
refuse "a dangling symbolic link is refused, not replaced" \
	"'$TMP/dangling.db' is a symbolic link (not followed: remove it or choose another name)" -- \
	backup "$TMP/dangling.db"
refuse "... even with --force" "is a symbolic link" -- \
	backup "$TMP/dangling.db" --force
ok_if "... left as it was, its target not made" \
	test -L "$TMP/dangling.db" -a ! -e "$TMP/nowhere.db"
refuse "the database itself is refused" "is the database itself" -- \
	backup "$HIGHWATER_DB" --force
refuse "a folder that is not there" "cannot write '$TMP/none/x.db'" -- \
	backup "$TMP/none/x.db"
expect_eq "$(ls "$TMP" | grep -c '\.tmp')" 0 "failures leave no temporary file"
refuse_usage "FILE is required" "missing FILE" -- backup
refuse_usage "one FILE only" "unexpected argument" -- backup a.db b.db

hw --json backup "$TMP/j.db"
expect_json 'd["backup"], d["database"], d["bytes"] > 0' \
	"[\"$TMP/j.db\",\"$HIGHWATER_DB\",true]" "--json says the same as JSON"

# Another connection holds a write transaction with a new asset in it
# while the backup runs: the copy is the database as committed.
rm -f "$TMP/held.db"
"$PYTHON" - "$HIGHWATER_DB" "$HIGHWATER" "$TMP/held.db" <<'PY' >"$TMP/held.out" 2>&1
import sqlite3, subprocess, sys
db, hw, out = sys.argv[1:4]
c = sqlite3.connect(db, isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE asset SET name = 'uncommitted' WHERE id = 'fw-edge-01'")
r = subprocess.run([hw, "--db", db, "backup", out], capture_output=True, text=True)
c.execute("ROLLBACK")
print(r.returncode)
PY
expect_eq "$(cat "$TMP/held.out")" 0 "a backup while another connection writes succeeds"
hw --db "$TMP/held.db" --json asset show fw-edge-01
expect_json 'd["name"] != "uncommitted"' true "... and holds only what was committed"
done_testing
