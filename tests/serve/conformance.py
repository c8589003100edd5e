"""conformance.py: the service answers as data/openapi.json says.

(a) Every documented operation is called on the demo inventory with
    valid input; its status must be one the document lists for it (never
    404 or 405 for a documented path), and its answer must validate
    against the schema documented for that status and content type.
    An operation the document adds without a call here fails the test.
(b) The role table of issue 13 (part 3), as data: one row per operation
    (owner rows both on the owner's own asset and on another's), each
    called by an owner, a cab member, a manager, an admin and without a
    token: allowed -> neither 401 nor 403; refused -> 403; no token ->
    401 (public operations: allowed to all)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402
import oas  # noqa: E402

XLSX = ("application/vnd.openxmlformats-officedocument."
        "spreadsheetml.sheet")
OWN = "ot-eng@rivertonwater.example"     # the owner user's owner value
OTHER = "billing@rivertonwater.example"  # somebody else's
ROLES = ("owner", "cab", "manager", "admin")

t = hwserve.Tap()
doc = oas.load()
schemas = oas.Schemas(doc)
documented = {(m, p): o for m, p, o in oas.operations(doc)}


def template(path):
    """The documented path a concrete /api/v1 path is an instance of."""
    p = path.split("?", 1)[0]
    assert p.startswith("/api/v1/")
    p = p[len("/api/v1"):]
    for (m, tpl) in documented:
        rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(tpl)) + "$"
        if re.match(rx, p):
            yield m, tpl


def operation_of(method, path):
    """The documented (METHOD, template) of a request; the most
    specific template (fewest parameters) when several match."""
    found = sorted((tpl.count("{"), tpl) for m, tpl in template(path)
                   if m == method)
    return (method, found[0][1]) if found else None


# ======================================================================
# (a) every operation, valid input, answers as documented
# ======================================================================

called = set()


def conform(srv, method, path, want, token=None, json=None, data=None,
            headers=None, query=None, desc=None):
    """Make the request; check its status is want and documented, and
    its answer conforms.  The parsed body."""
    key = operation_of(method, path)
    label = desc or "%s %s" % (method, path)
    if key is None:
        t.ok(False, "%s: not a documented operation" % label)
        return None
    called.add(key)
    if json is not None:
        # what the test sends is what the document says may be sent
        rb = documented[key].get("requestBody", {}).get("content", {})
        bad = schemas.errors(rb["application/json"]["schema"], json) \
            if "application/json" in rb else ["no JSON body documented"]
        t.ok(not bad, "%s: the body sent conforms to the documented one %s"
             % (label, "; ".join(bad)))
    status, hdrs, body = srv.request(method, path, token=token, json=json,
                                     data=data, headers=headers,
                                     query=query)
    if not t.eq(status, want, "%s: %d" % (label, want)):
        t.diag("answer: %r" % (body if not isinstance(body, bytes)
                               else body[:300],))
    responses = documented[key]["responses"]
    if not t.ok(str(status) in responses, "%s: %d is a documented answer "
                "of %s %s" % (label, status, *key)):
        return body
    r = oas.deref(doc, responses[str(status)])
    for name in r.get("headers", {}):
        t.ok(name.lower() in hdrs, "%s: has the header %s, as documented"
             % (label, name))
    content = r.get("content")
    ctype = hdrs.get("content-type", "").split(";")[0].strip()
    if not content:
        t.ok(body in (b"", None), "%s: no body, as documented" % label)
        return body
    if not t.ok(ctype in content, "%s: content type %s is documented (%s)"
                % (label, ctype, ", ".join(content))):
        return body
    if ctype == XLSX:
        t.ok(isinstance(body, bytes) and body[:4] == b"PK\x03\x04",
             "%s: a workbook (a zip file)" % label)
        disp = hdrs.get("content-disposition", "")
        t.ok(re.match(r'^attachment; filename="[^"/]+\.xlsx"$', disp),
             "%s: downloaded as a .xlsx attachment (%s)" % (label, disp))
        return body
    errs = schemas.errors(content[ctype]["schema"], body)
    for e in errs:
        t.diag(e)
    t.ok(not errs, "%s: the answer conforms to its schema" % label)
    return body


def stops_clean(srv, what):
    """SIGTERM: exit 0, and no sanitizer said anything in the log."""
    t.eq(srv.stop(), 0, "%s: the service stops with exit 0" % what)
    log = srv.log()
    t.ok("Sanitizer" not in log and "runtime error" not in log,
         "%s: no sanitizer report in the service's log" % what)


def cookie_of(hdrs):
    m = re.search(r"hw_session=([^;,\s]+)", hdrs.get("set-cookie", ""))
    return m.group(1) if m else None


# Existing objects of the demo for a path's parameters.
SAMPLE = [("/changes/{id}", "/changes/CHG-0001"),
          ("/incidents/{id}", "/incidents/INC-0001"),
          ("{id}", "scada-historian-db"), ("{name}", "nobody")]


def part_a():
    srv = hwserve.Server(demo=True)
    try:
        adm = srv.user("conf-admin", "admin")
        cab = srv.user("conf-cab", "cab")
        srv_a(srv, adm, cab)
        stops_clean(srv, "part a")
    finally:
        srv.cleanup()


def srv_a(srv, adm, cab):
    # -- the document and the session
    conform(srv, "GET", "/api/v1/openapi.json", 200)
    s = srv.request("POST", "/api/v1/session", json={"token": adm})
    called.add(("POST", "/session"))
    t.eq(s[0], 201, "POST /api/v1/session: 201")
    errs = schemas.errors(
        documented[("POST", "/session")]["responses"]["201"]["content"]
        ["application/json"]["schema"], s[2])
    t.ok(not errs, "POST /api/v1/session: the answer conforms (%s)"
         % "; ".join(errs))
    sid = cookie_of(s[1])
    t.ok(sid, "POST /api/v1/session sets the hw_session cookie")
    jar = {"Cookie": "hw_session=%s" % sid}
    conform(srv, "GET", "/api/v1/session", 200, headers=jar,
            desc="GET /api/v1/session (cookie)")
    csrf = s[2].get("csrf", "") if isinstance(s[2], dict) else ""
    conform(srv, "DELETE", "/api/v1/session", 204,
            headers=dict(jar, **{"X-CSRF-Token": csrf}),
            desc="DELETE /api/v1/session (cookie and CSRF token)")

    # -- every operation takes the query parameters documented, no other:
    # an unknown one is refused naming the ones it takes
    differ = []
    for (m, tpl), o in sorted(documented.items()):
        if (m, tpl) == ("GET", "/openapi.json"):
            continue  # the file as installed, whatever the query says
        path = "/api/v1" + re.sub(r"\{[^}]+\}", "x", tpl)
        status, _, body = srv.request(m, path, token=adm,
                                      query={"nope": "1"})
        want = sorted(p["name"] for p in o.get("parameters", [])
                      if p["in"] == "query") or ["none"]
        err = body.get("error", {}) if isinstance(body, dict) else {}
        got = re.search(r"\(expected (.*)\)$", err.get("message", ""))
        got = sorted(got.group(1).split(", ")) if got else None
        if (status, err.get("path"), got) != (400, "nope", want):
            differ.append("%s %s: %s %s %s, documented %s"
                          % (m, tpl, status, err.get("path"), got, want))
    t.eq(differ, [], "every operation refuses an unknown query parameter "
         "naming exactly the documented ones")

    # -- and every JSON body refuses a member it does not know, by name
    before = srv.cli("audit", "head")
    differ, n = [], 0
    for (m, tpl), o in sorted(documented.items()):
        content = o.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        n += 1
        path = "/api/v1" + tpl
        for name, value in SAMPLE:
            path = path.replace(name, value)
        status, _, body = srv.request(m, path, token=adm,
                                      json={"nope": 1})
        err = body.get("error", {}) if isinstance(body, dict) else {}
        # (POST /import names it in the message, its path null)
        if status != 422 or ("nope" not in str(err.get("path")) and
                             "\"nope\"" not in err.get("message", "")):
            differ.append("%s %s: %s %r" % (m, tpl, status, err))
    t.eq(differ, [], "every JSON body (%d operations) with an unknown "
         "member is refused (422), naming it" % n)
    t.eq(srv.cli("audit", "head"), before, "... and none wrote anything "
         "(the audit trail's head is where it was)")

    # -- assets, their information types, dependencies
    conform(srv, "GET", "/api/v1/assets", 200, adm)
    conform(srv, "GET", "/api/v1/assets", 200, adm,
            query={"type": "database", "level": "high"},
            desc="GET /api/v1/assets?type=database&level=high")
    conform(srv, "POST", "/api/v1/assets", 201, adm,
            json={"id": "conf-01", "name": "Conformance", "type": "server",
                  "owner": OWN})
    conform(srv, "GET", "/api/v1/assets/scada-historian-db", 200, adm)
    conform(srv, "PATCH", "/api/v1/assets/conf-01", 200, adm,
            json={"integrity": "high", "description": "for the test"})
    conform(srv, "POST", "/api/v1/assets/conf-01/information-types", 200,
            adm, json={"id": "C.2.8.9"})
    conform(srv, "GET", "/api/v1/assets/conf-01/information-types", 200,
            adm)
    conform(srv, "DELETE",
            "/api/v1/assets/conf-01/information-types/C.2.8.9", 200, adm)
    conform(srv, "GET", "/api/v1/information-types", 200, adm,
            query={"search": "compensation"},
            desc="GET /api/v1/information-types?search=compensation")
    conform(srv, "POST", "/api/v1/information-types", 201, adm,
            json={"id": "X.CONF.1", "name": "Conformance records",
                  "confidentiality": "low", "integrity": "moderate",
                  "availability": "low"})
    conform(srv, "POST", "/api/v1/dependencies", 201, adm,
            json={"from": "conf-01", "to": "scada-historian-db",
                  "type": "uses"})
    conform(srv, "GET", "/api/v1/dependencies", 200, adm,
            query={"asset": "conf-01"},
            desc="GET /api/v1/dependencies?asset=conf-01")
    conform(srv, "DELETE", "/api/v1/dependencies/conf-01/scada-historian-db",
            200, adm)

    # -- the analyses
    conform(srv, "GET", "/api/v1/categorize", 200, adm)
    conform(srv, "GET", "/api/v1/categorize/scada-historian-db", 200, adm)
    conform(srv, "GET", "/api/v1/impact", 200, adm,
            query=[("target", "scada-historian-db"), ("target", "dc-vm-01"),
                   ("direction", "both"), ("depth", "2")],
            desc="GET /api/v1/impact?target=...&target=...")
    conform(srv, "GET", "/api/v1/impact", 200, adm,
            query={"target": "scada-historian-db", "summary": "true"},
            desc="GET /api/v1/impact?target=...&summary=true")
    conform(srv, "GET", "/api/v1/risk", 200, adm)
    conform(srv, "GET", "/api/v1/plan", 200, adm)
    conform(srv, "GET", "/api/v1/check", 200, adm)

    # -- bulk data and workbooks
    inv = conform(srv, "GET", "/api/v1/export", 200, adm)
    if isinstance(inv, dict):
        conform(srv, "POST", "/api/v1/import", 200, adm, json=inv,
                query={"dry_run": "true"},
                desc="POST /api/v1/import?dry_run=true")
    conform(srv, "GET", "/api/v1/export", 200, adm,
            query={"format": "oscal", "system": "cis-billing", "depth": "1"},
            desc="GET /api/v1/export?format=oscal&system=cis-billing")
    conform(srv, "GET", "/api/v1/reports/plan.xlsx", 200, adm)
    conform(srv, "GET", "/api/v1/reports/inventory.xlsx", 200, adm)

    # -- a change's life
    chg = conform(srv, "POST", "/api/v1/changes", 201, adm,
                  json={"title": "Conformance change",
                        "targets": ["conf-01"],
                        "edits": [{"kind": "set", "asset": "conf-01",
                                   "field": "a", "value": "low"}]})
    cid = chg.get("id", "CHG-0000") if isinstance(chg, dict) else "CHG-0000"
    base = "/api/v1/changes/" + cid
    conform(srv, "GET", "/api/v1/changes", 200, adm)
    conform(srv, "PATCH", base, 200, adm,
            json={"title": "Conformance change, amended"})
    conform(srv, "POST", base + "/assess", 200, adm, json={})
    conform(srv, "GET", base, 200, adm)
    conform(srv, "GET", "/api/v1/reports/change/%s.xlsx" % cid, 200, adm)
    conform(srv, "POST", base + "/decide", 200, cab,
            json={"decision": "approve", "reason": "window agreed"})
    conform(srv, "POST", base + "/implement", 200, cab, json={})
    conform(srv, "POST", base + "/close", 200, cab,
            json={"result": "failed"})
    conform(srv, "POST", base + "/revert", 200, cab, json={})
    chg = conform(srv, "POST", "/api/v1/changes", 201, adm,
                  json={"title": "Conformance change to cancel",
                        "targets": ["conf-01"]},
                  desc="POST /api/v1/changes (a second)")
    cid = chg.get("id", "CHG-0000") if isinstance(chg, dict) else "CHG-0000"
    conform(srv, "POST", "/api/v1/changes/%s/cancel" % cid, 200, adm,
            json={})

    # -- incidents, baselines, the audit trail
    inc = conform(srv, "POST", "/api/v1/incidents", 201, adm,
                  json={"asset": "conf-01", "title": "Conformance outage"})
    iid = "INC-0000"
    if isinstance(inc, dict) and isinstance(inc.get("incident"), dict):
        iid = inc["incident"].get("id", iid)
    conform(srv, "POST", "/api/v1/incidents/%s/resolve" % iid, 200, adm,
            json={})
    conform(srv, "GET", "/api/v1/incidents", 200, adm)
    conform(srv, "POST", "/api/v1/baselines", 201, adm,
            json={"name": "conf-b1"})
    conform(srv, "GET", "/api/v1/baselines", 200, adm)
    conform(srv, "GET", "/api/v1/baselines/conf-b1/diff", 200, adm)
    conform(srv, "GET", "/api/v1/audit", 200, adm,
            query={"asset": "conf-01"}, desc="GET /api/v1/audit?asset=")

    # -- users and settings
    conform(srv, "POST", "/api/v1/users", 201, adm,
            json={"name": "conf-user", "roles": ["manager"]})
    conform(srv, "GET", "/api/v1/users", 200, adm)
    conform(srv, "POST", "/api/v1/users/conf-user/token", 200, adm)
    conform(srv, "DELETE", "/api/v1/users/conf-user", 200, adm)
    conform(srv, "GET", "/api/v1/settings", 200, adm)
    conform(srv, "PATCH", "/api/v1/settings", 200, adm,
            json={"route.cab_review": "low"})
    conform(srv, "GET", "/api/v1/weights", 200, adm)
    conform(srv, "PATCH", "/api/v1/weights", 200, adm,
            json={"likelihood.base": 0.1})

    # -- last, the asset goes
    conform(srv, "DELETE", "/api/v1/assets/conf-01", 200, adm)

    # Every documented operation was called here.
    t.eq(sorted("%s %s" % k for k in set(documented) - called), [],
         "every documented operation was called")


# ======================================================================
# (b) the role table
# ======================================================================

# One row an operation: method, path, body, who may (owner rows say
# whose asset the owner acts on: "own" or "other"; an owner is allowed
# on their own, refused on another's).  {r} in a path or body is the
# role calling, for objects of its own (made below before the service
# starts), so that one role's allowed write does not take another's
# object away.  Rows that remove objects come last.
ALL = ROLES
CHG = ("owner", "cab", "admin")
CAB = ("cab", "admin")
ADM = ("admin",)

TABLE = [
    # read everything, download workbooks: everybody
    ("GET", "/session", None, ALL),
    ("GET", "/assets", None, ALL),
    ("GET", "/assets/fx-other", None, ALL),
    ("GET", "/assets/fx-other/information-types", None, ALL),
    ("GET", "/information-types", None, ALL),
    ("GET", "/dependencies", None, ALL),
    ("GET", "/categorize", None, ALL),
    ("GET", "/categorize/fx-other", None, ALL),
    ("GET", "/impact?target=fx-other", None, ALL),
    ("GET", "/risk?top=3", None, ALL),
    ("GET", "/plan?top=3", None, ALL),
    ("GET", "/check", None, ALL),
    ("GET", "/changes", None, ALL),
    ("GET", "/changes/{new}", None, ALL),
    ("GET", "/incidents", None, ALL),
    ("GET", "/baselines", None, ALL),
    ("GET", "/baselines/fx-base/diff", None, ALL),
    ("GET", "/audit?asset=fx-other", None, ALL),
    ("GET", "/reports/plan.xlsx", None, ALL),
    ("GET", "/reports/inventory.xlsx", None, ALL),
    ("GET", "/reports/change/{assessed}.xlsx", None, ALL),
    ("GET", "/settings", None, ALL),
    ("GET", "/weights", None, ALL),
    # assets: the owner (their own) and admin
    ("POST", "/assets", {"id": "new-{r}", "name": "N", "type": "server",
                         "owner": OWN}, ("own", "admin")),
    ("POST", "/assets", {"id": "new-other-{r}", "name": "N",
                         "type": "server", "owner": OTHER},
     ("other", "admin")),
    ("PATCH", "/assets/fx-{r}", {"description": "patched"},
     ("own", "admin")),
    ("PATCH", "/assets/fx-other", {"description": "patched"},
     ("other", "admin")),
    ("POST", "/assets/fx-{r}/information-types", {"id": "C.3.5.5"},
     ("own", "admin")),
    ("POST", "/assets/fx-other/information-types", {"id": "C.3.5.5"},
     ("other", "admin")),
    ("DELETE", "/assets/fx-other/information-types/C.2.8.9", None,
     ("other", "admin")),
    ("DELETE", "/assets/fx-{r}/information-types/C.2.8.9", None,
     ("own", "admin")),
    # dependencies from their own assets; onto another's only as a
    # proposed change (202, still allowed)
    ("POST", "/dependencies", {"from": "fx-{r}", "to": "fx-target2"},
     ("own", "admin")),
    ("POST", "/dependencies", {"from": "fx-{r}", "to": "fx-other",
                               "type": "uses"}, ("own", "admin")),
    ("POST", "/dependencies", {"from": "fx-other", "to": "fx-target2",
                               "type": "uses"}, ("other", "admin")),
    ("DELETE", "/dependencies/fx-other/fx-target", None,
     ("other", "admin")),
    ("DELETE", "/dependencies/fx-{r}/fx-target", None, ("own", "admin")),
    # changes and incidents
    ("POST", "/changes", {"title": "role test", "targets": ["fx-other"]},
     CHG),
    ("PATCH", "/changes/{new}", {"title": "role test, amended"}, CHG),
    ("POST", "/changes/{new}/assess", {}, CHG),
    ("POST", "/changes/{assessed}/decide",
     {"decision": "approve", "reason": "role test"}, CAB),
    ("POST", "/changes/{approved}/implement", {}, CAB),
    ("POST", "/changes/{implemented}/close", {"result": "failed"}, CAB),
    ("POST", "/changes/{failed}/revert", {}, CAB),
    ("POST", "/changes/{new}/cancel", {}, CHG),
    ("POST", "/incidents", {"asset": "fx-other", "title": "role test"},
     CHG),
    ("POST", "/incidents/{incident}/resolve", {}, CHG),
    ("POST", "/baselines", {"name": "role-{r}"}, CAB),
    # users, settings, weights, imports, exports: admin
    ("GET", "/users", None, ADM),
    ("POST", "/users", {"name": "made-by-{r}", "roles": ["manager"]}, ADM),
    ("POST", "/users/fx-user/token", None, ADM),
    ("PATCH", "/settings", {"organisation": "Riverton Water Authority"},
     ADM),
    ("PATCH", "/weights", {"likelihood.base": 0.1}, ADM),
    ("POST", "/import?dry_run=true",
     {"format": "highwater-inventory", "version": 1}, ADM),
    ("GET", "/export", None, ADM),
    ("POST", "/information-types", {"id": "X.ROLE.{r}", "name": "R"},
     ADM),
    ("DELETE", "/users/fx-user", None, ADM),
    ("DELETE", "/assets/fx-other", None, ("other", "admin")),
    ("DELETE", "/assets/fx-{r}", None, ("own", "admin")),
    ("DELETE", "/session", None, ALL),
]
PUBLIC_ROWS = [("GET", "/openapi.json", None), ("POST", "/session", "token")]


def may(allowed, role):
    """Is role allowed by a row's who-may?"""
    if role == "owner":
        return "owner" in allowed or "own" in allowed
    return role in allowed


