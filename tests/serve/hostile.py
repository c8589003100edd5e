#!/usr/bin/python3
"""hostile.py: the service's core against a hostile client: bytes that
are not UTF-8 (or are cut in the middle of a character) in what an
error answer repeats, control characters in the request line and the
log, a body trickled in to hold a SIGTERM back, a session outliving a
token rotated in the same second, one user's sign-ins pushing out
everybody's sessions, and one address holding every connection."""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hwserve  # noqa: E402

t = hwserve.Tap()


err = hwserve.err
got_err = hwserve.got_err


def raw_request(srv, data, source=None, timeout=30):
    """Send the bytes data on a new connection (from the address
    source, if given): (status, parsed JSON body or None)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source is not None:
        s.bind((source, 0))
    s.connect(("127.0.0.1", srv.port))
    s.sendall(data)
    try:
        raw = hwserve.read_all(s)
    except OSError:
        s.close()
        raw = b""
    head, _, body = raw.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", head)
    status = int(m.group(1)) if m else None
    try:
        parsed = json.loads(body.decode("utf-8"))
    except ValueError:
        parsed = None
    return status, parsed


def get(path, token=None, method=b"GET", extra=b""):
    """A request's bytes (path: bytes, as sent)."""
    auth = b""
    if token is not None:
        auth = b"Authorization: Bearer " + token.encode() + b"\r\n"
    return (method + b" " + path + b" HTTP/1.1\r\nHost: x\r\n"
            b"Connection: close\r\n" + auth + extra + b"\r\n")


@contextlib.contextmanager
def serving(**kw):
    """A hwserve.Server(**kw), cleaned up at the block's end."""
    srv = hwserve.Server(**kw)
    try:
        yield srv
    finally:
        srv.cleanup()


def stopped(srv):
    """SIGTERM: exit 0, and no sanitizer report (a sanitizer build)."""
    t.eq(srv.stop(), 0, "SIGTERM: exit 0")
    log = srv.log()
    t.ok("Sanitizer" not in log and "runtime error" not in log,
         "... and no sanitizer report")


def cookie_of(headers):
    m = re.match(r"hw_session=([^;]*)", headers.get("set-cookie", ""))
    return m.group(1) if m else None


