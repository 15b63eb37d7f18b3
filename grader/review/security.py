"""Who may use the app and what its pages may do.

- Every request must name the app by an address it was started on (the ``Host`` header): bound to
  this machine, only ``127.0.0.1``, ``localhost`` and ``[::1]``. A page of another site whose name was
  re-pointed at 127.0.0.1 (DNS rebinding) sends its own name and gets 400, before the token is read.
- Every request needs the access token printed at start (``?token=``), or the session cookie that
  the first request with it sets (HttpOnly, SameSite=Strict, a name of its own per server start);
  anything else gets 403.
- Every POST carries the session's CSRF token (a hidden form field).
- Every response has a Content-Security-Policy: scripts only from the app's own static files, no
  inline script or style, images only from the app, nothing framed, forms only to the app. A
  student's ``<script>`` is escaped text anyway; the policy is the second wall.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from flask import abort, redirect, request, session

APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# the student reports the app shows: self-contained pages with their own inline CSS and data: images
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
              "base-uri 'none'; frame-ancestors 'none'")


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str) -> list[str] | None:
    """The names (without brackets or port) a request may give in ``Host`` for a server bound to
    ``host``; None for a wildcard address (0.0.0.0, ::), which the machine's every name reaches (the
    start warns about it)."""
    if host in ("", "0.0.0.0", "::"):
        return None
    return list(dict.fromkeys([host.strip("[]").lower(), *LOOPBACK_NAMES]))


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8000`` -> ``::1``,
    ``Localhost:80`` -> ``localhost``. Parsed here, not by the web framework, whose rules for
    bracketed IPv6 names have changed between releases."""
    header = (header or "").strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def new_token() -> str:
    return secrets.token_urlsafe(24)


def install(app, token: str, host: str = "127.0.0.1") -> None:
    app.secret_key = secrets.token_bytes(32)  # sessions end with the server
    # cookies are per host, not per port: each server has its own cookie name, or a second review
    # open in the same browser (another assignment) would replace the first's session
    app.config.update(SESSION_COOKIE_NAME=f"rnngrade_review_{secrets.token_hex(4)}", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict")

    hosts = allowed_hosts(host)

    @app.before_request
    def require_token():
        if hosts is not None and host_name(request.headers.get("Host", "")) not in hosts:
            abort(400)
        given = request.args.get("token")
        if given is not None and hmac.compare_digest(given.encode(), token.encode()):
            session.clear()
            session["auth"] = True
            session["csrf"] = secrets.token_urlsafe(24)
            session["grader"] = "TA-" + secrets.token_hex(2)
            rest = {k: v for k, v in request.args.items() if k != "token"}
            # the token leaves the address bar (and the browser history) at once
            # "/" + the path without its leading slashes: "//evil.example/?token=..." stays on this server
            return redirect("/" + request.path.lstrip("/") + (f"?{urlencode(rest)}" if rest else ""))
        if not session.get("auth"):
            abort(403)
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not hmac.compare_digest(sent.encode(), session.get("csrf", "").encode()):
                abort(400)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", APP_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response
