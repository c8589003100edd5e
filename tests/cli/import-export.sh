#!/bin/bash
# import-export.sh: the inventory file (JSON and JSON Lines): the demo
# round trip, --dry-run, --replace, merging by id, and bad files refused
# with one line naming the file and the place, leaving the database as it
# was.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

DEMO=$HW_SRCDIR/data/demo-inventory.json
SMALL=$HW_TESTDATA/cli-small.json

# --- the demo inventory ----------------------------------------------------
hw_setup --quiet init
hw import "$DEMO"
expect_eq "$RC:$OUT" \
	"0:imported 4 information types, 114 assets, 327 dependencies from $DEMO" \
	"demo import reports its counts"
hw export
expect_out_file "$DEMO" "export equals data/demo-inventory.json byte for byte"
cp "$OUT_FILE" "$TMP/export1.json"

hw import "$DEMO"
hw export
expect_out_file "$TMP/export1.json" "importing the same file again changes nothing"

hw --db "$TMP/copy.db" --quiet init
hw --db "$TMP/copy.db" import "$TMP/export1.json"
hw --db "$TMP/copy.db" export
expect_out_file "$TMP/export1.json" "export -> import into a fresh database -> export is identical"

hw export -o "$TMP/out.json"
expect_eq "$RC:$OUT:$ERR" "0::exported to $TMP/out.json" "export -o FILE says where it wrote"
ok_if "export -o FILE writes the same document" cmp -s "$TMP/out.json" "$DEMO"
hw export -o "$TMP/out.json"
expect_rc 1 "export -o refuses to overwrite a file without --force"
echo old >"$TMP/out.json"
refuse "export -o: an existing file is refused without --force" \
	"'$TMP/out.json' already exists (use --force to overwrite it)" -- \
	export -o "$TMP/out.json"
expect_eq "$(cat "$TMP/out.json")" old "... and left as it was"
hw export -o "$TMP/out.json" --force
expect_eq "$RC:$(cmp "$TMP/out.json" "$DEMO" && echo same)" 0:same \
	"export -o --force replaces it with the export"
ln -s "$TMP/nowhere.json" "$TMP/dangling.json"
refuse "export -o: a dangling symbolic link is refused, not replaced" \
	"'$TMP/dangling.json' is a symbolic link (not followed: remove it or choose another name)" -- \
	export -o "$TMP/dangling.json"
refuse "... even with --force" "'$TMP/dangling.json' is a symbolic link" -- \
	export -o "$TMP/dangling.json" --force
ok_if "... left as it was, its target not made" \
	test -L "$TMP/dangling.json" -a ! -e "$TMP/nowhere.json" -a \
	"$(readlink "$TMP/dangling.json")" = "$TMP/nowhere.json"
ln -s "$TMP/out.json" "$TMP/link.json"
refuse "export -o --force: a symbolic link to a file is not followed" \
	"'$TMP/link.json' is a symbolic link" -- \
	export -o "$TMP/link.json" --force
ok_if "... the link and its file left as they were" \
	test -L "$TMP/link.json" -a "$(readlink "$TMP/link.json")" = "$TMP/out.json"
ok_if "... and the file it points to too" cmp -s "$TMP/out.json" "$DEMO"
mkdir "$TMP/linked-folder"
ln -s "$TMP/linked-folder" "$TMP/via"
hw export -o "$TMP/via/out.json"
expect_rc 0 "export -o: a folder on the way may be a symbolic link"
ok_if "... the file is written in the folder it points to" \
	cmp -s "$TMP/linked-folder/out.json" "$DEMO"
expect_eq "$(find "$TMP" -name '*.tmp*' | wc -l)" 0 \
	"export -o leaves no temporary file"

# --- --dry-run ---------------------------------------------------------------------
snapshot
hw import "$SMALL" --dry-run
expect_out_eq "dry run: would import 1 information type, 3 assets, 2 dependencies from $SMALL (nothing changed)
information type X.PUB: added
asset db-01: added
asset site: added
asset vm-01: added
dependency db-01 -> vm-01: added
dependency site -> db-01: added" \
	"import --dry-run reports what it would do, each object it would add"
