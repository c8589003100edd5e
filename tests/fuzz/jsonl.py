#!/usr/bin/env python3
"""jsonl.py: an inventory document (JSON) as JSON Lines, for the seed
corpus of fuzz-jsonl: the header line, then one record a line.

    python3 jsonl.py IN.json OUT.jsonl
"""
import json
import sys

KEYS = (("information_types", "information_type"), ("assets", "asset"),
        ("dependencies", "dependency"), ("changes", "change"),
        ("incidents", "incident"))

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
if not isinstance(doc, dict):
    sys.exit(0)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    head = {k: v for k, v in doc.items() if not isinstance(v, list)}
    out.write(json.dumps(head) + "\n")
    for many, one in KEYS:
        for rec in doc.get(many) or []:
            out.write(json.dumps({one: rec}) + "\n")
