"""Staged checks of what a function returned against what the answer key expects.

This module is shipped verbatim to students inside their local-check kit, so that the grader and the
kit give the very same messages. It therefore imports only numpy and the standard library, and keeps
to Python 3.9 syntax.

Stages, in order, per output (an array, a scalar, a dict entry or a tuple element):

    returned → structure → ndarray → shape → dtype → finite → values

The first stage that fails names the check; ``"values"`` is the stage of a check that passed. Every
message comes from the catalogue ``MESSAGES`` (English and Chinese). The value policy (lists, ndarray
subclasses, float32/int arrays, 0-d arrays for scalars) is applied in one place, ``_as_array``.

One tolerance rule serves everything, ``tolerance_check``::

    |got − expected| ≤ atol + rtol · |expected|     elementwise; NaN never passes
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

STAGES = ("returned", "structure", "ndarray", "shape", "dtype", "finite", "values")
PREVIEW_MAX_ELEMENTS = 20
_TINY = np.finfo(np.float64).tiny

MESSAGES = {
    "en": {
        "none": "{name}: nothing was returned (got None); did you forget a `return` statement?",
        "tuple_type": "{name}: expected a tuple of {n} values ({names}), got {got}",
        "tuple_len": "{name}: expected a tuple of {n} values ({names}), got {k} values",
        "tuple_len_more": "{name}: expected a tuple of {n} values ({names}), got {k} values; "
        "return exactly these values (no cache)",
        "dict_type": "{name}: expected a dict with keys {keys}, got {got}",
        "key_missing": "{name}: missing from the returned dict",
        "key_misnamed": "{name}: missing from the returned dict, which has `{found}` instead; "
        "did you mean `{wanted}`?",
        "keys_unexpected": "{name}: unexpected keys in the returned dict: {keys} (expected keys: {expected})",
        "not_array": "{name}: expected a numpy array, got {got}; return a numpy array (np.array(...))",
        "not_number": "{name}: expected a number (float), got {got}",
        "scalar_size": "{name}: expected a single number, got an array of shape {shape}",
        "shape": "{name}: wrong shape: got {got}, expected {expected}",
        "shape_transposed": "; it looks transposed (columns are examples)",
        "shape_same_size": "; same number of elements in another layout (check reshape/keepdims)",
        "dtype_float": "{name}: dtype is {dtype}, expected float64; compute in float64 "
        "(do not convert to {dtype})",
        "dtype_int": "{name}: dtype is {dtype}, expected float64; the array holds integers "
        "(create it with a float dtype, e.g. np.zeros(shape))",
        "dtype_other": "{name}: dtype is {dtype}, expected float64",
        "finite": "{name}: contains {n_nan} NaN and {n_inf} infinite values; the first is at {index}",
        "values": "{name}: values differ at {n_bad} of {size} elements; worst at {index}: got {got}, "
        "expected {expected}; max abs error {max_abs}, max rel error {max_rel} (rtol {rtol}, atol {atol})",
        "scalar_values": "{name}: value differs: got {got}, expected {expected}; abs error {max_abs}, "
        "rel error {max_rel} (rtol {rtol}, atol {atol})",
        "ok": "{name}: ok (max abs error {max_abs})",
        "subclass_note": "; returned {type_name}, checked as a plain numpy.ndarray",
        "summary_ok": "all {n} outputs match",
        "summary_empty": "no outputs were checked",
        "desc_none": "None",
        "desc_array": "a numpy array of shape {shape}",
        "desc_seq": "a {type} of {n} values",
        "desc_dict": "a dict with keys {keys}",
        "desc_other": "a value of type {type}",
    },
    "zh": {
        "none": "{name}：没有返回任何值（得到 None）；是否忘了写 `return` 语句？",
        "tuple_type": "{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {got}",
        "tuple_len": "{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {k} 个值",
        "tuple_len_more": "{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {k} 个值；"
        "请只返回这些值（不要返回 cache）",
        "dict_type": "{name}：应返回键为 {keys} 的字典，实际得到 {got}",
        "key_missing": "{name}：返回的字典中缺少这个键",
        "key_misnamed": "{name}：返回的字典中缺少这个键，但有 `{found}`；你是想写 `{wanted}` 吗？",
        "keys_unexpected": "{name}：返回的字典中有多余的键：{keys}（应有的键：{expected}）",
        "not_array": "{name}：应返回 numpy 数组，实际得到 {got}；请返回 numpy 数组（np.array(...)）",
        "not_number": "{name}：应返回一个数（float），实际得到 {got}",
        "scalar_size": "{name}：应返回一个数，实际得到形状为 {shape} 的数组",
        "shape": "{name}：形状错误：得到 {got}，应为 {expected}",
        "shape_transposed": "；看起来转置了（每一列是一个样本）",
        "shape_same_size": "；元素个数相同但排列不同（检查 reshape/keepdims）",
        "dtype_float": "{name}：dtype 为 {dtype}，应为 float64；请用 float64 计算（不要转换为 {dtype}）",
        "dtype_int": "{name}：dtype 为 {dtype}，应为 float64；数组中是整数"
        "（请用浮点类型创建，例如 np.zeros(shape)）",
        "dtype_other": "{name}：dtype 为 {dtype}，应为 float64",
        "finite": "{name}：包含 {n_nan} 个 NaN 和 {n_inf} 个无穷大值；第一个位于 {index}",
        "values": "{name}：{size} 个元素中有 {n_bad} 个数值不符；最差位于 {index}：得到 {got}，"
        "应为 {expected}；最大绝对误差 {max_abs}，最大相对误差 {max_rel}（rtol {rtol}，atol {atol}）",
        "scalar_values": "{name}：数值不符：得到 {got}，应为 {expected}；绝对误差 {max_abs}，"
        "相对误差 {max_rel}（rtol {rtol}，atol {atol}）",
        "ok": "{name}：正确（最大绝对误差 {max_abs}）",
        "subclass_note": "；返回的是 {type_name}，按普通 numpy.ndarray 检查",
        "summary_ok": "{n} 个输出全部正确",
        "summary_empty": "没有检查任何输出",
        "desc_none": "None",
        "desc_array": "形状为 {shape} 的 numpy 数组",
        "desc_seq": "包含 {n} 个值的 {type}",
        "desc_dict": "键为 {keys} 的字典",
        "desc_other": "{type} 类型的值",
    },
}


def message(lang: str, key: str, /, **fields: Any) -> str:
    """The catalogue entry ``key`` in ``lang`` (English when the language is unknown), filled in."""
    table = MESSAGES.get(lang, MESSAGES["en"])
    return table[key].format(**fields)


# ---------------------------------------------------------------------------------------------------
# The tolerance rule
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToleranceReport:
    """Outcome of :func:`tolerance_check`.

    ``max_abs_err`` = max |got − exp|; ``max_rel_err`` = max |got − exp| / max(|exp|, tiny);
    ``worst_index`` = argmax of the excess |got − exp| − rtol·|exp| (``()`` for a scalar);
    ``n_bad`` elements fail out of ``size``. Non-finite differences count as infinite errors.
    """

    ok: bool
    max_abs_err: float
    max_rel_err: float
    worst_index: Tuple[int, ...]
    n_bad: int = 0
    size: int = 0


def tolerance_check(got: Any, expected: Any, rtol: float, atol: float) -> ToleranceReport:
    """Elementwise ``|got − expected| ≤ atol + rtol·|expected|``; NaN never passes, equal infinities do.

    ``got`` and ``expected`` must have the same shape (any, including 0-d); raises ValueError otherwise.
    """
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        raise ValueError("tolerance_check needs equal shapes, got %s and %s" % (g.shape, e.shape))
    if g.size == 0:
        return ToleranceReport(True, 0.0, 0.0, (0,) * g.ndim, 0, 0)
    diff = scale = None
    if np.isfinite(g).all() and np.isfinite(e).all():
        # The common case, without the NaN/inf bookkeeping below (a grader calls this ~10^5 times).
        scale = np.abs(e)
        with np.errstate(over="ignore"):
            diff = np.abs(g - e)
            rel = diff / np.maximum(scale, _TINY)
        if np.isfinite(diff).all():  # else a difference overflowed: take the careful path
            passed = diff <= atol + rtol * scale
            excess = diff - rtol * scale
        else:
            diff = None
    if diff is None:
        with np.errstate(invalid="ignore", over="ignore"):
            same = g == e  # equal infinities count as equal, like np.isclose
            diff = np.where(same, 0.0, np.abs(g - e))
            diff = np.where(np.isnan(diff), np.inf, diff)
            scale = np.abs(e)
            # An infinite difference never passes, even against an infinite bound (inf vs −inf).
            passed = same | (np.isfinite(diff) & (diff <= atol + rtol * scale))
            excess = np.where(np.isfinite(scale), diff - rtol * scale, diff)
            excess = np.where(np.isnan(excess), np.inf, excess)
            rel = diff / np.maximum(scale, _TINY)
        rel = np.where(np.isnan(rel), np.inf, rel)
    worst = np.unravel_index(int(np.argmax(excess)), g.shape)
    n_bad = int(g.size - np.count_nonzero(passed))
    return ToleranceReport(
        ok=n_bad == 0,
        max_abs_err=float(diff.max()),
        max_rel_err=float(rel.max()),
        worst_index=tuple(int(i) for i in worst),
        n_bad=n_bad,
        size=int(g.size),
    )


# ---------------------------------------------------------------------------------------------------
# Small formatting helpers
# ---------------------------------------------------------------------------------------------------


def _num(x: float) -> str:
    return "%.6g" % x


def _err(x: float) -> str:
    return "%.1e" % x


def _index(index: Tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _shape(shape: Tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _keys(keys: List[str]) -> str:
    return ", ".join("`%s`" % k for k in keys)


def preview(value: Any) -> Any:
    """A JSON-safe preview: nested lists rounded to 6 significant digits for arrays of at most
    ``PREVIEW_MAX_ELEMENTS`` elements, a number for a scalar, else None. NaN/inf become strings."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if a.size > PREVIEW_MAX_ELEMENTS:
        return None

    def one(x: float) -> Any:
        return float(_num(x)) if np.isfinite(x) else str(x)

    if a.ndim == 0:
        return one(float(a))
    return np.vectorize(one, otypes=[object])(a).tolist() if a.size else a.tolist()


