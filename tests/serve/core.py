#!/usr/bin/python3
"""core.py: the service's core: listen refusals, the error answers'
shapes (400, 401, 403, 404, 405, 413, 415), the security headers, the
request log (never a token or a cookie), sessions (cookie flags, CSRF
for writes, sign-out, the end of a session when its user goes or their
token is rotated), the slow-down of failed sign-ins (429), TLS with a
throwaway certificate, and SIGTERM with a request in flight."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwdb  # noqa: E402
import hwserve  # noqa: E402

t = hwserve.Tap()
CSP = "default-src 'self'; frame-ancestors 'none'"
LIMIT = 4096


err = hwserve.err
got_err = hwserve.got_err


read_all = hwserve.read_all


def cookie_of(headers):
    """The hw_session value a Set-Cookie header sets."""
    m = re.match(r"hw_session=([^;]*)", headers.get("set-cookie", ""))
    return m.group(1) if m else None


srv = hwserve.Server(args=["--body-limit", str(LIMIT)])
try:
    alice = srv.user("alice", "owner", owns="team-a")
    bob = srv.user("bob", "admin")

    # --- the start and the listen refusals ---------------------------
    t.ok("highwater: serving %s on http://127.0.0.1:%d\n"
         % (hwdb.uri(srv.db), srv.port)
         in srv.log(), "the startup line names the database and the URL")
    rc, out, e = srv.cli("serve", "--listen", "0.0.0.0:%d" % srv.port)
    t.eq((rc, e), (1, "highwater: serve: refusing to listen on 0.0.0.0:%d "
                   "without TLS: tokens and session cookies would travel "
                   "in clear (give --cert and --key, or --insecure)\n"
                   % srv.port),
         "a non-loopback address without TLS is refused, saying why")
    rc, out, e = srv.cli("serve", "--listen", "127.0.0.1")
    t.eq((rc, e), (1, "highwater: serve: bad listen address '127.0.0.1' "
                   "(expected IPV4:PORT or [IPV6]:PORT, a port from 1 to "
                   "65535)\n"), "an address without a port is refused")
    rc, out, e = srv.cli("serve", "--listen", "[::1]:65536")
    t.eq(rc, 1, "a port past 65535 is refused")
    rc, out, e = srv.cli("serve", "--listen", "127.0.0.1:%d" % srv.port)
    t.eq((rc, e), (1, "highwater: serve: cannot listen on 127.0.0.1:%d: "
                   "Address already in use\n" % srv.port),
         "a port in use: exit 1 naming the address")
    rc, out, e = srv.cli("serve", "--cert", srv.db)
    t.eq(rc, 2, "--cert without --key is a usage error")
    rc, out, e = srv.cli("serve", "--listen", "127.0.0.1:1",
                         "--cert", srv.db, "--key", srv.db)
    t.eq((rc, e), (1, "highwater: serve: '%s' holds no CERTIFICATE "
                   "(expected a PEM file)\n" % srv.db),
         "a certificate file that is no PEM is refused")

    # --- 401, 404, 405 -------------------------------------------------
    a = srv.request("GET", "/api/v1/session")
    t.eq(got_err(a), err(401, "unauthorized", "this needs a token "
                         "(Authorization: Bearer TOKEN) or a session"),
         "no credentials: 401 JSON")
    t.eq(a[1].get("www-authenticate"), "Bearer",
         "... with WWW-Authenticate: Bearer")
    t.eq(a[1].get("content-type"), "application/json", "... as JSON")
    for h in (a[1],):
        t.eq((h.get("x-content-type-options"),
              h.get("content-security-policy"), h.get("cache-control")),
             ("nosniff", CSP, "no-store"), "... with the security headers")
    a = srv.request("GET", "/api/v1/session", token="hw_" + "A" * 43)
    t.eq(got_err(a), err(401, "unauthorized", "unknown token"),
         "an unknown token: 401")
    t.eq(a[1].get("www-authenticate"), 'Bearer error="invalid_token"',
         "... saying the token is invalid")
    a = srv.request("GET", "/api/v1/session",
                    headers={"Authorization": "Basic YWxpY2U6eA=="})
    t.eq(got_err(a), err(401, "unauthorized", "the Authorization header "
                         "must be 'Bearer TOKEN'"), "another scheme: 401")
    a = srv.request("GET", "/api/v1/assets-nowhere", token=alice)
    t.eq(got_err(a), err(404, "not_found", "no such path"),
         "an unknown path: 404 JSON")
    t.eq((a[1].get("x-content-type-options"),
          a[1].get("content-security-policy")), ("nosniff", CSP),
         "... with the security headers")
    a = srv.request("GET", "/nowhere")
    t.eq(got_err(a), err(404, "not_found", "no such path"),
         "a path outside the API: 404 JSON")
    a = srv.request("PUT", "/api/v1/session", token=alice)
    t.eq(got_err(a), err(405, "method_not_allowed", "PUT is not allowed "
                         "here (allowed: POST, GET, DELETE)"),
         "a known path, another method: 405 JSON")
    t.eq(a[1].get("allow"), "POST, GET, DELETE", "... with Allow")

    # --- 200 with a token, the path and query decoded -------------------
    a = srv.request("GET", "/api/v1/session", token=alice)
    t.eq(a[0], 200, "GET /session with a token: 200")
    t.eq(a[2], {"user": "alice", "roles": ["owner"], "owns": ["team-a"]},
         "... says who asks, their roles and owner values")
    t.eq((a[1].get("x-content-type-options"),
          a[1].get("content-security-policy"), a[1].get("cache-control")),
         ("nosniff", CSP, "no-store"), "... with the security headers")
    a = srv.request("GET", "/api/v1/s%65ssion", token=bob)
    t.eq((a[0], a[2].get("user")), (200, "bob"),
         "a percent-encoded path segment is decoded")
    a = srv.request("GET", "/api/v1/session?a%20b=1&x=2", token=alice)
    t.eq(got_err(a), err(400, "bad_request", "unknown query parameter "
                         "'a b' (expected none)", "a b"),
         "an unknown query parameter: 400 naming it, decoded")
    a = srv.request("GET", "/api/v1/session?a=%zz")
    t.eq(a[0], 401, "a bad query without a token: 401 first")
    a = srv.request("GET", "/api/v1/session?a=%zz", token=alice)
    t.eq(got_err(a), err(400, "bad_request", "a query parameter has a bad "
                         "percent escape"), "a bad escape in the query: 400")
    a = srv.request("GET", "/api/v1/session", token=alice,
                    query=[("p%d" % i, "1") for i in range(257)])
    t.eq(got_err(a), err(400, "bad_request", "more than 256 query "
                         "parameters"), "257 query parameters: 400")
    a = srv.request("GET", "/api/v1/sess%00ion", token=alice)
    t.eq(got_err(a), err(400, "bad_request", "a path segment has a bad "
                         "percent escape"), "a NUL byte in the path: 400")
    a = srv.request("GET", "/api/v1/sess%2Fion", token=alice)
    t.eq(got_err(a), err(400, "bad_request", "a path segment holds an "
                         "encoded '/'"), "an encoded '/' in a segment: 400")
    a = srv.request("GET", "/api/v1/" + "x" * 300, token=alice)
    t.eq(got_err(a), err(400, "bad_request", "a path segment is over 256 "
                         "bytes"), "a segment over 256 bytes: 400")
    a = srv.request("GET", "/api/v1/sess%zzion", token=alice)
    t.eq(got_err(a), err(400, "bad_request", "a path segment has a bad "
                         "percent escape"), "a bad percent escape: 400")

    # --- bodies: 400, 413, 415; nothing done ----------------------------
    a = srv.request("POST", "/api/v1/session", data='{"token": }',
                    headers={"Content-Type": "application/json"})
    t.eq(got_err(a), err(400, "bad_request", "malformed JSON at line 1 "
                         "column 11: unexpected token near '}'"),
         "malformed JSON: 400 naming line and column")
    a = srv.request("POST", "/api/v1/session",
                    data='{"token": "%s", "token": "x"}' % alice,
                    headers={"Content-Type": "application/json"})
    t.eq((a[0], a[2]["error"]["code"], "set-cookie" in a[1]),
         (400, "bad_request", False), "a duplicate key: 400, no session")
    t.ok("duplicate object key" in a[2]["error"]["message"],
         "... saying the key is a duplicate")
    a = srv.request("POST", "/api/v1/session",
                    data='{"token": "%s"}' % alice,
                    headers={"Content-Type": "text/plain"})
    t.eq(got_err(a), err(415, "unsupported_media_type", "the body must be "
                         "application/json, not 'text/plain'"),
         "a body not application/json: 415")
    t.ok("set-cookie" not in a[1], "... and no session")
    a = srv.request("POST", "/api/v1/session",
                    headers={"Content-Type": "application/json"})
    t.eq(got_err(a), err(400, "bad_request", "a JSON body is required "
                         "(application/json)"), "no body: 400")
    a = srv.request("POST", "/api/v1/session",
                    json={"token": alice, "user": "bob"})
    t.eq(got_err(a), err(422, "invalid", "unknown member 'user' (expected "
                         "token)", "user"), "an unknown member: 422")
    big = '{"token": "%s"}' % alice + " " * LIMIT
    a = srv.request("POST", "/api/v1/session", data=big,
                    headers={"Content-Type": "application/json"})
    t.eq(got_err(a), err(413, "too_large", "the body is over the limit of "
                         "%d bytes" % LIMIT),
         "a body over --body-limit (Content-Length): 413")
    t.ok("set-cookie" not in a[1], "... and no session made")

    # The same, chunked: no length told in advance.
    s = socket.create_connection(("127.0.0.1", srv.port), 30)
    s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    payload = big.encode()
    for i in range(0, len(payload), 1000):
        part = payload[i:i + 1000]
        s.sendall(b"%x\r\n%s\r\n" % (len(part), part))
    s.sendall(b"0\r\n\r\n")
    raw = read_all(s)
    head, _, body = raw.partition(b"\r\n\r\n")
    t.ok(head.startswith(b"HTTP/1.1 413 "),
         "a chunked body over the limit: 413")
    t.ok(b"hw_session" not in head, "... and no session made")

    # Bodies held at once are bounded too (four at the limit): a fifth
    # large one is refused with 503, and the room comes back.
    socks = []
    for i in range(5):
        s = socket.create_connection(("127.0.0.1", srv.port), 30)
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nConnection: close\r\n"
                  b"Content-Length: %d\r\n\r\n" % LIMIT
                  + b" " * (LIMIT - 100))
        socks.append(s)
        time.sleep(0.3)
    answers = []
    for s in reversed(socks):
        s.sendall(b" " * 100)
        answers.append(read_all(s).split(b"\r\n")[0])
    t.eq(answers, [b"HTTP/1.1 503 Service Unavailable"]
         + [b"HTTP/1.1 400 Bad Request"] * 4,
         "five bodies at the limit at once: the fifth 503, four read")
    a = srv.request("POST", "/api/v1/session",
                    data='{"token": "%s"}' % bob + " " * (LIMIT - 100),
                    headers={"Content-Type": "application/json"})
    t.eq(a[0], 201, "... and the room comes back once they are answered")
    srv.request("DELETE", "/api/v1/session",
                headers={"Cookie": "hw_session=" + cookie_of(a[1]),
                         "X-CSRF-Token": a[2]["csrf"]})

    # --- sessions --------------------------------------------------------
    a = srv.request("POST", "/api/v1/session", json={"token": alice})
    t.eq(a[0], 201, "POST /session with a good token: 201")
    sid = cookie_of(a[1])
    t.ok(sid is not None and re.fullmatch(r"[A-Za-z0-9_-]{43}", sid),
         "... sets hw_session to 32 random bytes in base64url")
    t.eq(a[1].get("set-cookie"), "hw_session=%s; HttpOnly; SameSite=Strict;"
         " Path=/; Max-Age=28800" % sid,
         "... HttpOnly, SameSite=Strict, 8 hours, not Secure without TLS")
    body = a[2]
    t.eq(sorted(body), ["csrf", "expires", "owns", "roles", "user"],
         "... answers user, roles, owns, csrf, expires")
    t.eq((body["user"], body["roles"], body["owns"]),
         ("alice", ["owner"], ["team-a"]), "... for alice")
    csrf = body["csrf"]
    t.ok(re.fullmatch(r"[A-Za-z0-9_-]{43}", csrf) and csrf != sid,
         "... a CSRF token of its own")
    t.ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["expires"]),
         "... and when it expires, in UTC")
    jar = {"Cookie": "hw_session=" + sid}
    a = srv.request("GET", "/api/v1/session", headers=jar)
    t.eq((a[0], a[2]), (200, body), "GET /session with the cookie: the same")
    a = srv.request("DELETE", "/api/v1/session", headers=jar)
    t.eq(got_err(a), err(403, "forbidden", "a write in a session needs "
                         "the session's X-CSRF-Token header"),
         "a write with the cookie and no CSRF token: 403")
    a = srv.request("DELETE", "/api/v1/session",
                    headers=dict(jar, **{"X-CSRF-Token": csrf[:-1] + "x"
                                         if csrf[-1] != "x" else
                                         csrf[:-1] + "y"}))
    t.eq(a[0], 403, "... and with a wrong CSRF token: 403")
    a = srv.request("GET", "/api/v1/session", headers=jar)
    t.eq(a[0], 200, "... the session still stands")
    a = srv.request("DELETE", "/api/v1/session", token=bob)
    t.eq(got_err(a), err(404, "not_found", "no session to end (this request "
                         "was signed in by a token)"),
         "DELETE /session with a token: 404, no session")
    a = srv.request("DELETE", "/api/v1/session",
                    headers=dict(jar, **{"X-CSRF-Token": csrf}))
    t.eq((a[0], a[2]), (204, b""), "sign-out with the CSRF token: 204")
    t.eq(a[1].get("set-cookie"), "hw_session=; HttpOnly; SameSite=Strict; "
         "Path=/; Max-Age=0", "... and the cookie cleared")
    a = srv.request("GET", "/api/v1/session", headers=jar)
    t.eq(got_err(a), err(401, "unauthorized", "the session has ended: sign "
                         "in again"), "the ended session: 401")
    a = srv.request("GET", "/api/v1/session",
                    headers={"Cookie": "hw_session=" + "B" * 43})
    t.eq(a[0], 401, "an unknown session id: 401")

    # A session ends when its user is removed or their token rotated.
    carol = srv.user("carol", "cab")
    a = srv.request("POST", "/api/v1/session", json={"token": carol})
    cjar = {"Cookie": "hw_session=" + cookie_of(a[1])}
    t.eq(srv.request("GET", "/api/v1/session", headers=cjar)[0], 200,
         "carol's session works")
    time.sleep(1.1)  # token times are in seconds
    rc, out, e = srv.cli("user", "token", "carol", actor="it-admin")
    t.eq(rc, 0, "carol's token rotated")
    a = srv.request("GET", "/api/v1/session", headers=cjar)
    t.eq(got_err(a), err(401, "unauthorized", "the session has ended: sign "
                         "in again"), "... ends her session")
    t.eq(srv.request("GET", "/api/v1/session", token=carol)[0], 401,
         "... and her old token")
    dave = srv.user("dave", "manager")
    a = srv.request("POST", "/api/v1/session", json={"token": dave})
    djar = {"Cookie": "hw_session=" + cookie_of(a[1])}
    rc, out, e = srv.cli("user", "rm", "dave", actor="it-admin")
    t.eq(rc, 0, "dave removed")
    t.eq(srv.request("GET", "/api/v1/session", headers=djar)[0], 401,
         "... his session ends with him")

    # --- openapi.json: public, served as installed ----------------------
    a = srv.request("GET", "/api/v1/openapi.json")
    doc = os.path.join(hwserve.datadir(), "openapi.json")
    if os.path.exists(doc):
        with open(doc, "rb") as f:
            want = json.load(f)
        t.eq((a[0], a[2]), (200, want), "openapi.json: public, as installed")
    else:
        t.eq(got_err(a), err(404, "not_found", "the API's description "
                             "(openapi.json) is not installed"),
             "openapi.json not installed: 404 JSON, no placeholder")
    t.eq(got_err(srv.request("GET", "/api/v1/openapi.json",
                             query={"v": "3"})),
         err(400, "bad_request", "unknown query parameter 'v' (expected "
             "none)", "v"),
         "openapi.json with a query parameter: 400, as every route")

    # --- the log -------------------------------------------------------
    log = srv.log()
    t.ok(re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ alice GET "
                   r"/api/v1/session 200 \d+ms$", log, re.M),
         "a log line: time, user, method, path, status, ms")
    t.ok(re.search(r"^\S+ - GET /api/v1/session 401 \d+ms$", log, re.M),
         "a refused request logged with user -")
    t.ok(re.search(r"^\S+ alice GET /api/v1/session 400 \d+ms$", log, re.M),
         "the path logged without its query string")
    t.ok(re.search(r"^\S+ - PUT /api/v1/session 405 \d+ms$", log, re.M),
         "a request refused before its sign-in logged with user -")
    for name, secret in (("alice's token", alice), ("bob's token", bob),
                         ("a session id", sid), ("a CSRF token", csrf),
                         ("the random part of a token", alice[3:])):
        t.ok(secret not in log, "the log never holds %s" % name)
    t.ok("Authorization" not in log and "Cookie" not in log,
         "... nor a header's name")
    t.eq(srv.stop(), 0, "SIGTERM when idle: exit 0")
    t.ok("Sanitizer" not in srv.log() and "runtime error" not in srv.log(),
         "... with no sanitizer report")
finally:
    srv.cleanup()

# --- IPv6 ---------------------------------------------------------------
def free_port6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
    except OSError:
        return None
    try:
        return s.getsockname()[1]
    finally:
        s.close()


srv = hwserve.Server(start=False)
try:
    port6 = free_port6()
    if port6 is None:
        t.skip("IPv6", "no ::1 here")
    else:
        tok = srv.user("ivy", "cab")
        with open(srv.logpath, "ab") as logf:
            srv.proc = subprocess.Popen(
                srv.command("[::1]:%d" % port6), stdout=logf, stderr=logf)
        line = "highwater: serving %s on http://[::1]:%d\n" % (
            hwdb.uri(srv.db), port6)
        for i in range(600):
            if line in srv.log() or srv.proc.poll() is not None:
                break
            time.sleep(0.05)
        t.ok(line in srv.log(), "[::1]:PORT: served on IPv6")
        conn = http.client.HTTPConnection("::1", port6, timeout=30)
        conn.request("GET", "/api/v1/session",
                     headers={"Authorization": "Bearer " + tok})
        resp = conn.getresponse()
        t.eq((resp.status, json.loads(resp.read())["user"]),
             (200, "ivy"), "... and answers there")
        conn.close()
        t.eq(srv.stop(), 0, "... and stops with exit 0")
finally:
    srv.cleanup()

# --- a session's end by time ------------------------------------------
# (the service counts whole seconds: the margins are a second or more)
srv = hwserve.Server(args=["--session-idle", "2", "--session-life", "6"])
try:
    hal = srv.user("hal", "manager")
    a = srv.request("POST", "/api/v1/session", json={"token": hal})
    t.eq(a[1].get("set-cookie"), "hw_session=%s; HttpOnly; SameSite=Strict;"
         " Path=/; Max-Age=6" % cookie_of(a[1]),
         "--session-life: the cookie's Max-Age")
    idle = {"Cookie": "hw_session=" + cookie_of(a[1])}
    a = srv.request("POST", "/api/v1/session", json={"token": hal})
    used = {"Cookie": "hw_session=" + cookie_of(a[1])}
    began = time.monotonic()
    kept = True
    while time.monotonic() - began < 3.2:  # used every half second
        time.sleep(0.5)
        kept = kept and srv.request("GET", "/api/v1/session",
                                    headers=used)[0] == 200
    t.ok(kept, "a session in use outlives --session-idle")
    a = srv.request("GET", "/api/v1/session", headers=idle)
    t.eq(got_err(a), err(401, "unauthorized", "the session has ended: sign "
                         "in again"), "a session unused past --session-idle "
         "ends")
    while time.monotonic() - began < 7.0:
        time.sleep(0.5)
        srv.request("GET", "/api/v1/session", headers=used)
    t.eq(srv.request("GET", "/api/v1/session", headers=used)[0], 401,
         "a session in use ends after --session-life")
    rc, out, e = srv.cli("serve", "--session-idle", "0")
    t.eq(rc, 2, "--session-idle 0: a usage error")
finally:
    srv.cleanup()

# --- the slow-down of failed sign-ins -------------------------------
srv = hwserve.Server()
try:
    erin = srv.user("erin", "owner", owns="team-e")
    for i in range(4):
        srv.request("GET", "/api/v1/session", token="hw_" + "C" * 43)
    a = srv.request("POST", "/api/v1/session", json={"token": "hw_nope"})
    t.eq(got_err(a), err(401, "unauthorized", "unknown token", "token"),
         "a failed session sign-in: 401 naming the token")
    a = srv.request("GET", "/api/v1/session", token="hw_" + "D" * 43)
    t.eq(a[0], 429, "the sixth failed sign-in in a minute: 429")
    t.eq(a[2]["error"]["code"], "too_many_requests", "... code")
    ra = a[1].get("retry-after", "")
    t.ok(ra.isdigit() and 1 <= int(ra) <= 60,
         "... with Retry-After in seconds (%s)" % ra)
    t.eq(a[2]["error"]["message"], "too many failed sign-ins from this "
         "address: try again in %s seconds" % ra, "... saying when")
    a = srv.request("GET", "/api/v1/session", token=erin)
    t.eq(a[0], 429, "while slowed down, even a good token waits")
    a = srv.request("POST", "/api/v1/session", json={"token": erin})
    t.eq((a[0], "set-cookie" in a[1]), (429, False),
         "... and a session sign-in too, making no session")
    a = srv.request("GET", "/api/v1/openapi.json")
    t.ok(a[0] in (200, 404), "public paths still answer")
    t.eq(srv.stop(), 0, "SIGTERM: exit 0")
finally:
    srv.cleanup()

# --- TLS with a throwaway certificate ---------------------------------
srv = hwserve.Server(tls=True)
try:
    t.ok("highwater: serving %s on https://127.0.0.1:%d\n"
         % (hwdb.uri(srv.db), srv.port)
         in srv.log(), "TLS: the startup line says https")
    fay = srv.user("fay", "owner", owns="team-f")
    a = srv.request("GET", "/api/v1/session", token=fay)
    t.eq((a[0], a[2]["user"]), (200, "fay"), "TLS: a request over HTTPS")
    a = srv.request("POST", "/api/v1/session", json={"token": fay})
    sid = cookie_of(a[1])
    t.eq(a[1].get("set-cookie"), "hw_session=%s; HttpOnly; SameSite=Strict;"
         " Path=/; Max-Age=28800; Secure" % sid,
         "TLS: the session cookie is Secure")
    s = socket.create_connection(("127.0.0.1", srv.port), 30)
    s.sendall(b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\n"
              b"Authorization: Bearer " + fay.encode() + b"\r\n\r\n")
    s.settimeout(30)
    try:
        reply = s.recv(1000)
    except OSError:
        reply = b""
    s.close()
    t.ok(not reply.startswith(b"HTTP/"), "TLS: plain HTTP gets no answer")
    rc = srv.stop()
    t.eq(rc, 0, "TLS: SIGTERM, exit 0")
finally:
    srv.cleanup()

# --- SIGTERM with a request in flight ----------------------------------
srv = hwserve.Server()
try:
    gus = srv.user("gus", "owner", owns="team-g")
    body = ('{"token": "%s"}' % gus + " " * 3000).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), 60)
    s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
    s.sendall(body[:1000])
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    t.ok(srv.proc.poll() is None,
         "SIGTERM with a request in flight: the service waits for it")
    try:
        s2 = socket.create_connection(("127.0.0.1", srv.port), 5)
        s2.close()
        refused = False
    except OSError:
        refused = True
    t.ok(refused, "... taking no new connection")
    for i in range(1000, len(body), 500):
        s.sendall(body[i:i + 500])
        time.sleep(0.1)
    raw = read_all(s)
    t.ok(raw.startswith(b"HTTP/1.1 201 "),
         "... the request in flight is answered (201)")
    t.ok(b"Set-Cookie: hw_session=" in raw, "... in full")
    srv.proc.wait(60)
    t.eq(srv.proc.returncode, 0, "... then the service exits 0")
    srv.proc = None
    t.ok(re.search(r"^\S+ gus POST /api/v1/session 201 \d+ms$", srv.log(),
                   re.M), "... and logged the request")
finally:
    srv.cleanup()

t.done()
