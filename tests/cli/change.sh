#!/bin/bash
# change.sh: the change commands from new to close: proposed edits
# checked at new and edit, the assessment printed and stored, the
# decision (self-approval, full-CAB reason), implement refused after the
# inventory changed, close, revert and its refusal after a later write,
# every refused step naming the state, --json shapes and exit codes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init
hw_setup --quiet asset add app --name "Payroll app" --type application \
	--c high --i high --a high --owner payroll-team
hw_setup --quiet asset add srv --name "Server 1" --type server \
	--c low --i low --a low --owner ops
hw_setup --quiet asset add desk --name "Desk" --type endpoint \
	--c low --i low --a low

# The change records as JSON: what "nothing written" compares.
changes_now() {
	"$HIGHWATER" --json change list >"$TMP/.changes.json" 2>&1
	cat "$TMP/.changes.json"
}

# refuse_change DESC NEEDLE -- ARGS: refused with exit 1, one line, and
# neither the inventory nor the change records changed.
refuse_change() {
	local before after
	before=$(changes_now)
	refuse "$@"
	after=$(changes_now)
	expect_eq "$after" "$before" "$1: no change record written"
}

# --- new ------------------------------------------------------------------------
hw change new --title "Payroll onto server 1" --target srv \
	--add-dep app,srv,runs_on --planned 2026-05-01T22:00Z \
	--description "Move the payroll app"
expect_eq "$RC:$OUT" "0:CHG-0001" "change new prints the id"

hw --json change show CHG-0001
expect_json '[d["id"], d["state"], d["requester"], d["targets"], d["planned"], d["edits"]]' \
	'["CHG-0001","new","tester",["srv"],"2026-05-01T22:00:00Z",[{"from":"app","kind":"add-dep","to":"srv","type":"runs_on"}]]' \
	"change show --json: the change JSON, the actor as requester"
expect_json '"assessment" in d' 'false' "no assessment before change assess"

refuse_change "an edit naming an unknown asset is refused at new" \
	"edit 1, add-dep ghost,srv" "unknown asset 'ghost'" -- \
	change new --title x --target srv --add-dep ghost,srv
refuse_change "an unknown target is refused" "target 'nowhere' is no asset" -- \
	change new --title x --target nowhere
refuse_change "a set refused as a direct write is refused at new" \
	"edit 1, set srv,confidentiality=huge" -- \
	change new --title x --target srv --set srv,confidentiality=huge
refuse_change "removing a dependency that does not exist is refused" \
	"'app' does not depend on 'srv'" -- \
	change new --title x --target srv --rm-dep app,srv
refuse_usage "--add-dep needs FROM,TO" "--add-dep 'app': expected FROM,TO" -- \
	change new --title x --target srv --add-dep app
refuse_usage "--set needs ID,FIELD=VALUE" "expected ID,FIELD=VALUE" -- \
	change new --title x --target srv --set srv,owner
refuse_usage "new needs --title" "missing --title" -- change new --target srv
refuse_usage "new needs --target" "missing --target" -- change new --title x
refuse_usage "--planned must be a time" "--planned:" -- \
	change new --title x --target srv --planned tomorrow

# --add-assets: an inventory file's assets and dependencies
cat >"$TMP/new.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "cache", "name": "Cache", "type": "server",
             "confidentiality": "moderate"}],
 "dependencies": [{"from": "app", "to": "cache", "type": "uses"}]}
EOF
hw change new --title "Add a cache" --target cache --add-assets "$TMP/new.json"
expect_eq "$RC:$OUT" "0:CHG-0002" "change new --add-assets"
hw --json change show CHG-0002
expect_json '[e["kind"] for e in d["edits"]] + [d["edits"][0]["asset"]["id"], d["edits"][1]["to"]]' \
	'["add-asset","add-dep","cache","cache"]' \
	"--add-assets: each asset an add-asset edit, each dependency an add-dep"
hw asset show cache
expect_rc 1 "a proposed asset is not in the inventory before implement"
cat >"$TMP/bad.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "x", "name": "X", "type": "toaster"}]}
EOF
refuse_change "--add-assets: an asset the inventory refuses" \
	"edit 1, add-asset x" -- \
	change new --title x --target srv --add-assets "$TMP/bad.json"
cat >"$TMP/bad2.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "information_types": []}
EOF
refuse_change "--add-assets: only assets and dependencies" \
	"not \"information_types\"" -- \
	change new --title x --target srv --add-assets "$TMP/bad2.json"

# --- the state table through the CLI -------------------------------------------
refuse_change "new: decide is refused naming the state" \
	"CHG-0001 is new: it cannot be decided (allowed: edit, assess, cancel)" -- \
	change decide CHG-0001 approve --reason x
refuse_change "new: implement refused" \
	"CHG-0001 is new: it cannot be implemented (allowed: edit, assess, cancel)" -- \
	change implement CHG-0001
refuse_change "new: close refused" "CHG-0001 is new: it cannot be closed" -- \
	change close CHG-0001 --result success
