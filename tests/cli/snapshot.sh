#!/bin/bash
# snapshot.sh: the graph snapshot beside the database (DB-graph, issue 17)
# as real processes on real files.  The read commands that take the whole
# graph from it (categorize, impact, risk, plan, check) must answer byte
# for byte as with HIGHWATER_GRAPH_SNAPSHOT=off, whatever was done to the
# database or to the file, and HIGHWATER_GRAPH_SNAPSHOT=trace must say
# where the graph came from:
#   1. seeded random writes (asset add, asset set, dep add, dep rm, a
#      risk factor, import, a change implemented, a refused write), each
#      followed by random reads: the first whole-graph read after a write
#      rebuilds the snapshot, the next maps it (HW_SNAP_ROUNDS rounds,
#      default 40; HW_SNAP_SEED to replay a seed);
#   2. the database changed behind highwater's back (python3's sqlite3),
#      the stamp's parts one at a time, and a restored copy written to
#      the same generation count with another write;
#   3. damaged snapshots: truncated, bytes flipped, random, empty, from
#      another database, group or world readable, someone else's, a
#      symbolic link, a directory, a FIFO; and crafted ones, values
#      changed with both checksums made right again (a C helper with
#      libxxhash), which no read may crash on;
#   4. readers racing to rebuild it (and racing writers);
#   5. a folder it may not write (as user nobody);
#   6. HIGHWATER_GRAPH_SNAPSHOT=off, writes and small closures never make
#      or touch it.
# The big inventory is bench/gen-inventory.c's at 10000 assets (its
# least), so that the upward closure of core-0000000 passes the 5000
# assets past which impact takes the whole graph.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
sqlite_only "the snapshot beside a SQLite file, edited with sqlite3 (postgres.sh tests the server's)"

unset HIGHWATER_GRAPH_SNAPSHOT
# A sanitizer build runs several times slower, and a wrapper (make
# check-valgrind's) far slower: fewer rounds, longer timeouts.
TMO=60
ROUNDS=40
if [ "$(head -c 4 "$HIGHWATER" | tr -d '\177')" != ELF ]; then
	TMO=1200 ROUNDS=2
elif [ -n "${HW_SANITIZED:-}" ]; then
	TMO=300 ROUNDS=10
fi
ROUNDS=${HW_SNAP_ROUNDS:-$ROUNDS}
SEED=${HW_SNAP_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED
diag "seed $SEED (HW_SNAP_SEED=$SEED replays it), $ROUNDS rounds"
# Every risk and plan is scored as of one day: a run across midnight
# (UTC) must not tell two answers apart.
ASOF=$(date -u +%F)
ME=$(id -u)

# ------------------------------------------------------------------
# Helpers

_t0=$(date +%s%N)
_tcase=$_t0
# timing NAME: a "#" line with the time since the last one.
timing() {
	local now
	now=$(date +%s%N)
	diag "$(printf '%s: %d.%02d s (total %d.%02d s)' "$1" \
		$(((now - _tcase) / 1000000000)) $(((now - _tcase) / 10000000 % 100)) \
		$(((now - _t0) / 1000000000)) $(((now - _t0) / 10000000 % 100)))"
	_tcase=$now
}

# rnd N: R, a random number in [0, N) from the seeded $RANDOM (never in a
# subshell, which would not advance the parent's sequence).
rnd() {
	R=$(((RANDOM << 15 | RANDOM) % $1))
}

# q DB SQL: one query with the sqlite3 shell (Q_RO=1: the file opened
# immutable, creating nothing beside it, for a folder made read-only).
Q_RO=0
q() {
	if [ "$Q_RO" = 1 ]; then
		sqlite3 "file:$1?immutable=1" "$2"
	else
		sqlite3 "$1" "$2"
	fi
}

gen() {
	q "$1" "SELECT n FROM generation"
}

# The "(N assets, M dependencies)" a trace line ends with, from SQL.
counts() {
	q "$1" "SELECT '(' || (SELECT count(*) FROM asset) || ' assets, ' ||
		(SELECT count(*) FROM dependency) || ' dependencies)'"
}

# AS: the command prefix a run goes through (case 5 sets it to run as
# nobody); empty otherwise.
AS=()

# run DB MODE FILE ARGS...: highwater --db DB ARGS, HIGHWATER_GRAPH_SNAPSHOT
# set to MODE ("default": unset), under a timeout; stdout in FILE, stderr
# in FILE.err; the exit status in RRC.
run() {
	local db=$1 mode=$2 file=$3
	shift 3
	if [ "$mode" = default ]; then
		"${AS[@]}" timeout $TMO "$HIGHWATER" --db "$db" "$@" \
			>"$file" 2>"$file.err" </dev/null
	else
		HIGHWATER_GRAPH_SNAPSHOT=$mode "${AS[@]}" timeout $TMO \
			"$HIGHWATER" --db "$db" "$@" >"$file" 2>"$file.err" </dev/null
	fi
	RRC=$?
}

# The file's identity and state: inode, size, mtime (ns), mode, owner;
# "none" when there is nothing at the path.
state_of() {
	stat -c '%i %s %.9Y %a %u %F' "$1" 2>/dev/null || echo none
}

# leftovers DB: the temporary snapshot files left beside DB.
leftovers() {
	local f out=
	for f in "$1"-graph.*; do
		[ -e "$f" ] || [ -L "$f" ] && out+="${f##*/} "
	done
	printf '%s' "$out"
}

# read_check DESC DB MODE WANT ARGS...: run the read ARGS in MODE, then
# at once with HIGHWATER_GRAPH_SNAPSHOT=off on the same state; one
# assertion that both exit 0 with the same (non-empty) stdout, that off
# says nothing on stderr, and that MODE's stderr is WANT:
#   quiet             nothing (MODE default)
#   mapped            the trace line "graph snapshot mapped"
#   written[:WHY]     "graph loaded, snapshot written: WHY..." (prefix)
#   nowrite[:WHY]     "graph loaded, no snapshot written: WHY..."
#   notmapped         either of the two
#   rebuilt           written, or mapped (a racer wrote it first)
#   closure           "graph closure loaded"
# each trace line ending with the asset and dependency counts of SQL.
# TRACE is MODE's stderr; ANSWER the file with the answer.  EXTRA, when
# set, holds problems found before (reported in the same assertion).
# OFF and COUNTS, when set, are off's answer and the counts already
# known for this state (case 3, where the database never changes).
EXTRA=
OFF=
COUNTS=
read_check() {
	local desc=$1 db=$2 mode=$3 want=$4 problems=$EXTRA why= counts_now
	EXTRA=
	shift 4
	local off=${OFF:-$TMP/answer.off} rc1 lines
	ANSWER=$TMP/answer.$mode
	run "$db" "$mode" "$ANSWER" "$@"
	rc1=$RRC
	mapfile -t lines <"$ANSWER.err" # (no fork: this runs thousands of times)
	TRACE=${lines[*]}
	if [ -z "$OFF" ]; then
		run "$db" off "$off" "$@"
		[ "$RRC" = 0 ] || problems+="exit status $RRC with off"$'\n'
		[ -s "$off.err" ] && problems+="off said: $(cat "$off.err")"$'\n'
	fi
	[ "$rc1" = 0 ] || problems+="exit status $rc1 with the snapshot"$'\n'
	[ -s "$ANSWER" ] || problems+="no answer on stdout"$'\n'
	cmp -s "$ANSWER" "$off" ||
		problems+="the answer differs from off's: $(cmp "$ANSWER" "$off" 2>&1)"$'\n'
	case $want in
	*:*) why=${want#*:} want=${want%%:*} ;;
	esac
	if [ "$want" = quiet ]; then
		[ -z "$TRACE" ] || problems+="stderr is not empty"$'\n'
	else
		# a closure's counts are its own
		if [ "$want" != closure ]; then
			counts_now=${COUNTS:-$(counts "$db")}
			[[ $TRACE == *" $counts_now" ]] ||
				problems+="the trace does not end with $counts_now"$'\n'
		fi
		[ ${#lines[@]} = 1 ] || problems+="stderr is not one line"$'\n'
		local ok=0
		case $want in
		mapped) [[ $TRACE == "highwater: graph snapshot mapped"* ]] && ok=1 ;;
		written) [[ $TRACE == "highwater: graph loaded, snapshot written: $why"* ]] && ok=1 ;;
		nowrite) [[ $TRACE == "highwater: graph loaded, no snapshot written: $why"* ]] && ok=1 ;;
		notmapped) [[ $TRACE == "highwater: graph loaded, "* ]] && ok=1 ;;
		rebuilt) [[ $TRACE == "highwater: graph loaded, snapshot written: "* ||
			$TRACE == "highwater: graph snapshot mapped ("* ]] && ok=1 ;;
		closure) [[ $TRACE == "highwater: graph closure loaded ("* ]] && ok=1 ;;
		esac
		[ $ok = 1 ] || problems+="the trace is not '$want${why:+: $why}'"$'\n'
	fi
	if [ -z "$problems" ]; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag "highwater --db $db $* (HIGHWATER_GRAPH_SNAPSHOT=$mode)"
		diag "${problems%$'\n'}"
		diag_value "stderr" "$TRACE"
	fi
}

