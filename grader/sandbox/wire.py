"""The wire format for values crossing the sandbox boundary: a JSON tree plus raw array bytes.

Used in both directions: the grader encodes a call's inputs for the child, the child encodes what a
student function returned, and the receiving side decodes. Nothing is pickled and nothing is
evaluated: every node of the JSON tree has a type tag from a closed list, arrays carry a dtype from
a whitelist, a shape, and an (offset, byte count) into the blob, and the decoder checks that
``prod(shape) * itemsize == nbytes`` and that the bytes lie inside the blob before ``np.frombuffer``.

Decoded values are plain: ``ndarray`` (base class, owning its memory), ``tuple``, ``list``, ``dict``
with str keys, ``None``, ``bool``, ``int``, ``float`` (NaN and infinities kept), ``str``, or
:class:`Foreign` for anything else (an ndarray subclass keeps its base-class data in ``array``).
NumPy scalars (``np.float64(1.5)``) travel as the matching Python scalar.

This file is also loaded by path inside the sandbox's worker process, so it imports nothing from
the project: only the standard library and NumPy.

A message (frame) on a pipe is ``struct "<II"`` (JSON length, blob length), the UTF-8 JSON, the blob.
"""
from __future__ import annotations

import json
import marshal
import math
import struct
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import numpy as np

# Dtypes an array may have on the wire. Object, string, structured and datetime arrays are not
# values a numeric function should return; they arrive as Foreign without data.
DTYPES = frozenset(
    np.dtype(t).str
    for t in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
    )
)
_DTYPE_OF = {name: np.dtype(name) for name in DTYPES}
MAX_DEPTH = 32  # nesting of tuples/lists/dicts
MAX_NODES = 100_000  # nodes in one value tree
MAX_STR = 10_000  # characters kept of a returned str or a Foreign repr
MAX_NDIM = 32
MAX_DIM = 2**31 - 1  # one axis; more is no result a grader can use (an empty (0, 2**40) array)
MAX_TREE_JSON = 4 * 2**20  # JSON text of one value tree (strings count as escaped)
MAX_HEADER = 6 * 2**20  # JSON of one frame: a value tree, captured output and messages
FRAME_HEADER = struct.Struct("<II")
# The most JSON one node takes, its strings (and an int's digits) aside: an "nd" node with
# MAX_NDIM axes of MAX_DIM and 20-digit offset and size, or a "float" node's hex text.
NODE_JSON = 80 + MAX_NDIM * 11


class WireError(ValueError):
    """A value cannot be encoded, or bytes received are not a valid encoding."""


@dataclass(frozen=True)
class Foreign:
    """A returned object that is not a plain value.

    ``type_name`` is the object's class (``"numpy.matrix"``), ``repr`` a truncated repr made in the
    sandbox, ``array`` the base-class data of an ndarray subclass (None for other objects).
    """

    type_name: str
    repr: str
    array: Optional[np.ndarray] = None


# ----------------------------------------------------------------------------------------- encode
def _float_text(x: float) -> Any:
    # JSON has no NaN/Infinity; exact floats travel as hex so nothing is lost in decimal.
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float.hex(x)


def _type_name(obj: Any) -> str:
    cls = type(obj)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", "?")
    return f"{module}.{name}" if module and module != "builtins" else str(name)


def _safe_repr(obj: Any) -> str:
    try:
        text = repr(obj)
        if not isinstance(text, str):
            raise TypeError("__repr__ did not return a str")
    except BaseException as exc:  # a hostile __repr__ must not break the encoding
        text = f"<{_type_name(obj)} object; repr failed: {type(exc).__name__}>"
    if len(text) > MAX_STR:
        text = text[:MAX_STR] + "..."
    return text


_json_string = json.encoder.encode_basestring_ascii  # json.dumps of a str, with ensure_ascii


