"""GRU answer key (NNDL ch. 6, exercise 6-5), columns are examples, two conventions.

``variant="reset_before"`` (default, NNDL 1st ed. and Cho et al. 2014 v3)::

    z      = σ(Wz·[h_prev; xt] + bz)                  update gate
    r      = σ(Wr·[h_prev; xt] + br)                  reset gate
    h̃      = tanh(Wh·[r ⊙ h_prev; xt] + bh)           candidate (reset before the product)
    h_next = z ⊙ h_prev + (1 − z) ⊙ h̃
    yt_pred = softmax(Wy·h_next + by)

``variant="reset_after"`` (torch.nn.GRU, ONNX linear_before_reset=1), same z, r and h_next, with an
optional extra bias ``bhh (n_h, 1)`` (zero when the key is absent)::

    h̃      = tanh(Wh[:, n_h:]·xt + bh + r ⊙ (Wh[:, :n_h]·h_prev + bhh))

Shapes: xt ``(n_x, m)``, x ``(n_x, m, T)``, h ``(n_h, m)``, Wz/Wr/Wh ``(n_h, n_h + n_x)`` acting on
``[h; x]`` (h first), bz/br/bh/bhh ``(n_h, 1)``, Wy ``(n_y, n_h)``, by ``(n_y, 1)``.

Internally the gates are stacked once per call into rows ``[z; r; h̃]``; the x-part of all gates of
all steps is one matrix product before the time loop, and each step multiplies h_prev once
(reset_after: one product for all gates; reset_before: one for z and r, one for h̃, which needs r first).
The forward pass uses copies of the weights whose z and r rows are halved (exact), so that
σ(a) = (1 + tanh(a/2))/2 costs one tanh and no extra pass.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

from solutions._common import (
    as_float64, check_weight, gradients_over_steps, half_rows, project_all_steps, sequence_output,
    take_parameters, time_major, upstream_sequence, with_ones_row,
)
from solutions.activations import sigmoid_from_tanh_half, softmax

VARIANTS = ("reset_before", "reset_after")


class GRUWeights(NamedTuple):
    """Stacked gates, rows ``[z; r; h̃]``: ``Wh (3 n_h, n_h)`` acts on h, ``Wx (3 n_h, n_x)`` on x;
    the ``*_half`` copies have the z and r rows halved (forward pass only)."""
    Wh: np.ndarray
    Wx: np.ndarray
    Wh_half: np.ndarray
    Wxb_half: np.ndarray   # (3 n_h, n_x + 1) = [Wx | b] with the z and r rows halved
    bhh: np.ndarray        # (n_h, 1), zeros unless reset_after with the key given
    has_bhh: bool
    reset_after: bool
    n_h: int


class GRUTrace(NamedTuple):
    """A forward pass over a sequence, time-major: ``[t]`` is step t."""
    weights: GRUWeights
    x1: np.ndarray      # (T, n_x + 1, m): x_t with a row of ones (the biases' input)
    h: np.ndarray       # (T + 1, n_h, m): h[0] = h0, h[t + 1] = h_t
    gates: np.ndarray   # (T, 3 n_h, m) activated [z; r; h̃]
    aux: np.ndarray     # (T, n_h, m): r ⊙ h_prev (reset_before) or Wh[:, :n_h]·h_prev + bhh (reset_after)


def stack_gru_weights(parameters: Mapping[str, np.ndarray], n_x: int, variant: str) -> GRUWeights:
    """Check the variant and the parameter shapes; stack ``Wz, Wr, Wh`` into one gate block."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(repr(v) for v in VARIANTS)}, got {variant!r}")
    Wz, Wr, Wh, bz, br, bh = take_parameters(parameters, ["Wz", "Wr", "Wh", "bz", "br", "bh"])
    n_h = Wz.shape[0]
    for name, w in zip(("Wz", "Wr", "Wh"), (Wz, Wr, Wh)):
        check_weight(name, w, n_h, n_h + n_x)
    for name, b in zip(("bz", "br", "bh"), (bz, br, bh)):
        check_weight(name, b, n_h, 1)
    reset_after = variant == "reset_after"
    has_bhh = "bhh" in parameters
    if has_bhh and not reset_after:
        raise ValueError("parameters has 'bhh', which only the variant 'reset_after' uses; "
                         "remove it or pass variant='reset_after'")
    bhh = np.asarray(parameters["bhh"], dtype=np.float64) if has_bhh else np.zeros((n_h, 1))
    check_weight("bhh", bhh, n_h, 1)
    W = np.vstack((Wz, Wr, Wh))
    W_h, W_x = np.ascontiguousarray(W[:, :n_h]), np.ascontiguousarray(W[:, n_h:])
    Wxb_half = half_rows(np.hstack((W_x, np.vstack((bz, br, bh)))), 2 * n_h)
    return GRUWeights(W_h, W_x, half_rows(W_h, 2 * n_h), Wxb_half, bhh, has_bhh, reset_after, n_h)