# fresh_check DESC DB ARGS...: one assertion that DB-graph is a regular
# file, 0600, ours, no temporary file beside it, and that a read ARGS
# maps it and answers as off does.
fresh_check() {
	local desc=$1 db=$2 st
	shift 2
	st=$(state_of "$db-graph")
	[[ $st == *" 600 $ME regular file" ]] ||
		EXTRA+="$db-graph is not a regular 0600 file of ours: $st"$'\n'
	[ -z "$(leftovers "$db")" ] ||
		EXTRA+="left beside it: $(leftovers "$db")"$'\n'
	read_check "$desc" "$db" trace mapped "$@"
}

# backup_to DB COPY: a consistent copy of DB (highwater backup), no -graph.
backup_to() {
	rm -f "$2" "$2"-*
	"$HIGHWATER" --db "$1" --quiet backup "$2" >/dev/null 2>&1 || {
		echo "Bail out! cannot back $1 up to $2"
		exit 1
	}
}

# ------------------------------------------------------------------
# Fixtures: the demo, and the generated inventory of 10000 assets.

DEMO=$TMP/demo.db
hw_setup --db "$DEMO" --quiet init
hw_setup --db "$DEMO" --quiet import "$HW_SRCDIR/data/demo-inventory.json"

if ! cc -O2 -o "$TMP/gen" "$HW_SRCDIR/bench/gen-inventory.c" 2>"$TMP/cc.err"; then
	echo "Bail out! cannot compile bench/gen-inventory.c: $(cat "$TMP/cc.err")"
	exit 1
fi
"$TMP/gen" 10000 17 >"$TMP/inv.jsonl" || {
	echo "Bail out! gen-inventory failed"
	exit 1
}
BIG=$TMP/big.db
hw_setup --db "$BIG" --quiet init
hw_setup --db "$BIG" --quiet import "$TMP/inv.jsonl"
mapfile -t IDS < <(q "$BIG" "SELECT id FROM asset ORDER BY id")
timing "fixtures (demo; 10000 generated assets imported)"

# The whole graph, not the closure: impact core-0000000 passes the limit.
read_check "big: no snapshot at first: impact core-0000000 loads the whole graph and writes it" \
	"$BIG" trace "written:no snapshot" impact core-0000000 --json
read_check "big: the next impact core-0000000 maps it" \
	"$BIG" trace mapped impact core-0000000 --json
read_check "big: impact svc-0000000 (nothing above it) loads its closure only" \
	"$BIG" trace closure impact svc-0000000 --json

# ------------------------------------------------------------------
# 1. Random writes, each followed by random reads.

READS=("categorize --json" "categorize --summary --json"
	"impact @ID --direction both --json" "impact core-0000000 --json"
	"risk --json --as-of $ASOF" "plan --json --as-of $ASOF" "check --json")
TYPES=(business_service application database server virtual_machine
	network_device storage_device endpoint)
LEVELS=(low moderate high none)
DEPTYPES=(runs_on uses stores_data_in connects_to authenticates_via
	backs_up_to other)
CARRIES=(c i a ci ca ia cia cia)
OBJS=(confidentiality integrity availability)

