"""Prose and test cells of the two notebook generations (own wording; course structure only)."""
from __future__ import annotations

import re

from corpus_templates import FUNCTIONS

TITLE = "# Building your Recurrent Neural Network - Step by Step"

INTRO = {
    "current": TITLE + """

In this notebook you write the forward pass of a plain recurrent network and of an LSTM with
NumPy, one time step at a time, and then (optionally) the backward pass.

**Notation**: superscript $\\langle t \\rangle$ is the time step, superscript $(i)$ the example;
examples are the columns of every array.

## Table of Contents
- [Packages](#0)
- [1 - Forward pass of a basic RNN](#1)
- [2 - Forward pass of an LSTM](#2)
- [3 - Backpropagation (optional, not graded)](#3)""",
    "v3": TITLE + """

Recurrent networks keep a state that carries information from earlier inputs to later ones.
Here you write their forward pass in NumPy, then the backward pass if you have time.

**Notation**: $\\langle t \\rangle$ marks the time step and $(i)$ the example.

Let's first import the packages you will need.""",
}

PACKAGES_MD = "<a name='0'></a>\n## Packages"

SECTIONS = {
    "rnn_cell_forward": ("<a name='1'></a>\n## 1 - Forward pass of a basic RNN\n\n"
                         "The network reads the input one step at a time. You first write one step "
                         "(the *cell*), then loop it over the sequence."),
    "lstm_cell_forward": ("<a name='2'></a>\n## 2 - Forward pass of an LSTM\n\n"
                          "An LSTM adds a memory cell $c$ and three sigmoid gates (forget, update, "
                          "output) that decide what to keep, what to write and what to show."),
    "rnn_cell_backward": ("<a name='3'></a>\n## 3 - Backpropagation (optional, not graded)\n\n"
                          "Frameworks compute these gradients for you; this part lets you see how. "
                          "It is not graded."),
}

EXERCISE_TEXT = {
    "rnn_cell_forward": ("compute one step of the basic RNN",
                         "1. $a^{\\langle t \\rangle} = \\tanh(W_{aa} a^{\\langle t-1 \\rangle} + W_{ax} x^{\\langle t \\rangle} + b_a)$\n"
                         "2. $\\hat{y}^{\\langle t \\rangle} = softmax(W_{ya} a^{\\langle t \\rangle} + b_y)$ (a `softmax` is given)\n"
                         "3. keep `(a_next, a_prev, xt, parameters)` in `cache`."),
    "rnn_forward": ("run the RNN over the whole sequence",
                    "Start from `a0`, call `rnn_cell_forward` at every step, and store the hidden "
                    "states and predictions in `a` and `y_pred`. Collect the step caches in a list."),
    "lstm_cell_forward": ("compute one step of the LSTM",
                          "Stack $a^{\\langle t-1 \\rangle}$ on top of $x^{\\langle t \\rangle}$, compute the "
                          "gates `ft`, `it`, `ot` (sigmoid) and the candidate `cct` (tanh), then\n"
                          "`c_next = ft * c_prev + it * cct` and `a_next = ot * tanh(c_next)`."),
    "lstm_forward": ("run the LSTM over the whole sequence",
                     "The memory cell starts at zero. Return `a, y, c, caches` in this order."),
    "rnn_cell_backward": ("backpropagate through one RNN step",
                          "The derivative of $\\tanh$ can be written with its output: "
                          "$1 - \\tanh^2(z) = 1 - a_{next}^2$. Sum the bias gradient over the examples "
                          "and keep its shape $(n_a, 1)$."),
    "rnn_backward": ("backpropagate through the whole RNN",
                     "Go backwards in time. At each step the gradient on $a^{\\langle t \\rangle}$ is the "
                     "upstream `da[:, :, t]` **plus** what came back from step $t+1$. Add up the "
                     "parameter gradients of all steps."),
    "lstm_cell_backward": ("backpropagate through one LSTM step",
                           "Write the gradients of the four gates before their activations, then the "
                           "weights, biases, and the gradients on `a_prev`, `c_prev` and `xt`. For `da_prev` "
                           "and `dxt` use the first $n_a$ and the remaining columns of each weight."),
    "lstm_backward": ("backpropagate through the whole LSTM",
                      "Loop backwards over the steps; carry both `da_prevt` and `dc_prevt` to the "
                      "previous step, and add the upstream `da[:, :, t]` to the carried `da_prevt`."),
}


def exercise_md(name: str, number: int, generation: str) -> str:
    goal, detail = EXERCISE_TEXT[name]
    if generation == "current":
        return f"<a name='ex-{number}'></a>\n### Exercise {number} - {name}\n\nImplement `{name}`: {goal}.\n\n{detail}"
    return f"**Exercise**: {goal} (`{name}`).\n\n{detail}"


CLOSING = {
    "current": "### Well done!\n\nYou have written the forward pass of an RNN and an LSTM by hand. "
               "Next time a framework does it for you, you will know what happens inside.",
    "v3": "Well done, that was the hardest part of the week. The next notebooks use this code to "
          "generate text.",
}

