import sys
import numpy as np

this = sys.modules[__name__]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x, axis=0))
    return e / e.sum(axis=0)


def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, softmax(parameters["Wy"] @ h_next + parameters["by"])


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    n_h = h_prev.shape[0]
    concat = np.concatenate((h_prev, xt), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    tc = np.tanh(c_next)
    dc = dc_next + dh_next * ot * (1 - tc ** 2)
    dot = dh_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    # the weights of the model
    Wf, Wi, Wc, Wo = this.Wf, this.Wi, this.Wc, this.Wo
    dconcat = Wf.T @ dft + Wi.T @ dit + Wc.T @ dcct + Wo.T @ dot
    return {"dxt": dconcat[n_h:], "dh_prev": dconcat[:n_h], "dc_prev": dc * ft,
            "dWf": dft @ concat.T, "dbf": dft.sum(1, keepdims=True),
            "dWi": dit @ concat.T, "dbi": dit.sum(1, keepdims=True),
            "dWc": dcct @ concat.T, "dbc": dcct.sum(1, keepdims=True),
            "dWo": dot @ concat.T, "dbo": dot.sum(1, keepdims=True)}


# ---- test cell
np.random.seed(3)
Wf = np.random.randn(4, 7); Wi = np.random.randn(4, 7); Wc = np.random.randn(4, 7); Wo = np.random.randn(4, 7)
bf, bi, bc, bo = (np.random.randn(4, 1) for _ in range(4))
Wy, by = np.random.randn(2, 4), np.random.randn(2, 1)
params = dict(Wf=Wf, Wi=Wi, Wc=Wc, Wo=Wo, bf=bf, bi=bi, bc=bc, bo=bo, Wy=Wy, by=by)
g = lstm_cell_backward(np.random.randn(4, 10), np.random.randn(4, 10), np.random.randn(3, 10),
                       np.random.randn(4, 10), np.random.randn(4, 10), params)
print(g["dxt"][1][2], g["dh_prev"].shape)
