import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h_prev = h0
    for t in range(T):
        # state update of the residual network (exercise 6-3)
        h_prev = np.tanh(U @ h_prev + W @ x[:, :, t] + b)
        h[:, :, t] = h_prev
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        g = dh[:, :, t] + dh_next
        da = g * (1 - np.tanh(U @ h_prev + W @ x[:, :, t] + b) ** 2)
        dU += da @ h_prev.T
        dW += da @ x[:, :, t].T
        db += da.sum(axis=1, keepdims=True)
        dx[:, :, t] = W.T @ da
        dh_next = g + U.T @ da
    return {"dx": dx, "dh0": dh_next, "dU": dU, "dW": dW, "db": db}
