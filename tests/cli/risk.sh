#!/bin/bash
# risk.sh: "highwater risk", "plan" and "check" on the demo inventory, as
# of 2026-11-21 throughout (scores move with the date otherwise): the
# exact top five, every score recomputed in Python from the printed
# factors and from the inventory (dependents by brute force), ranks,
# filters, the weights (--weights, --set, refused values), risk factors
# through "asset set", import and export, the protection plan (text and
# --json against the SP 800-53B CSV), and check's findings and exit
# codes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

ASOF=2026-11-21
BASELINES=$HIGHWATER_DATADIR/sp800-53b-baselines.csv

# save NAME: keep the last stdout as $TMP/NAME.
save() {
	cp "$OUT_FILE" "$TMP/$1"
}

demo_db

# --- the register: exact top five --------------------------------------------
hw risk --top 5 --as-of $ASOF
expect_rc 0 "risk --top 5 exits 0"
expect_out_eq "RANK  ASSET              OWNER                            C/I/A  OVERALL   IMPACT  LIKELIHOOD  DEPENDENTS  WEIGHTED  BLAST  SCORE  BAND       LIKELIHOOD FACTORS
   1  fw-edge-01         network@rivertonwater.example    ?/?/H  high       0.867       0.769         105       279  0.612   53.7  high       internet +0.250, cvss 9.8 +0.294, vulnerabilities 2 +0.020, patched 201d ago +0.055, baseline gap 1 +0.050
   2  scada-radio-gw-01  ot-eng@rivertonwater.example     ?/H/H  high       0.933       0.824           8        24  0.349   51.9  high       internet +0.250, cvss 8.8 +0.264, vulnerabilities 1 +0.010, patched 519d ago +0.100, baseline gap 2 +0.100
   3  scada-hmi-01       scada-ops@rivertonwater.example  ?/H/H  high       0.933       0.794           1         3  0.151   42.6  high       cvss 7.8 +0.234, vulnerabilities 6 +0.060, patched 384d ago +0.100, end_of_life +0.200, baseline gap 2 +0.100
   4  scada-hmi-02       scada-ops@rivertonwater.example  ?/H/H  high       0.933       0.794           1         3  0.151   42.6  high       cvss 7.8 +0.234, vulnerabilities 6 +0.060, patched 384d ago +0.100, end_of_life +0.200, baseline gap 2 +0.100
   5  plc-chem-feed-01   ot-eng@rivertonwater.example     L/H/H  high       0.867       0.649           6        18  0.320   37.1  moderate   cvss 9.3 +0.279, vulnerabilities 2 +0.020, patched 1354d ago +0.100, baseline gap 3 +0.150

5 of 114 assets, as of 2026-11-21; base likelihood 0.100 in every row (see risk --weights); fragility: no data (no change or incident records yet)" \
	"risk --top 5: the exact top five (the scada-hmi tie ranked by id)"

hw --quiet risk --top 2 --as-of $ASOF
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 3 "--quiet leaves out the footer"

# Two of them by hand, from the factor values the JSON prints (not from
# its contributions): level values low 1, moderate 2, high 3,
# uncategorized 2; the default weights.
HAND='
import json, math, sys
d = json.load(open(sys.argv[1]))
val = {"low": 1, "moderate": 2, "high": 3}
for a in d["assets"]:
    if a["id"] not in sys.argv[2:]:
        continue
    lv = [val.get(a["effective"][o], 2)
          for o in ("confidentiality", "integrity", "availability")]
    impact = (2 * max(lv) + sum(lv)) / 15
    f = {k: v["value"] for k, v in a["factors"].items()}
    like = 0.10
    like += 0.25 if f["internet"] else 0
    if f["vulnerabilities"]:
        like += 0.30 * f["cvss"] / 10 if f["cvss"] is not None else 0
        like += 0.10 * min(f["vulnerabilities"], 10) / 10
    if f["patch_age"] is not None:
        like += 0.10 * min(max(f["patch_age"], 0), 365) / 365
    like += 0.20 if f["end_of_life"] and f["end_of_life"] <= d["as_of"] else 0
    like += 0.20 if f["unauthorized"] else 0
    # The baseline gap against the highest known effective level (FIPS
    # 200: a lower bound when some objective is unknown), in steps above
    # the implemented baseline recorded.
    req = max((val[l] for l in a["effective"].values() if l), default=0)
    have = {"none": 0, "low": 1, "moderate": 2, "high": 3}.get(
        a["recorded"].get("implemented_baseline"))
    like += 0.05 * (max(0, req - have) if req and have is not None else 0)
    like = min(1, like)
    w = a["weighted_dependents"]
    blast = min(1, math.log10(1 + w) / math.log10(10001)) if w > 0 else 0
    score = round(100 * impact * like * (0.5 + 0.5 * blast), 1)
    band = ("very high" if score >= 60 else "high" if score >= 40 else
            "moderate" if score >= 20 else "low")
    print("%s %.1f %s" % (a["id"], score, band))
'
hw --json risk --as-of $ASOF
save risk0.json
expect_eq "$("$PYTHON" -c "$HAND" "$TMP/risk0.json" fw-edge-01 plc-chem-feed-01 2>&1)" \
	"fw-edge-01 53.7 high
plc-chem-feed-01 37.1 moderate" \
	"fw-edge-01 and plc-chem-feed-01 recomputed by hand from their factors"

# Every asset: the score from the printed impact, likelihood and
# multiplier; each of those from the levels, the factors and the
# weights; the factors' values from the export; the dependents and their
# weights by breadth-first search over the export's dependencies with
# "categorize --json"'s overall levels; ranks 1..n by score then id.
# Arguments: risk --json, export, categorize --json, risk --weights
# --json.
RISK_CHECK='
import collections, datetime, json, math, sys
risk = json.load(open(sys.argv[1]))
inv = json.load(open(sys.argv[2]))
cat = json.load(open(sys.argv[3]))
W = {w["name"]: w["value"] for w in json.load(open(sys.argv[4]))["weights"]}
unc = W["impact.uncategorized"]
val = {"low": 1, "moderate": 2, "high": 3}
step = {"none": 0, "low": 1, "moderate": 2, "high": 3}
objs = ("confidentiality", "integrity", "availability")
as_of = datetime.date.fromisoformat(risk["as_of"])
assets = {a["id"]: a for a in inv["assets"]}
eff = {a["id"]: a for a in cat["assets"]}
up = collections.defaultdict(list)
for x in inv["dependencies"]:
    up[x["to"]].append(x["from"])
