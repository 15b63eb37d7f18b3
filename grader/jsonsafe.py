"""JSON that any reader accepts: no NaN/Infinity tokens, no numpy scalars."""
from __future__ import annotations

import json
import math
from json.encoder import encode_basestring as _encode_str
from typing import Any

import numpy as np

_PLAIN = (str, int, bool, type(None))


def _float(x: float):
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def json_safe(obj: Any) -> Any:
    """A copy of ``obj`` made of plain JSON types; non-finite floats become "nan"/"inf"/"-inf"."""
    t = type(obj)
    if t in _PLAIN:
        return obj
    if t is float:
        return _float(obj)
    if t is list or t is tuple:
        # Previews are long lists of floats: one finite sum clears them all at once.
        if obj and all(type(v) is float for v in obj) and math.isfinite(sum(obj)):
            return list(obj)
        return [json_safe(v) for v in obj]
    if t is dict:
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    if isinstance(obj, np.generic):
        return json_safe(obj.item())
    if isinstance(obj, float):
        return _float(float(obj))
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    return obj


_LEAVES = frozenset((str, int, float, bool, type(None)))
_STR = frozenset((str,))


def _is_plain(obj: Any) -> bool:
    """True when ``obj`` is made only of dicts with ``str`` keys, lists, tuples and leaves of the
    exact types str/int/float/bool/None, and no container holds itself: then ``json.dumps(obj)``
    writes what ``json.dumps(json_safe(obj))`` writes, except for non-finite floats, which make it
    raise.

    The types of a container's members are checked by C loops (``issuperset(map(type, ...))``), so
    a result of thousands of fields is checked with few Python steps per container.
    """
    if type(obj) in _LEAVES:
        return True
    stack = [obj]
    pop, push = stack.pop, stack.append
    leaves_only = _LEAVES.issuperset
    str_keys = _STR.issuperset
    budget = _MAX_CONTAINERS  # a container that holds itself is left to json_safe (RecursionError)
    while stack:
        budget -= 1
        if budget < 0:
            return False
        o = pop()
        t = type(o)
        if t is dict:
            if not str_keys(map(type, o)):
                return False
            members = o.values()
        elif t is list or t is tuple:
            members = o
        else:
            return False
        if leaves_only(map(type, members)):
            continue
        for m in members:
            tm = type(m)
            if tm is dict:
                push(m)
            elif tm is list or tm is tuple:
                if not leaves_only(map(type, m)):  # shapes and indices: checked here, not stacked
                    push(m)
            elif tm not in _LEAVES:
                return False
    return True


_MAX_CONTAINERS = 1_000_000


def dumps(obj: Any, **kw) -> str:
    """``obj`` as JSON text, after ``json_safe`` (plain data is written as it is: same text)."""
    if _is_plain(obj):
        # The check above visited every container and came back: none holds itself.
        try:
            if kw.keys() <= {"indent", "sort_keys"} and kw.get("indent") is not None:
                return _indented(obj, kw["indent"], bool(kw.get("sort_keys")))
            return json.dumps(obj, ensure_ascii=False, allow_nan=False, **{"check_circular": False, **kw})
        except ValueError:
            pass  # a non-finite float the check let through: json_safe spells it out
    return json.dumps(json_safe(obj), ensure_ascii=False, allow_nan=False, **kw)


def _indented(obj: Any, indent, sort_keys: bool) -> str:
    """``json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False, allow_nan=False)``
    of plain data (see ``_is_plain``), character for character, without the generators of the
    standard library's pure-Python encoder (the one it uses whenever ``indent`` is set)."""
    unit = indent if isinstance(indent, str) else " " * indent
    out: list[str] = []
    emit = out.append

    def value(o, level: int) -> None:
        t = type(o)
        if t is str:
            emit(_encode_str(o))
        elif t is dict:
            if not o:
                emit("{}")
                return
            inner = "\n" + unit * (level + 1)
            sep = "{" + inner
            for k, v in (sorted(o.items()) if sort_keys else o.items()):
                emit(sep)
                emit(_encode_str(k))
                emit(": ")
                value(v, level + 1)
                sep = "," + inner
            emit("\n" + unit * level + "}")
        elif t is list or t is tuple:
            if not o:
                emit("[]")
                return
            inner = "\n" + unit * (level + 1)
            sep = "[" + inner
            for v in o:
                emit(sep)
                value(v, level + 1)
                sep = "," + inner
            emit("\n" + unit * level + "]")
        elif o is None:
            emit("null")
        elif o is True:
            emit("true")
        elif o is False:
            emit("false")
        elif t is int:
            emit(int.__repr__(o))
        elif math.isfinite(o):
            emit(float.__repr__(o))
        else:
            raise ValueError("Out of range float values are not JSON compliant: " + repr(o))

    value(obj, 0)
    return "".join(out)
