"""Comparing one returned value with another, output by output, with the one tolerance rule.

Values are what the sandbox decodes (ndarray, tuple, list, dict, float, int, ``Foreign``) or what a
buggy variant returns. The structure of ``like`` (a variant's or the reference's output) drives the
walk: a dict must have at least its keys (extra keys are the checker's business, not a mistake's),
a tuple or list the same length; leaves are compared with ``tolerance_check``.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterator, Optional

import numpy as np

from grader.checking.compare import tolerance_check


def as_number_array(value: Any) -> Optional[np.ndarray]:
    """A float64 array for an array-like leaf (ndarray, NumPy scalar, Python number, ``Foreign`` with
    array data), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (np.ndarray, np.generic, int, float)):
        array = np.asarray(value)
    else:
        array = getattr(value, "array", None)
        if not isinstance(array, np.ndarray):
            return None
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        return None
    return np.asarray(array, dtype=np.float64)


def leaves(value: Any, like: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any, Any]]:
    """Pair the leaves of ``value`` with those of ``like``: yields ``(path, value_leaf, like_leaf)``;
    a missing dict key or a container of the wrong kind or length yields ``value_leaf = None``."""
    if isinstance(like, dict):
        got = {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}
        for key, sub in like.items():
            yield from leaves(got.get(str(key)), sub, path + (str(key),))
    elif isinstance(like, (tuple, list)):
        ok = isinstance(value, (tuple, list)) and len(value) == len(like)
        for k, sub in enumerate(like):
            yield from leaves(value[k] if ok else None, sub, path + (k,))
    else:
        yield path, value, like


def leaf_matches(got: Any, like: Any, rtol: float, atol: float, reshape: bool = False) -> bool:
    """``got`` equals ``like`` within the tolerance; with ``reshape``, a leaf of another shape but the
    same size is compared after reshaping (a bias gradient of shape (n_h,) for (n_h, 1))."""
    g = as_number_array(got)
    e = as_number_array(like)
    if g is None or e is None:
        return False
    if g.shape != e.shape:
        if not (reshape and g.size == e.size):
            return False
        g = g.reshape(e.shape)
    return tolerance_check(g, e, rtol, atol).ok


def same_outputs(got: Any, like: Any, rtol: float, atol: float, reshape: bool = False) -> bool:
    """Every output of ``like`` is matched by ``got`` (see :func:`leaf_matches`)."""
    return all(leaf_matches(g, e, rtol, atol, reshape) for _, g, e in leaves(got, like))


def digest(value: Any) -> str:
    """A content hash of a case's inputs (arrays, dicts, tuples, numbers), so that cached variant
    outputs are found again for the same inputs whatever object holds them."""
    h = hashlib.blake2b(digest_size=16)

    def feed(v: Any) -> None:
        if isinstance(v, np.ndarray):
            a = np.ascontiguousarray(v)
            h.update(b"A" + str(a.dtype).encode() + repr(a.shape).encode())
            h.update(a.tobytes())
        elif isinstance(v, dict):
            h.update(b"D%d" % len(v))
            for k in sorted(v, key=str):
                h.update(b"K" + str(k).encode())
                feed(v[k])
        elif isinstance(v, (tuple, list)):
            h.update(b"T%d" % len(v))
            for x in v:
                feed(x)
        else:
            h.update(b"S" + type(v).__name__.encode() + repr(v).encode())

    feed(value)
    return h.hexdigest()
