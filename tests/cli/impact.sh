#!/bin/bash
# impact.sh: "highwater impact", the change-impact set: exact text output
# on a small hand-built inventory and on the demo inventory, --summary,
# --depth, --types, --direction, several targets, the --json values
# checked against a brute-force reference, the route and its thresholds
# ("highwater config"), and bad input.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# The PATH column of the table, left out: $OUT without it (trailing
# blanks trimmed), for the directions where that column is wrong (below).
without_path() {
	awk '/^DIST / { c = index($0, "PATH") }
	     /^$/ { c = 0 }
	     { if (c) { s = substr($0, 1, c - 1); sub(/ +$/, "", s); print s }
	       else print }' "$OUT_FILE"
}

# The PATH column of the table, one line a member.
path_column() {
	awk '/^DIST / { c = index($0, "PATH"); next }
	     /^$/ { c = 0 }
	     c { print substr($0, c) }' "$OUT_FILE"
}

# impact_ok DESC FULL REVIEW ARGS...: run "highwater --json impact ARGS"
# and check the document against a brute-force reference computed from
# the export and "categorize --json": the members and their distances
# (breadth-first search; "both" is what depends on the targets plus what
# they rely on), each path (from a target to the member, one hop per
# dependency of a followed type and direction, as long as the distance),
# effective levels, overall, owner, on_cycle, and the summary (members,
# counts, highest, owners sorted and distinct, business services,
# on_cycle, route for the thresholds FULL and REVIEW).
IMPACT_CHECK='
import collections, json, sys
inv = json.load(open(sys.argv[1]))
cat = json.load(open(sys.argv[2]))
d = json.load(open(sys.argv[3]))
full, review = sys.argv[4], sys.argv[5]
args = sys.argv[6:]
rank = {None: 0, "low": 1, "moderate": 2, "high": 3}
objs = ["confidentiality", "integrity", "availability"]
targets, direction, depth, types, i = [], "up", None, None, 0
while i < len(args):
    if args[i] == "--direction":
        direction = args[i + 1]; i += 2
    elif args[i] == "--depth":
        depth = int(args[i + 1]); i += 2
    elif args[i] == "--types":
        types = set(args[i + 1].split(",")); i += 2
    else:
        targets.append(args[i]); i += 1
assets = {a["id"]: a for a in inv["assets"]}
eff = {a["id"]: a for a in cat["assets"]}
edges = {}
up = collections.defaultdict(list)
down = collections.defaultdict(list)
for x in inv["dependencies"]:
    if types is None or x["type"] in types:
        up[x["to"]].append(x["from"])
        down[x["from"]].append(x["to"])
        edges[(x["from"], x["to"])] = 1
def bfs(nbrs):
    dist = {t: 0 for t in targets}
    q = collections.deque(targets)
    while q:
        u = q.popleft()
        if depth is not None and dist[u] >= depth:
            continue
        for w in nbrs[u]:
            if w not in dist:
                dist[w] = dist[u] + 1
                q.append(w)
    return dist
dist = {}
for nbrs, on in ((up, "up"), (down, "down")):
    if direction in (on, "both"):
        for v, k in bfs(nbrs).items():
            dist[v] = min(k, dist.get(v, k))
alldown = collections.defaultdict(set)
for x in inv["dependencies"]:
    alldown[x["from"]].add(x["to"])
def on_cycle(v):
    seen, st = set(), list(alldown[v])
    while st:
        u = st.pop()
        if u not in seen:
            seen.add(u)
            st.extend(alldown[u])
    return v in seen
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %s, expected %s" % (what, json.dumps(got), json.dumps(exp)))
want("targets", d["targets"], targets)
want("direction", d["direction"], direction)
want("depth", d["depth"], depth)
ms = d["members"]
ids = [m["id"] for m in ms]
extra, missing = sorted(set(ids) - set(dist)), sorted(set(dist) - set(ids))
if extra or missing or len(ids) != len(set(ids)):
    bad.append("members: %d, extra %s, missing %s" % (len(ids), extra, missing))
if not extra and ids != sorted(ids, key=lambda v: (dist[v], v)):
    bad.append("members not in (distance, id) order")
for m in ms:
    v, p = m["id"], m["path"]
    if v not in dist:
        continue
    want(v + " distance", m["distance"], dist[v])
    ok = len(p) == dist[v] + 1 and p[0] in targets and p[-1] == v
    for a, b in zip(p, p[1:]):
        if not ((direction != "down" and (b, a) in edges) or
                (direction != "up" and (a, b) in edges)):
            ok = False
    if not ok:
        bad.append("%s path %s" % (v, p))
    want(v + " effective", m["effective"], eff[v]["effective"])
    want(v + " overall", m["overall"], eff[v]["overall"])
    # FIPS 200 with unknown objectives: the highest known level, exact
    # when all are known or one is high, else a lower bound.
    known = [rank[m["effective"][o]] for o in objs if m["effective"][o]]
    exact = len(known) == 3 or 3 in known
    want(v + " overall from effective", rank[m["overall"]], max(known, default=0))
    want(v + " exactness", [m["overall_exact"], m["baseline_exact"]], [exact, exact])
    want(v + " baseline", m["baseline"], m["overall"].upper() if m["overall"] else None)
    want(v + " name/type", [m["name"], m["type"]], [assets[v]["name"], assets[v]["type"]])
    want(v + " owner", m["owner"], assets[v].get("owner"))
    want(v + " on_cycle", m["on_cycle"], on_cycle(v))
s = d["summary"]
want("summary members", s["members"], len(ms))
counts = {"low": 0, "moderate": 0, "high": 0, "uncategorized": 0}
for m in ms:
    counts[m["overall"] or "uncategorized"] += 1
