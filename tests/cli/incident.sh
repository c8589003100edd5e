#!/bin/bash
# incident.sh: "highwater incident add|resolve|list" on the demo: the
# first-response list of the week's changes on the asset and below it,
# resolve and its refusals, list and its filters, a removed asset's
# incidents; then fragility from those records in risk (moving the
# ranking of real assets, every number recomputed from risk --json) and
# in plan (stabilise actions, ordered by downtime cost).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

demo_db
ASOF=2026-11-21

# Changes as another tool's history holds them (the change commands
# are CHANGE's): n, targets, state, result, implemented_at, closed_at,
# implemented_by, title.
changes() {
	/usr/bin/python3 - "$@" <<'EOF' | db_sql "$HIGHWATER_DB"
import sys
def q(v):
    return "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"
print("BEGIN;")
for spec in sys.argv[1:]:
    n, targets, state, result, impl, closed, by, title = spec.split("|")
    print("INSERT INTO change_record (n, title, state, result, requester,"
          " created, implemented_by, implemented_at, closed_at) VALUES"
          " (%d, %s, %s, %s, 'req', '2026-01-01T00:00:00Z', %s, %s, %s);"
          % (int(n), q(title), q(state), q(result or None), q(by),
             q(impl or None), q(closed or None)))
    for k, t in enumerate(targets.split(",")):
        print("INSERT INTO change_target (change, asset, ord)"
              " VALUES (%d, %s, %d);" % (int(n), q(t), k))
print("COMMIT;")
EOF
}

# ami-headend depends on ami-vm-01 (1 hop), which runs on it-esx-03 (2
# hops); arcgis-enterprise is not below it.
changes \
	"1|ami-vm-01|closed|failed|2026-11-18T09:00:00Z|2026-11-18T12:00:00Z|bob|patch ami vm" \
	"2|it-esx-03|implemented||2026-11-19T22:00:00Z||carol|esx firmware" \
	"3|arcgis-enterprise|implemented||2026-11-19T10:00:00Z||dan|gis upgrade" \
	"4|ami-headend|closed|success|2026-11-10T10:00:00Z|2026-11-10T11:00:00Z|eve|too old" \
	"5|ami-headend|closed|success|2026-11-20T08:00:00Z|2026-11-20T08:30:00Z|alice|headend config" \
	"6|ami-headend|implemented||2026-11-20T09:31:00Z||frank|after the incident"

incidents() {
	"$HIGHWATER" --json incident list >"$TMP/inc.json" 2>&1
}

hw --actor ops incident add ami-headend --title "meter reads missing" \
	--opened 2026-11-20T09:30:00Z
expect_rc 0 "incident add exits 0"
expect_out_eq "INC-0001
changes implemented on 'ami-headend' or what it depends on in the 7 days before 2026-11-20T09:30:00Z, newest first:
  2026-11-20T08:00:00Z  CHG-0005  by alice  on ami-headend (the asset itself): headend config
  2026-11-19T22:00:00Z  CHG-0002  by carol  on it-esx-03 (2 hops down): esx firmware
  2026-11-18T09:00:00Z  CHG-0001  by bob  on ami-vm-01 (1 hop down): patch ami vm" \
	"incident add: the id, then the week's changes on the asset and below it, newest first, with who"

hw --json --actor ops incident add mdm-db --title "slow queries" \
	--opened 2026-11-19T23:00:00+01:00 --change CHG-0001
expect_rc 0 "incident add --json --change exits 0"
expect_json 'd["incident"]' \
	'{"asset":"mdm-db","change":"CHG-0001","id":"INC-0002","opened":"2026-11-19T22:00:00Z","reporter":"ops","title":"slow queries"}' \
	"incident add --json: the incident (the offset read as UTC), its change and reporter"
expect_json 'd["recent_changes"]' '[]' \
	"incident add --json: nothing below mdm-db changed that week (ami-vm-01 is not below it)"

