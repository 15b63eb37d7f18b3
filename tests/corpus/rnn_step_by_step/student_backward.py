"""Students' backward functions: correct ones in several styles, and the mistakes seen in the wild.

Each entry is ``key: (code, verdict, mistakes)`` as in student_forward.py.
"""
from __future__ import annotations

import re

from corpus_templates import TEMPLATES, head

RCB_HEAD = head("rnn_cell_backward") + '''
    # unpack the cache
    (a_next, a_prev, xt, parameters) = cache

    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]

    ### START CODE HERE ###
'''

RCB_TAIL = '''    ### END CODE HERE ###

    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

    return gradients
'''


def _rcb(dtanh_line: str, dba_line: str = "dba = np.sum(dtanh, axis=1, keepdims=True)",
         dxt_line: str = "dxt = np.dot(Wax.T, dtanh)") -> str:
    return RCB_HEAD + f'''    # gradient through the tanh
    {dtanh_line}

    # gradients with respect to the input and Wax
    {dxt_line}
    dWax = np.dot(dtanh, xt.T)

    # gradients with respect to a_prev and Waa
    da_prev = np.dot(Waa.T, dtanh)
    dWaa = np.dot(dtanh, a_prev.T)

    # gradient of the bias
    {dba_line}
''' + RCB_TAIL


RNN_CELL_BACKWARD = {
    "plain": (_rcb("dtanh = (1 - a_next ** 2) * da_next"), "correct", []),
    "recompute_z": ('''\
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    # derivative of tanh at the pre-activation
    z = Wax @ xt + Waa @ a_prev + ba
    dz = da_next * (1 - np.tanh(z) ** 2)
    gradients = {
        "dxt": Wax.T @ dz,
        "da_prev": Waa.T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1).reshape(-1, 1),
    }
    return gradients
''', "correct", []),
    "tanh_of_a": (_rcb("dtanh = (1 - np.tanh(a_next) ** 2) * da_next"),
                  "wrong", ["missing_tanh_derivative"]),
    "a_squared": (_rcb("dtanh = a_next ** 2 * da_next"), "wrong", ["missing_tanh_derivative"]),
    "one_minus_tanh": (_rcb("dtanh = (1 - np.tanh(a_next)) * da_next"),
                       "wrong", ["missing_tanh_derivative"]),
    "no_derivative": (_rcb("dtanh = da_next"), "wrong", ["missing_tanh_derivative"]),
    "no_keepdims": (_rcb("dtanh = (1 - a_next ** 2) * da_next", "dba = np.sum(dtanh, axis=1)"),
                    "wrong", ["bias_grad_axis"]),
    # `keepdim` (the PyTorch spelling) is not a NumPy keyword: a TypeError on every call, whatever
    # the sizes (a shape error such as a missing transpose would pass when n_x == n_a).
    "keepdim_typo": (_rcb("dtanh = (1 - a_next ** 2) * da_next",
                          "dba = np.sum(dtanh, axis=1, keepdim=True)"), "error", []),
    # The v3 test cells define Wax, Waa as globals; this student never unpacks the cache's parameters.
    "globals": ('''\
def rnn_cell_backward(da_next, cache):
    (a_next, a_prev, xt, parameters) = cache
    dtanh = (1 - a_next ** 2) * da_next
    dxt = np.dot(Wax.T, dtanh)
    dWax = np.dot(dtanh, xt.T)
    da_prev = np.dot(Waa.T, dtanh)
    dWaa = np.dot(dtanh, a_prev.T)
    dba = np.sum(dtanh, axis=1, keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients
''', "wrong", ["uses_notebook_globals"]),
    "template": (TEMPLATES["rnn_cell_backward"], "unanswered", []),
}

RB_HEAD = head("rnn_backward") + '''
    ### START CODE HERE ###
    # the step caches and the inputs
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]

    # sizes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    # zero gradients of the right shapes
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da0 = np.zeros((n_a, m))
    da_prevt = np.zeros((n_a, m))
'''

RB_TAIL = '''
    # gradient on a0
    da0 = da_prevt
    ### END CODE HERE ###

    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

    return gradients
'''


def _rb(loop: str) -> str:
    return RB_HEAD + loop + RB_TAIL


RB_LOOP_PLAIN = '''
    # walk back through the steps
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = gradients["dxt"], gradients["da_prev"], gradients["dWax"], gradients["dWaa"], gradients["dba"]
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
'''

