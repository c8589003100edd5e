#!/bin/bash
# dep.sh: dep add/rm/list with types and carried objectives, exact list
# output, cycles, and every bad input refused without changing anything.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init
hw_setup --quiet asset add app --name "Payroll app" --type application
hw_setup --quiet asset add db --name "Payroll DB" --type database
hw_setup --quiet asset add srv --name "Server 1" --type server
hw_setup --quiet asset add idp --name "Identity provider" --type cloud_service

# --- add ----------------------------------------------------------------------
hw dep add app srv
expect_eq "$RC:$OUT" "0:'app' now depends on 'srv' (other, carries cia)" \
	"dep add: default type other, carries cia"
hw dep add app db --type stores_data_in --carries ci
expect_out_eq "'app' now depends on 'db' (stores_data_in, carries ci)" "dep add --type --carries"
hw dep add db srv --type runs_on --carries A
expect_out_eq "'db' now depends on 'srv' (runs_on, carries a)" "carries letters in any case"
hw dep add app idp --type authenticates_via --carries ic
expect_out_eq "'app' now depends on 'idp' (authenticates_via, carries ci)" \
	"carries is written in c, i, a order"

hw dep list
expect_out_eq "FROM      TO   TYPE               CARRIES
app   ->  db   stores_data_in     ci
app   ->  idp  authenticates_via  ci
app   ->  srv  other              cia
db    ->  srv  runs_on            a
4 dependencies" "dep list: exact table"

hw dep list srv
expect_out_eq "FROM      TO   TYPE     CARRIES
app   ->  srv  other    cia
db    ->  srv  runs_on  a
2 dependencies" "dep list ASSET: the dependencies touching it (as TO)"

hw --json dep list db
expect_json 'd' \
	'{"dependencies":[{"carries":"ci","from":"app","to":"db","type":"stores_data_in"},{"carries":"a","from":"db","to":"srv","type":"runs_on"}]}' \
	"dep list --json ASSET: both directions"

hw --json asset show app
expect_json '[x["asset"] for x in d["depends_on"]]' '["db","idp","srv"]' \
	"asset show lists what app depends on"

hw dep add app srv --replace --type runs_on --carries ia
expect_out_eq "'app' now depends on 'srv' (runs_on, carries ia)" "dep add --replace updates type and carries"
hw_setup dep add app idp --replace --carries c
hw --json dep list idp
expect_json '[(x["type"], x["carries"]) for x in d["dependencies"]]' '[["authenticates_via","c"]]' \
	"dep add --replace --carries alone keeps the type"

hw dep add srv app --type connects_to
expect_eq "$RC:$OUT" "0:'srv' now depends on 'app' (connects_to, carries cia)" \
	"a cycle (srv -> app -> srv) is legal"

# --- rm --------------------------------------------------------------------------
hw dep rm srv app
expect_eq "$RC:$OUT" "0:'srv' no longer depends on 'app'" "dep rm"
hw --json dep list srv
expect_json '[(x["from"], x["to"]) for x in d["dependencies"]]' '[["app","srv"],["db","srv"]]' \
	"the removed dependency is gone, the others stay"

# --- bad input: exit 1, one line, nothing changed -------------------------------
refuse "dep add with an unknown FROM" "unknown asset 'nope'" -- dep add nope srv
refuse "dep add with an unknown TO" "unknown asset 'nope'" -- dep add app nope
refuse "self-dependency" "'app' cannot depend on itself" -- dep add app app
refuse "unknown dependency type" '"hosts"' 'runs_on, uses, stores_data_in' -- \
	dep add srv db --type hosts
refuse "bad carries 'cix'" '"cix"' 'expected letters from "cia"' -- \
	dep add srv db --carries cix
refuse "carries with a letter twice" '"cc"' -- dep add srv db --carries cc
refuse "duplicate dependency" "'app' already depends on 'db'" -- dep add app db
refuse "dep rm of a dependency that does not exist" "'srv' does not depend on 'db'" -- \
	dep rm srv db
refuse "dep rm with an unknown asset" "unknown asset 'nope'" -- dep rm nope db
refuse "dep list of an unknown asset" "unknown asset 'nope'" -- dep list nope

hw dep add app
expect_rc 2 "dep add without TO is a usage error"

done_testing
