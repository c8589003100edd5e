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
expect_out_eq "imported 4 information types, 114 assets, 65 assignments, 327 dependencies from inventory.xlsx" \
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
expect_out_eq "dry run: would import 4 information types, 114 assets, 65 assignments, 327 dependencies from inventory.xlsx (nothing changed)" \
	"--dry-run of the same workbook: no difference"

# Continuation sheets: 100 records a sheet.
HIGHWATER_XLSX_ROWS=101 hw report inventory -o split.xlsx
expect_out_eq "wrote split.xlsx (8 sheets, 510 records)
note: Assets continues on Assets (2); Dependencies continues on Dependencies (2) to Dependencies (4) (a worksheet holds 101 rows)" \
	"a workbook with continuation sheets"
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw import split.xlsx
expect_out_eq "imported 4 information types, 114 assets, 65 assignments, 327 dependencies from split.xlsx" \
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
	expect_out_eq "imported 4 information types, 114 assets, 65 assignments, 327 dependencies from lo/inventory.xlsx" \
		"the workbook saved by LibreOffice imports"
	hw_setup export -o lo.json
	ok_if "the LibreOffice-saved workbook gives back the demo's export" cmp -s demo.json lo.json
else
	skip "the workbook saved by LibreOffice imports" "soffice failed: $(head -c 200 lo.out)"
	skip "the LibreOffice-saved workbook gives back the demo's export" "no LibreOffice"
fi

# ------------------------------------------------------------------
# Edited in openpyxl, as an asset owner would: --dry-run says what
# would change, field by field, and changes nothing.
py_ok "edit the workbook in openpyxl" '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
a = wb["Assets"]
assert a["A2"].value == "active-directory" and a["G1"].value == "integrity"
a["G2"] = "low"
a["D2"] = "ad-team@rivertonwater.example"
a["J2"] = None
a.append(["new-01", "New server", "server", None, None, None, None, None, None, None, None, None, None, None, "low"])
g = wb["Assignments"]
assert g["A2"].value == "active-directory" and g["B2"].value == "C.2.8.9"
g["C2"] = "high"
g["F2"] = "holds the keys to everything"
d = wb["Dependencies"]
d.append(["new-01", "active-directory", "connects_to", "c"])
t = wb["Information types"]
assert t["A3"].value == "X.WTR.2"
t["B3"] = "Customer Accounts"
wb.create_sheet("Notes")["A1"] = "not a table: ignored"
wb.save(sys.argv[2])
print("ok")' inventory.xlsx edited.xlsx
EDITS="information type X.WTR.2: name Customer Account and Billing Records -> Customer Accounts
asset active-directory: integrity high -> low
asset active-directory: owner it-infra@rivertonwater.example -> ad-team@rivertonwater.example
asset active-directory: vulnerabilities 1 -> (none)
assignment active-directory C.2.8.9: confidentiality moderate -> high
assignment active-directory C.2.8.9: justification (none) -> holds the keys to everything
asset new-01: added
dependency new-01 -> active-directory: added"
snapshot
hw import --dry-run edited.xlsx
expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 328 dependencies from edited.xlsx (nothing changed)
$EDITS" \
	"--dry-run: each field that would change, and what would be added"
expect_unchanged "--dry-run changes nothing"
hw --json import --dry-run edited.xlsx
expect_json '[d["dry_run"], d["assets"], d["differences"][1], d["differences"][6]]' \
	'[true,115,{"after":"low","before":"high","change":"changed","field":"integrity","id":"active-directory","kind":"asset"},{"after":null,"before":null,"change":"added","field":null,"id":"new-01","kind":"asset"}]' \
	"--json --dry-run: the differences as objects"
expect_json 'len(d["differences"])' '8' "--json --dry-run: every difference"
hw import --dry-run --replace edited.xlsx
expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 328 dependencies from edited.xlsx (nothing changed)
$EDITS" \
	"--dry-run --replace: the same differences (what stays is not listed as removed and added)"
