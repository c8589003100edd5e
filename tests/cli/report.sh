#!/bin/bash
# report.sh: the Excel workbooks ("highwater report change|inventory",
# "impact --xlsx"), read back by an independent reader (openpyxl, from
# /usr/bin/python3): sheet names, header rows, every record against
# "impact --json" and "export" on the demo inventory, number and date
# cell types, frozen panes, autofilter ranges, conditional formats for
# the levels, print setup and properties; tables continued on "NAME (2)"
# past a small row limit ($HIGHWATER_XLSX_ROWS); default paths; bad
# output paths refused in one line with no file left behind; and, when
# LibreOffice is installed, that it converts the workbooks to PDF.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

TODAY=$(date +%F)

# Shared by the checks: load(path), rows(ws) (values), table(wb, base)
# (the records of a table over all its parts, after checking each part's
# header, frozen pane and autofilter), want(what, got, expected).
COMMON='
import json, sys, zipfile, datetime, openpyxl
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, expected %r" % (what, got, exp))
def load(path):
    return openpyxl.load_workbook(path)
def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]
def parts(wb, base):
    names = [n for n in wb.sheetnames if n == base or (n.startswith(base + " (") and n.endswith(")"))]
    want(base + " parts named in order", names, [base] + ["%s (%d)" % (base, i) for i in range(2, len(names) + 1)])
    return [wb[n] for n in names]
def table(wb, base, header, keys=0):
    out = []
    for ws in parts(wb, base):
        r = rows(ws)
        want(ws.title + " header", r[0] if r else None, header)
        want(ws.title + " frozen header and key columns", ws.freeze_panes, "%s2" % openpyxl.utils.get_column_letter(keys + 1))
        last = openpyxl.utils.get_column_letter(len(header))
        want(ws.title + " autofilter", ws.auto_filter.ref, "A1:%s%d" % (last, max(len(r), 1)))
        want(ws.title + " landscape", ws.page_setup.orientation, "landscape")
        # Never shrunk to the page: wide tables run to more pages
        # across, each repeating the header row and the key columns.
        want(ws.title + " printed at 72%, not fitted", (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.scale), (None, 72))
        want(ws.title + " print titles", (ws.print_title_rows, ws.print_title_cols), ("$1:$1", "$A:$%s" % openpyxl.utils.get_column_letter(keys) if keys else None))
        want(ws.title + " footer pages", "&P of &N" in (ws.oddFooter.center.text or ""), True)
        out.extend(r[1:])
    return out
def level_rules(ws):
    """{column letter: set of values coloured} from the conditional formats."""
    got = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "cellIs" and rule.operator == "equal" and rule.dxf is not None and rule.dxf.fill is not None:
                for rng in str(cf.sqref).split():
                    got.setdefault(rng, set()).update(f.strip("\"") for f in rule.formula)
    return got
def col_range(col, n):
    return "%s2" % col if n == 2 else "%s2:%s%d" % (col, col, n)
def done():
    print("ok" if not bad else "\n".join(bad[:20]))
'

# Affected CIs against impact --json ($1 the workbook, $2 the JSON, $3
# the arrow of the paths).
AFFECTED='
wb = load(sys.argv[1])
d = json.load(open(sys.argv[2]))
arrow = sys.argv[3]
up = lambda l: l.upper() if l else "UNCATEGORIZED"
# FIPS 200 with unknown objectives: a lower bound reads "at least".
ovl = lambda m: up(m["overall"]) if m["overall_exact"] or not m["overall"] else "at least " + up(m["overall"])
header = ["Asset", "Name", "Distance", "Type", "Confidentiality", "Integrity", "Availability", "Overall", "Owner", "On cycle", "Direction", "Path"]
got = table(wb, "Affected CIs", header, 2)
exp = []
for m in d["members"]:
    e = m["effective"]
    exp.append([m["id"], m["name"], m["distance"], m["type"], up(e["confidentiality"]), up(e["integrity"]), up(e["availability"]), ovl(m), m["owner"], "yes" if m["on_cycle"] else "no", "target" if m["distance"] == 0 else ("down" if arrow == " -> " else "up"), arrow.join(m["path"])])
