"""openapi.py: data/openapi.json, the API's description, is a valid
OpenAPI 3.0 document (against the OpenAPI Initiative's JSON Schema,
vendored in tests/data/openapi-3.0-schema.json, Draft 4), every $ref in
it resolves, every operation of issue 13 is in it, and highwater serve
serves it, unchanged and without a token, at /api/v1/openapi.json."""

import copy
import json
import os
import re
import sys

import jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402
import oas  # noqa: E402

t = hwserve.Tap()
doc = oas.load()
with open(os.path.join(oas.testdata(), "openapi-3.0-schema.json"),
          encoding="utf-8") as f:
    meta = json.load(f)

# -- against the OpenAPI 3.0 schema ----------------------------------
t.eq(meta.get("$schema"), "http://json-schema.org/draft-04/schema#",
     "the vendored schema is Draft 4")
validator = jsonschema.Draft4Validator(meta)
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:5]:
    t.diag("%s: %s" % ("/".join(str(p) for p in e.path), e.message[:300]))
t.eq(len(errors), 0, "data/openapi.json validates against the OpenAPI 3.0 "
     "schema")
t.eq(doc.get("openapi"), "3.0.3", "it is OpenAPI 3.0.3")

# The validator can fail: three broken copies are refused.
bad = copy.deepcopy(doc)
del bad["info"]
t.ok(not validator.is_valid(bad), "a copy without info is refused")
bad = copy.deepcopy(doc)
bad["paths"]["/assets"]["get"]["responses"]["200"] = {"content": {}}
t.ok(not validator.is_valid(bad),
     "a copy with a response without a description is refused")
bad = copy.deepcopy(doc)
bad["paths"]["assets"] = bad["paths"].pop("/assets")
t.ok(not validator.is_valid(bad), "a copy with a path without / is refused")

# -- every $ref resolves ----------------------------------------------
refs = oas.refs(doc)
unresolved = [r for r in refs if oas.resolve(doc, r) is None]
t.ok(len(refs) > 100, "the document uses $refs (%d)" % len(refs))
t.eq(unresolved, [], "every $ref resolves")
t.ok(oas.resolve(doc, "#/components/schemas/Nope") is None,
     "an unknown $ref does not resolve")
used = {r.rsplit("/", 1)[1] for r in refs
        if r.startswith("#/components/schemas/")}
t.eq(sorted(set(doc["components"]["schemas"]) - used), [],
     "every schema in components is used")

def documented_op(method, path):
    return doc["paths"][path][method.lower()]


# -- every operation of the issue --------------------------------------
ISSUE = """
GET /assets
POST /assets
GET /assets/{id}
PATCH /assets/{id}
DELETE /assets/{id}
GET /assets/{id}/information-types
POST /assets/{id}/information-types
DELETE /assets/{id}/information-types/{type}
GET /dependencies
POST /dependencies
DELETE /dependencies/{from}/{to}
GET /information-types
GET /categorize
GET /categorize/{id}
GET /impact
GET /risk
GET /plan
GET /check
GET /changes
POST /changes
GET /changes/{id}
PATCH /changes/{id}
POST /changes/{id}/assess
POST /changes/{id}/decide
POST /changes/{id}/implement
POST /changes/{id}/close
POST /changes/{id}/cancel
POST /changes/{id}/revert
GET /incidents
POST /incidents
POST /incidents/{id}/resolve
GET /baselines
POST /baselines
GET /baselines/{name}/diff
GET /audit
POST /import
GET /export
GET /reports/plan.xlsx
GET /reports/change/{id}.xlsx
GET /reports/inventory.xlsx
GET /openapi.json
POST /session
GET /session
DELETE /session
GET /users
POST /users
DELETE /users/{name}
POST /users/{name}/token
GET /settings
PATCH /settings
GET /weights
PATCH /weights
"""
documented = {(m.upper(), p) for p, item in doc["paths"].items()
              for m in item if m in oas.METHODS}
missing = [line for line in ISSUE.strip().splitlines()
           if tuple(line.split(" ", 1)) not in documented]
t.eq(missing, [], "every operation of issue 13, the session, users, "
     "settings and weights is documented")

