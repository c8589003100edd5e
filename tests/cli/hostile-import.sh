#!/bin/bash
# hostile-import.sh: imports' limits and messages (issue 16): what is not
# a regular file (a FIFO without a writer, /dev/zero, a directory) is
# refused at once, saying what it is; a JSON Lines line is at most
# 16 MiB, the header a line like any other; a byte-order mark is
# skipped; an asset's name is at most 1024 bytes, its owner 256, its
# description 4096; a number out of range is shown as given.  Each in
# bounded time and memory, one line, the database unchanged.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init

# Every command here runs under a timeout and 1 GiB (not under ASan).
# 120 s: the 50 MiB name takes 10 s to refuse here, three times that
# under the sanitizers on a busy machine; a hang is still a failure.
hw_bounded 120

HEAD='{"format": "highwater-inventory", "version": 1}'

# Not regular files: refused before any read, whatever the name says.
refuse "/dev/zero" "'/dev/zero' is not a regular file (a character device)" -- \
	import /dev/zero
mkfifo "$TMP/in" "$TMP/in.json" "$TMP/in.csv" "$TMP/in.xlsx"
for f in in in.json in.csv in.xlsx; do
	refuse "a FIFO without a writer ($f)" "'$TMP/$f' is not a regular file (a FIFO)" -- \
		import "$TMP/$f"
done
refuse "a FIFO with --dry-run" "'$TMP/in' is not a regular file (a FIFO)" -- \
	import --dry-run "$TMP/in"
mkdir "$TMP/dir" "$TMP/dir.json"
refuse "a directory" "'$TMP/dir' is a directory (expected a file)" -- \
	import "$TMP/dir"
refuse "a directory named .json" "'$TMP/dir.json' is a directory (expected a file)" -- \
	import "$TMP/dir.json"

# Lines: at most 16 MiB each, whatever the file holds after.
python3 - "$TMP" "$HEAD" <<'PY' || echo "Bail out! cannot write the files"
import json, sys
out, head = sys.argv[1], sys.argv[2]
def w(name, text, mode="w"):
    with open(out + "/" + name, mode) as f:
        f.write(text)
a = lambda i, **k: json.dumps({"asset": dict({"id": "a%d" % i, "name": "A", "type": "server"}, **k)})
w("long-line.jsonl", head + "\n" + a(1) + "\n" + a(2, description="x" * (17 << 20)) + "\n" + a(3) + "\n")
w("long-header.jsonl", '{"format": "highwater-inventory",' + " " * 5000 + '"version": 1}\n' + a(1) + "\n")
w("long-first.jsonl", "{" + " " * (17 << 20) + "\n")
w("bom.jsonl", "\ufeff" + head + "\n" + a(1) + "\n", "w")
w("bom.csv", "\ufeffid,name,type\na1,A,server\n")
w("zeros", "\0" * (40 << 20))
doc = lambda **k: json.dumps({"format": "highwater-inventory", "version": 1,
  "assets": [{"id": "a1", "name": "A", "type": "server"}, dict({"id": "a2", "name": "A", "type": "server"}, **k)]})
w("name-256.json", doc(name="n" * 1024, owner="o" * 256, description="d" * 4096))
w("name-257.json", doc(name="é" * 512 + "n"))
w("name-50mb.json", doc(name="n" * (50 << 20)))
w("owner-257.jsonl", head + "\n" + a(1) + "\n" + a(2, owner="o" * 257) + "\n")
w("description-4097.csv", "id,name,type,description\na1,A,server,\na2,A,server," + "d" * 4097 + "\n")
w("cvss.json", doc(worst_cvss=10.0000000001))
w("cvss-text.csv", "id,name,type,worst_cvss\na1,A,server,10.00000000000001\n")
PY

refuse "a JSON Lines line over 16 MiB" \
	"long-line.jsonl' line 3: a line longer than 16 MiB (the limit of a JSON Lines line)" -- \
	import "$TMP/long-line.jsonl"
refuse "a first line over 16 MiB (no header: read as a document)" \
	"long-first.jsonl' line 2: malformed JSON" -- \
	import "$TMP/long-first.jsonl"
refuse "40 MiB of NUL bytes" "zeros' line 1 column 1: malformed JSON" -- \
	import "$TMP/zeros"
hw import --dry-run "$TMP/long-header.jsonl"
expect_eq "$RC:${OUT%%$'\n'*}" "0:dry run: would import 0 information types, 1 asset, 0 dependencies from $TMP/long-header.jsonl (nothing changed)" \
	"a JSON Lines header of 5 KB is a line like any other"

# A byte-order mark is skipped (bom.json: import-document.sh).
for f in bom.jsonl bom.csv; do
	hw import --dry-run "$TMP/$f"
	expect_eq "$RC:${OUT%%$'\n'*}" "0:dry run: would import 0 information types, 1 asset, 0 dependencies from $TMP/$f (nothing changed)" \
		"$f: the byte-order mark is skipped"
done

# Text limits: bytes (UTF-8), named by path or line and column.
hw import --dry-run "$TMP/name-256.json"
expect_rc 0 "a name of 1024 bytes, an owner of 256, a description of 4096, import"
refuse "a name of 1025 bytes" "name-257.json': assets[1].name: 1025 bytes long (expected at most 1024)" -- \
	import "$TMP/name-257.json"
refuse "a name of 50 MiB" "name-50mb.json': assets[1].name: 52428800 bytes long (expected at most 1024)" -- \
	import "$TMP/name-50mb.json"
refuse "an owner of 257 bytes" "owner-257.jsonl' line 3: asset.owner: 257 bytes long (expected at most 256)" -- \
	import "$TMP/owner-257.jsonl"
refuse "a description of 4097 bytes" "description-4097.csv' line 3 column 13: description: 4097 bytes long (expected at most 4096)" -- \
	import "$TMP/description-4097.csv"

# A number out of range is shown as given, not rounded into range.
refuse "worst_cvss 10.0000000001" "assets[1].worst_cvss: worst_cvss: 10.0000000001 is out of range (expected 0 to 10)" -- \
	import "$TMP/cvss.json"
refuse "worst_cvss 10.00000000000001 in CSV" "worst_cvss: 10.00000000000001 is out of range (expected 0 to 10)" -- \
	import "$TMP/cvss-text.csv"

done_testing
