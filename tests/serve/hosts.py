#!/usr/bin/python3
"""hosts.py: one inventory, two services and the command line (issue 18).

Two `highwater serve` instances on one database, as two hosts' services
on one PostgreSQL (on SQLite, two processes on one file), and the
command line beside them:

1. Writes from everywhere at once: 2 service clients on each instance
   and 2 CLI writers register, edit and link assets (bench/hwload.py's
   workload).  No write is lost and none is there unacknowledged; the
   audit chain verifies and is one chain (every record's number follows
   the one before, none twice).
2. Both instances answer the same, and as the command line does: the
   run's assets, the dependencies, impacts and categorizations of the
   targets it linked to, risk and the audit trail (each instance
   keeps its warm graph current when the other, or the CLI, wrote).
3. Change lifecycle steps race and never both win: an assessed change
   approved on one instance while rejected on the other (one decision
   stands, the other is refused 409); then implemented on both at once
   (one 200 and one 409 if approved, two 409 if rejected); its edit is
   applied once, with one decision and at most one implementation in
   the audit trail.

HW_HOSTS_ROUNDS (default 1) repeats phases 1 to 3 on the same database.
TAP.
"""
import json
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("HW_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRC, "bench"))
import hwdb  # noqa: E402
import hwload  # noqa: E402
import hwserve  # noqa: E402

ROUNDS = int(os.environ.get("HW_HOSTS_ROUNDS") or 1)
CLIENTS, CLI_WRITERS, STEPS, CLI_STEPS = 2, 2, 12, 6
SEED = 18
API = "/api/v1"
MIX = (("register", 15), ("edit", 20), ("dep_add", 10), ("dep_rm", 10),
       ("impact_small", 25))

t = hwserve.Tap()
os.umask(0o077)


def writes(a, b, token, rnd):
    """Phase 1: clients on both instances and CLI writers at once."""
    prefix = "host%d" % rnd
    targets = hwload.targets(a.db, 20, SEED + rnd)
    threads = []
    for k, srv in enumerate((a, b)):
        ctx = hwload.Context(srv.port, token, srv.port, token, prefix,
                             targets, "cmms-db", "cmms-db", ops=STEPS,
                             cli_ops=CLI_STEPS, db=a.db)
        threads += [hwload.Worker(ctx, k * CLIENTS + i,
                                  SEED * 1000 + rnd * 100 + k * 10 + i,
                                  mix=MIX)
                    for i in range(CLIENTS)]
        if k == 0:
            threads += [hwload.CliWriter(ctx, i, SEED * 2000 + rnd * 100 + i)
                        for i in range(CLI_WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    errs = [e for th in threads for e in th.acct.errors]
    t.eq(errs[:5], [], "round %d: %d service clients on each of two "
         "instances and %d CLI writers: every write answered as expected"
         % (rnd, CLIENTS, CLI_WRITERS))
    accts = [th.acct for th in threads]
    res = hwload.verify(a.db, prefix, accts)
    acked = sum(sum(x.acks.values()) for x in accts)
    t.eq(res["lost"][:5], [], "round %d: no lost write (%d acknowledged, "
         "from two instances and the CLI)" % (rnd, acked))
    t.eq(res["stray"][:5], [], "round %d: no stray write" % rnd)
    rc, out, err = a.cli("audit", "verify")
    t.eq((rc, err), (0, ""), "round %d: audit verify passes" % rnd)
    seqs = [r[0] for r in hwdb.query(a.db,
                                      "SELECT seq FROM audit ORDER BY seq")]
    t.eq(seqs, list(range(1, len(seqs) + 1)),
         "round %d: the audit trail is one chain: records 1 to %d, each "
         "once" % (rnd, len(seqs)))
    return prefix, targets


def get(srv, token, path, query=None):
    st, hd, body = srv.request("GET", API + path, token, query=query)
    return st, body


def same(a, b, token, prefix, targets, rnd):
    """Phase 2: both instances and the CLI give one answer."""
    asks = [("/assets", {"prefix": prefix}, ["asset", "list", "--prefix",
                                              prefix]),
            ("/dependencies", None, ["dep", "list"]),
            ("/risk", None, ["risk"])]
    for x in targets[:4]:
        asks.append(("/impact", {"target": x}, ["impact", x]))
        asks.append(("/categorize/" + x, None, ["categorize", x]))
    differ, unlike_cli = [], []
    for path, query, cli in asks:
        got_a, got_b = get(a, token, path, query), get(b, token, path, query)
        if got_a != got_b:
            differ.append(path)
        rc, out, err = a.cli("--json", *cli)
        if rc != 0 or got_a != (200, json.loads(out)):
            unlike_cli.append(path)
    t.eq(differ, [], "round %d: both instances answer the same (%d "
         "questions: assets, dependencies, risk, impacts and "
         "categorizations)" % (rnd, len(asks)))
    t.eq(unlike_cli, [], "round %d: ... and as the command line's --json"
         % rnd)
    trail_a, trail_b = get(a, token, "/audit"), get(b, token, "/audit")
    t.ok(trail_a[0] == 200 and trail_a == trail_b,
         "round %d: both instances show the same audit trail" % rnd)


def at_once(*calls):
    """Run the calls in threads released together: their results."""
    out = [None] * len(calls)
    go = threading.Barrier(len(calls))

    def one(i, fn):
        go.wait()
        out[i] = fn()
    threads = [threading.Thread(target=one, args=(i, fn), daemon=True)
               for i, fn in enumerate(calls)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def races(a, b, owner, cab, rnd):
    """Phase 3: two decisions at once, then two implementations."""
    asset = "host-race-%d" % rnd
    st, hd, body = a.request("POST", API + "/assets", owner, json={
        "id": asset, "name": "Race %d" % rnd, "type": "server",
        "owner": hwload.OWNS, "availability": "low"})
    st2, hd, chg = b.request("POST", API + "/changes", owner, json={
        "title": "Race %d" % rnd, "targets": [asset],
        "edits": [{"kind": "set", "asset": asset, "field": "a",
                   "value": "high"}]})
    cid = chg.get("id") if isinstance(chg, dict) else None
    st3, hd, body = a.request("POST", API + "/changes/%s/assess" % cid,
                              owner, json={})
    if (st, st2, st3) != (201, 201, 200):
        t.ok(False, "round %d: the race's asset and change: %r"
             % (rnd, (st, st2, st3, chg)))
        return
    base = API + "/changes/" + cid
    decided = at_once(
        lambda: a.request("POST", base + "/decide", cab, json={
            "decision": "approve", "reason": "window agreed"})[0],
        lambda: b.request("POST", base + "/decide", cab, json={
            "decision": "reject", "reason": "too risky"})[0])
    t.eq(sorted(decided), [200, 409], "round %d: approve on one instance, "
         "reject on the other at once: one stands, one 409 (%r)"
         % (rnd, decided))
    approved = decided[0] == 200
    done = at_once(
        lambda: a.request("POST", base + "/implement", cab, json={})[0],
        lambda: b.request("POST", base + "/implement", cab, json={})[0])
    want = [200, 409] if approved else [409, 409]
    t.eq(sorted(done), want, "round %d: implemented on both at once after "
         "%s: %r" % (rnd, "approval" if approved else "rejection", done))
    st, body = get(a, owner, "/changes/" + cid)
    t.eq(body.get("state") if st == 200 else st,
         "implemented" if approved else "rejected",
         "round %d: the change's state is the winner's" % rnd)
    st, body = get(b, owner, "/assets/" + asset)
    t.eq(body["direct"]["availability"] if st == 200 else st,
         "high" if approved else "low",
         "round %d: its edit applied %s" % (rnd, "once" if approved
                                             else "never"))
    rc, out, err = a.cli("--json", "audit", "log")
    recs = json.loads(out)["records"] if rc == 0 else []
    steps = [r["action"] for r in recs if r["object"] == "change:" + cid]
    t.eq(steps, ["new", "assess", "approve", "implement"] if approved
         else ["new", "assess", "reject"],
         "round %d: the audit trail holds one decision and %s" %
         (rnd, "one implementation" if approved else "no implementation"))
    edits = [r["action"] for r in recs if r["object"] == "asset:" + asset]
    t.eq(edits, ["add", "update"] if approved else ["add"],
         "round %d: ... and the asset's edit %s" %
         (rnd, "once" if approved else "never"))


def main():
    a = hwserve.Server(demo=True)
    b = None
    try:
        b = hwserve.Server(db=a.db)
        token = a.user("hosts", "owner,admin", owns=hwload.OWNS)
        cab = a.user("board", "cab")
        t.diag("%s: two instances on one database (ports %d and %d)"
               % ("PostgreSQL" if hwdb.on_postgresql() else "SQLite",
                  a.port, b.port))
        for rnd in range(1, ROUNDS + 1):
            prefix, targets = writes(a, b, token, rnd)
            same(a, b, token, prefix, targets, rnd)
            races(a, b, token, cab, rnd)
    finally:
        if b is not None:
            b.cleanup()
        a.cleanup()
    t.done()


main()
