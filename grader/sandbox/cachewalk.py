"""Read a cache by its documented layout: the arrays of each named entry, per step, and the facts
about their memory. Used in the sandbox's child (on a student's cache, which never leaves the child
as an object) and in the grader (on the answer key's cache), so that both are read the same way.

A layout is a plain tree (``grader.core.cases.resolve_layout``)::

    {"name": "lstm_caches", "entries": [{"name": "caches", "list_of": {<layout>}}, {"name": "x"}]}

``extract(value, layout, others)`` returns a plain value that the wire can carry::

    {"follows": bool, "why": str, "leaves": [leaf, ...]}
    leaf = {"entry": "c_prev", "steps": [2], "kind": "array" | "dict" | "none" | "other",
            "value": ndarray (a copy) | {key: ndarray} | None, "type": "list", "shares": ["output c", ...]}

``follows`` is False when the value is not shaped like the layout (not a tuple/list, another number
of entries, a list where a list of caches belongs is not one): then ``leaves`` is empty and ``why``
says what was found. ``None`` where a cache belongs (the whole cache, or one step's) is a template
placeholder, not another layout: one ``none`` leaf named after the list entry (``""`` for the whole). ``shares`` names, for an array leaf, the other places of the same call that
share its memory: another step's entry of another name (``"step 3 c_next"``) or one of the
function's returned arrays (``"output c"``); the grader uses them only to explain an entry whose
values are wrong (a view that a later write overwrote).

Loaded by path inside the sandbox (like wire.py): standard library and NumPy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

MAX_LEAVES = 5000  # a cache of more parts is not a cache a course documents
MAX_SHARES = 4  # names kept per leaf


class _NotFollowing(Exception):
    """Why a value does not follow the layout, as a message (key and fields) the grader renders."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.msg = {"key": key, "fields": fields}


def _type_name(value: Any) -> str:
    return type(value).__name__


def _walk(value: Any, layout: dict, steps: list, leaves: list) -> None:
    entries = layout["entries"]
    if type(value) not in (tuple, list):
        raise _NotFollowing("cache.not_tuple", type=_type_name(value), n=len(entries),
                            names=", ".join(e["name"] for e in entries))
    if len(value) != len(entries):
        raise _NotFollowing("cache.wrong_length", type=_type_name(value), k=len(value), n=len(entries),
                            names=", ".join(e["name"] for e in entries))
    for entry, part in zip(entries, value):
        if "list_of" in entry:
            if type(part) not in (tuple, list):
                raise _NotFollowing("cache.entry_not_list", entry=entry["name"], type=_type_name(part))
            for t, element in enumerate(part):
                if element is None:  # a template placeholder where a step's cache belongs
                    leaves.append(_leaf(entry["name"], steps + [t], None))
                else:
                    _walk(element, entry["list_of"], steps + [t], leaves)
            continue
        if len(leaves) >= MAX_LEAVES:
            raise _NotFollowing("cache.too_many", n=MAX_LEAVES)
        leaves.append(_leaf(entry["name"], steps, part))


def _leaf(name: str, steps: list, part: Any) -> dict:
    leaf = {"entry": name, "steps": list(steps), "kind": "other", "value": None, "type": _type_name(part),
            "shares": []}
    if part is None:
        leaf["kind"] = "none"
    elif type(part) is np.ndarray:
        leaf["kind"], leaf["value"] = "array", part
    elif type(part) is dict and all(type(k) is str and type(v) is np.ndarray for k, v in part.items()):
        leaf["kind"], leaf["value"] = "dict", part
    elif isinstance(part, (int, float)) and not isinstance(part, bool):
        leaf["kind"], leaf["value"] = "array", np.asarray(float(part))
    return leaf


def _place(leaf: dict) -> dict:
    """Where a leaf is, as a message: "step 2 c_prev", or the entry's name."""
    if leaf["steps"]:
        return {"key": "cache.share_step", "fields": {"step": leaf["steps"][-1], "entry": leaf["entry"]}}
    return {"key": "cache.share_entry", "fields": {"entry": leaf["entry"]}}


def _shares(leaves: list, others: dict) -> None:
    """Fill ``shares``: exact memory overlap with another step's entry of another name, or with
    one of the returned arrays. ``may_share_memory`` (bounds only) filters the pairs first."""
    arrays = [lf for lf in leaves if lf["kind"] == "array" and lf["value"].size]
    for i, lf in enumerate(arrays):
        a = lf["value"]
        for name, other in others.items():
            if len(lf["shares"]) < MAX_SHARES and np.may_share_memory(a, other) and np.shares_memory(a, other):
                lf["shares"].append({"key": "cache.share_output", "fields": {"name": name}})
        for other in arrays[i + 1:]:
            if other["entry"] == lf["entry"] or other["steps"] == lf["steps"]:
                continue
            b = other["value"]
            if np.may_share_memory(a, b) and np.shares_memory(a, b):
                if len(lf["shares"]) < MAX_SHARES:
                    lf["shares"].append(_place(other))
                if len(other["shares"]) < MAX_SHARES:
                    other["shares"].append(_place(lf))


def extract(value: Any, layout: dict, others: dict | None = None) -> dict:
    """The layout's arrays of ``value`` (copies, taken now) and their memory facts; see the module."""
    leaves: list = []
    if value is None:  # the whole cache is a template placeholder
        return {"follows": True, "why": "", "leaves": [_leaf("", [], None)]}
    try:
        _walk(value, layout, [], leaves)
    except _NotFollowing as exc:
        return {"follows": False, "why": exc.msg, "leaves": []}
    _shares(leaves, {k: v for k, v in (others or {}).items() if type(v) is np.ndarray})
    for lf in leaves:  # copies: what the caller does next (a backward writing into it) must not show
        if lf["kind"] == "array":
            lf["value"] = np.array(lf["value"], copy=True)
        elif lf["kind"] == "dict":
            lf["value"] = {k: np.array(v, copy=True) for k, v in lf["value"].items()}
    return {"follows": True, "why": "", "leaves": leaves}
