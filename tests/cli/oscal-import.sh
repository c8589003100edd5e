#!/bin/bash
# oscal-import.sh: "import --format oscal FILE --asset ID": NIST's example
# SSPs import with exactly the levels they state (the catalogue's levels
# the base, adjustments with the SSP's justification); the forms real
# files use (level words, URIs, ids, the organisation's own types);
# hostile and malformed files refused with one exact line, the database
# and its audit trail unchanged; a re-import changes nothing.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

D=$HW_TESTDATA
INFO=system-security-plan.system-characteristics.system-information.information-types
hw_setup --quiet init
for a in logging goodread iaas sys; do
	hw_setup --quiet asset add "$a" --name "$a" --type application
done

# The asset's assignments as stored, one line a type: "ID C/I/A
# justification" (selected levels; "-" for no justification).
stored() {
	hw --json asset show "$1"
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["information_types"]:
    print(t["id"], "/".join(t["selected"][k] for k in
          ("confidentiality", "integrity", "availability")),
          t["justification"] or "-")
' "$OUT_FILE"
}

# --- NIST's examples ------------------------------------------------

# ssp-example: base levels only, the catalogue's own.
hw import --format oscal "$D/oscal-ssp-example.json" --asset logging
expect_rc 0 "ssp-example imports"
expect_out_eq "imported 1 information type from SSP \"Enterprise Logging and Auditing System Security Plan\" to 'logging'
C.3.5.8  moderate/moderate/low  not adjusted" "ssp-example: C.3.5.8 at its base levels, not adjusted"
expect_eq "$(stored logging)" "C.3.5.8 moderate/moderate/low -" \
	"ssp-example: stored moderate/moderate/low without a justification"
hw categorize logging
expect_out_has "SC logging = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, LOW)}" \
	"ssp-example: the asset is categorized as the SSP says"

# ifa_ssp-example: integrity selected above its base, justified.
hw --json import --format oscal "$D/oscal-ifa-ssp-example.json" --asset goodread
expect_rc 0 "ifa_ssp-example imports (--json)"
expect_json '[d["ssp"], d["asset"], d["dry_run"], [(t["id"], t["selected"], t["base"], t["adjusted"], t["justification"], t["added"]) for t in d["information_types"]]]' \
	'["IFA GoodRead System Security Plan","goodread",false,[["C.2.8.12",{"availability":"low","confidentiality":"low","integrity":"moderate"},{"availability":"low","confidentiality":"low","integrity":"low"},true,"Maliciously modified links are a concern",false]]]' \
	"ifa_ssp-example: C.2.8.12 low/moderate/low, adjusted up with the SSP's justification"
expect_eq "$(stored goodread)" "C.2.8.12 low/moderate/low Maliciously modified links are a concern" \
	"ifa_ssp-example: stored as reported"
hw --json categorize goodread
expect_json '[d["assets"][0]["own"], d["assets"][0]["overall"]]' \
	'[{"availability":"low","confidentiality":"low","integrity":"moderate"},"moderate"]' \
	"ifa_ssp-example: the asset is low/moderate/low, overall moderate"

# oscal_leveraged-example_ssp: every objective selected low, one
# justification; its availability base (moderate) is above the
# catalogue's (low), so availability low is no adjustment here.  An
# earlier assignment of the same type is replaced.
hw_setup --quiet infotype assign iaas C.3.5.8 --c high --i high --a high --why "before the SSP"
hw_setup --quiet infotype assign iaas C.2.4.1
hw import --format oscal "$D/oscal-leveraged-ssp-example.json" --asset iaas
expect_rc 0 "oscal_leveraged-example_ssp imports"
expect_out_eq "imported 1 information type from SSP \"CSP IaaS System Security Plan\" to 'iaas'
C.3.5.8  low/low/low  adjusted from moderate/moderate/low: This impact has been adjusted to low as an example of how to perform this type of adjustment." \
	"leveraged example: C.3.5.8 low/low/low, adjusted down from the catalogue's moderate/moderate/low"
expect_eq "$(stored iaas)" "C.2.4.1 moderate/moderate/moderate -
C.3.5.8 low/low/low This impact has been adjusted to low as an example of how to perform this type of adjustment." \
	"leveraged example: the same type replaced, the asset's other type kept"
hw categorize iaas
expect_out_has "SC iaas = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, MODERATE)}" \
	"leveraged example: the asset's other type still counts"

