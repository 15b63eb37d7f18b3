"""Cache-style items in a spec: layouts, produced arguments, credit, support and inert modules.

A forward may return a **cache** (``returns = [..., { name = "cache", cache = "<layout>" }]``), a
value the matching backward receives. ``[layouts.<name>]`` documents what a cache holds: a tuple
whose entries are named, in order; an entry may be ``{ name = "caches", list_of = "<layout>" }``,
a list of caches of another layout (one per time step). A backward declares the argument it gets
from its forward with ``produced = { cache = { by = "<item>", output = "cache" } }`` and splits its
points per case between the verdict on the answer key's cache and the verdict on the student's own
chain with ``credit = { reference_cache = 0.8, own_cache = 0.2 }``.

``[assignment] support_modules`` are ``.py`` files beside spec.toml that submissions import (shipped
to students, importable in the sandbox); ``inert_modules`` are module names whose import succeeds
with a stand-in that does nothing (a course's test helpers, ``google.colab``).

Structural checks only (nothing imported, no file read); ``validate_spec`` adds the file checks.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from assignments.spec.errors import SpecError, is_name, unknown_keys

LAYOUT_KEYS = ("kind", "entries")
PRODUCED_KEYS = ("by", "output")
CREDIT_KEYS = ("reference_cache", "own_cache")
_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _hint(name: Any, known) -> str:
    close = difflib.get_close_matches(str(name), sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


# ---------------------------------------------------------------------------------------------
# layouts
# ---------------------------------------------------------------------------------------------

def normalise_layouts(raw: Any) -> dict:
    """``{name: {"kind": "tuple", "entries": [{"name": n} | {"name": n, "list_of": L}]}}`` of a
    structurally valid ``[layouts]`` table (``{}`` when absent)."""
    out = {}
    for name, table in (raw or {}).items():
        entries = [{"name": e} if isinstance(e, str) else {"name": e["name"], "list_of": e["list_of"]}
                   for e in table["entries"]]
        out[name] = {"kind": "tuple", "entries": entries}
    return out


def layout_errors(raw: Any) -> list[SpecError]:
    """Errors of the ``[layouts]`` table: kinds, entry names, unknown or self-containing layouts."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [SpecError("layouts", f"must be tables [layouts.<name>], got {raw!r}")]
    errors = []
    for name, table in raw.items():
        loc = f"layouts.{name}"
        if not is_name(name):
            errors.append(SpecError(loc, "a layout's name must be a Python name"))
        if not isinstance(table, dict):
            errors.append(SpecError(loc, f'must be a table with kind = "tuple" and entries = [...], got {table!r}'))
            continue
        errors += unknown_keys(table, LAYOUT_KEYS, loc)
        if table.get("kind", "tuple") != "tuple":
            errors.append(SpecError(f"{loc}.kind", f'must be "tuple", got {table.get("kind")!r}'))
        entries = table.get("entries")
        if not isinstance(entries, list) or not entries:
            errors.append(SpecError(f"{loc}.entries", 'must be a non-empty list of entry names or '
                                                      '{ name = "...", list_of = "<layout>" }'))
            continue
        names = []
        for k, entry in enumerate(entries):
            eloc = f"{loc}.entries[{k}]"
            if isinstance(entry, str):
                if not is_name(entry):
                    errors.append(SpecError(eloc, f"an entry name must be a Python name, got {entry!r}"))
                names.append(entry)
            elif isinstance(entry, dict):
                errors += unknown_keys(entry, ("name", "list_of"), eloc)
                if not is_name(entry.get("name")):
                    errors.append(SpecError(f"{eloc}.name", f"must be a Python name, got {entry.get('name')!r}"))
                names.append(entry.get("name"))
                target = entry.get("list_of")
                if target not in raw:
                    errors.append(SpecError(f"{eloc}.list_of", f"unknown layout {target!r}{_hint(target, raw)}"))
            else:
                errors.append(SpecError(eloc, f"must be a name or {{ name, list_of }}, got {entry!r}"))
        dup = sorted({n for n in names if isinstance(n, str) and names.count(n) > 1})
        if dup:
            errors.append(SpecError(f"{loc}.entries", f"entry names repeat: {', '.join(dup)}"))
    if not errors:
        errors += _layout_cycles(raw)
    return errors


def _layout_cycles(raw: dict) -> list[SpecError]:
    def children(name):
        return [e["list_of"] for e in raw[name]["entries"] if isinstance(e, dict)]

    errors = []
    for start in raw:
        path = _cycle_from(start, children)
        if path:
            errors.append(SpecError(f"layouts.{start}", f"a layout cannot contain itself: {' -> '.join(path)}"))
    return errors


