"""The catalogue of named mistakes: what each one is, in plain words, and a hint toward the fix.

A mistake explains the failing outputs of the functions in its ``items``; ``forms`` lists the ways
of making it when there are several (each form is its own buggy variant, and any one of them
matching is the mistake). ``free`` names, per function, the returned values the mistake does not
define: a student who makes it may return anything there (``dh0`` of a backward that carries
nothing back: the last step's ``dh_prev``, zeros, ...), so the matcher never requires them to match.
``detected_by`` says how the grader finds it: ``"numbers"`` (a buggy variant reproduces the student's
outputs, see ``grader.diagnosis.diagnose``) or ``"source"`` (reading the code and a probe call with
other parameters, for `uses_notebook_globals`, whose numbers depend on the student's own globals).

Variants that the numbers cannot tell apart on a function are listed in ``INDISTINGUISHABLE``
(``mistake`` or ``mistake:form``) and reported together, as candidates: on lstm_backward,
`dc_missing_dh_path` made in dc_prev only and `no_dc_carry` (the carried dc starts at zero and,
without the path through h, stays zero). `no_bptt_carry` is listed for lstm_backward only: on
gru_backward and residual_rnn_backward, where there is no cell state, it is `no_dh_accumulation`.
Every other pair gives different outputs on the generated cases of every function both list (tested
in tests/diagnosis).
"""
from __future__ import annotations

from dataclasses import dataclass, field

LSTM = ("lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward")
GRU = ("gru_cell_forward", "gru_cell_backward", "gru_forward", "gru_backward")
RESIDUAL = ("residual_rnn_forward", "residual_rnn_backward", "residual_rnn_step_jacobian")
BACKWARD_CELLS_AND_SEQUENCES = ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward")
#: Every function that takes a ``parameters`` dict.
WITH_PARAMETERS = LSTM + GRU + RESIDUAL


@dataclass(frozen=True)
class Mistake:
    id: str
    items: tuple  # function names whose output it explains
    title: dict  # lang -> str
    explanation: dict
    hint: dict
    forms: dict = field(default_factory=dict)  # item -> tuple of form names; absent: one form
    detected_by: str = "numbers"  # "numbers" | "source" | "keys" (a returned dict's keys)
    # item -> names of returned values the mistake does not define (a student making it may return
    # anything there, e.g. dh0 of a backward that carries nothing back): never required to match.
    free: dict = field(default_factory=dict)
    # The functions of the cache-style contract (assignment rnn-step-by-step: a backward takes its
    # forward's cache) whose output it explains; same names as ``items`` may recur, with that contract.
    cache_items: tuple = ()
    cache_forms: dict = field(default_factory=dict)  # cache-style item -> tuple of form names


def _m(id, items, title, explanation, hint, forms=None, detected_by="numbers", free=None):
    return Mistake(id, tuple(items), title, explanation, hint, dict(forms or {}), detected_by, dict(free or {}))


