#!/usr/bin/python3
"""crash.py: SIGKILL at random moments never leaves half a write (issue 16).

Each writer is killed with SIGKILL at HW_CRASH_KILLS random moments
(default 3, 2 in a sanitizer build, which works on a fifth of the sizes
below; make check-stress sets 20) of its run, each time on a fresh copy
of the database it started from: an import of 100,000 assets (merged
into a database holding an asset it changes), `change implement` of a
change of 11,000 edits, `baseline save` of the 100,000 assets, and the
service killed in the middle of a burst of writes from 4 clients.
After each kill: `PRAGMA integrity_check` is ok (on SQLite; a
PostgreSQL server checks its own pages), `highwater audit verify`
passes, and the database is exactly the state before the command (byte
for byte on SQLite, or by content) or exactly the state after it
as a run left alone leaves it (content: every table, but the audit
records' times and hashes).
For the service, every write is whole: each acknowledged one is there
as sent, each other one there as sent or not at all, nothing else.
The seed is printed (HW_CRASH_SEED=N repeats the kill moments).  TAP.
"""
import filecmp
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwdb  # noqa: E402
import hwserve  # noqa: E402

# A sanitizer build (HW_SANITIZED, set by make check) runs ten times
# slower: it looks for memory errors on a fifth of the work, killed
# once a writer; the plain build kills the full sizes three times
# (make check-stress twenty times, twenty rounds).
SANITIZED = bool(os.environ.get("HW_SANITIZED"))
KILLS = int(os.environ.get("HW_CRASH_KILLS") or (1 if SANITIZED else 3))
SEED = int(os.environ.get("HW_CRASH_SEED") or
           int.from_bytes(os.urandom(4), "big"))
SCALE = 5 if SANITIZED else 1
BIG = 100000 // SCALE   # assets of the import and of baseline save
SMALL = 5000 // SCALE   # assets of the change's database
ADDED = 5000 // SCALE   # assets (and as many dependencies) the change adds
SET = 1000 // SCALE     # fields the change sets
CLIENTS = 4         # the service's writers in a burst
API = "/api/v1"
# Written by the killed command itself, so never the same twice.
VOLATILE = {("audit", "time"), ("audit", "hash"), ("generation", "tag")}

# On PostgreSQL the killed command is highwater itself, on the URI of
# the path's database (not tests/pg/highwater, a script in front of it).
PG = hwdb.on_postgresql()
HIGHWATER = hwserve.binary()
if PG:
    HIGHWATER = os.environ["HW_PG_REAL"]
SOUND = "audit verify passes" if PG else \
    "integrity_check ok and audit verify passes"

t = hwserve.Tap()
rng = random.Random(SEED)
os.umask(0o077)
t.diag("seed %d (HW_CRASH_SEED=%d repeats its kill moments), "
       "HW_CRASH_KILLS=%d kills a writer" % (SEED, SEED, KILLS))