# --- re-import, dry run ---------------------------------------------

snapshot
hw --json audit head
seq=$(json_val 'd["seq"]')
hw import --format oscal "$D/oscal-ifa-ssp-example.json" --asset goodread
expect_rc 0 "a re-import succeeds"
expect_unchanged "a re-import leaves the inventory as it was"
hw --json audit head
expect_eq "$(json_val 'd["seq"]')" "$((seq + 1))" "a re-import writes only its summary record"
hw audit log
OUT=$(tail -n 1 <<<"$OUT")
expect_out_has "import import:$D/oscal-ifa-ssp-example.json" "the summary record names the file"

hw import --dry-run --format oscal "$D/oscal-ssp-example.json" --asset goodread
expect_out_eq "dry run: would import 1 information type from SSP \"Enterprise Logging and Auditing System Security Plan\" to 'goodread' (nothing changed)
C.3.5.8  moderate/moderate/low  not adjusted" "--dry-run says what it would assign"
expect_unchanged "--dry-run changes nothing"
hw --json audit head
expect_eq "$(json_val 'd["seq"]')" "$((seq + 1))" "--dry-run writes no audit record"

# --- the forms real files use ---------------------------------------

# Variants of one SSP (the shared minimal example's shape), written by
# the Python below; "bad" ones are refused further down.
"$PYTHON" - "$TMP" <<'PY' || echo "Bail out! cannot write the SSPs"
import copy, json, sys
out = sys.argv[1]
SP = "https://doi.org/10.6028/NIST.SP.800-60v2r1"
def it(ids, c=None, i=None, a=None, system=SP, title="Monitoring"):
    t = {"uuid": "b7a1e0f4-3c2d-4e8f-9a6b-1c2d3e4f5a60", "title": title,
         "description": "d"}
    if ids is not None:
        t["categorizations"] = [{"system": system, "information-type-ids": ids}]
    for k, v in (("confidentiality", c), ("integrity", i), ("availability", a)):
        if v is not None:
            t[k + "-impact"] = v if isinstance(v, dict) else {"base": v}
    return t
def ssp(types, title="Example SSP"):
    return {"system-security-plan": {
        "uuid": "3f1c2b8e-7d41-4c55-9a0e-0b6f2d9e1a01",
        "metadata": {"title": title, "last-modified": "2025-01-01T00:00:00Z",
                     "version": "0.1", "oscal-version": "1.1.3"},
        "system-characteristics": {"system-name": "S", "system-information":
                                   {"information-types": types}}}}
def w(name, doc):
    with open(out + "/" + name, "w", encoding="utf-8") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
L, M, H = "fips-199-low", "fips-199-moderate", "fips-199-high"
# Adjustments: one without a justification, two different ones.
w("nojust.json", ssp([it(["C.3.5.8"], M, M, {"base": L, "selected": H})]))
w("twojust.json", ssp([it(["C.3.5.8"],
    {"base": M, "selected": L, "adjustment-justification": "public logs"}, M,
    {"base": L, "selected": M, "adjustment-justification": "needed in incidents"})]))
# The SSP's base above the catalogue's, no selected: an adjustment.
w("base-up.json", ssp([it(["C.3.5.8"], H, H, H)]))
# Words other than fips-199-*, any case; na for confidentiality.
w("words.json", ssp([it(["C.3.5.8"], "moderate", "Medium", "FIPS-199-LOW")]))
w("na.json", ssp([it(["C.2.8.12"], "fips-199-na", L, L)]))
# The http form of the system, a lower-case id, blanks round it.
w("http.json", ssp([it([" c.2.8.12 "], L, L, L,
                       system="http://doi.org/10.6028/NIST.SP.800-60v2r1")]))
# Two ids in one categorization, a type the catalogue lacks.
w("two-ids.json", ssp([it(["C.2.8.12", "C.9.9.9"], L, M, L, title="Links")]))
# The organisation's own types: no SP 800-60 id, ids of its own system.
w("org.json", ssp([it(["ORG.payroll-records"], "fips-199-na", M, H,
                      system="urn:example:information-types", title="Payroll records")]))
# A type with both: its SP 800-60 id counts, the other is ignored.
w("both.json", ssp([dict(it(["C.2.8.12"], L, L, L), categorizations=[
    {"system": "urn:example:information-types", "information-type-ids": ["ORG.other"]},
    {"system": SP, "information-type-ids": ["C.2.8.12"]}])]))

