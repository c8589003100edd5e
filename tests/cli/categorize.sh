#!/bin/bash
# categorize.sh: the FIPS 199 security category of one asset and of all,
# exact text output, uncategorized assets, and the --json shape.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init

hw categorize
expect_out_eq "0 assets by effective overall level: 0 high, 0 moderate, 0 low, 0 uncategorized
0 partly categorized (counted at a lower bound: some objectives have no level)
0 with no levels of their own; 0 raised by what depends on them" "categorize of an empty inventory"
hw --json categorize
expect_json 'd' '{"assets":[],"summary":{"high":0,"low":0,"moderate":0,"own_uncategorized":0,"partly_categorized":0,"raised":0,"uncategorized":0}}' \
	"categorize --json of an empty inventory"

# A small inventory: levels set directly, from information types (one with
# confidentiality na, the FIPS 199 public web example), both, partly, none.
hw_setup --quiet infotype add pub --name "Public web content" --c na --i moderate --a moderate
hw_setup --quiet asset add billing --name Billing --type application --c moderate --i high --a low
hw_setup --quiet asset add kiosk --name Kiosk --type endpoint --c low --i low --a low
hw_setup --quiet asset add mail --name Mail --type cloud_service --a high
hw_setup --quiet infotype assign mail C.2.4.1
hw_setup --quiet asset add portal --name Portal --type application
hw_setup --quiet infotype assign portal C.2.8.12
hw_setup --quiet infotype assign portal pub
hw_setup --quiet asset add spare --name Spare --type server
hw_setup --quiet asset add half --name Half --type server --i moderate
hw_setup --quiet dep add kiosk billing --type uses

hw categorize mail
expect_eq "$RC" 0 "categorize ASSET exits 0"
expect_out_eq "mail
  own        SC mail = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, HIGH)}
  effective  SC mail = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  from       set directly: C -, I -, A high
  from       information type C.2.4.1: C moderate, I moderate, A moderate" \
	"categorize mail: high-water mark of direct levels and an information type"

hw categorize portal
expect_out_eq "portal
  own        SC portal = {(confidentiality, LOW), (integrity, MODERATE), (availability, MODERATE)}
  effective  SC portal = {(confidentiality, LOW), (integrity, MODERATE), (availability, MODERATE)}
  overall    MODERATE, SP 800-53B MODERATE baseline
  from       information type C.2.8.12: C low, I low, A low
  from       information type pub: C na, I moderate, A moderate" \
	"categorize portal: na confidentiality counts as low"

hw categorize spare
expect_out_eq "spare
  own        SC spare = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC spare = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
  overall    UNCATEGORIZED (no objective has a level, even inherited)" \
	"categorize of an asset with no levels says UNCATEGORIZED, not low"

# All assets: no "from" lines (those are for one asset), then the summary.
hw categorize
expect_out_eq "billing
  own        SC billing = {(confidentiality, MODERATE), (integrity, HIGH), (availability, LOW)}
  effective  SC billing = {(confidentiality, MODERATE), (integrity, HIGH), (availability, LOW)}
  overall    HIGH, SP 800-53B HIGH baseline
half
  own        SC half = {(confidentiality, UNCATEGORIZED), (integrity, MODERATE), (availability, UNCATEGORIZED)}
  effective  SC half = {(confidentiality, UNCATEGORIZED), (integrity, MODERATE), (availability, UNCATEGORIZED)}
  overall    at least MODERATE (partly categorized), SP 800-53B baseline at least MODERATE
kiosk
  own        SC kiosk = {(confidentiality, LOW), (integrity, LOW), (availability, LOW)}
  effective  SC kiosk = {(confidentiality, LOW), (integrity, LOW), (availability, LOW)}
  overall    LOW, SP 800-53B LOW baseline
mail
  own        SC mail = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, HIGH)}
  effective  SC mail = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
