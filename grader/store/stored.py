"""What the gradebook keeps of a result, and in what form.

The reports read little of a passing case: its id, label, visibility and status (the student report
lists it by label; grade.json and the class views count it), and its captured output (an item's
output is rebuilt from its public cases). Of a failing case they read everything, but only of its
failing outputs (``grader/reports/views.py``: ``case_view``). So the gradebook keeps

- of a passing case: ``case_id``, ``visibility``, ``passed``, ``status``, ``label``, and its
  ``message``, ``stdout``, ``diagnoses`` and ``inputs_modified`` when they are not empty;
- of a failing case: everything, except the outputs that passed. What is left is bounded: a
  preview holds at most ``PREVIEW_MAX_ELEMENTS`` numbers (``grader/checking/compare.py``) and the
  sandbox keeps at most ``Limits.call_stdout_kb`` of a call's output;
- everything else of the result as it is.

A row is that dictionary as JSON (keys in the order the model writes them: a case's input shapes
are shown in argument order), compressed with zlib. Measured on the benchmark's class
(``benchmarks/bench_grading.py``): previews hold at most 20 numbers at 6 significant digits, so
float64 bytes in base64 (about 11 characters a number) would be no shorter than their JSON text;
the bulk is the field names and messages each case repeats, which zlib removes (the stored form of
a correct submission: 28 KB of JSON, 4 KB compressed; the full result before: 110 KB of JSON). Rows written before this form are JSON text;
:func:`decode` reads both. Every file in OUT is rendered from the row as :func:`decode` returns it,
so ``rnngrade report`` writes the same bytes.
"""
from __future__ import annotations

import zlib
from typing import Union

from grader.core.jsonsafe import dumps, loads

PASSING_CASE_KEEP = ("case_id", "visibility", "passed", "status", "label")
PASSING_CASE_IF_SET = ("message", "stdout", "diagnoses", "inputs_modified")
# zlib's default level. Level 3 compresses in half the time (0.6 against 1.1 ms per result of the
# benchmark's fixed class) but the gradebook grows from 9.2 to 11.2 KB per submission
# (bench_grading --n 100); half a millisecond is 1 % of a submission's CPU. Level 9 saves 1 % more.
LEVEL = 6


def stored_form(result_dict: dict) -> dict:
    """``SubmissionResult.to_dict()`` reduced to what the reports read (see the module docstring).
    ``result_dict`` is not changed; the containers of the returned one that differ are new."""
    d = dict(result_dict)
    d["items"] = [_stored_item(it) for it in result_dict.get("items", [])]
    return d


def _stored_item(item: dict) -> dict:
    cases = item.get("cases")
    if not cases:
        return item
    return dict(item, cases=[_stored_case(c) for c in cases])


def _stored_case(case: dict) -> dict:
    if case.get("passed"):
        kept = {k: case[k] for k in PASSING_CASE_KEEP if k in case}
        for k in PASSING_CASE_IF_SET:
            if case.get(k):
                kept[k] = case[k]
        return kept
    outputs = case.get("outputs") or []
    if all(not o.get("passed") for o in outputs):
        return case
    return dict(case, outputs=[o for o in outputs if not o.get("passed")])


def to_text(d: dict) -> str:
    """A stored form as JSON text (non-finite floats spelled "nan"/"inf", see ``jsonsafe``)."""
    return dumps(d)


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def encode(d: dict) -> bytes:
    """What the gradebook stores for a (stored-form) result dictionary."""
    return compress(to_text(d))


def decode(value: Union[bytes, str]) -> dict:
    """A row's result back as a dictionary: compressed JSON (bytes), or JSON text from a gradebook
    written before rows were compressed."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = zlib.decompress(value).decode("utf-8")
    return loads(value)
