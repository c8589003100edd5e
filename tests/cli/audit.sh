#!/bin/bash
# audit.sh: the audit trail end to end: every CLI write leaves exactly
# the records expected (and a no-op or a failed command none), who the
# actor is, audit log (text, --json, ASSET, --since, --actor), asset
# show's last change, each record's hash recomputed by independent
# Python from DESIGN.md's canonical form, tampering done with the
# sqlite3 library detected and named, truncation against a kept head,
# and the first record of a database upgraded from schema 4.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# The records after seq $1 as "actor action object" lines.
since_seq() {
	hw --json audit log
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["records"]:
    if r["seq"] > int(sys.argv[2]):
        print(r["actor"], r["action"], r["object"])
' "$OUT_FILE" "$1"
}

head_seq() {
	"$HIGHWATER" --json audit head | "$PYTHON" -c \
		'import json, sys; print(json.load(sys.stdin)["seq"])'
}

# expect_records DESC LINES... -- ARGS: run highwater ARGS; it exits 0
# and the records it appended are exactly LINES.
expect_records() {
	local desc=$1 want=() got before
	shift
	while [ "$1" != -- ]; do
		want+=("$1")
		shift
	done
	shift
	before=$(head_seq)
	hw "$@"
	if [ "$RC" -ne 0 ]; then
		_result 0 "$desc"
		diag "highwater $* exited $RC: $ERR"
		return
	fi
	got=$(since_seq "$before")
	expect_eq "$got" "$(printf '%s\n' "${want[@]}" | sed '/^$/d')" "$desc"
}

# --- init: one record for the catalogue, one for the name --------------
hw init --name "Rivière Water"
expect_rc 0 "init exits 0"
expect_eq "$(since_seq 0)" "tester init catalogue
tester add setting:organisation" "init: one record for the catalogue (not one per type) and one for the name"
hw --json audit log
expect_json 'd["records"][0]["after"]' '{"catalogue":"SP 800-60","information_types":169}' \
	"... the catalogue's record counts the types"
expect_json 'd["records"][0]["prev"]' "\"$(printf '0%.0s' {1..64})\"" \
	"... and the first record's prev is 64 zeros"

# --- every CLI write, and what it records ----------------------------
expect_records "asset add: one add" "tester add asset:app" -- \
	asset add app --name "Appli café" --type application --c high --i moderate --a low
expect_records "a second asset" "tester add asset:db" -- \
	asset add db --name "DB" --type database
expect_records "asset set: one update" "tester update asset:app" -- \
	asset set app owner=ops@example.org worst_cvss=7.3
expect_records "asset set to the same values: no record" -- \
	asset set app owner=ops@example.org worst_cvss=7.3
expect_records "infotype add: one add" "tester add information_type:X.CUST.1" -- \
	infotype add X.CUST.1 --name "Zoë's data" --c low --i low --a low
expect_records "infotype assign: an update of the asset" "tester update asset:app" -- \
	infotype assign app X.CUST.1
expect_records "dep add: one add" "tester add dependency:app>db" -- \
	dep add app db --type runs_on
expect_records "dep add --replace with new values: one update" \
	"tester update dependency:app>db" -- dep add app db --type uses --replace
expect_records "dep rm: one remove" "tester remove dependency:app>db" -- \
	dep rm app db
expect_records "config: one update" "tester update setting:organisation" -- \
	config organisation "Riverton"
expect_records "risk --set: one record per weight" \
	"tester update weight:likelihood.internet" \
	"tester update weight:band.high" -- \
	risk --set likelihood.internet=0.3 --set band.high=45.5
expect_records "--actor names the actor" "alice add asset:web" -- \
	--actor alice asset add web --name Web --type application
HIGHWATER_ACTOR=bob expect_records "\$HIGHWATER_ACTOR names it" \
	"bob add dependency:web>app" -- dep add web app
