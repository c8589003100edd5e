#!/bin/bash
# postgres.sh: what is the PostgreSQL engine's own (issue 18): which
# --db selects it, the URI with a password refused, init's refusals, the
# graph snapshot kept in the cache folder and keyed by the server's
# generation, a write from another connection seen at once, and the
# same answers as SQLite on the demo inventory.  On a cluster of its own
# (tests/pg/cluster) unless the suite runs on one (HW_PG_HOST).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

real=${HW_PG_REAL:-$HIGHWATER}
if [ -z "${HW_PG_HOST:-}" ]; then
	# beside $TMP, which only its owner may enter (the cluster runs as
	# nobody when the tests run as root)
	HW_PG_HOST=$(mktemp -d "${TMPDIR:-/tmp}/hw-pg.XXXXXX") ||
		{ echo "Bail out! no folder for a cluster"; exit 1; }
	trap '"$HW_SRCDIR/tests/pg/cluster" stop "$HW_PG_HOST"; rm -rf "$TMP" "$HW_PG_HOST"' EXIT
	"$HW_SRCDIR/tests/pg/cluster" start "$HW_PG_HOST" >/dev/null 2>"$TMP/pg.err"
	case $? in
	0) ;;
	77) echo "1..0 # SKIP no PostgreSQL server here"; exit 0 ;;
	*) echo "Bail out! cannot start a cluster: $(head -c 300 "$TMP/pg.err")"; exit 1 ;;
	esac
fi
q() { # DB SQL: psql's unaligned answer (and its error)
	psql -X -q -A -t -h "$HW_PG_HOST" -U hw -d "$1" -c "$2" 2>&1
}
newdb() { # a new empty database; its URI
	"$HW_SRCDIR/tests/pg/cluster" createdb "$HW_PG_HOST" "$1"
}
pg() { # highwater itself (not the test wrapper) on URI $U
	"$real" --db "$U" "$@" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}
export XDG_CACHE_HOME=$TMP/cache
sfx=$$_$RANDOM

# --- what selects the engine, and the password ------------------------
U=$(newdb "eng_$sfx")
pg init --quiet
expect_rc 0 "init on a postgresql:// URI"
pg asset list
expect_out_eq "ID  TYPE  C  I  A  OVERALL  OWNER  NAME
0 assets" "... an empty inventory, with the catalogue"
U2=${U/postgresql:/postgres:}
"$real" --db "$U2" asset list >/dev/null 2>&1
expect_eq "$?" 0 "postgres:// selects it too"
for bad in "postgresql://hw:secret@/x?host=$HW_PG_HOST" \
	"postgresql://hw@/x?host=$HW_PG_HOST&password=secret" \
	"postgres://hw:se?cret@/x" "postgres://hw@/x?%70assword=secret" \
	"postgresql://hw:secret@h1,h2/x" \
	"postgresql://hw@/x?sslpassword=secret"; do
	U=$bad
	pg asset list
	expect_rc 1 "a URI with a password is refused: ${bad%%secret*}..."
	expect_err_has "carries a password" "... saying why"
	[[ $ERR != *secret* ]]
	expect_eq "$?" 0 "... without the password in the message"
done
U="postgresql://hw@/x?host=$HW_PG_HOST&nosuchkeyword=1"
pg asset list
expect_rc 1 "a URI libpq cannot read: exit 1"
expect_err_has "the database URI is not one libpq reads" "... saying so, without the URI"
U="postgresql://hw@/no_such_db_$sfx?host=$HW_PG_HOST"
pg asset list
expect_rc 1 "a database that is not there: exit 1"
expect_err_one_line "... one line"
expect_err_has "cannot connect to 'postgresql://hw@/no_such_db_$sfx" "... naming the URI"

