"""hwload.py: the load test's workload and its accounting (bench/load,
tests/serve/load.py).

Service clients (Worker) each own the assets they register, so that
what each write leaves in the database is known from its own answers:
registrations (POST /assets with an information type, then a
dependency or two from the new asset), edits (PATCH /assets/{id}),
dependency edits (POST /dependencies, DELETE /dependencies/{from}/{to})
from their own assets, impact summaries of the core device and of a
small target, and workbook downloads.  CLI writers (CliWriter) do the
same kinds of writes with `highwater asset add`, `asset set`, `dep add`
and `dep rm` beside the service.

Every write a client was told succeeded (2xx, exit 0) is recorded as
the state it left; one refused with an answer must have left nothing;
one whose answer never came (timeout) is unknown and only counted an
error.  verify() then reads the database (read-only, hwdb.py) and
counts LOST writes (acknowledged, not there as acknowledged) and STRAY
ones (there, never acknowledged).
"""

import io
import random
import threading
import time
import urllib.parse
import zipfile

import hwclient
import hwdb  # tests/serve, on the path hwclient gives: either engine

LEVELS = ("low", "moderate", "high")
INFOTYPES = ("C.2.8.9", "C.2.4.1", "C.2.8.12")
OWNS = "load@example.org"
UNKNOWN = "unknown"
REMOVED = "removed"
REFUSED = "refused"

# Relative weights of the service clients' kinds of request.
MIX = (("register", 15), ("edit", 20), ("dep_add", 10), ("dep_rm", 10),
       ("impact_core", 10), ("impact_small", 25), ("workbook", 10))
# Writers only: add and edit assets.
WRITES = (("register", 1), ("edit", 3))


def pick(rng, mix):
    total = sum(w for _, w in mix)
    r = rng.uniform(0, total)
    for kind, w in mix:
        r -= w
        if r < 0:
            return kind
    return mix[-1][0]


class Account:
    """What one client did and believes: timings and errors by kind;
    assets: id -> {"fields": {...}, "types": set} or UNKNOWN; absent:
    ids that must not exist; deps: (from, to) -> True (added),
    REMOVED, REFUSED (never added) or UNKNOWN; acks: acknowledged
    writes by kind."""

    def __init__(self, name):
        self.name = name
        self.times = {}
        self.errors = []
        self.locked = 0
        self.assets = {}
        self.absent = set()
        self.deps = {}
        self.acks = {"register": 0, "edit": 0, "dep_add": 0, "dep_rm": 0}

    def timed(self, kind, seconds):
        self.times.setdefault(kind, []).append(seconds)

    def error(self, kind, what):
        self.errors.append((kind, "%s: %s" % (self.name, what)))


class Context:
    """What all clients share: the service's port and token, the
    workbook service's port and token, the run's id prefix, targets for
    dependencies, the impact targets, when to stop (a deadline, or a
    number of steps a service client and a CLI writer), the database
    for CLI writers."""

    def __init__(self, port, token, wb_port, wb_token, prefix, targets,
                 core, small, deadline=None, ops=None, cli_ops=None,
                 db=None):
        self.port = port
        self.token = token
        self.wb_port = wb_port
        self.wb_token = wb_token
        self.prefix = prefix
        self.targets = targets
        self.core = core
        self.small = small
        self.deadline = deadline
        self.ops = ops
        self.cli_ops = ops if cli_ops is None else cli_ops
        self.db = db


