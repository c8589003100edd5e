#!/bin/bash
# import-history.sh: the inventory file's changes and incidents sections
# (issue 11, item 6): imported with their own numbers, states, results
# and times, exported after the inventory in id order, round trips
# through export and import (document and JSON Lines), bad history
# refused with its JSON path, --replace replacing history too.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

HIST=$TMP/hist.json
cat >"$HIST" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "app", "name": "App", "type": "application", "integrity": "high"},
            {"id": "db", "name": "DB", "type": "database"}],
 "dependencies": [{"from": "app", "to": "db", "type": "stores_data_in"}],
 "changes": [
  {"id": "CHG-0001", "title": "Patch DB", "targets": ["db"], "requester": "ana",
   "created": "2026-06-02T09:00:00Z", "state": "closed", "result": "failed",
   "edits": [{"kind": "set", "asset": "db", "field": "owner", "value": "dba@example.org"}],
   "decided_by": "bo", "chair": "cab", "decided_at": "2026-06-04T15:00:00Z",
   "reason": "ok", "implemented_by": "ana", "implemented_at": "2026-06-09T22:00:00+02:00",
   "closed_at": "2026-06-10"},
  {"id": "CHG-0002", "title": "Caf\u00e9 link", "targets": ["app", "db"], "requester": "ana",
   "created": "2026-07-01T10:00:00Z", "state": "new", "x-ticket": "T-9",
   "edits": [{"kind": "add-dep", "from": "app", "to": "db", "type": "uses", "carries": "ci"}]}],
 "incidents": [
  {"id": "INC-0002", "asset": "app", "title": "Slow", "opened": "2026-07-03T06:00:00Z",
   "reporter": "ops"},
  {"id": "INC-0001", "asset": "db", "title": "DB down", "opened": "2026-06-10T06:00:00Z",
   "resolved": "2026-06-10T09:30:00Z", "change": "CHG-0001", "reporter": "ops"}]}
EOF

# --- import and export -------------------------------------------------------------
hw_setup --quiet init
hw import "$HIST"
expect_eq "$RC:$OUT" \
	"0:imported 0 information types, 2 assets, 1 dependency, 2 changes, 2 incidents from $HIST" \
	"an import with history reports its changes and incidents"
hw export
cp "$OUT_FILE" "$TMP/export1.json"
expect_json '[k for k in d]' \
	'["assets","changes","dependencies","format","incidents","information_types","version"]' \
	"the export carries the changes and incidents sections"
expect_json '[c["id"] for c in d["changes"]] + [i["id"] for i in d["incidents"]]' \
	'["CHG-0001","CHG-0002","INC-0001","INC-0002"]' "history is exported in id order"
expect_json 'd["changes"][0]' \
	'{"chair":"cab","closed_at":"2026-06-10T00:00:00Z","created":"2026-06-02T09:00:00Z","decided_at":"2026-06-04T15:00:00Z","decided_by":"bo","edits":[{"asset":"db","field":"owner","kind":"set","value":"dba@example.org"}],"id":"CHG-0001","implemented_at":"2026-06-09T20:00:00Z","implemented_by":"ana","reason":"ok","requester":"ana","result":"failed","state":"closed","targets":["db"],"title":"Patch DB"}' \
	"a closed change keeps its own times (in UTC), state, result and edits"
expect_json 'd["incidents"][0]' \
	'{"asset":"db","change":"CHG-0001","id":"INC-0001","opened":"2026-06-10T06:00:00Z","reporter":"ops","resolved":"2026-06-10T09:30:00Z","title":"DB down"}' \
	"an incident keeps its times, change and reporter"

hw import "$HIST"
hw export
expect_out_file "$TMP/export1.json" "importing the same history again changes nothing"

hw --db "$TMP/copy.db" --quiet init
hw --db "$TMP/copy.db" import "$TMP/export1.json"
hw --db "$TMP/copy.db" export
expect_out_file "$TMP/export1.json" "export -> import into a fresh database -> export is identical, history included"

# The same as JSON Lines.
"$PYTHON" - "$TMP/export1.json" "$TMP/hist.jsonl" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write(json.dumps({"format": d["format"], "version": d["version"]}) + "\n")
    for key, line in (("information_types", "information_type"), ("assets", "asset"),
                      ("dependencies", "dependency"), ("changes", "change"),
                      ("incidents", "incident")):
        for x in d.get(key, []):
            f.write(json.dumps({line: x}) + "\n")
