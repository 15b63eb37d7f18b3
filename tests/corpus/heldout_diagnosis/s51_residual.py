import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    hs = []
    h_t = h0
    for t in range(x.shape[2]):
        h_t = h_t + np.tanh(np.dot(U, h_t) + np.dot(W, x[:, :, t]) + b)
        hs.append(h_t)
    return np.stack(hs, axis=2)


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    a = np.dot(U, h_prev) + np.dot(W, xt) + b
    d = 1 - np.tanh(a) ** 2                     # (n_h, m)
    m = xt.shape[1]
    J = np.zeros((m, U.shape[0], U.shape[0]))
    for k in range(m):
        J[k] = np.diag(d[:, k]) @ U             # dh_t / dh_{t-1}
    return J
