#!/usr/bin/python3
"""agree.py: the service's answers are the CLI's, through writes from both.

Every analysis answer (GET /impact, /categorize, /categorize/{id}, /risk,
/plan, /check) is compared, byte for byte, with the CLI's --json answer to
the same question on the same database; a difference names the first
JSON path where the two part.

1. The demo inventory: every asset as target (an impact question in
   turn: each direction, plain or summary, with and without a depth
   limit; HW_AGREE_ALL=1 asks all 18 about each, ten times the CLI
   runs), its categorization, then the whole-inventory answers.
2. A random inventory (tests/random-inventory.py's for a seed; HW_SEED
   overrides the default, printed in a comment), imported with
   `highwater import` from JSON Lines before the service starts: 230 to
   320 assets (some without levels, some partly categorized), 700 to
   1000 dependencies with random types and carries, cycles (the store
   refuses self-loops) and a hub whose blast radius is estimated,
   information types; 40 targets (random.Random(seed) picks them) and
   impacts of several targets.
3. Thirty rounds of one write each, from the CLI, the service and the
   raw connection (hwdb.py) in turn, each followed at once by the
   answers about what it touched: the warm graph must never answer from
   before it.
TAP.
"""
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwdb  # noqa: E402
import hwserve  # noqa: E402

API = "/api/v1"
ASOF = "2026-11-21"
SEED = int(os.environ.get("HW_SEED", "14"))
WORKERS = 2  # questions asked at once (the machine has two cores)
# Every impact question about every target, not one in turn (~40 s).
ALL = os.environ.get("HW_AGREE_ALL") == "1"
# Under the sanitizers (a CLI run costs six times as much there) every
# other demo asset is a target: each of the 18 impacts is still asked
# about three times.
SANITIZED = bool(os.environ.get("HW_SANITIZED")) and not ALL

LEVELS = ("low", "moderate", "high")
OBJECTIVES = ("confidentiality", "integrity", "availability")
ASSET_TYPES = ("business_service", "application", "database", "server",
               "virtual_machine", "container", "network_device",
               "storage_device", "cloud_service", "endpoint", "other")
DEP_TYPES = ("runs_on", "uses", "stores_data_in", "connects_to",
             "authenticates_via", "backs_up_to", "other")
DIRECTIONS = ("up", "down", "both")

t = hwserve.Tap()


# -- questions: the same one to the service and to the CLI -------------
class Q:
    """One question: the route and query, the CLI's arguments."""

    def __init__(self, path, query, args):
        self.path, self.query, self.args = path, query, args

    def __str__(self):
        q = urllib.parse.urlencode(self.query)
        return self.path + ("?" + q if q else "")


def impact(targets, direction=None, depth=None, types=None,
           summary=False):
    if isinstance(targets, str):
        targets = [targets]
    query = [("target", x) for x in targets]
    args = ["impact"] + list(targets)
    if direction is not None:
        query.append(("direction", direction))
        args += ["--direction", direction]
    if depth is not None:
        query.append(("depth", str(depth)))
        args += ["--depth", str(depth)]
    if types is not None:
        query.append(("types", ",".join(types)))
        args += ["--types", ",".join(types)]
    if summary:
        query.append(("summary", "true"))
        args.append("--summary")
    return Q("/impact", query, args)


def categorize(asset=None, summary=False):
    path = "/categorize" + ("/" + asset if asset else "")
    args = ["categorize"] + ([asset] if asset else [])
    query = []
    if summary:
        query.append(("summary", "true"))
        args.append("--summary")
    return Q(path, query, args)


def risk(top=None, type_=None, owner=None):
    query, args = [("as_of", ASOF)], ["risk", "--as-of", ASOF]
    for name, opt, v in (("top", "--top", top), ("type", "--type", type_),
                         ("owner", "--owner", owner)):
        if v is not None:
            query.append((name, str(v)))
            args += [opt, str(v)]
    return Q("/risk", query, args)


