#!/bin/bash
# baseline.sh: "highwater baseline save|list|diff": configuration
# baselines of hand-built inventories, the exact drift between a
# baseline and now and between two baselines (text for the CAB, never
# authorized CIs first, and the JSON shape); names in use and unknown
# names refused with nothing written; an asset removed keeps its
# baseline entries under its id.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# Before: web (authorized) runs on db and uses old; web holds C.2.8.9.
cat >"$TMP/before.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [
  {"id": "web", "name": "Web shop", "type": "application",
   "owner": "ops@example.org", "integrity": "high", "authorized": true, "authorized_by": "cab", "authorized_at": "2026-10-01T00:00:00Z",
   "information_types": [{"id": "C.2.8.9"}, {"id": "C.2.8.12"}]},
  {"id": "db", "name": "Shop database", "type": "database",
   "owner": "ops@example.org", "authorized": true, "authorized_by": "cab", "authorized_at": "2026-10-01T00:00:00Z"},
  {"id": "old", "name": "Old server", "type": "server",
   "authorized": false}],
 "dependencies": [
  {"from": "web", "to": "db", "type": "runs_on", "carries": "cia"},
  {"from": "web", "to": "old", "type": "uses", "carries": "ci"}]}
EOF
# After: web has a new owner and integrity, C.2.8.9 adjusted, C.2.8.12
# gone and C.3.5.5 new; db gains a CVSS; old is gone; rogue (no
# authorization), lapsed (authorized false) and new-db (authorized) are
# new; web > db changes type, web > old goes, web > new-db comes.
cat >"$TMP/after.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [
  {"id": "web", "name": "Web shop", "type": "application",
   "owner": "shop@example.org", "integrity": "moderate", "authorized": true, "authorized_by": "cab", "authorized_at": "2026-10-01T00:00:00Z",
   "information_types": [
     {"id": "C.2.8.9", "confidentiality": "high", "integrity": "moderate",
      "availability": "moderate", "justification": "card data"},
     {"id": "C.3.5.5"}]},
  {"id": "db", "name": "Shop database", "type": "database",
   "owner": "ops@example.org", "authorized": true, "authorized_by": "cab", "authorized_at": "2026-10-01T00:00:00Z", "worst_cvss": 7.5},
  {"id": "rogue", "name": "Rogue access point", "type": "network_device"},
  {"id": "lapsed", "name": "Lapsed laptop", "type": "endpoint",
   "authorized": false},
  {"id": "new-db", "name": "New database", "type": "database",
   "authorized": true, "authorized_by": "cab", "authorized_at": "2026-10-01T00:00:00Z"}],
 "dependencies": [
  {"from": "web", "to": "db", "type": "uses", "carries": "cia"},
  {"from": "web", "to": "new-db", "type": "runs_on", "carries": "cia"}]}
EOF

rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet import "$TMP/before.json"

hw baseline list
expect_rc 0 "baseline list with none exits 0"
expect_out_eq 'no baselines (save one with "baseline save NAME")' \
	"... and says there are none"

hw baseline save approved
expect_rc 0 "baseline save exits 0"
expect_out_eq "saved baseline approved: 3 assets, 2 dependencies, 2 assignments" \
	"... and says what it kept"

hw baseline diff approved
expect_rc 0 "a diff with no drift exits 0"
expect_out_has "assets        0 never authorized, 0 added, 0 removed, 0 changed" \
	"... counts nothing"
expect_out_has "no drift: the same assets, assignments and dependencies" \
	"... and says so"

# Refusals: nothing written.
count_rows() {
	db_sql "$HIGHWATER_DB" "SELECT (SELECT count(*) FROM snapshot) || ' ' ||
		(SELECT count(*) FROM snapshot_asset) || ' ' ||
		(SELECT count(*) FROM snapshot_dep) || ' ' ||
		(SELECT count(*) FROM snapshot_assignment)"
}
rows=$(count_rows)
expect_eq "$rows" "1 3 2 2" "the baseline's rows are in its tables"
hw_setup --quiet asset set db owner=dba@example.org
refuse "a name in use is refused" 'baseline "approved" already exists' -- \
	baseline save approved
expect_eq "$(count_rows)" "$rows" "... and nothing is written"
refuse "a name with a space is refused" 'invalid baseline name "bad name"' \
	"1-64 characters" -- baseline save "bad name"