_CATALOGUE = [
    _m("concat_x_first", LSTM + GRU,
       {"en": "Inputs concatenated as [x; h] instead of [h; x]",
        "zh": "拼接顺序写成了 [x; h]，应为 [h; x]"},
       {"en": "Every weight acts on the concatenation [h_prev; xt], hidden state first. Your outputs match "
              "stacking xt on top of h_prev, so the first columns of each W multiply the input instead of the "
              "hidden state. (NNDL's compact formula writes [x; h]; this assignment follows [h; x].)",
        "zh": "每个权重作用在拼接向量 [h_prev; xt] 上，隐状态在前。你的输出与把 xt 放在 h_prev 上面的结果一致，"
              "于是 W 的前几列乘的是输入而不是隐状态。（NNDL 的紧凑公式写作 [x; h]，本作业约定为 [h; x]。）"},
       {"en": "Build the concatenation as np.vstack((h_prev, xt)) (for the GRU candidate: (r * h_prev, xt)) "
              "and split gradients as d[:n_h] for h, d[n_h:] for x.",
        "zh": "用 np.vstack((h_prev, xt)) 拼接（GRU 候选状态用 (r * h_prev, xt)），梯度按 d[:n_h] 给 h、d[n_h:] 给 x 拆分。"}),
    _m("no_tanh_on_c", LSTM,
       {"en": "h = o ⊙ c without the tanh", "zh": "h = o ⊙ c，漏掉了 tanh"},
       {"en": "The hidden state is h_next = o ⊙ tanh(c_next). Your outputs match h_next = o ⊙ c_next: the cell "
              "state is passed to the output gate without squashing (and the backward pass then lacks the "
              "factor 1 − tanh²(c_next)).",
        "zh": "隐状态应为 h_next = o ⊙ tanh(c_next)。你的输出与 h_next = o ⊙ c_next 一致：记忆单元没有经过 tanh 压缩"
              "就乘了输出门（反向传播中也就少了因子 1 − tanh²(c_next)）。"},
       {"en": "Write h_next = ot * np.tanh(c_next) and, in the backward pass, use dh ⊙ o ⊙ (1 − tanh²(c_next)).",
        "zh": "写成 h_next = ot * np.tanh(c_next)；反向传播中使用 dh ⊙ o ⊙ (1 − tanh²(c_next))。"}),
    _m("candidate_sigmoid", LSTM + GRU,
       {"en": "Sigmoid instead of tanh for the candidate", "zh": "候选状态用了 sigmoid 而不是 tanh"},
       {"en": "The candidate (c̃ in the LSTM, h̃ in the GRU) is tanh(W·[…] + b), with values in (−1, 1). Your "
              "outputs match σ(W·[…] + b), which can only add positive amounts to the state.",
        "zh": "候选状态（LSTM 的 c̃、GRU 的 h̃）是 tanh(W·[…] + b)，取值在 (−1, 1)。你的输出与 σ(W·[…] + b) 一致，"
              "这样只能向状态加正数。"},
       {"en": "Use np.tanh for the candidate, and 1 − c̃² as its derivative in the backward pass.",
        "zh": "候选状态用 np.tanh，反向传播中其导数为 1 − c̃²。"}),
    _m("gate_activation_swapped", LSTM + GRU,
       {"en": "tanh on a gate instead of the sigmoid", "zh": "某个门用了 tanh 而不是 sigmoid"},
       {"en": "Gates (forget, input and output gates of the LSTM; update and reset gates of the GRU) are "
              "sigmoids with values in (0, 1). Your outputs match one gate computed with tanh, which lets "
              "it go negative.",
        "zh": "门（LSTM 的遗忘门、输入门、输出门；GRU 的更新门、重置门）是取值在 (0, 1) 的 sigmoid。你的输出与其中"
              "一个门用 tanh 计算的结果一致，门值因而可能为负。"},
       {"en": "Apply sigmoid to every gate's pre-activation and tanh only to the candidate (and to c in "
              "h = o ⊙ tanh(c)).",
        "zh": "每个门的预激活都用 sigmoid，只有候选状态（以及 h = o ⊙ tanh(c) 中的 c）用 tanh。"},
       forms={**{k: ("f", "i", "o") for k in LSTM}, **{k: ("z", "r") for k in GRU}}),
    _m("dc_missing_dh_path", ("lstm_cell_backward", "lstm_backward"),
       {"en": "dc_prev lacks the path through h_t", "zh": "dc_prev 漏掉了经过 h_t 的路径"},
       {"en": "c_prev reaches the loss through c_next both directly and through h_next = o ⊙ tanh(c_next). Your "
              "dc_prev matches dc_next ⊙ f only; the correct one is (dc_next + dh_next ⊙ o ⊙ (1 − tanh²(c_next))) ⊙ f.",
        "zh": "c_prev 通过 c_next 影响损失，既有直接路径，也有经过 h_next = o ⊙ tanh(c_next) 的路径。你的 dc_prev 只等于 "
              "dc_next ⊙ f；正确的是 (dc_next + dh_next ⊙ o ⊙ (1 − tanh²(c_next))) ⊙ f。"},
       {"en": "Form dc = dc_next + dh_next * ot * (1 - np.tanh(c_next)**2) once and use it for dc_prev and the gates.",
        "zh": "先算 dc = dc_next + dh_next * ot * (1 - np.tanh(c_next)**2)，dc_prev 和各门的梯度都用它。"},
       forms={k: ("dc_prev", "everywhere") for k in ("lstm_cell_backward", "lstm_backward")}),
    _m("double_tanh_candidate", BACKWARD_CELLS_AND_SEQUENCES,
       {"en": "Derivative of the candidate written as 1 − tanh²(c̃)", "zh": "候选状态的导数写成了 1 − tanh²(c̃)"},
       {"en": "c̃ is already tanh(a), so dc̃/da = 1 − c̃². Your gradients match 1 − tanh²(c̃), which applies tanh "
              "a second time to a value that is already squashed.",
        "zh": "c̃ 已经是 tanh(a)，所以 dc̃/da = 1 − c̃²。你的梯度与 1 − tanh²(c̃) 一致，对已经压缩过的值又做了一次 tanh。"},
       {"en": "Use 1 - cct**2 (GRU: 1 - h_tilde**2), or 1 - np.tanh(a)**2 of the pre-activation a.",
        "zh": "写成 1 - cct**2（GRU：1 - h_tilde**2），或者对预激活 a 用 1 - np.tanh(a)**2。"}),
    _m("missing_sigmoid_derivative", BACKWARD_CELLS_AND_SEQUENCES,
       {"en": "σ′ left out of the gate gradients", "zh": "门的梯度漏掉了 σ′"},
       {"en": "A gate g = σ(a) passes gradients to its pre-activation a times σ′(a) = g ⊙ (1 − g). Your "
              "gradients match leaving this factor out of every sigmoid gate.",
        "zh": "门 g = σ(a) 向预激活 a 传梯度时要乘 σ′(a) = g ⊙ (1 − g)。你的梯度与所有 sigmoid 门都漏掉这个因子的结果一致。"},
       {"en": "Multiply each gate's gradient by g * (1 - g) before forming dW, db and the gradients to h_prev and xt.",
        "zh": "在计算 dW、db 以及传给 h_prev、xt 的梯度之前，每个门的梯度先乘 g * (1 - g)。"}),
    _m("missing_gate_derivative", BACKWARD_CELLS_AND_SEQUENCES,
       {"en": "One gate's gradient lacks its activation derivative", "zh": "某个门的梯度漏掉了激活函数的导数"},
       {"en": "The gradient of a gate's pre-activation is the gradient of the gate times the activation's "
              "derivative (σ′ = g ⊙ (1 − g) for a gate, 1 − c̃² for the candidate). Your gradients match one "
              "gate where that factor is missing.",
        "zh": "门的预激活梯度等于门值的梯度乘激活函数的导数（门为 σ′ = g ⊙ (1 − g)，候选状态为 1 − c̃²）。"
              "你的梯度与其中一个门漏掉这个因子的结果一致。"},
       {"en": "Check each of dft, dit, dot, dcct (GRU: dz, dr, dh̃) for its factor; a parenthesis slip often drops it.",
        "zh": "逐个检查 dft、dit、dot、dcct（GRU：dz、dr、dh̃）是否带上了导数因子；括号写错常常会丢掉它。"},
       forms={**{k: ("f", "i", "o", "c") for k in BACKWARD_CELLS_AND_SEQUENCES[:2]},
              **{k: ("z", "r", "h") for k in BACKWARD_CELLS_AND_SEQUENCES[2:]}}),
    _m("no_dh_accumulation", ("lstm_backward", "gru_backward", "residual_rnn_backward"),
       {"en": "dh_prev not added to dh[t]", "zh": "dh_prev 没有加到 dh[t] 上"},
       {"en": "h_t reaches the loss directly (dh[:, :, t]) and through the later steps (dh_prev returned by step "
              "t + 1). Your gradients match using dh[:, :, t] alone at every step, so nothing flows back "
              "through the hidden state.",
        "zh": "h_t 既直接影响损失（dh[:, :, t]），又通过后面的时刻影响损失（第 t + 1 步返回的 dh_prev）。你的梯度与每一步只用 "
              "dh[:, :, t] 的结果一致，梯度没有沿隐状态向前传。"},
       {"en": "At each step pass dh[:, :, t] + dh_prev to the cell's backward, then keep its dh_prev for step t − 1.",
        "zh": "每一步把 dh[:, :, t] + dh_prev 传给单元的反向函数，再把它返回的 dh_prev 留给第 t − 1 步。"},
       free={k: ("dh0",) for k in ("lstm_backward", "gru_backward", "residual_rnn_backward")}),
    _m("no_dc_carry", ("lstm_backward",),
       {"en": "dc_prev not carried to the earlier step", "zh": "dc_prev 没有传到前一个时刻"},
       {"en": "c_{t−1} reaches the loss through c_t, so step t − 1 must start from the dc_prev that step t "
              "returned. Your gradients match starting every step with dc = 0.",
        "zh": "c_{t−1} 通过 c_t 影响损失，所以第 t − 1 步要从第 t 步返回的 dc_prev 开始。你的梯度与每一步都从 dc = 0 开始的结果一致。"},
       {"en": "Keep dc_prev from each step's backward and pass it as dc_next to the previous step.",
        "zh": "保存每一步反向传播得到的 dc_prev，作为前一步的 dc_next 传入。"}),
    _m("no_bptt_carry", ("lstm_backward",),
       {"en": "Each step back-propagated alone (neither dh_prev nor dc_prev carried)",
        "zh": "每个时刻单独反传（dh_prev、dc_prev 都没有传递）"},
       {"en": "Back-propagation through time carries two gradients from step t to step t − 1: dh_prev (added "
              "to dh[:, :, t − 1]) and dc_prev. Your gradients match handling every step alone with neither. "
              "(This is what an old version of the deeplearning.ai notebook printed as its expected output.)",
        "zh": "随时间反向传播要把两个梯度从第 t 步传给第 t − 1 步：dh_prev（加到 dh[:, :, t − 1] 上）和 dc_prev。"
              "你的梯度与每一步都单独处理、两者都不传的结果一致。（deeplearning.ai 旧版笔记本的“期望输出”正是这样算的。）"},
       {"en": "Initialise dh_prev and dc_prev to zeros before the loop, call the cell backward with "
              "dh[:, :, t] + dh_prev and dc_prev, and update both from its result.",
        "zh": "循环前把 dh_prev、dc_prev 置零；每一步用 dh[:, :, t] + dh_prev 和 dc_prev 调用单元反向函数，并用其结果更新两者。"},
       free={"lstm_backward": ("dh0",)}),
    _m("overwrite_param_grads", ("lstm_backward", "gru_backward", "residual_rnn_backward"),
       {"en": "Parameter gradients overwritten instead of summed over time", "zh": "参数梯度被覆盖，没有按时间累加"},
       {"en": "The same weights are used at every step, so dW = Σ_t dW_t. Your dW and db match the gradient of "
              "one step only (the last one processed, t = 0): each step replaced the previous value.",
        "zh": "每个时刻用的是同一组权重，所以 dW = Σ_t dW_t。你的 dW、db 只等于某一个时刻（最后处理的 t = 0）的梯度："
              "每一步都覆盖了之前的值。"},
       {"en": "Initialise each dW and db to zeros before the loop and use dW += step_dW inside it.",
        "zh": "循环前把各个 dW、db 置零，循环中用 dW += step_dW 累加。"}),
    _m("bias_grad_axis", ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward",
                          "residual_rnn_backward"),
       {"en": "Bias gradient summed over the wrong axis or without keepdims", "zh": "偏置梯度求和的轴不对或缺少 keepdims"},
       {"en": "A bias b of shape (n_h, 1) is added to every column, so db sums the pre-activation gradient over "
              "the examples, axis 1, keeping shape (n_h, 1). Your db has the values of np.sum(da, axis=1) "
              "with shape (n_h,), or sums over axis 0.",
        "zh": "形状为 (n_h, 1) 的偏置 b 加到每一列上，所以 db 要对预激活梯度沿样本方向（axis=1）求和，并保持形状 (n_h, 1)。"
              "你的 db 等于 np.sum(da, axis=1) 但形状为 (n_h,)，或者是沿 axis=0 求和。"},
       {"en": "Use np.sum(da, axis=1, keepdims=True).", "zh": "写成 np.sum(da, axis=1, keepdims=True)。"},
       forms={k: ("no_keepdims", "axis0") for k in ("lstm_cell_backward", "lstm_backward", "gru_cell_backward",
                                                     "gru_backward", "residual_rnn_backward")}),
    _m("h0_zeros", ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
                    "residual_rnn_backward"),
       {"en": "Initial hidden state h0 ignored (zeros used)", "zh": "忽略了初始隐状态 h0（用了全零）"},
       {"en": "The sequence starts from the h0 you are given. Your outputs match starting from zeros instead.",
        "zh": "序列应从传入的 h0 开始。你的输出与从全零开始的结果一致。"},
       {"en": "Set h_prev = h0 before the loop (c starts at zeros; h does not), and use h0 as h_{t−1} at t = 0 in "
              "the backward pass.",
        "zh": "循环前令 h_prev = h0（c 从零开始，h 不是）；反向传播在 t = 0 时也用 h0 作为 h_{t−1}。"},
       # "": from zeros in the forward pass and the backward pass; "backward": the forward the backward
       # runs starts from h0, but the step t = 0 of the backward pass uses zeros as h_{t−1}.
       forms={k: ("", "backward") for k in ("lstm_backward", "gru_backward", "residual_rnn_backward")}),
    _m("gru_z_swapped", GRU,
       {"en": "z and 1 − z exchanged in the GRU update", "zh": "GRU 更新中 z 与 1 − z 互换了"},
       {"en": "This assignment follows NNDL: h_next = z ⊙ h_prev + (1 − z) ⊙ h̃ (z keeps the old state). Your "
              "outputs match h_next = (1 − z) ⊙ h_prev + z ⊙ h̃, the other convention found in some texts.",
        "zh": "本作业采用 NNDL 的写法：h_next = z ⊙ h_prev + (1 − z) ⊙ h̃（z 保留旧状态）。你的输出与另一种写法 "
              "h_next = (1 − z) ⊙ h_prev + z ⊙ h̃ 一致。"},
       {"en": "Write h_next = z * h_prev + (1 - z) * h_tilde, and in the backward pass dz = dh ⊙ (h_prev − h̃).",
        "zh": "写成 h_next = z * h_prev + (1 - z) * h_tilde；反向传播中 dz = dh ⊙ (h_prev − h̃)。"}),
    _m("gru_reset_after", GRU,
       {"en": "Reset gate applied after the product (PyTorch's GRU)", "zh": "重置门用在了矩阵乘法之后（PyTorch 的 GRU）"},
       {"en": "NNDL resets before the product: h̃ = tanh(Wh·[r ⊙ h_prev; xt] + bh). Your outputs match PyTorch's "
              "form, h̃ = tanh(Wh_x·xt + r ⊙ (Wh_h·h_prev) + bh), which gives different numbers.",
        "zh": "NNDL 在乘法之前重置：h̃ = tanh(Wh·[r ⊙ h_prev; xt] + bh)。你的输出与 PyTorch 的写法 "
              "h̃ = tanh(Wh_x·xt + r ⊙ (Wh_h·h_prev) + bh) 一致，两者数值不同。"},
       {"en": "Multiply r into h_prev first, then concatenate: np.vstack((r * h_prev, xt)).",
        "zh": "先把 r 乘到 h_prev 上再拼接：np.vstack((r * h_prev, xt))。"}),
    _m("softmax_axis", ("lstm_cell_forward", "lstm_forward", "gru_cell_forward", "gru_forward"),
       {"en": "Softmax over the wrong axis", "zh": "softmax 的轴不对"},
       {"en": "Columns are examples, so the softmax normalises over the classes, axis 0: each column of y sums "
              "to 1. Your y matches a softmax over axis 1, across the examples.",
        "zh": "每一列是一个样本，所以 softmax 沿类别方向（axis=0）归一化：y 的每一列之和为 1。你的 y 与沿 axis=1（跨样本）做 softmax 的结果一致。"},
       {"en": "Use the given softmax helper, or np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True).",
        "zh": "使用给定的 softmax 函数，或 np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)。"}),
    _m("residual_missing_identity", ("residual_rnn_step_jacobian", "residual_rnn_backward", "residual_rnn_forward"),
       {"en": "The Jacobian of the residual step lacks the identity", "zh": "残差更新的雅可比矩阵漏掉了单位矩阵"},
       {"en": "h_t = h_{t−1} + tanh(U·h_{t−1} + W·x_t + b) contains h_{t−1} itself, so ∂h_t/∂h_{t−1} = I + "
              "diag(1 − tanh²(z))·U and dh_{t−1} = dh_t + Uᵀ·dz_t. Your result matches leaving out the I "
              "(the skip connection) — the very term that makes exercise 6-3's gradients explode.",
        "zh": "h_t = h_{t−1} + tanh(U·h_{t−1} + W·x_t + b) 里含有 h_{t−1} 本身，所以 ∂h_t/∂h_{t−1} = I + diag(1 − tanh²(z))·U，"
              "dh_{t−1} = dh_t + Uᵀ·dz_t。你的结果与漏掉 I（残差连接）的结果一致——正是这一项使习题 6-3 中的梯度爆炸。"},
       {"en": "Add np.eye(n_h) to every J[k], and carry dh_t itself (not only Uᵀ·dz_t) to the previous step.",
        "zh": "每个 J[k] 加上 np.eye(n_h)；向前一步传梯度时要带上 dh_t 本身，而不只是 Uᵀ·dz_t。"},
       # backward: "everywhere" (a plain RNN: no skip in the forward it runs, no I in the carry) or
       # "carry" (the forward right, the carry without I)
       forms={"residual_rnn_backward": ("everywhere", "carry")}),
    _m("clip_per_tensor", ("clip_by_global_norm",),
       {"en": "Each gradient clipped by its own norm", "zh": "每个梯度按各自的范数裁剪"},
       {"en": "Clipping by the global norm scales all gradients by the same factor max_norm / global_norm, "
              "where global_norm = sqrt(Σ_k ‖g_k‖²), so their directions relative to each other are kept. Your "
              "clipped gradients match scaling each array by its own norm.",
        "zh": "按全局范数裁剪时，所有梯度乘同一个因子 max_norm / global_norm，其中 global_norm = sqrt(Σ_k ‖g_k‖²)，"
              "梯度之间的相对方向保持不变。你的结果与每个数组按自身范数缩放一致。"},
       {"en": "Compute global_norm over all arrays first; if it exceeds max_norm, multiply every array by "
              "max_norm / global_norm.",
        "zh": "先对所有数组算出 global_norm；若超过 max_norm，所有数组都乘 max_norm / global_norm。"}),
    _m("state_aliasing", ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "residual_rnn_forward",
                          "residual_rnn_backward"),
       {"en": "State updated in place through a view of the output array", "zh": "通过输出数组的视图原地修改了状态"},
       {"en": "Slicing an array (c[:, :, t]) gives a view, not a copy. Your outputs match a state variable "
              "that is such a view being updated in place (c_next *= f, h_next += …), which overwrites the "
              "value stored for the previous step; the gradients computed from those stored values are then "
              "wrong too.",
        "zh": "数组切片（c[:, :, t]）得到的是视图而不是副本。你的输出与这样的情形一致：状态变量是这种视图，又被原地修改"
              "（c_next *= f、h_next += …），于是覆盖了上一时刻保存的值；用这些值算出的梯度也随之出错。"},
       {"en": "Compute new states with fresh arrays (c_next = f * c_prev + i * cct), or copy a slice you will "
              "modify (c_prev = c[:, :, t].copy()).",
        "zh": "用新数组计算新状态（c_next = f * c_prev + i * cct），或对要修改的切片先复制（c_prev = c[:, :, t].copy()）。"},
       # "shifted": the state is a view of the output's slot t − 1, updated in place at step t (slot t − 1
       # shows the state of step t); "last": one array updated in place is stored at every step (every
       # slot shows the last state).
       forms={k: ("shifted", "last") for k in ("lstm_forward", "lstm_backward", "gru_forward", "gru_backward",
                                               "residual_rnn_forward", "residual_rnn_backward")}),
    _m("uses_notebook_globals", WITH_PARAMETERS,
       {"en": "Weights read from notebook globals instead of `parameters`", "zh": "从笔记本的全局变量读取权重，而不是 `parameters`"},
       {"en": "Your function uses weights defined elsewhere in the notebook (for example a global Wf left by "
              "a test cell) instead of the ones passed in `parameters`. It may pass inside the notebook, but "
              "gives wrong results for any other parameters.",
        "zh": "你的函数使用了笔记本其他地方定义的权重（例如测试单元留下的全局变量 Wf），而不是传入的 `parameters`。"
              "它在笔记本里也许能通过，但换一组参数就会出错。"},
       {"en": "Read every weight from the argument: Wf = parameters[\"Wf\"], and so on.",
        "zh": "所有权重都从参数中读取：Wf = parameters[\"Wf\"]，其余同理。"},
       detected_by="source"),
    _m("weights_from_gradients", ("lstm_cell_backward", "lstm_backward", "gru_cell_backward", "gru_backward",
                                  "residual_rnn_backward"),
       {"en": "A gradient dW used where the weight W belongs", "zh": "该用权重 W 的地方用了梯度 dW"},
       {"en": "The gradients to the inputs are dh_prev, dxt = Wᵀ·da (the weights, transposed). Your results "
              "match using the just-computed gradient dW in that product instead of W.",
        "zh": "传给输入的梯度是 dh_prev、dxt = Wᵀ·da（权重的转置）。你的结果与在这个乘积里用了刚算出的梯度 dW 而不是 W 一致。"},
       {"en": "In the products for dh_prev and dxt, use parameters[\"Wf\"] (and the other weights), not dWf.",
        "zh": "计算 dh_prev 和 dxt 的乘积时用 parameters[\"Wf\"]（及其他权重），不要用 dWf。"}),
]