want("summary counts", s["counts"], counts)
want("counts sum", sum(s["counts"].values()), len(ms))
partly = sum(1 for m in ms if m["overall"] and not m["overall_exact"])
want("summary partly_categorized", s["partly_categorized"], partly)
highest = {}
for o in objs:
    top = max((rank[m["effective"][o]] for m in ms), default=0)
    highest[o] = [k for k, r in rank.items() if r == top][0]
want("summary highest", s["highest"], highest)
want("summary owners", s["owners"], sorted(set(m["owner"] for m in ms if m["owner"])))
want("summary services", s["services"], sorted(m["id"] for m in ms if m["type"] == "business_service"))
want("summary on_cycle", s["on_cycle"], sum(1 for m in ms if m["on_cycle"]))
top = max(rank[m["overall"]] for m in ms)
route = ("full-cab" if top >= rank[full] else
         "cab-review" if top >= rank[review] or counts["uncategorized"] or partly else
         "standard")
want("summary route", s["route"], route)
for b in bad[:12]:
    print("# " + b[:500])
sys.exit(1 if bad else 0)
'

impact_ok() {
	local desc=$1 full=$2 review=$3
	shift 3
	if ! "$HIGHWATER" export >"$TMP/ref-export.json" 2>/dev/null ||
		! "$HIGHWATER" --json categorize >"$TMP/ref-cat.json" 2>/dev/null; then
		_result 0 "$desc"
		diag "export or categorize failed"
		return
	fi
	hw --json impact "$@"
	if [ "$RC" != 0 ]; then
		_result 0 "$desc"
		_hw_context
		return
	fi
	if "$PYTHON" -c "$IMPACT_CHECK" "$TMP/ref-export.json" "$TMP/ref-cat.json" \
		"$OUT_FILE" "$full" "$review" "$@" >"$TMP/ref-diag" 2>&1; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "highwater --json impact $*"
		cat "$TMP/ref-diag"
	fi
}

# ==================================================================
# A small inventory (tests/data/cli-impact.json):
#
#   svc --uses--> app <--uses (i)-- kiosk
#   app --stores_data_in--> db;  app, db, wiki --runs_on--> vm
#   vm --runs_on (ia)--> host;   vm --backs_up_to (ci)--> bk
#   host, mon --connects_to (a)--> sw;  sw --other--> mon   (a cycle)
#   spare: no levels, no dependencies
#
# Own levels: svc M/M/M, db H/M/L, vm and sw none, the rest L/L/L.
# Effective: app M/M/M (from svc), db H/M/M, vm H/M/M, host L/M/M,
# bk H/M/L, sw -/-/M, mon L/L/M.
hw_setup --quiet init
hw_setup --quiet import "$HW_TESTDATA/cli-impact.json"

hw impact vm
expect_rc 0 "impact exits 0"
expect_out_eq "Impact of a change to vm (direction up): 6 assets

DIST  ASSET  C         I         A         OVERALL   OWNER             CYCLE  PATH
0     vm     high      moderate  moderate  high      ops@example.org          (target)
1     app    moderate  moderate  moderate  moderate  app@example.org          vm <- app
1     db     high      moderate  moderate  high      dba@example.org          vm <- db
1     wiki   low       low       low       low       wiki@example.org         vm <- wiki
2     kiosk  low       low       low       low       desk@example.org         vm <- app <- kiosk
2     svc    moderate  moderate  moderate  moderate  biz@example.org          vm <- app <- svc

highest    C high, I moderate, A moderate
by level   2 high, 2 moderate, 2 low, 0 uncategorized
notify     6 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, ops@example.org, wiki@example.org
services   1 business service: svc
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact vm: what depends on it, by distance then id, with paths and summary"

hw impact vm --summary
expect_out_eq "Impact of a change to vm (direction up): 6 assets

highest    C high, I moderate, A moderate
by level   2 high, 2 moderate, 2 low, 0 uncategorized
notify     6 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, ops@example.org, wiki@example.org
services   1 business service: svc
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact --summary: the summary without the table"

hw impact sw
expect_out_eq "Impact of a change to sw (direction up): 9 assets

DIST  ASSET  C         I         A         OVERALL            OWNER             CYCLE  PATH
0     sw     -         -         moderate  at least moderate  net@example.org   yes    (target)
1     host   low       moderate  moderate  moderate           ops@example.org          sw <- host
1     mon    low       low       moderate  moderate           ops@example.org   yes    sw <- mon
2     vm     high      moderate  moderate  high               ops@example.org          sw <- host <- vm
3     app    moderate  moderate  moderate  moderate           app@example.org          sw <- host <- vm <- app
3     db     high      moderate  moderate  high               dba@example.org          sw <- host <- vm <- db
3     wiki   low       low       low       low                wiki@example.org         sw <- host <- vm <- wiki
4     kiosk  low       low       low       low                desk@example.org         sw <- host <- vm <- app <- kiosk
4     svc    moderate  moderate  moderate  moderate           biz@example.org          sw <- host <- vm <- app <- svc

highest    C high, I moderate, A moderate
by level   2 high, 5 moderate, 2 low, 0 uncategorized; 1 partly categorized (counted at a lower bound)
notify     7 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, net@example.org, ops@example.org, wiki@example.org
services   1 business service: svc
on cycle   2 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact sw: through the cycle, uncategorized members shown as such, cycle flagged"

hw impact sw --depth 1
expect_out_eq "Impact of a change to sw (direction up, depth 1): 3 assets