want("record count", len(got), len(exp))
for g, x in zip(got, exp):
    want("record " + x[0], g, x)
for ws in parts(wb, "Affected CIs"):
    n = ws.max_row
    for c in range(2, n + 1):
        if ws.cell(c, 3).data_type != "n" or not isinstance(ws.cell(c, 3).value, int):
            bad.append("%s C%d is not a number" % (ws.title, c))
    if n > 1:
        rules = level_rules(ws)
        for col in "EFGH":
            want(ws.title + " colours " + col, rules.get(col_range(col, n)), {"HIGH", "MODERATE", "LOW", "at least MODERATE", "at least LOW"})
done()
'

# The Summary, Owners and Controls against impact --json and the
# baselines CSV ($1 the workbook, $2 the JSON, $3 the CSV).
CHANGE_REST='
import csv
wb = load(sys.argv[1])
d = json.load(open(sys.argv[2]))
s = d["summary"]
up = lambda l: l.upper() if l else "UNCATEGORIZED"
split = [n for n in wb.sheetnames if n.startswith("Affected CIs (")]
want("sheets", [n for n in wb.sheetnames if " (" not in n], ["Summary", "Affected CIs", "Owners", "Controls to re-check"])
more = " +%d more" % (len(d["targets"]) - 1) if len(d["targets"]) > 1 else ""
want("properties: named after the first target", (wb.properties.title, wb.properties.creator), ("Change impact: " + d["targets"][0] + more, "highwater"))
app = zipfile.ZipFile(sys.argv[1]).read("docProps/app.xml").decode()
want("company", "<Company>Riverton Water Authority</Company>" in app, True)
sm = wb["Summary"]
kv = {}
for r in rows(sm):
    if r[0] is not None and r[0] not in kv:
        kv[r[0]] = r[1]
want("organisation", kv.get("Organisation"), "Riverton Water Authority")
want("generated is a date", isinstance(kv.get("Generated"), datetime.datetime), True)
want("route", kv.get("Recommended route"), s["route"])
want("targets", kv.get("Target", kv.get("Targets")), ", ".join(d["targets"]))
for o in ("confidentiality", "integrity", "availability"):
    want("highest " + o, kv.get(o.capitalize()), up(s["highest"][o]))
want("assets affected", kv.get("Assets affected"), s["members"])
for l in ("high", "moderate", "low", "uncategorized"):
    want("count " + l, kv.get(l.upper()), s["counts"][l])
want("on cycle", kv.get("On a dependency cycle"), s["on_cycle"])
want("partly categorized", kv.get("Of these, at least (partly categorized)"), s["partly_categorized"])
want("owners", kv.get("Owners"), len(s["owners"]))
for o in s["owners"]:
    want("owner " + o, kv.get(o), sum(1 for m in d["members"] if m["owner"] == o))
want("services", kv.get("Business services"), len(s["services"]))
for v in s["services"]:
    want("service " + v, kv.get(v), [m["name"] for m in d["members"] if m["id"] == v][0])
want("split note", "Affected CIs continues on Affected CIs (2)" in (kv.get("Note") or ""), bool(split))
want("owner counts labelled", kv.get("Owner"), "Affected assets" if s["owners"] else None)
# Why: the level that decided, the threshold, the highest assets.
RANK = ["low", "moderate", "high"]
top = max((m["overall"] for m in d["members"] if m["overall"]), key=RANK.index, default=None)
decided = top if s["route"] != "cab-review" or (top and RANK.index(top) >= 1) else None
why = kv.get("Why") or ""
want("why names the deciding level", why.startswith(up(decided) + " decided it: "), True)
want("why names the threshold", "route.full_cab HIGH" in why if s["route"] == "full-cab" else "route.cab_review MODERATE" in why, True)
at = [m["id"] for m in d["members"] if m["overall"] == decided]
want("why names the highest assets", why.endswith("highest assets touched: " + ", ".join(at[:3]) + (" +%d more" % (len(at) - 3) if len(at) > 3 else "")), True)
for label in ("Assets affected", "HIGH", "Owners"):
    cell = [c for c in sm["B"] if sm.cell(c.row, 1).value == label][0]
    want(label + " is a number", cell.data_type, "n")
