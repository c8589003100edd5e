#!/usr/bin/python3
"""page.py: the web page as served, and signing in and out.

Over HTTP: GET / is the page and /web/NAME its files, each with the
headers that keep hostile data inert (Content-Security-Policy
default-src 'self' and frame-ancestors 'none', nosniff); nothing else
of the disk is reachable; the shipped files hold no inline script, no
inline handler and no innerHTML.  In a real browser: a wrong token is
refused beside the field, a right one signs in with the navigation of
the user's roles, a reload keeps the session, signing out ends it.  TAP.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hwbrowser  # noqa: E402

hwserve = hwbrowser.hwserve
t = hwserve.Tap()
WEB = os.path.join(hwserve.datadir(), "web")
CSP = "default-src 'self'; frame-ancestors 'none'"

# -- the shipped files, read as text ----------------------------------
names = sorted(os.listdir(WEB))
t.ok("index.html" in names and "core.js" in names,
     "the page's files are shipped: " + ", ".join(names))
for name in names:
    text = open(os.path.join(WEB, name), encoding="utf-8").read()
    if name.endswith(".js"):
        t.ok(not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|"
                           r"document\.write|\beval\(|new Function",
                           text),
             "%s puts nothing into the page as markup" % name)
    if name.endswith(".html"):
        t.ok(not re.search(r"<script(?![^>]*\bsrc=)", text),
             "%s has no inline script" % name)
        t.ok(not re.search(r"\son[a-z]+\s*=", text),
             "%s has no inline event handler" % name)
        t.ok(not re.search(r"\sstyle\s*=", text),
             "%s has no inline style" % name)
        t.ok(not re.search(r"(?:src|href)=\"(?:https?:)?//", text),
             "%s fetches nothing from outside" % name)

# -- the README's pictures of the page are there ----------------------
readme = open(os.path.join(os.environ.get("HW_SRCDIR", "."), "README.md"),
              encoding="utf-8").read()
pictures = re.findall(r"!\[[^]]*\]\((doc/screenshots/[^)]+)\)", readme)
t.ok(len(pictures) >= 10, "the README shows the page (%d pictures)"
     % len(pictures))
for pic in pictures:
    t.ok(os.path.isfile(os.path.join(os.environ.get("HW_SRCDIR", "."), pic)),
         "the README's picture %s exists" % pic)

srv = hwserve.Server(demo=True)
try:
    # -- over HTTP ----------------------------------------------------
    for path, ctype in (("/", "text/html; charset=utf-8"),
                        ("/web/core.js", "text/javascript; charset=utf-8"),
                        ("/web/style.css", "text/css; charset=utf-8")):
        st, h, body = srv.request("GET", path)
        t.eq(st, 200, "GET %s is served" % path)
        t.eq(h.get("content-type"), ctype, "GET %s is %s" % (path, ctype))
        t.eq(h.get("content-security-policy"), CSP,
             "GET %s carries the content security policy" % path)
        t.eq(h.get("x-content-type-options"), "nosniff",
             "GET %s carries nosniff" % path)
        want = open(os.path.join(WEB, "index.html" if path == "/"
                                 else path[5:]), "rb").read()
        t.ok(body == want, "GET %s is the installed file byte for byte"
             % path)
    st, h, body = srv.request("GET", "/?utm_source=mail")
    t.eq(st, 200, "GET /?QUERY: the page all the same (a link may carry one)")
    st, h, body = srv.request("HEAD", "/")
    t.eq(st, 200, "HEAD / answers")
    for path in ("/web/../hw.db", "/web/%2e%2e%2fhw.db", "/web/.hidden.js",
                 "/web/core.js.bak", "/web/nothing.js", "/web/a.b.js",
                 "/web/x.exe", "/web", "/web/", "/index.html",
                 "/web/core.js/x"):
        st, h, body = srv.request("GET", path)
        t.ok(st in (400, 404), "GET %s is refused (%d)" % (path, st))
        t.eq(h.get("content-security-policy"), CSP,
             "and its answer carries the policy too")
    st, h, body = srv.request("POST", "/")
    t.eq(st, 405, "POST / is not allowed")

    # -- in the browser -----------------------------------------------
    hwbrowser.need(t)
    tok = srv.user("olga", "owner", owns="ops")
    mgr = srv.user("maria", "manager")
    b = hwbrowser.Browser(srv)
    try:
        b.open()
        box = b.wait("#token")
        t.eq(b.d.title, "Sign in · highwater", "the sign-in page is shown")
        t.eq(b.focused().get_attribute("id"), "token",
             "the token box has the focus")
        b.shot("sign-in")
        from selenium.webdriver.common.keys import Keys
        box.send_keys("hw_" + "x" * 43 + Keys.ENTER)
        err = b.wait("#signin .field-error:not(:empty)")
        t.eq(err.text, "unknown token",
             "a wrong token is refused beside the field")
        t.eq(box.get_attribute("aria-invalid"), "true",
             "the field is marked invalid")
        t.eq(b.texts("#nav a"), [], "no navigation before signing in")

        b.sign_in(tok)
        t.ok(b.d.title.endswith("· highwater") and "Sign in" not in
             b.d.title, "signed in: " + b.d.title)
        t.eq(b.wait("#who").text, "olga (owner)", "the user is named")
        t.eq(b.texts("#nav a"), ["My assets", "Register", "Impact",
                                 "Changes", "Risks", "Plan", "Workbooks"],
             "an owner's navigation")
        t.eq(b.all("#nav a[aria-current=page]")[0].text, "My assets",
             "the owner's start page is theirs, marked current")
        b.d.refresh()
        b.wait("#who:not(:empty)")
        t.eq(b.wait("#who").text, "olga (owner)",
             "a reload keeps the session")
        b.wait("#signout").click()
        b.wait("#token")
        t.eq(b.wait(".notice").text, "You are signed out.",
             "signing out says so")
        b.d.refresh()
        b.wait("#token")
        t.eq(b.texts("#nav a"), [], "and the session is gone after a reload")

        b.sign_in(mgr)
        t.eq(b.wait("#who").text, "maria (manager)", "another user signs in")
        t.eq(b.texts("#nav a"), ["My assets", "Impact", "Changes", "Risks",
                                 "Plan", "Workbooks"],
             "a manager's navigation: no Register")
        t.eq(b.d.execute_script("return location.hash;"), "#/risk",
             "a manager starts at the risks")
        b.go("/register")
        t.eq(b.wait("main .error[role=alert]").text,
             "This page is for the roles owner; you are manager.",
             "a page of another role says whose it is")
        t.eq(b.all("#register"), [], "... and shows no form")
        b.go("/nowhere")
        t.eq(b.wait("main h1").text, "No such page", "an unknown page says so")
        b.check_quiet(t, "on any page")
    finally:
        b.quit()
finally:
    srv.stop()
    srv.cleanup()
t.done()
