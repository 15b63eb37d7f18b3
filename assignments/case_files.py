"""Cases on disk: a JSON index plus one ``.npz`` of arrays (no pickle anywhere).

A value is written as a JSON tree whose arrays live in the npz under short keys::

    {"t": "array", "key": "a12"}   {"t": "dict", "items": {...}}   {"t": "tuple", "items": [...]}
    {"t": "float" | "int" | "bool" | "str", "value": ...}            {"t": "none"}

The student kit decodes the same trees (``rnngrade_local.decode``).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from grader.core.cases import Case


class ArrayStore:
    """Collects arrays under sequential keys while values are encoded."""

    def __init__(self):
        self.arrays: dict = {}

    def add(self, array: np.ndarray) -> str:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.ascontiguousarray(array)
        return key


def encode(value, store: ArrayStore) -> dict:
    if isinstance(value, np.ndarray):
        return {"t": "array", "key": store.add(value)}
    if isinstance(value, dict):
        return {"t": "dict", "items": {str(k): encode(v, store) for k, v in value.items()}}
    if isinstance(value, tuple):
        return {"t": "tuple", "items": [encode(v, store) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "items": [encode(v, store) for v in value]}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "value": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"t": "int", "value": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"t": "float", "value": float(value)}
    if isinstance(value, str):
        return {"t": "str", "value": value}
    if value is None:
        return {"t": "none"}
    raise TypeError(f"cannot store a {type(value).__name__} in a case file")


def decode(tree: dict, arrays) -> object:
    kind = tree["t"]
    if kind == "array":
        return np.array(arrays[tree["key"]], copy=True)
    if kind == "dict":
        return {k: decode(v, arrays) for k, v in tree["items"].items()}
    if kind == "tuple":
        return tuple(decode(v, arrays) for v in tree["items"])
    if kind == "list":
        return [decode(v, arrays) for v in tree["items"]]
    if kind == "none":
        return None
    return tree["value"]


def case_entry(case: Case, store: ArrayStore) -> dict:
    return {"case_id": case.case_id, "visibility": case.visibility, "label": case.label,
            "arg_names": list(case.arg_names), "rtol": case.rtol, "atol": case.atol,
            "args": encode(case.args, store), "expected": encode(case.expected, store)}


def write_cases(json_path: Path, npz_path: Path, header: dict, items: list) -> None:
    """Write ``items`` (dicts with ``id``, ``kind`` … and, for code items, ``cases``: list[Case])."""
    store = ArrayStore()
    out_items = []
    for item in items:
        entry = {k: v for k, v in item.items() if k != "cases"}
        if "cases" in item:
            entry["cases"] = [case_entry(c, store) for c in item["cases"]]
        out_items.append(entry)
    with open(npz_path, "wb") as fh:
        np.savez(fh, **store.arrays)
    text = json.dumps({**header, "arrays": Path(npz_path).name, "items": out_items}, indent=1, ensure_ascii=False)
    Path(json_path).write_text(text + "\n", encoding="utf-8")


def read_cases(json_path: Path) -> tuple[dict, dict]:
    """``(index, {item id: [Case, ...]})`` from a JSON index and the npz beside it."""
    json_path = Path(json_path)
    index = json.loads(json_path.read_text(encoding="utf-8"))
    with np.load(json_path.parent / index["arrays"], allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    cases = {}
    for item in index["items"]:
        if "cases" not in item:
            continue
        cases[item["id"]] = [
            Case(item=item["id"], case_id=c["case_id"], visibility=c["visibility"], label=c["label"],
                 args=decode(c["args"], arrays), arg_names=tuple(c["arg_names"]),
                 expected=decode(c["expected"], arrays), rtol=c["rtol"], atol=c["atol"])
            for c in item["cases"]
        ]
    return index, cases