def inventory(path, n, prefix, first=0):
    """A JSON Lines inventory of N assets PREFIX-NNNNNN (numbered from
    FIRST), each but the first depending on an earlier one; a tenth
    carry levels."""
    levels = ("low", "moderate", "high")
    with open(path, "w") as f:
        f.write('{"format": "highwater-inventory", "version": 1}\n')
        for i in range(first, first + n):
            a = {"id": "%s-%06d" % (prefix, i), "name": "Asset %d" % i,
                 "type": ("application", "server", "database")[i % 3],
                 "owner": "team-%02d@example.org" % (i % 50)}
            if i % 10 == 0:
                a["confidentiality"] = levels[i % 3]
                a["integrity"] = levels[(i // 3) % 3]
            f.write(json.dumps({"asset": a}) + "\n")
        for i in range(first + 1, first + n):
            f.write(json.dumps({"dependency": {
                "from": "%s-%06d" % (prefix, i),
                "to": "%s-%06d" % (prefix, first + (i - first - 1) // 4),
                "type": "runs_on"}}) + "\n")


def hw(db, *args, actor="crash"):
    """highwater --db DB ARGS: (exit status, stdout, stderr)."""
    p = subprocess.run([hwserve.binary(), "--db", db, "--actor", actor,
                        "--quiet"] + [str(a) for a in args],
                       capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def must(db, *args, actor="crash"):
    rc, out, err = hw(db, *args, actor=actor)
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


def copy(src, dst):
    """A copy of database SRC (no process on it: no -wal left) at DST
    (on PostgreSQL a copy of the marker: the next command makes the
    database a copy, tests/pg/highwater)."""
    for side in ("-wal", "-shm", "-journal"):
        if os.path.exists(dst + side):
            os.unlink(dst + side)
    if os.path.exists(src + "-wal"):
        raise RuntimeError(src + " has a -wal: not a closed database")
    shutil.copyfile(src, dst)
    return dst


def digest(db):
    """The database's content as a hash of every table's rows (in
    their stored order), but the columns in VOLATILE."""
    # (read-write, as the next command would open it: a read-only
    # connection leaves SQLite's -wal behind, which copy() refuses)
    con = hwdb.connect(db)
    try:
        h = hashlib.sha256()
        for tab in hwdb.tables(con):
            cols = [c for c in hwdb.columns(con, tab)
                    if (tab, c) not in VOLATILE]
            h.update(("\0table %s %s\n" % (tab, cols)).encode())
            for row in hwdb.rows(con, tab, cols):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        con.close()


def integrity(db):
    con = hwdb.connect(db)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def sound(db, what):
    """After a kill: audit verify passes (opening the database as the
    next command would), then PRAGMA integrity_check is ok (SQLite's
    file; a PostgreSQL server keeps its own).  A list of what is
    wrong."""
    bad = []
    rc, out, err = hw(db, "audit", "verify")
    if rc != 0:
        bad.append("%s: audit verify: exit %d: %s" % (what, rc, err.strip()))
    if hwdb.on_postgresql():
        return bad
    got = integrity(db)
    if got != ["ok"]:
        bad.append("%s: integrity_check: %s" % (what, got[:3]))
    return bad


class States:
    """The states before and after a command, as database files; their
    digests made when first needed (a kill mostly leaves the file as
    it was: no digest is needed then)."""

    def __init__(self, before, after):
        self.paths = {"before": before, "after": after}
        self.sums = {}

    def which(self, db):
        """"before", "after" or "neither": what DB's content is."""
        d = digest(db)
        for state in ("before", "after"):
            if state not in self.sums:
                self.sums[state] = digest(self.paths[state])
            if d == self.sums[state]:
                return state
        return "neither"


def killed(base, work, args, label, kills, after):
    """Run ARGS on a copy of BASE left alone (the state after kept at
    AFTER), then on a fresh copy KILLS times, each killed with SIGKILL
    at a random moment of its run (as long as the first's): the
    outcomes."""
    copy(base, work)
    t0 = time.monotonic()
    must(work, *args)
    took = time.monotonic() - t0
    copy(work, after)
    states = States(base, after)
    t.diag("%s: %.2f s left alone" % (label, took))
    out = {"before": 0, "after": 0, "finished": 0, "neither": 0,
           "unsound": []}
    for k in range(kills):
        copy(base, work)
        at = rng.uniform(0.0, took)
        p = subprocess.Popen([HIGHWATER, "--db", hwdb.uri(work), "--actor",
                              "crash", "--quiet"] + list(args),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(at)
        done = p.poll() is not None
        if not done:
            p.send_signal(signal.SIGKILL)
        p.wait()
        out["unsound"] += sound(work, "%s kill %d at %.3f s"
                                % (label, k + 1, at))
        # Done before the kill: the state after, as when left alone
        # (not compared again).  The file as it was (nothing reached
        # it): the state before, byte for byte; else its content tells.
        if done and p.returncode == 0:
            out["finished"] += 1
            state = "after"
        elif not PG and filecmp.cmp(work, base, shallow=False):
            state = "before"
        else:
            state = states.which(work)
        out[state] += 1
        if state == "neither":
            keep = work + ".neither-%d" % (k + 1)
            copy(work, keep)
            t.diag("%s kill %d at %.3f s: neither state (kept %s)"
                   % (label, k + 1, at, keep))
    t.diag("%s: %d killed mid-run (%d left it before, %d after, %d "
           "neither), %d had finished" % (
               label, kills - out["finished"], out["before"],
               out["after"] - out["finished"], out["neither"],
               out["finished"]))
    return out


def report(label, out):
    t.eq(out["unsound"][:3], [], "%s, killed %d times: %s after each "
         "kill" % (label, KILLS, SOUND))
    t.eq(out["neither"], 0, "... the database is exactly the state before "
         "or the state after, never a mix (%d before, %d after)"
         % (out["before"], out["after"]))


def cli_writers(tmp):
    """Import, change implement, baseline save, each killed KILLS
    times."""
    work = os.path.join(tmp, "work.db")
    # The import: 100,000 assets merged into a database where one of
    # them is already, otherwise.
    inv = os.path.join(tmp, "big.jsonl")
    inventory(inv, BIG, "ci")
    base = os.path.join(tmp, "base.db")
    must(base, "init", "--name", "Crash Org")
    must(base, "asset", "add", "ci-000000", "--name", "Before",
         "--type", "server", "--owner", "old@example.org")
    must(base, "asset", "add", "kept", "--name", "Kept", "--type",
         "endpoint")
    must(base, "dep", "add", "kept", "ci-000000", "--type", "uses")
    big = os.path.join(tmp, "big.db")
    report("import of %d assets" % BIG,
           killed(base, work, ["import", inv], "import", KILLS, big))

    # baseline save of those 100,000 assets: from the imported state.
    after = os.path.join(tmp, "saved.db")
    report("baseline save of %d assets" % BIG,
           killed(big, work, ["baseline", "save", "approved", "--at",
                              "2026-11-01"], "baseline save", KILLS, after))
    os.unlink(big)
    os.unlink(after)

    # change implement: 5,000 assets and dependencies added, 1,000
    # fields set, in one change, approved.
    small = os.path.join(tmp, "small.db")
    must(small, "init", "--name", "Crash Org")
    inv = os.path.join(tmp, "small.jsonl")
    inventory(inv, SMALL, "cs")
    must(small, "import", inv)
    add = os.path.join(tmp, "add.json")
    with open(add, "w") as f:
        json.dump({"format": "highwater-inventory", "version": 1,
                   "assets": [{"id": "new-%05d" % i, "name": "New %d" % i,
                               "type": "application", "owner": "new-team",
                               "confidentiality": "low"}
                              for i in range(ADDED)],
                   "dependencies": [{"from": "new-%05d" % i,
                                     "to": "cs-%06d" % (i % SMALL),
                                     "type": "uses"}
                                    for i in range(ADDED)]}, f)
    sets = []
    for i in range(SET):
        sets += ["--set", "cs-%06d,owner=moved-%d@example.org" % (i, i % 7)]
    must(small, "change", "new", "--title", "A big one", "--target",
         "cs-000000", "--add-assets", add, *sets, actor="alice")
    must(small, "change", "assess", "CHG-0001", actor="alice")
    must(small, "change", "decide", "CHG-0001", "approve", "--reason",
         "window agreed", actor="bob")
    report("change implement of %d edits" % (2 * ADDED + SET),
           killed(small, work, ["change", "implement", "CHG-0001", "--at",
                                "2026-11-02T22:00Z"], "change implement",
                  KILLS, os.path.join(tmp, "implemented.db")))
    return small


class Burst:
    """CLIENTS threads writing to the service as fast as it answers:
    registrations with an information type (one write: the asset and
    its assignment) and dependencies from them.  sent: id -> fields;
    acked: the ids (and (from, to) pairs) answered 201."""

    def __init__(self, srv, token, round_):
        self.srv = srv
        self.token = token
        self.round = round_
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sent = {}
        self.acked = set()
        self.deps_sent = set()
        self.deps_acked = set()
        self.errors = []
        self.threads = [threading.Thread(target=self.run, args=(i,),
                                         daemon=True)
                        for i in range(CLIENTS)]

    def start(self):
        for th in self.threads:
            th.start()

    def join(self):
        self.stop.set()
        for th in self.threads:
            th.join(60)

    def post(self, path, body):
        try:
            st, hd, out = self.srv.request("POST", API + path, self.token,
                                           json=body)
            return st
        except (OSError, ValueError, http.client.HTTPException):
            return None

    def run(self, i):
        k = 0
        while not self.stop.is_set():
            k += 1
            aid = "burst-%d-%d-%d" % (self.round, i, k)
            fields = {"id": aid, "name": "Burst %s" % aid,
                      "type": "application", "owner": "burst@example.org",
                      "description": "round %d" % self.round,
                      "confidentiality": ("low", "moderate",
                                          "high")[k % 3],
                      "information_types": [{"id": "C.2.8.9"}]}
            with self.lock:
                self.sent[aid] = fields
            if not self.write("/assets", fields, aid, self.acked):
                return
            dep = (aid, "cs-%06d" % (k % SMALL))
            with self.lock:
                self.deps_sent.add(dep)
            if not self.write("/dependencies", {"from": dep[0], "to": dep[1],
                                                "type": "uses"},
                              dep, self.deps_acked):
                return

    def write(self, path, body, key, acked):
        """POST BODY to PATH: True once answered 201 (KEY is then added
        to ACKED); False when the service is gone or refused it."""
        st = self.post(path, body)
        if st is None:
            return False
        if st != 201:
            self.errors.append("POST %s %s: %s" % (path, key, st))
            return False
        with self.lock:
            acked.add(key)
        return True


def whole(db, bursts):
    """Every burst write whole: (lost, torn, stray) lists."""
    con = hwdb.connect(db)
    try:
        rows = {r[0]: r for r in con.execute(
            "SELECT id, name, type, owner, description, confidentiality "
            "FROM asset WHERE id LIKE 'burst-%'")}
        types = {}
        for aid, it in con.execute(
                "SELECT a.id, s.info_type FROM assignment s JOIN asset a "
                "ON a.n = s.asset WHERE a.id LIKE 'burst-%'"):
            types.setdefault(aid, []).append(it)
        deps = {(r[0], r[1]) for r in con.execute(
            "SELECT a.id, b.id FROM dependency d JOIN asset a ON a.n = "
            "d.src JOIN asset b ON b.n = d.dst WHERE a.id LIKE 'burst-%'")}
    finally:
        con.close()
    lost, torn, stray = [], [], []
    sent = {}
    for b in bursts:
        sent.update(b.sent)
    for b in bursts:
        for aid in sorted(b.acked):
            if aid not in rows:
                lost.append("asset " + aid)
        for d in sorted(b.deps_acked):
            if d not in deps:
                lost.append("dependency %s -> %s" % d)
    for aid, r in sorted(rows.items()):
        f = sent.get(aid)
        if f is None:
            stray.append("asset " + aid)
            continue
        want = (aid, f["name"], f["type"], f["owner"], f["description"],
                f["confidentiality"])
        if r != want or types.get(aid) != ["C.2.8.9"]:
            torn.append("asset %s: %r, types %r" % (aid, r, types.get(aid)))
    dsent = set()
    for b in bursts:
        dsent |= b.deps_sent
    for d in sorted(deps - dsent):
        stray.append("dependency %s -> %s" % d)
    return lost, torn, stray


def service(tmp, small):
    """The service killed with SIGKILL in the middle of a burst of
    writes, KILLS times, started again each time on the same
    database."""
    srv = hwserve.Server(demo=False, start=False)
    try:
        copy(small, srv.db)
        srv.start()
        token = srv.user("burst", "owner,admin", owns="burst@example.org")
        bursts, unsound, acked, sent, refused = [], [], 0, 0, []
        for k in range(KILLS):
            b = Burst(srv, token, k + 1)
            b.start()
            at = rng.uniform(0.2, 1.5)
            time.sleep(at)
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            srv.proc = None
            b.join()
            bursts.append(b)
            refused += b.errors
            acked += len(b.acked) + len(b.deps_acked)
            sent += len(b.sent) + len(b.deps_sent)
            unsound += sound(srv.db, "service kill %d at %.3f s"
                             % (k + 1, at))
            srv.start()
        t.diag("service: %d kills, %d writes sent, %d acknowledged"
               % (KILLS, sent, acked))
        t.eq(refused[:3], [], "service writes before each kill: all 201")
        t.eq(unsound[:3], [], "the service killed %d times in a burst of "
             "writes: %s after each" % (KILLS, SOUND))
        lost, torn, stray = whole(srv.db, bursts)
        t.eq(lost[:5], [], "no acknowledged write lost (%d acknowledged)"
             % acked)
        t.eq(torn[:5], [], "every registration there is whole: as sent, "
             "with its information type")
        t.eq(stray[:5], [], "nothing there that was never sent")
        st, hd, body = srv.request("POST", API + "/assets", token, json={
            "id": "after-kills", "name": "After", "type": "server",
            "owner": "burst@example.org"})
        t.eq(st, 201, "the service started again writes (201)")
    finally:
        srv.cleanup()


def main():
    tmp = tempfile.mkdtemp(prefix="hwcrash-")
    t0 = time.monotonic()
    try:
        small = cli_writers(tmp)
        service(tmp, small)
    finally:
        if t.failed:
            t.diag("databases kept in " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    t.diag("%.1f s" % (time.monotonic() - t0))
    t.done()


main()
