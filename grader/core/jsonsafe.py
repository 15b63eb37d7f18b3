"""JSON that any reader accepts (no NaN/Infinity tokens, no numpy values), written by orjson.

``dumps`` is the one writer of the grader's JSON: grade.json and results.json (``indent=2``, the
former with sorted keys) and the gradebook's stored rows (one line). Non-finite floats are spelled
"nan"/"inf"/"-inf" (orjson alone would write ``null``, which a reader could not tell from a missing
value), numpy values become Python ones (``json_safe``, as before: a float32 is written as the
float64 it equals), dict keys that are not strings become ``str(key)``. orjson's own numpy option
(``OPT_SERIALIZE_NUMPY``) is not used: it writes NaN in an array as ``null`` and a float32 by its
shortest float32 spelling (``0.1`` for the float64 0.10000000149011612), other values than before.

What orjson writes differently from ``json.dumps`` (the values read back are the same floats):
- one-line JSON has no spaces after ``,`` and ``:`` (the gradebook's rows, which only the grader reads;
  rows written before read the same);
- floats below 1e-4 in magnitude are spelled ``0.00001`` or ``1e-6`` where Python writes ``1e-05``
  and ``1e-06`` (orjson 3.13 spells large ones as Python does, ``1e+16``; 3.8 wrote ``1e16``).
Indented JSON is otherwise character for character ``json.dumps(..., indent=2, ensure_ascii=False)``:
non-ASCII kept, the same escapes, no trailing newline (callers add it). Integers beyond 64 bits and
strings with lone surrogates, which orjson refuses, are written by the standard library instead.
The fixed class's goldens and ``rnngrade report``'s byte-for-byte re-rendering are unchanged
(``tests/grader/test_fixed_class_goldens.py``).

Measured by ``python benchmarks/bench_json.py`` on the real payloads of a buggy submission of the
fixed class (microseconds per call, best of 5 x 200; orjson 3.13.0, Python 3.11, a loaded 2-core
machine). "Before" is the hand-written indented encoder this module had until orjson replaced it
(its ``dumps`` timed on the same trees in the same run):

    payload         bytes    before   orjson   json.dumps(json_safe(...))
    grade.json       6914        96        8       157
    results.json    59719       219   55..80       263
    gradebook row  137314      1923      513      3078

In those payloads 0 of grade.json's 42 floats, 0 of results.json's 41 and 83 of the gradebook
row's 1813 (errors like 1.5e-07; 81 to 83, the row holds timings) are spelled differently from ``json.dumps``.
"""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import orjson

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


_NOT_NATIVE = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME  # as json.dumps: TypeError


def dumps(obj: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """``obj`` as JSON text: one line, or indented by two spaces (``indent=2``, the only width the
    grader writes), keys sorted if asked; what orjson writes of ``json_safe(obj)``.

    Plain data (str keys, finite floats) is written as it is, without the copy: orjson refuses
    numpy values and keys that are not strings, and writes a non-finite float as ``null``, so a text
    with no ``null``, or one that reads back equal to ``obj`` (``None`` never equals a float; a tuple
    never equals the list it reads back as), is the text of ``json_safe(obj)``. On a gradebook row
    (which holds ``null``s) reading back and comparing took 374 us, ``json_safe`` 1400 to 2100 us
    (``benchmarks/bench_json.py``).
    """
    if indent not in (None, 2):
        raise ValueError(f"indent must be None or 2, not {indent!r}")
    option = (orjson.OPT_INDENT_2 if indent else 0) | (orjson.OPT_SORT_KEYS if sort_keys else 0) | _NOT_NATIVE
    try:
        text = orjson.dumps(obj, option=option)
        if b"null" not in text or orjson.loads(text) == obj:
            return text.decode()
    except orjson.JSONEncodeError:
        pass  # numpy values, keys that are not strings, ...: json_safe makes them plain
    tree = json_safe(obj)
    try:
        return orjson.dumps(tree, option=option).decode()
    except orjson.JSONEncodeError:
        # An integer beyond 64 bits, a lone surrogate, nesting deeper than orjson's 254 levels: the
        # standard library writes those (and raises TypeError for what no JSON holds, as orjson does).
        return json.dumps(tree, ensure_ascii=False, allow_nan=False, indent=indent, sort_keys=sort_keys,
                          separators=(",", ": ") if indent else (",", ":"))


# orjson reads an integer beyond 64 bits as a float, where json keeps it exact: a text with a run
# of 19 digits or more that is not a fraction's (in a number or a string) is read by json. Runs
# after a point are common (``"seconds": 0.0009090010007639648``) and read alike by both. Found
# with a byte map (digits -> "0", "." kept, anything else -> " ") and one substring search: a
# regular expression retries every position of every digit run, longer than the parse it saves.
_DIGIT_MAP = bytes(0x30 if 0x30 <= b <= 0x39 else b if b == 0x2E else 0x20 for b in range(256))
_LONG_INTEGER = b" " + b"0" * 19


def _long_integer_in(text: str) -> bool:
    return _LONG_INTEGER in (" " + text).encode("utf-8", "surrogatepass").translate(_DIGIT_MAP)


def loads(text: str) -> Any:
    """``json.loads(text)`` of a text the grader wrote (a gradebook row, its stored form), parsed by
    orjson in a third of the time where it reads what json reads: anything orjson refuses (``NaN``
    in a row an older grader wrote, a lone surrogate) or might read otherwise (a long run of digits
    that may be an integer) is read by json. Nesting is not checked: the grader's results nest a
    few levels, far below both parsers' limits."""
    if not _long_integer_in(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)
