"""Which sandbox layers a batch may grade without, and the one line that says why it may not.

A layer is **missing** where it cannot exist: not Linux, or the grader is not root (no uid drop; the
namespaces then depend on user namespaces, which the system may refuse). A layer is **failed** when
this machine has it but it could not be set up (seccomp without pyseccomp, a mount that was
refused as root): isolation would drop silently, so ``rnngrade grade`` stops unless the instructor
accepts reduced isolation explicitly (``--allow-reduced-isolation``). A layer turned off on purpose
(``SandboxPool(disable=...)``) is neither.
"""
from __future__ import annotations

import sys
from typing import Optional

ALLOW_FLAG = "--allow-reduced-isolation"
BY_CONFIG = "off: disabled by the grader's configuration"
# layer -> how to get it back when it failed
FIXES = {
    "seccomp": "install pyseccomp and libseccomp (`pip install pyseccomp`; Debian: `apt-get install "
               "libseccomp2`) in the environment that runs the grader",
    "network_namespace": "run the grader as root, or in a container that allows unshare(CLONE_NEWNET)",
    "mount_namespace": "run the grader as root, or in a container that allows unshare(CLONE_NEWNS) and mount",
    "process_list": "run the grader as root on a kernel whose procfs accepts hidepid (Linux 3.3+)",
    "uid_drop": "run the grader as root",
    "rlimits": "check that the grader may set resource limits (setrlimit)",
    "subreaper": "check that prctl(PR_SET_CHILD_SUBREAPER) is allowed",
    "fork_server": "run the sandbox worker by hand to see why it failed",
}


def _root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def classify(layers: dict, *, linux: Optional[bool] = None, root: Optional[bool] = None) -> dict:
    """{layer: ("failed" | "missing", state)} for every layer that is off, except those turned off
    on purpose."""
    linux = sys.platform.startswith("linux") if linux is None else linux
    root = _root() if root is None else root
    out = {}
    for name, state in layers.items():
        if state == "on" or state == BY_CONFIG:
            continue
        if not linux:
            kind = "missing"
        elif name == "uid_drop" or (not root and name in ("network_namespace", "mount_namespace",
                                                          "process_list")):
            kind = "missing" if not root else "failed"
        else:
            kind = "failed"
        out[name] = (kind, state)
    return out


def isolation_error(isolation: dict, **kw) -> Optional[str]:
    """One line for the instructor when a layer this machine has could not be set up; else None."""
    failed = [(name, state) for name, (kind, state) in classify(isolation.get("layers", {}), **kw).items()
              if kind == "failed"]
    if not failed:
        return None
    name, state = failed[0]
    why = state[len("off: "):] if state.startswith("off: ") else state
    more = f" (and {', '.join(n for n, _ in failed[1:])})" if len(failed) > 1 else ""
    return (f"the sandbox layer {name}{more} could not be set up: {why}. Fix: {FIXES.get(name, 'see docs/sandbox.md')}; "
            f"or pass {ALLOW_FLAG} to grade with less isolation")


def isolation_line(isolation: dict, allowed: bool = False, **kw) -> str:
    """The batch summary's account of the isolation: what is missing or failed, and whether the
    instructor accepted it."""
    summary = isolation.get("summary", "") or "n/a"
    off = classify(isolation.get("layers", {}), **kw)
    if not off:
        return summary
    missing = [n for n, (kind, _) in off.items() if kind == "missing"]
    failed = [n for n, (kind, _) in off.items() if kind == "failed"]
    parts = []
    if missing:
        parts.append(f"not available here: {', '.join(missing)}")
    if failed:
        parts.append(f"could not be set up: {', '.join(failed)}"
                     + (f" (reduced isolation accepted with {ALLOW_FLAG})" if allowed else ""))
    return f"{summary} ({'; '.join(parts)})"
