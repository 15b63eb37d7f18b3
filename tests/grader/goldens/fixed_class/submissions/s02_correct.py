"""Model solution of nndl-ch6, written as a student would: module-level functions with the exact
contract, NumPy only. The solution notebook is filled from this file (function sources, ``answer_*``
strings and ``free_*`` model answers are read statically). Each function may call only numpy,
``sigmoid``, ``softmax`` and graded functions defined before it in the notebook.

Shapes: x (n_x, m) per step or (n_x, m, T); h, c (n_h, m); W (n_h, n_h + n_x) acting on [h; x].
"""
import numpy as np


def sigmoid(x):
    # student 2: sigmoid as I understood it
    """Logistic function 1 / (1 + exp(-x)), elementwise, without overflow for large |x|."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))


def softmax(z):
    # student 2: softmax as I understood it
    """Softmax over axis 0 (columns are examples); each column's max is subtracted for stability."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# ------------------------------------------------------------------------------------ 6-3 residual

def residual_rnn_forward(x, h0, parameters):
    # student 2: residual_rnn_forward as I understood it
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.zeros((n_h, m, T))
    h_prev = h0
    for t in range(T):
        h_prev = h_prev + np.tanh(U @ h_prev + W @ x[:, :, t] + b)
        h[:, :, t] = h_prev
    return h


def residual_rnn_backward(dh, x, h0, parameters):
    # student 2: residual_rnn_backward as I understood it
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_x, m, T = x.shape
    h = residual_rnn_forward(x, h0, parameters)
    dx = np.zeros((n_x, m, T))
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        g = dh[:, :, t] + dh_next
        tz = np.tanh(U @ h_prev + W @ x[:, :, t] + b)
        dz = g * (1.0 - tz ** 2)
        dU += dz @ h_prev.T
        dW += dz @ x[:, :, t].T
        db += np.sum(dz, axis=1, keepdims=True)
        dx[:, :, t] = W.T @ dz
        dh_next = g + U.T @ dz
    return {"dx": dx, "dh0": dh_next, "dU": dU, "dW": dW, "db": db}


def residual_rnn_step_jacobian(xt, h_prev, parameters):
    # student 2: residual_rnn_step_jacobian as I understood it
    U, W, b = parameters["U"], parameters["W"], parameters["b"]
    n_h, m = h_prev.shape
    tz = np.tanh(U @ h_prev + W @ xt + b)
    J = np.zeros((m, n_h, n_h))
    for k in range(m):
        J[k] = np.eye(n_h) + (1.0 - tz[:, k] ** 2)[:, None] * U
    return J


def clip_by_global_norm(grads, max_norm):
    # student 2: clip_by_global_norm as I understood it
    global_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / global_norm if global_norm > max_norm else 1.0
    clipped = {key: g * scale for key, g in grads.items()}
    return clipped, global_norm


# ------------------------------------------------------------------------------------ 6-5 GRU

def gru_cell_forward(xt, h_prev, parameters):
    # student 2: gru_cell_forward as I understood it
    p = parameters
    concat = np.concatenate([h_prev, xt], axis=0)
    z = sigmoid(p["Wz"] @ concat + p["bz"])
    r = sigmoid(p["Wr"] @ concat + p["br"])
    h_tilde = np.tanh(p["Wh"] @ np.concatenate([r * h_prev, xt], axis=0) + p["bh"])
    h_next = z * h_prev + (1.0 - z) * h_tilde
    yt_pred = softmax(p["Wy"] @ h_next + p["by"])
    return h_next, yt_pred


def gru_cell_backward(dh_next, xt, h_prev, parameters):
    # student 2: gru_cell_backward as I understood it
    p = parameters
    n_h = h_prev.shape[0]
    concat = np.concatenate([h_prev, xt], axis=0)
    z = sigmoid(p["Wz"] @ concat + p["bz"])
    r = sigmoid(p["Wr"] @ concat + p["br"])
    concat_r = np.concatenate([r * h_prev, xt], axis=0)
    h_tilde = np.tanh(p["Wh"] @ concat_r + p["bh"])
    daz = dh_next * (h_prev - h_tilde) * z * (1.0 - z)
    dah = dh_next * (1.0 - z) * (1.0 - h_tilde ** 2)
    dconcat_r = p["Wh"].T @ dah
    ds = dconcat_r[:n_h]
    dar = ds * h_prev * r * (1.0 - r)
    dconcat = p["Wz"].T @ daz + p["Wr"].T @ dar
    dh_prev = dh_next * z + ds * r + dconcat[:n_h]
    dxt = dconcat[n_h:] + dconcat_r[n_h:]
    return {
        "dxt": dxt, "dh_prev": dh_prev,
        "dWz": daz @ concat.T, "dbz": np.sum(daz, axis=1, keepdims=True),
        "dWr": dar @ concat.T, "dbr": np.sum(dar, axis=1, keepdims=True),
        "dWh": dah @ concat_r.T, "dbh": np.sum(dah, axis=1, keepdims=True),
    }


