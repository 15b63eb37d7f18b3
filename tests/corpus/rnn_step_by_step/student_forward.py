"""Students' forward functions: correct ones in several styles, and the mistakes seen in the wild.

Each entry is ``key: (code, verdict, mistakes)``; the verdict is what the function earns when the
rest of its notebook is right (build_corpus.py overrides it where another function interacts).
"""
from __future__ import annotations

from corpus_templates import TEMPLATES, head

RCF_UNPACK = '''
    # Read the weights from the dictionary
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
'''

RNN_CELL_FORWARD = {
    "plain": (head("rnn_cell_forward") + RCF_UNPACK + '''
    ### START CODE HERE ### (≈2 lines)
    # new hidden state
    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    # prediction
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    ### END CODE HERE ###

    # keep what the backward pass needs
    cache = (a_next, a_prev, xt, parameters)

    return a_next, yt_pred, cache
''', "correct", []),
    "matmul_print": (head("rnn_cell_forward") + RCF_UNPACK + '''
    ### START CODE HERE ### (≈2 lines)
    z = Wax @ xt + Waa @ a_prev + ba
    print("z shape:", z.shape)
    a_next = np.tanh(z)
    yt_pred = softmax(Wya @ a_next + by)
    ### END CODE HERE ###

    # keep what the backward pass needs
    cache = (a_next, a_prev, xt, parameters)

    return a_next, yt_pred, cache
''', "correct", []),
    "stacked": ('''\
def rnn_cell_forward(xt, a_prev, parameters):
    # stack the two weight matrices so one product does the step
    W = np.hstack([parameters["Waa"], parameters["Wax"]])
    stacked_input = np.vstack([a_prev, xt])
    a_next = np.tanh(W.dot(stacked_input) + parameters["ba"])
    yt_pred = softmax(parameters["Wya"].dot(a_next) + parameters["by"])
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache
''', "correct", []),
    "zh_helper": ('''\
def affine(W, v, b=0):
    # 线性变换 W·v + b
    return np.dot(W, v) + b

def rnn_cell_forward(xt, a_prev, parameters):
    # 取出参数
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    # 计算下一个隐藏状态
    a_next = np.tanh(affine(Waa, a_prev) + affine(Wax, xt, ba))
    # 输出层 softmax
    yt_pred = softmax(affine(Wya, a_next, by))
    # 保存反向传播需要的值
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache
''', "correct", []),
}

RF_HEAD = head("rnn_forward") + '''
    # list of the step caches
    caches = []

    # sizes from x and Wya
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
'''

RNN_FORWARD = {
    "plain": (RF_HEAD + '''
    ### START CODE HERE ###
    # zero arrays for a and y_pred
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    # start value of the hidden state
    a_next = a0

    # loop over the time steps
    for t in range(T_x):
        xt = x[:, :, t]
        a_next, yt_pred, cache = rnn_cell_forward(xt, a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y_pred, caches
''', "correct", []),
    "lists_stack": ('''\
def rnn_forward(x, a0, parameters):
    hidden, preds, step_caches = [], [], []
    a_t = a0
    for t in range(x.shape[2]):
        a_t, y_t, cache_t = rnn_cell_forward(x[:, :, t], a_t, parameters)
        hidden.append(a_t)
        preds.append(y_t)
        step_caches.append(cache_t)
    a = np.stack(hidden, axis=2)
    y_pred = np.stack(preds, axis=2)
    caches = (step_caches, x)
    return a, y_pred, caches
''', "correct", []),
    "inline_zh": ('''\
def rnn_forward(x, a0, parameters):
    # 不调用 rnn_cell_forward，直接在循环里算
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        a_t = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ x[:, :, t] + parameters["ba"])
        y_pred[:, :, t] = softmax(parameters["Wya"] @ a_t + parameters["by"])
        a[:, :, t] = a_t
        caches.append((a_t, a_prev, x[:, :, t], parameters))
        a_prev = a_t   # 更新隐藏状态
    return a, y_pred, (caches, x)
''', "correct", []),
    "h0_zeros": (RF_HEAD + '''
    ### START CODE HERE ###
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    # start value of the hidden state
    a_next = np.zeros((n_a, m))

    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y_pred, caches
''', "wrong", ["h0_zeros"]),
    # a[:, :, t-1] at t = 0 reads the last, still zero, slice: the initial state is zeros too.
    "wraparound": (RF_HEAD + '''
    ### START CODE HERE ###
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    for t in range(T_x):
        a[:, :, t], y_pred[:, :, t], cache = rnn_cell_forward(x[:, :, t], a[:, :, t - 1], parameters)
        caches.append(cache)
    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y_pred, caches
''', "wrong", ["h0_zeros"]),
    "cache_placeholder": (RF_HEAD + '''
    ### START CODE HERE ###
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    a_next = a0

    for t in range(T_x):
        xt = x[:, :, t]
        a_next, yt_pred, cache = rnn_cell_forward(xt, a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        # keep the step cache
        caches.append(None)
    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y_pred, caches
''', "cache_corrupted", []),
}