def gru_step(w: GRUWeights, px: np.ndarray, h_prev: np.ndarray, gates: np.ndarray, aux: np.ndarray,
             h_out: np.ndarray) -> None:
    """One step given the x-projection ``px = Wxb_half·[xt; 1] (3 n_h, m)``; writes gates, aux, h_out.

    Equations (the z and r rows of Wh_half, px are halved: σ(a) = (1 + tanh(a/2))/2)::

        [z; r] = σ(Wh[:2 n_h]·h_prev + Wx[:2 n_h]·xt + [bz; br])
        reset_before: aux = r ⊙ h_prev,                  h̃ = tanh(Wh[2 n_h:]·aux + Wx[2 n_h:]·xt + bh)
        reset_after:  aux = Wh[2 n_h:]·h_prev + bhh,     h̃ = tanh(Wx[2 n_h:]·xt + bh + r ⊙ aux)
        h_out = h̃ + z ⊙ (h_prev − h̃)                    (= z ⊙ h_prev + (1 − z) ⊙ h̃)

    Shapes: h_prev, aux, h_out ``(n_h, m)``, gates ``(3 n_h, m)``.
    """
    n_h = w.n_h
    zr, cand = gates[:2 * n_h], gates[2 * n_h:]
    r = gates[n_h:2 * n_h]
    if w.reset_after:
        np.matmul(w.Wh_half, h_prev, out=gates)
        np.add(cand, w.bhh, out=aux)
        zr += px[:2 * n_h]
        sigmoid_from_tanh_half(np.tanh(zr, out=zr))
        np.multiply(r, aux, out=cand)
    else:
        np.matmul(w.Wh_half[:2 * n_h], h_prev, out=zr)
        zr += px[:2 * n_h]
        sigmoid_from_tanh_half(np.tanh(zr, out=zr))
        np.multiply(r, h_prev, out=aux)
        np.matmul(w.Wh_half[2 * n_h:], aux, out=cand)
    cand += px[2 * n_h:]
    np.tanh(cand, out=cand)
    np.subtract(h_prev, cand, out=h_out)
    h_out *= gates[:n_h]
    h_out += cand


