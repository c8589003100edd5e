#!/bin/bash
# report-plan.sh: "highwater report plan", the managers' workbook, read
# back by an independent reader (openpyxl, from /usr/bin/python3) on the
# demo inventory as of 2026-11-21: sheet names and order, header rows,
# every Risk register row against "risk --json" (rank, id, levels, every
# contribution, score, band, recorded factors), every Protection plan row
# against "plan --json", the Categorization against "categorize --json"
# and the export, Controls against the SP 800-53B CSV, Data quality
# against "check --json", the Summary's counts, ten highest risks and
# family gaps; number, date and boolean cell types, frozen panes,
# autofilter ranges, conditional formats (levels, bands, score
# thresholds from the weights), the two charts and the print setup;
# tables continued past a small row limit; bad output paths refused in
# one line with nothing left behind; and, when LibreOffice is installed,
# that it prints the workbook to PDF.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

ASOF=2026-11-21
TODAY=$(date +%F)
BASELINES=$HIGHWATER_DATADIR/sp800-53b-baselines.csv

# Shared: the workbook is argv[1], the folder of JSON files argv[2].
COMMON='
import csv, json, re, sys, zipfile, datetime, openpyxl
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, expected %r" % (what, got, exp))
def near(what, got, exp):
    if not isinstance(got, (int, float)) or isinstance(got, bool) or abs(got - exp) > 1e-9:
        bad.append("%s: got %r, expected %r" % (what, got, exp))
wb = openpyxl.load_workbook(sys.argv[1])
J = lambda name: json.load(open(sys.argv[2] + "/" + name + ".json"))
def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]
PRINTS = {"Risk register": "O", "Protection plan": "K", "Categorization": "K", "Controls": "H"}
def parts(base):
    names = [n for n in wb.sheetnames if n == base or (n.startswith(base + " (") and n.endswith(")"))]
    want(base + " parts named in order", names, [base] + ["%s (%d)" % (base, i) for i in range(2, len(names) + 1)])
    return [wb[n] for n in names]
def table(base, header, keys=0):
    """Records over all parts, each part checked: header, pane, filter, print."""
    out = []
    for ws in parts(base):
        r = rows(ws)
        want(ws.title + " header", r[0] if r else None, header)
        want(ws.title + " frozen header and key columns", ws.freeze_panes, "%s2" % openpyxl.utils.get_column_letter(keys + 1))
        last = openpyxl.utils.get_column_letter(len(header))
        want(ws.title + " autofilter", ws.auto_filter.ref, "A1:%s%d" % (last, max(len(r), 1)))
        want(ws.title + " landscape", ws.page_setup.orientation, "landscape")
        want(ws.title + " printed at 72%, not fitted", (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.scale), (None, 72))
        # The columns a page needs, the sheet keeping all of them.
        want(ws.title + " print area", ws.print_area, ["$A$1:$%s$%d" % (PRINTS[base], max(len(r), 1))] if base in PRINTS else None)
        want(ws.title + " print titles", (ws.print_title_rows, ws.print_title_cols), ("$1:$1", "$A:$%s" % openpyxl.utils.get_column_letter(keys) if keys else None))
        want(ws.title + " footer pages", "&P of &N" in (ws.oddFooter.center.text or ""), True)
        want(ws.title + " footer date in ISO form", re.search(r"&R\d{4}-\d\d-\d\d$", ws.oddFooter.right.text and "&R" + ws.oddFooter.right.text or "") is not None, True)
        out.extend((ws, i + 2, x) for i, x in enumerate(r[1:]))
    return out
def rules(ws):
    """{range: [(operator, formulas, stop)]} of the cellIs rules."""
    got = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "cellIs" and rule.dxf is not None and rule.dxf.fill is not None:
                for rng in str(cf.sqref).split():
                    got.setdefault(rng, []).append((rule.operator, [f.strip("\"") for f in rule.formula], bool(rule.stopIfTrue)))
    return got
def col_range(col, n):
    return "%s2" % col if n == 2 else "%s2:%s%d" % (col, col, n)
def colours(ws, col, words):
    r = rules(ws).get(col_range(col, ws.max_row), [])
    want("%s colours %s" % (ws.title, col), sorted(f[0] for o, f, s in r if o == "equal"), sorted(words))