problems = []
def close(what, got, want, tol=1e-6):
    if got is None or abs(got - want) > tol:
        problems.append("%s: %r, want %r" % (what, got, want))
def same(what, got, want):
    if got != want:
        problems.append("%s: %r, want %r" % (what, got, want))
rows = risk["assets"]
same("count", len(rows), len(assets))
same("count field", risk["count"], len(assets))
same("ranks", [r["rank"] for r in rows], list(range(1, len(rows) + 1)))
same("order (score desc, id asc)", [r["id"] for r in rows],
     [r["id"] for r in sorted(rows, key=lambda r: (-r["score"], r["id"]))])
for r in rows:
    i = r["id"]
    a, c, f = assets[i], eff[i], r["factors"]
    same(i + " effective", r["effective"], c["effective"])
    same(i + " overall", r["overall"], c["overall"])
    same(i + " owner", r["owner"], a.get("owner"))
    same(i + " type", r["type"], a["type"])
    lv = [val.get(c["effective"][o], unc) for o in objs]
    close(i + " impact", r["impact"], (2 * max(lv) + sum(lv)) / 15)
    # Dependents, by brute force.
    seen, todo = {i}, [i]
    while todo:
        for x in up[todo.pop()]:
            if x not in seen:
                seen.add(x)
                todo.append(x)
    seen.discard(i)
    weighted = sum(val.get(eff[x]["overall"], unc) for x in seen)
    if r["dependents_estimated"]:
        close(i + " dependents (estimated)", r["dependents"], len(seen),
              0.25 * len(seen))
    else:
        same(i + " dependents", r["dependents"], len(seen))
        close(i + " weighted dependents", r["weighted_dependents"], weighted)
    # Terms, from what the export records.
    vul, cvss = a.get("vulnerabilities"), a.get("worst_cvss")
    t = dict.fromkeys(f, 0.0)
    t["base"] = W["likelihood.base"]
    if a["internet_facing"]:
        t["internet"] = W["likelihood.internet"]
    if vul:
        if cvss is not None:
            t["cvss"] = W["likelihood.cvss"] * cvss / 10
        cap = W["likelihood.vulnerability_cap"]
        t["vulnerabilities"] = W["likelihood.vulnerabilities"] * min(vul, cap) / cap
    age = None
    if "last_patched" in a:
        age = (as_of - datetime.date.fromisoformat(a["last_patched"])).days
        days = W["likelihood.patch_days"]
        t["patch_age"] = W["likelihood.patch_age"] * min(max(age, 0), days) / days
    eol = a.get("end_of_life")
    if eol is not None and datetime.date.fromisoformat(eol) <= as_of:
        t["end_of_life"] = W["likelihood.end_of_life"]
    if a.get("authorized") is False:
        t["unauthorized"] = W["likelihood.unauthorized"]
    gap = None
    if "implemented_baseline" in a:
        gap = max(0, step[c["overall"]] - step[a["implemented_baseline"]]) \
            if c["overall"] else 0
        t["baseline_gap"] = W["likelihood.baseline_gap"] * gap
    for k in t:
        close(i + " " + k + " contribution", f[k]["contribution"], t[k])
    same(i + " internet value", f["internet"]["value"], a["internet_facing"])
    same(i + " cvss value", f["cvss"]["value"], cvss)
    same(i + " vulnerabilities value", f["vulnerabilities"]["value"], vul)
    same(i + " patch_age value", f["patch_age"]["value"], age)
    same(i + " end_of_life value", f["end_of_life"]["value"], eol)
    same(i + " unauthorized value", f["unauthorized"]["value"],
         a.get("authorized") is False)
    same(i + " baseline_gap value", f["baseline_gap"]["value"], gap)
    same(i + " fragility value", f["fragility"]["value"], None)
    # Likelihood: the contributions summed, capped at 1.
    total = sum(x["contribution"] for x in f.values())
    close(i + " likelihood", r["likelihood"], min(1, total))
    close(i + " likelihood from the factors", r["likelihood"],
          min(1, sum(t.values())))
    wd = r["weighted_dependents"]
    sat = W["blast.saturation"]
    blast = min(1, math.log10(1 + wd) / math.log10(1 + sat)) if wd > 0 else 0
    close(i + " blast", r["blast"], blast)
    floor = W["blast.floor"]
    close(i + " multiplier", r["multiplier"], floor + (1 - floor) * blast)
    # The score: from the printed numbers to its 0.1, and within 0.1 of
    # the one recomputed from scratch.
    close(i + " score", r["score"],
          100 * r["impact"] * r["likelihood"] * r["multiplier"], 0.05 + 1e-9)
    close(i + " score from scratch", r["score"],
          100 * (2 * max(lv) + sum(lv)) / 15 * min(1, sum(t.values())) *
          (floor + (1 - floor) * blast), 0.1)
    close(i + " score in tenths", r["score"] * 10, round(r["score"] * 10), 1e-6)
    s = r["score"]
    band = ("very high" if s >= W["band.very_high"] else
            "high" if s >= W["band.high"] else
            "moderate" if s >= W["band.moderate"] else "low")
    same(i + " band", r["band"], band)
print("\n".join(problems[:25]) if problems else "ok")
'

# collect: the register, the export and the categorization, saved.
collect() {
	hw --json risk --as-of $ASOF
	save risk.json
	hw export
	save export.json
	hw --json categorize
	save cat.json
}

# check_all DESC: run the whole check on the current database.
check_all() {
	collect
	hw --json risk --weights
	save weights.json
	py_ok "$1" "$RISK_CHECK" "$TMP/risk.json" "$TMP/export.json" \
		"$TMP/cat.json" "$TMP/weights.json"
}

check_all "risk --json: all 114 scores, factors, dependents and ranks recomputed"
hw --json risk --as-of $ASOF
expect_json '[(a["id"], a["score"], a["band"]) for a in d["assets"][:5]]' \
	'[["fw-edge-01",53.7,"high"],["scada-radio-gw-01",51.9,"high"],["scada-hmi-01",42.6,"high"],["scada-hmi-02",42.6,"high"],["plc-chem-feed-01",37.1,"moderate"]]' \
	"risk --json: top five ids, scores and bands"
