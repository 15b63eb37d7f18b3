"""Does every stage of the staged check say, verbatim, what is wrong, in English and in Chinese?

A check carries a message (key and fields); both places that render it, the kit's own ``render``
(the vendored checker) and the grader's catalogue (which lends the ``compare.`` prefix to it), must
give the same text."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from grader import messages
from grader.checking.compare import check_returned, render, summarize
from grader.model import OutputCheck

RTOL, ATOL = 1e-6, 1e-8
pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")


class Foreign:
    """What the sandbox sends back for a value that is no plain array (duck-typed by compare.py)."""

    def __init__(self, type_name, array=None):
        self.type_name = type_name
        self.repr = f"<{type_name}>"
        self.array = array


def arr(name):
    return {"kind": "array", "name": name}


H = np.array([[0.5, -1.0, 2.0], [0.25, 3.0, -0.125]])  # (2, 3)
TUPLE3 = {"kind": "tuple", "name": "return value", "items": [arr("h_next"), arr("c_next"), arr("yt_pred")]}
EXP3 = (H, 2 * H, 3 * H)
DICT = {"kind": "dict", "name": "return value", "keys": {k: arr(k) for k in ("dxt", "dh_prev", "dWf")}}
EXPD = {"dxt": H, "dh_prev": 2 * H, "dWf": 3 * H}
SCALAR = {"kind": "scalar", "name": "global_norm"}
CLIP = {"kind": "tuple", "name": "return value",
        "items": [{"kind": "dict", "name": "clipped", "keys": None}, {"kind": "scalar", "name": "global_norm"}]}


def matrix(a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix(a)


def with_nan(a, index, value):
    a = a.copy()
    a[index] = value
    return a


# (id, value, expected, spec, failing check name, stage, en message, zh message)
STAGES = [
    ("none", None, EXP3, TUPLE3, "return value", "returned",
     "return value: nothing was returned (got None); did you forget a `return` statement?",
     "return value：没有返回任何值（得到 None）；是否忘了写 `return` 语句？"),
    ("none-element", (H, None, 3 * H), EXP3, TUPLE3, "c_next", "returned",
     "c_next: nothing was returned (got None); did you forget a `return` statement?",
     "c_next：没有返回任何值（得到 None）；是否忘了写 `return` 语句？"),
    ("tuple-too-short", (H, 2 * H), EXP3, TUPLE3, "return value", "structure",
     "return value: expected a tuple of 3 values (h_next, c_next, yt_pred), got 2 values",
     "return value：应返回包含 3 个值（h_next, c_next, yt_pred）的元组，实际得到 2 个值"),
    ("tuple-with-cache", (H, 2 * H, 3 * H, (H,)), EXP3, TUPLE3, "return value", "structure",
     "return value: expected a tuple of 3 values (h_next, c_next, yt_pred), got 4 values; "
     "return exactly these values (no cache)",
     "return value：应返回包含 3 个值（h_next, c_next, yt_pred）的元组，实际得到 4 个值；请只返回这些值（不要返回 cache）"),
    ("tuple-got-array", H, EXP3, TUPLE3, "return value", "structure",
     "return value: expected a tuple of 3 values (h_next, c_next, yt_pred), got a numpy array of shape (2, 3)",
     "return value：应返回包含 3 个值（h_next, c_next, yt_pred）的元组，实际得到 形状为 (2, 3) 的 numpy 数组"),
    ("dict-got-tuple", (H, H, H), EXPD, DICT, "return value", "structure",
     "return value: expected a dict with keys `dxt`, `dh_prev`, `dWf`, got a tuple of 3 values",
     "return value：应返回键为 `dxt`, `dh_prev`, `dWf` 的字典，实际得到 包含 3 个值的 tuple"),
    ("misnamed-key", {"dxt": H, "dh_prv": 2 * H, "dWf": 3 * H}, EXPD, DICT, "dh_prev", "structure",
     "dh_prev: missing from the returned dict, which has `dh_prv` instead; did you mean `dh_prev`?",
     "dh_prev：返回的字典中缺少这个键，但有 `dh_prv`；你是想写 `dh_prev` 吗？"),
    ("missing-key", {"dxt": H, "dWf": 3 * H}, EXPD, DICT, "dh_prev", "structure",
     "dh_prev: missing from the returned dict",
     "dh_prev：返回的字典中缺少这个键"),
    ("unexpected-key", {"dxt": H, "dh_prev": 2 * H, "dWf": 3 * H, "dWy": H}, EXPD, DICT, "return value", "structure",
     "return value: unexpected keys in the returned dict: `dWy` (expected keys: `dxt`, `dh_prev`, `dWf`)",
     "return value：返回的字典中有多余的键：`dWy`（应有的键：`dxt`, `dh_prev`, `dWf`）"),
    ("list", H.tolist(), H, arr("h"), "h", "ndarray",
     "h: expected a numpy array, got a list of 2 values; return a numpy array (np.array(...))",
     "h：应返回 numpy 数组，实际得到 包含 2 个值的 list；请返回 numpy 数组（np.array(...)）"),
    ("unknown-object", Foreign("torch.Tensor"), H, arr("h"), "h", "ndarray",
     "h: expected a numpy array, got a value of type torch.Tensor; return a numpy array (np.array(...))",
     "h：应返回 numpy 数组，实际得到 torch.Tensor 类型的值；请返回 numpy 数组（np.array(...)）"),
    ("float32", H.astype(np.float32), H, arr("h"), "h", "dtype",
     "h: dtype is float32, expected float64; compute in float64 (do not convert to float32)",
     "h：dtype 为 float32，应为 float64；请用 float64 计算（不要转换为 float32）"),
    ("int", np.ones((2, 3), dtype=np.int64), H, arr("h"), "h", "dtype",
     "h: dtype is int64, expected float64; the array holds integers (create it with a float dtype, e.g. np.zeros(shape))",
     "h：dtype 为 int64，应为 float64；数组中是整数（请用浮点类型创建，例如 np.zeros(shape)）"),
    ("bool", np.ones((2, 3), dtype=bool), H, arr("h"), "h", "dtype",
     "h: dtype is bool, expected float64",
     "h：dtype 为 bool，应为 float64"),
    ("shape", np.zeros((2, 4)), H, arr("h"), "h", "shape",
     "h: wrong shape: got (2, 4), expected (2, 3)",
     "h：形状错误：得到 (2, 4)，应为 (2, 3)"),
    ("shape-transposed", H.T.copy(), H, arr("h"), "h", "shape",
     "h: wrong shape: got (3, 2), expected (2, 3); it looks transposed (columns are examples)",
     "h：形状错误：得到 (3, 2)，应为 (2, 3)；看起来转置了（每一列是一个样本）"),
    ("shape-flat", H.ravel(), H, arr("h"), "h", "shape",
     "h: wrong shape: got (6,), expected (2, 3); same number of elements in another layout (check reshape/keepdims)",
     "h：形状错误：得到 (6,)，应为 (2, 3)；元素个数相同但排列不同（检查 reshape/keepdims）"),
    ("nan", with_nan(H, (1, 2), np.nan), H, arr("h"), "h", "finite",
     "h: contains 1 NaN and 0 infinite values; the first is at [1, 2]",
     "h：包含 1 个 NaN 和 0 个无穷大值；第一个位于 [1, 2]"),
    ("inf", with_nan(with_nan(H, (0, 1), np.inf), (1, 0), -np.inf), H, arr("h"), "h", "finite",
     "h: contains 0 NaN and 2 infinite values; the first is at [0, 1]",
     "h：包含 0 个 NaN 和 2 个无穷大值；第一个位于 [0, 1]"),
    ("values", with_nan(with_nan(H, (1, 1), 2.5), (0, 0), 0.501), H, arr("dWf"), "dWf", "values",
     "dWf: values differ at 2 of 6 elements; worst at [1, 1]: got 2.5, expected 3; "
     "max abs error 5.0e-01, max rel error 1.7e-01 (rtol 1e-06, atol 1e-08)",
     "dWf：6 个元素中有 2 个数值不符；最差位于 [1, 1]：得到 2.5，应为 3；"
     "最大绝对误差 5.0e-01，最大相对误差 1.7e-01（rtol 1e-06，atol 1e-08）"),
    ("scalar-values", 2.5, 2.0, SCALAR, "global_norm", "values",
     "global_norm: value differs: got 2.5, expected 2; abs error 5.0e-01, rel error 2.5e-01 (rtol 1e-06, atol 1e-08)",
     "global_norm：数值不符：得到 2.5，应为 2；绝对误差 5.0e-01，相对误差 2.5e-01（rtol 1e-06，atol 1e-08）"),
    ("scalar-array", np.array([1.0, 2.0, 3.0]), 2.0, SCALAR, "global_norm", "shape",
     "global_norm: expected a single number, got an array of shape (3,)",
     "global_norm：应返回一个数，实际得到形状为 (3,) 的数组"),
    ("scalar-str", "2.0", 2.0, SCALAR, "global_norm", "ndarray",
     "global_norm: expected a number (float), got a value of type str",
     "global_norm：应返回一个数（float），实际得到 str 类型的值"),
    ("scalar-bool", True, 1.0, SCALAR, "global_norm", "ndarray",
     "global_norm: expected a number (float), got a value of type bool",
     "global_norm：应返回一个数（float），实际得到 bool 类型的值"),
    ("scalar-float32", np.float32(2.0), 2.0, SCALAR, "global_norm", "dtype",
     "global_norm: dtype is float32, expected float64; compute in float64 (do not convert to float32)",
     "global_norm：dtype 为 float32，应为 float64；请用 float64 计算（不要转换为 float32）"),
    ("clip-nested-key", ({"dW": H, "dbb": H}, 2.0), ({"dW": H, "db": H}, 2.0), CLIP, "clipped['db']", "structure",
     "clipped['db']: missing from the returned dict, which has `dbb` instead; did you mean `db`?",
     "clipped['db']：返回的字典中缺少这个键，但有 `dbb`；你是想写 `db` 吗？"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case_id,value,expected,spec,name,stage,en,zh", STAGES, ids=[row[0] for row in STAGES])
def test_each_stage_reports_the_first_failure_verbatim(case_id, value, expected, spec, name, stage, en, zh, lang):
    checks = check_returned(value, expected, spec, RTOL, ATOL)
    failing = [c for c in checks if not c["passed"]]
    assert failing, checks
    first = failing[0]
    assert (first["name"], first["stage"]) == (name, stage)
    assert first["message"]["key"].startswith("compare.")
    assert render(first["message"], lang) == (en if lang == "en" else zh)
    assert messages.render(first["message"], lang) == (en if lang == "en" else zh)
    assert summarize(checks, lang) == render(first["message"], lang)
    for c in checks:  # every check is an OutputCheck
        OutputCheck(**c)


# (id, value, expected, spec, en message of the single passing check)
ACCEPTED = [
    ("exact", H.copy(), H, arr("h"), "h: ok (max abs error 0.0e+00)"),
    ("within-tolerance", H * (1 + 1e-9), H, arr("h"), "h: ok (max abs error 3.0e-09)"),
    ("matrix", matrix(H), H, arr("h"),
     "h: ok (max abs error 0.0e+00); returned numpy.matrix, checked as a plain numpy.ndarray"),
    ("masked", np.ma.masked_array(H, mask=np.zeros_like(H, bool)), H, arr("h"),
     "h: ok (max abs error 0.0e+00); returned numpy.ma.MaskedArray, checked as a plain numpy.ndarray"),
    ("foreign-subclass", Foreign("numpy.matrix", H.copy()), H, arr("h"),
     "h: ok (max abs error 0.0e+00); returned numpy.matrix, checked as a plain numpy.ndarray"),
    ("scalar-float", 2.0, 2.0, SCALAR, "global_norm: ok (max abs error 0.0e+00)"),
    ("scalar-int", 2, 2.0, SCALAR, "global_norm: ok (max abs error 0.0e+00)"),
    ("scalar-0d", np.array(2.0), 2.0, SCALAR, "global_norm: ok (max abs error 0.0e+00)"),
    ("scalar-size1", np.array([[2.0]]), 2.0, SCALAR, "global_norm: ok (max abs error 0.0e+00)"),
    ("scalar-np-float64", np.float64(2.0), np.float64(2.0), SCALAR, "global_norm: ok (max abs error 0.0e+00)"),
]


@pytest.mark.parametrize("case_id,value,expected,spec,en", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted_values_pass_with_a_note_where_converted(case_id, value, expected, spec, en):
    (check,) = check_returned(value, expected, spec, RTOL, ATOL)
    assert check["passed"] and check["stage"] == "values"
    assert render(check["message"]) == messages.render(check["message"], "en") == en


def test_matrix_note_in_chinese():
    (check,) = check_returned(matrix(H), H, arr("h"), RTOL, ATOL)
    assert render(check["message"], "zh") == messages.render(check["message"], "zh") == "h：正确（最大绝对误差 0.0e+00）；返回的是 numpy.matrix，按普通 numpy.ndarray 检查"


def test_a_tuple_gives_one_check_per_output_in_order():
    checks = check_returned((H, 2 * H + 1, 3 * H), EXP3, TUPLE3, RTOL, ATOL)
    assert [(c["name"], c["passed"], c["stage"]) for c in checks] == [
        ("h_next", True, "values"), ("c_next", False, "values"), ("yt_pred", True, "values")]
    assert summarize(checks).startswith("c_next: values differ at 6 of 6 elements; worst at [1, 2]: got 0.75, expected -0.25")


def test_a_value_failure_carries_errors_index_and_small_previews():
    got = with_nan(H, (1, 1), 2.5)
    (check,) = check_returned(got, H, arr("dWf"), RTOL, ATOL)
    assert check["max_abs_err"] == 0.5
    assert check["max_rel_err"] == pytest.approx(0.5 / 3.0)
    assert check["worst_index"] == [1, 1]
    assert check["got"] == [[0.5, -1.0, 2.0], [0.25, 2.5, -0.125]]
    assert check["expected"] == H.tolist()


def test_previews_are_rounded_and_dropped_for_big_arrays():
    small = np.array([1.0 / 3.0, np.nan])
    (check,) = check_returned(small, np.array([0.0, 1.0]), arr("h"), RTOL, ATOL)
    assert check["stage"] == "finite" and check["got"] == [0.333333, "nan"]
    big = np.zeros((5, 5))
    (check,) = check_returned(big + 1.0, big, arr("h"), RTOL, ATOL)
    assert check["stage"] == "values" and check["got"] is None and check["expected"] is None


def test_clip_output_checks_every_expected_key_and_the_norm():
    expected = ({"dW": H, "db": 2 * H}, 4.0)
    checks = check_returned(({"dW": H, "db": 2 * H}, 4.0), expected, CLIP, RTOL, ATOL)
    assert [(c["name"], c["passed"]) for c in checks] == [
        ("clipped['dW']", True), ("clipped['db']", True), ("global_norm", True)]
    assert summarize(checks) == "all 3 outputs match"
    assert summarize(checks, "zh") == "3 个输出全部正确"


def test_unknown_language_falls_back_to_english():
    (check,) = check_returned(None, H, arr("h"), RTOL, ATOL)
    assert render(check["message"], "fr") == messages.render(check["message"], "fr") == "h: nothing was returned (got None); did you forget a `return` statement?"