def cell_type(ws, row, col, kind):
    c = ws.cell(row, col)
    ok = {"n": c.data_type == "n" and isinstance(c.value, (int, float)) and not isinstance(c.value, bool),
          "yn": c.value in ("yes", "no"),
          "d": isinstance(c.value, datetime.datetime) and c.number_format == "yyyy-mm-dd"}[kind]
    if not ok:
        bad.append("%s %s%d is not %s: %r (%s)" % (ws.title, openpyxl.utils.get_column_letter(col), row, kind, c.value, c.number_format))
up = lambda l: l.upper() if l else "UNCATEGORIZED"
# FIPS 200 with unknown objectives: a lower bound reads "at least".
bl = lambda l, exact: (l.upper() if exact else "at least " + l.upper()) if l else "UNKNOWN"
ovl = lambda a: bl(a["overall"], a["overall_exact"]) if a["overall"] else "UNCATEGORIZED"
OBJ = ("confidentiality", "integrity", "availability")
TERMS = ("base", "internet", "cvss", "vulnerabilities", "patch_age", "end_of_life", "unauthorized", "baseline_gap", "fragility")
def done():
    print("ok" if not bad else "\n".join(bad[:25]))
'

REGISTER='
risk = J("risk")
plan = {a["id"]: a for a in J("plan")["assets"]}
header = ["Asset", "Name", "Score", "Band", "Main reasons", "Rank", "Type", "Owner", "Confidentiality", "Integrity", "Availability", "Overall", "Required baseline", "Impact", "Likelihood"] + ["+ " + t for t in TERMS] + ["Dependents", "Estimated", "Weighted dependents", "Blast", "Multiplier", "internet_facing", "vulnerabilities", "worst_cvss", "last_patched", "end_of_life", "authorized", "implemented_baseline", "downtime_cost"]
got = table("Risk register", header, 4)
want("register rows", len(got), len(risk["assets"]))
want("register rows are all the assets", len(got), risk["count"])
FACTORS = ["vulnerabilities", "worst_cvss", "last_patched", "end_of_life", "authorized", "implemented_baseline", "downtime_cost"]
yn = lambda v: None if v is None else ("yes" if v else "no")
for (ws, n, g), a in zip(got, risk["assets"]):
    w = a["id"]
    e = a["effective"]
    req = plan[w]["required"]
    want(w + " text", [g[0], g[1], g[3], g[5], g[6], g[7]] + g[8:13] + [g[25]],
         [w, a["name"], a["band"], a["rank"], a["type"], a["owner"]] + [up(e[o]) for o in OBJ] + [ovl(a), bl(req, plan[w]["required_exact"]), yn(a["dependents_estimated"])])
    for i, k in ((13, "impact"), (14, "likelihood"), (27, "blast"), (28, "multiplier"), (2, "score"), (26, "weighted_dependents"), (24, "dependents")):
        near(w + " " + k, g[i], a[k])
    for i, t in enumerate(TERMS):
        near(w + " + " + t, g[15 + i], a["factors"][t]["contribution"])
    want(w + " internet_facing", g[29], yn(a["factors"]["internet"]["value"]))
    rec = a["recorded"]
    for i, k in enumerate(FACTORS):
        v = g[30 + i]
        if isinstance(v, datetime.datetime):
            v = v.strftime("%Y-%m-%d")
        x = rec.get(k)
        want(w + " " + k, v, yn(x) if k == "authorized" else x)
    # The main reasons say what raised the likelihood and the impact.
    why = g[4] or ""
    want(w + " reasons: internet", why.startswith("internet-facing"), bool(a["factors"]["internet"]["value"]))
    if rec.get("vulnerabilities"):
        want(w + " reasons: vulnerabilities", ("%d known vulnerabilit" % rec["vulnerabilities"]) in why, True)
        if rec.get("worst_cvss"):
            want(w + " reasons: worst CVSS", ("worst CVSS %.1f" % rec["worst_cvss"]) in why, True)
    RANKS = {"low": 1, "moderate": 2, "high": 3}
    mx = max([e[o] for o in OBJ if e[o]], key=lambda l: RANKS[l], default=None)
    top = [o for o in OBJ if e[o] == mx and mx]
    # a lower bound reads "at least" (e["overall_exact"] false)
    lvl = up(mx) if a.get("overall_exact", True) or not mx else "at least " + up(mx)
    want(w + " reasons: levels", (", ".join(top) + " " + lvl) in why if top else why.endswith("uncategorized") or "uncategorized;" in why, True)
    for c in [3, 14, 15] + list(range(16, 25)) + [25, 27, 28, 29]:
        cell_type(ws, n, c, "n")
    cell_type(ws, n, 26, "yn")
    cell_type(ws, n, 30, "yn")
    kinds = {"vulnerabilities": "n", "worst_cvss": "n", "last_patched": "d", "end_of_life": "d", "authorized": "yn", "downtime_cost": "n"}
    for i, k in enumerate(FACTORS):
        if k in rec and k in kinds:
            cell_type(ws, n, 31 + i, kinds[k])