LCF_UNPACK = '''
    # Read the weights from the dictionary
    Wf = parameters["Wf"]
    bf = parameters["bf"]
    Wi = parameters["Wi"]
    bi = parameters["bi"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wo = parameters["Wo"]
    bo = parameters["bo"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    # sizes from xt and Wy
    n_x, m = xt.shape
    n_y, n_a = Wy.shape
'''

LCF_TAIL = '''
    # keep what the backward pass needs
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)

    return a_next, c_next, yt_pred, cache
'''

LSTM_CELL_FORWARD = {
    "plain": (head("lstm_cell_forward") + LCF_UNPACK + '''
    ### START CODE HERE ###
    # stack a_prev and xt
    concat = np.zeros((n_a + n_x, m))
    concat[: n_a, :] = a_prev
    concat[n_a :, :] = xt

    # the gates and the candidate
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)

    # prediction
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    ### END CODE HERE ###
''' + LCF_TAIL, "correct", []),
    "concat_matmul": (head("lstm_cell_forward") + LCF_UNPACK + '''
    ### START CODE HERE ###
    concat = np.concatenate((a_prev, xt), axis=0)

    ft = sigmoid(Wf @ concat + bf)        # forget gate
    it = sigmoid(Wi @ concat + bi)        # update gate
    cct = np.tanh(Wc @ concat + bc)       # candidate
    c_next = ft * c_prev + it * cct
    ot = sigmoid(Wo @ concat + bo)        # output gate
    a_next = ot * np.tanh(c_next)

    yt_pred = softmax(Wy @ a_next + by)
    ### END CODE HERE ###
''' + LCF_TAIL, "correct", []),
    "split_weights_zh": ('''\
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_a = a_prev.shape[0]

    def gate(name, act):
        # 把权重按列拆开：前 n_a 列乘 a_prev，后面的列乘 xt
        W, b = parameters["W" + name], parameters["b" + name]
        return act(W[:, :n_a] @ a_prev + W[:, n_a:] @ xt + b)

    ft = gate("f", sigmoid)   # 遗忘门
    it = gate("i", sigmoid)   # 更新门
    cct = gate("c", np.tanh)  # 候选记忆
    ot = gate("o", sigmoid)   # 输出门
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache
''', "correct", []),
    "one_matrix": ('''\
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_a = a_prev.shape[0]
    # all four gates with a single product, rows in the order f, i, c, o
    W = np.vstack([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]])
    b = np.vstack([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]])
    z = W @ np.vstack([a_prev, xt]) + b
    ft = sigmoid(z[0 * n_a:1 * n_a])
    it = sigmoid(z[1 * n_a:2 * n_a])
    cct = np.tanh(z[2 * n_a:3 * n_a])
    ot = sigmoid(z[3 * n_a:4 * n_a])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache
''', "correct", []),
    "concat_x_first": (head("lstm_cell_forward") + LCF_UNPACK + '''
    ### START CODE HERE ###
    concat = np.vstack((xt, a_prev))

    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)

    yt_pred = softmax(np.dot(Wy, a_next) + by)
    ### END CODE HERE ###
''' + LCF_TAIL, "wrong", ["concat_x_first"]),
    # np.concatenate(a_prev, xt) passes xt as the axis: a TypeError on every call.
    "concat_crash": (head("lstm_cell_forward") + LCF_UNPACK + '''
    ### START CODE HERE ###
    concat = np.concatenate(a_prev, xt)

    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)

    yt_pred = softmax(np.dot(Wy, a_next) + by)
    ### END CODE HERE ###
''' + LCF_TAIL, "error", []),
    # c_next is built in place in the caller's c_prev: outputs right, but the cache's c_prev is
    # the same array as c_next (and the caller's c_prev has been overwritten).
    "inplace_c": ('''\
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    # update the memory without allocating a new array
    c_next = c_prev
    c_next *= ft
    c_next += it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache
''', "cache_corrupted", ["state_aliasing"]),
}

