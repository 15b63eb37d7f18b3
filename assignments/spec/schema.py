"""Structural checks of a spec's TOML data: every error with its location, nothing imported.

``structural_errors(data)`` walks the parsed TOML and returns a :class:`SpecError` per problem, e.g.
``items[3] (lstm_backward).points: must be a positive number, got -1``. ``normalise_returns`` turns
an item's ``returns`` into the checker's output spec (docs/spec-format.md).
"""
from __future__ import annotations

import difflib
from typing import Any

from assignments.spec import caches as spec_caches
from assignments.spec.errors import SpecError, is_name as _is_name, unknown_keys


ASSIGNMENT_KEYS = ("name", "title", "default_lang", "languages", "seed", "support_modules", "inert_modules")
DEFAULTS_KEYS = ("rtol", "atol", "call_timeout", "load_timeout")
TOP_KEYS = ("assignment", "defaults", "items", "layouts")
COMMON_KEYS = ("id", "kind", "exercise", "points", "title")
KIND_KEYS = {
    "code": ("params", "returns", "reference", "generator", "shapes", "public", "hidden", "rtol", "atol",
             "timeout", "consistency", "produced", "credit"),
    "symbolic": ("symbols", "abbreviations", "reference", "domain"),
    "free": ("rubric",),
}
REQUIRED = {
    "code": ("params", "returns", "reference", "generator", "shapes"),
    "symbolic": ("symbols", "reference"),
    "free": ("rubric",),
}
ID_PREFIX = {"symbolic": "answer_", "free": "free_"}
SHAPE_INT_KEYS = ("n_x", "n_h", "n_y", "m", "T")
SHAPE_KEYS = SHAPE_INT_KEYS + ("scale", "label")
FUNCTION_NAMES = ("exp", "log", "sqrt", "tanh", "sigmoid", "sinh", "cosh")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def item_location(index: int, item: Any) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    return f"items[{index}] ({ident})" if isinstance(ident, str) else f"items[{index}]"


# ---------------------------------------------------------------------------------------------
# returns -> output spec
# ---------------------------------------------------------------------------------------------

def normalise_returns(returns: Any, where: str = "returns") -> dict:
    """The checker's output spec for ``returns``; a ValueError (message without location) if malformed.

    ``"h"`` -> one array; ``["h", "c"]`` -> a tuple; ``{ dict = [...] }`` -> a dict of arrays
    (``dict = "same_keys"``: the expected dict's keys); inside a list, ``{ name, kind = "scalar" }``
    and ``{ name, dict = ... }`` name a scalar or a dict element.
    """
    if isinstance(returns, str):
        if not _is_name(returns):
            raise ValueError(f"an output name must be a Python name, got {returns!r}")
        return {"kind": "array", "name": returns}
    if isinstance(returns, list):
        if not returns:
            raise ValueError("an empty list; give at least one output")
        items = [_normalise_element(e) for e in returns]
        names = [i["name"] for i in items]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"output names repeat: {', '.join(dup)}")
        return {"kind": "tuple", "name": "return value", "items": items}
    if isinstance(returns, dict):
        extra = set(returns) - {"dict"}
        if "dict" not in returns or extra:
            raise ValueError('a table must be { dict = ["key", ...] } or { dict = "same_keys" }')
        return {"kind": "dict", "name": "return value", "keys": _dict_keys(returns["dict"])}
    raise ValueError(f"must be a name, a list of outputs or {{ dict = [...] }}, got {returns!r}")


def _dict_keys(keys: Any):
    if keys == "same_keys":
        return None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError('dict must be a non-empty list of key names or "same_keys"')
    if len(set(keys)) != len(keys):
        raise ValueError("dict keys repeat")
    return {k: {"kind": "array", "name": k} for k in keys}


def _normalise_element(element: Any) -> dict:
    if isinstance(element, str):
        return normalise_returns(element)
    if isinstance(element, dict):
        name = element.get("name")
        if not _is_name(name):
            raise ValueError(f"each table in returns needs name = \"...\" (a Python name), got {element!r}")
        extra = set(element) - {"name", "kind", "dict", "cache"}
        if extra:
            raise ValueError(f"unknown keys {sorted(extra)} in {element!r}; allowed: name, kind, dict, cache")
        if "cache" in element:
            if not _is_name(element["cache"]) or set(element) - {"name", "cache"}:
                raise ValueError(f'a cache output is {{ name = "...", cache = "<layout>" }}, got {element!r}')
            return {"kind": "cache", "name": name, "layout": element["cache"]}
        if "dict" in element:
            return {"kind": "dict", "name": name, "keys": _dict_keys(element["dict"])}
        kind = element.get("kind", "array")
        if kind not in ("array", "scalar"):
            raise ValueError(f'kind must be "array" or "scalar", got {kind!r}')
        return {"kind": kind, "name": name}
    raise ValueError(f"each output must be a name or a table, got {element!r}")