first = [g for ws, n, g in got if g[0] == "fw-edge-01"][0]
want("fw-edge-01 reasons in words", first[4], "internet-facing; 2 known vulnerabilities, worst CVSS 9.8; patched 201 days ago; baseline 1 step short; availability HIGH; 105 dependents")
band = [r["value"] for r in J("weights")["weights"] if r["name"].startswith("band.")]
for ws in parts("Risk register"):
    for col in "IJKLM":
        colours(ws, col, ["HIGH", "MODERATE", "LOW", "at least MODERATE", "at least LOW"])
    colours(ws, "D", ["very high", "high", "moderate", "low"])
    score = rules(ws).get(col_range("C", ws.max_row))
    want(ws.title + " score bands", score, [("greaterThanOrEqual", ["%g" % band[2]], True), ("greaterThanOrEqual", ["%g" % band[1]], True), ("greaterThanOrEqual", ["%g" % band[0]], True), ("lessThan", ["%g" % band[0]], True)])
    want(ws.title + " score shows one decimal", ws["C2"].number_format, "0.0")
    want(ws.title + " worst_cvss shows one decimal", set(c.number_format for c in ws["AF"][1:] if c.value is not None) <= {"0.0"}, True)
    want(ws.title + " impact shows three", ws["N2"].number_format, "0.000")
want("worst_cvss 9.8 stays 9.8", first[31], 9.8)
done()
'

PLAN='
pj = J("plan")
header = ["Asset", "Name", "Rank", "Owner", "Score", "Band", "Required baseline", "Implemented baseline", "Controls to add", "Actions", "First action"] + ["Action %d" % i for i in range(1, 9)]
got = table("Protection plan", header, 2)
owner = {a["id"]: a["owner"] for a in J("risk")["assets"]}
name = {a["id"]: a["name"] for a in J("risk")["assets"]}
want("plan rows", len(got), len(pj["assets"]))
for (ws, n, g), a in zip(got, pj["assets"]):
    acts = a["actions"]
    text = ["%d. %s (-%.1f): %s" % (i + 1, x["action"], x["gain"], x["reason"]) if x["gain"] > 0 else "%d. %s: %s" % (i + 1, x["action"], x["reason"]) for i, x in enumerate(acts)]
    want(a["id"], g, [a["id"], name[a["id"]], a["rank"], owner[a["id"]], a["score"], a["band"], bl(a["required"], a["required_exact"]), a["implemented"], "unknown" if a["control_gap"] is None else a["control_gap"], len(acts), acts[0]["action"] if acts else None] + text + [None] * (8 - len(text)))
    for c in (3, 5, 9, 10) if a["control_gap"] is not None else (3, 5, 10):
        cell_type(ws, n, c, "n")
for ws in parts("Protection plan"):
    colours(ws, "F", ["very high", "high", "moderate", "low"])
    colours(ws, "G", ["HIGH", "MODERATE", "LOW", "at least MODERATE", "at least LOW"])
    want(ws.title + " score bands", len(rules(ws).get(col_range("E", ws.max_row), [])), 4)
done()
'

CATEGORIZATION='
cat = sorted(J("categorize")["assets"], key=lambda a: a["id"])
exp = {a["id"]: a for a in J("export")["assets"]}
header = ["Asset", "Name", "Type", "Own confidentiality", "Own integrity", "Own availability", "Confidentiality", "Integrity", "Availability", "Overall", "Baseline", "Confidentiality raised by", "Confidentiality path", "Integrity raised by", "Integrity path", "Availability raised by", "Availability path", "Information types"]
got = table("Categorization", header, 2)
want("categorization rows", len(got), len(cat))
for (ws, n, g), a in zip(got, cat):
    x = exp[a["id"]]
    raised = []
    for o in OBJ:
        r = a["raised_by"].get(o)
        raised += [r["asset"], " -> ".join(r["path"])] if r else [None, None]
    types = ", ".join(sorted(t["id"] for t in x.get("information_types", []))) or None
    want(a["id"], g, [a["id"], x["name"], x["type"]] + [up(a["own"][o]) for o in OBJ] + [up(a["effective"][o]) for o in OBJ] + [ovl(a), bl(a["baseline"], a["baseline_exact"])] + raised + [types])