rules = level_rules(sm)
want("Summary colours levels", any(v == {"HIGH", "MODERATE", "LOW", "at least MODERATE", "at least LOW"} for v in rules.values()), True)
# Owners: one row per owner (sorted), the ownerless last.
ow = table(wb, "Owners", ["Owner", "Assets", "Highest", "HIGH", "MODERATE", "LOW", "UNCATEGORIZED", "Affected assets"], 1)
names = sorted(set(m["owner"] for m in d["members"] if m["owner"]))
if any(m["owner"] is None for m in d["members"]):
    names.append(None)
want("owner rows", [r[0] for r in ow], [n if n else "(no owner)" for n in names])
for r, n in zip(ow, names):
    ms = [m for m in d["members"] if m["owner"] == n]
    want("owner %s assets" % n, r[1], len(ms))
    want("owner %s by level" % n, r[3:7], [sum(1 for m in ms if m["overall"] == l) for l in ("high", "moderate", "low", None)])
    want("owner %s list" % n, r[7], ", ".join(m["id"] for m in ms))
    top = max((m["overall"] for m in ms if m["overall"]), key=["low", "moderate", "high"].index, default=None)
    want("owner %s highest" % n, r[2], up(top))
# Controls: those of the change list that the baseline of a touched asset
# selects, with the assets requiring each.
LV = ("low", "moderate", "high")
base = {c["control_id"]: c for c in csv.DictReader(open(sys.argv[3]))}
engaged = list(csv.DictReader(open(sys.argv[3].replace("sp800-53b-baselines.csv", "change-controls.csv"))))
def nist(i):
    c, _, e = i.upper().partition(".")
    return c + ("(%s)" % e if e else "")
exp = []
for e in engaged:
    c = base[e["control_id"]]
    need = [m["id"] for m in d["members"] if m["overall"] and c[m["overall"]] == "1"]
    if not need:
        continue
    named = ", ".join(need[:20]) + (" +%d more (see Affected CIs)" % (len(need) - 20) if len(need) > 20 else "")
    exp.append([nist(c["control_id"]), c["title"], c["family"], e["engaged_by"], ", ".join(l.upper() for l in LV if c[l] == "1"), len(need), named])
ct = table(wb, "Controls to re-check", ["Control", "Title", "Family", "Engaged by", "Baselines selecting it", "Assets requiring it", "Assets (highest first)"], 1)
want("controls", ct, exp)
want("some controls, not the whole baseline", 0 < len(ct) < 40 if any(s["counts"][l] for l in LV) else len(ct) == 0, True)
want("controls to re-check counted", kv.get("Controls the change engages"), len(exp))
done()
'

# Rebuild the inventory from the workbook's sheets as a CSV importer
# would (a header of field names, one record a row) and compare it with
# "export" ($1 the workbook, $2 the export).
INVENTORY='
wb = load(sys.argv[1])
exp = json.load(open(sys.argv[2]))
want("sheets", [n for n in wb.sheetnames if " (" not in n], ["Assets", "Assignments", "Dependencies", "Information types"])
want("title", wb.properties.title, "Inventory")
KEYS = {"Assets": 2, "Assignments": 2, "Dependencies": 2, "Information types": 1}
def records(base, header):
    out = []
    for r in table(wb, base, header, KEYS[base]):
        o = {}
        for k, v in zip(header, r):
            if v is None:
                continue
            if k in ("internet_facing", "authorized"):
                # Yes/no text, as a reader of the printed sheet expects.
                if v not in ("yes", "no"):
                    bad.append("%s %s is %r, not yes or no" % (base, k, v))
                v = v == "yes"
            o[k] = v
        out.append(o)
    return out