def _describe(value: Any, lang: str) -> str:
    if value is None:
        return message(lang, "desc_none")
    if isinstance(value, np.ndarray):
        return message(lang, "desc_array", shape=_shape(value.shape))
    if isinstance(value, (list, tuple)):
        return message(lang, "desc_seq", type=type(value).__name__, n=len(value))
    if isinstance(value, dict):
        return message(lang, "desc_dict", keys=_keys([str(k) for k in value]))
    type_name = getattr(value, "type_name", None)
    return message(lang, "desc_other", type=type_name if isinstance(type_name, str) else type(value).__name__)


def _check(name: str, passed: bool, stage: str, msg: str, **extra: Any) -> Dict[str, Any]:
    out = {
        "name": name,
        "passed": passed,
        "stage": stage,
        "message": msg,
        "max_abs_err": None,
        "max_rel_err": None,
        "worst_index": None,
        "expected": None,
        "got": None,
    }
    out.update(extra)
    return out


# ---------------------------------------------------------------------------------------------------
# The value policy, in one place
# ---------------------------------------------------------------------------------------------------


def _as_array(value: Any) -> Tuple[Optional[np.ndarray], str]:
    """Return ``(array, note_type)`` for a value that may be checked as an array, else ``(None, "")``.

    Policy: a base ``np.ndarray`` is taken as is; an ndarray subclass (np.matrix, a masked array) or
    a sandbox ``Foreign`` that carries base-class data is checked as its plain base array, and its
    type name is returned so the message can say so; a NumPy scalar (np.float64, np.float32) becomes
    a 0-d array of its own dtype. Lists, tuples, Python numbers and anything else are not arrays.
    """
    if isinstance(value, np.ndarray):
        if type(value) is np.ndarray:
            return value, ""
        base = np.ma.getdata(value) if isinstance(value, np.ma.MaskedArray) else value
        cls = type(value)
        return np.asarray(base).view(np.ndarray), "%s.%s" % (cls.__module__, cls.__name__)
    if isinstance(value, np.generic):
        return np.asarray(value), ""
    array = getattr(value, "array", None)
    type_name = getattr(value, "type_name", None)
    if isinstance(array, np.ndarray) and isinstance(type_name, str):
        return array.view(np.ndarray), type_name
    return None, ""


