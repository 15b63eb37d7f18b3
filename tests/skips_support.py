"""What a machine may lack for some tests, and the one place that decides between skipping and failing.

Two kinds of test need more than rnngrade's runtime dependencies:

- an **optional oracle**: PyTorch (autograd, the independent gradients), Playwright with Chromium
  (the HTML reports in a real browser);
- a **sandbox layer** (``grader/sandbox/confine.py``): seccomp needs libseccomp and pyseccomp, the uid
  drop and the hidden process list need root, the namespaces need root or user namespaces.

On a developer's machine a missing one skips the tests that need it, with the reason and the fix;
collection never stops. In CI (``CI=true``, which GitHub Actions and GitLab set, and ``.ci/run``
too) a missing one is an error instead: CI is where every layer and oracle must be, so that those
tests run somewhere.

The layers are probed once per session, by starting one sandbox worker and reading the layers it
reports (``SandboxPool.isolation``), only when the first test that needs one is set up.
"""
from __future__ import annotations

import functools
import importlib
import os

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip the current module or test because ``reason``; in CI, fail instead."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: CI must have it, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def oracle(module: str, why: str):
    """Import an optional oracle (a module of the ``test`` extra), or skip the module that needs it.

    ``why`` says what the oracle is for, e.g. "PyTorch autograd is the independent gradient"."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        unavailable(f"{why}; {module} is not importable ({exc}): pip install -e '.[test]'")


def sandbox_layer_names() -> tuple:
    from grader.sandbox.session import LAYER_ORDER

    return LAYER_ORDER


@functools.cache
def machine_layers() -> dict:
    """{layer: "on" | "off: why"} as a sandbox worker on this machine reports them (once per session)."""
    from grader.sandbox.pool import SandboxError, SandboxPool

    try:
        with SandboxPool(workers=1) as pool:
            return dict(pool.isolation["layers"])
    except SandboxError as exc:
        return {name: f"off: no sandbox worker started ({exc})" for name in sandbox_layer_names()}


def missing_layers_reason(names) -> str | None:
    """None when every layer in ``names`` is on here; else one line: which are off, why, how to fix.

    No names means the layers ``rnngrade grade`` demands here: none of those this machine should have
    failed (``grader.sandbox.policy.isolation_error``), else grading stops without
    ``--allow-reduced-isolation``. Tests that grade a batch need that, whatever they check."""
    from grader.sandbox.policy import FIXES, isolation_error

    if not names:
        error = isolation_error({"layers": machine_layers()})
        return None if error is None else f"grading stops on this machine: {error}"
    unknown = sorted(set(names) - set(sandbox_layer_names()))
    if unknown:
        raise ValueError(f"needs_layer: unknown sandbox layer(s) {unknown}; "
                         f"the layers are {', '.join(sandbox_layer_names())}")
    layers = machine_layers()
    off = [name for name in dict.fromkeys(names) if layers.get(name) != "on"]
    if not off:
        return None
    why = "; ".join(f"{name} is {layers.get(name, 'off: unknown')}" for name in off)
    fixes = "; ".join(dict.fromkeys(FIXES.get(name, "see docs/sandbox.md") for name in off))
    return f"needs the sandbox layer(s) {', '.join(off)}, not available on this machine ({why}). Fix: {fixes}"


def require_layers(names) -> None:
    """Skip (in CI: fail) the current test unless every layer in ``names`` is on here."""
    reason = missing_layers_reason(names)
    if reason is not None:
        unavailable(reason)
