#!/bin/bash
# asset.sh: asset add/set/rm/show/list, their exact output, and every bad
# input refused with one line on stderr and an unchanged database.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init

# --- add ------------------------------------------------------------------
hw asset add web --name "Web site" --type application \
	--owner ops@example.org --description "Public web site" \
	--internet-facing --c low --i moderate --a moderate
expect_eq "$RC:$OUT" "0:added asset 'web'" "asset add prints \"added asset 'web'\""

hw asset add db --name "Customer DB" --type database \
	--owner dba@example.org --c HIGH --i h --a Moderate
expect_out_eq "added asset 'db'" "levels are accepted in any case and abbreviated"
hw_setup asset add srv --name "Server 1" --type server
hw_setup asset add laptop --name Laptop --type endpoint --c l --i l --a l
hw_setup dep add web db --type uses
hw_setup dep add db srv --type runs_on --carries ia

long64=$(printf 'a%.0s' $(seq 64))
hw asset add "$long64" --name "Long id" --type other --c low --i low --a low
expect_rc 0 "a 64-character id is accepted"
hw_setup asset rm "$long64"

# --- show -------------------------------------------------------------------
# The audit trail's time of the last write varies: TIME stands for it.
show_timeless() {
	hw asset show "$1"
	OUT=$(printf '%s\n' "$OUT" |
		sed 's/^\(changed      last by .* at \)[0-9T:.-]*Z$/\1TIME/')
}
show_timeless db
expect_out_eq "asset        db
name         Customer DB
type         database
owner        dba@example.org
internet     no
changed      last by tester at TIME
risk factors (no data)
direct       C high, I high, A moderate
information types  (none)
depends on
     srv  runs_on  ia
dependents
     web  uses  cia
categorization
db
  own        SC db = {(confidentiality, HIGH), (integrity, HIGH), (availability, MODERATE)}
  effective  SC db = {(confidentiality, HIGH), (integrity, HIGH), (availability, MODERATE)}
  overall    HIGH, SP 800-53B HIGH baseline" "asset show db: exact output"

# srv has no levels of its own; db runs on it carrying integrity and
# availability only, so confidentiality stays uncategorized.
show_timeless srv
expect_out_eq "asset        srv
name         Server 1
type         server
owner        (none)
internet     no
changed      last by tester at TIME
risk factors (no data)
direct       C -, I -, A -
information types  (none)
depends on   (nothing)
dependents
     db  runs_on  ia
