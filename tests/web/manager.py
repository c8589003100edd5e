#!/usr/bin/python3
"""manager.py: the managers' pages in a real browser, on the demo.

#/risk shows the register as `highwater risk` prints it (ids in order,
every figure as the text output writes it, the multiplier as
risk --json gives it) with the categorization summary of
`categorize --summary --json`; how many rows and which day are chosen
in a form whose errors show beside the field.  #/plan shows the first
actions as `highwater plan` prints them and the organisation summary.
#/reports downloads the plan workbook for a picked day and the
inventory workbook through their links: read back with openpyxl, each
holds what `highwater report` writes.  An owner may read the risks,
the plan and the workbooks too, as the API lets every reader.  TAP.
"""
import decimal
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwbrowser  # noqa: E402

hwserve = hwbrowser.hwserve
t = hwserve.Tap()
ASOF = "2026-11-21"  # the README's day


def cli_text(srv, *args):
    rc, out, err = srv.cli(*args)
    if rc != 0:
        raise RuntimeError("highwater %s: %s" % (" ".join(args), err))
    return out


def half_up(x, dec):
    """cmd-risk.c's fixed(): x × 10^dec rounded half away from zero."""
    q = decimal.Decimal(x * 10 ** dec).quantize(
        decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)
    s = str(int(q)).rjust(dec + 1, "0")
    return s[:len(s) - dec] + "." + s[len(s) - dec:] if dec else s


def risk_rows(text):
    """The rows of `highwater risk`'s table: 13 fields each."""
    rows = []
    for line in text.splitlines()[1:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip(), maxsplit=12))
    return rows


def cells(b, css):
    """The cell texts of the table css selects, in one script (a long
    table's cells one by one through the driver take seconds)."""
    return b.d.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll("
        "arguments[0] + ' tbody tr'), function (tr) {"
        " return Array.prototype.map.call(tr.querySelectorAll('td'),"
        " function (td) { return td.innerText.trim(); }); });", css)


def caption_is(b, css, text):
    """Until the table css selects has this caption (the page of an
    address just set has rendered), and no request runs."""
    b.until(lambda d: d.execute_script(
        "var c = document.querySelector(arguments[0] + ' caption');"
        "return c ? c.textContent : '';", css) == text, text)
    b.settle()


def risk_table(b):
    """The page's register as `highwater risk` lays it out: rank, asset,
    owner, C/I/A, overall, impact, likelihood, dependents, weighted,
    blast, score, "× multiplier", band, factors, name."""
    out = []
    for r in cells(b, "#risk-table"):
        asset, name, owner = r[1].split("\n")
        levels, overall = r[2].split("\n")
        dep, weighted = r[5].split("\n")
        blast, mult = r[6].split("\n")
        score, band = r[7].split("\n")
        out.append([r[0], asset, owner, levels, overall, r[3], r[4], dep,
                    weighted, blast, score, mult, band,
                    r[8].replace("\n", ", "), name])
    return out


def plan_table(b):
    """The page's plan as plan_blocks() reads `highwater plan`."""
    out = []
    for td in cells(b, "#plan-table"):
        asset, name, owner = td[1].split("\n")
        score, band = td[2].split("\n")
        out.append((td[0], asset, score, band, owner, td[3],
                    td[4].split("\n")))
    return out


def plan_blocks(text):
    """`highwater plan`'s assets: (rank, id, score, band, owner,
    baseline line, [actions])."""
    out = []
    for block in re.split(r"\n\n(?=#\d)", text.split("\nOrganisation")[0]):
        lines = block.strip("\n").splitlines()
        m = re.match(r"#(\d+)  (\S+)  score (\S+) \(([^)]*)\)  owner (.*)$",
                     lines[0])
        if not m:
            continue
        base = lines[1].strip()
        acts = [re.sub(r"^\d+\. ", "", a.strip()) for a in lines[2:]]
        out.append(("#" + m.group(1), m.group(2), m.group(3), m.group(4),
                    m.group(5), re.sub(r"^baseline  ", "", base), acts))
    return out


def sheets(path):
    """A workbook's sheet names, and its sheets by name (hwbrowser's
    workbook())."""
    wb = hwbrowser.workbook(path)
    return [n for n, _ in wb], dict(wb)


def filename(srv, token, path):
    """The file name the service gives path in Content-Disposition."""
    st, h, body = srv.request("GET", path, token=token)
    m = re.search(r'filename="([^"]+)"', h.get("content-disposition", ""))
    return m.group(1) if st == 200 and m else None