def gru_forward(x, h0, parameters):
    # student 2: gru_forward as I understood it
    n_h, m = h0.shape
    T = x.shape[2]
    n_y = parameters["Wy"].shape[0]
    h, y = np.zeros((n_h, m, T)), np.zeros((n_y, m, T))
    h_prev = h0
    for t in range(T):
        h_prev, y[:, :, t] = gru_cell_forward(x[:, :, t], h_prev, parameters)
        h[:, :, t] = h_prev
    return h, y


def gru_backward(dh, x, h0, parameters):
    # student 2: gru_backward as I understood it
    n_x, m, T = x.shape
    h, _ = gru_forward(x, h0, parameters)
    grads = {k: np.zeros_like(parameters[k]) for k in ("Wz", "bz", "Wr", "br", "Wh", "bh")}
    dx = np.zeros((n_x, m, T))
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        step = gru_cell_backward(dh[:, :, t] + dh_prev, x[:, :, t], h_prev, parameters)
        dx[:, :, t] = step["dxt"]
        dh_prev = step["dh_prev"]
        for k in grads:
            grads[k] += step["d" + k]
    result = {"dx": dx, "dh0": dh_prev}
    result.update({"d" + k: v for k, v in grads.items()})
    return result


# ------------------------------------------------------------------------------------ 6-2P LSTM

def lstm_cell_forward(xt, h_prev, c_prev, parameters):
    # student 2: lstm_cell_forward as I understood it
    p = parameters
    concat = np.concatenate([h_prev, xt], axis=0)
    f = sigmoid(p["Wf"] @ concat + p["bf"])
    i = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    o = sigmoid(p["Wo"] @ concat + p["bo"])
    c_next = f * c_prev + i * cct
    h_next = o * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ h_next + p["by"])
    return h_next, c_next, yt_pred


def lstm_cell_backward(dh_next, dc_next, xt, h_prev, c_prev, parameters):
    # student 2: lstm_cell_backward as I understood it
    p = parameters
    n_h = h_prev.shape[0]
    concat = np.concatenate([h_prev, xt], axis=0)
    f = sigmoid(p["Wf"] @ concat + p["bf"])
    i = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    o = sigmoid(p["Wo"] @ concat + p["bo"])
    c_next = f * c_prev + i * cct
    tc = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1.0 - tc ** 2)
    dao = dh_next * tc * o * (1.0 - o)
    daf = dc * c_prev * f * (1.0 - f)
    dai = dc * cct * i * (1.0 - i)
    dac = dc * i * (1.0 - cct ** 2)
    dconcat = p["Wf"].T @ daf + p["Wi"].T @ dai + p["Wc"].T @ dac + p["Wo"].T @ dao
    return {
        "dxt": dconcat[n_h:], "dh_prev": dconcat[:n_h], "dc_prev": dc * f,
        "dWf": daf @ concat.T, "dbf": np.sum(daf, axis=1, keepdims=True),
        "dWi": dai @ concat.T, "dbi": np.sum(dai, axis=1, keepdims=True),
        "dWc": dac @ concat.T, "dbc": np.sum(dac, axis=1, keepdims=True),
        "dWo": dao @ concat.T, "dbo": np.sum(dao, axis=1, keepdims=True),
    }


def lstm_forward(x, h0, parameters):
    # student 2: lstm_forward as I understood it
    n_h, m = h0.shape
    T = x.shape[2]
    n_y = parameters["Wy"].shape[0]
    h, y, c = np.zeros((n_h, m, T)), np.zeros((n_y, m, T)), np.zeros((n_h, m, T))
    h_prev, c_prev = h0, np.zeros((n_h, m))
    for t in range(T):
        h_prev, c_prev, y[:, :, t] = lstm_cell_forward(x[:, :, t], h_prev, c_prev, parameters)
        h[:, :, t], c[:, :, t] = h_prev, c_prev
    return h, y, c


