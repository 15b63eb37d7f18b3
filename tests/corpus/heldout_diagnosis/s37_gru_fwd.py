import numpy as np

np.random.seed(2)
# parameters used by the test cells below
parameters_tmp = {
    "Wz": np.random.randn(4, 7), "bz": np.random.randn(4, 1),
    "Wr": np.random.randn(4, 7), "br": np.random.randn(4, 1),
    "Wh": np.random.randn(4, 7), "bh": np.random.randn(4, 1),
    "Wy": np.random.randn(2, 4), "by": np.random.randn(2, 1),
}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def gru_cell_forward(xt, h_prev, parameters):
    concat = np.concatenate([h_prev, xt])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    Wh, bh = parameters_tmp["Wh"], parameters_tmp["bh"]
    h_tilde = np.tanh(Wh @ np.concatenate([r * h_prev, xt]) + bh)
    h_next = z * h_prev + (1 - z) * h_tilde
    return h_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def gru_forward(x, h0, parameters):
    T = x.shape[2]
    h = np.zeros((h0.shape[0], x.shape[1], T))
    y = np.zeros((parameters["Wy"].shape[0], x.shape[1], T))
    h_t = h0
    for t in range(T):
        h_t, y[:, :, t] = gru_cell_forward(x[:, :, t], h_t, parameters)
        h[:, :, t] = h_t
    return h, y


h_tmp, y_tmp = gru_forward(np.random.randn(3, 10, 4), np.random.randn(4, 10), parameters_tmp)
print(h_tmp[1, 2], y_tmp.shape)
