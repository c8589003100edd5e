#!/usr/bin/python3
"""inventory.py: the inventory's routes of highwater serve on the demo:
assets (list with filters and page, one, add, change, remove), their
information types, the catalogue, dependencies (an owner's onto another
owner's asset as a proposed change).  Reads answer byte for byte what
the CLI's --json prints; every role allowed and refused; bad input
answered with its exact JSON error and nothing written (the export is
the same before and after); the audit trail's actor is the user.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402

t = hwserve.Tap()
srv = hwserve.Server(demo=True)

BILLING = "billing@rivertonwater.example"
GIS = "gis@rivertonwater.example"
API = "/api/v1"

alice = srv.user("alice", "owner", owns=BILLING)  # owns cis-billing ...
bob = srv.user("bob", "owner", owns=GIS)  # owns arcgis-enterprise ...
nobody = srv.user("nobody", "owner", owns="none@example.org")
carol = srv.user("carol", "cab")
mgr = srv.user("mgr", "manager")
root = srv.user("root", "admin")
NO_TOKEN = {"error": {"code": "unauthorized",
                     "message": "this needs a token (Authorization: "
                     "Bearer TOKEN) or a session", "path": None}}
READERS = [("owner", alice), ("cab", carol), ("manager", mgr),
           ("admin", root)]


def raw(path, token, query=None):
    """GET path: (status, the answer's bytes)."""
    if query:
        import urllib.parse
        path += "?" + urllib.parse.urlencode(query, doseq=True)
    conn = srv.connection()
    try:
        conn.request("GET", path,
                     headers={"Authorization": "Bearer " + token})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def cli_json(*args):
    """highwater --json ARGS on the service's database: its stdout."""
    rc, out, err = srv.cli("--json", *args)
    if rc != 0:
        t.diag("highwater --json %s: %s" % (" ".join(args), err))
    return out.encode("utf-8")


def export():
    rc, out, err = srv.cli("export")
    return out


def err(code, message, path=None):
    return {"error": {"code": code, "message": message, "path": path}}


def refused(desc, method, path, token, want_status, want, body=None,
            data=None, headers=None, query=None):
    """A request that must fail with exactly want and write nothing."""
    before = export()
    status, _, got = srv.request(method, API + path, token=token, json=body,
                                 data=data, headers=headers, query=query)
    t.eq((status, got), (want_status, want), desc)
    t.ok(export() == before, desc + ": nothing written")


def ids(answer):
    return [a["id"] for a in answer["assets"]]


def last_audit():
    rc, out, e = srv.cli("--json", "audit", "log")
    return json.loads(out)["records"][-1]


try:
    # -- reads: byte for byte the CLI's --json ------------------------
    for args, path, query in [
            (["asset", "list"], "/assets", None),
            (["asset", "list", "--type", "database", "--level", "high"],
             "/assets", {"type": "database", "level": "high"}),
            (["asset", "list", "--no-owner"], "/assets",
             {"no_owner": "true"}),
            (["asset", "list", "--owner", BILLING, "--offset", "2",
              "--limit", "3"], "/assets",
             {"owner": BILLING, "offset": "2", "limit": "3"}),
            (["asset", "list", "--uncategorized"], "/assets",
             {"uncategorized": "true"}),
            (["asset", "list", "--level", "moderate", "--prefix", "c"],
             "/assets", {"level": "moderate", "prefix": "c"}),
            (["asset", "list", "--search", "sCaDa", "--limit", "3"],
             "/assets", {"search": "sCaDa", "limit": "3"}),
            (["asset", "show", "cis-billing"], "/assets/cis-billing", None),
            (["asset", "show", "historian-vm-01"], "/assets/historian-vm-01",
             None),
            (["dep", "list"], "/dependencies", None),
            (["dep", "list", "cis-billing"], "/dependencies",
             {"asset": "cis-billing"}),
            (["infotype", "list"], "/information-types", None),
            (["infotype", "list", "--search", "contingency"],
             "/information-types", {"search": "contingency"}),
            (["infotype", "list", "--custom"], "/information-types",
             {"custom": "true"})]:
        want = cli_json(*args)
        status, body = raw(API + path, mgr, query)
        t.ok(len(want) > 20, "highwater --json %s printed a document"
             % " ".join(args))
        t.eq((status, body), (200, want),
             "GET %s%s: the bytes of highwater --json %s"
             % (path, "?" + str(query) if query else "", " ".join(args)))
    every = json.loads(cli_json("asset", "list"))["assets"]
    want = [a["id"] for a in every
            if "scada" in a["id"].lower() or
            "scada" in (a.get("name") or "").lower()]
    status, got = raw(API + "/assets", mgr, {"search": "SCADA"})
    t.ok(len(want) > 3 and any("scada" not in i for i in want),
         "the demo has assets named SCADA, some with other ids")
    t.eq(ids(json.loads(got)), want,
         "GET /assets?search=SCADA: the assets whose id or name holds it, "
         "case ignored")
    status, got = raw(API + "/assets", mgr, {"owner": BILLING, "limit": 2})
    t.eq(ids(json.loads(got)), ["ami-headend", "cis-billing"],
         "GET /assets?owner=&limit=2: a page of two in id order")
    for role, tok in READERS:
        status, _, got = srv.request("GET", API + "/assets/cis-billing",
                                     token=tok)
        t.eq((status, got.get("id")), (200, "cis-billing"),
             "GET /assets/{id}: a %s may read" % role)
    for path in ["/assets", "/assets/cis-billing", "/dependencies",
                 "/information-types",
                 "/assets/cis-billing/information-types"]:
        refused("GET %s without a token: 401" % path, "GET", path, None,
                401, NO_TOKEN)
    status, _, got = srv.request("GET", API +
                                 "/assets/cis-billing/information-types",
                                 token=carol)
    shown = json.loads(cli_json("asset", "show", "cis-billing"))
    t.eq((status, got), (200, {"information_types":
                               shown["information_types"]}),
         "GET /assets/{id}/information-types: the asset's, as asset show")

    # -- reads: bad queries -------------------------------------------
    refused("GET /assets?frob=1: an unknown parameter", "GET", "/assets",
            mgr, 400, err("bad_request",
                          "unknown query parameter 'frob' (expected type, "
                          "owner, no_owner, level, uncategorized, partial, "
                          "prefix, search, offset, limit)", "frob"),
            query={"frob": "1"})
    refused("GET /assets?level=hihg", "GET", "/assets", mgr, 400,
            err("bad_request",
                'level: unknown level "hihg" (expected low, moderate, high)',
                "level"), query={"level": "hihg"})
    refused("GET /assets?type=toaster", "GET", "/assets", mgr, 400,
            err("bad_request",
                'type: unknown asset type "toaster" (expected '
                "business_service, "
                "application, database, server, virtual_machine, "
                "container, network_device, storage_device, "
                "cloud_service, endpoint, other)", "type"),
            query={"type": "toaster"})
    refused("GET /assets?limit=-1", "GET", "/assets", mgr, 400,
            err("bad_request",
                'limit: "-1" is not a count (expected 0 to 1000000000)',
                "limit"),
            query={"limit": "-1"})
    refused("GET /assets?partial=yes", "GET", "/assets", mgr, 400,
            err("bad_request",
                                 'partial: "yes" (expected true or false)',
                                 "partial"),
            query={"partial": "yes"})
    refused("GET /assets?type=server&type=database: given twice", "GET",
            "/assets", mgr, 400,
            err("bad_request", "query parameter 'type' given twice",
                "type"), query=[("type", "server"), ("type", "database")])
    refused("GET /dependencies?asset=a&asset=b: given twice", "GET",
            "/dependencies", mgr, 400,
            err("bad_request", "query parameter 'asset' given twice",
                "asset"), query=[("asset", "a"), ("asset", "b")])
    refused("GET /assets/{unknown}", "GET", "/assets/nope", mgr, 404,
            err("not_found", "unknown asset 'nope'"))
    refused("GET /information-types?custom=1", "GET", "/information-types",
            mgr, 400, err("bad_request",
                          'custom: "1" (expected true or false)', "custom"), query={"custom": "1"})
    refused("GET /dependencies?from=x: an unknown parameter", "GET",
            "/dependencies", mgr, 400,
            err("bad_request", "unknown query parameter 'from' (expected "
                "asset)", "from"), query={"from": "x"})

    # -- POST /assets -------------------------------------------------
    new = {"id": "bill-archive", "name": "Billing archive",
           "type": "storage_device", "owner": BILLING,
           "integrity": "moderate", "worst_cvss": 7.5,
           "information_types": [{"id": "C.2.8.12"}]}
    status, hdrs, got = srv.request("POST", API + "/assets", token=alice,
                                    json=new)
    listed = json.loads(cli_json("asset", "list", "--prefix",
                                 "bill-archive"))["assets"]
    t.eq((status, hdrs.get("location"), [got]),
         (201, "/api/v1/assets/bill-archive", listed),
         "POST /assets by an owner of theirs: 201, Location, the asset "
         "as asset list shows it")
    t.eq((got["own"], got["factors"], got["information_types"][0]["id"]),
         ({"confidentiality": "low", "integrity": "moderate",
           "availability": "low"}, {"worst_cvss": 7.5}, "C.2.8.12"),
         "POST /assets: levels, factor and information type stored")
    rec = last_audit()
    t.eq((rec["actor"], rec["object"]), ("alice", "asset:bill-archive"),
         "POST /assets: the audit trail's actor is the user")
    status, _, got = srv.request("POST", API + "/assets", token=root,
                                 json={"id": "loose-end", "name": "Loose",
                                       "type": "other"})
    t.eq((status, got["owner"]), (201, None),
         "POST /assets by an admin: an asset nobody owns")
    base = {"id": "x-1", "name": "X", "type": "application",
            "owner": BILLING}
    refused("POST /assets of another's asset: 403", "POST", "/assets",
            alice, 403, err("forbidden", "user 'alice' may not write "
                            "assets owned by '%s'" % GIS),
            body=dict(base, owner=GIS))
    refused("POST /assets by an owner, owned by nobody: 403", "POST",
            "/assets", alice, 403,
            err("forbidden", "user 'alice' may not write assets"),
            body={"id": "x-1", "name": "X", "type": "application"})
    refused("POST /assets by an owner of other things: 403", "POST",
            "/assets", nobody, 403,
            err("forbidden", "user 'nobody' may not write assets owned "
                "by '%s'" % BILLING), body=base)
    for role, tok in [("cab", carol), ("manager", mgr)]:
        refused("POST /assets by a %s: 403" % role, "POST", "/assets", tok,
                403, err("forbidden", "user '%s' may not write assets"
                         % ("carol" if role == "cab" else "mgr")),
                body=base)
    for method, path in [("PATCH", "/assets/cis-billing"),
                         ("DELETE", "/assets/cis-billing"),
                         ("POST", "/assets/cis-billing/information-types"),
                         ("DELETE",
                          "/assets/cis-billing/information-types/C.2.8.12"),
                         ("POST", "/dependencies"),
                         ("DELETE", "/dependencies/cis-billing/"
                          "cis-billing-db"),
                         ("POST", "/information-types")]:
        refused("%s %s without a token: 401" % (method, path), method, path,
                None, 401, NO_TOKEN, body={"id": "x"})
    refused("POST /assets without a token: 401", "POST", "/assets", None,
            401, NO_TOKEN, body=base)
    refused("POST /assets with a duplicate id: 409", "POST", "/assets",
            alice, 409, err("exists", "asset 'cis-billing' already exists",
                            "$.id"),
            body=dict(base, id="cis-billing"))
    refused("POST /assets, malformed JSON: 400", "POST", "/assets", alice,
            400, err("bad_request", "malformed JSON at line 1 column 9: "
                     "premature end of input near '\"x'"),
            data='{"id": "x', headers={"Content-Type": "application/json"})
    refused("POST /assets, not JSON: 415", "POST", "/assets", alice, 415,
            err("unsupported_media_type",
                "the body must be application/json, not 'text/plain'"),
            data="id=x", headers={"Content-Type": "text/plain"})
    refused("POST /assets, an unknown key: its JSON path", "POST",
            "/assets", alice, 422,
            err("invalid", 'unknown key "colour" (extensions must start '
                'with "x-")', "$.colour"), body=dict(base, colour="red"))
    refused("POST /assets, an unknown key in an information type", "POST",
            "/assets", alice, 422,
            err("invalid", 'unknown key "level" (extensions must start '
                'with "x-")', "$.information_types[0].level"),
            body=dict(base, information_types=[{"id": "C.2.8.12",
                                                "level": "low"}]))
    refused("POST /assets, a wrong type", "POST", "/assets", alice, 422,
            err("invalid", "expected a string, not a number", "$.name"),
            body=dict(base, name=5))
    refused("POST /assets, a number that is text", "POST", "/assets",
            alice, 422, err("invalid", "expected a whole number, not a "
                            "string", "$.vulnerabilities"),
            body=dict(base, vulnerabilities="3"))
    refused("POST /assets, a bad level", "POST", "/assets", alice, 422,
            err("invalid", 'unknown level "hihg" (expected low, moderate, '
                "high)", "$.integrity"), body=dict(base, integrity="hihg"))
    refused("POST /assets, a bad id", "POST", "/assets", alice, 422,
            err("invalid", 'invalid asset id "a b" (expected 1-64 '
                "characters of A-Z a-z 0-9 . _ : -)", "$.id"),
            body=dict(base, id="a b"))
    refused("POST /assets, no name", "POST", "/assets", alice, 422,
            err("invalid", 'missing "name" (expected a string)', "$"),
            body={"id": "x-1", "type": "other", "owner": BILLING})
    refused("POST /assets, an unknown information type", "POST", "/assets",
            alice, 422,
            err("invalid", "unknown information type 'NOPE'",
                "$.information_types[0].id"),
            body=dict(base, information_types=[{"id": "NOPE"}]))
    refused("POST /assets, authorized_by given", "POST", "/assets", alice,
            422, err("invalid", "recorded by authorizing the asset, not "
                     "given", "$.authorized_by"),
            body=dict(base, authorized_by="ciso"))
    refused("POST /assets, not an object", "POST", "/assets", alice, 422,
            err("invalid", "expected an object, not an array", "$"),
            body=[base])
    refused("POST /assets?x=1: an unknown parameter", "POST", "/assets",
            alice, 400, err("bad_request", "unknown query parameter 'x' "
                            "(expected none)", "x"), body=base,
            query={"x": "1"})

    # -- PATCH /assets/{id} -------------------------------------------
    status, _, got = srv.request("PATCH", API + "/assets/bill-archive",
                                 token=alice,
                                 json={"description": "seven years",
                                       "integrity": None,
                                       "internet_facing": True,
                                       "vulnerabilities": 2,
                                       "worst_cvss": None,
                                       "x-note": "ignored"})
    shown = json.loads(cli_json("asset", "show", "bill-archive"))
    t.eq((status, got["description"], got["direct"]["integrity"],
          got["internet_facing"], got["factors"]),
         (200, "seven years", None, True, {"vulnerabilities": 2}),
         "PATCH /assets/{id}: set, cleared with null, x- ignored")
    t.eq((shown["description"], shown["factors"]),
         ("seven years", {"vulnerabilities": 2}),
         "PATCH /assets/{id}: what asset show shows after")
    rec = last_audit()
    t.eq((rec["actor"], rec["object"]), ("alice", "asset:bill-archive"),
         "PATCH: the audit trail's actor is the user")
    status, _, got = srv.request("PATCH", API + "/assets/bill-archive",
                                 token=alice,
                                 json={"information_types": [
                                     {"id": "C.2.4.1"}]})
    t.eq((status, [g["id"] for g in got["information_types"]]),
         (200, ["C.2.4.1"]), "PATCH information_types replaces them")
    refused("PATCH giving the asset to another owner: 403", "PATCH",
            "/assets/bill-archive", alice, 403,
            err("forbidden", "user 'alice' may not write assets owned by "
                "'%s'" % GIS), body={"owner": GIS})
    refused("PATCH clearing the owner: 403 for an owner", "PATCH",
            "/assets/bill-archive", alice, 403,
            err("forbidden", "user 'alice' may not write assets"),
            body={"owner": None})
    refused("PATCH of another's asset: 403", "PATCH", "/assets/cis-billing",
            bob, 403, err("forbidden", "user 'bob' may not write assets "
                          "owned by '%s'" % BILLING),
            body={"description": "mine"})
    refused("PATCH by a cab: 403", "PATCH", "/assets/cis-billing", carol,
            403, err("forbidden", "user 'carol' may not write assets"),
            body={"description": "x"})
    refused("PATCH without a token: 401", "PATCH", "/assets/cis-billing",
            None, 401, NO_TOKEN,
            body={"description": "x"})
    refused("PATCH of an unknown asset: 404", "PATCH", "/assets/nope",
            alice, 404, err("not_found", "unknown asset 'nope'"),
            body={"description": "x"})
    refused("PATCH, an unknown key", "PATCH", "/assets/cis-billing", alice,
            422, err("invalid", 'unknown key "colour" (extensions must '
                     'start with "x-")', "$.colour"), body={"colour": 1})
    refused("PATCH, a wrong type", "PATCH", "/assets/cis-billing", alice,
            422, err("invalid", "expected a whole number or null, not a "
                     "string", "$.vulnerabilities"),
            body={"vulnerabilities": "many"})
    refused("PATCH, the id", "PATCH", "/assets/cis-billing", alice, 422,
            err("invalid", "an asset's id cannot change", "$.id"),
            body={"id": "other"})
    refused("PATCH, a bad level after a good field: nothing written",
            "PATCH", "/assets/cis-billing", alice, 422,
            err("invalid", 'confidentiality: unknown level "hihg" '
                "(expected low, moderate, high)", "$.confidentiality"),
            body={"description": "x", "confidentiality": "hihg"})
    refused("PATCH, an empty name", "PATCH", "/assets/cis-billing", alice,
            422, err("invalid", "name cannot be empty", "$.name"),
            body={"name": None})
    status, _, got = srv.request("PATCH", API + "/assets/arcgis-enterprise",
                                 token=root, json={"owner": BILLING})
    t.eq((status, got["owner"]), (200, BILLING),
         "PATCH by an admin: any asset, any owner")
    srv.request("PATCH", API + "/assets/arcgis-enterprise", token=root,
                json={"owner": GIS})

    # -- an asset's information types ---------------------------------
    status, _, got = srv.request(
        "POST", API + "/assets/bill-archive/information-types", token=alice,
        json={"id": "C.2.8.12", "integrity": "high",
              "justification": "the archive is evidence"})
    g = [x for x in got.get("information_types", [])
         if x["id"] == "C.2.8.12"]
    t.eq((status, g), (200, [{"id": "C.2.8.12",
                              "base": {"confidentiality": "low",
                                       "integrity": "low",
                                       "availability": "low"},
                              "selected": {"confidentiality": "low",
                                           "integrity": "high",
                                           "availability": "low"},
                              "justification": "the archive is evidence"}]),
         "POST /assets/{id}/information-types: assigned as infotype assign")
    rec = last_audit()
    t.eq(rec["actor"], "alice", "assigning: the audit actor is the user")
    refused("assigning with an adjusted level and no justification",
            "POST", "/assets/bill-archive/information-types", alice, 422,
            err("invalid", "adjusting the provisional levels of 'C.2.8.11' "
                "needs a justification", "$"),
            body={"id": "C.2.8.11", "availability": "high"})
    refused("assigning an unknown type", "POST",
            "/assets/bill-archive/information-types", alice, 422,
            err("invalid", "unknown information type 'NOPE'", "$.id"),
            body={"id": "NOPE"})
    refused("assigning, an unknown key", "POST",
            "/assets/bill-archive/information-types", alice, 422,
            err("invalid", 'unknown key "why" (extensions must start with '
                '"x-")', "$.why"), body={"id": "C.2.8.12", "why": "x"})
    refused("assigning to another's asset: 403", "POST",
            "/assets/bill-archive/information-types", bob, 403,
            err("forbidden", "user 'bob' may not write assets owned by "
                "'%s'" % BILLING), body={"id": "C.2.8.12"})
    refused("assigning to an unknown asset: 404", "POST",
            "/assets/nope/information-types", alice, 404,
            err("not_found", "unknown asset 'nope'"), body={"id": "C.2.8.12"})
    status, _, got = srv.request(
        "DELETE", API + "/assets/bill-archive/information-types/C.2.8.12",
        token=alice)
    t.eq((status, [x["id"] for x in got["information_types"]]),
         (200, ["C.2.4.1"]),
         "DELETE /assets/{id}/information-types/{type}")
    refused("DELETE an assignment the asset does not have: 404", "DELETE",
            "/assets/bill-archive/information-types/C.2.8.12", alice, 404,
            err("not_found", "asset 'bill-archive' has no information type "
                "'C.2.8.12'"))
    refused("DELETE another's assignment: 403", "DELETE",
            "/assets/cis-billing/information-types/C.2.8.12", mgr, 403,
            err("forbidden", "user 'mgr' may not write assets"))

    # -- the catalogue ------------------------------------------------
    own = {"id": "X.ORG.1", "name": "Meter readings archive",
           "category": "Billing", "confidentiality": "low",
           "integrity": "moderate", "availability": "low"}
    status, _, got = srv.request("POST", API + "/information-types",
                                 token=root, json=own)
    t.eq((status, got), (201, {"id": "X.ORG.1",
                               "name": "Meter readings archive",
                               "category": "Billing", "catalogue": False,
                               "provisional": {"confidentiality": "low",
                                               "integrity": "moderate",
                                               "availability": "low"}}),
         "POST /information-types by an admin: 201, as infotype list shows")
    got = json.loads(cli_json("infotype", "list", "--search", "X.ORG.1"))
    t.eq([x["id"] for x in got["information_types"]], ["X.ORG.1"],
         "... and infotype list finds it")
    for who, tok in [("alice", alice), ("carol", carol), ("mgr", mgr)]:
        refused("POST /information-types by %s: 403 (admin only)" % who,
                "POST", "/information-types", tok, 403,
                err("forbidden", "user '%s' may not administer" % who),
                body=dict(own, id="X.ORG.2"))
    refused("POST /information-types, a duplicate: 409", "POST",
            "/information-types", root, 409,
            err("exists", "information type 'X.ORG.1' already exists"),
            body=own)
    refused("POST /information-types, na integrity", "POST",
            "/information-types", root, 422,
            err("invalid", 'level "na" not allowed here (na applies only '
                "to the confidentiality of an information type; expected "
                "low, moderate, high)", "$.integrity"),
            body=dict(own, id="X.ORG.3", integrity="na"))
    refused("POST /information-types, an unknown key", "POST",
            "/information-types", root, 422,
            err("invalid", 'unknown key "levels" (extensions must start '
                'with "x-")', "$.levels"),
            body=dict(own, id="X.ORG.3", levels=[]))

    # -- dependencies -------------------------------------------------
    status, hdrs, got = srv.request("POST", API + "/dependencies",
                                    token=alice,
                                    json={"from": "bill-archive",
                                          "to": "cis-billing", "type": "uses",
                                          "carries": "ia"})
    t.eq((status, got), (201, {"from": "bill-archive", "to": "cis-billing",
                               "type": "uses", "carries": "ia"}),
         "POST /dependencies between one's own assets: 201, as dep add")
    t.eq(hdrs.get("location"), "/api/v1/dependencies/bill-archive/cis-billing",
         "... its Location, where DELETE removes it")
    rec = last_audit()
    t.eq(rec["actor"], "alice", "POST /dependencies: the audit actor")
    before_deps = cli_json("dep", "list", "bill-archive")
    status, hdrs, got = srv.request("POST", API + "/dependencies",
                                    token=alice,
                                    json={"from": "bill-archive",
                                          "to": "arcgis-enterprise",
                                          "type": "uses"})
    chg = got.get("change", "")
    t.eq((status, got.get("id"), got.get("state"), got.get("targets"),
          got.get("title"), got.get("requester"), got.get("edits")),
         (202, chg, "new", ["arcgis-enterprise"],
          "Add dependency bill-archive -> arcgis-enterprise", "alice",
          [{"kind": "add-dep", "from": "bill-archive",
            "to": "arcgis-enterprise", "type": "uses", "carries": "cia"}]),
         "POST /dependencies onto another's asset by an owner: 202, a "
         "proposed change")
    t.eq(hdrs.get("location"), "/api/v1/changes/" + chg,
         "... its Location")
    t.eq(cli_json("dep", "list", "bill-archive"), before_deps,
         "... and no dependency written")
    rc, out, e = srv.cli("--json", "change", "show", chg)
    t.eq((rc, json.loads(out)["title"] if rc == 0 else e),
         (0, "Add dependency bill-archive -> arcgis-enterprise"),
         "... the change is stored (change show)")
    status, _, got = srv.request("POST", API + "/dependencies", token=root,
                                 json={"from": "bill-archive",
                                       "to": "arcgis-enterprise"})
    t.eq((status, got), (201, {"from": "bill-archive",
                               "to": "arcgis-enterprise", "type": "other",
                               "carries": "cia"}),
         "POST /dependencies by an admin onto anyone's: 201 at once")
    refused("POST /dependencies from another's asset: 403", "POST",
            "/dependencies", bob, 403,
            err("forbidden", "user 'bob' may not write assets owned by "
                "'%s'" % BILLING),
            body={"from": "cis-billing", "to": "arcgis-enterprise"})
    for who, tok in [("carol", carol), ("mgr", mgr)]:
        refused("POST /dependencies by %s: 403" % who, "POST",
                "/dependencies", tok, 403,
                err("forbidden", "user '%s' may not write assets" % who),
                body={"from": "bill-archive", "to": "cis-billing"})
    refused("POST /dependencies, a duplicate: 409", "POST", "/dependencies",
            alice, 409,
            err("exists", "'bill-archive' already depends on "
                "'cis-billing'"),
            body={"from": "bill-archive", "to": "cis-billing"})
    refused("POST /dependencies onto an unknown asset: 422", "POST",
            "/dependencies", alice, 422,
            err("invalid", "unknown asset 'nope'", "$.to"),
            body={"from": "bill-archive", "to": "nope"})
    refused("POST /dependencies, on itself", "POST", "/dependencies", alice,
            422, err("invalid", "asset 'bill-archive' cannot depend on "
                     "itself", "$"),
            body={"from": "bill-archive", "to": "bill-archive"})
    refused("POST /dependencies, bad carries", "POST", "/dependencies",
            alice, 422, err("invalid", 'invalid carries "cix" (expected '
                            'letters from "cia", each once, e.g. cia or '
                            "ia)", "$.carries"),
            body={"from": "bill-archive", "to": "cis-billing",
                  "carries": "cix"})
    refused("POST /dependencies, an unknown key", "POST", "/dependencies",
            alice, 422, err("invalid", 'unknown key "kind" (extensions '
                            'must start with "x-")', "$.kind"),
            body={"from": "bill-archive", "to": "cis-billing",
                  "kind": "x"})
    refused("DELETE /dependencies from another's asset: 403", "DELETE",
            "/dependencies/bill-archive/cis-billing", bob, 403,
            err("forbidden", "user 'bob' may not write assets owned by "
                "'%s'" % BILLING))
    status, _, got = srv.request(
        "DELETE", API + "/dependencies/bill-archive/cis-billing",
        token=alice)
    t.eq((status, got), (200, {"removed": ["bill-archive", "cis-billing"]}),
         "DELETE /dependencies/{from}/{to}: as dep rm")
    refused("DELETE a dependency that is not there: 404", "DELETE",
            "/dependencies/bill-archive/cis-billing", alice, 404,
            err("not_found", "'bill-archive' does not depend on "
                "'cis-billing'"))

    # -- DELETE /assets/{id} ------------------------------------------
    srv.request("POST", API + "/dependencies", token=alice,
                json={"from": "cis-billing", "to": "bill-archive"})
    refused("DELETE an asset others depend on: 409", "DELETE",
            "/assets/bill-archive", alice, 409,
            err("refused", "1 asset depends on 'bill-archive'"))
    rc, _, e = srv.cli("asset", "rm", "bill-archive")
    t.eq((rc, e), (1, "highwater: asset rm: 1 asset depends on "
                      "'bill-archive' (use --force to remove it and those "
                      "dependencies)\n"),
         "... the CLI states the same fact and adds its own advice")
    status, _, body = srv.request("POST", API + "/assets/bill-archive/"
                                  "information-types", token=alice,
                                  json={"id": "NOPE"})
    t.ok(status == 422 and not hwserve.cli_advice(body["error"]["message"]),
         "the API's messages give no CLI option or command")
    refused("DELETE ?force=yes: 400", "DELETE", "/assets/bill-archive",
            alice, 400, err("bad_request",
                            'force: "yes" (expected true or false)',
                            "force"), query={"force": "yes"})
    refused("DELETE another's asset: 403", "DELETE", "/assets/bill-archive",
            bob, 403, err("forbidden", "user 'bob' may not write assets "
                          "owned by '%s'" % BILLING))
    refused("DELETE by a manager: 403", "DELETE", "/assets/bill-archive",
            mgr, 403, err("forbidden", "user 'mgr' may not write assets"))
    refused("DELETE an unknown asset: 404", "DELETE", "/assets/nope", alice,
            404, err("not_found", "unknown asset 'nope'"))
    status, _, got = srv.request("DELETE", API + "/assets/bill-archive",
                                 token=alice, query={"force": "true"})
    t.eq((status, got), (200, {"removed": "bill-archive"}),
         "DELETE ?force=true: removed with its dependencies")
    t.eq(json.loads(cli_json("dep", "list", "cis-billing"))["dependencies"]
         .count({"from": "cis-billing", "to": "bill-archive",
                 "type": "other", "carries": "cia"}), 0,
         "... the dependency onto it is gone")
    rec = last_audit()
    t.eq((rec["actor"], rec["object"]), ("alice", "asset:bill-archive"),
         "DELETE: the audit actor")
    status, _, got = srv.request("DELETE", API + "/assets/loose-end",
                                 token=root)
    t.eq((status, got), (200, {"removed": "loose-end"}),
         "DELETE by an admin: an asset nobody owns")
finally:
    srv.cleanup()
t.done()
