"""Writing the sandbox's own report protocol on the result descriptor the process inherits."""
import json
import os
import struct

RESULT_FD = 4  # found by listing /proc/self/fd: the pipe the grader reads reports from


def raw_frame(text, blob=b""):
    return struct.pack("<II", len(text), len(blob)) + text + blob


def frame(header, blob=b""):
    return raw_frame(json.dumps(header).encode(), blob)


def forged_call(call_id, value):
    return frame({"ev": "call", "id": call_id, "status": "ok", "message": "", "seconds": 0.0,
                  "modified": [], "stdout": "", "value": value})


def claims_42(x):
    """Reports 42 for its own call, then returns 1: the real report arrives out of order."""
    os.write(RESULT_FD, forged_call("forged", {"t": "int", "v": "42"}))
    return 1


def fake_done(x):
    """Reports every remaining call as passed and the job as done, then leaves."""
    os.write(RESULT_FD, forged_call("done-1", {"t": "int", "v": "1"})
             + forged_call("done-2", {"t": "int", "v": "2"}) + frame({"ev": "done"}))
    os._exit(0)


def after(x):
    return x + 1


# Frames that once made the grader's own process raise (a float index, a number too large for a
# float), and frames that cost it memory or stall its reader.
BAD_FRAMES = {
    "float_index": frame({"ev": "unit", "i": 0.0, "status": "ok", "message": "", "line": None,
                          "stdout": ""}),
    "huge_seconds": raw_frame(b'{"ev": "loaded"}') + raw_frame(
        b'{"ev": "call", "id": "after", "status": "ok", "message": "", "modified": [], "stdout": "", '
        b'"value": {"t": "none"}, "seconds": 1' + b"0" * 400 + b"}"),
    "huge_header": struct.pack("<II", 60 * 2**20, 0),
    "deep_header": raw_frame(b"[" * 100_000),
    "json_bomb": raw_frame(b"[" + b"[]," * 1_999_999 + b"[]]"),
    "garbage": b"\xff" * 64,
    # a message the grader's catalogue has no entry for (every report of the result would fail to
    # render), one of the grader's own texts rather than the sandbox's, and one nested too deep
    "unknown_key": frame({"ev": "unit", "i": 0, "status": "error", "message": "", "line": None,
                          "stdout": "", "msg": {"key": "sandbox.no_such_key", "fields": {}}}),
    "foreign_key": frame({"ev": "unit", "i": 0, "status": "error", "message": "", "line": None,
                          "stdout": "", "msg": {"key": "item.all_passed", "fields": {"head": "5/5"}}}),
    "deep_msg": frame({"ev": "unit", "i": 0, "status": "error", "message": "", "line": None, "stdout": "",
                       "msg": json.loads('{"key": "sandbox.at", "fields": {"place": ' * 6 + '"x"' + "}}" * 6)}),
}


def write_bad_frame(name):
    data = BAD_FRAMES[name]
    view = memoryview(data)
    while view:
        view = view[os.write(RESULT_FD, view):]


def protocol_on_stdout(x):
    os.write(1, frame({"ev": "done"}))
    print(frame({"ev": "done"}))
    return 5
