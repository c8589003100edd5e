#!/bin/sh
# run.sh: run each fuzzer for SECONDS, JOBS at a time (make fuzz-run):
# one line a target with its executions, coverage (cov: edges, ft:
# features) and crashes, and a last line "N passed, N failed".  A crash
# (or leak, timeout, out of memory) fails its target; its input is kept
# in BUILD/crashes/TARGET and named, with the command that reproduces
# it.  New inputs found are kept in BUILD/corpus/TARGET-found (the next
# run starts from them).  FUZZ_FLAGS: more of libFuzzer's flags.
#
#   sh run.sh BUILD SECONDS JOBS TARGET...
set -u
build=$1
secs=$2
jobs=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build/logs" "$build/crashes"
# The fuzzers' databases in memory when there is a tmpfs: a commit's
# fsync would take most of their time.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi

one() { # TARGET: run it, then its line
	t=$1
	log=$build/logs/$t.log
	dict=
	case $t in
	json | jsonl | oscal) dict=-dict=$here/json.dict ;;
	csv) dict=-dict=$here/csv.dict ;;
	http) dict=-dict=$here/http.dict ;;
	dbsql) dict=-dict=$here/dbsql.dict ;;
	esac
	mkdir -p "$build/corpus/$t-found" "$build/crashes/$t"
	nice -n 19 "$build/fuzz-$t" -max_total_time="$secs" -timeout=25 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/crashes/$t/" $dict ${FUZZ_FLAGS:-} \
		"$build/corpus/$t-found" "$build/corpus/$t" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(echo "$stats" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$stats" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	crash=$(sed -n 's/^artifact_prefix=.*; Test unit written to \(.*\)$/\1/p' "$log" | head -1)
	if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
		echo "fuzz-$t: ok: ${execs:-?} executions in ${secs}s, cov: ${cov:-?}, ft: ${ft:-?}, 0 crashes"
	else
		echo "fuzz-$t: FAILED (exit $rc): ${execs:-?} executions, cov: ${cov:-?}, ft: ${ft:-?}, crash: ${crash:-none written, see $log}"
		[ -n "$crash" ] && echo "  reproduce: $build/fuzz-$t $crash"
		grep -m1 -E 'ERROR: |runtime error|fuzz[-a-z]*: ' "$log" | sed 's/^/  /'
		return 1
	fi
}

passed=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/hw-fuzz-run-XXXXXX") || exit 1
set -- "$@"
while [ $# -gt 0 ]; do
	pids=
	n=0
	while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
		one "$1" >"$out.$1" &
		pids="$pids $!:$1"
		n=$((n + 1))
		shift
	done
	for p in $pids; do
		if wait "${p%%:*}"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
		cat "$out.${p#*:}"
		rm -f "$out.${p#*:}"
	done
done
rm -f "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
