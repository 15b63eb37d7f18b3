import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    T = x.shape[2]
    h = np.zeros((len(h0), x.shape[1], T))
    cur = h0
    for t in range(T):
        cur = cur + np.tanh(U @ cur + W @ x[:, :, t] + b)
        h[:, :, t] = cur
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    UT, WT = U.T, W.T
    T = x.shape[2]
    grads = dict(dx=np.zeros_like(x), dU=np.zeros_like(U), dW=np.zeros_like(W), db=np.zeros_like(b))
    dcarry = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        d_out = dh[:, :, t] + dcarry
        d_pre = d_out                       # gradient entering g(x_t, h_{t-1})
        grads["dU"] += d_pre @ h_prev.T
        grads["dW"] += d_pre @ x[:, :, t].T
        grads["db"] += d_pre.sum(axis=1, keepdims=True)
        grads["dx"][:, :, t] = WT @ d_pre
        dcarry = d_out + UT @ d_pre
    grads["dh0"] = dcarry
    return grads
