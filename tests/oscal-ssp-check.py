#!/usr/bin/python3
"""oscal-ssp-check.py: check OSCAL System Security Plans (JSON) against
NIST's published SSP JSON schema and against the rules validators and
authorities add beyond it.  Independent of highwater's C code.

usage: oscal-ssp-check.py SCHEMA FILE...

Prints "ok" when every file passes, else one line per problem, each
starting with the file's name.  The schema's patterns use Unicode
property escapes (\\p{L}), which Python's re rejects: its "pattern"
keyword is checked with the regex module (python3-regex) instead, by a
Draft7Validator extended for it (jsonschema's validators.extend).

The rules beyond the schema (FedRAMP's constraints, and what published
validation rules got wrong: testing the sensitivity level for equality
with one impact, counting an unknown value as low):
  * every information type has all three impacts, each with a base and
    a selected level, written fips-199-low/moderate/high (fips-199-na
    for confidentiality alone: FIPS 199's NOT APPLICABLE);
  * an adjustment-justification, not blank, wherever selected != base;
  * security-impact-level: all three objectives, each at least the
    high-water mark of the information types' selected levels (NA
    counting as low);
  * security-sensitivity-level: the high-water mark of the three;
  * one this-system component; every role-id and party-uuid declared
    in metadata; every component-uuid and link to "#uuid" resolves;
    every component has an inventory item; UUIDs unique, the plan's
    version 4 and every other one version 5.
"""
import json
import sys

import jsonschema
import regex
from jsonschema import validators

RANK = {"fips-199-low": 1, "fips-199-moderate": 2, "fips-199-high": 3}
OBJECTIVES = ("confidentiality", "integrity", "availability")


def pattern(validator, patrn, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(patrn, instance):
        yield jsonschema.ValidationError("%r does not match %r" % (instance, patrn))


Validator = validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})


def level(v, where, problems, allow_na=False):
    """The rank of a level (NA as low); records a problem if unknown."""
    if allow_na and v == "fips-199-na":
        return 1
    if v not in RANK:
        problems.append("%s: %r is not fips-199-low, -moderate or -high" % (where, v))
        return 0
    return RANK[v]


def walk(x, path=""):
    """Every (path, key, value) of a JSON value."""
    if isinstance(x, dict):
        for k, v in x.items():
            yield path, k, v
            yield from walk(v, path + "/" + k)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk(v, "%s[%d]" % (path, i))


def rules(doc):
    p = []
    ssp = doc["system-security-plan"]
    sc = ssp["system-characteristics"]
    hwm = {o: 0 for o in OBJECTIVES}
    for i, t in enumerate(sc["system-information"]["information-types"]):
        for o in OBJECTIVES:
            w = "information-types[%d].%s-impact" % (i, o)
            imp = t.get(o + "-impact")
            if imp is None:
                p.append(w + ": missing")
                continue
            if "selected" not in imp:
                p.append(w + ": no selected level")
                continue
            base = level(imp.get("base"), w + ".base", p, o == "confidentiality")
            sel = level(imp["selected"], w + ".selected", p, o == "confidentiality")
            if imp["selected"] != imp["base"] and not imp.get(
                    "adjustment-justification", "").strip():
                p.append(w + ": selected differs from base with no justification")
            hwm[o] = max(hwm[o], sel)
    sil = sc.get("security-impact-level")
    if sil is None:
        p.append("no security-impact-level")
        return p
    top = 0
    for o in OBJECTIVES:
        v = level(sil.get("security-objective-" + o), "security-impact-level." + o, p)
        if v < hwm[o]:
            p.append("security-impact-level.%s is below the information types' %s"
                     % (o, [k for k, r in RANK.items() if r == hwm[o]][0]))
        top = max(top, v)
    sens = level(sc.get("security-sensitivity-level"), "security-sensitivity-level", p)
    if sens != top:
        p.append("security-sensitivity-level is not the high-water mark of the impact levels")
    # references
    md = ssp["metadata"]
    roles = {r["id"] for r in md.get("roles", [])}
    parties = {x["uuid"] for x in md.get("parties", [])}
    si = ssp["system-implementation"]
    comps = {c["uuid"] for c in si["components"]}
    if [c["type"] for c in si["components"]].count("this-system") != 1:
        p.append("not exactly one this-system component")
    items = {ic["component-uuid"] for it in si.get("inventory-items", [])
             for ic in it.get("implemented-components", [])}
    if items != comps:
        p.append("components and inventory items do not match")
    uuids = []
    for path, k, v in walk(ssp):
        if k == "role-id" and v not in roles:
            p.append("%s: role %r is not declared" % (path, v))
        if k == "role-ids":
            for r in v:
                if r not in roles:
                    p.append("%s: role %r is not declared" % (path, r))
        if k == "party-uuids":
            for u in v:
                if u not in parties:
                    p.append("%s: party %s is not declared" % (path, u))
        if k == "component-uuid" and v not in comps:
            p.append("%s: component %s does not exist" % (path, v))
        if k == "href" and v.startswith("#") and v[1:] not in comps:
            p.append("%s: link %s leads nowhere" % (path, v))
        if k == "uuid":
            uuids.append((path, v))
    seen = set()
    for path, u in uuids:
        if u in seen:
            p.append("%s: UUID %s is not unique" % (path, u))
        seen.add(u)
        want = "4" if path == "" else "5"
        if u[14] != want:
            p.append("%s: UUID %s is not version %s" % (path, u, want))
    return p


def main():
    schema = json.load(open(sys.argv[1]))
    v = Validator(schema)
    out = []
    for name in sys.argv[2:]:
        doc = json.load(open(name))
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errs[:5]:
            out.append("%s: schema: %s: %s" % (
                name, "/".join(str(x) for x in e.absolute_path), e.message[:200]))
        if not errs:
            out += ["%s: %s" % (name, x) for x in rules(doc)]
    print("\n".join(out) if out else "ok")


if __name__ == "__main__":
    main()
