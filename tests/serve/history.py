#!/usr/bin/python3
"""history.py: the history's routes: the whole life of a change over
HTTP (new, assess, decide, implement, close; a rejection, a
cancellation, a revert), every answer equal to `change show --json`,
each step refused for the wrong role (403) and the wrong state (409,
with the CLI's message); incidents; baselines and their drift; the
audit trail with the signed-in user as actor; users (admin only, the
token shown once and never in the trail); settings and weights; bad
input answered with exact JSON errors and nothing written."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402

t = hwserve.Tap()
API = "/api/v1"
LEVELS = ["--c", "low", "--i", "low", "--a", "low"]


def err(status, code, message, path=None):
    return (status, {"error": {"code": code, "message": message,
                               "path": path}})


def got(answer):
    status, _, body = answer
    return (status, body)


def setup(srv, *args):
    rc, out, e = srv.cli(*args, actor="it-admin")
    if rc != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), e))
    return out


def cli_json(srv, *args):
    """`highwater --json ARGS` on the service's database, parsed."""
    rc, out, e = srv.cli("--json", *args)
    if rc != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), e))
    return json.loads(out)


def cli_refusal(srv, actor, *args):
    """What the CLI says when it refuses ARGS (exit 1): its message
    without the "highwater: COMMAND: " lead."""
    rc, out, e = srv.cli(*args, actor=actor)
    if rc != 1:
        raise RuntimeError("%s: exit %d, expected a refusal" %
                           (" ".join(args), rc))
    return e.rstrip("\n").split(": ", 2)[2]