def lstm_backward(dh, x, h0, parameters):
    # student 2: lstm_backward as I understood it
    n_x, m, T = x.shape
    h, _, c = lstm_forward(x, h0, parameters)
    names = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
    grads = {k: np.zeros_like(parameters[k]) for k in names}
    dx = np.zeros((n_x, m, T))
    dh_prev, dc_prev = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        c_prev = np.zeros_like(h0) if t == 0 else c[:, :, t - 1]
        step = lstm_cell_backward(dh[:, :, t] + dh_prev, dc_prev, x[:, :, t], h_prev, c_prev, parameters)
        dx[:, :, t] = step["dxt"]
        dh_prev, dc_prev = step["dh_prev"], step["dc_prev"]
        for k in names:
            grads[k] += step["d" + k]
    result = {"dx": dx, "dh0": dh_prev}
    result.update({"d" + k: v for k, v in grads.items()})
    return result


# ------------------------------------------------------------------------------------ symbolic answers

answer_residual_dh = "1 + u*(1 - tanh(u*h + w*x + b)**2)"
answer_lstm_dc_prev = "(dc + dh*o*(1 - tanh(c)**2))*f"
answer_lstm_dforget = "(dc + dh*o*(1 - tanh(c)**2))*c_prev*f*(1 - f)"
answer_gru_dh_prev = "z + (h - n)*z*(1 - z)*uz + (1 - z)*(1 - n**2)*uh*(r + h*r*(1 - r)*ur)"

# ------------------------------------------------------------------------------------ model answers

free_6_3 = r"""
With $z_k = U h_{k-1} + W x_k + b$ and $h_k = h_{k-1} + \tanh(z_k)$, one step's Jacobian is
$\partial h_k/\partial h_{k-1} = I + \operatorname{diag}(1 - \tanh^2(z_k))\,U$, so
$\partial L_t/\partial h_k = \prod_{\tau=k+1}^{t} \left(I + U^\top \operatorname{diag}(1-\tanh^2(z_\tau))\right) \partial L_t/\partial h_t$
and the error term $\delta_{t,k} = \partial L_t/\partial z_k$ (formula 6.34) is $\operatorname{diag}(1-\tanh^2(z_k))$ times it.

Each factor has eigenvalues close to $1 + \lambda$, where $\lambda$ are eigenvalues of $\operatorname{diag}(g')U$.
Because of the identity, the factor is not small even when $\|U\|$ is small: any $\lambda$ with a positive
real part is compounded over $t - k$ steps and the gradient grows exponentially (gradient explosion).
A second problem is memory capacity: $h_t$ keeps accumulating and grows, saturating later units.

Remedies: clip gradients (e.g. by their global norm), use weight decay or a norm constraint on $U$, and
use gating: the LSTM forget gate or GRU update gate replaces the identity by a learned coefficient in $(0, 1)$.
"""

free_6_4 = r"""
Along the cell, $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$ gives $\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)$
on the direct path, so $\partial L/\partial c_{t-1} = (\delta c_t + \delta h_t \odot o_t \odot (1-\tanh^2 c_t)) \odot f_t$.
Over many steps the gradient is multiplied element-wise by forget gates, not by $U$ and $\tanh'$ each step:
with $f_t \approx 1$ it is carried almost unchanged (the constant error carousel). The gates are learned and
depend on the input, so the network decides what to keep; initialising $b_f$ to 1 or 2 keeps $f_t$ near 1 early.
Limits: with small $f_t$ or along the paths through $o_t$, $\tanh$ and the gates the gradient still vanishes,
and the LSTM does not prevent exploding gradients (clipping is still used).
"""

free_6_5 = r"""
With $h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$, the Jacobian $\partial h_t/\partial h_{t-1}$ has the
direct term $\operatorname{diag}(z_t)$ plus terms through $z_t$, $r_t$ and $\tilde h_t$ that involve $U$ and $\tanh'$.
When $z_t \approx 1$, $h_t \approx h_{t-1}$ and the gradient crosses many steps almost unchanged, like $f_t$ in the
LSTM. The update gate acts as coupled forget and input gates; the reset gate decides how much of $h_{t-1}$ the
candidate uses. Limits: when $z_t$ is small the other terms still multiply $U$ and $\tanh'$ step after step and may
vanish or explode; unlike the LSTM there is no separate memory cell and no output gate.
"""

free_6_1p = r"""
A GRU has two gates and no separate cell or output gate; an LSTM has three gates, a cell separate from the
hidden state, and controls writing and forgetting independently. A GRU step has about 3/4 of the parameters and
work of an LSTM step, so it is a good default with little data, limited compute or when training speed matters.
An LSTM is more expressive and is preferred for long dependencies, large models and plenty of data (it is also
the better-tested choice). In practice they often perform alike: decide with validation experiments.
"""
