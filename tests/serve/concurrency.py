#!/usr/bin/python3
"""concurrency.py: up to 8 processes on one database at once (issue 16).

Phase 1, imports and readers: one process imports --replace two
inventories of distinct sizes in turn (A: 3000 assets, B: 2000),
another merges a third (M: 500 more) again and again, while 3 CLI
readers (asset list, impact, categorize --summary) and 2 service
readers (GET /assets, GET /impact) ask all the time.  Every answer is
exactly the answer of one whole state, A, B, A+M or B+M (each taken
alone beforehand): never half an import.

Phase 2, writes side by side: 4 service clients register, edit and
link assets (bench/hwload.py's workload) while 2 CLI writers do the
same through the command line, another process merges two versions of
one inventory in turn (owner m1 for its 500 assets, then m2), and a CLI
reader and a service reader check they see all 500 with one owner.
No writer is told "database is locked" or busy (the CLI waits; the
service, with a generous --write-wait, answers no 503), no write is
lost and none is there unacknowledged (counted).

Phase 3, the service's limit: with --write-wait 1, beside an import of
40,000 assets, a write is answered 503 with Retry-After only after
waiting that long, and leaves nothing; the others are stored.
HW_CONC_ROUNDS (default 3) sets the imports a phase's importer does.
TAP.
"""
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("HW_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRC, "bench"))
import hwserve  # noqa: E402
import hwload  # noqa: E402

ROUNDS = int(os.environ.get("HW_CONC_ROUNDS") or 3)
SIZE_A, SIZE_B, SIZE_M = 3000, 2000, 500
SIZE_BIG = 40000    # an import that holds the write lock over 1 s
CLIENTS, CLI_WRITERS, STEPS, CLI_STEPS = 4, 2, 20, 8
SEED = 16
PREFIX = "conc"
API = "/api/v1"
# Service clients: writes and impact summaries (no workbooks).
MIX = (("register", 15), ("edit", 20), ("dep_add", 10), ("dep_rm", 10),
       ("impact_small", 25))

t = hwserve.Tap()
os.umask(0o077)


def inventory(path, n, prefix, label, owner, levels=True):
    """N assets PREFIX-NNNNNN named LABEL, owned by OWNER, each but the
    first depending on an earlier one."""
    lv = ("low", "moderate", "high")
    with open(path, "w") as f:
        f.write('{"format": "highwater-inventory", "version": 1}\n')
        for i in range(n):
            a = {"id": "%s-%06d" % (prefix, i), "name": "%s %d" % (label, i),
                 "type": ("database", "virtual_machine", "server")[i % 3],
                 "owner": owner}
            if levels and i % 7 == 0:
                a["confidentiality"] = lv[(i // 7) % 3]
            f.write(json.dumps({"asset": a}) + "\n")
        for i in range(1, n):
            f.write(json.dumps({"dependency": {
                "from": "%s-%06d" % (prefix, i),
                "to": "%s-%06d" % (prefix, (i - 1) // 3),
                "type": "runs_on"}}) + "\n")


def run(db, *args):
    """highwater --db DB ARGS: (exit status, stdout, stderr)."""
    p = subprocess.run([hwserve.binary(), "--db", db, "--actor", "conc"] +
                       [str(a) for a in args], capture_output=True,
                       text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def must(db, *args):
    rc, out, err = run(db, *args)
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


def bad_wait(err):
    """A message a writer must never get: locked or busy."""
    return "locked" in err or "is busy" in err


CLI_READS = (("--json", "asset", "list"),
             ("--json", "impact", "imp-000001"),
             ("--json", "categorize", "--summary"))
HTTP_READS = (("/assets", None), ("/impact", {"target": "imp-000001"}))


def answers(srv, token):
    """Each reader's answer in the current state."""
    got = {}
    for args in CLI_READS:
        got[args] = must(srv.db, *args)
    for path, query in HTTP_READS:
        st, hd, body = srv.request("GET", API + path, token, query=query)
        got[path] = (st, json.dumps(body, sort_keys=True))
    return got


class Reader(threading.Thread):
    """Asks one thing again and again until stopped: counts answers
    and those not among the whole states' (bad)."""

    def __init__(self, ask, allowed):
        super().__init__(daemon=True)
        self.ask = ask
        self.allowed = allowed
        self.stop = threading.Event()
        self.n = 0
        self.seen = set()
        self.bad = []

    def run(self):
        while not self.stop.is_set():
            got = self.ask()
            self.n += 1
            if got in self.allowed:
                self.seen.add(self.allowed.index(got))
            elif len(self.bad) < 3:
                self.bad.append(got)


class Importer(threading.Thread):
    """Imports FILES (each a list of arguments) in turn, ROUNDS times
    over: counts the imports and the failures."""

    def __init__(self, db, files, rounds):
        super().__init__(daemon=True)
        self.db, self.files, self.rounds = db, files, rounds
        self.done = 0
        self.failed = []

    def run(self):
        for _ in range(self.rounds):
            for args in self.files:
                rc, out, err = run(self.db, "--quiet", "import", *args)
                if rc != 0 or bad_wait(err):
                    self.failed.append("import %s: exit %d: %s"
                                       % (args, rc, err.strip()))
                else:
                    self.done += 1


def together(writers, readers):
    """Start all; once the writers are done, stop the readers: the
    seconds it took."""
    t0 = time.monotonic()
    for th in readers + writers:
        th.start()
    for th in writers:
        th.join()
    for th in readers:
        th.stop.set()
    for th in readers:
        th.join()
    return time.monotonic() - t0


def phase1(srv, token):
    """--replace imports, merge imports and readers at once."""
    d = srv.dir
    a, b, m = (os.path.join(d, x + ".jsonl") for x in "abm")
    inventory(a, SIZE_A, "imp", "A", "team-a")
    inventory(b, SIZE_B, "imp", "B", "team-b")
    inventory(m, SIZE_M, "mrg", "M", "team-m", levels=False)
    # The whole states, each alone: A, A+M, B, B+M; then A again.
    states = []
    for step in (("--replace", a), (m,), ("--replace", b), (m,),
                 ("--replace", a)):
        must(srv.db, "--quiet", "import", *step)
        if len(states) < 4:
            states.append(answers(srv, token))
    sizes = [len(json.loads(s[CLI_READS[0]])["assets"]) for s in states]
    t.eq(sizes, [SIZE_A, SIZE_A + SIZE_M, SIZE_B, SIZE_B + SIZE_M],
         "the four whole states have distinct sizes")

    readers = []
    for args in CLI_READS:
        readers.append(Reader(lambda args=args: run(srv.db, *args),
                              [(0, s[args], "") for s in states]))
    for path, query in HTTP_READS:
        def ask(path=path, query=query):
            st, hd, body = srv.request("GET", API + path, token,
                                       query=query)
            return (st, json.dumps(body, sort_keys=True))
        readers.append(Reader(ask, [s[path] for s in states]))
    importers = [Importer(srv.db, [("--replace", b), ("--replace", a)],
                          ROUNDS),
                 Importer(srv.db, [(m,)], 2 * ROUNDS)]
    took = together(importers, readers)
    imports = sum(th.done for th in importers)
    reads = sum(th.n for th in readers)
    t.diag("phase 1: %d processes and 2 service readers, %d imports, %d "
           "reads in %.1f s" % (2 + len(CLI_READS), imports, reads, took))
    t.eq([f for th in importers for f in th.failed][:3], [],
         "%d imports (--replace A and B in turn; merge M) beside 5 "
         "readers: all exit 0, never locked or busy" % (4 * ROUNDS))
    for th, name in zip(readers, [" ".join(a[1:]) for a in CLI_READS] +
                        ["GET " + p for p, q in HTTP_READS]):
        t.eq(th.bad, [], "%s: every answer (%d) is one whole state's "
             "(%d of the 4 seen)" % (name, th.n, len(th.seen)))
    # the readers read while the inventory changed under them
    t.eq(all(th.n > 0 for th in readers), True,
         "... every reader answered at least once")
    t.eq(len(set().union(*(th.seen for th in readers))) >= 2, True,
         "... and the readers saw at least two of the whole states")
    return imports, reads


def phase2(srv, token):
    """Registrations through the service and the CLI beside merge
    imports and readers."""
    d = srv.dir
    m1, m2 = (os.path.join(d, x + ".jsonl") for x in ("m1", "m2"))
    inventory(m1, SIZE_M, "mrg", "M", "m1", levels=False)
    inventory(m2, SIZE_M, "mrg", "M", "m2", levels=False)
    must(srv.db, "--quiet", "import", m1)

    def owners_cli():
        rc, out, err = run(srv.db, "--json", "asset", "list", "--prefix",
                           "mrg-")
        if rc != 0:
            return ("exit", rc, err)
        got = json.loads(out)["assets"]
        return (len(got), sorted({x.get("owner") for x in got}))

    def owners_http():
        st, hd, body = srv.request("GET", API + "/assets", token,
                                   query={"prefix": "mrg-"})
        if st != 200:
            return ("status", st)
        got = body["assets"]
        return (len(got), sorted({x.get("owner") for x in got}))

    allowed = [(SIZE_M, ["m1"]), (SIZE_M, ["m2"])]
    readers = [Reader(owners_cli, allowed), Reader(owners_http, allowed)]
    importer = Importer(srv.db, [(m2,), (m1,)], ROUNDS)
    targets = hwload.targets(srv.db, 40, SEED)
    ctx = hwload.Context(srv.port, token, srv.port, token, PREFIX, targets,
                         "imp-000000", "imp-000100", ops=STEPS,
                         cli_ops=CLI_STEPS, db=srv.db)
    http = [hwload.Worker(ctx, i, SEED * 1000 + i, mix=MIX)
            for i in range(CLIENTS)]
    clis = [hwload.CliWriter(ctx, i, SEED * 2000 + i)
            for i in range(CLI_WRITERS)]
    took = together([importer] + http + clis, readers)

    errs = [e for th in http for e in th.acct.errors]
    busy = [e for e in errs if " 503 " in " %s " % e[1]]
    t.eq(errs[:5], [], "%d service clients x %d steps beside the CLI "
         "and imports: no unexpected answer" % (CLIENTS, STEPS))
    t.eq(len(busy), 0, "... no 503 busy within a generous --write-wait")
    t.eq([e for th in clis for e in th.acct.errors][:5], [],
         "%d CLI writers x %d steps: every one exited 0" %
         (CLI_WRITERS, CLI_STEPS))
    t.eq(sum(th.acct.locked for th in clis), 0,
         "... none told \"database is locked\"")
    t.eq(importer.failed[:3], [], "%d merge imports beside them: all exit 0"
         % (2 * ROUNDS))
    accts = [th.acct for th in http + clis]
    res = hwload.verify(srv.db, PREFIX, accts)
    acked = sum(sum(a.acks.values()) for a in accts)
    t.eq(res["lost"][:5], [], "no lost write: all %d acknowledged writes "
         "in the database as acknowledged" % acked)
    t.eq(res["stray"][:5], [], "no stray write")
    for th, name in zip(readers, ("asset list --prefix mrg-",
                                  "GET /assets?prefix=mrg-")):
        t.eq(th.bad, [], "%s: all %d assets of the import with one owner, "
             "every time (%d reads)" % (name, SIZE_M, th.n))
    t.diag("phase 2: %d service clients, %d CLI writers, 1 importer, 2 "
           "readers: %d writes acknowledged, %d lost, %d merge imports, "
           "%.1f s" % (CLIENTS, CLI_WRITERS, acked, len(res["lost"]),
                       importer.done, took))
    return acked, len(res["lost"])


def phase3(srv, token):
    """The service with a short --write-wait (1 s) beside a long import:
    a write is answered 503 only after waiting that long, with
    Retry-After, and leaves nothing; every other is 201 and stored."""
    srv.stop()
    srv.args = ["--write-wait", "1"]
    srv.start()
    big = os.path.join(srv.dir, "big.jsonl")
    inventory(big, SIZE_BIG, "big", "Big", "team-big")
    answers = []
    stop = threading.Event()

    def writer(i):
        k = 0
        while not stop.is_set():
            k += 1
            aid = "late-%d-%d" % (i, k)
            t0 = time.monotonic()
            st, hd, body = srv.request("POST", API + "/assets", token, json={
                "id": aid, "name": "Late", "type": "server",
                "owner": hwload.OWNS})
            answers.append((aid, st, hd.get("retry-after"),
                            time.monotonic() - t0))
            time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(i,), daemon=True)
               for i in range(2)]
    for th in threads:
        th.start()
    rc, out, err = run(srv.db, "--quiet", "import", big)
    stop.set()
    for th in threads:
        th.join(60)
    busy = [a for a in answers if a[1] == 503]
    t.eq((rc, err), (0, ""), "an import of %d assets beside the service's "
         "writers (--write-wait 1): exit 0" % SIZE_BIG)
    t.eq([a for a in answers if a[1] not in (201, 503)][:3], [],
         "each of the %d writes meanwhile: 201 or 503" % len(answers))
    t.eq([a for a in busy if a[2] != "5" or a[3] < 1.0][:3], [],
         "each 503 (%d) only after waiting --write-wait, with Retry-After"
         % len(busy))
    ids = must(srv.db, "asset", "list", "--prefix", "late-",
               "--ids").split()
    t.eq(sorted(ids), sorted(a[0] for a in answers if a[1] == 201),
         "the 201s are stored, the 503s are not")
    t.diag("phase 3: %d writes beside a %d-asset import: %d answered 503 "
           "past --write-wait 1" % (len(answers), SIZE_BIG, len(busy)))


def main():
    t0 = time.monotonic()
    srv = hwserve.Server(demo=False, start=False,
                         args=["--write-wait", "120"])
    try:
        srv.start()
        token = srv.user("conc", "owner,admin", owns=hwload.OWNS)
        phase1(srv, token)
        phase2(srv, token)
        phase3(srv, token)
        rc, out, err = srv.cli("audit", "verify")
        t.eq((rc, err), (0, ""), "audit verify passes after the three phases")
        t.ok("database is locked" not in srv.log(),
             "the service's log never says 'database is locked'")
    finally:
        srv.cleanup()
    t.diag("%.1f s" % (time.monotonic() - t0))
    t.done()


main()
