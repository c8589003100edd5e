#!/bin/bash
# report-mode.sh: a workbook is owner-only (0600) whatever the umask;
# --mode MODE (report plan, change, inventory, impact --xlsx) widens it
# to 640, 604 or 644 and nothing else: a write, run or set-id bit for the
# group or others, or an owner who may not read and write, is a usage
# error, and no file is written (issue 16, item 7).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init
hw_setup --quiet asset add a1 --name A --type server
hw_setup --quiet asset add a2 --name B --type server
hw_setup --quiet dep add a1 a2
mkdir "$TMP/r"
umask 022

# made FILE MODE DESC: FILE exists with permission bits MODE.
made() {
	expect_eq "$(stat -c %a "$1" 2>&1)" "$2" "$3"
}

hw report inventory -o "$TMP/r/default.xlsx"
made "$TMP/r/default.xlsx" 600 "without --mode a workbook is 0600 (umask 022)"
hw report inventory -o "$TMP/r/inv.xlsx" --mode 0640
made "$TMP/r/inv.xlsx" 640 "report inventory --mode 0640"
hw report plan -o "$TMP/r/plan.xlsx" --mode 644
made "$TMP/r/plan.xlsx" 644 "report plan --mode 644"
hw report change a2 -o "$TMP/r/change.xlsx" --mode 604
made "$TMP/r/change.xlsx" 604 "report change --mode 604"
hw impact a2 --xlsx "$TMP/r/impact.xlsx" --mode 640
made "$TMP/r/impact.xlsx" 640 "impact --xlsx --mode 640"
hw report inventory -o "$TMP/r/inv.xlsx" --force --mode 600
made "$TMP/r/inv.xlsx" 600 "--force --mode 600 narrows a replaced workbook"
umask 077
hw report inventory -o "$TMP/r/umask.xlsx" --mode 644
made "$TMP/r/umask.xlsx" 644 "--mode is given as asked, whatever the umask"
umask 022

for m in 666 0660 0602 0700 0400 4600 2640 1644 0200 0641; do
	refuse_usage "--mode $m is refused" "--mode: " "expected 600, 640, 604 or 644" -- \
		report inventory -o "$TMP/r/x.xlsx" --mode $m
done
for m in rw 8 '' 06400 -644 0x1a4; do
	refuse_usage "--mode '$m' is not an octal mode" "is not an octal mode" -- \
		report inventory -o "$TMP/r/x.xlsx" --mode "$m"
done
ok_if "... and no refused mode wrote a file" [ ! -e "$TMP/r/x.xlsx" ]
refuse_usage "impact --mode without --xlsx" "--mode is the workbook's: give --xlsx FILE too" -- \
	impact a2 --mode 640

# Documented: each command's --help and usage, the man page.
for c in "report inventory" "report plan" "report change" impact; do
	# shellcheck disable=SC2086
	hw $c --help
	expect_out_has "--mode MODE" "$c --help shows --mode"
done

done_testing
