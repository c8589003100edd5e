#!/usr/bin/python3
"""make-dbs.py --list | make-dbs.py NAME BASE OUT

Crafted database files, made at test time by tests/cli/bad-input.sh
from BASE (a small valid database) with python3's sqlite3: damage to the
file itself and to its schema.  damaged.sh crafts bad values in the
demo's rows (row numbers, levels, weights, orphans, versions) and
overwritten.sh random bytes; these are the rest.  --list prints, a line
each, NAME, EXIT (of every read command) and what stderr holds; NAME
BASE OUT writes the file OUT."""
import shutil
import sqlite3
import sys

FILES = {
    "text.db": (1, "is not a highwater database"),
    "empty.db": (1, "is not a highwater database"),
    "header-only.db": (1, "database disk image is malformed"),
    "truncated.db": (1, "database disk image is malformed"),
    "other-app.db": (1, "is not a highwater database"),
    "future.db": (1, "newer"),
    "sql-id.db": (1, "table asset: "),
    "control-name.db": (1, "table asset: 'a3': its name is not text"),
    "control-owner.db": (1, "table asset: 'a3': its owner is not text"),
    "control-description.db": (1, "table asset: 'a3': its description is not text"),
    "utf8-name.db": (1, "table asset: 'a3': its name is not text"),
}


def sql(path, *stmts, args=()):
    # Past the schema's CHECKs, as another tool may write.
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA ignore_check_constraints = on")
    for s in stmts:
        c.execute(s, args) if "?" in s else c.execute(s)
    c.close()


if sys.argv[1] == "--list":
    for name, (rc, text) in FILES.items():
        print("%s\t%d\t%s" % (name, rc, text))
    sys.exit(0)
name, base, out = sys.argv[1:4]
data = open(base, "rb").read()
if name == "text.db":
    open(out, "w").write("id,name,type\na1,A,server\n")
elif name == "empty.db":
    open(out, "wb").close()
elif name == "header-only.db":
    open(out, "wb").write(data[:100])
elif name == "truncated.db":
    open(out, "wb").write(data[: len(data) // 2])
elif name == "other-app.db":
    sql(out, "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO note (text) VALUES ('not an inventory')")
elif name == "future.db":
    shutil.copy(base, out)
    sql(out, "PRAGMA user_version = 999")
elif name == "sql-id.db":
    # An id no highwater writes: SQL in it is data, and refused as an id.
    shutil.copy(base, out)
    sql(out, "UPDATE asset SET id = ? WHERE id = 'a3'",
        args=("a3'; DROP TABLE asset;--",))
elif name == "control-name.db":
    # A name holding a terminal escape: never printed raw.
    shutil.copy(base, out)
    sql(out, "UPDATE asset SET name = ? WHERE id = 'a3'",
        args=("\x1b]0;owned\x07\x1b[2J",))
elif name in ("control-owner.db", "control-description.db"):
    shutil.copy(base, out)
    sql(out, "UPDATE asset SET %s = ? WHERE id = 'a3'" % name[8:-3],
        args=("\x1b[2J\x1b[31mowned",))
elif name == "utf8-name.db":
    shutil.copy(base, out)
    sql(out, "UPDATE asset SET name = CAST(? AS TEXT) WHERE id = 'a3'",
        args=(b"\xc0\xaf\xff",))
elif name == "trigger.db":
    # A trigger no highwater writes, that would delete every dependency
    # at the next asset added: a crafted file must not run it.
    shutil.copy(base, out)
    sql(out, "CREATE TRIGGER evil AFTER INSERT ON asset BEGIN "
        "DELETE FROM dependency; END")
else:
    sys.exit("unknown database " + name)
