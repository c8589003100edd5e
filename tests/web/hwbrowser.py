"""hwbrowser.py: the harness of the web page's tests (tests/web/*.py).

A real headless Chromium (Debian's chromium and chromium-driver) driven
by Selenium (python3-selenium) against a real `highwater serve` made by
tests/serve/hwserve.py, on a laptop-sized window.

    import hwbrowser
    t = hwbrowser.hwserve.Tap()
    srv = hwbrowser.hwserve.Server(demo=True)
    b = hwbrowser.Browser(srv)          # or skip: hwbrowser.need(t)
    b.sign_in(srv.user("olga", "owner", owns="ops"))
    b.go("/assets")                     # the page's "#/assets"
    b.wait("#asset-list tbody tr")      # the first element, once shown
    b.shot("owner-assets")              # tests/web/screenshots/owner-assets.png
    t.eq(b.alerts(), 0, "no alert opened"); t.eq(b.js_errors(), [], "...")
    b.quit(); srv.stop(); srv.cleanup(); t.done()

Screenshots go to $HW_SCREENSHOTS, else tests/web/screenshots under
the current (build) folder: the test's artefacts, kept after it.
"""

import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "serve"))
import hwserve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1366, 860  # a laptop's screen
WAIT = 30.0  # seconds an element may take (sanitizer builds are slow)


def missing():
    """Why the browser tests cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return path + " is not installed (apt-get install chromium " \
                "chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python3-selenium is not installed"
    return None


def need(t):
    """Skip the whole test (exit 77 is not TAP: one skipped check and
    the plan) when the browser is missing, unless CI runs it: there it
    is a failure."""
    why = missing()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        t.ok(False, "the browser can run: " + why)
    else:
        t.skip("the web page in a real browser", why)
    t.done()


def cli_json(srv, *args):
    """What `highwater ARGS --json` prints on the service's database,
    parsed (a failure raises, naming the command)."""
    rc, out, err = srv.cli(*args, "--json")
    if rc != 0:
        raise AssertionError("highwater %s: %s" % (" ".join(args), err))
    return json.loads(out)


def level_text(level):
    """A level as the page's HW.level() shows it: "-" for none."""
    return level if level else "-"


def overall_text(level, exact):
    """An overall level as the page's HW.overall() shows it."""
    if not level:
        return "uncategorized"
    if exact or level == "high":
        return level
    return "at least " + level


