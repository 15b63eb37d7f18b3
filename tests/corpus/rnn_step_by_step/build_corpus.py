"""Build the rnn-step-by-step corpus: student notebooks of both course generations + expected.json.

Run ``python build_corpus.py`` from this folder (or give its path). Each notebook is assembled
from a list of students' function variants (student_forward.py, student_backward.py), the course
skeleton (corpus_templates.py, corpus_cells.py) and a few kinds of mess, then executed once here with
stand-in helper modules so that it carries the outputs a saved notebook has (execution counts,
printed values, tracebacks). The verdicts in expected.json are written by hand: each variant
states what it earns alone, and each notebook states the overrides that come from interactions
between its functions (see NOTEBOOKS). ``verify_corpus.py`` checks all of them independently.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import sys
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import v4

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import verify_reference as reference  # noqa: E402
from corpus_cells import (CLOSING, EXPECTED_MD_V3, INTRO, PACKAGES_MD, SECTIONS,  # noqa: E402
                            exercise_md, test_cell)
from student_backward import (LSTM_BACKWARD, LSTM_CELL_BACKWARD, RNN_BACKWARD,  # noqa: E402
                              RNN_CELL_BACKWARD)
from student_forward import (LSTM_CELL_FORWARD, LSTM_FORWARD, OWN_SOFTMAX_AXIS1,  # noqa: E402
                             RNN_CELL_FORWARD, RNN_FORWARD)
from corpus_templates import FUNCTIONS, cell_header  # noqa: E402

VARIANTS = {"rnn_cell_forward": RNN_CELL_FORWARD, "rnn_forward": RNN_FORWARD,
            "lstm_cell_forward": LSTM_CELL_FORWARD, "lstm_forward": LSTM_FORWARD,
            "rnn_cell_backward": RNN_CELL_BACKWARD, "rnn_backward": RNN_BACKWARD,
            "lstm_cell_backward": LSTM_CELL_BACKWARD, "lstm_backward": LSTM_BACKWARD}
SHORT = dict(zip(("RCF", "RF", "LCF", "LF", "RCB", "RB", "LCB", "LB"), FUNCTIONS))
BACKWARD = FUNCTIONS[4:]


@dataclass
class Spec:
    """One notebook: the variant of each function, the mess it carries, verdict overrides."""
    name: str
    generation: str                      # "current" or "v3"
    note: str
    picks: dict = field(default_factory=dict)          # short name -> variant key ("plain" default)
    flags: frozenset = frozenset()
    overrides: dict = field(default_factory=dict)      # short name -> (verdict, mistakes)

    def variant(self, fn):
        short = next(k for k, v in SHORT.items() if v == fn)
        key = self.picks.get(short, "template" if ("fwd_only" in self.flags and fn in BACKWARD)
                             else "plain")
        return VARIANTS[fn][key]

    def verdict(self, fn):
        short = next(k for k, v in SHORT.items() if v == fn)
        if short in self.overrides:
            verdict, mistakes = self.overrides[short]
        else:
            _, verdict, mistakes = self.variant(fn)
        return {"verdict": verdict, "mistakes": list(mistakes)}


def S(name, gen, note, flags=(), over=None, **picks):
    return Spec(name, gen, note, picks, frozenset(flags), over or {})


WRONG = "wrong"
ROC = ("right_on_reference_cache", [])

NOTEBOOKS = [
    # ---------------- current generation (public_tests) ----------------
    S("cur01_all_correct.ipynb", "current", "Everything correct, the template filled in line by line."),
    S("cur02_all_correct_colab_styles.ipynb", "current",
      "Everything correct in other styles (@, lists + np.stack/np.dstack, one stacked LSTM matrix, "
      "dict accumulation); Colab drive.mount and an automagic cd line.",
      flags=("colab",), RCF="matmul_print", RF="lists_stack", LCF="concat_matmul", LF="lists_dstack",
      RCB="recompute_z", RB="dict_loop", LCB="one_matrix", LB="dict_accumulate"),
    S("cur03_all_correct_zh.ipynb", "current",
      "Everything correct; Chinese comments, own helper functions, an inline rnn_forward, !pip line.",
      flags=("pip", "zh_md"), RCF="zh_helper", RF="inline_zh", LCF="split_weights_zh"),
    S("cur04_forward_only.ipynb", "current",
      "Forwards correct; the optional backward part left as the template, its test cells raise.",
      flags=("fwd_only",)),
    S("cur05_forward_only_colab.ipynb", "current",
      "Forwards correct in other styles; backward left as the template; Colab, %matplotlib inline.",
      flags=("fwd_only", "colab", "matplotlib"), RCF="stacked", RF="lists_stack", LCF="one_matrix",
      LF="lists_dstack"),
    S("cur06_forward_only_unrun_backward.ipynb", "current",
      "Forwards correct; backward templates whose cells were never executed (no outputs).",
      flags=("fwd_only", "unrun_backward"), RCF="zh_helper", LCF="split_weights_zh"),
    S("cur07_lstm_no_carry.ipynb", "current",
      "lstm_backward never updates da_prevt/dc_prevt (the most common mistake); the rest correct.",
      LB="no_carry"),
    S("cur08_lstm_no_carry_explicit.ipynb", "current",
      "lstm_backward passes da[:, :, t] and zeros for dc (every step alone); other cells in other "
      "styles; execution counts out of order.",
      flags=("gaps",), LB="no_carry_explicit", LCB="one_matrix", RB="dict_loop", RCB="recompute_z"),
    S("cur09_lstm_no_dh.ipynb", "current",
      "lstm_backward carries dc_prevt but never adds da_prevt to da[:, :, t]; %matplotlib inline.",
      flags=("matplotlib",), LB="no_dh"),
    S("cur10_lstm_overwrite.ipynb", "current",
      "lstm_backward accumulates with `dW += dW + g`; rnn_backward never updates da_prevt (for the "
      "RNN the same numbers as no_dh_accumulation); a scratch cell; !pip line.",
      flags=("pip", "scratch"), LB="overwrite", RB="no_carry"),
    S("cur11_lstm_wrong_keys.ipynb", "current",
      "lstm_backward returns dWu/dbu instead of dWi/dbi; its test cell draws da with T=7 while x has "
      "T=4 (the cell raises; the function is fine apart from the keys).",
      flags=("da_T_mismatch",), LB="wrong_keys"),
    S("cur12_lstm_forward_view.ipynb", "current",
      "lstm_forward keeps c_next = c[:, :, 0] (a view): outputs right, first cache's c_prev becomes "
      "c_1. Its lstm_backward is right but gets wrong gradients on its own caches.",
      LF="view_c0", over={"LB": ROC}),
    S("cur13_view_and_no_carry_zh.ipynb", "current",
      "lstm_forward aliasing (Chinese comments) and lstm_backward without carry: the backward is "
      "wrong on the reference cache too. Colab.",
      flags=("colab", "zh_md"), LF="view_c0_zh", LB="no_carry"),
    S("cur14_lstm_cell_globals_tmp.ipynb", "current",
      "lstm_cell_backward reads parameters_tmp (the test cells' global) for the weights: right only "
      "while the global holds the same values; lstm_backward calls it and inherits the mistake.",
      LCB="globals_tmp", over={"LB": (WRONG, ["uses_notebook_globals"])}),
    S("cur15_lstm_cell_dW_for_W.ipynb", "current",
      "lstm_cell_backward uses dWf.. where Wf.. belongs (da_prev, dxt wrong); lstm_backward inherits.",
      LCB="dW_for_W", over={"LB": (WRONG, ["weights_from_gradients"])}),
    S("cur16_no_sigma_and_no_carry.ipynb", "current",
      "lstm_cell_backward misses the forget gate's sigmoid derivative, and lstm_backward has no carry: "
      "two mistakes show in lstm_backward.",
      LCB="no_sigma_f", LB="no_carry", over={"LB": (WRONG, ["missing_gate_derivative", "no_bptt_carry"])}),
    S("cur17_rnn_tanh_of_a.ipynb", "current",
      "rnn_cell_backward uses 1 - tanh(a_next)^2; rnn_backward calls it; LSTM backward left as template.",
      RCB="tanh_of_a", LCB="template", LB="template",
      over={"RB": (WRONG, ["missing_tanh_derivative"])}),
    S("cur18_rnn_no_keepdims_it_swap.ipynb", "current",
      "rnn_cell_backward sums dba without keepdims (shape (n_a,)); rnn_backward adds it up and "
      "returns that shape too. lstm_cell_backward uses it for ot in dc_prev; lstm_backward carries "
      "that dc_prev.",
      RCB="no_keepdims", RB="dict_loop", LCB="it_in_dc_prev",
      over={"RB": (WRONG, ["bias_grad_axis"]), "LB": (WRONG, ["gate_swapped_in_dc_prev"])}),
    S("cur19_no_dh_both.ipynb", "current",
      "rnn_backward and lstm_backward both forget to add da_prevt to da[:, :, t] (for the RNN this "
      "is the same numbers as no carry at all); %matplotlib inline.",
      flags=("matplotlib",), RB="no_dh", LB="no_dh"),
    S("cur20_rnn_h0_zeros.ipynb", "current",
      "rnn_forward starts from zeros instead of a0; rnn_backward is right but its own caches are "
      "wrong. lstm_backward without da accumulation.",
      RF="h0_zeros", LB="no_dh", over={"RB": ROC}),
    S("cur21_rnn_cache_placeholder.ipynb", "current",
      "rnn_forward leaves caches.append(None): outputs right, caches full of None; rnn_backward is "
      "right on reference caches and crashes on its own. LSTM backward left as template.",
      RF="cache_placeholder", LCB="template", LB="template", over={"RB": ROC}),
    S("cur22_lstm_cell_inplace.ipynb", "current",
      "lstm_cell_forward builds c_next in place in c_prev (cache's c_prev is c_next); lstm_forward "
      "inherits the corrupted caches; both LSTM backwards are right on reference caches only.",
      flags=("zh_md",), LCF="inplace_c",
      over={"LF": ("cache_corrupted", ["state_aliasing"]), "LCB": ROC, "LB": ROC}),
    S("cur23_half_written_lstm_backward.ipynb", "current",
      "lstm_backward's cell does not parse (its test cell raises NameError); lstm_cell_backward has a "
      "parenthesis slip in dc_prev (no catalogue id).",
      LCB="paren_slip", LB="half_written"),
    S("cur24_own_softmax_axis.ipynb", "current",
      "A helper cell redefines softmax over axis 1, shadowing rnn_utils.softmax: all four forwards "
      "give wrong predictions; caches hold no predictions, so the backwards are correct.",
      flags=("own_softmax",),
      over={"RCF": (WRONG, ["softmax_axis"]), "RF": (WRONG, ["softmax_axis"]),
            "LCF": (WRONG, ["softmax_axis"]), "LF": (WRONG, ["softmax_axis"])}),
    S("cur25_crashes.ipynb", "current",
      "rnn_backward does not parse; lstm_cell_backward uses a concat it never built (NameError on "
      "every call) and lstm_backward, which calls it, raises too.",
      RB="half_written", LCB="concat_undefined", over={"LB": ("error", [])}),
    S("cur26_all_correct_messy.ipynb", "current",
      "Everything correct; Colab, !pip, scratch cells, execution counts with gaps.",
      flags=("colab", "pip", "scratch", "gaps"), RCF="matmul_print", LCF="one_matrix",
      LB="dict_accumulate"),
    S("cur27_forward_only_colab.ipynb", "current",
      "Forwards correct; backward templates; Colab with an automagic cd.",
      flags=("fwd_only", "colab"), RF="inline_zh"),
    # ---------------- v3 generation (no public_tests, globals in test cells) ----------------
    S("v3_01_all_correct.ipynb", "v3", "Everything correct, template filled in line by line."),
    S("v3_02_all_correct_colab.ipynb", "v3",
      "Everything correct in other styles; Colab drive.mount, automagic cd, !pip.",
      flags=("colab", "pip"), RCF="stacked", RF="lists_stack", LCF="split_weights_zh", LF="lists_dstack",
      RCB="recompute_z", RB="dict_loop", LCB="one_matrix", LB="dict_accumulate"),
    S("v3_03_all_correct_zh.ipynb", "v3", "Everything correct; Chinese comments and helpers.",
      flags=("zh_md",), RCF="zh_helper", RF="inline_zh", LCF="one_matrix"),
    S("v3_04_forward_only_lstm_h0_zeros.ipynb", "v3",
      "lstm_forward starts from zeros instead of a0; backward left as template; %matplotlib inline.",
      flags=("fwd_only", "matplotlib"), LF="h0_zeros"),
    S("v3_05_globals_no_carry.ipynb", "v3",
      "lstm_cell_backward reads the bare globals Wf, Wi, Wc, Wo of the test cells; lstm_backward has "
      "no carry (the old notebook's published numbers); rnn_cell_backward uses a_next**2.",
      RCB="a_squared", LCB="globals_v3", LB="no_carry",
      over={"RB": (WRONG, ["missing_tanh_derivative"]),
            "LB": (WRONG, ["uses_notebook_globals", "no_bptt_carry"])}),
    S("v3_06_double_tanh_overwrite.ipynb", "v3",
      "lstm_cell_backward writes the candidate's derivative as 1 - tanh(cct)^2 as the old text printed "
      "(no catalogue id; lstm_backward inherits); rnn_cell_backward uses 1 - tanh(a_next) and "
      "rnn_backward overwrites its parameter gradients. Execution counts out of order.",
      flags=("gaps",), RCB="one_minus_tanh", RB="overwrite", LCB="double_tanh",
      over={"RB": (WRONG, ["missing_tanh_derivative", "overwrite_param_grads"]), "LB": (WRONG, [])}),
    S("v3_07_view_no_carry.ipynb", "v3",
      "lstm_forward keeps a view of c[:, :, 0] (cache corrupted) and lstm_backward has no carry; "
      "rnn_cell_backward leaves out the tanh derivative. lstm_backward's test cell uses da with T=7.",
      flags=("da_T_mismatch",), LF="view_c0", LB="no_carry", RCB="no_derivative",
      over={"RB": (WRONG, ["missing_tanh_derivative"])}),
    S("v3_08_lstm_cell_forward_crash.ipynb", "v3",
      "lstm_cell_forward calls np.concatenate(a_prev, xt) (TypeError every call), so lstm_forward "
      "raises too; the LSTM backwards are right on reference caches only. RNN backward left as template.",
      LCF="concat_crash", RCB="template", RB="template",
      over={"LF": ("error", []), "LCB": ROC, "LB": ROC}),
    S("v3_09_three_in_lstm_backward.ipynb", "v3",
      "rnn_cell_backward reads the bare globals Wax, Waa; rnn_backward loops one step too far "
      "(IndexError); lstm_cell_backward drops the candidate's tanh derivative, and lstm_backward "
      "neither carries nor accumulates.",
      RCB="globals", RB="off_by_one", LCB="no_tanh_cct", LB="no_carry_and_overwrite",
      over={"LB": (WRONG, ["missing_gate_derivative", "no_bptt_carry", "overwrite_param_grads"])}),
    S("v3_10_lstm_a_is_c.ipynb", "v3",
      "lstm_forward binds a = c = np.zeros(...), so a holds the cell states (wrong outputs), but the "
      "step caches are right and lstm_backward is correct on them.",
      LF="a_is_c"),
    S("v3_11_wraparound_crashes.ipynb", "v3",
      "rnn_forward reads a[:, :, t-1] (zeros at t=0); rnn_cell_backward writes keepdim=True (TypeError "
      "on every call), so rnn_backward raises; lstm_cell_backward uses dW for W and it for ot; lstm_backward unpacks in "
      "the wrong order (raises).",
      RF="wraparound", RCB="keepdim_typo", LCB="dW_and_it_swap", LB="unpack_order",
      over={"RB": ("error", [])}),
    S("v3_12_unanswered_lstm_forward.ipynb", "v3",
      "lstm_cell_forward concatenates [xt; a_prev]; lstm_forward and the backward part left as template.",
      flags=("fwd_only",), LCF="concat_x_first", LF="template"),
    S("v3_13_globals_and_no_sigma.ipynb", "v3",
      "lstm_cell_backward reads the bare global weights and misses the forget gate's sigmoid "
      "derivative (two mistakes, lstm_backward inherits both); rnn_backward overwrites its gradients.",
      RB="overwrite", LCB="globals_and_no_sigma", LB="dict_accumulate",
      over={"LB": (WRONG, ["uses_notebook_globals", "missing_gate_derivative"])}),
    S("v3_14_forward_only.ipynb", "v3", "Forwards correct; backward left as template.",
      flags=("fwd_only",), RF="lists_stack", LF="lists_dstack"),
]

# ---------------------------------------------------------------------------------------------
# Assembling the cells


def _code(src, **meta):
    return ("code", src, meta)


def _md(src):
    return ("markdown", src, {})


COLAB_CELLS = [
    _code("from google.colab import drive\ndrive.mount('/content/drive')"),
    _code("cd /content/drive/MyDrive/Coursera/DLS5/W1A1"),
]
SCRATCH = ["a_tmp.shape", "print(type(caches_tmp), len(caches_tmp[0]))"]


def assemble(spec: Spec) -> list[tuple]:
    gen, flags = spec.generation, spec.flags
    cells = [_md(INTRO[gen])]
    if "colab" in flags:
        cells += COLAB_CELLS
    imports = "import numpy as np\nfrom rnn_utils import *"
    if gen == "current":
        imports += "\nfrom public_tests import *"
        cells.append(_md(PACKAGES_MD))
    if "matplotlib" in flags:
        imports = "%matplotlib inline\n" + imports
    if "pip" in flags:
        cells.append(_code("!pip install numpy"))
    cells.append(_code(imports))
    if "own_softmax" in flags:
        cells.append(_code(OWN_SOFTMAX_AXIS1))
    if "zh_md" in flags:
        cells.append(_md("**我的笔记**：所有数组的列是样本，`a` 的形状是 (n_a, m)。"))
    for number, fn in enumerate(FUNCTIONS, start=1):
        if fn in SECTIONS:
            section = SECTIONS[fn]
            if gen == "v3":   # the old notebook had no anchors
                section = section.split("\n", 1)[1]
            cells.append(_md(section))
        cells.append(_md(exercise_md(fn, number, gen)))
        code, _, _ = spec.variant(fn)
        meta = {}
        if gen == "current" and number <= 4:
            meta = {"deletable": False, "nbgrader": {"grade": False, "grade_id": f"cell-{fn}",
                                                     "locked": False, "solution": True, "task": False}}
        cells.append(_code(cell_header(fn, gen) + code.rstrip("\n"), **meta))
        da_steps = 7 if (fn == "lstm_backward" and "da_T_mismatch" in flags) else None
        cells.append(_code(test_cell(fn, gen, da_steps), role=f"test:{fn}"))
        if gen == "v3":
            cells.append(_md(EXPECTED_MD_V3))
        if "scratch" in flags and fn == "lstm_forward":
            cells += [_code(s) for s in SCRATCH]
    cells.append(_md(CLOSING[gen]))
    return cells


# ---------------------------------------------------------------------------------------------
# Executing once, to store the outputs a saved notebook carries

RNN_UTILS_SRC = '''
import numpy as np

def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)

def sigmoid(x):
    return 1 / (1 + np.exp(-x))
'''


def _public_tests_module():
    """Stand-in for the course's public tests: compares with the reference on fixed inputs."""
    mod = types.ModuleType("public_tests")
    import numpy as np

    def make(fn_name):
        def check(target):
            case = reference.make_case(212, 3, 5, 2, 8, 5)
            args = reference.forward_args(fn_name, case)
            got = target(*[np.copy(a) if isinstance(a, np.ndarray) else dict(a) for a in args])
            want = reference.FUNCTIONS[fn_name](*args)
            k = reference.CACHE_INDEX[fn_name]
            for i, (g, w) in enumerate(zip(got, want)):
                if i == k:
                    continue
                assert np.shape(g) == np.shape(w), f"Wrong shape for output {i}"
                assert np.allclose(g, w), f"Wrong values for output {i}"
            print("\033[92mAll tests passed")
        check.__name__ = {"rnn_cell_forward": "rnn_cell_forward_tests"}.get(fn_name, fn_name + "_test")
        return check

    for fn_name in reference.CACHE_INDEX:
        f = make(fn_name)
        setattr(mod, f.__name__, f)
    return mod


