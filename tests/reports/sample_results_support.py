"""Hand-built results for the report tests: a spec of five items and students who got them right,
partly right, hostile (script in answers), timed out, crashed, failed to load, or are missing."""
from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import sympy

from assignments.spec import ItemSpec, Spec
from grader.model import CaseResult, ItemResult, OutputCheck, SubmissionResult
from grader.reports.mathml import expr_to_mathml

# Values that must never reach a student's report before solutions are released.
HIDDEN_EXPECTED = 0.7315926
HIDDEN_GOT_PASSING = 0.5551719
HIDDEN_STDOUT = "HIDDEN-STDOUT-7781"
RUBRIC = "RUBRIC-TEXT: full marks when the answer names the Jacobian product"
REFERENCE_VALUE = 0.4242421
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def png_bytes(width: int = 24, height: int = 16) -> bytes:
    """A real PNG (red/blue stripes), built with zlib so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + (b"\xd0\x30\x30" if (y // 4) % 2 else b"\x30\x50\xd0") * width
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG_B64 = base64.b64encode(png_bytes()).decode()


def make_spec() -> Spec:
    items = (
        ItemSpec(id="lstm_cell_forward", kind="code", points=6, exercise="6-2P",
                 title={"en": "Forward pass of one LSTM cell", "zh": "LSTM 单元的前向计算"}),
        ItemSpec(id="lstm_cell_backward", kind="code", points=10, exercise="6-2P",
                 title={"en": "Back-propagation through one LSTM cell", "zh": "LSTM 单元的反向传播"},
                 consistency={"forward": "lstm_cell_forward", "credit": 0.5}),
        ItemSpec(id="answer_lstm_dc_prev", kind="symbolic", points=5, exercise="6-4",
                 title={"en": "Gradient with respect to c_prev", "zh": "对 c_prev 的梯度"},
                 symbols=("dh", "dc", "f", "i", "o", "g", "c_prev")),
        ItemSpec(id="free_6_3", kind="free", points=10, exercise="6-3",
                 title={"en": "Why the residual update explodes", "zh": "残差更新为何会梯度爆炸"},
                 rubric={"en": RUBRIC, "zh": RUBRIC}),
    )
    return Spec(name="nndl-ch6", title={"en": "Chapter 6: LSTM and GRU", "zh": "第六章：LSTM 与 GRU"},
                default_lang="en", languages=("en", "zh"), seed=1, version="abc123def456",
                path=Path("spec.toml"), items=items)


def _ok_case(cid: str, vis: str, label: str, got=None) -> CaseResult:
    return CaseResult(case_id=cid, visibility=vis, passed=True, status="passed", label=label,
                      input_shapes={"xt": [3, 10], "h_prev": [5, 10]},
                      outputs=[OutputCheck(name="h_next", passed=True, stage="values", message="ok",
                                           max_abs_err=1e-12, max_rel_err=1e-11, worst_index=[0, 0],
                                           expected=got, got=got)])


def _dc_expr():
    dh, dc, f, i, o, g, c_prev = (sympy.Symbol(n, real=True) for n in ("dh", "dc", "f", "i", "o", "g", "c_prev"))
    c = f * c_prev + i * g
    return (dc + dh * o * (1 - sympy.tanh(c) ** 2)) * f, (dc + dh * o) * f


def alice() -> SubmissionResult:
    ref, _ = _dc_expr()
    items = [
        ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="passed",
                   message="5 of 5 cases passed.",
                   cases=[_ok_case("public-0", "public", "n_x=3, n_h=5, m=10", [[0.25, -0.5]]),
                          _ok_case("hidden-0", "hidden", "saturated gates", [[HIDDEN_GOT_PASSING]])]),
        ItemResult(item="lstm_cell_backward", kind="code", max_score=10, status="passed",
                   message="5 of 5 cases passed.",
                   cases=[_ok_case("public-0", "public", "m=1, n_h=1")],
                   consistency={"verdict": "consistent", "message": "", "tensors": {"dWf": {"ok": True, "rel_err": 1e-9}}},
                   consistency_credit=0.5),
        ItemResult(item="answer_lstm_dc_prev", kind="symbolic", max_score=5, status="passed",
                   symbolic={"verdict": "equivalent", "answer": "(dc + dh*o*(1 - tanh(c)**2))*f",
                             "message": "", "student_mathml": expr_to_mathml(ref),
                             "reference_mathml": expr_to_mathml(ref)}),
        ItemResult(item="free_6_3", kind="free", max_score=10, status="pending_manual",
                   free={"text": "The Jacobian I + diag(1 - tanh^2) U has eigenvalues > 1.",
                         "attachments": [], "rubric": RUBRIC},
                   manual={"points": 8, "comment": "Good, but say when clipping helps."}),
    ]
    return SubmissionResult(student="alice", status="graded", assignment="nndl-ch6", version="abc123def456",
                            items=items, path="alice.ipynb",
                            notes=["cell 2: skipped IPython magic `%matplotlib inline`"],
                            isolation={"summary": "separate process, no network, 1 GB memory",
                                       "layers": {"seccomp": "on", "user": "off: not root"}})


def bob() -> SubmissionResult:
    """Partly right, and hostile: script tags in answers, a hidden failing case, output in hidden cases."""
    _, wrong = _dc_expr()
    ref, _ = _dc_expr()
    hidden_fail = CaseResult(
        case_id="hidden-1", visibility="hidden", passed=False, status="failed", label="saturated gates",
        message=f"c_next: values differ, expected {HIDDEN_EXPECTED} at (2, 4)",
        input_shapes={"xt": [4, 6], "h_prev": [3, 6], "parameters": {"Wf": [3, 7]}},
        outputs=[OutputCheck(name="c_next", passed=False, stage="values",
                             message=f"expected {HIDDEN_EXPECTED}, got 0.1111",
                             max_abs_err=0.62, max_rel_err=0.85, worst_index=[2, 4],
                             expected=[[HIDDEN_EXPECTED, 0.3]], got=[[0.1111, 0.3]])],
        diagnoses=["gate_activation_swapped"], stdout=HIDDEN_STDOUT + "\n")
    public_fail = CaseResult(
        case_id="public-1", visibility="public", passed=False, status="failed", label="m=1, n_h=1",
        message="c_next: values differ", input_shapes={"xt": [1, 1], "h_prev": [1, 1]},
        outputs=[OutputCheck(name="c_next", passed=False, stage="values", message="values differ",
                             max_abs_err=0.25, max_rel_err=0.5, worst_index=[0, 0],
                             expected=[[0.5]], got=[[0.25]])],
        diagnoses=["gate_activation_swapped"], stdout="debug " + SCRIPT + "\n")
    big = [[float(r * 10 + c) / 7 for c in range(10)] for r in range(5)]
    shape_fail = CaseResult(
        case_id="public-0", visibility="public", passed=False, status="failed", label="n_x=3, n_h=5, m=10",
        message="dWf: values differ", input_shapes={"dh_next": [5, 10]},
        outputs=[OutputCheck(name="dWf", passed=False, stage="values", message="values differ",
                             max_abs_err=3.0, max_rel_err=1.0, worst_index=[1, 2], expected=big,
                             got=[[0.0] * 10] * 5)])
    items = [
        ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="partial",
                   message="1 of 3 cases passed.",
                   cases=[_ok_case("public-0", "public", "n_x=3, n_h=5, m=10", [[0.25]]), public_fail, hidden_fail],
                   diagnoses=["gate_activation_swapped"], stdout="debug\n" + HIDDEN_STDOUT + "\n"),
        ItemResult(item="lstm_cell_backward", kind="code", max_score=10, status="failed",
                   message="0 of 1 cases passed.", cases=[shape_fail],
                   consistency={"verdict": "consistent", "message": "", "tensors": {}}, consistency_credit=0.5),
        ItemResult(item="answer_lstm_dc_prev", kind="symbolic", max_score=5, status="failed",
                   message=f"Not equivalent: the reference gives {REFERENCE_VALUE} there.",
                   symbolic={"verdict": "not_equivalent", "answer": "(dc + dh*o)*f  # " + SCRIPT,
                             "message": f"reference gives {REFERENCE_VALUE}",
                             "counterexample": {"dh": 0.5, "dc": -1.25, "f": 0.3, "i": 0.6, "o": 0.7,
                                                "g": 0.2, "c_prev": 1.5},
                             "student_value": 0.0525, "reference_value": REFERENCE_VALUE,
                             "reference": "(dc + dh*o*(1 - tanh(c)**2))*f",
                             "student_mathml": expr_to_mathml(wrong), "reference_mathml": expr_to_mathml(ref)}),
        ItemResult(item="free_6_3", kind="free", max_score=10, status="pending_manual",
                   free={"text": f"Answer {SCRIPT} and {IMG}\n\n**bold** markdown",
                         "attachments": [{"name": "figure.png", "mime": "image/png", "data_b64": PNG_B64},
                                         {"name": "evil.svg", "mime": "image/svg+xml",
                                          "data_b64": base64.b64encode(b"<svg onload=alert(3)>").decode()}],
                         "rubric": RUBRIC}),
    ]
    return SubmissionResult(student="bob", status="graded", assignment="nndl-ch6", version="abc123def456",
                            items=items, path="bob/hw.ipynb", stdout="loading " + IMG + "\n",
                            flags=["not_on_roster"])


def carol() -> SubmissionResult:
    """Timeouts and crashes."""
    items = [
        ItemResult(item="lstm_cell_forward", kind="code", max_score=6, status="timeout",
                   message="Timed out after 2.0 s on every case.",
                   cases=[CaseResult(case_id="public-0", visibility="public", passed=False, status="timeout",
                                     label="n_x=3, n_h=5, m=10", message="timed out after 2.0 s")]),
        ItemResult(item="lstm_cell_backward", kind="code", max_score=10, status="error",
                   message="Your function crashed the worker.",
                   cases=[CaseResult(case_id="hidden-0", visibility="hidden", passed=False, status="error",
                                     label="m=1", message="crashed: killed by signal 9 (out of memory?)")],
                   consistency={"verdict": "not_checked", "message": "the forward timed out", "tensors": {}}),
        ItemResult(item="answer_lstm_dc_prev", kind="symbolic", max_score=5, status="failed",
                   symbolic={"verdict": "unparsable", "answer": "(dc + dh*o", "position": 10,
                             "message": "unbalanced parenthesis"}),
        ItemResult(item="free_6_3", kind="free", max_score=10, status="unanswered",
                   free={"text": "", "attachments": [], "rubric": RUBRIC}),
    ]
    return SubmissionResult(student="carol", status="graded", assignment="nndl-ch6", version="abc123def456",
                            items=items, path="carol.py")


def dave() -> SubmissionResult:
    return SubmissionResult(student="dave", status="load_error", assignment="nndl-ch6", version="abc123def456",
                            message="The notebook is not valid JSON (line 3, column 1).", path="dave.ipynb",
                            load_errors=[{"where": "cell 4, line 2", "message": "NameError: name 'np' is not defined"}])


def erin() -> SubmissionResult:
    return SubmissionResult(student="erin", status="missing", assignment="nndl-ch6", version="abc123def456")


def all_results() -> list[SubmissionResult]:
    return [alice(), bob(), carol(), dave(), erin()]