def _as_scalar(value: Any) -> Tuple[Optional[np.ndarray], str, bool]:
    """Policy for scalar outputs: Python int/float (not bool) and 0-d or size-1 arrays are accepted.

    Returns ``(0-d array, note_type, is_number)``; ``is_number`` False means the value is no number
    and no array at all; a bigger array comes back unchanged so the caller can report its shape.
    """
    if isinstance(value, bool):
        return None, "", False
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return np.asarray(float(value)), "", True
    array, note = _as_array(value)
    if array is None:
        return None, "", False
    return (array.reshape(()) if array.size == 1 else array), note, True


# ---------------------------------------------------------------------------------------------------
# Staged checks
# ---------------------------------------------------------------------------------------------------


def _child_name(parent: str, key: str, top: bool) -> str:
    return key if top else "%s['%s']" % (parent, key)


def _dict_key_specs(spec: Dict[str, Any], expected: Any) -> Dict[str, Dict[str, Any]]:
    keys = spec.get("keys")
    if keys:
        return dict(keys)
    # "keys": null → the keys of the expected dict, each an array or a scalar like the expected value
    out = {}
    for k, v in (expected or {}).items():
        scalar = isinstance(v, (int, float)) and not isinstance(v, np.ndarray)
        out[k] = {"kind": "scalar" if scalar else "array", "name": k}
    return out