# --- init's refusals ---------------------------------------------------
U="postgresql://hw@/eng_$sfx?host=$HW_PG_HOST"
pg init
expect_rc 1 "init into a database that holds an inventory is refused"
expect_err_has "already exists: it holds a highwater inventory" "... saying so"
U=$(newdb "other_$sfx")
psql -X -q -h "$HW_PG_HOST" -U hw -d "other_$sfx" -c "CREATE TABLE orders (n int)"
pg init
expect_rc 1 "init beside another application's tables is refused"
expect_err_has "1 tables of another application" "... saying so"
pg asset list
expect_rc 1 "another application's database is not an inventory"
expect_err_has "is not a highwater database" "... saying so"
U="postgresql://hw@/eng_$sfx?host=$HW_PG_HOST"
psql -X -q -h "$HW_PG_HOST" -U hw -d "eng_$sfx" -c "UPDATE highwater_schema SET version = version + 1"
pg asset list
expect_rc 1 "a newer schema is refused"
expect_err_has "was written by a newer highwater" "... saying so"
psql -X -q -h "$HW_PG_HOST" -U hw -d "eng_$sfx" -c "UPDATE highwater_schema SET version = version - 1"

# --- the demo: the same answers as SQLite -----------------------------
U=$(newdb "demo_$sfx")
L=$TMP/demo.db
HIGHWATER_DATADIR=$HIGHWATER_DATADIR sh "$HW_SRCDIR/data/demo-db.sh" "$real" "$L" >/dev/null 2>&1
HIGHWATER_DATADIR=$HIGHWATER_DATADIR sh "$HW_SRCDIR/data/demo-db.sh" "$real" "$U" >/dev/null 2>"$TMP/demo.err"
expect_eq "$(cat "$TMP/demo.err")" "" "the demo database builds on PostgreSQL"
for c in "asset list" "categorize" "impact scada-historian-db" \
	"impact --up backup-repo-01" "risk" "plan --top 5" "check" \
	"change list" "baseline diff cab-approved-2026-10" "incident list" \
	"infotype list --custom" "dep list" "graph --format dot" \
	"risk --json" "categorize --json" "export --format csv"; do
	# shellcheck disable=SC2086
	a=$("$real" --db "$L" $c 2>&1)
	# shellcheck disable=SC2086
	b=$("$real" --db "$U" $c 2>&1)
	expect_eq "$b" "$a" "$c: the same on both engines"
done

# --- doctor: what applies on a server, and what it leaves to it -------
pg doctor
expect_rc 0 "doctor on the demo: exit 0"
expect_out_has "file: ok (a highwater database, schema version" "... the schema's version"
expect_out_has "integrity: left to the server (PostgreSQL checks its own pages; pg_amcheck checks tables and indexes)" \
	"... says what it leaves to the server"
expect_out_has "foreign keys: ok (the server holds every row's references: its foreign keys)" "... references"
expect_out_has "values: ok (115 assets" "... reads every value as the commands do"
expect_out_has "audit trail: ok (476 records" "... and verifies the audit chain"

# --- a statement the server cancels is no busy inventory ---------------
# (statement_timeout, as an administrator may set it: the read waits on
# a lock psql holds, and the server cancels it, SQLSTATE 57014)
psql -X -q -h "$HW_PG_HOST" -U hw -d "demo_$sfx" \
	-c "BEGIN; LOCK TABLE asset IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT" \
	>/dev/null 2>&1 &
locker=$!
for _ in $(seq 50); do
	[ "$(q "demo_$sfx" \
		"SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'asset'::regclass")" = 1 ] && break
	sleep 0.1
done
keep_u=$U
U="$U&options=-c%20statement_timeout%3D300"
pg asset list
U=$keep_u
wait "$locker"
expect_rc 1 "a statement cancelled by statement_timeout: exit 1"
expect_err_has "canceling statement due to statement timeout" "... with the server's reason"
expect_eq "$(printf '%s' "$ERR" | grep -c 'is busy')" 0 "... not said to be busy"

# --- a row the server refuses in a COPY: the whole import refused -----
# (a load into an empty inventory sends its rows with COPY, a MiB at a
# time, and reads a COPY's result when it next needs the connection: a
# check only the server holds refuses a row of the first MiB)
keep_u=$U
U=$(newdb "copyrow_$sfx")
pg init -q
psql -X -q -h "$HW_PG_HOST" -U hw -d "copyrow_$sfx" \
	-c "ALTER TABLE asset ADD CONSTRAINT no_bad CHECK (id <> 'a-00010')"