def plan(top=None):
    query, args = [("as_of", ASOF)], ["plan", "--as-of", ASOF]
    if top is not None:
        query.append(("top", str(top)))
        args += ["--top", str(top)]
    return Q("/plan", query, args)


def first_diff(a, b, path="$"):
    """The first JSON path where a and b differ (None when equal)."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s" % (path, k)
            d = first_diff(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None if len(a) == len(b) else "%s[%d]" % (path,
                                                         min(len(a), len(b)))
    return None if a == b else path


def at(doc, path):
    """The value at a first_diff path, shortened ('-' when absent)."""
    v = doc
    for key, idx in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:]):
        try:
            v = v[int(idx)] if idx else v[key]
        except (KeyError, IndexError, TypeError):
            return "-"
    s = json.dumps(v)
    return s if len(s) <= 80 else s[:77] + "..."


def ask(srv, tok, q):
    """None when the service's answer is the CLI's --json, byte for
    byte; else what differs."""
    conn = srv.connection()
    try:
        path = API + q.path
        if q.query:
            path += "?" + urllib.parse.urlencode(q.query)
        conn.request("GET", path, headers={"Authorization": "Bearer " + tok})
        resp = conn.getresponse()
        status, ctype, body = (resp.status, resp.getheader("Content-Type"),
                               resp.read())
    finally:
        conn.close()
    rc, out, err = srv.cli("--json", *q.args)
    want = out.encode("utf-8")
    if rc != 0:
        return "%s: the CLI exited %d: %s" % (q, rc, err.strip())
    if status != 200 or ctype != "application/json":
        return "%s: the service answered %d %s: %s" % (
            q, status, ctype, body[:200].decode("utf-8", "replace"))
    if len(want) <= 2:
        return "%s: the CLI printed nothing" % q
    if body == want:
        return None
    try:
        got, exp = json.loads(body), json.loads(want)
    except ValueError as e:
        return "%s: not JSON: %s" % (q, e)
    d = first_diff(got, exp)
    if d is None:
        return "%s: the same JSON in other bytes" % q
    return "%s: differs at %s: service %s, CLI %s" % (
        q, d, at(got, d), at(exp, d))


def ask_all(srv, tok, questions):
    """Each question's difference (None when they agree), in order."""
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda q: ask(srv, tok, q), questions))


def agree(srv, tok, questions, desc):
    """One TAP line: every question answered alike."""
    diffs = [d for d in ask_all(srv, tok, questions) if d]
    t.ok(not diffs, "%s (%d questions)" % (desc, len(questions)))
    for d in diffs[:3]:
        t.diag(d)
    if len(diffs) > 3:
        t.diag("... and %d more" % (len(diffs) - 3))


def per_target(srv, tok, targets, asked, desc):
    """One TAP line a target: asked(i, target) its questions."""
    groups = [asked(i, x) for i, x in enumerate(targets)]
    flat = [q for g in groups for q in g]
    diffs = iter(ask_all(srv, tok, flat))
    for x, g in zip(targets, groups):
        mine = [d for d in (next(diffs) for _ in g) if d]
        t.ok(not mine, "%s %s: %d answers are the CLI's"
             % (desc, x, len(g)))
        for d in mine[:2]:
            t.diag(d)


def whole(types, owners):
    """The whole-inventory questions."""
    return [categorize(), categorize(summary=True), risk(), risk(top=7),
            risk(type_=types[0]), risk(owner=owners[0]), plan(),
            plan(top=5), Q("/check", [], ["check"])]


def cli_ok(srv, *args):
    rc, out, err = srv.cli(*args, actor="it-admin")
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


