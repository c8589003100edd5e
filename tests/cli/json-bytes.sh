#!/bin/bash
# json-bytes.sh: the streamed --json outputs of impact and risk, byte for
# byte as jansson prints the whole document (two-space indent, sorted
# keys, 12 digits): impact against python's re-dump of itself (it has no
# reals), and both against goldens made before the stream wrote its
# scalars itself, on names with quotes, backslashes, slashes, DEL and
# UTF-8.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# redumped DESC: stdout is python's dump of itself with jansson's
# layout (no reals, no control characters in it: the two agree).
redumped() {
	py_ok "$1" '
import json, sys
raw = open(sys.argv[1], "rb").read()
want = json.dumps(json.loads(raw), indent=2, sort_keys=True,
                  ensure_ascii=False).encode() + b"\n"
print("ok" if raw == want else "differs at byte %d" % next(
    i for i in range(min(len(raw), len(want)) + 1) if raw[i:i+1] != want[i:i+1]))
' "$OUT_FILE"
}

demo_db
hw --json impact core-sw-01
expect_rc 0 "impact --json on the demo exits 0"
redumped "impact --json on the demo: the bytes of the whole document"
hw --json impact core-sw-01 --direction both --depth 3
expect_rc 0 "impact --json --direction both --depth 3 exits 0"
redumped "impact --json --direction both --depth 3: the bytes of the whole document"
hw --json risk --as-of 2025-06-30 --top 5
expect_rc 0 "risk --json on the demo exits 0"
expect_out_file "$HW_TESTDATA/cli-json-demo.risk.json" \
	"risk --json on the demo: the golden bytes"

rm -f "$HIGHWATER_DB"
hw_setup --quiet init
hw_setup --quiet import "$HW_TESTDATA/cli-json-strings.json"
hw --json impact hub --direction both
expect_rc 0 "impact --json, awkward names: exits 0"
expect_out_file "$HW_TESTDATA/cli-json-strings.impact.json" \
	"impact --json, awkward names: the golden bytes"
redumped "impact --json, awkward names: the bytes of the whole document"
hw --json risk --as-of 2025-06-30
expect_rc 0 "risk --json, awkward names: exits 0"
expect_out_file "$HW_TESTDATA/cli-json-strings.risk.json" \
	"risk --json, awkward names: the golden bytes"

done_testing
