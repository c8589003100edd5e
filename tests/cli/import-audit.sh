#!/bin/bash
# import-audit.sh: imports are audited (issue 11, item 1): one record per
# object added, updated or (--replace) removed, one summary record
# import:FILE with the counts by kind; an object left as stored writes
# nothing, so a re-import of the same file writes only its summary; a
# dry run and a refused import write nothing; the chain verifies after.
# Authorization given as true without by/at takes the import's actor and
# time, once.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

INV=$TMP/inv.json
cat >"$INV" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "information_types": [{"id": "X.1", "name": "Own", "confidentiality": "low",
                        "integrity": "moderate", "availability": "low"}],
 "assets": [{"id": "app", "name": "App", "type": "application", "integrity": "high",
             "worst_cvss": 7.5, "information_types": [{"id": "X.1"}]},
            {"id": "db", "name": "Datenbank \u00e9", "type": "database", "authorized": true},
            {"id": "vm", "name": "VM", "type": "server", "authorized": true,
             "authorized_by": "cab", "authorized_at": "2026-01-02T03:04:05+01:00"}],
 "dependencies": [{"from": "app", "to": "db", "type": "stores_data_in"},
                  {"from": "db", "to": "vm", "type": "runs_on"}]}
EOF
# records LABEL: the audit log as JSON in $TMP/LABEL.json, the count in N.
records() {
	hw --json audit log
	cp "$OUT_FILE" "$TMP/$1.json"
	N=$("$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["records"]))' "$TMP/$1.json")
}

hw_setup --quiet init
records init
start=$N
hw --actor importer import "$INV"
expect_rc 0 "the import succeeds"
records first
expect_eq "$((N - start))" 7 "a first import writes one record per object and a summary (1 type, 3 assets, 2 dependencies, 1)"
expect_json '[[r["action"], r["object"], r["actor"]] for r in d["records"][-7:]]' \
	'[["add","information_type:X.1","importer"],["add","asset:app","importer"],["add","asset:db","importer"],["add","asset:vm","importer"],["add","dependency:app>db","importer"],["add","dependency:db>vm","importer"],["import","import:'"$INV"'","importer"]]' \
	"the records name each object, then the import"
expect_json 'd["records"][-1]["after"]' \
	'{"assets":{"added":3,"removed":0,"unchanged":0,"updated":0},"changes":0,"dependencies":{"added":2,"removed":0,"unchanged":0,"updated":0},"incidents":0,"information_types":{"added":1,"removed":0,"unchanged":0,"updated":0},"replace":false}' \
	"the summary holds the counts by kind"
expect_json '[r["after"] for r in d["records"] if r["object"] == "asset:app"][0]' \
	'{"id":"app","information_types":[{"id":"X.1"}],"integrity":"high","internet_facing":false,"name":"App","type":"application","worst_cvss":7.5}' \
	"an asset's record holds it as the inventory writes it"
expect_json '[r["after"] for r in d["records"] if r["object"] == "dependency:db>vm"][0]' \
	'{"carries":"cia","from":"db","to":"vm","type":"runs_on"}' "a dependency's record holds it"
expect_json '[(r["after"]["authorized_by"], r["after"]["authorized_at"][:4]) for r in d["records"] if r["object"] == "asset:db"][0]' \
	'["importer","20'"$(date -u +%y)"'"]' "authorized without by or at: the import's actor and time"
expect_json '[(r["after"]["authorized_by"], r["after"]["authorized_at"]) for r in d["records"] if r["object"] == "asset:vm"][0]' \
	'["cab","2026-01-02T02:04:05Z"]' "authorized with by and at: the file's"
hw export
cp "$OUT_FILE" "$TMP/export1.json"

# --- a re-import of the same file: the summary only ----------------------------
hw --actor nightly import "$INV"
records again
expect_eq "$((N - start))" 8 "a re-import of the same file (another actor) writes only its summary"
expect_json 'd["records"][-1]["after"]["assets"]' '{"added":0,"removed":0,"unchanged":3,"updated":0}' \
	"... which counts the assets unchanged"
expect_json '[d["records"][-1]["after"][k]["unchanged"] for k in ("dependencies", "information_types")]' \
	'[2,1]' "... and the dependencies and information types"
hw export
expect_out_file "$TMP/export1.json" "... and the authorization stays as the first import recorded it"

# --- a dry run and a refused import leave no record ---------------------------------
hw audit head
head=$OUT
hw import --dry-run "$INV"
hw import --dry-run --replace "$HW_TESTDATA/cli-small.json"
hw audit head
expect_eq "$OUT" "$head" "a dry run writes no audit record"
printf '{"format": "highwater-inventory", "version": 1, "assets": [{"id": "new", "name": "N", "type": "server"}], "dependencies": [{"from": "new", "to": "ghost"}]}' >"$TMP/bad.json"
hw import "$TMP/bad.json"
expect_rc 1 "an import with a dangling dependency is refused"
hw audit head
expect_eq "$OUT" "$head" "an aborted import writes no audit record"

printf '{"format": "highwater-inventory", "version": 1, "assets": [{"id": "x", "name": "X", "type": "server", "authorized": true, "authorized_by": ""}]}' >"$TMP/by.json"
refuse "an empty authorized_by" 'assets[0].authorized_by' 'expected a name' -- import "$TMP/by.json"
printf '{"format": "highwater-inventory", "version": 1, "assets": [{"id": "x", "name": "X", "type": "server", "authorized": true, "authorized_at": "soon"}]}' >"$TMP/at.json"
refuse "an authorized_at that is not a time" 'assets[0].authorized_at' "'soon' is not a time" -- import "$TMP/at.json"

# --- a merge: updates with before and after -------------------------------------------
"$PYTHON" - "$INV" "$TMP/merge.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["assets"][0]["integrity"] = "moderate"
d["dependencies"][1]["type"] = "uses"
d["dependencies"].append({"from": "app", "to": "vm"})
json.dump(d, open(sys.argv[2], "w"))
EOF
hw import "$TMP/merge.json"
records merge
expect_json '[[r["action"], r["object"]] for r in d["records"][-4:]]' \
	'[["update","asset:app"],["update","dependency:db>vm"],["add","dependency:app>vm"],["import","import:'"$TMP/merge.json"'"]]' \
	"a merge records what it changed, and only that"
expect_json '[(r["before"]["integrity"], r["after"]["integrity"]) for r in d["records"][-4:-3]][0]' \
	'["high","moderate"]' "an update holds the asset before and after"
hw --json audit log vm
expect_json '[r["object"] for r in d["records"]]' \
	'["asset:vm","dependency:db>vm","dependency:db>vm","dependency:app>vm"]' \
	"audit log ASSET: its own record and those of its dependencies"

# --- --replace: a remove per object --------------------------------------------------
hw import --replace "$HW_TESTDATA/cli-small.json"
records replace
expect_json '[d["records"][-1]["after"][k]["removed"] for k in ("information_types", "assets", "dependencies")]' \
	'[1,3,3]' "--replace counts what it removed"
expect_json 'sorted(r["object"] for r in d["records"] if r["action"] == "remove")' \
	'["asset:app","asset:db","asset:vm","dependency:app>db","dependency:app>vm","dependency:db>vm","information_type:X.1"]' \
	"--replace writes a remove for each object it removes"
expect_json '[r["after"] for r in d["records"] if r["action"] == "remove"][0]' 'null' \
	"a remove has no after"
hw audit verify
expect_rc 0 "the chain verifies after the imports"

# --- a merge of many assets: their histories go on ---------------------
# On PostgreSQL a merge reads the newest records, and asks for the
# assets, a row at a time until 4096, then reads the rest at once
# (store-audit-link.c, store-load-ids.c): 6000 assets, some with
# histories (one removed), cross that line, stored ones (m4800) and new
# ones (m5500) past it.
hw_setup --db "$TMP/many.db" --quiet init
gen() { # gen FIRST LAST NAME: JSON Lines of assets mFIRST..mLAST
	/usr/bin/python3 -c 'import sys
a, b, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
print("{\"format\": \"highwater-inventory\", \"version\": 1}")
for i in range(a, b + 1):
    print("{\"asset\": {\"id\": \"m%04d\", \"name\": \"%s %d\", \"type\": \"server\"}}" % (i, name, i))' "$@"
}
gen 0 4999 First >"$TMP/many-1.jsonl"
gen 0 5999 Second >"$TMP/many-2.jsonl"
hw_setup --db "$TMP/many.db" --quiet import "$TMP/many-1.jsonl"
hw_setup --db "$TMP/many.db" --quiet asset rm m0010
hw_setup --db "$TMP/many.db" --quiet asset rm m4500
hw --db "$TMP/many.db" --quiet import "$TMP/many-2.jsonl"
expect_rc 0 "a merge of 6000 assets into 4998"
hw --db "$TMP/many.db" audit verify
expect_rc 0 "... the chain verifies after it"
for a in m0010:add,remove,add m4500:add,remove,add m4000:add,update \
	m0001:add,update m4800:add,update m5500:add; do
	hw --db "$TMP/many.db" audit log "${a%%:*}" --json
	expect_eq "$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
print(",".join(r["action"].split(" ")[0] for r in json.load(sys.stdin)["records"]))')" \
		"${a#*:}" "... ${a%%:*}'s history: ${a#*:}"
done
for a in 4000 4800; do
	hw --db "$TMP/many.db" audit log m$a --json
	expect_eq "$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["records"]
print(r[0]["after"]["name"], "/", r[1]["before"]["name"], "/", r[1]["after"]["name"])')" \
		"First $a / First $a / Second $a" "... m$a's update holds the name before and after"
done
hw --db "$TMP/many.db" asset list --json
expect_eq "$(printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
a = json.load(sys.stdin)
a = a["assets"] if isinstance(a, dict) else a
print(len(a), len(set(x["id"] for x in a)))')" "6000 6000" \
	"... 6000 assets, each once"
# Past the line, a dependency's end that the file does not hold is asked
# for only when the table may hold it: a stored asset is found, an id
# nothing holds refused (the database unchanged).
gen_deps() { # gen_deps TO: 4200 new assets x..., then x0001 -> TO
	/usr/bin/python3 -c 'import sys
print("{\"format\": \"highwater-inventory\", \"version\": 1}")
for i in range(4200):
    print("{\"asset\": {\"id\": \"x%04d\", \"name\": \"X %d\", \"type\": \"server\"}}" % (i, i))
print("{\"dependency\": {\"from\": \"x0001\", \"to\": \"%s\", \"type\": \"runs_on\"}}" % sys.argv[1])' "$1"
}
gen_deps nowhere >"$TMP/deps-nowhere.jsonl"
gen_deps m5000 >"$TMP/deps-stored.jsonl"
before=$(db_sum "$TMP/many.db")
hw --db "$TMP/many.db" --quiet import "$TMP/deps-nowhere.jsonl"
expect_rc 1 "a dependency past the line on an id nothing holds: refused"
expect_err_has "nowhere" "... naming it"
expect_eq "$(db_sum "$TMP/many.db")" "$before" "... the database unchanged"
hw --db "$TMP/many.db" --quiet import "$TMP/deps-stored.jsonl"
expect_rc 0 "a dependency past the line on a stored asset the file does not hold"
hw --db "$TMP/many.db" dep list x0001
expect_out_has "m5000" "... stored"

done_testing