class Base(threading.Thread):
    """A client thread: run() does ops until the deadline or the
    number of ops; its Account holds the outcome."""

    def __init__(self, ctx, name, seed):
        super().__init__(name=name, daemon=True)
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.acct = Account(name)
        self.k = 0
        self.ops = ctx.ops

    def more(self, done):
        if self.ops is not None and done >= self.ops:
            return False
        return self.ctx.deadline is None or \
            time.monotonic() < self.ctx.deadline

    def run(self):
        done = 0
        while self.more(done):
            self.step()
            done += 1

    def fresh_id(self):
        self.k += 1
        return "%s-%s-%d" % (self.ctx.prefix, self.name, self.k)

    def mine(self):
        """One of this client's assets known to exist, or None."""
        ids = [a for a, s in self.acct.assets.items() if s != UNKNOWN]
        return self.rng.choice(sorted(ids)) if ids else None

    def new_target(self, src):
        for _ in range(20):
            t = self.rng.choice(self.ctx.targets)
            if self.acct.deps.get((src, t), REFUSED) in (REMOVED, REFUSED):
                return t
        return None

    def present_dep(self):
        deps = sorted(d for d, s in self.acct.deps.items() if s is True)
        return self.rng.choice(deps) if deps else None

    def new_asset(self, label):
        """A fresh id and the fields to register it with."""
        aid = self.fresh_id()
        return aid, {"name": "%s %s" % (label, aid), "type": "application",
                     "owner": OWNS, "description": "v0",
                     "confidentiality": self.rng.choice(LEVELS)}

    def new_patch(self, label):
        """One of this client's assets and the fields to set."""
        aid = self.mine()
        self.k += 1
        return aid, {"description": "%s %d" % (label, self.k),
                     "confidentiality": self.rng.choice(LEVELS)}

    def asset_done(self, aid, ok, fields, types, deps):
        """Record a registration's outcome OK (True, False, UNKNOWN);
        after one acknowledged, add DEPS dependencies from it."""
        if ok is True:
            self.acct.assets[aid] = {"fields": fields, "types": types}
            self.acct.acks["register"] += 1
            for _ in range(deps):
                self.do_dep_add(aid)
        elif ok == UNKNOWN:
            self.acct.assets[aid] = UNKNOWN
        else:
            self.acct.absent.add(aid)

    def edit_done(self, aid, ok, patch):
        """Record an edit's outcome OK (True, False, UNKNOWN)."""
        if ok is True:
            self.acct.assets[aid]["fields"].update(patch)
            self.acct.acks["edit"] += 1
        elif ok == UNKNOWN:
            self.acct.assets[aid] = UNKNOWN

    def dep_done(self, src, dst, ok, add):
        """Record a dependency write's outcome OK (True, False,
        UNKNOWN): ADD (else a removal)."""
        if ok is True:
            self.acct.deps[(src, dst)] = True if add else REMOVED
            self.acct.acks["dep_add" if add else "dep_rm"] += 1
        elif ok == UNKNOWN:
            self.acct.deps[(src, dst)] = UNKNOWN
        elif add and (src, dst) not in self.acct.deps:
            self.acct.deps[(src, dst)] = REFUSED

    def step_kind(self, kind):
        """A write kind that cannot run yet (nothing registered, no
        dependency to remove) registers instead."""
        if kind in ("edit", "dep_add") and self.mine() is None:
            return "register"
        if kind == "dep_rm" and self.present_dep() is None:
            return "dep_add" if self.mine() is not None else "register"
        return kind


