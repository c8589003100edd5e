#!/bin/bash
# catalogue.sh: information types in inventory files.  The shipped SP
# 800-60 catalogue is reference data (a file may give a shipped type only
# as shipped; --replace never removes one), and a change to an own type's
# levels changes the assets that hold it without an adjustment.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# The shipped C.2.4.1 as the catalogue has it.
C241='"id": "C.2.4.1", "name": "Contingency Planning", "confidentiality": "moderate", "integrity": "moderate", "availability": "moderate"'
shipped_c241() {
	hw --json infotype list C.2.4.1
	expect_json 'd["information_types"]' \
		'[{"catalogue":true,"category":"Internal Risk Management and Mitigation","id":"C.2.4.1","name":"Contingency Planning","provisional":{"availability":"moderate","confidentiality":"moderate","integrity":"moderate"}}]' \
		"$1"
}
doc() { # doc TYPES ASSETS: an inventory document
	printf '{"format": "highwater-inventory", "version": 1, "information_types": [%s], "assets": [%s]}\n' "$1" "$2"
}

hw_setup --quiet init
hw_setup --quiet asset add app --name App --type application

# --- the shipped catalogue cannot be hijacked --------------------------------
doc '{"id": "X.1", "name": "Own", "confidentiality": "low", "integrity": "low", "availability": "low"}, {"id": "C.2.4.1", "name": "Hijack", "confidentiality": "low", "integrity": "low", "availability": "low"}' '' >"$TMP/hijack.json"
refuse "a file renaming a shipped type is refused, naming the JSON path" \
	"hijack.json'" "information_types[1].name" "'C.2.4.1'" "shipped SP 800-60 catalogue" -- \
	import "$TMP/hijack.json"
shipped_c241 "... and C.2.4.1 is still the shipped type"

doc "{$C241, \"confidentiality\": \"high\"}" '' | sed 's/"confidentiality": "moderate", //' >"$TMP/levels.json"
refuse "a file changing a shipped type's level is refused" \
	"levels.json'" "information_types[0].confidentiality" -- import "$TMP/levels.json"
doc '{"id": "C.3.5.9", "name": "Information Sharing", "confidentiality": "low", "integrity": "low", "availability": "low"}' '' >"$TMP/nolevels.json"
refuse "a file giving levels to a shipped type without levels is refused" \
	"nolevels.json'" "information_types[0].confidentiality" -- import "$TMP/nolevels.json"
doc "{$C241, \"category\": \"Mine\"}" '' >"$TMP/category.json"
refuse "a file changing a shipped type's category is refused" \
	"category.json'" "information_types[0].category" -- import "$TMP/category.json"

printf '%s\n' '{"format": "highwater-inventory", "version": 1}' \
	'{"information_type": {"id": "X.1", "name": "Own", "confidentiality": "low", "integrity": "low", "availability": "low"}}' \
	'{"information_type": {"id": "C.2.4.1", "name": "Contingency Planning", "confidentiality": "moderate", "integrity": "moderate", "availability": "high"}}' \
	>"$TMP/hijack.jsonl"
refuse "JSON Lines: the error names the line and the member" \
	"hijack.jsonl' line 3" "information_type.availability" "'C.2.4.1'" -- \
	import "$TMP/hijack.jsonl"

doc "{$C241}, {$C241, \"category\": \"Internal Risk Management and Mitigation\"}" '' |
	sed 's/}, {"id": "C.2.4.1"/}, {"id": "X.2"/' >"$TMP/same.json"
hw import "$TMP/same.json"
expect_eq "$RC:$ERR" "0:" "a shipped type given exactly as shipped is accepted"
shipped_c241 "... as a no-op: still a catalogue type"

doc '{"id": "X.9", "name": "Other", "confidentiality": "low", "integrity": "low", "availability": "low"}' '' >"$TMP/own.json"
hw import "$TMP/own.json" --replace
hw --json infotype list
expect_json '[len(d["information_types"]), [t["id"] for t in d["information_types"] if not t["catalogue"]]]' \
	'[170,["X.9"]]' "import --replace removes own types, never shipped ones"
doc "{$C241}" '' >"$TMP/only-shipped.json"
hw import "$TMP/only-shipped.json" --replace
hw --json infotype list
expect_json '[len(d["information_types"]), all(t["catalogue"] for t in d["information_types"])]' \
	'[169,true]' "... even when the file gives a shipped type"
