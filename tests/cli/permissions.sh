#!/bin/bash
# permissions.sh: the database's side files (-wal, -shm) are owner-only
# whatever the database's mode, a read-only database read and then made
# writable again can be written, a read command works in a folder it
# may not write, a database others may write is refused unless
# --allow-shared, and a symbolic link to a database is followed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
sqlite_only "the database file's modes and side files"

umask 022

# modes DB: the octal modes of DB, DB-wal and DB-shm ("-" if missing).
modes() {
	local f out=
	for f in "$1" "$1-wal" "$1-shm"; do
		if [ -e "$f" ]; then
			out+="$(stat -c %a "$f") "
		else
			out+="- "
		fi
	done
	printf '%s\n' "${out% }"
}

# --- side files -------------------------------------------------------------
db=$TMP/side.db
hw_setup --db "$db" --quiet init
hw_setup --db "$db" --quiet asset add web --name Web --type application
rm -f "$db-wal" "$db-shm"
chmod 644 "$db"
hw --db "$db" asset list --ids
expect_eq "$RC:$OUT" "0:web" "a 0644 database is read"
expect_eq "$(modes "$db")" "644 600 600" \
	"after a read, -wal and -shm are 0600, not the database's 0644"
rm -f "$db-wal" "$db-shm"
hw --db "$db" --quiet asset add db --name DB --type database
expect_rc 0 "a 0644 database is written"
got=$(modes "$db")
[ "$got" = "644 - -" ] || got=${got/#644 600 600/644 - -}
expect_eq "$got" "644 - -" "after a write, -wal and -shm are 0600 or gone"
chmod 400 "$db"
rm -f "$db-wal" "$db-shm"
hw --db "$db" asset list --ids
expect_eq "$RC:$OUT" "0:db"$'\n'"web" "a 0400 database is read"
expect_eq "$(modes "$db")" "400 600 600" \
	"after reading a 0400 database, -wal and -shm are 0600, not 0400"
chmod 600 "$db"
chmod 400 "$db-shm" "$db-wal"
hw --db "$db" asset list --ids
expect_eq "$RC:$(modes "$db")" "0:600 600 600" \
	"0400 side files left by an older highwater are made 0600 on open"

# --- as a user who is not root (root ignores permissions) -------------------
# AS: the command prefix that runs as such a user; empty when we are one.
AS=()
as_reason=
if [ "$(id -u)" = 0 ]; then
	if setpriv --reuid=nobody --regid="$(id -g nobody 2>/dev/null)" \
		--clear-groups true 2>/dev/null; then
		AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
		chmod 711 "$TMP" # nobody passes through to its own folder
	else
		as_reason="running as root without setpriv or a user 'nobody'"
	fi
fi

# hw_as ARGS...: hw, run as that user.
hw_as() {
	"${AS[@]}" "$HIGHWATER" "$@" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}

if [ -n "$as_reason" ]; then
	for d in "a 0400 database read, then chmod 600, is written" \
		"a read in a folder it may not write" \
		"the read leaves nothing in that folder"; do
		skip "$d" "$as_reason"
	done
else
	u=$TMP/user
	mkdir "$u"
	[ ${#AS[@]} -eq 0 ] || chown nobody "$u"
	hw_as --db "$u/ro.db" --quiet init
	hw_as --db "$u/ro.db" --quiet asset add web --name Web --type application
	rm -f "$u/ro.db-wal" "$u/ro.db-shm"
	"${AS[@]}" chmod 400 "$u/ro.db"
	hw_as --db "$u/ro.db" asset list --ids
	ok=$RC:$OUT
	"${AS[@]}" chmod 600 "$u/ro.db"
	hw_as --db "$u/ro.db" --quiet asset add db --name DB --type database
	expect_eq "$ok/$RC:$ERR" "0:web/0:" \
		"a 0400 database read, then chmod 600, is written"

	rm -f "$u/ro.db-wal" "$u/ro.db-shm"
	chmod 555 "$u"
	hw_as --db "$u/ro.db" asset list --ids
	expect_eq "$RC:$OUT:$ERR" "0:db"$'\n'"web:" \
		"a read in a folder it may not write"
	expect_eq "$(modes "$u/ro.db")" "600 - -" \
		"the read leaves nothing in that folder"
	chmod 755 "$u"
fi

# --- shared databases ---------------------------------------------------------
db=$TMP/shared.db
hw_setup --db "$db" --quiet init
hw_setup --db "$db" --quiet asset add web --name Web --type application
chmod 666 "$db"
hw --db "$db" asset list
expect_eq "$RC:$OUT" "1:" "a world-writable database is refused"
expect_err_eq "highwater: asset list: '$db' is writable by others (mode 0666): chmod 600 '$db', or --allow-shared if that is meant" \
	"its one line says why and what to do"
hw --db "$db" asset add db --name DB --type database
expect_eq "$RC:$ERR" "1:highwater: asset add: '$db' is writable by others (mode 0666): chmod 600 '$db', or --allow-shared if that is meant" \
	"a write to it is refused the same"
hw --allow-shared --db "$db" asset list --ids
expect_eq "$RC:$OUT" "0:web" \
	"--allow-shared before the command: used (and the write left nothing)"
hw --db "$db" asset list --ids --allow-shared
expect_eq "$RC:$OUT" "0:web" "--allow-shared after the command: used"
chmod 620 "$db"
hw --db "$db" export
expect_eq "$RC:$ERR" "1:highwater: export: '$db' is writable by its group (mode 0620): chmod 600 '$db', or --allow-shared if that is meant" \
	"a group-writable database is refused"
expect_err_one_line "in one line"
hw --db "$db" --allow-shared --quiet asset add db --name DB --type database
expect_rc 0 "--allow-shared: a write is made"
chmod 600 "$db"
hw --db "$db" asset list --ids
expect_eq "$RC:$OUT" "0:db"$'\n'"web" "chmod 600: used without it"
chmod 606 "$db"
# Refused before it listens (timeout: should it ever listen).
timeout 20 "$HIGHWATER" --db "$db" serve --listen 127.0.0.1:1 \
	>"$OUT_FILE" 2>"$ERR_FILE" </dev/null
RC=$?
ERR=$(cat "$ERR_FILE")
expect_eq "$RC:$ERR" "1:highwater: serve: '$db' is writable by others (mode 0606): chmod 600 '$db', or --allow-shared if that is meant" \
	"serve refuses it too"
chmod 600 "$db"

# --- a symbolic link ----------------------------------------------------------
mkdir "$TMP/real" "$TMP/links"
hw_setup --db "$TMP/real/inv.db" --quiet init
ln -s ../real/inv.db "$TMP/links/inv.db"
hw --db "$TMP/links/inv.db" --quiet asset add web --name Web --type application
expect_eq "$RC:$ERR" "0:" "a write through a symbolic link"
hw --db "$TMP/links/inv.db" asset list --ids
expect_eq "$RC:$OUT:$ERR" "0:web:" "a read through a symbolic link"
expect_eq "$(cd "$TMP/links" && echo *)" "inv.db" \
	"its side files are beside the database, not the link"
ln -s missing.db "$TMP/links/dangling.db"
hw --db "$TMP/links/dangling.db" asset list
expect_eq "$RC:$ERR" "1:highwater: asset list: database '$TMP/links/dangling.db' does not exist (hint: highwater init)" \
	"a dangling link: the database does not exist"

done_testing
