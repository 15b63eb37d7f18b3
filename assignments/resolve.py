"""Resolve ``module:function`` references of a spec: a module file beside the spec first, then an
installed module.

A module beside the spec (``<folder>/name.py`` or a package ``<folder>/name/``) is imported under a
name unique to that folder, so two assignments with a ``refs.py`` each do not shadow each other and
nothing is added to ``sys.path``.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any, Callable


class UnresolvedReference(LookupError):
    """A ``module:function`` reference that cannot be imported (the message says why and where)."""


def split_reference(ref: str) -> tuple[str, str]:
    """``"pkg.mod:func"`` -> ``("pkg.mod", "func")``; a ValueError names the expected form."""
    if not isinstance(ref, str) or ref.count(":") != 1:
        raise ValueError(f"{ref!r} is not of the form 'module:function'")
    module, func = ref.split(":")
    parts = module.split(".")
    if not all(p.isidentifier() for p in parts) or not func.isidentifier():
        raise ValueError(f"{ref!r} is not of the form 'module:function' (both parts Python names)")
    return module, func


def _local_root(folder: Path, top: str) -> Path | None:
    file = folder / f"{top}.py"
    if file.is_file():
        return file
    package = folder / top / "__init__.py"
    if package.is_file():
        return package
    return None


def _unique_name(folder: Path, top: str) -> str:
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    return f"_rnngrade_spec_{digest}_{top}"


def _import_local(folder: Path, module: str):
    top, _, rest = module.partition(".")
    root = _local_root(folder, top)
    if root is None:
        return None
    name = _unique_name(folder, top)
    if name not in sys.modules:
        locations = [str(root.parent)] if root.name == "__init__.py" else None
        spec = importlib.util.spec_from_file_location(name, root, submodule_search_locations=locations)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        try:
            spec.loader.exec_module(mod)
        except BaseException:
            del sys.modules[name]
            raise
    return importlib.import_module(f"{name}.{rest}") if rest else sys.modules[name]


def resolve_reference(ref: str, folder: Path) -> Callable[..., Any]:
    """Return the callable named by ``ref``; raise :class:`UnresolvedReference` with a clear message."""
    try:
        module_name, func_name = split_reference(ref)
    except ValueError as exc:
        raise UnresolvedReference(str(exc)) from None
    try:
        module = _import_local(folder, module_name)
        where = f"{folder / module_name.split('.')[0]}.py (beside the spec)"
        if module is None:
            module = importlib.import_module(module_name)
            where = f"installed module {module_name}"
    except ModuleNotFoundError as exc:
        raise UnresolvedReference(
            f"cannot import {module_name!r} for {ref!r}: no {module_name.split('.')[0]}.py beside the "
            f"spec and no installed module ({exc})"
        ) from None
    except Exception as exc:  # an error inside the instructor's module: show it
        raise UnresolvedReference(f"importing {module_name!r} for {ref!r} failed: {type(exc).__name__}: {exc}") from None
    func = getattr(module, func_name, None)
    if func is None:
        raise UnresolvedReference(f"{where} has no function {func_name!r} (reference {ref!r})")
    if not callable(func):
        raise UnresolvedReference(f"{ref!r} is not callable")
    return func
