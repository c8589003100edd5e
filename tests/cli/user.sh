#!/bin/bash
# user.sh: "highwater user add|list|rm|token": the service's users, their
# roles and owner values; tokens printed once and never stored in clear
# (the database's dump holds neither the token nor its random part);
# refusals that change nothing; the audit records of user writes (the
# actor, name, roles and owner values, never a token or hash) and the
# chain still verified; an older database upgraded to hold users.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

hw_setup --quiet init

TOKEN_RE='^hw_[A-Za-z0-9_-]{43}$'
SHOWN="the token of user 'alice', shown only once (only its hash is kept):"

# The whole database as SQL text, to show a refused command wrote nothing.
dump() {
	db_sql "$HIGHWATER_DB" .dump
}

# expect_absent DESC TEXT: the database's dump holds no TEXT.
expect_absent() {
	expect_eq "$(dump | grep -c -F -e "$2")" 0 "$1"
}

# refuse_same STATUS DESC MESSAGE -- ARGS: exits STATUS with MESSAGE as
# stderr's first line, and the database's dump is unchanged.
refuse_same() {
	local want=$1 desc=$2 msg=$3 before
	shift 4
	before=$(dump)
	hw "$@"
	expect_rc "$want" "$desc: exit $want"
	expect_eq "$(head -n 1 "$ERR_FILE")" "$msg" "$desc: the message"
	expect_eq "$(dump)" "$before" "$desc: the database unchanged"
}

# --- none yet --------------------------------------------------------
hw user list
expect_rc 0 "user list on a new database exits 0"
expect_out_eq "no users" "... and says there are none"
hw --json user list
expect_out_eq '{
  "users": []
}' "user list --json: an empty array"

# --- add -------------------------------------------------------------
hw user add alice --role owner,cab --owns dba@example.org,ops
expect_rc 0 "user add exits 0"
expect_eq "$(sed -n 1p "$OUT_FILE")" "$SHOWN" \
	"user add: a line says the token is shown only once"
ALICE=$(sed -n 2p "$OUT_FILE")
ok_if "user add: the token alone on the next line, hw_ and 43 base64url" \
	grep -Eq "$TOKEN_RE" <<<"$ALICE"
expect_eq "$(wc -l <"$OUT_FILE")" 2 "user add: two lines, nothing else"
expect_absent "the token is not in the database" "$ALICE"
expect_absent "nor its random part" "${ALICE#hw_}"

hw --json user add bob --role admin
expect_rc 0 "user add --json exits 0"
expect_json 'sorted(d)' '["name","owns","roles","token"]' \
	"user add --json: name, owns, roles, token"
expect_json '[d["name"], d["roles"], d["owns"]]' '["bob",["admin"],[]]' \
	"user add --json: the user as added"
BOB=$(json_val 'd["token"]' | tr -d '"')
ok_if "user add --json: the token's form" grep -Eq "$TOKEN_RE" <<<"$BOB"
expect_absent "bob's token is not in the database" "${BOB#hw_}"

hw --quiet user add carol.c@example.org --role manager,cab
expect_rc 0 "user add --quiet exits 0"
ok_if "user add --quiet: the token alone" grep -Eq "$TOKEN_RE" "$OUT_FILE"
expect_eq "$(wc -l <"$OUT_FILE")" 1 "user add --quiet: one line"
CAROL=$OUT

ok_if "three different tokens" test "$ALICE" != "$BOB" -a "$BOB" != "$CAROL" \
	-a "$ALICE" != "$CAROL"
expect_eq "$(db_sql "$HIGHWATER_DB" "SELECT count(*) FROM users WHERE length(token_hash) = 32")" \
	3 "three users, each with a 32-byte hash"

# --- list ------------------------------------------------------------
hw user list
expect_rc 0 "user list exits 0"
expect_eq "$(sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' "$OUT_FILE")" \
	"NAME                 ROLES        OWNS                 CREATED               TOKEN MADE
alice                owner,cab    dba@example.org,ops  TIME  TIME
bob                  admin        -                    TIME  TIME
carol.c@example.org  cab,manager  -                    TIME  TIME" \
	"user list: name, roles, owns, created, token made"
