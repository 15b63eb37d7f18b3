"""Remember verdicts (staged checks, mistake matches) for values already seen on the same case.

In a class, most students return bit-identical arrays on the shared cases (the same correct code on
the same machine computes the same bits). A check of the same value against the same case gives the
same verdict, so it is computed once. The key is a digest of the value's exact bytes, dtypes and
structure; anything that cannot be digested exactly (a Foreign object) is never cached.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Optional

import numpy as np

_MAX = 5_000  # shared cases x distinct values: a class needs far fewer


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


class CheckCache:
    """Thread-safe LRU of verdicts about one value on one case, keyed by (case, language, value digest)."""

    def __init__(self, size: int = _MAX):
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case, lang: str, digest: Optional[bytes]):
        if digest is None:
            return None
        with self._lock:
            hit = self._data.get((id(case), lang, digest))
            # id() may be reused by a later object: the stored case must be this very case.
            if hit is None or hit[0] is not case:
                return None
            self._data.move_to_end((id(case), lang, digest))
            return hit[1]

    def put(self, case, lang: str, digest: Optional[bytes], verdict) -> None:
        if digest is None:
            return
        with self._lock:
            self._data[(id(case), lang, digest)] = (case, verdict)
            if len(self._data) > self._size:
                self._data.popitem(last=False)