hw --quiet import edited.xlsx
expect_rc 0 "the edited workbook imports"
hw export
expect_json '[[a for a in d["assets"] if a["id"] == "active-directory"][0][k] for k in ("integrity", "owner")] + [[a for a in d["assets"] if a["id"] == "active-directory"][0].get("vulnerabilities"), [a["information_types"][0] for a in d["assets"] if a["id"] == "active-directory"][0], [t["name"] for t in d["information_types"] if t["id"] == "X.WTR.2"]]' \
	'["low","ad-team@rivertonwater.example",null,{"availability":"moderate","confidentiality":"high","id":"C.2.8.9","integrity":"moderate","justification":"holds the keys to everything"},["Customer Accounts"]]' \
	"the edits are in the database"
expect_json '[[a for a in d["assets"] if a["id"] == "new-01"][0]["implemented_baseline"], [x for x in d["dependencies"] if x["from"] == "new-01"]]' \
	'["low",[{"carries":"c","from":"new-01","to":"active-directory","type":"connects_to"}]]' \
	"the added asset and dependency are in the database"
hw import --dry-run edited.xlsx
expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 328 dependencies from edited.xlsx (nothing changed)" \
	"imported, the workbook differs no more"
mkdir -p lo-edited
if HOME=$TMP timeout 300 soffice --headless --convert-to xlsx --outdir lo-edited \
	edited.xlsx >lo.out 2>&1 && [ -s lo-edited/edited.xlsx ]; then
	hw import --dry-run lo-edited/edited.xlsx
	expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 328 dependencies from lo-edited/edited.xlsx (nothing changed)" \
		"the edited workbook saved again by LibreOffice carries the same values"
else
	skip "the edited workbook saved again by LibreOffice carries the same values" \
		"soffice failed: $(head -c 200 lo.out)"
fi
# Removed only with --replace: a dependency row taken out.
py_ok "take a dependency row out" '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
d = wb["Dependencies"]
assert (d["A2"].value, d["B2"].value) == ("active-directory", "dc-vm-01")
d.delete_rows(2)
wb.save(sys.argv[2])
print("ok")' edited.xlsx fewer.xlsx
hw import --dry-run --replace fewer.xlsx
expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 327 dependencies from fewer.xlsx (nothing changed)
dependency active-directory -> dc-vm-01: removed" "--dry-run --replace: a dependency the workbook no longer has is removed"
hw import --dry-run fewer.xlsx
expect_out_eq "dry run: would import 4 information types, 115 assets, 65 assignments, 327 dependencies from fewer.xlsx (nothing changed)" \
	"--dry-run without --replace: the stored dependency stays"


# ------------------------------------------------------------------
# Dates and booleans as other tools write them: date cells in the 1900
# and 1904 systems (with the 1900 system's days before its false
# 1900-02-29), ISO text; boolean cells, and yes/no in any case.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
py_ok "a 1900-system workbook with date and boolean cells" "$MAKE" \
	'{"Assets": ['"$ASSET_HEAD"', ["d-1900", "Dated 1900", "server", null, "low", "low", "low", true, "D:2024-03-01", false], ["d-early", "Dated early", "server", null, "low", "low", "low", false, "D:1900-02-28", false]]}' d1900.xlsx
py_ok "a 1904-system workbook" "$MAKE" \
	'{"Assets": ['"$ASSET_HEAD"', ["d-1904", "Dated 1904", "server", null, "low", "low", "low", false, "D:2024-03-01", true]]}' d1904.xlsx 1904
py_ok "a workbook of text: ISO dates, yes/no words" "$MAKE" \
	'{"Assets": ['"$ASSET_HEAD"', ["d-iso", "Dated ISO", "server", null, "low", "low", "low", "No", "2023-12-31", "YES"]]}' diso.xlsx