expect_unchanged "import --dry-run changes nothing"

# --- --replace -------------------------------------------------------------------------
hw import "$SMALL" --replace
expect_out_eq "imported 1 information type, 3 assets, 2 dependencies from $SMALL (replacing the inventory)" \
	"import --replace reports it replaced the inventory"
hw --json asset list
expect_json '[a["id"] for a in d["assets"]]' '["db-01","site","vm-01"]' \
	"import --replace removes the assets not in the file"
hw --json infotype list
expect_json '[len(d["information_types"]), [t["id"] for t in d["information_types"] if not t["catalogue"]]]' \
	'[170,["X.PUB"]]' "the SP 800-60 catalogue stays; own types are the file's"
hw export
cp "$OUT_FILE" "$TMP/replaced.json"
hw --db "$TMP/fresh.db" --quiet init
hw --db "$TMP/fresh.db" import "$SMALL"
hw --db "$TMP/fresh.db" export
expect_out_file "$TMP/replaced.json" "after --replace the inventory is exactly the file's"
hw --json asset show db-01
expect_json 'd["information_types"]' \
	'[{"base":{"availability":"moderate","confidentiality":"moderate","integrity":"moderate"},"id":"C.2.4.1","justification":"restores depend on it","selected":{"availability":"moderate","confidentiality":"moderate","integrity":"high"}}]' \
	"an adjusted assignment with its justification is imported"

# --- merge by id -------------------------------------------------------------------------
cat >"$TMP/merge.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [
  {"id": "vm-01", "name": "VM one", "type": "virtual_machine",
   "owner": "infra@example.org", "confidentiality": "low",
   "integrity": "moderate", "availability": "high"},
  {"id": "laptop-7", "name": "Laptop 7", "type": "endpoint"}
 ]}
EOF
hw import "$TMP/merge.json"
expect_out_eq "imported 0 information types, 2 assets, 0 dependencies from $TMP/merge.json" \
	"a merge import reports its counts"
hw --json asset list
expect_json '{a["id"]: [a["name"], a["owner"], a["overall"]] for a in d["assets"]}' \
	'{"db-01":["Database server","dba@example.org","high"],"laptop-7":["Laptop 7",null,null],"site":["Public site","web@example.org","moderate"],"vm-01":["VM one","infra@example.org","high"]}' \
	"merging updates vm-01 by id, adds laptop-7 and keeps the rest"
hw --json dep list
expect_json '[(x["from"], x["to"]) for x in d["dependencies"]]' '[["db-01","vm-01"],["site","db-01"]]' \
	"merging keeps the dependencies"

# --- JSON Lines ------------------------------------------------------------------------------
cat >"$TMP/small.jsonl" <<'EOF'
{"format": "highwater-inventory", "version": 1}
{"information_type": {"id": "X.PUB", "name": "Public web content", "category": "Outreach", "confidentiality": "na", "integrity": "moderate", "availability": "low"}}
{"asset": {"id": "site", "name": "Public site", "type": "application", "owner": "web@example.org", "description": "The public web site", "internet_facing": true, "information_types": [{"id": "X.PUB"}]}}
{"asset": {"id": "db-01", "name": "Database server", "type": "database", "owner": "dba@example.org", "confidentiality": "moderate", "integrity": "high", "availability": "moderate", "information_types": [{"id": "C.2.4.1", "confidentiality": "moderate", "integrity": "high", "availability": "moderate", "justification": "restores depend on it"}]}}
{"asset": {"id": "vm-01", "name": "VM 1", "type": "virtual_machine"}}
{"dependency": {"from": "site", "to": "db-01", "type": "stores_data_in", "carries": "ci"}}
{"dependency": {"from": "db-01", "to": "vm-01", "type": "runs_on"}}
EOF
hw --db "$TMP/lines.db" --quiet init
hw --db "$TMP/lines.db" import "$TMP/small.jsonl"
expect_out_eq "imported 1 information type, 3 assets, 2 dependencies from $TMP/small.jsonl" \
	"a JSON Lines import reports its counts"