/usr/bin/python3 -c 'print("{\"format\": \"highwater-inventory\", \"version\": 1}")
for i in range(40000):
    print("{\"asset\": {\"id\": \"a-%05d\", \"name\": \"A %d\", \"type\": \"server\"}}" % (i, i))' \
	>"$TMP/copyrow.jsonl"
pg import "$TMP/copyrow.jsonl"
expect_rc 1 "a row the server refuses in a COPY: exit 1"
expect_err_has 'violates check constraint "no_bad"' "... with the server's reason"
expect_eq "$(q "copyrow_$sfx" "SELECT count(*) FROM asset")" 0 \
	"... and nothing stored"
psql -X -q -h "$HW_PG_HOST" -U hw -d "copyrow_$sfx" \
	-c "ALTER TABLE asset DROP CONSTRAINT no_bad"
pg --quiet import "$TMP/copyrow.jsonl"
expect_rc 0 "... which, the check gone, imports"
pg asset list --json
expect_eq "$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
a = json.load(sys.stdin)
a = a["assets"] if isinstance(a, dict) else a
print(len(a), a[10]["id"], a[-1]["id"])')" "40000 a-00010 a-39999" "... all 40000 assets"
U=$keep_u

# --- a first load lays the references and three indexes aside ----------
# (an import into an empty inventory that nobody reads drops the
# references to assets, two indexes and the dependencies' key in its
# transaction and builds them again at its end: the catalog ends as
# init made it; with a reader there, it keeps them, and neither waits
# for the other)
catalog() { # DB: its constraints and indexes, as the server states them
	q "$1" "SELECT conrelid::regclass || ' ' || conname || ' ' ||
	  pg_get_constraintdef(oid) FROM pg_constraint
	  WHERE connamespace = current_schema()::regnamespace
	  UNION ALL SELECT indexdef FROM pg_indexes
	  WHERE schemaname = current_schema() ORDER BY 1"
}
rebuilt() { # DB: the oids of dependency_dst and the dependencies' key
	q "$1" "SELECT 'dependency_dst'::regclass::oid || ' ' ||
	  'dependency_pkey'::regclass::oid"
}
keep_u=$U
inv=$HW_SRCDIR/data/demo-inventory.json
U=$(newdb "fresh_$sfx")
pg init -q
fresh=$(catalog "fresh_$sfx")
expect_eq "$(printf '%s\n' "$fresh" | grep -c 'REFERENCES asset(n) ON DELETE CASCADE DEFERRABLE$')" 4 \
	"init: four references to assets, deferrable, initially immediate"
expect_eq "$(catalog "demo_$sfx")" "$fresh" \
	"the demo's loads left the constraints and indexes as init made them"

U=$(newdb "aside_$sfx")
pg init -q
oid0=$(rebuilt "aside_$sfx")
pg --quiet import --dry-run "$inv"
expect_rc 0 "a dry run into an empty inventory"
expect_eq "$(rebuilt "aside_$sfx") $(catalog "aside_$sfx")" "$oid0 $fresh" \
	"... rolls back to the same indexes and constraints"
pg --quiet import "$inv"
expect_rc 0 "a first load into an empty inventory"
read -r dst0 key0 <<<"$oid0"
read -r dst1 key1 <<<"$(rebuilt "aside_$sfx")"
expect_eq "$([ "$dst1" != "$dst0" ] && [ "$key1" != "$key0" ] && echo new)" new \
	"... laid dependency_dst and the dependencies' key aside and built them again"
expect_eq "$(catalog "aside_$sfx")" "$fresh" "... and the catalog is as init made it"
expect_eq "$(q "aside_$sfx" "SELECT count(*) FROM dependency")" 327 "... every dependency stored"
expect_eq "$(q "aside_$sfx" "INSERT INTO dependency (src, dst, type) VALUES (1, 99999, 'uses')" |
	grep -c 'violates foreign key constraint "dependency_dst_fkey"')" 1 \
	"... whose references the server checks again"
expect_eq "$(q "aside_$sfx" "INSERT INTO dependency (src, dst, type) SELECT src, dst, type FROM dependency LIMIT 1" |
	grep -c 'violates unique constraint "dependency_pkey"')" 1 \
	"... and whose key it keeps again"
