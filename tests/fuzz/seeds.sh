#!/bin/sh
# seeds.sh: the fuzzers' seed corpora, made from the tree's test data
# at build time (nothing binary is committed): tests/data's inventories
# and SSPs, tests/data/bad's hostile files when there are some, and what
# the command makes of them (JSON Lines, the CSV tables, a workbook, an
# OSCAL SSP, small databases).  A target's seeds are made once (remove
# the folder to make them again).
#
#   sh seeds.sh SRCDIR HIGHWATER OUTDIR "TARGET..."
set -u
src=$1
hw=$2
out=$3
targets=$4
case $hw in /*) ;; *) hw=$(pwd)/$hw ;; esac
HIGHWATER_DATADIR=$src/data
export HIGHWATER_DATADIR
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hw-seeds-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
data=$src/tests/data
inventories="$data/cli-small.json $data/cli-risk.json $data/cli-impact.json
$data/cli-json-strings.json $data/cli-small-asset-list.json"

# Small databases, their CSV tables and workbook, an SSP of one system.
db() { # NAME INVENTORY: a database holding the inventory
	"$hw" --db "$tmp/$1.db" --quiet init >/dev/null &&
		"$hw" --db "$tmp/$1.db" --quiet import "$2" >/dev/null
}
made() { [ -d "$out/$1" ] && [ -n "$(ls -A "$out/$1")" ]; }
want() { case " $targets " in *" $1 "*) ! made "$1" ;; *) false ;; esac; }
# tests/data/bad (hostile files), those of the extensions given, under
# 1 MiB: into corpus $1.
bad() {
	t=$1
	shift
	[ -d "$data/bad" ] || return 0
	for ext in "$@"; do
		find "$data/bad" -maxdepth 1 -type f -name "*.$ext" -size -1024k \
			-exec cp {} "$out/$t/" \; 2>/dev/null
	done
}
for t in $targets; do
	want "$t" && mkdir -p "$out/$t"
done
if want json; then
	for f in $data/cli-*.json "$src/data/demo-inventory.json" \
		"$src/data/demo-history.json"; do
		cp "$f" "$out/json/"
	done
	bad json json
fi
if want jsonl; then
	for f in $inventories "$src/data/demo-history.json"; do
		python3 "$src/tests/fuzz/jsonl.py" "$f" \
			"$out/jsonl/$(basename "$f" .json).jsonl" || exit 1
	done
	bad jsonl jsonl
fi
if want csv || want xlsx || want db || want snapshot; then
	db small "$data/cli-small.json" || exit 1
	db risk "$data/cli-risk.json" || exit 1
fi
if want csv; then
	for d in small risk; do
		"$hw" --db "$tmp/$d.db" --quiet export --format csv -o "$tmp/$d-csv" \
			>/dev/null || exit 1
		for f in "$tmp/$d-csv"/*.csv; do
			cp "$f" "$out/csv/$d-$(basename "$f")"
		done
	done
	bad csv csv
fi
if want xlsx; then
	for d in small risk; do
		"$hw" --db "$tmp/$d.db" --quiet report inventory \
			-o "$out/xlsx/$d.xlsx" >/dev/null || exit 1
	done
	bad xlsx xlsx
fi
if want oscal; then
	cp "$data"/oscal-*ssp-example.json "$out/oscal/"
	bad oscal json
fi
if want db; then
	"$hw" --db "$tmp/empty.db" --quiet init >/dev/null || exit 1
	for d in empty small risk; do
		# One file, no write-ahead log beside it.
		"$hw" --db "$tmp/$d.db" --quiet backup "$out/db/$d.db" \
			>/dev/null 2>&1 || cp "$tmp/$d.db" "$out/db/$d.db"
	done
fi
if want snapshot; then
	# The snapshots the read commands keep beside small databases.
	for d in small risk; do
		# (risk keeps its blast radius in the snapshot too)
		HIGHWATER_GRAPH_SNAPSHOT=on "$hw" --db "$tmp/$d.db" risk \
			>/dev/null || exit 1
		cp "$tmp/$d.db-graph" "$out/snapshot/$d.db-graph" || exit 1
	done
fi
if want parse; then
	# The first byte picks the parser (fuzz-parse.c), the rest is text.
	n=0
	for s in '\000high' '\052n/a' '\001web-01.a:b' '\002cia' \
		'\0032026-02-28' '\0042026-11-21T10:00:00+01:00' '\0051000' \
		'\006both' '\007runs_on,uses' '\010CHG-0013' '\011INC-7' \
		'\01212' '\0379.8' '\0642026-01-31' '\0130.5' \
		'\014admin,owner' '\015moderate' \
		'\016Hostname=id,Owner Email=owner' '\017fips-199-moderate' \
		'\020approved' '\021\232\231\231\231\231\231\271\077' \
		'\022database' '\023server' '\050true' \
		'\024likelihood.internet'; do
		n=$((n + 1))
		printf "$s" >"$out/parse/seed-$n"
	done
fi
if want dbsql; then
	# SQL run on a small valid database before it is read (fuzz-dbsql.c):
	# what one who edits the file by hand could leave in it.
	n=0
	while IFS= read -r q; do
		n=$((n + 1))
		printf '%s\n' "$q" >"$out/dbsql/seed-$n"
	done <<'SQL'
SELECT 1;
PRAGMA ignore_check_constraints=1; UPDATE asset SET confidentiality='extreme' WHERE id='db-01';
PRAGMA ignore_check_constraints=1; UPDATE asset SET integrity=7, availability=x'00' WHERE id='site';
PRAGMA ignore_check_constraints=1; UPDATE assignment SET sel_c='nope', sel_i=NULL;
PRAGMA ignore_check_constraints=1; UPDATE info_type SET confidentiality=NULL WHERE id='X.PUB';
PRAGMA ignore_check_constraints=1; UPDATE dependency SET carries=0;
PRAGMA ignore_check_constraints=1; UPDATE dependency SET carries=255, type='teleports';
PRAGMA ignore_check_constraints=1; UPDATE dependency SET dst=src;
PRAGMA foreign_keys=0; UPDATE dependency SET dst=99;
PRAGMA foreign_keys=0; DELETE FROM asset WHERE id='db-01';
PRAGMA foreign_keys=0; INSERT INTO dependency(src, dst, type, carries) SELECT dst, src, 'uses', 7 FROM dependency;
PRAGMA foreign_keys=0; UPDATE asset SET n=-1 WHERE id='vm-01';
PRAGMA foreign_keys=0; UPDATE asset SET n=9223372036854775807 WHERE id='site';
PRAGMA ignore_check_constraints=1; UPDATE asset SET id='', name='' WHERE id='site';
PRAGMA ignore_check_constraints=1; UPDATE asset SET id=x'2e00ff' WHERE id='vm-01';
PRAGMA ignore_check_constraints=1; UPDATE asset SET id=printf('%.1000c', 'a') WHERE id='vm-01';
PRAGMA ignore_check_constraints=1; UPDATE asset SET internet_facing=-5;
PRAGMA ignore_check_constraints=1; UPDATE asset_factor SET worst_cvss=1e308, vulnerabilities=-1;
PRAGMA ignore_check_constraints=1; UPDATE asset_factor SET last_patched='2026-02-30', end_of_life='soon';
PRAGMA ignore_check_constraints=1; INSERT OR REPLACE INTO risk_weight VALUES('likelihood.internet', -1e308);
PRAGMA ignore_check_constraints=1; INSERT OR REPLACE INTO risk_weight VALUES('nonsense', 1);
PRAGMA ignore_check_constraints=1; UPDATE setting SET value='ultra';
PRAGMA user_version=99;
PRAGMA user_version=1;
DROP TABLE generation;
DROP TABLE dependency;
DELETE FROM database_id;
DROP INDEX assignment_type;
PRAGMA writable_schema=1; UPDATE sqlite_schema SET sql=replace(sql, 'STRICT', '') WHERE name='asset';
PRAGMA journal_mode=DELETE;
SQL
fi
if want http; then
	# Requests as sent (TOKEN: replaced by an admin's token).
	n=0
	# A token is 46 characters: a body's length counts them.
	t46=hw_0000000000000000000000000000000000000000000
	req() { # METHOD TARGET [BODY]: a request with a token
		n=$((n + 1))
		{
			printf '%s %s HTTP/1.1\r\nHost: x\r\n' "$1" "$2"
			printf 'Authorization: Bearer TOKEN\r\n'
			if [ $# -gt 2 ]; then
				printf 'Content-Type: application/json\r\n'
				printf 'Content-Length: %d\r\n\r\n%s' \
					"$(printf %s "$3" | sed "s/TOKEN/$t46/g" |
						wc -c)" "$3"
			else
				printf '\r\n'
			fi
		} >"$out/http/seed-$n"
	}
	req GET /api/v1/assets
	req GET /api/v1/assets/site
	req GET '/api/v1/impact?target=site&direction=both&depth=2'
	req GET '/api/v1/risk?top=5&as_of=2026-11-21'
	req GET '/api/v1/categorize?summary=true'
	req GET /api/v1/categorize/db-01
	req GET /api/v1/plan
	req GET /api/v1/check
	req GET /api/v1/dependencies
	req GET '/api/v1/information-types?search=web'
	req GET /api/v1/changes
	req GET /api/v1/audit
	req GET /api/v1/settings
	req GET /api/v1/weights
	req GET '/api/v1/export?format=oscal&system=site'
	req POST /api/v1/assets \
		'{"id": "n-1", "name": "New", "type": "server", "owner": "me"}'
	req PATCH /api/v1/assets/site '{"confidentiality": "high"}'
	req POST /api/v1/dependencies \
		'{"from": "vm-01", "to": "db-01", "type": "uses"}'
	req POST /api/v1/assets/db-01/information-types \
		'{"id": "C.2.4.1", "integrity": "high", "justification": "x"}'
	req POST /api/v1/changes \
		'{"title": "Patch", "targets": ["db-01"], "description": "d"}'
	req POST /api/v1/incidents '{"asset": "site", "title": "Down"}'
	req PATCH /api/v1/weights '{"likelihood.internet": 0.5}'
	req POST /api/v1/session '{"token": "hw_not-a-token"}'
	req POST /api/v1/session '{"token": "TOKEN"}'
	for f in $inventories; do
		req POST '/api/v1/import?dry_run=true' "$(cat "$f")"
	done
	n=$((n + 1))
	printf 'GET /api/v1/categorize HTTP/1.1\r\nHost: x\r\nCookie: hw_session=abc\r\n\r\n' >"$out/http/seed-$n"
	n=$((n + 1))
	printf 'GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n' >"$out/http/seed-$n"
	n=$((n + 1))
	printf 'GET /web/core.js HTTP/1.1\r\nHost: x\r\n\r\n' >"$out/http/seed-$n"
fi
exit 0
