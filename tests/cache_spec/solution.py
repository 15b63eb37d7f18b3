import numpy as np


def step_forward(xt, h_prev, parameters):
    h_next = np.tanh(parameters["W"] @ h_prev + parameters["U"] @ xt + parameters["b"])
    cache = (h_next, h_prev, xt, parameters)
    return h_next, cache


def seq_forward(x, h0, parameters):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    caches = []
    h_next = h0
    for t in range(T):
        h_next, cache = step_forward(x[:, :, t], h_next, parameters)
        h[:, :, t] = h_next
        caches.append(cache)
    return h, (caches, x)


def step_backward(dh_next, cache):
    from cache_helpers import tanh_prime_from_output  # the assignment's support module

    h_next, h_prev, xt, parameters = cache
    dz = dh_next * tanh_prime_from_output(h_next)
    return {"dxt": parameters["U"].T @ dz, "dh_prev": parameters["W"].T @ dz, "dW": dz @ h_prev.T,
            "dU": dz @ xt.T, "db": np.sum(dz, axis=1, keepdims=True)}


def seq_backward(dh, caches):
    steps, x = caches
    n_h, m, T = dh.shape
    dx = np.zeros(x.shape)
    dW = dU = db = 0
    dh_prev = np.zeros((n_h, m))
    for t in reversed(range(T)):
        g = step_backward(dh[:, :, t] + dh_prev, steps[t])
        dx[:, :, t] = g["dxt"]
        dh_prev = g["dh_prev"]
        dW, dU, db = dW + g["dW"], dU + g["dU"], db + g["db"]
    return {"dx": dx, "dh0": dh_prev, "dW": dW, "dU": dU, "db": db}