class Worker(Base):
    """A service client: one keep-alive connection to the service and
    one to the workbook service; MIX: its kinds of request and their
    weights."""

    def __init__(self, ctx, index, seed, mix=MIX):
        super().__init__(ctx, "c%d" % index, seed)
        self.mix = mix
        self.http = hwclient.Client(ctx.port, ctx.token)
        self.wb = hwclient.Client(ctx.wb_port, ctx.wb_token)

    def run(self):
        try:
            super().run()
        finally:
            self.http.close()
            self.wb.close()

    def step(self):
        kind = self.step_kind(pick(self.rng, self.mix))
        getattr(self, "do_" + kind)()

    def expect(self, kind, got, want, check=None):
        """Time the answer: True if its status is WANT and CHECK (of
        its body) holds; else count an error and answer UNKNOWN when
        the write may have been done (no answer, or a bad body with
        the status wanted), False when it was refused."""
        status, body, seconds = got
        self.acct.timed(kind, seconds)
        if status == want and (check is None or check(body)):
            return True
        self.acct.error(kind, "%s %s" % (status, str(body)[:200]))
        return UNKNOWN if status is None or status == want else False

    def do_register(self):
        aid, fields = self.new_asset("load asset")
        itype = self.rng.choice(INFOTYPES)
        body = dict(fields, id=aid, information_types=[{"id": itype}])
        ok = self.expect("register", self.http.call("POST", "/assets", body),
                         201, lambda b: isinstance(b, dict) and
                         b.get("id") == aid)
        self.asset_done(aid, ok, fields, {itype},
                        self.rng.randint(1, 2) if ok is True else 0)

    def do_edit(self):
        aid, patch = self.new_patch("edit")
        ok = self.expect("edit", self.http.call("PATCH", "/assets/" + aid,
                                                patch),
                         200, lambda b: isinstance(b, dict) and
                         b.get("id") == aid)
        self.edit_done(aid, ok, patch)

    def do_dep_add(self, src=None):
        src = src or self.mine()
        dst = self.new_target(src)
        if dst is None:
            return
        ok = self.expect("dep_add", self.http.call(
            "POST", "/dependencies", {"from": src, "to": dst,
                                      "type": "uses"}),
            201, lambda b: isinstance(b, dict) and
            (b.get("from"), b.get("to")) == (src, dst))
        self.dep_done(src, dst, ok, True)

    def do_dep_rm(self):
        src, dst = self.present_dep()
        path = "/dependencies/%s/%s" % (urllib.parse.quote(src),
                                        urllib.parse.quote(dst))
        ok = self.expect("dep_rm", self.http.call("DELETE", path), 200,
                         lambda b: isinstance(b, dict) and
                         b.get("removed") == [src, dst])
        self.dep_done(src, dst, ok, False)

    def impact(self, kind, target):
        def good(b):
            return isinstance(b, dict) and b.get("targets") == [target] \
                and isinstance(b.get("summary", {}).get("members"), int) \
                and b["summary"]["members"] >= 1 and "members" not in b
        self.expect(kind, self.http.call(
            "GET", "/impact", query={"target": target, "summary": "true"}),
            200, good)

    def do_impact_core(self):
        self.impact("impact_core", self.ctx.core)

    def do_impact_small(self):
        self.impact("impact_small", self.ctx.small)

    def do_workbook(self):
        name = self.rng.choice(("plan", "inventory"))
        self.expect("workbook_" + name,
                    self.wb.call("GET", "/reports/%s.xlsx" % name), 200,
                    is_workbook)


def is_workbook(body):
    """Is BODY an xlsx file: a zip holding xl/workbook.xml?"""
    if not isinstance(body, bytes):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "xl/workbook.xml" in z.namelist() and \
                z.testzip() is None
    except zipfile.BadZipFile:
        return False


CLI_MIX = (("cli_register", 30), ("cli_edit", 35), ("cli_dep_add", 20),
           ("cli_dep_rm", 15))


class CliWriter(Base):
    """A writer through the CLI on the service's database."""

    def __init__(self, ctx, index, seed):
        super().__init__(ctx, "w%d" % index, seed)
        self.ops = ctx.cli_ops

    def step(self):
        kind = self.step_kind(pick(self.rng, CLI_MIX)[4:])
        getattr(self, "do_" + kind)()

    def cli(self, kind, *args):
        """True if highwater ARGS exited 0; else count an error (and a
        "database is locked")."""
        rc, out, err, seconds = hwclient.cli(self.ctx.db, *args,
                                             actor="load-cli")
        self.acct.timed("cli_" + kind, seconds)
        if rc == 0:
            return True
        if "locked" in err:
            self.acct.locked += 1
        self.acct.error("cli_" + kind, "exit %d: %s" % (rc, err.strip()))
        return False

    def do_register(self):
        aid, fields = self.new_asset("cli asset")
        ok = self.cli("register", "asset", "add", aid, "--name",
                      fields["name"], "--type", "application", "--owner",
                      OWNS, "--description", "v0", "--c",
                      fields["confidentiality"])
        self.asset_done(aid, ok, fields, set(), 1)

    def do_edit(self):
        aid, patch = self.new_patch("cli edit")
        self.edit_done(aid, self.cli(
            "edit", "asset", "set", aid,
            "description=" + patch["description"],
            "confidentiality=" + patch["confidentiality"]), patch)

    def do_dep_add(self, src=None):
        src = src or self.mine()
        dst = self.new_target(src)
        if dst is None:
            return
        self.dep_done(src, dst, self.cli("dep_add", "dep", "add", src, dst,
                                         "--type", "uses"), True)

    def do_dep_rm(self):
        src, dst = self.present_dep()
        self.dep_done(src, dst, self.cli("dep_rm", "dep", "rm", src, dst),
                      False)


