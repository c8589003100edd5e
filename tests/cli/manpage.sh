#!/bin/bash
# manpage.sh: doc/highwater.1 against the command itself: every command
# "highwater help" lists has its own entry in COMMANDS with an example
# that runs it, every long option its --help usage names is in that
# entry, every global option of "highwater help" is in GLOBAL OPTIONS;
# and the page renders without a warning (groff -ww, man --warnings,
# mandoc -Tlint: those installed).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

page=$HW_SRCDIR/doc/highwater.1

# The commands, one a line, as "highwater help" lists them.
"$HIGHWATER" help |
	sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\)  .*/\1/p' \
		>"$TMP/commands"
expect_eq "$(grep -c . "$TMP/commands")" "$(grep -c '^[[:space:]]*&cmd_.*_entry,' \
	"$HW_SRCDIR/src/cli/cmd.c")" "help lists every entry of the command table"

# Each command's usage lines, "NAME<TAB>USAGE", for the Python below.
while read -r cmd; do
	# shellcheck disable=SC2086 # two words
	printf '%s\t%s\n' "$cmd" "$("$HIGHWATER" $cmd --help |
		sed -n '1,/^$/p' | tr '\n' ' ')"
done <"$TMP/commands" >"$TMP/usages"
"$HIGHWATER" help | sed -n '/^Global options:/,/^$/p' >"$TMP/global"

py_ok "every command: an entry, its options, an example" '
import re, sys
page = open(sys.argv[1]).read()
cmds = [l.strip() for l in open(sys.argv[2]) if l.strip()]
usages = dict(l.rstrip("\n").split("\t", 1) for l in open(sys.argv[3]))
glob = open(sys.argv[4]).read()
text = page.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "")
sect = re.split(r"^\.SH ", text, flags=re.M)
commands = [s for s in sect if s.startswith("COMMANDS")][0]
globals_ = [s for s in sect if s.startswith("GLOBAL OPTIONS")][0]
entries = {}
for e in commands.split(".TP\n")[1:]:
    m = re.match(r"\.BR? (?:\"([^\"]+)\"|(\S+))", e)
    name = m.group(1) or m.group(2)
    entries.setdefault(name, "")
    entries[name] += e
bad = []
for c in cmds:
    e = entries.get(c)
    if e is None:
        bad.append("no entry for %r" % c)
        continue
    # "report change --change": the second form of report change
    for k, v in entries.items():
        if k.startswith(c + " --"):
            e += v
    if not re.search(r"^Example: highwater (--db \S+ )?" + re.escape(c) +
                     r"\b", e, re.M):
        bad.append("no example of %r" % c)
    for o in set(re.findall(r"--[a-z][a-z0-9-]*", usages[c])):
        if o not in ("--json", "--help", "--db") and o not in e:
            bad.append("%r: %s missing" % (c, o))
for o in set(re.findall(r"--[a-z][a-z0-9-]*", glob)):
    if o not in globals_:
        bad.append("global option %s missing" % o)
for k in entries:
    if k.split(" --")[0] not in cmds:
        bad.append("an entry for %r, which is no command" % k)
print("\n".join(bad) if bad else "ok")
' "$page" "$TMP/commands" "$TMP/usages" "$TMP/global"

# Rendering: no warning from the formatters installed here.
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$page" >"$TMP/groff.out" 2>&1
	expect_eq "$?:$(cat "$TMP/groff.out")" "0:" "groff -man -ww: no warning"
else
	skip "groff -man -ww: no warning" "groff is not installed"
fi
if command -v man >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" \
		>"$TMP/man.out" 2>"$TMP/man.err"
	expect_eq "$?:$(cat "$TMP/man.err")" "0:" "man -l: no warning"
	ok_if "man -l: the page has COMMANDS" grep -q '^COMMANDS' "$TMP/man.out"
else
	skip "man -l: no warning" "man is not installed"
	skip "man -l: the page has COMMANDS" "man is not installed"
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$page" >"$TMP/mandoc.out" 2>&1
	expect_eq "$?:$(cat "$TMP/mandoc.out")" "0:" "mandoc -Tlint: no warning"
else
	skip "mandoc -Tlint: no warning" "mandoc is not installed"
fi

done_testing