categorization
srv
  own        SC srv = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC srv = {(confidentiality, UNCATEGORIZED), (integrity, HIGH), (availability, MODERATE)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     integrity to HIGH by db: db -> srv
  raised     availability to MODERATE by db: db -> srv" \
	"asset show of an asset without levels says UNCATEGORIZED and what it inherits"

hw --json asset show web
expect_json '[d["id"], d["own"], d["overall"], d["baseline"], d["uncategorized"], d["internet_facing"], d["owner"], d["description"]]' \
	'["web",{"availability":"moderate","confidentiality":"low","integrity":"moderate"},"moderate","MODERATE",false,true,"ops@example.org","Public web site"]' \
	"asset show --json web: own levels, overall, baseline, flags"
expect_json '[d["depends_on"], d["dependents"]]' \
	'[[{"asset":"db","carries":"cia","type":"uses"}],[]]' \
	"asset show --json web: its dependencies"

hw asset show srv --json
expect_json '[d["own"], d["overall"], d["baseline"], d["uncategorized"], d["owner"]]' \
	'[{"availability":null,"confidentiality":null,"integrity":null},null,null,true,null]' \
	"asset show --json of an uncategorized asset: nulls and uncategorized true"
expect_json 'd["categorization"]' \
	'{"baseline":"HIGH","baseline_exact":true,"effective":{"availability":"moderate","confidentiality":null,"integrity":"high"},"id":"srv","on_cycle":false,"overall":"high","overall_exact":true,"own":{"availability":null,"confidentiality":null,"integrity":null},"own_overall":null,"own_overall_exact":false,"raised_by":{"availability":{"asset":"db","path":["db","srv"]},"integrity":{"asset":"db","path":["db","srv"]}},"uncategorized":true}' \
	"asset show --json: categorization with inherited levels and raised_by"

# --- list ---------------------------------------------------------------------
hw asset list
expect_out_eq "ID      TYPE         C     I         A         OVERALL        OWNER            NAME
db      database     high  high      moderate  high           dba@example.org  Customer DB
laptop  endpoint     low   low       low       low            (none)           Laptop
srv     server       -     -         -         uncategorized  (none)           Server 1
web     application  low   moderate  moderate  moderate       ops@example.org  Web site
4 assets" "asset list: exact table"

hw --json asset list
expect_json '[[a["id"], a["overall"], a["baseline"], a["uncategorized"]] for a in d["assets"]]' \
	'[["db","high","HIGH",false],["laptop","low","LOW",false],["srv",null,null,true],["web","moderate","MODERATE",false]]' \
	"asset list --json: ids, overall, baseline, uncategorized"

ids='[a["id"] for a in d["assets"]]'
hw --json asset list --type server
expect_json "$ids" '["srv"]' "asset list --type server"
hw --json asset list --owner ops@example.org
expect_json "$ids" '["web"]' "asset list --owner"
hw --json asset list --no-owner
expect_json "$ids" '["laptop","srv"]' "asset list --no-owner"
hw --json asset list --level HIGH
expect_json "$ids" '["db"]' "asset list --level high"
hw --json asset list --level low --no-owner
expect_json "$ids" '["laptop"]' "asset list filters combine"
hw --json asset list --uncategorized
expect_json "$ids" '["srv"]' "asset list --uncategorized"
hw --json asset list --offset 1 --limit 2
expect_json "$ids" '["laptop","srv"]' "asset list --offset --limit: a page in id order"
hw --json asset list --no-owner --offset 1
expect_json "$ids" '["srv"]' "asset list --offset counts only what passes the filters"
hw --json asset list --limit 0
expect_json "$ids" '["db","laptop","srv","web"]' "asset list --limit 0: no limit"
hw asset list --ids --limit 1
expect_eq "$RC:$OUT" "0:db" "asset list --ids --limit 1: the first id"
refuse_usage "asset list --limit -1" "--limit: \"-1\" is not a count (expected 0 to 1000000000)" -- \
	asset list --limit -1

# --- set ------------------------------------------------------------------------
hw asset set srv owner=infra@example.org i=high c=moderate a=low name="Server one"
expect_eq "$RC:$OUT" "0:updated asset 'srv'" "asset set prints \"updated asset 'srv'\""
hw --json asset show srv
expect_json '[d["name"], d["owner"], d["own"], d["overall"], d["baseline"], d["uncategorized"]]' \
	'["Server one","infra@example.org",{"availability":"low","confidentiality":"moderate","integrity":"high"},"high","HIGH",false]' \
	"asset set changed name, owner and levels"

hw_setup asset set web owner= description= internet_facing=no
hw --json asset show web
expect_json '[d["owner"], d["description"], d["internet_facing"]]' '[null,null,false]' \
	"asset set with empty values clears owner and description"

# --- bad input: exit 1, one line naming the value, nothing changed -----------------
refuse "unknown level 'hihg' on asset add" '"hihg"' 'low, moderate, high' -- \
	asset add x --name X --type server --c hihg
refuse "unknown level 'hihg' on asset set" '"hihg"' 'low, moderate, high' -- \
	asset set web i=hihg
refuse "na is not an asset level (asset add --c na)" '"na"' 'low, moderate, high' -- \
	asset add x --name X --type server --c na
refuse "na is not an asset level (asset set c=na)" '"na"' 'low, moderate, high' -- \
	asset set web c=na
refuse "duplicate asset id" "'web' already exists" -- \
	asset add web --name Other --type server
refuse "invalid asset id with a space" '"a b"' '1-64 characters' -- \
	asset add "a b" --name X --type server
refuse "invalid asset id of 65 characters" "\"${long64:0:60}" '1-64 characters' -- \
	asset add "${long64}b" --name X --type server
refuse "invalid empty asset id" 'invalid asset id ""' '1-64 characters' -- \
	asset add "" --name X --type server
refuse "unknown field in asset set" '"colour"' 'expected name, type, owner' -- \
	asset set web colour=red
refuse "a bad field after a good one changes nothing" '"colour"' -- \
	asset set web name=Changed colour=red
refuse "unknown asset type on asset add" '"toaster"' 'business_service, application' -- \
	asset add x --name X --type toaster
refuse "unknown asset type on asset set" '"toaster"' 'business_service, application' -- \
	asset set web type=toaster
refuse "asset set on an unknown asset" "unknown asset 'nope'" -- \
	asset set nope owner=x

# --- rm ------------------------------------------------------------------------------
refuse "asset rm is refused while others depend on it" "depends on 'db'" '--force' -- \
	asset rm db
hw asset rm db --force
expect_eq "$RC:$OUT" "0:removed asset 'db'" "asset rm --force removes it"
hw --json dep list
expect_json 'd["dependencies"]' '[]' "... together with the dependencies touching it"
hw asset rm laptop
expect_out_eq "removed asset 'laptop'" "asset rm of an asset nothing depends on"
hw --json asset list
expect_json "$ids" '["srv","web"]' "the removed assets are gone"
refuse "asset rm of an unknown asset" "unknown asset 'laptop'" -- asset rm laptop

# --- partly categorized -------------------------------------------------------------
# Only integrity set, and HIGH: overall HIGH exactly (FIPS 200's
# high-water mark).  The two JSON views of the same asset must agree on
# whether it is uncategorized.
hw_setup asset add half --name Half --type server --i high
hw --json asset show half
show_flag=$(json_val 'd["uncategorized"]')
expect_json '[d["own"], d["overall"], d["overall_exact"], d["baseline"], d["baseline_exact"], d["uncategorized"]]' \
	'[{"availability":null,"confidentiality":null,"integrity":"high"},"high",true,"HIGH",true,false]' \
	"an asset with only integrity HIGH is HIGH exactly, not uncategorized"
hw --json categorize half
expect_eq "$show_flag" "$(json_val 'd["assets"][0]["uncategorized"]')" \
	"asset show --json and categorize --json agree on 'uncategorized'"
# Only confidentiality, MODERATE: at least MODERATE, a lower bound.
hw_setup asset add mod --name Mod --type server --c moderate
hw --json asset show mod
expect_json '[d["overall"], d["overall_exact"], d["baseline"], d["baseline_exact"], d["uncategorized"], d["categorization"]["overall_exact"]]' \
	'["moderate",false,"MODERATE",false,false,false]' \
	"asset show --json: confidentiality moderate alone is a lower bound (baseline_exact false)"
hw asset show mod
expect_eq "$(grep '^  overall' "$OUT_FILE")" \
	"  overall    at least MODERATE (partly categorized), SP 800-53B baseline at least MODERATE" \
	"asset show: at least MODERATE"
hw asset list --partial
expect_out_eq "ID   TYPE    C         I  A  OVERALL            OWNER   NAME
mod  server  moderate  -  -  at least moderate  (none)  Mod
1 asset" "asset list --partial: the lower bounds only, said as such"
hw_setup asset add bare --name Bare --type server
hw --json asset list --uncategorized
expect_json '[a["id"] for a in d["assets"]]' '["bare"]' \
	"asset list --uncategorized: only the asset without any level of its own"

# Text fields are UTF-8 without control characters: workbooks, JSON and
# terminals need it.
refuse "a name that is not UTF-8 is refused" 'name is not valid UTF-8 text (byte 4)' -- \
	asset add latin1 --name "$(printf 'caf\351')" --type server
refuse "a name with a control character is refused" 'name contains a control character (byte 4)' -- \
	asset add vt --name "$(printf 'bad\vname')" --type server
cat >ctl.json <<'JSON'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "ctl", "name": "bell\u0007", "type": "server"}]}
JSON
refuse "an imported name with a control character names its JSON path" 'assets[0]' 'control character' -- \
	import ctl.json