assets = records("Assets", ["id", "name", "type", "owner", "description", "confidentiality", "integrity", "availability", "internet_facing", "vulnerabilities", "worst_cvss", "last_patched", "end_of_life", "authorized", "implemented_baseline", "downtime_cost", "authorized_by", "authorized_at"])
# The information types of an asset: the Assignments rows naming it.
types_of = {}
for g in records("Assignments", ["asset", "information_type", "confidentiality", "integrity", "availability", "justification"]):
    a = g.pop("asset")
    g["id"] = g.pop("information_type")
    types_of.setdefault(a, []).append(g)
for a in assets:
    if a["id"] in types_of:
        a["information_types"] = types_of.pop(a["id"])
want("assignments of no asset", types_of, {})
deps = records("Dependencies", ["from", "to", "type", "carries"])
types = records("Information types", ["id", "name", "category", "confidentiality", "integrity", "availability"])
want("assets", len(assets), len(exp["assets"]))
for g, x in zip(assets, exp["assets"]):
    want("asset " + x["id"], g, x)
want("dependencies", deps, exp["dependencies"])
want("information types", types, exp["information_types"])
for ws in parts(wb, "Assets"):
    for c in range(2, ws.max_row + 1):
        if ws.cell(c, 9).value not in ("yes", "no"):
            bad.append("%s I%d is not yes or no" % (ws.title, c))
        if ws.cell(c, 11).value is not None and ws.cell(c, 11).number_format != "0.0":
            bad.append("%s K%d (worst_cvss) does not show one decimal" % (ws.title, c))
    if ws.max_row > 1:
        rules = level_rules(ws)
        for col in "FGH":
            want(ws.title + " colours " + col, rules.get(col_range(col, ws.max_row)), {"high", "moderate", "low", "at least moderate", "at least low"})
done()
'

# Two workbooks hold the same records (all but the Summary's date).
SAME='
a, b = load(sys.argv[1]), load(sys.argv[2])
want("sheets", a.sheetnames, b.sheetnames)
for n in a.sheetnames:
    ra, rb = rows(a[n]), rows(b[n])
    if n == "Summary":
        ra = [r for r in ra if r[0] != "Generated"]
        rb = [r for r in rb if r[0] != "Generated"]
    want(n, ra, rb)
done()
'

# ------------------------------------------------------------------
demo_db
hw_setup --quiet config organisation "Riverton Water Authority"
BASELINES=$HIGHWATER_DATADIR/sp800-53b-baselines.csv

hw --json impact scada-historian-db
cp "$OUT_FILE" impact.json
hw report change scada-historian-db -o change.xlsx
expect_rc 0 "report change scada-historian-db -o change.xlsx"
expect_out_eq "wrote change.xlsx (4 sheets, 10 records)" "report change: says where it wrote"
xlsx_check "change: Affected CIs match impact --json, record by record, numbers, frozen header, autofilter, level colours" \
	"$AFFECTED" change.xlsx impact.json " <- "
xlsx_check "change: Summary, Owners and Controls to re-check match impact --json and the SP 800-53B CSV" \
	"$CHANGE_REST" change.xlsx impact.json "$BASELINES"

hw --json impact scada-historian-db --direction down --depth 2
cp "$OUT_FILE" down.json
hw report change scada-historian-db --direction down --depth 2 -o down.xlsx
expect_rc 0 "report change --direction down --depth 2"
xlsx_check "change down: paths point down (->), every record matches impact --json" \
	"$AFFECTED" down.xlsx down.json " -> "