want("some levels are raised", any(g[11] for ws, n, g in got), True)
want("some assets hold two information types", any(g[17] and "," in g[17] for ws, n, g in got), True)
for ws in parts("Categorization"):
    for col in "DEFGHIJK":
        colours(ws, col, ["HIGH", "MODERATE", "LOW", "at least MODERATE", "at least LOW"])
done()
'

CONTROLS='
pj = J("plan")["assets"]
LV = ("low", "moderate", "high")
ctl = list(csv.DictReader(open(sys.argv[3])))
header = ["Control", "Family", "Title", "LOW", "MODERATE", "HIGH", "Assets needing it", "Assets without it", "Uncategorized assets (need unknown)"]
got = table("Controls", header, 1)
unknown = sum(1 for a in pj if a["required"] is None)
def nist(i):
    c, _, e = i.upper().partition(".")
    return c + ("(%s)" % e if e else "")
want("control rows", len(got), len(ctl))
def has(c, base):
    return base is not None and base.lower() in LV and c[base.lower()] == "1"
for (ws, n, g), c in zip(got, ctl):
    need = sum(1 for a in pj if has(c, a["required"]))
    lack = sum(1 for a in pj if has(c, a["required"]) and not has(c, a["implemented"]))
    want(c["control_id"], g, [nist(c["control_id"]), c["family"], c["title"]] + ["yes" if c[l] == "1" else "no" for l in LV] + [need, lack, unknown])
    for col in (4, 5, 6):
        cell_type(ws, n, col, "yn")
    cell_type(ws, n, 7, "n")
done()
'

QUALITY='
ck = J("check")
owner = {a["id"]: a["owner"] for a in J("risk")["assets"]}
got = table("Data quality", ["Severity", "Finding", "Asset", "Owner", "Detail"], 3)
want("findings", [g for ws, n, g in got], [[f["severity"], f["kind"], f["asset"], owner[f["asset"]], f["detail"]] for f in ck["findings"]])
for ws in parts("Data quality"):
    if ws.max_row > 1:
        colours(ws, "A", ["high", "moderate", "low", "at least moderate", "at least low"])
done()
'

SUMMARY='
risk, pj, ck = J("risk"), J("plan"), J("check")
split = [n for n in wb.sheetnames if " (" in n]
want("sheets", [n for n in wb.sheetnames if " (" not in n], ["Summary", "Risk register", "Protection plan", "Categorization", "Controls", "Data quality"])
want("properties", (wb.properties.title, wb.properties.creator), ("Protection plan", "highwater"))
want("company", "<Company>Riverton Water Authority</Company>" in zipfile.ZipFile(sys.argv[1]).read("docProps/app.xml").decode(), True)
sm = wb["Summary"]
kv = {}
for r in rows(sm):
    if r[0] is not None and r[0] not in kv:
        kv[r[0]] = r[1]
want("title", sm["A1"].value, "Protection plan")
want("organisation", kv.get("Organisation"), "Riverton Water Authority")
want("as of is a date", kv.get("As of"), datetime.datetime(2026, 11, 21))
want("generated is a date and time", isinstance(kv.get("Generated"), datetime.datetime), True)
want("database", kv.get("Database"), sys.argv[3])
want("assets", kv.get("Assets"), risk["count"])
for b in ("very high", "high", "moderate", "low"):
    want("band " + b, kv.get(b), sum(1 for a in risk["assets"] if a["band"] == b))
for l in ("high", "moderate", "low", None):
    want("overall %s" % l, kv.get(up(l)), sum(1 for a in risk["assets"] if a["overall"] == l))
req = pj["summary"]["required"]
for l in ("high", "moderate", "low"):
    want("required " + l, kv.get(l.upper() + " baseline"), req[l])