def _colab_modules():
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")

    class drive:  # noqa: N801 - the real one is a module named drive
        @staticmethod
        def mount(path, **kwargs):
            print(f"Mounted at {path}")
    colab.drive = drive
    google.colab = colab
    return {"google": google, "google.colab": colab}


def _magic_output(line: str) -> str | None:
    s = line.strip()
    if s.startswith("!pip"):
        return ("Requirement already satisfied: numpy in /usr/local/lib/python3.10/dist-packages "
                "(1.25.2)\n")
    if s.startswith("cd "):
        return s[3:].strip() + "\n"
    return ""  # %matplotlib inline prints nothing


def _is_magic(line: str) -> bool:
    s = line.lstrip()
    return s.startswith(("%", "!")) or (line.startswith("cd ") and not line.startswith("cd ="))


RED, GREEN, RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0m"   # Jupyter colours its tracebacks


def _error_output(exc, cell_sources, counts, syntax=False):
    ename, evalue = type(exc).__name__, str(exc)
    if syntax:
        tb = [f"  Cell {GREEN}In[{counts}], line {exc.lineno}{RESET}", f"    {(exc.text or '').rstrip()}",
              "    ^", f"{RED}{ename}{RESET}: {exc.msg}"]
        return v4.new_output("error", ename=ename, evalue=exc.msg, traceback=tb)
    tb = [f"{RED}{'-' * 75}{RESET}", f"{RED}{ename}{RESET}{' ' * (42 - len(ename))}Traceback (most recent call last)"]
    for frame in traceback.extract_tb(exc.__traceback__)[1:]:
        if frame.filename.startswith("<cell-"):
            idx = int(frame.filename[6:-1])
            line = cell_sources[idx].splitlines()[frame.lineno - 1]
            tb.append(f"Cell {GREEN}In[{counts[idx]}], line {frame.lineno}{RESET}\n"
                      f"{GREEN}----> {frame.lineno}{RESET} {line.strip()}\n")
        elif frame.filename == __file__:
            tb.append(f"File {GREEN}~/work/public_tests.py{RESET}, in {frame.name}")
    tb.append(f"{RED}{ename}{RESET}: {evalue}")
    return v4.new_output("error", ename=ename, evalue=evalue, traceback=tb)