ok_if "the 1904 workbook says so" sh -c 'unzip -p d1904.xlsx xl/workbook.xml | grep -q "date1904=\"1\""'
hw import d1900.xlsx d1904.xlsx diso.xlsx
expect_out_eq "imported 0 information types, 4 assets, 0 dependencies from d1900.xlsx, d1904.xlsx, diso.xlsx" \
	"three workbooks in one import"
hw export
expect_json '[[a["id"], a["last_patched"], a["internet_facing"], a["authorized"]] for a in d["assets"]]' \
	'[["d-1900","2024-03-01",true,false],["d-1904","2024-03-01",false,true],["d-early","1900-02-28",false,false],["d-iso","2023-12-31",false,true]]' \
	"serial dates of both systems and ISO text give the same dates; booleans as cells or words"

# ------------------------------------------------------------------
# Errors: one line naming the workbook, the sheet and the cell (and its
# column), the database unchanged.
py_ok "a workbook with a bad level" "$MAKE" \
	'{"Notes": [["not a table"]], "Assets": ['"$ASSET_HEAD"', ["ok-1", "Fine", "server", null, "low", "low", "low"], ["bad-1", "Bad", "server", null, "low", "hihg", "low"]]}' badlevel.xlsx
snapshot
hw import badlevel.xlsx
expect_err_eq "highwater: import: 'badlevel.xlsx': sheet 'Assets', cell F3 (integrity): unknown level \"hihg\" (expected low, moderate, high)" \
	"a bad level: the sheet, the cell and its column"
expect_rc 1 "a bad level: exit 1"
expect_unchanged "a bad level: nothing imported"
py_ok "a workbook with a number for a date" "$MAKE" \
	'{"Assets": ['"$ASSET_HEAD"', ["n-1", "Number", "server", null, "low", "low", "low", false, 45352]]}' numdate.xlsx
hw import numdate.xlsx
expect_err_eq "highwater: import: 'numdate.xlsx': sheet 'Assets', cell I2 (last_patched): \"45352\" is not a date (expected YYYY-MM-DD)" \
	"a number not shown as a date is no date"
py_ok "a workbook with a duplicate asset" "$MAKE" \
	'{"Assets": ['"$ASSET_HEAD"', ["x-1", "One", "server"], ["x-1", "Again", "server"]]}' twice.xlsx
hw import twice.xlsx
expect_err_eq "highwater: import: 'twice.xlsx': sheet 'Assets', row 3: duplicate asset id 'x-1' (first at row 2)" \
	"an error of the engine names the sheet and row"
expect_unchanged "a duplicate: nothing imported"
# What the engine finds after the rows is placed too.
py_ok "a workbook whose dependency names no asset" "$MAKE" \
	'{"Assets": [["id", "name", "type"], ["a-1", "A", "server"]], "Dependencies": [["from", "to"], ["a-1", "nope"]]}' dangling.xlsx
hw import dangling.xlsx
expect_err_eq "highwater: import: 'dangling.xlsx': sheet 'Dependencies', cell B2 (to): unknown asset 'nope' (in neither the files nor the database)" \
	"a dependency's unknown end: its sheet and cell"
py_ok "a workbook whose assignments name an unknown type and asset" "$MAKE" \
	'{"Assets": [["id", "name", "type"], ["a-1", "A", "server"]], "Assignments": [["asset", "information_type"], ["a-1", "C.2.4.1"], ["a-1", "C.9.9.9"]]}' badtype.xlsx
hw import badtype.xlsx
expect_err_eq "highwater: import: 'badtype.xlsx': sheet 'Assignments', cell B3 (information_type): unknown information type 'C.9.9.9' (hint: highwater infotype list --search)" \
	"an assignment's unknown type, found when its asset comes: the Assignments cell"
py_ok "a workbook assigning to an asset nowhere" "$MAKE" \
	'{"Assignments": [["asset", "information_type"], ["zz", "C.2.4.1"]]}' noasset.xlsx
hw import noasset.xlsx
expect_err_eq "highwater: import: 'noasset.xlsx': sheet 'Assignments', cell A2 (asset): asset 'zz' is in neither the files nor the database" \
	"an assignment's unknown asset: the Assignments cell"