DIST  ASSET  C    I         A         OVERALL            OWNER            CYCLE  PATH
0     sw     -    -         moderate  at least moderate  net@example.org  yes    (target)
1     host   low  moderate  moderate  moderate           ops@example.org         sw <- host
1     mon    low  low       moderate  moderate           ops@example.org  yes    sw <- mon

highest    C low, I moderate, A moderate
by level   0 high, 3 moderate, 0 low, 0 uncategorized; 1 partly categorized (counted at a lower bound)
notify     2 owners: net@example.org, ops@example.org
services   0 business services
on cycle   2 assets
route      cab-review (the change touches assets at or above the CAB-review level)" \
	"impact --depth 1: direct dependents only"

hw impact sw --depth 0 --summary
expect_out_eq "Impact of a change to sw (direction up, depth 0): 1 asset

highest    C -, I -, A moderate
by level   0 high, 1 moderate, 0 low, 0 uncategorized; 1 partly categorized (counted at a lower bound)
notify     1 owner: net@example.org
services   0 business services
on cycle   1 asset
route      cab-review (the change touches assets at or above the CAB-review level)" \
	"impact --depth 0: the target alone"

hw impact host --types runs_on
expect_out_eq "Impact of a change to host (direction up, some dependency types): 5 assets

DIST  ASSET  C         I         A         OVERALL   OWNER             CYCLE  PATH
0     host   low       moderate  moderate  moderate  ops@example.org          (target)
1     vm     high      moderate  moderate  high      ops@example.org          host <- vm
2     app    moderate  moderate  moderate  moderate  app@example.org          host <- vm <- app
2     db     high      moderate  moderate  high      dba@example.org          host <- vm <- db
2     wiki   low       low       low       low       wiki@example.org         host <- vm <- wiki

highest    C high, I moderate, A moderate
by level   2 high, 2 moderate, 1 low, 0 uncategorized
notify     4 owners: app@example.org, dba@example.org, ops@example.org, wiki@example.org
services   0 business services
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact --types runs_on: svc and kiosk (uses) are not reached"

hw impact host --types runs_on,uses --summary
expect_out_eq "Impact of a change to host (direction up, some dependency types): 7 assets

highest    C high, I moderate, A moderate
by level   2 high, 3 moderate, 2 low, 0 uncategorized
notify     6 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, ops@example.org, wiki@example.org
services   1 business service: svc
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact --types runs_on,uses: two types"

hw impact bk kiosk
expect_out_eq "Impact of a change to bk kiosk (direction up): 7 assets

DIST  ASSET  C         I         A         OVERALL   OWNER             CYCLE  PATH
0     bk     high      moderate  low       high      (none)                   (target)
0     kiosk  low       low       low       low       desk@example.org         (target)
1     vm     high      moderate  moderate  high      ops@example.org          bk <- vm
2     app    moderate  moderate  moderate  moderate  app@example.org          bk <- vm <- app
2     db     high      moderate  moderate  high      dba@example.org          bk <- vm <- db
2     wiki   low       low       low       low       wiki@example.org         bk <- vm <- wiki
3     svc    moderate  moderate  moderate  moderate  biz@example.org          bk <- vm <- app <- svc

highest    C high, I moderate, A moderate
by level   3 high, 2 moderate, 2 low, 0 uncategorized
notify     6 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, ops@example.org, wiki@example.org
services   1 business service: svc
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact with two targets: both at distance 0, an asset without owner shows (none)"

hw impact host vm --summary
expect_eq "$RC:$(head -n 1 "$OUT_FILE")" "0:Impact of a change to host vm (direction up): 7 assets" \
	"impact host vm: a target that depends on another target stays at distance 0"

# --- down and both ---------------------------------------------------------------
# The PATH column in these directions: see the TODO below.
hw impact app --direction down
expect_eq "$(without_path)" "Impact of a change to app (direction down): 7 assets

DIST  ASSET  C         I         A         OVERALL            OWNER            CYCLE
0     app    moderate  moderate  moderate  moderate           app@example.org
1     db     high      moderate  moderate  high               dba@example.org
1     vm     high      moderate  moderate  high               ops@example.org
2     bk     high      moderate  low       high               (none)
2     host   low       moderate  moderate  moderate           ops@example.org
3     sw     -         -         moderate  at least moderate  net@example.org  yes
4     mon    low       low       moderate  moderate           ops@example.org  yes

highest    C high, I moderate, A moderate
by level   3 high, 4 moderate, 0 low, 0 uncategorized; 1 partly categorized (counted at a lower bound)
notify     4 owners: app@example.org, dba@example.org, net@example.org, ops@example.org
services   0 business services
on cycle   2 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact --direction down: what app relies on (table without PATH, summary)"
# "dep list" and "categorize" write "A -> B" for "A depends on B"; in the
# up direction "vm <- app" agrees (app depends on vm), but going down it
# says "app <- db" where app depends on db.
expect_eq "$(path_column)" "(target)
app -> db
app -> vm
app -> vm -> bk
app -> vm -> host
app -> vm -> host -> sw
app -> vm -> host -> sw -> mon" \
	"impact --direction down: PATH reads 'app -> vm -> host', the way dependencies are written"

hw impact app --direction both --depth 1
expect_eq "$(without_path)" "Impact of a change to app (direction both, depth 1): 5 assets

DIST  ASSET  C         I         A         OVERALL   OWNER             CYCLE
0     app    moderate  moderate  moderate  moderate  app@example.org
1     db     high      moderate  moderate  high      dba@example.org
1     kiosk  low       low       low       low       desk@example.org
1     svc    moderate  moderate  moderate  moderate  biz@example.org
1     vm     high      moderate  moderate  high      ops@example.org

