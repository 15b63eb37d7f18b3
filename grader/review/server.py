"""Serving the app: waitress, a production WSGI server in pure Python.

Why waitress: it has no C dependency, runs on every platform the course uses, serves requests on a
thread pool (several TAs at once), and ``run()`` ends on Ctrl-C by shutting its task queue down, so
the command returns without a traceback; werkzeug's own server is meant for development only.
"""
from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from grader.errors import UserError

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_BODY_BYTES = 1 << 20  # the largest form of the app (a long comment) is far smaller


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(out: Path, *, host: str = "127.0.0.1", port: int = 8000, allow_remote: bool = False,
          threads: int = 8) -> None:
    from waitress import create_server

    from grader.review.app import create_app
    from grader.review.security import new_token

    out = Path(out)
    if not (out / "gradebook.sqlite").exists():
        raise UserError(f"{out / 'gradebook.sqlite'} not found: run `rnngrade grade SUBMISSIONS --out {out}` first.")
    if not is_loopback(host) and not allow_remote:
        raise UserError(f"--host {host} is not this machine only: anyone who reaches it and has the token can "
                        f"grade. Add --allow-remote if that is what you want.")
    token = new_token()
    app = create_app(out, token, host)
    # any site can make the TA's browser POST here; waitress would buffer up to 1 GB of it on disk
    # before the app sees the request (and refuses it): the app's forms are a few kB
    server = create_server(app, host=host, port=port, threads=threads, ident="rnngrade-review",
                           max_request_body_size=MAX_BODY_BYTES)
    shown = f"[{host}]" if ":" in host else host
    try:  # from the first line printed on, Ctrl-C ends the command normally
        if not is_loopback(host):
            click.echo(f"Warning: serving on {host}, reachable from other machines; the traffic is not encrypted "
                       f"(use an SSH tunnel or a VPN).", err=True)
        click.echo(f"Serving the review of {out} (Ctrl-C stops it). Open:")
        click.echo(f"    http://{shown}:{server.effective_port}/?token={token}")
        server.run()  # waitress returns from run() on Ctrl-C after shutting its task queue down
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    click.echo("Stopped.")