def _check_node(value: Any, expected: Any, spec: Dict[str, Any], name: str, top: bool,
                rtol: float, atol: float, lang: str) -> List[Dict[str, Any]]:
    kind = spec.get("kind", "array")
    if kind == "cache":  # a forward's cache: checked by its layout elsewhere, never as a value
        return []
    if value is None:
        return [_check(name, False, "returned", message(lang, "none", name=name))]
    if kind == "tuple":
        return _check_tuple(value, expected, spec, name, rtol, atol, lang)
    if kind == "dict":
        return _check_dict(value, expected, spec, name, top, rtol, atol, lang)
    if kind == "scalar":
        return [_check_scalar(value, expected, name, rtol, atol, lang)]
    return [_check_array(value, expected, name, rtol, atol, lang)]


def _check_tuple(value, expected, spec, name, rtol, atol, lang):
    items = list(spec.get("items") or [])
    n = len(items)
    names = ", ".join(str(it.get("name")) for it in items)
    if not isinstance(value, (tuple, list)):
        got = _describe(value, lang)
        return [_check(name, False, "structure", message(lang, "tuple_type", name=name, n=n, names=names, got=got))]
    if len(value) != n:
        key = "tuple_len_more" if len(value) > n else "tuple_len"
        return [_check(name, False, "structure", message(lang, key, name=name, n=n, names=names, k=len(value)))]
    out = []
    for item_spec, got_item, exp_item in zip(items, value, expected):
        out.extend(_check_node(got_item, exp_item, item_spec, str(item_spec.get("name")), False, rtol, atol, lang))
    return out


def _check_dict(value, expected, spec, name, top, rtol, atol, lang):
    key_specs = _dict_key_specs(spec, expected)
    wanted = list(key_specs)
    if not isinstance(value, dict):
        got = _describe(value, lang)
        return [_check(name, False, "structure", message(lang, "dict_type", name=name, keys=_keys(wanted), got=got))]
    got_keys = {str(k): k for k in value}
    missing = [k for k in wanted if k not in got_keys]
    extra = [k for k in got_keys if k not in key_specs]
    # Pair each missing key with the closest unexpected key ("dh_prv" for "dh_prev").
    misnamed = {}
    for k in missing:
        close = difflib.get_close_matches(k, [e for e in extra if e not in misnamed.values()], n=1, cutoff=0.6)
        if close:
            misnamed[k] = close[0]
    out = []
    for k in wanted:
        child = _child_name(name, k, top)
        if k in misnamed:
            out.append(_check(child, False, "structure", message(lang, "key_misnamed", name=child, wanted=k,
                                                                      found=misnamed[k])))
        elif k not in got_keys:
            out.append(_check(child, False, "structure", message(lang, "key_missing", name=child)))
        else:
            out.extend(_check_node(value[got_keys[k]], expected[k], key_specs[k], child, False, rtol, atol, lang))
    unpaired = [e for e in extra if e not in misnamed.values()]
    if unpaired:
        out.append(_check(name, False, "structure", message(
            lang, "keys_unexpected", name=name, keys=_keys(unpaired), expected=_keys(wanted))))
    return out


