#!/bin/bash
# completion.sh: the bash completion script (data/bash-completion/
# highwater) sourced in bash and its function called as bash calls it,
# COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set for a line with
# the cursor at its end: commands, a group's subcommands, a command's
# options and their fixed values, asset ids by prefix, change ids and
# user names from a real database (the one --db or HIGHWATER_DB names on the line),
# ids holding a colon, and the time it takes on 100,000 assets; then
# asset list --ids / --prefix and change list --ids themselves.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# shellcheck source=../../data/bash-completion/highwater
. "$HW_SRCDIR/data/bash-completion/highwater"
PATH=$(dirname "$HIGHWATER"):$PATH

# complete LINE: call the completion as bash does for "highwater LINE"
# (LINE may end in a blank: a new word); GOT gets the replies, sorted,
# one a line.
complete_line() {
	COMP_LINE="highwater $1"
	COMP_POINT=${#COMP_LINE}
	read -ra COMP_WORDS <<<"$COMP_LINE"
	case $COMP_LINE in
	*" ") COMP_WORDS+=("") ;;
	esac
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_highwater highwater "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	GOT=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
	[ ${#COMPREPLY[@]} -gt 0 ] || GOT=""
}

# expect_complete LINE WANT DESC: the replies are exactly WANT's words.
expect_complete() {
	complete_line "$1"
	# shellcheck disable=SC2086 # WANT: words
	expect_eq "$GOT" "$(printf '%s\n' $2 | sort)" "$3"
}

expect_eq "$(complete -p highwater)" "complete -F _highwater highwater" \
	"the script registers _highwater for highwater"

# --- commands, subcommands, options --------------------------------
complete_line ""
want=$("$HIGHWATER" help |
	sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p' |
	sort -u)
expect_eq "$GOT" "$want" "an empty line: every command's first word, once"
expect_eq "$(grep -c . <<<"$GOT")" 25 "25 commands and groups"
expect_complete "i" "impact import incident infotype init" \
	"commands by prefix"
expect_complete "as" "asset" "one command"
expect_complete "asset " "add authorize list rm set show" \
	"a group's subcommands"
expect_complete "change " \
	"new edit assess decide implement close cancel revert list show" \
	"change's subcommands"
expect_complete "change s" "show" "a subcommand by prefix"
expect_complete "--json --db x.db report " "plan change inventory" \
	"subcommands after the global options"
expect_complete "--" "--db --json --actor --quiet --allow-shared --help --version" \
	"global options"
expect_complete "asset list --" \
	"--db --help --ids --json --level --limit --no-owner --offset --owner --partial
	 --prefix --search --type --uncategorized" \
	"asset list's options, as its --help shows them"
expect_complete "doctor --" "--db --full --help --json --repair --yes" \
	"doctor's options, as its --help shows them"
expect_complete "asset list --le" "--level" "an option by prefix"
expect_complete "report inventory --mode " "600 604 640 644" \
	"--mode: the modes a report may have"
expect_complete "asset list --level " "low moderate high" "levels for --level"
expect_complete "asset add x --c " "low moderate high" "levels for --c"
expect_complete "impact --direction " "up down both" \
	"the values the usage gives (--direction up|down|both)"
expect_complete "impact --direction=d" "down" "--OPTION=VALUE"
expect_complete "check --fail-on h" "high" "--fail-on's values"
complete_line "export --format "
expect_eq "$(grep -cx json <<<"$GOT")" 1 "export --format offers json"
expect_eq "$(grep -cx csv <<<"$GOT")" 1 "export --format offers csv"
expect_complete "import --format " "json oscal" "import --format: json or oscal"
expect_eq "$(grep -cx oscal <<<"$GOT")" 1 "... and oscal"
complete_line "export --"
expect_eq "$(grep -cxE -- '--(system|depth|include-components)' <<<"$GOT")" 3 \
	"export's options: --system, --depth, --include-components"
expect_complete "import --ki" "--kind" "import's --kind"
expect_complete "import --col" "--columns" "import's --columns"
expect_complete "import --kind a" "assets assignments" "--kind's tables"
expect_complete "help change s" "show" "help COMMAND: a subcommand"
expect_complete "help inc" "incident" "help COMMAND: a command"

# --- asset and change ids from the database ------------------------
demo_db
expect_complete "asset show scada-h" \
	"scada-historian-db scada-hmi-01 scada-hmi-02" "asset ids by prefix"
expect_complete "asset rm --force scada-hm" "scada-hmi-01 scada-hmi-02" \
	"after an option without a value"
expect_complete "dep add scada-hmi-01 scada-app" \
	"scada-app-vm-01 scada-app-vm-02" "dep add's second asset"
expect_complete "dep add scada-hmi-01 scada-app-vm-01 " "" \
	"nothing for a third"
expect_complete "impact --depth 2 scada-hmi-01 scada-hmi-0" \
	"scada-hmi-01 scada-hmi-02" "impact: every argument an asset"
expect_complete "categorize scada-hmi-01 scada-hmi-0" \
	"scada-hmi-01 scada-hmi-02" "categorize: every argument an asset"
expect_complete "change list --asset scada-hmi-0" \
	"scada-hmi-01 scada-hmi-02" "--asset ID"
expect_complete "import --format oscal x.json --asset scada-hmi-0" \
	"scada-hmi-01 scada-hmi-02" "import --asset ID: the asset an SSP's types go to"
expect_complete "export --format oscal --system cis-b" \
	"cis-billing cis-billing-db" "--system ASSET"
expect_complete "asset show zzz" "" "no asset with the prefix"
expect_complete "asset add scada-h" "" "asset add: a new id, none offered"

hw_setup change new --title "Replace the HMI" --target scada-hmi-01
hw_setup change new --title "Second" --target scada-hmi-02
expect_complete "change show " "CHG-0001 CHG-0002" "change show: change ids"
expect_complete "change show CHG-0002" "CHG-0002" "a change id by prefix"
expect_complete "change assess C" "CHG-0001 CHG-0002" "change assess"
expect_complete "change decide CHG-0001 " "approve reject" \
	"change decide: the decision"
expect_complete "report change --change CHG" "CHG-0001 CHG-0002" \
	"report change --change"

hw_setup --quiet user add j.okafor --role owner --owns billing
hw_setup --quiet user add ana@example.org --role cab
expect_complete "user " "add list rm token" "user's subcommands"
expect_complete "user rm " "ana@example.org j.okafor" "user rm: user names"
expect_complete "user token j" "j.okafor" "user token: a name by prefix"
expect_complete "user add --r" "--role" "user add: its options"
expect_complete "user add j " "" "user add: a new name, none offered"

# Another database, named on the line three ways; ids with a colon.
other=$TMP/other.db
"$HIGHWATER" --db "$other" --quiet init
"$HIGHWATER" --db "$other" --quiet asset add ns:web-1 --name W --type application
"$HIGHWATER" --db "$other" --quiet asset add ns:web-2 --name W --type application
"$HIGHWATER" --db "$other" --quiet asset add scada-other --name O --type application
expect_complete "--db $other asset show scada-" "scada-other" \
	"--db PATH before the command"
expect_complete "asset show --db=$other scada-" "scada-other" \
	"--db=PATH after the command"
complete_line "asset show scada-"
HIGHWATER_DB=$other complete_line "asset show scada-"
expect_eq "$GOT" "scada-other" "\$HIGHWATER_DB"
COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
expect_complete "--db $other asset show ns:" "web-1 web-2" \
	"an id with a colon: the part after it, as bash split the word"
expect_complete "--db $other change show " "" "no changes there"
HOME=$TMP expect_complete "--db ~/other.db asset show scada-" "scada-other" \
	"--db ~/PATH"
: >"$TMP/files-a.db"
expect_complete "--db $TMP/files-" "$TMP/files-a.db" "--db PATH: files"
expect_complete "backup $TMP/files-" "$TMP/files-a.db" "backup FILE: files"
expect_complete "copy --to $TMP/files-" "$TMP/files-a.db" "copy --to TARGET: files"
expect_complete "copy --from $TMP/files-" "$TMP/files-a.db" "copy --from SOURCE: files"
expect_complete "--db $TMP/missing.db asset show " "" \
	"a database that does not exist: nothing, silently"
ok_if "and it is not created" test ! -e "$TMP/missing.db"

# The assignment before the program: COMP_LINE starts with it.
COMP_LINE="HIGHWATER_DB=$other highwater asset show scada-"
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
COMP_CWORD=4
COMPREPLY=()
_highwater highwater scada- show
expect_eq "${COMPREPLY[*]}" "scada-other" "HIGHWATER_DB=PATH on the line"

# --- the listings completion uses -----------------------------------
hw --db "$other" asset list --ids
expect_out_eq $'ns:web-1\nns:web-2\nscada-other' "asset list --ids"
hw --db "$other" asset list --ids --prefix ns:
expect_out_eq $'ns:web-1\nns:web-2' "asset list --ids --prefix"
hw asset list --ids --prefix scada-hmi --owner nobody@example
expect_out_eq "" "--ids with other filters"
hw asset list --prefix scada-hmi
expect_out_has "2 assets" "--prefix alone filters the table"
hw change list --ids
expect_out_eq $'CHG-0001\nCHG-0002' "change list --ids"
hw --json change list --ids
expect_rc 2 "--ids with --json: a usage error"

# --- 100,000 assets --------------------------------------------------
big=$TMP/big.db
"$PYTHON" -c '
import json
print(json.dumps({"format": "highwater-inventory", "version": 1}))
for i in range(100000):
    print(json.dumps({"asset": {"id": "vm-%07d" % i, "name": "vm %d" % i,
                                "type": "virtual_machine"}}))
' >"$TMP/big.jsonl"
"$HIGHWATER" --db "$big" --quiet init
"$HIGHWATER" --db "$big" --quiet import "$TMP/big.jsonl"
# timed PREFIX: call the completion for "asset show PREFIX" on the big
# database; MS gets the milliseconds it took, GOT the replies.
timed() {
	local start end
	COMP_LINE="highwater --db $big asset show $1"
	COMP_POINT=${#COMP_LINE}
	read -ra COMP_WORDS <<<"$COMP_LINE"
	COMP_CWORD=5
	start=$EPOCHREALTIME
	_highwater highwater "$1" show
	end=$EPOCHREALTIME
	MS=$(((${end/./} - ${start/./}) / 1000))
	GOT=$(printf '%s\n' "${COMPREPLY[@]}")
}
timed vm-00123
# How long it took is a figure for bench/, not a test: said, not asserted.
expect_eq "$(grep -c . <<<"$GOT")" 100 "100,000 assets: the 100 with a prefix"
diag "completing a prefix of 100,000 ids took ${MS:-?} ms"
timed ""
expect_eq "$(grep -c . <<<"$GOT")" 100000 "all 100,000 ids"
diag "completing all 100,000 ids took ${MS:-?} ms"

done_testing
