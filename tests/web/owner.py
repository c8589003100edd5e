#!/usr/bin/python3
"""owner.py: the asset owners' pages in a real browser, on the demo.

An owner of lab@rivertonwater.example signs in: "My assets" lists
exactly the CLI's assets of that owner with the CLI's effective
overall levels; an asset registered through the form (two information
types found by typing part of their name, one dependency) has the
CLI's categorization on its page and the CLI sees it; a duplicate id is
refused beside the id; a hostile name stays text; an asset's page says
what raised a level as the CLI does; a registration done with the
keyboard alone is stored.  TAP.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwbrowser  # noqa: E402
from hwbrowser import level_text  # noqa: E402

hwserve = hwbrowser.hwserve
t = hwserve.Tap()
OWNER = "lab@rivertonwater.example"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = "<script>alert(2)</script>\" onmouseover=\"alert(3)"


def overall_words(c):
    """The overall line as `highwater categorize ID` writes it."""
    if c["overall"] is None:
        return "UNCATEGORIZED (no objective has a level, even inherited)"
    if c["overall_exact"]:
        return "%s, SP 800-53B %s baseline" % (c["overall"].upper(),
                                              c["baseline"])
    w = "at least " + c["overall"].upper()
    return "%s (partly categorized), SP 800-53B baseline %s" % (w, w)


def check_asset_page(b, srv, aid, what):
    """The asset page of aid against categorize ID --json and asset
    show ID --json."""
    b.go("/assets/" + aid)
    b.wait("#categorization")
    c = hwbrowser.cli_json(srv, "categorize", aid)["assets"][0]
    a = hwbrowser.cli_json(srv, "asset", "show", aid)
    rows = {tr.find_element("css selector", "th").text:
            [td.text for td in tr.find_elements("css selector", "td")]
            for tr in b.all("#categorization tbody tr")}
    want = {}
    for o in ("confidentiality", "integrity", "availability"):
        want[o.capitalize()] = [a["direct"][o] or "not set", level_text(c["own"][o]),
                                level_text(c["effective"][o])]
    got = {k: v[:3] for k, v in rows.items()}
    t.eq(got, want, "%s: registered, own and effective levels are the "
         "CLI's" % what)
    t.eq(b.wait("#overall strong").text, overall_words(c),
         "%s: the overall level and baseline as the CLI says" % what)
    for o, r in sorted(c["raised_by"].items()):
        cell = rows[o.capitalize()][3]
        t.ok(cell.startswith("raised to %s by %s" % (c["effective"][o],
                                                    r["asset"]))
             and cell.endswith(" → ".join(r["path"])),
             "%s: why %s is raised: %s" % (what, o, cell))
    return a, c


def tab_to(b, name, limit=40):
    """Press Tab until the control named name has the focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    for _ in range(limit):
        if b.focused().get_attribute("name") == name:
            return True
        ActionChains(b.d).send_keys(Keys.TAB).perform()
    return b.focused().get_attribute("name") == name