def execute(spec: Spec, cells: list[tuple]) -> list:
    """Run the code cells in order; return notebook cells with outputs and execution counts."""
    saved = {k: sys.modules.get(k) for k in ("rnn_utils", "public_tests", "google", "google.colab")}
    rnn_utils = types.ModuleType("rnn_utils")
    exec(RNN_UTILS_SRC, rnn_utils.__dict__)
    sys.modules.update({"rnn_utils": rnn_utils, "public_tests": _public_tests_module(),
                        **_colab_modules()})
    ns = {"__name__": "__main__"}
    out_cells, count = [], 0
    counts, sources = {}, {}
    skip_rest = False
    try:
        for idx, (kind, src, meta) in enumerate(cells):
            if kind == "markdown":
                out_cells.append(v4.new_markdown_cell(src))
                continue
            role = meta.pop("role", "")
            if "unrun_backward" in spec.flags and role == "" and "rnn_cell_backward(" in src \
                    and src.lstrip().startswith("def rnn_cell_backward"):
                skip_rest = True
            cell = v4.new_code_cell(src, metadata=meta)
            if skip_rest:
                out_cells.append(cell)
                continue
            count += 3 if ("gaps" in spec.flags and idx % 4 == 1) else 1
            counts[idx], sources[idx] = count, src
            cell.execution_count = count
            outputs = []
            lines = src.splitlines()
            magic_text = "".join(_magic_output(l) for l in lines if _is_magic(l))
            py = "\n".join(("pass" if _is_magic(l) else l) for l in lines)
            buf = io.StringIO()
            try:
                tree = ast.parse(py, filename=f"<cell-{idx}>")
            except SyntaxError as exc:
                outputs.append(_error_output(exc, sources, count, syntax=True))
                tree = None
            result, error = None, None
            if tree is not None:
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                with contextlib.redirect_stdout(buf):
                    try:
                        exec(compile(tree, f"<cell-{idx}>", "exec"), ns)
                        if last is not None:
                            result = eval(compile(ast.Expression(last.value), f"<cell-{idx}>", "eval"), ns)
                    except Exception as exc:  # noqa: BLE001 - a notebook shows any error
                        error = exc
            text = magic_text + buf.getvalue()
            if text:
                outputs.insert(0, v4.new_output("stream", name="stdout", text=text))
            if error is not None:
                outputs.append(_error_output(error, sources, counts))
            elif result is not None:
                outputs.append(v4.new_output("execute_result", data={"text/plain": repr(result)},
                                             execution_count=count))
            cell.outputs = outputs
            out_cells.append(cell)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    return out_cells