highest    C high, I moderate, A moderate
by level   2 high, 2 moderate, 1 low, 0 uncategorized
notify     5 owners: app@example.org, biz@example.org, dba@example.org, desk@example.org, ops@example.org
services   1 business service: svc
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"impact --direction both --depth 1: dependents and dependencies (table without PATH)"

# DESIGN.md: up = the dependents, down = what the targets rely on, both =
# the two.  wiki runs on vm like app does: it neither depends on app nor
# does app rely on it, so a change to app does not touch it.
hw --json impact app --direction both
expect_json '[m["id"] for m in d["members"]]' '["app","db","kiosk","svc","vm","bk","host","sw","mon"]' \
	"impact --direction both: the dependents plus the dependencies, not wiki"

# --- --json ----------------------------------------------------------------------
hw --json impact sw
expect_json '[d["targets"], d["direction"], d["depth"]]' '[["sw"],"up",null]' \
	"impact --json: targets, direction, depth"
expect_json '[[m["id"], m["distance"], m["path"], m["on_cycle"]] for m in d["members"]]' \
	'[["sw",0,["sw"],true],["host",1,["sw","host"],false],["mon",1,["sw","mon"],true],["vm",2,["sw","host","vm"],false],["app",3,["sw","host","vm","app"],false],["db",3,["sw","host","vm","db"],false],["wiki",3,["sw","host","vm","wiki"],false],["kiosk",4,["sw","host","vm","app","kiosk"],false],["svc",4,["sw","host","vm","app","svc"],false]]' \
	"impact --json: distances, paths from the target, on_cycle"
expect_json '{m["id"]: [m["name"], m["type"], m["owner"], m["overall"], m["effective"]["confidentiality"], m["effective"]["integrity"], m["effective"]["availability"]] for m in d["members"] if m["id"] in ("sw", "mon", "db")}' \
	'{"db":["Billing DB","database","dba@example.org","high","high","moderate","moderate"],"mon":["Monitoring","server","ops@example.org","moderate","low","low","moderate"],"sw":["Switch","network_device","net@example.org","moderate",null,null,"moderate"]}' \
	"impact --json: name, type, owner, overall and effective levels (sw knows only A: overall its moderate)"
expect_json '{m["id"]: [m["overall"], m["overall_exact"], m["baseline"], m["baseline_exact"]] for m in d["members"] if m["id"] in ("sw", "mon", "db")}' \
	'{"db":["high",true,"HIGH",true],"mon":["moderate",true,"MODERATE",true],"sw":["moderate",false,"MODERATE",false]}' \
	"impact --json: a partly categorized member's overall and baseline are lower bounds (exact false)"
expect_json 'd["summary"]' \
	'{"counts":{"high":2,"low":2,"moderate":5,"uncategorized":0},"highest":{"availability":"moderate","confidentiality":"high","integrity":"moderate"},"members":9,"on_cycle":2,"owners":["app@example.org","biz@example.org","dba@example.org","desk@example.org","net@example.org","ops@example.org","wiki@example.org"],"partly_categorized":1,"route":"full-cab","services":["svc"]}' \
	"impact --json: the summary"
expect_json 'sum(d["summary"]["counts"].values())' '9' "impact --json: counts sum to the members"

hw --json impact bk kiosk --depth 1 --types backs_up_to,runs_on --summary
expect_json 'd' \
	'{"depth":1,"direction":"up","summary":{"counts":{"high":2,"low":1,"moderate":0,"uncategorized":0},"highest":{"availability":"moderate","confidentiality":"high","integrity":"moderate"},"members":3,"on_cycle":0,"owners":["desk@example.org","ops@example.org"],"partly_categorized":0,"route":"full-cab","services":[]},"targets":["bk","kiosk"]}' \
	"impact --json --summary: no members array, the summary of bk, kiosk and vm"

impact_ok "impact --json vm: matches the reference" high moderate vm
impact_ok "impact --json sw: matches the reference" high moderate sw
impact_ok "impact --json sw --depth 2: matches the reference" high moderate sw --depth 2
impact_ok "impact --json bk kiosk spare: matches the reference" high moderate bk kiosk spare
impact_ok "impact --json host --types runs_on,uses: matches the reference" high moderate host --types runs_on,uses
impact_ok "impact --json app --direction down: matches the reference" high moderate app --direction down
impact_ok "impact --json mon --direction down --types other: matches the reference" high moderate mon --direction down --types other
impact_ok "impact --json vm --direction both --depth 1: matches the reference" high moderate vm --direction both --depth 1

# --- the route ------------------------------------------------------------------
route() {
	hw --json impact "$@"
	json_val 'd["summary"]["route"]'
}
expect_eq "$(route kiosk)" '"standard"' "route standard: only low assets"
expect_eq "$(route spare)" '"cab-review"' "route cab-review: an uncategorized asset is not treated as low"
expect_eq "$(route app)" '"cab-review"' "route cab-review: app, kiosk and svc, moderate at most"
expect_eq "$(route vm)" '"full-cab"' "route full-cab: vm and db are high"
hw impact spare --summary
expect_eq "$(tail -n 1 "$OUT_FILE")" "route      cab-review (some touched assets have no level)" \
	"the text route says why an all-low-or-unknown set needs review"
hw impact kiosk --summary
expect_eq "$(tail -n 1 "$OUT_FILE")" "route      standard (only low-impact assets are touched)" \
	"the text route for a standard change"

hw config
expect_out_eq "organisation         (unset)   the organisation's name, shown in reports
route.full_cab       high      impact route: full-cab from this effective level up
route.cab_review     moderate  impact route: cab-review from this effective level up
change.self_approval refuse    allow or refuse: may a change's requester approve it" \
	"config: the settings and their defaults, the values' column as wide as the widest"
