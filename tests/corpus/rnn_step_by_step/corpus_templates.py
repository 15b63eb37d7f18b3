"""The notebook skeleton: headers of the graded cells, the untouched templates, prose and test cells.

All text is written for this corpus; only the structure imitates the course notebook as students
hand it in (graded-function markers, ``### START CODE HERE ###`` blocks, ``None`` placeholders,
a test cell after every function).
"""
from __future__ import annotations

FUNCTIONS = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
             "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")
GRADED = FUNCTIONS[:4]

DOCS = {
    "rnn_cell_forward": '''\
    """
    One time step of the basic RNN.

    Arguments:
    xt -- input at step t, shape (n_x, m)
    a_prev -- hidden state from step t-1, shape (n_a, m)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)

    Returns:
    a_next -- next hidden state, shape (n_a, m)
    yt_pred -- prediction at step t, shape (n_y, m)
    cache -- (a_next, a_prev, xt, parameters), kept for the backward pass
    """''',
    "rnn_forward": '''\
    """
    Runs the basic RNN over all T_x steps.

    Arguments:
    x -- inputs, shape (n_x, m, T_x)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- dict with Wax, Waa, Wya, ba, by

    Returns:
    a -- hidden states of every step, shape (n_a, m, T_x)
    y_pred -- predictions of every step, shape (n_y, m, T_x)
    caches -- (list of the step caches, x)
    """''',
    "lstm_cell_forward": '''\
    """
    One time step of the LSTM.

    Arguments:
    xt -- input at step t, shape (n_x, m)
    a_prev -- hidden state from step t-1, shape (n_a, m)
    c_prev -- memory cell from step t-1, shape (n_a, m)
    parameters -- dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1),
                  Wy (n_y, n_a), by (n_y, 1)

    Returns:
    a_next -- next hidden state, shape (n_a, m)
    c_next -- next memory cell, shape (n_a, m)
    yt_pred -- prediction at step t, shape (n_y, m)
    cache -- (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    """''',
    "lstm_forward": '''\
    """
    Runs the LSTM over all T_x steps (the memory cell starts at zero).

    Arguments:
    x -- inputs, shape (n_x, m, T_x)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- dict with the LSTM weights (see lstm_cell_forward)

    Returns:
    a -- hidden states, shape (n_a, m, T_x)
    y -- predictions, shape (n_y, m, T_x)
    c -- memory cells, shape (n_a, m, T_x)
    caches -- (list of the step caches, x)
    """''',
    "rnn_cell_backward": '''\
    """
    Backward pass through one RNN step.

    Arguments:
    da_next -- gradient of the loss with respect to a_next, shape (n_a, m)
    cache -- the tuple rnn_cell_forward returned

    Returns:
    gradients -- dict with dxt (n_x, m), da_prev (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1)
    """''',
    "rnn_backward": '''\
    """
    Backpropagation through time for the basic RNN.

    Arguments:
    da -- upstream gradients on every hidden state, shape (n_a, m, T_x)
    caches -- what rnn_forward returned

    Returns:
    gradients -- dict with dx (n_x, m, T_x), da0 (n_a, m), dWax, dWaa, dba
    """''',
    "lstm_cell_backward": '''\
    """
    Backward pass through one LSTM step.

    Arguments:
    da_next -- gradient on the next hidden state, shape (n_a, m)
    dc_next -- gradient on the next memory cell, shape (n_a, m)
    cache -- the tuple lstm_cell_forward returned

    Returns:
    gradients -- dict with dxt, da_prev, dc_prev, dWf, dWi, dWc, dWo, dbf, dbi, dbc, dbo
    """''',
    "lstm_backward": '''\
    """
    Backpropagation through time for the LSTM.

    Arguments:
    da -- upstream gradients on every hidden state, shape (n_a, m, T_x)
    caches -- what lstm_forward returned

    Returns:
    gradients -- dict with dx (n_x, m, T_x), da0 (n_a, m), dWf, dWi, dWc, dWo, dbf, dbi, dbc, dbo
    """''',
}

SIGNATURES = {
    "rnn_cell_forward": "def rnn_cell_forward(xt, a_prev, parameters):",
    "rnn_forward": "def rnn_forward(x, a0, parameters):",
    "lstm_cell_forward": "def lstm_cell_forward(xt, a_prev, c_prev, parameters):",
    "lstm_forward": "def lstm_forward(x, a0, parameters):",
    "rnn_cell_backward": "def rnn_cell_backward(da_next, cache):",
    "rnn_backward": "def rnn_backward(da, caches):",
    "lstm_cell_backward": "def lstm_cell_backward(da_next, dc_next, cache):",
    "lstm_backward": "def lstm_backward(da, caches):",
}