def gru_step_backward(w: GRUWeights, dh: np.ndarray, h_prev: np.ndarray, gates: np.ndarray,
                      aux: np.ndarray, dax: np.ndarray, dah: np.ndarray | None) -> np.ndarray:
    """Back-propagate one step; write the pre-activation gradients and return dh_prev.

    Equations (dh = ∂L/∂h_t)::

        daz = dh ⊙ (h_prev − h̃) ⊙ z ⊙ (1 − z)
        dah̃ = dh ⊙ (1 − z) ⊙ (1 − h̃²)
      reset_before:
        d(r⊙h) = Wh[:, :n_h]ᵀ·dah̃,  dar = d(r⊙h) ⊙ h_prev ⊙ r ⊙ (1 − r)
        dh_prev = dh ⊙ z + d(r⊙h) ⊙ r + [Wz; Wr][:, :n_h]ᵀ·[daz; dar]
      reset_after (aux = Wh[:, :n_h]·h_prev + bhh):
        dar = dah̃ ⊙ aux ⊙ r ⊙ (1 − r),  daux = dah̃ ⊙ r
        dh_prev = dh ⊙ z + [Wz; Wr; Wh][:, :n_h]ᵀ·[daz; dar; daux]

    Writes ``dax (3 n_h, m)`` = [daz; dar; dah̃], what multiplies [x; 1], and, for reset_after,
    ``dah (3 n_h, m)`` = [daz; dar; daux], what multiplies h_prev (its last block also gives dbhh).
    """
    n_h = w.n_h
    z, r, cand = gates[:n_h], gates[n_h:2 * n_h], gates[2 * n_h:]
    zr = gates[:2 * n_h]
    dsig = zr * (1.0 - zr)                       # σ' of z and r, from their values
    dzr = dah[:2 * n_h] if w.reset_after else dax[:2 * n_h]
    daz, dar, dan = dzr[:n_h], dzr[n_h:], dax[2 * n_h:]
    np.subtract(h_prev, cand, out=daz)
    daz *= dh
    np.subtract(1.0, z, out=dan)
    dan *= dh
    dan *= 1.0 - cand * cand
    dh_prev = dh * z
    if w.reset_after:
        np.multiply(dan, aux, out=dar)
        dzr *= dsig
        np.multiply(dan, r, out=dah[2 * n_h:])
        dax[:2 * n_h] = dzr
        dh_prev += w.Wh.T @ dah
    else:
        drh = w.Wh[2 * n_h:].T @ dan
        np.multiply(drh, h_prev, out=dar)
        dzr *= dsig
        drh *= r
        dh_prev += drh
        dh_prev += w.Wh[:2 * n_h].T @ dzr
    return dh_prev


def gru_trace(x, h0, parameters, variant: str = "reset_before", keep_steps: bool = True) -> GRUTrace:
    """Run the GRU over a sequence ``x (n_x, m, T)`` from ``h0 (n_h, m)``, keeping every step.

    Without ``keep_steps`` (the forward function, which needs only h) the gates and aux of a step go
    to one reused, cache-resident buffer and the trace's ``gates``/``aux`` hold the last step only.
    """
    x = as_float64("x", x, 3)
    h0 = as_float64("h0", h0, 2)
    n_x, m, T = x.shape
    w = stack_gru_weights(parameters, n_x, variant)
    n_h = w.n_h
    x1 = with_ones_row(time_major(x))
    h = np.empty((T + 1, n_h, m))
    kept = T if keep_steps else 1
    gates = np.empty((kept, 3 * n_h, m))
    aux = np.empty((kept, n_h, m))
    h[0] = h0
    projected = project_all_steps(w.Wxb_half, x1)
    for t in range(T):
        k = t if keep_steps else 0
        gru_step(w, projected[t], h[t], gates[k], aux[k], h[t + 1])
    return GRUTrace(w, x1, h, gates, aux)


def gru_forward(x, h0, parameters, *, variant: str = "reset_before"):
    """GRU over a sequence (equations in the module docstring).

    Shapes: x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns ``(h (n_h, m, T), y (n_y, m, T))``,
    ``[:, :, t]`` being step t, y = softmax(Wy·h + by) per step.
    """
    tr = gru_trace(x, h0, parameters, variant, keep_steps=False)
    Wy, by = take_parameters(parameters, ["Wy", "by"])
    h = sequence_output(tr.h[1:])
    n_h, m, T = h.shape
    y = softmax(Wy @ h.reshape(n_h, m * T) + by).reshape(Wy.shape[0], m, T)
    return h, y