srv = hwserve.Server()
try:
    setup(srv, "asset", "add", "app", "--name", "Payroll app", "--type",
          "application", "--c", "high", "--i", "high", "--a", "high",
          "--owner", "payroll-team")
    setup(srv, "asset", "add", "srv", "--name", "Server 1", "--type",
          "server", "--owner", "ops", *LEVELS)
    setup(srv, "asset", "add", "desk", "--name", "Desk", "--type",
          "endpoint", *LEVELS)
    olga = srv.user("olga", "owner", owns="ops")
    carol = srv.user("carol", "cab")
    mia = srv.user("mia", "manager")
    root = srv.user("root", "admin")

    def req(method, path, token, body=None, **kw):
        return srv.request(method, API + path, token=token, json=body, **kw)

    def show(chg):
        return cli_json(srv, "change", "show", chg)

    def changes():
        return cli_json(srv, "change", "list")

    def refused_unwritten(desc, answer_fn, want, state=changes):
        """answer_fn's answer is want and state() did not move."""
        before = state()
        t.eq(got(answer_fn()), want, desc)
        t.eq(state(), before, desc + ": nothing written")

    # --- a new change ------------------------------------------------
    new1 = {"title": "Payroll onto server 1", "targets": ["srv"],
            "edits": [{"kind": "add-dep", "from": "app", "to": "srv",
                       "type": "runs_on"}],
            "planned": "2026-05-01T22:00Z", "description": "Move payroll"}
    refused_unwritten(
        "a manager may not record a change",
        lambda: req("POST", "/changes", mia, new1),
        err(403, "forbidden", "user 'mia' may not edit changes and "
            "incidents"))
    before = changes()
    status, _, body = req("POST", "/changes", None, new1)
    t.eq((status, body["error"]["code"]), (401, "unauthorized"),
         "no token: 401")
    t.eq(changes(), before, "no token: nothing written")
    status, headers, body = req("POST", "/changes", olga, new1)
    t.eq(status, 201, "POST /changes: 201")
    t.eq(headers.get("location"), "/api/v1/changes/CHG-0001",
         "POST /changes: Location names the change")
    t.eq(body, show("CHG-0001"), "POST /changes answers change show --json")
    t.eq([body["id"], body["state"], body["requester"], body["planned"]],
         ["CHG-0001", "new", "olga", "2026-05-01T22:00:00Z"],
         "the requester is the signed-in user")
    t.eq(got(req("GET", "/changes/CHG-0001", mia)), (200, show("CHG-0001")),
         "GET /changes/CHG-0001 (any role) is change show --json")
    t.eq(got(req("GET", "/changes/chg-1", mia)), (200, show("CHG-0001")),
         "a change id in any case and width")

    # --- bad input: exact errors, nothing written ---------------------
    bad_new = [
        ({"title": "x", "targets": ["srv"], "colour": "red"},
         err(422, "invalid", 'unknown member "colour" (expected title, '
             'description, targets, planned, edits)', "$.colour")),
        ({"title": "x"},
         err(422, "invalid", 'missing "targets"', "$.targets")),
        ({"targets": ["srv"]},
         err(422, "invalid", 'missing "title"', "$.title")),
        ({"title": "x", "targets": "srv"},
         err(422, "invalid", '"targets" is not an array of asset ids (one '
             'at least)', "$.targets")),
        ({"title": "x", "targets": ["srv", 7]},
         err(422, "invalid", "not an asset id", "$.targets[1]")),
        ({"title": 5, "targets": ["srv"]},
         err(422, "invalid", '"title" is not a string', "$.title")),
        ({"title": "x", "targets": ["srv"], "planned": "tomorrow"},
         err(422, "invalid", None, "$.planned")),
        ({"title": "x", "targets": ["nowhere"]},
         err(422, "invalid", "target 'nowhere' is no asset")),
        ({"title": "x", "targets": ["srv"],
          "edits": [{"kind": "move", "from": "a"}]},
         err(422, "invalid", 'change edit: "kind" is not add-dep, rm-dep, '
             'set or add-asset', "$.edits[0]")),
        ({"title": "x", "targets": ["srv"],
          "edits": [{"kind": "add-dep", "from": "ghost", "to": "srv"}]},
         err(422, "invalid", cli_refusal(srv, "olga", "change", "new",
                                         "--title", "x", "--target", "srv",
                                         "--add-dep", "ghost,srv"))),
        ([1, 2], err(422, "invalid", "the body is not a JSON object", "$")),
    ]
    for body, want in bad_new:
        before = changes()
        answer = got(req("POST", "/changes", olga, body))
        if want[1]["error"]["message"] is None:  # a time's own words
            want[1]["error"]["message"] = answer[1]["error"]["message"]
            t.ok(want[1]["error"]["message"].startswith("'tomorrow'"),
                 "a bad time is named: %s" % want[1]["error"]["message"])
        t.eq(answer, want, "POST /changes %s: %s" %
             (json.dumps(body), want[1]["error"]["message"]))
        t.eq(changes(), before, "... nothing written")
    refused_unwritten(
        "malformed JSON: 400 naming line and column",
        lambda: srv.request("POST", API + "/changes", token=olga,
                            data='{"title": "x",',
                            headers={"Content-Type": "application/json"}),
        err(400, "bad_request", "malformed JSON at line 1 column 14: "
            "string or '}' expected near end of file"))
    refused_unwritten(
        "a body that is not JSON: 415",
        lambda: srv.request("POST", API + "/changes", token=olga,
                            data="title=x",
                            headers={"Content-Type": "text/plain"}),
        err(415, "unsupported_media_type",
            "the body must be application/json, not 'text/plain'"))
    t.eq(got(req("GET", "/changes/CHG-0099", mia)),
         err(404, "not_found", cli_refusal(srv, "x", "change", "show",
                                           "CHG-0099")),
         "an unknown change: 404 with the CLI's words")
    t.eq(got(req("GET", "/changes/bogus", mia)),
         err(404, "not_found", "'bogus' is not a change id: expected "
             "CHG-NNNN (e.g. CHG-0001)"),
         "a change id that is no id: 404")
    t.eq(got(req("GET", "/changes/CHG-0001", mia, query={"x": "1"})),
         err(400, "bad_request", "unknown query parameter 'x' (expected "
             "none)", "x"), "an unknown query parameter: 400")

    # --- the life of CHG-0001: assess, decide, implement, close -------
    state_msg = cli_refusal(srv, "carol", "change", "decide", "CHG-0001",
                            "approve", "--reason", "ok")
    refused_unwritten(
        "decide before assess: 409 with the CLI's message",
        lambda: req("POST", "/changes/CHG-0001/decide", carol,
                    {"decision": "approve", "reason": "ok"}),
        err(409, "refused", state_msg))
    t.ok("CHG-0001 is new" in state_msg, "... naming the state: %s"
         % state_msg)
    refused_unwritten(
        "a manager may not assess",
        lambda: req("POST", "/changes/CHG-0001/assess", mia),
        err(403, "forbidden", "user 'mia' may not edit changes and "
            "incidents"))
    status, _, body = req("POST", "/changes/CHG-0001/assess", olga)
    t.eq((status, body), (200, show("CHG-0001")),
         "assess (no body) answers change show --json")
    t.eq([body["state"], "assessment" in body], ["assessed", True],
         "assessed, the assessment stored")
    refused_unwritten(
        "assess with an unknown member: 422",
        lambda: req("POST", "/changes/CHG-0001/assess", olga, {"when": 1}),
        err(422, "invalid", 'unknown member "when" (expected at)',
            "$.when"))
    refused_unwritten(
        "an owner may not decide",
        lambda: req("POST", "/changes/CHG-0001/decide", olga,
                    {"decision": "approve", "reason": "ok"}),
        err(403, "forbidden", "user 'olga' may not decide changes"))
    refused_unwritten(
        "a decision that is neither approve nor reject: 422",
        lambda: req("POST", "/changes/CHG-0001/decide", carol,
                    {"decision": "maybe"}),
        err(422, "invalid", '"maybe" (expected approve or reject)',
            "$.decision"))
    refused_unwritten(
        "decide without a decision: 422",
        lambda: req("POST", "/changes/CHG-0001/decide", carol),
        err(422, "invalid", 'missing "decision"', "$.decision"))
    refused_unwritten(
        "a full-CAB change needs a reason, as in the CLI (409)",
        lambda: req("POST", "/changes/CHG-0001/decide", carol,
                    {"decision": "approve"}),
        err(409, "refused", cli_refusal(srv, "carol", "change", "decide",
                                        "CHG-0001", "approve")))
    status, _, body = req("POST", "/changes/CHG-0001/decide", carol,
                          {"decision": "approve", "reason": "window agreed",
                           "by": "cab-chair"})
    t.eq((status, body), (200, show("CHG-0001")),
         "decide approve answers change show --json")
    t.eq([body["state"], body["decided_by"], body["chair"], body["reason"]],
         ["approved", "carol", "cab-chair", "window agreed"],
         "approved by the signed-in user, the chair a label")
    refused_unwritten(
        "an owner may not implement",
        lambda: req("POST", "/changes/CHG-0001/implement", olga),
        err(403, "forbidden", "user 'olga' may not decide changes"))
    status, _, body = req("POST", "/changes/CHG-0001/implement", carol,
                          {"at": "2026-05-01T23:00Z"})
    t.eq((status, body), (200, show("CHG-0001")),
         "implement answers change show --json")
    t.eq([body["state"], body["implemented_by"], body["implemented_at"]],
         ["implemented", "carol", "2026-05-01T23:00:00Z"],
         "implemented by the signed-in user at the time given")
    t.eq([(d["from"], d["to"]) for d in cli_json(srv, "dep", "list")
          ["dependencies"]], [("app", "srv")],
         "the change's edit is applied")
    refused_unwritten(
        "close with an unknown result: 422",
        lambda: req("POST", "/changes/CHG-0001/close", carol,
                    {"result": "great"}),
        err(422, "invalid", '"great" (expected success, failed, backed-out '
            'or rejected)', "$.result"))
    status, _, body = req("POST", "/changes/CHG-0001/close", carol,
                          {"result": "success"})
    t.eq((status, body), (200, show("CHG-0001")),
         "close answers change show --json")
    t.eq([body["state"], body["result"]], ["closed", "success"],
         "closed with its result")
    for step, body in (("revert", None), ("assess", None),
                       ("cancel", None),
                       ("close", {"result": "success"})):
        args = ["change", step, "CHG-0001"]
        if step == "close":
            args += ["--result", "success"]
        refused_unwritten(
            "a closed change: %s refused (409)" % step,
            lambda: req("POST", "/changes/CHG-0001/" + step, carol, body),
            err(409, "refused", cli_refusal(srv, "carol", *args)))
    refused_unwritten(
        "PATCH a closed change: 409",
        lambda: req("PATCH", "/changes/CHG-0001", olga, {"title": "y"}),
        err(409, "refused", cli_refusal(srv, "olga", "change", "edit",
                                        "CHG-0001", "--title", "y")))

    # --- a rejection --------------------------------------------------
    status, _, body = req("POST", "/changes", olga,
                          {"title": "Desk to high", "targets": ["desk"],
                           "edits": [{"kind": "set", "asset": "desk",
                                      "field": "confidentiality",
                                      "value": "high"}]})
    t.eq((status, body["id"]), (201, "CHG-0002"), "CHG-0002 recorded")
    req("POST", "/changes/CHG-0002/assess", carol)
    status, _, body = req("POST", "/changes/CHG-0002/decide", carol,
                          {"decision": "reject", "reason": "not needed"})
    t.eq((status, body), (200, show("CHG-0002")), "reject answers show")
    t.eq(body["state"], "rejected", "rejected")
    refused_unwritten(
        "a rejected change cannot be implemented (409)",
        lambda: req("POST", "/changes/CHG-0002/implement", carol),
        err(409, "refused", cli_refusal(srv, "carol", "change",
                                        "implement", "CHG-0002")))
    status, _, body = req("POST", "/changes/CHG-0002/close", root,
                          {"result": "rejected"})
    t.eq([status, body["state"], body["result"]],
         [200, "closed", "rejected"], "a rejected change closed (admin)")

    # --- an amendment and a cancellation ------------------------------
    status, _, body = req("POST", "/changes", olga,
                          {"title": "Tidy", "targets": ["srv"]})
    t.eq((status, body["id"]), (201, "CHG-0003"), "CHG-0003 recorded")
    status, _, body = req("PATCH", "/changes/CHG-0003", carol,
                          {"title": "Tidy up", "description": "soon",
                           "edits": [{"kind": "set", "asset": "srv",
                                      "field": "description",
                                      "value": "tidied"}]})
    t.eq((status, body), (200, show("CHG-0003")), "PATCH answers show")
    t.eq([body["title"], body["description"], len(body["edits"])],
         ["Tidy up", "soon", 1], "PATCH amends title, description, edits")
    status, _, body = req("PATCH", "/changes/CHG-0003", carol,
                          {"description": None, "clear_edits": True})
    t.eq([status, "description" in body, "edits" in body],
         [200, False, False], "PATCH: null removes the description, "
         "clear_edits the edits")
    refused_unwritten(
        "PATCH with an unknown member: 422",
        lambda: req("PATCH", "/changes/CHG-0003", carol, {"state": "new"}),
        err(422, "invalid", 'unknown member "state" (expected title, '
            'description, targets, planned, edits, clear_edits)',
            "$.state"))
    refused_unwritten(
        "PATCH naming an unknown target: 422",
        lambda: req("PATCH", "/changes/CHG-0003", carol,
                    {"targets": ["ghost"]}),
        err(422, "invalid", "target 'ghost' is no asset"))
    t.eq(got(req("PATCH", "/changes/CHG-0042", carol, {"title": "z"})),
         err(404, "not_found", cli_refusal(srv, "carol", "change", "edit",
                                           "CHG-0042", "--title", "z")),
         "PATCH an unknown change: 404")
    refused_unwritten(
        "a manager may not cancel",
        lambda: req("POST", "/changes/CHG-0003/cancel", mia),
        err(403, "forbidden", "user 'mia' may not edit changes and "
            "incidents"))
    status, _, body = req("POST", "/changes/CHG-0003/cancel", olga)
    t.eq([status, body["state"], body], [200, "cancelled",
                                        show("CHG-0003")],
         "an owner cancels; answers show")
    refused_unwritten(
        "a cancelled change cannot be assessed (409)",
        lambda: req("POST", "/changes/CHG-0003/assess", olga),
        err(409, "refused", cli_refusal(srv, "olga", "change", "assess",
                                        "CHG-0003")))

    # --- a revert -----------------------------------------------------
    status, _, body = req("POST", "/changes", olga,
                          {"title": "Describe srv", "targets": ["srv"],
                           "edits": [{"kind": "set", "asset": "srv",
                                      "field": "description",
                                      "value": "the payroll server"}]})
    t.eq((status, body["id"]), (201, "CHG-0004"), "CHG-0004 recorded")
    for step, body in (("assess", None),
                       ("decide", {"decision": "approve",
                                   "reason": "fine"}),
                       ("implement", None),
                       ("close", {"result": "failed"})):
        status, _, answer = req("POST", "/changes/CHG-0004/" + step, carol,
                                body)
        t.eq(status, 200, "CHG-0004 %s: 200" % step)
    t.eq(cli_json(srv, "asset", "show", "srv").get("description"),
         "the payroll server", "CHG-0004's edit applied")
    refused_unwritten(
        "an owner may not revert",
        lambda: req("POST", "/changes/CHG-0004/revert", olga),
        err(403, "forbidden", "user 'olga' may not decide changes"))
    status, _, body = req("POST", "/changes/CHG-0004/revert", carol)
    t.eq((status, body), (200, show("CHG-0004")), "revert answers show")
    t.eq(body["reverted_by"], "carol", "reverted by the signed-in user")
    t.eq(cli_json(srv, "asset", "show", "srv").get("description"), None,
         "the revert undid the edit")
    refused_unwritten(
        "a second revert: 409",
        lambda: req("POST", "/changes/CHG-0004/revert", carol),
        err(409, "refused", cli_refusal(srv, "carol", "change", "revert",
                                        "CHG-0004")))

    # --- the list and its filters -------------------------------------
    t.eq(got(req("GET", "/changes", mia)), (200, changes()),
         "GET /changes is change list --json")
    t.eq(got(req("GET", "/changes", mia, query={"open": "true"})),
         (200, cli_json(srv, "change", "list", "--open")),
         "?open=true is --open")
    t.eq(got(req("GET", "/changes", mia, query={"asset": "desk"})),
         (200, cli_json(srv, "change", "list", "--asset", "desk")),
         "?asset= is --asset")
    t.eq(got(req("GET", "/changes", mia, query={"state": "cancelled"})),
         (200, {"changes": [c for c in changes()["changes"]
                            if c["state"] == "cancelled"]}),
         "?state= keeps the changes in that state")
    t.eq(got(req("GET", "/changes", mia, query={"state": "done"})),
         err(400, "bad_request", 'unknown state "done" (expected new, '
             'assessed, approved, rejected, implemented, closed or '
             'cancelled)', "state"), "?state= unknown: 400")
    t.eq(got(req("GET", "/changes", mia, query={"open": "yes"})),
         err(400, "bad_request", '"yes" is not true or false', "open"),
         "?open= not a flag: 400")

    # --- incidents ----------------------------------------------------
    def incidents():
        return cli_json(srv, "incident", "list")

    refused_unwritten(
        "a manager may not record an incident",
        lambda: req("POST", "/incidents", mia, {"asset": "srv",
                                                "title": "down"}),
        err(403, "forbidden", "user 'mia' may not edit changes and "
            "incidents"), incidents)
    refused_unwritten(
        "an incident without a title: 422",
        lambda: req("POST", "/incidents", olga, {"asset": "srv"}),
        err(422, "invalid", 'missing "title"', "$.title"), incidents)
    refused_unwritten(
        "an incident naming no change id: 422",
        lambda: req("POST", "/incidents", olga,
                    {"asset": "srv", "title": "down", "change": "X-1"}),
        err(422, "invalid", "'X-1' is not a change id: expected CHG-NNNN "
            "(e.g. CHG-0001)", "$.change"), incidents)
    refused_unwritten(
        "an incident on an unknown asset: 422 with the CLI's words",
        lambda: req("POST", "/incidents", olga,
                    {"asset": "ghost", "title": "down"}),
        err(422, "invalid", cli_refusal(srv, "olga", "incident", "add",
                                        "ghost", "--title", "down")),
        incidents)
    status, headers, body = req("POST", "/incidents", olga,
                                {"asset": "app", "title": "Payroll down",
                                 "change": "CHG-0001"})
    t.eq(status, 201, "POST /incidents: 201")
    t.eq(headers.get("location"), "/api/v1/incidents/INC-0001",
         "... Location names it")
    t.eq(body["incident"], incidents()["incidents"][0],
         "the incident as incident list --json has it")
    t.eq([body["incident"]["reporter"], body["incident"]["change"]],
         ["olga", "CHG-0001"], "the reporter is the signed-in user")
    t.eq([(c["id"], c["targets"], c["distance"])
          for c in body["recent_changes"]],
         [("CHG-0004", ["srv"], 1)],
         "first response: the changes implemented below the asset in the "
         "week before (CHG-0001's was in May)")
    status, _, body = req("POST", "/incidents/INC-0001/resolve", carol,
                          {"at": "2099-01-01T00:00Z"})
    t.eq((status, body), (200, incidents()["incidents"][0]),
         "resolve answers the incident as incident list has it")
    t.eq(body["resolved"], "2099-01-01T00:00:00Z", "resolved at the time")
    refused_unwritten(
        "a second resolve: 409",
        lambda: req("POST", "/incidents/INC-0001/resolve", carol),
        err(409, "refused", cli_refusal(srv, "carol", "incident",
                                        "resolve", "INC-0001")),
        incidents)
    t.eq(got(req("POST", "/incidents/INC-0009/resolve", carol)),
         err(404, "not_found", cli_refusal(srv, "carol", "incident",
                                           "resolve", "INC-0009")),
         "resolve an unknown incident: 404")
    req("POST", "/incidents", carol, {"asset": "desk", "title": "slow",
                                      "opened": "2026-06-01T10:00Z"})
    t.eq(got(req("GET", "/incidents", mia, query={"open": "true"})),
         (200, cli_json(srv, "incident", "list", "--open")),
         "GET /incidents?open=true is incident list --open --json")
    t.eq(got(req("GET", "/incidents", mia, query={"asset": "app"})),
         (200, cli_json(srv, "incident", "list", "--asset", "app")),
         "?asset= is --asset")

    # --- baselines ----------------------------------------------------
    def baselines():
        return cli_json(srv, "baseline", "list")

    refused_unwritten(
        "an owner may not save a baseline",
        lambda: req("POST", "/baselines", olga, {"name": "b1"}),
        err(403, "forbidden", "user 'olga' may not decide changes"),
        baselines)
    refused_unwritten(
        "a bad baseline name: 422",
        lambda: req("POST", "/baselines", carol, {"name": "a b"}),
        err(422, "invalid", cli_refusal(srv, "carol", "baseline", "save",
                                        "a b"), "$.name"), baselines)
    status, _, body = req("POST", "/baselines", carol, {"name": "b1"})
    t.eq((status, [body]), (201, baselines()["baselines"]),
         "POST /baselines: 201 with the baseline as baseline list has it")
    t.eq([body["actor"], body["assets"], body["dependencies"]],
         ["carol", 3, 1], "saved by the signed-in user, counted")
    refused_unwritten(
        "a name in use: 409",
        lambda: req("POST", "/baselines", carol, {"name": "b1"}),
        err(409, "exists", cli_refusal(srv, "carol", "baseline", "save",
                                       "b1")), baselines)
    setup(srv, "asset", "add", "kiosk", "--name", "Kiosk", "--type",
          "endpoint", *LEVELS)
    setup(srv, "asset", "set", "srv", "owner=ops-2")
    status, headers, body = req("GET", "/baselines/b1/diff", mia)
    t.eq((status, body), (200, cli_json(srv, "baseline", "diff", "b1")),
         "GET /baselines/b1/diff is baseline diff --json")
    t.eq([a["id"] for a in body["assets"]], ["kiosk", "srv"],
         "... the added and the changed asset")
    req("POST", "/baselines", root, {"name": "b2"})
    t.eq(got(req("GET", "/baselines/b1/diff", mia, query={"to": "b2"})),
         (200, cli_json(srv, "baseline", "diff", "b1", "--to", "b2")),
         "?to= is --to")
    t.eq(got(req("GET", "/baselines/nope/diff", mia)),
         err(404, "not_found", cli_refusal(srv, "x", "baseline", "diff",
                                           "nope")),
         "the diff of an unknown baseline: 404")
    t.eq(got(req("GET", "/baselines", mia)), (200, baselines()),
         "GET /baselines is baseline list --json")

    # --- the audit trail ----------------------------------------------
    setup(srv, "risk", "--set", "likelihood.base=0.15")
    trail = cli_json(srv, "audit", "log")["records"]
    t.eq(got(req("GET", "/audit", mia)), (200, {"records": trail}),
         "GET /audit is audit log --json")
    conn = srv.connection()
    conn.request("GET", API + "/audit", headers={"Authorization":
                                                "Bearer " + mia})
    raw = conn.getresponse().read()
    conn.close()
    t.eq(raw.decode("utf-8"), srv.cli("--json", "audit", "log")[1],
         "GET /audit is byte for byte audit log --json (reals to 17 "
         "digits: the weights' records)")
    t.eq(got(req("GET", "/audit", mia, query={"asset": "srv"})),
         (200, cli_json(srv, "audit", "log", "srv")),
         "?asset= is audit log ASSET")
    t.eq(got(req("GET", "/audit", mia, query={"actor": "carol"})),
         (200, cli_json(srv, "audit", "log", "--actor", "carol")),
         "?actor= is --actor")
    t.eq(got(req("GET", "/audit", mia, query={"limit": "3"})),
         (200, {"records": trail[:3]}), "?limit=3: the first three")
    t.eq(got(req("GET", "/audit", mia,
                 query={"since": "2000-01-01", "limit": "0"})),
         (200, {"records": []}), "?limit=0: none")
    by = {(r["object"], r["action"]): r["actor"] for r in trail}
    t.eq([by.get(("change:CHG-0001", "new")),
          by.get(("change:CHG-0001", "assess")),
          by.get(("change:CHG-0001", "approve")),
          by.get(("incident:INC-0001", "add")),
          by.get(("baseline:b1", "save"))],
         ["olga", "olga", "carol", "olga", "carol"],
         "the trail's actor is the signed-in user")
    t.eq(got(req("GET", "/audit", mia, query={"since": "soon"})),
         err(400, "bad_request", got(req("GET", "/audit", mia,
                                         query={"since": "soon"}))[1]
             ["error"]["message"], "since"), "?since= not a time: 400")
    t.eq(got(req("GET", "/audit", mia, query={"limit": "-1"})),
         err(400, "bad_request", '"-1" is not a count (expected 0 to '
             '1000000000)', "limit"), "?limit= not a count: 400")
    t.eq(got(req("GET", "/audit", mia, query={"asset": "ghost"})),
         err(404, "not_found", cli_refusal(srv, "x", "audit", "log",
                                           "ghost")),
         "?asset= unknown: 404 with the CLI's words")

    # --- users --------------------------------------------------------
    def users():
        return cli_json(srv, "user", "list")

    refused_unwritten("GET /users: admin only",
                      lambda: req("GET", "/users", carol),
                      err(403, "forbidden", "user 'carol' may not "
                          "administer"), users)
    refused_unwritten("POST /users: admin only",
                      lambda: req("POST", "/users", carol,
                                  {"name": "eve", "roles": "admin"}),
                      err(403, "forbidden", "user 'carol' may not "
                          "administer"), users)
    t.eq(got(req("GET", "/users", root)), (200, users()),
         "GET /users is user list --json")
    for body, want in (
            ({"name": "nina", "roles": "owner"},
             err(422, "invalid", 'an owner needs "owns"', "$.owns")),
            ({"name": "nina", "roles": ["chief"]},
             err(422, "invalid", None, "$.roles")),
            ({"name": "nina", "roles": "cab", "token": "hw_x"},
             err(422, "invalid", 'unknown member "token" (expected name, '
                 'roles, owns)', "$.token")),
            ({"name": "carol", "roles": "cab"},
             err(409, "exists", cli_refusal(srv, "it-admin", "user", "add",
                                            "carol", "--role", "cab"))),
            ({"name": "bad name", "roles": "cab"},
             err(422, "invalid", cli_refusal(srv, "it-admin", "user", "add",
                                             "bad name", "--role",
                                             "cab")))):
        before = users()
        answer = got(req("POST", "/users", root, body))
        if want[1]["error"]["message"] is None:  # the roles' own words
            want[1]["error"]["message"] = answer[1]["error"]["message"]
            t.ok("chief" in want[1]["error"]["message"],
                 "an unknown role is named: %s"
                 % want[1]["error"]["message"])
        t.eq(answer, want, "POST /users %s" % json.dumps(body))
        t.eq(users(), before, "... nothing written")
    status, headers, body = req("POST", "/users", root,
                                {"name": "nina", "roles": ["owner", "cab"],
                                 "owns": ["ops", "lab"]})
    t.eq(status, 201, "POST /users: 201")
    t.eq(headers.get("location"), "/api/v1/users/nina", "... Location")
    token = body.pop("token", "")
    t.ok(hwserve.TOKEN_RE.fullmatch(token), "... the token, shown once")
    t.eq(body, {"name": "nina", "roles": ["owner", "cab"],
                "owns": ["ops", "lab"]}, "... with the user")
    t.eq([u for u in users()["users"] if u["name"] == "nina"][0]
         ["roles"], ["owner", "cab"], "the user is stored")
    t.ok(token not in json.dumps(got(req("GET", "/users", root))),
         "GET /users never shows a token")
    t.eq(req("GET", "/changes/CHG-0001", token)[0], 200,
         "the new token works")
    status, _, body = req("POST", "/users/nina/token", root)
    token2 = body.pop("token", "")
    t.eq((status, body), (200, {"name": "nina", "roles": ["owner", "cab"],
                                "owns": ["lab", "ops"]}),
         "POST /users/nina/token: 200 with the user as stored")
    t.ok(hwserve.TOKEN_RE.fullmatch(token2) and token2 != token,
         "... and a new token")
    t.eq(req("GET", "/changes/CHG-0001", token)[0], 401,
         "the old token stops working")
    t.eq(req("GET", "/changes/CHG-0001", token2)[0], 200,
         "the new one works")
    t.eq(got(req("POST", "/users/ghost/token", root)),
         err(404, "not_found", cli_refusal(srv, "it-admin", "user",
                                           "token", "ghost")),
         "a token for an unknown user: 404")
    refused_unwritten("a token for someone else: admin only",
                      lambda: req("POST", "/users/nina/token", carol),
                      err(403, "forbidden", "user 'carol' may not "
                          "administer"), users)
    refused_unwritten("DELETE /users/nina: admin only",
                      lambda: req("DELETE", "/users/nina", olga),
                      err(403, "forbidden", "user 'olga' may not "
                          "administer"), users)
    t.eq(got(req("DELETE", "/users/nina", root)),
         (200, {"removed": "nina"}), "DELETE /users/nina")
    t.eq([u["name"] for u in users()["users"]],
         ["carol", "mia", "olga", "root"], "nina is gone")
    t.eq(req("GET", "/changes/CHG-0001", token2)[0], 401,
         "a removed user's token stops working")
    t.eq(got(req("DELETE", "/users/nina", root)),
         err(404, "not_found", cli_refusal(srv, "it-admin", "user", "rm",
                                           "nina")),
         "DELETE an unknown user: 404")
    trail = cli_json(srv, "audit", "log")["records"]
    nina = [r for r in trail if r["object"] == "user:nina"]
    t.eq([r["actor"] for r in nina], ["root"] * 3,
         "the trail has nina's three records (add, token, rm), the "
         "signed-in admin their actor")
    text = json.dumps(trail)
    t.ok(token not in text and token2 not in text,
         "no token in the trail")
    hexes = set(re.findall(r"\b[0-9a-f]{64}\b", json.dumps(
        [{k: v for k, v in r.items() if k not in ("hash", "prev")}
         for r in nina])))
    t.eq(hexes, set(), "no hash in nina's records")

    # --- settings and weights -----------------------------------------
    def settings():
        return cli_json(srv, "config")

    t.eq(got(req("GET", "/settings", mia)), (200, settings()),
         "GET /settings (any role) is config --json")
    refused_unwritten("PATCH /settings: admin only",
                      lambda: req("PATCH", "/settings", carol,
                                  {"organisation": "X"}),
                      err(403, "forbidden", "user 'carol' may not "
                          "administer"), settings)
    status, _, body = req("PATCH", "/settings", root,
                          {"route.full_cab": "MODERATE",
                           "organisation": "Riverton"})
    t.eq((status, body), (200, settings()), "PATCH /settings answers "
         "config --json")
    t.eq([body["route.full_cab"], body["organisation"]],
         ["moderate", "Riverton"], "levels stored lower-case")
    refused_unwritten(
        "thresholds out of order: 422 with the CLI's words",
        lambda: req("PATCH", "/settings", root,
                    {"organisation": "Other", "route.cab_review": "high"}),
        err(422, "invalid", cli_refusal(srv, "it-admin", "config",
                                        "route.cab_review", "high"),
            "$.route.cab_review"), settings)
    status, _, body = req("PATCH", "/settings", root,
                          {"route.full_cab": "low",
                           "route.cab_review": "low"})
    t.eq([status, body["route.full_cab"], body["route.cab_review"]],
         [200, "low", "low"],
         "both thresholds at once, checked as they will stand")
    for body, want in (
            ({"nope": "x"},
             err(422, "invalid", cli_refusal(srv, "it-admin", "config",
                                             "nope", "x"), "$.nope")),
            ({"change.self_approval": "maybe"},
             err(422, "invalid", cli_refusal(srv, "it-admin", "config",
                                             "change.self_approval",
                                             "maybe"),
                 "$.change.self_approval")),
            ({"organisation": 5},
             err(422, "invalid", '"organisation" is not a string',
                 "$.organisation"))):
        refused_unwritten("PATCH /settings %s" % json.dumps(body),
                          lambda: req("PATCH", "/settings", root, body),
                          want, settings)
    by = [r for r in cli_json(srv, "audit", "log")["records"]
          if r["object"].startswith("setting:")]
    t.eq([(r["object"], r["actor"]) for r in by[-2:]],
         [("setting:route.full_cab", "root"),
          ("setting:route.cab_review", "root")],
         "the settings' records name the signed-in admin")

    def weights():
        return cli_json(srv, "risk", "--weights")

    t.eq(got(req("GET", "/weights", mia)), (200, weights()),
         "GET /weights is risk --weights --json")
    status, _, body = req("PATCH", "/weights", root,
                          {"likelihood.base": 0.2})
    t.eq((status, body), (200, weights()), "PATCH /weights answers them")
    t.eq([w["value"] for w in body["weights"]
          if w["name"] == "likelihood.base"], [0.2], "the weight is set")
    refused_unwritten(
        "an unknown weight: 422 with the CLI's words",
        lambda: req("PATCH", "/weights", root, {"likelihood.base": 0.3,
                                                 "nope": 1}),
        err(422, "invalid", cli_refusal(srv, "it-admin", "risk", "--set",
                                        "nope=1"), "$.nope"), weights)
    refused_unwritten("PATCH /weights: admin only",
                      lambda: req("PATCH", "/weights", olga,
                                  {"likelihood.base": 0.3}),
                      err(403, "forbidden", "user 'olga' may not "
                          "administer"), weights)

    # --- self-approval ------------------------------------------------
    ivan = srv.user("ivan", "owner,cab", owns="ops")
    status, _, body = req("POST", "/changes", ivan,
                          {"title": "Desk note", "targets": ["desk"]})
    chg = body["id"]
    req("POST", "/changes/%s/assess" % chg, ivan)
    refused_unwritten(
        "the requester may not approve their own change: 409, the CLI's "
        "words",
        lambda: req("POST", "/changes/%s/decide" % chg, ivan,
                    {"decision": "approve", "reason": "mine"}),
        err(409, "refused", cli_refusal(srv, "ivan", "change", "decide",
                                        chg, "approve", "--reason",
                                        "mine")))
    req("PATCH", "/settings", root, {"change.self_approval": "allow"})
    status, _, body = req("POST", "/changes/%s/decide" % chg, ivan,
                          {"decision": "approve", "reason": "mine"})
    t.eq([status, body["state"], body["decided_by"]],
         [200, "approved", "ivan"],
         "with change.self_approval allow, they may")
    t.eq(got(req("GET", "/changes/CHG-1234567890123", mia)),
         err(404, "not_found", "'CHG-1234567890123' is not a change id: "
             "expected CHG-NNNN (e.g. CHG-0001)"),
         "a change number past twelve digits is no id")
finally:
    if t.failed:
        t.diag(srv.log()[-3000:])
    srv.cleanup()
t.done()