hw --db "$TMP/lines.db" export
expect_out_file "$TMP/replaced.json" "JSON Lines gives the same inventory as the JSON document"
# A load keeps the information types its assignments name: one that the
# same file changes is seen with its new levels by every asset, before
# and after it in the file, in an inventory of other assets and in one
# of no asset (COPY on PostgreSQL), both holding the type already.
cat >"$TMP/retype.jsonl" <<'EOF'
{"format": "highwater-inventory", "version": 1}
{"asset": {"id": "b1", "name": "B1", "type": "application", "information_types": [{"id": "X.PUB"}, {"id": "C.2.4.1"}]}}
{"information_type": {"id": "X.PUB", "name": "Public web content", "confidentiality": "na", "integrity": "high", "availability": "high"}}
{"asset": {"id": "b2", "name": "B2", "type": "application", "information_types": [{"id": "X.PUB"}]}}
{"asset": {"id": "b3", "name": "B3", "type": "application", "information_types": [{"id": "C.2.4.1"}, {"id": "X.PUB"}]}}
EOF
for db in lines retype; do
	if [ $db = retype ]; then
		hw --db "$TMP/$db.db" --quiet init
		head -2 "$TMP/small.jsonl" >"$TMP/type-only.jsonl"
		hw --db "$TMP/$db.db" --quiet import "$TMP/type-only.jsonl"
	fi
	hw --db "$TMP/$db.db" --quiet import "$TMP/retype.jsonl"
	hw --db "$TMP/$db.db" --json asset list
	expect_json '{a["id"]: [[t["id"], t["base"]["integrity"], t["base"]["availability"]] for t in a["information_types"]] for a in d["assets"] if a["id"] in ("b1", "b2", "b3")}' \
		'{"b1":[["C.2.4.1","moderate","moderate"],["X.PUB","high","high"]],"b2":[["X.PUB","high","high"]],"b3":[["C.2.4.1","moderate","moderate"],["X.PUB","high","high"]]}' \
		"every asset of a load takes the levels its file gives a type ($db)"
done

# --- bad files: exit 1, one line naming the file and the place, nothing changed ----------
hw_setup --quiet import "$DEMO" --replace
refuse "malformed JSON" "'$HW_TESTDATA/cli-bad-syntax.json' line 5 column 47" 'malformed JSON' -- \
	import "$HW_TESTDATA/cli-bad-syntax.json"
refuse "wrong format" "cli-bad-format.json'" 'format' 'highwater-inventory' -- \
	import "$HW_TESTDATA/cli-bad-format.json"
refuse "wrong version" "cli-bad-version.json'" 'version' 'expected 1' -- \
	import "$HW_TESTDATA/cli-bad-version.json"
refuse "unknown key colour in an asset" "cli-bad-key.json'" 'assets[0]' '"colour"' '"x-"' -- \
	import "$HW_TESTDATA/cli-bad-key.json"
sed 's/"colour"/"x-colour"/' "$HW_TESTDATA/cli-bad-key.json" >"$TMP/x-key.json"
hw --db "$TMP/x.db" --quiet init
hw --db "$TMP/x.db" import "$TMP/x-key.json"
expect_eq "$RC:$ERR" "0:" "the same asset with the key \"x-colour\" is accepted"
refuse "dangling dependency end" "cli-bad-dangling.json'" 'dependencies[0].to' "'ghost'" -- \
	import "$HW_TESTDATA/cli-bad-dangling.json"
refuse "duplicate asset id within the file" "cli-bad-dup-id.json'" 'assets[1]' "duplicate asset id 'a'" -- \
	import "$HW_TESTDATA/cli-bad-dup-id.json"
refuse "bad level at assets[1].integrity" "cli-bad-level.json'" 'assets[1].integrity' '"hihg"' 'low, moderate, high' -- \
	import "$HW_TESTDATA/cli-bad-level.json"
refuse "na on an asset's confidentiality" "cli-bad-na.json'" 'assets[0].confidentiality' '"na"' -- \
	import "$HW_TESTDATA/cli-bad-na.json"
refuse "--dry-run reports a bad file the same way" "cli-bad-level.json'" 'assets[1].integrity' -- \
	import "$HW_TESTDATA/cli-bad-level.json" --dry-run