portal
  own        SC portal = {(confidentiality, LOW), (integrity, MODERATE), (availability, MODERATE)}
  effective  SC portal = {(confidentiality, LOW), (integrity, MODERATE), (availability, MODERATE)}
  overall    MODERATE, SP 800-53B MODERATE baseline
spare
  own        SC spare = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC spare = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
  overall    UNCATEGORIZED (no objective has a level, even inherited)

6 assets by effective overall level: 2 high, 2 moderate, 1 low, 1 uncategorized
1 partly categorized (counted at a lower bound: some objectives have no level)
1 with no levels of their own; 0 raised by what depends on them" "categorize (all): exact output"

hw --quiet categorize
expect_eq "$(tail -n 1 "$OUT_FILE")" "  overall    UNCATEGORIZED (no objective has a level, even inherited)" \
	"categorize --quiet leaves out the summary lines"

hw categorize --summary
expect_out_eq "6 assets by effective overall level: 2 high, 2 moderate, 1 low, 1 uncategorized
1 partly categorized (counted at a lower bound: some objectives have no level)
1 with no levels of their own; 0 raised by what depends on them" \
	"categorize --summary: the summary lines only"

# --summary is "only the counts (all assets)"; with an ASSET it must not
# succeed silently with nothing on stdout.
hw categorize mail --summary
ok_if "categorize ASSET --summary prints counts or is a usage error" \
	test "$RC" = 2 -o -n "$OUT"

# --- --json ---------------------------------------------------------------------
hw --json categorize
expect_eq "$RC" 0 "categorize --json exits 0"
expect_json '[a["id"] for a in d["assets"]]' '["billing","half","kiosk","mail","portal","spare"]' \
	"categorize --json: every asset, sorted by id"
expect_json '{a["id"]: [a["own"]["confidentiality"], a["own"]["integrity"], a["own"]["availability"], a["own_overall"], a["overall"], a["baseline"]] for a in d["assets"]}' \
	'{"billing":["moderate","high","low","high","high","HIGH"],"half":[null,"moderate",null,"moderate","moderate","MODERATE"],"kiosk":["low","low","low","low","low","LOW"],"mail":["moderate","moderate","high","high","high","HIGH"],"portal":["low","moderate","moderate","moderate","moderate","MODERATE"],"spare":[null,null,null,null,null,null]}' \
	"categorize --json: own levels, own_overall, overall and baseline of each asset"
expect_json '[a["id"] for a in d["assets"] if a["effective"] != a["own"] or a["raised_by"] or a["on_cycle"]]' '[]' \
	"categorize --json: nothing raised here (kiosk -> billing is low), no cycle"
expect_json 'd["summary"]' '{"high":2,"low":1,"moderate":2,"own_uncategorized":1,"partly_categorized":1,"raised":0,"uncategorized":1}' \
	"categorize --json: summary counts"
hw --json categorize --summary
expect_json 'd' '{"summary":{"high":2,"low":1,"moderate":2,"own_uncategorized":1,"partly_categorized":1,"raised":0,"uncategorized":1}}' \
	"categorize --json --summary: the summary only"

hw --json categorize spare
expect_json 'd["assets"]' \
	'[{"baseline":null,"baseline_exact":false,"effective":{"availability":null,"confidentiality":null,"integrity":null},"id":"spare","on_cycle":false,"overall":null,"overall_exact":false,"own":{"availability":null,"confidentiality":null,"integrity":null},"own_overall":null,"own_overall_exact":false,"raised_by":{},"uncategorized":true}]' \
	"categorize --json ASSET: own and effective levels null and uncategorized true"
expect_json 'd["summary"]' '{"high":0,"low":0,"moderate":0,"own_uncategorized":1,"partly_categorized":0,"raised":0,"uncategorized":1}' \
	"categorize --json ASSET: the summary counts that one asset"

