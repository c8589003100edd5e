#!/usr/bin/python3
"""agree.py: the service's answers are the CLI's, through writes from both.

Every analysis answer (GET /impact, /categorize, /categorize/{id}, /risk,
/plan, /check) is compared, byte for byte, with the CLI's --json answer to
the same question on the same database; a difference names the first
JSON path where the two part.

1. The demo inventory: every asset as target (its impact in each
   direction, plain or summary, with and without a depth limit, and its
   categorization), then the whole-inventory answers.
2. A random inventory (random.Random(seed); HW_SEED overrides the
   default seed, printed in a comment), imported with `highwater import`
   from JSON Lines before the service starts: 300 assets (some without
   levels), 1000 dependencies with random types and carries and
   cycles (the store refuses self-loops), information types; a sample
   of 40 targets and impacts of several targets.
3. Thirty rounds of one write each, from the CLI, the service and the
   sqlite3 module in turn, each followed at once by the answers about
   what it touched: the warm graph must never answer from before it.
TAP.
"""
import concurrent.futures
import json
import os
import random
import re
import sqlite3
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwserve  # noqa: E402

API = "/api/v1"
ASOF = "2026-11-21"
SEED = int(os.environ.get("HW_SEED", "14"))
WORKERS = 2  # questions asked at once (the machine has two cores)

LEVELS = ("low", "moderate", "high")
OBJECTIVES = ("confidentiality", "integrity", "availability")
ASSET_TYPES = ("business_service", "application", "database", "server",
               "virtual_machine", "container", "network_device",
               "storage_device", "cloud_service", "endpoint", "other")
DEP_TYPES = ("runs_on", "uses", "stores_data_in", "connects_to",
             "authenticates_via", "backs_up_to", "other")
