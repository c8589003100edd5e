#!/usr/bin/python3
"""cab.py: the change advisory board's pages in a real browser.

A CAB member (carl) picks an asset with the search as you type (arrow
keys and Enter) and sees the impact set, the owners to notify, the
route and the summary's figures exactly as `highwater impact --json`
gives them, the query kept in the address; an asset named
`<img src=x onerror=alert(1)>` shows as those characters, nothing
blocked.  An address the API refuses (an unknown asset, a bad depth or
direction) shows the error beside the field it concerns.  The changes
are listed, the state chosen with the keyboard and sent with "Show";
one is assessed from its page (the posture delta equal to `change show
--json`'s), a decision without a reason is refused beside the field,
an approval with a reason is made with the keyboard only and recorded
as the CLI then shows it (green); another change, its title hostile,
is rejected with a hostile reason (both shown as text, not green,
nothing blocked).  The change's workbook is downloaded through its link
and every cell of every sheet equals `report change --change`'s.  Only
the failed requests the test provokes may show in the console.  A
manager sees the decision but no form.  TAP.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwbrowser  # noqa: E402
from hwbrowser import level_text, overall_text  # noqa: E402

hwserve = hwbrowser.hwserve
t = hwserve.Tap()
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="alert(1)'
TARGET = "scada-historian-db"  # the demo's: 10 assets depend on it


def member_row(m, arrow):
    e = m["effective"]
    return [str(m["distance"]), m["id"], m["name"],
            level_text(e["confidentiality"]), level_text(e["integrity"]),
            level_text(e["availability"]),
            overall_text(m["overall"], m["overall_exact"]),
            m["owner"] if m["owner"] is not None else "(none)",
            "yes" if m["on_cycle"] else "",
            arrow.join(m["path"]) if len(m["path"]) > 1 else "(target)"]


def unexpected(msgs, provoked):
    """The console's lines less the answers the test provokes: provoked
    is a list of (the request's path and query, status); any other
    failed request (a CSRF 403, say) or script error stays."""
    return [m for m in msgs if not any(
        "/api/v1" + path + " " in m and "status of %d " % st in m
        for path, st in provoked)]


def decide_by_keys(b, choice, why):
    """The decision form by keyboard only: type the reason, Shift+Tab
    to the radio group, arrow keys and Space to choose, Tab to the
    button, Enter.  What had the focus at each step."""
    from selenium.webdriver.common.keys import Keys
    reason = b.wait("form#decide textarea[name=reason]")
    reason.send_keys(why)
    reason.send_keys(Keys.SHIFT, Keys.TAB)  # Shift held for the Tab
    seen = []
    for _ in range(2):
        f = b.focused()
        if f.get_attribute("name") != "decision" or \
                f.get_attribute("value") == choice:
            break
        b.keys(Keys.ARROW_UP if choice == "approve" else Keys.ARROW_DOWN)
    if not b.focused().is_selected():
        b.keys(Keys.SPACE)
    f = b.focused()
    seen.append((f.get_attribute("name"), f.get_attribute("value"),
                 f.is_selected()))
    b.keys(Keys.TAB)
    seen.append(b.focused().get_attribute("name"))
    b.keys(Keys.TAB)
    seen.append(b.focused().text)
    b.keys(Keys.ENTER)
    return seen


srv = hwserve.Server(demo=True)
try:
    hwbrowser.need(t)
    carl = srv.user("carl", "cab")
    maria = srv.user("maria", "manager")
    # An open change to decide (as data/demo-db.sh records CHG-0013).
    rc, out, err = srv.cli(
        "change", "new", "--title",
        "Back up the SCADA historian to the IT backup repository",
        "--target", "backup-repo-01", "--planned", "2026-11-28T22:00Z",
        "--add-dep", "scada-historian-db,backup-repo-01,stores_data_in",
        actor="p.nguyen")
    t.eq((rc, out.strip()), (0, "CHG-0013"), "a change to decide: " + err)
    # A hostile name on an asset the impact set reaches.
    rc, out, err = srv.cli("asset", "set", "hydraulic-model",
                           "name=" + HOSTILE, actor="it-admin")
    t.eq(rc, 0, "an asset gets a hostile name " + err)
    # A change to reject, its title hostile, assessed.
    rc, out, err = srv.cli(
        "change", "new", "--title", "Patch " + SCRIPT + " " + ATTR,
        "--target", "hydraulic-model", actor="p.nguyen")
    t.eq((rc, out.strip()), (0, "CHG-0014"), "a change to reject: " + err)
    rc, out, err = srv.cli("change", "assess", "CHG-0014", actor="carl")
    t.eq(rc, 0, "it is assessed " + err)
    # The failed requests the test provokes (the console shows them).
    provoked = [("/impact?target=nope", 404),
                ("/impact?target=core-sw-01&depth=x", 400),
                ("/impact?target=core-sw-01&direction=sideways", 400),
                ("/changes/CHG-0013/decide", 422),
                ("/session", 401)]  # the page asks before signing in

    b = hwbrowser.Browser(srv)
    try:
        from selenium.webdriver.common.keys import Keys
        b.sign_in(carl)
        t.eq(b.wait("#who").text, "carl (cab)", "the CAB member is signed in")
        nav = b.texts("#nav a")
        t.ok("Impact" in nav and "Changes" in nav,
             "the navigation has Impact and Changes: %s" % nav)

        # -- impact, picked with the keyboard ---------------------------
        b.d.execute_script("performance.clearResourceTimings();")
        b.go("/impact")
        t.eq(b.wait("main h1").text, "Impact of a change", "the impact page")
        box = b.wait("#impact-form input[role=combobox]")
        box.click()
        box.send_keys("historian")
        b.wait("#impact-form [role=listbox] [role=option]")
        asked = [u.split("/api/v1", 1)[1] for u in b.d.execute_script(
            "return performance.getEntriesByType('resource')"
            ".map(function (e) { return e.name; });")
                 if "/api/v1/assets" in u]
        t.ok(asked and all(u.startswith("/assets?search=") and
                           u.endswith("&limit=12") for u in asked),
             "the suggestions come from GET /assets?search=TEXT&limit=12, "
             "not the whole list: %s" % asked)
        want_opts = sorted(a["id"] for a in
                           hwbrowser.cli_json(srv, "asset", "list")["assets"]
                           if "historian" in a["id"].lower()
                           or "historian" in a["name"].lower())
        got_opts = sorted(o.get_attribute("data-value") for o in
                          b.all("#impact-form [role=option][data-value]"))
        t.eq(got_opts, want_opts[:12],
             "the suggestions are the assets whose id or name matches")
        t.eq(box.get_attribute("aria-expanded"), "true",
             "the combobox says its list is open")
        for _ in range(len(got_opts)):
            box.send_keys(Keys.ARROW_DOWN)
            act = b.d.find_element(
                "id", box.get_attribute("aria-activedescendant"))
            if act.get_attribute("data-value") == TARGET:
                break
        box.send_keys(Keys.ENTER)
        t.eq([c.get_attribute("data-value")
              for c in b.all("#impact-chips li")],
             [TARGET], "Enter picks the active suggestion as a chip")
        t.eq(b.focused().get_attribute("role"), "combobox",
             "the focus stays in the search box")
        box.send_keys(Keys.ENTER)  # the list is closed: the form is sent
        b.wait("#impact-members")
        b.settle()
        t.eq(b.d.execute_script("return location.hash;"),
             "#/impact?ids=" + TARGET, "the query lives in the address")

        imp = hwbrowser.cli_json(srv, "impact", TARGET)
        want = [member_row(m, " <- ") for m in imp["members"]]
        got = b.table("#impact-members")
        t.eq(got, want, "the impact set equals highwater impact --json's "
             "(%d assets, same order)" % len(want))
        t.eq(b.texts("#impact-owners li"), imp["summary"]["owners"],
             "the owners to notify are the CLI's")
        t.eq(b.wait("#impact-route").text, imp["summary"]["route"],
             "the route is the CLI's")
        t.ok(b.wait("#impact-result h2").text.startswith(
            "Impact set: %d assets" % imp["summary"]["members"]),
            "the count of assets is the CLI's")
        t.eq(b.wait("#impact-services").text.split("\n"),
             imp["summary"]["services"], "the services are the CLI's")

        # -- the hostile name shows as text -------------------------------
        names = [r[2] for r in got]
        t.ok(HOSTILE in names, "the hostile name shows as its characters")
        t.eq(len(b.all("main img")), 0, "and no <img> is in the page")
        t.eq(b.alerts(), 0, "no alert opened")
        t.eq(b.blocked(), [], "and nothing was blocked by the CSP")
        b.d.execute_script("window.scrollTo(0, 0);")
        b.shot("cab-impact")
        t.eq([b.wait("#impact-" + k).text.split("\n")[0] for k in
              ("assets", "high", "moderate", "low", "uncategorized", "cycle")],
             [str(imp["summary"][k]) if k == "members" else
              str(imp["summary"]["on_cycle"]) if k == "cycle" else
              str(imp["summary"]["counts"][k]) for k in
              ("members", "high", "moderate", "low", "uncategorized",
               "cycle")],
             "the summary's cards are the CLI's figures")

        # -- the API's errors beside the fields they concern ----------------
        def impact_error(query, control):
            """Open the impact page at query: the error beside the
            control with that name, the general error and the result."""
            b.open("/impact?" + query)
            c = b.wait("#impact-form [name='%s']" % control)
            e = b.wait("#impact-form .field-error[data-for='%s']:not(:empty)"
                       % c.get_attribute("id"))
            b.settle()
            return (e.text, c.get_attribute("aria-invalid"),
                    b.texts("#impact-form .form-error"),
                    b.all("#impact-result")[0].get_attribute("textContent"))
        t.eq(impact_error("ids=nope", "ids"),
             ("unknown asset 'nope'", "true", [""], ""),
             "an unknown asset in the address: the error beside the assets")
        b.shot("cab-impact-error")
        t.eq(impact_error("ids=core-sw-01&depth=x", "depth"),
             ('depth: "x" is not a count (expected 0 to 1000000000)', "true",
              [""], ""), "a bad depth: the error beside the depth")
        t.eq(impact_error("ids=core-sw-01&direction=sideways", "direction"),
             ('direction: "sideways" (expected up, down or both)', "true",
              [""], ""), "a bad direction: the error beside the direction")

        # -- a shared address: two targets, down ---------------------------
        b.open("/impact?ids=core-sw-01,fw-edge-01&direction=down")
        b.wait("#impact-members")
        b.settle()
        imp2 = hwbrowser.cli_json(srv, "impact", "core-sw-01", "fw-edge-01",
                        "--direction", "down")
        t.eq(b.table("#impact-members"),
             [member_row(m, " -> ") for m in imp2["members"]],
             "a reloaded address gives the CLI's answer for two targets")
        t.eq([c.split("\n")[0].replace(" ×", "").strip()
              for c in b.texts("#impact-chips li")],
             ["core-sw-01", "fw-edge-01"], "and shows both as chips")
        t.eq([c.get_attribute("aria-label")
              for c in b.all("#impact-chips button")],
             ["Remove core-sw-01", "Remove fw-edge-01"],
             "each chip has a button that says what it removes")
        b.wait("#impact-chips button").send_keys(Keys.ENTER)
        t.eq(len(b.all("#impact-chips li")), 1,
             "a chip's remove button takes it away")
        box = b.wait("#impact-form input[role=combobox]")
        box.send_keys("onerror")
        opt = b.wait("#impact-form [role=option][data-value]")
        t.eq(opt.text, "hydraulic-model — " + HOSTILE,
             "a suggestion shows the hostile name as text")
        t.eq(len(b.all("main img")), 0, "still no <img> in the page")
        box.send_keys(Keys.ESCAPE)
        t.eq(box.get_attribute("aria-expanded"), "false",
             "Escape closes the suggestions")

        # -- the changes ---------------------------------------------------
        b.go("/changes")
        b.wait("#change-list")
        want_open = [c["id"] for c in
                     hwbrowser.cli_json(srv, "change", "list", "--open")["changes"]]
        got_open = [r[0] for r in b.table("#change-list")]
        t.eq(got_open, want_open, "the open changes are the CLI's: %s"
             % want_open)
        b.shot("cab-changes")
        sel = b.wait("#change-state")
        sel.send_keys(Keys.ARROW_DOWN)  # open -> all: it stays here
        t.eq((b.d.execute_script("return location.hash;"),
              b.focused().get_attribute("id"), sel.get_attribute("value")),
             ("#/changes", "change-state", "all"),
             "an arrow key in the state list neither leaves nor moves "
             "the focus")
        b.keys(Keys.TAB)
        t.eq(b.focused().text, "Show", "Tab goes to the Show button")
        b.keys(Keys.ENTER)
        b.until(lambda d: d.execute_script(
            "return document.getElementById('main')"
            ".getAttribute('data-route');") == "/changes?state=all",
            "all the changes, the address keeping the state")
        b.settle()
        b.settle()
        t.eq([r[0] for r in b.table("#change-list")],
             [c["id"] for c in hwbrowser.cli_json(srv, "change", "list")["changes"]],
             "all the changes are the CLI's")

        b.go("/changes?state=open")
        b.wait("#change-list a[href='#/changes/CHG-0013']").send_keys(
            Keys.ENTER)
        b.wait("#assessment-none")
        b.settle()
        t.ok(b.wait("main h1").text.startswith("CHG-0013: Back up"),
             "the change's page")
        t.eq(b.wait("#assess").text, "Assess", "not assessed: a button")
        rc, text, err = srv.cli("change", "show", "CHG-0013")
        t.eq(b.texts("#change-facts ol.edits li"),
             [ln.split(". ", 1)[1] for ln in text.splitlines()
              if ln.startswith("  1. ")],
             "the proposed edits read as change show prints them")

        # -- assess ---------------------------------------------------------
        b.wait("#assess").click()
        b.wait("#assessment-route")
        b.settle()
        show = hwbrowser.cli_json(srv, "change", "show", "CHG-0013")
        a = show["assessment"]
        t.eq(show["state"], "assessed", "the page assessed the change")
        t.eq(b.wait("#assess").text, "Assess again",
             "it may be assessed again")
        t.eq(b.wait("#assessment-route").text, a["summary"]["route"],
             "the assessment's route is the CLI's")
        d = a["delta"]
        t.eq(b.table("#delta-levels"),
             [[v["asset"], v["objective"], level_text(v["old"]), level_text(v["new"])]
              for v in d["levels"]], "the levels that move are the CLI's")
        t.eq(b.table("#delta-baselines"),
             [[v["asset"], level_text(v["old"]), level_text(v["new"])]
              for v in d["baselines"]], "the baselines that move too")

        def sc(x):
            return "%.1f" % x if x is not None else "-"

        def rk(x):
            return str(x) if x is not None else "-"
        t.eq(b.table("#delta-risks"),
             [[v["asset"], sc(v["old_score"]), sc(v["new_score"]),
               rk(v["old_rank"]), rk(v["new_rank"])] for v in d["risks"]],
             "the risk scores are the CLI's as change show prints them")
        rc, text, err = srv.cli("change", "show", "CHG-0013")
        gaps = b.wait("#delta-gaps").text
        t.ok(gaps.replace("New control gaps", "new control gaps").strip()
             in text, "the control gaps read as the CLI's: " + gaps)
        own = ", ".join("%s (%d)" % (o["name"], o["count"])
                        for o in a["summary"]["owners"])
        if a["summary"].get("unowned"):
            own += ", unowned %d" % a["summary"]["unowned"]
        t.eq(b.wait("#assessment-owners").text, own,
             "the owners to notify are the CLI's")
        t.eq(b.table("#assessment-members"),
             [[str(m[0]), ", ".join(m[1])] for m in a["members"]],
             "the impact set by distance is the CLI's")
        b.d.execute_script("window.scrollTo(0, 0);")
        b.shot("cab-change")

        # -- decide ---------------------------------------------------------
        def send_and_error(css):
            """Send the decision form: the control css selects and the
            error shown beside it."""
            b.wait("form#decide button[type=submit]").click()
            c = b.wait("form#decide " + css)
            return c, b.wait("form#decide .field-error[data-for='%s']"
                             ":not(:empty)" % c.get_attribute("id"))
        b.wait("form#decide input[value=reject]").click()
        reason, err = send_and_error("textarea[name=reason]")
        t.eq(err.text, "this is required",
             "an empty reason is refused beside the field")
        t.eq(reason.get_attribute("aria-invalid"), "true",
             "and the field is marked invalid")
        t.eq(hwbrowser.cli_json(srv, "change", "show", "CHG-0013")["state"],
             "assessed", "nothing was decided")
        # An API error that names a field shows beside it: a decision
        # the API does not know (the radio's value changed under it).
        b.d.execute_script(
            "document.querySelector('form#decide input[value=reject]')"
            ".value = 'maybe';")
        reason.send_keys("no")
        radio, err = send_and_error("input[name=decision]")
        t.eq(err.text, '"maybe" (expected approve or reject)',
             "the API's error shows beside the field it names ($.decision)")
        t.eq(b.texts("form#decide .form-error"), [""],
             "and not above the button")
        # One that names none shows above the button, as an alert.
        b.d.execute_script(
            "document.querySelector('form#decide input[value=maybe]')"
            ".value = 'reject';"
            "document.querySelector('form#decide textarea')"
            ".value = 'a\\u0001b';")
        b.wait("form#decide button[type=submit]").click()
        gen = b.wait("form#decide .form-error:not(:empty)")
        t.eq((gen.text, gen.get_attribute("role")),
             ("reason contains a control character (byte 2)", "alert"),
             "an error naming no field shows above the button, as an alert")
        t.eq(hwbrowser.cli_json(srv, "change", "show", "CHG-0013")["state"],
             "assessed", "still nothing decided")
        b.go("/changes")
        b.go("/changes/CHG-0013")  # drawn afresh: nothing chosen
        t.eq(decide_by_keys(b, "approve", "window agreed & back-out plan <ok>"),
             [("decision", "approve", True), "reason", "Record the decision"],
             "approve chosen and sent by keyboard only")
        made = b.wait("#decision-made")
        b.settle()
        show = hwbrowser.cli_json(srv, "change", "show", "CHG-0013")
        t.eq((show["state"], show.get("reason"), show.get("decided_by")),
             ("approved", "window agreed & back-out plan <ok>", "carl"),
             "the CLI says approved by carl with that reason")
        t.eq(made.text, "Approved on %s by carl: “%s”"
             % (show["decided_at"], show["reason"]),
             "the page shows the decision, who and when")
        t.eq(len(b.all("form#decide")), 0, "and the form is gone")
        t.eq(made.get_attribute("class"), "ok", "an approval is green")
        t.eq(b.focused().get_attribute("id"), "decision-made",
             "and has the focus")

        # -- reject a change whose title is hostile --------------------------
        b.go("/changes/CHG-0014")
        t.eq(b.wait("main h1").text, "CHG-0014: Patch %s %s" % (SCRIPT, ATTR),
             "a hostile title shows as its characters")
        why = "no: " + SCRIPT + " " + ATTR
        t.eq(decide_by_keys(b, "reject", why)[0],
             ("decision", "reject", True), "reject chosen by keyboard")
        made = b.wait("#decision-made")
        b.settle()
        show14 = hwbrowser.cli_json(srv, "change", "show", "CHG-0014")
        t.eq((show14["state"], show14.get("reason"), show14.get("decided_by")),
             ("rejected", why, "carl"),
             "the CLI says rejected by carl with that reason")
        t.eq((made.text, made.get_attribute("class")),
             ("Rejected on %s by carl: “%s”" % (show14["decided_at"], why),
              "error"), "the page shows the rejection, not in green")
        t.eq(b.wait("#decided-reason").text, why,
             "the hostile reason shows as its characters")
        t.eq((len(b.all("main script")), len(b.all("main [onmouseover]")),
              b.blocked(), b.alerts()), (0, 0, [], 0),
             "no script or onmouseover in the page, nothing blocked, no alert")
        b.shot("cab-rejected")

        # -- the workbook ---------------------------------------------------
        st, h, body = srv.request(
            "HEAD", "/api/v1/reports/change/CHG-0013.xlsx", token=carl)
        cd = h.get("content-disposition", "")
        name = cd.split('filename="')[1].rstrip('"') if 'filename="' in cd \
            else "?"
        b.go("/changes/CHG-0013")
        b.wait("#change-workbook").send_keys(Keys.ENTER)
        path = b.download(name)
        cli_path = os.path.join(srv.dir, "cli.xlsx")
        rc, out, err = srv.cli("report", "change", "--change", "CHG-0013",
                               "-o", cli_path)
        t.eq(rc, 0, "the CLI writes the change's workbook " + err)
        got_wb, want_wb = hwbrowser.workbook(path), hwbrowser.workbook(cli_path)
        t.eq([n for n, _ in got_wb], [n for n, _ in want_wb],
             "the downloaded workbook %s has the CLI's sheets" % name)
        for (n, rows), (_, want_rows) in zip(got_wb, want_wb):
            t.eq(rows, want_rows, "sheet %s: every cell is the CLI's "
                 "(%d rows)" % (n, len(want_rows)))
        t.ok(any("CHG-0013" in str(c) for n, rows in got_wb for r in rows
                 for c in r), "and it names the change CHG-0013")

        errors = unexpected(b.js_errors(), provoked)
        t.eq(errors, [], "no script error in the console")
        t.eq(b.alerts(), 0, "no alert opened")

        # -- a manager: the decision, no form -------------------------------
        b.wait("#signout").click()
        b.wait("#token")
        b.sign_in(maria)
        b.go("/changes/CHG-0013")
        t.eq(b.wait("#decision-made").text,
             "Approved on %s by carl: “%s”" % (show["decided_at"],
                                              show["reason"]),
             "a manager sees the decision")
        t.eq(len(b.all("form#decide")), 0, "but no decision form")
        t.eq(len(b.all("#assess")), 0, "and no assess button")
    finally:
        b.quit()
finally:
    srv.stop()
    srv.cleanup()
t.done()