def cli_ok(srv, *args, actor="it-admin"):
    rc, out, err = srv.cli(*args, actor=actor)
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


def change_id(out):
    m = re.search(r"CHG-[0-9]+", out)
    if m is None:
        raise RuntimeError("no change id in %r" % out)
    return m.group(0)


def fixtures(srv):
    """The objects the rows act on, made with the CLI before the service
    starts: fx-ROLE (owned by the owner user's owner value) for each
    role, fx-other (somebody else's), fx-target and fx-target2, each
    holding C.2.8.9; fx-ROLE -> fx-target and fx-other -> fx-target;
    changes in each state; an open incident; a baseline.  The ids by
    name."""
    ids = {}
    for name, owner in [("fx-%s" % r, OWN) for r in ROLES] + \
            [("fx-other", OTHER), ("fx-target", OWN),
             ("fx-target2", OWN)]:
        cli_ok(srv, "asset", "add", name, "--name", name, "--type",
               "server", "--owner", owner)
        cli_ok(srv, "infotype", "assign", name, "C.2.8.9")
    for r in ROLES + ("other",):
        cli_ok(srv, "dep", "add", "fx-%s" % r, "fx-target")

    def change(title):
        return change_id(cli_ok(srv, "change", "new", "--title", title,
                                "--target", "fx-target", "--set",
                                "fx-target,description=" + title,
                                actor="p.nguyen"))
    ids["new"] = change("role test: new")
    ids["assessed"] = change("role test: assessed")
    cli_ok(srv, "change", "assess", ids["assessed"], actor="p.nguyen")
    staged = {}
    for state in ("approved", "implemented", "failed"):
        c = staged[state] = change("role test: " + state)
        cli_ok(srv, "change", "assess", c, actor="p.nguyen")
        cli_ok(srv, "change", "decide", c, "approve", "--reason", "ok",
               actor="cab-chair")
    for state in ("implemented", "failed"):
        cli_ok(srv, "change", "implement", staged[state],
               actor="cab-chair")
    cli_ok(srv, "change", "close", staged["failed"], "--result", "failed",
           actor="cab-chair")
    ids.update(staged)
    out = cli_ok(srv, "incident", "add", "fx-other", "--title", "fx")
    m = re.search(r"INC-[0-9]+", out)
    ids["incident"] = m.group(0) if m else "INC-0000"
    cli_ok(srv, "baseline", "save", "fx-base")
    return ids


