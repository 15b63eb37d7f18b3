import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    Wf, Wi, Wc, Wo = parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]
    # split each W into the recurrent block U (on h) and the input block V (on x)
    pre = lambda W, b: W[:, :n_h] @ h_prev + W[:, n_h:] @ xt + b
    ft = sigmoid(pre(Wf, parameters["bf"]))
    it = sigmoid(pre(Wi, parameters["bi"]))
    cct = np.tanh(pre(Wc, parameters["bc"]))
    ot = sigmoid(pre(Wo, parameters["bo"]))
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    Wf, Wi, Wc, Wo = parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]
    pre = lambda W, b: W[:, :n_h] @ h_prev + W[:, n_h:] @ xt + b
    ft = sigmoid(pre(Wf, parameters["bf"]))
    it = sigmoid(pre(Wi, parameters["bi"]))
    cct = np.tanh(pre(Wc, parameters["bc"]))
    ot = sigmoid(pre(Wo, parameters["bo"]))
    c_next = ft * c_prev + it * cct
    dc = dc_next + dh_next * ot * (1 - np.tanh(c_next) ** 2)
    dot = dh_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    out = {"dc_prev": dc * ft}
    out["dh_prev"] = Wf[:, :n_h].T @ dft + Wi[:, :n_h].T @ dit + Wc[:, :n_h].T @ dcct + Wo[:, :n_h].T @ dot
    out["dxt"] = Wf[:, n_h:].T @ dft + Wi[:, n_h:].T @ dit + Wc[:, n_h:].T @ dcct + Wo[:, n_h:].T @ dot
    for name, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        out["dW" + name] = np.hstack([d @ h_prev.T, d @ xt.T])
        out["db" + name] = d.sum(axis=1, keepdims=True)
    return out


def lstm_forward(x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T)); c = np.zeros((n_h, m, T))
    y = np.zeros((parameters["Wy"].shape[0], m, T))
    hn, cn = h0, np.zeros((n_h, m))
    for t in range(T):
        hn, cn, yt = lstm_cell_forward(x[:, :, t], hn, cn, parameters)
        h[:, :, t], c[:, :, t], y[:, :, t] = hn, cn, yt
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h, _, c = lstm_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T))
    dWf = np.zeros_like(parameters["Wf"]); dWi = np.zeros_like(dWf); dWc = np.zeros_like(dWf); dWo = np.zeros_like(dWf)
    dbf = np.zeros((n_h, 1)); dbi = np.zeros((n_h, 1)); dbc = np.zeros((n_h, 1)); dbo = np.zeros((n_h, 1))
    dh_prevt = np.zeros((n_h, m))
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        c_prev = c[:, :, t - 1] if t > 0 else np.zeros((n_h, m))
        dc_next = np.zeros_like(dh_prevt)
        g = lstm_cell_backward(dh[:, :, t] + dh_prevt, dc_next, x[:, :, t], h_prev, c_prev, parameters)
        dh_prevt = g["dh_prev"]
        dx[:, :, t] = g["dxt"]
        dWf += g["dWf"]; dWi += g["dWi"]; dWc += g["dWc"]; dWo += g["dWo"]
        dbf += g["dbf"]; dbi += g["dbi"]; dbc += g["dbc"]; dbo += g["dbo"]
    return {"dx": dx, "dh0": dh_prevt, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
            "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