# --- what is not UTF-8 ---------------------------------------------------
with serving() as srv:
    amy = srv.user("amy", "owner", owns="team-a")
    name = "a" * 63 + "\u00e9"
    a = raw_request(srv, get(b"/api/v1/session?" + b"a" * 63 + b"%C3%A9=1",
                             amy))
    t.eq(a, err(400, "bad_request", "unknown query parameter '" + "a" * 63 +
                "?' (expected none)", name),
         "a name cut inside a character by the message's bound: 400, "
         "the cut byte shown as '?'")
    a = raw_request(srv, get(b"/api/v1/session?%FF=1", amy))
    t.eq(a, err(400, "bad_request",
                "a query parameter is not valid UTF-8"),
         "a query parameter that is not UTF-8: 400")
    a = raw_request(srv, get(b"/api/v1/session?x=%ED%A0%80", amy))
    t.eq(a, err(400, "bad_request",
                "a query parameter is not valid UTF-8"),
         "... nor a surrogate's bytes in a value")
    a = raw_request(srv, get(b"/api/v1/session?\xc3=1", amy))
    t.eq(a, err(400, "bad_request",
                "a query parameter is not valid UTF-8"),
         "... nor a raw byte that is not UTF-8")
    a = raw_request(srv, get(b"/api/v1/%C0%AFsession"))
    t.eq(a, err(400, "bad_request", "a path segment is not valid UTF-8"),
         "an overlong '/' (%C0%AF) in a path segment: 400")
    a = raw_request(srv, get(b"/api/v1/\xff"))
    t.eq(a, err(400, "bad_request", "a path segment is not valid UTF-8"),
         "a raw byte 0xFF in a path segment: 400")
    a = raw_request(srv, get(b"/api/v1/session", method=b"POST",
                             extra=b"Content-Type: \xff\xfe\r\n"
                             b"Content-Length: 2\r\n") + b"{}")
    t.eq(a, err(415, "unsupported_media_type",
                "the body must be application/json, not '??'"),
         "a content type that is not UTF-8: 415, its bytes shown as '?'")
    a = raw_request(srv, get(b"/api/v1/session",
                             method=b"PUTPUTPUTPUTPUT\xc3\x9c"))
    t.eq(a, err(405, "method_not_allowed", "PUTPUTPUTPUTPUT? is not allowed "
                "here (allowed: POST, GET, DELETE)"),
         "a method cut inside a character: 405, the cut byte as '?'")

    # --- the sign-in's body: small, whatever --body-limit says ----------
    def sign_in(body, chunked=False):
        head = (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                b"Connection: close\r\nContent-Type: application/json\r\n")
        if chunked:
            return raw_request(srv, head + b"Transfer-Encoding: chunked"
                               b"\r\n\r\n" + b"%x\r\n" % len(body) +
                               body + b"\r\n0\r\n\r\n")
        return raw_request(srv, head + b"Content-Length: %d\r\n\r\n"
                           % len(body) + body)
    tok = ('{"token": "%s"}' % amy).encode()
    a = sign_in(tok + b" " * (65536 - len(tok)))
    t.eq(a[0], 201, "a sign-in of 65536 bytes: 201")
    big = tok + b" " * (65537 - len(tok))
    want = err(413, "too_large", "the body is over the limit of 65536 bytes")
    t.eq(sign_in(big), want, "a sign-in declaring 65537 bytes: 413, though "
         "--body-limit is 64 MiB (one who has not signed in cannot fill "
         "the bodies' room)")
    t.eq(sign_in(big, chunked=True), want, "... and chunked: 413")

    # --- a request's framing said twice ---------------------------------
    a = raw_request(srv, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                    b"Connection: close\r\nContent-Type: application/json"
                    b"\r\nContent-Length: 2\r\ncontent-length: 40\r\n\r\n"
                    b"{}")
    t.eq(a, err(400, "bad_request", "more than one Content-Length header"),
         "two Content-Length headers: 400 (no body read by either)")

    # --- the log stays one plain line a request ------------------------
    a = raw_request(srv, get(b"/api/v1/session", method=b"G\x1bE\x07T"))
    t.eq(a[0], 405, "a method with control characters: 405")
    log = srv.log()
    t.ok("\x1b" not in log and "\x07" not in log,
         "... and the log holds none of them")
    t.ok(re.search(r"^\S+ - G%1BE%07T /api/v1/session 405 \d+ms$", log,
                   re.M), "... escaped as %XX like the path")
    stopped(srv)

# --- sessions: a rotation in the same second; one user's many ----------
with serving() as srv:
    bea = srv.user("bea", "owner", owns="team-b")
    cat = srv.user("cat", "cab")
    def session_of(token):
        return cookie_of(srv.request("POST", "/api/v1/session",
                                     json={"token": token})[1])

    def ended(sid, desc):
        a = srv.request("GET", "/api/v1/session",
                        headers={"Cookie": "hw_session=" + sid})
        t.eq(got_err(a), err(401, "unauthorized",
                             "the session has ended: sign in again"), desc)

    sid = session_of(bea)
    rc, out, e = srv.cli("user", "token", "bea", actor="it-admin")
    t.eq(rc, 0, "user token bea: exit 0")
    ended(sid, "a session ends when its user's token is rotated, even "
          "within the second it began")
    sid = session_of(hwserve.TOKEN_RE.search(out).group(0))
    srv.cli("user", "rm", "bea", actor="it-admin")
    bea = srv.user("bea", "admin")
    ended(sid, "a session of a user removed and added again (in the same "
          "second) ends: the new user is not the old one")

    cat_sid = session_of(cat)
    sids = [session_of(bea) for i in range(40)]
    t.ok(all(sids) and len(set(sids)) == 40,
         "40 sessions of one user: each made, each its own")

    def session_status(s):
        return srv.request("GET", "/api/v1/session",
                           headers={"Cookie": "hw_session=" + s})[0]
    t.eq(session_status(cat_sid), 200,
         "another user's session outlives them")
    t.eq(session_status(sids[-1]), 200, "the user's newest session holds")
    t.eq(session_status(sids[0]), 401,
         "past 32 sessions of one user, their least used one ends")
    stopped(srv)