def head(name: str) -> str:
    """The def line and docstring students keep from the template."""
    return SIGNATURES[name] + "\n" + DOCS[name] + "\n"


def cell_header(name: str, generation: str) -> str:
    """The marker comments above a function cell."""
    if name not in GRADED:
        return ""
    if generation == "current":
        return f"# UNQ_C{GRADED.index(name) + 1}\n# GRADED FUNCTION: {name}\n\n"
    return f"# GRADED FUNCTION: {name}\n\n"


# The untouched templates (what a student who skipped the exercise hands in).
TEMPLATES = {
    "lstm_forward": head("lstm_forward") + '''
    # list of the step caches
    caches = []

    ### START CODE HERE ###
    Wy = parameters['Wy']
    # sizes from x and Wy
    n_x, m, T_x = None
    n_y, n_a = None

    # zero arrays for a, c and y
    a = None
    c = None
    y = None

    # start values of the hidden state and the memory cell
    a_next = None
    c_next = None

    # loop over the time steps
    for t in range(None):
        # the input of this step
        xt = None
        # one LSTM step
        a_next, c_next, yt, cache = None
        # store the new hidden state
        a[:,:,t] = None
        # store the new memory cell
        c[:,:,t]  = None
        # store the prediction
        y[:,:,t] = None
        # keep the step cache
        None
    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y, c, caches
''',
    "rnn_cell_backward": head("rnn_cell_backward") + '''
    # unpack the cache
    (a_next, a_prev, xt, parameters) = cache

    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]

    ### START CODE HERE ###
    # gradient through the tanh
    dtanh = None

    # gradients with respect to the input and Wax
    dxt = None
    dWax = None

    # gradients with respect to a_prev and Waa
    da_prev = None
    dWaa = None

    # gradient of the bias (keep the dimensions)
    dba = None
    ### END CODE HERE ###

    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

    return gradients
''',
    "rnn_backward": head("rnn_backward") + '''
    ### START CODE HERE ###
    # the step caches and the inputs
    (caches, x) = None
    (a1, a0, x1, parameters) = None

    # sizes
    n_a, m, T_x = None
    n_x, m = None

    # zero gradients of the right shapes
    dx = None
    dWax = None
    dWaa = None
    dba = None
    da0 = None
    da_prevt = None

    # walk back through the steps
    for t in reversed(range(None)):
        # one step back (the upstream gradient of this step plus the carried one)
        gradients = None
        # read what the step returned
        dxt, da_prevt, dWaxt, dWaat, dbat = None
        # add this step's parameter gradients
        dx[:, :, t] = None
        dWax += None
        dWaa += None
        dba += None

    # gradient on a0
    da0 = None
    ### END CODE HERE ###

    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

    return gradients
''',
    "lstm_cell_backward": head("lstm_cell_backward") + '''
    # what the forward step kept
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache

    ### START CODE HERE ###
    # sizes
    n_x, m = None
    n_a, m = None

    # gradients of the gates (before their activations)
    dot = None
    dcct = None
    dit = None
    dft = None

    # gradients of the weights and biases
    dWf = None
    dWi = None
    dWc = None
    dWo = None
    dbf = None
    dbi = None
    dbc = None
    dbo = None

    # gradients with respect to a_prev, c_prev and xt
    da_prev = None
    dc_prev = None
    dxt = None
    ### END CODE HERE ###

    gradients = {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf,"dbf": dbf, "dWi": dWi,"dbi": dbi,
                "dWc": dWc,"dbc": dbc, "dWo": dWo,"dbo": dbo}

    return gradients
''',
    "lstm_backward": head("lstm_backward") + '''
    # the step caches and the inputs
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]

    ### START CODE HERE ###
    # sizes
    n_a, m, T_x = None
    n_x, m = None

    # zero gradients of the right shapes
    dx = None
    da0 = None
    da_prevt = None
    dc_prevt = None
    dWf = None
    dWi = None
    dWc = None
    dWo = None
    dbf = None
    dbi = None
    dbc = None
    dbo = None

    # walk back through the steps
    for t in reversed(range(None)):
        # one step back
        gradients = None
        # keep dxt and add the parameter gradients
        dx[:,:,t] = None
        dWf += None
        dWi += None
        dWc += None
        dWo += None
        dbf += None
        dbi += None
        dbc += None
        dbo += None
    # gradient on a0
    da0 = None

    ### END CODE HERE ###

    gradients = {"dx": dx, "da0": da0, "dWf": dWf,"dbf": dbf, "dWi": dWi,"dbi": dbi,
                "dWc": dWc,"dbc": dbc, "dWo": dWo,"dbo": dbo}

    return gradients
''',
}
