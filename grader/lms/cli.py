"""Command-line values of the LMS options, read strictly: a bad one is a one-line click error (exit 1)."""
from __future__ import annotations

import click
from grader.lms.intake import IntakeOptions
from grader.lms.late import NO_POLICY, LatePolicyError, parse_deadline, parse_policy


def intake_options(source, attempt, deadline, late_policy):
    """``IntakeOptions`` from ``rnngrade grade``'s options (``--from``, ``--attempt``, ``--deadline``,
    ``--late-policy``); raises click.ClickException with the parser's message."""
    try:
        when = parse_deadline(deadline) if deadline else None
        policy = parse_policy(late_policy) if late_policy else NO_POLICY
    except LatePolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    if policy.kind != "none" and when is None and source not in (None, "canvas"):
        raise click.ClickException(f"--late-policy {late_policy!r} needs --deadline (only Canvas marks late "
                                   "work in its download).")
    return IntakeOptions(source=source or "auto", attempt=attempt, deadline=when, policy=policy)