def _cycle_from(start, children) -> list:
    """The first path from ``start`` back to ``start`` (depth-first), or []."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for nxt in children(node):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return []


# ---------------------------------------------------------------------------------------------
# items: cache outputs, produced arguments, credit
# ---------------------------------------------------------------------------------------------

def cache_outputs(returns: Any) -> dict:
    """``{output name: layout}`` of the outputs a ``returns`` list declares as caches."""
    if not isinstance(returns, list):
        return {}
    return {e["name"]: e["cache"] for e in returns
            if isinstance(e, dict) and "cache" in e and isinstance(e.get("name"), str)}


def item_cache_errors(items: list, layouts: Any, locations: list) -> list[SpecError]:
    """Errors of cache outputs, ``produced`` and ``credit`` over every item, and producer cycles."""
    layouts = layouts if isinstance(layouts, dict) else {}
    by_id = {it.get("id"): it for it in items if isinstance(it, dict) and it.get("kind") == "code"}
    errors = []
    for item, loc in zip(items, locations):
        if not isinstance(item, dict) or item.get("kind") != "code":
            continue
        for output, layout in cache_outputs(item.get("returns")).items():
            if layout not in layouts:
                errors.append(SpecError(f"{loc}.returns", f"unknown layout {layout!r} for output {output!r}"
                                                          f"{_hint(layout, layouts)}"))
        errors += _produced_errors(item, loc, by_id)
        errors += _credit_errors(item, loc)
    errors += _producer_cycles(items, locations, by_id)
    return errors


def _produced_errors(item: dict, loc: str, by_id: dict) -> list[SpecError]:
    if "produced" not in item:
        return []
    produced = item["produced"]
    if not isinstance(produced, dict) or not produced:
        return [SpecError(f"{loc}.produced", 'must be a table like { cache = { by = "<item>", output = "cache" } }, '
                                             f"got {produced!r}")]
    params = item.get("params") if isinstance(item.get("params"), list) else []
    errors = []
    for arg, source in produced.items():
        aloc = f"{loc}.produced.{arg}"
        if params and arg not in params:
            errors.append(SpecError(aloc, f"{arg!r} is not a parameter of {item.get('id')} "
                                          f"(params: {', '.join(map(str, params))})"))
        if not isinstance(source, dict):
            errors.append(SpecError(aloc, f'must be {{ by = "<item>", output = "<name>" }}, got {source!r}'))
            continue
        errors += unknown_keys(source, PRODUCED_KEYS, aloc)
        by, output = source.get("by"), source.get("output")
        if by not in by_id:
            errors.append(SpecError(f"{aloc}.by", f"{by!r} is not a code item of this spec{_hint(by, [i for i in by_id if isinstance(i, str)])}"))
            continue
        if by == item.get("id"):
            errors.append(SpecError(f"{aloc}.by", "an item cannot produce its own argument"))
            continue
        caches = cache_outputs(by_id[by].get("returns"))
        if output not in caches:
            have = ", ".join(caches) or "none"
            errors.append(SpecError(f"{aloc}.output", f"{output!r} is not a cache output of {by} (its cache "
                                                      f"outputs: {have}); declare it in its returns as "
                                                      f'{{ name = "{output}", cache = "<layout>" }}'))
    if "credit" not in item:
        errors.append(SpecError(f"{loc}.credit", "missing; an item with produced arguments needs "
                                                 "credit = { reference_cache = 0.8, own_cache = 0.2 }"))
    return errors


def _credit_errors(item: dict, loc: str) -> list[SpecError]:
    if "credit" not in item:
        return []
    credit = item["credit"]
    if "produced" not in item:
        return [SpecError(f"{loc}.credit", "only an item with produced arguments splits its credit")]
    if not isinstance(credit, dict):
        return [SpecError(f"{loc}.credit", f"must be {{ reference_cache = 0.8, own_cache = 0.2 }}, got {credit!r}")]
    errors = unknown_keys(credit, CREDIT_KEYS, f"{loc}.credit")
    values = []
    for key in CREDIT_KEYS:
        v = credit.get(key)
        if not _is_number(v) or not 0 <= v <= 1:
            errors.append(SpecError(f"{loc}.credit.{key}", f"must be a number in [0, 1], got {v!r}"))
        else:
            values.append(v)
    if len(values) == 2 and abs(sum(values) - 1.0) > 1e-9:
        errors.append(SpecError(f"{loc}.credit", f"reference_cache + own_cache must be 1, got {sum(values):g}"))
    return errors


def _producer_cycles(items: list, locations: list, by_id: dict) -> list[SpecError]:
    def children(ident):
        produced = by_id.get(ident, {}).get("produced")
        if not isinstance(produced, dict):
            return []
        return [s.get("by") for s in produced.values() if isinstance(s, dict) and s.get("by") in by_id]

    errors = []
    for item, loc in zip(items, locations):
        if isinstance(item, dict) and item.get("kind") == "code" and "produced" in item:
            path = _cycle_from(item.get("id"), children)
            if path:
                errors.append(SpecError(f"{loc}.produced", f"produced arguments form a cycle: {' -> '.join(path)}"))
    return errors


# ---------------------------------------------------------------------------------------------
# [assignment] support_modules, inert_modules
# ---------------------------------------------------------------------------------------------

def module_list_errors(assignment: dict) -> list[SpecError]:
    errors = []
    support = assignment.get("support_modules", [])
    if not isinstance(support, list):
        errors.append(SpecError("assignment.support_modules", f'must be a list like ["helpers.py"], got {support!r}'))
    else:
        for k, name in enumerate(support):
            if not (isinstance(name, str) and name.endswith(".py") and "/" not in name and "\\" not in name
                    and is_name(name[:-3])):
                errors.append(SpecError(f"assignment.support_modules[{k}]",
                                        f"must be a .py file name beside spec.toml (a Python name + .py), got {name!r}"))
    inert = assignment.get("inert_modules", [])
    if not isinstance(inert, list):
        errors.append(SpecError("assignment.inert_modules", f'must be a list like ["public_tests"], got {inert!r}'))
    else:
        for k, name in enumerate(inert):
            if not (isinstance(name, str) and _MODULE_NAME.match(name)):
                errors.append(SpecError(f"assignment.inert_modules[{k}]",
                                        f'must be a dotted module name like "google.colab", got {name!r}'))
    if isinstance(support, list) and isinstance(inert, list):
        both = sorted({s[:-3] for s in support if isinstance(s, str)} & {i for i in inert if isinstance(i, str)})
        if both:
            errors.append(SpecError("assignment.inert_modules", f"{', '.join(both)} is also a support module"))
    return errors
