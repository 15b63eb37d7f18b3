"""Texts of the local checks, in every language of the assignment.

GENERATED from the rnngrade catalogues (grader/checking/i18n, assignments/student_kit/i18n) by the
release step (assignments/kit_texts.py): do not edit; edit the catalogues and run
``python -m assignments.kit_texts``.
"""

COMPARE = {'en': {'none': '{name}: nothing was returned (got None); did you forget a `return` statement?',
        'tuple_type': '{name}: expected a tuple of {n} values ({names}), got {got}',
        'tuple_len': '{name}: expected a tuple of {n} values ({names}), got {k} values',
        'tuple_len_more': '{name}: expected a tuple of {n} values ({names}), got {k} values; return exactly '
                          'these values (no cache)',
        'dict_type': '{name}: expected a dict with keys {keys}, got {got}',
        'key_missing': '{name}: missing from the returned dict',
        'key_misnamed': '{name}: missing from the returned dict, which has `{found}` instead; did you mean '
                        '`{wanted}`?',
        'keys_unexpected': '{name}: unexpected keys in the returned dict: {keys} (expected keys: {expected})',
        'not_array': '{name}: expected a numpy array, got {got}; return a numpy array (np.array(...))',
        'not_number': '{name}: expected a number (float), got {got}',
        'scalar_size': '{name}: expected a single number, got an array of shape {shape}',
        'shape': '{name}: wrong shape: got {got}, expected {expected}',
        'shape_transposed': '; it looks transposed (columns are examples)',
        'shape_same_size': '; same number of elements in another layout (check reshape/keepdims)',
        'dtype_float': '{name}: dtype is {dtype}, expected float64; compute in float64 (do not convert to '
                       '{dtype})',
        'dtype_int': '{name}: dtype is {dtype}, expected float64; the array holds integers (create it with a '
                     'float dtype, e.g. np.zeros(shape))',
        'dtype_other': '{name}: dtype is {dtype}, expected float64',
        'finite': '{name}: contains {n_nan} NaN and {n_inf} infinite values; the first is at {index}',
        'values': '{name}: values differ at {n_bad} of {size} elements; worst at {index}: got {got}, '
                  'expected {expected}; max abs error {max_abs}, max rel error {max_rel} (rtol {rtol}, atol '
                  '{atol})',
        'scalar_values': '{name}: value differs: got {got}, expected {expected}; abs error {max_abs}, rel '
                         'error {max_rel} (rtol {rtol}, atol {atol})',
        'ok': '{name}: ok (max abs error {max_abs})',
        'subclass_note': '; returned {type_name}, checked as a plain numpy.ndarray',
        'joined': '{first}{second}',
        'summary_ok': 'all {n} outputs match',
        'summary_empty': 'no outputs were checked',
        'desc_none': 'None',
        'desc_array': 'a numpy array of shape {shape}',
        'desc_seq': 'a {type} of {n} values',
        'desc_dict': 'a dict with keys {keys}',
        'desc_other': 'a value of type {type}'},
 'zh': {'none': '{name}：没有返回任何值（得到 None）；是否忘了写 `return` 语句？',
        'tuple_type': '{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {got}',
        'tuple_len': '{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {k} 个值',
        'tuple_len_more': '{name}：应返回包含 {n} 个值（{names}）的元组，实际得到 {k} 个值；请只返回这些值（不要返回 cache）',
        'dict_type': '{name}：应返回键为 {keys} 的字典，实际得到 {got}',
        'key_missing': '{name}：返回的字典中缺少这个键',
        'key_misnamed': '{name}：返回的字典中缺少这个键，但有 `{found}`；你是想写 `{wanted}` 吗？',
        'keys_unexpected': '{name}：返回的字典中有多余的键：{keys}（应有的键：{expected}）',
        'not_array': '{name}：应返回 numpy 数组，实际得到 {got}；请返回 numpy 数组（np.array(...)）',
        'not_number': '{name}：应返回一个数（float），实际得到 {got}',
        'scalar_size': '{name}：应返回一个数，实际得到形状为 {shape} 的数组',
        'shape': '{name}：形状错误：得到 {got}，应为 {expected}',
        'shape_transposed': '；看起来转置了（每一列是一个样本）',
        'shape_same_size': '；元素个数相同但排列不同（检查 reshape/keepdims）',
        'dtype_float': '{name}：dtype 为 {dtype}，应为 float64；请用 float64 计算（不要转换为 {dtype}）',
        'dtype_int': '{name}：dtype 为 {dtype}，应为 float64；数组中是整数（请用浮点类型创建，例如 np.zeros(shape)）',
        'dtype_other': '{name}：dtype 为 {dtype}，应为 float64',
        'finite': '{name}：包含 {n_nan} 个 NaN 和 {n_inf} 个无穷大值；第一个位于 {index}',
        'values': '{name}：{size} 个元素中有 {n_bad} 个数值不符；最差位于 {index}：得到 {got}，应为 {expected}；最大绝对误差 '
                  '{max_abs}，最大相对误差 {max_rel}（rtol {rtol}，atol {atol}）',
        'scalar_values': '{name}：数值不符：得到 {got}，应为 {expected}；绝对误差 {max_abs}，相对误差 {max_rel}（rtol {rtol}，atol '
                         '{atol}）',
        'ok': '{name}：正确（最大绝对误差 {max_abs}）',
        'subclass_note': '；返回的是 {type_name}，按普通 numpy.ndarray 检查',
        'joined': '{first}{second}',
        'summary_ok': '{n} 个输出全部正确',
        'summary_empty': '没有检查任何输出',
        'desc_none': 'None',
        'desc_array': '形状为 {shape} 的 numpy 数组',
        'desc_seq': '包含 {n} 个值的 {type}',
        'desc_dict': '键为 {keys} 的字典',
        'desc_other': '{type} 类型的值'}}