xlsx_check "change down: Summary, Owners (with the ownerless) and Controls" \
	"$CHANGE_REST" down.xlsx down.json "$BASELINES"

hw --json impact historian-vm-01 telemetry-poller portal-db
cp "$OUT_FILE" three.json
hw report change historian-vm-01 telemetry-poller portal-db -o three.xlsx
xlsx_check "change of three targets matches impact --json" \
	"$AFFECTED" three.xlsx three.json " <- "
xlsx_check "change of three targets: Summary, Owners, Controls" \
	"$CHANGE_REST" three.xlsx three.json "$BASELINES"

# A partly categorized target (availability MODERATE only): its Overall
# cell says "at least MODERATE", the Summary counts it apart.
hw --json impact m365-email --depth 0
cp "$OUT_FILE" partial.json
expect_json '[d["members"][0]["overall"], d["members"][0]["overall_exact"], d["summary"]["partly_categorized"]]' \
	'["moderate",false,1]' "impact --json m365-email: a lower bound"
hw report change m365-email --depth 0 -o partial.xlsx
xlsx_check "change of a partly categorized asset: Overall reads at least MODERATE" \
	"$AFFECTED" partial.xlsx partial.json " <- "
xlsx_check "change of a partly categorized asset: Summary counts it at MODERATE and apart" \
	"$CHANGE_REST" partial.xlsx partial.json "$BASELINES"
hw_setup --quiet report change m365-email --depth 0 -o partial2.xlsx --force
"$PYTHON" -c 'import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Affected CIs"]
print(ws.cell(2, 8).value)' partial2.xlsx >cell.txt 2>&1
expect_eq "$(cat cell.txt)" "at least MODERATE" "change workbook: the Overall cell of m365-email is \"at least MODERATE\""

# A row limit of 4 (a header and three records): 10 members on 4 sheets.
HIGHWATER_XLSX_ROWS=4 hw report change scada-historian-db -o split.xlsx
expect_out_eq "wrote split.xlsx (17 sheets, 10 records)
note: Affected CIs continues on Affected CIs (2) to Affected CIs (4); Controls to re-check continues on Controls to re-check (2) to Controls to re-check (11) (a worksheet holds 4 rows)" \
	"HIGHWATER_XLSX_ROWS=4: the tables continue on further sheets"
xlsx_check "split: the parts hold the same records, each with header, frozen pane, autofilter, colours" \
	"$AFFECTED" split.xlsx impact.json " <- "
xlsx_check "split: the Summary says where Affected CIs continues" \
	"$CHANGE_REST" split.xlsx impact.json "$BASELINES"
xlsx_check "split: sheet order: each table's parts follow it" '
want("order", load(sys.argv[1]).sheetnames, ["Summary", "Affected CIs", "Affected CIs (2)", "Affected CIs (3)", "Affected CIs (4)", "Owners"] + ["Controls to re-check"] + ["Controls to re-check (%d)" % i for i in range(2, 12)])
done()' split.xlsx

# impact --xlsx: the usual output, and the same workbook.
hw impact scada-historian-db
cp "$OUT_FILE" impact.txt
hw impact scada-historian-db --xlsx impact.xlsx
expect_rc 0 "impact --xlsx FILE"
expect_out_file impact.txt "impact --xlsx: stdout is the usual impact output"
expect_err_eq "wrote impact.xlsx" "impact --xlsx: says where it wrote, on stderr"
xlsx_check "impact --xlsx writes what report change writes" "$SAME" impact.xlsx change.xlsx
hw --quiet --json impact scada-historian-db --summary --xlsx impact2.xlsx
expect_eq "$RC:$ERR:$(json_val 'd["summary"]["route"]')" '0::"full-cab"' \
	"impact --json --summary --xlsx --quiet: JSON on stdout, nothing on stderr"
