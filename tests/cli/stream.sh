#!/bin/bash
# stream.sh: the --json outputs that grow with the inventory (impact,
# categorize) are written as they are computed; where the output cannot
# be written (a full device), or its reader goes away halfway, the
# command exits 1 with the reason, and what got out is no complete
# document.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# full_device NAME ARGS...: "highwater --json ARGS" into /dev/full.
full_device() {
	local name=$1
	shift
	"$HIGHWATER" --json "$@" >/dev/full 2>"$ERR_FILE" </dev/null
	RC=$? ERR=$(cat "$ERR_FILE")
	expect_rc 1 "$name --json to a full device exits 1"
	expect_err_has "highwater: $name: cannot write the output: No space left on device" \
		"$name --json to a full device: says why"
}

# cut_off NAME ARGS...: "highwater --json ARGS" into a pipe whose reader
# leaves after 1000 bytes (SIGPIPE ignored, so that the write fails).
cut_off() {
	local name=$1
	shift
	py_ok "$name --json cut off halfway: exit 1, the reason, no complete document" '
import fcntl, os, signal, subprocess, sys
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ: the writer meets the closed end early
p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE,
                     preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
os.close(w)
head = os.read(r, 1000)
os.close(r)
err = p.stderr.read().decode()
rc = p.wait()
if rc != 1 or "cannot write the output: Broken pipe" not in err:
    print("exit %d: %s" % (rc, err))
elif not head.startswith(b"{\n  \"") or head.rstrip().endswith(b"}"):
    print("what got out: %r" % head[:80])
else:
    print("ok")
' "$HIGHWATER" --json "$@"
}

demo_db
# Both are large enough on the demo (50 and 95 KB) to be cut off halfway.
full_device impact impact core-sw-01
cut_off impact impact core-sw-01
full_device categorize categorize
cut_off categorize categorize
# Written whole, the same documents are complete.
hw --json impact core-sw-01
expect_rc 0 "impact --json written whole exits 0"
expect_json '[d["summary"]["members"], len(d["members"]), d["targets"]]' '[91,91,["core-sw-01"]]' \
	"impact --json written whole: a complete document"

done_testing