def targets(db, count, seed):
    """COUNT ids of databases and virtual machines in DB (read-only),
    chosen with SEED: what new assets depend on."""
    con = hwdb.connect(db, readonly=True)
    try:
        ids = [r[0] for r in con.execute(
            "SELECT id FROM asset WHERE type IN ('database', "
            "'virtual_machine') ORDER BY id")]
    finally:
        con.close()
    rng = random.Random(seed)
    return sorted(rng.sample(ids, min(count, len(ids))))


def known_states(states, seen):
    """The (key, state) pairs of STATES, sorted, but those UNKNOWN;
    every key is added to SEEN."""
    for key, state in sorted(states.items()):
        seen.add(key)
        if state != UNKNOWN:
            yield key, state


def verify(db, prefix, accounts):
    """Read DB (read-only) against what the clients were told:
    {"lost": [...], "stray": [...], "assets": N checked, "deps": N
    checked}.  Lost: an acknowledged write not there as acknowledged.
    Stray: a write of the run there although never acknowledged."""
    con = hwdb.connect(db, readonly=True)
    lost, stray = [], []
    checked_assets = checked_deps = 0
    try:
        rows = {}
        like = prefix.replace("_", "\\_") + "-%"
        for r in con.execute(
                "SELECT n, id, name, type, owner, description, "
                "confidentiality FROM asset WHERE id LIKE ? ESCAPE '\\'",
                (like,)):
            rows[r[1]] = r
        types = {}
        for aid, it in con.execute(
                "SELECT a.id, s.info_type FROM assignment s JOIN asset a "
                "ON a.n = s.asset WHERE a.id LIKE ? ESCAPE '\\'", (like,)):
            types.setdefault(aid, set()).add(it)
        deps = {}
        for src, dst, typ, carries in con.execute(
                "SELECT a.id, b.id, d.type, d.carries FROM dependency d "
                "JOIN asset a ON a.n = d.src JOIN asset b ON b.n = d.dst "
                "WHERE a.id LIKE ? ESCAPE '\\'", (like,)):
            deps[(src, dst)] = (typ, carries)
    finally:
        con.close()
    known = set()
    tracked = set()
    for acct in accounts:
        for aid, want in known_states(acct.assets, known):
            checked_assets += 1
            r = rows.get(aid)
            f = want["fields"]
            got = None if r is None else {
                "name": r[2], "type": r[3], "owner": r[4],
                "description": r[5], "confidentiality": r[6]}
            if got != f:
                lost.append("asset %s: %r, acknowledged %r" % (aid, got, f))
            elif types.get(aid, set()) != want["types"]:
                lost.append("asset %s: information types %r, acknowledged "
                            "%r" % (aid, sorted(types.get(aid, ())),
                                    sorted(want["types"])))
        for aid in sorted(acct.absent):
            if aid in rows:
                stray.append("asset %s exists, its registration refused"
                             % aid)
        for d, want in known_states(acct.deps, tracked):
            checked_deps += 1
            got = deps.get(d)
            if want is True and got != ("uses", 7):
                lost.append("dependency %s -> %s: %r, acknowledged added"
                            % (d[0], d[1], got))
            elif want == REMOVED and got is not None:
                lost.append("dependency %s -> %s there, acknowledged "
                            "removed" % d)
            elif want == REFUSED and got is not None:
                stray.append("dependency %s -> %s there, its addition "
                             "refused" % d)
    for aid in sorted(set(rows) - known):
        stray.append("asset %s exists, never registered" % aid)
    for d in sorted(set(deps) - tracked):
        stray.append("dependency %s -> %s exists, never added" % d)
    return {"lost": lost, "stray": stray, "assets": checked_assets,
            "deps": checked_deps}
