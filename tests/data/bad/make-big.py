#!/usr/bin/python3
"""make-big.py --list | make-big.py NAME DIR [WORKBOOK]

The hostile files too big to commit, made at test time by
tests/cli/bad-input.sh one at a time (the largest are 50 MiB): --list
prints their lines of EXPECTED (FILE, EXIT, TEXT; see EXPECTED); NAME
DIR writes that file into DIR.  WORKBOOK, a real inventory workbook, is
the base of the zip bomb."""
import io
import json
import os
import sys
import zipfile

HEAD = json.dumps({"format": "highwater-inventory", "version": 1})
MB = 1 << 20
DEEP = "[" * 100000 + "]" * 100000
BIG = "d" * (50 * MB)


def asset(i, **k):
    return json.dumps({"asset": dict({"id": i, "name": "A", "type": "server"}, **k)}) + "\n"


def hub(n):
    yield HEAD + "\n" + asset("hub")
    for i in range(n):
        yield '{"asset": {"id": "s%d", "name": "S", "type": "server"}}\n' % i
    for i in range(n):
        yield '{"dependency": {"from": "hub", "to": "s%d", "type": "uses"}}\n' % i


def refs(to):
    yield HEAD + "\n" + asset("b1")
    line = json.dumps({"dependency": {"from": "b1", "to": to}}) + "\n"
    for _ in range(100):
        yield line * 10000


def bomb(book):
    # A real workbook whose first sheet unpacks to 200 MiB of spaces.
    zin = zipfile.ZipFile(book)
    parts = {n: zin.read(n) for n in zin.namelist()}
    sheet = sorted(n for n in parts if n.startswith("xl/worksheets/"))[0]
    parts[sheet] = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    + b" " * (200 * MB) + b"</sheetData></worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for n, t in parts.items():
            z.writestr(n, t)
    yield buf.getvalue()


COLS = ",".join("x-%d" % i for i in range(10000))
UNKNOWN = ",".join("c%d" % i for i in range(10000))
# name: (exit, text, the parts of the file; book is the workbook)
FILES = {
    # 100,000-deep nesting, in each JSON reader.
    "deep-100k.json": (1, "' line 1 column 2120: malformed JSON: maximum parsing depth reached",
        lambda book: ['{"format": "highwater-inventory", "version": 1, "assets": [], "x-deep": ', DEEP, "}\n"]),
    "deep-100k.jsonl": (1, "' line 2 column 2059: malformed JSON: maximum parsing depth reached",
        lambda book: [HEAD, "\n", '{"x-deep": ', DEEP, "}\n"]),
    "oscal-deep-100k.json": (1, "' line 1 column 2078: malformed JSON: maximum parsing depth reached",
        lambda book: ['{"system-security-plan": {"x": ', DEEP, "}}\n"]),
    # A string of 50 MiB, in each reader.
    "string-50mb.json": (1, "': assets[0].description: 52428800 bytes long (expected at most 4096)",
        lambda book: ['{"format": "highwater-inventory", "version": 1, "assets": [{"id": "b1", '
                      '"name": "B", "type": "server", "description": "', BIG, '"}]}\n']),
    "string-50mb.jsonl": (1, "' line 2: a line longer than 16 MiB (the limit of a JSON Lines line)",
        lambda book: [HEAD, "\n", asset("b1", description=BIG)]),
    "string-50mb.csv": (1, "' line 2 column 1: a record longer than 16 MiB (is a quote left open?)",
        lambda book: ["id,name,type,description\nb1,B,server,", BIG, "\n"]),
    "oscal-string-50mb.json": (1, "': larger than 32 MiB, the most an SSP import reads",
        lambda book: ['{"system-security-plan": {"x": "', BIG, '"}}\n']),
    # CSV of 10,000 columns: extensions are ignored, unknown ones refused.
    "columns-10k.csv": (0, "imported 0 information types, 1 asset, 0 dependencies",
        lambda book: ["id,name,type,", COLS, "\nb1,B,server,", "," * 9999, "\n"]),
    "columns-10k-unknown.csv": (1, "' line 1 column 14: unknown column \"c0\"",
        lambda book: ["id,name,type,", UNKNOWN, "\nb1,B,server,", "," * 9999, "\n"]),
    # A million references: of an asset to itself, and of one pair.
    "self-refs-1m.jsonl": (1, "' line 3: dependency: asset 'b1' cannot depend on itself",
        lambda book: refs("b1")),
    "refs-1m.jsonl": (1, "' line 4: dependency: duplicate dependency 'b1' -> 'a1' (first at line 3)",
        lambda book: refs("a1")),
    # The dependencies of one asset: 100,000 at most.
    "deps-100000.jsonl": (0, "imported 0 information types, 100001 assets, 100000 dependencies",
        lambda book: hub(100000)),
    "deps-100001.jsonl": (1, "': asset 'hub' depends on more than 100000 assets (the most dependencies an asset has)",
        lambda book: hub(100001)),
    "bomb-200mb.xlsx": (1, "': sheet 'Assets', part 'xl/worksheets/sheet1.xml': the workbook unpacks to more than",
        bomb),
}

if sys.argv[1] == "--list":
    for name, (rc, text, _) in FILES.items():
        print("%s\t%d\t%s" % (name, rc, text))
    sys.exit(0)
name, out = sys.argv[1], sys.argv[2]
book = sys.argv[3] if len(sys.argv) > 3 else None
with open(os.path.join(out, name), "wb") as f:
    for p in FILES[name][2](book):
        f.write(p.encode() if isinstance(p, str) else p)
