"""hwserve.py: the harness of the service's tests (tests/serve/*.py).

A real `highwater serve` on a free loopback port, over a real database
in a temporary folder, with real users made by `highwater user add`,
called with real HTTP requests (http.client).  Standard library only.

    import hwserve
    t = hwserve.Tap()          # t.ok, t.eq, t.skip, t.diag, t.done
    srv = hwserve.Server(demo=False)
    tok = srv.user("alice", "owner", owns="team-a")
    status, headers, body = srv.request("GET", "/api/v1/assets", token=tok)
    rc, out, err = srv.cli("asset", "list", "--json")
    srv.stop(); srv.log(); srv.cleanup()
    t.done()

The binary is $HIGHWATER (make check exports it), else src/cli/highwater
from the current folder; the data files are $HIGHWATER_DATADIR's.
"""

import http.client
import json as jsonlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

# Long enough for a sanitizer build on a busy machine.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 120.0

# A token as user add prints it (base64url may end in '-': no \b).
TOKEN_RE = re.compile(r"(?<![A-Za-z0-9_-])hw_[A-Za-z0-9_-]{43}"
                      r"(?![A-Za-z0-9_-])")


# The CLI's advice: an option ("--force") or a command ("highwater
# infotype list") that an API message must not give.
CLI_ADVICE_RE = re.compile(
    r"(?:^|[\s(,'])--[a-z]|\bhighwater (?:asset|audit|backup|baseline|"
    r"categorize|change|check|config|dep|export|graph|impact|import|"
    r"incident|infotype|init|plan|report|risk|serve|upgrade|user)\b")


def cli_advice(message):
    """Does an error message give the CLI's advice?"""
    return CLI_ADVICE_RE.search(message) is not None


def binary():
    """The highwater binary the tests run: on PostgreSQL
    (HW_TEST_ENGINE=postgresql), tests/pg/highwater in front of it."""
    b = os.environ.get("HIGHWATER")
    if not b:
        b = os.path.abspath(os.path.join("src", "cli", "highwater"))
    if os.environ.get("HW_TEST_ENGINE", "sqlite") == "postgresql":
        os.environ.setdefault("HW_PG_REAL", b)
        src = os.environ.get("HW_SRCDIR") or os.path.abspath(".")
        return os.path.join(src, "tests", "pg", "highwater")
    return b


def datadir():
    """The shipped data files' folder."""
    d = os.environ.get("HIGHWATER_DATADIR")
    if d:
        return d
    return os.path.abspath("data")