refuse "a name over 64 characters is refused" "invalid baseline name" -- \
	baseline save "$(printf 'x%.0s' {1..65})"
expect_eq "$(count_rows)" "$rows" "... and nothing is written"
refuse "an unknown baseline is refused" 'no baseline "nope"' -- \
	baseline diff nope
refuse "an unknown --to baseline is refused" 'no baseline "nope"' -- \
	baseline diff approved --to nope
refuse_usage "NAME is required" "missing NAME" -- baseline save
refuse_usage "diff needs NAME" "missing NAME" -- baseline diff
refuse_usage "one NAME only" "unexpected argument" -- baseline save a b

hw_setup --quiet import --replace "$TMP/after.json"
created=$(db_sql "$HIGHWATER_DB" "SELECT created FROM snapshot WHERE name = 'approved'")

hw baseline diff approved
expect_rc 0 "baseline diff exits 0"
expect_out_eq "drift from baseline approved (saved $created by tester) to now
assets        2 never authorized, 1 added, 1 removed, 2 changed
assignments   1 added, 1 removed, 1 changed
dependencies  1 added, 1 removed, 1 changed

never authorized (added since the baseline, authorized is not yes)
  ! lapsed (name: Lapsed laptop; type: endpoint; authorized: false)
  ! rogue (name: Rogue access point; type: network_device; authorized: unknown)

assets added
  + new-db (name: New database; type: database; authorized: true; authorized_by: cab; authorized_at: 2026-10-01T00:00:00Z)

assets removed
  - old (name: Old server; type: server; authorized: false)

assets changed
  ~ db
      worst_cvss: (none) -> 7.5
  ~ web
      owner: ops@example.org -> shop@example.org
      integrity: high -> moderate

assignments added
  + web C.3.5.5 (confidentiality: low; integrity: moderate; availability: low)

assignments removed
  - web C.2.8.12 (confidentiality: low; integrity: low; availability: low)

assignments changed
  ~ web C.2.8.9
      confidentiality: moderate -> high
      justification: (none) -> card data

dependencies added
  + web > new-db (type: runs_on; carries: cia)

dependencies removed
  - web > old (type: uses; carries: ci)

dependencies changed
  ~ web > db
      type: runs_on -> uses" "the drift, exactly: counts, never authorized first, then grouped"

hw --json baseline diff approved
expect_rc 0 "baseline diff --json exits 0"
expect_json 'sorted(d)' \
	'["assets","assignments","counts","dependencies","from","to"]' \
	"--json: the document's keys"
expect_json 'd["counts"]' \
	'{"assets":{"added":1,"changed":2,"never_authorized":2,"removed":1},"assignments":{"added":1,"changed":1,"removed":1},"dependencies":{"added":1,"changed":1,"removed":1}}' \
	"--json: the counts"
expect_json '[(a["change"], a["id"]) for a in d["assets"]]' \
	'[["never_authorized","lapsed"],["never_authorized","rogue"],["added","new-db"],["removed","old"],["changed","db"],["changed","web"]]' \
	"--json: assets in order, never authorized first"
expect_json 'd["assets"][5]["fields"]' \
	'{"integrity":{"after":"moderate","before":"high"},"owner":{"after":"shop@example.org","before":"ops@example.org"}}' \
	"--json: a changed asset's fields old and new"
expect_json 'd["assets"][4]["fields"]["worst_cvss"], d["assets"][0]["fields"]["authorized"]' \
	'[{"after":7.5,"before":null},{"after":false,"before":null}]' \
	"--json: numbers and booleans as such"
expect_json 'd["dependencies"][2]' \
	'{"change":"changed","fields":{"type":{"after":"uses","before":"runs_on"}},"from":"web","to":"db"}' \
	"--json: a changed dependency"
expect_json 'd["assignments"][0]["asset"], d["assignments"][0]["information_type"], d["assignments"][0]["change"]' \
	'["web","C.3.5.5","added"]' "--json: an assignment names its asset and type"
expect_json 'd["from"]["name"], d["from"]["actor"], d["from"]["assets"], d["to"]' \
	'["approved","tester",3,null]' "--json: from the baseline to now"

