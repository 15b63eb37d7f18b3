"""A digest of a value's exact bytes, dtypes and structure: the key under which verdicts are remembered.

The sandbox computes it for every value a call returned (``grader.sandbox.jobs``), the verdict memo
(``grader.checking.checkcache``) and the mistake probes key on it, so it lives below all three.
"""
from __future__ import annotations

import hashlib
from typing import Any, Optional

import numpy as np


def value_digest(value: Any) -> Optional[bytes]:
    """A digest of ``value`` that differs whenever a staged check could differ, else None.

    The structure (types, dtypes, shapes, keys, scalars) is written as text first, then the arrays'
    bytes in the same order: the text ends with a NUL byte, which ``repr`` never writes, and it fixes
    every array's length, so two different values never give the same bytes to hash.
    """
    head: list = []
    arrays: list = []
    if not _describe(value, head, arrays):
        return None
    h = hashlib.blake2b("".join(head).encode() + b"\0", digest_size=16)
    for a in arrays:
        h.update(a)
    return h.digest()


def _describe(v, head: list, arrays: list) -> bool:
    """Append ``v``'s structure to ``head`` and its arrays to ``arrays``; False if ``v`` holds
    anything that cannot be described exactly. Arrays inside containers are handled in the loop
    (most values are tuples and dicts of arrays: a call per array doubled the cost)."""
    t = type(v)
    if t is np.ndarray:
        _array(v, head, arrays)
        return True
    if t is tuple or t is list:
        head.append("T(" if t is tuple else "L(")
        for x in v:
            if type(x) is np.ndarray:
                _array(x, head, arrays)
            elif not _describe(x, head, arrays):
                return False
        head.append(")")
        return True
    if t is dict:
        head.append("D{")
        for k, x in v.items():
            if type(k) is not str:
                return False
            head.append(f"{k!r}:")
            if type(x) is np.ndarray:
                _array(x, head, arrays)
            elif not _describe(x, head, arrays):
                return False
        head.append("}")
        return True
    if v is None or t in (bool, int, float, str):
        head.append(f"S{t.__name__}{v!r}")
        return True
    return False


def _array(v: np.ndarray, head: list, arrays: list) -> None:
    head.append(f"A{v.dtype.str}{v.shape!r}")
    arrays.append(v if v.flags.c_contiguous and v.dtype.kind in "biufc" else np.ascontiguousarray(v).tobytes())