want("required unknown", kv.get("Unknown (uncategorized)"), req["unknown"])
want("required lower bounds", kv.get("Of these, at least (partly categorized)"), pj["summary"]["partly_categorized"])
want("baselines recorded", kv.get("Implemented baseline recorded"), sum(1 for a in pj["assets"] if a["implemented"] != "not recorded"))
ra = {a["id"]: a for a in risk["assets"]}
pa = {a["id"]: a for a in pj["assets"]}
reg = {r[0]: r for r in rows(wb["Risk register"])[1:]}
sr = rows(sm)
top = [r[:5] + [sr[k + 1][1]] for k, r in enumerate(sr) if r[0] and r[0].split(". ")[0].isdigit()]
want("ten highest: name, score, band, first action, and the reasons under each", top, [["%d. %s" % (i + 1, t["id"]), ra[t["id"]]["name"], t["score"], ra[t["id"]]["band"], pa[t["id"]]["actions"][0]["action"] if pa[t["id"]]["actions"] else None, reg[t["id"]][4] if t["id"] in reg else top[i][5]] for i, t in enumerate(pj["summary"]["top"])])
want("ten highest: a header names the columns", [r[:5] for r in sr if r[0] == "Rank. asset"], [["Rank. asset", "Name", "Score", "Band", "First action"]])
want("uncategorized assets in the control totals", kv.get("Unknown: uncategorized assets"), req["unknown"])
want("uncategorized findings explained", "no level of their own" in (kv.get("\"uncategorized\" findings") or ""), True)
want("UNCATEGORIZED assets explained", kv.get("UNCATEGORIZED assets"), "no level at all, own or inherited: %d (Assets by overall level)" % req["unknown"])
want("controls to add by family", [(g["family"], kv.get(g["family"])) for g in pj["summary"]["gaps_by_family"]], [(g["family"], g["controls"]) for g in pj["summary"]["gaps_by_family"]])
want("findings", kv.get("Findings"), len(ck["findings"]))
for s in ("high", "moderate", "low"):
    want("severity " + s, kv.get("Severity " + s), ck["counts"][s])
for k in ("unauthorized", "uncategorized", "incomplete levels", "no owner", "under-categorized", "weak justification", "partly categorized"):
    want("finding " + k, kv.get(k), sum(1 for f in ck["findings"] if f["kind"] == k))
for t in ("Risk register", "Protection plan", "Categorization", "Data quality"):
    want(t + " rows", kv.get(t + " (rows)"), {"Data quality": len(ck["findings"])}.get(t, risk["count"]))
want("split note", "Risk register continues on Risk register (2)" in (kv.get("Note") or ""), bool(split))
for label in ("Assets", "high", "HIGH", "Findings"):
    cell = [c for c in sm["B"] if sm.cell(c.row, 1).value == label][0]
    want(label + " is a number", cell.data_type, "n")
want("As of shows a date", [c for c in sm["B"] if sm.cell(c.row, 1).value == "As of"][0].number_format, "yyyy-mm-dd")
want("summary landscape", sm.page_setup.orientation, "landscape")
want("summary fit one page wide, pages tall it fills", (sm.sheet_properties.pageSetUpPr.fitToPage, sm.page_setup.fitToWidth, sm.page_setup.fitToHeight in (1, 2, 3, 4)), (True, None, True))
want("summary header names the report", "Protection plan" in (sm.oddHeader.left.text or ""), True)
want("summary footer pages", "&P of &N" in (sm.oddFooter.center.text or ""), True)
# Two charts reading the counts the Summary shows.
z = zipfile.ZipFile(sys.argv[1])
names = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
want("chart parts", names, ["xl/charts/chart1.xml", "xl/charts/chart2.xml"])
want("charts on the Summary", len(sm._charts), 2)
def row_of(label):
    return [c.row for c in sm["A"] if c.value == label][0]
kinds = {}
for ch in sm._charts:
    ref = ch.series[0].val.numRef.f
    kinds[ch.tagname] = ref
want("column chart of the bands", kinds.get("barChart"), "Summary!$B$%d:$B$%d" % (row_of("very high"), row_of("low")))
want("pie of the overall levels", kinds.get("pieChart"), "Summary!$B$%d:$B$%d" % (row_of("HIGH"), row_of("UNCATEGORIZED")))
done()
'

# ------------------------------------------------------------------
demo_db
hw_setup --quiet config organisation "Riverton Water Authority"
mkdir -p js
for c in risk plan; do
	hw_setup --json $c --as-of $ASOF
	cp "$OUT_FILE" js/$c.json
done
hw_setup --json check
cp "$OUT_FILE" js/check.json
hw_setup --json categorize
cp "$OUT_FILE" js/categorize.json
hw_setup export
cp "$OUT_FILE" js/export.json
hw_setup --json risk --weights
cp "$OUT_FILE" js/weights.json

