#!/bin/bash
# csv.sh: the CSV tables in and out: the demo's round trip, RFC 4180
# (quoted commas, quotes and newlines), byte-order mark, CRLF, empty
# cells, x- columns, --columns and --kind, the formula rule both ways,
# assignments kept or replaced, files in any order, all or nothing, and
# bad files refused with one exact line naming file, line and column.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

DEMO=$HW_SRCDIR/data/demo-inventory.json

# --- the demo's round trip ---------------------------------------------------
demo_db
hw export --format csv -o "$TMP/c1"
expect_eq "$RC:$OUT:$ERR" "0::exported to $TMP/c1/" "export --format csv -o DIR says where it wrote"
ok_if "the four files are there" test -f "$TMP/c1/information-types.csv" -a \
	-f "$TMP/c1/assets.csv" -a -f "$TMP/c1/assignments.csv" -a -f "$TMP/c1/dependencies.csv"
expect_eq "$(stat -c %a "$TMP/c1" "$TMP/c1/assets.csv" | tr '\n' ' ')" "700 600 " \
	"the folder and the files are owner-only"
expect_eq "$(wc -l <"$TMP/c1/assets.csv"):$(wc -l <"$TMP/c1/dependencies.csv"):$(wc -l <"$TMP/c1/information-types.csv"):$(wc -l <"$TMP/c1/assignments.csv")" \
	"115:328:5:66" "a header and one line a record (114 assets, 327 dependencies, 4 own types, 65 assignments)"
expect_eq "$(head -c 3 "$TMP/c1/information-types.csv" | od -An -tx1)" " 69 64 2c" \
	"no byte-order mark"
expect_eq "$(grep -c $'\r$' "$TMP/c1/dependencies.csv")" 328 "every line ends in CRLF"

hw --db "$TMP/b.db" --quiet init
hw --db "$TMP/b.db" import "$TMP/c1/dependencies.csv" "$TMP/c1/assets.csv" \
	"$TMP/c1/assignments.csv" "$TMP/c1/information-types.csv"
expect_eq "$RC:$OUT" "0:imported 4 information types, 114 assets, 65 assignments, 327 dependencies from $TMP/c1/dependencies.csv, $TMP/c1/assets.csv, $TMP/c1/assignments.csv, $TMP/c1/information-types.csv" \
	"the four files import in one go, in any order"
hw --db "$TMP/b.db" export
expect_out_file "$DEMO" "CSV export -> import into a fresh database -> JSON export is the demo, byte for byte"
hw --db "$TMP/b.db" export --format csv -o "$TMP/c2"
ok_if "CSV export -> import -> CSV export is identical" diff -r "$TMP/c1" "$TMP/c2"

hw export --format csv -o "$TMP/c1"
expect_eq "$RC:$ERR" "1:highwater: export: '$TMP/c1/information-types.csv' already exists (use --force to overwrite it)" \
	"export refuses to overwrite the files without --force"
hw export --format csv -o "$TMP/c1" --force
expect_rc 0 "export --force overwrites them"
ok_if "and leaves no temporary file" test "$(ls "$TMP/c1" | wc -l)" = 4
mv "$TMP/c1/assets.csv" "$TMP/assets.csv"
ln -s "$TMP/elsewhere.csv" "$TMP/c1/assets.csv"
refuse "a dangling symbolic link among the files is refused, even with --force" \
	"'$TMP/c1/assets.csv' is a symbolic link (not followed: remove it or choose another name)" -- \
	export --format csv -o "$TMP/c1" --force
ok_if "... left as it was, its target not made" \
	test -L "$TMP/c1/assets.csv" -a ! -e "$TMP/elsewhere.csv"
rm "$TMP/c1/assets.csv"
mv "$TMP/assets.csv" "$TMP/c1/assets.csv"
refuse_usage "--format csv needs a folder" "--format csv needs -o DIR" -- export --format csv

# --- RFC 4180, BOM, CRLF, empty cells, x- columns --------------------------------
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
printf '\xef\xbb\xbfid,name,x-note,type,owner,description,integrity,internet_facing\r\n' >"$TMP/assets.csv"
printf 'web,"Web, front","ignored, really",application,ops@example.org,"He said ""hi""\r\nand left",HIGH,Yes\r\n' >>"$TMP/assets.csv"
printf '\r\n' >>"$TMP/assets.csv"
printf 'db,Database,,database,,,,\r\n' >>"$TMP/assets.csv"
hw import "$TMP/assets.csv"
expect_eq "$RC:$OUT" "0:imported 0 information types, 2 assets, 0 dependencies from $TMP/assets.csv" \
	"a file with a BOM, CRLF, quoted commas, quotes and newlines, a blank line and an x- column imports"