# --- one address cannot hold every connection ---------------------------
with serving() as srv:
    dan = srv.user("dan", "manager")
    held = []
    try:
        for i in range(260):
            s = socket.create_connection(("127.0.0.1", srv.port), 5)
            held.append(s)
        time.sleep(0.5)
        a = raw_request(srv, get(b"/api/v1/session", dan),
                        source="127.0.0.2")
        t.eq(a[0], 200, "260 idle connections from 127.0.0.1: a request "
             "from 127.0.0.2 is still answered")
    finally:
        for s in held:
            s.close()
    time.sleep(0.5)
    a = raw_request(srv, get(b"/api/v1/session", dan))
    t.eq(a[0], 200, "... and from 127.0.0.1 once they are closed")
    stopped(srv)

# --- TLS: 1.2 and 1.3 only ---------------------------------------------
def handshake(srv, version):
    """The protocol openssl s_client agrees on with the service when it
    offers only version ("-tls1_1", ...), at its laxest security level:
    "TLSv1.1", ..., or None when there is no agreement."""
    p = subprocess.run(
        ["openssl", "s_client", version, "-cipher", "DEFAULT@SECLEVEL=0",
         "-connect", "127.0.0.1:%d" % srv.port],
        input=b"", capture_output=True, timeout=60)
    new = re.search(rb"^New, (\S+), Cipher is (\S+)", p.stdout, re.M)
    if new is None or new.group(2) == b"(NONE)":
        return None
    # TLS 1.3 prints no Protocol line; before it, the New line names
    # the cipher's version, not the one agreed
    m = re.search(rb"^\s*Protocol\s*:\s*(\S+)", p.stdout, re.M)
    return (m or new).group(1).decode()


with serving(tls=True) as srv:
    t.eq(handshake(srv, "-tls1"), None, "TLS 1.0 is refused")
    t.eq(handshake(srv, "-tls1_1"), None, "TLS 1.1 is refused")
    t.eq(handshake(srv, "-tls1_2"), "TLSv1.2", "TLS 1.2 is served")
    t.eq(handshake(srv, "-tls1_3"), "TLSv1.3", "TLS 1.3 is served")
    t.ok("warning" not in srv.log(), "a key only its owner reads: no "
         "warning")
    stopped(srv)

with serving(tls=True, start=False) as srv:
    os.chmod(srv.key, 0o644)
    srv.start()
    t.ok("highwater: serve: warning: the key file '%s' can be read by "
         "other users (chmod 600 it)\n" % srv.key in srv.log(),
         "a key file anybody may read: a warning in the log")
    stopped(srv)

# --- a request answered while stopping closes its connection ------------
with serving() as srv:
    eve = srv.user("eve", "manager")
    body = ('{"token": "%s"}' % eve).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), 60)
    s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    s.sendall(body[5:])
    raw = hwserve.read_all(s)
    head = raw.partition(b"\r\n\r\n")[0].split(b"\r\n")
    t.eq((head[0], b"Connection: close" in head),
         (b"HTTP/1.1 201 Created", True),
         "a keep-alive request answered after SIGTERM: its answer says "
         "Connection: close")
    srv.proc.wait(60)
    t.eq(srv.proc.returncode, 0, "... and the service exits 0")
    srv.proc = None

# --- a body trickled in cannot hold a SIGTERM back ----------------------
with serving() as srv:
    s = socket.create_connection(("127.0.0.1", srv.port), 60)
    s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n{")
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    began = time.monotonic()
    while srv.proc.poll() is None and time.monotonic() - began < 40:
        try:
            s.sendall(b" ")
        except OSError:
            pass
        time.sleep(0.5)
    took = time.monotonic() - began
    t.ok(srv.proc.poll() is not None and took < 30,
         "a body trickled a byte a half second: the service stops "
         "within its 10 seconds' grace all the same (%.1fs)" % took)
    s.close()
    if srv.proc.poll() is None:
        srv.proc.kill()
    srv.proc.wait(60)
    t.eq(srv.proc.returncode, 0, "... with exit 0")
    srv.proc = None
    t.ok(re.search(r"^highwater: serve: stopping with 1 request\(s\) "
                   r"unfinished after 10 seconds$", srv.log(), re.M),
         "... saying so in the log")
    t.ok("Sanitizer" not in srv.log() and "runtime error" not in srv.log(),
         "... and no sanitizer report")

t.done()
