"""SymPy derivations of one step of the residual RNN, the LSTM and the GRU (scalar case).

Every result is obtained by ``sympy.diff`` of the forward equations below; nothing is typed in.
The functions return SymPy expressions in exactly the symbols of DESIGN.md's symbolic items, and
are cached (``functools.lru_cache``): the first call derives, later calls are free.

Equations (scalar; vectors use the same equations element-wise, see ``*_symbolic`` helpers)::

    residual:  h_t = h + tanh(u·h + w·x + b)
    LSTM:      c = f·c_prev + i·g,   h_t = o·tanh(c)
               f = σ(a_f), i = σ(a_i), g = tanh(a_g), o = σ(a_o),
               a_k = u_k·h_prev + w_k·x + b_k           (k ∈ f, i, g, o)
               L = dh·h_t + dc·c    (dh = ∂L/∂h_t; dc = ∂L/∂c_t along c_t's other paths)
    GRU:       z = σ(wz·x + uz·h + bz), r = σ(wr·x + ur·h + br),
               n = tanh(wh·x + uh·(r·h) + bh),  h_t = z·h + (1 − z)·n

σ is :class:`sigmoid`, a SymPy function with σ′ = σ(1 − σ), so that derivatives stay in terms
of gate values.
"""
from __future__ import annotations

from functools import lru_cache

import sympy

from solutions.activations import sigmoid as np_sigmoid


def symbol(name: str) -> sympy.Symbol:
    """The one way symbols are made (the grader's parser uses it too): real-valued."""
    return sympy.Symbol(name, real=True)


class sigmoid(sympy.Function):  # noqa: N801  (printed name students type)
    """Logistic function σ(a) = 1 / (1 + exp(−a)); dσ/da = σ(a)·(1 − σ(a))."""

    nargs = 1

    @classmethod
    def eval(cls, a):
        if a.is_zero:
            return sympy.S.Half
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / (1 + sympy.exp(-a))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _latex(self, printer):
        return r"\sigma\left(%s\right)" % printer._print(self.args[0])

    def _mathml_presentation(self, printer):
        row = printer.dom.createElement("mrow")
        name = printer.dom.createElement("mi")
        name.appendChild(printer.dom.createTextNode("σ"))
        row.appendChild(name)
        row.appendChild(printer._paren_comma_separated(*self.args))
        return row


def symbols(names: str) -> tuple:
    return tuple(symbol(n) for n in names.split())


# ---------------------------------------------------------------------------------------------
# Exercise 6-3: residual RNN
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def residual_step() -> sympy.Expr:
    """h_t = h + tanh(u·h + w·x + b) in the symbols u, w, b, h, x."""
    u, w, b, h, x = symbols("u w b h x")
    return h + sympy.tanh(u * h + w * x + b)


@lru_cache(maxsize=None)
def residual_dh() -> sympy.Expr:
    """∂h_t/∂h_{t−1} of the scalar residual RNN: 1 + u·(1 − tanh²(u·h + w·x + b))."""
    return sympy.diff(residual_step(), symbol("h"))


@lru_cache(maxsize=None)
def residual_jacobian_matrix(n_h: int, n_x: int) -> tuple:
    """∂h_t/∂h_{t−1} for h_t = h + tanh(U·h + W·x + b) with explicit matrices (SymPy ``jacobian``).

    Returns ``(J, (h, x, U, W, b))``: J is an ``n_h × n_h`` SymPy Matrix; h ``(n_h, 1)``,
    x ``(n_x, 1)``, U ``(n_h, n_h)``, W ``(n_h, n_x)``, b ``(n_h, 1)`` are Matrices of symbols.
    """
    h = sympy.Matrix(n_h, 1, lambda r, _: symbol(f"h{r}"))
    x = sympy.Matrix(n_x, 1, lambda r, _: symbol(f"x{r}"))
    U = sympy.Matrix(n_h, n_h, lambda r, c: symbol(f"U{r}_{c}"))
    W = sympy.Matrix(n_h, n_x, lambda r, c: symbol(f"W{r}_{c}"))
    b = sympy.Matrix(n_h, 1, lambda r, _: symbol(f"b{r}"))
    h_t = h + (U * h + W * x + b).applyfunc(sympy.tanh)
    return h_t.jacobian(h), (h, x, U, W, b)


# ---------------------------------------------------------------------------------------------
# Exercise 6-4: LSTM
# ---------------------------------------------------------------------------------------------

LSTM_GIVENS = ("dh", "dc", "f", "i", "o", "g", "c_prev")
LSTM_GATES = ("f", "i", "g", "o")