RNN_BACKWARD = {
    "plain": (_rb(RB_LOOP_PLAIN), "correct", []),
    "dict_loop": ('''\
def rnn_backward(da, caches):
    step_caches, x = caches
    T_x = x.shape[2]
    grads = {"dx": np.zeros_like(x)}
    carry = np.zeros_like(da[:, :, 0])
    for t in range(T_x - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + carry, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            grads[k] = grads.get(k, 0) + g[k]
        carry = g["da_prev"]
    grads["da0"] = carry
    return grads
''', "correct", []),
    # da_prevt is read back from each step but never added to da[:, :, t].
    "no_dh": (_rb('''
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t], caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = gradients["dxt"], gradients["da_prev"], gradients["dWax"], gradients["dWaa"], gradients["dba"]
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
'''), "wrong", ["no_dh_accumulation"]),
    # da_prevt stays zero: each step gets only da[:, :, t] (for the RNN the same numbers as "no_dh")
    "no_carry": (_rb('''
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da_prevt = gradients["da_prev"]
'''), "wrong", ["no_bptt_carry"]),
    # the parameter gradients of the last processed step (t = 0) replace the sum
    "overwrite": (_rb('''
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax = gradients["dWax"]
        dWaa = gradients["dWaa"]
        dba = gradients["dba"]
'''), "wrong", ["overwrite_param_grads"]),
    # one step too many: index T_x is out of range on every call
    "off_by_one": (_rb('''
    for t in reversed(range(T_x + 1)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
'''), "error", []),
    # the cell does not parse (unclosed bracket): nothing is defined
    "half_written": ('''\
def rnn_backward(da, caches):
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + 
''', "error", []),
    "template": (TEMPLATES["rnn_backward"], "unanswered", []),
}

LCB_HEAD = head("lstm_cell_backward") + '''
    # what the forward step kept
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache

    ### START CODE HERE ###
    # sizes
    n_x, m = xt.shape
    n_a, m = a_next.shape
'''

LCB_TAIL = '''    ### END CODE HERE ###

    gradients = {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf,"dbf": dbf, "dWi": dWi,"dbi": dbi,
                "dWc": dWc,"dbc": dbc, "dWo": dWo,"dbo": dbo}

    return gradients
'''

LCB_GATES = {
    "dot": "dot = da_next * np.tanh(c_next) * ot * (1 - ot)",
    "dcct": "dcct = (dc_next * it + ot * (1 - np.tanh(c_next) ** 2) * it * da_next) * (1 - cct ** 2)",
    "dit": "dit = (dc_next * cct + ot * (1 - np.tanh(c_next) ** 2) * cct * da_next) * it * (1 - it)",
    "dft": "dft = (dc_next * c_prev + ot * (1 - np.tanh(c_next) ** 2) * c_prev * da_next) * ft * (1 - ft)",
}
LCB_DC_PREV = "dc_prev = dc_next * ft + ot * (1 - np.tanh(c_next) ** 2) * ft * da_next"
LCB_W = "parameters['Wf']", "parameters['Wi']", "parameters['Wc']", "parameters['Wo']"


def _lcb(gates=None, dc_prev=LCB_DC_PREV, weights=LCB_W, order_dw_first=True,
         concat_line="concat = np.concatenate((a_prev, xt), axis=0)") -> str:
    """The template filled in line by line, with optional replacements of single lines."""
    g = dict(LCB_GATES, **(gates or {}))
    wf, wi, wc, wo = weights
    dw = f'''
    # gradients of the weights and biases
    {concat_line}
    dWf = np.dot(dft, concat.T)
    dWi = np.dot(dit, concat.T)
    dWc = np.dot(dcct, concat.T)
    dWo = np.dot(dot, concat.T)
    dbf = np.sum(dft, axis=1, keepdims=True)
    dbi = np.sum(dit, axis=1, keepdims=True)
    dbc = np.sum(dcct, axis=1, keepdims=True)
    dbo = np.sum(dot, axis=1, keepdims=True)
'''
    dprev = f'''
    # gradients with respect to a_prev, c_prev and xt
    da_prev = np.dot({wf}[:, :n_a].T, dft) + np.dot({wi}[:, :n_a].T, dit) + np.dot({wc}[:, :n_a].T, dcct) + np.dot({wo}[:, :n_a].T, dot)
    {dc_prev}
    dxt = np.dot({wf}[:, n_a:].T, dft) + np.dot({wi}[:, n_a:].T, dit) + np.dot({wc}[:, n_a:].T, dcct) + np.dot({wo}[:, n_a:].T, dot)
'''
    gates_block = f'''
    # gradients of the gates (before their activations)
    {g["dot"]}
    {g["dcct"]}
    {g["dit"]}
    {g["dft"]}
'''
    body = gates_block + (dw + dprev if order_dw_first else dprev + dw)
    return LCB_HEAD + body + LCB_TAIL


