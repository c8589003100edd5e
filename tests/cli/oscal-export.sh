#!/bin/bash
# oscal-export.sh: export --format oscal end to end: every system of the
# demo inventory (an asset with information types) exported, with and
# without --include-components, and validated against NIST's SSP JSON
# schema and the rules beyond it (tests/oscal-ssp-check.py, which is
# shown to fail on broken plans); exact values for two hand-checked
# systems; --depth and --include-components; version 5 UUIDs derived
# from the database id, stable across exports, a backup and a schema-6
# upgrade, and a new version 4 plan UUID each time; refusals with exact
# messages, and the file written atomically and owner-only.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

CHECK=$HW_SRCDIR/tests/oscal-ssp-check.py
SCHEMA=$HW_TESTDATA/oscal_ssp_schema-1.0.6.json

if ! "$PYTHON" -c 'import jsonschema, regex' 2>/dev/null; then
	echo "1..0 # SKIP python3-jsonschema and python3-regex are needed"
	exit 0
fi

demo_db
DBID=$(db_sql "$HIGHWATER_DB" "SELECT uuid FROM database_id")

# The plan without what changes on every export (its UUID and time).
STABLE='
import json, sys
d = json.load(open(sys.argv[1]))["system-security-plan"]
del d["uuid"], d["metadata"]["last-modified"]
print(json.dumps(d, sort_keys=True))'
stable() { "$PYTHON" -c "$STABLE" "$1"; }

# --- every system of the demo, validated ----------------------------
hw export
SYSTEMS=$(json_val '[a["id"] for a in d["assets"] if a.get("information_types")]' |
	"$PYTHON" -c 'import json, sys; print("\n".join(json.load(sys.stdin)))')
expect_eq "$(wc -l <<<"$SYSTEMS")" 36 "the demo has 36 systems (assets with information types)"
mkdir "$TMP/ssp"
failed=
for s in $SYSTEMS; do
	hw --quiet export --format oscal --system "$s" -o "$TMP/ssp/$s.json"
	[ "$RC" = 0 ] || failed+=" $s"
	hw --quiet export --format oscal --system "$s" --include-components \
		-o "$TMP/ssp/$s+components.json"
	[ "$RC" = 0 ] || failed+=" $s+components"
