import numpy as np


def residual_rnn_forward(x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    states = [h0]
    for t in range(x.shape[2]):
        states.append(states[-1] + np.tanh(U.dot(states[-1]) + W.dot(x[:, :, t]) + b))
    return np.stack(states[1:], axis=-1)


def residual_rnn_backward(dh, x, h0, parameters):
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    h = residual_rnn_forward(x, h0, parameters)
    h_prevs = np.concatenate([h0[..., None], h[..., :-1]], axis=-1)
    Z = np.einsum("ij,jmt->imt", U, h_prevs) + np.einsum("ij,jmt->imt", W, x) + b[..., None]
    dtanh = 1 - np.tanh(Z) ** 2
    dx = np.zeros_like(x)
    dU, dW, db = 0, 0, 0
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        dz = (dh[:, :, t] + carry) * dtanh[:, :, t]
        dU = dU + dz.dot(h_prevs[:, :, t].T)
        dW = dW + dz.dot(x[:, :, t].T)
        db = db + dz.sum(axis=1, keepdims=True)
        dx[:, :, t] = W.T.dot(dz)
        carry = U.T.dot(dz)
    return {"dx": dx, "dh0": carry, "dU": dU, "dW": dW, "db": db}
