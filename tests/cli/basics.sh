#!/bin/bash
# basics.sh: help, --version, usage errors, init and finding the database.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

commands=("init" "asset add" "asset set" "asset rm" "asset show"
	"asset list" "infotype list" "infotype add" "infotype assign"
	"dep add" "dep rm" "dep list" "categorize" "import" "export" "help")

# --- help and version ----------------------------------------------
hw help
expect_rc 0 "help exits 0"
missing=
for c in "${commands[@]}"; do
	grep -Eq "^  $c +[A-Z]" "$OUT_FILE" || missing+="'$c' "
done
expect_eq "$missing" "" "help lists every command with its summary"

hw --version
expect_rc 0 "--version exits 0"
ok_if "--version prints 'highwater X.Y.Z (schema N)'" \
	grep -Eqx 'highwater [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+\)' "$OUT_FILE"

bad=
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086 # split "asset add" into two words
	hw $c --help
	first=$(head -n 1 "$OUT_FILE")
	if [ "$RC" != 0 ] || [[ $first != "usage: highwater $c"* ]] ||
		[ -n "$ERR" ]; then
		bad+="'$c' (exit $RC, first line: $first) "
	fi
done
expect_eq "$bad" "" "every command's --help exits 0 and prints 'usage: highwater <cmd>'"

hw asset add --help
add_help=$OUT
hw help asset add
expect_out_eq "$add_help" "'help asset add' prints the same as 'asset add --help'"

# --- help for a command group and the width of every help text -----
for g in asset infotype dep report; do
	hw $g --help
	if [ "$RC" = 0 ] && [ -z "$ERR" ] &&
		[ "$(head -n 1 "$OUT_FILE")" = "usage: highwater $g SUBCOMMAND [ARGS]" ]; then
		_r=1
	else
		_r=0
	fi
	ok_if "'$g --help' prints the group's help on stdout and exits 0" test $_r = 1
	group_help=$OUT
	hw help $g
	expect_out_eq "$group_help" "'help $g' prints the same as '$g --help'"
done
hw asset --help
missing=
for c in "asset add" "asset set" "asset rm" "asset show" "asset list"; do
	grep -Eq "^  $c +[A-Z]" "$OUT_FILE" || missing+="'$c' "
done
expect_eq "$missing" "" "'asset --help' lists every asset subcommand with its summary"
hw report -h
expect_out_has "  report change " "'report -h' lists report change"
hw asset
expect_rc 2 "a group without its subcommand is still a usage error"
expect_err_has "  asset add " "... and the usage lists the subcommands"
hw asset frob
expect_rc 2 "an unknown subcommand exits 2"
expect_err_has "asset: unknown subcommand 'frob'" "the unknown subcommand is named"

hw asset set --help
missing=
for f in name type owner description confidentiality integrity \
	availability internet_facing vulnerabilities worst_cvss last_patched \
	end_of_life authorized implemented_baseline downtime_cost; do
	grep -Eq "^  $f=" "$OUT_FILE" || missing+="$f "
done
expect_eq "$missing" "" "'asset set --help' lists every field, the risk factors included"

wide=
hw help
awk -v c=help 'length($0) > 80 { print c ": " $0 }' "$OUT_FILE" >"$TMP/wide"
while read -r c; do
	# shellcheck disable=SC2086 # split "asset add" into two words
	hw $c --help
	awk -v c="$c" 'length($0) > 80 { print c ": " $0 }' "$OUT_FILE" >>"$TMP/wide"
done < <(hw help; sed -nE 's/^  ([a-z]+( [a-z]+)?) +[A-Z].*/\1/p' "$OUT_FILE")
for g in asset infotype dep report; do
	hw $g --help
	awk -v c="$g" 'length($0) > 80 { print c ": " $0 }' "$OUT_FILE" >>"$TMP/wide"
done
expect_eq "$(cat "$TMP/wide")" "" "every help text fits 80 columns"

# --- usage errors: exit 2 --------------------------------------------
hw frobnicate
expect_rc 2 "unknown command exits 2"
expect_err_has "unknown command 'frobnicate'" "unknown command is named"

hw --frobnicate asset list
expect_rc 2 "unknown global option exits 2"
expect_err_has "unknown option '--frobnicate'" "unknown global option is named"

hw help frobnicate
expect_rc 2 "help for an unknown command exits 2"

# --- init ------------------------------------------------------------
hw init
expect_rc 0 "init exits 0"
expect_out_eq "created $HIGHWATER_DB (169 SP 800-60 information types loaded)" \
	"init reports the file and the 169 catalogue types"
expect_eq "$(stat -c %a "$HIGHWATER_DB")" 600 "the new database has mode 0600"

# Usage errors in a command (checked with a database present).
hw asset list --frobnicate
expect_rc 2 "unknown command option exits 2"
expect_err_has "asset list: unknown option '--frobnicate'" "unknown command option is named"

hw
expect_rc 2 "no command at all exits 2"

hw asset add --name X --type server
expect_rc 2 "missing asset ID is a usage error (exit 2)"

sum_before=$(db_sum "$HIGHWATER_DB")
hw init
expect_rc 1 "init refuses to overwrite an existing database (exit 1)"
expect_err_one_line "the refusal is one line"
expect_err_has "'$HIGHWATER_DB' already exists" "the refusal names the file"
expect_eq "$(db_sum "$HIGHWATER_DB")" "$sum_before" "the existing database is untouched"

printf 'precious notes\n' >"$TMP/notes.txt"
hw --db "$TMP/notes.txt" init
expect_rc 1 "init refuses to overwrite any existing file"
expect_eq "$(cat "$TMP/notes.txt")" "precious notes" "that file keeps its content"

hw --json --db "$TMP/j.db" init
expect_json 'd' "{\"database\":\"$TMP/j.db\",\"information_types\":169}" \
	"init --json reports the database and the type count"

hw --quiet --db "$TMP/q.db" init
expect_eq "$RC:$OUT" "0:" "init --quiet succeeds silently"

# --- finding the database ---------------------------------------------
hw --db "$TMP/nothing-here.db" asset list
expect_rc 1 "a missing database is an error (exit 1)"
expect_err_one_line "the missing-database error is one line"
expect_err_has "highwater init" "the missing-database error points to 'highwater init'"
ok_if "the missing database is not created" test ! -e "$TMP/nothing-here.db"

hw asset add web --name Web --type application --db "$TMP/other.db"
expect_rc 1 "--db after the command is used (that file does not exist yet)"
hw init --db "$TMP/other.db" --quiet
hw asset add web --name Web --type application --db "$TMP/other.db"
expect_out_eq "added asset 'web'" "--db after the command works for writes"

HIGHWATER_DB=$TMP/other.db hw asset list --quiet
expect_out_has "web  application" "\$HIGHWATER_DB is respected"

hw --db "$TMP/test.db" asset list --quiet
HIGHWATER_DB=$TMP/other.db hw --db "$TMP/test.db" asset list --quiet
expect_out_eq "ID  TYPE  C  I  A  OVERALL  OWNER  NAME" "--db overrides \$HIGHWATER_DB"

saved_db=$HIGHWATER_DB
unset HIGHWATER_DB
hw --quiet init
export HIGHWATER_DB=$saved_db
ok_if "without --db or \$HIGHWATER_DB the database is ./highwater.db" \
	test -f "$TMP/highwater.db"

hw --actor someone-else asset list
expect_rc 0 "--actor NAME is accepted"

done_testing