# Two baselines: the same drift, and the second one's header.
hw_setup --quiet --actor alice baseline save after-import
hw baseline diff approved --to after-import
expect_rc 0 "diff --to NAME exits 0"
expect_out_has "to baseline after-import (saved " "... names the second baseline"
expect_out_has "assignments   1 added, 1 removed, 1 changed" "... counts the same drift"
expect_out_has "  ~ web > db
      type: runs_on -> uses" "... and lists it"
hw baseline diff after-import
expect_out_has "no drift" "a baseline just saved has no drift from now"

hw baseline list
expect_out_eq "NAME          SAVED                 BY      ASSETS  DEPENDENCIES  ASSIGNMENTS
approved      $created  tester  3       2             2
after-import  $(db_sql "$HIGHWATER_DB" "SELECT created FROM snapshot WHERE name = 'after-import'")  alice   5       2             2" \
	"baseline list: name, when, by whom, counts, oldest first"
hw --json baseline list
expect_json '[(b["name"], b["actor"], b["assets"], b["dependencies"], b["assignments"]) for b in d["baselines"]]' \
	'[["approved","tester",3,2,2],["after-import","alice",5,2,2]]' \
	"baseline list --json"

# An asset removed keeps its baseline entries under its id.
hw_setup --quiet asset rm db --force
expect_eq "$(db_sql "$HIGHWATER_DB" "SELECT count(*) FROM snapshot_asset WHERE id = 'db'")" 2 \
	"asset rm keeps the asset's entries in both baselines"
hw baseline diff after-import
expect_out_has "  - db (name: Shop database; type: database; owner: ops@example.org; worst_cvss: 7.5; authorized: true; authorized_by: cab; authorized_at: 2026-10-01T00:00:00Z)" \
	"... which shows it removed since"
expect_out_has "  - web > db (type: uses; carries: cia)" "... with its dependency"
hw baseline diff approved --to after-import
expect_out_has "  ~ db
      worst_cvss: (none) -> 7.5" "... and the diff between the two baselines still names it"

hw --json baseline save third
expect_json 'd["name"], d["assets"], d["dependencies"], d["assignments"], d["actor"]' \
	'["third",4,1,2,"tester"]' "baseline save --json"

hw baseline save dated --at 2026-10-01
expect_rc 0 "baseline save --at TIME exits 0"
hw --json baseline list
expect_json '[b["created"] for b in d["baselines"] if b["name"] == "dated"]' \
	'["2026-10-01T00:00:00Z"]' "... and records that time as when it was saved"
refuse_usage "--at that is not a time is a usage error" "--at" -- \
	baseline save other --at yesterday

# Each save is audited (once the audit trail is in the build): action
# save, object baseline:NAME, after its name and counts; the refused
# saves wrote nothing.
hw help audit log
if [ "$RC" -eq 0 ]; then
	hw --json audit log
	expect_json '[(r["actor"], r["action"], r["object"], r["after"]) for r in d["records"] if r["object"].startswith("baseline:")]' \
		'[["tester","save","baseline:approved",{"assets":3,"dependencies":2,"name":"approved"}],["alice","save","baseline:after-import",{"assets":5,"dependencies":2,"name":"after-import"}],["tester","save","baseline:third",{"assets":4,"dependencies":1,"name":"third"}],["tester","save","baseline:dated",{"assets":4,"dependencies":1,"name":"dated"}]]' \
		"each save has one audit record, the refused ones none"
else
	skip "each save has one audit record" "no audit command in this build"
fi

# Values highwater never writes are named when read back.
cp "$HIGHWATER_DB" "$TMP/damaged.db"
db_sql "$TMP/damaged.db" "UPDATE snapshot SET created = 'soon' WHERE name = 'approved'"
hw --db "$TMP/damaged.db" baseline list
expect_rc 1 "a damaged baseline time fails baseline list"
expect_err_has 'is damaged: table snapshot: baseline "approved": created "soon" is not a time' \
	"... naming the table, the baseline and the value"
cp "$HIGHWATER_DB" "$TMP/damaged.db"
db_sql "$TMP/damaged.db" "UPDATE snapshot_dep SET carries = 9 WHERE src = 'web' AND dst = 'old'"
hw --db "$TMP/damaged.db" baseline diff approved
expect_rc 1 "a damaged carries fails baseline diff"
expect_err_has 'is damaged: table snapshot: dependencies of "web>old": carries is not a value highwater writes' \
	"... naming the dependency and the field"

done_testing