hw incident add sql-vm-01 --title "disk full" --opened 2026-11-01
expect_out_eq "INC-0003
no change implemented on 'sql-vm-01' or what it depends on in the 7 days before 2026-11-01T00:00:00Z" \
	"incident add with no change that week says so (a bare date is 00:00Z)"

# --- refusals: one line, nothing written --------------------------------
incidents
cp "$TMP/inc.json" "$TMP/inc0.json"
same_incidents() {
	incidents
	if cmp -s "$TMP/inc.json" "$TMP/inc0.json"; then
		_result 1 "... no incident written or changed"
	else
		_result 0 "... no incident written or changed"
		diag "$(diff "$TMP/inc0.json" "$TMP/inc.json" | head)"
	fi
}
refuse "an unknown asset is refused" "nope" -- \
	incident add nope --title x
same_incidents
refuse "an unknown change is refused" "CHG-0042" -- \
	incident add mdm-db --title x --change CHG-0042
same_incidents
refuse_usage "--title is required" "--title" -- incident add mdm-db
refuse_usage "--opened without a zone is a usage error" "--opened" -- \
	incident add mdm-db --title x --opened 2026-11-20T10:00
refuse_usage "--change that is no change id" "--change" -- \
	incident add mdm-db --title x --change 12x
refuse "an empty title is refused" "title" -- incident add mdm-db --title ""
same_incidents

# --- resolve ----------------------------------------------------------------
hw incident resolve INC-1 --at 2026-11-20T13:00:00Z
expect_rc 0 "incident resolve exits 0"
expect_out_eq "INC-0001 resolved at 2026-11-20T13:00:00Z (repair 3.5 h)" \
	"incident resolve: when, and the time to repair"
incidents
cp "$TMP/inc.json" "$TMP/inc0.json"
refuse "resolving twice is refused" "INC-0001 is already resolved" -- \
	incident resolve INC-0001 --at 2026-11-21T00:00:00Z
same_incidents
refuse "a resolve time before the open time is refused" \
	"before the open time 2026-11-19T22:00:00Z" -- \
	incident resolve INC-0002 --at 2026-11-19T21:59:59Z
same_incidents
refuse "an unknown incident is refused" "no incident INC-0099" -- \
	incident resolve INC-0099
refuse "an id that is no incident id is refused" "INC" -- \
	incident resolve CHG-0001
refuse_usage "--at that is not a time" "--at" -- \
	incident resolve INC-0002 --at yesterday
hw incident resolve INC-0002 --at 2026-11-19T22:00:00Z
expect_out_eq "INC-0002 resolved at 2026-11-19T22:00:00Z (repair 0.0 h)" \
	"resolving at the open time is allowed (no time to repair)"

# --- list -------------------------------------------------------------------
hw incident list
expect_out_eq "ID        ASSET        OPENED                RESOLVED              REPAIR  CHANGE    REPORTER  TITLE
INC-0001  ami-headend  2026-11-20T09:30:00Z  2026-11-20T13:00:00Z  3.5 h   -         ops       meter reads missing
INC-0002  mdm-db       2026-11-19T22:00:00Z  2026-11-19T22:00:00Z  0.0 h   CHG-0001  ops       slow queries
INC-0003  sql-vm-01    2026-11-01T00:00:00Z  -                     open    -         tester    disk full" \
	"incident list: every incident, oldest first, the reporter the actor (login name by default)"
hw incident list --open
expect_eq "$(awk 'NR > 1 { print $1 }' "$OUT_FILE" | tr '\n' ' ')" "INC-0003 " \
	"incident list --open: only the open one"
hw --json incident list --asset mdm-db
expect_json '[i["id"] for i in d["incidents"]]' '["INC-0002"]' \
	"incident list --asset --json: only that asset's"
hw --json incident list
expect_json 'd["incidents"][0]' \
	'{"asset":"ami-headend","id":"INC-0001","opened":"2026-11-20T09:30:00Z","reporter":"ops","resolved":"2026-11-20T13:00:00Z","title":"meter reads missing"}' \
	"incident list --json: the history JSON's keys"