hw config organisation "Riverton Water Utility"
hw config
expect_out_eq "organisation         Riverton Water Utility  the organisation's name, shown in reports
route.full_cab       high                    impact route: full-cab from this effective level up
route.cab_review     moderate                impact route: cab-review from this effective level up
change.self_approval refuse                  allow or refuse: may a change's requester approve it" \
	"config: a longer value widens the column"
hw config organisation "The Riverton Valley Municipal Water and Sewer Authority"
hw config
expect_out_eq "organisation         The Riverton Valley Municipal Water and Sewer Authority
                               the organisation's name, shown in reports
route.full_cab       high      impact route: full-cab from this effective level up
route.cab_review     moderate  impact route: cab-review from this effective level up
change.self_approval refuse    allow or refuse: may a change's requester approve it" \
	"config: a very long value puts its description on the next line"
hw config organisation ""
hw --json config
expect_json 'd' '{"change.self_approval":"refuse","organisation":"","route.cab_review":"moderate","route.full_cab":"high"}' "config --json"

hw config route.full_cab MODERATE
expect_eq "$RC:$OUT" "0:route.full_cab = moderate" "config route.full_cab MODERATE (any case) is stored lower-case"
hw config route.full_cab
expect_out_eq "moderate" "config NAME prints the value"
expect_eq "$(route app)" '"full-cab"' "full_cab moderate: app now goes to the full CAB"
expect_eq "$(route kiosk)" '"standard"' "full_cab moderate: kiosk stays standard"
impact_ok "impact --json app matches the reference with full_cab moderate" moderate moderate app

refuse "config refuses cab_review above full_cab" 'route.cab_review' '"high"' 'full-CAB threshold below the CAB-review one' -- \
	config route.cab_review high
refuse "config refuses full_cab below cab_review" 'route.full_cab' '"low"' 'full-CAB threshold below the CAB-review one' -- \
	config route.full_cab low
hw config route.full_cab
expect_out_eq "moderate" "the refused change left full_cab alone"
hw config route.cab_review l
expect_eq "$RC:$OUT" "0:route.cab_review = low" "config route.cab_review l"
expect_eq "$(route kiosk)" '"cab-review"' "cab_review low: kiosk now needs a CAB review"
impact_ok "impact --json kiosk matches the reference with thresholds moderate/low" moderate low kiosk
hw config route.full_cab low
expect_eq "$RC:$OUT" "0:route.full_cab = low" "full_cab may equal cab_review"
expect_eq "$(route kiosk)" '"full-cab"' "full_cab low: even kiosk goes to the full CAB"
expect_eq "$(route spare)" '"cab-review"' "full_cab low: an uncategorized-only set still needs review"
hw config route.full_cab high
hw config route.cab_review high
expect_eq "$RC:$OUT" "0:route.cab_review = high" "cab_review may be raised up to full_cab"
expect_eq "$(route app)" '"standard"' "cab_review high: a moderate-only set is standard"
expect_eq "$(route spare)" '"cab-review"' "cab_review high: an uncategorized set still needs review"
expect_eq "$(route sw --depth 0)" '"cab-review"' \
	"cab_review high: a partly categorized moderate (a lower bound) still needs review"
hw impact sw --depth 0 --summary
expect_eq "$(tail -n 1 "$OUT_FILE")" \
	"route      cab-review (some touched assets are partly categorized: their level is a lower bound)" \
	"the text route says why: a partly categorized member"
hw_setup --quiet config route.cab_review moderate
hw config route.cab_review
expect_out_eq "moderate" "back to the default"

refuse "config refuses an unknown setting" 'unknown setting "nope"' 'route.full_cab' -- config nope
refuse "config refuses setting an unknown setting" 'unknown setting "nope"' -- config nope 1
refuse "config refuses a bad level" 'route.full_cab' 'unknown level "bogus"' -- config route.full_cab bogus
refuse "config refuses na as a threshold" 'route.cab_review' '"na"' -- config route.cab_review na
hw config route.full_cab high extra
expect_rc 2 "config takes two arguments at most (usage error)"
hw --json config
expect_json 'd' '{"change.self_approval":"refuse","organisation":"","route.cab_review":"moderate","route.full_cab":"high"}' \
	"the refused config changes left the settings alone"
hw config organisation "Riverton Water Authority"
expect_eq "$RC:$OUT" "0:organisation = Riverton Water Authority" "config organisation NAME"
hw config organisation
expect_out_eq "Riverton Water Authority" "config organisation prints it"

# --- bad input --------------------------------------------------------------------
refuse "impact of an unknown asset" "unknown asset 'nope'" -- impact nope
refuse "impact with one unknown target among known ones" "unknown asset 'nope'" -- impact vm nope
refuse "impact --direction down of an unknown asset" "unknown asset 'nope'" -- impact --direction down nope
# Exit codes: 2 when a value does not parse as its option's type (a
# count, one of the command line's fixed words), 1 when a well-formed
# value is refused by the data or the vocabularies (an unknown type).
refuse_usage "impact --depth abc" '--depth' '"abc"' -- impact vm --depth abc
refuse_usage "impact --depth -1" '--depth' '"-1"' -- impact vm --depth -1
refuse_usage "impact --depth ''" '--depth' -- impact vm --depth ''
refuse_usage "impact --depth ' 3' (no spaces)" '--depth' -- impact vm --depth ' 3'
refuse_usage "impact --direction sideways" '--direction' '"sideways"' 'up, down or both' -- impact vm --direction sideways
refuse_usage "report change --depth x" '--depth' '"x"' -- report change vm --depth x -o x.xlsx
refuse_usage "report change --direction sideways" '--direction' -- report change vm --direction sideways -o x.xlsx
refuse "impact --types nope" '--types' '"nope"' 'runs_on' -- impact vm --types nope
refuse "impact --types runs_on,nope" '--types' '"nope"' -- impact vm --types runs_on,nope
refuse_usage "impact --types ''" '--types' 'empty' -- impact vm --types ''
# A long list must not hide a bad name at its end.
long=$(printf 'runs_on,%.0s' $(seq 32))nope
refuse "impact --types with a bad name after 256 characters" '--types' '"nope"' -- impact vm --types "$long"
hw impact
expect_rc 2 "impact without ASSET is a usage error"
expect_err_has "missing ASSET" "... saying what is missing"
hw impact --depth 1
expect_rc 2 "impact with options but no ASSET is a usage error"
hw impact vm --bogus
expect_rc 2 "impact with an unknown option is a usage error"