login=$(env -u HIGHWATER_ACTOR "$PYTHON" -c 'import os, pwd
try:
    print(os.getlogin())
except OSError:
    print(pwd.getpwuid(os.getuid()).pw_name)')
before=$(head_seq)
env -u HIGHWATER_ACTOR "$HIGHWATER" dep add web db >/dev/null 2>&1
expect_eq "$(since_seq "$before")" "$login add dependency:web>db" \
	"without either, the login name"
expect_records "asset rm --force: its dependencies, then the asset" \
	"tester remove dependency:web>db" "tester remove asset:db" -- \
	asset rm db --force

# --- a failed command leaves no record ---------------------------------
before=$(head_seq)
hw asset add app --name Again --type server
expect_rc 1 "adding an existing asset fails ..."
hw dep add app nowhere
expect_rc 1 "... a dependency on an unknown asset fails ..."
hw risk --set band.high=200
expect_rc 1 "... a weight out of range fails ..."
expect_eq "$(head_seq)" "$before" "... and none of them left a record"

# --- audit log ---------------------------------------------------------
hw audit log app
expect_rc 0 "audit log ASSET exits 0"
expect_eq "$(printf '%s\n' "$OUT" | grep -v '^ ' | awk '{print $3, $4, $5}')" \
	"tester add asset:app
tester update asset:app
tester update asset:app
tester add dependency:app>db
tester update dependency:app>db
tester remove dependency:app>db
bob add dependency:web>app" \
	"audit log ASSET: the asset's writes, its assignments and the dependencies it is either end of"
expect_out_has "   owner: (none) -> \"ops@example.org\"" \
	"an update's second line says what changed"
hw audit log db
expect_out_has "remove asset:db" "a removed asset keeps its history"
refuse "audit log of an id no asset has and no record names" \
	"unknown asset 'nowhere'" -- audit log nowhere
hw audit log --actor alice
expect_eq "$(printf '%s\n' "$OUT" | awk '{print $3, $4, $5}')" \
	"alice add asset:web" "--actor keeps that actor's records"
hw audit log --since 2999-01-01
expect_out_eq "no records" "--since a later time: none"
hw audit log --since 2000-01-01T00:00:00+02:00 --json
expect_json 'len(d["records"]) == '"$(head_seq)" 'true' "--since an earlier time: all"
hw audit log --since yesterday
expect_rc 2 "--since that is no time is a usage error"

# --- asset show: the last change -------------------------------------
hw asset show app
expect_out_has "changed      last by bob at " "asset show: changed last by ACTOR at TIME"
hw --json asset show app
expect_json 'd["changed"]["by"]' '"bob"' "asset show --json: changed.by"
expect_json 'len(d["changed"]["at"])' '27' "... and changed.at with microseconds"

if on_sqlite "every hash recomputed from the file by Python's sqlite3"; then
# --- every hash recomputed by independent Python -----------------------
hw --json audit log
py_ok "every record's hash is the SHA-256 of DESIGN's canonical form (non-ASCII text and reals included)" '
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
prev = "0" * 64
reals = uni = 0
for r in d["records"]:
    rec = [1, r["seq"], r["time"], r["actor"], r["action"], r["object"],
           r["before"], r["after"], r["prev"]]
    text = json.dumps(rec, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != r["hash"]:
        sys.exit("record %d: hash differs" % r["seq"])
    if r["prev"] != prev:
        sys.exit("record %d: prev differs" % r["seq"])
    prev = r["hash"]
    reals += "." in json.dumps([r["before"], r["after"]])
    uni += any(ord(c) > 127 for c in text)
if reals < 3 or uni < 3:
    sys.exit("too few records with reals (%d) or non-ASCII (%d)" % (reals, uni))
print("ok")
' "$OUT_FILE"
cp "$HIGHWATER_DB" "$TMP/good.db"
py_ok "the stored hash and before/after texts are the canonical ones (time as microseconds, prev the hash of the row before)" '
import datetime, hashlib, json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
p = bytes(32)
for seq, t, a, ac, o, b, af, h in c.execute(
        "select seq, time, actor, action, object, before, after, hash"
        " from audit order by seq"):
    for x in (b, af):
        if x is not None and x != json.dumps(json.loads(x), sort_keys=True,
                separators=(",", ":"), ensure_ascii=False):
            sys.exit("record %d: %r is not canonical" % (seq, x))
    ts = datetime.datetime.fromtimestamp(t // 1000000, datetime.timezone.utc)
    ts = ts.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (t % 1000000)
    rec = "[1,%d,%s,%s,%s,%s,%s,%s,\"%s\"]" % (seq, json.dumps(ts),
        json.dumps(a, ensure_ascii=False), json.dumps(ac), json.dumps(o),
        b or "null", af or "null", p.hex())
    if hashlib.sha256(rec.encode()).digest() != h:
        sys.exit("record %d differs" % seq)
    p = h
print("ok")
' "$TMP/good.db"

fi

# --- verify, head ------------------------------------------------------
hw audit verify
expect_rc 0 "audit verify exits 0 on an intact trail"
HEAD=$("$HIGHWATER" audit head)
N=$(head_seq)
expect_out_eq "the audit trail holds: $N records, head $HEAD" \
	"... and says how many records and the head"
hw audit verify --expect "$HEAD"
expect_rc 0 "--expect the head: exits 0"
hw --json audit log app
OLD=$(json_val 'd["records"][0]["hash"]' | tr -d '"')
hw audit verify --expect "$OLD"
expect_rc 0 "--expect an older head still in the chain: exits 0"
hw audit verify --expect nothex
expect_rc 2 "--expect that is no hash is a usage error"

if on_sqlite "the trail tampered with and old schemas, by sqlite3"; then
# tamper CASE: a copy of the good database with the trail altered by
# the sqlite3 library, then audit verify on it.
# The assets an audit record's object names, as the library reads them.
PY_ENDS='
def ends(o):
    if o.startswith("asset:"):
        return {o[6:]}
    if o.startswith("dependency:"):
        return set(o[11:].split(">"))
    return set()
'
TAMPER=$PY_ENDS'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
x = c.execute
case = sys.argv[2]
cols = "time, actor, action, object, before, after, hash"
if case == "edit":
    x("update audit set after = replace(after, ?, ?) where seq = 3",
      ("Appli", "Evil"))
elif case == "delete":
    x("delete from audit where seq = 5")
elif case == "swap":
    a = x("select " + cols + " from audit where seq = 6").fetchone()
    b = x("select " + cols + " from audit where seq = 7").fetchone()
    for seq, r in ((6, b), (7, a)):
        x("update audit set time = ?, actor = ?, action = ?, object = ?,"
          " before = ?, after = ?, hash = ? where seq = ?", r + (seq,))
elif case == "insert":
    x("update audit set seq = seq + 1000000 where seq >= 8")
    x("update audit set seq = seq - 999999 where seq > 1000000")
    x("insert into audit (seq, " + cols + ") select 8, " + cols +
      " from audit where seq = 3")
elif case in ("truncate", "cut"):
    x("delete from audit where seq > (select max(seq) - 2 from audit)")
if case == "truncate":
    # a careful hand mends the histories newest records too
    x("delete from audit_last")
    for seq, o in x("select seq, object from audit order by seq").fetchall():
        for e in ends(o):
            x("insert or replace into audit_last values (?, ?)", (e, seq))
'
tamper() {
	cp "$TMP/good.db" "$TMP/t.db"
	"$PYTHON" -c "$TAMPER" "$TMP/t.db" "$1" || echo "Bail out! tamper $1"
	hw --db "$TMP/t.db" audit verify "${@:2}"
}
tamper edit
expect_rc 1 "an edited record: verify exits 1 ..."
expect_err_eq "highwater: audit verify: record 3 does not match its hash: it was edited, or the record before it is not the one it followed (deleted, inserted or reordered)" \
	"... naming record 3, edited"
tamper delete
expect_rc 1 "a deleted record: exit 1 ..."
expect_err_has "record 6 follows record 4: the records from 5 on were deleted" \
	"... naming the gap"
tamper swap
expect_rc 1 "two records swapped: exit 1 ..."
expect_err_has "record 6 does not match its hash" "... naming the first of them"
tamper insert
expect_rc 1 "a record inserted: exit 1 ..."
expect_err_has "record 8 does not match its hash" "... naming it"
tamper cut
expect_rc 1 "the newest records removed, an asset's newest left naming one: exit 1 ..."
expect_err_has "an asset's history was altered" "... the histories say so"
tamper truncate
expect_rc 0 "the newest records removed and the histories mended: the chain alone still holds ..."
tamper truncate --expect "$HEAD"
expect_rc 1 "... but not against the head kept elsewhere (exit 1) ..."
expect_err_has "the kept head hash is not in the chain: records after $((N - 2)) were removed (truncated)" \
	"... which names where it was cut"
hw --db "$TMP/t.db" --json audit verify --expect "$HEAD"
expect_json '[d["ok"], d["broken"]]' "[false,$((N - 1))]" "verify --json says where it broke"

# --- a database of schema 4 upgraded: its history starts honestly ------
V4='
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
v4 = {"setting", "info_type", "asset", "assignment", "dependency",
      "asset_factor", "risk_weight"}
for (t,) in c.execute("select name from sqlite_master where type = ?",
                      ("table",)).fetchall():
    if t not in v4:
        c.execute("drop table \"%s\"" % t)
# nor the triggers schema 9 added (they name its table)
for (t,) in c.execute("select name from sqlite_master where type = ?",
                      ("trigger",)).fetchall():
    c.execute("drop trigger \"%s\"" % t)
c.execute("alter table asset_factor drop column authorized_by")
c.execute("alter table asset_factor drop column authorized_at")
c.execute("pragma user_version = 4")
'
cp "$TMP/good.db" "$TMP/v4.db"
"$PYTHON" -c "$V4" "$TMP/v4.db"
hw --db "$TMP/v4.db" upgrade
expect_rc 0 "a schema-4 database upgrades"
hw --db "$TMP/v4.db" --json audit log
expect_json '[(r["seq"], r["actor"], r["action"], r["object"], r["before"]) for r in d["records"]]' \
	'[[1,"migration","migrate","inventory",null]]' \
	"its trail starts with one record: actor migration, action migrate, object inventory"
expect_json '[d["records"][0]["after"][k] for k in ("assets", "dependencies", "information_types")]' \
	'[2,1,1]' "... whose after counts the inventory as it stood"
MIG=$(json_val 'd["records"][0]["after"]["sha256"]' | tr -d '"')
hw --db "$TMP/v4.db" export
py_ok "... and holds the SHA-256 of the exported inventory's canonical lines (types, assets, dependencies)" '
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
h = hashlib.sha256()
for k in ("information_types", "assets", "dependencies"):
    for o in d[k]:
        h.update((json.dumps(o, sort_keys=True, separators=(",", ":"),
                             ensure_ascii=False) + "\n").encode())
print("ok" if h.hexdigest() == sys.argv[2] else h.hexdigest())
' "$OUT_FILE" "$MIG"
hw --db "$TMP/v4.db" audit verify
expect_rc 0 "the upgraded trail verifies"
before=$(hw --db "$TMP/v4.db" --json audit head; json_val 'd["seq"]')
hw --db "$TMP/v4.db" asset set app name=Next
hw --db "$TMP/v4.db" --json audit log --since 2000-01-01
expect_json '[r["seq"] for r in d["records"]]' '[1,2]' \
	"writes after the upgrade chain on from the migration's record"

# --- a database of schema 5 upgraded: the trail's rows made smaller ----
# good.db rewritten as schema 5 stored it: the time as text, prev in
# each row, a row of audit_asset per asset and record.
V5=$PY_ENDS'
import datetime, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
x = c.execute
x("create table audit5 (seq integer primary key check (seq >= 1),"
  " time text not null, actor text not null, action text not null,"
  " object text not null, before text, after text, prev blob not null,"
  " hash blob not null) strict")
p = bytes(32)
for r in x("select seq, time, actor, action, object, before, after, hash"
           " from audit order by seq").fetchall():
    t = datetime.datetime.fromtimestamp(r[1] // 1000000, datetime.timezone.utc)
    t = t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (r[1] % 1000000)
    x("insert into audit5 values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      (r[0], t) + tuple(r[2:7]) + (p, r[7]))
    p = r[7]
for (seq, o) in x("select seq, object from audit").fetchall():
    for e in ends(o):
        x("insert or ignore into audit_asset values (?, ?)", (e, seq))
x("drop table audit")
x("drop table audit_last")
x("alter table audit5 rename to audit")
# nor the triggers schema 9 added
for (t,) in x("select name from sqlite_master where type = ?",
              ("trigger",)).fetchall():
    x("drop trigger \"%s\"" % t)
x("pragma user_version = 5")
'
cp "$TMP/good.db" "$TMP/v5.db"
"$PYTHON" -c "$V5" "$TMP/v5.db" || echo "Bail out! schema 5"
cp "$TMP/v5.db" "$TMP/v5-empty.db"
cp "$TMP/v5.db" "$TMP/v5-badtime.db"
hw --db "$TMP/good.db" --json audit log app
LOG_APP=$OUT
hw --db "$TMP/good.db" asset show app
SHOW_APP=$(grep "^changed" <<<"$OUT")
hw --db "$TMP/v5.db" upgrade
expect_rc 0 "a schema-5 database upgrades"
hw --db "$TMP/v5.db" audit verify --expect "$HEAD"
expect_rc 0 "... its trail verifies against the head kept before"
expect_out_eq "the audit trail holds: $N records, head $HEAD (the kept hash is in the chain)" \
	"... with every record"
hw --db "$TMP/v5.db" --json audit log app
expect_eq "$OUT" "$LOG_APP" "... an asset's history is what it was"
hw --db "$TMP/v5.db" asset show app
expect_eq "$(grep "^changed" <<<"$OUT")" "$SHOW_APP" \
	"... and so is who changed it last"
expect_eq "$(sqlite3 "$TMP/v5.db" "SELECT count(*) FROM audit_asset")" \
	"$(sqlite3 "$TMP/good.db" "SELECT count(*) FROM audit_asset")" \
	"... audit_asset keeps only the rows the links do not give"

# A schema-5 database whose upgrade from 4 stopped before its first
# record (4 -> 5 committed, the record not written yet): the upgrade to
# 6 writes it.
sqlite3 "$TMP/v5-empty.db" "DELETE FROM audit; DELETE FROM audit_asset; PRAGMA user_version = 5" \
	|| echo "Bail out! v5-empty"
hw --db "$TMP/v5-empty.db" upgrade
expect_rc 0 "an upgrade interrupted before its first record upgrades ..."
hw --db "$TMP/v5-empty.db" --json audit log
expect_json '[(r["seq"], r["actor"], r["action"]) for r in d["records"]]' \
	'[[1,"migration","migrate"]]' "... and its trail starts with the migration's record"

# A schema-5 record whose time was edited into no time: the upgrade
# goes through, and verify names the record.
sqlite3 "$TMP/v5-badtime.db" "UPDATE audit SET time = 'soon' WHERE seq = 3" \
	|| echo "Bail out! v5-badtime"
hw --db "$TMP/v5-badtime.db" upgrade
expect_rc 0 "a schema-5 database with an edited time upgrades ..."
hw --db "$TMP/v5-badtime.db" audit verify
expect_rc 1 "... and verify exits 1 ..."
expect_err_has "record 3 has a time out of range" "... naming the record"

fi

done_testing
