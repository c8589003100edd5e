#!/usr/bin/python3
"""analysis.py: the analyses, bulk data and workbooks over HTTP.

GET /categorize[/{id}], /impact, /risk, /plan and /check answer byte for
byte what the CLI's --json prints, on the demo and on a seeded random
inventory; bad query parameters get exact JSON errors; POST /import and
GET /export are the administrator's (all or nothing, a dry run's
differences as import --dry-run --json gives them); the workbooks
download under the CLI's names and read back with openpyxl; every role
is allowed or refused as the issue's table says.  TAP.
"""
import io
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwserve  # noqa: E402

API = "/api/v1"
ASOF = "2026-11-21"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEP_TYPES = ("runs_on, uses, stores_data_in, connects_to, "
             "authenticates_via, backs_up_to, other")

t = hwserve.Tap()

# The service's temporary files (imports, workbooks) go to TMPDIR: a
# folder of the test's own, to see that nothing is left there.
TMP = tempfile.mkdtemp(prefix="hw-analysis-")
os.environ["TMPDIR"] = TMP


def raw(srv, path, token=None, query=None, method="GET", body=None,
        headers=None):
    """One request: (status, headers, the body's bytes unparsed)."""
    import urllib.parse
    hdrs = dict(headers or {})
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    if query:
        path += "?" + urllib.parse.urlencode(query, doseq=True)
    conn = srv.connection()
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        got = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, got, data
    finally:
        conn.close()


def cli_json(srv, *args):
    rc, out, err = srv.cli("--json", *args)
    if rc != 0:
        t.diag("highwater %s: %s" % (" ".join(args), err))
    return out.encode("utf-8")


def same(srv, tok, path, query, args, desc):
    """The route's answer is the CLI's --json, byte for byte."""
    status, hdrs, body = raw(srv, API + path, tok, query)
    want = cli_json(srv, *args)
    good = (status == 200 and
            hdrs.get("content-type") == "application/json" and
            body == want and len(want) > 2)
    t.ok(good, desc)
    if not good:
        t.diag("status %d, %d bytes (CLI %d)" % (status, len(body), len(want)))
        t.diag(body[:300].decode("utf-8", "replace"))


def error(srv, tok, path, query, status, code, message, where, desc,
          method="GET", body=None, headers=None):
    """An exact JSON error."""
    st, hdrs, data = raw(srv, API + path, tok, query, method, body, headers)
    try:
        got = json.loads(data)
    except ValueError:
        got = data
    t.eq((st, got),
         (status, {"error": {"code": code, "message": message,
                             "path": where}}), desc)


def export(srv):
    rc, out, err = srv.cli("export")
    return out


def tmp_left():
    return sorted(os.listdir(TMP))