def gru_backward(dh, x, h0, parameters, *, variant: str = "reset_before"):
    """Back-propagation through time for the GRU; the y path is not part of L.

    ``dh[:, :, t]`` is the upstream gradient on h_t. For t = T−1 … 0: dh_t = dh[:, :, t] +
    dh_from_later, then the step backward (see :func:`gru_step_backward`) gives the pre-activation
    gradients and dh_from_later. After the loop, one product each::

        dx_t = Wx_stackedᵀ·[daz; dar; dah̃]_t
        [dW*[:, n_h:] | db*] = Σ_t da*_t · [x_t; 1]ᵀ      (db* = Σ_t Σ_columns da*_t)
        dWz[:, :n_h] = Σ_t daz_t · h_{t−1}ᵀ,  dWr[:, :n_h] = Σ_t dar_t · h_{t−1}ᵀ
        dWh[:, :n_h] = Σ_t dah̃_t · (r_t ⊙ h_{t−1})ᵀ   (reset_before)
                     = Σ_t daux_t · h_{t−1}ᵀ, dbhh = Σ_t Σ_columns daux_t   (reset_after)

    Shapes: dh ``(n_h, m, T)``, x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns a dict with
    ``dx (n_x, m, T)``, ``dh0 (n_h, m)``, ``dWz, dWr, dWh (n_h, n_h + n_x)``, ``dbz, dbr, dbh (n_h, 1)``
    and, only when ``parameters`` has ``bhh`` (reset_after), ``dbhh (n_h, 1)``.
    """
    tr = gru_trace(x, h0, parameters, variant)
    w = tr.weights
    T, n_h, m = tr.aux.shape
    dh = upstream_sequence(dh, n_h, m, T)
    dh_tm = time_major(dh)
    dax = np.empty_like(tr.gates)
    dah = np.empty_like(tr.gates) if w.reset_after else None
    dh_later = np.zeros((n_h, m))
    for t in range(T - 1, -1, -1):
        dh_t = dh_tm[t] + dh_later
        dh_later = gru_step_backward(w, dh_t, tr.h[t], tr.gates[t], tr.aux[t], dax[t],
                                     dah[t] if w.reset_after else None)
    dWxb, dx = gradients_over_steps(dax, tr.x1, w.Wx)         # [dWx | db]
    if w.reset_after:
        dWh, _ = gradients_over_steps(dah, tr.h[:T])
    else:
        # The candidate's h-side input is r ⊙ h_prev (aux).
        dWh = np.vstack((gradients_over_steps(dax[:, :2 * n_h], tr.h[:T])[0],
                         gradients_over_steps(dax[:, 2 * n_h:], tr.aux)[0]))
    grads = {"dx": dx, "dh0": dh_later}
    for k, gate in enumerate(("z", "r", "h")):
        rows = slice(k * n_h, (k + 1) * n_h)
        grads["dW" + gate] = np.hstack((dWh[rows], dWxb[rows, :-1]))
        grads["db" + gate] = dWxb[rows, -1:].copy()
    if w.has_bhh:
        grads["dbhh"] = dah[:, 2 * n_h:].sum(axis=(0, 2))[:, None]
    return grads


def gru_cell_forward(xt, h_prev, parameters, *, variant: str = "reset_before"):
    """One GRU step (equations in the module docstring): the sequence pass with T = 1.

    Shapes: xt ``(n_x, m)``, h_prev ``(n_h, m)``. Returns ``(h_next (n_h, m), yt_pred (n_y, m))``.
    """
    xt = as_float64("xt", xt, 2)
    h, y = gru_forward(xt[:, :, None], h_prev, parameters, variant=variant)
    return h[:, :, 0], y[:, :, 0]


def gru_cell_backward(dh_next, xt, h_prev, parameters, *, variant: str = "reset_before"):
    """Gradients of one GRU step for L with ∂L/∂h_next = dh_next (see :func:`gru_backward`, T = 1).

    Shapes: dh_next, h_prev ``(n_h, m)``, xt ``(n_x, m)``. Returns a dict with ``dxt (n_x, m)``,
    ``dh_prev (n_h, m)``, ``dWz, dWr, dWh (n_h, n_h + n_x)``, ``dbz, dbr, dbh (n_h, 1)`` and, only
    when ``parameters`` has ``bhh`` (reset_after), ``dbhh (n_h, 1)``.
    """
    xt = as_float64("xt", xt, 2)
    dh_next = as_float64("dh_next", dh_next, 2)
    seq = gru_backward(dh_next[:, :, None], xt[:, :, None], h_prev, parameters, variant=variant)
    grads = {"dxt": seq.pop("dx")[:, :, 0].copy(), "dh_prev": seq.pop("dh0")}
    grads.update(seq)
    return grads