# --- a long path in the table ---------------------------------------------------------
# element 40 depends on 39 ... 2 on 1: a change to 1 reaches 40 in 39 hops.
HIGHWATER_DB=$TMP/long-ids.db
hw_setup --quiet init
"$PYTHON" -c 'import json
n = 40
name = lambda i: "long-chain-element-number-%02d" % i
print(json.dumps({"format": "highwater-inventory", "version": 1,
    "assets": [{"id": name(i), "name": "x", "type": "server", "confidentiality": "low",
                "integrity": "low", "availability": "low"} for i in range(1, n + 1)],
    "dependencies": [{"from": name(i + 1), "to": name(i), "type": "runs_on"} for i in range(1, n)]}))' >"$TMP/chain40.json"
hw_setup --quiet import "$TMP/chain40.json"
hw --json impact long-chain-element-number-01
expect_json '[d["summary"]["members"], d["members"][-1]["distance"], d["members"][-1]["path"] == ["long-chain-element-number-%02d" % i for i in range(1, 41)], d["summary"]["route"]]' \
	'[40,39,true,"standard"]' "a 39-hop chain: the whole path in JSON; all low, a standard change"
hw impact long-chain-element-number-01
line=$(grep '^39  ' "$OUT_FILE")
if [[ $line == *" <- long-chain-element-number-40" || $line == *"..." ]]; then
	ends=yes
else
	ends="no, it ends: ${line: -50}"
fi
expect_eq "$ends" yes "a long PATH ends at the member, or says it was shortened"
HIGHWATER_DB=$TMP/test.db

# ==================================================================
# The demo inventory (data/demo-inventory.json).
demo_db

# The historian's dependents: hydraulic-model uses it (integrity only),
# scada-system-platform and telemetry-poller store data in it; then what
# depends on those.  distribution-pressure-mgmt has three shortest paths
# (through each of the three); the first in id order is shown.
hw impact scada-historian-db
expect_out_eq "Impact of a change to scada-historian-db (direction up): 10 assets

DIST  ASSET                       C         I         A     OVERALL   OWNER                              CYCLE  PATH
0     scada-historian-db          high      high      high  high      scada-ops@rivertonwater.example           (target)
1     hydraulic-model             moderate  high      low   high      engineering@rivertonwater.example         scada-historian-db <- hydraulic-model
1     scada-system-platform       high      high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform
1     telemetry-poller            high      high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- telemetry-poller
2     distribution-pressure-mgmt  high      high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- hydraulic-model <- distribution-pressure-mgmt
2     drinking-water-treatment    high      high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform <- drinking-water-treatment
2     gis-asset-management        moderate  moderate  low   moderate  gis@rivertonwater.example                 scada-historian-db <- hydraulic-model <- gis-asset-management
2     scada-alarm-dialer          low       high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform <- scada-alarm-dialer
2     scada-hmi-01                -         high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform <- scada-hmi-01
2     scada-hmi-02                -         high      high  high      scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform <- scada-hmi-02

highest    C high, I high, A high
by level   9 high, 1 moderate, 0 low, 0 uncategorized
notify     3 owners: engineering@rivertonwater.example, gis@rivertonwater.example, scada-ops@rivertonwater.example
services   3 business services: distribution-pressure-mgmt, drinking-water-treatment, gis-asset-management
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db"

hw impact scada-historian-db --summary
expect_out_eq "Impact of a change to scada-historian-db (direction up): 10 assets

highest    C high, I high, A high
by level   9 high, 1 moderate, 0 low, 0 uncategorized
notify     3 owners: engineering@rivertonwater.example, gis@rivertonwater.example, scada-ops@rivertonwater.example
services   3 business services: distribution-pressure-mgmt, drinking-water-treatment, gis-asset-management
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --summary"

hw impact scada-historian-db --depth 1
expect_out_eq "Impact of a change to scada-historian-db (direction up, depth 1): 4 assets

DIST  ASSET                  C         I     A     OVERALL  OWNER                              CYCLE  PATH
0     scada-historian-db     high      high  high  high     scada-ops@rivertonwater.example           (target)
1     hydraulic-model        moderate  high  low   high     engineering@rivertonwater.example         scada-historian-db <- hydraulic-model
1     scada-system-platform  high      high  high  high     scada-ops@rivertonwater.example           scada-historian-db <- scada-system-platform
1     telemetry-poller       high      high  high  high     scada-ops@rivertonwater.example           scada-historian-db <- telemetry-poller

highest    C high, I high, A high
by level   4 high, 0 moderate, 0 low, 0 uncategorized
notify     2 owners: engineering@rivertonwater.example, scada-ops@rivertonwater.example
services   0 business services
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --depth 1"

