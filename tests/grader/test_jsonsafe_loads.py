"""jsonsafe.loads reads every text as json.loads does (orjson where it reads the same)."""
import json
import math

import pytest

from grader.core.jsonsafe import dumps, loads


@pytest.mark.parametrize("text", [
    '{"a": 1, "b": [1.5, -0.0, null, true, "x\\u00fc", "ü"]}',
    '{"big": 123456789012345678901234567890, "neg": -9223372036854775809}',
    '{"f": 0.1000000000000000055511151231257827, "tiny": 5e-324, "s": 0.0009090010007639648}',
    '{"big": 1.0e19, "e": 12345678901234567890e2, "x": 12345678901234567890.5}',
    '{"s": "id12345678901234567890", "t": "-12345678901234567890"}',
    '{"nan": NaN, "inf": Infinity, "minus": -Infinity}',
    '{"s": "\\ud800"}',
    '{"a": 1, "a": 2}',
    '[' * 50 + ']' * 50,
], ids=["plain", "integers past 64 bits", "long mantissa", "long numbers that are floats",
        "digits in strings", "non-finite tokens", "lone surrogate",
        "duplicate key", "nested"])
def test_loads_reads_what_json_reads(text):
    expected, got = json.loads(text), loads(text)
    assert repr(got) == repr(expected)  # the same types too (1 == 1.0 would hide a float)


def test_loads_refuses_what_json_refuses():
    for text in ('{"a": }', '{"a": "\x01"}', ''):
        with pytest.raises(ValueError):
            json.loads(text)
        with pytest.raises(ValueError):
            loads(text)


def test_loads_reads_back_what_dumps_wrote():
    value = {"x": [1.0, 2.5e-7, float("nan")], "k": {"é": 3, "big": 2**70}}
    back = loads(dumps(value))
    assert back["x"][:2] == [1.0, 2.5e-7] and back["x"][2] == "nan" and back["k"] == {"é": 3, "big": 2**70}
    assert not any(isinstance(v, float) and math.isnan(v) for v in back["x"])