hw export
expect_json '[[a["id"], a["name"], a.get("owner"), a.get("description"), a.get("integrity"), a["internet_facing"]] for a in d["assets"]]' \
	'[["db","Database",null,null,null,false],["web","Web, front","ops@example.org","He said \"hi\"\r\nand left","high",true]]' \
	"the values are the cells': quotes undone, the newline inside kept, empty cells no value"

# --- the formula rule ----------------------------------------------------------
printf 'id,name,type,owner,description\n' >"$TMP/f.csv"
printf "f1,'=SUM(A1),server,'+1 555,'-minus\\n" >>"$TMP/f.csv"
printf "f2,''quoted,server,@home,plain\\n" >>"$TMP/f.csv"
hw import "$TMP/f.csv"
hw export
expect_json '[[a["id"], a["name"], a.get("owner"), a.get("description")] for a in d["assets"] if a["id"] in ("f1", "f2")]' \
	'[["f1","=SUM(A1)","+1 555","-minus"],["f2","'"'"'quoted","@home","plain"]]' \
	"a leading ' is removed on the way in (one only); @ without it stays"
hw export --format csv -o "$TMP/f"
expect_eq "$(grep -E '^f[12],' "$TMP/f/assets.csv" | tr -d '\r')" \
	"f1,'=SUM(A1),server,'+1 555,'-minus,,,,false,,,,,,,,,
f2,''quoted,server,'@home,plain,,,,false,,,,,,,,," \
	"text starting with = + - @ ' gets one leading ' on the way out"
hw asset set f1 'description=	tab' worst_cvss=7.5
hw export --format csv -o "$TMP/f" --force
expect_eq "$(grep -E '^f1,' "$TMP/f/assets.csv" | tr -d '\r')" \
	"f1,'=SUM(A1),server,'+1 555,'	tab,,,,false,,7.5,,,,,,," \
	"a leading tab is quoted too; numbers never are"

# Hostile names (OWASP's CSV injection): = + - @ tab and carriage return
# get one leading ' in the CSV export and in the inventory workbook, so a
# sheet saved as CSV keeps it too; each comes back equal.
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw asset add h1 --name '=HYPERLINK("http://x","click")' --type server
hw asset add h2 --name '+1' --type server --owner '@SUM(1)'
hw asset add h3 --name '-1' --type server --description "$(printf '\tTab')"
hw asset add h4 --name '@SUM(1)' --type server
hw asset add h5 --name "$(printf '\tx')" --type server
hw asset add h6 --name "$(printf '\rcr')" --type server
hw asset add h7 --name "'quoted" --type server
hw asset add h8 --name 'plain =1' --type server
hw export
cp "$OUT_FILE" "$TMP/hostile.json"
hw export --format csv -o "$TMP/h"
expect_eq "$(tail -n +2 "$TMP/h/assets.csv" | sed 's/,server,.*//')" \
	"h1,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"
h2,'+1
h3,'-1
h4,'@SUM(1)
h5,'"$'\t'"x
h6,\"'"$'\r'"cr\"
h7,''quoted
h8,plain =1" \
	"hostile names are exported with one leading ' (inside the quotes when quoted)"
expect_eq "$(grep -E '^h[23],' "$TMP/h/assets.csv" | cut -d, -f4,5)" \
	"'@SUM(1),