# Nothing runs on the historian database itself.
hw impact scada-historian-db --types runs_on
expect_out_eq "Impact of a change to scada-historian-db (direction up, some dependency types): 1 asset

DIST  ASSET               C     I     A     OVERALL  OWNER                            CYCLE  PATH
0     scada-historian-db  high  high  high  high     scada-ops@rivertonwater.example         (target)

highest    C high, I high, A high
by level   1 high, 0 moderate, 0 low, 0 uncategorized
notify     1 owner: scada-ops@rivertonwater.example
services   0 business services
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --types runs_on: nothing runs on a database"

hw impact scada-historian-db --direction down --types runs_on
expect_eq "$(without_path)" "Impact of a change to scada-historian-db (direction down, some dependency types): 3 assets

DIST  ASSET               C     I     A     OVERALL  OWNER                            CYCLE
0     scada-historian-db  high  high  high  high     scada-ops@rivertonwater.example
1     historian-vm-01     high  high  high  high     scada-ops@rivertonwater.example
2     ot-esx-02           high  high  high  high     ot-eng@rivertonwater.example

highest    C high, I high, A high
by level   3 high, 0 moderate, 0 low, 0 uncategorized
notify     2 owners: ot-eng@rivertonwater.example, scada-ops@rivertonwater.example
services   0 business services
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --direction down --types runs_on: its VM and host"

hw impact scada-historian-db --direction down
expect_eq "$(without_path)" "Impact of a change to scada-historian-db (direction down): 23 assets

DIST  ASSET                 C         I         A         OVERALL   OWNER                            CYCLE
0     scada-historian-db    high      high      high      high      scada-ops@rivertonwater.example
1     historian-vm-01       high      high      high      high      scada-ops@rivertonwater.example
1     ot-active-directory   high      high      high      high      ot-eng@rivertonwater.example     yes
2     nas-ot-01             high      high      high      high      ot-eng@rivertonwater.example
2     ntp-srv-01            -         high      -         high      (none)
2     ot-dc-vm-01           high      high      high      high      ot-eng@rivertonwater.example     yes
2     ot-esx-02             high      high      high      high      ot-eng@rivertonwater.example
3     backup-appliance-01   high      high      moderate  high      it-infra@rivertonwater.example   yes
3     core-sw-01            -         -         high      high      network@rivertonwater.example    yes
3     ot-esx-01             high      high      high      high      ot-eng@rivertonwater.example     yes
3     ot-plant-sw-01        -         high      high      high      ot-eng@rivertonwater.example
3     ups-plant-01          -         -         high      high      (none)
4     core-sw-02            -         -         high      high      network@rivertonwater.example
4     fw-edge-01            -         -         high      high      network@rivertonwater.example
4     fw-it-ot-01           moderate  high      high      high      network@rivertonwater.example
4     monitoring-zabbix     moderate  moderate  high      high      it-infra@rivertonwater.example   yes
4     offsite-backup-cloud  high      -         -         high      it-infra@rivertonwater.example
4     tape-library-01       high      high      -         high      it-infra@rivertonwater.example   yes
4     ups-dc-01             -         -         high      high      it-infra@rivertonwater.example
5     backup-repo-01        moderate  moderate  moderate  moderate  it-infra@rivertonwater.example   yes
5     monitoring-01         moderate  moderate  high      high      it-infra@rivertonwater.example   yes
5     monitoring-db         moderate  moderate  high      high      it-infra@rivertonwater.example   yes
5     sms-alerting          -         high      high      high      scada-ops@rivertonwater.example

highest    C high, I high, A high
by level   22 high, 1 moderate, 0 low, 0 uncategorized
notify     4 owners: it-infra@rivertonwater.example, network@rivertonwater.example, ot-eng@rivertonwater.example, scada-ops@rivertonwater.example
services   0 business services
on cycle   10 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --direction down (table without PATH)"

hw impact scada-historian-db --direction both --depth 1
expect_eq "$(without_path)" "Impact of a change to scada-historian-db (direction both, depth 1): 6 assets

DIST  ASSET                  C         I     A     OVERALL  OWNER                              CYCLE
0     scada-historian-db     high      high  high  high     scada-ops@rivertonwater.example
1     historian-vm-01        high      high  high  high     scada-ops@rivertonwater.example
1     hydraulic-model        moderate  high  low   high     engineering@rivertonwater.example
1     ot-active-directory    high      high  high  high     ot-eng@rivertonwater.example       yes
1     scada-system-platform  high      high  high  high     scada-ops@rivertonwater.example
1     telemetry-poller       high      high  high  high     scada-ops@rivertonwater.example

highest    C high, I high, A high
by level   6 high, 0 moderate, 0 low, 0 uncategorized
notify     3 owners: engineering@rivertonwater.example, ot-eng@rivertonwater.example, scada-ops@rivertonwater.example
services   0 business services
on cycle   1 asset
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact scada-historian-db --direction both --depth 1 (table without PATH)"

hw impact historian-vm-01 telemetry-poller
expect_out_eq "Impact of a change to historian-vm-01 telemetry-poller (direction up): 11 assets