# --- a change shows at once ----------------------------------------------------------
# kiosk uses billing (carries cia): a high-availability kiosk makes billing
# a high-availability asset.
hw_setup asset set kiosk a=high
hw categorize kiosk
expect_out_eq "kiosk
  own        SC kiosk = {(confidentiality, LOW), (integrity, LOW), (availability, HIGH)}
  effective  SC kiosk = {(confidentiality, LOW), (integrity, LOW), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  from       set directly: C low, I low, A high" "a changed level changes the category and the baseline"
hw categorize billing
expect_out_eq "billing
  own        SC billing = {(confidentiality, MODERATE), (integrity, HIGH), (availability, LOW)}
  effective  SC billing = {(confidentiality, MODERATE), (integrity, HIGH), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     availability to HIGH by kiosk: kiosk -> billing
  from       set directly: C moderate, I high, A low" \
	"the change raises what the changed asset depends on"
hw_setup asset set spare c=low i=low a=low
hw --json categorize spare
expect_json '[d["assets"][0]["overall"], d["assets"][0]["uncategorized"], d["summary"]]' \
	'["low",false,{"high":0,"low":1,"moderate":0,"own_uncategorized":0,"partly_categorized":0,"raised":0,"uncategorized":0}]' \
	"once levelled, the asset is no longer uncategorized"

refuse "categorize of an unknown asset" "unknown asset 'nope'" -- categorize nope
hw categorize kiosk mail
expect_rc 0 "categorize takes several assets"

# --- inheritance: app -> vm -> host, with carries masks ---------------------------
# svc uses app for availability only; app runs on vm (cia); vm runs on
# host carrying only integrity and availability, so host does not inherit
# app's confidentiality.  mon and sw form a cycle; sw -> mon carries
# everything, mon -> sw availability only.
HIGHWATER_DB=$TMP/chain.db
hw_setup --quiet init
hw_setup --quiet asset add app --name "Payroll app" --type application --owner hr@example.org --c high --i moderate --a low
hw_setup --quiet asset add vm --name "App VM" --type virtual_machine --owner ops@example.org
hw_setup --quiet asset add host --name "ESX host" --type server --owner ops@example.org --c low --i low --a low
hw_setup --quiet asset add svc --name "Payroll service" --type business_service --owner hr@example.org --a high
hw_setup --quiet asset add mon --name "Monitoring" --type server --c moderate --i moderate --a moderate
hw_setup --quiet asset add sw --name "Switch" --type network_device
hw_setup --quiet dep add app vm --type runs_on
hw_setup --quiet dep add vm host --type runs_on --carries ia
hw_setup --quiet dep add svc app --type uses --carries a
hw_setup --quiet dep add mon sw --type connects_to --carries a
hw_setup --quiet dep add sw mon --type other

hw categorize
expect_out_eq "app
  own        SC app = {(confidentiality, HIGH), (integrity, MODERATE), (availability, LOW)}
  effective  SC app = {(confidentiality, HIGH), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     availability to HIGH by svc: svc -> app
host
  own        SC host = {(confidentiality, LOW), (integrity, LOW), (availability, LOW)}
  effective  SC host = {(confidentiality, LOW), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     integrity to MODERATE by app: app -> vm -> host
  raised     availability to HIGH by svc: svc -> app -> vm -> host
mon
  own        SC mon = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, MODERATE)}
  effective  SC mon = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, MODERATE)}
  overall    MODERATE, SP 800-53B MODERATE baseline
  cycle      sits on a dependency cycle
svc
  own        SC svc = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, HIGH)}
  effective  SC svc = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
sw
  own        SC sw = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC sw = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, MODERATE)}
  overall    at least MODERATE (partly categorized), SP 800-53B baseline at least MODERATE
  raised     availability to MODERATE by mon: mon -> sw
  cycle      sits on a dependency cycle