# Refused.
def bad(name, types, **kw):
    w(name, ssp(types, **kw))
three = [it(["C.2.8.12"], L, L, L), it(["C.2.4.1"], M, M, M)]
bad("severe.json", three + [it(["C.3.5.8"], M, {"base": M, "selected": "severe"}, L)])
bad("na-integrity.json", [it(["C.3.5.8"], M, "fips-199-na", L)])
bad("c-unknown.json", [it(["C.3.5.8"], "secret", M, L)])
bad("control.json", [it(["C.3.5.8"], M, "sev\u0001re", L)])
bad("long-word.json", [it(["C.3.5.8"], M, "x" * 300, L)])
bad("number.json", [it(["C.3.5.8"], {"base": 3}, M, L)])
bad("no-base.json", [it(["C.3.5.8"], M, M, {"selected": L})])
t = it(["C.3.5.8"], M, M, L); t["availability-impact"] = L
bad("impact-string.json", [t])
bad("no-ids.json", [it(None, M, M, L)])
bad("empty-ids.json", [it([], M, M, L)])
bad("bad-id.json", [it(["monitoring"], M, M, L)])
bad("id-number.json", [it([3], M, M, L)])
bad("org-bad-id.json", [it(["has space"], M, M, L, system="urn:x")])
bad("dup.json", [it(["C.3.5.8"], M, M, L), it(["C.2.8.12", "C.3.5.8"], L, L, L)])
bad("new-no-impact.json", [it(["C.9.9.6"], L, None, L)])
bad("no-prov.json", [it(["C.9.9.8"], L, L, L), it(["C.3.5.9"], None, None, None)])
bad("bad-title.json", [it(["C.9.9.7"], L, L, L, title="tab\u0007bell")])
# Texts that would reach the terminal and the audit trail: no escapes.
bad("esc-ssp-title.json", [it(["C.3.5.8"], M, M, L)], title="Example\u001b]0;owned\u0007 SSP")
bad("esc-why.json", [it(["C.3.5.8"], {"base": M, "selected": H,
    "adjustment-justification": "esc\u001b[2J"}, M, L)])
bad("no-types.json", [])
d = ssp([it(["C.3.5.8"], M, M, L)])
d2 = copy.deepcopy(d); d2["system-security-plan"]["system-characteristics"]["system-information"]["information-types"] = {"a": 1}
w("types-object.json", d2)
d2 = copy.deepcopy(d); del d2["system-security-plan"]["system-characteristics"]
w("no-chars.json", d2)
d2 = copy.deepcopy(d); del d2["system-security-plan"]["metadata"]["title"]
w("no-title.json", d2)
d2 = copy.deepcopy(d); d2["system-security-plan"]["system-characteristics"]["system-information"]["information-types"][0]["categorizations"] = [{"information-type-ids": ["C.3.5.8"]}]
w("no-system.json", d2)
d2 = copy.deepcopy(d); d2["system-security-plan"]["system-characteristics"]["system-information"]["information-types"].append("x")
w("type-string.json", d2)
w("inventory.json", {"format": "highwater-inventory", "version": 1, "assets": []})
w("array.json", [d])
w("not-json.json", "system-security-plan: yes\n")
w("dupkey.json", '{"system-security-plan": {}, "system-security-plan": {}}')
w("empty.json", "")
w("deep.json", '{"a":' + "[" * 100000)
PY

# Each good variant on asset sys, replacing its one type each time.
imports() {
	hw import --format oscal "$TMP/$1" --asset "${2:-sys}"
	expect_eq "$RC:$(sed 1d "$OUT_FILE")" "0:$3" "$4"
}
imports nojust.json "" "C.3.5.8  moderate/moderate/high  adjusted from moderate/moderate/low: imported from SSP Example SSP" \
	"an adjustment without a justification: \"imported from SSP <title>\""
imports twojust.json "" "C.3.5.8  low/moderate/moderate  adjusted from moderate/moderate/low: confidentiality: public logs; availability: needed in incidents" \
	"two justifications: each named by its objective"
imports base-up.json "" "C.3.5.8  high/high/high  adjusted from moderate/moderate/low: imported from SSP Example SSP" \
	"an SSP base above the catalogue's is an adjustment"