@lru_cache(maxsize=None)
def lstm_cell_c() -> sympy.Expr:
    """c_t = f·c_prev + i·g (the abbreviation ``c`` of the symbolic items)."""
    _, _, f, i, _, g, c_prev = symbols(" ".join(LSTM_GIVENS))
    return f * c_prev + i * g


def _lstm_loss(f, i, o, g, c_prev):
    dh, dc = symbols("dh dc")
    c = f * c_prev + i * g
    return dh * o * sympy.tanh(c) + dc * c


@lru_cache(maxsize=None)
def lstm_dc_prev() -> sympy.Expr:
    """∂L/∂c_{t−1} = (dc + dh·o·(1 − tanh²(c)))·f along c_{t−1}'s direct paths (gates given)."""
    _, _, f, i, o, g, c_prev = symbols(" ".join(LSTM_GIVENS))
    return sympy.diff(_lstm_loss(f, i, o, g, c_prev), c_prev)


@lru_cache(maxsize=None)
def _lstm_with_preactivations():
    """The cell with gates as functions of their pre-activations, and the map back to gate values."""
    a_f, a_i, a_g, a_o = symbols("a_f a_i a_g a_o")
    _, _, f, i, o, g, c_prev = symbols(" ".join(LSTM_GIVENS))
    gates = {f: sigmoid(a_f), i: sigmoid(a_i), g: sympy.tanh(a_g), o: sigmoid(a_o)}
    loss = _lstm_loss(gates[f], gates[i], gates[o], gates[g], c_prev)
    back = {v: k for k, v in gates.items()}
    return loss, (a_f, a_i, a_g, a_o), back


@lru_cache(maxsize=None)
def lstm_preactivation_grads() -> dict:
    """{"a_f", "a_i", "a_g", "a_o"} → ∂L/∂a_k in the givens dh, dc, f, i, o, g, c_prev.

    Derived with f = σ(a_f), i = σ(a_i), g = tanh(a_g), o = σ(a_o), then written back in gate
    values (σ(a_f) → f, ...), e.g. ∂L/∂a_f = (dc + dh·o·(1 − tanh²(c)))·c_prev·f·(1 − f).
    """
    loss, pre, back = _lstm_with_preactivations()
    return {str(a): sympy.diff(loss, a).xreplace(back) for a in pre}


@lru_cache(maxsize=None)
def lstm_dforget() -> sympy.Expr:
    """∂L/∂a_f, the forget gate's pre-activation (f = σ(a_f))."""
    return lstm_preactivation_grads()["a_f"]


@lru_cache(maxsize=None)
def lstm_param_grads() -> dict:
    """Gradients of every scalar parameter, of h_prev and of x: a_k = u_k·h_prev + w_k·x + b_k.

    Keys ``u_f, w_f, b_f, …, u_o, w_o, b_o, h_prev, x``; values in the givens plus h_prev, x.
    (Vector case: dW_k = da_k·[h_prev; x]ᵀ, db_k = Σ_examples da_k.)
    """
    h_prev, x = symbols("h_prev x")
    _, _, f, i, o, g, c_prev = symbols(" ".join(LSTM_GIVENS))
    params, gate_of = [], {}
    for k, act in (("f", sigmoid), ("i", sigmoid), ("g", sympy.tanh), ("o", sigmoid)):
        u, w, b = symbols(f"u_{k} w_{k} b_{k}")
        params += [u, w, b]
        gate_of[k] = act(u * h_prev + w * x + b)
    loss = _lstm_loss(gate_of["f"], gate_of["i"], gate_of["o"], gate_of["g"], c_prev)
    back = {gate_of["f"]: f, gate_of["i"]: i, gate_of["g"]: g, gate_of["o"]: o}
    return {str(p): sympy.diff(loss, p).xreplace(back) for p in params + [h_prev, x]}


# ---------------------------------------------------------------------------------------------
# Exercise 6-5: GRU
# ---------------------------------------------------------------------------------------------

GRU_SYMBOLS = ("h", "x", "wz", "uz", "bz", "wr", "ur", "br", "wh", "uh", "bh")


@lru_cache(maxsize=None)
def gru_step() -> tuple:
    """(h_t, z, r, n) of the scalar GRU in the symbols of GRU_SYMBOLS (NNDL: reset before U_h)."""
    h, x, wz, uz, bz, wr, ur, br, wh, uh, bh = symbols(" ".join(GRU_SYMBOLS))
    z = sigmoid(wz * x + uz * h + bz)
    r = sigmoid(wr * x + ur * h + br)
    n = sympy.tanh(wh * x + uh * (r * h) + bh)
    return z * h + (1 - z) * n, z, r, n


