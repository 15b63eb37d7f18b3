"""Check the corpus against its expected.json, without the grader.

    python verify_corpus.py            # every notebook; exit status 1 on any disagreement
    python verify_corpus.py NAME ...   # only these notebooks

First the reference (verify_reference.py) is checked against central finite differences. Then each
notebook runs in a throwaway subprocess: its code cells are executed in order in one namespace
(magics, ``!`` lines and automagic ``cd`` lines replaced by ``pass``; an error in a cell is
recorded and the next cell runs), with stand-in modules ``rnn_utils`` (softmax over axis 0 after
subtracting the global max, sigmoid), an inert ``public_tests`` and ``google.colab``. Each of the
eight functions is then called on five input sets (see CASES: two with the notebook's own sizes,
one other, two edge shapes) and compared with the reference (np.allclose, rtol 1e-6, atol 1e-8):

- forward: outputs other than the cache must match for ``correct``; the cache too, else
  ``cache_corrupted``; ``wrong`` if the outputs differ on some case, ``error`` if every call raises;
- backward: called on the reference forward's cache and on the cache of the notebook's own
  forward on the same inputs: ``correct`` (both match), ``right_on_reference_cache`` (only the
  first), ``wrong``, ``error``;
- ``unanswered`` must still contain template placeholders (``= None``) and not be correct.

For single-mistake ``wrong`` verdicts with a known numerical signature, the notebook's function
must also match a "mutant" reference with exactly that mistake (see MUTANTS).
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import verify_reference as ref  # noqa: E402

FUNCTIONS = tuple(ref.FUNCTIONS)
FORWARDS, BACKWARDS = FUNCTIONS[:4], FUNCTIONS[4:]
# (seed, n_x, n_a, n_y, m, T): two with the notebooks' own n_x, n_a (so that code reading the test
# cells' globals computes numbers), one other, and two edge shapes (one unit, n_x == n_a with m = 1)
# so that no verdict hangs on a lucky size: an "error" must raise on all of them.
CASES = [(101, 3, 5, 2, 10, 4), (102, 3, 5, 2, 7, 6), (103, 4, 3, 2, 6, 5),
         (104, 1, 1, 1, 1, 1), (105, 2, 2, 3, 1, 2)]


# ---------------------------------------------------------------------------------------------
# Mutant references: the reference with one known mistake, to confirm the mistake ids.

def _mut_rnn_cell_backward(form):
    def f(da_next, cache):
        a_next, a_prev, xt, p = cache
        factor = {"tanh_of_a": 1 - np.tanh(a_next) ** 2, "a_squared": a_next ** 2,
                  "one_minus_tanh": 1 - np.tanh(a_next), "none": 1.0}[form]
        dz = da_next * factor
        return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
                "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}
    return f


def _mut_lstm_backward(carry_a=True, carry_c=True, add_da=True, doubling=False, overwrite=False):
    def f(da, caches):
        cache_list, x = caches
        T = x.shape[2]
        p = cache_list[0][9]
        keys = [k for g in ref.GATES for k in ("dW" + g, "db" + g)]
        out = {"dx": np.zeros_like(x)}
        out.update({k: np.zeros_like(p[k[1:]]) for k in keys})
        da_c = np.zeros_like(da[:, :, 0])
        dc_c = np.zeros_like(da[:, :, 0])
        for t in reversed(range(T)):
            g = ref.lstm_cell_backward(da[:, :, t] + (da_c if add_da else 0), dc_c, cache_list[t])
            out["dx"][:, :, t] = g["dxt"]
            for k in keys:
                out[k] = g[k] if overwrite else (2 * out[k] + g[k] if doubling else out[k] + g[k])
            if carry_a:
                da_c = g["da_prev"]
            if carry_c:
                dc_c = g["dc_prev"]
        out["da0"] = g["da_prev"]
        return out
    return f


def _mut_rnn_backward(add_da=True, overwrite=False):
    def f(da, caches):
        cache_list, x = caches
        out = {"dx": np.zeros_like(x)}
        carry, sums = np.zeros_like(da[:, :, 0]), {}
        for t in reversed(range(x.shape[2])):
            g = ref.rnn_cell_backward(da[:, :, t] + (carry if add_da else 0), cache_list[t])
            out["dx"][:, :, t] = g["dxt"]
            for k in ("dWax", "dWaa", "dba"):
                sums[k] = g[k] if overwrite else sums.get(k, 0) + g[k]
            carry = g["da_prev"]
        out.update(sums, da0=carry)
        return out
    return f


def _mut_lstm_cell_backward(kind):
    def f(da_next, dc_next, cache):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
        n_a = a_next.shape[0]
        tc = np.tanh(c_next)
        dc = dc_next + da_next * ot * (1 - tc ** 2)
        d = {"o": da_next * tc * ot * (1 - ot), "c": dc * it * (1 - cct ** 2),
             "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
        if kind == "no_sigma_f":
            d["f"] = dc * c_prev
        if kind == "no_tanh_cct":
            d["c"] = dc * it
        z = np.concatenate([a_prev, xt])
        out = {}
        for g in ref.GATES:
            out["dW" + g] = d[g] @ z.T
            out["db" + g] = d[g].sum(axis=1, keepdims=True)
        W = {g: (out if kind == "dW_for_W" else p)[("dW" if kind == "dW_for_W" else "W") + g]
             for g in ref.GATES}
        dz = sum(W[g].T @ d[g] for g in ref.GATES)
        out.update(dxt=dz[n_a:], da_prev=dz[:n_a], dc_prev=dc * ft)
        if kind == "it_in_dc_prev":
            out["dc_prev"] = dc_next * ft + it * (1 - tc ** 2) * ft * da_next
        return out
    return f


def _mut_h0_zeros(fn):
    def f(x, a0, p):
        return fn(x, np.zeros_like(a0), p)
    return f


def _softmax_axis1(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=1, keepdims=True)


def _mut_softmax(fn_name):
    def f(*args):
        saved = ref.softmax
        ref.softmax = _softmax_axis1
        try:
            return ref.FUNCTIONS[fn_name](*args)
        finally:
            ref.softmax = saved
    return f


def _mut_concat_x_first(xt, a_prev, c_prev, p):
    n_x = xt.shape[0]
    q = dict(p)
    for g in ref.GATES:   # [xt; a] W == [a; xt] W' with the column blocks swapped
        q["W" + g] = np.concatenate([p["W" + g][:, n_x:], p["W" + g][:, :n_x]], axis=1)
    return ref.lstm_cell_forward(xt, a_prev, c_prev, q)


# (function, mistake id, variant marker) -> mutant. The marker picks among forms sharing an id.
MUTANTS = {
    ("rnn_cell_backward", "missing_tanh_derivative"): [_mut_rnn_cell_backward(k) for k in
                                                       ("tanh_of_a", "a_squared", "one_minus_tanh", "none")],
    ("rnn_backward", "missing_tanh_derivative"): [],     # composed with the cell: checked as "differs"
    ("rnn_backward", "no_dh_accumulation"): [_mut_rnn_backward(add_da=False)],
    ("rnn_backward", "no_bptt_carry"): [_mut_rnn_backward(add_da=False)],
    ("rnn_backward", "overwrite_param_grads"): [_mut_rnn_backward(overwrite=True)],
    ("lstm_backward", "no_bptt_carry"): [_mut_lstm_backward(carry_a=False, carry_c=False)],
    ("lstm_backward", "no_dh_accumulation"): [_mut_lstm_backward(add_da=False)],
    ("lstm_backward", "overwrite_param_grads"): [_mut_lstm_backward(doubling=True),
                                                 _mut_lstm_backward(overwrite=True)],
    ("lstm_cell_backward", "missing_gate_derivative"): [_mut_lstm_cell_backward("no_sigma_f"),
                                                        _mut_lstm_cell_backward("no_tanh_cct")],
    ("lstm_cell_backward", "weights_from_gradients"): [_mut_lstm_cell_backward("dW_for_W")],
    ("lstm_cell_backward", "gate_swapped_in_dc_prev"): [_mut_lstm_cell_backward("it_in_dc_prev")],
    ("rnn_forward", "h0_zeros"): [_mut_h0_zeros(ref.rnn_forward)],
    ("lstm_forward", "h0_zeros"): [_mut_h0_zeros(ref.lstm_forward)],
    ("lstm_cell_forward", "concat_x_first"): [_mut_concat_x_first],
}
for _name in FORWARDS:
    MUTANTS[(_name, "softmax_axis")] = [_mut_softmax(_name)]


# ---------------------------------------------------------------------------------------------
# Comparing values

def same(want, got) -> bool:
    if isinstance(want, np.ndarray):
        return (isinstance(got, np.ndarray) and got.shape == want.shape
                and bool(np.allclose(got, want, rtol=1e-6, atol=1e-8)))
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and same(v, got[k]) for k, v in want.items())
    if isinstance(want, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(want)
                and all(same(w, g) for w, g in zip(want, got)))
    return want == got


def _call(fn, *args):
    """(True, result) or (False, exception text); arguments are deep-copied first."""
    try:
        return True, fn(*copy.deepcopy(args))
    except Exception as exc:  # noqa: BLE001 - any failure of student code is a result
        return False, f"{type(exc).__name__}: {exc}"


def _outputs(name, result):
    k = ref.CACHE_INDEX[name]
    return [r for i, r in enumerate(result) if i != k], result[k]


def behaviour(name, fn, ns):
    """What the function does on CASES: the verdict it earns and per-case details."""
    statuses, details, own_ok_all = [], [], True
    for seed, *dims in CASES:
        case = ref.make_case(seed, *dims)
        if name in FORWARDS:
            args = ref.forward_args(name, case)
            ok, got = _call(fn, *args)
            if not ok:
                statuses.append("raise"), details.append(got)
                continue
            want = ref.FUNCTIONS[name](*args)
            try:
                g_out, g_cache = _outputs(name, got)
            except Exception as exc:  # noqa: BLE001
                statuses.append("bad"), details.append(repr(exc))
                continue
            w_out, w_cache = _outputs(name, want)
            statuses.append("ok" if same(w_out, g_out) else "bad")
            own_ok_all &= same(w_cache, g_cache)
            details.append("")
        else:
            producer, k = ref.PRODUCERS[name]
            pargs = ref.forward_args(producer, case)
            ref_cache = ref.FUNCTIONS[producer](*pargs)[k]
            up = ref.upstream_args(name, case)
            want = ref.FUNCTIONS[name](*up, ref_cache)
            ok, got = _call(fn, *up, ref_cache)
            if not ok:
                statuses.append("raise"), details.append(got)
            else:
                statuses.append("ok" if same(want, got) else "bad")
                details.append("")
            own_producer = ns.get(producer)
            own_ok = False
            if callable(own_producer):
                ok_p, produced = _call(own_producer, *pargs)
                if ok_p:
                    try:
                        own_cache = produced[k]
                        ok_b, got_own = _call(fn, *up, own_cache)
                        own_ok = ok_b and same(want, got_own)
                    except Exception:  # noqa: BLE001
                        own_ok = False
            own_ok_all &= own_ok
    if all(s == "raise" for s in statuses):
        verdict = "error"
    elif all(s == "ok" for s in statuses):
        if own_ok_all:
            verdict = "correct"
        else:
            verdict = "cache_corrupted" if name in FORWARDS else "right_on_reference_cache"
    else:
        verdict = "wrong"
    return verdict, statuses, [d for d in details if d][:1]


def matches_mutant(name, fn, mistake) -> bool | None:
    """True if the function equals some mutant with `mistake` on the notebook-sized cases."""
    mutants = MUTANTS.get((name, mistake))
    if not mutants:
        return None
    for mutant in mutants:
        agree = True
        for seed, *dims in CASES[:2]:
            case = ref.make_case(seed, *dims)
            if name in FORWARDS:
                args = ref.forward_args(name, case)
                ok, got = _call(fn, *args)
                want = mutant(*args)
                agree &= ok and same(_outputs(name, want)[0], _outputs(name, got)[0])
            else:
                producer, k = ref.PRODUCERS[name]
                cache = ref.FUNCTIONS[producer](*ref.forward_args(producer, case))[k]
                up = ref.upstream_args(name, case)
                ok, got = _call(fn, *up, cache)
                agree &= ok and same(mutant(*up, cache), got)
        if agree:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Child: run one notebook

STUBS = {
    "rnn_utils.py": "import numpy as np\n\ndef softmax(x):\n    e_x = np.exp(x - np.max(x))\n"
                    "    return e_x / e_x.sum(axis=0)\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n",
    "public_tests.py": "".join(f"def {n}(target):\n    pass\n\n" for n in (
        "rnn_cell_forward_tests", "rnn_forward_test", "lstm_cell_forward_test", "lstm_forward_test")),
    "google/__init__.py": "",
    "google/colab/__init__.py": "class drive:\n    @staticmethod\n    def mount(*args, **kwargs):\n        pass\n",
}


def _strip(src: str) -> str:
    out = []
    for line in src.splitlines():
        s = line.lstrip()
        magic = s.startswith(("%", "!")) or line.startswith(("cd ", "ls ", "pwd"))
        out.append(line[: len(line) - len(s)] + "pass" if magic else line)
    return "\n".join(out)


def run_child(path: str) -> dict:
    import io
    import contextlib
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    ns = {"__name__": "__main__"}
    cell_errors = []
    with contextlib.redirect_stdout(io.StringIO()):
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            try:
                exec(compile(_strip(src), f"<cell {i}>", "exec"), ns)
            except Exception as exc:  # noqa: BLE001 - a failing cell does not stop the notebook
                cell_errors.append(f"cell {i}: {type(exc).__name__}")
        result = {"cell_errors": cell_errors, "functions": {}}
        expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
        exp = expected[Path(path).name]["functions"]
        for name in FUNCTIONS:
            fn = ns.get(name)
            entry = {}
            if not callable(fn):
                entry = {"verdict": "error", "statuses": [], "detail": ["not defined"]}
            else:
                verdict, statuses, detail = behaviour(name, fn, ns)
                entry = {"verdict": verdict, "statuses": statuses, "detail": detail}
                import inspect
                try:
                    entry["placeholders"] = "= None" in inspect.getsource(fn)
                except (OSError, TypeError):
                    src_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
                    text = "".join("".join(c["source"]) for c in src_cells
                                   if f"def {name}(" in "".join(c["source"]))
                    entry["placeholders"] = "= None" in text
                mistakes = exp[name]["mistakes"]
                if exp[name]["verdict"] == "wrong" and len(mistakes) == 1:
                    entry["mutant"] = matches_mutant(name, fn, mistakes[0])
            result["functions"][name] = entry
    return result


def child_main(path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in STUBS.items():
            p = Path(tmp, rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        sys.path.insert(0, tmp)
        print(json.dumps(run_child(path)))


# ---------------------------------------------------------------------------------------------
# Parent

def agrees(expected: dict, got: dict) -> tuple[bool, str]:
    v_exp, v_got = expected["verdict"], got["verdict"]
    if v_exp == "unanswered":
        ok = v_got in ("error", "wrong") and got.get("placeholders", False)
        return ok, "" if ok else f"expected unanswered, got {v_got} (placeholders={got.get('placeholders')})"
    if v_exp != v_got:
        return False, f"expected {v_exp}, got {v_got} {got.get('statuses')} {got.get('detail')}"
    if got.get("mutant") is False:
        return False, f"{expected['mistakes'][0]}: does not match the mutant reference"
    return True, ""


def main(argv: list[str]) -> int:
    worst = ref.check_against_finite_differences()
    print("reference vs central differences, worst relative error:",
          ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    if max(worst.values()) > 1e-6:
        print("FAIL: the reference disagrees with finite differences")
        return 1
    expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    names = argv or sorted(expected)
    on_disk = sorted(p.name for p in HERE.glob("*.ipynb"))
    failures = 0
    if sorted(expected) != on_disk:
        print("FAIL: expected.json and the notebooks on disk differ:",
              sorted(set(expected) ^ set(on_disk)))
        failures += 1
    mutant_checked = 0
    for name in names:
        proc = subprocess.run([sys.executable, __file__, "--child", str(HERE / name)],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            print(f"FAIL {name}: child crashed\n{proc.stderr[-2000:]}")
            failures += 1
            continue
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        for fn in FUNCTIONS:
            ok, why = agrees(expected[name]["functions"][fn], got["functions"][fn])
            mutant_checked += got["functions"][fn].get("mutant") is True
            if not ok:
                failures += 1
                print(f"FAIL {name} {fn}: {why}")
    print(f"{len(names)} notebooks, {len(names) * len(FUNCTIONS)} verdicts checked, "
          f"{mutant_checked} mistake ids confirmed by a mutant reference, {failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2])
    else:
        sys.exit(main(sys.argv[1:]))