RNN_STEP_CELL_BACKWARDS = ("rnn_cell_backward", "lstm_cell_backward")
RNN_STEP_BACKWARDS = ("rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")

# The cache-style contract (rnn-step-by-step): the same concepts, on that assignment's functions.
_CACHE_ITEMS = {
    "concat_x_first": ("lstm_cell_forward", "lstm_forward"),
    "softmax_axis": ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward"),
    "h0_zeros": ("rnn_forward", "lstm_forward"),
    "no_bptt_carry": ("rnn_backward", "lstm_backward"),
    "no_dh_accumulation": ("rnn_backward", "lstm_backward"),
    "overwrite_param_grads": ("rnn_backward", "lstm_backward"),
    "missing_gate_derivative": ("lstm_cell_backward", "lstm_backward"),
    # found in public student notebooks: σ′ left out of all three gates (often with the candidate's
    # tanh′ too, a pair with missing_gate_derivative:c), and the old course text's 1 − tanh²(c̃)
    "missing_sigmoid_derivative": ("lstm_cell_backward", "lstm_backward"),
    "double_tanh_candidate": ("lstm_cell_backward", "lstm_backward"),
    "weights_from_gradients": RNN_STEP_BACKWARDS,
    "bias_grad_axis": ("rnn_cell_backward", "rnn_backward", "lstm_cell_backward"),
    "state_aliasing": ("rnn_forward", "lstm_forward"),
    "uses_notebook_globals": ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward")
                             + RNN_STEP_BACKWARDS,
    "missing_tanh_derivative": ("rnn_cell_backward", "rnn_backward"),
    "gate_swapped_in_dc_prev": ("lstm_cell_backward", "lstm_backward"),
    "wrong_grad_keys": RNN_STEP_BACKWARDS,
}
_CACHE_FORMS = {
    "missing_tanh_derivative": ("tanh_of_output", "squared", "one_minus_tanh", "left_out"),
    "missing_gate_derivative": ("f", "i", "c", "o"),
    "overwrite_param_grads": ("assign", "double"),
}