refuse "--replace with a bad file keeps the old inventory" "cli-bad-dangling.json'" 'dependencies[0].to' -- \
	import "$HW_TESTDATA/cli-bad-dangling.json" --replace

printf '%s\n' '{"format": "highwater-inventory", "version": 1}' \
	'{"asset": {"id": "ok-1", "name": "OK", "type": "server"}}' \
	'{"asset": {"id": "bad-1", "name": "Bad", "type": "server", "integrity": "hihg"}}' \
	>"$TMP/bad.jsonl"
refuse "JSON Lines: a bad level names the line" "bad.jsonl' line 3" '"hihg"' -- \
	import "$TMP/bad.jsonl"
# An information type twice in one asset, into an empty inventory (on
# PostgreSQL its rows would go later, through COPY): named at its line.
printf '%s\n' '{"format": "highwater-inventory", "version": 1}' \
	'{"asset": {"id": "ok-1", "name": "OK", "type": "server"}}' \
	'{"asset": {"id": "two", "name": "Two", "type": "server", "information_types": [{"id": "C.2.8.9"}, {"id": "C.2.4.1"}, {"id": "C.2.8.9"}]}}' \
	>"$TMP/twice.jsonl"
hw_setup --db "$TMP/twice.db" --quiet init
hw --db "$TMP/twice.db" import "$TMP/twice.jsonl"
expect_eq "$RC:$ERR" "1:highwater: import: '$TMP/twice.jsonl' line 3: asset: asset 'two' holds information type 'C.2.8.9' twice" \
	"an information type twice in an asset, into an empty inventory: refused at its line"
hw --db "$TMP/twice.db" asset list --json
expect_json 'len(d["assets"])' 0 "... and nothing stored"

# --- JSON Lines over several parsing batches: errors deep in the file --------
{
	echo '{"format": "highwater-inventory", "version": 1}'
	for ((i = 0; i < 4000; i++)); do
		printf '{"asset": {"id": "h-%05d", "name": "Host %d", "type": "server"}}\n' $i $i
	done
	for ((i = 1; i < 4000; i++)); do
		printf '{"dependency": {"from": "h-%05d", "to": "h-%05d", "type": "connects_to"}}\n' $i $((i - 1))
	done
} >"$TMP/big.jsonl"
hw --db "$TMP/big.db" --quiet init
hw --db "$TMP/big.db" import "$TMP/big.jsonl"
expect_eq "$RC:$OUT" "0:imported 0 information types, 4000 assets, 3999 dependencies from $TMP/big.jsonl" \
	"a JSON Lines file of several batches imports whole"
hw --db "$TMP/big.db" --json dep list h-02000
expect_json '[(x["from"], x["to"], x["type"]) for x in d["dependencies"]]' \
	'[["h-02000","h-01999","connects_to"],["h-02001","h-02000","connects_to"]]' \
	"... with its dependencies"
sed '7000s/"to": "h-[0-9]*"/"to": "nowhere"/' "$TMP/big.jsonl" >"$TMP/big-ghost.jsonl"
refuse "an unknown asset deep in a large file names its line" \
	"big-ghost.jsonl' line 7000" "dependency.to: unknown asset 'nowhere'" -- \
	import "$TMP/big-ghost.jsonl"
sed -e '6500s/}}$/}/' -e '7500s/"to"/"too"/' "$TMP/big.jsonl" >"$TMP/big-syntax.jsonl"
refuse "of two bad lines far apart, the first is named" \
	"big-syntax.jsonl' line 6500:" "malformed JSON" -- \
	import "$TMP/big-syntax.jsonl"

cat >"$TMP/nowhy.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "n", "name": "N", "type": "server",
   "information_types": [{"id": "C.2.4.1", "confidentiality": "moderate",
     "integrity": "high", "availability": "moderate"}]}]}
EOF
refuse "an adjusted level without a justification" "nowhy.json'" 'assets[0].information_types[0]' 'justification' -- \
	import "$TMP/nowhy.json"
ok_if "... and does not point to the command-line option --why" test "${ERR/--why/}" = "$ERR"

done_testing
