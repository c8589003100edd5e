#!/usr/bin/python3
"""random-inventory.py: a random highwater inventory for round-trip tests.

    random-inventory.py SEED OUT.json [REVERSED.json REVERSED.jsonl]

Writes one inventory document for SEED (the same seed always gives the
same file) with own information types (one without levels), shipped
types, adjusted assignments with justifications, risk factors, cycles,
diamond-shaped paths, many assets tied as sources of a raised level, and
one hub asset with more than 126 dependents (its blast radius is
estimated).  With REVERSED.json and REVERSED.jsonl it also writes the
same inventory with the information types, the assets (and each asset's
types) and the dependencies in reverse order, as a document and as JSON
Lines.  Prints the hub's id and two other asset ids to use as targets.
"""
import json
import random
import sys

LEVELS = ["low", "moderate", "high"]
ASSET_TYPES = ["business_service", "application", "database", "server",
               "virtual_machine", "container", "network_device",
               "storage_device", "cloud_service", "endpoint", "other"]
DEP_TYPES = ["runs_on", "uses", "stores_data_in", "connects_to",
             "authenticates_via", "backs_up_to", "other"]
CARRIES = ["cia", "cia", "cia", "c", "i", "a", "ci", "ia", "ca"]
# Shipped types and their provisional levels (data/sp800-60-info-types.csv).
SHIPPED = {"C.2.4.1": ("moderate", "moderate", "moderate"),
           "C.3.5.1": ("low", "moderate", "low"),
           "C.2.8.12": ("low", "low", "low")}


def ident(rng, prefix, used):
    """A fresh id whose order says nothing about when it was made."""
    while True:
        s = "%s-%s" % (prefix, "".join(rng.choice("abcdefghjkmnpqrstuvwxyz0123456789")
                                       for _ in range(rng.randint(2, 6))))
        if s not in used:
            used.add(s)
            return s


def levels_obj(rng, obj, na_ok):
    keys = ["confidentiality", "integrity", "availability"]
    for i, k in enumerate(keys):
        choices = (["na"] if na_ok and i == 0 else []) + LEVELS
        obj[k] = rng.choice(choices)


