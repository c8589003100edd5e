#!/bin/bash
# import-document.sh: whole documents are streamed (a structural scanner
# cuts the arrays into elements): hostile layouts import as they did,
# malformed documents are refused with jansson's message and place, a
# document gives the same database as the same inventory in JSON Lines,
# and an export that cannot be written says it is not a whole document.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

SMALL=$HW_TESTDATA/cli-small.json
hw_setup --quiet init

# The hostile documents, written from cli-small.json.
python3 - "$SMALL" "$TMP" <<'PY' || echo "Bail out! cannot write the documents"
import json, sys
small = json.load(open(sys.argv[1]))
out = sys.argv[2]
def w(name, text):
    with open(out + "/" + name, "w", encoding="utf-8") as f:
        f.write(text)
good = json.dumps(small, indent=2, sort_keys=True)
w("good.json", good + "\n")
w("reordered.json", json.dumps({k: small[k] for k in reversed(list(small))}, indent=1))
s2 = json.loads(good)
s2["assets"][0]["description"] = 'a "quoted" ] } [ { , \\ \\" x\n\t end'
s2["assets"][0]["x-nested"] = {"a": [1, {"b": "}]"}], "c": {}}
w("strings.json", json.dumps(s2, indent=3))
w("ws.json", json.dumps(small, separators=(" , ", " : "))
  .replace("{", "{ \n\t\r ").replace("[", "[\r\n "))
w("oneline.json", json.dumps(small))
w("empty-arrays.json", json.dumps({"format": "highwater-inventory", "version": 1,
  "assets": [], "dependencies": [], "information_types": []}, indent=2))
