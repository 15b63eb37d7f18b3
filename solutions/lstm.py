"""LSTM answer key (NNDL ch. 6 / exercise 6-2P), columns are examples.

Equations (every weight acts on the concatenation ``[h_prev; x]``, h first)::

    f      = σ(Wf·[h_prev; xt] + bf)            forget gate
    i      = σ(Wi·[h_prev; xt] + bi)            input gate
    c̃      = tanh(Wc·[h_prev; xt] + bc)         candidate cell
    o      = σ(Wo·[h_prev; xt] + bo)            output gate
    c_next = f ⊙ c_prev + i ⊙ c̃
    h_next = o ⊙ tanh(c_next)
    yt_pred = softmax(Wy·h_next + by)

Shapes: xt ``(n_x, m)``, x ``(n_x, m, T)``, h ``(n_h, m)``, c ``(n_h, m)``, Wf/Wi/Wc/Wo
``(n_h, n_h + n_x)``, bf/bi/bc/bo ``(n_h, 1)``, Wy ``(n_y, n_h)``, by ``(n_y, 1)``.

Internally the four gate weights are stacked once per call into ``W (4 n_h, n_h + n_x)`` with rows
``[f; i; o; c̃]``, so that each step costs one matrix product for all gates. The forward pass uses a
copy whose sigmoid rows are halved (exact): with σ(a) = (1 + tanh(a/2))/2, one tanh then activates
every gate of a step.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

from solutions._common import (
    as_float64, check_weight, gradients_over_steps, half_rows, sequence_output, take_parameters,
    upstream_sequence,
)
from solutions.activations import sigmoid_from_tanh_half, softmax

#: Gate names in the order of the stacked weight's row blocks.
GATES = ("f", "i", "o", "c")


class LSTMWeights(NamedTuple):
    """The four gates stacked: ``W (4 n_h, n_h + n_x)`` rows ``[f; i; o; c̃]``, ``b (4 n_h, 1)``;
    ``W_half``, ``b_half``: the same with the sigmoid rows (f, i, o) halved, for the forward pass."""
    W: np.ndarray
    b: np.ndarray
    W_half: np.ndarray
    b_half: np.ndarray
    n_h: int
    n_x: int


class LSTMStep(NamedTuple):
    """What the backward pass of one step needs (all ``(n_h, m)`` except ``gates``)."""
    gates: np.ndarray   # (4 n_h, m) activated gates, rows [f; i; o; c̃]
    c_prev: np.ndarray  # c_{t-1}
    tanh_c: np.ndarray  # tanh(c_t)


def stack_lstm_weights(parameters: Mapping[str, np.ndarray], n_x: int) -> LSTMWeights:
    """Stack ``Wf, Wi, Wo, Wc`` (and their biases) into one gate block, checking their shapes."""
    Wf, Wi, Wo, Wc, bf, bi, bo, bc = take_parameters(
        parameters, ["Wf", "Wi", "Wo", "Wc", "bf", "bi", "bo", "bc"])
    n_h = Wf.shape[0]
    for name, w in zip(("Wf", "Wi", "Wo", "Wc"), (Wf, Wi, Wo, Wc)):
        check_weight(name, w, n_h, n_h + n_x)
    for name, b in zip(("bf", "bi", "bo", "bc"), (bf, bi, bo, bc)):
        check_weight(name, b, n_h, 1)
    W, b = np.vstack((Wf, Wi, Wo, Wc)), np.vstack((bf, bi, bo, bc))
    return LSTMWeights(W, b, half_rows(W, 3 * n_h), half_rows(b, 3 * n_h), n_h, n_x)


def _unstack_gradients(dW: np.ndarray, db: np.ndarray, n_h: int) -> dict[str, np.ndarray]:
    """Split stacked gradients ``dW (4 n_h, n_h + n_x)``, ``db (4 n_h, 1)`` into contract keys."""
    grads = {}
    for k, gate in enumerate(GATES):
        rows = slice(k * n_h, (k + 1) * n_h)
        grads["dW" + gate] = dW[rows].copy()
        grads["db" + gate] = db[rows].copy()
    return {key: grads[key] for key in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")}


def lstm_step(u: np.ndarray, c_prev: np.ndarray, c_out: np.ndarray, tanh_out: np.ndarray,
              h_out: np.ndarray) -> LSTMStep:
    """Activate the gates in place and write c_next, tanh(c_next), h_next.

    ``u (4 n_h, m)`` holds the pre-activations a with the sigmoid rows halved,
    ``u = [a_f/2; a_i/2; a_o/2; a_c̃]``. Equations::

        [f; i; o] = (1 + tanh(u[:3 n_h])) / 2  = σ(a[:3 n_h]),    c̃ = tanh(u[3 n_h:])
        c_out = f ⊙ c_prev + i ⊙ c̃,   tanh_out = tanh(c_out),   h_out = o ⊙ tanh_out

    Shapes: c_prev and the outputs ``(n_h, m)``.
    """
    n_h = c_prev.shape[0]
    np.tanh(u, out=u)
    sigmoid_from_tanh_half(u[:3 * n_h])
    f, i, o, g = u[:n_h], u[n_h:2 * n_h], u[2 * n_h:3 * n_h], u[3 * n_h:]
    np.multiply(f, c_prev, out=c_out)
    c_out += i * g
    np.tanh(c_out, out=tanh_out)
    np.multiply(o, tanh_out, out=h_out)
    return LSTMStep(u, c_prev, tanh_out)


def lstm_step_backward(dh: np.ndarray, dc: np.ndarray, step: LSTMStep) -> np.ndarray:
    """Back-propagate one step through the gates; overwrite ``step.gates`` with ∂L/∂a, return dc_prev.

    Equations (dh = ∂L/∂h_t, dc = ∂L/∂c_t from later steps)::

        dc_t  = dc + dh ⊙ o ⊙ (1 − tanh²(c_t))
        daf   = dc_t ⊙ c_prev ⊙ f ⊙ (1 − f)
        dai   = dc_t ⊙ c̃ ⊙ i ⊙ (1 − i)
        dao   = dh ⊙ tanh(c_t) ⊙ o ⊙ (1 − o)
        dac   = dc_t ⊙ i ⊙ (1 − c̃²)
        dc_prev = dc_t ⊙ f

    Shapes: dh, dc, dc_prev ``(n_h, m)``; ``step.gates`` ``(4 n_h, m)`` goes from ``[f; i; o; c̃]`` to
    ``[daf; dai; dao; dac]``: the gate values are dead once read, and reusing their memory keeps a
    sequence's backward pass from allocating (and page-faulting) a second array as big as the gates.
    """
    n_h = dh.shape[0]
    G = step.gates
    f, i, o, g = G[:n_h], G[n_h:2 * n_h], G[2 * n_h:3 * n_h], G[3 * n_h:]
    dc_t = dh * o
    dc_t *= 1.0 - step.tanh_c * step.tanh_c
    dc_t += dc
    dsig = G[:3 * n_h] * (1.0 - G[:3 * n_h])       # σ' of f, i, o, read before they are overwritten
    dac = 1.0 - g * g
    dac *= i
    dac *= dc_t
    dc_prev = dc_t * f
    np.multiply(dc_t, g, out=i)                     # dai (before σ')
    np.multiply(dc_t, step.c_prev, out=f)           # daf
    np.multiply(dh, step.tanh_c, out=o)             # dao
    G[:3 * n_h] *= dsig
    g[...] = dac
    return dc_prev


def _cell(xt, h_prev, c_prev, parameters):
    """Shared by the cell forward and backward: (weights, concat, step, h_next, c_next)."""
    xt = as_float64("xt", xt, 2)
    h_prev = as_float64("h_prev", h_prev, 2)
    c_prev = as_float64("c_prev", c_prev, 2)
    w = stack_lstm_weights(parameters, xt.shape[0])
    concat = np.vstack((h_prev, xt))
    u = w.W_half @ concat
    u += w.b_half
    c_next, tanh_c, h_next = (np.empty_like(c_prev) for _ in range(3))
    step = lstm_step(u, c_prev, c_next, tanh_c, h_next)
    return w, concat, step, h_next, c_next


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    """One LSTM step (equations in the module docstring).

    Shapes: xt ``(n_x, m)``, h_prev and c_prev ``(n_h, m)``; parameters as in the module docstring.
    Returns ``(h_next (n_h, m), c_next (n_h, m), yt_pred (n_y, m))``.
    """
    _, _, _, h_next, c_next = _cell(xt, h_prev, c_prev, parameters)
    Wy, by = take_parameters(parameters, ["Wy", "by"])
    return h_next, c_next, softmax(Wy @ h_next + by)


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    """Gradients of one LSTM step for L with ∂L/∂h_next = dh_next, ∂L/∂c_next = dc_next.

    Equations (see :func:`lstm_step_backward` for da = [daf; dai; dao; dac])::

        [dh_prev; dxt] = Wᵀ · da            (W = [Wf; Wi; Wo; Wc])
        dW* = da* · [h_prev; xt]ᵀ,   db* = Σ_columns da*
        dc_prev = (dc_next + dh_next ⊙ o ⊙ (1 − tanh²(c_next))) ⊙ f

    The y path (Wy, by) is not part of L. Shapes: dh_next, dc_next, h_prev, c_prev ``(n_h, m)``,
    xt ``(n_x, m)``. Returns a dict with ``dxt (n_x, m)``, ``dh_prev (n_h, m)``, ``dc_prev (n_h, m)``,
    ``dWf, dWi, dWc, dWo (n_h, n_h + n_x)``, ``dbf, dbi, dbc, dbo (n_h, 1)``.
    """
    w, concat, step, _, _ = _cell(xt, h_prev, c_prev, parameters)
    dh_next = as_float64("dh_next", dh_next, 2)
    dc_next = as_float64("dc_next", dc_next, 2)
    dc_prev = lstm_step_backward(dh_next, dc_next, step)
    da = step.gates
    dconcat = w.W.T @ da
    grads = {"dxt": dconcat[w.n_h:], "dh_prev": dconcat[:w.n_h], "dc_prev": dc_prev}
    grads.update(_unstack_gradients(da @ concat.T, da.sum(axis=1, keepdims=True), w.n_h))
    return grads


class LSTMTrace(NamedTuple):
    """The forward pass over a sequence, time-major: ``[t]`` is step t.

    Everything per step lives in one allocation, ``steps (T, 6 n_h, m)`` with rows
    ``[gates (4 n_h); c_t (n_h); tanh(c_t) (n_h)]``, gates activated as ``[f; i; o; c̃]``; one block
    rather than three keeps repeated calls from page-faulting fresh memory each time.
    """
    weights: LSTMWeights
    z: np.ndarray       # (T + 1, n_h + n_x + 1, m): z[t] = [h_{t−1}; x_t; 1], z[T, :n_h] = h_{T−1}
    steps: np.ndarray   # (T, 6 n_h, m)

    @property
    def h(self) -> np.ndarray:
        """(T, n_h, m): h_t for t = 0 … T−1 (a view)."""
        return self.z[1:, :self.weights.n_h]

    @property
    def c(self) -> np.ndarray:
        """(T, n_h, m): c_t for t = 0 … T−1 (a view)."""
        n_h = self.weights.n_h
        return self.steps[:, 4 * n_h:5 * n_h]

    def step(self, t: int) -> LSTMStep:
        n_h = self.weights.n_h
        c_prev = self.steps[t - 1, 4 * n_h:5 * n_h] if t > 0 else np.zeros_like(self.steps[0, :n_h])
        return LSTMStep(self.steps[t, :4 * n_h], c_prev, self.steps[t, 5 * n_h:])


def lstm_trace(x, h0, parameters) -> LSTMTrace:
    """Run the LSTM over a sequence (c0 = 0), keeping what the backward pass needs.

    Each step is one product ``[W | b]_half · [h_{t−1}; x_t; 1]`` for all gates, the bias included.
    The inputs of every step live in one array ``z`` (the h rows are filled in as the loop goes),
    which is also what the parameter gradients multiply.
    """
    x = as_float64("x", x, 3)
    h0 = as_float64("h0", h0, 2)
    n_x, m, T = x.shape
    w = stack_lstm_weights(parameters, n_x)
    n_h = w.n_h
    Wb = np.hstack((w.W_half, w.b_half))
    z = np.empty((T + 1, n_h + n_x + 1, m))
    z[0, :n_h] = h0
    z[:T, n_h:n_h + n_x] = x.transpose(2, 0, 1)
    z[T, n_h:n_h + n_x] = 0.0
    z[:, -1] = 1.0
    steps = np.empty((T, 6 * n_h, m))
    c_prev = np.zeros((n_h, m))
    for t in range(T):
        u = steps[t, :4 * n_h]
        np.matmul(Wb, z[t], out=u)
        c_next = steps[t, 4 * n_h:5 * n_h]
        lstm_step(u, c_prev, c_next, steps[t, 5 * n_h:], z[t + 1, :n_h])
        c_prev = c_next
    return LSTMTrace(w, z, steps)


def lstm_forward(x, h0, parameters):
    """LSTM over a sequence, c0 = 0 (cell equations in the module docstring).

    Shapes: x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns ``(h (n_h, m, T), y (n_y, m, T),
    c (n_h, m, T))`` where ``[:, :, t]`` is step t and y = softmax(Wy·h + by) per step.
    """
    tr = lstm_trace(x, h0, parameters)
    Wy, by = take_parameters(parameters, ["Wy", "by"])
    h = sequence_output(tr.h)
    n_h, m, T = h.shape
    y = softmax(Wy @ h.reshape(n_h, m * T) + by).reshape(Wy.shape[0], m, T)
    return h, y, sequence_output(tr.c)


def lstm_backward(dh, x, h0, parameters):
    """Back-propagation through time for the LSTM (c0 = 0; the y path is not part of L).

    ``dh[:, :, t]`` is the upstream gradient ∂ℓ/∂h_t on every step. Equations, for t = T−1 … 0::

        dh_t = dh[:, :, t] + dh_from_later          (dh_from_later = 0 at t = T−1)
        da_t, dc_from_later = step backward(dh_t, dc_from_later)   (see lstm_step_backward)
        dh_from_later = Whᵀ · da_t

    then, as one product each over all steps::

        dx[:, :, t] = Wxᵀ · da_t
        [dW | db] = Σ_t da_t · [h_{t−1}; x_t; 1]ᵀ      (db = Σ_t Σ_columns da_t)

    Shapes: dh ``(n_h, m, T)``, x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns a dict with
    ``dx (n_x, m, T)``, ``dh0 (n_h, m)``, ``dWf, dWi, dWc, dWo (n_h, n_h + n_x)``,
    ``dbf, dbi, dbc, dbo (n_h, 1)``.
    """
    tr = lstm_trace(x, h0, parameters)
    n_h = tr.weights.n_h
    T, _, m = tr.steps.shape
    dh = upstream_sequence(dh, n_h, m, T)
    WhT = np.ascontiguousarray(tr.weights.W[:, :n_h]).T
    dh_later = np.zeros((n_h, m))
    dc_later = np.zeros((n_h, m))
    for t in range(T - 1, -1, -1):
        dh_t = dh[:, :, t] + dh_later
        step = tr.step(t)
        dc_later = lstm_step_backward(dh_t, dc_later, step)     # step.gates becomes da_t
        np.matmul(WhT, step.gates, out=dh_later)
    dWb, dx = gradients_over_steps(tr.steps[:, :4 * n_h], tr.z[:T], tr.weights.W[:, n_h:])
    grads = {"dx": dx, "dh0": dh_later}                        # dWb = [dWh | dWx | db]
    grads.update(_unstack_gradients(dWb[:, :-1], dWb[:, -1:], n_h))
    return grads