hw asset add utf8 --name "Café Zürich – 東京" --type server
expect_rc 0 "real UTF-8 text is fine"
refuse "an owner that is not UTF-8 is refused on asset set" 'owner is not valid UTF-8 text' -- \
	asset set utf8 "owner=$(printf '\377x')"

# --- asset list --json streams ------------------------------------------------
# Written asset by asset, byte for byte as the whole document was
# (tests/data/cli-small-asset-list.json, written before it streamed).
small_db=$TMP/small.db
hw_setup --db "$small_db" --quiet init
hw_setup --db "$small_db" --quiet import "$HW_TESTDATA/cli-small.json"
hw_setup --db "$small_db" --quiet asset set db-01 worst_cvss=9.8 \
	vulnerabilities=3 downtime_cost=1234.5678901234
hw_setup --db "$small_db" --quiet asset set site \
	'description=Café "quoted" \ back/slash'
hw --db "$small_db" --json asset list
expect_out_file "$HW_TESTDATA/cli-small-asset-list.json" \
	"asset list --json: streamed byte for byte as the whole document"
hw --db "$small_db" --json asset list --owner nobody@example.org
expect_eq "$RC:$OUT" '0:{
  "assets": []
}' "asset list --json with no asset: an empty array"
# A write that fails: exit 1 with the reason, never a whole document.
demo_db
"$HIGHWATER" --json asset list >/dev/full 2>"$ERR_FILE"
RC=$?
ERR=$(cat "$ERR_FILE")
expect_eq "$RC:$ERR" \
	"1:highwater: asset list: cannot write the output: No space left on device" \
	"asset list --json to a full disk: exit 1 and why"
