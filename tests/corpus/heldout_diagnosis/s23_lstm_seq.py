import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    ez = np.exp(z - z.max(axis=0))
    return ez / ez.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    P = parameters
    hx = np.vstack([h_prev, xt])
    f = sigmoid(np.dot(P["Wf"], hx) + P["bf"])
    i = sigmoid(np.dot(P["Wi"], hx) + P["bi"])
    g = np.tanh(np.dot(P["Wc"], hx) + P["bc"])
    o = sigmoid(np.dot(P["Wo"], hx) + P["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, softmax(np.dot(P["Wy"], h_next) + P["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    P = parameters
    n_h = h_prev.shape[0]
    hx = np.vstack([h_prev, xt])
    f = sigmoid(np.dot(P["Wf"], hx) + P["bf"])
    i = sigmoid(np.dot(P["Wi"], hx) + P["bi"])
    g = np.tanh(np.dot(P["Wc"], hx) + P["bc"])
    o = sigmoid(np.dot(P["Wo"], hx) + P["bo"])
    c = f * c_prev + i * g
    dc = dc_next + dh_next * o * (1 - np.tanh(c) ** 2)
    dof = dh_next * np.tanh(c) * o * (1 - o)
    dgf = dc * i * (1 - g ** 2)
    dif = dc * g * i * (1 - i)
    dff = dc * c_prev * f * (1 - f)
    dhx = np.dot(P["Wf"].T, dff) + np.dot(P["Wi"].T, dif) + np.dot(P["Wc"].T, dgf) + np.dot(P["Wo"].T, dof)
    return {"dxt": dhx[n_h:], "dh_prev": dhx[:n_h], "dc_prev": dc * f,
            "dWf": np.dot(dff, hx.T), "dbf": np.sum(dff, 1, keepdims=True),
            "dWi": np.dot(dif, hx.T), "dbi": np.sum(dif, 1, keepdims=True),
            "dWc": np.dot(dgf, hx.T), "dbc": np.sum(dgf, 1, keepdims=True),
            "dWo": np.dot(dof, hx.T), "dbo": np.sum(dof, 1, keepdims=True)}


def lstm_forward(x, h0, parameters):
    hs, ys, cs = [], [], []
    h_t, c_t = h0, np.zeros(h0.shape)
    for x_t in np.moveaxis(x, 2, 0):
        h_t, c_t, y_t = lstm_cell_forward(x_t, h_t, c_t, parameters)
        hs.append(h_t); ys.append(y_t); cs.append(c_t)
    return np.dstack(hs), np.dstack(ys), np.dstack(cs)


def lstm_backward(dh, x, h0, parameters):
    h, _, c = lstm_forward(x, h0, parameters)
    T = x.shape[2]
    h_prevs = np.dstack([h0[:, :, None], h[:, :, :-1]])
    c_prevs = np.dstack([np.zeros(h0.shape)[:, :, None], c[:, :, :-1]])
    dx = np.zeros(x.shape)
    grads = {}
    dh_prev = dc_prev = np.zeros(h0.shape)
    t = T - 1
    while t >= 0:
        step = lstm_cell_backward(dh[:, :, t], np.zeros(h0.shape), x[:, :, t],
                                  h_prevs[:, :, t], c_prevs[:, :, t], parameters)
        dh_prev, dc_prev = step["dh_prev"], step["dc_prev"]
        dx[:, :, t] = step["dxt"]
        for k, v in step.items():
            if k.startswith("dW") or k.startswith("db"):
                grads[k] = grads.get(k, 0) + v
        t -= 1
    grads["dx"] = dx
    grads["dh0"] = dh_prev
    return grads
