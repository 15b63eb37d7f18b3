"""Residual RNN of exercise 6-3 (NNDL 1st ed. formula 6.50 with g = tanh), columns are examples.

Equations::

    z_t = U·h_{t−1} + W·x_t + b
    h_t = h_{t−1} + tanh(z_t)
    ∂h_t/∂h_{t−1} = I + diag(1 − tanh²(z_t))·U        (per example)

The identity term is why the gradient can explode: the per-step factor has eigenvalues near
1 + λ(diag(1 − tanh²(z))·U), and any part above 1 compounds over the steps.

Shapes: x_t ``(n_x, m)``, x ``(n_x, m, T)``, h ``(n_h, m)``, U ``(n_h, n_h)``, W ``(n_h, n_x)``,
b ``(n_h, 1)``.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

from solutions._common import (
    as_float64, check_weight, gradients_over_steps, project_all_steps, sequence_output, take_parameters,
    time_major, upstream_sequence, with_ones_row,
)


class ResidualTrace(NamedTuple):
    """A forward pass, time-major: ``h[0] = h0``, ``h[t + 1] = h_t``, ``tanh_z[t] = tanh(z_t)``."""
    U: np.ndarray
    W: np.ndarray
    x1: np.ndarray      # (T, n_x + 1, m): x_t with a row of ones (the bias's input)
    h: np.ndarray       # (T + 1, n_h, m)
    tanh_z: np.ndarray  # (T, n_h, m)


def _weights(parameters: Mapping[str, np.ndarray], n_x: int):
    U, W, b = take_parameters(parameters, ["U", "W", "b"])
    n_h = U.shape[0]
    check_weight("U", U, n_h, n_h)
    check_weight("W", W, n_h, n_x)
    check_weight("b", b, n_h, 1)
    return U, W, b


def residual_rnn_trace(x, h0, parameters) -> ResidualTrace:
    """Run the residual RNN over ``x (n_x, m, T)`` from ``h0 (n_h, m)``, keeping every step.

    W·x_t + b of all steps is one product before the loop; each step adds U·h_{t−1}.
    """
    x = as_float64("x", x, 3)
    h0 = as_float64("h0", h0, 2)
    n_x, m, T = x.shape
    U, W, b = _weights(parameters, n_x)
    x1 = with_ones_row(time_major(x))
    tanh_z = project_all_steps(np.hstack((W, b)), x1)     # W·x_t + b; becomes tanh(z_t), step by step
    h = np.empty((T + 1, U.shape[0], m))
    h[0] = h0
    for t in range(T):
        z = tanh_z[t]
        z += U @ h[t]
        np.tanh(z, out=z)
        np.add(h[t], z, out=h[t + 1])
    return ResidualTrace(U, W, x1, h, tanh_z)


def residual_rnn_forward(x, h0, parameters):
    """h_t = h_{t−1} + tanh(U·h_{t−1} + W·x_t + b) for every step.

    Shapes: x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns ``h (n_h, m, T)``, ``[:, :, t]`` = h_t.
    """
    return sequence_output(residual_rnn_trace(x, h0, parameters).h[1:])


def residual_rnn_backward(dh, x, h0, parameters):
    """Back-propagation through time; ``dh[:, :, t]`` is the upstream gradient on h_t.

    Equations, for t = T−1 … 0 (dh_from_later = 0 at t = T−1)::

        dh_t  = dh[:, :, t] + dh_from_later
        dz_t  = dh_t ⊙ (1 − tanh²(z_t))
        dh_from_later = dh_t + Uᵀ·dz_t
        dx[:, :, t] = Wᵀ·dz_t
        dU = Σ_t dz_t·h_{t−1}ᵀ,  dW = Σ_t dz_t·x_tᵀ,  db = Σ_t Σ_columns dz_t

    Shapes: dh ``(n_h, m, T)``, x ``(n_x, m, T)``, h0 ``(n_h, m)``. Returns a dict with
    ``dx (n_x, m, T)``, ``dh0 (n_h, m)``, ``dU (n_h, n_h)``, ``dW (n_h, n_x)``, ``db (n_h, 1)``.
    """
    tr = residual_rnn_trace(x, h0, parameters)
    T, n_h, m = tr.tanh_z.shape
    dh = upstream_sequence(dh, n_h, m, T)
    dh_tm = time_major(dh)
    dz = np.empty_like(tr.tanh_z)
    dh_later = np.zeros((n_h, m))
    UT = tr.U.T
    for t in range(T - 1, -1, -1):
        dh_t = dh_tm[t] + dh_later
        dz_t = dz[t]
        np.multiply(tr.tanh_z[t], tr.tanh_z[t], out=dz_t)
        np.subtract(1.0, dz_t, out=dz_t)
        dz_t *= dh_t
        dh_later = dh_t
        dh_later += UT @ dz_t
    dWb, dx = gradients_over_steps(dz, tr.x1, tr.W)       # dWb = [dW | db]
    dU, _ = gradients_over_steps(dz, tr.h[:T])
    return {
        "dx": dx,
        "dh0": dh_later,
        "dU": dU,
        "dW": np.ascontiguousarray(dWb[:, :-1]),
        "db": np.ascontiguousarray(dWb[:, -1:]),
    }


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    """Per-example Jacobian of one step, J[k] = ∂h_t/∂h_{t−1} for column k.

    Equations: z = U·h_prev + W·xt + b;  J[k] = I + diag(1 − tanh²(z[:, k]))·U.

    Shapes: xt ``(n_x, m)``, h_prev ``(n_h, m)``. Returns ``J (m, n_h, n_h)`` with
    ``J[k][i, j] = ∂h_t[i, k] / ∂h_{t−1}[j, k]``.
    """
    xt = as_float64("xt", xt, 2)
    h_prev = as_float64("h_prev", h_prev, 2)
    U, W, b = _weights(parameters, xt.shape[0])
    t = np.tanh(U @ h_prev + W @ xt + b)
    J = np.ascontiguousarray((1.0 - t * t).T)[:, :, None] * U[None, :, :]
    J += np.eye(U.shape[0])
    return J
