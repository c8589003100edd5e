#!/bin/bash
# infotype.sh: the SP 800-60 catalogue, own information types, assigning
# them (provisional, adjusted with a justification, or without provisional
# levels), and the two FIPS 199 worked examples end to end.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init
ids='[t["id"] for t in d["information_types"]]'

# --- the catalogue -------------------------------------------------------
hw infotype list --search contingency
expect_out_eq "ID       C         I         A         NAME
C.2.4.1  moderate  moderate  moderate  Contingency Planning
1 information type" "infotype list --search contingency finds C.2.4.1"

hw --json infotype list --search C.2.8.1
expect_json "sorted($ids)" '["C.2.8.1","C.2.8.10","C.2.8.11","C.2.8.12"]' \
	"search by id prefix C.2.8.1"

hw --json infotype list C.2.8.12
expect_json 'd["information_types"]' \
	'[{"catalogue":true,"category":"General Government","id":"C.2.8.12","name":"General Information","provisional":{"availability":"low","confidentiality":"low","integrity":"low"}}]' \
	"C.2.8.12 General Information is an all-low catalogue type"

hw --json infotype list
expect_json '[len(d["information_types"]), all(t["catalogue"] for t in d["information_types"])]' \
	'[169,true]' "a new database holds the 169 catalogue types"

hw --json infotype list D.26.1
expect_json 'd["information_types"][0]["provisional"]' \
	'{"availability":null,"confidentiality":null,"integrity":null}' \
	"D.26.1 has no provisional levels"

hw infotype list --custom
expect_rc 0 "infotype list --custom with no own types is not an error"

# --- own types -------------------------------------------------------------
hw infotype add sensor --name "Sensor data" --category "Plant operations" \
	--c na --i high --a high
expect_eq "$RC:$OUT" "0:added information type 'sensor'" "infotype add with na confidentiality"
hw infotype list --custom
expect_out_eq "ID      C   I     A     NAME
sensor  na  high  high  Sensor data
1 information type" "infotype list --custom shows only the own type"
hw --json infotype list --custom
expect_json 'd["information_types"]' \
	'[{"catalogue":false,"category":"Plant operations","id":"sensor","name":"Sensor data","provisional":{"availability":"high","confidentiality":"na","integrity":"high"}}]' \
	"infotype list --custom --json"

refuse "na for integrity is rejected" 'integrity' '"na"' 'low, moderate, high' -- \
	infotype add pub --name Public --c low --i na --a low
refuse "some levels but not all three are rejected" "'partial'" 'all three levels or none' -- \
	infotype add partial --name Partial --c low
refuse "a duplicate own type is rejected" "'sensor' already exists" -- \
	infotype add sensor --name Again --c low --i low --a low
refuse "a catalogue id cannot be added again" "'C.2.4.1' already exists" -- \
	infotype add C.2.4.1 --name Mine --c low --i low --a low

# --- assign --------------------------------------------------------------------
hw_setup asset add pay --name Payments --type application
hw infotype assign pay C.2.4.1
expect_out_eq "assigned 'C.2.4.1' to 'pay'
SC pay = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, MODERATE)}" \
	"infotype assign with the provisional levels"
hw --json asset show pay
expect_json 'd["information_types"]' \
	'[{"base":{"availability":"moderate","confidentiality":"moderate","integrity":"moderate"},"id":"C.2.4.1","justification":null,"selected":{"availability":"moderate","confidentiality":"moderate","integrity":"moderate"}}]' \
	"a provisional assignment: selected equals base, no justification"

refuse "an adjusted level without --why is refused" "'C.2.4.1'" 'justification' -- \
	infotype assign pay C.2.4.1 --i high
hw infotype assign pay C.2.4.1 --i high --why "payments must not be altered"
expect_out_eq "assigned 'C.2.4.1' to 'pay'
SC pay = {(confidentiality, MODERATE), (integrity, HIGH), (availability, MODERATE)}" \
	"with --why the adjusted level is accepted"
hw --json asset show pay
expect_json 'd["information_types"]' \
	'[{"base":{"availability":"moderate","confidentiality":"moderate","integrity":"moderate"},"id":"C.2.4.1","justification":"payments must not be altered","selected":{"availability":"moderate","confidentiality":"moderate","integrity":"high"}}]' \
	"asset show --json: base vs selected and the justification (assigning again replaces)"