class _Encoder:
    def __init__(self, max_bytes: int, max_json: int):
        self.max_bytes, self.max_json = max_bytes, max_json
        self.chunks: list[bytes] = []
        self.size = 0
        self.nodes = 0
        self.json_size = 0

    def text(self, s: str) -> str:
        """Count a string's JSON size against the cap: the receiver must parse the whole tree."""
        self.json_size += len(_json_string(s))  # what json.dumps(s) gives, without its set-up
        if self.json_size > self.max_json:
            raise WireError(f"the value's description is larger than {self.max_json // 2**20} MiB "
                            f"(too many or too long strings)")
        return s

    def array(self, arr: np.ndarray) -> dict:
        if max(arr.shape, default=0) > MAX_DIM:
            raise WireError(f"an array axis is longer than {MAX_DIM}")
        if arr.dtype.str not in DTYPES or arr.ndim > MAX_NDIM:
            return {"t": "foreign", "type": f"numpy.ndarray[{arr.dtype}]",
                    "repr": self.text(_safe_repr(arr)), "array": None}
        data = np.ascontiguousarray(arr).tobytes()
        if self.size + len(data) > self.max_bytes:
            raise WireError(
                f"the value holds more than {self.max_bytes // 2**20} MiB of array data")
        node = {"t": "nd", "dtype": arr.dtype.str, "shape": list(arr.shape), "off": self.size,
                "n": len(data)}
        self.chunks.append(data)
        self.size += len(data)
        return node

    def node(self, obj: Any, depth: int) -> dict:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise WireError(f"the value has more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise WireError(f"the value is nested more than {MAX_DEPTH} levels deep")
        cls = type(obj)
        if obj is None:
            return {"t": "none"}
        if cls is bool or cls is np.bool_:
            return {"t": "bool", "v": bool(obj)}
        if cls is int or (isinstance(obj, np.integer) and not isinstance(obj, np.timedelta64)):
            return {"t": "int", "v": self.text(str(int(obj)))}
        if cls is float or isinstance(obj, np.floating):
            return {"t": "float", "v": _float_text(float(obj))}
        if cls is str:
            return {"t": "str", "v": self.text(obj[:MAX_STR])}
        if cls is np.ndarray:
            return self.array(obj)
        if isinstance(obj, np.ndarray):  # a subclass (np.matrix, a student's class): data only
            base = obj.view(np.ndarray)
            inner = self.array(base) if base.dtype.str in DTYPES else None
            return {"t": "foreign", "type": self.text(_type_name(obj)[:1000]),
                    "repr": self.text(_safe_repr(obj)), "array": inner}
        if cls is tuple or cls is list:
            return {"t": cls.__name__, "items": [self.node(v, depth + 1) for v in obj]}
        if cls is dict and all(type(k) is str for k in obj):
            return {"t": "dict", "items": [[self.text(k[:MAX_STR]), self.node(v, depth + 1)]
                                           for k, v in obj.items()]}
        return {"t": "foreign", "type": self.text(_type_name(obj)[:1000]),
                "repr": self.text(_safe_repr(obj)), "array": None}


def encode(value: Any, max_bytes: int = 64 * 2**20,
           max_json: int = MAX_TREE_JSON) -> tuple[dict, bytes]:
    """Encode ``value`` as (JSON-able tree, blob). Raises WireError past the caps.

    ``max_json`` bounds the tree's JSON text, so that the receiver's parse stays small.
    """
    enc = _Encoder(max_bytes, max_json)
    tree = enc.node(value, 0)
    # Strings were counted as they came (to stop early). Without them a node's JSON is at most
    # NODE_JSON bytes: only a tree that might pass the cap needs its exact size measured.
    if (enc.json_size + enc.nodes * NODE_JSON > max_json
            and len(json.dumps(tree, allow_nan=False, separators=(",", ":"))) > max_json):
        raise WireError(f"the value's description is larger than {max_json // 2**20} MiB")
    return tree, b"".join(enc.chunks)


# ----------------------------------------------------------------------------------------- decode
def _need(cond: bool, what: str) -> None:
    if not cond:
        raise WireError(f"malformed value on the wire: {what}")


def _decode_float(text: Any) -> float:
    _need(isinstance(text, str) and len(text) < 40, "float")
    if text in ("nan", "inf", "-inf"):
        return float(text)
    try:
        return float.fromhex(text)
    except ValueError:
        raise WireError("malformed value on the wire: float") from None


class _Decoder:
    def __init__(self, blob: bytes, max_bytes: int, copy: bool = True):
        self.copy = copy
        self.blob = memoryview(blob)
        self.max_bytes = max_bytes
        self.total = 0
        self.nodes = 0

    def array(self, node: dict) -> np.ndarray:
        dt = _DTYPE_OF.get(node.get("dtype")) if type(node.get("dtype")) is str else None
        _need(dt is not None, f"dtype {str(node.get('dtype'))[:40]!r}")
        shape, off, n = node.get("shape"), node.get("off"), node.get("n")
        _need(type(shape) is list and len(shape) <= MAX_NDIM, "shape")
        count = 1
        for d in shape:
            _need(type(d) is int and 0 <= d <= MAX_DIM, "shape")
            count *= d
        _need(type(off) is int and type(n) is int and off >= 0 and n >= 0, "array offset")
        _need(count * dt.itemsize == n, "array size does not match its shape")
        _need(off + n <= len(self.blob), "array bytes outside the message")
        self.total += n
        if self.total > self.max_bytes:
            raise WireError(f"the value holds more than {self.max_bytes // 2**20} MiB of array data")
        arr = np.frombuffer(self.blob, dtype=dt, count=count, offset=off).reshape(shape)
        return arr.copy() if self.copy else arr

    def node(self, node: Any, depth: int) -> Any:
        self.nodes += 1
        _need(self.nodes <= MAX_NODES and depth <= MAX_DEPTH, "too large or too deep")
        _need(isinstance(node, dict), "node")
        tag = node.get("t")
        if tag == "nd":
            return self.array(node)
        if tag == "dict":
            items = node.get("items")
            _need(isinstance(items, list), "dict")
            out = {}
            for pair in items:
                _need(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                      and len(pair[0]) <= MAX_STR, "dict entry")
                out[pair[0]] = self.node(pair[1], depth + 1)
            return out
        if tag == "none":
            return None
        if tag == "bool":
            _need(type(node.get("v")) is bool, "bool")
            return node["v"]
        if tag == "int":
            text = node.get("v")
            _need(isinstance(text, str) and 0 < len(text) <= 400, "int")
            try:
                return int(text)
            except ValueError:
                raise WireError("malformed value on the wire: int") from None
        if tag == "float":
            return _decode_float(node.get("v"))
        if tag == "str":
            _need(isinstance(node.get("v"), str) and len(node["v"]) <= MAX_STR, "str")
            return node["v"]
        if tag in ("tuple", "list"):
            items = node.get("items")
            _need(isinstance(items, list), tag)
            values = [self.node(v, depth + 1) for v in items]
            return tuple(values) if tag == "tuple" else values
        if tag == "foreign":
            type_name, text, inner = node.get("type"), node.get("repr"), node.get("array")
            _need(isinstance(type_name, str) and len(type_name) <= 1000, "foreign type")
            _need(isinstance(text, str) and len(text) <= MAX_STR + 3, "foreign repr")
            array = None
            if inner is not None:
                _need(isinstance(inner, dict) and inner.get("t") == "nd", "foreign array")
                array = self.array(inner)
            return Foreign(type_name, text, array)
        raise WireError(f"malformed value on the wire: unknown tag {str(tag)[:20]!r}")


def decode(tree: Any, blob: bytes, max_bytes: int = 64 * 2**20, copy: bool = True) -> Any:
    """Decode a tree made by :func:`encode`; raises WireError for anything malformed.

    With ``copy=False`` arrays are read-only views of ``blob`` (the sandbox keeps its pristine
    inputs that way and hands each call a deep copy).
    """
    return _Decoder(blob, max_bytes, copy).node(tree, 0)


# ----------------------------------------------------------------------- inputs, grader -> child
# The inputs of a job travel the other way, from the grader to the sandbox, which trusts them:
# marshal (C speed both ways, no code objects in what we build) of the values with each array as
# a tagged tuple (dtype, shape, offset), followed by the arrays' bytes, each at a 16-byte aligned
# offset; the sandbox's arrays are read-only views of those bytes (one buffer, not one bytes object
# per array for marshal to make). Never used for anything a sandboxed process sends back.
_ND, _TUPLE = "\x00nd", "\x00tuple"
_INPUTS_HEADER = struct.Struct("<Q")  # the marshal part's length
_ALIGN = 16


class _Packer:
    def __init__(self):
        self.chunks: list = []
        self.size = 0

    def plain(self, value: Any) -> Any:
        cls = type(value)
        if cls is np.ndarray:
            if value.dtype.str not in DTYPES:
                raise WireError(f"inputs of dtype {value.dtype} cannot be sent to the sandbox")
            data = np.ascontiguousarray(value).tobytes()
            node = (_ND, value.dtype.str, value.shape, self.size)
            pad = -len(data) % _ALIGN
            self.chunks.append(data + b"\x00" * pad if pad else data)
            self.size += len(data) + pad
            return node
        if cls is dict:
            return {str(k): self.plain(v) for k, v in value.items()}
        if cls is list:
            return [self.plain(v) for v in value]
        if cls is tuple:
            return (_TUPLE, [self.plain(v) for v in value])
        if value is None or cls in (bool, int, float, str):
            return value
        if isinstance(value, np.generic):
            return value.item()
        raise WireError(f"inputs of type {_type_name(value)} cannot be sent to the sandbox")


def pack_inputs(values: Any) -> bytes:
    """The grader's side: plain values (arrays, dicts, lists, tuples, numbers, str) as bytes."""
    packer = _Packer()
    tree = marshal.dumps(packer.plain(values))
    pad = -(_INPUTS_HEADER.size + len(tree)) % _ALIGN
    return b"".join([_INPUTS_HEADER.pack(len(tree)), tree, b"\x00" * pad, *packer.chunks])


def _restore(value: Any, data: bytes, start: int) -> Any:
    cls = type(value)
    if cls is tuple:
        if value[0] == _ND:
            _, dtype, shape, offset = value
            # read-only: a view of the job's bytes
            return np.ndarray(shape, _DTYPE_OF[dtype], data, start + offset)
        return tuple(_restore(v, data, start) for v in value[1])
    if cls is dict:
        return {k: _restore(v, data, start) for k, v in value.items()}
    if cls is list:
        return [_restore(v, data, start) for v in value]
    return value


def unpack_inputs(data: bytes) -> Any:
    """The sandbox's side of :func:`pack_inputs`; arrays are read-only views of ``data``."""
    (n_tree,) = _INPUTS_HEADER.unpack_from(data)
    end = _INPUTS_HEADER.size + n_tree
    tree = marshal.loads(memoryview(data)[_INPUTS_HEADER.size:end])
    return _restore(tree, data, end + (-end % _ALIGN))


def pack_job(header: dict, blob: bytes = b"") -> bytes:
    """A job for the sandbox (grader -> child, like :func:`pack_inputs`): lengths, the header as
    marshal (plain dicts, lists, str and numbers the grader built), the inputs' blob. The child
    reads it with :func:`unpack_job`; marshal parses in a fifth of the time JSON takes, and a
    fresh child pays for every allocation of the parse in page faults."""
    data = marshal.dumps(header)
    return FRAME_HEADER.pack(len(data), len(blob)) + data + blob


def unpack_job(data: bytes) -> tuple[dict, bytes]:
    """The sandbox's side of :func:`pack_job`: ``(header, blob)``."""
    n_header, n_blob = FRAME_HEADER.unpack_from(data)
    end = FRAME_HEADER.size + n_header
    if len(data) != end + n_blob:
        raise WireError("the job is cut short")
    header = marshal.loads(memoryview(data)[FRAME_HEADER.size:end])
    if type(header) is not dict:
        raise WireError("the job's header is not a dict")
    return header, data[end:]


# ----------------------------------------------------------------------------------------- frames
# A unit that ran without an error and printed nothing is reported in a compact frame: this mark
# in place of the JSON length, the unit's index in place of the blob's. It stands for the very
# report the JSON frame would carry (``UNIT_OK``); a .py file has one unit per statement, and
# JSON on both sides was most of what reporting them cost.
UNIT_OK_MARK = 0xFFFFFFFF
UNIT_OK_MAX_INDEX = 2**24  # past it (garbage such as bytes 0xff), the frame is what it was: too large


def unit_ok(i: int) -> dict:
    """The report a compact frame stands for."""
    return {"ev": "unit", "i": i, "status": "ok", "message": "", "line": None, "stdout": ""}


def pack_unit_ok(i: int) -> bytes:
    """The compact frame of unit ``i`` (see ``UNIT_OK_MARK``)."""
    return FRAME_HEADER.pack(UNIT_OK_MARK, i)


# One encoder for every frame: json.dumps with options builds a new one per call.
_FRAME_ENCODER = json.JSONEncoder(allow_nan=False, separators=(",", ":"))


def pack_frame(header: dict, blob: bytes = b"") -> bytes:
    """One message: lengths, JSON header (UTF-8, no NaN), blob."""
    text = _FRAME_ENCODER.encode(header).encode()
    return FRAME_HEADER.pack(len(text), len(blob)) + text + blob


class FrameReader:
    """Cut a byte stream into (header, blob) frames, refusing frames past the caps."""

    def __init__(self, max_json: int = 16 * 2**20, max_blob: int = 64 * 2**20):
        self.buf = bytearray()
        self.max_json = max_json
        self.max_blob = max_blob

    def feed(self, data: bytes) -> Iterator[tuple[dict, bytes]]:
        """The complete frames so far, one at a time: a bad frame raises only after the good
        frames before it were handed over (they tell the grader how far the child got)."""
        self.buf += data
        while len(self.buf) >= FRAME_HEADER.size:
            n_json, n_blob = FRAME_HEADER.unpack_from(self.buf)
            if n_json == UNIT_OK_MARK and n_blob < UNIT_OK_MAX_INDEX:
                del self.buf[:FRAME_HEADER.size]
                yield unit_ok(n_blob), b""
                continue
            if n_json > self.max_json or n_blob > self.max_blob:
                raise WireError(f"a message of {n_json + n_blob} bytes is larger than allowed")
            end = FRAME_HEADER.size + n_json + n_blob
            if len(self.buf) < end:
                break
            raw = bytes(self.buf[FRAME_HEADER.size:FRAME_HEADER.size + n_json])
            blob = bytes(self.buf[FRAME_HEADER.size + n_json:end])
            del self.buf[:end]
            header = _header(raw)
            if not isinstance(header, dict):
                raise WireError("malformed message header")
            yield header, blob


def _header(raw: bytes) -> Any:
    """A frame's JSON header (UTF-8/16/32, lone surrogates kept; NaN and Infinity refused)."""
    try:
        # json.loads(raw, parse_constant=…) without building a decoder per frame
        return _HEADER_DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, RecursionError):
        raise WireError("malformed message header") from None


def _refuse_constant(name: str) -> None:
    raise WireError(f"malformed message header: {name}")


_HEADER_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