hw report plan --as-of $ASOF -o plan.xlsx
expect_rc 0 "report plan --as-of $ASOF -o plan.xlsx"
expect_out_eq "wrote plan.xlsx (6 sheets, 114 records)" "report plan: says where it wrote"
xlsx_check "Summary: sheets, counts by band, level and baseline, top ten, family gaps, findings, charts, print setup" \
	"$SUMMARY" plan.xlsx js "$(db_shown "$HIGHWATER_DB")"
xlsx_check "Risk register: every row matches risk --json (levels, contributions, score, band, recorded factors), types, colours, score bands" \
	"$REGISTER" plan.xlsx js
xlsx_check "Protection plan: every row matches plan --json, actions in order with gains and reasons" \
	"$PLAN" plan.xlsx js
xlsx_check "Categorization: own and effective levels, raised by and path, information types, in id order" \
	"$CATEGORIZATION" plan.xlsx js
xlsx_check "Controls: every SP 800-53B control with its baselines and the assets needing and lacking it" \
	"$CONTROLS" plan.xlsx js "$BASELINES"
xlsx_check "Data quality: every finding of check --json, in its order" \
	"$QUALITY" plan.xlsx js

hw --json report plan --as-of $ASOF -o plan-json.xlsx
expect_json '[d["path"], d["sheets"], d["rows"], d["split"]]' '["plan-json.xlsx",6,114,null]' \
	"report plan --json: path, sheets, records, split"

# A worksheet of 50 rows: 114 assets on 3 sheets each, 370 controls on 8,
# 87 findings on 2.
HIGHWATER_XLSX_ROWS=50 hw report plan --as-of $ASOF -o split.xlsx
expect_out_eq "wrote split.xlsx (23 sheets, 114 records)
note: Risk register continues on Risk register (2) to Risk register (3); Protection plan continues on Protection plan (2) to Protection plan (3); Categorization continues on Categorization (2) to Categorization (3); Controls continues on Controls (2) to Controls (8); Data quality continues on Data quality (2) to Data quality (5) (a worksheet holds 50 rows)" \
	"HIGHWATER_XLSX_ROWS=50: every table continues on further sheets"
xlsx_check "split: the Summary says so, and its counts still hold" \
	"$SUMMARY" split.xlsx js "$(db_shown "$HIGHWATER_DB")"
xlsx_check "split: the register's parts hold every row, each with header, pane, filter and colours" \
	"$REGISTER" split.xlsx js
xlsx_check "split: the plan's parts" "$PLAN" split.xlsx js
xlsx_check "split: the categorization's parts" "$CATEGORIZATION" split.xlsx js
xlsx_check "split: the controls' parts" "$CONTROLS" split.xlsx js "$BASELINES"
xlsx_check "split: the findings' parts" "$QUALITY" split.xlsx js
xlsx_check "split: each table's parts follow it" '
want("order", wb.sheetnames, ["Summary"] + [n for b, k in (("Risk register", 3), ("Protection plan", 3), ("Categorization", 3), ("Controls", 8), ("Data quality", 5)) for n in [b] + ["%s (%d)" % (b, i) for i in range(2, k + 1)]])
done()' split.xlsx js

# The score colours follow the weights.
hw_setup --quiet risk --set band.high=30 --set band.very_high=45
hw_setup --json risk --weights
cp "$OUT_FILE" js/weights.json
hw_setup --json risk --as-of $ASOF
cp "$OUT_FILE" js/risk.json
hw_setup --json plan --as-of $ASOF
cp "$OUT_FILE" js/plan.json
hw report plan --as-of $ASOF -o bands.xlsx
xlsx_check "other band weights: the score colours and bands follow them" \
	"$REGISTER" bands.xlsx js
xlsx_check "other band weights: the Summary's band counts" \
	"$SUMMARY" bands.xlsx js "$(db_shown "$HIGHWATER_DB")"

# An empty inventory: every sheet, headers only.
HIGHWATER_DB=$TMP/empty.db hw_setup --quiet init
HIGHWATER_DB=$TMP/empty.db hw report plan -o empty.xlsx
expect_out_eq "wrote empty.xlsx (6 sheets, 0 records)" "an empty inventory gives a workbook of headers"
xlsx_check "empty: the Summary counts nothing, the tables have their headers" '
sm = wb["Summary"]
kv = {r[0]: r[1] for r in rows(sm) if r[0] is not None}
want("assets", kv.get("Assets"), 0)
want("no risks listed", [k for k in kv if k.split(". ")[0].isdigit()], [])
for n in ("Risk register", "Protection plan", "Categorization", "Data quality"):
    want(n + " rows", wb[n].max_row, 1)