w("key-escape.json", good.replace('"assets"', '"ass\\u0065ts"', 1))
w("truncated.json", good[:len(good) // 2])
w("truncated-end.json", good[:-1])
w("garbage.json", good + "\nxyz\n")
w("bom.json", "\ufeff" + good)
w("empty.json", "")
w("array-doc.json", "[1, 2]")
w("dupkey.json", good[:-2] + ',\n  "assets": []\n}')
w("unknown-top.json", good[:-2] + ',\n  "colour": [1, 2]\n}')
w("assets-object.json", json.dumps({"format": "highwater-inventory", "version": 1,
  "assets": {"a": 1}}, indent=2))
w("trailing-comma.json", good.replace('}\n  ],\n  "dependencies"', '},\n  ],\n  "dependencies"', 1))
w("missing-comma.json", good.replace("},\n    {", "}\n    {", 1))
w("scalar-element.json", good.replace('"assets": [', '"assets": [1, "x", ', 1))
w("bad-escape.json", good.replace('"name": "', '"name": "\\q', 1))
w("late-syntax.json", good.replace('"moderate"', '"hihg"', 1) + "x")
w("missing-array.json", json.dumps({"format": "highwater-inventory", "version": 1,
  "assets": small["assets"]}, indent=2))
PY

for f in good reordered strings ws oneline key-escape bom; do
	hw --db "$TMP/$f.db" --quiet init
	hw --db "$TMP/$f.db" import "$TMP/$f.json"
	expect_eq "$RC:$OUT" "0:imported 1 information type, 3 assets, 2 dependencies from $TMP/$f.json" \
		"a document laid out as $f.json imports"
done
hw --db "$TMP/good.db" export
cp "$OUT_FILE" "$TMP/good-export.json"
for f in reordered ws oneline key-escape bom; do
	hw --db "$TMP/$f.db" export
	expect_out_file "$TMP/good-export.json" "$f.json gives the same database as good.json"
done
hw import "$TMP/empty-arrays.json"
expect_eq "$RC:$OUT" "0:imported 0 information types, 0 assets, 0 dependencies from $TMP/empty-arrays.json" \
	"empty arrays import nothing"

# Malformed documents: jansson's message and place, as always.
refuse "a truncated document" "truncated.json' line 31 column 23: malformed JSON: premature end of input near" -- \
	import "$TMP/truncated.json"
refuse "a document without its closing brace" "truncated-end.json' line 67: malformed JSON: '}' expected near end of file" -- \
	import "$TMP/truncated-end.json"
refuse "garbage after the document" "garbage.json' line 68 column 3: malformed JSON: end of file expected near 'xyz'" -- \
	import "$TMP/garbage.json"
refuse "an empty file" "empty.json' line 1: malformed JSON: '[' or '{' expected near end of file" -- \
	import "$TMP/empty.json"
refuse "a document that is an array" "array-doc.json': (document): expected an object, not an array" -- \
	import "$TMP/array-doc.json"
refuse "a key twice at the top level" "dupkey.json' line 67 column 10: malformed JSON: duplicate object key near '\"assets\"'" -- \
	import "$TMP/dupkey.json"
refuse "an unknown key at the top level" "unknown-top.json': (document): unknown key \"colour\" (extensions must start with \"x-\")" -- \
	import "$TMP/unknown-top.json"
refuse "assets that are not an array" "assets-object.json': assets: expected an array, not an object" -- \
	import "$TMP/assets-object.json"
refuse "a comma after the last element" "trailing-comma.json' line 40 column 3: malformed JSON: unexpected token near ']'" -- \
	import "$TMP/trailing-comma.json"
refuse "a missing comma between elements" "missing-comma.json' line 17 column 5: malformed JSON: ']' expected near '{'" -- \
	import "$TMP/missing-comma.json"
refuse "an element that is not an object" "scalar-element.json': assets[0]: expected an object, not a number" -- \
	import "$TMP/scalar-element.json"
refuse "a bad escape in an element names its place" "bad-escape.json' line 12 column 17: malformed JSON: invalid escape near '\"\\q'" -- \
	import "$TMP/bad-escape.json"
refuse "malformed JSON after a bad level wins, as the whole document" "late-syntax.json' line 67 column 2: malformed JSON: end of file expected near 'x'" -- \
	import "$TMP/late-syntax.json"
refuse "a missing information_types array" "missing-array.json': assets[0].information_types[0].id: unknown information type 'X.PUB'" -- \
	import "$TMP/missing-array.json"

# A document of many batches (and one element longer than a batch)
# gives the same database as the same inventory in JSON Lines.
python3 - "$TMP" <<'PY' || echo "Bail out! cannot write the large inventory"
import json, sys
out = sys.argv[1]
types = [{"id": "X.OWN", "name": "own type", "confidentiality": "low",
          "integrity": "moderate", "availability": "low"}]
assets, deps = [], []
for i in range(6000):
    a = {"id": "a%05d" % i, "name": "asset %d \"q\" ]" % i, "type": "server"}
    if i % 7 == 0:
        a["information_types"] = [{"id": "X.OWN"}]
    if i % 11 == 0:
        a["integrity"] = "high"
    assets.append(a)
    if i > 0:
        deps.append({"from": "a%05d" % (i - 1), "to": "a%05d" % i,
                     "type": "runs_on"})
    if i > 10 and i % 3 == 0:
        deps.append({"from": "a%05d" % i, "to": "a%05d" % (i // 3),
                     "type": "uses", "carries": "ci"})
assets[4000]["x-long"] = "long " * 120000  # an element longer than a batch
doc = {"version": 1, "dependencies": deps, "assets": assets,
       "information_types": types, "format": "highwater-inventory"}
with open(out + "/large.json", "w") as f:
    json.dump(doc, f, indent=2)
with open(out + "/large.jsonl", "w") as f:
    f.write(json.dumps({"format": "highwater-inventory", "version": 1}) + "\n")
    for t in types:
        f.write(json.dumps({"information_type": t}) + "\n")
    for a in assets:
        f.write(json.dumps({"asset": a}) + "\n")
    for d in deps:
        f.write(json.dumps({"dependency": d}) + "\n")
PY
hw --db "$TMP/doc.db" --quiet init
hw --db "$TMP/doc.db" import "$TMP/large.json"
expect_eq "$RC:$OUT" "0:imported 1 information type, 6000 assets, 7995 dependencies from $TMP/large.json" \
	"a document of many batches imports whole"
hw --db "$TMP/lines.db" --quiet init
hw --db "$TMP/lines.db" import "$TMP/large.jsonl"
hw --db "$TMP/lines.db" export
cp "$OUT_FILE" "$TMP/lines-export.json"
hw --db "$TMP/doc.db" export
expect_out_file "$TMP/lines-export.json" "the document gives the same database as JSON Lines"
hw --db "$TMP/again.db" --quiet init
hw --db "$TMP/again.db" import "$TMP/lines-export.json"
hw --db "$TMP/again.db" export
expect_out_file "$TMP/lines-export.json" "its export imports back to the same export"

# An export that cannot be written ends without closing the document.
if [ -w /dev/full ]; then
	"$HIGHWATER" --db "$TMP/doc.db" export >/dev/full 2>"$TMP/full.err"
	rc=$?
	ok_if "an export to a full disk fails" [ "$rc" = 1 ]
	ok_if "... saying what was written is not a whole document" \
		grep -q "No space left on device (what was written is not a whole document)" "$TMP/full.err"
else
	skip "an export to a full disk fails" "no /dev/full"
	skip "... saying what was written is not a whole document" "no /dev/full"
fi

done_testing
