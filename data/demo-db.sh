#!/bin/sh
# demo-db.sh HIGHWATER DB: build the demo database the README's tour
# uses (make demo and tests/cli/readme.sh both run it): the Riverton
# Water Authority's inventory, its history (a few months of changes and
# incidents), the configuration the CAB approved on 2026-10-01, a little
# drift since, and a change waiting for the CAB, assessed as of the
# tour's day (2026-11-21), so that every figure the tour prints stays
# true whenever it runs.  HIGHWATER_DATADIR must name this folder.
set -eu
hw=$1
db=$2
data=$(dirname "$0")
rm -f "$db" "$db-wal" "$db-shm"
"$hw" --db "$db" --actor it-admin --quiet init --name 'Riverton Water Authority'
"$hw" --db "$db" --actor it-admin --quiet import "$data/demo-inventory.json"
"$hw" --db "$db" --actor it-admin --quiet import "$data/demo-history.json"
"$hw" --db "$db" --actor cab-chair --quiet baseline save cab-approved-2026-10 \
	--at 2026-10-01
# Drift since the approval: a CI nobody authorized on the OT network, a
# patch, an ownership fix.
"$hw" --db "$db" --actor t.brandt --quiet asset add vendor-modem-01 \
	--name 'Vendor remote-support modem' --type network_device \
	--owner ot-eng@rivertonwater.example
"$hw" --db "$db" --actor t.brandt --quiet dep add vendor-modem-01 \
	ot-plant-sw-01 --type connects_to
"$hw" --db "$db" --actor p.nguyen --quiet asset set historian-vm-01 \
	last_patched=2026-11-15
"$hw" --db "$db" --actor m.okafor --quiet asset set ntp-srv-01 \
	owner=network@rivertonwater.example
# The change before the CAB: the OT historian's database backed up to
# the IT backup repository.
"$hw" --db "$db" --actor p.nguyen --quiet change new \
	--title 'Back up the SCADA historian to the IT backup repository' \
	--target backup-repo-01 --planned 2026-11-28T22:00Z \
	--add-dep scada-historian-db,backup-repo-01,stores_data_in
"$hw" --db "$db" --actor p.nguyen --quiet change assess CHG-0013 \
	--at 2026-11-21T09:00Z