expect_json 'd["as_of"]' '"2026-11-21"' "risk --json: as_of"

# Another date moves the patch ages (and so the scores).
hw --json risk --as-of 2027-11-21
expect_json '[a["factors"]["patch_age"]["value"] for a in d["assets"] if a["id"] == "fw-edge-01"]' \
	'[566]' "--as-of: the patch age counts from that date"
hw risk --as-of 2026-02-30
expect_rc 2 "--as-of with a date that does not exist is a usage error (exit 2)"
expect_err_has "2026-02-30" "... and names it"

# --- filters -------------------------------------------------------------------
# The rows of a filtered register: the global ranks, in order.
FILTER_CHECK='
import json, sys
full = json.load(open(sys.argv[1]))["assets"]
part = json.load(open(sys.argv[2]))["assets"]
key, value, top = sys.argv[3], sys.argv[4], int(sys.argv[5])
want = [a for a in full if a[key] == value]
if top >= 0:
    want = want[:top]
got = [(a["rank"], a["id"]) for a in part]
exp = [(a["rank"], a["id"]) for a in want]
print("ok" if got == exp and len(exp) > 0 else "got %r, want %r" % (got, exp))
'
hw --json risk --type database --as-of $ASOF
save f.json
py_ok "risk --type database: exactly the databases, in rank order" \
	"$FILTER_CHECK" "$TMP/risk0.json" "$TMP/f.json" type database -1
hw --json risk --owner ot-eng@rivertonwater.example --as-of $ASOF
save f.json
py_ok "risk --owner: exactly that owner's assets, in rank order" \
	"$FILTER_CHECK" "$TMP/risk0.json" "$TMP/f.json" owner ot-eng@rivertonwater.example -1
hw --json risk --type server --top 3 --as-of $ASOF
save f.json
py_ok "risk --type server --top 3: the three highest servers" \
	"$FILTER_CHECK" "$TMP/risk0.json" "$TMP/f.json" type server 3
hw risk --owner gis@rivertonwater.example --top 2 --as-of $ASOF
expect_out_eq "RANK  ASSET               OWNER                      C/I/A  OVERALL   IMPACT  LIKELIHOOD  DEPENDENTS  WEIGHTED  BLAST  SCORE  BAND       LIKELIHOOD FACTORS
  66  gis-db-vm-01        gis@rivertonwater.example  M/H/M  high       0.867       0.100           8        20  0.331    5.8  low        -
  69  gis-enterprise-gdb  gis@rivertonwater.example  M/H/M  high       0.867       0.100           7        17  0.314    5.7  low        -

2 of 114 assets, as of 2026-11-21; base likelihood 0.100 in every row (see risk --weights); fragility: no data (no change or incident records yet)" \
	"risk --owner --top 2: exact output with global ranks"
hw --json risk --top 0 --as-of $ASOF
expect_json 'len(d["assets"])' 0 "risk --top 0 shows nothing"
hw --json risk --owner nobody@example.org --as-of $ASOF
expect_json 'len(d["assets"])' 0 "an owner with no assets: nothing"
hw risk --type bogus --as-of $ASOF
expect_rc 1 "risk --type with an unknown type exits 1"
expect_err_one_line "... with one line"
expect_err_has 'unknown asset type "bogus"' "... naming the type"
hw risk --top -1
expect_rc 2 "risk --top -1 is a usage error"
hw risk --top x
expect_rc 2 "risk --top x is a usage error"
hw risk --top ''
expect_rc 2 "risk --top '' is a usage error"
hw risk --type bogus
expect_rc 1 "risk --type bogus: a well-formed value the vocabulary refuses exits 1"
hw risk extra
expect_rc 2 "risk with an argument is a usage error"

# --- weights ---------------------------------------------------------------------
hw risk --weights
expect_rc 0 "risk --weights exits 0"
expect_eq "$(awk 'NR > 1 { print $1 }' "$OUT_FILE" | tr '\n' ' ')" \
	"impact.uncategorized likelihood.base likelihood.internet likelihood.cvss likelihood.vulnerabilities likelihood.vulnerability_cap likelihood.patch_age likelihood.patch_days likelihood.end_of_life likelihood.unauthorized likelihood.baseline_gap likelihood.fragility blast.floor blast.saturation band.moderate band.high band.very_high plan.patch_overdue_days fragility.failure_rate fragility.failure_rate_cap fragility.min_changes fragility.incidents fragility.incident_cap fragility.mttr fragility.mttr_cap_hours fragility.change_days fragility.incident_days fragility.repair_days plan.fragile " \
	"risk --weights lists every weight"
expect_out_has "likelihood.internet                  0.25       0.25  internet-facing" \
	"risk --weights shows value and default"
hw --json risk --weights
expect_json '[(w["name"], w["value"], w["default"]) for w in d["weights"] if w["name"] in ("blast.saturation", "band.high", "plan.patch_overdue_days")]' \
	'[["blast.saturation",10000.0,10000.0],["band.high",40.0,40.0],["plan.patch_overdue_days",90.0,90.0]]' \
	"risk --weights --json: values and defaults"
expect_json 'len(d["weights"])' 29 "risk --weights --json: 29 weights"
save weights0.json

# Bad --set: refused with one line, nothing changed (weights and scores:
# the export does not hold them).
same_weights() {
	"$HIGHWATER" --json risk --weights >"$TMP/w.json" &&
		cmp -s "$TMP/w.json" "$TMP/weights0.json" &&
		"$HIGHWATER" --json risk --as-of $ASOF >"$TMP/r.json" &&
		cmp -s "$TMP/r.json" "$TMP/risk0.json"
}
# bad_set DESC NEEDLE ARGS...
bad_set() {
	local desc=$1 needle=$2
	shift 2
	refuse "$desc" "$needle" -- "$@"
	ok_if "... the weights and scores are unchanged" same_weights
}
bad_set "--set with an unknown weight is refused" 'unknown weight "likelihood.nope"' \
	risk --set likelihood.nope=0.5
bad_set "--set out of range is refused" "likelihood.internet: 1.5 is out of range (expected 0 to 1)" \
	risk --set likelihood.internet=1.5
bad_set "--set below range is refused" "blast.saturation: 0 is out of range" \
	risk --set blast.saturation=0
bad_set "--set not a number is refused" 'likelihood.internet: "lots" is not a number' \
	risk --set likelihood.internet=lots