xlsx_check "impact --summary --xlsx still lists every member" "$SAME" impact2.xlsx change.xlsx

# The inventory.
hw export
cp "$OUT_FILE" export.json
hw report inventory -o inventory.xlsx
expect_rc 0 "report inventory -o inventory.xlsx"
expect_out_eq "wrote inventory.xlsx (4 sheets, 510 records)" "report inventory: says where it wrote"
xlsx_check "inventory: read as CSV would be, the sheets give back the export" \
	"$INVENTORY" inventory.xlsx export.json
HIGHWATER_XLSX_ROWS=101 hw report inventory -o inventory-split.xlsx
expect_out_eq "wrote inventory-split.xlsx (8 sheets, 510 records)
note: Assets continues on Assets (2); Dependencies continues on Dependencies (2) to Dependencies (4) (a worksheet holds 101 rows)" \
	"inventory with 100 records a sheet: Assets on 2, Dependencies on 4"
xlsx_check "inventory split: all parts together give back the export" \
	"$INVENTORY" inventory-split.xlsx export.json
hw --json report inventory -o inventory.json.xlsx
expect_json '[d["path"], d["sheets"], d["rows"], d["split"]]' '["inventory.json.xlsx",4,510,null]' \
	"report inventory --json: path, sheets, records, split"

# Default paths: reports/ in the current folder, dated.
hw report inventory
expect_out_eq "wrote reports/inventory-$TODAY.xlsx (4 sheets, 510 records)" \
	"report inventory: default reports/inventory-DATE.xlsx"
ok_if "the default inventory file is there" test -s "reports/inventory-$TODAY.xlsx"
hw report change scada-historian-db
expect_out_eq "wrote reports/change-scada-historian-db-$TODAY.xlsx (4 sheets, 10 records)" \
	"report change: default reports/change-ASSET-DATE.xlsx"
refuse "report change: a second run the same day is refused" \
	"'reports/change-scada-historian-db-$TODAY.xlsx' already exists (use --force to overwrite it)" -- \
	report change scada-historian-db
hw report change historian-vm-01 telemetry-poller portal-db
expect_out_eq "wrote reports/change-historian-vm-01+2-more-$TODAY.xlsx (4 sheets, 14 records)" \
	"report change of three targets: named after the first, +2 more"

# Bad output paths: one line, exit 1, no file, no temporary file.
sum_before=$(cksum <inventory.xlsx)
refuse "an existing file is refused without --force" \
	"'inventory.xlsx' already exists (use --force to overwrite it)" -- \
	report inventory -o inventory.xlsx
expect_eq "$(cksum <inventory.xlsx)" "$sum_before" "the existing file is untouched"
hw report inventory -o inventory.xlsx --force
expect_rc 0 "--force overwrites it"
refuse "impact --xlsx refuses an existing file before printing anything" \
	"'change.xlsx' already exists" -- impact scada-historian-db --xlsx change.xlsx
refuse "a folder that is not there" \
	"cannot write 'nowhere/x.xlsx': No such file or directory" -- \
	report inventory -o nowhere/x.xlsx
echo plain >plainfile
refuse "a path under a regular file" \
	"cannot write 'plainfile/x.xlsx': Not a directory" -- \
	report change scada-historian-db -o plainfile/x.xlsx
ln -s dangling-target.xlsx dangling.xlsx
refuse "a dangling symbolic link at -o is refused, not replaced" \
	"'dangling.xlsx' is a symbolic link (not followed: remove it or choose another name)" -- \
	report inventory -o dangling.xlsx
refuse "... even with --force" "'dangling.xlsx' is a symbolic link" -- \
	report inventory -o dangling.xlsx --force
ln -s inventory.xlsx linked.xlsx
refuse "a symbolic link to a workbook is not followed with --force" \
	"'linked.xlsx' is a symbolic link" -- report plan -o linked.xlsx --force