refuse_usage "incident list takes no argument" "unexpected" -- incident list x

# A removed asset keeps its incidents under its id.
hw_setup asset add temp-box --name "Temp" --type server
hw_setup incident add temp-box --title "gone wrong" --opened 2026-11-20
hw_setup asset rm temp-box
hw --json incident list --asset temp-box
expect_json '[(i["id"], i["asset"]) for i in d["incidents"]]' \
	'[["INC-0004","temp-box"]]' \
	"a removed asset keeps its incident and its id"

# --- fragility in risk and plan ----------------------------------------------
# scada-hmi-01 and -02 tie (the same factors, ranked by id).  Give -02 a
# history: 3 changes closed in the last 180 days, 1 backed out, and 3
# incidents in the last 90 repaired in 6, 12 and 18 hours:
#   rate .4 x min(1, (1/3)/.5) = .26667, incidents .4 x 3/4 = .3,
#   repair .2 x 12/24 = .1: fragility .66667, term .15 x .66667 = .1.
hw --json risk --as-of $ASOF
expect_json '[r["id"] for r in d["assets"] if r["id"].startswith("scada-hmi")]' \
	'["scada-hmi-01","scada-hmi-02"]' "before: the tie ranks scada-hmi-01 first"
cp "$OUT_FILE" "$TMP/risk-before.json"
changes \
	"10|scada-hmi-02|closed|success|2026-06-01T10:00:00Z|2026-06-01T11:00:00Z|ot|hmi patch" \
	"11|scada-hmi-02,scada-hmi-01|closed|backed-out|2026-09-01T10:00:00Z|2026-09-01T11:00:00Z|ot|hmi upgrade" \
	"12|scada-hmi-02|closed|success|2026-11-21T10:00:00Z|2026-11-21T23:59:59Z|ot|hmi fix" \
	"13|scada-hmi-02|closed|failed|2026-05-01T10:00:00Z|2026-05-25T23:59:59Z|ot|too old"
for spec in "2026-09-01T12:00:00Z 2026-09-01T18:00:00Z" \
	"2026-10-01T00:00:00Z 2026-10-01T12:00:00Z" \
	"2026-11-20T00:00:00Z 2026-11-20T18:00:00Z"; do
	set -- $spec
	hw_setup --quiet incident add scada-hmi-02 --title "hmi froze" --opened "$1"
	hw_setup --quiet incident resolve "$(sed -n 1p "$OUT_FILE")" --at "$2"
done
# An incident opened 91 days before the end of the as-of day is out of
# the incident window.
hw_setup --quiet incident add scada-hmi-02 --title "old" --opened 2026-08-23T00:00:00Z
hw --json risk --as-of $ASOF
expect_json '[r["id"] for r in d["assets"] if r["id"].startswith("scada-hmi")]' \
	'["scada-hmi-02","scada-hmi-01"]' "after: fragility ranks scada-hmi-02 above scada-hmi-01"
expect_json '{k: round(v, 5) if isinstance(v, float) else v for k, v in [r for r in d["assets"] if r["id"] == "scada-hmi-02"][0]["factors"]["fragility"].items()}' \
	'{"changes":3,"contribution":0.1,"failed":1,"incidents":3,"mttr_hours":12.0,"repaired":3,"value":0.66667}' \
	"risk --json: fragility's inputs, value and contribution as computed by hand"
py_ok "every score recomputed from its terms, fragility from its inputs" '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["assets"]:
    f = r["factors"]["fragility"]
    if f["value"] is None:
        assert f["contribution"] == 0 and "changes" not in f, r["id"]
    else:
        rate = 0.4 * min(1, f["failed"] / f["changes"] / 0.5) if f["changes"] >= 3 else 0
        inc = 0.4 * min(1, f["incidents"] / 4)
        rep = 0.2 * min(1, f["mttr_hours"] / 24) if f["repaired"] else 0
        assert abs(f["value"] - min(1, rate + inc + rep)) < 1e-9, r["id"]
        assert abs(f["contribution"] - 0.15 * f["value"]) < 1e-9, r["id"]
    lik = min(1, sum(t["contribution"] for t in r["factors"].values()))
    assert abs(lik - r["likelihood"]) < 1e-9, r["id"]
    score = round(1000 * r["impact"] * lik * r["multiplier"]) / 10
    assert abs(score - r["score"]) < 1e-9, (r["id"], score, r["score"])