expect_eq "$(q "aside_$sfx" "SELECT count(*) > 0 FROM dependency WHERE src = 1 OR dst = 1")$(q "aside_$sfx" \
	"DELETE FROM asset WHERE n = 1; SELECT count(*) FROM dependency WHERE src = 1 OR dst = 1")" \
	"t0" "... and follows a deleted asset (ON DELETE CASCADE)"

# an import with a dangling reference: refused, nothing changed
U=$(newdb "dangle_$sfx")
pg init -q
oid0=$(rebuilt "dangle_$sfx")
printf '%s\n' '{"format": "highwater-inventory", "version": 1}' \
	'{"asset": {"id": "a1", "name": "A", "type": "server"}}' \
	'{"dependency": {"from": "a1", "to": "nowhere", "type": "uses"}}' >"$TMP/dangle.jsonl"
pg import "$TMP/dangle.jsonl"
expect_rc 1 "a dangling dependency in a first load: exit 1"
expect_err_has "nowhere" "... naming the asset"
expect_eq "$(rebuilt "dangle_$sfx") $(q "dangle_$sfx" "SELECT count(*) FROM asset") $(catalog "dangle_$sfx")" \
	"$oid0 0 $fresh" "... nothing stored, the catalog untouched"

# a reader holds the asset table: the load keeps the references and
# indexes, and does not wait for it
U=$(newdb "held_$sfx")
pg init -q
oid0=$(rebuilt "held_$sfx")
psql -X -q -h "$HW_PG_HOST" -U hw -d "held_$sfx" >/dev/null 2>&1 \
	-c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM asset; SELECT pg_sleep(60); COMMIT" &
reader=$!
for _ in $(seq 100); do
	[ "$(q "held_$sfx" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.relation = 'asset'::regclass AND a.query LIKE '%pg_sleep%'")" = 1 ] && break
	sleep 0.1
done
t0=$(date +%s)
pg --quiet import "$inv"
expect_rc 0 "a first load while another connection reads the inventory"
expect_eq "$(( $(date +%s) - t0 < 30 ))" 1 "... does not wait for the reader"
expect_eq "$(rebuilt "held_$sfx") $(catalog "held_$sfx")" "$oid0 $fresh" \
	"... and keeps the indexes and references"
expect_eq "$(q "held_$sfx" "SELECT count(*) FROM dependency")" 327 "... every dependency stored"
q "held_$sfx" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'held_$sfx' AND pid <> pg_backend_pid()" >/dev/null
wait "$reader"
U=$keep_u

# --- backup and copy: between the engines, the history whole -----------
same_history() { # DESC A B: the two databases answer alike
	local c a b bad=
	for c in "export" "audit log --json" "change list --json" \
		"incident list --json" "baseline list --json" "user list --json" \
		"config --json" "risk --json"; do
		# shellcheck disable=SC2086
		a=$("$real" --db "$2" $c 2>&1)
		# shellcheck disable=SC2086
		b=$("$real" --db "$3" $c 2>&1)
		[ "$a" = "$b" ] || bad+="$c; "
	done
	expect_eq "$bad" "" "$1"
}
pg backup "$TMP/b.db"
expect_rc 0 "backup of a server's database: exit 0"
expect_out_has "backed up $U to $TMP/b.db (" "... naming both"
expect_eq "$(head -c 15 "$TMP/b.db")" "SQLite format 3" "... a SQLite file"
expect_eq "$(stat -c %a "$TMP/b.db")" 600 "... owner-only"
same_history "... which answers as the server's database does" "$U" "$TMP/b.db"
"$real" --db "$TMP/b.db" audit verify --expect "$("$real" --db "$U" audit head)" >/dev/null 2>&1
expect_eq "$?" 0 "... its audit chain verifies with the server's head"
pg backup "$TMP/b.db"
expect_rc 1 "an existing backup file: refused"
expect_err_has "already exists (use --force to overwrite it)" "... unless --force"
pg backup "$TMP/b.db" --force
expect_rc 0 "... which replaces it"

