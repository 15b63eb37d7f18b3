"""Check the held-out diagnosis set against an independent reference, without the grader.

Every student file of this folder is imported in its own subprocess (``--run FILE``), each function
named in ``labels.json`` is called on a few seeded random float64 inputs (non-zero biases), and the
returned arrays come back as an ``.npz`` loaded with ``allow_pickle=False``. In this process they
are compared with the reference below, which is written from the assignment's contract alone and
checked here against central finite differences first.

A function labelled ``"correct"`` must match the reference on every input set; a function labelled
with mistakes (a list of ids, or ``{"mistakes": [...], "calls_buggy": [...]}``) must differ on at
least one (a wrong shape, a missing key or an exception count as differing).

Run from the repository root:  ``python tests/corpus/heldout_diagnosis/verify_set.py``
Exit status 0 when every label agrees with the numbers. ``--counts`` prints the set's make-up,
``--outputs`` which outputs each function with a mistake gets wrong.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
N_X, N_H, N_Y, M, T = 3, 4, 2, 5, 4
SEEDS = (0, 1, 2)
RTOL, ATOL = 1e-6, 1e-8

FUNCTIONS = (
    "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward",
    "gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward",
    "residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian",
    "clip_by_global_norm",
)
MISTAKE_IDS = {
    "concat_x_first", "no_tanh_on_c", "candidate_sigmoid", "gate_activation_swapped",
    "dc_missing_dh_path", "double_tanh_candidate", "missing_sigmoid_derivative",
    "missing_gate_derivative", "no_dh_accumulation", "no_dc_carry", "no_bptt_carry",
    "overwrite_param_grads", "bias_grad_axis", "h0_zeros", "gru_z_swapped", "gru_reset_after",
    "softmax_axis", "residual_missing_identity", "clip_per_tensor", "state_aliasing",
    "uses_notebook_globals", "weights_from_gradients",
}

# --------------------------------------------------------------------------- inputs

def _params(rng: np.random.Generator, kind: str) -> dict[str, np.ndarray]:
    """Weights of one model; biases are drawn non-zero on purpose (a zero bias hides bias bugs)."""
    def w(*shape):
        return 0.6 * rng.standard_normal(shape)
    if kind == "lstm":
        p = {}
        for g in "fico":
            p["W" + g] = w(N_H, N_H + N_X)
            p["b" + g] = w(N_H, 1) + 0.3
        p["Wy"], p["by"] = w(N_Y, N_H), w(N_Y, 1) + 0.2
        return p
    if kind == "gru":
        p = {}
        for g in "zrh":
            p["W" + g] = w(N_H, N_H + N_X)
            p["b" + g] = w(N_H, 1) + 0.3
        p["Wy"], p["by"] = w(N_Y, N_H), w(N_Y, 1) + 0.2
        return p
    return {"U": w(N_H, N_H), "W": w(N_H, N_X), "b": w(N_H, 1) + 0.3}


def make_args(func: str, seed: int) -> tuple:
    """The positional arguments of one call of ``func``, drawn from ``seed`` (same in both processes)."""
    rng = np.random.default_rng(1000 + seed)
    kind = func.split("_")[0] if not func.startswith("residual") else "res"
    if func == "clip_by_global_norm":
        grads = {k: rng.standard_normal(s) * 2.0 for k, s in
                 (("dW", (N_H, N_X)), ("dU", (N_H, N_H)), ("db", (N_H, 1)))}
        # seed 0: no clipping needed; the others: every tensor alone is above the bound too
        return (grads, [100.0, 1.0, 2.5][seed])
    p = _params(rng, kind)
    x, xt = rng.standard_normal((N_X, M, T)), rng.standard_normal((N_X, M))
    h0 = rng.standard_normal((N_H, M))
    c_prev = rng.standard_normal((N_H, M))
    dh, dh_next, dc_next = (rng.standard_normal((N_H, M, T)), rng.standard_normal((N_H, M)),
                            rng.standard_normal((N_H, M)))
    table = {
        "lstm_cell_forward": (xt, h0, c_prev, p),
        "lstm_cell_backward": (dh_next, dc_next, xt, h0, c_prev, p),
        "gru_cell_forward": (xt, h0, p),
        "gru_cell_backward": (dh_next, xt, h0, p),
        "residual_rnn_step_jacobian": (xt, h0, p),
    }
    if func in table:
        return table[func]
    if func.endswith("_forward"):
        return (x, h0, p)
    return (dh, x, h0, p)

# --------------------------------------------------------------------------- reference

def sig(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # the logistic function, written without overflow


def smax(a):
    e = np.exp(a - a.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def ref_lstm_cell_forward(xt, h, c, p, full=False):
    """f,i,o = σ(W·[h;x]+b), g = tanh(Wc·[h;x]+bc), c' = f c + i g, h' = o tanh(c'), y = softmax(Wy h'+by)."""
    hx = np.concatenate([h, xt], axis=0)
    f, i, o = (sig(p["W" + k] @ hx + p["b" + k]) for k in "fio")
    g = np.tanh(p["Wc"] @ hx + p["bc"])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    y = smax(p["Wy"] @ h_new + p["by"])
    return (h_new, c_new, y, (hx, f, i, g, o)) if full else (h_new, c_new, y)


def ref_lstm_cell_backward(dh_next, dc_next, xt, h, c, p):
    h_new, c_new, _, (hx, f, i, g, o) = ref_lstm_cell_forward(xt, h, c, p, full=True)
    tc = np.tanh(c_new)
    dc = dc_next + dh_next * o * (1 - tc ** 2)
    pre = {"f": dc * c * f * (1 - f), "i": dc * g * i * (1 - i), "c": dc * i * (1 - g ** 2),
           "o": dh_next * tc * o * (1 - o)}
    dhx = sum(p["W" + k].T @ pre[k] for k in "fico")
    out = {"dxt": dhx[N_H:], "dh_prev": dhx[:N_H], "dc_prev": dc * f}
    for k in "fico":
        out["dW" + k] = pre[k] @ hx.T
        out["db" + k] = pre[k].sum(axis=1, keepdims=True)
    return out


def ref_lstm_forward(x, h0, p):
    n_h, m, steps = h0.shape[0], x.shape[1], x.shape[2]
    h, c = np.zeros((n_h, m, steps)), np.zeros((n_h, m, steps))
    y = np.zeros((p["Wy"].shape[0], m, steps))
    hp, cp = h0, np.zeros((n_h, m))
    for t in range(steps):
        hp, cp, yt = ref_lstm_cell_forward(x[:, :, t], hp, cp, p)
        h[:, :, t], c[:, :, t], y[:, :, t] = hp, cp, yt
    return h, y, c


def ref_lstm_backward(dh, x, h0, p):
    h, _, c = ref_lstm_forward(x, h0, p)
    steps = x.shape[2]
    out = {"dx": np.zeros_like(x)}
    out.update({"d" + k: np.zeros_like(v) for k, v in p.items() if k[1] != "y"})
    dh_carry, dc_carry = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(steps)):
        hp = h0 if t == 0 else h[:, :, t - 1]
        cp = np.zeros_like(h0) if t == 0 else c[:, :, t - 1]
        g = ref_lstm_cell_backward(dh[:, :, t] + dh_carry, dc_carry, x[:, :, t], hp, cp, p)
        out["dx"][:, :, t] = g["dxt"]
        for k in "fico":
            out["dW" + k] += g["dW" + k]
            out["db" + k] += g["db" + k]
        dh_carry, dc_carry = g["dh_prev"], g["dc_prev"]
    out["dh0"] = dh_carry
    return out


def ref_gru_cell_forward(xt, h, p, full=False):
    """z, r = σ(W·[h;x]+b), h̃ = tanh(Wh·[r⊙h; x]+bh), h' = z h + (1−z) h̃, y = softmax(Wy h'+by)."""
    hx = np.concatenate([h, xt], axis=0)
    z, r = sig(p["Wz"] @ hx + p["bz"]), sig(p["Wr"] @ hx + p["br"])
    rhx = np.concatenate([r * h, xt], axis=0)
    hh = np.tanh(p["Wh"] @ rhx + p["bh"])
    h_new = z * h + (1 - z) * hh
    y = smax(p["Wy"] @ h_new + p["by"])
    return (h_new, y, (hx, rhx, z, r, hh)) if full else (h_new, y)


def ref_gru_cell_backward(dh_next, xt, h, p):
    _, _, (hx, rhx, z, r, hh) = ref_gru_cell_forward(xt, h, p, full=True)
    az = dh_next * (h - hh) * z * (1 - z)
    ah = dh_next * (1 - z) * (1 - hh ** 2)
    drhx = p["Wh"].T @ ah
    ar = drhx[:N_H] * h * r * (1 - r)
    dhx = p["Wz"].T @ az + p["Wr"].T @ ar
    return {"dxt": dhx[N_H:] + drhx[N_H:],
            "dh_prev": dhx[:N_H] + drhx[:N_H] * r + dh_next * z,
            "dWz": az @ hx.T, "dbz": az.sum(1, keepdims=True),
            "dWr": ar @ hx.T, "dbr": ar.sum(1, keepdims=True),
            "dWh": ah @ rhx.T, "dbh": ah.sum(1, keepdims=True)}


def ref_gru_forward(x, h0, p):
    hs, ys, hp = [], [], h0
    for t in range(x.shape[2]):
        hp, yt = ref_gru_cell_forward(x[:, :, t], hp, p)
        hs.append(hp)
        ys.append(yt)
    return np.stack(hs, axis=2), np.stack(ys, axis=2)


def ref_gru_backward(dh, x, h0, p):
    h, _ = ref_gru_forward(x, h0, p)
    out = {"dx": np.zeros_like(x)}
    out.update({"d" + k: np.zeros_like(v) for k, v in p.items() if k[1] != "y"})
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        hp = h0 if t == 0 else h[:, :, t - 1]
        g = ref_gru_cell_backward(dh[:, :, t] + carry, x[:, :, t], hp, p)
        out["dx"][:, :, t] = g["dxt"]
        for k in "zrh":
            out["dW" + k] += g["dW" + k]
            out["db" + k] += g["db" + k]
        carry = g["dh_prev"]
    out["dh0"] = carry
    return out


def ref_residual_rnn_forward(x, h0, p):
    """h_t = h_{t−1} + tanh(U h_{t−1} + W x_t + b)."""
    h, hp = np.zeros((h0.shape[0], x.shape[1], x.shape[2])), h0
    for t in range(x.shape[2]):
        hp = hp + np.tanh(p["U"] @ hp + p["W"] @ x[:, :, t] + p["b"])
        h[:, :, t] = hp
    return h


def ref_residual_rnn_backward(dh, x, h0, p):
    h = ref_residual_rnn_forward(x, h0, p)
    out = {"dx": np.zeros_like(x), "dU": np.zeros_like(p["U"]), "dW": np.zeros_like(p["W"]),
           "db": np.zeros_like(p["b"])}
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        hp = h0 if t == 0 else h[:, :, t - 1]
        g = dh[:, :, t] + carry
        da = g * (1 - np.tanh(p["U"] @ hp + p["W"] @ x[:, :, t] + p["b"]) ** 2)
        out["dU"] += da @ hp.T
        out["dW"] += da @ x[:, :, t].T
        out["db"] += da.sum(1, keepdims=True)
        out["dx"][:, :, t] = p["W"].T @ da
        carry = g + p["U"].T @ da
    out["dh0"] = carry
    return out


def ref_residual_rnn_step_jacobian(xt, h, p):
    d = 1 - np.tanh(p["U"] @ h + p["W"] @ xt + p["b"]) ** 2       # (n_h, m)
    return np.eye(h.shape[0])[None] + d.T[:, :, None] * p["U"][None]


def ref_clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


REFERENCE = {name: globals()["ref_" + name] for name in FUNCTIONS}

# --------------------------------------------------------------------------- reference self-check

def _numeric_grad(loss, arr, eps=1e-6):
    g = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + eps
        up = loss()
        arr[idx] = old - eps
        down = loss()
        arr[idx] = old
        g[idx] = (up - down) / (2 * eps)
    return g


def check_reference() -> float:
    """Largest relative error of every reference backward against central finite differences."""
    worst = 0.0

    def cmp(analytic, numeric):
        nonlocal worst
        err = np.max(np.abs(analytic - numeric)) / max(1e-8, np.max(np.abs(analytic) + np.abs(numeric)))
        worst = max(worst, err)

    dh_next, dc_next, xt, h, c, p = make_args("lstm_cell_backward", 0)
    got = ref_lstm_cell_backward(dh_next, dc_next, xt, h, c, p)
    def loss():
        hn, cn, _ = ref_lstm_cell_forward(xt, h, c, p)
        return np.sum(dh_next * hn) + np.sum(dc_next * cn)
    for name, arr in [("dxt", xt), ("dh_prev", h), ("dc_prev", c)] + [("d" + k, p[k]) for k in p if k[1] != "y"]:
        cmp(got[name], _numeric_grad(loss, arr))

    for kind, fwd, bwd in (("lstm", ref_lstm_forward, ref_lstm_backward),
                           ("gru", ref_gru_forward, ref_gru_backward),
                           ("residual_rnn", ref_residual_rnn_forward, ref_residual_rnn_backward)):
        dh, x, h0, p = make_args(kind + "_backward", 1)
        got = bwd(dh, x, h0, p)
        def loss(fwd=fwd, dh=dh, x=x, h0=h0, p=p):
            out = fwd(x, h0, p)
            return np.sum(dh * (out[0] if isinstance(out, tuple) else out))
        for name, arr in [("dx", x), ("dh0", h0)] + [("d" + k, p[k]) for k in p if k[-1] != "y"]:
            cmp(got[name], _numeric_grad(loss, arr))

    dh_next, xt, h, p = make_args("gru_cell_backward", 2)
    got = ref_gru_cell_backward(dh_next, xt, h, p)
    def loss():
        return np.sum(dh_next * ref_gru_cell_forward(xt, h, p)[0])
    for name, arr in [("dxt", xt), ("dh_prev", h)] + [("d" + k, p[k]) for k in p if k[1] != "y"]:
        cmp(got[name], _numeric_grad(loss, arr))

    xt, h, p = make_args("residual_rnn_step_jacobian", 0)
    jac = ref_residual_rnn_step_jacobian(xt, h, p)
    for k in range(M):
        for j in range(N_H):
            e = 1e-6
            hp_, hm_ = h.copy(), h.copy()
            hp_[j, k] += e
            hm_[j, k] -= e
            num = (ref_residual_rnn_forward(xt[:, :, None], hp_, p)[:, k, 0]
                   - ref_residual_rnn_forward(xt[:, :, None], hm_, p)[:, k, 0]) / (2 * e)
            cmp(jac[k][:, j], num)
    return worst

# --------------------------------------------------------------------------- child side

def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}/{k}", v, out)
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            _flatten(f"{prefix}/{i}", v, out)
    else:
        out[prefix] = np.asarray(value, dtype=float)


def run_child(path: str, funcs: list[str], out_file: str) -> None:
    spec = importlib.util.spec_from_file_location("student_submission", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["student_submission"] = module
    spec.loader.exec_module(module)
    arrays, errors = {}, {}
    for func in funcs:
        for seed in SEEDS:
            try:
                value = getattr(module, func)(*copy.deepcopy(make_args(func, seed)))
                _flatten(f"{func}|{seed}|", value, arrays)
            except Exception:  # a failing call is a result (it differs), not a crash of the check
                errors[f"{func}|{seed}"] = traceback.format_exc(limit=2)
    np.savez(out_file, **arrays)
    Path(out_file + ".json").write_text(json.dumps(errors))

# Files whose backward is written for the file's own (wrong-convention) forward: there the backward
# must be the exact gradient of that forward, so that it differs from the contract only through the
# convention its label names.
CONSISTENT_BACKWARDS = {
    "s18_lstm_cell.py": "lstm", "s19_lstm_cell.py": "lstm", "s70_lstm_cell.py": "lstm",
    "s40_gru_cell.py": "gru", "s41_gru_cell.py": "gru",
}


def child_consistency(path: str, kind: str) -> None:
    """Print the worst gap between a file's cell backward and finite differences of its own forward."""
    spec = importlib.util.spec_from_file_location("student_submission", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    worst = 0.0
    if kind == "lstm":
        dh, dc, xt, h, c, p = make_args("lstm_cell_backward", 0)
        got = module.lstm_cell_backward(dh, dc, xt, h, c, p)
        def loss():
            hn, cn, _ = module.lstm_cell_forward(xt, h, c, p)
            return np.sum(dh * hn) + np.sum(dc * cn)
        pairs = [("dxt", xt), ("dh_prev", h), ("dc_prev", c)]
    else:
        dh, xt, h, p = make_args("gru_cell_backward", 0)
        got = module.gru_cell_backward(dh, xt, h, p)
        def loss():
            return np.sum(dh * module.gru_cell_forward(xt, h, p)[0])
        pairs = [("dxt", xt), ("dh_prev", h)]
    pairs += [("d" + k, p[k]) for k in p if k[1] != "y"]
    for name, arr in pairs:
        worst = max(worst, float(np.max(np.abs(got[name] - _numeric_grad(loss, arr)))))
    print(json.dumps(worst))

# --------------------------------------------------------------------------- parent side

def consistency_gap(name: str) -> float:
    proc = subprocess.run([sys.executable, __file__, "--consistency", str(HERE / name),
                           CONSISTENT_BACKWARDS[name]], capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def compare(func: str, seed: int, got: dict, error: str | None) -> str | None:
    """None when the student's outputs equal the reference's, else the first difference found."""
    if error:
        return "raised " + error.strip().splitlines()[-1]
    expected: dict = {}
    _flatten(f"{func}|{seed}|", REFERENCE[func](*copy.deepcopy(make_args(func, seed))), expected)
    for key, want in expected.items():
        if key not in got:
            return f"missing output {key.split('|')[-1]}"
        have = got[key]
        if have.shape != want.shape:
            return f"{key.split('|')[-1]}: shape {have.shape} != {want.shape}"
        if not np.allclose(have, want, rtol=RTOL, atol=ATOL):
            return f"{key.split('|')[-1]}: max abs diff {np.max(np.abs(have - want)):.3g}"
    return None


def mistakes_of(label) -> list[str]:
    if label == "correct":
        return []
    if isinstance(label, list):
        return label
    return list(label.get("mistakes", [])) + ["calls_buggy:" + f for f in label.get("calls_buggy", [])]


def print_counts() -> None:
    """Markdown tables of the set's make-up, read from labels.json (the figures of the README)."""
    labels = json.loads((HERE / "labels.json").read_text())
    per_mistake: dict[str, int] = {}
    per_function: dict[str, list[int]] = {f: [0, 0, 0] for f in FUNCTIONS}  # correct, mistakes, calls_buggy only
    buggy_files = sum(any(v != "correct" for v in funcs.values()) for funcs in labels.values())
    written = 0
    for funcs in labels.values():
        for func, label in funcs.items():
            own = [m for m in mistakes_of(label) if not m.startswith("calls_buggy:")]
            written += len(own)
            for m in own:
                per_mistake[m] = per_mistake.get(m, 0) + 1
            per_function[func][0 if label == "correct" else (1 if own else 2)] += 1
    print(f"{len(labels)} files: {buggy_files} with at least one mistake, {len(labels) - buggy_files} fully correct; "
          f"{written} mistakes written\n")
    print("| mistake id | functions where it is written |\n|---|---|")
    for m in sorted(MISTAKE_IDS):
        print(f"| `{m}` | {per_mistake.get(m, 0)} |")
    print("\n| function | correct | with mistakes | only calls a buggy function |\n|---|---|---|---|")
    for f, (ok, bad, calls) in per_function.items():
        print(f"| `{f}` | {ok} | {bad} | {calls} |")


def label_problems(name: str, funcs: dict) -> list[str]:
    """Problems of one file's labels alone: unknown ids, a function the file does not define, a
    ``calls_buggy`` naming a function that is not labelled with a mistake in the same file."""
    problems = []
    source = (HERE / name).read_text()
    defined = [f for f in FUNCTIONS if f"def {f}(" in source]
    if sorted(defined) != sorted(funcs):
        problems.append(f"{name}: defines {defined} but labels {sorted(funcs)}")
    for func, label in funcs.items():
        entries = mistakes_of(label)
        own = [m for m in entries if not m.startswith("calls_buggy:")]
        callees = [m.split(":", 1)[1] for m in entries if m.startswith("calls_buggy:")]
        if (func not in FUNCTIONS or (label != "correct" and not entries)
                or any(m not in MISTAKE_IDS for m in own)
                or any(c not in funcs or not [m for m in mistakes_of(funcs[c])] for c in callees)):
            problems.append(f"{name}:{func}: bad label {label!r}")
    return problems


def check_file(name: str, funcs: dict, tmp: str) -> tuple[list[str], list[str]]:
    """Run one file in a subprocess; (problems, one line per labelled mistake with what differs)."""
    problems, notes = label_problems(name, funcs), []
    out = str(Path(tmp) / name) + ".npz"
    proc = subprocess.run([sys.executable, __file__, "--run", str(HERE / name), out, *funcs],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return problems + [f"{name}: import/run failed: {proc.stderr.strip()[-300:]}"], notes
    with np.load(out, allow_pickle=False) as npz:
        arrays = dict(npz)
    errors = json.loads(Path(out + ".json").read_text())
    for func, label in funcs.items():
        diffs = []
        for seed in SEEDS:
            got = {k: v for k, v in arrays.items() if k.startswith(f"{func}|{seed}|")}
            diffs.append(compare(func, seed, got, errors.get(f"{func}|{seed}")))
        first = next((d for d in diffs if d), None)
        if label == "correct" and first:
            problems.append(f"{name}:{func} labelled correct but differs: {first}")
        elif label != "correct" and not first:
            problems.append(f"{name}:{func} labelled {label} but matches the reference")
        elif label != "correct":
            notes.append(f"  {name}:{func} {mistakes_of(label)} -> {first}")
    return problems, notes


def print_outputs() -> None:
    """For every function with a mistake: which of its outputs differ from the reference."""
    labels = json.loads((HERE / "labels.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(labels):
            funcs = labels[name]
            out = str(Path(tmp) / name) + ".npz"
            subprocess.run([sys.executable, __file__, "--run", str(HERE / name), out, *funcs],
                           check=True, capture_output=True, timeout=120)
            with np.load(out, allow_pickle=False) as npz:
                arrays = dict(npz)
            errors = json.loads(Path(out + ".json").read_text())
            for func, label in funcs.items():
                if label == "correct":
                    continue
                differing = set()
                for seed in SEEDS:
                    if f"{func}|{seed}" in errors:
                        differing.add("(raises)")
                        continue
                    expected: dict = {}
                    _flatten(f"{func}|{seed}|", REFERENCE[func](*copy.deepcopy(make_args(func, seed))), expected)
                    for key, want in expected.items():
                        have = arrays.get(key)
                        if have is None or have.shape != want.shape or not np.allclose(have, want, rtol=RTOL, atol=ATOL):
                            differing.add(key.split("|")[-1] or "(the array)")
                print(f"{name:22s} {func:27s} {', '.join(mistakes_of(label)):45s} {' '.join(sorted(differing))}")


def main() -> int:
    worst = check_reference()
    print(f"reference vs central differences: worst relative error {worst:.2e}")
    if worst > 1e-6:
        print("reference self-check FAILED")
        return 1
    labels = json.loads((HERE / "labels.json").read_text())
    files = sorted(p.name for p in HERE.glob("*.py") if p.name != "verify_set.py")
    problems = []
    if set(files) != set(labels):
        problems.append(f"files without labels: {sorted(set(files) - set(labels))}; "
                        f"labels without files: {sorted(set(labels) - set(files))}")
    n_correct = sum(v == "correct" for f in labels.values() for v in f.values())
    n_buggy = sum(v != "correct" for f in labels.values() for v in f.values())
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(set(files) & set(labels)):
            file_problems, notes = check_file(name, labels[name], tmp)
            problems += file_problems
            for line in notes:
                print(line)
    for name in CONSISTENT_BACKWARDS:
        gap = consistency_gap(name)
        print(f"  {name}: backward vs finite differences of its own forward: {gap:.1e}")
        if gap > 1e-7:
            problems.append(f"{name}: backward is not the gradient of the file's own forward ({gap:.1e})")
    print(f"{len(files)} files, {n_correct} correct functions, {n_buggy} functions with mistakes")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--counts":
        print_counts()
    elif len(sys.argv) > 1 and sys.argv[1] == "--outputs":
        print_outputs()
    elif len(sys.argv) > 1 and sys.argv[1] == "--consistency":
        child_consistency(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--run":
        run_child(sys.argv[2], sys.argv[4:], sys.argv[3])
    else:
        sys.exit(main())
