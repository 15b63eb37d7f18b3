"""JSON that any reader accepts: no NaN/Infinity tokens, no numpy scalars."""
from __future__ import annotations

import json
import math
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


def dumps(obj: Any, **kw) -> str:
    return json.dumps(json_safe(obj), ensure_ascii=False, allow_nan=False, **kw)
