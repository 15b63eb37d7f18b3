import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, (n_x, m, T) = h0.shape[0], x.shape
    h = np.empty((n_h, m, T))
    prev = h0
    for t in range(T):
        prev = prev + np.tanh(U @ prev + W @ x[:, :, t] + b)
        h[:, :, t] = prev
    return h


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    """J[k] = d h_t / d h_{t-1} for example k: identity (skip connection) plus the tanh branch."""
    U = parameters["U"]
    n_h, m = h_prev.shape
    I = np.eye(n_h)
    return np.stack([I + U for _ in range(m)])