def fill(value, role, ids):
    """A row's path or body with {r} and the fixtures' ids put in."""
    if isinstance(value, str):
        value = value.replace("{r}", role)
        for k, v in ids.items():
            value = value.replace("{%s}" % k, v)
        return value
    if isinstance(value, dict):
        return {k: fill(v, role, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, role, ids) for v in value]
    return value


def part_b():
    srv = hwserve.Server(demo=True, start=False)
    try:
        ids = fixtures(srv)
        toks = {"owner": srv.user("role-owner", "owner", owns=OWN),
                "cab": srv.user("role-cab", "cab"),
                "manager": srv.user("role-manager", "manager"),
                "admin": srv.user("role-admin", "admin")}
        srv.user("fx-user", "manager")
        srv.start()
        srv_b(srv, ids, toks)
        stops_clean(srv, "part b")
    finally:
        srv.cleanup()


def srv_b(srv, ids, toks):
    rows = set()
    refusals, badly = 0, []
    for method, path, body, allowed in TABLE:
        for role in ROLES + (None,):
            r = role or "none"
            p = "/api/v1" + fill(path, r, ids)
            b = fill(body, r, ids)
            key = operation_of(method, p)
            if key is None:
                t.ok(False, "%s %s: a documented operation" % (method, p))
                continue
            rows.add(key)
            token, headers = toks.get(role), None
            if (method, path) == ("DELETE", "/session") and role:
                # Signing out ends a session (a token has none).
                _, h, a = srv.request("POST", "/api/v1/session",
                                      json={"token": token})
                token = None
                headers = {"Cookie": "hw_session=%s" % cookie_of(h),
                           "X-CSRF-Token": a.get("csrf", "")
                           if isinstance(a, dict) else ""}
            status, _, answer = srv.request(
                method, p, token=token, headers=headers,
                json=b if method in ("POST", "PATCH") else None)
            who = role or "no token"
            if role == "owner" and "own" in allowed:
                who = "owner (their asset)"
            elif role == "owner" and "other" in allowed:
                who = "owner (another's asset)"
            if role is None:
                ok = t.eq(status, 401, "%s %s, no token: 401" % (method, p))
            elif may(allowed, role):
                ok = t.ok(status not in (401, 403, 404, 405) and
                          str(status) in documented[key]["responses"],
                          "%s %s, %s: allowed (%d)" % (method, p, who,
                                                       status))
            else:
                ok = t.eq(status, 403, "%s %s, %s: refused" % (method, p,
                                                              who))
            if not ok:
                t.diag("answer: %r" % (answer,))
            if status in (401, 403):
                refusals += 1
                bad = schemas.errors({"$ref": "#/components/schemas/Error"},
                                     answer)
                if bad:
                    badly.append("%s %s %s: %s" % (method, p, status,
                                                   bad[0]))
    t.eq(badly, [], "all %d refusals are the documented Error" % refusals)
    for method, path, kind in PUBLIC_ROWS:
        for role in ROLES + (None,):
            b = {"token": toks[role]} if kind == "token" and role else None
            if kind == "token" and role is None:
                continue
            status, _, _ = srv.request(method, "/api/v1" + path, json=b)
            rows.add((method, path))
            t.ok(status not in (401, 403, 404, 405),
                 "%s %s without a token, as %s: public (%d)"
                 % (method, path, role or "nobody", status))
    t.eq(sorted("%s %s" % k for k in set(documented) - rows), [],
         "the role table has a row for every documented operation")
    differ = []
    for method, path, _, allowed in TABLE:
        key = operation_of(method, "/api/v1" + fill(path, "x", ids))
        # an owner row says owner whether on their asset or another's
        want = [r for r in ROLES if may(allowed, r) or
                (r == "owner" and "other" in allowed)]
        if key and documented[key].get("x-roles") != want:
            differ.append("%s %s: %s" % (method, path, want))
    t.eq(differ, [], "each operation's x-roles are the table's")
    bad = []
    for method, path, body, _ in TABLE:
        key = operation_of(method, "/api/v1" + fill(path, "x", ids))
        rb = documented[key].get("requestBody", {}).get("content", {}) \
            if key else {}
        if body is not None and (
                "application/json" not in rb or schemas.errors(
                    rb["application/json"]["schema"], fill(body, "x", ids))):
            bad.append("%s %s" % (method, path))
    t.eq(bad, [], "each body the table sends conforms to the documented "
         "one")


for part in (part_a, part_b):
    try:
        part()
    except RuntimeError as e:
        t.ok(False, "%s: %s" % (part.__name__, e))

t.done()