def _check_array(value, expected, name, rtol, atol, lang):
    exp = np.asarray(expected)
    array, note_type = _as_array(value)
    if array is None:
        return _check(name, False, "ndarray", message(lang, "not_array", name=name, got=_describe(value, lang)))
    note = message(lang, "subclass_note", type_name=note_type) if note_type else ""
    return _compare_arrays(array, exp, name, note, False, rtol, atol, lang)


def _check_scalar(value, expected, name, rtol, atol, lang):
    exp = np.asarray(expected, dtype=np.float64).reshape(())
    array, note_type, is_number = _as_scalar(value)
    if not is_number:
        return _check(name, False, "ndarray", message(lang, "not_number", name=name, got=_describe(value, lang)))
    if array.ndim != 0:
        return _check(name, False, "shape", message(lang, "scalar_size", name=name, shape=_shape(array.shape)),
                      got=preview(array), expected=preview(exp))
    note = message(lang, "subclass_note", type_name=note_type) if note_type else ""
    return _compare_arrays(array, exp, name, note, True, rtol, atol, lang)


def _compare_arrays(got: np.ndarray, exp: np.ndarray, name: str, note: str, scalar: bool,
                    rtol: float, atol: float, lang: str) -> Dict[str, Any]:
    """Shape → dtype → finite → values, for a value that is already an array."""
    if got.shape != exp.shape:
        msg = message(lang, "shape", name=name, got=_shape(got.shape), expected=_shape(exp.shape))
        if got.ndim == 2 and got.shape == exp.shape[::-1]:
            msg += message(lang, "shape_transposed")
        elif got.size == exp.size:
            msg += message(lang, "shape_same_size")
        return _check(name, False, "shape", msg + note)
    if got.dtype != np.float64:
        if np.issubdtype(got.dtype, np.floating):
            key = "dtype_float"
        elif np.issubdtype(got.dtype, np.integer):
            key = "dtype_int"
        else:
            key = "dtype_other"
        return _check(name, False, "dtype", message(lang, key, name=name, dtype=str(got.dtype)) + note)
    bad = ~np.isfinite(got) & np.isfinite(exp)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        msg = message(lang, "finite", name=name, n_nan=int(np.isnan(got).sum()), n_inf=int(np.isinf(got).sum()),
                      index=_index(first))
        return _check(name, False, "finite", msg + note, worst_index=list(first),
                      got=preview(got), expected=preview(exp))
    rep = tolerance_check(got, exp, rtol, atol)
    errors = dict(max_abs_err=rep.max_abs_err, max_rel_err=rep.max_rel_err, worst_index=list(rep.worst_index))
    if rep.ok:
        return _check(name, True, "values", message(lang, "ok", name=name, max_abs=_err(rep.max_abs_err)) + note,
                      **errors)
    at = rep.worst_index
    fields = dict(name=name, got=_num(float(got[at])), expected=_num(float(exp[at])), max_abs=_err(rep.max_abs_err),
                  max_rel=_err(rep.max_rel_err), rtol="%g" % rtol, atol="%g" % atol)
    if scalar:
        msg = message(lang, "scalar_values", **fields)
    else:
        msg = message(lang, "values", index=_index(at), n_bad=rep.n_bad, size=rep.size, **fields)
    return _check(name, False, "values", msg + note, got=preview(got), expected=preview(exp), **errors)


def check_returned(value: Any, expected: Any, output_spec: Dict[str, Any], rtol: float, atol: float,
                   lang: str = "en") -> List[Dict[str, Any]]:
    """Staged checks of ``value`` (what the student's function returned) against ``expected``.

    ``output_spec`` is a normalised output spec (``{"kind": "array"|"scalar"|"tuple"|"dict", "name",
    "items"|"keys"}``). Returns one dict per output with the fields of ``grader.model.OutputCheck``
    (name, passed, stage, message, max_abs_err, max_rel_err, worst_index, expected, got). A container
    that has the wrong type or length gives a single check named after the container; a dict gives one
    check per expected key plus one for unexpected keys, if any.
    """
    name = str(output_spec.get("name") or "return value")
    return _check_node(value, expected, output_spec, name, True, rtol, atol, lang)


def summarize(checks: List[Dict[str, Any]], lang: str = "en") -> str:
    """One line for a case: the first failing output's message, or that all outputs match."""
    for c in checks:
        if not c["passed"]:
            return c["message"]
    if not checks:
        return message(lang, "summary_empty")
    return message(lang, "summary_ok", n=len(checks))