bad_set "--set with an empty value is refused" "is not a number" \
	risk --set likelihood.internet=
bad_set "--set bands out of order is refused" "bands must rise" \
	risk --set band.high=70
bad_set "--set bands equal is refused" "bands must rise" \
	risk --set band.moderate=40
bad_set "--set: one bad of two changes nothing (the good one neither)" "bands must rise" \
	risk --set likelihood.internet=0.5 --set band.very_high=30
hw risk --set likelihood.internet
expect_rc 2 "--set without '=' is a usage error (exit 2)"
expect_eq "$(head -n 1 "$ERR_FILE")" \
	"highwater: risk: --set: 'likelihood.internet' is not NAME=VALUE" \
	"... saying so on its first line"
ok_if "... the weights and scores are unchanged" same_weights

# A good --set: persisted, and only internet-facing assets move.
hw risk --set likelihood.internet=0.5
expect_rc 0 "risk --set likelihood.internet=0.5 exits 0"
expect_out_has "likelihood.internet                   0.5       0.25  internet-facing (changed)" \
	"risk --set prints the weights, the changed one marked"
hw risk --weights
expect_out_has "likelihood.internet                   0.5       0.25  internet-facing (changed)" \
	"the new weight is persisted"
hw --json risk --as-of $ASOF
save risk1.json
MOVED_CHECK='
import json, sys
before = {a["id"]: a for a in json.load(open(sys.argv[1]))["assets"]}
after = {a["id"]: a for a in json.load(open(sys.argv[2]))["assets"]}
problems = []
internet = 0
for i, a in after.items():
    b = before[i]
    if b["factors"]["internet"]["value"]:
        internet += 1
        if a["factors"]["internet"]["contribution"] != 0.5:
            problems.append(i + ": internet contribution %r" % a["factors"]["internet"]["contribution"])
        if b["likelihood"] < 1 and not a["score"] > b["score"]:
            problems.append(i + ": score %r, was %r" % (a["score"], b["score"]))
    elif a["score"] != b["score"] or a["factors"] != b["factors"]:
        problems.append(i + ": not internet-facing, but moved")
if internet < 3:
    problems.append("only %d internet-facing assets" % internet)
print("\n".join(problems) or "ok")
'
py_ok "likelihood.internet=0.5: every internet-facing score rises, no other moves" \
	"$MOVED_CHECK" "$TMP/risk0.json" "$TMP/risk1.json"
check_all "risk --json with the changed weight: every score recomputed"
hw risk --top 1 --as-of $ASOF
expect_out_has "   1  fw-edge-01  " "fw-edge-01 is still first"
expect_out_has "internet +0.500" "its internet contribution is 0.500"
hw risk --set likelihood.internet=0.25 --set band.very_high=70 --set band.high=50
expect_rc 0 "several --set at once (bands raised top first)"
hw --json risk --weights
expect_json '[w["value"] for w in d["weights"] if w["name"].startswith("band.")]' \
	'[20.0,50.0,70.0]' "... all of them stored"
hw --json risk --as-of $ASOF
expect_json '[(a["id"], a["score"], a["band"]) for a in d["assets"][:3]]' \
	'[["fw-edge-01",53.7,"high"],["scada-radio-gw-01",51.9,"high"],["scada-hmi-01",42.6,"moderate"]]' \
	"the bands follow the new thresholds (42.6 is moderate below 50)"
hw_setup risk --set band.high=40 --set band.very_high=60
hw --json risk --as-of $ASOF
ok_if "back to the defaults: the same register as at first" \
	cmp -s "$OUT_FILE" "$TMP/risk0.json"

# --- risk factors through asset set ------------------------------------------------
hw_setup asset add x-srv --name "Test server" --type server --owner t@example.org \
	--c moderate --i moderate --a low
hw asset set x-srv vulnerabilities=3 worst_cvss=9.1 last_patched=2026-01-01 \
	end_of_life=2030-01-01 authorized=no implemented_baseline=low downtime_cost=100
expect_eq "$RC:$OUT" "0:updated asset 'x-srv'" "asset set with every factor"
hw asset show x-srv
expect_out_has "risk factors
  vulnerabilities       3
  worst_cvss            9.1
  last_patched          2026-01-01
  end_of_life           2030-01-01
  authorized            no
  implemented_baseline  low
  downtime_cost         100.00
direct " "asset show lists the factors"
hw --json asset show x-srv
expect_json 'd["factors"]' \
	'{"authorized":false,"downtime_cost":100.0,"end_of_life":"2030-01-01","implemented_baseline":"low","last_patched":"2026-01-01","vulnerabilities":3,"worst_cvss":9.1}' \
	"asset show --json: the factors, typed"
hw export
expect_json '{k: v for k, v in [a for a in d["assets"] if a["id"] == "x-srv"][0].items() if k in ("authorized", "downtime_cost", "end_of_life", "implemented_baseline", "last_patched", "vulnerabilities", "worst_cvss")}' \
	'{"authorized":false,"downtime_cost":100.0,"end_of_life":"2030-01-01","implemented_baseline":"low","last_patched":"2026-01-01","vulnerabilities":3,"worst_cvss":9.1}' \
	"export carries the factors"
# M/M/L: impact (4 + 5) / 15 = .6; likelihood .1 + cvss .273 + 3
# vulnerabilities .03 + patched 324 days ago .0887671 + unauthorized .2
# + LOW of MODERATE .05 = .7417671; nothing depends on it: .5;
# 100 * .6 * .7417671 * .5 = 22.25 -> 22.3, moderate.
hw --json risk --as-of $ASOF
expect_json '[(a["score"], a["band"], a["factors"]["patch_age"]["value"], a["factors"]["baseline_gap"]["value"]) for a in d["assets"] if a["id"] == "x-srv"]' \
	'[[22.3,"moderate",324,1]]' "x-srv scores 22.3, computed by hand"
check_all "risk --json after asset set: every score recomputed"

refuse "worst_cvss=11 is refused" "worst_cvss" "out of range" -- \
	asset set x-srv worst_cvss=11
refuse "last_patched=2026-02-30 is refused" "last_patched" "2026-02-30" "not a calendar date" -- \
	asset set x-srv last_patched=2026-02-30
refuse "authorized=maybe is refused" "authorized" '"maybe" is not yes or no' -- \
	asset set x-srv authorized=maybe
refuse "implemented_baseline=ultra is refused" "implemented_baseline" '"ultra"' -- \
	asset set x-srv implemented_baseline=ultra