vm
  own        SC vm = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC vm = {(confidentiality, HIGH), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     confidentiality to HIGH by app: app -> vm
  raised     integrity to MODERATE by app: app -> vm
  raised     availability to HIGH by svc: svc -> app -> vm

6 assets by effective overall level: 4 high, 2 moderate, 0 low, 0 uncategorized
1 partly categorized (counted at a lower bound: some objectives have no level)
2 with no levels of their own; 4 raised by what depends on them" \
	"categorize (all) on a chain: raised lines name the raiser and the path"

hw categorize host
expect_out_eq "host
  own        SC host = {(confidentiality, LOW), (integrity, LOW), (availability, LOW)}
  effective  SC host = {(confidentiality, LOW), (integrity, MODERATE), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     integrity to MODERATE by app: app -> vm -> host
  raised     availability to HIGH by svc: svc -> app -> vm -> host
  from       set directly: C low, I low, A low" \
	"categorize host: --carries ia leaves confidentiality uninherited"

hw categorize sw
expect_out_eq "sw
  own        SC sw = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC sw = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, MODERATE)}
  overall    at least MODERATE (partly categorized), SP 800-53B baseline at least MODERATE
  raised     availability to MODERATE by mon: mon -> sw
  cycle      sits on a dependency cycle" \
	"categorize sw: on a cycle, inherits only what the cycle carries"

hw --json categorize
expect_eq "$RC" 0 "categorize --json on the chain exits 0"
# (was a TODO before the graph engine: every asset carries effective and raised_by)
expect_json '{a["id"]: [a["effective"]["confidentiality"], a["effective"]["integrity"], a["effective"]["availability"], a["overall"], a["baseline"]] for a in d["assets"]}' \
	'{"app":["high","moderate","high","high","HIGH"],"host":["low","moderate","high","high","HIGH"],"mon":["moderate","moderate","moderate","moderate","MODERATE"],"svc":[null,null,"high","high","HIGH"],"sw":[null,null,"moderate","moderate","MODERATE"],"vm":["high","moderate","high","high","HIGH"]}' \
	"categorize --json: effective levels, overall and baseline of each asset"
expect_json '{a["id"]: a["raised_by"] for a in d["assets"]}' \
	'{"app":{"availability":{"asset":"svc","path":["svc","app"]}},"host":{"availability":{"asset":"svc","path":["svc","app","vm","host"]},"integrity":{"asset":"app","path":["app","vm","host"]}},"mon":{},"svc":{},"sw":{"availability":{"asset":"mon","path":["mon","sw"]}},"vm":{"availability":{"asset":"svc","path":["svc","app","vm"]},"confidentiality":{"asset":"app","path":["app","vm"]},"integrity":{"asset":"app","path":["app","vm"]}}}' \
	"categorize --json: raised_by names the raiser and a shortest path from it"
expect_json '[a["id"] for a in d["assets"] if a["on_cycle"]]' '["mon","sw"]' \
	"categorize --json: on_cycle for the two assets of the cycle"
expect_json 'd["summary"]' '{"high":4,"low":0,"moderate":2,"own_uncategorized":2,"partly_categorized":1,"raised":4,"uncategorized":0}' \
	"categorize --json: summary counts effective levels, own-uncategorized and raised assets"

hw --json categorize vm
expect_json 'd["assets"][0]' \
	'{"baseline":"HIGH","baseline_exact":true,"effective":{"availability":"high","confidentiality":"high","integrity":"moderate"},"id":"vm","on_cycle":false,"overall":"high","overall_exact":true,"own":{"availability":null,"confidentiality":null,"integrity":null},"own_overall":null,"own_overall_exact":false,"raised_by":{"availability":{"asset":"svc","path":["svc","app","vm"]},"confidentiality":{"asset":"app","path":["app","vm"]},"integrity":{"asset":"app","path":["app","vm"]}},"uncategorized":true}' \
	"an uncategorized asset that inherits every level: uncategorized true, effective set, HIGH baseline"

hw --json asset show vm
expect_json '[d["uncategorized"], d["categorization"]["effective"], d["categorization"]["overall"], d["categorization"]["raised_by"]["availability"]]' \
	'[true,{"availability":"high","confidentiality":"high","integrity":"moderate"},"high",{"asset":"svc","path":["svc","app","vm"]}]' \
	"asset show --json: the categorization key has the effective levels and raised_by"