expect_unchanged "nothing imported from the three"
py_ok "a workbook with an unknown column" "$MAKE" \
	'{"Assets": [["id", "name", "type", "colour"], ["c-1", "One", "server", "red"]]}' column.xlsx
hw import column.xlsx
expect_err_eq "highwater: import: 'column.xlsx': sheet 'Assets', cell D1: unknown column \"colour\" (not a column of assets; --columns maps other names, extensions start with \"x-\")" \
	"an unknown column: its header cell"
py_ok "a workbook of other sheets only" "$MAKE" '{"Notes": [["a"]]}' notes.xlsx
refuse "a workbook without the inventory's sheets" \
	"'notes.xlsx': no sheet of the inventory (expected Assets, Assignments, Dependencies or Information types, as report inventory writes them)" \
	-- import notes.xlsx
printf 'id,name\n' >text.xlsx
refuse "a text file named .xlsx" \
	"'text.xlsx': not a zip package: Not a zip archive (expected an xlsx workbook)" \
	-- import text.xlsx

# A zip bomb: a sheet of 64 MiB that deflates to some 64 KiB is refused
# once the bytes inflated pass 100 times the file's size plus 1 MiB
# (counted, whatever the zip says); an XML entity bomb at its DOCTYPE.
py_ok "make a zip bomb and an entity bomb from a real workbook" '
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
def rebuild(out, name, data):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            z.writestr(i.filename, data if i.filename == name else src.read(i.filename))
ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
rebuild("zipbomb.xlsx", "xl/worksheets/sheet1.xml", b"<worksheet xmlns=\"" + ns + b"\"><sheetData>" + b" " * (64 << 20) + b"</sheetData></worksheet>")
ent = b"".join(b"<!ENTITY %c \"%s\">\n" % (c, (b"&%c;" % (c - 1)) * 10) for c in range(ord("b"), ord("k")))
rebuild("laughs.xlsx", "xl/worksheets/sheet1.xml", b"<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [\n<!ENTITY a \"aaaaaaaaaa\">\n" + ent + b"]>\n<worksheet xmlns=\"" + ns + b"\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&j;</t></is></c></row></sheetData></worksheet>")
print("ok")' d1900.xlsx
bound=$(( $(stat -c %s zipbomb.xlsx) * 100 + 1048576 ))
snapshot
hw import zipbomb.xlsx
expect_err_eq "highwater: import: 'zipbomb.xlsx': sheet 'Assets', part 'xl/worksheets/sheet1.xml': the workbook unpacks to more than $bound bytes (at most 100 times its size plus 1 MiB, and 4 GiB): refused as a zip bomb" \
	"a zip bomb is refused, named"
expect_rc 1 "a zip bomb: exit 1"
expect_unchanged "a zip bomb: nothing imported"
hw import laughs.xlsx
expect_err_eq "highwater: import: 'laughs.xlsx': sheet 'Assets', part 'xl/worksheets/sheet1.xml' line 2: a DOCTYPE declaration is refused (entities are never expanded; a workbook has none)" \
	"an XML entity bomb is refused at its DOCTYPE, nothing expanded"
expect_rc 1 "an entity bomb: exit 1"
expect_unchanged "an entity bomb: nothing imported"


# Another tool's column names, mapped as for CSV.
py_ok "a workbook with its own column names" "$MAKE" \
	'{"Assets": [["Hostname", "Name", "Kind", "x-rack"], ["h-1", "Host one", "server", "R12"]]}' hosts.xlsx
hw import hosts.xlsx --columns 'Hostname=id,Name=name,Kind=type'
expect_out_eq "imported 0 information types, 1 asset, 0 dependencies from hosts.xlsx" \
	"--columns renames a sheet's columns; x- columns are ignored"
hw export
expect_json '[a for a in d["assets"] if a["id"] == "h-1"][0]["name"]' '"Host one"' \
	"the renamed columns land"

done_testing