,'"$'\t'"Tab" "... and so are an owner and a description"
hw --db "$TMP/h.db" --quiet init
hw --db "$TMP/h.db" import "$TMP/h/assets.csv"
hw --db "$TMP/h.db" export
expect_out_file "$TMP/hostile.json" "... and imported back equal: the one ' removed, no more"
hw report inventory -o "$TMP/h.xlsx"
py_ok "the inventory workbook's cells carry the same one ' (text cells, no formula)" '
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
want = ["&apos;=HYPERLINK(", "&apos;+1", "&apos;-1", "&apos;@SUM(1)", "&apos;\tx", "&apos;&apos;quoted"]
alt = [w.replace("&apos;", "'"'"'") for w in want]
bad = [w for w, a in zip(want, alt) if w not in xml and a not in xml]
print("missing: %s" % bad if bad else ("formula cell" if "<f>" in xml else "ok"))
' "$TMP/h.xlsx"
if command -v soffice >/dev/null 2>&1; then
	(cd "$TMP" && timeout 180 soffice --headless --norestore \
		"-env:UserInstallation=file://$TMP/lo-profile" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' h.xlsx \
		>"$TMP/lo-h.out" 2>&1)
	if [ -f "$TMP/h.csv" ]; then
		expect_eq "$(cut -d, -f2 "$TMP/h.csv" | sed -n '2,5p')" "\"'=HYPERLINK(\"\"http://x\"\"
'+1
'-1
'@SUM(1)" "the inventory's Assets sheet saved as CSV by LibreOffice keeps the ' before each formula"
		hw --db "$TMP/h2.db" --quiet init
		hw --db "$TMP/h2.db" import "$TMP/h.csv" --kind assets
		hw --db "$TMP/h2.db" export
		expect_json '[[a["id"], a["name"]] for a in d["assets"]]' \
			"$(OUT_FILE=$TMP/hostile.json json_val '[[a["id"], a["name"]] for a in d["assets"]]')" \
			"... and imports back with the names equal"
	else
		skip "the inventory's Assets sheet saved as CSV by LibreOffice keeps the ' before each formula" "soffice made no CSV"
		skip "... and imports back with the names equal" "no CSV"
	fi
else
	skip "the inventory's Assets sheet saved as CSV by LibreOffice keeps the ' before each formula" "no soffice"
	skip "... and imports back with the names equal" "no soffice"
fi

# --- assignments ------------------------------------------------------------------
rm -f "$HIGHWATER_DB"
hw_setup --quiet init
printf 'id,name,type\napp,App,application\nsrv,Server,server\n' >"$TMP/a.csv"
printf 'asset,information_type,confidentiality,integrity,availability,justification\napp,C.2.4.1,,,,\napp,D.14.1,high,,,"contracts, mostly"\nsrv,C.2.4.1,,,,\n' >"$TMP/g.csv"
hw import "$TMP/g.csv" "$TMP/a.csv"
expect_eq "$RC:$OUT" "0:imported 0 information types, 2 assets, 3 assignments, 0 dependencies from $TMP/g.csv, $TMP/a.csv" \
	"assets and their assignments import together"
hw export
expect_json '[[a["id"], a.get("information_types")] for a in d["assets"]]' \
	'[["app",[{"id":"C.2.4.1"},{"availability":"low","confidentiality":"high","id":"D.14.1","integrity":"moderate","justification":"contracts, mostly"}]],["srv",[{"id":"C.2.4.1"}]]]' \
	"each asset gets the table's assignments, levels filled in from the catalogue"
printf 'id,name,type\napp,App renamed,application\n' >"$TMP/a2.csv"
hw import "$TMP/a2.csv"
hw export
expect_json '[[a["id"], a["name"], len(a.get("information_types", []))] for a in d["assets"]]' \
	'[["app","App renamed",2],["srv","Server",1]]' \
	"an import without an assignments table leaves the stored assignments alone"
printf 'asset,information_type\nsrv,D.14.1\n' >"$TMP/g2.csv"
hw --json import "$TMP/g2.csv"
expect_json '[d["assets"], d["assignments"], d["files"]]' "[0,1,[\"$TMP/g2.csv\"]]" \
	"an assignments table alone: its rows are counted (--json)"
hw export
expect_json '[[a["id"], [t["id"] for t in a.get("information_types", [])]] for a in d["assets"]]' \
	'[["app",["C.2.4.1","D.14.1"]],["srv",["D.14.1"]]]' \
	"with one, the assets it names get exactly its assignments; the others keep theirs"
printf '{"format": "highwater-inventory", "version": 1, "assets": [{"id": "j-1", "name": "J", "type": "server", "information_types": [{"id": "C.2.4.1"}]}]}\n' >"$TMP/j.json"
printf 'asset,information_type\nj-1,D.14.1\n' >"$TMP/gj.csv"
hw import "$TMP/j.json" "$TMP/gj.csv"
hw --json audit log
expect_json '[[r["action"], [t["id"] for t in r["after"]["information_types"]]] for r in d["records"] if r["object"] == "asset:j-1"]' \
	'[["add",["D.14.1"]]]' \
	"an asset of a JSON file named by the assignments table gets the table's, written once"

# --- --columns and --kind ------------------------------------------------------------
printf 'Hostname,Name,Owner Email,type\nweb-9,Web nine,web@example.org,server\n' >"$TMP/m.csv"
hw import "$TMP/m.csv" --columns 'Hostname=id, Name=name,Owner Email=owner'
hw --json asset show web-9
expect_eq "$RC:$(printf '%s' "$OUT" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); a=d.get("asset", d); print(a["name"], a["owner"])')" \
	"0:Web nine web@example.org" "--columns maps another tool's column names"
printf 'from,to\nweb-9,srv\n' >"$TMP/d.txt"
hw import --kind dependencies "$TMP/d.txt"
expect_eq "$RC:$OUT$ERR" "0:imported 0 information types, 0 assets, 1 dependency from $TMP/d.txt" \
	"--kind tells the table; the content tells CSV"
refuse_usage "--kind must name a table" 'unknown kind "things"' -- import --kind things "$TMP/d.txt"

# --- errors: one exact line, nothing changed -------------------------------------------
# bad DESC CONTENT MESSAGE [OPTIONS...]: importing CONTENT (printf
# format) as bad.csv fails with MESSAGE after "highwater: import: "
# and leaves the inventory as it was.
bad() {
	local desc=$1 content=$2 msg=$3
	shift 3
	# shellcheck disable=SC2059
	printf "$content" >"$TMP/bad.csv"
	snapshot
	hw import "$@" "$TMP/bad.csv"
	expect_eq "$RC:$ERR" "1:highwater: import: '$TMP/bad.csv' $msg" "$desc"
	expect_unchanged "$desc: nothing changed"
}
bad "an unknown column is named" 'id,name,type,colour\n' \
	'line 1 column 14: unknown column "colour" (not a column of assets; --columns maps other names, extensions start with "x-")'
bad "a repeated column is named" 'id,name,type,name\nq,Q,server,R\n' \
	'line 1 column 14: column "name" is given twice (first as column 2)'
bad "a missing required column is named" 'id,type\nq,server\n' \
	'line 1: missing column "name" (a table of assets needs id, name and type)'
bad "a short row names the line and column" 'id,name,type\nq,Q\n' \
	'line 2 column 4: a short row: 2 values where the header has 3'
bad "a long row names the first extra value" 'id,name,type\nq,Q,server,extra\n' \
	'line 2 column 12: a long row: 4 values where the header has 3'
bad "a bad level names its column" 'id,name,type,integrity\nq,"two\nlines",server,hihg\n' \
	'line 3 column 15: integrity: unknown level "hihg" (expected low, moderate, high)'
bad "a quoted field left open is named where it opens" 'id,name,type\nq,"Q,server\n' \
	'line 2 column 3: a quoted field is not closed (expected a closing '"'"'"'"'"')'
bad "a quote inside an unquoted field" 'id,name,type\nq,Q"x,server\n' \
	'line 2 column 4: a quote inside an unquoted field (expected the whole field in quotes, its quotes doubled)'
bad "text after a closing quote" 'id,name,type\nq,"Q"x,server\n' \
	'line 2 column 6: expected a comma or the end of the line after a closing quote'
bad "a lone carriage return (old Mac line ends) is no line end and no text" \
	'id,name,type\rq,Q,server\r' \
	'line 1 column 13: a carriage return inside an unquoted field (expected LF or CRLF line ends, the field in quotes)'
bad "a quoted cell's newline and tab are shown escaped: the message stays one line" \
	'id,name,type,internet_facing\nq,Q,server,"ye\n\ts"\n' \
	'line 2 column 12: internet_facing: "ye\n\ts" is not true, false, yes or no'
bad "a file separated by semicolons (Excel in some locales) is told so" \
	'\xef\xbb\xbfid;name;type\r\nq;Q;server\r\n' \
	"line 1 column 1: a header of one column holding ';' (expected commas between the columns: save with ',' as the separator)"
bad "invalid UTF-8" 'id,name,type\nq,caf\xe9,server\n' \
	'line 2 column 3: the field is not valid UTF-8 text (byte 4)'
bad "a bad boolean" 'id,name,type,internet_facing\nq,Q,server,maybe\n' \
	'line 2 column 12: internet_facing: "maybe" is not true, false, yes or no'
bad "an empty required cell" 'id,name,type\nq,,server\n' \
	'line 2 column 3: name: empty (expected a name)'
bad "an assignment of an asset in neither the files nor the database" \
	'asset,information_type\nghost,C.2.4.1\n' \
	"line 2 column 1: asset: asset 'ghost' is in neither the files nor the database"
bad "an unknown information type names its cell" \
	'asset,information_type\nsrv,C.9.9\n' \
	"line 2 column 5: information_type: unknown information type 'C.9.9' (hint: highwater infotype list --search)"
bad "an asset given a type twice" \
	'asset,information_type\nsrv,C.2.4.1\n"srv",C.2.4.1\n' \
	"line 3 column 7: information_type: asset 'srv' is given information type 'C.2.4.1' twice (first at line 2)"
bad "an empty file" '' 'line 1: empty file (expected a header row naming the columns)' --kind assets
bad "a column the --kind table lacks" 'id,name,type\n' \
	'line 1 column 1: unknown column "id" (not a column of dependencies; --columns maps other names, extensions start with "x-")' --kind dependencies
refuse_usage "--columns must map to a column (a usage error, as --kind's)" \
	'--columns: unknown column "hostname" (expected a column of information-types, assets, assignments or dependencies)' \
	-- import --columns 'Host=hostname' "$TMP/a.csv"
refuse_usage "--columns names what it maps to" \
	'--columns: "Host=" has no column to map to (expected NAME=COLUMN)' \
	-- import --columns 'Name=name,Host=' "$TMP/a.csv"

# All or nothing: good files, then a bad one last.
printf 'id,name,type\nnew-1,New,server\n' >"$TMP/good.csv"
printf 'from,to\nnew-1,nowhere\n' >"$TMP/bad-deps.csv"
snapshot
hw import "$TMP/good.csv" "$TMP/bad-deps.csv"
expect_eq "$RC:$ERR" "1:highwater: import: '$TMP/bad-deps.csv' line 2 column 7: dependency.to: unknown asset 'nowhere' (in neither the files nor the database)" \
	"a dependency on an unknown asset fails the import at its cell"
expect_err_one_line "with one line"
expect_unchanged "a bad last file leaves the database as it was (the good file's asset is not there)"

# More files than may be open at once: each is open only while read.
mkdir -p "$TMP/many"
for i in $(seq 1 60); do printf 'id,name,type\nmany-%d,M,server\n' "$i" >"$TMP/many/a$i.csv"; done
(ulimit -n 30 && hw import "$TMP/many"/a*.csv && echo "$RC:${OUT%% from *}" >"$TMP/many.out")
expect_eq "$(cat "$TMP/many.out")" "0:imported 0 information types, 60 assets, 0 dependencies" \
	"60 CSV files import with 30 file descriptors"

# Errors found once the rows are read name the file each row is in.
# bad_files DESC MESSAGE FILE...: importing the files (in $TMP/mf)
# fails with MESSAGE after "highwater: import: '$TMP/mf/" and changes
# nothing.
mkdir -p "$TMP/mf"
printf 'id,name,type\nmf-a,A,server\nmf-b,B,database\n' >"$TMP/mf/a1.csv"
printf 'id,name,type\nmf-c,C,server\n"mf-a",A again,server\n' >"$TMP/mf/a2.csv"
printf 'from,to\nmf-a,mf-b\nmf-c,mf-b\n' >"$TMP/mf/d1.csv"
printf 'from,to\nmf-a,mf-c\n' >"$TMP/mf/d2.csv"
printf 'from,to\nmf-c,mf-a\n"mf-a",ghost\n' >"$TMP/mf/d3.csv"
printf 'from,to\nmf-b,mf-a\nmf-a,mf-b\n' >"$TMP/mf/d4.csv"
printf 'from,to\nmf-b,mf-a\nmf-b,mf-a\n' >"$TMP/mf/d5.csv"
printf 'id,name,type\nmf-c,C,server\n' >"$TMP/mf/a3.csv"
printf 'asset,information_type\nmf-a,C.2.4.1\n' >"$TMP/mf/g1.csv"
printf 'asset,information_type\nmf-b,C.2.4.1\n"mf-a",C.2.4.1\n' >"$TMP/mf/g2.csv"
bad_files() {
	local desc=$1 msg=$2 f args=()
	shift 2
	for f in "$@"; do args+=("$TMP/mf/$f"); done
	snapshot
	hw import "${args[@]}"
	expect_eq "$RC:$ERR" "1:highwater: import: '$TMP/mf/$msg" "$desc"
	expect_unchanged "$desc: nothing changed"
}
bad_files "an asset id repeated in another file names both files and the cell" \
	"a2.csv' line 3 column 1: asset: duplicate asset id 'mf-a' (first at '$TMP/mf/a1.csv' line 2)" \
	a1.csv a2.csv
bad_files "an unknown dependency end is named in its own file, not the last one read" \
	"d1.csv' line 3 column 1: dependency.from: unknown asset 'mf-c' (in neither the files nor the database)" \
	a1.csv d1.csv d2.csv
bad_files "the unknown end's cell is found after quotes" \
	"d3.csv' line 3 column 8: dependency.to: unknown asset 'ghost' (in neither the files nor the database)" \
	d3.csv a1.csv a3.csv
bad_files "a dependency repeated in another file names both files (read in the order given)" \
	"d1.csv' line 2: dependency: duplicate dependency 'mf-a' -> 'mf-b' (first at '$TMP/mf/d4.csv' line 3)" \
	d4.csv a1.csv a3.csv d1.csv
bad_files "a duplicate in an earlier file comes before an unknown end in a later one" \
	"d5.csv' line 3: dependency: duplicate dependency 'mf-b' -> 'mf-a' (first at line 2)" \
	a1.csv d5.csv d2.csv
bad_files "an assignment repeated in another file names both files" \
	"g2.csv' line 3 column 8: information_type: asset 'mf-a' is given information type 'C.2.4.1' twice (first at '$TMP/mf/g1.csv' line 2)" \
	a1.csv g1.csv g2.csv

# --- a spreadsheet saved by LibreOffice -----------------------------------------
if command -v soffice >/dev/null 2>&1; then
	"$PYTHON" - "$TMP/sheet.xlsx" <<'EOF'
import sys
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "assets"
ws.append(["id", "name", "type", "owner", "description", "internet_facing",
           "vulnerabilities", "worst_cvss", "last_patched", "x-comment"])
ws.append(["lo-1", "Mail, relay", "server", "mail@example.org",
           'Says "hello"\nover two lines', True, 3, 7.5, "2024-01-15", "a note"])
ws.append(["lo-2", "Zürich façade", "application", None, "=not a formula",
           False, 0, 9.8, None, None])
ws["E3"].data_type = "s"
wb.save(sys.argv[1])
EOF
	rm -f "$HIGHWATER_DB"
	hw_setup --quiet init
	(cd "$TMP" && timeout 180 soffice --headless --norestore \
		"-env:UserInstallation=file://$TMP/lo-profile" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' sheet.xlsx \
		>"$TMP/lo.out" 2>&1)
	if [ -f "$TMP/sheet.csv" ]; then
		hw import "$TMP/sheet.csv"
		expect_eq "$RC:$OUT" "0:imported 0 information types, 2 assets, 0 dependencies from $TMP/sheet.csv" \
			"a workbook saved as CSV by LibreOffice imports"
		hw export
		expect_json '[[a["id"], a["name"], a.get("owner"), a.get("description"), a["internet_facing"], a.get("vulnerabilities"), a.get("worst_cvss"), a.get("last_patched")] for a in d["assets"]]' \
			'[["lo-1","Mail, relay","mail@example.org","Says \"hello\"\nover two lines",true,3,7.5,"2024-01-15"],["lo-2","Z\u00fcrich fa\u00e7ade",null,"=not a formula",false,0,9.8,null]]' \
			"with every value unchanged"
	else
		skip "a workbook saved as CSV by LibreOffice imports" "soffice made no CSV: $(tr '\n' ' ' <"$TMP/lo.out")"
		skip "with every value unchanged" "no CSV"
	fi
else
	skip "a workbook saved as CSV by LibreOffice imports" "no soffice"
	skip "with every value unchanged" "no soffice"
fi

done_testing