# Removing the dependency that raised a level lowers it again; widening a
# carries mask passes confidentiality down.
hw_setup --quiet dep rm svc app
hw_setup --quiet dep rm vm host
hw_setup --quiet dep add vm host --type runs_on
hw categorize host
expect_out_eq "host
  own        SC host = {(confidentiality, LOW), (integrity, LOW), (availability, LOW)}
  effective  SC host = {(confidentiality, HIGH), (integrity, MODERATE), (availability, LOW)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     confidentiality to HIGH by app: app -> vm -> host
  raised     integrity to MODERATE by app: app -> vm -> host
  from       set directly: C low, I low, A low" \
	"dependency changes show at once: availability no longer raised, confidentiality now carried"
hw --json categorize app
expect_json '[d["assets"][0]["effective"], d["assets"][0]["raised_by"]]' \
	'[{"availability":"low","confidentiality":"high","integrity":"moderate"},{}]' \
	"without svc, app is back at its own levels"

# --- long raised paths ----------------------------------------------------------------
# n70 depends on n69 ... n2 on n1: n70's levels reach n1 through 69 hops.
HIGHWATER_DB=$TMP/long.db
hw_setup --quiet init
"$PYTHON" -c 'import json
n = 70
print(json.dumps({"format": "highwater-inventory", "version": 1,
    "assets": [dict({"id": "n%d" % i, "name": "N%d" % i, "type": "server"},
                    **({"confidentiality": "high", "integrity": "high", "availability": "high"} if i == n else {}))
               for i in range(1, n + 1)],
    "dependencies": [{"from": "n%d" % (i + 1), "to": "n%d" % i, "type": "runs_on"} for i in range(1, n)]}))' >"$TMP/chain70.json"
hw_setup --quiet import "$TMP/chain70.json"
hw --json categorize n1
expect_json '[d["assets"][0]["effective"], d["assets"][0]["raised_by"]["integrity"]["path"] == ["n%d" % i for i in range(70, 0, -1)]]' \
	'[{"availability":"high","confidentiality":"high","integrity":"high"},true]' \
	"a 69-hop chain: the whole path in JSON, from the raiser n70 down to n1"
hw categorize n1
expect_eq "$(sed -n 's/^  raised     integrity to HIGH by n70: \([^ ]* -> [^ ]* -> [^ ]*\) .*/\1/p' "$OUT_FILE")" "n70 -> n69 -> n68" \
	"a raised path longer than 64 assets still starts at the raiser"

# The same with 40 long ids: the text must not be cut in the middle of
# an id without saying so.
HIGHWATER_DB=$TMP/long-ids.db
hw_setup --quiet init
"$PYTHON" -c 'import json
n = 40
name = lambda i: "long-chain-element-number-%02d" % i
print(json.dumps({"format": "highwater-inventory", "version": 1,
    "assets": [dict({"id": name(i), "name": "x", "type": "server", "integrity": "low", "availability": "low",
                     "confidentiality": "high" if i == n else "low"}) for i in range(1, n + 1)],
    "dependencies": [{"from": name(i + 1), "to": name(i), "type": "runs_on"} for i in range(1, n)]}))' >"$TMP/chain40.json"
hw_setup --quiet import "$TMP/chain40.json"
hw categorize long-chain-element-number-01
line=$(grep '^  raised' "$OUT_FILE")
if [[ $line == *" -> long-chain-element-number-01" || $line == *"..." ]]; then
	ends=yes
else
	ends="no, it ends: ${line: -50}"
fi
expect_eq "$ends" yes "a long raised path ends at the asset, or says it was shortened"

# --- the demo inventory -------------------------------------------------------------
HIGHWATER_DB=$TMP/demo.db
demo_db
hw categorize historian-vm-01
expect_out_eq "historian-vm-01
  own        SC historian-vm-01 = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC historian-vm-01 = {(confidentiality, HIGH), (integrity, HIGH), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     confidentiality to HIGH by scada-system-platform: scada-system-platform -> scada-historian-db -> historian-vm-01
  raised     integrity to HIGH by scada-historian-db: scada-historian-db -> historian-vm-01
  raised     availability to HIGH by scada-historian-db: scada-historian-db -> historian-vm-01" \
	"demo: the historian VM inherits HIGH from the historian it runs"
hw categorize scada-historian-db
expect_out_eq "scada-historian-db
  own        SC scada-historian-db = {(confidentiality, LOW), (integrity, HIGH), (availability, HIGH)}
  effective  SC scada-historian-db = {(confidentiality, HIGH), (integrity, HIGH), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     confidentiality to HIGH by scada-system-platform: scada-system-platform -> scada-historian-db
  from       information type X.WTR.1: C na, I high, A high" \
	"demo: the historian's na confidentiality is raised by the platform storing in it"
hw categorize core-sw-01
expect_out_eq "core-sw-01
  own        SC core-sw-01 = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, UNCATEGORIZED)}
             (uncategorized: no levels set and no information types)
  effective  SC core-sw-01 = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  raised     availability to HIGH by fw-it-ot-01: fw-it-ot-01 -> core-sw-01
  cycle      sits on a dependency cycle" \
	"demo: the core switch inherits availability only, and sits on a cycle"
hw categorize --summary
expect_out_eq "114 assets by effective overall level: 76 high, 31 moderate, 0 low, 7 uncategorized
5 partly categorized (counted at a lower bound: some objectives have no level)
72 with no levels of their own; 86 raised by what depends on them" \
	"demo: categorize --summary"

# FIPS 200 with unknown objectives (issue 9): of the 114 demo assets, 25
# know some effective levels but not all (20 of them a HIGH one, so
# HIGH exactly; 5 not, so a lower bound) and 7 know none.
hw --json categorize
expect_json '(lambda a: [
    sum(1 for x in a if 0 < sum(v is not None for v in x["effective"].values()) < 3),
    sum(1 for x in a if 0 < sum(v is not None for v in x["effective"].values()) < 3 and "high" in x["effective"].values()),
    sum(1 for x in a if not any(x["effective"].values())),
    sorted(x["id"] for x in a if x["overall"] and not x["overall_exact"]),
    sorted(x["id"] for x in a if x["overall"] is None),
    [x["overall"] for x in a if x["id"] in ("fw-edge-01", "scada-hmi-01")],
    all(x["overall_exact"] == x["baseline_exact"] and
        x["baseline"] == (x["overall"].upper() if x["overall"] else None) for x in a),
    d["summary"]])(d["assets"])' \
	'[25,20,7,["dmz-sw-01","m365-email","public-dns-hosting","wan-rtr-01","wlan-ctrl-01"],["dropbox-shadow","lab-unmanaged-sw","lab-ws-01","print-srv-01","spare-dl380-01","test-win2012-vm","wsus-srv-01"],["high","high"],true,{"high":76,"low":0,"moderate":31,"own_uncategorized":72,"partly_categorized":5,"raised":86,"uncategorized":7}]' \
	"demo: 25 partly known (20 with a HIGH objective: HIGH exactly; 5 lower bounds), 7 uncategorized"