# ----------------------------------------------------------------------
# The demo
srv = hwserve.Server(demo=True)
try:
    admin = srv.user("ada", "admin")
    owner = srv.user("olga", "owner", owns="billing@rivertonwater.example")
    cab = srv.user("carl", "cab")
    manager = srv.user("mona", "manager")
    roles = {"owner": owner, "cab": cab, "manager": manager,
             "admin": admin}

    # --- answers equal the CLI's --json ---------------------------------
    same(srv, manager, "/categorize", None, ["categorize"],
         "GET /categorize is categorize --json")
    same(srv, manager, "/categorize", {"summary": "true"},
         ["categorize", "--summary"],
         "GET /categorize?summary=true is categorize --summary --json")
    same(srv, manager, "/categorize", {"summary": "false"}, ["categorize"],
         "GET /categorize?summary=false lists the assets")
    same(srv, owner, "/categorize/historian-vm-01", None,
         ["categorize", "historian-vm-01"],
         "GET /categorize/{id} is categorize ID --json")
    same(srv, owner, "/categorize",
         [("asset", "lims-db"), ("asset", "cmms-db"), ("asset", "lims-db")],
         ["categorize", "lims-db", "cmms-db", "lims-db"],
         "GET /categorize?asset=A&asset=B is categorize A B --json")
    several = json.loads(cli_json(srv, "categorize", "lims-db", "cmms-db",
                                  "lims-db"))
    every = {a["id"]: a for a in
             json.loads(cli_json(srv, "categorize"))["assets"]}
    t.eq(several["assets"], [every["cmms-db"], every["lims-db"]],
         "categorize A B: each once, by id, as categorize lists them")
    t.eq((several["summary"]["high"], several["summary"]["moderate"]),
         (1, 1), "... and counts only those")
    same(srv, owner, "/categorize", [("asset", "cmms-db"),
                                     ("summary", "true")],
         ["categorize", "cmms-db", "--summary"],
         "GET /categorize?asset=A&summary=true is categorize A --summary")
    same(srv, owner, "/categorize/historian-vm-01", {"summary": "true"},
         ["categorize", "historian-vm-01", "--summary"],
         "GET /categorize/{id}?summary=true is categorize ID --summary --json")
    same(srv, cab, "/impact", {"target": "scada-historian-db"},
         ["impact", "scada-historian-db"],
         "GET /impact?target=ID is impact ID --json")
    same(srv, cab, "/impact",
         [("target", "scada-historian-db"), ("target", "core-sw-01"),
          ("depth", "2"), ("direction", "both"),
          ("types", "runs_on,uses,stores_data_in")],
         ["impact", "scada-historian-db", "core-sw-01", "--depth", "2",
          "--direction", "both", "--types", "runs_on,uses,stores_data_in"],
         "GET /impact with two targets, depth, direction and types")
    same(srv, cab, "/impact",
         [("target", "core-sw-01"), ("summary", "true"),
          ("direction", "down")],
         ["impact", "core-sw-01", "--summary", "--direction", "down"],
         "GET /impact?summary=true&direction=down")
    same(srv, manager, "/risk", {"as_of": ASOF}, ["risk", "--as-of", ASOF],
         "GET /risk?as_of= is risk --as-of --json")
    same(srv, manager, "/risk", {"top": "5", "as_of": ASOF},
         ["risk", "--top", "5", "--as-of", ASOF], "GET /risk?top=5")
    same(srv, manager, "/risk",
         {"type": "application", "owner": "billing@rivertonwater.example",
          "as_of": ASOF},
         ["risk", "--type", "application", "--owner",
          "billing@rivertonwater.example", "--as-of", ASOF],
         "GET /risk?type=&owner= filters as --type and --owner")
    same(srv, manager, "/risk", None, ["risk"],
         "GET /risk without as_of scores today, as the CLI")
    same(srv, manager, "/plan", {"as_of": ASOF}, ["plan", "--as-of", ASOF],
         "GET /plan?as_of= is plan --as-of --json")
    same(srv, manager, "/plan", {"top": "3", "as_of": ASOF},
         ["plan", "--top", "3", "--as-of", ASOF], "GET /plan?top=3")
    same(srv, owner, "/check", None, ["check"], "GET /check is check --json")

    # --- bad query parameters ---------------------------------------------
    q = {"target": "scada-historian-db"}
    error(srv, cab, "/impact", dict(q, depth="x"), 400, "bad_request",
          'depth: "x" is not a count (expected 0 to 1000000000)', "depth",
          "impact depth=x: 400 naming depth")
    error(srv, cab, "/impact", dict(q, depth="-1"), 400, "bad_request",
          'depth: "-1" is not a count (expected 0 to 1000000000)', "depth",
          "impact depth=-1: 400")
    error(srv, cab, "/impact", dict(q, direction="sideways"), 400,
          "bad_request",
          'direction: "sideways" (expected up, down or both)', "direction",
          "impact direction=sideways: 400 naming direction")
    error(srv, cab, "/impact", dict(q, types="nope"), 400, "bad_request",
          'types: unknown dependency type "nope" (expected %s)' % DEP_TYPES,
          "types", "impact types=nope: 400 naming types")
    error(srv, cab, "/impact", dict(q, types=","), 400, "bad_request",
          "types: empty list (expected %s)" % DEP_TYPES, "types",
          "impact types=, (no type): 400")
    error(srv, cab, "/impact", dict(q, summary="yes"), 400, "bad_request",
          'summary: "yes" (expected true or false)', "summary",
          "impact summary=yes: 400")
    error(srv, cab, "/impact", dict(q, bogus="1"), 400, "bad_request",
          "unknown query parameter 'bogus' (expected target, depth, types, "
          "direction, summary)", "bogus",
          "impact with an unknown parameter: 400 naming it")
    error(srv, cab, "/impact", {"depth": "1"}, 400, "bad_request",
          "target: missing (expected at least one asset id: ?target=ID)",
          "target", "impact without a target: 400 naming target")
    error(srv, cab, "/impact", {"target": "nope"}, 404, "not_found",
          "unknown asset 'nope'", "target",
          "impact of an unknown target: 404 naming the parameter")
    error(srv, cab, "/impact",
          [("target", "core-sw-01"), ("target", "nope"),
           ("direction", "down")], 404, "not_found",
          "unknown asset 'nope'", "target",
          "impact down with one unknown target among two: 404")
    error(srv, cab, "/impact",
          [("target", "core-sw-01"), ("depth", "1"), ("depth", "2")], 400,
          "bad_request", "query parameter 'depth' given twice", "depth",
          "impact with depth given twice: 400 naming it (target may "
          "repeat, the others may not)")
    error(srv, cab, "/risk", [("top", "1"), ("top", "2")], 400,
          "bad_request", "query parameter 'top' given twice", "top",
          "risk with top given twice: 400 naming it")
    error(srv, cab, "/categorize/nope", None, 404, "not_found",
          "unknown asset 'nope'", None, "categorize of an unknown asset: 404")
    error(srv, cab, "/categorize", {"assets": "x"}, 400, "bad_request",
          "unknown query parameter 'assets' (expected asset, summary)",
          "assets", "categorize with an unknown parameter: 400")
    error(srv, cab, "/categorize", [("asset", "lims-db"), ("asset", "nope")],
          404, "not_found", "unknown asset 'nope'", "asset",
          "categorize of several assets, one unknown: 404 naming it")
    error(srv, cab, "/categorize/lims-db", {"asset": "x"}, 400,
          "bad_request", "unknown query parameter 'asset' (expected "
          "summary)", "asset", "categorize/{id} takes no asset parameter")
    error(srv, cab, "/risk", {"top": "x"}, 400, "bad_request",
          'top: "x" is not a count (expected 0 to 1000000000)', "top",
          "risk top=x: 400")
    error(srv, cab, "/risk", {"type": "bogus"}, 400, "bad_request",
          'type: unknown asset type "bogus" (expected business_service, '
          "application, database, server, virtual_machine, container, "
          "network_device, storage_device, cloud_service, endpoint, other)",
          "type", "risk type=bogus: 400 naming type")
    error(srv, cab, "/plan", {"as_of": "2026-02-30"}, 400, "bad_request",
          'as_of: "2026-02-30" is not a calendar date (expected YYYY-MM-DD from '
          '1900 on)',
          "as_of", "plan as_of=2026-02-30: 400 naming as_of")
    error(srv, cab, "/check", {"fail_on": "high"}, 400, "bad_request",
          "unknown query parameter 'fail_on' (expected none)", "fail_on",
          "check takes no parameter (--fail-on gates a pipeline)")

    # --- every role reads, no token is 401 --------------------------------
    reads = [("/categorize", None), ("/categorize/portal-db", None),
             ("/impact", {"target": "portal-db"}), ("/risk", {"top": "1"}),
             ("/plan", {"top": "1"}), ("/check", None),
             ("/reports/inventory.xlsx", None),
             ("/reports/plan.xlsx", {"as_of": ASOF})]
    for path, query in reads:
        got = {r: raw(srv, API + path, tok, query)[0]
               for r, tok in roles.items()}
        t.eq(got, {r: 200 for r in roles}, "GET %s: every role reads" % path)
        t.eq(raw(srv, API + path, None, query)[0], 401,
             "GET %s without a token: 401" % path)

    # --- export -----------------------------------------------------------
    before = export(srv)
    status, hdrs, body = raw(srv, API + "/export", admin)
    t.ok(status == 200 and body == before.encode("utf-8"),
         "GET /export (admin) is export, byte for byte")
    t.eq(raw(srv, API + "/export", admin, {"format": "json"})[2],
         before.encode("utf-8"), "GET /export?format=json likewise")
    got = {r: raw(srv, API + "/export", roles[r])[0]
           for r in ("owner", "cab", "manager")}
    t.eq(got, {"owner": 403, "cab": 403, "manager": 403},
         "GET /export refused (403) for owner, cab and manager")
    t.eq(raw(srv, API + "/export")[0], 401, "GET /export without a token: 401")
    status, hdrs, body = raw(srv, API + "/export", admin,
                             {"format": "oscal", "system": "cis-billing",
                              "depth": "1"})
    rc, out, err = srv.cli("export", "--format", "oscal", "--system",
                           "cis-billing", "--depth", "1")

    def plan_of(doc):
        # The plan's own UUID and last-modified time differ by export.
        p = doc["system-security-plan"]
        p.pop("uuid", None)
        p["metadata"].pop("last-modified", None)
        return doc
    t.ok(status == 200 and rc == 0 and
         plan_of(json.loads(body)) == plan_of(json.loads(out)),
         "GET /export?format=oscal&system=&depth= is export --format oscal "
         "(but for the plan's UUID and time)")
    error(srv, admin, "/export", {"format": "csv"}, 400, "bad_request",
          'format: "csv" (expected json or oscal; the CSV tables are the '
          "CLI's)", "format", "export format=csv: 400")
    error(srv, admin, "/export", {"format": "oscal"}, 400, "bad_request",
          "format=oscal needs system=ASSET", "system",
          "export format=oscal without system: 400")
    error(srv, admin, "/export", {"system": "cis-billing"}, 400,
          "bad_request",
          "system, depth and include_components go with format=oscal",
          "system", "export system= without format=oscal: 400")
    t.eq(raw(srv, API + "/export", admin,
             {"format": "oscal", "system": "nope"})[0], 404,
         "export of an unknown system: 404")

    # --- import -----------------------------------------------------------
    doc = json.loads(before)
    new = {"format": "highwater-inventory", "version": 1,
           "assets": [{"id": "api-new-01", "name": "Made over HTTP",
                       "type": "server", "owner": "ops@example.org",
                       "integrity": "moderate"}]}
    body = json.dumps(new)
    jhdr = {"Content-Type": "application/json"}
    got = {r: raw(srv, API + "/import", roles[r], None, "POST", body,
                  jhdr)[0] for r in ("owner", "cab", "manager")}
    t.eq(got, {"owner": 403, "cab": 403, "manager": 403},
         "POST /import refused (403) for owner, cab and manager")
    t.eq(raw(srv, API + "/import", None, None, "POST", body, jhdr)[0], 401,
         "POST /import without a token: 401")
    error(srv, manager, "/import", None, 403, "forbidden",
          "user 'mona' may not administer", None,
          "POST /import by a manager: the 403's JSON error", "POST",
          body.encode(), jhdr)
    t.eq(export(srv), before, "... the refused imports changed nothing")

    bad = [
        ('{"format": "highwater-inventory", "version": 1, "assets": [{"id": '
         '"a",}]}', jhdr, 400, "bad_request",
         "line 1 column 71: malformed JSON: string or '}' expected near '}'",
         "line 1 column 71", "malformed JSON: 400 with line and column"),
        (json.dumps({"format": "highwater-inventory", "version": 1,
                     "assets": [{"id": "a", "name": "A", "type": "server",
                                 "integrity": "hihg"}]}), jhdr, 422,
         "invalid",
         'assets[0].integrity: unknown level "hihg" (expected low, moderate, '
         'high)', "assets[0].integrity",
         "a bad level: 422 with its JSON path"),
        ('{"format":"highwater-inventory","version":1}\n'
         '{"asset":{"id":"a","name":"A","type":"server","integrity":"hihg"}}\n',
         {"Content-Type": "application/x-ndjson"}, 422, "invalid",
         'line 2: asset.integrity: unknown level "hihg" (expected low, '
         'moderate, high)', "asset.integrity",
         "JSON Lines with a bad level: 422 with its line and path"),
        (body, {"Content-Type": "text/plain"}, 415, "unsupported_media_type",
         "the body must be an inventory document, application/json or "
         "application/x-ndjson (JSON Lines), not 'text/plain'", None,
         "a text body: 415"),
        ("", jhdr, 400, "bad_request",
         "an inventory document is required (the body is empty)", None,
         "no body: 400"),
    ]
    for data, hd, st, code, msg, where, desc in bad:
        error(srv, admin, "/import", None, st, code, msg, where, desc,
              "POST", data.encode("utf-8"), hd)
        t.eq(export(srv), before, "... nothing written (%s)" % desc)
    error(srv, admin, "/import", {"replace": "maybe"}, 400, "bad_request",
          'replace: "maybe" (expected true or false)', "replace",
          "import replace=maybe: 400", "POST", body.encode(), jhdr)

    # A dry run answers the differences as import --dry-run --json does.
    changed = json.loads(before)
    for a in changed["assets"]:
        if a["id"] == "portal-db":
            a["integrity"] = "high"
            a["owner"] = "dba@example.org"
    changed["assets"].append(new["assets"][0])
    path = os.path.join(srv.dir, "changed.json")
    with open(path, "w") as f:
        json.dump(changed, f)
    rc, out, err = srv.cli("--json", "import", "--dry-run", path)
    want = json.loads(out)
    want["file"] = "body"
    want["files"] = ["body"]
    status, hdrs, data = raw(srv, API + "/import", admin,
                             {"dry_run": "true"}, "POST",
                             json.dumps(changed).encode(), jhdr)
    got = json.loads(data) if status == 200 else data
    t.ok(status == 200 and got == want and len(want["differences"]) == 3,
         "POST /import?dry_run=true answers the differences of import "
         "--dry-run --json")
    t.eq(export(srv), before, "... and writes nothing")

    # The import itself, JSON then JSON Lines; the actor is the user.
    status, hdrs, data = raw(srv, API + "/import", admin, None, "POST",
                             body.encode(), jhdr)
    got = json.loads(data)
    t.eq((status, got["assets"], got["dry_run"], got["replace"],
          got["file"]), (200, 1, False, False, "body"),
         "POST /import (admin): 200 with the counts")
    rc, out, err = srv.cli("--json", "asset", "show", "api-new-01")
    t.ok(rc == 0 and json.loads(out)["name"] == "Made over HTTP",
         "... the asset is in the inventory")
    rc, out, err = srv.cli("--json", "audit", "log", "api-new-01")
    actors = sorted({e["actor"] for e in json.loads(out)["records"]})
    t.eq(actors, ["ada"], "... its audit records name the user as actor")
    rc, out, err = srv.cli("--json", "audit", "log", "--actor", "ada")
    t.eq([r["object"] for r in json.loads(out)["records"]
          if r["action"] == "import"], ["import:body"],
         "... and the import's summary record calls its source 'body'")
    lines = ('{"format":"highwater-inventory","version":1}\n'
             '{"asset":{"id":"api-new-02","name":"By lines","type":"server"}}'
             '\n')
    status, hdrs, data = raw(srv, API + "/import", admin, None, "POST",
                             lines.encode(),
                             {"Content-Type": "application/x-ndjson"})
    t.eq((status, json.loads(data).get("assets")), (200, 1),
         "POST /import of JSON Lines (application/x-ndjson)")
    rc, out, err = srv.cli("asset", "show", "api-new-02")
    t.eq(rc, 0, "... the asset is in the inventory")

    # replace=true: the inventory of the body, and nothing else.
    status, hdrs, data = raw(srv, API + "/import", admin,
                             {"replace": "true"}, "POST",
                             before.encode(), jhdr)
    t.eq(status, 200, "POST /import?replace=true of the first export")
    after = json.loads(export(srv))
    t.eq(sorted(a["id"] for a in after["assets"]),
         sorted(a["id"] for a in doc["assets"]),
         "... the inventory is the body's again (the new assets removed)")

    # --- workbooks --------------------------------------------------------
    import openpyxl

    def book(data):
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)

    status, hdrs, data = raw(srv, API + "/reports/plan.xlsx", manager,
                             {"as_of": ASOF})
    t.eq((status, hdrs.get("content-type"),
          hdrs.get("content-disposition")),
         (200, XLSX,
          'attachment; filename="protection-plan-%s.xlsx"' % ASOF),
         "GET /reports/plan.xlsx: the workbook, its type and the CLI's name")
    wb = book(data)
    t.eq(wb.sheetnames, ["Summary", "Risk register", "Protection plan",
                         "Categorization", "Controls", "Data quality"],
         "... the plan's six sheets")
    risk = json.loads(cli_json(srv, "risk", "--as-of", ASOF))
    rows = list(wb["Risk register"].iter_rows(values_only=True))
    t.eq([(r[0], r[2]) for r in rows[1:4]],
         [(a["id"], round(a["score"], 1)) for a in risk["assets"][:3]],
         "... its risk register ranks as risk --json (ids, scores)")
    t.eq(len(rows) - 1, risk["count"], "... one row an asset")
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)
               if r and r[0] in ("Organisation", "As of")}
    t.eq((summary.get("Organisation"), str(summary.get("As of"))[:10]),
         ("Test Org", ASOF), "... the Summary names the organisation and day")

    status, hdrs, data = raw(srv, API + "/reports/inventory.xlsx", owner)
    day = hdrs.get("content-disposition", "")
    t.ok(status == 200 and hdrs.get("content-type") == XLSX and
         day.startswith('attachment; filename="inventory-') and
         day.endswith('.xlsx"'),
         "GET /reports/inventory.xlsx: the workbook as inventory-DATE.xlsx")
    wb = book(data)
    t.eq(wb.sheetnames, ["Assets", "Assignments", "Dependencies",
                         "Information types"], "... its four sheets")
    ids = [r[0] for r in wb["Assets"].iter_rows(values_only=True)][1:]
    t.eq(ids, sorted(a["id"] for a in after["assets"]),
         "... the Assets sheet holds the inventory's assets, by id")

    rc, out, err = srv.cli("change", "assess", "CHG-0012", actor="carl")
    status, hdrs, data = raw(srv, API + "/reports/change/CHG-0012.xlsx", cab)
    disp = hdrs.get("content-disposition", "")
    t.ok(rc == 0 and status == 200 and hdrs.get("content-type") == XLSX and
         disp.startswith('attachment; filename="change-CHG-0012-'),
         "GET /reports/change/CHG-0012.xlsx: the change record's workbook")
    rc, out, err = srv.cli("report", "change", "--change", "CHG-0012", "-o",
                           os.path.join(srv.dir, "c.xlsx"))
    mine = book(data)
    theirs = openpyxl.load_workbook(os.path.join(srv.dir, "c.xlsx"),
                                    read_only=True)
    t.eq(mine.sheetnames, theirs.sheetnames,
         "... the sheets of report change --change")
    t.eq([r for r in mine["Affected CIs"].iter_rows(values_only=True)],
         [r for r in theirs["Affected CIs"].iter_rows(values_only=True)],
         "... its Affected CIs as the CLI's")
    error(srv, cab, "/reports/change/CHG-0001.xlsx", None, 404, "not_found",
          "CHG-0001 has no stored assessment", None,
          "the workbook of a change never assessed: 404")
    t.eq(raw(srv, API + "/reports/change/CHG-9999.xlsx", cab)[0], 404,
         "the workbook of an unknown change: 404")
    t.eq(raw(srv, API + "/reports/change/CHG-0012.pdf", cab)[0], 404,
         "a change workbook not named .xlsx: 404")
    t.eq(raw(srv, API + "/reports/change/bogus.xlsx", cab)[0], 404,
         "a change id that is none: 404")
    t.eq(tmp_left(), [], "nothing is left in TMPDIR (imports, workbooks)")