print("ok")
' "$OUT_FILE"
py_ok "only scada-hmi-02 moved (the shared change alone gives -01 no rate)" '
import json, sys
a = {r["id"]: r["score"] for r in json.load(open(sys.argv[1]))["assets"]}
b = {r["id"]: r["score"] for r in json.load(open(sys.argv[2]))["assets"]}
moved = sorted(k for k in a if a[k] != b[k])
assert moved == ["scada-hmi-02"], moved
print("ok")
' "$TMP/risk-before.json" "$OUT_FILE"
hw risk --as-of $ASOF --top 4
expect_out_has "fragility 0.67 (failed 1/3, incidents 3, mttr 12.0h) +0.100" \
	"risk: the fragility term with its three inputs"
expect_out_has "fragility: 4 assets with data (changes closed in 180 days, incidents opened in 90, repairs in 180, to the end of 2026-11-21)" \
	"risk: the footer says whose fragility has data and the windows"
# The windows end with the as-of day.  As of the 21st they begin on
# 2026-05-26T00:00Z (changes) and 2026-08-24T00:00Z (incidents): change
# 13, closed a second before, and the incident opened on 08-23 are out.
# As of the 20th they begin a day earlier: change 12 (closed on the
# 21st) is out, change 13 and the 08-23 incident in, at the edge:
# 3 changes, 2 failed: .4; 4 incidents: .4; repairs .1: .9.
hw --json risk --as-of 2026-11-20
expect_json '[(f["changes"], f["failed"], f["incidents"], round(f["value"], 5)) for f in [r["factors"]["fragility"] for r in d["assets"] if r["id"] == "scada-hmi-02"]]' \
	'[[3,2,4,0.9]]' "--as-of the day before: the windows move by a day, their edges included"

# plan: stabilise, with the inputs and the downtime cost; the fragile
# artefacts by downtime cost (plc-filter-01 costs more than -02).
changes \
	"20|plc-filter-01|closed|failed|2026-10-01T10:00:00Z|2026-10-01T11:00:00Z|ot|filter logic" \
	"21|plc-filter-01|closed|failed|2026-10-02T10:00:00Z|2026-10-02T11:00:00Z|ot|filter logic again" \
	"22|plc-filter-01|closed|success|2026-10-03T10:00:00Z|2026-10-03T11:00:00Z|ot|filter logic fixed"
# mdm-db (no downtime cost recorded): 3 incidents, .3
hw_setup --quiet incident add mdm-db --title "locks" --opened 2026-11-02
hw_setup --quiet incident add mdm-db --title "locks again" --opened 2026-11-03
hw plan --as-of $ASOF
expect_out_has "stabilise (-5.4): fragility 0.67 from failed changes and incidents: 1 of 3 changes failed or backed out, 3 incidents, 12.0 h mean time to repair; downtime costs 15000.00 an hour" \
	"plan: scada-hmi-02's stabilise action with its inputs and downtime cost"
expect_out_has "  fragile artefacts to stabilise, by downtime cost (fragility 0.25 or more):
    plc-filter-01                  fragility 0.40  downtime 18000.00 an hour" \
	"plan: the fragile artefacts, the costlier first"
hw --json plan --as-of $ASOF
expect_json '[(s["id"], s["downtime_cost"]) for s in d["summary"]["stabilise"]]' \
	'[["plc-filter-01",18000.0],["scada-hmi-02",15000.0],["mdm-db",null]]' \
	"plan --json: stabilise by downtime cost, the unrecorded last"

done_testing