# -- every route of the service is documented ---------------------------
# Its route tables ({"GET", "/assets/{}", ...} in src/serve/*.c; "//"
# patterns are the web page's, not the API's) against the paths above.
def same(route, path):
    a, b = route.split("/"), path.split("/")
    return len(a) == len(b) and all(
        x == y or (x == "{}" and "{" in y) for x, y in zip(a, b))


routes = set()
serve_dir = os.path.join(oas.srcdir(), "src", "serve")
for name in sorted(os.listdir(serve_dir)):
    if name.endswith(".c"):
        with open(os.path.join(serve_dir, name), encoding="utf-8") as f:
            routes |= set(re.findall(
                r'\{"(GET|POST|PATCH|PUT|DELETE)",\s*"(/[^/"][^"]*)"',
                f.read()))
t.ok(len(routes) >= 4, "the service's route tables read (%d routes)"
     % len(routes))
undocumented = sorted("%s %s" % r for r in routes
                      if not any(m == r[0] and same(r[1], p)
                                 for m, p in documented))
t.eq(undocumented, [], "every route of src/serve is documented")

# -- what every operation says -----------------------------------------
ops = list(oas.operations(doc))
ids = [o["operationId"] for _, _, o in ops]
t.eq(len(ids), len(set(ids)), "operationIds are unique")
PUBLIC = {("GET", "/openapi.json"), ("POST", "/session")}
public = {(m, p) for m, p, o in ops if o.get("security") == []}
t.eq(public, PUBLIC, "exactly the public operations have security []")
t.eq(doc["security"], [{"bearer": []}, {"session": []}],
     "the others need a bearer token or the session cookie")
schemes = doc["components"]["securitySchemes"]
t.eq((schemes["bearer"]["type"], schemes["bearer"]["scheme"]),
     ("http", "bearer"), "bearer: HTTP bearer authentication")
t.eq((schemes["session"]["type"], schemes["session"]["in"],
      schemes["session"]["name"]), ("apiKey", "cookie", "hw_session"),
     "session: the hw_session cookie")

roles = [(m, p) for m, p, o in ops if (m, p) not in PUBLIC and
         (not o.get("x-roles") or "admin" not in o["x-roles"] or
          set(o["x-roles"]) - {"owner", "cab", "manager", "admin"})]
t.eq(roles, [], "every operation needing a token names its roles "
     "(x-roles), admin among them")

no_auth_errors = [(m, p) for m, p, o in ops if (m, p) not in PUBLIC
                  and not {"401", "403"} <= set(o["responses"])]
t.eq(no_auth_errors, [], "every operation needing a token documents 401 "
     "and 403")
error_ref = {"$ref": "#/components/schemas/Error"}
bad_errors = []
for m, p, o in ops:
    for code, r in o["responses"].items():
        r = oas.deref(doc, r)
        if code[0] in "45":
            content = r.get("content", {})
            if list(content) != ["application/json"] or \
                    content["application/json"]["schema"] != error_ref:
                bad_errors.append("%s %s %s" % (m, p, code))
t.eq(bad_errors, [], "every 4xx answer is the Error schema")
err = doc["components"]["schemas"]["Error"]
t.eq((err["required"], sorted(err["properties"]["error"]["required"])),
     (["error"], ["code", "message", "path"]),
     "Error is {\"error\": {\"code\", \"message\", \"path\"}}")
with_body = [(m, p) for m, p, o in ops if "requestBody" in o
             and not {"413", "415"} <= set(o["responses"])]
t.eq(with_body, [], "every operation with a body documents 413 and 415")

XLSX = ("application/vnd.openxmlformats-officedocument."
        "spreadsheetml.sheet")
books = [p for p in doc["paths"] if p.endswith(".xlsx")]
t.eq(sorted(books), ["/reports/change/{id}.xlsx", "/reports/inventory.xlsx",
                     "/reports/plan.xlsx"], "three workbooks")
t.eq([list(doc["paths"][p]["get"]["responses"]["200"]["content"])
      for p in sorted(books)], [[XLSX]] * 3,
     "workbooks are downloads of the xlsx media type")

path_params = []
for m, p, o in ops:
    names = re.findall(r"\{([^}]+)\}", p)
    declared = [q["name"] for q in o.get("parameters", [])
                if q["in"] == "path"]
    if sorted(names) != sorted(declared):
        path_params.append("%s %s" % (m, p))