finally:
    srv.cleanup()

# ----------------------------------------------------------------------
# A seeded random inventory (random-inventory.py: 245 assets, a hub with
# an estimated blast radius, cycles, raised levels).
srv = hwserve.Server(demo=False)
try:
    tok = srv.user("mona", "manager")
    path = os.path.join(srv.dir, "random.json")
    p = subprocess.run([sys.executable, os.path.join(HERE, "..",
                                                     "random-inventory.py"),
                        "20261203", path], capture_output=True, text=True,
                       check=True)
    hub, a, b = p.stdout.split()
    rc, out, err = srv.cli("import", path, actor="it-admin")
    t.eq(rc, 0, "the random inventory imports")
    same(srv, tok, "/categorize", None, ["categorize"],
         "random: GET /categorize is categorize --json")
    same(srv, tok, "/categorize/" + a, None, ["categorize", a],
         "random: GET /categorize/{id}")
    same(srv, tok, "/impact", {"target": hub}, ["impact", hub],
         "random: GET /impact of the hub")
    same(srv, tok, "/impact",
         [("target", a), ("target", b), ("direction", "both"),
          ("depth", "3")],
         ["impact", a, b, "--direction", "both", "--depth", "3"],
         "random: GET /impact of two targets, both ways, depth 3")
    same(srv, tok, "/risk", {"as_of": ASOF}, ["risk", "--as-of", ASOF],
         "random: GET /risk")
    same(srv, tok, "/plan", {"as_of": ASOF, "top": "20"},
         ["plan", "--as-of", ASOF, "--top", "20"], "random: GET /plan")
    same(srv, tok, "/check", None, ["check"], "random: GET /check")
finally:
    srv.cleanup()
    os.rmdir(TMP) if os.path.isdir(TMP) and not os.listdir(TMP) else None

t.done()