srv = hwserve.Server(demo=True)
try:
    hwbrowser.need(t)
    mgr = srv.user("maria", "manager")
    olga = srv.user("olga", "owner", owns="ops")
    b = hwbrowser.Browser(srv)
    try:
        from selenium.webdriver.common.keys import Keys

        # -- #/risk ----------------------------------------------------
        b.sign_in(mgr)
        t.eq(b.d.title, "Top risks · highwater",
             "a manager starts on the top risks")
        nav = b.texts("#nav a")
        t.eq([x for x in nav if x in ("Risks", "Plan", "Workbooks")],
             ["Risks", "Plan", "Workbooks"],
             "... with the managers' pages in the navigation: %s" % nav)
        caption = b.wait("#risk-table caption").text
        day = re.search(r"as of (\d{4}-\d\d-\d\d)$", caption).group(1)
        risk = hwbrowser.cli_json(srv, "risk", "--top", "10", "--as-of", day)
        t.eq(caption, "The 10 highest risks of %d assets, as of %s"
             % (risk["count"], risk["as_of"]),
             "the table says how many of how many, and the day")
        rows = risk_table(b)
        t.eq([r[1] for r in rows], [a["id"] for a in risk["assets"]],
             "the assets are risk --json's, in its order")
        t.eq([r[-1] for r in rows], [a["name"] for a in risk["assets"]],
             "... with their names")
        text = risk_rows(cli_text(srv, "risk", "--top", "10", "--as-of", day))
        t.eq([r[:11] + r[12:14] for r in rows], text,
             "every row reads as `highwater risk` prints it "
             "(rank to score, band and the likelihood factors)")
        t.eq([r[11] for r in rows],
             ["× " + half_up(a["multiplier"], 3) for a in risk["assets"]],
             "the multiplier is risk --json's, to 3 decimals")
        t.eq(b.all("#risk-table tbody tr td a")[0].get_attribute("href")
             .split("#")[1], "/assets/" + risk["assets"][0]["id"],
             "an asset links to its page")
        s = hwbrowser.cli_json(srv, "categorize", "--summary")["summary"]
        t.eq([b.wait("#sum-" + k + " .big").text for k in
              ("assets", "high", "moderate", "low", "uncategorized")],
             [str(v) for v in (s["high"] + s["moderate"] + s["low"] +
                               s["uncategorized"], s["high"], s["moderate"],
                               s["low"], s["uncategorized"])],
             "the counts by overall level are categorize --summary's")
        t.ok("score = 100 × impact × likelihood × multiplier" in
             b.wait("#risk-model").text, "how a score is made is explained")
        t.eq([e.get_attribute("scope") for e in b.all("#risk-table th")],
             ["col"] * 9, "the table's headers have their scope")
        b.shot("manager-risk")

        # the form: another day, more rows; an error beside its field
        top = b.wait("#risk-view input[name=top]")
        top.clear()
        top.send_keys("-1" + Keys.ENTER)
        err = b.wait("#risk-view .field-error:not(:empty)")
        t.eq(err.get_attribute("data-for"), top.get_attribute("id"),
             "a refused count is told beside its field: " + err.text)
        b.go("/risk?top=12&as_of=" + ASOF)
        caption_is(b, "#risk-table", "The 12 highest risks of %d assets, "
                   "as of %s" % (risk["count"], ASOF))
        rows = risk_table(b)
        text = risk_rows(cli_text(srv, "risk", "--top", "12", "--as-of",
                                  ASOF))
        t.eq([r[:11] + r[12:14] for r in rows], text, "?top=12&as_of=%s is risk --top 12 --as-of %s" %
             (ASOF, ASOF))

        # every asset: uncategorized, partly categorized and estimated
        # rows, bands and factors of every kind
        top = b.wait("#risk-view input[name=top]")
        top.clear()
        top.send_keys(Keys.ENTER)
        allrisk = hwbrowser.cli_json(srv, "risk", "--as-of", ASOF)
        want = "The %d highest risks of %d assets, as of %s" % (
            allrisk["count"], allrisk["count"], ASOF)
        caption_is(b, "#risk-table", want)
        t.eq(b.d.current_url.split("#")[1], "/risk?top=all&as_of=" + ASOF,
             "an empty count asks for every asset")
        rows = risk_table(b)
        text = risk_rows(cli_text(srv, "risk", "--as-of", ASOF))
        t.eq([r[:11] + r[12:14] for r in rows], text,
             "every asset's row reads as `highwater risk --as-of %s` prints "
             "it (%d rows)" % (ASOF, len(text)))
        t.eq([r[11] for r in rows],
             ["× " + half_up(a["multiplier"], 3) for a in allrisk["assets"]],
             "... and every multiplier is risk --json's")

        # -- #/plan ----------------------------------------------------
        b.go("/plan?top=10&as_of=" + ASOF)
        caption_is(b, "#plan-table", "The first 10 of %d assets in risk "
                   "order, as of %s" % (risk["count"], ASOF))
        t.eq(b.d.title, "Protection plan · highwater", "the plan's page")
        plan = plan_blocks(cli_text(srv, "plan", "--top", "10", "--as-of",
                                    ASOF))
        got = plan_table(b)
        t.eq(len(got), 10, "ten assets in risk order")
        t.eq(got, plan, "each one's rank, score, band, owner, baseline and "
             "actions read as `highwater plan` prints them")
        b.go("/plan?top=all&as_of=" + ASOF)
        caption_is(b, "#plan-table", "The first %d of %d assets in risk "
                   "order, as of %s" % (risk["count"], risk["count"], ASOF))
        plan = plan_blocks(cli_text(srv, "plan", "--as-of", ASOF))
        t.eq(plan_table(b), plan, "?top=all: every asset's plan reads as "
             "`highwater plan --as-of %s` prints it (%d assets)"
             % (ASOF, len(plan)))
        pj = hwbrowser.cli_json(srv, "plan", "--top", "10", "--as-of", ASOF)
        req = pj["summary"]["required"]
        t.ok(b.wait("#plan-required").text.startswith(
             "Assets by required SP 800-53B baseline: HIGH %d, MODERATE %d, "
             "LOW %d, unknown (uncategorized) %d"
             % (req["high"], req["moderate"], req["low"], req["unknown"])),
             "the assets by required baseline are plan --json's")
        fam = b.table("#plan-families")
        t.eq(fam, [[f["family"], str(f["controls"])]
                   for f in pj["summary"]["gaps_by_family"]
                   if f["controls"] > 0],
             "the controls to add by family are plan --json's")
        b.go("/plan?top=10&as_of=" + ASOF)
        caption_is(b, "#plan-table", "The first 10 of %d assets in risk "
                   "order, as of %s" % (risk["count"], ASOF))
        b.shot("manager-plan")

        # -- #/reports -------------------------------------------------
        b.go("/reports")
        link = b.wait("#plan-workbook")
        t.eq(b.d.title, "Workbooks · highwater", "the workbooks' page")
        t.eq(link.get_attribute("download"), "", "a plain download link")
        picker = b.wait("#plan-as-of")
        picker.send_keys("11212026")  # the harness's locale: mm/dd/yyyy
        typed = picker.get_attribute("value")
        t.diag("typed into the day picker: %r" % typed)
        if typed != ASOF:  # another locale's order
            b.d.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input'));",
                picker, ASOF)
        t.eq(link.get_attribute("href"), b.base +
             "/api/v1/reports/plan.xlsx?as_of=" + ASOF,
             "the day picked goes into the plan's link")
        b.shot("manager-reports")
        name = filename(srv, mgr, "/api/v1/reports/plan.xlsx?as_of=" + ASOF)
        t.eq(name, "protection-plan-%s.xlsx" % ASOF,
             "the service names the plan's file for its day")
        link.click()
        mine = b.download(name)
        theirs = os.path.join(srv.dir, "cli-plan.xlsx")
        cli_text(srv, "report", "plan", "--as-of", ASOF, "-o", theirs)
        n1, s1 = sheets(mine)
        n2, s2 = sheets(theirs)
        t.eq(n1, n2, "the plan downloaded has report plan's sheets: %s"
             % ", ".join(n1))
        for sheet in n2:
            t.ok(s1.get(sheet) == s2[sheet],
                 "... its %s equals report plan's (%d rows)"
                 % (sheet, len(s2[sheet])))

        name = filename(srv, mgr, "/api/v1/reports/inventory.xlsx")
        t.ok(name is not None and name.startswith("inventory-"),
             "the service names the inventory's file: %s" % name)
        b.wait("#inventory-workbook").send_keys(Keys.ENTER)  # keyboard
        mine = b.download(name)
        theirs = os.path.join(srv.dir, "cli-inventory.xlsx")
        cli_text(srv, "report", "inventory", "-o", theirs)
        n1, s1 = sheets(mine)
        n2, s2 = sheets(theirs)
        t.eq(n1, ["Assets", "Assignments", "Dependencies",
                  "Information types"], "the inventory's four sheets")
        t.ok(s1 == s2, "... each equal to report inventory's")

        # expected: the 401 of GET /session before signing in, the 400
        # of the refused count
        errors = [e for e in b.js_errors() if "(Unauthorized)" not in e
                  and "(Bad Request)" not in e]
        t.eq(errors, [], "no script error in the console")

        # -- an owner ---------------------------------------------------
        b.wait("#signout").click()
        b.wait("#token")
        b.sign_in(olga)
        nav = b.texts("#nav a")
        t.ok("Workbooks" in nav and "Risks" in nav,
             "an owner's navigation has the risks and the workbooks "
             "(anybody may read them)")
        b.go("/reports")
        t.eq(b.wait("#plan-workbook").get_attribute("href"),
             b.base + "/api/v1/reports/plan.xlsx",
             "an owner is offered the plan's workbook")
        b.go("/risk")
        caption_is(b, "#risk-table", "The 10 highest risks of %d assets, "
                   "as of %s" % (risk["count"], day))
        t.eq(len(b.table("#risk-table")), 10, "an owner reads the risks")
        b.check_quiet(t, "for the owner")
    finally:
        b.quit()
finally:
    srv.stop()
    srv.cleanup()
t.done()