EXPECTED_MD_V3 = ("**Expected Output**: compare your printed values with the ones posted for this "
                  "exercise; shapes must match exactly.")

# ---------------------------------------------------------------------------------------------
# Test cells. `tmp` is "_tmp" in the current generation (parameters_tmp ...) and "" in v3, where
# the test cells bind bare globals such as Waa, Wax, Wf.

RNN_PARAMS = {
    "current": """parameters_tmp = {{}}
parameters_tmp['Waa'] = np.random.randn({n_a}, {n_a})
parameters_tmp['Wax'] = np.random.randn({n_a}, {n_x})
parameters_tmp['Wya'] = np.random.randn(2, {n_a})
parameters_tmp['ba'] = np.random.randn({n_a}, 1)
parameters_tmp['by'] = np.random.randn(2, 1)""",
    "v3": """Waa = np.random.randn({n_a},{n_a})
Wax = np.random.randn({n_a},{n_x})
Wya = np.random.randn(2,{n_a})
ba = np.random.randn({n_a},1)
by = np.random.randn(2,1)
parameters = {{"Waa": Waa, "Wax": Wax, "Wya": Wya, "ba": ba, "by": by}}""",
}

LSTM_PARAMS = {
    "current": """parameters_tmp = {{}}
parameters_tmp['Wf'] = np.random.randn({n_a}, {n_a} + {n_x})
parameters_tmp['bf'] = np.random.randn({n_a}, 1)
parameters_tmp['Wi'] = np.random.randn({n_a}, {n_a} + {n_x})
parameters_tmp['bi'] = np.random.randn({n_a}, 1)
parameters_tmp['Wo'] = np.random.randn({n_a}, {n_a} + {n_x})
parameters_tmp['bo'] = np.random.randn({n_a}, 1)
parameters_tmp['Wc'] = np.random.randn({n_a}, {n_a} + {n_x})
parameters_tmp['bc'] = np.random.randn({n_a}, 1)
parameters_tmp['Wy'] = np.random.randn(2, {n_a})
parameters_tmp['by'] = np.random.randn(2, 1)""",
    "v3": """Wf = np.random.randn({n_a}, {n_a}+{n_x})
bf = np.random.randn({n_a},1)
Wi = np.random.randn({n_a}, {n_a}+{n_x})
bi = np.random.randn({n_a},1)
Wo = np.random.randn({n_a}, {n_a}+{n_x})
bo = np.random.randn({n_a},1)
Wc = np.random.randn({n_a}, {n_a}+{n_x})
bc = np.random.randn({n_a},1)
Wy = np.random.randn(2,{n_a})
by = np.random.randn(2,1)
parameters = {{"Wf": Wf, "Wi": Wi, "Wo": Wo, "Wc": Wc, "Wy": Wy, "bf": bf, "bi": bi, "bo": bo, "bc": bc, "by": by}}""",
}

PUBLIC_TEST = {"rnn_cell_forward": "rnn_cell_forward_tests", "rnn_forward": "rnn_forward_test",
               "lstm_cell_forward": "lstm_cell_forward_test", "lstm_forward": "lstm_forward_test"}


def _prints(names: list[str], gen: str) -> str:
    suffix = "_tmp" if gen == "current" else ""
    lines = []
    for expr in names:
        var, index = re.match(r"(\w+)(.*)", expr).groups()
        if gen == "current":
            lines.append(f'print("{expr} =\\n", {var}{suffix}{index})')
        else:
            lines.append(f'print("{expr} = ", {var}{index})')
    return "\n".join(lines)


def _grad_prints(keys: list[tuple[str, str]], gen: str) -> str:
    g = "gradients_tmp" if gen == "current" else "gradients"
    out = []
    for key, index in keys:
        out.append(f'print("gradients[\\"{key}\\"]{index} =", {g}["{key}"]{index})')
        out.append(f'print("gradients[\\"{key}\\"].shape =", {g}["{key}"].shape)')
    return "\n".join(out)