imports words.json "" "C.3.5.8  moderate/moderate/low  not adjusted" \
	"moderate, Medium, FIPS-199-LOW are understood"
imports na.json "" "C.2.8.12  na/low/low  adjusted from low/low/low: imported from SSP Example SSP" \
	"fips-199-na: confidentiality not applicable"
imports http.json "" "C.2.8.12  low/low/low  not adjusted" \
	"the http form of the SP 800-60 system and \" c.2.8.12 \" name C.2.8.12"
expect_eq "$(stored sys)" "C.2.8.12 low/low/low -
C.3.5.8 moderate/moderate/low -" \
	"sys: what the last imports left, one assignment a type"
imports two-ids.json "" "C.2.8.12  low/moderate/low  adjusted from low/low/low: imported from SSP Example SSP
C.9.9.9  low/moderate/low  new type, not adjusted" \
	"two ids, one the catalogue lacks: added with the SSP's levels"
hw infotype list --search C.9.9.9
expect_out_has "C.9.9.9" "the new type is in the catalogue"
imports org.json logging "ORG.payroll-records  na/moderate/high  new type, not adjusted" \
	"an organisation's own type (no SP 800-60 id) is added under its id"
imports org.json logging "ORG.payroll-records  na/moderate/high  not adjusted" \
	"and imported again, it is found"
hw infotype list --custom
expect_out_has "Payroll records" "the organisation's type has the SSP's title"
imports both.json logging "C.2.8.12  low/low/low  not adjusted" \
	"a type with an SP 800-60 id and another: the SP 800-60 id alone"

# --- refused ----------------------------------------------------------

hw --json audit head
seq=$(json_val 'd["seq"]')
# refused FILE MESSAGE DESC: exit 1, MESSAGE the one line after the
# file's name, the inventory unchanged.
refused() {
	refuse "$3" "highwater: import: '$TMP/$1': $2" -- \
		import --format oscal "$TMP/$1" --asset sys
	expect_eq "$ERR" "highwater: import: '$TMP/$1': $2" "$3: the whole message"
}
refused severe.json "${INFO}[2].integrity-impact.selected: expected fips-199-low, fips-199-moderate or fips-199-high, got \"severe\"" \
	"an unknown level word"
refused na-integrity.json "${INFO}[0].integrity-impact.base: expected fips-199-low, fips-199-moderate or fips-199-high, got \"fips-199-na\" (not applicable is for confidentiality alone)" \
	"na for integrity"
refused c-unknown.json "${INFO}[0].confidentiality-impact.base: expected fips-199-low, fips-199-moderate, fips-199-high or fips-199-na, got \"secret\"" \
	"an unknown word for confidentiality"
refused control.json "${INFO}[0].integrity-impact.base: expected fips-199-low, fips-199-moderate or fips-199-high, got \"sev?re\"" \
	"a control character is not printed"
refused long-word.json "${INFO}[0].integrity-impact.base: expected fips-199-low, fips-199-moderate or fips-199-high, got \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"" \
	"a long word is cut"
refused number.json "${INFO}[0].confidentiality-impact.base: expected a string, not a number" \
	"a level that is a number"
refused no-base.json "${INFO}[0].availability-impact: missing \"base\" (expected a string)" \
	"an impact without base"
refused no-ids.json "${INFO}[0]: no information type id (expected categorizations with system https://doi.org/10.6028/NIST.SP.800-60v2r1 and information-type-ids)" \
	"an information type without categorizations"
refused empty-ids.json "${INFO}[0]: no information type id (expected categorizations with system https://doi.org/10.6028/NIST.SP.800-60v2r1 and information-type-ids)" \
	"an information type with no ids"
refused bad-id.json "${INFO}[0].categorizations[0].information-type-ids[0]: expected an SP 800-60 id such as \"C.3.5.8\", got \"monitoring\"" \
	"an SP 800-60 id of the wrong form"
refused id-number.json "${INFO}[0].categorizations[0].information-type-ids[0]: expected a string, not a number" \
	"an id that is a number"
refused org-bad-id.json "${INFO}[0].categorizations[0].information-type-ids[0]: expected an id of 1-64 letters, digits and ._:-, got \"has space\"" \
	"an organisation's id that is no id"
refused dup.json "${INFO}[1].categorizations[0].information-type-ids[1]: \"C.3.5.8\" is given twice (first at information-types[0].categorizations[0].information-type-ids[0])" \
	"a type given twice"