# pick_read: READ, a random read command (words), an asset for @ID.
pick_read() {
	rnd ${#READS[@]}
	READ=${READS[$R]}
	rnd ${#IDS[@]}
	READ=${READ//@ID/${IDS[$R]}}
}

# A dependency FROM -> TO: 1 if it is stored.
has_dep() {
	q "$BIG" "SELECT count(*) FROM dependency d JOIN asset s ON s.n = d.src
		JOIN asset t ON t.n = d.dst WHERE s.id = '$1' AND t.id = '$2'"
}

# new_pair: A and B, two assets with no dependency from A to B.
new_pair() {
	while :; do
		rnd ${#IDS[@]}
		A=${IDS[$R]}
		rnd ${#IDS[@]}
		B=${IDS[$R]}
		[ "$A" != "$B" ] && [ "$(has_dep "$A" "$B")" = 0 ] && return
	done
}

# old_pair: A and B, a stored dependency.
old_pair() {
	local n
	n=$(q "$BIG" "SELECT count(*) FROM dependency")
	rnd "$n"
	read -r A B < <(q "$BIG" "SELECT s.id || ' ' || t.id FROM dependency d
		JOIN asset s ON s.n = d.src JOIN asset t ON t.n = d.dst
		ORDER BY d.src, d.dst LIMIT 1 OFFSET $R")
}

# wr ARGS...: a write on the big database, trace on (a write never reads
# or writes the snapshot: checked after).
wr() {
	run "$BIG" trace "$TMP/write.out" "$@"
	WRC=$RRC
	WERR+=$(cat "$TMP/write.out.err")
}

# do_write ROUND: one random write; WHAT says what, CHANGES is 1 when it
# must raise the generation, 0 when it must be refused and change nothing.
do_write() {
	local r=$1 f v cur id
	WERR=
	CHANGES=1
	rnd 15
	if [ $R -lt 3 ]; then
		rnd ${#IDS[@]}
		id=${IDS[$R]}
		rnd 3
		f=${OBJS[$R]}
		cur=$(q "$BIG" "SELECT coalesce($f, 'none') FROM asset WHERE id = '$id'")
		while :; do
			rnd 4
			v=${LEVELS[$R]}
			[ "$v" != "$cur" ] && break
		done
		KIND=level WHAT="asset set $id $f=$v (was $cur)"
		wr asset set "$id" "$f=$v"
	elif [ $R -lt 6 ]; then
		new_pair
		rnd ${#DEPTYPES[@]}
		v=${DEPTYPES[$R]}
		rnd ${#CARRIES[@]}
		KIND=dep-add WHAT="dep add $A $B --type $v --carries ${CARRIES[$R]}"
		wr dep add "$A" "$B" --type "$v" --carries "${CARRIES[$R]}"
	elif [ $R -lt 8 ]; then
		old_pair
		KIND=dep-rm WHAT="dep rm $A $B"
		wr dep rm "$A" "$B"
	elif [ $R -lt 10 ]; then
		id=t-$r
		rnd ${#TYPES[@]}
		v=${TYPES[$R]}
		local -a lv=()
		for f in c i a; do
			rnd 4
			[ "${LEVELS[$R]}" = none ] || lv+=("--$f" "${LEVELS[$R]}")
		done
		KIND=asset-add WHAT="asset add $id --type $v ${lv[*]}"
		wr asset add "$id" --name "Test $r" --type "$v" \
			--owner "t$r@example.org" "${lv[@]}"
		IDS+=("$id")
	elif [ $R -lt 11 ]; then
		rnd ${#IDS[@]}
		id=${IDS[$R]}
		rnd 20
		KIND=factor WHAT="asset set $id vulnerabilities=$R worst_cvss=7.5"
		wr asset set "$id" "vulnerabilities=$R" worst_cvss=7.5
	elif [ $R -lt 12 ]; then
		id=imp-$r
		new_pair
		rnd 3
		printf '%s\n' '{"format": "highwater-inventory", "version": 1,' \
			' "assets": [{"id": "'"$id"'", "name": "Imported '"$r"'",' \
			'   "type": "application", "owner": "imp@example.org",' \
			'   "integrity": "'"${LEVELS[$R]}"'"}],' \
			' "dependencies": [' \
			'  {"from": "'"$id"'", "to": "'"$A"'", "type": "runs_on", "carries": "ia"},' \
			'  {"from": "'"$B"'", "to": "'"$id"'", "type": "uses", "carries": "cia"}]}' \
			>"$TMP/small.json"
		KIND=import WHAT="import of $id (runs on $A, used by $B)"
		wr --quiet import "$TMP/small.json"
		IDS+=("$id")
	elif [ $R -lt 13 ]; then
		new_pair
		KIND=change WHAT="change new/assess/decide/implement: dep add $A $B"
		wr change new --title "round $r" --target "$A" \
			--add-dep "$A,$B,uses,cia"
		local chg
		chg=$(head -n 1 "$TMP/write.out")
		[ "$WRC" = 0 ] && wr --json change assess "$chg"
		[ "$WRC" = 0 ] && wr --actor cab --json change decide "$chg" \
			approve --reason "round $r"
		[ "$WRC" = 0 ] && wr --json change implement "$chg"
		WHAT+=" ($chg)"
	else
		old_pair
		CHANGES=0
		KIND=refused WHAT="dep add $A $B, already stored: refused"
		wr dep add "$A" "$B"
	fi
}

read_check "round 0: categorize --json, after the impacts above: mapped" \
	"$BIG" trace mapped categorize --json
kinds=
g1=$(gen "$BIG")
for ((r = 1; r <= ROUNDS; r++)); do
	g0=$g1
	s0=$(state_of "$BIG-graph")
	do_write "$r"
	g1=$(gen "$BIG")
	problems=
	if [ "$CHANGES" = 1 ]; then
		[ "$WRC" = 0 ] || problems+="exit status $WRC"$'\n'
		[ "$g1" -gt "$g0" ] || problems+="generation $g0 -> $g1, not raised"$'\n'
	else
		[ "$WRC" = 1 ] || problems+="exit status $WRC, not 1"$'\n'
		[ "$g1" = "$g0" ] || problems+="generation $g0 -> $g1, changed"$'\n'
	fi
	[[ $WERR == *"highwater: graph"* ]] && problems+="a write traced a graph: $WERR"$'\n'
	[ "$(state_of "$BIG-graph")" = "$s0" ] ||
		problems+="the write touched the snapshot"$'\n'
	if [ -z "$problems" ]; then
		_result 1 "round $r: $WHAT"
	else
		_result 0 "round $r: $WHAT"
		diag "${problems%$'\n'}"
		diag_value "stderr" "$WERR"
	fi
	kinds+="$KIND "
	# the counts for this round's trace lines
	COUNTS=$(counts "$BIG")
	# The first read: traced (its origin checked) or not (quiet).
	pick_read
	rnd 2
	if [ "$CHANGES" = 0 ]; then
		want=mapped
	else
		want="written:graph snapshot stale: made at another state of the inventory"
	fi
	if [ $R = 0 ]; then
		# shellcheck disable=SC2086
		read_check "round $r: $READ: as off, trace: ${want%%:*}" \
			"$BIG" trace "$want" $READ
	else
		# shellcheck disable=SC2086
		read_check "round $r: $READ: as off, nothing on stderr" \
			"$BIG" default quiet $READ
	fi
	pick_read
	# shellcheck disable=SC2086
	read_check "round $r: then $READ: mapped, as off" "$BIG" trace mapped $READ
	COUNTS=
done
diag "writes: $(tr ' ' '\n' <<<"$kinds" | sed '/^$/d' | sort | uniq -c | tr '\n' ' ' | tr -s ' ')"
timing "1. $ROUNDS random rounds"

# ------------------------------------------------------------------
# 2. The database changed behind highwater's back.

# py DB SQL...: run each SQL statement through python3's sqlite3 module
# in one transaction, committed (or rolled back with "ROLLBACK" last).
py() {
	"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for s in sys.argv[2:]:
    if s == "ROLLBACK":
        c.rollback()
    else:
        c.execute(s)
c.commit()
c.close()
' "$@" || {
		echo "Bail out! python3 sqlite3 failed on $1"
		exit 1
	}
}

STALE="graph snapshot stale: made at another state of the inventory"
D2=$TMP/edit.db
backup_to "$DEMO" "$D2"
read_check "edit: a first categorize writes the snapshot" \
	"$D2" trace "written:no snapshot" categorize --json
cp "$ANSWER" "$TMP/before.json"
read_check "edit: and the next maps it" "$D2" trace mapped categorize --json
g0=$(gen "$D2")
py "$D2" "UPDATE asset SET confidentiality = 'high' WHERE id = 'ami-vm-01'"
expect_eq "$(gen "$D2")" "$((g0 + 1))" \
	"edit: python3's UPDATE of an asset's level raised the generation (triggers)"
read_check "edit: a level set in SQL: categorize is not mapped, answers as off" \
	"$D2" trace "written:$STALE" categorize --json
OUT_FILE=$ANSWER expect_json \
	'[a["own"]["confidentiality"] for a in d["assets"] if a["id"] == "ami-vm-01"]' \
	'["high"]' "edit: and the answer has ami-vm-01's own confidentiality high"
ok_if "edit: the answer is not the one before the edit" \
	bash -c "! cmp -s '$ANSWER' '$TMP/before.json'"
read_check "edit: then mapped" "$D2" trace mapped categorize --json

dst=$(q "$D2" "SELECT t.id FROM dependency d JOIN asset s ON s.n = d.src
	JOIN asset t ON t.n = d.dst WHERE s.id = 'ami-headend' ORDER BY t.id LIMIT 1")
read_check "edit: impact ami-headend down, depth 1 (mapped)" \
	"$D2" trace mapped impact ami-headend --direction down --depth 1 --json
OUT_FILE=$ANSWER expect_json "'$dst' in [m['id'] for m in d['members']]" true \
	"edit: ami-headend relies on $dst"
py "$D2" "DELETE FROM dependency WHERE src = (SELECT n FROM asset WHERE id = 'ami-headend')
	AND dst = (SELECT n FROM asset WHERE id = '$dst')"
read_check "edit: a dependency deleted in SQL: impact is not mapped, answers as off" \
	"$D2" trace "written:$STALE" impact ami-headend --direction down --depth 1 --json
OUT_FILE=$ANSWER expect_json "'$dst' in [m['id'] for m in d['members']]" false \
	"edit: and ami-headend no longer relies on $dst there"

py "$D2" "DELETE FROM assignment WHERE asset = (SELECT n FROM asset WHERE id = 'active-directory')"
read_check "edit: assignments deleted in SQL: risk is not mapped, answers as off" \
	"$D2" trace "written:$STALE" risk --json --as-of "$ASOF"
read_check "edit: then check maps it" "$D2" trace mapped check --json

g0=$(gen "$D2")
py "$D2" "UPDATE asset SET integrity = 'low' WHERE id = 'ami-vm-01'" ROLLBACK
expect_eq "$(gen "$D2")" "$g0" "edit: a write rolled back leaves the generation"
read_check "edit: and the snapshot is still used (mapped)" \
	"$D2" trace mapped categorize --json

# The stamp's parts one at a time (the generation table has no trigger).
py "$D2" "UPDATE generation SET n = n + 1"
read_check "stamp: the generation count alone raised: not mapped" \
	"$D2" trace "written:$STALE" categorize --json
py "$D2" "UPDATE generation SET tag = randomblob(8)"
read_check "stamp: the tag alone drawn again: not mapped" \
	"$D2" trace "written:$STALE" categorize --json
py "$D2" "UPDATE generation SET tag = NULL"
read_check "stamp: no tag (as schema 9 left it): not mapped" \
	"$D2" trace "written:$STALE" categorize --json
read_check "stamp: and then mapped" "$D2" trace mapped categorize --json
py "$D2" "UPDATE generation SET tag = randomblob(8)"

# Restore: a copy at generation g, one write W1 (g+1, snapshot made),
# the copy put back, another write W2 (g+1 again, another tag).
backup_to "$D2" "$TMP/copy.db"
g0=$(gen "$D2")
hw_setup --db "$D2" --quiet asset set ami-vm-01 availability=high
g1=$(gen "$D2")
read_check "restore: after W1 (ami-vm-01 availability=high) a read writes the snapshot" \
	"$D2" trace "written:$STALE" categorize --json
cp "$ANSWER" "$TMP/w1.json"
read_check "restore: and maps it" "$D2" trace mapped categorize --json
rm -f "$D2-wal" "$D2-shm"
cp "$TMP/copy.db" "$D2"
expect_eq "$(gen "$D2")" "$g0" "restore: the copy put back is at the generation before W1"
hw_setup --db "$D2" --quiet asset set ami-vm-01 integrity=high
expect_eq "$(gen "$D2")" "$g1" \
	"restore: W2 (ami-vm-01 integrity=high) brings it to W1's count again"
read_check "restore: the snapshot made after W1 is not used (its tag differs)" \
	"$D2" trace "written:$STALE" categorize --json
OUT_FILE=$TMP/w1.json expect_json \
	'[(a["own"]["availability"], a["own"]["integrity"]) for a in d["assets"] if a["id"] == "ami-vm-01"]' \
	'[["high",null]]' "restore: W1's answer had W1"
OUT_FILE=$ANSWER expect_json \
	'[(a["own"]["availability"], a["own"]["integrity"]) for a in d["assets"] if a["id"] == "ami-vm-01"]' \
	'[[null,"high"]]' "restore: this answer has W2 and not W1"
read_check "restore: then mapped" "$D2" trace mapped categorize --json
timing "2. edits behind its back, restore"

# ------------------------------------------------------------------
# 3. Damaged snapshots, on the demo (and a few on the big inventory).

D3=$TMP/damage.db
backup_to "$DEMO" "$D3"
BREADS=("categorize --summary --json" "impact core-0000000 --json"
	"check --json")
DREADS=("categorize --json" "categorize --summary --json"
	"impact ami-vm-01 --direction both --json"
	"risk --json --as-of $ASOF" "plan --json --as-of $ASOF" "check --json")
read_check "damage: the first read writes the snapshot" \
	"$D3" trace "written:no snapshot" categorize --json
cp "$D3-graph" "$TMP/good-graph"
GOOD=$TMP/good-graph
SIZE=$(stat -c %s "$GOOD")
HDR=608 # sizeof (struct snap_header): checked by the reasons below
diag "demo snapshot: $SIZE bytes"
REFUSED="graph snapshot refused:"
_dn=0

# damaged DESC WHY CMD...: with a good current snapshot in place, CMD
# damages it ($F is the path); then a read (one of DREADS in turn) is
# not mapped, says WHY, answers as off; and the file is then a fresh
# one that the next read maps.  A WHY ending with ": left alone" is no
# snapshot at all (no magic, not a file): nothing is written, and it is
# there after the read as it was.
damaged() {
	local desc=$1 why=$2 db=${DB3:-$D3}
	shift 2
	# (a regular file left by the last case is a fresh 0600 one: checked)
	[ -f "$db-graph" ] && [ ! -L "$db-graph" ] || rm -rf "$db-graph"
	cp "$GOOD" "$db-graph"
	F=$db-graph "$@"
	local -a rd reads=("${DREADS[@]}")
	[ "$db" = "$BIG" ] && reads=("${BREADS[@]}")
	local i=$((_dn % ${#reads[@]})) off
	read -r -a rd <<<"${reads[$i]}"
	_dn=$((_dn + 1))
	# the database does not change here: off's answers and the counts
	# are taken once
	off=$TMP/off.${db##*/}.$i
	if [ ! -s "$off" ]; then
		run "$db" off "$off" "${rd[@]}"
		[ "$RRC" = 0 ] && [ ! -s "$off.err" ] || {
			echo "Bail out! off failed: ${rd[*]}: $(cat "$off.err")"
			exit 1
		}
	fi
	[ -n "${DCOUNTS[$db]:-}" ] || DCOUNTS[$db]=$(counts "$db")
	if [[ $why == *": left alone" ]]; then
		local before
		before=$(state_of "$db-graph"; [ -f "$db-graph" ] && cksum <"$db-graph")
		OFF=$off COUNTS=${DCOUNTS[$db]} read_check \
			"damage: $desc: ${rd[0]} not mapped, as off" \
			"$db" trace "nowrite:$why" "${rd[@]}"
		expect_eq "$(state_of "$db-graph"; [ -f "$db-graph" ] && cksum <"$db-graph"):$(leftovers "$db")" \
			"$before:" "damage: $desc: no snapshot, so left as it was"
		rm -rf "$db-graph"
		return
	fi
	OFF=$off COUNTS=${DCOUNTS[$db]} read_check \
		"damage: $desc: ${rd[0]} not mapped, as off" \
		"$db" trace "written:$why" "${rd[@]}"
	OFF=$off COUNTS=${DCOUNTS[$db]} fresh_check \
		"damage: $desc: then a fresh 0600 file, mapped" "$db" "${rd[@]}"
}
declare -A DCOUNTS
chmod_to() { chmod "$1" "$F"; }
chown_to() { chown "$1" "$F"; }

cut_to() { truncate -s "$1" "$F"; }
put() { cat "$1" >"$F"; }
# flips GOOD OFFSET...: GOOD.flip.OFFSET, GOOD with that byte's 0x20 bit
# flipped (one python3 for them all); flip_at OFFSET puts one in place.
flips() {
	"$PYTHON" -c '
import sys
good = open(sys.argv[1], "rb").read()
for at in map(int, sys.argv[2:]):
    b = bytearray(good)
    b[at] ^= 0x20
    open(sys.argv[1] + ".flip." + str(at), "wb").write(b)
' "$@"
}
flip_at() { put "$GOOD.flip.$1"; }

NOSNAP="not a highwater graph snapshot: left alone"
for n in 0 1 7; do
	damaged "cut to $n bytes" "$NOSNAP" cut_to $n
done
for n in 8 $((HDR - 1)); do
	damaged "cut to $n bytes" "$REFUSED shorter than its header" cut_to $n
done
# lengths spread over the file, every 4 KiB, and one byte short
lens=()
for ((i = 0; i < 30; i++)); do
	lens+=($((HDR + (SIZE - HDR) * i / 30)))
done
for ((n = 4096; n < SIZE; n += 4096)); do lens+=($n); done
lens+=($((SIZE - 1)))
# thin NAME: under the sanitizers, every other one of array NAME (the
# first and the last kept): fuzz-snapshot damages the file at random
# there too, and the plain run takes them all.
thin() {
	[ -n "${HW_SANITIZED:-}" ] || return 0
	local -n a=$1
	local k=() i
	for ((i = 0; i < ${#a[@]}; i++)); do
		((i % 2 == 0 || i == ${#a[@]} - 1)) && k+=("${a[i]}")
	done
	a=("${k[@]}")
}
thin lens
for n in "${lens[@]}"; do
	damaged "cut to $n bytes" "$REFUSED its size is not the size it records" cut_to $n
done
damaged "a byte appended" "$REFUSED its size is not the size it records" \
	sh -c 'printf x >>"$F"'
# flips: every byte of the magic and the version, header fields, body
offs=(0 3 7 8 11 12 15)
for ((at = 16; at < HDR; at += 24)); do offs+=($at); done
offs+=($((HDR - 8)) $((HDR - 1)))
for ((i = 0; i < 25; i++)); do
	offs+=($((HDR + (SIZE - HDR) * i / 25 + i % 7)))
done
offs+=($((SIZE - 1)))
thin offs
flips "$GOOD" "${offs[@]}"
for at in "${offs[@]}"; do
	if [ "$at" -lt 8 ]; then
		why=$NOSNAP
	elif [ "$at" -lt 16 ]; then
		why="$REFUSED another version or byte order"
	elif [ "$at" -lt "$HDR" ]; then
		why="$REFUSED its header's checksum does not match"
	else
		why="$REFUSED its checksum does not match"
	fi
	damaged "byte $at flipped" "$why" flip_at "$at"
done
diag "${#lens[@]} lengths, ${#offs[@]} flips"
damaged "random bytes of its size" "$NOSNAP" \
	sh -c 'head -c "$(stat -c %s "$F")" /dev/urandom >"$F.r" && cat "$F.r" >"$F" && rm "$F.r"'
damaged "its first 16 bytes, then random bytes" \
	"$REFUSED its header's checksum does not match" \
	sh -c 'head -c 16 "$F" >"$F.r" && head -c "$(($(stat -c %s "$F") - 16))" /dev/urandom >>"$F.r" && cat "$F.r" >"$F" && rm "$F.r"'
damaged "its header, then zeros" "$REFUSED its checksum does not match" \
	sh -c "head -c $HDR \"\$F\" >\"\$F.r\" && head -c $((SIZE - HDR)) /dev/zero >>\"\$F.r\" && cat \"\$F.r\" >\"\$F\" && rm \"\$F.r\""
damaged "an empty file" "$NOSNAP" sh -c ': >"$F"'

# Another database's snapshot: made by the same init and import.
OTHER=$TMP/other.db
hw_setup --db "$OTHER" --quiet init
hw_setup --db "$OTHER" --quiet import "$HW_SRCDIR/data/demo-inventory.json"
run "$OTHER" default "$TMP/o.out" categorize --json
cp "$OTHER-graph" "$TMP/other-graph"
expect_eq "$(gen "$OTHER")" "$(gen "$D3")" \
	"other: another database, same init and import, same generation count"
damaged "another database's snapshot" "$STALE" put "$TMP/other-graph"
# The same count and tag: only the database's id tells them apart.
py "$OTHER" "UPDATE generation SET n = $(gen "$D3"), tag = X'$(q "$D3" "SELECT hex(tag) FROM generation")'"
run "$OTHER" default "$TMP/o.out" categorize --json
expect_eq "$(q "$OTHER" "SELECT n, hex(tag) FROM generation")" \
	"$(q "$D3" "SELECT n, hex(tag) FROM generation")" \
	"other: its generation and tag made the same as the demo's"
damaged "another database's snapshot, same count and tag" "$STALE" \
	put "$OTHER-graph"

# Whose it is and who may read it.
NOTOURS="the snapshot is not the user's alone"
for m in 644 640 604 660 606 620 602 700 400; do
	if [ $((8#$m & 8#077)) -eq 0 ]; then
		cp "$GOOD" "$D3-graph"
		chmod "$m" "$D3-graph"
		read_check "mode $m: owner-only: mapped" "$D3" trace mapped categorize --json
		expect_eq "$(stat -c %a "$D3-graph")" "$m" "mode $m: and left as it was"
		chmod 600 "$D3-graph"
	else
		damaged "mode $m" "$NOTOURS" chmod_to "$m"
	fi
done
if id nobody >/dev/null 2>&1; then
	damaged "owned by nobody (0600)" "$NOTOURS" chown_to nobody
	cp "$GOOD" "$D3-graph"
	chgrp nogroup "$D3-graph" 2>/dev/null || chgrp 65534 "$D3-graph"
	read_check "our 0600 file, group nogroup: mapped" "$D3" trace mapped categorize --json
else
	skip "owned by nobody" "no user nobody"
	skip "group nogroup" "no user nobody"
fi

# A symbolic link to a good current snapshot elsewhere: not followed,
# replaced by a file (the link's target left alone).
mkdir "$TMP/elsewhere"
cp "$GOOD" "$TMP/elsewhere/graph"
chmod 600 "$TMP/elsewhere/graph"
damaged "a symbolic link to a current snapshot" "Too many levels of symbolic links" \
	ln -sf "$TMP/elsewhere/graph" "$D3-graph"
ok_if "symlink: its target is left as it was" cmp -s "$GOOD" "$TMP/elsewhere/graph"
damaged "a dangling symbolic link" "Too many levels of symbolic links" \
	ln -sf "$TMP/elsewhere/nothing" "$D3-graph"
ok_if "dangling symlink: its target is not made" test ! -e "$TMP/elsewhere/nothing"

# A FIFO: opened without waiting, no snapshot, left alone whatever its
# mode (run's timeout bounds a hang).
damaged "a FIFO (0644)" "not a regular file: left alone" sh -c 'rm -f "$F" && mkfifo -m 644 "$F"'
damaged "a FIFO (0600)" "not a regular file: left alone" sh -c 'rm -f "$F" && mkfifo -m 600 "$F"'

# A directory: refused, and not replaceable: every read loads, none
# writes, the directory stays.
for m in 755 700; do
	rm -rf "$D3-graph"
	mkdir -m "$m" "$D3-graph"
	touch "$D3-graph/inside"
	# no snapshot, left alone whatever its mode
	why="not a regular file: left alone"
	read_check "directory ($m): categorize answers as off, nothing written" \
		"$D3" trace "nowrite:$why" categorize --json
	read_check "directory ($m): and again (risk)" \
		"$D3" trace "nowrite:$why" risk --json --as-of "$ASOF"
	expect_eq "$(state_of "$D3-graph" | cut -d' ' -f4,6-):$(ls "$D3-graph"):$(leftovers "$D3")" \
		"$m directory:inside:" "directory ($m): still there, untouched, no temporary file"
done
rm -rf "$D3-graph"
read_check "directory removed: the next read writes the snapshot" \
	"$D3" trace "written:no snapshot" categorize --json
read_check "and the one after maps it" "$D3" trace mapped categorize --json
# The reason a directory of ours is refused, seen before the rename fails.
rm -f "$D3-graph"
mkdir -m 700 "$D3-graph"
run "$D3" trace "$TMP/dir.out" categorize --json
rmdir "$D3-graph"
diag "a 0700 directory at DB-graph: $(cat "$TMP/dir.out.err")"

# Crafted: values changed and both checksums made right again (a C helper
# with libxxhash, as highwater sums), so that only the checks of every
# value stand between the file and the graph functions.  Such a file may
# be mapped (a level changed in range is a level), so the answer is not
# asked to be off's then; but no read may crash, hang or say more than
# its trace line, and one that refuses the file answers as off does.
cat >"$TMP/craft.c" <<'CRAFT'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
/* craft IN OUT HDR OFFSET:WIDTH:OP:ARG...: OUT.1, OUT.2... each IN with
 * one change (OP set, add or xor, of a WIDTH-byte little-endian value
 * at OFFSET), its body sum (at 24) and header sum (at HDR - 8) made
 * again. */
int main(int argc, char **argv)
{
	FILE *f = fopen(argv[1], "rb");
	size_t hdr = strtoul(argv[3], NULL, 10), size;
	unsigned char *good, *b;
	char path[4096];
	int i;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0)
		return 1;
	size = (size_t)ftell(f);
	rewind(f);
	good = malloc(size);
	b = malloc(size);
	if (fread(good, 1, size, f) != size)
		return 1;
	fclose(f);
	for (i = 4; i < argc; i++) {
		unsigned long off, width;
		char op[8];
		long long arg;
		uint64_t v = 0, sum;
		unsigned k;

		if (sscanf(argv[i], "%lu:%lu:%7[a-z]:%lld", &off, &width, op,
			   &arg) != 4 || off + width > size)
			return 2;
		memcpy(b, good, size);
		for (k = 0; k < width; k++)
			v |= (uint64_t)b[off + k] << (8 * k);
		if (strcmp(op, "set") == 0)
			v = (uint64_t)arg;
		else if (strcmp(op, "add") == 0)
			v += (uint64_t)arg;
		else
			v ^= (uint64_t)arg;
		for (k = 0; k < width; k++)
			b[off + k] = (unsigned char)(v >> (8 * k));
		sum = XXH3_64bits(b + hdr, size - hdr);
		memcpy(b + 24, &sum, 8);
		sum = XXH3_64bits(b, hdr - 8);
		memcpy(b + hdr - 8, &sum, 8);
		snprintf(path, sizeof path, "%s.%d", argv[2], i - 3);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(b, 1, size, f) != size || fclose(f) != 0)
			return 1;
	}
	return 0;
}
CRAFT
# (the identity crafted: the sums made again must give the file back)
specs=("16:1:xor:0")
# the counts (n, m, nowners, ncomp) and the string section's size
for at in 96 100 104 108; do
	specs+=("$at:4:add:1" "$at:4:add:-1" "$at:4:set:4294967295")
done
specs+=("112:8:add:1" "112:8:add:-1" "112:8:set:0")
# each section's offset and size (27 of them, from byte 168)
for ((i = 0; i < 27; i++)); do
	at=$((168 + 16 * i))
	case $((i % 3)) in
	0) specs+=("$at:8:add:8" "$((at + 8)):8:add:-1") ;;
	1) specs+=("$at:8:add:-8" "$((at + 8)):8:set:0") ;;
	2) specs+=("$at:8:set:$SIZE" "$((at + 8)):8:add:4") ;;
	esac
done
# Where the strings are: the string section's offset, the offset in it
# of node 0's id, of its name and of the first owner, and where the
# sections of offsets into it (ids, names, owners) and the strings end
# (rown is the first section after them).
read -r S_STR ID0 NAME0 OWNER0 S_ID S_ROWN < <("$PYTHON" -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
sect = lambda i: struct.unpack_from("<Q", b, 168 + 16 * i)[0]
s_str, s_id, s_name, s_owners, s_rown = sect(8), sect(1), sect(2), sect(7), sect(0)
u32 = lambda at: struct.unpack_from("<I", b, at)[0]
print(s_str, u32(s_id), u32(s_name), u32(s_owners), s_id, s_rown)
' "$GOOD")
# body words, spread past the strings and the offsets into them (4
# bytes each, small changes and big ones; the strings: below)
for ((i = 0; i < 40; i++)); do
	at=$(((S_ROWN + (SIZE - S_ROWN) * i / 40) / 4 * 4))
	case $((i % 4)) in
	0) specs+=("$at:4:add:1") ;;
	1) specs+=("$at:4:set:4294967295") ;;
	2) specs+=("$at:4:xor:2147483648") ;;
	3) specs+=("$at:1:xor:1") ;;
	esac
done
if ! cc -O2 -o "$TMP/craft" "$TMP/craft.c" \
	$(pkg-config --cflags --libs libxxhash 2>/dev/null || echo -lxxhash) \
	2>"$TMP/cc.err"; then
	skip "crafted snapshots with right checksums" \
		"cannot build the helper with libxxhash: $(head -n 1 "$TMP/cc.err")"
else
	"$TMP/craft" "$GOOD" "$TMP/crafted" "$HDR" "${specs[@]}" ||
		{ echo "Bail out! the craft helper failed"; exit 1; }
	ok_if "crafted: the sums made again give the snapshot back byte for byte" \
		cmp -s "$GOOD" "$TMP/crafted.1"
	c_mapped=0 c_refused=0
	: >"$D3-graph"
	chmod 600 "$D3-graph"
	for ((i = 2; i <= ${#specs[@]}; i++)); do
		spec=${specs[$((i - 1))]}
		cat "$TMP/crafted.$i" >"$D3-graph"
		j=$((i % ${#DREADS[@]}))
		read -r -a rd <<<"${DREADS[$j]}"
		run "$D3" trace "$TMP/c.out" "${rd[@]}"
		mapfile -t lines <"$TMP/c.out.err"
		problems=
		[ "$RRC" = 0 ] || problems+="exit status $RRC"$'\n'
		[ ${#lines[@]} = 1 ] || problems+="stderr is not one line"$'\n'
		case ${lines[0]:-} in
		"highwater: graph snapshot mapped"*)
			c_mapped=$((c_mapped + 1)) ;;
		"highwater: graph loaded, snapshot written: $REFUSED "* | \
			"highwater: graph loaded, no snapshot written: $REFUSED "*": left alone ("*)
			c_refused=$((c_refused + 1))
			cmp -s "$TMP/c.out" "$TMP/off.damage.db.$j" ||
				problems+="refused, and the answer is not off's"$'\n' ;;
		*) problems+="not the trace expected"$'\n' ;;
		esac
		how=${lines[0]:-}
		how=${how#highwater: graph }
		how=${how#loaded, snapshot written: $REFUSED }
		how=${how#loaded, no snapshot written: $REFUSED }
		how=${how% (*}
		if [ -z "$problems" ]; then
			_result 1 "crafted $spec, sums right: ${rd[0]} exits 0: $how"
		else
			_result 0 "crafted $spec, sums right: ${rd[0]}"
			diag "${problems%$'\n'}"
			diag_value "stderr" "$(cat "$TMP/c.out.err")"
		fi
	done
	diag "crafted with right sums: $c_refused refused, $c_mapped mapped"

	# Strings the database would refuse (hwp_text_check, the id's
	# characters, ids unique): the loader says the database is damaged;
	# the snapshot's must be refused and the graph loaded.
	# (a newline is text a name may hold, in the database too)
	sspecs=("$((S_STR + ID0 + 1)):1:set:255" "$((S_STR + NAME0 + 1)):1:set:255"
		"$((S_STR + OWNER0 + 1)):1:set:255" "$((S_STR + NAME0 + 1)):1:set:27"
		"$((S_STR + ID0 + 1)):1:set:47" "$((S_STR + ID0)):1:set:0"
		"$((S_ID + 4)):4:set:$ID0")
	sdesc=("a byte 0xff in an id" "a byte 0xff in a name"
		"a byte 0xff in an owner" "an escape in a name" "a '/' in an id"
		"an empty id" "two nodes with the same id")
	sreads=("check --json" "risk --json --as-of $ASOF" "categorize --json"
		"categorize --json" "categorize --json" "categorize --json"
		"impact ami-vm-01 --direction both --json")
	"$TMP/craft" "$GOOD" "$TMP/strings" "$HDR" "${sspecs[@]}" ||
		{ echo "Bail out! the craft helper failed"; exit 1; }
	for ((i = 0; i < ${#sspecs[@]}; i++)); do
		cat "$TMP/strings.$((i + 1))" >"$D3-graph"
		# shellcheck disable=SC2086
		read_check "crafted, sums right: ${sdesc[$i]}: ${sreads[$i]%% *} refuses it, as off" \
			"$D3" trace "written:$REFUSED" ${sreads[$i]}
	done
fi
rm -f "$D3-graph"

# The blast radius kept in the snapshot: a read that scores no risk
# writes it without; the first risk adds it at the model's weights (and
# writes the snapshot again), the next maps it as it is; new weights
# (a setting, which moves no generation) add it again; plan and report
# plan read it; every answer off's.
rm -f "$D3-graph"
read_check "blast: categorize writes the snapshot" "$D3" trace \
	"written:no snapshot" categorize --json
blast_step() { # DESC WANT-TRACE-GLOB READ...
	local desc=$1 want=$2
	shift 2
	run "$D3" trace "$TMP/bl.out" "$@"
	run "$D3" off "$TMP/bl.off" "$@"
	ok_if "blast: $desc: the trace" \
		grep -qx "highwater: graph $want (114 assets, 327 dependencies)" "$TMP/bl.out.err"
	ok_if "blast: $desc: the answer is off's" cmp -s "$TMP/bl.out" "$TMP/bl.off"
}
WRITTEN="snapshot mapped, and written again with its blast radius at these weights"
blast_step "the first risk adds it" "$WRITTEN" risk --json --as-of "$ASOF"
blast_step "the next risk maps it" "snapshot mapped" risk --json --as-of "$ASOF"
blast_step "plan maps it" "snapshot mapped" plan --json --as-of "$ASOF"
hw_setup --db "$D3" --quiet risk --set impact.uncategorized=3
blast_step "new weights: plan adds it again" "$WRITTEN" plan --json --as-of "$ASOF"
blast_step "new weights: risk maps it" "snapshot mapped" risk --json --as-of "$ASOF"
hw_setup --db "$D3" --quiet risk --set impact.uncategorized=2
blast_step "impact maps it, weights aside" "snapshot mapped" impact ami-vm-01 --direction both --json

# A few on the big inventory: the header, the middle, the end.
cp "$BIG-graph" "$TMP/big-good"
read_check "big: a current snapshot maps" "$BIG" trace mapped categorize --summary --json
BSIZE=$(stat -c %s "$BIG-graph")
diag "big snapshot: $BSIZE bytes"
flips "$TMP/big-good" $((BSIZE / 2)) $((BSIZE - 1))
GOOD=$TMP/big-good DB3=$BIG damaged "big: cut to $((HDR - 1))" \
	"$REFUSED shorter than its header" cut_to $((HDR - 1))
GOOD=$TMP/big-good DB3=$BIG damaged "big: cut to $((BSIZE / 2))" \
	"$REFUSED its size is not the size it records" cut_to $((BSIZE / 2))
GOOD=$TMP/big-good DB3=$BIG damaged "big: byte $((BSIZE / 2)) flipped" \
	"$REFUSED its checksum does not match" flip_at $((BSIZE / 2))
GOOD=$TMP/big-good DB3=$BIG damaged "big: byte $((BSIZE - 1)) flipped" \
	"$REFUSED its checksum does not match" flip_at $((BSIZE - 1))
GOOD=$TMP/big-good DB3=$BIG damaged "big: the demo's snapshot" \
	"$STALE" put "$TMP/good-graph"
timing "3. damaged snapshots"

# ------------------------------------------------------------------
# 4. Readers racing to rebuild it.

# race N DESC READ...: after a write, N reads at once (READ round robin,
# each a quoted command); each answer equal to off's on the same state,
# each trace "written" or "mapped", at least one "written"; then one
# DB-graph, no temporary file, and the next read maps it.
race() {
	local n=$1 desc=$2 i problems='' written=0 cmd
	shift 2
	local -a cmds=("$@") words
	hw_setup --db "$BIG" --quiet asset set "${IDS[$((RANDOM % 5000))]}" \
		"vulnerabilities=$RANDOM"
	for ((i = 0; i < n; i++)); do
		read -r -a words <<<"${cmds[$((i % ${#cmds[@]}))]}"
		run "$BIG" off "$TMP/race.off.$i" "${words[@]}" &
	done
	wait
	for ((i = 0; i < n; i++)); do
		read -r -a words <<<"${cmds[$((i % ${#cmds[@]}))]}"
		(
			HIGHWATER_GRAPH_SNAPSHOT=trace timeout $TMO "$HIGHWATER" \
				--db "$BIG" "${words[@]}" >"$TMP/race.$i" \
				2>"$TMP/race.$i.err" </dev/null
			echo $? >"$TMP/race.$i.rc"
		) &
	done
	wait
	for ((i = 0; i < n; i++)); do
		cmd=${cmds[$((i % ${#cmds[@]}))]}
		[ "$(cat "$TMP/race.$i.rc")" = 0 ] ||
			problems+="reader $i ($cmd): exit status $(cat "$TMP/race.$i.rc")"$'\n'
		[ -s "$TMP/race.$i" ] || problems+="reader $i ($cmd): no answer"$'\n'
		[ -s "$TMP/race.off.$i.err" ] && problems+="off reader $i: $(cat "$TMP/race.off.$i.err")"$'\n'
		cmp -s "$TMP/race.$i" "$TMP/race.off.$i" ||
			problems+="reader $i ($cmd): not off's answer"$'\n'
		case $(cat "$TMP/race.$i.err") in
		"highwater: graph loaded, snapshot written: $STALE ("*) written=$((written + 1)) ;;
		"highwater: graph snapshot mapped ("*) ;;
		# a risk or plan that maps a snapshot another reader made
		# without the blast radius adds it
		"highwater: graph snapshot mapped, and written again "*) ;;
		*) problems+="reader $i: $(cat "$TMP/race.$i.err")"$'\n' ;;
		esac
	done
	[ $written -ge 1 ] || problems+="no reader wrote the snapshot"$'\n'
	[ -f "$BIG-graph" ] && [ ! -L "$BIG-graph" ] ||
		problems+="no regular $BIG-graph"$'\n'
	[ -z "$(leftovers "$BIG")" ] || problems+="left: $(leftovers "$BIG")"$'\n'
	if [ -z "$problems" ]; then
		_result 1 "race: $desc ($written of $n wrote it)"
	else
		_result 0 "race: $desc"
		diag "${problems%$'\n'}"
	fi
	read_check "race: $desc: the next read maps it" "$BIG" trace mapped categorize --summary --json
}

race 6 "6 categorize --json at once" "categorize --json"
race 8 "8 reads of 4 commands at once" "categorize --json" \
	"risk --json --as-of $ASOF" "plan --json --as-of $ASOF" "check --json"
race 4 "4 impact core-0000000 at once" "impact core-0000000 --json"

# Readers and writers at once: a reader may write a snapshot of a state
# a writer has already left; the stamp tells, and the next read agrees.
for ((i = 0; i < 4; i++)); do
	HIGHWATER_GRAPH_SNAPSHOT=trace timeout $TMO "$HIGHWATER" --db "$BIG" \
		categorize --summary --json >"$TMP/rw.$i" 2>"$TMP/rw.$i.err" </dev/null &
	timeout $TMO "$HIGHWATER" --db "$BIG" --quiet asset set "${IDS[$((i * 7))]}" \
		"a=${LEVELS[$((i % 3))]}" >"$TMP/rww.$i" 2>&1 </dev/null &
done
rw_bad=
for ((i = 0; i < 8; i++)); do wait -n || rw_bad+="a process failed "; done
for ((i = 0; i < 4; i++)); do
	[ -s "$TMP/rw.$i" ] || rw_bad+="reader $i: no answer "
	[[ $(cat "$TMP/rw.$i.err") == "highwater: graph "* ]] || rw_bad+="reader $i: $(cat "$TMP/rw.$i.err") "
done
expect_eq "$rw_bad$(leftovers "$BIG")" "" \
	"readers and writers at once: all exit 0, one trace line each, no temporary file"
read_check "readers and writers: a read after them answers as off" \
	"$BIG" trace rebuilt categorize --json
read_check "readers and writers: and the next maps it" \
	"$BIG" trace mapped categorize --json
timing "4. races"

# ------------------------------------------------------------------
# 5. A folder it may not write, as a user who is not root.

AS_REASON=
if [ "$ME" = 0 ]; then
	if setpriv --reuid=nobody --regid="$(id -g nobody 2>/dev/null)" \
		--clear-groups true 2>/dev/null; then
		RO_AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
		chmod 711 "$TMP" # nobody passes through to its own folder
	else
		AS_REASON="running as root without setpriv or a user 'nobody'"
	fi
else
	RO_AS=()
fi
if [ -n "$AS_REASON" ]; then
	for d in "read-only folder: a read works, silent" \
		"read-only folder: it leaves nothing" \
		"read-only folder: trace says why" \
		"read-only folder: a current snapshot there is mapped" \
		"read-only folder: a stale one is not, and stays"; do
		skip "$d" "$AS_REASON"
	done
else
	U=$TMP/ro
	mkdir "$U"
	backup_to "$DEMO" "$U/ro.db"
	[ "$ME" = 0 ] && chown -R nobody "$U"
	chmod 555 "$U"
	AS=("${RO_AS[@]}")
	Q_RO=1
	read_check "read-only folder: categorize works, nothing on stderr, as off" \
		"$U/ro.db" default quiet categorize --json
	expect_eq "$(ls -A "$U")" "ro.db" "read-only folder: the read leaves nothing there"
	read_check "read-only folder: trace says no snapshot could be written" \
		"$U/ro.db" trace "nowrite:Permission denied" plan --json --as-of "$ASOF"
	# A current snapshot made while it could write: used read-only.
	chmod 755 "$U"
	read_check "writable again: the snapshot is written" \
		"$U/ro.db" trace "written:no snapshot" categorize --json
	"${AS[@]}" "$HIGHWATER" --db "$U/ro.db" --quiet asset set ami-vm-01 i=high
	rm -f "$U/ro.db-wal" "$U/ro.db-shm"
	read_check "one more read writes it for the new state" \
		"$U/ro.db" trace "written:$STALE" categorize --json
	rm -f "$U/ro.db-wal" "$U/ro.db-shm"
	chmod 555 "$U"
	read_check "read-only folder: a current snapshot there is mapped" \
		"$U/ro.db" trace mapped categorize --json
	# A stale one: loaded, left as it is.
	chmod 755 "$U"
	"${AS[@]}" "$HIGHWATER" --db "$U/ro.db" --quiet asset set ami-vm-01 i=low
	rm -f "$U/ro.db-wal" "$U/ro.db-shm"
	chmod 555 "$U"
	st=$(state_of "$U/ro.db-graph")
	read_check "read-only folder: a stale snapshot there is not used, as off" \
		"$U/ro.db" trace "nowrite:Permission denied" categorize --json
	read_check "read-only folder: silent without trace" \
		"$U/ro.db" default quiet check --json
	expect_eq "$(state_of "$U/ro.db-graph"):$(ls -A "$U" | tr '\n' ' ')" \
		"$st:ro.db ro.db-graph " "read-only folder: the stale snapshot stays as it was, nothing added"
	AS=()
	Q_RO=0
	chmod 755 "$U"
	chmod 700 "$TMP"
fi
timing "5. read-only folder"

# ------------------------------------------------------------------
# 6. Off, writes and closures never make or touch it.

D6=$TMP/off.db
backup_to "$DEMO" "$D6"
off_bad=
for c in "${DREADS[@]}" "impact active-directory --json" "categorize ami-vm-01 --json"; do
	# shellcheck disable=SC2086
	run "$D6" off "$TMP/off.out" $c
	[ "$RRC" = 0 ] || off_bad+="$c: exit $RRC "
	[ -s "$TMP/off.out.err" ] && off_bad+="$c: $(cat "$TMP/off.out.err") "
done
expect_eq "$off_bad$(state_of "$D6-graph")$(leftovers "$D6")" "none" \
	"off: no read makes a snapshot"
for c in "impact active-directory --json" "categorize ami-vm-01 active-directory --json"; do
	# shellcheck disable=SC2086
	read_check "closure: $c loads the closure, as off" "$D6" trace closure $c
done
hw_setup --db "$D6" --quiet asset add w1 --name W1 --type server
hw_setup --db "$D6" --quiet dep add w1 ami-vm-01
expect_eq "$(state_of "$D6-graph")$(leftovers "$D6")" "none" \
	"no snapshot made by off, closures, or writes"
read_check "then a whole-graph read makes it" "$D6" trace "written:no snapshot" check --json
hw_setup --db "$D6" --quiet asset set w1 c=high
st=$(state_of "$D6-graph")
cp "$D6-graph" "$TMP/stale-graph"
for c in "${DREADS[@]}"; do
	# shellcheck disable=SC2086
	run "$D6" off "$TMP/off.out" $c
done
read_check "closure: categorize ami-vm-01 with a stale snapshot, as off" \
	"$D6" trace closure categorize ami-vm-01 --json
hw_setup --db "$D6" --quiet asset set w1 c=low
expect_eq "$(state_of "$D6-graph")" "$st" \
	"off, closures and writes leave a stale snapshot as it was"
ok_if "its bytes too" cmp -s "$D6-graph" "$TMP/stale-graph"
read_check "and a read after them is not mapped, as off" \
	"$D6" trace "written:$STALE" categorize --json
timing "6. off, closures, writes"

done_testing