hw categorize m365-email
expect_eq "$(grep '^  overall' "$OUT_FILE")" \
	"  overall    at least MODERATE (partly categorized), SP 800-53B baseline at least MODERATE" \
	"demo: m365-email (availability moderate only) is at least MODERATE"

# Every effective level, raised_by and on_cycle against a brute-force
# reference computed from the export: per objective, a breadth-first
# search over the dependents through dependencies carrying it.
hw_setup export -o "$TMP/demo-export.json"
hw --json categorize
ok_if "demo: effective, raised_by (a shortest path from a nearest raiser) and on_cycle match a brute-force reference" \
	"$PYTHON" - "$TMP/demo-export.json" "$OUT_FILE" <<'PY'
import collections, json, sys
inv = json.load(open(sys.argv[1]))
cat = json.load(open(sys.argv[2]))
rank = {None: 0, "low": 1, "moderate": 2, "high": 3}
objs = ["confidentiality", "integrity", "availability"]
own = {a["id"]: a["own"] for a in cat["assets"]}
deps = inv["dependencies"]
up = collections.defaultdict(list)
down = collections.defaultdict(set)
carried = set()
for x in deps:
    up[x["to"]].append((x["from"], x.get("carries", "cia")))
    down[x["from"]].add(x["to"])
    for c in x.get("carries", "cia"):
        carried.add((x["from"], x["to"], c))