DIRECTIONS = ("up", "down", "both")
OWNERS = ["team-%d@example.org" % i for i in range(6)]

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
def demo_questions(i, x):
    """Each direction once, plain or summary and the depth in turn, so
    that the assets together ask every combination; and categorize."""
    qs = []
    for k, direction in enumerate(DIRECTIONS):
        n = i + k
        qs.append(impact(x, direction=direction,
                         depth=(None, 1, 2)[(n // 2) % 3],
                         summary=n % 2 == 1))
    qs.append(categorize(x, summary=i % 5 == 4))
    return qs


# -- 2. a random inventory ----------------------------------------------
def random_levels(rng, none_share):
    """An asset's levels: some objectives unset, some assets none."""
    if rng.random() < none_share:
        return {}
    return {o: rng.choice(LEVELS) for o in OBJECTIVES if rng.random() < 0.8}


def random_carries(rng):
    return "".join(c for c in "cia" if rng.random() < 0.6) or \
        rng.choice("cia")


def random_inventory(rng, catalogue, n_assets=300, n_deps=1000):
    """JSON Lines text and (ids, type of each id, owners, dependencies)."""
    lines = [{"format": "highwater-inventory", "version": 1}]
    lines.append({"information_type": {
        "id": "X.AGREE.1", "name": "Agreement test data",
        "category": "Testing", "confidentiality": "na",
        "integrity": "moderate", "availability": "high"}})
    types = ["X.AGREE.1"] + rng.sample(catalogue, 12)
    ids, kinds = [], {}
    for i in range(n_assets):
        kind = rng.choice(ASSET_TYPES)
        aid = "%s-%03d" % (kind[:3], i)
        ids.append(aid)
        kinds[aid] = kind
        a = {"id": aid, "name": "%s %d" % (kind, i), "type": kind}
        if rng.random() < 0.9:
            a["owner"] = rng.choice(OWNERS)
        a.update(random_levels(rng, 0.2))
        a["internet_facing"] = rng.random() < 0.1
        if rng.random() < 0.5:
            a["vulnerabilities"] = rng.randrange(0, 30)
            a["worst_cvss"] = round(rng.uniform(0, 10), 1)
        if rng.random() < 0.4:
            a["last_patched"] = "2026-%02d-%02d" % (rng.randrange(1, 12),
                                                   rng.randrange(1, 29))
        if rng.random() < 0.1:
            a["end_of_life"] = "2026-%02d-01" % rng.randrange(1, 13)
        if rng.random() < 0.1:
            a["authorized"] = False
        if rng.random() < 0.3:
            a["implemented_baseline"] = rng.choice(("none",) + LEVELS)
        if rng.random() < 0.3:
            a["downtime_cost"] = rng.randrange(100, 10000)
        if rng.random() < 0.15:
            held = rng.sample(types, rng.randrange(1, 3))
            a["information_types"] = [{"id": x} for x in held]
        lines.append({"asset": a})
    # Mostly onto later assets (layers), some back: cycles.
    deps = set()
    while len(deps) < n_deps:
        i = rng.randrange(n_assets)
        if rng.random() < 0.93:
            j = min(n_assets - 1, i + rng.randrange(1, 40))
        else:
            j = rng.randrange(n_assets)
        if i == j or (ids[i], ids[j]) in deps:
            continue
        deps.add((ids[i], ids[j]))
        lines.append({"dependency": {"from": ids[i], "to": ids[j],
                                     "type": rng.choice(DEP_TYPES),
                                     "carries": random_carries(rng)}})
    text = "".join(json.dumps(x, sort_keys=True) + "\n" for x in lines)
    return text, ids, kinds, deps


def random_questions(rng, ids):
    def asked(i, x):
        return [impact(x),
                impact(x, direction=DIRECTIONS[i % 3],
                       depth=(None, 1, 3)[(i // 3) % 3],
                       types=rng.sample(DEP_TYPES, 3) if i % 4 == 3
                       else None,
                       summary=i % 2 == 1),
                categorize(x)]
    return asked


# -- 3. writes from three sides -----------------------------------------
class World:
    """What the test believes is stored, to choose writes from."""

    def __init__(self, srv, admin, rng, ids, kinds, deps, catalogue):
        self.srv, self.admin, self.rng = srv, admin, rng
        self.ids, self.kinds, self.deps = list(ids), dict(kinds), set(deps)
        self.catalogue = catalogue
        self.added = 0

    def new_id(self):
        self.added += 1
        return "new-%02d" % self.added

    def some(self):
        return self.rng.choice(self.ids)

    def new_dep(self):
        while True:
            a, b = self.some(), self.some()
            if a != b and (a, b) not in self.deps:
                return a, b

    def neighbours(self, x):
        return sorted({b for a, b in self.deps if a == x} |
                      {a for a, b in self.deps if b == x})

    def remove(self, x):
        """x removed with its dependencies: the assets it touched."""
        near = self.neighbours(x)
        self.ids.remove(x)
        self.deps = {(a, b) for a, b in self.deps if x not in (a, b)}
        return near[:2] or [self.some()]

    # Each write: (description, ok, touched assets).
    def cli(self):
        rng, op = self.rng, self.rng.choice(
            ("add", "set", "rm", "dep add", "dep rm", "assign"))
        if op == "add":
            x, kind = self.new_id(), rng.choice(ASSET_TYPES)
            args = ["asset", "add", x, "--name", "New " + x, "--type", kind,
                    "--owner", rng.choice(OWNERS)]
            for o, v in random_levels(rng, 0.3).items():
                args += ["--" + o[0], v]
            touched = [x]
        elif op == "set":
            x = self.some()
            o = rng.choice(OBJECTIVES)
            v = rng.choice(LEVELS + ("",))
            args = ["asset", "set", x, "%s=%s" % (o, v),
                    "owner=" + rng.choice(OWNERS)]
            touched = [x]
        elif op == "rm":
            x = self.some()
            args = ["asset", "rm", x, "--force"]
        elif op == "dep add":
            a, b = self.new_dep()
            args = ["dep", "add", a, b, "--type", rng.choice(DEP_TYPES),
                    "--carries", random_carries(rng)]
            touched = [b, a]
        elif op == "dep rm":
            a, b = sorted(self.deps)[rng.randrange(len(self.deps))]
            args = ["dep", "rm", a, b]
            touched = [b, a]
        else:
            x = self.some()
            args = ["infotype", "assign", x, rng.choice(self.catalogue)]
            touched = [x]
        rc, out, err = self.srv.cli(*args, actor="it-admin")
        if rc != 0:
            return "CLI " + " ".join(args), err.strip(), [self.some()]
        if op == "add":
            self.ids.append(x)
        elif op == "rm":
            touched = self.remove(x)
        elif op == "dep add":
            self.deps.add((a, b))
        elif op == "dep rm":
            self.deps.discard((a, b))
        return "CLI " + " ".join(args), None, touched

    def service(self):
        rng, op = self.rng, self.rng.choice(
            ("POST asset", "PATCH", "DELETE asset", "POST dep",
             "DELETE dep", "POST infotype"))
        if op == "POST asset":
            x = self.new_id()
            body = {"id": x, "name": "New " + x,
                    "type": rng.choice(ASSET_TYPES),
                    "owner": rng.choice(OWNERS)}
            body.update(random_levels(rng, 0.3))
            req, want, touched = ("POST", "/assets", body), 201, [x]
        elif op == "PATCH":
            x = self.some()
            body = {rng.choice(OBJECTIVES): rng.choice(LEVELS + (None,)),
                    "internet_facing": rng.random() < 0.5}
            req, want, touched = ("PATCH", "/assets/" + x, body), 200, [x]
        elif op == "DELETE asset":
            x = self.some()
            req, want = ("DELETE", "/assets/%s?force=true" % x, None), 200
        elif op == "POST dep":
            a, b = self.new_dep()
            body = {"from": a, "to": b, "type": rng.choice(DEP_TYPES),
                    "carries": random_carries(rng)}
            req, want, touched = ("POST", "/dependencies", body), 201, [b, a]
        elif op == "DELETE dep":
            a, b = sorted(self.deps)[rng.randrange(len(self.deps))]
            req, want = ("DELETE", "/dependencies/%s/%s" % (a, b), None), 200
            touched = [b, a]
        else:
            x = self.some()
            req, want = ("POST", "/assets/%s/information-types" % x,
                         {"id": rng.choice(self.catalogue)}), 200
            touched = [x]
        method, path, body = req
        status, _, got = self.srv.request(method, API + path,
                                          token=self.admin, json=body)
        desc = "service %s %s %s" % (method, path,
                                     json.dumps(body, sort_keys=True)
                                     if body else "")
        if status != want:
            return desc, "%d %r" % (status, got), [self.some()]
        if op == "POST asset":
            self.ids.append(x)
        elif op == "DELETE asset":
            touched = self.remove(x)
        elif op == "POST dep":
            self.deps.add((a, b))
        elif op == "DELETE dep":
            self.deps.discard((a, b))
        return desc.strip(), None, touched

    def sqlite(self):
        """A raw connection, as the sqlite3 shell's."""
        rng = self.rng
        db = sqlite3.connect(self.srv.db, timeout=60)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            if rng.random() < 0.5:
                x, o = self.some(), rng.choice(OBJECTIVES)
                was = db.execute("SELECT %s FROM asset WHERE id = ?" % o,
                                 (x,)).fetchone()[0]
                v = rng.choice([v for v in LEVELS + (None,) if v != was])
                sql = "UPDATE asset SET %s = ? WHERE id = ?" % o
                params, touched = (v, x), [x]
            else:
                a, b = sorted(self.deps)[rng.randrange(len(self.deps))]
                sql = ("DELETE FROM dependency WHERE "
                       "src = (SELECT n FROM asset WHERE id = ?) AND "
                       "dst = (SELECT n FROM asset WHERE id = ?)")
                params, touched = (a, b), [b, a]
            n = db.execute(sql, params).rowcount
            db.commit()
        finally:
            db.close()
        desc = "sqlite3 %s %r" % (sql.split(" WHERE")[0], params)
        if n != 1:
            return desc, "%d rows changed" % n, [self.some()]
        if len(touched) == 2:
            self.deps.discard((a, b))
        return desc, None, touched


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
    """1. The demo: every asset as target."""
    srv = hwserve.Server(demo=True)
    try:
        cab = srv.user("carl", "cab")
        assets = json.loads(cli_ok(srv, "--json", "asset", "list"))["assets"]
        ids = [a["id"] for a in assets]
        t.eq(len(ids), 114, "the demo has 114 assets")
        per_target(srv, cab, ids, demo_questions, "demo")
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
        catalogue = sorted(
            x["id"] for x in json.loads(cli_ok(srv, "--json", "infotype",
                                               "list"))["information_types"]
            if x["catalogue"] and all(x["provisional"].get(o)
                                      for o in OBJECTIVES))
        text, ids, kinds, deps = random_inventory(rng, catalogue)
        path = os.path.join(srv.dir, "random.jsonl")
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = srv.cli("import", path, actor="it-admin")
        t.eq((rc, out.strip(), err),
             (0, "imported 1 information type, 300 assets, 1000 "
                 "dependencies from " + path, ""),
             "import of the random inventory")
        cab = srv.user("carl", "cab")
        admin = srv.user("ada", "admin")
        srv.start()

        targets = rng.sample(ids, 40)
        per_target(srv, cab, targets, random_questions(rng, ids), "random")
        multi = [impact(rng.sample(ids, n), direction=d, summary=s)
                 for n, d, s in ((2, "up", False), (3, "down", False),
                                 (4, "both", True), (5, "up", True))]
        agree(srv, cab, multi, "random: impacts of several targets")
        agree(srv, cab, whole(sorted(set(kinds.values())), OWNERS),
              "random: categorize, risk, plan and check are the CLI's")

        world = World(srv, admin, rng, ids, kinds, deps, catalogue)
        sides = (world.cli, world.service, world.sqlite)
        for k in range(30):
            desc, failed, touched = sides[k % 3]()
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