DIST  ASSET                       C         I         A     OVERALL   OWNER                              CYCLE  PATH
0     historian-vm-01             high      high      high  high      scada-ops@rivertonwater.example           (target)
0     telemetry-poller            high      high      high  high      scada-ops@rivertonwater.example           (target)
1     distribution-pressure-mgmt  high      high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- distribution-pressure-mgmt
1     scada-historian-db          high      high      high  high      scada-ops@rivertonwater.example           historian-vm-01 <- scada-historian-db
1     scada-system-platform       high      high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- scada-system-platform
2     drinking-water-treatment    high      high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- scada-system-platform <- drinking-water-treatment
2     hydraulic-model             moderate  high      low   high      engineering@rivertonwater.example         historian-vm-01 <- scada-historian-db <- hydraulic-model
2     scada-alarm-dialer          low       high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- scada-system-platform <- scada-alarm-dialer
2     scada-hmi-01                -         high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- scada-system-platform <- scada-hmi-01
2     scada-hmi-02                -         high      high  high      scada-ops@rivertonwater.example           telemetry-poller <- scada-system-platform <- scada-hmi-02
3     gis-asset-management        moderate  moderate  low   moderate  gis@rivertonwater.example                 historian-vm-01 <- scada-historian-db <- hydraulic-model <- gis-asset-management

highest    C high, I high, A high
by level   10 high, 1 moderate, 0 low, 0 uncategorized
notify     3 owners: engineering@rivertonwater.example, gis@rivertonwater.example, scada-ops@rivertonwater.example
services   3 business services: distribution-pressure-mgmt, drinking-water-treatment, gis-asset-management
on cycle   0 assets
route      full-cab (the change touches assets at or above the full-CAB level)" \
	"demo: impact of two targets: each member at its distance from the nearer one"

hw --json impact scada-historian-db
expect_json '{m["id"]: [m["distance"], m["path"]] for m in d["members"] if m["distance"] < 2}' \
	'{"hydraulic-model":[1,["scada-historian-db","hydraulic-model"]],"scada-historian-db":[0,["scada-historian-db"]],"scada-system-platform":[1,["scada-historian-db","scada-system-platform"]],"telemetry-poller":[1,["scada-historian-db","telemetry-poller"]]}' \
	"demo --json: distances and paths of the historian and its direct dependents"
expect_json 'all(m["path"][0] == "scada-historian-db" and m["path"][-1] == m["id"] and len(m["path"]) == m["distance"] + 1 for m in d["members"])' \
	'true' "demo --json: every path starts at the target and ends at the member"
expect_json '[d["summary"]["route"], d["summary"]["owners"], d["summary"]["services"], d["summary"]["members"], sum(d["summary"]["counts"].values())]' \
	'["full-cab",["engineering@rivertonwater.example","gis@rivertonwater.example","scada-ops@rivertonwater.example"],["distribution-pressure-mgmt","drinking-water-treatment","gis-asset-management"],10,10]' \
	"demo --json: route, owners sorted and distinct, business services, counts sum to members"
expect_json '[m["id"] for m in d["members"] if m["type"] == "business_service"] == sorted(d["summary"]["services"])' \
	'true' "demo --json: the services are exactly the business_service members"

hw --json impact scada-historian-db --direction down
expect_json '{m["id"]: m["on_cycle"] for m in d["members"] if m["id"] in ("core-sw-01", "monitoring-01", "ot-active-directory", "historian-vm-01", "ntp-srv-01")}' \
	'{"core-sw-01":true,"historian-vm-01":false,"monitoring-01":true,"ntp-srv-01":false,"ot-active-directory":true}' \
	"demo --json: on_cycle for core-sw-01 and monitoring-01 (a cycle), not for the historian VM"
expect_json '[d["summary"]["on_cycle"], sum(1 for m in d["members"] if m["on_cycle"])]' '[10,10]' \
	"demo --json: the summary counts the members on a cycle"
expect_json '[m["path"] for m in d["members"] if m["id"] == "monitoring-01"]' \
	'[["scada-historian-db","ot-active-directory","ntp-srv-01","core-sw-01","monitoring-zabbix","monitoring-01"]]' \
	"demo --json: the path down to monitoring-01, one dependency a hop"

impact_ok "demo: impact --json scada-historian-db matches the reference" high moderate scada-historian-db
impact_ok "demo: impact --json scada-historian-db --depth 1 matches the reference" high moderate scada-historian-db --depth 1
impact_ok "demo: impact --json scada-historian-db --direction down matches the reference" high moderate scada-historian-db --direction down
impact_ok "demo: impact --json scada-historian-db --direction both --depth 1 matches the reference" high moderate scada-historian-db --direction both --depth 1
impact_ok "demo: impact --json --types stores_data_in,uses matches the reference" high moderate scada-historian-db --types stores_data_in,uses
impact_ok "demo: impact --json core-sw-01 (on a cycle) matches the reference" high moderate core-sw-01
impact_ok "demo: impact --json core-sw-01 --depth 2 --direction down matches the reference" high moderate core-sw-01 --depth 2 --direction down
impact_ok "demo: impact --json of three targets matches the reference" high moderate historian-vm-01 telemetry-poller portal-db
impact_ok "demo: impact --json ot-esx-01 --types runs_on,authenticates_via matches the reference" high moderate ot-esx-01 --types runs_on,authenticates_via
impact_ok "demo: impact --json scada-historian-db --direction both matches the reference" high moderate scada-historian-db --direction both

# The route on the demo: the customer portal's database is moderate.
expect_eq "$(route portal-db)" '"cab-review"' "demo: impact portal-db goes to CAB review"
hw_setup --quiet config route.full_cab moderate
expect_eq "$(route portal-db)" '"full-cab"' "demo: with full_cab moderate it goes to the full CAB"
hw_setup --quiet config route.full_cab high
hw_setup --quiet config route.cab_review high
expect_eq "$(route portal-db)" '"standard"' "demo: with cab_review high it is a standard change"
hw impact portal-db --summary
expect_eq "$(tail -n 1 "$OUT_FILE")" "route      standard (only low-impact assets are touched)" \
	"demo: the text route follows the thresholds"
expect_eq "$(route scada-historian-db)" '"full-cab"' "demo: the historian still goes to the full CAB"

done_testing