(
	trap '' PIPE
	"$HIGHWATER" --json asset list 2>"$ERR_FILE"
	echo $? >"$TMP/list.rc"
) | head -c 5000 >"$TMP/partial.json"
ERR=$(cat "$ERR_FILE")
expect_eq "$(cat "$TMP/list.rc"):$(wc -c <"$TMP/partial.json" | tr -d ' ')" \
	"1:5000" "asset list --json into a pipe closed halfway: exit 1"
expect_err_has "cannot write the output" "asset list --json closed halfway: says why"
py_ok "asset list --json closed halfway: not a complete document" '
import json, sys
try:
    json.load(open(sys.argv[1]))
except ValueError:
    print("ok")' "$TMP/partial.json"


# --prefix and --search: through the id's index and in the database,
# LIKE's own characters meaning themselves, ASCII case ignored.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet asset add a_b --name "50% off" --type other
hw_setup --quiet asset add axb --name "Plain B" --type other
hw_setup --quiet asset add a-c --name 'back\slash' --type other
hw_setup --quiet asset add b --name "a_b twin" --type other
hw asset list --search _ --ids
expect_out_eq "a_b
b" "asset list --search _: an underscore, not any character"
hw asset list --search % --ids
expect_out_eq "a_b" "asset list --search %: a percent sign"
hw asset list --search '\' --ids
expect_out_eq "a-c" "asset list --search \\: a backslash"
hw asset list --search 'B' --ids
expect_out_eq "a-c
a_b
axb
b" "asset list --search B: ids and names, case ignored"
hw asset list --prefix a_ --ids --limit 5
expect_out_eq "a_b" "asset list --prefix a_: only ids that start so"
hw asset list --prefix a --search b --ids
expect_out_eq "a-c
a_b
axb" "asset list --prefix with --search: both hold"
hw asset list --prefix zz --ids --limit 5
expect_out_eq "" "asset list --prefix past every id: none"

done_testing