LSTM_CELL_BACKWARD = {
    "plain": (_lcb(), "correct", []),
    "one_matrix": ('''\
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    # everything that reaches c_next
    dc = dc_next + da_next * ot * (1 - tanh_c ** 2)
    d_o = da_next * tanh_c * ot * (1 - ot)
    d_c = dc * it * (1 - cct ** 2)
    d_i = dc * cct * it * (1 - it)
    d_f = dc * c_prev * ft * (1 - ft)
    concat = np.vstack([a_prev, xt])
    W = np.vstack([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]])
    dz = np.vstack([d_f, d_i, d_c, d_o])
    dconcat = W.T @ dz
    gradients = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for name, d in zip("fico", (d_f, d_i, d_c, d_o)):
        gradients["dW" + name] = d @ concat.T
        gradients["db" + name] = d.sum(axis=1, keepdims=True)
    return gradients
''', "correct", []),
    "globals_v3": (_lcb(weights=("Wf", "Wi", "Wc", "Wo")), "wrong", ["uses_notebook_globals"]),
    "globals_tmp": (_lcb(weights=("parameters_tmp['Wf']", "parameters_tmp['Wi']",
                                  "parameters_tmp['Wc']", "parameters_tmp['Wo']")),
                    "wrong", ["uses_notebook_globals"]),
    "dW_for_W": (_lcb(weights=("dWf", "dWi", "dWc", "dWo")), "wrong", ["weights_from_gradients"]),
    "no_sigma_f": (_lcb(gates={"dft": "dft = (dc_next * c_prev + ot * (1 - np.tanh(c_next) ** 2) * c_prev * da_next)"}),
                   "wrong", ["missing_gate_derivative"]),
    "no_tanh_cct": (_lcb(gates={"dcct": "dcct = (dc_next * it + ot * (1 - np.tanh(c_next) ** 2) * it * da_next)"}),
                    "wrong", ["missing_gate_derivative"]),
    "it_in_dc_prev": (_lcb(dc_prev="dc_prev = dc_next * ft + it * (1 - np.tanh(c_next) ** 2) * ft * da_next"),
                      "wrong", ["gate_swapped_in_dc_prev"]),
    # a parenthesis slip drops dc_next's own term from dc_prev (no catalogue id)
    "paren_slip": (_lcb(dc_prev="dc_prev = (dc_next + ot * (1 - np.tanh(c_next) ** 2)) * ft * da_next"),
                   "wrong", []),
    # the candidate's derivative written 1 - tanh(cct)^2 although cct is already a tanh output
    "double_tanh": (_lcb(gates={"dcct": "dcct = (dc_next * it + ot * (1 - np.tanh(c_next) ** 2) * it * da_next) * (1 - np.tanh(cct) ** 2)"}),
                    "wrong", []),
    # two mistakes at once: globals for the weights and no sigmoid derivative on the forget gate
    "globals_and_no_sigma": (_lcb(gates={"dft": "dft = (dc_next * c_prev + ot * (1 - np.tanh(c_next) ** 2) * c_prev * da_next)"},
                                  weights=("Wf", "Wi", "Wc", "Wo")),
                             "wrong", ["uses_notebook_globals", "missing_gate_derivative"]),
    "dW_and_it_swap": (_lcb(weights=("dWf", "dWi", "dWc", "dWo"),
                            dc_prev="dc_prev = dc_next * ft + it * (1 - np.tanh(c_next) ** 2) * ft * da_next"),
                       "wrong", ["weights_from_gradients", "gate_swapped_in_dc_prev"]),
    # concat is not rebuilt in the backward cell (it lived in the forward): NameError on every call
    "concat_undefined": (_lcb(concat_line=""), "error", []),
    "template": (TEMPLATES["lstm_cell_backward"], "unanswered", []),
}