# ---------------------------------------------------------------------------------------------
# structure
# ---------------------------------------------------------------------------------------------

def structural_errors(data: dict) -> list[SpecError]:
    """Every structural error of a parsed spec (types, ranges, unknown keys, duplicates)."""
    errors: list[SpecError] = []
    errors += unknown_keys(data, TOP_KEYS, "spec")
    assignment = data.get("assignment")
    languages: list = []
    if not isinstance(assignment, dict):
        errors.append(SpecError("assignment", "missing [assignment] table with name, title, languages, seed"))
    else:
        errors += unknown_keys(assignment, ASSIGNMENT_KEYS, "assignment")
        errors += _assignment_errors(assignment)
        errors += spec_caches.module_list_errors(assignment)
        if isinstance(assignment.get("languages"), list):
            languages = [x for x in assignment["languages"] if isinstance(x, str)]
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        errors.append(SpecError("defaults", "must be a table"))
    else:
        errors += unknown_keys(defaults, DEFAULTS_KEYS, "defaults")
        for key in DEFAULTS_KEYS:
            if key in defaults and (not _is_number(defaults[key]) or defaults[key] < 0):
                errors.append(SpecError(f"defaults.{key}", f"must be a non-negative number, got {defaults[key]!r}"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        errors.append(SpecError("items", "no [[items]]; an assignment needs at least one item"))
        return errors
    code_ids = {it.get("id") for it in items if isinstance(it, dict) and it.get("kind") == "code"}
    first_seen: dict = {}
    for index, item in enumerate(items):
        loc = item_location(index, item)
        if not isinstance(item, dict):
            errors.append(SpecError(loc, "must be a table ([[items]])"))
            continue
        ident = item.get("id")
        if isinstance(ident, str):
            if ident in first_seen:
                errors.append(SpecError(f"{loc}.id", f"duplicate id {ident!r} (first used by items[{first_seen[ident]}])"))
            else:
                first_seen[ident] = index
        errors += item_errors(item, loc, languages, code_ids)

    errors += spec_caches.layout_errors(data.get("layouts"))
    errors += spec_caches.item_cache_errors(items, data.get("layouts"), [item_location(i, it) for i, it in enumerate(items)])
    return errors


def _assignment_errors(a: dict) -> list[SpecError]:
    errors = []
    if not isinstance(a.get("name"), str) or not a.get("name"):
        errors.append(SpecError("assignment.name", f"must be a non-empty string, got {a.get('name')!r}"))
    langs = a.get("languages")
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and x for x in langs):
        errors.append(SpecError("assignment.languages", f'must be a non-empty list of language codes like ["zh", "en"], got {langs!r}'))
        langs = []
    default = a.get("default_lang", langs[0] if langs else None)
    if langs and default not in langs:
        errors.append(SpecError("assignment.default_lang", f"must be one of {langs}, got {default!r}"))
    if not _is_int(a.get("seed")) or a.get("seed") < 0:
        errors.append(SpecError("assignment.seed", f"must be a non-negative integer, got {a.get('seed')!r}"))
    errors += _lang_table(a.get("title"), "assignment.title", langs, required=True)
    return errors


def _lang_table(value: Any, loc: str, languages: list, required: bool) -> list[SpecError]:
    if value is None:
        return [SpecError(loc, f"missing; give one text per language: {', '.join(languages)}")] if required else []
    if not isinstance(value, dict):
        return [SpecError(loc, f"must be a table of texts per language, e.g. {{ zh = \"…\", en = \"…\" }}, got {value!r}")]
    errors = [SpecError(f"{loc}.{k}", "must be a string") for k, v in value.items() if not isinstance(v, str)]
    errors += [SpecError(loc, f"missing the {lang!r} text") for lang in languages if lang not in value]
    return errors


def item_errors(item: dict, loc: str, languages: list, code_ids: set) -> list[SpecError]:
    """Structural errors of one item (already known to be a table)."""
    errors = []
    kind = item.get("kind")
    if kind not in KIND_KEYS:
        errors.append(SpecError(f"{loc}.kind", f'must be "code", "symbolic" or "free", got {kind!r}'))
        return errors
    errors += unknown_keys(item, COMMON_KEYS + KIND_KEYS[kind], loc)
    ident = item.get("id")
    if not isinstance(ident, str) or not ident:
        errors.append(SpecError(f"{loc}.id", f"missing or not a string: {ident!r}"))
    elif not _is_name(ident):
        what = "a function name" if kind == "code" else "a Python variable name"
        errors.append(SpecError(f"{loc}.id", f"{ident!r} is not a valid Python identifier (it is {what} in the notebook)"))
    elif kind in ID_PREFIX and not ident.startswith(ID_PREFIX[kind]):
        errors.append(SpecError(f"{loc}.id", f"{kind} item ids start with {ID_PREFIX[kind]!r}, got {ident!r}"))
    points = item.get("points")
    if not _is_number(points) or points <= 0:
        errors.append(SpecError(f"{loc}.points", f"must be a positive number, got {points!r}"))
    if "exercise" in item and not isinstance(item["exercise"], str):
        errors.append(SpecError(f"{loc}.exercise", f'must be a string like "6-4", got {item["exercise"]!r}'))
    errors += _lang_table(item.get("title"), f"{loc}.title", languages, required=False)
    for key in REQUIRED[kind]:
        if key not in item:
            errors.append(SpecError(f"{loc}.{key}", f"missing (required for {kind} items)"))
    if "reference" in item and (not isinstance(item["reference"], str) or item["reference"].count(":") != 1):
        errors.append(SpecError(f"{loc}.reference", f"must be 'module:function', got {item['reference']!r}"))
    if kind == "code":
        errors += _code_errors(item, loc, code_ids)
    elif kind == "symbolic":
        errors += _symbolic_errors(item, loc)
    else:
        errors += _lang_table(item.get("rubric"), f"{loc}.rubric", languages, required=True) if "rubric" in item else []
    return errors


def _code_errors(item: dict, loc: str, code_ids: set) -> list[SpecError]:
    errors = []
    params = item.get("params")
    if params is not None:
        if not isinstance(params, list) or not params or not all(_is_name(p) for p in params):
            errors.append(SpecError(f"{loc}.params", f"must be a non-empty list of Python names, got {params!r}"))
        elif len(set(params)) != len(params):
            errors.append(SpecError(f"{loc}.params", "parameter names repeat"))
    if "returns" in item:
        try:
            normalise_returns(item["returns"])
        except ValueError as exc:
            errors.append(SpecError(f"{loc}.returns", str(exc)))
    if "generator" in item and (not isinstance(item["generator"], str) or not item["generator"]):
        errors.append(SpecError(f"{loc}.generator", f"must be a built-in generator name or 'module:function', got {item['generator']!r}"))
    shapes = item.get("shapes")
    if shapes is not None:
        if not isinstance(shapes, list) or not shapes:
            errors.append(SpecError(f"{loc}.shapes", "must be a non-empty list of tables like { n_x = 3, n_h = 5, m = 10 }"))
        else:
            for k, shape in enumerate(shapes):
                errors += _shape_errors(shape, f"{loc}.shapes[{k}]")
    for key in ("public", "hidden"):
        if key in item and (not _is_int(item[key]) or item[key] < 0):
            errors.append(SpecError(f"{loc}.{key}", f"must be a non-negative integer, got {item[key]!r}"))
    if _is_int(item.get("public", 0)) and _is_int(item.get("hidden", 0)) and item.get("public", 0) + item.get("hidden", 0) == 0:
        errors.append(SpecError(loc, "public + hidden is 0: the item would have no cases"))
    for key in ("rtol", "atol"):
        if key in item and (not _is_number(item[key]) or item[key] < 0):
            errors.append(SpecError(f"{loc}.{key}", f"must be a non-negative number, got {item[key]!r}"))
    if "timeout" in item and (not _is_number(item["timeout"]) or item["timeout"] <= 0):
        errors.append(SpecError(f"{loc}.timeout", f"must be a positive number of seconds, got {item['timeout']!r}"))
    if "consistency" in item:
        errors += _consistency_errors(item["consistency"], f"{loc}.consistency", item.get("id"), code_ids)
    return errors


def _shape_errors(shape: Any, loc: str) -> list[SpecError]:
    if not isinstance(shape, dict):
        return [SpecError(loc, f"must be a table like {{ n_x = 3, n_h = 5, m = 10 }}, got {shape!r}")]
    errors = []
    for key, value in shape.items():
        if key in SHAPE_INT_KEYS:
            if not _is_int(value) or value < 1:
                errors.append(SpecError(f"{loc}.{key}", f"must be a positive integer, got {value!r}"))
        elif key == "scale":
            if not _is_number(value) or value <= 0:
                errors.append(SpecError(f"{loc}.scale", f"must be a positive number, got {value!r}"))
        elif key == "label":
            if not isinstance(value, str):
                errors.append(SpecError(f"{loc}.label", f"must be a string, got {value!r}"))
        elif not _is_number(value):
            # Custom generators may read extra keys; they must be numbers.
            errors.append(SpecError(f"{loc}.{key}", f"extra shape keys must be numbers, got {value!r}"))
    return errors


def _consistency_errors(value: Any, loc: str, ident: Any, code_ids: set) -> list[SpecError]:
    if not isinstance(value, dict):
        return [SpecError(loc, f'must be {{ forward = "...", credit = 0.5 }}, got {value!r}')]
    errors = unknown_keys(value, ("forward", "credit"), loc)
    forward = value.get("forward")
    if forward not in code_ids:
        close = difflib.get_close_matches(str(forward), sorted(i for i in code_ids if isinstance(i, str)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        errors.append(SpecError(f"{loc}.forward", f"{forward!r} is not a code item of this spec{hint}"))
    elif forward == ident:
        errors.append(SpecError(f"{loc}.forward", "an item cannot be consistent with itself"))
    credit = value.get("credit")
    if not _is_number(credit) or not 0 <= credit <= 1:
        errors.append(SpecError(f"{loc}.credit", f"must be a number in [0, 1], got {credit!r}"))
    return errors


def _symbolic_errors(item: dict, loc: str) -> list[SpecError]:
    errors = []
    symbols = item.get("symbols")
    names: list = []
    if symbols is not None:
        if not isinstance(symbols, list) or not symbols or not all(_is_name(s) for s in symbols):
            errors.append(SpecError(f"{loc}.symbols", f"must be a non-empty list of Python names, got {symbols!r}"))
        else:
            names = list(symbols)
            clash = [s for s in symbols if s in FUNCTION_NAMES]
            if clash:
                errors.append(SpecError(f"{loc}.symbols", f"{', '.join(clash)} are function names; rename the symbols"))
            if len(set(symbols)) != len(symbols):
                errors.append(SpecError(f"{loc}.symbols", "symbols repeat"))
    abbreviations = item.get("abbreviations", {})
    if not isinstance(abbreviations, dict):
        errors.append(SpecError(f"{loc}.abbreviations", f'must be a table like {{ c = "f*c_prev + i*g" }}, got {abbreviations!r}'))
    else:
        for name, text in abbreviations.items():
            if not _is_name(name) or name in FUNCTION_NAMES:
                errors.append(SpecError(f"{loc}.abbreviations.{name}", "the name must be a Python name that is not a function"))
            elif name in names:
                errors.append(SpecError(f"{loc}.abbreviations.{name}", "is also a symbol; an abbreviation needs a new name"))
            if not isinstance(text, str):
                errors.append(SpecError(f"{loc}.abbreviations.{name}", f"must be an expression string, got {text!r}"))
    domain = item.get("domain", {})
    if not isinstance(domain, dict):
        errors.append(SpecError(f"{loc}.domain", f"must be a table like {{ f = [0.05, 0.95] }}, got {domain!r}"))
    else:
        for name, bounds in domain.items():
            if names and name not in names:
                errors.append(SpecError(f"{loc}.domain.{name}", f"is not one of the symbols ({', '.join(names)})"))
            if (not isinstance(bounds, list) or len(bounds) != 2 or not all(_is_number(b) for b in bounds)
                    or not bounds[0] < bounds[1]):
                errors.append(SpecError(f"{loc}.domain.{name}", f"must be [low, high] with low < high, got {bounds!r}"))
    return errors
