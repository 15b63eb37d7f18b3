"""The wire format: what comes back is plain, exact, and checked before it is trusted."""
import json
import struct

import numpy as np
import pytest

from grader.sandbox import Foreign, WireError
from grader.sandbox.wire import FrameReader, decode, encode, pack_frame


def roundtrip(value, **kw):
    tree, blob = encode(value, **kw)
    tree = json.loads(json.dumps(tree))  # what actually travels is JSON text
    return decode(tree, blob, **kw)


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**100, 1.5, -0.0, 1e-310, float("inf"), "text ü",
    (1, [2.0, None], {"a": "b"}), [], (), {},
], ids=repr)
def test_plain_values_round_trip_exactly(value):
    out = roundtrip(value)
    assert out == value and type(out) is type(value)


def test_nan_is_kept():
    out = roundtrip(float("nan"))
    assert isinstance(out, float) and np.isnan(out)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool", "complex128", "uint8"])
def test_arrays_keep_dtype_shape_and_bits(dtype):
    rng = np.random.default_rng(0)
    arr = (rng.standard_normal((3, 4, 2)) * 100).astype(dtype)
    out = roundtrip({"dW": arr, "t": (arr[:, 0], arr.T)})
    assert type(out["dW"]) is np.ndarray and out["dW"].dtype == arr.dtype
    assert out["dW"].tobytes() == arr.tobytes()
    assert np.array_equal(out["t"][1], arr.T) and out["t"][1].shape == (2, 4, 3)
    assert out["dW"].flags.writeable and out["dW"].flags.owndata


def test_nan_inside_arrays_and_empty_arrays():
    arr = np.array([[np.nan, 1.0], [np.inf, -np.inf]])
    out = roundtrip([arr, np.zeros((0, 3))])
    assert np.array_equal(out[0], arr, equal_nan=True)
    assert out[1].shape == (0, 3)


def test_numpy_scalars_become_python_scalars():
    assert roundtrip((np.float64(2.5), np.int32(-3), np.bool_(True))) == (2.5, -3, True)
    assert type(roundtrip(np.float32(0.1))) is float


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_ndarray_subclass_arrives_as_foreign_with_base_data():
    out = roundtrip(np.matrix([[1.0, 2.0]]))
    assert isinstance(out, Foreign) and out.type_name == "numpy.matrix"
    assert type(out.array) is np.ndarray and out.array.tolist() == [[1.0, 2.0]]
    assert out.repr == "matrix([[1., 2.]])"


def test_other_objects_arrive_as_foreign_without_data():
    class Thing:
        def __repr__(self):
            return "<thing>"

    out = roundtrip([Thing(), {1: 2}, np.array(["a"]), np.array([object()], dtype=object)])
    assert [type(v) for v in out] == [Foreign] * 4
    assert out[0].type_name.endswith("Thing") and out[0].repr == "<thing>" and out[0].array is None
    assert out[1] == Foreign("dict", "{1: 2}", None)
    assert out[2].type_name == "numpy.ndarray[<U1]" and out[3].type_name == "numpy.ndarray[object]"


def test_a_repr_that_raises_does_not_break_encoding():
    class Bad:
        def __repr__(self):
            raise RuntimeError("no")

    out = roundtrip(Bad())
    assert out.repr.endswith("Bad object; repr failed: RuntimeError>")


def test_size_cap_refuses_large_values():
    with pytest.raises(WireError, match="more than 1 MiB of array data"):
        encode([np.zeros(2**17), np.zeros(2)], max_bytes=2**20)
    tree, blob = encode(np.zeros(2**17 + 1))
    with pytest.raises(WireError, match="more than 1 MiB of array data"):
        decode(tree, blob, max_bytes=2**20)


def test_nesting_cap():
    deep = []
    for _ in range(40):
        deep = [deep]
    with pytest.raises(WireError, match="nested more than 32 levels"):
        encode(deep)
    cycle = []
    cycle.append(cycle)
    with pytest.raises(WireError, match="nested more than 32 levels"):
        encode(cycle)


@pytest.mark.parametrize("tree,blob,why", [
    ({"t": "nd", "dtype": "|O", "shape": [1], "off": 0, "n": 8}, b"\0" * 8, "dtype '|O'"),
    ({"t": "nd", "dtype": "<f8", "shape": [3], "off": 0, "n": 16}, b"\0" * 16,
     "array size does not match its shape"),
    ({"t": "nd", "dtype": "<f8", "shape": [2], "off": 8, "n": 16}, b"\0" * 16,
     "array bytes outside the message"),
    ({"t": "nd", "dtype": "<f8", "shape": [-1], "off": 0, "n": 8}, b"\0" * 8, "shape"),
    ({"t": "pickle", "v": "gASV"}, b"", "unknown tag 'pickle'"),
    ({"t": "float", "v": "1e400x"}, b"", "float"),
    ({"t": "int", "v": "9" * 5000}, b"", "int"),
    ({"t": "dict", "items": [[1, {"t": "none"}]]}, b"", "dict entry"),
    (["not a node"], b"", "node"),
], ids=["object dtype", "size mismatch", "outside blob", "negative shape", "unknown tag",
        "bad float", "huge int", "non-str key", "not a dict"])