@lru_cache(maxsize=None)
def gru_dh_prev() -> sympy.Expr:
    """∂h_t/∂h_{t−1} of the scalar GRU (h = h_{t−1}), in the raw symbols."""
    h_t = gru_step()[0]
    return sympy.diff(h_t, symbol("h"))


def gru_abbreviate(expr: sympy.Expr) -> sympy.Expr:
    """Write z, r, n back into an expression: σ(wz·x + uz·h + bz) → z, and so on."""
    _, z, r, n = gru_step()
    z_, r_, n_ = symbols("z r n")
    # n contains r: replace n first, then the gates.
    return expr.xreplace({n: n_}).xreplace({z: z_, r: r_})


@lru_cache(maxsize=None)
def gru_param_grads() -> dict:
    """∂L/∂p for every scalar parameter p and for x, h with L = dh·h_t, abbreviated in z, r, n."""
    dh = symbol("dh")
    h_t = gru_step()[0]
    return {name: gru_abbreviate(sympy.diff(dh * h_t, symbol(name))) for name in GRU_SYMBOLS}


@lru_cache(maxsize=None)
def gru_local_partials() -> dict:
    """Element-wise local derivatives of one GRU step, in the pre-activations' outputs z, r, n, h.

    With z = σ(a_z), r = σ(a_r), n = tanh(a_n), s = r·h, h_t = z·h + (1 − z)·n::

        "a_z": ∂h_t/∂a_z,  "a_n": ∂h_t/∂a_n,  "h": ∂h_t/∂h with z, n held fixed,
        "s_a_r": ∂s/∂a_r,  "s_h": ∂s/∂h with r held fixed
    """
    a_z, a_r, a_n, h = symbols("a_z a_r a_n h")
    z, r, n = sigmoid(a_z), sigmoid(a_r), sympy.tanh(a_n)
    h_t = z * h + (1 - z) * n
    s = r * h
    back = {z: symbol("z"), r: symbol("r"), n: symbol("n")}
    out = {
        "a_z": sympy.diff(h_t, a_z),
        "a_n": sympy.diff(h_t, a_n),
        "h": sympy.diff(h_t, h),
        "s_a_r": sympy.diff(s, a_r),
        "s_h": sympy.diff(s, h),
    }
    return {k: v.xreplace(back) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# Vector forms: the scalar derivations above, lambdified element-wise, composed with matrices.
# They are a second, independent answer key for lstm_cell_backward, gru_cell_backward and
# residual_rnn_step_jacobian (same signatures, same shapes: columns are examples).
# ---------------------------------------------------------------------------------------------

def _lambdify(args, expr):
    import numpy as np

    fn = sympy.lambdify(args, expr, modules=[{"sigmoid": np_sigmoid}, "numpy"])
    # A constant derivative (e.g. ∂s/∂h = r is not, but 1 would be) still returns full arrays.
    return lambda *a: np.broadcast_to(fn(*a), np.broadcast(*a).shape).astype(np.float64)


@lru_cache(maxsize=None)
def _lstm_vector_fns() -> dict:
    args = symbols(" ".join(LSTM_GIVENS))
    fns = {k: _lambdify(args, v) for k, v in lstm_preactivation_grads().items()}
    fns["c_prev"] = _lambdify(args, lstm_dc_prev())
    return fns


def lstm_cell_backward_symbolic(dh_next, dc_next, xt, h_prev, c_prev, parameters) -> dict:
    """lstm_cell_backward from the SymPy derivation (contract of DESIGN.md).

    Shapes: dh_next, dc_next, h_prev, c_prev (n_h, m); xt (n_x, m); W* (n_h, n_h + n_x),
    b* (n_h, 1). Equations::

        [h; x] = concat;  f, i, o = σ(W·concat + b),  g = tanh(Wc·concat + bc)
        da_k = lstm_preactivation_grads()[a_k](dh, dc, f, i, o, g, c_prev)   (element-wise)
        dW_k = da_k·concatᵀ,  db_k = Σ_m da_k,  dconcat = Σ_k W_kᵀ·da_k = [dh_prev; dxt]
    """
    import numpy as np

    n_h = h_prev.shape[0]
    p = parameters
    concat = np.vstack([h_prev, xt])
    f = np_sigmoid(p["Wf"] @ concat + p["bf"])
    i = np_sigmoid(p["Wi"] @ concat + p["bi"])
    g = np.tanh(p["Wc"] @ concat + p["bc"])
    o = np_sigmoid(p["Wo"] @ concat + p["bo"])
    fns = _lstm_vector_fns()
    givens = (dh_next, dc_next, f, i, o, g, c_prev)
    out = {"dc_prev": fns["c_prev"](*givens)}
    dconcat = np.zeros_like(concat)
    for gate, name in (("a_f", "f"), ("a_i", "i"), ("a_g", "c"), ("a_o", "o")):
        da = fns[gate](*givens)
        W = p["W" + name]
        out["dW" + name] = da @ concat.T
        out["db" + name] = da.sum(axis=1, keepdims=True)
        dconcat += W.T @ da
    out["dh_prev"], out["dxt"] = dconcat[:n_h], dconcat[n_h:]
    return out


@lru_cache(maxsize=None)
def _gru_vector_fns() -> dict:
    args = symbols("z r n h")
    return {k: _lambdify(args, v) for k, v in gru_local_partials().items()}


def gru_cell_backward_symbolic(dh_next, xt, h_prev, parameters) -> dict:
    """gru_cell_backward from the SymPy local derivatives (NNDL GRU, reset before U_h).

    Shapes: dh_next, h_prev (n_h, m); xt (n_x, m); W* (n_h, n_h + n_x), b* (n_h, 1). Equations::

        z = σ(Wz·[h; x] + bz), r = σ(Wr·[h; x] + br), s = r⊙h, n = tanh(Wh·[s; x] + bh)
        da_z = dh ⊙ ∂h_t/∂a_z,  da_n = dh ⊙ ∂h_t/∂a_n,  ds = Wh[:, :n_h]ᵀ·da_n,  da_r = ds ⊙ ∂s/∂a_r
        dh_prev = dh ⊙ ∂h_t/∂h + ds ⊙ ∂s/∂h + Wz[:, :n_h]ᵀ·da_z + Wr[:, :n_h]ᵀ·da_r
    """
    import numpy as np

    n_h = h_prev.shape[0]
    p = parameters
    concat = np.vstack([h_prev, xt])
    z = np_sigmoid(p["Wz"] @ concat + p["bz"])
    r = np_sigmoid(p["Wr"] @ concat + p["br"])
    s = r * h_prev
    concat_s = np.vstack([s, xt])
    n = np.tanh(p["Wh"] @ concat_s + p["bh"])
    d = _gru_vector_fns()
    local = {k: fn(z, r, n, h_prev) for k, fn in d.items()}
    da_z = dh_next * local["a_z"]
    da_n = dh_next * local["a_n"]
    ds = p["Wh"][:, :n_h].T @ da_n
    da_r = ds * local["s_a_r"]
    dh_prev = (dh_next * local["h"] + ds * local["s_h"]
               + p["Wz"][:, :n_h].T @ da_z + p["Wr"][:, :n_h].T @ da_r)
    dxt = p["Wz"][:, n_h:].T @ da_z + p["Wr"][:, n_h:].T @ da_r + p["Wh"][:, n_h:].T @ da_n
    return {
        "dxt": dxt, "dh_prev": dh_prev,
        "dWz": da_z @ concat.T, "dbz": da_z.sum(axis=1, keepdims=True),
        "dWr": da_r @ concat.T, "dbr": da_r.sum(axis=1, keepdims=True),
        "dWh": da_n @ concat_s.T, "dbh": da_n.sum(axis=1, keepdims=True),
    }


@lru_cache(maxsize=None)
def _residual_jacobian_fn(n_h: int, n_x: int):
    J, (h, x, U, W, b) = residual_jacobian_matrix(n_h, n_x)
    args = list(h) + list(x) + list(U) + list(W) + list(b)
    return sympy.lambdify(args, J, modules="numpy")


def residual_step_jacobian_symbolic(xt, h_prev, parameters):
    """residual_rnn_step_jacobian from SymPy's ``jacobian`` of explicit matrices.

    Shapes: xt (n_x, m), h_prev (n_h, m), U (n_h, n_h), W (n_h, n_x), b (n_h, 1);
    returns J (m, n_h, n_h) with J[k] = ∂h_t/∂h_{t−1} for example k.
    """
    import numpy as np

    n_h, m = h_prev.shape
    n_x = xt.shape[0]
    fn = _residual_jacobian_fn(n_h, n_x)
    U, W, b = (np.asarray(parameters[k], dtype=np.float64) for k in ("U", "W", "b"))
    fixed = list(U.ravel()) + list(W.ravel()) + list(b.ravel())
    return np.stack([np.asarray(fn(*h_prev[:, k], *xt[:, k], *fixed), dtype=np.float64)
                     for k in range(m)])