hw --json user list
expect_json '[(u["name"], u["roles"], u["owns"]) for u in d["users"]]' \
	'[["alice",["owner","cab"],["dba@example.org","ops"]],["bob",["admin"],[]],["carol.c@example.org",["cab","manager"],[]]]' \
	"user list --json: users in name order"
expect_json 'sorted(d["users"][0])' '["created","name","owns","roles","token_at"]' \
	"user list --json: no token, no hash"
expect_json 'd["users"][0]["created"] == d["users"][0]["token_at"]' 'true' \
	"user list --json: a new user's token made when it was"
ok_if "user list --json: no token text" \
	sh -c '! grep -q hw_ "$1"' - "$OUT_FILE"

# --- refusals: usage errors (exit 2) ---------------------------------
refuse_same 2 "an owner without --owns" \
	"highwater: user add: an owner needs --owns" -- user add dan --role owner
expect_eq "$(sed -n 2p "$ERR_FILE")" \
	"usage: highwater user add NAME --role ROLE[,ROLE] [--owns OWNER[,OWNER]]" \
	"... then the usage"
refuse_same 2 "owner among other roles without --owns" \
	"highwater: user add: an owner needs --owns" -- user add dan --role cab,owner
refuse_same 2 "no --role" "highwater: user add: missing --role" -- user add dan
refuse_same 2 "an unknown role" \
	'highwater: user add: --role: unknown role "root" (expected owner, cab, manager or admin)' \
	-- user add dan --role root
refuse_same 2 "a role twice" \
	'highwater: user add: --role: role "cab" given twice' \
	-- user add dan --role cab,cab
refuse_same 2 "an empty owner value" \
	"highwater: user add: --owns: empty owner value" \
	-- user add dan --role owner --owns a,,b
refuse_same 2 "no name" "highwater: user add: missing NAME" \
	-- user add --role admin
refuse_same 2 "user rm without a name" "highwater: user rm: missing NAME" -- user rm
refuse_same 2 "user list takes no argument" \
	"highwater: user list: unexpected argument 'bob'" -- user list bob

# --- refusals: failures (exit 1, one line) ---------------------------
refuse_same 1 "a name with a space" \
	'highwater: user add: bad user name "dan d" (expected 1 to 64 of A-Z a-z 0-9 . _ @ -)' \
	-- user add "dan d" --role cab
expect_err_one_line "... in one line"
refuse_same 1 "a name of 65 characters" \
	"highwater: user add: bad user name \"$(printf 'n%.0s' {1..64})\" (expected 1 to 64 of A-Z a-z 0-9 . _ @ -)" \
	-- user add "$(printf 'n%.0s' {1..65})" --role cab
refuse_same 1 "a name taken" "highwater: user add: user 'alice' exists already" \
	-- user add alice --role admin
refuse_same 1 "an owner value twice" \
	"highwater: user add: user 'dan': owner value \"ops\" given twice" \
	-- user add dan --role owner --owns ops,ops
refuse_same 1 "user rm of nobody" "highwater: user rm: no user 'nobody'" \
	-- user rm nobody
refuse_same 1 "user token of nobody" "highwater: user token: no user 'nobody'" \
	-- user token nobody
refuse_same 1 "names are case-sensitive" "highwater: user rm: no user 'Alice'" \
	-- user rm Alice

# --- token: rotate ---------------------------------------------------
sleep 1
hw user token alice
expect_rc 0 "user token exits 0"
expect_eq "$(sed -n 1p "$OUT_FILE")" "$SHOWN" "user token: shown only once"
ALICE2=$(sed -n 2p "$OUT_FILE")
ok_if "user token: a new token" test "$ALICE2" != "$ALICE"
ok_if "user token: its form" grep -Eq "$TOKEN_RE" <<<"$ALICE2"
expect_absent "the new token is not in the database" "${ALICE2#hw_}"
hw --json user list
expect_json 'd["users"][0]["token_at"] > d["users"][0]["created"]' 'true' \
	"user list: the token's time moved on"
hw --json user token bob
expect_json '[sorted(d), d["name"], d["roles"]]' \
	'[["name","owns","roles","token"],"bob",["admin"]]' \
	"user token --json: the user and the token"