LF_HEAD = head("lstm_forward") + '''
    # list of the step caches
    caches = []

    ### START CODE HERE ###
    Wy = parameters['Wy']
    # sizes from x and Wy
    n_x, m, T_x = x.shape
    n_y, n_a = Wy.shape
'''

LF_TAIL = '''    ### END CODE HERE ###

    # what the backward pass needs
    caches = (caches, x)

    return a, y, c, caches
'''

LSTM_FORWARD = {
    "plain": (LF_HEAD + '''
    # zero arrays for a, c and y
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))

    # start values
    a_next = a0
    c_next = np.zeros((n_a, m))

    for t in range(T_x):
        xt = x[:, :, t]
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
''' + LF_TAIL, "correct", []),
    "lists_dstack": ('''\
def lstm_forward(x, a0, parameters):
    T_x = x.shape[2]
    a_t, c_t = a0, np.zeros_like(a0)
    a_list, c_list, y_list, caches = [], [], [], []
    for t in range(T_x):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        a_list.append(a_t)
        c_list.append(c_t)
        y_list.append(y_t)
        caches.append(cache)
    a = np.dstack(a_list)
    c = np.dstack(c_list)
    y = np.dstack(y_list)
    return a, y, c, (caches, x)
''', "correct", []),
    # c_next is a view of c[:, :, 0]; writing c[:, :, 0] after step 0 changes the c_prev that the
    # first step's cache holds (zeros become c_1). Outputs stay right.
    "view_c0": (LF_HEAD + '''
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))

    # start values
    a_next = a0
    c_next = c[:, :, 0]

    for t in range(T_x):
        xt = x[:, :, t]
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
''' + LF_TAIL, "cache_corrupted", ["state_aliasing"]),
    "view_c0_zh": ('''\
def lstm_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters['Wy'].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros_like(a)
    y = np.zeros((n_y, m, T_x))
    # 初始状态：c 从零开始（直接用 c 的第一片）
    a_prev, c_prev = a0, c[:, :, 0]
    for t in range(T_x):
        a_prev, c_prev, y[:, :, t], cache = lstm_cell_forward(x[:, :, t], a_prev, c_prev, parameters)
        a[:, :, t] = a_prev
        c[:, :, t] = c_prev
        caches.append(cache)
    return a, y, c, (caches, x)
''', "cache_corrupted", ["state_aliasing"]),
    # a and c are the same array: every write of c overwrites a.
    "a_is_c": (LF_HEAD + '''
    a = c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))

    a_next = a0
    c_next = np.zeros((n_a, m))

    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
''' + LF_TAIL, "wrong", ["state_aliasing"]),
    "h0_zeros": (LF_HEAD + '''
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))

    # start values
    a_next = np.zeros((n_a, m))
    c_next = np.zeros((n_a, m))

    for t in range(T_x):
        xt = x[:, :, t]
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
''' + LF_TAIL, "wrong", ["h0_zeros"]),
    "template": (TEMPLATES["lstm_forward"], "unanswered", []),
}

# A helper cell some students add at the top; it shadows rnn_utils.softmax for every function.
OWN_SOFTMAX_AXIS1 = '''\
# my own softmax (the one in rnn_utils did not print nicely)
def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=1, keepdims=True)
'''