EOF
hw --db "$TMP/lines.db" --quiet init
hw --db "$TMP/lines.db" import "$TMP/hist.jsonl"
expect_eq "$RC:$OUT" \
	"0:imported 0 information types, 2 assets, 1 dependency, 2 changes, 2 incidents from $TMP/hist.jsonl" \
	"JSON Lines: {\"change\": ...} and {\"incident\": ...} lines import"
hw --db "$TMP/lines.db" export
expect_out_file "$TMP/export1.json" "JSON Lines gives the same history as the document"

# --- bad history: one line, the JSON path, nothing written ------------------------------------
bad() { # FILE PYTHON-EDIT: a copy of the history file with d edited
	"$PYTHON" - "$HIST" "$TMP/$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
	echo "$TMP/$1"
}
hw_setup --quiet --db "$TMP/empty.db" init
export HIGHWATER_DB=$TMP/empty.db
refuse "an unknown key in a change" 'changes[1]' '"colour"' '"x-"' -- \
	import "$(bad key.json 'd["changes"][1]["colour"] = "red"')"
refuse "an unknown state" 'changes[0].state' '"done"' 'expected new, assessed' -- \
	import "$(bad state.json 'd["changes"][0]["state"] = "done"')"
refuse "an unknown result" 'changes[0].result' '"great"' -- \
	import "$(bad result.json 'd["changes"][0]["result"] = "great"')"
refuse "a result on a change that is not closed" 'changes[1].result' 'only for a closed change' -- \
	import "$(bad open-result.json 'd["changes"][1]["result"] = "success"')"
refuse "a closed change without its result" 'changes[0]' 'needs its "result"' -- \
	import "$(bad no-result.json 'del d["changes"][0]["result"]')"
refuse "a bad time" 'changes[0].created' -- \
	import "$(bad time.json 'd["changes"][0]["created"] = "yesterday"')"
refuse "a change id repeated" 'changes[1].id' 'CHG-0001 is in the file twice' 'index 0' -- \
	import "$(bad twice.json 'd["changes"][1]["id"] = "CHG-0001"')"
refuse "an incident resolved before it was opened" 'incidents[1].resolved' 'before it was opened' -- \
	import "$(bad resolved.json 'd["incidents"][1]["resolved"] = "2026-06-10T05:59:59Z"')"
refuse "an incident naming an unknown change" 'incidents[1].change' 'unknown change CHG-0009' -- \
	import "$(bad unknown.json 'd["incidents"][1]["change"] = "CHG-9"')"
refuse "an incident id repeated" 'incidents[1].id' 'INC-0002 is in the file twice' -- \
	import "$(bad inc-twice.json 'd["incidents"][1]["id"] = "INC-2"')"
refuse "a bad edit names its place" 'changes[0].edits[0]' -- \
	import "$(bad edit.json 'd["changes"][0]["edits"][0]["kind"] = "paint"')"
refuse "a closed change without its closed_at" 'changes[0]' 'needs its "closed_at"' -- \
	import "$(bad no-closed.json 'del d["changes"][0]["closed_at"]')"
refuse "a change closed failed without its implemented_at" 'changes[0]' 'needs its "implemented_at"' -- \
	import "$(bad no-impl.json 'del d["changes"][0]["implemented_at"]')"
printf '{"format": "highwater-inventory", "version": 1}\n{"incident": {"id": "INC-0001", "asset": "db", "title": "t", "opened": "2026-01-02", "resolved": "2026-01-01"}}\n' >"$TMP/bad.jsonl"
refuse "JSON Lines: a bad incident names its line" "bad.jsonl' line 2" 'incident.resolved' -- \
	import "$TMP/bad.jsonl"
unset HIGHWATER_DB

# --- --replace replaces history -----------------------------------------------------
export HIGHWATER_DB=$TMP/copy.db
hw import --replace "$HW_TESTDATA/cli-small.json"
hw export
expect_json '["changes" in d, "incidents" in d, len(d["assets"])]' '[false,false,3]' \
	"import --replace of a file without history removes the history"
hw import --replace "$TMP/export1.json"
hw export
expect_out_file "$TMP/export1.json" "import --replace of the export brings it all back"
refuse "an imported change closed failed cannot be reverted: it has no undo" \
	'CHG-0001 was not implemented by highwater' 'revert them by hand' -- \
	change revert CHG-0001

done_testing
