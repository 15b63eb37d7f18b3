"""Serving the app: waitress, a production WSGI server in pure Python.

Why waitress: it has no C dependency, runs on every platform the course uses, serves requests on a
thread pool (several TAs at once), and ``run()`` ends on Ctrl-C by shutting its task queue down, so
the command returns without a traceback; werkzeug's own server is meant for development only.
"""
from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from grader.core.errors import UserError

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_BODY_BYTES = 1 << 20  # the largest form of the app (a long comment) is far smaller


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _address_error(host: str, port: int, exc: OSError) -> UserError:
    return UserError(f"cannot serve on {host} port {port}: {exc.strerror or exc}; choose another --port "
                     f"(0 takes any free one) or --host.")


def _check_address(host: str, port: int) -> None:
    """Bind where waitress will, and let go: a taken port or an address of another machine is a
    UserError before waitress starts its threads (which a failed bind would leave running)."""
    from waitress.adjustments import Adjustments

    try:
        listen = Adjustments(host=host, port=port).listen
    except ValueError as exc:  # a host name that does not resolve
        raise UserError(f"cannot serve on {host}: {exc} Give an address or a name of this machine as --host.") from exc
    for family, socktype, proto, sockaddr in listen:
        try:
            with socket.socket(family, socktype, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress does
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(sockaddr)
        except OSError as exc:
            raise _address_error(host, port, exc) from exc


def serve(out: Path, *, host: str = "127.0.0.1", port: int = 8000, allow_remote: bool = False,
          threads: int = 8) -> None:
    # imported here: the web framework (Flask, waitress) loads only when a review server starts
    from waitress import create_server

    from grader.review.app import create_app
    from grader.review.security import new_token

    out = Path(out)
    if not (out / "gradebook.sqlite").exists():
        raise UserError(f"{out / 'gradebook.sqlite'} not found: run `rnngrade grade SUBMISSIONS --out {out}` first.")
    if not is_loopback(host) and not allow_remote:
        raise UserError(f"--host {host} is not this machine only: anyone who reaches it and has the token can "
                        f"grade. Add --allow-remote if that is what you want.")
    _check_address(host, port)
    token = new_token()
    app = create_app(out, token, host)
    try:
        # any site can make the TA's browser POST here; waitress would buffer up to 1 GB of it on disk
        # before the app sees the request (and refuses it): the app's forms are a few kB
        server = create_server(app, host=host, port=port, threads=threads, ident="rnngrade-review",
                               max_request_body_size=MAX_BODY_BYTES)
    except OSError as exc:  # taken between the check and now
        raise _address_error(host, port, exc) from exc
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
