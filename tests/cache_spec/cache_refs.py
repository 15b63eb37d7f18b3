"""References and input generators of the test-only cache-style assignment.

A tanh RNN: ``h_next = tanh(W h_prev + U xt + b)``; shapes ``xt (n_x, m)``, ``h_prev (n_h, m)``,
``W (n_h, n_h)``, ``U (n_h, n_x)``, ``b (n_h, 1)``; a sequence ``x (n_x, m, T)``.
"""
import numpy as np


def step_forward(xt, h_prev, parameters):
    """(h_next, cache) with cache = (h_next, h_prev, xt, parameters)."""
    W, U, b = parameters["W"], parameters["U"], parameters["b"]
    h_next = np.tanh(W @ h_prev + U @ xt + b)
    return h_next, (h_next, h_prev, xt, parameters)


def step_backward(dh_next, cache):
    """dz = dh_next * (1 - h_next**2); gradients of xt, h_prev, W, U, b."""
    h_next, h_prev, xt, parameters = cache
    dz = dh_next * (1.0 - h_next ** 2)
    return {"dxt": parameters["U"].T @ dz, "dh_prev": parameters["W"].T @ dz, "dW": dz @ h_prev.T,
            "dU": dz @ xt.T, "db": dz.sum(axis=1, keepdims=True)}


def seq_forward(x, h0, parameters):
    """(h, caches): h (n_h, m, T); caches = (list of the T step caches, x)."""
    n_h, (_, m, T) = h0.shape[0], x.shape
    h = np.zeros((n_h, m, T))
    caches, h_next = [], h0
    for t in range(T):
        h_next, cache = step_forward(x[:, :, t], h_next, parameters)
        h[:, :, t] = h_next
        caches.append(cache)
    return h, (caches, x)


def seq_backward(dh, caches):
    """dh (n_h, m, T) is the upstream gradient on every h_t; the gradient on h_{t-1} is carried."""
    steps, x = caches
    n_h, m, T = dh.shape
    grads = {"dx": np.zeros(x.shape), "dW": 0.0, "dU": 0.0, "db": 0.0}
    dh_prev = np.zeros((n_h, m))
    for t in reversed(range(T)):
        g = step_backward(dh[:, :, t] + dh_prev, steps[t])
        grads["dx"][:, :, t] = g["dxt"]
        dh_prev = g["dh_prev"]
        for k in ("dW", "dU", "db"):
            grads[k] = grads[k] + g[k]
    grads["dh0"] = dh_prev
    return grads


def _parameters(n_x, n_h, rng, scale=1.0):
    return {"W": rng.standard_normal((n_h, n_h)) * scale / np.sqrt(n_h),
            "U": rng.standard_normal((n_h, n_x)) / np.sqrt(n_x),
            "b": rng.uniform(0.1, 0.5, (n_h, 1))}


def step_inputs(shape, rng):
    n_x, n_h, m = shape["n_x"], shape["n_h"], shape["m"]
    return rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), _parameters(n_x, n_h, rng)


def seq_inputs(shape, rng):
    n_x, n_h, m, T = shape["n_x"], shape["n_h"], shape["m"], shape["T"]
    return rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m)), _parameters(n_x, n_h, rng)


def step_backward_inputs(shape, rng):
    """(dh_next, (xt, h_prev, parameters)): the cache's producer inputs as one tuple."""
    forward = step_inputs(shape, rng)
    return rng.standard_normal((shape["n_h"], shape["m"])), forward


def seq_backward_inputs(shape, rng):
    """(dh, x, h0, parameters): the producer inputs spliced in place of `caches`."""
    x, h0, parameters = seq_inputs(shape, rng)
    return (rng.standard_normal((shape["n_h"], shape["m"], shape["T"])), x, h0, parameters)