def notebook(spec: Spec) -> nbformat.NotebookNode:
    cells = execute(spec, assemble(spec))
    nb = v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python",
                                     "version": "3.10.12" if spec.generation == "current" else "3.6.0"}}
    if "colab" in spec.flags:
        nb.metadata["colab"] = {"provenance": [], "name": spec.name}
        nb.metadata["accelerator"] = "None"
    if spec.generation == "v3":
        nb.nbformat_minor = 2
        for cell in nb.cells:
            cell.pop("id", None)
            if cell.cell_type == "code":
                cell.metadata.setdefault("collapsed", False)
    else:
        for k, cell in enumerate(nb.cells):
            cell.id = f"{Path(spec.name).stem[:5]}-{k:02d}"
    return nb


def expected() -> dict:
    return {spec.name: {"generation": spec.generation, "note": spec.note,
                        "functions": {fn: spec.verdict(fn) for fn in FUNCTIONS}}
            for spec in NOTEBOOKS}


def summary() -> str:
    """The counts quoted in README.md, as Markdown."""
    from collections import Counter
    exp = expected()
    gens = Counter(v["generation"] for v in exp.values())
    lines = [f"Notebooks: {len(exp)} ({gens['current']} current, {gens['v3']} v3); "
             f"fully correct: {sum(all(f['verdict'] == 'correct' for f in v['functions'].values()) for v in exp.values())}.",
             "", "| function | correct | wrong | cache_corrupted | right_on_reference_cache | unanswered | error |",
             "|---|---|---|---|---|---|---|"]
    for fn in FUNCTIONS:
        c = Counter(v["functions"][fn]["verdict"] for v in exp.values())
        lines.append(f"| {fn} | {c['correct']} | {c['wrong']} | {c['cache_corrupted'] or '-'} | "
                     f"{c['right_on_reference_cache'] or '-'} | {c['unanswered']} | {c['error']} |")
    lines += ["", "| mistake id | function: count |", "|---|---|"]
    by_id = {}
    for v in exp.values():
        for fn, f in v["functions"].items():
            for m in f["mistakes"]:
                by_id.setdefault(m, Counter())[fn] += 1
    for m in sorted(by_id):
        lines.append(f"| `{m}` | " + ", ".join(f"{fn} {n}" for fn, n in sorted(by_id[m].items())) + " |")
    no_id = sum(1 for v in exp.values() for f in v["functions"].values()
                if f["verdict"] == "wrong" and not f["mistakes"])
    lines.append(f"\n`wrong` with no catalogue id (empty list): {no_id}.")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["--summary"]:
        print(summary())
        return
    names = [s.name for s in NOTEBOOKS]
    assert len(names) == len(set(names))
    for old in HERE.glob("*.ipynb"):
        if old.name not in names:
            old.unlink()
    for spec in NOTEBOOKS:
        nb = notebook(spec)
        nbformat.validate(nb)
        (HERE / spec.name).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    (HERE / "expected.json").write_text(json.dumps(expected(), indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    print(f"wrote {len(NOTEBOOKS)} notebooks and expected.json")


if __name__ == "__main__":
    main()