def main():
    seed = int(sys.argv[1])
    rng = random.Random(seed)
    used = set()
    types = []
    for i in range(rng.randint(3, 6)):
        t = {"id": "X.%d" % (i + 1), "name": "Own type %d" % (i + 1)}
        if i == 0:
            pass  # no provisional levels: assignments give them
        else:
            levels_obj(rng, t, True)
        if rng.random() < 0.5:
            t["category"] = rng.choice(["Operations", "Research", "Sales"])
        types.append(t)
    # A shipped type given exactly as shipped is allowed (a no-op).
    types.append({"id": "C.2.4.1", "name": "Contingency Planning",
                  "confidentiality": "moderate", "integrity": "moderate",
                  "availability": "moderate"})
    provisional = {t["id"]: (t.get("confidentiality"), t.get("integrity"),
                             t.get("availability")) for t in types}
    provisional.update(SHIPPED)

    assets = []
    n = rng.randint(230, 320)
    for i in range(n):
        a = {"id": ident(rng, rng.choice("abcdmsvz"), used),
             "name": "Asset %d" % i, "type": rng.choice(ASSET_TYPES)}
        if rng.random() < 0.7:
            a["owner"] = rng.choice(["ops@example.org", "dev@example.org",
                                     "sec@example.org", "ot@example.org"])
        r = rng.random()
        if r < 0.25:  # many equal sources: ties to break
            for k in ("confidentiality", "integrity", "availability"):
                a[k] = "high" if rng.random() < 0.6 else "moderate"
        elif r < 0.35:  # partly categorized
            a[rng.choice(["confidentiality", "integrity", "availability"])] = \
                rng.choice(LEVELS)
        if rng.random() < 0.3:
            held = []
            for tid in rng.sample(sorted(provisional), rng.randint(1, 2)):
                g = {"id": tid}
                prov = provisional[tid]
                if prov[0] is None:
                    levels_obj(rng, g, True)
                    if rng.random() < 0.5:
                        g["justification"] = "levels of record %d" % i
                elif rng.random() < 0.4:
                    keys = ["confidentiality", "integrity", "availability"]
                    for k, p in zip(keys, prov):
                        g[k] = p
                    k = rng.randrange(3)
                    g[keys[k]] = rng.choice([x for x in LEVELS if x != prov[k]])
                    g["justification"] = "adjusted after review %d" % i
                held.append(g)
            a["information_types"] = held
        if rng.random() < 0.2:
            a["internet_facing"] = True
        if rng.random() < 0.4:
            a["vulnerabilities"] = rng.randint(0, 12)
            a["worst_cvss"] = round(rng.uniform(0, 10), 1)
        if rng.random() < 0.3:
            a["last_patched"] = "2026-%02d-%02d" % (rng.randint(1, 9),
                                                   rng.randint(1, 28))
        if rng.random() < 0.1:
            a["end_of_life"] = "2025-%02d-01" % rng.randint(1, 12)
        if rng.random() < 0.3:
            a["authorized"] = rng.random() < 0.7
            # Who and when, so that imports at other times agree (an
            # import fills in its own actor and time where none).
            if a["authorized"]:
                a["authorized_by"] = "cab"
                a["authorized_at"] = "2026-01-15T10:00:00Z"
        if rng.random() < 0.3:
            a["implemented_baseline"] = rng.choice(["none"] + LEVELS)
        if rng.random() < 0.2:
            a["downtime_cost"] = rng.randint(0, 50000)
        assets.append(a)

    deps = {}

    def dep(frm, to):
        if frm == to or (frm, to) in deps:
            return
        d = {"from": frm, "to": to, "type": rng.choice(DEP_TYPES)}
        c = rng.choice(CARRIES)
        if c != "cia" or rng.random() < 0.5:
            d["carries"] = c
        deps[(frm, to)] = d

    ids = [a["id"] for a in assets]
    hub = ids[0]
    # Layers above the hub: 12 to 20 middle assets depend on it, the next
    # 140 to 200 each on two or three of them (diamonds).
    mid = ids[1:1 + rng.randint(12, 20)]
    top = ids[1 + len(mid):1 + len(mid) + rng.randint(140, 200)]
    for m in mid:
        dep(m, hub)
    for t in top:
        for m in rng.sample(mid, rng.randint(2, 3)):
            dep(t, m)
    # Random edges anywhere: cycles, more diamonds, other components.
    for _ in range(rng.randint(len(ids), 2 * len(ids))):
        dep(rng.choice(ids), rng.choice(ids))
    # A few explicit cycles through the hub and among the rest.
    dep(hub, rng.choice(top))
    rest = ids[1 + len(mid) + len(top):]
    if len(rest) >= 3:
        ring = rng.sample(rest, 3)
        dep(ring[0], ring[1])
        dep(ring[1], ring[2])
        dep(ring[2], ring[0])

    doc = {"format": "highwater-inventory", "version": 1,
           "information_types": types, "assets": assets,
           "dependencies": list(deps.values())}
    with open(sys.argv[2], "w") as f:
        json.dump(doc, f, indent=1)
    if len(sys.argv) > 4:
        rev_assets = []
        for a in reversed(assets):
            a = dict(a)
            if "information_types" in a:
                a["information_types"] = list(reversed(a["information_types"]))
            rev_assets.append(a)
        rev = dict(doc, information_types=list(reversed(types)),
                   assets=rev_assets,
                   dependencies=list(reversed(doc["dependencies"])))
        with open(sys.argv[3], "w") as f:
            json.dump(rev, f, indent=1)
        with open(sys.argv[4], "w") as f:
            f.write('{"format": "highwater-inventory", "version": 1}\n')
            for t in rev["information_types"]:
                f.write(json.dumps({"information_type": t}) + "\n")
            for a in rev["assets"]:
                f.write(json.dumps({"asset": a}) + "\n")
            for d in rev["dependencies"]:
                f.write(json.dumps({"dependency": d}) + "\n")
    print(hub, rng.choice(mid), rng.choice(rest or ids))


main()