expect_json '[d["own"], d["overall"], d["baseline"]]' \
	'[{"availability":"moderate","confidentiality":"moderate","integrity":"high"},"high","HIGH"]' \
	"the adjusted level raises the asset"
hw asset show pay
expect_out_has "  C.2.4.1    Contingency Planning
             C/I/A moderate/high/moderate (adjusted from moderate/moderate/moderate: payments must not be altered)" \
	"asset show explains the adjustment"
hw categorize pay
expect_out_eq "pay
  own        SC pay = {(confidentiality, MODERATE), (integrity, HIGH), (availability, MODERATE)}
  effective  SC pay = {(confidentiality, MODERATE), (integrity, HIGH), (availability, MODERATE)}
  overall    HIGH, SP 800-53B HIGH baseline
  from       information type C.2.4.1: C moderate, I high, A moderate (adjusted)" \
	"categorize ASSET marks an adjusted information type"

hw_setup asset add archive --name Archive --type storage_device
hw infotype assign archive C.2.4.1 --a low --why "copies exist elsewhere"
expect_out_has "SC archive = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, LOW)}" \
	"a level may be adjusted down with a justification"

refuse "a type without provisional levels needs levels" "'D.26.1'" 'confidentiality, integrity and availability' -- \
	infotype assign pay D.26.1
refuse "... all three of them" "'D.26.1'" 'confidentiality, integrity and availability' -- \
	infotype assign pay D.26.1 --c low --i low
hw infotype assign pay D.26.1 --c low --i low --a high
expect_out_eq "assigned 'D.26.1' to 'pay'
SC pay = {(confidentiality, MODERATE), (integrity, HIGH), (availability, HIGH)}" \
	"D.26.1 with levels given is accepted without --why"
hw asset show pay
expect_out_has "  D.26.1     Military Operations
             C/I/A low/low/high (no provisional levels; set at assignment)" \
	"asset show says the levels were set at assignment"

refuse "assigning an unknown type" "'NOPE.1'" -- infotype assign pay NOPE.1
refuse "assigning to an unknown asset" "unknown asset 'nope'" -- infotype assign nope C.2.4.1
refuse "na for integrity on assignment" 'integrity' '"na"' -- \
	infotype assign pay D.26.1 --c low --i na --a low --why x

# --- FIPS 199 worked example: the power-plant SCADA system ----------------------------
hw_setup asset add scada --name "SCADA system" --type application
hw_setup infotype assign scada sensor
hw_setup infotype assign scada C.2.8.12
hw categorize scada
expect_out_eq "scada
  own        SC scada = {(confidentiality, LOW), (integrity, HIGH), (availability, HIGH)}
  effective  SC scada = {(confidentiality, LOW), (integrity, HIGH), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  from       information type C.2.8.12: C low, I low, A low
  from       information type sensor: C na, I high, A high" \
	"SCADA: sensor {na, high, high} + administrative {low, low, low}"
hw --json categorize scada
expect_json '[d["assets"][0]["own"], d["assets"][0]["overall"], d["assets"][0]["baseline"]]' \
	'[{"availability":"high","confidentiality":"low","integrity":"high"},"high","HIGH"]' \
	"SCADA --json: na counts as low, overall high"
hw_setup asset set scada c=moderate
hw categorize scada
expect_out_has "  own        SC scada = {(confidentiality, MODERATE), (integrity, HIGH), (availability, HIGH)}
  effective  SC scada = {(confidentiality, MODERATE), (integrity, HIGH), (availability, HIGH)}
  overall    HIGH, SP 800-53B HIGH baseline
  from       set directly: C moderate, I -, A -" \
	"SCADA: management raises confidentiality to moderate"

# --- FIPS 199 worked example: the acquisition system -----------------------------
hw_setup infotype add contract --name "Contract information" --c moderate --i moderate --a low
hw_setup asset add acq --name "Acquisition system" --type application
hw_setup infotype assign acq contract
hw_setup infotype assign acq C.2.8.12
hw categorize acq
expect_out_eq "acq
  own        SC acq = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, LOW)}
  effective  SC acq = {(confidentiality, MODERATE), (integrity, MODERATE), (availability, LOW)}
  overall    MODERATE, SP 800-53B MODERATE baseline
  from       information type C.2.8.12: C low, I low, A low
  from       information type contract: C moderate, I moderate, A low" \
	"acquisition: contract {moderate, moderate, low} + administrative {low, low, low}"

done_testing
