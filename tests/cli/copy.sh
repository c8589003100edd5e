#!/bin/bash
# copy.sh: "highwater copy --to TARGET": the whole inventory with its
# history (assets, dependencies, types, settings, users, changes,
# incidents, baselines, the audit chain) into a new SQLite file, which
# then answers every question as the source does; the chain verifies
# with the source's head; a new file only, whole or not at all, nothing
# changed in the source; --from names the source.  On PostgreSQL
# (HW_TEST_ENGINE=postgresql) the source is the server's: the copy goes
# from PostgreSQL to SQLite (tests/cli/postgres.sh copies the other way).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

demo_db
hw_setup --quiet config organisation "Copy Test Ltd"
hw_setup --quiet user add cab.chair --role cab
hw_setup --quiet baseline save before-copy
hw_setup change new --title "Move the historian" --target cmms-db \
	--set cmms-db,availability=high
CHG=$OUT
C=$TMP/copy.db

snapshot
hw copy --to "$C"
expect_rc 0 "copy --to FILE exits 0"
rows=$(sqlite3 "$C" "SELECT (SELECT count(*) FROM asset) + (SELECT count(*) FROM dependency) > 0")
expect_out_has "copied $(db_shown "$HIGHWATER_DB") to $C (" \
	"... and says what it copied where"
expect_out_has "rows; the audit chain verifies)" "... with the rows and the chain"
expect_eq "$rows" 1 "the copy is a SQLite file with the inventory"
expect_unchanged "the source is unchanged"
expect_eq "$(stat -c %a "$C")" 600 "the copy is owner-only (0600)"
expect_eq "$(ls "$TMP" | grep -c 'copy.db.')" 0 "no temporary file is left"

# Every question is answered the same by the copy.
for cmd in "export" "audit log --json" "change list --json" \
	"change show $CHG --json" "incident list --json" \
	"baseline list --json" "baseline diff before-copy --json" \
	"user list --json" "config --json" "risk --json" \
	"plan --json --as-of 2026-11-21" "impact cmms-db --json" \
	"infotype list --json" "dep list --json"; do
	# shellcheck disable=SC2086 # the words of cmd
	hw $cmd
	want=$OUT
	# shellcheck disable=SC2086
	hw --db "$C" $cmd
	expect_eq "$RC:$OUT" "0:$want" "the copy answers '$cmd' as the source does"
done
hw audit head
head=$OUT
hw --db "$C" audit verify --expect "$head"
expect_rc 0 "the copy's audit chain verifies with the source's head"
hw --db "$C" config organisation
expect_out_eq "Copy Test Ltd" "the settings came along"

# The copy is a database like any other: written to, it moves on alone.
hw --db "$C" --quiet asset add after-copy --name "After the copy" --type server --owner ops
expect_rc 0 "the copy takes new assets"
hw asset show after-copy
expect_rc 1 "... which the source does not have"
hw --db "$C" audit verify
expect_rc 0 "... and its chain still verifies"

# --from names the source (the --db of the command is then unused; on
# PostgreSQL, --from is the URI the test database's path stands for).
hw --db "$TMP/none.db" --json copy --from "$(db_shown "$HIGHWATER_DB")" --to "$TMP/from.db"
expect_json 'd["from"] == '"\"$(db_shown "$HIGHWATER_DB")\""' and d["to"] == '"\"$TMP/from.db\""' and d["rows"] > 100' \
	true "--from SOURCE --to TARGET --json: what was copied, as JSON"
hw --db "$TMP/from.db" export
cp "$OUT_FILE" "$TMP/from.json"
hw export
expect_out_file "$TMP/from.json" "... the same inventory"

# Refusals: nothing written, nothing left.
echo junk >"$TMP/junk"
refuse "an existing file is refused" "'$TMP/junk' already exists (refusing to overwrite it)" -- \
	copy --to "$TMP/junk"
expect_eq "$(cat "$TMP/junk")" junk "... and left as it was"
refuse "the database itself is refused" "already exists" -- copy --to "$HIGHWATER_DB"
refuse "a folder that is not there" "cannot write '$TMP/none/x.db'" -- \
	copy --to "$TMP/none/x.db"
ok_if "... nothing made there" test ! -e "$TMP/none"
refuse "a source that does not exist" "'$TMP/nowhere.db' does not exist" -- \
	copy --from "$TMP/nowhere.db" --to "$TMP/x.db"
ok_if "... and no copy made" test ! -e "$TMP/x.db"
refuse_usage "--to is required" "missing --to TARGET" -- copy
refuse_usage "no operand" "unexpected argument 'x.db'" -- copy x.db
refuse "a URI with a password is refused before anything is sent" "carries a password" -- \
	copy --to "postgresql://hw:secret@localhost/inventory"
expect_eq "$(ls "$TMP" | grep -c '\.tmp')" 0 "failures leave no temporary file"

# A source table highwater does not know is never left behind unseen.
if on_sqlite "a table added by hand"; then
	cp "$HIGHWATER_DB" "$TMP/extra.db"
	sqlite3 "$TMP/extra.db" "CREATE TABLE notes (x TEXT)"
	hw --db "$TMP/extra.db" copy --to "$TMP/extra-copy.db"
	expect_rc 1 "a source with a table of its own is refused"
	expect_err_has "table 'notes' is not one highwater copies" "... naming it"
	ok_if "... and no copy is made" test ! -e "$TMP/extra-copy.db"
fi

hw copy --help
expect_out_has "--to TARGET" "copy --help names --to"
expect_out_has "audit" "... and says the history comes along"

done_testing
