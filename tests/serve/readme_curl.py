"""readme_curl.py: the README's section "The service" is true.  Its sh
blocks run, in order, in one shell in a scratch folder holding
reports/demo.db as data/demo-db.sh makes it (the first block, which
starts the service, is done by the harness on a free port, and the
port 8199 of the examples becomes that one); each command must exit 0,
and a json block after an sh block shows members of what its last
command printed (objects: the members shown; arrays: as many elements,
each shown so)."""

import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402
import oas  # noqa: E402

t = hwserve.Tap()


def section(text, title):
    """The lines of the README section ## title."""
    lines = text.split("\n")
    start = lines.index("## " + title)
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("## ")), len(lines))
    return lines[start + 1:end]


def blocks(lines):
    """The fenced blocks: (language, text)."""
    out, lang, body = [], None, []
    for line in lines:
        if lang is None and line.startswith("```"):
            lang, body = line[3:].strip(), []
        elif lang is not None and line.startswith("```"):
            out.append((lang, "\n".join(body)))
            lang = None
        elif lang is not None:
            body.append(line)
    return out


def commands(text):
    """The commands of an sh block (continued lines joined)."""
    out, cur = [], ""
    for line in text.split("\n"):
        cur += line
        if cur.endswith("\\"):
            cur = cur[:-1]
            continue
        if cur.strip():
            out.append(cur.strip())
        cur = ""
    return out


def shown_in(shown, got, where="."):
    """Where shown is not in got, or None."""
    if isinstance(shown, dict):
        if not isinstance(got, dict):
            return "%s: %r is not an object" % (where, got)
        for k, v in shown.items():
            if k not in got:
                return "%s: no member %s" % (where, k)
            bad = shown_in(v, got[k], where + "/" + k)
            if bad:
                return bad
        return None
    if isinstance(shown, list):
        if not isinstance(got, list) or len(got) != len(shown):
            return "%s: %r is not an array of %d" % (where, got, len(shown))
        for i, (s, g) in enumerate(zip(shown, got)):
            bad = shown_in(s, g, "%s/%d" % (where, i))
            if bad:
                return bad
        return None
    return None if shown == got else "%s: %r, not %r" % (where, got, shown)


with open(os.path.join(oas.srcdir(), "README.md"), encoding="utf-8") as f:
    bl = blocks(section(f.read(), "The service"))

# The examples: commands in order, each with the json shown after it.
cmds = []
for lang, text in bl:
    if lang == "sh":
        cmds += [[c, None] for c in commands(text)]
    elif lang == "json" and cmds:
        cmds[-1][1] = json.loads(text)
t.ok(len(cmds) >= 8, "the section has its examples (%d commands)"
     % len(cmds))
t.eq(cmds[0][0] if cmds else None, "highwater serve --db reports/demo.db",
     "the first starts the service on the demo database")
t.eq(sum(1 for c in cmds if c[0].startswith("highwater serve")), 1,
     "and only the first starts it")
t.ok(sum(1 for c in cmds if c[1] is not None) >= 4,
     "at least four show their answer")

srv = hwserve.Server(start=False)
work = os.path.join(srv.dir, "work")
os.makedirs(os.path.join(work, "reports"))
db = os.path.join(work, "reports", "demo.db")
try:
    p = subprocess.run(["sh", os.path.join(hwserve.datadir(), "demo-db.sh"),
                        hwserve.binary(), db], capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError("data/demo-db.sh failed: " + p.stderr)
    srv.db = db
    srv.start()
    # One shell runs them all, so that a variable set by one is the
    # next's; each command's output and status go to files of its own.
    script = ['highwater() { "$HIGHWATER" "$@"; }', 'cd "$1"']
    for i, (c, _) in enumerate(cmds[1:], 1):
        c = c.replace("127.0.0.1:8199", "127.0.0.1:%d" % srv.port)
        script.append("{ %s\n} >.out.%d 2>.err.%d; echo $? >.rc.%d"
                      % (c, i, i, i))
    env = dict(os.environ, HIGHWATER=hwserve.binary())
    p = subprocess.run(["bash", "-c", "\n".join(script), "readme", work],
                       env=env, capture_output=True, text=True,
                       timeout=600)
    t.eq(p.returncode, 0, "the examples ran in one shell")
    for i, (c, shown) in enumerate(cmds[1:], 1):
        def read(kind):
            with open(os.path.join(work, ".%s.%d" % (kind, i)),
                      encoding="utf-8", errors="replace") as f:
                return f.read()
        rc, out, err = int(read("rc")), read("out"), read("err")
        label = c if len(c) < 90 else c[:87] + "..."
        if not t.eq(rc, 0, "exits 0: %s" % label):
            t.diag(err)
        if shown is None:
            continue
        try:
            got = json.loads(out)
        except ValueError:
            got = out
        bad = shown_in(shown, got)
        if not t.ok(bad is None, "answers as shown: %s" % label):
            t.diag(bad)
    books = glob.glob(os.path.join(work, "change-CHG-0013-*.xlsx"))
    t.eq(len(books), 1, "curl -OJ saved change-CHG-0013-DATE.xlsx")
    if books:
        with open(books[0], "rb") as f:
            t.eq(f.read(4), b"PK\x03\x04", "a workbook")
    rc, out, err = srv.cli("audit", "log", "--actor", "j.alvarez", "--json")
    recs = json.loads(out)["records"] if rc == 0 else []
    t.ok(any(r["action"] == "approve" and r["object"] == "change:CHG-0013"
             for r in recs), "the approval's audit actor is j.alvarez")
    t.eq(srv.stop(), 0, "the service stops with exit 0")
    log = srv.log()
    t.ok("Sanitizer" not in log and "runtime error" not in log,
         "no sanitizer report in the service's log")
except RuntimeError as e:
    t.ok(False, str(e))
finally:
    srv.cleanup()

t.done()