LB_HEAD = head("lstm_backward") + '''
    # the step caches and the inputs
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]

    ### START CODE HERE ###
    # sizes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    # zero gradients of the right shapes
    dx = np.zeros((n_x, m, T_x))
    da0 = np.zeros((n_a, m))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    dWf = np.zeros((n_a, n_a + n_x))
    dWi = np.zeros((n_a, n_a + n_x))
    dWc = np.zeros((n_a, n_a + n_x))
    dWo = np.zeros((n_a, n_a + n_x))
    dbf = np.zeros((n_a, 1))
    dbi = np.zeros((n_a, 1))
    dbc = np.zeros((n_a, 1))
    dbo = np.zeros((n_a, 1))
'''

LB_TAIL = '''    ### END CODE HERE ###

    gradients = {"dx": dx, "da0": da0, "dWf": dWf,"dbf": dbf, "dWi": dWi,"dbi": dbi,
                "dWc": dWc,"dbc": dbc, "dWo": dWo,"dbo": dbo}

    return gradients
'''

LB_ACCUMULATE = '''        dx[:,:,t] = gradients["dxt"]
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
'''


def _lb(call: str, carry: str, accumulate: str = LB_ACCUMULATE, tail: str = LB_TAIL) -> str:
    return LB_HEAD + f'''
    # walk back through the steps
    for t in reversed(range(T_x)):
        # one step back
        gradients = {call}
{accumulate}{carry}
    # gradient on a0
    da0 = gradients["da_prev"]

''' + tail


LB_CARRY = '''        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
'''
LB_CALL = "lstm_cell_backward(da[:,:,t] + da_prevt, dc_prevt, caches[t])"

LSTM_BACKWARD = {
    "plain": (_lb(LB_CALL, LB_CARRY), "correct", []),
    "dict_accumulate": ('''\
def lstm_backward(da, caches):
    step_caches, x = caches
    n_a, m, T_x = da.shape
    first = step_caches[0]
    parameters = first[9]
    grads = {"dx": np.zeros(x.shape)}
    for g in "fico":
        grads["dW" + g] = np.zeros_like(parameters["W" + g])
        grads["db" + g] = np.zeros_like(parameters["b" + g])
    da_next = np.zeros((n_a, m))
    dc_next = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_next, dc_next, step_caches[t])
        grads["dx"][:, :, t] = step["dxt"]
        for key in grads:
            if key != "dx":
                grads[key] += step[key]
        da_next, dc_next = step["da_prev"], step["dc_prev"]
    grads["da0"] = da_next
    return grads
''', "correct", []),
    # the most common mistake: da_prevt and dc_prevt stay zero, every step is handled alone
    "no_carry": (_lb(LB_CALL, ""), "wrong", ["no_bptt_carry"]),
    "no_carry_explicit": (_lb("lstm_cell_backward(da[:,:,t], np.zeros_like(dc_prevt), caches[t])", ""),
                          "wrong", ["no_bptt_carry"]),
    # dc_prevt is carried, da_prevt is read back but never added to da[:, :, t]
    "no_dh": (_lb("lstm_cell_backward(da[:,:,t], dc_prevt, caches[t])", LB_CARRY),
              "wrong", ["no_dh_accumulation"]),
    # `dW += dW + g`: the running sum is doubled at every step before g is added
    "overwrite": (_lb(LB_CALL, LB_CARRY,
                      accumulate=re.sub(r"(\w+) \+= gradients", r"\1 += \1 + gradients", LB_ACCUMULATE)),
                  "wrong", ["overwrite_param_grads"]),
    "wrong_keys": (_lb(LB_CALL, LB_CARRY, tail=LB_TAIL.replace('"dWi": dWi,"dbi": dbi', '"dWu": dWi,"dbu": dbi')),
                   "wrong", ["wrong_grad_keys"]),
    # combination: neither carry nor accumulation of the weights (dW = g per step)
    "no_carry_and_overwrite": (_lb(LB_CALL, "", accumulate=LB_ACCUMULATE.replace("+=", "=")),
                               "wrong", ["no_bptt_carry", "overwrite_param_grads"]),
    # unpacks the first step cache before splitting off x: a ValueError on every call
    "unpack_order": (LB_HEAD.replace('''    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]''',
                                     '''    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    (caches, x) = caches''') + '''
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:,:,t] + da_prevt, dc_prevt, caches[t])
''' + LB_ACCUMULATE + LB_CARRY + '''    da0 = gradients["da_prev"]
''' + LB_TAIL, "error", []),
    "half_written": ('''\
def lstm_backward(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    # 还没写完
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:,:,t] + da_prevt, dc_prevt, caches[t]
        dx[:,:,t] = gradients["dxt"]
''', "error", []),
    "template": (TEMPLATES["lstm_backward"], "unanswered", []),
}
