#!/usr/bin/python3
"""warm.py: the service's warm graph stays current.

The service keeps the graph loaded between requests and loads it again
when the inventory's generation moved: a write from the CLI beside the
running service, one with a raw connection (the sqlite3 shell's or psql's,
hwdb.py) and one through the service each show in
the next answer, which is the CLI's --json byte for byte (impact,
categorize, risk, check, plan); a read that writes nothing leaves the
generation.  TAP.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwdb  # noqa: E402
import hwserve  # noqa: E402

API = "/api/v1"
ASOF = "2026-11-21"
TARGET = "cmms-db"  # the demo's: five assets depend on it, itself included

t = hwserve.Tap()


def raw(srv, path, token, query=None):
    """One GET: (status, content type, the body's bytes)."""
    import urllib.parse
    if query:
        path += "?" + urllib.parse.urlencode(query, doseq=True)
    conn = srv.connection()
    try:
        conn.request("GET", path, headers={"Authorization":
                                           "Bearer " + token})
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type"), resp.read()
    finally:
        conn.close()


def cli_ok(srv, *args):
    rc, out, err = srv.cli(*args, actor="it-admin")
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


def same(srv, tok, path, query, args, desc):
    """The route's answer is the CLI's --json, byte for byte."""
    status, ctype, body = raw(srv, API + path, tok, query)
    rc, out, err = srv.cli("--json", *args)
    want = out.encode("utf-8")
    good = (status == 200 and ctype == "application/json" and
            rc == 0 and body == want and len(want) > 2)
    t.ok(good, desc)
    if not good:
        t.diag("status %d, %d bytes (CLI %d, exit %d: %s)"
               % (status, len(body), len(want), rc, err.strip()))
        t.diag(body[:300].decode("utf-8", "replace"))
    return body


def members(srv, tok):
    """The ids GET /impact?target=TARGET lists."""
    status, ctype, body = raw(srv, API + "/impact", tok,
                              {"target": TARGET})
    if status != 200:
        t.diag("GET /impact: %d %r" % (status, body[:200]))
        return None
    return sorted(m["id"] for m in json.loads(body)["members"])


def generation(srv):
    return hwdb.query(srv.db, "SELECT n FROM generation")[0][0]


def shell(srv, sql):
    """SQL as the sqlite3 shell (or psql) runs it: a raw connection,
    foreign keys on, committed."""
    db = hwdb.connect(srv.db)
    try:
        db.script(sql)
    finally:
        db.close()


# What depends on TARGET in the demo, itself included.
DEMO5 = ["cmms-db", "cmms-work-orders", "field-mobile-app",
         "field-work-orders", "gis-asset-management"]
UNKNOWN = {"error": {"code": "not_found",
                     "message": "unknown asset 'warm-app'", "path": None}}

srv = hwserve.Server(demo=True)
try:
    cab = srv.user("carl", "cab")
    admin = srv.user("ada", "admin")

    # -- warm: the first answer loads it, the next read keeps it --------
    t.eq(members(srv, cab), DEMO5, "GET /impact: the demo's five members")
    gen = generation(srv)
    same(srv, cab, "/impact", {"target": TARGET}, ["impact", TARGET],
         "a second GET /impact is impact --json")
    t.eq(generation(srv), gen, "reads leave the generation as it was")

    status, ctype, body = raw(srv, API + "/categorize/warm-app", cab)
    t.eq((status, json.loads(body)),
         (404, UNKNOWN),
         "GET /categorize/warm-app before it exists: 404, unknown asset")

    # -- a write from the CLI beside the running service ---------------
    cli_ok(srv, "asset", "add", "warm-app", "--name", "Warm app", "--type",
           "application", "--owner", "warm@example.org")
    cli_ok(srv, "infotype", "assign", "warm-app", "C.2.8.9")
    cli_ok(srv, "dep", "add", "warm-app", TARGET)
    t.ok(generation(srv) > gen, "the CLI's writes raised the generation")
    t.eq(members(srv, cab), sorted(DEMO5 + ["warm-app"]),
         "GET /impact after the CLI's dep add: warm-app is a member")
    same(srv, cab, "/impact", {"target": TARGET, "summary": "true"},
         ["impact", TARGET, "--summary"],
         "... and the summary is impact --summary --json")
    same(srv, cab, "/categorize/warm-app", None,
         ["categorize", "warm-app"],
         "GET /categorize/warm-app after the CLI's asset add: categorize "
         "--json")
    same(srv, cab, "/categorize", {"summary": "true"},
         ["categorize", "--summary"],
         "GET /categorize?summary=true counts it")
    same(srv, cab, "/risk", {"as_of": ASOF},
         ["risk", "--as-of", ASOF], "GET /risk is risk --json")
    same(srv, cab, "/check", None, ["check"], "GET /check is check --json")
    same(srv, cab, "/plan", {"as_of": ASOF},
         ["plan", "--as-of", ASOF], "GET /plan is plan --json")

    # -- a write with a raw connection (the shell's) --------------------
    gen = generation(srv)
    shell(srv, "DELETE FROM dependency WHERE src = "
               "(SELECT n FROM asset WHERE id = 'warm-app')")
    t.eq(generation(srv), gen + 1,
         "the shell's DELETE of one dependency raised the generation by 1")
    t.eq(members(srv, cab), DEMO5,
         "GET /impact after the shell's DELETE: warm-app is gone from it")
    same(srv, cab, "/impact", {"target": TARGET}, ["impact", TARGET],
         "... and the answer is impact --json")
    shell(srv, "UPDATE asset SET name = 'Warm application' "
               "WHERE id = 'warm-app'")
    same(srv, cab, "/categorize/warm-app", None,
         ["categorize", "warm-app"],
         "GET /categorize/warm-app after the shell's UPDATE: the new name")

    # -- a write through the service ------------------------------------
    status, hdrs, got = srv.request("POST", API + "/dependencies",
                                    token=admin,
                                    json={"from": "warm-app", "to": TARGET,
                                          "type": "uses"})
    t.eq(status, 201, "POST /dependencies warm-app -> %s: 201" % TARGET)
    t.eq(members(srv, cab), sorted(DEMO5 + ["warm-app"]),
         "GET /impact after POST /dependencies: warm-app is back")

    # -- removed from the CLI: the next answer no longer knows it -------
    cli_ok(srv, "asset", "rm", "warm-app", "--force")
    status, ctype, body = raw(srv, API + "/categorize/warm-app", cab)
    t.eq((status, json.loads(body)),
         (404, UNKNOWN),
         "GET /categorize/warm-app after the CLI's asset rm: 404")
    status, ctype, body = raw(srv, API + "/impact", cab,
                              {"target": "warm-app"})
    t.eq((status, json.loads(body)),
         (404, {"error": dict(UNKNOWN["error"], path="target")}),
         "GET /impact?target=warm-app after it: 404")
    t.eq(members(srv, cab), DEMO5, "GET /impact: the demo's five again")

    # -- a bulk import from the CLI (one bump for the whole load) -------
    gen = generation(srv)
    cli_ok(srv, "import", "--replace",
           os.path.join(hwserve.datadir(), "demo-inventory.json"))
    t.eq(generation(srv), gen + 1, "an import raised the generation once")
    same(srv, cab, "/impact", {"target": TARGET}, ["impact", TARGET],
         "GET /impact after the import is impact --json")

    # -- which questions wait for a whole-graph load --------------------
    def loads():
        return srv.log().count("graph loaded at generation ")

    same(srv, cab, "/categorize", {"summary": "true"},
         ["categorize", "--summary"],
         "GET /categorize?summary=true: the graph current again")
    n = loads()
    cli_ok(srv, "asset", "set", TARGET, "name=CMMS database (renamed)")
    same(srv, cab, "/impact", {"target": TARGET, "summary": "true"},
         ["impact", TARGET, "--summary"],
         "after a CLI write, a small upward impact is impact --summary "
         "--json")
    t.eq(loads(), n, "... read from its closure: no whole-graph load")
    same(srv, cab, "/categorize/" + TARGET, None, ["categorize", TARGET],
         "... and one asset's categorization, from its closure too")
    t.eq(loads(), n, "... still no whole-graph load")
    same(srv, cab, "/impact", {"target": TARGET, "direction": "both"},
         ["impact", TARGET, "--direction", "both"],
         "a two-way impact is impact --direction both --json")
    t.eq(loads(), n + 1, "... after one whole-graph load")
    t.ok(re.search(r"^highwater: serve: graph loaded at generation \d+: "
                   r"114 assets, \d+ dependencies in \d+ ms \(read \d+, "
                   r"categorize \d+, index \d+\)$", srv.log(), re.M),
         "each load is a line in the log: size and what it took")

    t.eq(srv.stop(), 0, "the service stops cleanly")
finally:
    srv.cleanup()
t.done()