srv = hwserve.Server(demo=True)
b = None
try:
    hwbrowser.need(t)
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    tok = srv.user("lara", "owner", owns=OWNER)
    b = hwbrowser.Browser(srv)
    b.sign_in(tok)

    # -- My assets ----------------------------------------------------
    t.eq(b.d.execute_script("return location.hash;"), "#/assets",
         "an owner starts on My assets")
    b.wait("#asset-list")
    t.eq(b.texts("#nav a")[:2], ["My assets", "Register"],
         "the navigation offers My assets and Register")
    mine = hwbrowser.cli_json(srv, "asset", "list", "--owner", OWNER)["assets"]
    every = hwbrowser.cli_json(srv, "asset", "list")["assets"]
    t.eq(sorted(a["id"] for a in mine),
         sorted(a["id"] for a in every if a["owner"] == OWNER),
         "(the CLI's --owner filter is the owner's assets)")
    cat = {c["id"]: c for c in hwbrowser.cli_json(srv, "categorize")["assets"]}
    rows = b.table("#asset-list")
    t.eq([r[0] for r in rows], sorted(a["id"] for a in mine),
         "My assets lists exactly the CLI's assets of %s" % OWNER)
    t.eq([r[1:4] for r in rows],
         [[a["name"], a["type"], a["owner"]]
          for a in sorted(mine, key=lambda a: a["id"])],
         "with the CLI's names, kinds and owners")
    t.eq([r[7] for r in rows],
         [(cat[a["id"]]["overall"] if cat[a["id"]]["overall_exact"] else
           "at least\n" + cat[a["id"]]["overall"])
          if cat[a["id"]]["overall"] else "uncategorized"
          for a in sorted(mine, key=lambda a: a["id"])],
         "and the CLI's effective overall levels")
    b.shot("owner-assets")

    # -- register through the form --------------------------------------
    b.go("/register")
    f = b.wait("#register")
    t.eq(b.focused().get_attribute("name"), "id", "the id has the focus")
    t.eq(b.wait("#register [name=owner]").get_attribute("value"), OWNER,
         "the owner is the one the user holds")
    b.wait("#register [name=id]").send_keys("lab-sample-tracker")
    b.wait("#register [name=name]").send_keys("Sample tracker")
    Select(b.wait("#register [name=type]")).select_by_value("application")
    b.wait("#register [name=description]").send_keys("Tracks bottles.")
    Select(b.wait("#register [name=confidentiality]")).select_by_value("low")
    box = b.wait("#register [name=information_types]")
    t.eq(box.get_attribute("role"), "combobox", "information types: a combobox")
    box.send_keys("Lab Resul")
    opt = b.wait("[role=option][data-value='X.WTR.3']")
    t.eq(box.get_attribute("aria-expanded"), "true", "its list is open")
    box.send_keys(Keys.ARROW_DOWN)
    t.eq(box.get_attribute("aria-activedescendant"), opt.get_attribute("id"),
         "the arrow key makes the option active")
    box.send_keys(Keys.ENTER)
    b.wait(".chips li[data-value='X.WTR.3']")
    box.send_keys("Payme")
    b.wait("[role=option][data-value='C.3.2.5']").click()
    b.wait(".chips li[data-value='C.3.2.5']")
    t.eq(sorted(e.get_attribute("data-value") for e in
                b.all("#register .chips li")), ["C.3.2.5", "X.WTR.3"],
         "two information types are chosen")
    dep = b.wait("#register [name=depends_on]")
    dep.send_keys("lims-d")
    b.wait("[role=option][data-value='lims-db']")
    dep.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    b.wait(".chips li[data-value='lims-db']")
    b.shot("owner-register")
    f.find_element("css selector", "button[type=submit]").click()
    b.until(lambda d: d.execute_script("return location.hash;") ==
            "#/assets/lab-sample-tracker", "the new asset's page")
    b.settle()
    a, c = check_asset_page(b, srv, "lab-sample-tracker", "the new asset")
    t.eq([x["id"] for x in a["information_types"]], ["C.3.2.5", "X.WTR.3"],
         "the CLI sees the asset with both information types")
    t.eq([(d["asset"], d["type"]) for d in a["depends_on"]],
         [("lims-db", "uses")], "and its dependency")
    t.eq((a["name"], a["type"], a["owner"], a["description"],
          a["direct"]["confidentiality"]),
         ("Sample tracker", "application", OWNER, "Tracks bottles.", "low"),
         "and its fields")
    t.eq(b.texts("#asset-types tbody tr td:first-child"),
         ["C.3.2.5", "X.WTR.3"], "the page lists its information types")
    t.eq(b.texts("#depends-on tbody tr td:first-child"), ["lims-db"],
         "and what it depends on")
    b.shot("owner-asset")

    # an asset raised by what depends on it
    check_asset_page(b, srv, "lims-db", "lims-db")
    t.eq(b.texts("#dependents tbody tr td:first-child"),
         sorted(d["asset"] for d in
                hwbrowser.cli_json(srv, "asset", "show", "lims-db")["dependents"]),
         "lims-db: what depends on it")

    # -- a duplicate id ------------------------------------------------
    b.go("/register")
    b.wait("#register [name=id]").send_keys("lims")
    b.wait("#register [name=name]").send_keys("Again")
    Select(b.wait("#register [name=type]")).select_by_value("server")
    b.wait("#register [name=name]").send_keys(Keys.ENTER)
    idbox = b.wait("#register [name=id]")
    err = b.wait("#register .field-error:not(:empty)")
    t.eq((err.get_attribute("data-for"), err.text),
         (idbox.get_attribute("id"), "asset 'lims' already exists"),
         "a duplicate id is refused beside the id")
    t.eq(idbox.get_attribute("aria-invalid"), "true", "the id is marked")
    t.eq(hwbrowser.cli_json(srv, "asset", "show", "lims")["name"],
         [x for x in every if x["id"] == "lims"][0]["name"],
         "and the existing asset is unchanged")

    # -- a hostile name ------------------------------------------------
    b.go("/assets")  # away first: the same address renders nothing anew
    b.go("/register")
    b.wait("#register [name=id]").send_keys("lab-hostile")
    b.wait("#register [name=name]").send_keys(HOSTILE)
    b.wait("#register [name=description]").send_keys(HOSTILE_TEXT)
    Select(b.wait("#register [name=type]")).select_by_value("other")
    dep = b.wait("#register [name=depends_on]")
    dep.send_keys("it-esx-01")  # not the owner's: a proposed change
    b.wait("[role=option][data-value='it-esx-01']")
    dep.send_keys(Keys.ENTER)  # the only suggestion
    b.wait(".chips li[data-value='it-esx-01']")
    b.wait("#register [name=name]").send_keys(Keys.ENTER)
    b.until(lambda d: d.execute_script("return location.hash;").startswith(
        "#/assets/lab-hostile?proposed=CHG-"), "the hostile asset's page")
    b.settle()
    b.wait("#categorization")
    chg = b.d.execute_script("return location.hash;").split("=")[1]
    t.eq([(e["kind"], e["from"], e["to"]) for e in
          hwbrowser.cli_json(srv, "change", "show", chg)["edits"]],
         [("add-dep", "lab-hostile", "it-esx-01")],
         "a dependency onto another's asset is the proposed change " + chg)
    t.ok(chg in b.wait("main .notice").text, "and the page says so")
    t.eq(hwbrowser.cli_json(srv, "asset", "show", "lab-hostile")["name"], HOSTILE,
         "the hostile name is stored as typed")
    names = [dd.text for dt, dd in zip(b.all("#asset-facts dt"),
                                       b.all("#asset-facts dd"))
             if dt.text == "Name"]
    t.eq(names, [HOSTILE], "the asset page shows it as those characters")
    descs = [dd.text for dt, dd in zip(b.all("#asset-facts dt"),
                                       b.all("#asset-facts dd"))
             if dt.text == "Description"]
    t.eq(descs, [HOSTILE_TEXT], "and a hostile description as its characters")
    t.eq(len(b.all("main img, main script, main [onmouseover]")), 0,
         "no img, script or handler element on the asset page")
    t.eq(b.blocked(), [], "nothing tried to run: the policy blocked nothing")
    b.go("/assets")
    b.wait("#asset-list")
    t.eq([r[1] for r in b.table("#asset-list") if r[0] == "lab-hostile"],
         [HOSTILE], "the list shows it as those characters")
    t.eq(len(b.all("main img")), 0, "no img element on the list")
    t.eq(b.blocked(), [], "and the policy blocked nothing")
    t.eq(b.alerts(), 0, "no alert opened")

    # -- keyboard only -------------------------------------------------
    b.go("/register")
    b.wait("#register")
    t.eq(b.focused().get_attribute("name"), "id", "the id has the focus")
    b.keys("lab-keyed")
    t.ok(tab_to(b, "name"), "Tab reaches the name")
    b.keys("Typed in")
    t.ok(tab_to(b, "type"), "Tab reaches the kind")
    b.keys("database")
    t.ok(tab_to(b, "description"), "Tab reaches the description")
    b.keys("No mouse.")
    t.ok(tab_to(b, "internet_facing"), "Tab reaches internet-facing")
    b.keys(Keys.SPACE)
    t.ok(tab_to(b, "integrity"), "Tab reaches the integrity level")
    b.keys("high")
    t.ok(tab_to(b, "information_types"), "Tab reaches the information types")
    b.keys("Lab Resul")
    b.wait("[role=option][data-value='X.WTR.3']")
    b.keys(Keys.ARROW_DOWN, Keys.ENTER)
    b.wait(".chips li[data-value='X.WTR.3']")
    t.eq(b.focused().get_attribute("name"), "information_types",
         "after a pick the focus stays in the box")
    t.ok(tab_to(b, "depends_on"), "Tab reaches depends on")
    b.keys("lims-d")
    b.wait("[role=option][data-value='lims-db']")
    b.keys(Keys.ARROW_DOWN, Keys.ENTER)
    b.wait(".chips li[data-value='lims-db']")
    t.ok(tab_to(b, "dependency_type"), "Tab reaches the kind of dependency")
    b.keys(Keys.TAB)
    t.eq(b.focused().text, "Register", "Tab reaches the Register button")
    b.keys(Keys.ENTER)
    b.until(lambda d: d.execute_script("return location.hash;") ==
            "#/assets/lab-keyed", "the keyed asset's page")
    b.settle()
    k = hwbrowser.cli_json(srv, "asset", "show", "lab-keyed")
    t.eq((k["name"], k["type"], k["description"], k["internet_facing"],
          k["direct"]["integrity"], [x["id"] for x in k["information_types"]],
          [d["asset"] for d in k["depends_on"]]),
         ("Typed in", "database", "No mouse.", True, "high", ["X.WTR.3"],
          ["lims-db"]),
         "the keyboard-only registration is what the CLI sees")

    # -- a later step refused: nothing half-registered -----------------
    b.go("/assets")
    b.go("/register")
    b.wait("#register [name=id]").send_keys("lab-undone")
    b.wait("#register [name=name]").send_keys("Undone")
    Select(b.wait("#register [name=type]")).select_by_value("server")
    box = b.wait("#register [name=information_types]")
    box.send_keys("Payme")
    b.wait("[role=option][data-value='C.3.2.5']")
    box.send_keys(Keys.ENTER)
    b.wait(".chips li[data-value='C.3.2.5']")
    dep = b.wait("#register [name=depends_on]")
    dep.send_keys("lab-keyed")
    b.wait("[role=option][data-value='lab-keyed']")
    dep.send_keys(Keys.ENTER)
    b.wait(".chips li[data-value='lab-keyed']")
    rc, out, errs = srv.cli("asset", "rm", "lab-keyed", actor="lara")
    t.eq(rc, 0, "(the dependency's target goes meanwhile: %s)" % errs.strip())
    b.wait("#register [name=name]").send_keys(Keys.ENTER)
    err = b.wait("#register .field-error:not(:empty)")
    t.eq(err.get_attribute("data-for"),
         b.wait("#register [name=depends_on]").get_attribute("id"),
         "a refused dependency is told beside depends on")
    t.ok(err.text.startswith("The dependency on lab-keyed was refused: ")
         and err.text.endswith("Nothing was registered: the asset was "
                               "removed again."), err.text)
    rc, out, errs = srv.cli("asset", "show", "lab-undone")
    t.ok(rc != 0, "and the CLI does not know the asset: " + errs.strip())

    errors = [e for e in b.js_errors()
              if not ("/api/v1/session - " in e and " 401 " in e) and
              not ("/api/v1/assets - " in e and " 409 " in e) and
              not ("/api/v1/dependencies - " in e and " 422 " in e)]
    t.eq(errors, [], "no script error but the duplicate's 409 in the console")
    t.eq(b.alerts(), 0, "no alert opened")

    # -- another role: every asset, filtered, paged ---------------------
    b.quit()
    b = hwbrowser.Browser(srv)
    b.sign_in(srv.user("mona", "manager"))
    b.go("/assets")
    b.wait("#asset-list")
    every = hwbrowser.cli_json(srv, "asset", "list")["assets"]
    t.eq([r[0] for r in b.table("#asset-list")],
         [a["id"] for a in every][:100],
         "a manager sees the first 100 of every asset (%d), in the CLI's "
         "order" % len(every))
    t.ok(b.wait("#asset-list caption").text.endswith(
        "; %d in the whole inventory." % len(every)),
        "and how many there are in all")
    box = b.wait("#asset-filter [name=search]")
    box.send_keys("LIMS")
    Select(b.wait("#asset-filter [name=level]")).select_by_value("high")
    box.send_keys(Keys.ENTER)
    b.until(lambda d: d.execute_script("return location.hash;") ==
            "#/assets?search=LIMS&level=high", "the filtered list")
    b.settle()
    t.eq([r[0] for r in b.table("#asset-list")],
         [a["id"] for a in hwbrowser.cli_json(srv, "asset", "list", "--search", "LIMS",
                                    "--level", "high")["assets"]],
         "the filter lists what asset list --search --level lists")
    b.go("/assets?offset=100")
    b.wait("#asset-list")
    t.eq([r[0] for r in b.table("#asset-list")],
         [a["id"] for a in hwbrowser.cli_json(srv, "asset", "list", "--offset", "100",
                                    "--limit", "100")["assets"]],
         "a later page is the CLI's --offset")
    t.ok(len(b.all("main a[href^='#/assets?'][href*='offset=0']")) == 1,
         "with a link back to the first page")

    t.eq([e for e in b.js_errors() if "/api/v1/session - " not in e or
          " 401 " not in e], [],
         "no script error in the manager's console (but the 401 of the "
         "session before signing in)")
    t.eq(b.alerts(), 0, "no alert opened")
finally:
    if b is not None:
        b.quit()
    srv.stop()
    srv.cleanup()
t.done()