# -- 1. the demo, every asset -------------------------------------------
def impact_variant(x, n, types=None):
    """Impact question n (of 18, each direction with and without a
    depth limit, plain and summary) about x."""
    return impact(x, direction=DIRECTIONS[n % 3], depth=(None, 1, 2)[
        (n // 3) % 3], types=types, summary=(n // 9) % 2 == 1)


def demo_questions(i, x):
    """One impact of the 18 in turn (all 18 with HW_AGREE_ALL=1), so
    that the assets together ask each about six times; categorize."""
    if ALL:
        return ([impact_variant(x, n) for n in range(18)] +
                [categorize(x), categorize(x, summary=True)])
    return [impact_variant(x, i), categorize(x, summary=i % 5 == 4)]


# -- 2. a random inventory ----------------------------------------------
def random_inventory(folder):
    """tests/random-inventory.py's inventory for SEED, as JSON Lines in
    folder: (its path, the document, the three targets it names)."""
    gen = os.path.join(HERE, os.pardir, "random-inventory.py")
    doc, rev, lines = (os.path.join(folder, "random" + x)
                       for x in (".json", "-rev.json", ".jsonl"))
    p = subprocess.run([sys.executable, gen, str(SEED), doc, rev, lines],
                       capture_output=True, text=True, check=True)
    with open(doc) as f:
        return lines, json.load(f), p.stdout.split()


def random_questions(rng):
    """As demo_questions, every fourth impact following three
    dependency types only."""
    def asked(i, x):
        return [impact_variant(x, n, rng.sample(DEP_TYPES, 3)
                               if n % 4 == 3 else None)
                for n in (range(18) if ALL else [i])] + [categorize(x)]
    return asked


# -- 3. writes from three sides -----------------------------------------
def random_levels(rng):
    """A new asset's levels: some objectives unset, some assets none."""
    if rng.random() < 0.3:
        return {}
    return {o: rng.choice(LEVELS) for o in OBJECTIVES if rng.random() < 0.8}


def random_carries(rng):
    return "".join(c for c in "cia" if rng.random() < 0.6) or \
        rng.choice("cia")


class World:
    """What the test believes is stored, to choose writes from.  A write
    is a dict: op (one of OPS) and its operands, which the CLI and the
    service each say their way."""

    OPS = ("add", "set", "rm", "dep add", "dep rm", "assign")

    def __init__(self, srv, admin, rng, doc, infotypes):
        self.srv, self.admin, self.rng = srv, admin, rng
        self.ids = [a["id"] for a in doc["assets"]]
        self.owners = sorted({a["owner"] for a in doc["assets"]
                              if a.get("owner")})
        self.deps = {(d["from"], d["to"]) for d in doc["dependencies"]}
        self.infotypes = infotypes
        self.added = 0

    def some(self):
        return self.rng.choice(self.ids)

    def choose(self):
        """One write of the CLI's or the service's."""
        rng = self.rng
        w = {"op": rng.choice(self.OPS)}
        if w["op"] == "add":
            self.added += 1
            w.update(x="new-%02d" % self.added, type=rng.choice(ASSET_TYPES),
                     owner=rng.choice(self.owners), levels=random_levels(rng))
        elif w["op"] == "set":
            w.update(x=self.some(), objective=rng.choice(OBJECTIVES),
                     level=rng.choice(LEVELS + (None,)),
                     owner=rng.choice(self.owners))
        elif w["op"] == "rm":
            w.update(x=self.some())
        elif w["op"] == "dep add":
            a, b = self.some(), self.some()
            while a == b or (a, b) in self.deps:
                a, b = self.some(), self.some()
            w.update(a=a, b=b, type=rng.choice(DEP_TYPES),
                     carries=random_carries(rng))
        elif w["op"] == "dep rm":
            w.update(zip("ab", sorted(self.deps)[rng.randrange(
                len(self.deps))]))
        else:
            w.update(x=self.some(), infotype=rng.choice(self.infotypes))
        return w

    def record(self, w):
        """w was written: the model follows; the assets it touched."""
        if w["op"] == "add":
            self.ids.append(w["x"])
        elif w["op"] == "rm":
            x = w["x"]
            near = sorted({b for a, b in self.deps if a == x} |
                          {a for a, b in self.deps if b == x})
            self.ids.remove(x)
            self.deps = {(a, b) for a, b in self.deps if x not in (a, b)}
            return near[:2] or [self.some()]
        elif w["op"] == "dep add":
            self.deps.add((w["a"], w["b"]))
        elif w["op"] == "dep rm":
            self.deps.discard((w["a"], w["b"]))
        if "x" in w:
            return [w["x"]]
        return [w["b"], w["a"]]

    def cli(self, w):
        """w as a command line: (description, failure or None)."""
        op = w["op"]
        if op == "add":
            args = ["asset", "add", w["x"], "--name", "New " + w["x"],
                    "--type", w["type"], "--owner", w["owner"]]
            for o, v in sorted(w["levels"].items()):
                args += ["--" + o[0], v]
        elif op == "set":
            args = ["asset", "set", w["x"],
                    "%s=%s" % (w["objective"], w["level"] or ""),
                    "owner=" + w["owner"]]
        elif op == "rm":
            args = ["asset", "rm", w["x"], "--force"]
        elif op == "dep add":
            args = ["dep", "add", w["a"], w["b"], "--type", w["type"],
                    "--carries", w["carries"]]
        elif op == "dep rm":
            args = ["dep", "rm", w["a"], w["b"]]
        else:
            args = ["infotype", "assign", w["x"], w["infotype"]]
        rc, out, err = self.srv.cli(*args, actor="it-admin")
        return "CLI " + " ".join(args), err.strip() if rc else None

    def service(self, w):
        """w as a request: (description, failure or None)."""
        op = w["op"]
        if op == "add":
            body = dict(w["levels"], id=w["x"], name="New " + w["x"],
                        type=w["type"], owner=w["owner"])
            method, path, want = "POST", "/assets", 201
        elif op == "set":
            body = {w["objective"]: w["level"], "owner": w["owner"]}
            method, path, want = "PATCH", "/assets/" + w["x"], 200
        elif op == "rm":
            body = None
            method, path, want = ("DELETE", "/assets/%s?force=true" % w["x"],
                                  200)
        elif op == "dep add":
            body = {"from": w["a"], "to": w["b"], "type": w["type"],
                    "carries": w["carries"]}
            method, path, want = "POST", "/dependencies", 201
        elif op == "dep rm":
            body = None
            method, path, want = ("DELETE", "/dependencies/%s/%s"
                                  % (w["a"], w["b"]), 200)
        else:
            body = {"id": w["infotype"]}
            method, path, want = ("POST", "/assets/%s/information-types"
                                  % w["x"], 200)
        status, _, got = self.srv.request(method, API + path,
                                          token=self.admin, json=body)
        desc = "service %s %s" % (method, path)
        if body is not None:
            desc += " " + json.dumps(body, sort_keys=True)
        return desc, None if status == want else "%d %r" % (status, got)

    def raw(self):
        """A level changed or a dependency removed with a raw connection,
        as the sqlite3 shell's or psql's: (the write, description,
        failure)."""
        rng = self.rng
        db = hwdb.connect(self.srv.db, timeout=60)
        try:
            if rng.random() < 0.5:
                w = {"op": "set", "x": self.some(),
                     "objective": rng.choice(OBJECTIVES)}
                was = db.execute("SELECT %s FROM asset WHERE id = ?"
                                 % w["objective"], (w["x"],)).fetchone()[0]
                v = rng.choice([v for v in LEVELS + (None,) if v != was])
                sql = "UPDATE asset SET %s = ? WHERE id = ?" % w["objective"]
                params = (v, w["x"])
            else:
                a, b = sorted(self.deps)[rng.randrange(len(self.deps))]
                w = {"op": "dep rm", "a": a, "b": b}
                sql = ("DELETE FROM dependency WHERE "
                       "src = (SELECT n FROM asset WHERE id = ?) AND "
                       "dst = (SELECT n FROM asset WHERE id = ?)")
                params = (a, b)
            n = db.execute(sql, params).rowcount
            db.commit()
        finally:
            db.close()
        desc = "raw %s %r" % (sql.split(" WHERE")[0], params)
        return w, desc, None if n == 1 else "%d rows changed" % n

    def write(self, k):
        """Round k's write, by the CLI, the service or a raw connection in
        turn: (description, failure or None, the assets it touched)."""
        if k % 3 == 2:
            w, desc, failed = self.raw()
        else:
            w = self.choose()
            desc, failed = (self.cli, self.service)[k % 3](w)
        if failed:
            return desc, failed, [self.some()]
        return desc, None, self.record(w)


def round_questions(rng, world, k, touched):
    """What a write must show at once: around what it touched, one
    asset at random and the risk register."""
    qs = [impact(touched[0], direction=DIRECTIONS[k % 3])]
    qs += [categorize(x) for x in touched]
    other = world.some()
    qs += [impact(other, direction=rng.choice(DIRECTIONS),
                  summary=k % 2 == 1), risk()]
    return qs


def demo():
    """1. The demo: every asset as target (every other one under the
    sanitizers)."""
    srv = hwserve.Server(demo=True)
    try:
        cab = srv.user("carl", "cab")
        assets = json.loads(cli_ok(srv, "--json", "asset", "list"))["assets"]
        ids = [a["id"] for a in assets]
        t.eq(len(ids), 114, "the demo has 114 assets")
        per_target(srv, cab, ids[::2] if SANITIZED else ids,
                   demo_questions, "demo")
        agree(srv, cab, whole(sorted({a["type"] for a in assets}),
                              sorted({a["owner"] for a in assets
                                      if a.get("owner")})),
              "demo: categorize, risk, plan and check are the CLI's")
        t.eq(srv.stop(), 0, "the demo's service stops cleanly")
    finally:
        srv.cleanup()


def random_world():
    """2. and 3. A random inventory, imported before the service
    starts (its first graph is the import's); then the writes."""
    t.diag("seed %d (HW_SEED=%d reproduces this run)" % (SEED, SEED))
    rng = random.Random(SEED)
    srv = hwserve.Server(start=False)
    try:
        path, doc, named = random_inventory(srv.dir)
        rc, out, err = srv.cli("import", path, actor="it-admin")
        t.eq((rc, out.strip(), err),
             (0, "imported %d information types, %d assets, %d "
                 "dependencies from %s"
              % (len(doc["information_types"]), len(doc["assets"]),
                 len(doc["dependencies"]), path), ""),
             "import of the random inventory")
        cab = srv.user("carl", "cab")
        admin = srv.user("ada", "admin")
        srv.start()

        ids = [a["id"] for a in doc["assets"]]
        # The three it names (a hub with an estimated blast radius
        # first) and 37 more.
        targets = named + rng.sample(sorted(set(ids) - set(named)), 37)
        per_target(srv, cab, targets, random_questions(rng), "random")
        multi = [impact(rng.sample(ids, n), direction=d, summary=s)
                 for n, d, s in ((2, "up", False), (3, "down", False),
                                 (4, "both", True), (5, "up", True))]
        agree(srv, cab, multi, "random: impacts of several targets")
        world = World(srv, admin, rng, doc, sorted(
            x["id"] for x in json.loads(cli_ok(srv, "--json", "infotype",
                                               "list"))["information_types"]
            if all(x["provisional"].get(o) for o in OBJECTIVES)))
        agree(srv, cab, whole(sorted({a["type"] for a in doc["assets"]}),
                              world.owners),
              "random: categorize, risk, plan and check are the CLI's")

        for k in range(30):
            desc, failed, touched = world.write(k)
            t.ok(failed is None, "round %d: %s" % (k + 1, desc))
            if failed:
                t.diag(failed)
            agree(srv, cab, round_questions(rng, world, k, touched),
                  "round %d: the next answers are the CLI's" % (k + 1))
        t.eq(srv.stop(), 0, "the random inventory's service stops cleanly")
    finally:
        srv.cleanup()


demo()
random_world()
t.done()