def workbook(path):
    """A workbook as [(sheet, rows of cell values)], in sheet order, less
    the rows that say when it was written (first cell "Generated...")."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    return [(ws.title, [r for r in ws.iter_rows(values_only=True)
                        if not (r and str(r[0]).startswith("Generated"))])
            for ws in wb.worksheets]


def shots_dir():
    d = os.environ.get("HW_SCREENSHOTS") or os.path.join(
        os.getcwd(), "tests", "web", "screenshots")
    os.makedirs(d, exist_ok=True)
    return d


class Browser:
    """One headless Chromium on the service's page, its downloads going
    to a folder of its own (self.downloads)."""

    def __init__(self, srv):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.srv = srv
        self.base = "http://127.0.0.1:%d" % srv.port
        self.downloads = os.path.join(srv.dir, "downloads")
        os.makedirs(self.downloads, exist_ok=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox",
                    "--disable-dev-shm-usage", "--disable-gpu",
                    "--no-first-run", "--disable-extensions",
                    "--window-size=%d,%d" % (WIDTH, HEIGHT),
                    "--user-data-dir=" + os.path.join(srv.dir, "chromium")):
            opts.add_argument(arg)
        opts.add_experimental_option("prefs", {
            "download.default_directory": self.downloads,
            "download.prompt_for_download": False,
        })
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.d.set_page_load_timeout(WAIT)
        # Count what the content security policy blocks (an injected
        # inline handler or script would be), from each page's start.
        self.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
            "source": "window.__hwBlocked = [];"
                      "document.addEventListener('securitypolicyviolation',"
                      " function (e) { window.__hwBlocked.push("
                      "e.violatedDirective + ' ' + e.blockedURI); });"})
        self.console = []

    # -- moving about ------------------------------------------------
    def open(self, hash_path=""):
        """Load the page afresh at "#" + hash_path."""
        self.d.get(self.base + "/" + ("#" + hash_path if hash_path else ""))

    def go(self, hash_path):
        """Go to a page of the loaded page ("/assets") and wait until it
        has rendered: main names it (data-route) and the status line
        is empty again."""
        self.d.execute_script("location.hash = arguments[0];",
                              "#" + hash_path)
        self.until(lambda d: d.execute_script(
            "var m = document.getElementById('main');"
            "return m.getAttribute('data-route') === arguments[0];",
            hash_path), "the page " + hash_path)
        self.settle()

    def settle(self):
        """Until no request of the page is running (the status line,
        which says what is loading, is empty)."""
        self.until(lambda d: d.execute_script(
            "var s = document.getElementById('status');"
            "return document.readyState === 'complete' && s !== null &&"
            " s.textContent === '';"), "the page to finish loading")

    def sign_in(self, token, keyboard=False):
        """Sign in with token on the sign-in page (typed and sent with
        Enter); wait until the user's start page has rendered."""
        from selenium.webdriver.common.keys import Keys
        self.open()
        box = self.wait("#token")
        box.send_keys(token + Keys.ENTER)
        self.wait("#who:not(:empty)")
        self.wait("#main[data-route]")
        self.settle()

    # -- looking -----------------------------------------------------
    def until(self, cond, what, timeout=WAIT):
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.common.exceptions import TimeoutException
        try:
            return WebDriverWait(self.d, timeout).until(cond)
        except TimeoutException:
            self.shot("timeout")
            raise AssertionError("waited %.0f s for %s" % (timeout, what))

    def wait(self, css, timeout=WAIT):
        """The first element css selects, once it is displayed."""
        from selenium.webdriver.common.by import By

        def shown(d):
            for e in d.find_elements(By.CSS_SELECTOR, css):
                if e.is_displayed():
                    return e
            return False
        return self.until(shown, css, timeout)

    def wait_text(self, css, text, timeout=WAIT):
        """The first element css selects once its text contains text."""
        from selenium.webdriver.common.by import By

        def has(d):
            for e in d.find_elements(By.CSS_SELECTOR, css):
                if text in e.text:
                    return e
            return False
        return self.until(has, "%r in %s" % (text, css), timeout)

    def all(self, css):
        from selenium.webdriver.common.by import By
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css):
        """The text of every element css selects."""
        return [e.text for e in self.all(css)]

    def table(self, css):
        """The rows of the table css selects as lists of cell texts
        (the header row left out)."""
        rows = []
        for tr in self.all(css + " tbody tr"):
            rows.append([td.text for td in tr.find_elements("css selector",
                                                            "td")])
        return rows

    def keys(self, *k):
        """Keys pressed where the focus is (ActionChains: no element
        named, as a keyboard user types)."""
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.d).send_keys(*k).perform()

    def focused(self):
        """The element that has the keyboard's focus."""
        return self.d.switch_to.active_element

    # -- checks ------------------------------------------------------
    def alerts(self):
        """1 when a JavaScript alert is open (then dismissed), else 0."""
        from selenium.common.exceptions import NoAlertPresentException
        try:
            self.d.switch_to.alert.dismiss()
            return 1
        except NoAlertPresentException:
            return 0

    def blocked(self):
        """What the content security policy blocked on this page since
        it loaded: [] unless something tried to run or load what the
        page does not."""
        return self.d.execute_script("return window.__hwBlocked || [];")

    def js_errors(self):
        """The messages of the browser's console at level SEVERE since
        the last call (a failing fetch's 4xx answer is SEVERE too: the
        caller filters what it expects)."""
        for entry in self.d.get_log("browser"):
            self.console.append(entry)
        got = [e["message"] for e in self.console if e["level"] == "SEVERE"]
        self.console = []
        return got

    def check_quiet(self, t, where, expected=(" 401 ",)):
        """Two checks on the page so far: no severe console message but
        those holding one of expected (the 401 of asking who is signed
        in before signing in), and no alert."""
        t.eq([e for e in self.js_errors()
              if not any(x in e for x in expected)], [],
             "no script error in the console " + where)
        t.eq(self.alerts(), 0, "no alert opened " + where)

    def shot(self, name):
        """A screenshot of the window as tests/web/screenshots/NAME.png
        (the whole page's height, up to 4000 pixels; for the README,
        $HW_SCREENSHOTS set, up to 1400)."""
        path = os.path.join(shots_dir(), name + ".png")
        most = 1400 if os.environ.get("HW_SCREENSHOTS") else 4000
        try:
            h = self.d.execute_script(
                "return document.documentElement.scrollHeight;")
            self.d.set_window_size(WIDTH, max(HEIGHT, min(int(h) + 20, most)))
            self.d.execute_script("window.scrollTo(0, 0);")
            self.d.save_screenshot(path)
        finally:
            self.d.set_window_size(WIDTH, HEIGHT)
        return path

    def download(self, name, timeout=WAIT):
        """The path of a finished download named name."""
        path = os.path.join(self.downloads, name)

        def done(_):
            return os.path.exists(path) and not os.path.exists(
                path + ".crdownload")
        self.until(done, "the download " + name, timeout)
        time.sleep(0.2)
        return path

    def quit(self):
        try:
            self.d.quit()
        except Exception:  # the browser may be gone already
            pass
        shutil.rmtree(os.path.join(self.srv.dir, "chromium"),
                      ignore_errors=True)
