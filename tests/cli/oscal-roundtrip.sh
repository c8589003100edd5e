#!/bin/bash
# oscal-roundtrip.sh: every system of the demo exported as an OSCAL SSP
# and imported again (import --format oscal) onto the same asset of an
# inventory that lacks every assignment: the assignments come back
# exactly (types, selected levels, justifications), and so do the
# categorizations of every asset.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

demo_db
hw_setup export -o "$TMP/demo.json"
hw_setup --json categorize
printf '%s\n' "$OUT" >"$TMP/demo-categorize.json"

# The same inventory without a single assignment.
"$PYTHON" - "$HW_SRCDIR/data/demo-inventory.json" "$TMP/bare.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["assets"]:
    a.pop("information_types", None)
json.dump(d, open(sys.argv[2], "w"))
PY
SYSTEMS=$("$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("\n".join(a["id"] for a in d["assets"] if a.get("information_types")))' "$TMP/demo.json")
expect_eq "$(wc -l <<<"$SYSTEMS")" 36 "the demo has 36 systems"

mkdir "$TMP/ssp"
failed=
for s in $SYSTEMS; do
	hw --quiet export --format oscal --system "$s" -o "$TMP/ssp/$s.json"
	[ "$RC" = 0 ] || failed+=" export:$s($ERR)"
done
expect_eq "${failed:-none}" none "every system exports"

BARE=$TMP/bare.db
HIGHWATER_DB=$BARE hw_setup --quiet init
HIGHWATER_DB=$BARE hw_setup --quiet import "$TMP/bare.json"
for s in $SYSTEMS; do
	HIGHWATER_DB=$BARE hw --quiet import --format oscal "$TMP/ssp/$s.json" \
		--asset "$s"
	[ "$RC" = 0 ] || failed+=" import:$s($ERR)"
done
expect_eq "${failed:-none}" none "every plan imports onto its asset"

HIGHWATER_DB=$BARE hw_setup export -o "$TMP/back.json"
py_ok "each asset's assignments are as exported (types, levels, justifications)" '
import json, sys
a = {x["id"]: x.get("information_types", []) for x in json.load(open(sys.argv[1]))["assets"]}
b = {x["id"]: x.get("information_types", []) for x in json.load(open(sys.argv[2]))["assets"]}
diff = [k for k in a if a[k] != b.get(k)]
print("ok" if not diff and len(a) == len(b) else "differ: %s" % diff[:3])' \
	"$TMP/demo.json" "$TMP/back.json"
py_ok "the whole exports are the same" '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
for d in (a, b):
    d.pop("changes", None); d.pop("incidents", None)
print("ok" if a == b else "differ")' "$TMP/demo.json" "$TMP/back.json"
HIGHWATER_DB=$BARE hw --json categorize
printf '%s\n' "$OUT" >"$TMP/back-categorize.json"
expect_eq "$(cmp -s "$TMP/demo-categorize.json" "$TMP/back-categorize.json" && echo same)" \
	same "every asset's categorization is the same"

done_testing
