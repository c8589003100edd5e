#!/bin/bash
# print.sh: the demo's workbooks as they print.  LibreOffice converts the
# protection plan, the inventory and a change workbook to PDF, on its
# default paper (Letter landscape here) and on A4 landscape (the same
# files with paperSize 9); python3-fitz reads every text span's size
# from the PDF, which is the printed size after the page's scaling.
# Every span but the charts' is at least 7 pt; every sheet prints all
# its columns (each header appears on its pages); the pages of a table
# repeat the header row and the key columns (the first header is on
# every page); a Summary fills its last page at least a fifth (no spill
# onto a nearly blank page).  Skipped without LibreOffice or fitz.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# $1 the PDF, $2 the workbook: checks every page, grouped by the sheet
# its footer names.
PRINTED='
import sys, collections, fitz, openpyxl
bad = []
pdf, wb = fitz.open(sys.argv[1]), openpyxl.load_workbook(sys.argv[2])
pages = collections.defaultdict(list)
for p in pdf:
    spans = [s for b in p.get_text("dict")["blocks"] for l in b.get("lines", []) for s in l["spans"] if s["text"].strip()]
    h = p.rect.height
    foot = [s for s in spans if s["bbox"][1] > h - 45 and s["bbox"][0] < p.rect.width / 3]
    sheet = foot[0]["text"] if foot else "?"
    pages[sheet].append((p, spans))
want = lambda what, got, exp: got == exp or bad.append("%s: got %r, expected %r" % (what, got, exp))
want("sheets printed", sorted(pages), sorted(wb.sheetnames))
for name, ps in pages.items():
    ws = wb[name]
    charts = name == "Summary" and ws._charts
    text = set()
    for i, (p, spans) in enumerate(ps):
        floor = p.rect.height
        if charts:
            # The charts are the last thing on the Summary, below the
            # last row of its Sheets section.
            last = [s for s in spans if s["text"] == "%s (rows)" % wb.sheetnames[-1]]
            if last:
                floor = last[-1]["bbox"][3] + 2
        for s in spans:
            if s["bbox"][1] < floor and s["size"] < 7:
                bad.append("%s page %d: %r prints at %.1f pt" % (name, i + 1, s["text"][:30], s["size"]))
        text.update(s["text"].strip() for s in spans)
    if name != "Summary":
        header = [c.value for c in ws[1]]
        missing = [h for h in header if h not in text]
        want(name + ": every column printed", missing, [])
        for i, (p, spans) in enumerate(ps):
            if header[0] not in [s["text"].strip() for s in spans]:
                bad.append("%s page %d: the key column %r is not repeated" % (name, i + 1, header[0]))
    else:
        p, spans = ps[-1]
        body = [s["bbox"][3] for s in spans if 40 < s["bbox"][1] < p.rect.height - 45]
        body += [d["rect"].y1 for d in p.get_drawings() if 40 < d["rect"].y1 < p.rect.height - 45]
        fill = (max(body) - 40) / (p.rect.height - 85) if body else 0
        if len(ps) > 1 and fill < 0.2:
            bad.append("Summary: its last page (%d) is only %.0f%% filled" % (len(ps), 100 * fill))
print("ok" if not bad else "\n".join(bad[:20]))
'

# The same workbook on A4: paperSize 9 on every sheet.
A4='
import re, sys, zipfile
src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for i in src.infolist():
    data = src.read(i.filename)
    if i.filename.startswith("xl/worksheets/sheet"):
        data = re.sub(rb"<pageSetup ", b"<pageSetup paperSize=\"9\" ", data)
    dst.writestr(i, data)
dst.close()
print("ok")
'

if ! command -v libreoffice >/dev/null 2>&1; then
	skip "the workbooks print legibly" "libreoffice is not installed"
	done_testing
fi
if ! "$PYTHON" -c 'import fitz' 2>/dev/null; then
	skip "the workbooks print legibly" "python3-fitz is not installed"
	done_testing
fi

demo_db
hw_setup --quiet config organisation "Riverton Water Authority"
hw report plan --as-of 2026-11-21 -o plan.xlsx
expect_rc 0 "report plan"
hw report inventory -o inventory.xlsx
expect_rc 0 "report inventory"
hw report change sql-vm-01 -o change.xlsx
expect_rc 0 "report change sql-vm-01"
for w in plan inventory change; do
	py_ok "$w on A4" "$A4" $w.xlsx $w-a4.xlsx
done

mkdir -p pdf
HOME=$TMP timeout 600 libreoffice --headless --convert-to pdf --outdir pdf \
	plan.xlsx inventory.xlsx change.xlsx \
	plan-a4.xlsx inventory-a4.xlsx change-a4.xlsx >lo.out 2>&1
for w in plan inventory change; do
	for p in "" -a4; do
		paper=${p:+A4}
		py_ok "$w${p}: every text at 7 pt or more on ${paper:-the default paper}, every column printed, key columns on every page, no nearly blank last page" \
			"$PRINTED" pdf/$w$p.pdf $w.xlsx
	done
done
py_ok "the A4 prints are A4 landscape, the others landscape" '
import sys, fitz
docs = {n: fitz.open(n) for n in sys.argv[1:]}
sizes = {n: tuple(round(x) for x in d[0].rect[2:]) for n, d in docs.items()}
ok = all(s == (842, 595) if "-a4" in n else s[0] > s[1] for n, s in sizes.items())
print("ok" if ok else sizes)' pdf/plan.pdf pdf/plan-a4.pdf pdf/change.pdf pdf/change-a4.pdf

done_testing