KIT = {'en': {'pass': 'PASS',
        'fail': 'FAIL',
        'cases': '{passed}/{total} public cases',
        'not_defined': '`{name}` is not defined: run the cell that defines it (or check its spelling)',
        'not_callable': '`{name}` is not a function (it is {type})',
        'raised': '{case} [{label}]: your function raised {error}',
        'case_failed': '{case} [{label}]:',
        'not_string': '`{name}` must be a string, got {type}',
        'unanswered': '`{name}` is empty: write your expression inside the quotes',
        'syntax_ok': 'expression parses and uses allowed names only (equivalence is graded after you submit)',
        'unknown_item': 'no public checks for {name!r}; items: {items}',
        'cell_error': '{cell}: {error}',
        'closing': 'Public checks only: {hidden} hidden cases and the symbolic equivalence are graded after '
                   'you submit; passing these checks is not full marks.',
        'no_notebook': 'no notebook found in {folder}: expected {name}, or set {env}=path/to/notebook.ipynb',
        'many_notebooks': 'several notebooks in {folder} ({names}) and none is named {name}; set '
                          '{env}=path/to/notebook.ipynb',
        'version': 'this notebook was generated for version {nb} of the assignment, these checks are for '
                   '{kit}'},
 'zh': {'pass': '通过',
        'fail': '未通过',
        'cases': '公开用例 {passed}/{total}',
        'not_defined': '`{name}` 没有定义：请先运行定义它的单元格（或检查拼写）',
        'not_callable': '`{name}` 不是函数（它是 {type}）',
        'raised': '{case} [{label}]：你的函数抛出了 {error}',
        'case_failed': '{case} [{label}]：',
        'not_string': '`{name}` 必须是字符串，实际是 {type}',
        'unanswered': '`{name}` 是空字符串：请在引号内写出表达式',
        'syntax_ok': '表达式语法正确，只用了允许的名称（是否等价在提交后评分）',
        'unknown_item': '没有 {name!r} 的公开检查；题目有：{items}',
        'cell_error': '{cell}：{error}',
        'closing': '这里只运行了公开检查：{hidden} 个隐藏用例和符号题的等价性在提交后评分；通过这些检查不代表满分。',
        'no_notebook': '在 {folder} 中没有找到 notebook：应为 {name}，或设置环境变量 {env}=notebook 路径',
        'many_notebooks': '{folder} 中有多个 notebook（{names}），没有一个叫 {name}；请设置环境变量 {env}=notebook 路径',
        'version': '这个 notebook 是为作业版本 {nb} 生成的，本地检查对应版本 {kit}'}}