def test_cell(name: str, gen: str, da_steps: int | None = None) -> str:
    """The test cell after function `name`; `da_steps` gives lstm_backward's da another T than x."""
    t = "_tmp" if gen == "current" else ""
    dims = {"n_a": 5, "n_x": 3}
    rnn_p = RNN_PARAMS[gen].format(**dims)
    lstm_p = LSTM_PARAMS[gen].format(**dims)
    P = "parameters_tmp" if gen == "current" else "parameters"
    if name == "rnn_cell_forward":
        body = f"""np.random.seed(1)
xt{t} = np.random.randn(3, 10)
a_prev{t} = np.random.randn(5, 10)
{rnn_p}

a_next{t}, yt_pred{t}, cache{t} = rnn_cell_forward(xt{t}, a_prev{t}, {P})
""" + _prints(["a_next[4]", "a_next.shape", "yt_pred[1]", "yt_pred.shape"], gen)
    elif name == "rnn_forward":
        body = f"""np.random.seed(1)
x{t} = np.random.randn(3, 10, 4)
a0{t} = np.random.randn(5, 10)
{rnn_p}

a{t}, y_pred{t}, caches{t} = rnn_forward(x{t}, a0{t}, {P})
""" + _prints(["a[4][1]", "a.shape", "y_pred[1][3]", "y_pred.shape", "caches[1][1][3]"], gen) + \
            f'\nprint("len(caches) = ", len(caches{t}))'
    elif name == "lstm_cell_forward":
        body = f"""np.random.seed(1)
xt{t} = np.random.randn(3, 10)
a_prev{t} = np.random.randn(5, 10)
c_prev{t} = np.random.randn(5, 10)
{lstm_p}

a_next{t}, c_next{t}, yt{t}, cache{t} = lstm_cell_forward(xt{t}, a_prev{t}, c_prev{t}, {P})
""" + _prints(["a_next[4]", "a_next.shape", "c_next[2]", "c_next.shape", "yt[1]", "yt.shape",
               "cache[1][3]"], gen) + f'\nprint("len(cache) = ", len(cache{t}))'
    elif name == "lstm_forward":
        body = f"""np.random.seed(1)
x{t} = np.random.randn(3, 10, 7)
a0{t} = np.random.randn(5, 10)
{lstm_p}

a{t}, y{t}, c{t}, caches{t} = lstm_forward(x{t}, a0{t}, {P})
""" + _prints(["a[4][3][6]", "a.shape", "y[1][4][3]", "y.shape", "caches[1][1][1]", "c[1][2][1]"], gen) + \
            f'\nprint("len(caches) = ", len(caches{t}))'
    elif name == "rnn_cell_backward":
        body = f"""np.random.seed(1)
xt{t} = np.random.randn(3, 10)
a_prev{t} = np.random.randn(5, 10)
{rnn_p}

a_next{t}, yt{t}, cache{t} = rnn_cell_forward(xt{t}, a_prev{t}, {P})

da_next{t} = np.random.randn(5, 10)
gradients{t} = rnn_cell_backward(da_next{t}, cache{t})
""" + _grad_prints([("dxt", "[1][2]"), ("da_prev", "[2][3]"), ("dWax", "[3][1]"), ("dWaa", "[1][2]"),
                    ("dba", "[4]")], gen)
    elif name == "rnn_backward":
        body = f"""np.random.seed(1)
x{t} = np.random.randn(3, 10, 4)
a0{t} = np.random.randn(5, 10)
{rnn_p}

a{t}, y{t}, caches{t} = rnn_forward(x{t}, a0{t}, {P})
da{t} = np.random.randn(5, 10, 4)
gradients{t} = rnn_backward(da{t}, caches{t})

""" + _grad_prints([("dx", "[1][2]"), ("da0", "[2][3]"), ("dWax", "[3][1]"), ("dWaa", "[1][2]"),
                    ("dba", "[4]")], gen)
    elif name == "lstm_cell_backward":
        body = f"""np.random.seed(1)
xt{t} = np.random.randn(3, 10)
a_prev{t} = np.random.randn(5, 10)
c_prev{t} = np.random.randn(5, 10)
{lstm_p}

a_next{t}, c_next{t}, yt{t}, cache{t} = lstm_cell_forward(xt{t}, a_prev{t}, c_prev{t}, {P})

da_next{t} = np.random.randn(5, 10)
dc_next{t} = np.random.randn(5, 10)
gradients{t} = lstm_cell_backward(da_next{t}, dc_next{t}, cache{t})
""" + _grad_prints([("dxt", "[1][2]"), ("da_prev", "[2][3]"), ("dc_prev", "[2][3]"), ("dWf", "[3][1]"),
                    ("dWi", "[1][2]"), ("dWc", "[3][1]"), ("dWo", "[1][2]"), ("dbf", "[4]"),
                    ("dbi", "[4]"), ("dbc", "[4]"), ("dbo", "[4]")], gen)
    elif name == "lstm_backward":
        steps = da_steps or 4
        body = f"""np.random.seed(1)
x{t} = np.random.randn(3, 10, 4)
a0{t} = np.random.randn(5, 10)
{lstm_p}

a{t}, y{t}, c{t}, caches{t} = lstm_forward(x{t}, a0{t}, {P})

da{t} = np.random.randn(5, 10, {steps})
gradients{t} = lstm_backward(da{t}, caches{t})

""" + _grad_prints([("dx", "[1][2]"), ("da0", "[2][3]"), ("dWf", "[3][1]"), ("dWi", "[1][2]"),
                    ("dWc", "[3][1]"), ("dWo", "[1][2]"), ("dbf", "[4]"), ("dbi", "[4]"),
                    ("dbc", "[4]"), ("dbo", "[4]")], gen)
    else:
        raise KeyError(name)
    if gen == "current" and name in PUBLIC_TEST:
        body += f"\n\n# UNIT TESTS\n{PUBLIC_TEST[name]}({name})"
    return body


assert set(EXERCISE_TEXT) == set(FUNCTIONS)