refuse "vulnerabilities=-1 is refused" "vulnerabilities" "out of range" -- \
	asset set x-srv vulnerabilities=-1
refuse "vulnerabilities=1.5 is refused" "vulnerabilities" "not a whole number" -- \
	asset set x-srv vulnerabilities=1.5
refuse "downtime_cost=cheap is refused" "downtime_cost" "not a number" -- \
	asset set x-srv downtime_cost=cheap
refuse "a good value with a bad one changes nothing" "worst_cvss" -- \
	asset set x-srv vulnerabilities=7 worst_cvss=11
refuse "fragility is not set by hand" "fragility" -- \
	asset set x-srv fragility=0.5

hw asset set x-srv worst_cvss= end_of_life=
expect_rc 0 "key= clears a factor"
hw --json asset show x-srv
expect_json 'sorted(d["factors"])' \
	'["authorized","downtime_cost","implemented_baseline","last_patched","vulnerabilities"]' \
	"worst_cvss and end_of_life are gone, the rest stay"
hw export
expect_json 'sorted(k for k in [a for a in d["assets"] if a["id"] == "x-srv"][0] if k in ("worst_cvss", "end_of_life", "vulnerabilities"))' \
	'["vulnerabilities"]' "export no longer has them"
hw_setup asset set x-srv vulnerabilities= last_patched= authorized= implemented_baseline= downtime_cost=
hw asset show x-srv
expect_out_has "risk factors (no data)" "clearing every factor leaves no data"

# --- import and export of factors -------------------------------------------------
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw import "$HW_TESTDATA/cli-risk.json"
expect_eq "$RC:$OUT" "0:imported 0 information types, 3 assets, 2 dependencies from $HW_TESTDATA/cli-risk.json" \
	"import of an inventory with every factor"
hw export
expect_out_file "$HW_TESTDATA/cli-risk.json" "export gives the file back byte for byte"
hw export -o "$TMP/again.json"
rm -f "$TMP/two.db"
hw --db "$TMP/two.db" --quiet init
hw --db "$TMP/two.db" --quiet import "$TMP/again.json"
hw --db "$TMP/two.db" export
expect_out_file "$HW_TESTDATA/cli-risk.json" "export, import elsewhere, export: the same bytes"
hw --json risk --as-of $ASOF
# By hand.  plain-app (L/M/L) runs on legacy-srv (L/L/M), which
# connects to edge-fw (M/H/H) carrying availability only.
# edge-fw: effective M/H/H, impact (6 + 8) / 15 = .9333333; likelihood
#   .1 + internet .25 + cvss .3 * 7.5/10 = .225 + 4 vulnerabilities .04
#   + patched 265 days ago .1 * 265/365 = .0726027 + MODERATE of HIGH
#   .05 = .7376027 (end of life 2027: not yet); dependents legacy-srv
#   and plain-app, both effective moderate: weighted 4, blast
#   log10(5) / log10(10001) = .1747406, multiplier .5873703;
#   100 * .9333333 * .7376027 * .5873703 = 40.44 -> 40.4, high
# legacy-srv: effective L/M/M, impact (4 + 5) / 15 = .6; likelihood .1
#   + end of life .2 + unauthorized .2 + none of MODERATE 2 * .05 = .6;
#   weighted 2 (plain-app), blast log10(3) / log10(10001) = .1192719,
#   multiplier .5596360; 100 * .6 * .6 * .5596360 = 20.15 -> 20.1
# plain-app: (4 + 4) / 15 * .1 * .5 = 2.67 -> 2.7
expect_json '[(a["id"], a["score"], a["band"]) for a in d["assets"]]' \
	'[["edge-fw",40.4,"high"],["legacy-srv",20.1,"moderate"],["plain-app",2.7,"low"]]' \
	"the imported factors score as computed by hand"
check_all "risk --json on the imported inventory: every score recomputed"

# import_bad DESC NEEDLE... -- MEMBERS: an asset with MEMBERS is refused
# with its JSON path, and nothing changes.
import_bad() {
	local desc=$1 members
	local -a needles=()
	shift
	while [ "$1" != "--" ]; do
		needles+=("$1")
		shift
	done
	members=$2
	printf '{"format": "highwater-inventory", "version": 1, "assets": [{"id": "x1", "name": "X", "type": "server", %s}]}\n' \
		"$members" >"$TMP/bad.json"
	refuse "$desc" "${needles[@]}" -- import "$TMP/bad.json"
}
import_bad 'vulnerabilities as a string is refused with its path' \
	'assets[0].vulnerabilities' 'expected a whole number, not a string' -- '"vulnerabilities": "3"'
import_bad 'authorized as a string is refused with its path' \
	'assets[0].authorized' 'expected true or false, not a string' -- '"authorized": "no"'
import_bad 'vulnerabilities 2.5 is refused' \
	'assets[0].vulnerabilities' 'expected a whole number' -- '"vulnerabilities": 2.5'
import_bad 'worst_cvss as a string is refused' \
	'assets[0].worst_cvss' 'expected a number, not a string' -- '"worst_cvss": "9.1"'
import_bad 'worst_cvss 11 is refused' \
	'assets[0].worst_cvss' 'out of range' -- '"worst_cvss": 11'
import_bad 'last_patched 2026-02-30 is refused' \
	'assets[0].last_patched' '2026-02-30' -- '"last_patched": "2026-02-30"'
import_bad 'end_of_life as a number is refused' \
	'assets[0].end_of_life' 'expected a string, not a number' -- '"end_of_life": 20300101'
import_bad 'implemented_baseline ultra is refused' \
	'assets[0].implemented_baseline' '"ultra"' -- '"implemented_baseline": "ultra"'
import_bad 'negative downtime_cost is refused' \
	'assets[0].downtime_cost' 'out of range' -- '"downtime_cost": -1'
import_bad 'fragility is not an inventory field' \
	'assets[0]' 'fragility' -- '"fragility": 0.5'

# --- the protection plan -------------------------------------------------------------
demo_db
hw plan --top 3 --as-of $ASOF
expect_rc 0 "plan --top 3 exits 0"
expect_eq "$(sed -n '1,/^Organisation summary/p' "$OUT_FILE")" \
	"Protection plan, as of 2026-11-21: 114 assets in risk order (top shown)

