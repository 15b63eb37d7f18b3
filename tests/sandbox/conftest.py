"""Shared pools and helpers for the sandbox tests: one pool per module, hostile files as Jobs."""
from __future__ import annotations

import ast
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from grader.loading.units import CodeUnit
from grader.sandbox import Call, Job, Limits, SandboxPool

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "corpus" / "hostile"
LIMITS = Limits(memory_mb=256, max_restarts=3)


def units_of(source: str, first_line: int = 1) -> list:
    """One CodeUnit per top-level statement, labelled like a .py submission ("line 12")."""
    lines = source.splitlines(keepends=True)
    units = []
    for node in ast.parse(source).body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        text = "".join(lines[start - 1:node.end_lineno])
        units.append(CodeUnit(f"line {start + first_line - 1}", text, None, start + first_line - 1))
    return units


def hostile_units(name: str) -> list:
    return units_of((HOSTILE / name).read_text())


def job(units, *calls, load_timeout: float = 2.0) -> Job:
    return Job(units=units, calls=list(calls), load_timeout=load_timeout)


def call(call_id: str, function: str, *args, timeout: float = 1.0, names=None) -> Call:
    return Call(call_id, function, list(args), timeout, names)


def processes_of(uids) -> list:
    """(pid, uid) of every live process whose real uid is one of `uids`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                for line in fh:
                    if line.startswith("Uid:"):
                        uid = int(line.split()[1])
                        if uid in uids:
                            found.append((int(entry), uid))
                        break
        except OSError:
            continue
    return found


@pytest.fixture(scope="session")
def secret_dir():
    """A world-readable folder outside /tmp and the project: only hide_paths keeps it from students."""
    path = Path(tempfile.mkdtemp(prefix="rnngrade-secret-", dir="/var/tmp"))
    path.chmod(0o755)
    (path / "secret.txt").write_text("the answer key")
    (path / "secret.txt").chmod(0o644)
    yield path
    shutil.rmtree(path)


@pytest.fixture(scope="session")
def pool(secret_dir):
    with SandboxPool(workers=2, limits=LIMITS, hide_paths=[ROOT, secret_dir]) as p:
        yield p


@pytest.fixture(scope="session")
def pool_without_seccomp(secret_dir):
    """Seccomp off on purpose, to show the layers under it (uid, rlimits, netns, subreaper) hold."""
    with SandboxPool(workers=1, limits=LIMITS, hide_paths=[ROOT, secret_dir], disable=["seccomp"]) as p:
        yield p


@pytest.fixture(autouse=True)
def nothing_survives(request):
    """After every test: no process of any sandbox uid is left."""
    yield
    for name in ("pool", "pool_without_seccomp"):
        if name in request.fixturenames:
            p = request.getfixturevalue(name)
            assert processes_of(set(p.uids)) == []