_CATALOGUE += [
    _m("missing_tanh_derivative", (),
       {"en": "tanh derivative written wrongly or left out", "zh": "tanh 的导数写错或漏掉了"},
       {"en": "With a_next = tanh(z), the derivative is dz = da_next ⊙ (1 − a_next²): the cache already holds "
              "tanh(z). Your gradients match another factor: 1 − tanh²(a_next) (tanh applied twice), a_next², "
              "1 − tanh(a_next), or none at all.",
        "zh": "由于 a_next = tanh(z)，导数为 dz = da_next ⊙ (1 − a_next²)：缓存里存的已经是 tanh(z)。你的梯度与另一个因子一致："
              "1 − tanh²(a_next)（tanh 用了两次）、a_next²、1 − tanh(a_next)，或者完全没有这个因子。"},
       {"en": "Compute dtanh = (1 - a_next ** 2) * da_next and use it for every gradient of the step.",
        "zh": "先算 dtanh = (1 - a_next ** 2) * da_next，这一步的所有梯度都用它。"}),
    _m("gate_swapped_in_dc_prev", (),
       {"en": "Input gate instead of the output gate in dc_prev", "zh": "dc_prev 中把输出门写成了输入门"},
       {"en": "c_prev reaches the loss through c_next = ft ⊙ c_prev + … and, via a_next = ot ⊙ tanh(c_next), "
              "through the output gate: dc_prev = (dc_next + da_next ⊙ ot ⊙ (1 − tanh²(c_next))) ⊙ ft. Your "
              "dc_prev matches it with it (the input gate) where ot belongs.",
        "zh": "c_prev 通过 c_next = ft ⊙ c_prev + … 以及 a_next = ot ⊙ tanh(c_next) 经输出门影响损失："
              "dc_prev = (dc_next + da_next ⊙ ot ⊙ (1 − tanh²(c_next))) ⊙ ft。你的 dc_prev 在该用 ot 的地方用了输入门 it。"},
       {"en": "Use ot (the output gate) in the term da_next * ot * (1 - np.tanh(c_next) ** 2).",
        "zh": "在 da_next * ot * (1 - np.tanh(c_next) ** 2) 这一项中使用输出门 ot。"}),
    _m("wrong_grad_keys", (),
       {"en": "Gradients returned under other dictionary keys", "zh": "梯度字典的键名不对"},
       {"en": "The grader reads each gradient by its documented key (dxt, da_prev, dWax, …). Your dictionary "
              "names some of them differently, so they count as missing.",
        "zh": "评分时按文档规定的键名（dxt、da_prev、dWax……）读取每个梯度。你的字典中有些键名不同，因此被视为缺失。"},
       {"en": "Return exactly the keys listed in the function's docstring, spelled the same way.",
        "zh": "返回函数说明中列出的键，拼写完全一致。"},
       detected_by="keys"),
]