#1  fw-edge-01  score 53.7 (high)  owner network@rivertonwater.example
    baseline  required HIGH, implemented MODERATE, 83 controls to add
    1. categorize: no own level for confidentiality, integrity, availability: set levels or assign information types
    2. patch (-25.8): 2 known vulnerabilities, worst CVSS 9.8
    3. reduce exposure (-17.4): reachable from the internet
    4. raise baseline (-3.5): from MODERATE to HIGH: 83 controls (AC 7, AU 9, CA 4, CM 8, CP 12, IA 2, IR 5, MA 3, MP 3, PE 7, PS 1, RA 1, SA 4, SC 5, SI 10, SR 2)

#2  scada-radio-gw-01  score 51.9 (high)  owner ot-eng@rivertonwater.example
    baseline  required HIGH, implemented LOW, 221 controls to add
    1. categorize: no own level for confidentiality, integrity, availability: set levels or assign information types
    2. patch (-23.6): 1 known vulnerability, worst CVSS 8.8
    3. reduce exposure (-15.8): reachable from the internet
    4. raise baseline (-6.3): from LOW to HIGH: 221 controls (AC 35, AT 1, AU 15, CA 6, CM 23, CP 29, IA 10, IR 11, MA 8, MP 6, PE 15, PL 1, PS 1, RA 3, SA 12, SC 20, SI 22, SR 3)

#3  scada-hmi-01  score 42.6 (high)  owner scada-ops@rivertonwater.example
    baseline  required HIGH, implemented LOW, 221 controls to add
    1. categorize: no own level for confidentiality, integrity, availability: set levels or assign information types
    2. patch (-21.1): 6 known vulnerabilities, worst CVSS 7.8
    3. replace end of life (-10.7): end of life since 2025-10-14: no more fixes
    4. raise baseline (-5.3): from LOW to HIGH: 221 controls (AC 35, AT 1, AU 15, CA 6, CM 23, CP 29, IA 10, IR 11, MA 8, MP 6, PE 15, PL 1, PS 1, RA 3, SA 12, SC 20, SI 22, SR 3)