C=$(newdb "copy_$sfx")
"$real" --db "$L" copy --to "$C" >"$OUT_FILE" 2>"$ERR_FILE"
expect_eq "$?:$(cat "$ERR_FILE")" "0:" "copy from SQLite into an empty PostgreSQL database: exit 0"
expect_eq "$(cat "$OUT_FILE")" "copied $L to $C ($(sqlite3 "$L" "SELECT (SELECT count(*) FROM setting) + (SELECT count(*) FROM info_type) + (SELECT count(*) FROM asset) + (SELECT count(*) FROM assignment) + (SELECT count(*) FROM dependency) + (SELECT count(*) FROM asset_factor) + (SELECT count(*) FROM risk_weight) + (SELECT count(*) FROM audit) + (SELECT count(*) FROM audit_asset) + (SELECT count(*) FROM audit_last) + (SELECT count(*) FROM change_record) + (SELECT count(*) FROM change_target) + (SELECT count(*) FROM change_edit) + (SELECT count(*) FROM change_assessment) + (SELECT count(*) FROM incident) + (SELECT count(*) FROM snapshot) + (SELECT count(*) FROM snapshot_asset) + (SELECT count(*) FROM snapshot_dep) + (SELECT count(*) FROM snapshot_assignment) + (SELECT count(*) FROM database_id) + (SELECT count(*) FROM users) + (SELECT count(*) FROM user_owns) + (SELECT count(*) FROM generation)") rows; the audit chain verifies)" \
	"... and says so, with every row of every table counted"
same_history "... the copy answers as the SQLite file does" "$L" "$C"
expect_eq "$("$real" --db "$C" report inventory -o "$TMP/inv-pg.xlsx" >/dev/null 2>&1; echo $?)" 0 \
	"... and writes workbooks"
"$real" --db "$C" --quiet asset add after-copy --name After --type server --owner ops
expect_eq "$?" 0 "... and takes new assets (its numbers follow the copied ones)"
"$real" --db "$C" copy --to "$TMP/back.db" >/dev/null 2>&1
expect_eq "$?" 0 "copied back from PostgreSQL to a new SQLite file"
same_history "... the round trip keeps the inventory and its history" "$C" "$TMP/back.db"
"$real" --db "$L" copy --to "$C" >/dev/null 2>"$ERR_FILE"
expect_eq "$?" 1 "copy into a database that holds an inventory: refused"
ERR=$(cat "$ERR_FILE")
expect_err_has "already exists: it holds a highwater inventory" "... as init refuses it"
X=$(newdb "copyfail_$sfx")
cp "$L" "$TMP/extra.db"
sqlite3 "$TMP/extra.db" "CREATE TABLE notes (x TEXT)"
"$real" --db "$TMP/extra.db" copy --to "$X" >/dev/null 2>"$ERR_FILE"
expect_eq "$?" 1 "a source with a table of its own: refused"
expect_eq "$(q "copyfail_$sfx" "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" 0 \
	"... leaving the PostgreSQL database as it was (the schema made in the copy's transaction)"

# --- the graph snapshot: in the cache folder, keyed by the generation --
rm -rf "$TMP/cache" # (the reads above kept theirs)
export HIGHWATER_GRAPH_SNAPSHOT=trace
pg categorize --summary
expect_err_has "loaded, snapshot written" "the first whole-graph read loads and keeps a snapshot"
expect_eq "$(find "$TMP/cache/highwater" -name 'graph-*' -type f | wc -l)" 1 \
	"... one file in \$XDG_CACHE_HOME/highwater"
expect_eq "$(stat -c %a "$TMP/cache/highwater")" 700 "... in an owner-only folder"
pg categorize --summary
expect_err_has "snapshot mapped" "the next maps it"
keep=$OUT
psql -X -q -h "$HW_PG_HOST" -U hw -d "demo_$sfx" \
	-c "UPDATE asset SET confidentiality = 'low' WHERE id = 'ntp-srv-01'"
pg categorize --summary
expect_err_has "loaded, snapshot written" "a write from another connection (psql) makes it stale at once"
pg categorize --summary
expect_err_has "snapshot mapped" "... and the next command maps the new one"
"$real" --db "$L" --quiet asset set ntp-srv-01 confidentiality=low
expect_eq "$OUT" "$("$real" --db "$L" categorize --summary 2>/dev/null)" \
	"... whose answer is SQLite's after the same write"
unset HIGHWATER_GRAPH_SNAPSHOT
[ "$keep" != "$OUT" ] || diag "(the write did not change the summary)"

done_testing