def _with_cache_items(m: Mistake) -> Mistake:
    from dataclasses import replace

    if m.id not in _CACHE_ITEMS:
        return m
    forms = {item: _CACHE_FORMS[m.id] for item in _CACHE_ITEMS[m.id] if m.id in _CACHE_FORMS}
    return replace(m, cache_items=tuple(_CACHE_ITEMS[m.id]), cache_forms=forms)


_CATALOGUE = [_with_cache_items(m) for m in _CATALOGUE]
MISTAKES: dict[str, Mistake] = {m.id: m for m in _CATALOGUE}

#: Function -> sets of variants (``mistake`` or ``mistake:form``) that give the same outputs on it
#: (reported together, as candidates).
INDISTINGUISHABLE: dict[str, tuple] = {
    "lstm_backward": (frozenset({"dc_missing_dh_path:dc_prev", "no_dc_carry"}),),
    # the cache-style rnn_backward: without a cell state, never carrying da_prevt and not adding it
    # to da[:, :, t] give the same numbers
    "rnn_backward": (frozenset({"no_bptt_carry", "no_dh_accumulation"}),),
}


def describe_mistake(mistake_id: str, lang: str = "en") -> dict:
    """``{"id", "title", "explanation", "hint"}`` in ``lang`` (English when the language is unknown).

    Raises a KeyError naming the known ids when ``mistake_id`` is not in the catalogue.
    """
    try:
        m = MISTAKES[mistake_id]
    except KeyError:
        raise KeyError(f"no mistake {mistake_id!r}; known mistakes: {', '.join(sorted(MISTAKES))}") from None
    pick = lang if lang in m.title else "en"
    return {"id": m.id, "title": m.title[pick], "explanation": m.explanation[pick], "hint": m.hint[pick]}