Organisation summary" "plan --top 3: ranks, baselines and actions of the three highest"
expect_out_has "  assets by required baseline: HIGH 76, MODERATE 31, LOW 0, unknown (uncategorized) 7
  of these, 5 partly categorized: the baseline is a lower bound (\"at least\")" \
	"plan: assets by required baseline, the partly categorized counted at their lower bound"
expect_out_has "    Access Control                                3610" \
	"plan: controls to add for Access Control"
expect_out_has "     4. scada-hmi-02                    42.6  high" \
	"plan: the ten highest risks"
hw plan --top 10 --as-of $ASOF
expect_out_has "#5  plc-chem-feed-01  score 37.1 (moderate)  owner ot-eng@rivertonwater.example
    baseline  required HIGH, implemented NONE, 370 controls to add
    1. patch (-22.8): 2 known vulnerabilities, worst CVSS 9.3
    2. raise baseline (-8.6): from NONE to HIGH: 370 controls (AC 46, AT 6, AU 25, CA 14, CM 32, CP 35, IA 26, IR 18, MA 12, MP 10, PE 25, PL 7, PS 10, RA 11, SA 21, SC 30, SI 28, SR 14)" \
	"plan: a raise from NONE to HIGH, 370 controls by family"
expect_out_has "#10  test-win2012-vm  score 33.1 (moderate)  owner (none)
    baseline  required unknown (uncategorized), implemented NONE, controls to add unknown
    1. categorize: no own level for confidentiality, integrity, availability: set levels or assign information types
    2. assign owner: nobody owns it: nobody to notify or to act on the rest of this plan
    3. patch (-16.4): 14 known vulnerabilities, worst CVSS 9.8
    4. authorize or remove (-6.6): nobody approved it into production
    5. replace end of life (-6.6): end of life since 2023-10-10: no more fixes" \
	"plan: prerequisites first, then by gain, equal gains by kind"
expect_out_has "    baseline  required HIGH, implemented MODERATE, 83 controls to add" \
	"plan: a raise from MODERATE to HIGH is 83 controls"

# plan --json against the CSV: the required baseline is the overall
# level's, implemented what the export records ("not recorded" when
# absent, which counts as none), the gap the CSV's count between them,
# the summary sums over the assets, the order the register's, actions
# with prerequisites first and then by gain.
PLAN_CHECK='
import collections, csv, json, sys
plan = json.load(open(sys.argv[1]))
risk = json.load(open(sys.argv[2]))
inv = json.load(open(sys.argv[3]))
cat = json.load(open(sys.argv[4]))
rows = list(csv.DictReader(open(sys.argv[5])))
top = int(sys.argv[6])
assets = {a["id"]: a for a in inv["assets"]}
eff = {a["id"]: a for a in cat["assets"]}
lv = ["none", "low", "moderate", "high"]
def gap(frm, to, fam=None):
    return sum(1 for r in rows if r[to] == "1" and
               not (frm != "none" and r[frm] == "1") and
               (fam is None or r["family"] == fam))
problems = []
acts_first = lambda p: p["actions"][0]["action"] if p["actions"] else None
def same(what, got, want):
    if got != want:
        problems.append("%s: %r, want %r" % (what, got, want))
s = plan["summary"]
same("as_of", plan["as_of"], risk["as_of"])
same("required counts sum to the assets", sum(s["required"].values()), len(assets))
need = collections.Counter(eff[i]["overall"] or "unknown" for i in assets)
same("required counts", s["required"],
     {k: need.get(k, 0) for k in ("high", "moderate", "low", "unknown")})
# Partly categorized: some effective level unknown, none high; its
# required baseline is the highest known, a lower bound.
def exact(i):
    e = eff[i]["effective"].values()
    return None not in e or "high" in e
same("partly categorized", s["partly_categorized"],
     sum(1 for i in assets if eff[i]["overall"] and not exact(i)))
same("top ten", [(t["id"], t["score"]) for t in s["top"]],
     [(a["id"], a["score"]) for a in risk["assets"][:10]])
fams = collections.Counter()
for i, a in assets.items():
    req = eff[i]["overall"]
    have = a.get("implemented_baseline", "none")
    if req and lv.index(req) > lv.index(have):
        for r in rows:
            if r[req] == "1" and not (have != "none" and r[have] == "1"):
                fams[r["family"]] += 1
order = []
for r in rows:
    if r["family"] not in order:
        order.append(r["family"])
same("gaps by family", [(g["family"], g["controls"]) for g in s["gaps_by_family"]],
     [(f, fams[f]) for f in order if fams[f]])
want = risk["assets"] if top < 0 else risk["assets"][:top]
same("assets in risk order", [(a["rank"], a["id"], a["score"], a["band"]) for a in plan["assets"]],
     [(a["rank"], a["id"], a["score"], a["band"]) for a in want])
for p in plan["assets"]:
    i = p["id"]
    req = eff[i]["overall"]
    rec = assets[i].get("implemented_baseline")
    have = rec or "none"
    same(i + " required", p["required"], req.upper() if req else None)
    same(i + " required_exact", [p["required_exact"], p["baseline_exact"], p["overall_exact"]],
         [bool(req) and exact(i), exact(i), exact(i)])
    if req and not exact(i):
        # completing the categorization comes first
        same(i + " first action", acts_first(p), "categorize")
    same(i + " implemented", p["implemented"], rec.upper() if rec else "not recorded")
    # the gap of an uncategorized asset is unknown (null), not 0
    g = None if not req else gap(have, req) if lv.index(req) > lv.index(have) else 0
    same(i + " control_gap", p["control_gap"], g)
    acts = p["actions"]
    pre = [a["action"] in ("categorize", "assign owner") for a in acts]
    same(i + " prerequisites first", pre, sorted(pre, reverse=True))
    gains = [a["gain"] for a in acts if a["action"] not in ("categorize", "assign owner")]
    same(i + " gains descending", gains, sorted(gains, reverse=True))
    if any(a["gain"] < 0 for a in acts):
        problems.append(i + ": a negative gain")
    has = lambda name: any(a["action"] == name for a in acts)
    same(i + " categorize", has("categorize"),
         any(v is None for v in eff[i]["own"].values()))
    same(i + " assign owner", has("assign owner"), "owner" not in assets[i])
    same(i + " reduce exposure", has("reduce exposure"), assets[i]["internet_facing"])
    same(i + " authorize", has("authorize or remove"), assets[i].get("authorized") is False)
    same(i + " raise baseline", has("raise baseline"), bool(req) and (g > 0 or rec is None))
print("\n".join(problems[:25]) or "ok")
'
collect
hw --json plan --as-of $ASOF
expect_rc 0 "plan --json exits 0"
save plan.json
py_ok "plan --json: summary, order, baselines, control gaps and actions checked against the CSV" \
	"$PLAN_CHECK" "$TMP/plan.json" "$TMP/risk.json" "$TMP/export.json" \
	"$TMP/cat.json" "$BASELINES" -1
hw --json plan --top 3 --as-of $ASOF
expect_rc 0 "plan --json --top 3 exits 0"
save plan3.json
py_ok "plan --json --top 3: three assets, the summary over all" \
	"$PLAN_CHECK" "$TMP/plan3.json" "$TMP/risk.json" "$TMP/export.json" \
	"$TMP/cat.json" "$BASELINES" 3
hw plan --top x
expect_rc 2 "plan --top x is a usage error"
hw plan --as-of 2026-13-01
expect_rc 2 "plan --as-of that is not a date is a usage error"

# --- check: findings and exit codes ---------------------------------------------------
hw check
expect_rc 0 "check exits 0 without --fail-on"
expect_out_has "SEVERITY  FINDING             ASSET                       DETAIL
high      unauthorized        dropbox-shadow              nobody approved it into production
high      uncategorized       dropbox-shadow              no own confidentiality, integrity, availability level; nothing inherited either" \
	"check lists the findings, most severe first"
expect_out_has "moderate  under-categorized   file-shares                 own integrity low but it inherits high from ccr-report-builder: likely mis-categorized" \
	"check: an under-categorized asset"
expect_out_has "moderate  no owner            ntp-srv-01                  nobody owns it, so nobody is notified of changes" \
	"check: an asset without owner"
expect_out_has "low       uncategorized       ami-vm-01                   no own confidentiality, integrity, availability level; inherits all three" \
	"check: an uncategorized asset that inherits all three"
expect_out_has "moderate  partly categorized  m365-email                  no confidentiality, integrity level, even inherited: partly categorized, baseline at least MODERATE" \
	"check: a partly categorized asset (availability moderate only) is reported, its baseline a lower bound"
expect_out_has "low       never authorized    active-directory            nobody recorded whether it is authorized into production (asset authorize)" \
	"check: an asset whose authorization nobody recorded (low)"
expect_eq "$(tail -n 1 "$OUT_FILE")" "202 findings: 11 high, 41 moderate, 150 low" \
	"check: the counts"
hw --json check
expect_json 'd["counts"]' '{"high":11,"low":150,"moderate":41}' "check --json: counts"
expect_json 'len(d["findings"])' 202 "check --json: 202 findings"
expect_json 'len([f for f in d["findings"] if f["kind"] == "never authorized"])' 110 \
	"check --json: the 110 demo assets without an authorized value (4 are false)"
expect_json 'sorted(set(f["kind"] for f in d["findings"]))' \
	'["never authorized","no owner","partly categorized","unauthorized","uncategorized","under-categorized"]' \
	"check --json: the kinds on the demo"
expect_json 'sorted(f["asset"] for f in d["findings"] if f["kind"] == "partly categorized")' \
	'["dmz-sw-01","m365-email","public-dns-hosting","wan-rtr-01","wlan-ctrl-01"]' \
	"check --json: the five partly categorized demo assets are lower bounds"
expect_json '[f["severity"] for f in d["findings"]] == sorted([f["severity"] for f in d["findings"]], key=["high", "moderate", "low"].index)' \
	'true' "check --json: most severe first"
expect_json 'sorted(f["asset"] for f in d["findings"] if f["kind"] == "unauthorized")' \
	'["dropbox-shadow","lab-unmanaged-sw","spare-dl380-01","test-win2012-vm"]' \
	"check --json: the four unauthorized assets"
hw check --fail-on high
expect_rc 1 "check --fail-on high exits 1 on the demo (unauthorized assets)"
expect_err_eq "highwater: check: 11 findings at or above high" "... saying how many"
expect_out_has "202 findings: 11 high, 41 moderate, 150 low" "... and still lists them"
hw check --fail-on moderate
expect_eq "$RC:$ERR" "1:highwater: check: 52 findings at or above moderate" \
	"check --fail-on moderate counts high and moderate"
hw check --fail-on LOW
expect_eq "$RC:$ERR" "1:highwater: check: 202 findings at or above low" \
	"check --fail-on LOW (any case) counts all"
hw check --fail-on bogus
expect_rc 2 "check --fail-on bogus is a usage error (exit 2)"
expect_err_has 'unknown severity "bogus"' "... naming the value"
hw check --fail-on
expect_rc 2 "check --fail-on without a value is a usage error"

# An inventory without findings: 0 even with --fail-on low.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup asset add app --name App --type application --owner o@example.org \
	--c high --i moderate --a low
hw_setup asset add vm --name VM --type virtual_machine --owner o@example.org \
	--c high --i low --a low
hw_setup dep add app vm --type runs_on
hw check --fail-on low
expect_eq "$RC:$OUT" "1:SEVERITY  FINDING             ASSET  DETAIL
low       never authorized    app    nobody recorded whether it is authorized into production (asset authorize)
low       never authorized    vm     nobody recorded whether it is authorized into production (asset authorize)

2 findings: 0 high, 0 moderate, 2 low" \
	"check: assets nobody authorized are low findings"
hw_setup --actor alice asset authorize app
expect_out_eq "authorized asset 'app' (by alice at $(date -u +%Y-%m-%d)T${OUT##*T}" \
	"asset authorize: by the actor, now"
hw --json asset show app
expect_json '[d["factors"]["authorized"], d["factors"]["authorized_by"], d["factors"]["authorized_at"][:10]]' \
	"[true,\"alice\",\"$(date -u +%Y-%m-%d)\"]" \
	"asset show --json: authorized, by whom and when"
hw asset show app
expect_out_has "  authorized            yes
  authorized_by         alice" "asset show: authorized, by whom ..."
expect_out_has "  authorized_at         $(date -u +%Y-%m-%d)T" "... and when"
refuse "asset authorize of an unknown asset is refused" "unknown asset 'nope'" -- \
	asset authorize nope
refuse_usage "asset authorize needs an ID" "missing" -- asset authorize
hw_setup asset authorize vm
hw check --fail-on low
expect_eq "$RC:$OUT:$ERR" "0:0 findings: 0 high, 0 moderate, 0 low:" \
	"check --fail-on low on an inventory without findings exits 0"
hw --quiet check --fail-on high
expect_eq "$RC:$OUT" "0:" "check --quiet without findings prints nothing"
# One low finding: vm loses its own levels but inherits all three.
hw_setup asset set vm c= i= a=
hw check --fail-on moderate
expect_eq "$RC:$OUT" "0:SEVERITY  FINDING             ASSET  DETAIL
low       uncategorized       vm     no own confidentiality, integrity, availability level; inherits all three

1 finding: 0 high, 0 moderate, 1 low" \
	"one low finding: --fail-on moderate exits 0"
hw check --fail-on low
expect_eq "$RC:$ERR" "1:highwater: check: 1 finding at or above low" \
	"... and --fail-on low exits 1"
# Unauthorized is high.
hw_setup asset set app authorized=no
hw check --fail-on high
expect_rc 1 "an unauthorized asset fails --fail-on high"
expect_out_has "high      unauthorized        app    nobody approved it into production" \
	"... listed as high"
# Partly categorized: a lower bound LOW is high (the baseline may be two
# steps short), MODERATE moderate; HIGH with unknowns is no lower bound.
hw_setup asset set app authorized=yes
hw_setup asset add lo --name Lo --type server --owner o@example.org --i low
hw_setup asset add mo --name Mo --type server --owner o@example.org --c moderate
hw_setup asset add hi --name Hi --type server --owner o@example.org --a high
hw --json check
expect_json '[[f["severity"], f["asset"], f["detail"]] for f in d["findings"] if f["kind"] == "partly categorized"]' \
	'[["high","lo","no confidentiality, availability level, even inherited: partly categorized, baseline at least LOW"],["moderate","mo","no integrity, availability level, even inherited: partly categorized, baseline at least MODERATE"]]' \
	"check: partly categorized assets are lower bounds, high below MODERATE; one HIGH objective is none"

# --- streamed --json: a failure halfway ---------------------------------------
# risk, plan and check write --json as they compute it.  When the output
# fails halfway (here a file-size limit of 8 KiB: the subshell ignores
# SIGXFSZ, so the write fails with EFBIG) they exit 1 with the reason on
# stderr, and what was written is not a complete document.  The database
# goes to a rollback journal first: WAL's shared-memory file would meet
# the limit too.
demo_db
"$PYTHON" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("pragma journal_mode=delete").fetchall()' "$HIGHWATER_DB"
# cut_json ARGS...: highwater --json ARGS with stdout cut at 8 KiB.
cut_json() {
	(
		trap '' XFSZ
		ulimit -f 8
		"$HIGHWATER" --json "$@" >"$TMP/cut.json" 2>"$ERR_FILE" </dev/null
	)
	RC=$?
	ERR=$(cat "$ERR_FILE")
}
for args in "risk --as-of $ASOF" "plan --as-of $ASOF" "check"; do
	cut_json $args
	expect_eq "$RC:$(head -n 1 "$ERR_FILE")" \
		"1:highwater: ${args%% *}: cannot write the output: $("$PYTHON" -c 'import os, errno; print(os.strerror(errno.EFBIG))')" \
		"${args%% *} --json cut at 8 KiB exits 1 with the reason"
	py_ok "... having written 8 KiB that are not a complete document" '
import json, sys
data = open(sys.argv[1], "rb").read()
try:
    json.loads(data)
    print("a complete document")
except ValueError:
    print("ok" if len(data) == 8192 else "%d bytes" % len(data))
' "$TMP/cut.json"
	"$HIGHWATER" --json $args >/dev/full 2>"$ERR_FILE" </dev/null
	expect_eq "$?:$(head -n 1 "$ERR_FILE")" \
		"1:highwater: ${args%% *}: cannot write the output: $("$PYTHON" -c 'import os, errno; print(os.strerror(errno.ENOSPC))')" \
		"${args%% *} --json to a full device exits 1 with the reason"
done
# Uncut, the same commands give whole documents.
hw --json check
expect_json 'd["counts"]["high"] + d["counts"]["moderate"] + d["counts"]["low"] == len(d["findings"])' true \
	"check --json uncut: a whole document"

done_testing
