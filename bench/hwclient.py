"""hwclient.py: what bench/load and bench/serve-latency share: a
`highwater serve` of their own over a given database, a keep-alive
client that times each request, the CLI on the same database, and
latency statistics.  Standard library only.

    import hwclient
    db = hwclient.copy_db(hwclient.generated_db(100000),
                          hwclient.workdir())   # a fresh copy
    svc = hwclient.Service(db)                 # started
    tok = svc.user("loader", "owner,admin", owns="load@example.org")
    c = hwclient.Client(svc.port, tok)
    status, body, seconds = c.call("GET", "/impact",
                                   query={"target": "core-0000000"})
    svc.cleanup()

The service's process handling is the service tests' (tests/serve/
hwserve.py), so that both start, wait for and stop it alike.
"""

import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
API = "/api/v1"
os.environ.setdefault("HIGHWATER",
                      os.path.join(ROOT, "src", "cli", "highwater"))
os.environ.setdefault("HIGHWATER_DATADIR", os.path.join(ROOT, "data"))
sys.path.insert(0, os.path.join(ROOT, "tests", "serve"))
import hwserve  # noqa: E402

# A request that takes longer is counted an error (a timeout).
TIMEOUT = 120.0
# A connection silent this long is opened again before the next
# request: the service closes one silent for 60 s (serve.c).
IDLE = 30.0


def cli(db, *args, actor=None):
    """highwater --db DB ARGS: (exit status, stdout, stderr, seconds)."""
    cmd = [hwserve.binary(), "--db", db]
    if actor is not None:
        cmd += ["--actor", actor]
    cmd += [str(a) for a in args]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def copy_db(src, folder):
    """A copy of database SRC (with its -wal, if any) in FOLDER: its
    path.  The benches write only to copies."""
    dst = os.path.join(folder, os.path.basename(src))
    shutil.copyfile(src, dst)
    if os.path.exists(src + "-wal"):
        shutil.copyfile(src + "-wal", dst + "-wal")
    return dst


def generated_db(n):
    """bench/out/load-N.db: the generated inventory of N assets
    imported into a fresh database, made once (the generator compiled
    and the inventory written first if missing): its path."""
    db = os.path.join(OUT, "load-%d.db" % n)
    if os.path.exists(db):
        return db
    os.makedirs(OUT, exist_ok=True)
    inv = os.path.join(OUT, "inventory-%d.jsonl" % n)
    if not os.path.exists(inv) or os.path.getsize(inv) == 0:
        gen = os.path.join(OUT, "gen-inventory")
        subprocess.run(["cc", "-O2", "-o", gen,
                        os.path.join(ROOT, "bench", "gen-inventory.c")],
                       check=True)
        with open(inv + ".tmp", "wb") as f:
            subprocess.run([gen, str(n)], stdout=f, check=True)
        os.rename(inv + ".tmp", inv)
    tmp = db + ".tmp"
    for p in (tmp, tmp + "-wal", tmp + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    for args in (("init", "-q"), ("--quiet", "import", inv)):
        rc, out, err, _ = cli(tmp, *args)
        if rc != 0:
            raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    os.rename(tmp, db)
    return db


def workdir():
    """A new folder under bench/out for one run's databases."""
    os.makedirs(OUT, exist_ok=True)
    return tempfile.mkdtemp(prefix="run-", dir=OUT)


class Service(hwserve.Server):
    """`highwater serve` on a free loopback port over database DB
    (written to: give it a copy)."""

    def __init__(self, db, args=()):
        self.given = db
        super().__init__(demo=False, args=args, start=True)

    def _setup(self, demo, start):
        self.db = self.given
        if start:
            self.start()


class Client:
    """One keep-alive HTTP connection with a token: call() sends one
    request and times it, reconnecting after a broken connection or
    one silent for IDLE seconds."""

    def __init__(self, port, token, timeout=TIMEOUT):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None
        self.last = 0.0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, method, path, json_body=None, query=None):
        """(status, body, seconds): body is parsed JSON when the answer
        is application/json, else bytes.  status is None after a
        timeout or a broken connection (body is then the exception's
        text)."""
        hdrs = {"Authorization": "Bearer " + self.token}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        url = API + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        t0 = time.monotonic()
        if self.conn is not None and t0 - self.last > IDLE:
            self.close()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, url, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            raw = resp.read()
            self.last = time.monotonic()
            seconds = self.last - t0
            ctype = (resp.getheader("Content-Type") or "").split(";")[0]
            body = raw
            if ctype.strip() == "application/json" and raw:
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = raw
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            return resp.status, body, seconds
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return None, "%s: %s" % (type(e).__name__, e), \
                time.monotonic() - t0


def percentile(values, p):
    """The nearest-rank P-th percentile of VALUES (None if empty)."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def ms(seconds):
    return "-" if seconds is None else "%.1f" % (seconds * 1000.0)


def table(rows, heads):
    """ROWS (lists of strings) under HEADS, columns aligned, as text:
    the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [heads] + rows)
              for i in range(len(heads))]
    lines = []
    for r in [heads] + rows:
        cells = [str(r[0]).ljust(widths[0])]
        cells += [str(c).rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def core_and_small(n):
    """The core device and a small impact's target of a generated
    inventory of N assets, as bench/run picks them."""
    return "core-0000000", "db-%07d" % (n // 50)


def asset_count(db):
    """How many assets DB holds (read-only)."""
    con = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(db),
                          uri=True)
    try:
        return con.execute("SELECT count(*) FROM asset").fetchone()[0]
    finally:
        con.close()

