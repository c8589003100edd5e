#!/usr/bin/python3
"""writers.py: writes wait for each other, reads wait for none.

Another process holds the database's write lock (a raw connection in a
write transaction, hwdb.py, as a long import from the command line does): the
service's reads answer meanwhile; its write waits and lands once the lock
is let go; past --write-wait it is answered 503 "busy" with Retry-After
and nothing is written.  The command line likewise waits, says so on
stderr after a second (not with --quiet), and past $HIGHWATER_WAIT fails
with exit status 1 and the database unchanged.  Never "database is
locked".  TAP.
"""
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwdb  # noqa: E402
import hwserve  # noqa: E402

API = "/api/v1"
t = hwserve.Tap()


class Lock:
    """The database's write lock, held by a connection of our own."""

    def __init__(self, db):
        self.db = hwdb.connect(db, autocommit=True)
        self.db.write_lock()

    def release(self):
        self.db.rollback()
        self.db.close()


def asset(n):
    return {"id": "wait-%02d" % n, "name": "Waiting %d" % n,
            "type": "application", "owner": "ops"}


def in_thread(fn):
    """fn() in a thread: (thread, a list that gets its result)."""
    out = []
    th = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    th.start()
    return th, out


def stored(db, ident):
    return hwdb.query(db, "SELECT count(*) FROM asset WHERE id = ?",
                      (ident,))[0][0]


def service(srv, tok):
    post = (lambda n: srv.request("POST", API + "/assets", tok,
                                  json=asset(n)))

    # A write that waits less than --write-wait: it lands after.
    lock = Lock(srv.db)
    th, out = in_thread(lambda: post(1))
    time.sleep(0.7)
    t.ok(th.is_alive(), "POST /assets waits while another process "
         "holds the write lock")
    st, hd, body = srv.request("GET", API + "/assets/cmms-db", tok)
    t.eq(st, 200, "GET /assets/cmms-db answers meanwhile")
    st, hd, body = srv.request("GET", API + "/impact", tok,
                               query={"target": "cmms-db"})
    t.ok(st == 200 and len(body.get("members", [])) == 5,
         "GET /impact answers meanwhile (5 members)")
    lock.release()
    th.join(30)
    t.eq(out[0][0] if out else None, 201,
         "... and lands (201) once the lock is let go")
    t.eq(stored(srv.db, "wait-01"), 1, "... and is in the database")
    st, hd, body = srv.request("GET", API + "/categorize/wait-01", tok)
    t.eq(st, 200, "the next read sees it (GET /categorize/wait-01)")

    # Past --write-wait (2 s): 503 busy, nothing written.
    lock = Lock(srv.db)
    try:
        st, hd, body = post(2)
    finally:
        lock.release()
    t.eq(st, 503, "a write past --write-wait: 503")
    t.eq(hd.get("retry-after"), "5", "... with Retry-After: 5")
    t.eq(hwserve.got_err((st, hd, body)),
         hwserve.err(503, "busy",
                     "the database has been busy for 2 s (other "
                     "writes, an import?): try again shortly"),
         "... code busy, the message says why")
    t.eq(stored(srv.db, "wait-02"), 0, "... and nothing is written")
    t.ok("database is locked" not in srv.log(),
         "the service's log never says 'database is locked'")

    # Writes behind a waiting write wait their turn, all land.
    lock = Lock(srv.db)
    threads = [in_thread(lambda n=n: post(n)) for n in range(3, 7)]
    time.sleep(0.5)
    t.ok(all(th.is_alive() for th, out in threads),
         "four writes queue behind the lock")
    lock.release()
    codes = []
    for th, out in threads:
        th.join(30)
        codes.append(out[0][0] if out else None)
    t.eq(codes, [201] * 4, "... and all four land")
    t.eq(sum(stored(srv.db, "wait-%02d" % n) for n in range(3, 7)), 4,
         "... all four in the database")


def cli(srv):
    env = dict(os.environ)
    args = ["asset", "add", "cli-wait", "--name", "CLI waiting",
            "--type", "application"]

    def run(*args, wait=None):
        if wait is None:
            os.environ.pop("HIGHWATER_WAIT", None)
        else:
            os.environ["HIGHWATER_WAIT"] = wait
        try:
            return srv.cli(*args, actor="it-admin")
        finally:
            os.environ.clear()
            os.environ.update(env)

    lock = Lock(srv.db)
    timer = threading.Timer(2.5, lock.release)
    timer.start()
    rc, out, err = run(*args)
    timer.join()
    t.eq(rc, 0, "the CLI waits for another writer and writes (exit 0)")
    t.eq(err, "highwater: waiting for '%s': another process is writing "
         "to it (up to 60 s)\n" % srv.db,
         "... saying so on stderr after a second")
    t.eq(stored(srv.db, "cli-wait"), 1, "... and the asset is stored")

    lock = Lock(srv.db)
    timer = threading.Timer(2.5, lock.release)
    timer.start()
    rc, out, err = run("--quiet", "asset", "set", "cli-wait", "name=Quiet")
    timer.join()
    t.eq((rc, err), (0, ""), "--quiet: waits without a word")

    lock = Lock(srv.db)
    try:
        rc, out, err = run("asset", "rm", "cli-wait", wait="1")
    finally:
        lock.release()
    t.eq(rc, 1, "past $HIGHWATER_WAIT (1 s): exit 1")
    t.eq(err.splitlines()[-1:],
         ["highwater: asset rm: '%s' is busy: another process has been writing to "
          "it for over 1 s (an import?): try again when it is done"
          % srv.db], "... saying the database is busy, not locked")
    t.eq(stored(srv.db, "cli-wait"), 1, "... and the asset is still there")

    rc, out, err = run("asset", "list", wait="soon")
    t.eq((rc, err), (1, "highwater: asset list: HIGHWATER_WAIT is 'soon' "
                     "(expected "
                     "seconds, 0 to 86400)\n"),
         "a bad HIGHWATER_WAIT is refused")

    lock = Lock(srv.db)
    try:
        rc, out, err = run("--json", "asset", "list", wait="0")
    finally:
        lock.release()
    t.ok(rc == 0 and '"cli-wait"' in out,
         "a read never waits, even with HIGHWATER_WAIT=0")


def main():
    srv = hwserve.Server(demo=True, args=["--write-wait", "2"])
    try:
        tok = srv.user("ops-admin", "admin")
        service(srv, tok)
        cli(srv)
    finally:
        srv.cleanup()
    t.done()


main()