refused impact-string.json "${INFO}[0].availability-impact: expected an object, not a string" \
	"an impact that is a string"
refused new-no-impact.json "${INFO}[0]: missing \"integrity-impact\" (\"C.9.9.6\" is not in the catalogue: the SSP's base levels are its levels)" \
	"a type the catalogue lacks, without all three impacts"
refused no-prov.json "${INFO}[1]: information type 'C.3.5.9' has no provisional levels: give confidentiality, integrity and availability" \
	"a catalogue type without levels, none given (after a type was added: rolled back)"
refused bad-title.json "${INFO}[0].title: the text contains a control character (byte 4)" \
	"a new type's title with a control character"
refused esc-ssp-title.json "system-security-plan.metadata.title: the text contains a control character (byte 8)" \
	"an SSP title with a terminal escape, though no adjustment quotes it"
refused esc-why.json "${INFO}[0].confidentiality-impact.adjustment-justification: the text contains a control character (byte 4)" \
	"a justification with a terminal escape: its own path named"
refused no-types.json "$INFO: expected at least one information type" \
	"no information types"
refused types-object.json "$INFO: expected an array, not an object" \
	"information-types an object"
refused type-string.json "${INFO}[1]: expected an object, not a string" \
	"an information type that is a string"
refused no-chars.json "system-security-plan: missing \"system-characteristics\" (expected an object)" \
	"no system-characteristics"
refused no-title.json "system-security-plan.metadata: missing \"title\" (expected a string)" \
	"no metadata.title"
refused no-system.json "${INFO}[0].categorizations[0]: missing \"system\" (expected a string)" \
	"a categorization without a system"
refused inventory.json "(document): missing \"system-security-plan\" (expected an object)" \
	"a highwater inventory is no SSP"
refused array.json "(document): expected an object, not an array" \
	"a document that is an array"
refuse "not JSON" "highwater: import: '$TMP/not-json.json' line 1 column 6: malformed JSON: '[' or '{' expected near 'system'" -- \
	import --format oscal "$TMP/not-json.json" --asset sys
refuse "a repeated key" "highwater: import: '$TMP/dupkey.json' line 1 column 51: malformed JSON: duplicate object key" -- \
	import --format oscal "$TMP/dupkey.json" --asset sys
refuse "an empty file" "highwater: import: '$TMP/empty.json' line 1: malformed JSON: '[' or '{' expected near end of file" -- \
	import --format oscal "$TMP/empty.json" --asset sys
refuse "nesting beyond jansson's depth" "highwater: import: '$TMP/deep.json' line 1 column 2053: malformed JSON: maximum parsing depth reached near '['" -- \
	import --format oscal "$TMP/deep.json" --asset sys
truncate -s 33M "$TMP/huge.json"
refused huge.json "larger than 32 MiB, the most an SSP import reads" "a file over 32 MiB"
# A pipe, even with a writer, is not read: only a regular file is, as
# import does (one without a writer would be waited on forever).
mkfifo "$TMP/pipe.json"
refuse "a pipe is refused before any read" \
	"highwater: import: '$TMP/pipe.json' is not a regular file (a FIFO)" -- \
	import --format oscal "$TMP/pipe.json" --asset sys
refuse "an asset that does not exist" "highwater: import: unknown asset 'nosuch'" -- \
	import --format oscal "$D/oscal-ssp-example.json" --asset nosuch
refuse "a file that does not exist" "highwater: import: cannot open '$TMP/nosuch.json': No such file or directory" -- \
	import --format oscal "$TMP/nosuch.json" --asset sys
hw --json audit head
expect_eq "$(json_val 'd["seq"]')" "$seq" "refused imports write no audit record"

hw audit verify
expect_rc 0 "the audit trail verifies after the imports"

refuse_usage "--format oscal without --asset" "--format oscal needs --asset ID" -- \
	import --format oscal "$D/oscal-ssp-example.json"
refuse_usage "--asset without --format oscal" "--asset is for --format oscal" -- \
	import "$D/oscal-ssp-example.json" --asset sys
refuse_usage "--replace with --format oscal" "--replace is not for --format oscal" -- \
	import --replace --format oscal "$D/oscal-ssp-example.json" --asset sys
refuse_usage "an unknown format" "unknown format \"xml\" (expected json or oscal)" -- \
	import --format xml "$D/oscal-ssp-example.json"

done_testing