want("controls still listed", wb["Controls"].max_row, 371)
want("charts", len(sm._charts), 2)
done()' empty.xlsx js

# Default path: reports/ in the current folder, dated today.
hw report plan
expect_out_eq "wrote reports/protection-plan-$TODAY.xlsx (6 sheets, 114 records)" \
	"report plan: default reports/protection-plan-DATE.xlsx"
ok_if "the default file is there" test -s "reports/protection-plan-$TODAY.xlsx"
refuse "a second run the same day is refused" \
	"'reports/protection-plan-$TODAY.xlsx' already exists (use --force to overwrite it)" -- \
	report plan
# --as-of names the file with its date: the README's example works after
# "make demo" (which wrote today's) on the same day.
hw report plan --as-of 2026-02-28
expect_out_eq "wrote reports/protection-plan-2026-02-28.xlsx (6 sheets, 114 records)" \
	"report plan --as-of DATE: reports/protection-plan-DATE.xlsx"

# Bad output paths and options: one line, no file, no temporary file.
sum_before=$(cksum <plan.xlsx)
refuse "an existing file is refused without --force" \
	"'plan.xlsx' already exists (use --force to overwrite it)" -- \
	report plan -o plan.xlsx
expect_eq "$(cksum <plan.xlsx)" "$sum_before" "the existing file is untouched"
hw report plan --as-of $ASOF -o plan.xlsx --force
expect_rc 0 "--force overwrites it"
refuse "a folder that is not there" \
	"cannot write 'nowhere/plan.xlsx': No such file or directory" -- \
	report plan -o nowhere/plan.xlsx
echo plain >plainfile
refuse "a path under a regular file" \
	"cannot write 'plainfile/plan.xlsx': Not a directory" -- \
	report plan -o plainfile/plan.xlsx
refuse_usage "an --as-of that is not a date (usage error)" "2026-02-30" -- \
	report plan --as-of 2026-02-30 -o baddate.xlsx
mkdir -p baddata
printf 'control_id,family\nac-1,AC\n' >baddata/sp800-53b-baselines.csv
HIGHWATER_DATADIR=$TMP/baddata hw report plan -o badcsv.xlsx
expect_eq "$RC:$(printf '%s\n' "$ERR" | wc -l)" "1:1" "a malformed baselines file: exit 1, one line"
expect_err_has "sp800-53b-baselines.csv' line 1 column 1" "it names the file and the line"
ok_if "nothing left behind by the refusals" \
	test -z "$(find . -name '*.tmp*' -o -name 'baddate.xlsx' -o -name 'badcsv.xlsx' -o -name nowhere -o -path './plainfile/*')"
hw report plan extra
expect_rc 2 "report plan takes no argument"
hw report plan --bogus
expect_rc 2 "an unknown option is a usage error"
hw report plan -o
expect_rc 2 "-o needs a value"
hw report plan --help
expect_out_has "usage: highwater report plan [-o FILE] [--force] [--mode MODE] [--as-of DATE]" "report plan --help"
expect_out_has "Risk register" "report plan --help names the sheets"
hw help
expect_out_has "report plan" "help lists report plan"

# LibreOffice, when installed, opens the workbook and prints it.
if command -v libreoffice >/dev/null 2>&1; then
	mkdir -p pdf
	HOME=$TMP timeout 300 libreoffice --headless --convert-to pdf --outdir pdf \
		plan.xlsx >lo.out 2>&1
	ok_if "LibreOffice converts the protection plan to PDF" test -s pdf/plan.pdf
	if command -v pdftotext >/dev/null 2>&1; then
		pdftotext pdf/plan.pdf pdf/plan.txt 2>/dev/null
		ok_if "the PDF shows the Summary and the register" \
			grep -q "Ten highest risks" pdf/plan.txt
	else
		skip "the PDF shows the Summary" "pdftotext is not installed"
	fi
else
	skip "LibreOffice converts the protection plan to PDF" "libreoffice is not installed"
	skip "the PDF shows the Summary" "libreoffice is not installed"
fi

done_testing
