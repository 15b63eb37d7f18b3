"""Prose of the reference derivation, in English and Chinese (same keys, same fields).

Formulas are never written here: each text introduces the SymPy-printed formula that follows it.
"""
from __future__ import annotations

TEXTS = {
    "en": {
        "page_title": "Reference derivations: exercises 6-3, 6-4 and 6-5 (NNDL chapter 6)",
        "intro": "Every formula on this page is printed from a SymPy expression obtained with "
                 "sympy.diff from the forward equations; none is typed by hand. Scalar case: one "
                 "hidden unit, gates as numbers; the vector case applies the same formulas "
                 "element-wise and gathers weight gradients with outer products.",
        "title_63": "Exercise 6-3: gradient explosion of the residual update h_t = h_{t-1} + g(x_t, h_{t-1}; θ)",
        "res_forward": "The scalar step, with h = h_{t-1}:",
        "res_scalar": "Differentiating it gives the step factor:",
        "res_matrix": "With vectors (SymPy's jacobian for n_h = 2, checked to equal this form), the "
                      "step Jacobian is the identity plus diag(1 − tanh²(z_t))·U:",
        "res_chain": "Back-propagation through time multiplies these Jacobians:",
        "res_eigen": "Because of the identity term, each eigenvalue μ of the step Jacobian is 1 plus "
                     "an eigenvalue λ of diag(1 − tanh²(z))·U. Example computed by SymPy: for "
                     "A = [[0.3, 0.1], [0.1, 0.2]] the eigenvalues of A are {eig_a}, those of I + A "
                     "are {eig_j}.",
        "res_compound": "Over t − k steps the factor compounds: with the example above the largest "
                        "one gives (1 + λ)^30 ≈ {growth}, whereas without the identity term "
                        "λ^30 ≈ {plain}. Any eigenvalue with a positive real part makes the "
                        "gradient grow exponentially even when U is small; this is the gradient "
                        "explosion of formula (6.50).",
        "res_clip": "Remedy 1, gradient clipping: rescale the gradient when its norm exceeds θ.",
        "res_decay": "Remedy 2, weight decay or a norm constraint on U keeps the eigenvalues of "
                     "diag(1 − tanh²)·U small:",
        "res_gating": "Remedy 3, gating: replace the fixed identity by a learned gate in (0, 1) "
                      "(the GRU's update gate z, the LSTM's forget gate f), so the direct path "
                      "contributes z instead of 1:",
        "title_64": "Exercise 6-4: gradients of one LSTM step",
        "lstm_forward_c": "The cell state is additive in c_{t-1}:",
        "lstm_forward_h": "and the hidden state reads it through tanh:",
        "lstm_loss": "Given dh = ∂L/∂h_t and dc = ∂L/∂c_t (the gradient arriving from later "
                     "steps), the loss depends on this step through:",
        "lstm_dc_prev": "Gradient with respect to the previous cell state (both direct paths, "
                        "through c_t and through tanh(c_t) in h_t), as sympy.diff returns it:",
        "lstm_dc_prev_tidy": "With the common factor taken out:",
        "lstm_pre_a_f": "Forget gate, f = σ(a_f):",
        "lstm_pre_a_i": "Input gate, i = σ(a_i):",
        "lstm_pre_a_g": "Candidate, g = c̃ = tanh(a_g):",
        "lstm_pre_a_o": "Output gate, o = σ(a_o):",
        "lstm_param": "With a_k = u_k·h_{t-1} + w_k·x_t + b_k, the parameter {name}:",
        "lstm_inputs": "The previous hidden state collects the four gates' paths:",
        "lstm_vector": "Vector form: each da_k is (n_h, m), computed element-wise as above; then "
                       "dW_k = da_k · [h_{t-1}; x_t]ᵀ, db_k = Σ over examples of da_k, and "
                       "dh_{t-1}, dx_t are W_kᵀ·da_k summed over the gates and split into the h and "
                       "x rows.",
        "lstm_additive": "Why the LSTM eases vanishing gradients: along the cell path the step "
                         "factor is just the forget gate, with no squashing derivative and no "
                         "weight matrix:",
        "lstm_additive_chain": "Over many steps it is a product of forget gates, which stays near 1 "
                               "when the network learns to keep f ≈ 1 (hence the common forget-gate "
                               "bias of 1 or 2).",
        "title_65": "Exercise 6-5: gradients of one GRU step (NNDL: reset before U_h)",
        "gru_forward_z": "Update gate:",
        "gru_forward_r": "Reset gate:",
        "gru_forward_n": "Candidate state:",
        "gru_forward_h": "New state, with h = h_{t-1}:",
        "gru_dh_prev": "Derivative of the new state with respect to the previous one (the direct "
                       "path z, the update-gate path, and the candidate path through r·h):",
        "gru_param": "Gradient of the parameter {name}, with dh = ∂L/∂h_t:",
        "gru_vector": "Vector form: da_z = dh ⊙ (h − n) ⊙ z(1 − z), da_n = dh ⊙ (1 − z) ⊙ (1 − n²), "
                      "d(r⊙h) = U_hᵀ·da_n, da_r = d(r⊙h) ⊙ h ⊙ r(1 − r); the weight gradients "
                      "are outer products with [h; x] (with [r⊙h; x] for W_h).",
        "gru_direct": "Why the GRU eases vanishing gradients: the direct path contributes z "
                      "itself, not a derivative of a squashing function:",
        "gru_saturated": "When the update gate saturates at z = 1, the whole derivative is exactly "
                         "1: the state and its gradient are carried over unchanged.",
    },
    "zh": {
        "page_title": "参考推导：习题 6-3、6-4、6-5（《神经网络与深度学习》第 6 章）",
        "intro": "本页所有公式均由 SymPy 从前向公式用 sympy.diff 推导后打印，没有手工输入的公式。"
                 "这里用标量情形（一个隐藏单元，门的取值视为给定的数）；向量情形逐元素使用同样的公式，"
                 "权重梯度用外积汇总。",
        "title_63": "习题 6-3：残差更新 h_t = h_{t-1} + g(x_t, h_{t-1}; θ) 的梯度爆炸",
        "res_forward": "标量形式的一步，记 h = h_{t-1}：",
        "res_scalar": "求导得到每一步的因子：",
        "res_matrix": "向量情形（SymPy 对 n_h = 2 求 jacobian，并验证等于下式）："
                      "每步的雅可比矩阵是单位矩阵加上 diag(1 − tanh²(z_t))·U：",
        "res_chain": "随时间反向传播时，这些雅可比矩阵连乘：",
        "res_eigen": "由于单位矩阵项，每步雅可比矩阵的特征值 μ 等于 1 加上 diag(1 − tanh²(z))·U 的特征值 λ。"
                     "SymPy 计算的例子：A = [[0.3, 0.1], [0.1, 0.2]] 的特征值为 {eig_a}，"
                     "I + A 的特征值为 {eig_j}。",
        "res_compound": "经过 t − k 步后这一因子不断累乘：上例中最大的特征值给出 (1 + λ)^30 ≈ {growth}，"
                        "而没有单位矩阵项时 λ^30 ≈ {plain}。只要有实部为正的特征值，即使 U 很小，"
                        "梯度也会指数增长，这就是公式 (6.50) 的梯度爆炸。",
        "res_clip": "解决方法一，梯度截断：当梯度的范数超过 θ 时按比例缩小。",
        "res_decay": "解决方法二，权重衰减或对 U 的范数约束，使 diag(1 − tanh²)·U 的特征值保持较小：",
        "res_gating": "解决方法三，门控：把固定的单位矩阵换成取值在 (0, 1) 的可学习的门"
                      "（GRU 的更新门 z、LSTM 的遗忘门 f），直接通路贡献的是 z 而不是 1：",
        "title_64": "习题 6-4：LSTM 一步的梯度",
        "lstm_forward_c": "记忆单元对 c_{t-1} 是加性的：",
        "lstm_forward_h": "隐藏状态通过 tanh 读取它：",
        "lstm_loss": "已知 dh = ∂L/∂h_t 和 dc = ∂L/∂c_t（从后面时刻传回的梯度），损失通过下式依赖于这一步：",
        "lstm_dc_prev": "对上一时刻记忆单元的梯度（两条直接通路：经过 c_t，以及经过 h_t 中的 tanh(c_t)），"
                        "即 sympy.diff 的结果：",
        "lstm_dc_prev_tidy": "提取公因子后：",
        "lstm_pre_a_f": "遗忘门，f = σ(a_f)：",
        "lstm_pre_a_i": "输入门，i = σ(a_i)：",
        "lstm_pre_a_g": "候选状态，g = c̃ = tanh(a_g)：",
        "lstm_pre_a_o": "输出门，o = σ(a_o)：",
        "lstm_param": "设 a_k = u_k·h_{t-1} + w_k·x_t + b_k，参数 {name} 的梯度：",
        "lstm_inputs": "上一时刻的隐藏状态汇集四个门的通路：",
        "lstm_vector": "向量形式：每个 da_k 的形状为 (n_h, m)，按上式逐元素计算；然后 "
                       "dW_k = da_k · [h_{t-1}; x_t]ᵀ，db_k 为 da_k 对样本求和，"
                       "dh_{t-1} 与 dx_t 为各门的 W_kᵀ·da_k 之和，再按 h 与 x 的行拆分。",
        "lstm_additive": "LSTM 为何缓解梯度消失：沿记忆单元的通路，每步因子就是遗忘门，"
                         "既没有饱和函数的导数，也没有权重矩阵：",
        "lstm_additive_chain": "多步之后它是遗忘门的连乘，只要网络学会让 f ≈ 1 就接近 1"
                               "（因此遗忘门偏置常初始化为 1 或 2）。",
        "title_65": "习题 6-5：GRU 一步的梯度（NNDL：重置门作用在 U_h 之前）",
        "gru_forward_z": "更新门：",
        "gru_forward_r": "重置门：",
        "gru_forward_n": "候选状态：",
        "gru_forward_h": "新状态，记 h = h_{t-1}：",
        "gru_dh_prev": "新状态对上一状态的导数（直接通路 z、更新门通路，以及经过 r·h 的候选状态通路）：",
        "gru_param": "参数 {name} 的梯度，dh = ∂L/∂h_t：",
        "gru_vector": "向量形式：da_z = dh ⊙ (h − n) ⊙ z(1 − z)，da_n = dh ⊙ (1 − z) ⊙ (1 − n²)，"
                      "d(r⊙h) = U_hᵀ·da_n，da_r = d(r⊙h) ⊙ h ⊙ r(1 − r)；权重梯度是与 [h; x] 的外积"
                      "（W_h 用 [r⊙h; x]）。",
        "gru_direct": "GRU 为何缓解梯度消失：直接通路贡献的就是 z 本身，而不是饱和函数的导数：",
        "gru_saturated": "当更新门饱和于 z = 1 时，整个导数恰好为 1：状态及其梯度原样传递。",
    },
}
