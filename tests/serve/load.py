#!/usr/bin/python3
"""load.py: many writers at once, every write accounted for (issue 14).

The short version of bench/load, with its workload (bench/hwload.py):
on a layered inventory of 2000 assets made here (gen-inventory.c's
layers and ids, smaller than it makes), 8 service clients on keep-alive
connections mix registrations, edits, dependency edits, impact
summaries and workbooks while 2 threads write through the CLI on the
same database.  A fixed number of steps a
thread, seeded, so that with no error the acknowledged writes are the
same every run.  Then: no error (no "database is locked"), every
acknowledged write in the database as acknowledged and nothing else of
the run's, the audit trail verifies, and GET /impact of the target the
run's assets depend on most is impact --json.  TAP.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("HW_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRC, "bench"))
import hwdb  # noqa: E402
import hwserve  # noqa: E402
import hwload  # noqa: E402

SIZE = 2000
CLIENTS, CLI_WRITERS = 8, 2
STEPS, CLI_STEPS = 24, 12
SEED = 14
PREFIX = "load"
# What the seeded steps acknowledge when nothing fails: registrations,
# edits, dependencies added, removed (service clients; CLI writers).
WANT_HTTP = {"register": 35, "edit": 36, "dep_add": 75, "dep_rm": 24}
WANT_CLI = {"register": 9, "edit": 4, "dep_add": 15, "dep_rm": 5}
# The service clients' requests by kind.
WANT_KINDS = {"register": 35, "edit": 36, "dep_add": 75, "dep_rm": 24,
              "impact_core": 15, "impact_small": 53, "workbook_plan": 4,
              "workbook_inventory": 5}

t = hwserve.Tap()


def total(accts):
    out = {}
    for a in accts:
        for k, v in a.acks.items():
            out[k] = out.get(k, 0) + v
    return out


# The layers (prefix, type, count) from the top, as gen-inventory.c's.
LAYERS = (("svc", "business_service", 20), ("app", "application", 200),
          ("db", "database", 160), ("vm", "virtual_machine", 900),
          ("host", "server", 120), ("stor", "storage_device", 40),
          ("sw", "network_device", 100), ("core", "network_device", 8),
          ("ep", "endpoint", 452))
# Who depends on whom: (from, to, type, how many each).
EDGES = (("svc", "app", "uses", 3), ("app", "db", "stores_data_in", 1),
         ("app", "vm", "runs_on", 2), ("db", "vm", "runs_on", 1),
         ("vm", "host", "runs_on", 1), ("host", "stor", "stores_data_in", 1),
         ("host", "sw", "connects_to", 2), ("stor", "sw", "connects_to", 1),
         ("sw", "core", "connects_to", 2), ("ep", "sw", "connects_to", 1))


def inventory(path):
    """A layered inventory of SIZE assets, the same every run."""
    rng = random.Random(SEED)
    count = {p: n for p, _, n in LAYERS}
    lines = [{"format": "highwater-inventory", "version": 1}]
    for p, typ, n in LAYERS:
        for i in range(n):
            a = {"id": "%s-%07d" % (p, i), "name": "%s %d" % (typ, i),
                 "type": typ, "owner": "team-%03d@example.org"
                 % rng.randrange(40)}
            if p in ("svc", "app"):
                a.update(confidentiality=rng.choice(hwload.LEVELS),
                         integrity=rng.choice(hwload.LEVELS),
                         availability=rng.choice(hwload.LEVELS))
            lines.append({"asset": a})
    for src, dst, typ, k in EDGES:
        for i in range(count[src]):
            for j in rng.sample(range(count[dst]), k):
                lines.append({"dependency": {
                    "from": "%s-%07d" % (src, i), "to": "%s-%07d" % (dst, j),
                    "type": typ}})
    for i in range(count["core"]):
        lines.append({"dependency": {
            "from": "core-%07d" % i, "to": "core-%07d" % ((i + 1) % 8),
            "type": "connects_to"}})
    with open(path, "w") as f:
        for x in lines:
            f.write(json.dumps(x) + "\n")


srv = hwserve.Server(demo=False, start=False)
try:
    inv = os.path.join(srv.dir, "inventory.jsonl")
    inventory(inv)
    rc, out, err = srv.cli("--quiet", "import", inv, actor="it-admin")
    if rc != 0:
        raise RuntimeError("import: " + err)
    srv.start()
    token = srv.user("loader", "owner,admin", owns=hwload.OWNS)
    targets = hwload.targets(srv.db, 40, SEED)
    ctx = hwload.Context(srv.port, token, srv.port, token, PREFIX,
                         targets, "core-0000000", "db-%07d" % (SIZE // 50),
                         ops=STEPS, cli_ops=CLI_STEPS, db=srv.db)
    http = [hwload.Worker(ctx, i, SEED * 1000 + i) for i in range(CLIENTS)]
    clis = [hwload.CliWriter(ctx, i, SEED * 2000 + i)
            for i in range(CLI_WRITERS)]
    for th in http + clis:
        th.start()
    for th in http + clis:
        th.join()

    errs = [e for th in http for e in th.acct.errors]
    if not t.eq(errs[:5], [], "%d clients x %d steps: no unexpected "
                "answer, timeout or bad body" % (CLIENTS, STEPS)):
        t.diag("\n".join(line for line in srv.log().splitlines()
                         if line.startswith("highwater: serve:"))[-2000:])
    locked = sum(th.acct.locked for th in clis)
    t.eq(locked, 0, "the CLI writers beside the service: no \"database "
         "is locked\"")
    t.eq([e for th in clis for e in th.acct.errors][:5], [],
         "%d CLI writers x %d steps: every one exited 0"
         % (CLI_WRITERS, CLI_STEPS))
    kinds = {}
    for th in http:
        for k, v in th.acct.times.items():
            kinds[k] = kinds.get(k, 0) + len(v)
    t.eq(kinds, WANT_KINDS, "requests by kind (seeded: the same every run)")
    t.eq(total(th.acct for th in http), WANT_HTTP,
         "service writes acknowledged (seeded: the same every run)")
    t.eq(total(th.acct for th in clis), WANT_CLI,
         "CLI writes acknowledged (seeded: the same every run)")

    accts = [th.acct for th in http + clis]
    res = hwload.verify(srv.db, PREFIX, accts)
    t.eq(res["lost"][:5], [], "no lost write: every acknowledged "
         "registration, edit and dependency is in the database as "
         "acknowledged")
    t.eq(res["stray"][:5], [], "no stray write: nothing of the run's "
         "there that was not acknowledged")
    acked = total(accts)
    t.eq(res["assets"], acked["register"],
         "every registered asset checked (%d)" % acked["register"])
    t.eq(res["deps"], sum(len(a.deps) for a in accts),
         "every dependency written checked (%d)" % res["deps"])

    rc, out, err = srv.cli("audit", "verify")
    t.ok(rc == 0, "audit verify passes after the run")
    if rc != 0:
        t.diag(err)

    # The target the run's dependencies point to most.
    onto = {}
    for a in accts:
        for (src, dst), s in a.deps.items():
            if s is True:
                onto[dst] = onto.get(dst, 0) + 1
    target = max(sorted(onto), key=lambda d: onto[d])
    status, _, body = srv.request("GET", "/api/v1/impact", token=token,
                                  query={"target": target})
    rc, out, err = srv.cli("--json", "impact", target)
    mine = [m["id"] for m in body.get("members", [])
            if m["id"].startswith(PREFIX + "-")] if status == 200 else []
    t.eq(len(mine), onto[target], "GET /impact?target=%s: the %d assets "
         "of the run that depend on it are members" % (target, onto[target]))
    t.ok(status == 200 and rc == 0 and body == json.loads(out),
         "... and the answer is impact --json")

    # The check can fail: one acknowledged edit undone behind its back.
    victim = sorted(aid for a in accts for aid, s in a.assets.items()
                    if s != hwload.UNKNOWN)[0]
    srv.stop()
    con = hwdb.connect(srv.db)
    con.execute("UPDATE asset SET description = 'tampered' WHERE id = ?",
                (victim,))
    con.commit()
    con.close()
    res = hwload.verify(srv.db, PREFIX, accts)
    t.eq((len(res["lost"]), len(res["stray"])), (1, 0),
         "an acknowledged edit undone in the database: one lost write")
finally:
    srv.cleanup()
t.done()
