#!/bin/bash
# report-change.sh: "highwater report change --change CHG-N", the CAB
# workbook of a change record written from its stored assessment, read
# back with openpyxl: the Summary's change fields, decision and
# assessment time, the posture delta's counts, Affected CIs by distance
# and the Posture delta sheet, on a hand-built inventory whose numbers
# are computed by hand (tests/check-posture.c has the arithmetic); a
# later write to the inventory does not change the workbook; refusals
# (no assessment, an unknown change, ASSET with --change).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet asset add app --name App --type application --c high \
	--i high --a high --owner apps@example.org
hw_setup --quiet asset add srv --name Server --type server --c low --i low \
	--a low --owner ops@example.org
hw_setup --quiet --actor alice change new --title "Move app onto srv" \
	--target srv --add-dep app,srv,runs_on
hw_setup --quiet change assess CHG-0001

W=$TMP/chg.xlsx
hw report change --change CHG-0001 -o "$W"
expect_rc 0 "report change --change CHG-0001 -o FILE exits 0"
expect_out_has "wrote $W (4 sheets, 1 record)" "... and says where it wrote"

CHECK='
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, expected %r" % (what, got, exp))
want("sheets", wb.sheetnames, ["Summary", "Affected CIs", "Owners", "Posture delta"])
s = {}
for r in wb["Summary"].iter_rows(values_only=True):
    if r[0] is not None and r[0] not in s:
        s[r[0]] = r[1]
for k, v in [("Change", "CHG-0001"), ("Title", "Move app onto srv"),
             ("State", "assessed"), ("Requester", "alice"),
             ("Target", "srv"), ("Decision", "not decided yet"),
             ("Recommended route", "full-cab"),
             ("Route before the edits", "standard"),
             ("Route after the edits", "full-cab"),
             ("Effective levels that rise", 3),
             ("Required baselines that rise", 1),
             ("Controls to add (net, over assets)", 221),
             ("Risk scores that move", 1), ("New cycles", 0)]:
    want("Summary " + k, s.get(k), v)
want("Assessed at is a time", str(s.get("Assessed at", ""))[-1:], "Z")
a = [list(r) for r in wb["Affected CIs"].iter_rows(values_only=True)]
want("Affected CIs", a, [["Asset", "Distance"], ["srv", 0]])
d = [list(r) for r in wb["Posture delta"].iter_rows(values_only=True)]
want("Posture delta header", d[0], ["Kind", "Asset", "What", "Old", "New",
     "Controls", "Old score", "New score", "Old rank", "New rank"])
want("levels", [r[1:5] for r in d if r[0] == "level"],
     [["srv", o, "LOW", "HIGH"] for o in ("confidentiality", "integrity", "availability")])
want("baseline", [r[1:5] for r in d if r[0] == "baseline"],
     [["srv", "required SP 800-53B baseline", "LOW", "HIGH"]])
gaps = dict((r[2], r[5]) for r in d if r[0] == "control gap")
want("Access Control", gaps.get("Access Control"), 35)
want("Audit and Accountability", gaps.get("Audit and Accountability"), 15)
want("Contingency Planning", gaps.get("Contingency Planning"), 29)
want("controls in all", sum(gaps.values()), 221)
want("risk", [r[1:] for r in d if r[0] == "risk score"],
     [["srv", "rises", None, None, None, 1.7, 5.8, 2, 1]])
print("\n".join(bad) if bad else "ok")
'
py_ok "the workbook holds the change, its assessment and the posture delta" \
	"$CHECK" "$W"

# The edit done by hand: the inventory changes, the stored assessment
# and so the workbook do not.
hw_setup --quiet dep add app srv --type runs_on
hw report change --change CHG-0001 -o "$TMP/later.xlsx"
expect_rc 0 "after a later write the workbook is still written"
py_ok "... from the stored assessment, as it was" "$CHECK" "$TMP/later.xlsx"

hw --json report change --change CHG-0001 -o "$TMP/j.xlsx"
expect_json 'd["path"], d["sheets"], d["rows"]' "[\"$TMP/j.xlsx\",4,1]" \
	"--json says where, how many sheets and records"

# The default file.
(cd "$TMP" && "$HIGHWATER" --db "$HIGHWATER_DB" report change \
	--change CHG-1 >/dev/null 2>&1)
ok_if "default file reports/change-CHG-0001-DATE.xlsx" \
	test -s "$TMP/reports/change-CHG-0001-$(date +%F).xlsx"

hw_setup --quiet change new --title "No assessment" --target srv
refuse "a change without a stored assessment is refused" "CHG-0002" \
	"change assess" -- report change --change CHG-0002 -o "$TMP/none.xlsx"
ok_if "... and no file is written" test ! -e "$TMP/none.xlsx"
refuse "an unknown change" "CHG-0099" -- \
	report change --change CHG-0099 -o "$TMP/none.xlsx"
refuse_usage "a change id that is not one" "--change" -- \
	report change --change nope -o "$TMP/none.xlsx"
refuse_usage "--change with ASSET" "not both" -- \
	report change srv --change CHG-0001 -o "$TMP/none.xlsx"
refuse_usage "--change with --depth" "--change takes no" -- \
	report change --change CHG-0001 --depth 1 -o "$TMP/none.xlsx"
refuse "an existing file without --force" "already exists" -- \
	report change --change CHG-0001 -o "$W"

hw report change --help
expect_out_has "--change CHG-N" "report change --help tells of --change"

done_testing