refuse_change "new: revert refused" "CHG-0001 is new: it cannot be reverted" -- \
	change revert CHG-0001

hw change edit CHG-0001 --title "Payroll onto server 1 (v2)"
expect_rc 0 "change edit while new"
expect_out_has "CHG-0001  Payroll onto server 1 (v2)" "change edit prints the change"

# --- assess ------------------------------------------------------------------------
hw change assess CHG-0001
expect_rc 0 "change assess"
expect_out_has "route:      full-cab (before the edits standard, after full-cab)" \
	"assess: the route after the edits"
expect_out_has "  level      srv confidentiality: low -> high" \
	"assess: the level that rises"
expect_out_has "  baseline   srv: low -> high" "assess: the baseline that rises"
expect_out_has "  new control gaps: 221 (AC 35, AT 1, AU 15," \
	"assess: new control gaps by family"
expect_out_has "  risk       srv: 1.7 -> 5.8 (rank" "assess: the risk score that moves"
expect_out_has "owners:     ops (1)" "assess: owners"

hw --json change assess CHG-0001
expect_json 'sorted(d.keys())' '["at","delta","members","summary"]' \
	"change assess --json: the assessment's shape"
expect_json '[d["delta"]["gaps"]["controls"], d["summary"]["route"], d["members"]]' \
	'[221,"full-cab",[[0,["srv"]]]]' "assess --json: gaps, route, members by distance"

hw --json change show CHG-0001
expect_json '[d["state"], d["assessment"]["delta"]["gaps"]["controls"]]' \
	'["assessed",221]' "change show --json carries the stored assessment"

# edit an assessed change: back to new, assessment cleared
hw_setup change edit CHG-0001 --description "now with a reason"
hw --json change show CHG-0001
expect_json '[d["state"], "assessment" in d, "assessed_at" in d]' \
	'["new",false,false]' "edit of an assessed change: back to new, assessment gone"
hw_setup change assess CHG-0001

# --- decide --------------------------------------------------------------------
refuse_change "the requester cannot approve their own change" \
	"CHG-0001 was requested by tester, who cannot approve it" -- \
	change decide CHG-0001 approve --reason mine
refuse_change "a full-cab change needs --reason" \
	"CHG-0001 goes to the full CAB: a decision needs a reason (--reason TEXT)" -- \
	--actor bob change decide CHG-0001 approve
refuse_usage "decide needs approve or reject" "'maybe': expected approve or reject" -- \
	--actor bob change decide CHG-0001 maybe --reason x
hw --actor bob change decide CHG-0001 approve --reason "window agreed" --by "Carol (chair)"
expect_eq "$RC:$OUT" "0:CHG-0001 approved" "decide approve by another actor"
hw --json change show CHG-0001
expect_json '[d["state"], d["decided_by"], d["chair"], d["reason"]]' \
	'["approved","bob","Carol (chair)","window agreed"]' \
	"the decider is the actor, --by a label"
refuse_change "approved: edit refused naming the state" \
	"CHG-0001 is approved: it cannot be edited (allowed: assess, implement, cancel)" -- \
	change edit CHG-0001 --title z

# --- implement refused when the inventory changed -------------------------------
hw_setup --quiet asset set srv confidentiality=high
refuse_change "implement refused after the inventory changed since the assessment" \
	"CHG-0001: the inventory changed since its assessment: delta.levels[0]" \
	"(change assess CHG-0001 again)" -- change implement CHG-0001
hw_setup --quiet asset set srv confidentiality=low
hw change implement CHG-0001 --at 2026-05-01T22:30Z
expect_eq "$RC:$OUT" "0:CHG-0001 implemented" \
	"implement once the inventory is as assessed again"
hw dep list srv
expect_out_has "app   ->  srv  runs_on  cia" "implement applied the edit"
hw --json change show CHG-0001
expect_json '[d["state"], d["implemented_by"], d["implemented_at"]]' \
	'["implemented","tester","2026-05-01T22:30:00Z"]' "implemented: by the actor, --at kept"
refuse_change "implemented: cancel refused" \
	"CHG-0001 is implemented: it cannot be cancelled (allowed: close, revert)" -- \
	change cancel CHG-0001
refuse_change "implemented closes with success, failed or backed-out" \
	"CHG-0001 was implemented: it closes with success, failed or backed-out" -- \
	change close CHG-0001 --result rejected
refuse_usage "an unknown result" "--result 'meh'" -- change close CHG-0001 --result meh

# --- close, revert ---------------------------------------------------------------
hw change close CHG-0001 --result backed-out --at 2026-05-02
expect_eq "$RC:$OUT" "0:CHG-0001 closed" "close --result backed-out"
hw change revert CHG-0001
expect_eq "$RC:$OUT" "0:CHG-0001 reverted" "revert a backed-out change"
hw dep list srv
expect_out_has "0 dependencies" "revert removed the dependency"
hw change show CHG-0001
expect_eq "$(sed -n '1,4p;6,8p' "$OUT_FILE")" "CHG-0001  Payroll onto server 1 (v2)
state:       closed (backed-out)
description: now with a reason
targets:     srv
planned:     2026-05-01T22:00:00Z
edits:
  1. add dependency app -> srv (runs_on)" \
	"change show: the record for people"