done
expect_eq "${failed:-none}" none "each exports, with and without --include-components"
expect_eq "$(find "$TMP/ssp" -name '*.json' | wc -l)" 72 "... 72 plans"
py_ok "all 72 validate against NIST's SSP schema and meet the stricter rules" \
	"import subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); print(r.stdout.strip() or r.stderr)" \
	"$PYTHON" "$CHECK" "$SCHEMA" "$TMP"/ssp/*.json

# --- the checker fails where it should ------------------------------
BREAK='
import json, sys
d = json.load(open(sys.argv[1]))
p = d["system-security-plan"]
sc = p["system-characteristics"]
how = sys.argv[3]
if how == "no-name":
    del sc["system-name"]
elif how == "bad-uuid":
    p["uuid"] = "not-a-uuid"
elif how == "bad-token":
    p["system-implementation"]["users"][0]["role-ids"] = ["9owner"]
elif how == "no-why":
    t = sc["system-information"]["information-types"][1]["confidentiality-impact"]
    del t["adjustment-justification"]
elif how == "no-selected":
    del sc["system-information"]["information-types"][0]["integrity-impact"]["selected"]
elif how == "no-impact":
    del sc["system-information"]["information-types"][0]["availability-impact"]
elif how == "sensitivity":
    sc["security-sensitivity-level"] = "fips-199-low"
elif how == "below":
    sc["security-impact-level"]["security-objective-integrity"] = "fips-199-low"
    sc["security-sensitivity-level"] = "fips-199-moderate"
elif how == "medium":
    sc["security-impact-level"]["security-objective-availability"] = "medium"
elif how == "party":
    p["metadata"]["parties"].pop()
json.dump(d, open(sys.argv[2], "w"))'
checker_finds() { # CASE NEEDLE: the checker names the broken plan's fault
	"$PYTHON" -c "$BREAK" "$TMP/ssp/customer-billing-payments.json" \
		"$TMP/broken.json" "$1"
	got=$("$PYTHON" "$CHECK" "$SCHEMA" "$TMP/broken.json" 2>&1)
	if [[ $got == *"$2"* ]]; then
		_result 1 "the checker finds a plan $1: $2"
	else
		_result 0 "the checker finds a plan $1: $2"
		diag "$got"
	fi
}
checker_finds no-name "schema: system-security-plan/system-characteristics: 'system-name' is a required property"
checker_finds bad-uuid "schema: system-security-plan/uuid: 'not-a-uuid' does not match"
checker_finds bad-token "schema: system-security-plan/system-implementation/users/0/role-ids/0: '9owner' does not match '^(\\\\p{L}|_)"
checker_finds no-why "information-types[1].confidentiality-impact: selected differs from base with no justification"
checker_finds no-selected "information-types[0].integrity-impact: no selected level"
# (schema 1.0.6 requires the three impacts; 1.1.x does not, the rule does)
checker_finds no-impact "information-types/0: 'availability-impact' is a required property"
checker_finds sensitivity "security-sensitivity-level is not the high-water mark of the impact levels"
checker_finds below "security-impact-level.integrity is below the information types' fips-199-moderate"
checker_finds medium "security-impact-level.availability: 'medium' is not fips-199-low, -moderate or -high"
checker_finds party "is not declared"

# --- customer-billing-payments by hand, at depth 1 --------------------
# Four types, C.2.5.2 (User Fee Collection, SP 800-60 L/L/M) adjusted
# to M/M/M with a justification; no implemented baseline recorded; six
# direct dependencies, two owners among them and it.
hw export --format oscal --system customer-billing-payments --depth 1
expect_rc 0 "export --format oscal --system to stdout"
expect_json '[d["system-security-plan"]["system-characteristics"][k] for k in ("system-name", "system-name-short", "security-impact-level", "security-sensitivity-level", "status")]' \
	'["Customer Billing & Payments","customer-billing-payments",{"security-objective-availability":"fips-199-moderate","security-objective-confidentiality":"fips-199-moderate","security-objective-integrity":"fips-199-moderate"},"fips-199-moderate",{"state":"operational"}]' \
	"its name, levels (the effective ones), overall level and status"
expect_json '[(t["categorizations"][0]["information-type-ids"], t["title"]) for t in d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"]]' \
	'[[["C.2.5.1"],"Debt Collection"],[["C.2.5.2"],"User Fee Collection"],[["C.3.2.5"],"Payments"],[["X.WTR.2"],"Customer Account and Billing Records"]]' \
	"its four information types"
expect_json '[d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"][1][o + "-impact"] for o in ("confidentiality", "integrity", "availability")]' \
	'[{"adjustment-justification":"Fee records include customer names, service addresses and autopay bank details (PII); billing errors trigger mass re-billing.","base":"fips-199-low","selected":"fips-199-moderate"},{"adjustment-justification":"Fee records include customer names, service addresses and autopay bank details (PII); billing errors trigger mass re-billing.","base":"fips-199-low","selected":"fips-199-moderate"},{"base":"fips-199-moderate","selected":"fips-199-moderate"}]' \
	"the adjusted type: base, selected, and the justification only where they differ"
expect_json '[t["categorizations"][0]["system"] for t in d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"]]' \
	"[\"https://doi.org/10.6028/NIST.SP.800-60v2r1\",\"https://doi.org/10.6028/NIST.SP.800-60v2r1\",\"https://doi.org/10.6028/NIST.SP.800-60v2r1\",\"urn:uuid:$DBID\"]" \
	"SP 800-60 types under SP 800-60, the organisation's own under the database's URN"
expect_json 'd["system-security-plan"]["import-profile"]["href"].rsplit("/", 1)[1]' \
	'"NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"' "the MODERATE baseline's profile"
CONTROL_STATES='sorted(__import__("collections").Counter(r["by-components"][0]["implementation-status"]["state"] for r in d["system-security-plan"]["control-implementation"]["implemented-requirements"]).items())'
expect_json "$CONTROL_STATES" '[["planned",287]]' "287 controls (MODERATE), all planned: no implemented baseline recorded"
expect_json '[(c["type"], c["title"]) for c in d["system-security-plan"]["system-implementation"]["components"]]' \
	'[["this-system","Customer Billing & Payments"],["software","AMI Head-End"],["software","Customer Information System (CIS)"],["service","Microsoft 365 (Exchange Online)"],["software","Meter Data Management (MDM)"],["service","Payment Gateway"],["software","Payment IVR"]]' \
	"--depth 1: 7 components, the system first, then its 6 dependencies by id"
expect_json '[[p["value"] for p in i["props"] if p["name"] == "asset-id"][0] for i in d["system-security-plan"]["system-implementation"]["inventory-items"]]' \
	'["customer-billing-payments","ami-headend","cis-billing","m365-email","meter-data-mgmt","payment-gateway","payment-ivr"]' \
	"... and 7 inventory items"
expect_json '[p["name"] for p in d["system-security-plan"]["metadata"]["parties"]]' \
	'["billing@rivertonwater.example","it-infra@rivertonwater.example"]' \
	"the owners in the boundary are the parties, by name"
expect_json 'd["system-security-plan"]["system-characteristics"]["authorization-boundary"]["description"]' \
	'"The asset customer-billing-payments and the 6 assets it depends on (within 1 hop), as recorded in highwater; each is a component and an inventory item of this plan."' \
	"the boundary described"

# cis-billing: HIGH (integrity), MODERATE recorded as implemented.
hw export --format oscal --system cis-billing --depth 1
expect_json '[d["system-security-plan"]["system-characteristics"]["security-impact-level"], d["system-security-plan"]["system-characteristics"]["security-sensitivity-level"]]' \
	'[{"security-objective-availability":"fips-199-moderate","security-objective-confidentiality":"fips-199-moderate","security-objective-integrity":"fips-199-high"},"fips-199-high"]' \
	"cis-billing: C moderate, I high, A moderate: HIGH"
expect_json "$CONTROL_STATES" '[["implemented",287],["planned",83]]' \
	"... 370 controls: the 287 of its MODERATE baseline implemented, 83 planned"
expect_json 'd["system-security-plan"]["control-implementation"]["description"]' \
	'"The SP 800-53B HIGH baseline, which the overall level requires: 370 controls, 287 implemented and 83 planned (implemented baseline recorded: MODERATE)."' \
	"... as the description says"
expect_json '[(r["control-id"], r["by-components"][0]["implementation-status"]["state"]) for r in d["system-security-plan"]["control-implementation"]["implemented-requirements"] if r["control-id"] in ("ac-2", "ac-2.11", "sc-7.21")]' \
	'[["ac-2","implemented"],["ac-2.11","planned"],["sc-7.21","planned"]]' \
	"... AC-2 implemented; AC-2(11) and SC-7(21), HIGH only, planned"

# --- --depth and --include-components -------------------------------
hw export --format oscal --system cis-billing
expect_json 'len(d["system-security-plan"]["system-implementation"]["components"])' 36 \
	"no --depth: the whole of what it depends on (36 assets)"
hw export --format oscal --system cis-billing --depth 0
expect_json '[c["type"] for c in d["system-security-plan"]["system-implementation"]["components"]]' \
	'["this-system"]' "--depth 0: the system alone"
hw export --format oscal --system field-mobile-app
expect_json '[len(d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"]), d["system-security-plan"]["system-characteristics"]["security-impact-level"]["security-objective-confidentiality"]]' \
	'[1,"fips-199-low"]' "field-mobile-app: one type of its own, confidentiality low"
hw export --format oscal --system field-mobile-app --include-components
expect_json '[len(d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"]), d["system-security-plan"]["system-characteristics"]["security-impact-level"]["security-objective-confidentiality"]]' \
	'[6,"fips-199-moderate"]' \
	"--include-components: six types, and confidentiality raised to their high-water mark (moderate)"

# --- UUIDs -----------------------------------------------------------
hw export --format oscal --system customer-billing-payments --depth 1
cp "$OUT_FILE" "$TMP/a.json"
py_ok "components', inventory items', parties' and the system's UUIDs are version 5 of the database id and the id" '
import json, sys, uuid
d = json.load(open(sys.argv[1]))["system-security-plan"]
ns = uuid.UUID(sys.argv[2])
v5 = lambda k: str(uuid.uuid5(ns, k))
si = d["system-implementation"]
ids = [[p["value"] for p in i["props"] if p["name"] == "asset-id"][0]
       for i in si["inventory-items"]]
bad = [c["title"] for c, i in zip(si["components"], ids)
       if c["uuid"] != v5("component:" + i)]
bad += [i for x, i in zip(si["inventory-items"], ids)
        if x["uuid"] != v5("inventory-item:" + i)]
bad += [p["name"] for p in d["metadata"]["parties"]
        if p["uuid"] != v5("party:" + p["name"])]
if d["system-characteristics"]["system-ids"][0]["id"] != v5("system:customer-billing-payments"):
    bad.append("system-id")
print("ok" if not bad and len(ids) == 7 else bad)
' "$TMP/a.json" "$DBID"
hw export --format oscal --system customer-billing-payments --depth 1
cp "$OUT_FILE" "$TMP/b.json"
expect_eq "$(stable "$TMP/b.json")" "$(stable "$TMP/a.json")" \
	"a second export is the same but for the plan's UUID and last-modified"
py_ok "the plan's UUID is new each time, version 4" '
import json, sys
a, b = (json.load(open(f))["system-security-plan"]["uuid"] for f in sys.argv[1:])
print("ok" if a != b and a[14] == b[14] == "4" and a[19] in "89ab" else (a, b))
' "$TMP/a.json" "$TMP/b.json"

if on_sqlite "a backup, and a schema-6 file upgraded"; then
hw backup "$TMP/copy.db"
expect_rc 0 "backup"
expect_eq "$(sqlite3 "$TMP/copy.db" "SELECT uuid FROM database_id")" "$DBID" \
	"the backup keeps the database id"
hw --db "$TMP/copy.db" export --format oscal --system customer-billing-payments --depth 1
expect_eq "$(stable "$OUT_FILE")" "$(stable "$TMP/a.json")" \
	"... and an export from it is the same"

# A database of schema 6 (no id) upgraded: it gets one, and keeps it.
cp "$HIGHWATER_DB" "$TMP/v6.db"
hw_drop_triggers "$TMP/v6.db"
sqlite3 "$TMP/v6.db" "DROP TABLE database_id; PRAGMA user_version = 6" ||
	echo "Bail out! v6"
hw --db "$TMP/v6.db" upgrade
expect_rc 0 "a schema-6 database upgrades"
V6ID=$(sqlite3 "$TMP/v6.db" "SELECT uuid FROM database_id")
ok_if "... and gets a version 4 database id of its own ($V6ID)" \
	"$PYTHON" -c 'import sys, uuid; u = uuid.UUID(sys.argv[1]); sys.exit(not (u.version == 4 and str(u) == sys.argv[1] and sys.argv[1] != sys.argv[2]))' "$V6ID" "$DBID"
hw --db "$TMP/v6.db" export --format oscal --system customer-billing-payments --depth 1
cp "$OUT_FILE" "$TMP/v6-a.json"
hw --db "$TMP/v6.db" asset set payment-ivr name="IVR Payments"
hw --db "$TMP/v6.db" export --format oscal --system customer-billing-payments --depth 1
expect_eq "$(sqlite3 "$TMP/v6.db" "SELECT uuid FROM database_id")" "$V6ID" \
	"... which stays after later writes"
py_ok "... and its exports keep their UUIDs, derived from it" '
import json, sys, uuid
a, b = (json.load(open(f))["system-security-plan"] for f in sys.argv[1:3])
ua = [c["uuid"] for c in a["system-implementation"]["components"]]
ub = [c["uuid"] for c in b["system-implementation"]["components"]]
want = str(uuid.uuid5(uuid.UUID(sys.argv[3]), "component:customer-billing-payments"))
print("ok" if ua == ub and ua[0] == want else (ua, ub, want))
' "$TMP/v6-a.json" "$OUT_FILE" "$V6ID"
fi

# --- status, from the asset -------------------------------------------
SYS_STATUS='[d["system-security-plan"]["system-characteristics"].get(k) for k in ("status", "date-authorized")]'
hw_setup --quiet asset set lims authorized=no
hw export --format oscal --system lims --depth 0
expect_json "$SYS_STATUS" '[{"remarks":"Not authorized into production.","state":"other"},null]' \
	"a system not authorized: state other, and why"
hw_setup --quiet asset set lims end_of_life=2020-01-31
hw export --format oscal --system lims --depth 0
expect_json "$SYS_STATUS" '[{"remarks":"End of life since 2020-01-31.","state":"disposition"},null]' \
	"past its end of life: disposition"
hw_setup --quiet asset authorize lims
hw_setup --quiet asset set lims end_of_life=
hw export --format oscal --system lims --depth 0
TODAY=$(date -u +%Y-%m-%d)
expect_json "$SYS_STATUS" "[{\"remarks\":\"Authorized by tester on $TODAY.\",\"state\":\"operational\"},\"$TODAY\"]" \
	"authorized: operational, by whom and when, and date-authorized"
hw export --format oscal --system customer-billing-payments
expect_json 'sorted(set(c["title"] + ": " + c["status"]["state"] for c in d["system-security-plan"]["system-implementation"]["components"] if c["status"]["state"] != "operational"))' \
	'[]' "customer-billing-payments' components are all operational"
hw export --format oscal --system drinking-water-treatment
cp "$OUT_FILE" "$TMP/dwt.json"
hw export
py_ok "drinking-water-treatment: the components past their end of life (its HMIs among them) are in disposition, the rest operational" '
import datetime, json, sys
p = json.load(open(sys.argv[1]))["system-security-plan"]["system-implementation"]
inv = {a["id"]: a for a in json.load(open(sys.argv[2]))["assets"]}
today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
bad = []
for c, i in zip(p["components"], p["inventory-items"]):
    a = inv[[x["value"] for x in i["props"] if x["name"] == "asset-id"][0]]
    eol = a.get("end_of_life")
    want = ({"state": "disposition", "remarks": "End of life since %s." % eol}
            if eol and eol <= today else {"state": "operational"})
    if c["status"] != want and a["id"] != "lims":  # authorized above
        bad.append((a["id"], c["status"], want))
dead = [c["title"] for c in p["components"] if c["status"]["state"] == "disposition"]
print("ok" if not bad and "Control Room HMI 01" in dead and len(dead) >= 2 else (bad, dead))
' "$TMP/dwt.json" "$OUT_FILE"

# --- long texts, whole ---------------------------------------------
# Texts longer than a fixed buffer, of two-byte characters at an odd
# offset: cut short they would end inside a character, which is not
# UTF-8 (the export then failed with "out of memory").
LONG_NAME=a$(printf '\303\251%.0s' $(seq 200))
LONG_BY=b$(printf '\303\251%.0s' $(seq 120))
LONG_CAT=c$(printf '\303\251%.0s' $(seq 127))
hw_setup --quiet asset add wide --name "$LONG_NAME" --type application
hw_setup --quiet infotype add X.1 --name "Wide" --category "$LONG_CAT" --c low --i low --a low
hw_setup --quiet infotype assign wide X.1
hw_setup --quiet --actor "$LONG_BY" asset authorize wide
hw export --format oscal --system wide --depth 0
expect_rc 0 "a system whose name, authorizer and type's category are long multi-byte texts exports"
expect_json '[d["system-security-plan"]["metadata"]["title"], d["system-security-plan"]["system-characteristics"]["status"]["remarks"], d["system-security-plan"]["system-characteristics"]["system-information"]["information-types"][0]["description"]]' \
	"$("$PYTHON" -c 'import json, sys; print(json.dumps([sys.argv[1] + " System Security Plan", "Authorized by %s on %s." % (sys.argv[2], sys.argv[4]), "The organisation'"'"'s own information type X.1 (%s)." % sys.argv[3]], separators=(",", ":")))' "$LONG_NAME" "$LONG_BY" "$LONG_CAT" "$(date -u +%Y-%m-%d)")" \
	"... with the title, the status remarks and the type's description whole"

# --- refusals --------------------------------------------------------
hw_setup --quiet asset add lonely --name "Lonely" --type server
hw_setup --quiet asset add half --name "Half" --type server --c high
refuse "an asset with no information type and no level" \
	"highwater: export: 'lonely' is not a system: it has no information type and no confidentiality, integrity or availability level (expected at least one information type) (hint: highwater infotype assign lonely TYPE-ID)" \
	-- export --format oscal --system lonely
refuse "... with some levels: it names those missing" \
	"highwater: export: 'half' is not a system: it has no information type and no integrity or availability level (expected at least one information type) (hint: highwater infotype assign half TYPE-ID)" \
	-- export --format oscal --system half
refuse "an asset with all three levels but no information type" \
	"highwater: export: 'fw-it-ot-01' is not a system: it has no information type (expected at least one) (hint: highwater infotype assign fw-it-ot-01 TYPE-ID)" \
	-- export --format oscal --system fw-it-ot-01
refuse "an unknown asset" "highwater: export: unknown asset 'nope'" \
	-- export --format oscal --system nope -o "$TMP/nope.json"
ok_if "... and no file is left" test ! -e "$TMP/nope.json"
refuse_usage "--format oscal needs --system" \
	"highwater: export: --format oscal needs --system ASSET" -- export --format oscal
refuse_usage "--system needs --format oscal" \
	"highwater: export: --system, --depth and --include-components go with --format oscal" \
	-- export --system cis-billing
refuse_usage "a bad --depth" "highwater: export: --depth: \"-1\" is not a count" \
	-- export --format oscal --system cis-billing --depth -1
refuse_usage "an unknown format" \
	"highwater: export: unknown format \"xml\" (expected json, csv or oscal)" -- export --format xml

# A damaged database id: refused, naming it.
cp "$HIGHWATER_DB" "$TMP/noid.db"
db_sql "$TMP/noid.db" "DELETE FROM database_id" || echo "Bail out! noid"
hw --db "$TMP/noid.db" export --format oscal --system cis-billing
expect_err_eq "highwater: export: '$TMP/noid.db' is damaged: table database_id: no database id (expected one UUID) (hint: highwater doctor)" \
	"a database whose id was deleted: refused, naming the table"
expect_eq "$RC:$OUT" 1: "... exit 1, nothing written"
if on_sqlite "an id edited past its CHECK"; then
cp "$HIGHWATER_DB" "$TMP/badid.db"
sqlite3 "$TMP/badid.db" "PRAGMA ignore_check_constraints = ON; UPDATE database_id SET uuid = 'x'" ||
	echo "Bail out! badid"
hw --db "$TMP/badid.db" export --format oscal --system cis-billing
expect_err_eq "highwater: export: '$TMP/badid.db' is damaged: table database_id: the database's id \"x\" is not a UUID (hint: highwater doctor)" \
	"... and one edited into something else"
fi

# --- the file ----------------------------------------------------------
hw export --format oscal --system cis-billing -o "$TMP/plan.json"
expect_err_eq "exported to $TMP/plan.json" "-o FILE: says where"
expect_eq "$(stat -c %a "$TMP/plan.json")" 600 "... written owner-only"
hw export --format oscal --system cis-billing
expect_eq "$(stable "$TMP/plan.json")" "$(stable "$OUT_FILE")" "... the same plan as on stdout"
refuse "an existing file" "'$TMP/plan.json' already exists (use --force to overwrite it)" \
	-- export --format oscal --system cis-billing -o "$TMP/plan.json"
hw export --format oscal --system cis-billing -o "$TMP/plan.json" --force
expect_rc 0 "... replaced with --force"
expect_eq "$(find "$TMP" -maxdepth 1 -name 'plan.json.tmp*' | wc -l)" 0 "... leaving no temporary file"

done_testing