bad = []
if sorted(own) != sorted(a["id"] for a in inv["assets"]):
    bad.append("asset ids differ from the export")
for a in cat["assets"]:
    v = a["id"]
    for o in objs:
        dist = {v: 0}
        q = collections.deque([v])
        while q:
            u = q.popleft()
            for w, car in up[u]:
                if o[0] in car and w not in dist:
                    dist[w] = dist[u] + 1
                    q.append(w)
        best = max(rank[own[w][o]] for w in dist)
        if rank[a["effective"][o]] != best:
            bad.append("%s %s effective %s" % (v, o, a["effective"][o]))
        rb = a["raised_by"].get(o)
        if best > rank[own[v][o]]:
            near = min(dist[w] for w in dist if rank[own[w][o]] == best)
            p = rb and rb["path"]
            if (not rb or rank[own[rb["asset"]][o]] != best or
                    dist.get(rb["asset"]) != near or len(p) != near + 1 or
                    p[0] != rb["asset"] or p[-1] != v or
                    any((p[i], p[i + 1], o[0]) not in carried
                        for i in range(len(p) - 1))):
                bad.append("%s %s raised_by %s" % (v, o, rb))
        elif rb is not None:
            bad.append("%s %s raised_by %s but not raised" % (v, o, rb))
    # on a cycle: some asset it reaches also reaches it
    seen, st = set(), list(down[v])
    while st:
        u = st.pop()
        if u not in seen:
            seen.add(u)
            st.extend(down[u])
    if a["on_cycle"] != (v in seen):
        bad.append("%s on_cycle %s" % (v, a["on_cycle"]))
for b in bad[:10]:
    print("# " + b)
sys.exit(1 if bad else 0)
PY

# --- FIPS 200 with unknown objectives ------------------------------------------
# One HIGH objective makes the asset HIGH whatever the others are; below
# HIGH, unknown objectives make the level a lower bound.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet asset add fw --name Firewall --type network_device --a high
hw_setup --quiet asset add half --name Half --type server --c moderate
hw_setup --quiet asset add lo --name Lo --type server --i low
hw --json categorize
expect_json '{a["id"]: [a["overall"], a["overall_exact"], a["baseline"], a["baseline_exact"], a["uncategorized"]] for a in d["assets"]}' \
	'{"fw":["high",true,"HIGH",true,false],"half":["moderate",false,"MODERATE",false,false],"lo":["low",false,"LOW",false,false]}' \
	"categorize --json: a HIGH objective gives HIGH exactly; moderate or low alone a lower bound"
expect_json 'd["summary"]' \
	'{"high":1,"low":1,"moderate":1,"own_uncategorized":0,"partly_categorized":2,"raised":0,"uncategorized":0}' \
	"categorize --json: lower bounds count at their level and as partly categorized, not uncategorized"
hw categorize fw
expect_eq "$(grep '^  overall' "$OUT_FILE")" "  overall    HIGH, SP 800-53B HIGH baseline" \
	"categorize fw (availability high only): HIGH, the HIGH baseline"
