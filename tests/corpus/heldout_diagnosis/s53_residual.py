import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    T = x.shape[-1]
    out = np.zeros((U.shape[0], x.shape[1], T))
    h_t = h0
    for t in range(T):
        h_t = h_t + np.tanh(U @ h_t + W @ x[..., t] + b)
        out[..., t] = h_t
    return out


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    T = x.shape[-1]
    grads = {"dx": np.zeros_like(x), "dU": np.zeros_like(U), "dW": np.zeros_like(W), "db": np.zeros_like(b)}
    dh_prev = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        hp = h0 if t == 0 else h[..., t - 1]
        dtanh = dh[..., t] * (1 - np.tanh(U @ hp + W @ x[..., t] + b) ** 2)
        grads["dU"] += dtanh @ hp.T
        grads["dW"] += dtanh @ x[..., t].T
        grads["db"] += np.sum(dtanh, axis=1, keepdims=True)
        grads["dx"][..., t] = W.T @ dtanh
        dh_prev = dh[..., t] + U.T @ dtanh
    grads["dh0"] = dh_prev
    return grads
