#!/bin/sh
# Sum up a "make check" run: every Check test case and every TAP
# assertion, as one line "N passed, N failed, N skipped" (a skipped
# assertion is not a pass).  Reads the logs the
# automake harness left beside each test (in the build folder given, or
# the current one).  Exit 1 when something failed or nothing ran.
dir=${1:-.}
passed=0
failed=0
skipped=0
for log in "$dir"/tests/check-*.log; do
	[ -f "$log" ] || continue
	# Check: "100%: Checks: 14, Failures: 0, Errors: 0"
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -1)
	if [ -z "$line" ]; then
		failed=$((failed + 1)) # crashed before its summary
		continue
	fi
	n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	# a test that does not run on this engine (FX_SQLITE_ONLY)
	k=$(grep -c '^SKIP: ' "$log")
	passed=$((passed + n - f - e - k))
	failed=$((failed + f + e))
	skipped=$((skipped + k))
done
# The TAP scripts: tests/cli/*.sh, the service's tests/serve/*.py and
# those beside the Check tests (tests/layers.sh).
for log in "$dir"/tests/cli/*.log "$dir"/tests/serve/*.log "$dir"/tests/*.log; do
	[ -f "$log" ] || continue
	case ${log##*/} in check-*.log | test-suite.log) continue ;; esac
	p=$(grep -cE '^ok [0-9]+' "$log")
	k=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
	f=$(grep -E '^not ok [0-9]+' "$log" | grep -vc '# TODO')
	passed=$((passed + p - k))
	skipped=$((skipped + k))
	failed=$((failed + f))
	# A script that died before its plan counts as a failure.
	grep -qE '^1\.\.[0-9]+' "$log" || failed=$((failed + 1))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