# --- rm --------------------------------------------------------------
hw user rm carol.c@example.org
expect_rc 0 "user rm exits 0"
expect_out_eq "removed user 'carol.c@example.org'" "user rm says so"
hw --json user rm bob
expect_out_eq '{
  "removed": "bob"
}' "user rm --json"
hw --json user list
expect_json '[u["name"] for u in d["users"]]' '["alice"]' "only alice is left"
expect_eq "$(db_sql "$HIGHWATER_DB" "SELECT \"user\" || '=' || owner FROM user_owns ORDER BY 1" | paste -sd ' ')" \
	"alice=dba@example.org alice=ops" "the removed users' owner values are gone"

# --- audit -----------------------------------------------------------
hw audit log
expect_eq "$(awk 'NF >= 5 && $5 ~ /^user:/ {print $3, $4, $5}' "$OUT_FILE")" \
	"tester add user:alice
tester add user:bob
tester add user:carol.c@example.org
tester token user:alice
tester token user:bob
tester remove user:carol.c@example.org
tester remove user:bob" \
	"audit log: each user write with the actor, nothing for the refused ones"
hw --json audit log
expect_json '[r["after"] for r in d["records"] if r["object"] == "user:alice"][0]["owns"]' \
	'["dba@example.org","ops"]' "the add record holds the owner values"
expect_json '[sorted(r["after"]) for r in d["records"] if r["object"] == "user:alice"][0]' \
	'["created","name","owns","roles","token_at"]' \
	"... and the name, roles and times, no token or hash"
expect_json '[r["before"]["roles"] for r in d["records"] if r["action"] == "remove" and r["object"] == "user:bob"]' \
	'[["admin"]]' "the remove record holds the user removed"
for t in "$ALICE" "$ALICE2" "$BOB" "$CAROL"; do
	ok_if "the audit trail never holds a token" \
		sh -c '! grep -q -F -e "$2" "$1"' - "$OUT_FILE" "${t#hw_}"
done
if [ "$HW_TEST_ENGINE" = sqlite ]; then
	HASH=$(sqlite3 "$HIGHWATER_DB" "SELECT lower(hex(token_hash)) FROM users WHERE name = 'alice'")
else
	HASH=$(db_sql "$HIGHWATER_DB" "SELECT encode(token_hash, 'hex') FROM users WHERE name = 'alice'")
fi
ok_if "the audit trail never holds a token's hash" \
	sh -c '! grep -q -i -F -e "$2" "$1"' - "$OUT_FILE" "$HASH"
hw audit verify
expect_rc 0 "audit verify passes after user writes"
for t in "$ALICE" "$ALICE2" "$BOB" "$CAROL"; do
	expect_absent "no token anywhere in the database" "${t#hw_}"
done

if on_sqlite "a schema-7 file upgraded"; then
# --- an older database is upgraded to hold users ----------------------
SCHEMA=$("$HIGHWATER" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
OLD=$TMP/v7.db
rm -f "$OLD"
hw_setup --db "$OLD" --quiet init
hw_drop_triggers "$OLD"
sqlite3 "$OLD" "DROP TABLE user_owns; DROP TABLE users; PRAGMA user_version = 7" ||
	echo "Bail out! cannot craft a schema 7 database"
hw --db "$OLD" user list
expect_rc 1 "user list on schema 7: refused (read commands do not write)"
expect_err_has "has schema version 7, this highwater needs $SCHEMA" "... asking for the upgrade"
hw --db "$OLD" upgrade
expect_rc 0 "upgrade from schema 7 exits 0"
expect_out_eq "$OLD is at schema version $SCHEMA" "... to the current schema"
hw --db "$OLD" --quiet user add erin --role owner --owns web
expect_rc 0 "a user is added to the upgraded database"
hw --db "$OLD" --json user list
expect_json '[(u["name"], u["owns"]) for u in d["users"]]' '[["erin",["web"]]]' \
	"... and listed"
hw --db "$OLD" audit verify
expect_rc 0 "... with the upgraded trail verified"

fi

# --- help ------------------------------------------------------------
hw user add --help
expect_rc 0 "user add --help exits 0"
expect_out_has "--owns OWNER[,OWNER]" "user add --help names --owns"

done_testing
