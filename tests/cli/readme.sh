#!/bin/bash
# readme.sh: every example in README.md's console blocks prints what the
# README says.  Each "$ highwater ..." line runs in a scratch folder (the
# tour's own highwater.db, and reports/demo.db imported from the demo
# inventory as "make demo" makes it); its stdout and stderr together must
# equal the lines shown after it.  A shown line "..." ends the comparison
# (the rest is cut in the README); dated file names compare as DATE.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

work=$TMP/tour
mkdir -p "$work/reports"
# The demo database exactly as make demo builds it.
sh "$HW_SRCDIR/data/demo-db.sh" "$HIGHWATER" "$work/reports/demo.db" \
	>"$TMP/demo-db.out" 2>&1 || {
	echo "Bail out! data/demo-db.sh failed: $(tr '\n' ' ' <"$TMP/demo-db.out")"
	exit 1
}

# NIST's example SSP, as a reader downloads it, for the OSCAL import.
cp "$HW_TESTDATA/oscal-ifa-ssp-example.json" "$work/ifa_ssp-example.json"

# The README's examples, one per line of a tab-separated list:
# command <TAB> expected output (newlines as \n).
"$PYTHON" - "$HW_SRCDIR/README.md" >"$TMP/examples" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
inside = False
cmd, out = None, []
def flush():
    if cmd is not None:
        print(cmd + "\t" + "\\n".join(out))
for line in text:
    if line.startswith("```console"):
        inside = True
        continue
    if inside and line.startswith("```"):
        flush()
        cmd, out, inside = None, [], False
        continue
    if not inside:
        continue
    if line.startswith("$ "):
        flush()
        cmd, out = line[2:], []
    elif cmd is not None:
        out.append(line)
PY

n=0
while IFS=$'\t' read -r cmd want; do
	n=$((n + 1))
	got=$(cd "$work" && env -u HIGHWATER_DB \
		bash -c "highwater() { \"\$HIGHWATER\" \"\$@\"; }; $cmd" 2>&1)
	got=$(printf '%s\n' "$got" | sed -E 's/-[0-9]{4}-[0-9]{2}-[0-9]{2}\.xlsx/-DATE.xlsx/g')
	want=$(printf '%b\n' "$want" | sed -E 's/-[0-9]{4}-[0-9]{2}-[0-9]{2}\.xlsx/-DATE.xlsx/g')
	if [ "$(printf '%s\n' "$want" | tail -n 1)" = "..." ]; then
		keep=$(($(printf '%s\n' "$want" | wc -l) - 1))
		want=$(printf '%s\n' "$want" | head -n "$keep")
		got=$(printf '%s\n' "$got" | head -n "$keep")
	fi
	expect_eq "$got" "$want" "README example: $cmd"
done <"$TMP/examples"
ok_if "the README has console examples ($n found)" test "$n" -ge 10

done_testing