def test_malformed_trees_are_refused(tree, blob, why):
    with pytest.raises(WireError) as err:
        decode(tree, blob)
    assert why in str(err.value)


def test_frames_split_and_join_across_reads():
    data = pack_frame({"ev": "a"}, b"xyz") + pack_frame({"ev": "b"})
    reader = FrameReader()
    got = []
    for i in range(len(data)):
        got += reader.feed(data[i:i + 1])
    assert got == [({"ev": "a"}, b"xyz"), ({"ev": "b"}, b"")]


@pytest.mark.parametrize("data,why", [
    (struct.pack("<II", 100, 2**31), "larger than allowed"),
    (struct.pack("<II", 3, 0) + b"{x}", "malformed message header"),
    (struct.pack("<II", 3, 0) + b"[1]", "malformed message header"),
    (struct.pack("<II", 3, 0) + b"NaN", "malformed message header"),
], ids=["oversized", "bad json", "not an object", "nan constant"])
def test_bad_frames_are_refused(data, why):
    with pytest.raises(WireError) as err:
        list(FrameReader(max_blob=2**20).feed(data))
    assert why in str(err.value)


def test_a_compact_unit_report_is_the_report_its_json_frame_carries():
    from grader.sandbox.wire import pack_unit_ok, unit_ok

    report = {"ev": "unit", "i": 7, "status": "ok", "message": "", "line": None, "stdout": ""}
    assert unit_ok(7) == report
    data = pack_frame({"ev": "a"}) + pack_unit_ok(7) + pack_unit_ok(0) + pack_frame({"ev": "b"})
    got = []
    reader = FrameReader(max_blob=2**20)
    for i in range(len(data)):  # split anywhere, as reads do
        got += reader.feed(data[i:i + 1])
    assert got == [({"ev": "a"}, b""), (report, b""), (unit_ok(0), b""), ({"ev": "b"}, b"")]
    # the same bytes with an index no unit has are what they always were: too large
    with pytest.raises(WireError, match="larger than allowed"):
        list(FrameReader(max_blob=2**20).feed(b"\xff" * 8))


def test_good_frames_before_a_bad_one_are_handed_over_first():
    # they tell the grader how far the child got before it wrote garbage
    data = pack_frame({"ev": "a"}) + struct.pack("<II", 2**30, 0)
    got = []
    with pytest.raises(WireError, match="larger than allowed"):
        for frame in FrameReader().feed(data):
            got.append(frame)
    assert got == [({"ev": "a"}, b"")]


def test_inputs_travel_to_the_sandbox_exactly_and_read_only():
    from grader.sandbox.wire import pack_inputs, unpack_inputs

    rng = np.random.default_rng(3)
    values = [
        [rng.standard_normal((3, 10, 4)), {"Wf": rng.standard_normal((5, 8)), "bf": np.zeros((5, 1))},
         (1, 2.5, None, True, "x"), np.arange(6, dtype=np.int32).reshape(2, 3)],
        [{"nested": [np.float32(1.5), np.int64(7), (np.ones(2),)]}, np.empty((0, 3)), -0.0, float("nan")],
    ]
    back = unpack_inputs(pack_inputs(values))
    a, params, scalars, ints = back[0]
    assert a.dtype == np.float64 and a.shape == (3, 10, 4) and np.array_equal(a, values[0][0])
    assert not a.flags.writeable  # the sandbox hands each call its own copy
    assert set(params) == {"Wf", "bf"} and np.array_equal(params["Wf"], values[0][1]["Wf"])
    assert scalars == (1, 2.5, None, True, "x") and type(scalars) is tuple
    assert ints.dtype == np.int32 and ints.tolist() == [[0, 1, 2], [3, 4, 5]]
    nested, empty, zero, nan = back[1]
    assert nested["nested"][:2] == [1.5, 7] and type(nested["nested"][2]) is tuple
    assert empty.shape == (0, 3)
    assert str(zero) == "-0.0" and nan != nan
    # every array is aligned (views of one buffer, each at a 16-byte boundary) and none is writeable
    arrays = [a, params["Wf"], params["bf"], ints, nested["nested"][2][0], empty]
    assert all(x.flags.aligned and not x.flags.writeable for x in arrays)


def test_inputs_of_other_types_are_refused_by_name():
    from grader.sandbox.wire import WireError, pack_inputs

    with pytest.raises(WireError, match="^inputs of type set cannot be sent to the sandbox$"):
        pack_inputs([{1, 2}])
    with pytest.raises(WireError, match=r"inputs of dtype object cannot be sent to the sandbox"):
        pack_inputs([np.array([object()])])