ok_if "... the links left as they were, nothing made at their targets" \
	test -L dangling.xlsx -a ! -e dangling-target.xlsx -a -L linked.xlsx
rm dangling.xlsx linked.xlsx
if [ "$(id -u)" = 0 ]; then
	skip "a read-only folder" "running as root, who may write anywhere (the path under a file stands in)"
else
	mkdir ro && chmod 555 ro
	refuse "a read-only folder" "cannot write 'ro/x.xlsx': Permission denied" -- \
		report inventory -o ro/x.xlsx
fi
refuse "an unknown asset" "unknown asset 'no-such-asset'" -- \
	report change no-such-asset -o unknown.xlsx
ok_if "no file for the unknown asset" test ! -e unknown.xlsx
HIGHWATER_XLSX_ROWS=1 hw report inventory -o rows.xlsx
expect_eq "$RC:$ERR" '1:highwater: report inventory: HIGHWATER_XLSX_ROWS: "1" is not a number of rows (expected 2 to 1048576)' \
	"a row limit below 2 is refused"
mkdir -p baddata
printf 'id,family\nac-1,AC\n' >baddata/sp800-53b-baselines.csv
HIGHWATER_DATADIR=$TMP/baddata hw report change scada-historian-db -o badcsv.xlsx
expect_eq "$RC:$ERR" "1:highwater: report change: '$TMP/baddata/sp800-53b-baselines.csv' line 1 column 1: expected header \"control_id,family,title,low,moderate,high\"" \
	"a malformed baselines file: one line naming it"
cp "$HIGHWATER_DATADIR/sp800-53b-baselines.csv" baddata/
printf 'control_id,engaged_by\ncm-3,change control\nzz-9,nothing\n' >baddata/change-controls.csv
HIGHWATER_DATADIR=$TMP/baddata hw report change scada-historian-db -o badcsv.xlsx
expect_eq "$RC:$ERR" "1:highwater: report change: '$TMP/baddata/change-controls.csv' line 3 column 1: zz-9: not an SP 800-53B control" \
	"a change-controls file naming a control SP 800-53B does not have: one line naming it"
printf 'control,why\ncm-3,change control\n' >baddata/change-controls.csv
HIGHWATER_DATADIR=$TMP/baddata hw report change scada-historian-db -o badcsv.xlsx
expect_eq "$RC:$ERR" "1:highwater: report change: '$TMP/baddata/change-controls.csv' line 1 column 1: expected header \"control_id,engaged_by\"" \
	"a change-controls file with another header: one line naming it"
ok_if "nothing left behind by the refusals" \
	test -z "$(find . -name '*.tmp*' -o -name 'unknown.xlsx' -o -name 'rows.xlsx' -o -name 'badcsv.xlsx' -o -name nowhere)"

hw report change
expect_rc 2 "report change without ASSET is a usage error"
hw report inventory extra
expect_rc 2 "report inventory takes no argument"
hw report inventory -o
expect_rc 2 "-o needs a value"
hw report change --help
expect_out_has "usage: highwater report change ASSET... [-o FILE]" "report change --help"
expect_out_has "Controls to re-check" "report change --help names the sheets"
hw report inventory --help
expect_out_has "usage: highwater report inventory [-o FILE] [--force]" "report inventory --help"
hw impact --help
expect_out_has "--xlsx FILE" "impact --help tells of --xlsx"

# LibreOffice, when installed, opens the workbooks and prints them.
if command -v libreoffice >/dev/null 2>&1; then
	mkdir -p pdf
	HOME=$TMP timeout 300 libreoffice --headless --convert-to pdf --outdir pdf \
		change.xlsx inventory.xlsx >lo.out 2>&1
	ok_if "LibreOffice converts the change and inventory workbooks to PDF" \
		test -s pdf/change.pdf -a -s pdf/inventory.pdf
else
	skip "LibreOffice converts the workbooks to PDF" "libreoffice is not installed"
fi

done_testing