t.eq(path_params, [], "every path parameter is declared, and only those")

# -- the CLI's answers conform ---------------------------------------
# The service answers what the CLI's --json prints: on the demo, each
# read command's document conforms to the schema of its operation's 200.
schemas = oas.Schemas(doc)
CLI = [
    ("GET", "/assets", ["asset", "list"]),
    ("GET", "/assets/{id}", ["asset", "show", "scada-historian-db"]),
    ("GET", "/information-types", ["infotype", "list"]),
    ("GET", "/dependencies", ["dep", "list"]),
    ("GET", "/categorize", ["categorize"]),
    ("GET", "/categorize", ["categorize", "--summary"]),
    ("GET", "/categorize/{id}", ["categorize", "scada-historian-db"]),
    ("GET", "/impact", ["impact", "scada-historian-db", "dc-vm-01",
                        "--direction", "both"]),
    ("GET", "/impact", ["impact", "scada-historian-db", "--summary"]),
    ("GET", "/risk", ["risk"]),
    ("GET", "/plan", ["plan"]),
    ("GET", "/check", ["check"]),
    ("GET", "/changes", ["change", "list"]),
    ("GET", "/changes/{id}", ["change", "show", "CHG-0013"]),
    ("GET", "/incidents", ["incident", "list"]),
    ("GET", "/baselines", ["baseline", "list"]),
    ("GET", "/baselines/{name}/diff", ["baseline", "diff", "b1"]),
    ("GET", "/audit", ["audit", "log"]),
    ("GET", "/settings", ["config"]),
    ("GET", "/export", ["export"]),
    ("GET", "/users", ["user", "list"]),
    ("GET", "/weights", ["risk", "--weights"]),
]
try:
    demo = hwserve.Server(demo=True, start=False)
except RuntimeError as e:
    demo = None
    t.ok(False, "the demo database: %s" % e)
if demo is not None:
    try:
        demo.cli("baseline", "save", "b1", "--at", "2026-10-01",
                 actor="cab-chair")
        demo.cli("asset", "set", "ntp-srv-01", "owner=noc@example.org",
                 actor="m.okafor")
        demo.cli("change", "new", "--title", "Back up the historian",
                 "--target", "backup-repo-01", "--add-dep",
                 "scada-historian-db,backup-repo-01,stores_data_in",
                 actor="p.nguyen")
        demo.cli("change", "assess", "CHG-0013", actor="p.nguyen")
        demo.user("t.brandt", "owner,cab",
                  owns="ot-eng@rivertonwater.example")
        demo.user("r.osei", "manager")
        for method, path, args in CLI:
            label = "highwater %s --json" % " ".join(args)
            rc, out, err = demo.cli("--json", *args)
            if not t.eq(rc, 0, label + ": exit 0"):
                t.diag(err)
                continue
            schema = (documented_op(method, path)["responses"]["200"]
                      ["content"]["application/json"]["schema"])
            errs = schemas.errors(schema, json.loads(out))
            for e in errs:
                t.diag(e)
            t.ok(not errs, "%s conforms to %s %s's answer"
                 % (label, method, path))
        # The schemas can fail: a level that is no level is refused.
        rc, out, err = demo.cli("--json", "asset", "list")
        answer = json.loads(out)
        answer["assets"][0]["own"]["integrity"] = "severe"
        t.ok(schemas.errors(documented_op("GET", "/assets")["responses"]
                            ["200"]["content"]["application/json"]
                            ["schema"], answer),
             "an answer with the level 'severe' does not conform")
    finally:
        demo.cleanup()

# -- served by highwater serve -----------------------------------------
try:
    srv = hwserve.Server()
except RuntimeError as e:
    srv = None
    t.ok(False, "highwater serve starts: %s" % e)
if srv is not None:
    try:
        status, headers, body = srv.request("GET", "/api/v1/openapi.json")
        t.eq(status, 200, "GET /api/v1/openapi.json without a token: 200")
        t.eq(headers.get("content-type", "").split(";")[0],
             "application/json", "as application/json")
        t.ok(body == doc, "the document served is data/openapi.json")
    finally:
        srv.cleanup()

t.done()