shipped_c241 "... and the shipped type stays as shipped"
refuse "infotype add with a shipped id is refused" "C.2.4.1" "already exists" -- \
	infotype add C.2.4.1 --name Hijack --c low --i low --a low

# --- an own type's levels: assignments follow them ---------------------------
SENS='{"id": "X.SENS", "name": "Sensor data", "confidentiality": "na", "integrity": "high", "availability": "high"}'
doc "$SENS" '{"id": "scada", "name": "SCADA", "type": "application", "information_types": [{"id": "X.SENS"}]},
 {"id": "hmi", "name": "HMI", "type": "application", "information_types": [{"id": "X.SENS", "confidentiality": "moderate", "integrity": "high", "availability": "high", "justification": "operators read it"}]},
 {"id": "pinned", "name": "Pinned", "type": "server", "information_types": [{"id": "X.SENS", "confidentiality": "high", "integrity": "moderate", "availability": "moderate", "justification": "our own judgement"}]}' \
	>"$TMP/sens.json"
hw_setup --quiet import "$TMP/sens.json" --replace
doc '{"id": "X.SENS", "name": "Sensor data", "confidentiality": "low", "integrity": "low", "availability": "low"}' '' >"$TMP/low.json"
hw import "$TMP/low.json"
expect_rc 0 "an own type's levels change"
hw asset show scada
expect_out_has "C/I/A low/low/low (provisional)" "an unadjusted assignment follows the new levels"
hw --json categorize scada
expect_json '[d["assets"][0]["own"], d["assets"][0]["overall"]]' \
	'[{"availability":"low","confidentiality":"low","integrity":"low"},"low"]' \
	"... and so does the asset's categorization"
hw --json asset show hmi
expect_json '[d["information_types"][0]["selected"], d["information_types"][0]["base"], d["information_types"][0]["justification"]]' \
	'[{"availability":"low","confidentiality":"moderate","integrity":"low"},{"availability":"low","confidentiality":"low","integrity":"low"},"operators read it"]' \
	"an adjusted objective keeps its level and justification, the others follow"
hw --json asset show pinned
expect_json 'd["information_types"][0]["selected"]' \
	'{"availability":"moderate","confidentiality":"high","integrity":"moderate"}' \
	"an assignment adjusted on every objective keeps all three"

hw export
cp "$OUT_FILE" "$TMP/export.json"
hw --db "$TMP/copy.db" --quiet init
hw --db "$TMP/copy.db" import "$TMP/export.json"
for a in scada hmi pinned; do
	hw --json categorize "$a"
	want=$OUT
	hw --db "$TMP/copy.db" --json categorize "$a"
	expect_eq "$OUT" "$want" "the export re-imports to the same categorization of $a"
done
hw --db "$TMP/copy.db" export
expect_out_file "$TMP/export.json" "... and exports the same file"

doc '{"id": "X.SENS", "name": "Sensor data"}' '' >"$TMP/none.json"
refuse "taking all levels away from a type assets follow is refused, naming the asset" \
	"none.json'" "information_types[0]" "'X.SENS'" "asset 'hmi'" -- import "$TMP/none.json"
hw_setup --quiet infotype assign scada X.SENS --c moderate --i high --a high --why "set by hand"
hw_setup --quiet infotype assign hmi X.SENS --c moderate --i high --a high --why "set by hand"
hw import "$TMP/none.json"
expect_eq "$RC:$ERR" "0:" "once no assignment follows it, a type may lose its levels"
hw --json asset show hmi
expect_json '[d["information_types"][0]["selected"], d["information_types"][0]["base"]]' \
	'[{"availability":"high","confidentiality":"moderate","integrity":"high"},{"availability":null,"confidentiality":null,"integrity":null}]' \
	"... and the assets keep the levels they give"
hw export
cp "$OUT_FILE" "$TMP/export2.json"
hw --db "$TMP/copy2.db" --quiet init
hw --db "$TMP/copy2.db" import "$TMP/export2.json"
hw --db "$TMP/copy2.db" export
expect_out_file "$TMP/export2.json" "... and the export still imports to the same inventory"
hw_setup --quiet asset add given --name Given --type server
hw_setup --quiet infotype assign given X.SENS --c high --i high --a high
refuse "giving the type levels that an asset's given levels differ from, with no justification, is refused" \
	"low.json'" "asset 'given'" "justification" -- import "$TMP/low.json"

done_testing