class Tap:
    """TAP output: ok/eq print one line a check; done() prints the plan
    and exits 1 when any check failed."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc):
        self.n += 1
        desc = str(desc).replace("\n", " ")
        if cond:
            print("ok %d - %s" % (self.n, desc), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc), flush=True)
        return bool(cond)

    def eq(self, got, want, desc):
        good = got == want
        self.ok(good, desc)
        if not good:
            self.diag("got:  %r" % (got,))
            self.diag("want: %r" % (want,))
        return good

    def skip(self, desc, reason):
        """A check that cannot run here, and why."""
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, reason), flush=True)

    def diag(self, text):
        for line in str(text).splitlines() or [""]:
            print("# " + line, flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed or self.n == 0 else 0)


def err(status, code, message, path=None):
    """An error answer as (status, body) for comparing with got_err's:
    {"error": {"code", "message", "path"}}."""
    return (status, {"error": {"code": code, "message": message,
                               "path": path}})


def got_err(answer):
    """(status, body) of an answer (status, headers, body)."""
    status, _, body = answer
    return (status, body)


def read_all(sock):
    """What a raw connection answers, to its end; closes it."""
    raw = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        raw += chunk
    sock.close()
    return raw


def free_port():
    """A loopback port nobody listens on (now)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def make_cert(folder, cn="localhost"):
    """A throwaway self-signed certificate for localhost and 127.0.0.1:
    (cert path, key path), made by openssl req."""
    cert = os.path.join(folder, "cert.pem")
    key = os.path.join(folder, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=" + cn,
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class Server:
    """A `highwater serve` of its own over a database of its own.

    demo: also import the demo inventory and history (as data/demo-db.sh).
    tls: serve HTTPS with a throwaway certificate (self.cert trusts it).
    args: more options for `highwater serve`.
    start: False to only make the database (self.start() later).
    db: serve this database, another Server's (as a second host would
    its shared database): nothing made.
    """

    def __init__(self, demo=False, tls=False, args=(), start=True, db=None):
        self.dir = tempfile.mkdtemp(prefix="hwserve-")
        os.chmod(self.dir, 0o700)
        self.db = db or os.path.join(self.dir, "hw.db")
        self.shared = db is not None
        self.logpath = os.path.join(self.dir, "serve.log")
        self.proc = None
        self.port = None
        self.tls = tls
        self.args = list(args)
        self.cert = self.key = None
        try:
            self._setup(demo, start)
        except BaseException:
            self.cleanup()
            raise

    def _setup(self, demo, start):
        """The database, the certificate, the start (__init__'s)."""
        rc, out, err = (0, "", "") if self.shared else self.cli(
            "init", "--name", "Test Org", actor="it-admin")
        if rc != 0:
            raise RuntimeError("highwater init failed: " + err)
        if demo and not self.shared:
            for name in ("demo-inventory.json", "demo-history.json"):
                rc, out, err = self.cli(
                    "import", os.path.join(datadir(), name),
                    actor="it-admin")
                if rc != 0:
                    raise RuntimeError("import %s failed: %s" % (name, err))
        if self.tls:
            self.cert, self.key = make_cert(self.dir)
        if start:
            self.start()

    # -- the process ------------------------------------------------
    def command(self, listen=None):
        """The serve command line (listen: "ADDR:PORT")."""
        cmd = [binary(), "--db", self.db, "serve", "--listen",
               listen or "127.0.0.1:%d" % self.port]
        if self.tls:
            cmd += ["--cert", self.cert, "--key", self.key]
        return cmd + self.args

    def start(self):
        """Start serving on a free port; wait until it answers."""
        last = ""
        for _ in range(5):
            self.port = free_port()
            since = len(self.log())
            logf = open(self.logpath, "ab")
            try:
                self.proc = subprocess.Popen(
                    self.command(), stdin=subprocess.DEVNULL,
                    stdout=logf, stderr=logf)
            finally:
                logf.close()
            if self._wait_ready(since):
                return
            last = self.log()[since:]
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("highwater serve did not answer: " + last)
            self.proc = None
            if "in use" not in last:
                break
        raise RuntimeError("highwater serve did not start: " + last)

    def _wait_ready(self, since):
        """Until the startup line is written (the daemon runs then) and
        the port takes a connection."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if "highwater: serving " not in self.log()[since:]:
                time.sleep(0.05)
                continue
            try:
                s = socket.create_connection(("127.0.0.1", self.port), 1)
                s.close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        """Send SIGTERM, wait for the exit: its status (None if never
        started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "timeout"
        rc = self.proc.returncode
        self.proc = None
        return rc

    def log(self):
        """What the service wrote on stderr: the startup line and one
        line a request."""
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def cleanup(self):
        """Stop if running; remove the temporary folder."""
        if self.running():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- the command line on the same database ----------------------
    def cli(self, *args, actor=None, input=None, db=True):
        """Run highwater on this database: (exit status, stdout,
        stderr) as text."""
        cmd = [binary()]
        if db:
            cmd += ["--db", self.db]
        if actor is not None:
            cmd += ["--actor", actor]
        cmd += [str(a) for a in args]
        p = subprocess.run(cmd, input=input, capture_output=True,
                           text=True, timeout=REQUEST_TIMEOUT)
        return p.returncode, p.stdout, p.stderr

    def user(self, name, roles, owns=None):
        """`highwater user add NAME --role ROLES [--owns OWNS]`: the
        token it printed."""
        args = ["user", "add", name, "--role", roles]
        if owns is not None:
            args += ["--owns", owns]
        rc, out, err = self.cli(*args, actor="it-admin")
        if rc != 0:
            raise RuntimeError("user add %s failed: %s" % (name, err))
        m = TOKEN_RE.search(out) or TOKEN_RE.search(err)
        if m is None:
            raise RuntimeError("user add %s printed no token: %r"
                               % (name, out))
        return m.group(0)

    # -- HTTP -------------------------------------------------------
    def connection(self, timeout=REQUEST_TIMEOUT):
        """A new http.client connection to the service."""
        if self.tls:
            ctx = ssl.create_default_context(cafile=self.cert)
            return http.client.HTTPSConnection("127.0.0.1", self.port,
                                               timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)

    def request(self, method, path, token=None, json=None, data=None,
                headers=None, query=None):
        """One request on a new connection: (status, headers with
        lower-case names, body).  The body is parsed JSON when the
        answer is application/json, else bytes.  json: a value sent as
        application/json; data: bytes or text sent as is (with the
        content type headers give, if any); query: a dict or a list of
        (name, value) pairs (a list value repeats the name)."""
        hdrs = {}
        body = None
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        elif data is not None:
            body = data.encode("utf-8") if isinstance(data, str) else data
        if headers:
            hdrs.update(headers)
        if query:
            sep = "&" if "?" in path else "?"
            path = path + sep + urllib.parse.urlencode(query, doseq=True)
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            got = {}
            for k, v in resp.getheaders():
                k = k.lower()
                got[k] = got[k] + ", " + v if k in got else v
            ctype = got.get("content-type", "")
            out = raw
            if ctype.split(";")[0].strip() == "application/json" and raw:
                out = jsonlib.loads(raw.decode("utf-8"))
            return resp.status, got, out
        finally:
            conn.close()