expect_out_has "
approved:    " "change show: the decision"
expect_out_has "by bob, chair Carol (chair): \"window agreed\"" \
	"change show: decider, chair and reason"
expect_out_has "implemented: 2026-05-01T22:30:00Z by tester" "change show: who implemented it, when"
expect_out_has "closed:      2026-05-02T00:00:00Z" "change show: when it closed"
expect_out_has "posture delta of the proposed edits:
  level      srv confidentiality: low -> high" "change show: the stored assessment follows"
refuse_change "a second revert is refused" \
	"CHG-0001 is closed (backed-out, reverted): it cannot be reverted (allowed: nothing)" -- \
	change revert CHG-0001

# revert refused after a later write to the same object
hw_setup change new --title "Desk uses server" --target desk --add-dep desk,srv,uses
hw_setup change assess CHG-0003
hw_setup --actor bob change decide CHG-0003 approve --reason ok
hw_setup change implement CHG-0003
hw_setup --quiet dep add desk srv --replace --carries c
refuse_change "revert refused naming what a later write changed" \
	"dependency:desk>srv" -- change revert CHG-0003
hw change close CHG-0003 --result success
expect_rc 0 "close success"
refuse_change "closed success: nothing allowed" \
	"CHG-0003 is closed (success): it cannot be reverted (allowed: nothing)" -- \
	change revert CHG-0003

# reject, close rejected, cancel
hw_setup change assess CHG-0002
hw --actor bob change decide CHG-0002 reject --reason "not now"
expect_eq "$RC:$OUT" "0:CHG-0002 rejected" "decide reject"
refuse_change "rejected closes only as rejected" \
	"CHG-0002 was rejected: it closes with result rejected, not success" -- \
	change close CHG-0002 --result success
hw change close CHG-0002 --result rejected
expect_rc 0 "close a rejected change"
hw_setup change new --title "Never mind" --target desk
hw change cancel CHG-0004
expect_eq "$RC:$OUT" "0:CHG-0004 cancelled" "cancel a new change"
refuse_change "cancelled: nothing allowed" \
	"CHG-0004 is cancelled: it cannot be assessed (allowed: nothing)" -- \
	change assess CHG-0004

# self-approval allowed by the setting
hw_setup --quiet config change.self_approval allow
hw_setup change new --title "Own change" --target desk
hw_setup change assess CHG-0005
hw change decide CHG-0005 approve
expect_eq "$RC:$OUT" "0:CHG-0005 approved" \
	"self-approval with change.self_approval allow (no reason below full CAB)"
refuse "config change.self_approval takes allow or refuse" "expected allow or refuse" -- \
	config change.self_approval maybe

# an added asset with an information type is implemented as asset add
# would store it (the type's provisional levels)
cat >"$TMP/typed.json" <<'EOF'
{"format": "highwater-inventory", "version": 1,
 "assets": [{"id": "vault", "name": "Vault", "type": "database",
             "information_types": [{"id": "C.2.8.12"}]}]}
EOF
hw_setup change new --title "A vault" --target vault --add-assets "$TMP/typed.json"
hw_setup change assess CHG-0006
hw_setup --actor bob change decide CHG-0006 approve --reason ok
hw change implement CHG-0006
expect_eq "$RC:$OUT" "0:CHG-0006 implemented" "implement a change that adds an asset with a type"
hw --json asset show vault
expect_json '[t["id"] for t in d["information_types"]]' '["C.2.8.12"]' \
	"the added asset carries its information type"
hw_setup change close CHG-0006 --result success

# --- list ------------------------------------------------------------------------
hw change list --open
expect_out_eq "ID        STATE     REQUESTER  PLANNED  TARGET  TITLE
CHG-0005  approved  tester     -        desk    Own change" "change list --open"
hw --json change list --asset srv
expect_json '[c["id"] for c in d["changes"]]' '["CHG-0001"]' "change list --asset --json"
hw --json change list
expect_json '[(c["id"], c["state"], c.get("result")) for c in d["changes"]]' \
	'[["CHG-0001","closed","backed-out"],["CHG-0002","closed","rejected"],["CHG-0003","closed","success"],["CHG-0004","cancelled",null],["CHG-0005","approved",null],["CHG-0006","closed","success"]]' \
	"change list --json: every change"

# --- unknown and malformed ids ------------------------------------------------
refuse "an unknown change" "no change CHG-0042" -- change show CHG-42
refuse_change "a target given twice" "target 'srv' is given twice" -- \
	change new --title twice --target srv --target srv
refuse_usage "a malformed id" "'42' is not a change id" -- change show 42
hw change show
expect_rc 2 "show without an id is a usage error"

done_testing