hw categorize lo
expect_eq "$(grep '^  overall' "$OUT_FILE")" \
	"  overall    at least LOW (partly categorized), SP 800-53B baseline at least LOW" \
	"categorize lo (integrity low only): at least LOW"
hw categorize --summary
expect_out_eq "3 assets by effective overall level: 1 high, 1 moderate, 1 low, 0 uncategorized
2 partly categorized (counted at a lower bound: some objectives have no level)
0 with no levels of their own; 0 raised by what depends on them" \
	"categorize --summary: lower bounds counted at their level, and apart"
# A dependent's HIGH availability makes the lower bound exact.
hw_setup --quiet asset add app --name App --type application --a high
hw_setup --quiet dep add app half
hw --json categorize half
expect_json '[d["assets"][0]["overall"], d["assets"][0]["overall_exact"], d["assets"][0]["baseline_exact"]]' \
	'["high",true,true]' "an inherited HIGH makes a partly known asset HIGH exactly"

# The plan (issue 9): fw, availability HIGH only, requires HIGH (not
# "unknown ... 0 controls"); half, confidentiality MODERATE only, at
# least MODERATE, its gap counted against that, completing the
# categorization first.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet asset add fw --name Firewall --type network_device --a high
hw_setup --quiet asset add half --name Half --type server --c moderate --owner o@x
hw_setup --quiet asset set fw implemented_baseline=low
hw_setup --quiet asset set half implemented_baseline=low
hw plan --as-of 2026-11-21
expect_out_has "#1  fw  score 8.7 (low)  owner (none)
    baseline  required HIGH, implemented LOW, 221 controls to add
    1. categorize: no own level for confidentiality, integrity: set levels or assign information types
    2. assign owner: nobody owns it: nobody to notify or to act on the rest of this plan
    3. raise baseline (-4.4): from LOW to HIGH: 221 controls" \
	"plan: one HIGH objective requires the HIGH baseline"
expect_out_has "#2  half  score 5.0 (low)  owner o@x
    baseline  required at least MODERATE, implemented LOW, 138 controls to add
    1. categorize: partly categorized, baseline at least MODERATE: no level for integrity, availability, even inherited: set levels or assign information types
    2. raise baseline (-1.7): from LOW to at least MODERATE: 138 controls" \
	"plan: a partly categorized asset requires at least MODERATE, categorize first"
expect_out_has "  assets by required baseline: HIGH 1, MODERATE 1, LOW 0, unknown (uncategorized) 0
  of these, 1 partly categorized: the baseline is a lower bound (\"at least\")" \
	"plan: the summary counts the lower bound at MODERATE, and apart"
hw --json plan --as-of 2026-11-21
expect_json '[[a["id"], a["required"], a["required_exact"], a["control_gap"], a["actions"][0]["action"]] for a in d["assets"]]' \
	'[["fw","HIGH",true,221,"categorize"],["half","MODERATE",false,138,"categorize"]]' \
	"plan --json: required and required_exact, the gap against the lower bound"


# Several assets named: each once, by id, each explained; --summary
# counts those alone.
hw categorize half fw half
expect_rc 0 "categorize A B A: exit 0"
expect_out_has "fw
  own        SC fw = {(confidentiality, UNCATEGORIZED), (integrity, UNCATEGORIZED), (availability, HIGH)}" \
	"categorize A B: the first by id first"
expect_out_has "  from       set directly: C -, I -, A high

half" "categorize A B: each explained, a blank line between"
hw categorize half fw half --summary
expect_out_eq "2 assets by effective overall level: 1 high, 1 moderate, 0 low, 0 uncategorized
1 partly categorized (counted at a lower bound: some objectives have no level)
0 with no levels of their own; 0 raised by what depends on them" \
	"categorize A B --summary: the counts of those named"
hw categorize half nope
expect_rc 1 "categorize A UNKNOWN: exit 1"
expect_err_eq "highwater: categorize: unknown asset 'nope'" "... naming it"

done_testing
