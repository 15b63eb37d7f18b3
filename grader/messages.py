"""The grader's own item and case messages, in the assignment's language (en, zh)."""
from __future__ import annotations

import re

_CATALOGUE = {
    "cases_passed": {"en": "{n}/{total} cases passed", "zh": "{n}/{total} 个用例通过"},
    "not_implemented": {"en": "{item} is not implemented yet", "zh": "{item} 尚未实现"},
    "values_differ": {"en": "{name}: values differ{err}", "zh": "{name}：数值不符{err}"},
    "max_abs_err": {"en": " (max abs error {err:.1e})", "zh": "（最大绝对误差 {err:.1e}）"},
    "not_run": {"en": "{item} was not run", "zh": "{item} 未运行"},
    "modified_inputs": {"en": "{item} modified its inputs: {names}", "zh": "{item} 修改了它的输入：{names}"},
    "symbolic_empty": {"en": "{item} is empty: write your expression between the quotes.",
                       "zh": "{item} 为空：请在引号中写出你的表达式。"},
    "free_missing": {"en": "no answer found for {item} (a markdown cell tagged {item})",
                     "zh": "未找到 {item} 的答案（需要一个带有 {item} 标签的 Markdown 单元格）"},
    "free_pending": {"en": "graded by hand", "zh": "人工评分"},
    "no_submission": {"en": "no submission", "zh": "未提交"},
    "unreadable": {"en": "the submission could not be read", "zh": "无法读取该提交"},
    # A graded function that is missing because the code meant to define it failed to load
    # (grader.loading.failed_defs): which code, which error, what to do.
    "not_loaded_syntax": {
        "en": "{item} was not loaded: {where} has a syntax error ({error}), so none of that code "
              "ran and the {item} written there was never defined. Fix the syntax error and run "
              "all of your code again from the top before you submit.",
        "zh": "{item} 未能加载：{where} 有语法错误（{error}），这段代码完全没有运行，其中的 {item} "
              "因此从未被定义。请修正该语法错误，并在提交前从头重新运行全部代码。"},
    "not_loaded_import": {
        "en": "{item} was not loaded: an import in {where} failed ({error}), so the code after it "
              "did not run and the {item} written there was never defined. Remove or correct that "
              "import and run all of your code again from the top before you submit.",
        "zh": "{item} 未能加载：{where} 中的导入失败（{error}），其后的代码没有运行，其中的 {item} "
              "因此从未被定义。请删除或改正该导入，并在提交前从头重新运行全部代码。"},
    "not_loaded_exception": {
        "en": "{item} was not loaded: {where} raised an error before reaching {item} ({error}), so "
              "the {item} written there was never defined. Fix that error (or move the code that "
              "raises it below the function) and run all of your code again from the top before "
              "you submit.",
        "zh": "{item} 未能加载：{where} 在执行到 {item} 之前出错（{error}），其中的 {item} 因此从未"
              "被定义。请修正该错误（或把出错的代码移到函数定义之后），并在提交前从头重新运行全部"
              "代码。"},
    "not_loaded_timeout": {
        "en": "{item} was not loaded: {where} did not finish ({error}), so the {item} written there "
              "was never defined. Remove the endless loop or long computation from that code and "
              "run all of your code again from the top before you submit.",
        "zh": "{item} 未能加载：{where} 没有运行完（{error}），其中的 {item} 因此从未被定义。请删除"
              "其中的死循环或耗时的计算，并在提交前从头重新运行全部代码。"},
    "not_loaded_crashed": {
        "en": "{item} was not loaded: the process ended while {where} was running ({error}), so "
              "the {item} written there was never defined. Remove what ends the process there "
              "(such as exit(), os._exit() or very large arrays) and run all of your code again "
              "from the top before you submit.",
        "zh": "{item} 未能加载：运行 {where} 时进程终止（{error}），其中的 {item} 因此从未被定义。"
              "请删除其中使进程终止的代码（例如 exit()、os._exit() 或过大的数组），并在提交前从头"
              "重新运行全部代码。"},
    "not_loaded_not_run": {
        "en": "{item} was not loaded: {where} was not run ({error}), so the {item} written there "
              "was never defined. Fix the errors reported before it and run all of your code again "
              "from the top before you submit.",
        "zh": "{item} 未能加载：{where} 没有运行（{error}），其中的 {item} 因此从未被定义。请先修正"
              "在它之前报告的错误，并在提交前从头重新运行全部代码。"},
    # cache-style items (grader/cachecheck.py)
    "not_implemented_placeholder": {"en": "{item} still holds the template's None placeholders: not answered yet",
                                    "zh": "{item} 仍是模板中的 None 占位符：尚未作答"},
    "cache_at_step": {"en": " at step {step}: ", "zh": "（第 {step} 步）："},
    "cache_at_entry": {"en": ": ", "zh": "："},
    "cache_overwritten": {"en": "`{entry}` was overwritten after it was stored (it shares memory with {shares})",
                          "zh": "`{entry}` 在存入之后被覆盖了（它与 {shares} 共用内存）"},
    # what an overwritten entry shares memory with: the child names it in English ("output c",
    # "step 1 c_prev"); problem_text says it in the report's language
    "cache_share_output": {"en": "output {name}", "zh": "输出 {name}"},
    "cache_share_step": {"en": "step {step} {entry}", "zh": "第 {step} 步的 {entry}"},
    "cache_share_sep": {"en": ", ", "zh": "、"},
    "cache_none": {"en": "`{entry}` is None (a template placeholder left in?)",
                   "zh": "`{entry}` 是 None（是否留下了模板中的占位符？）"},
    "cache_type": {"en": "`{entry}` is a {type}, not an array", "zh": "`{entry}` 是 {type}，不是数组"},
    "cache_shape": {"en": "`{entry}` has shape {shape}, expected {expected}",
                    "zh": "`{entry}` 的形状为 {shape}，应为 {expected}"},
    "cache_values": {"en": "`{entry}` does not hold the values that step used",
                     "zh": "`{entry}` 与该步实际使用的值不符"},
    "cache_corrupted": {"en": "the outputs are right, but the cache `{name}` is corrupted{problem}",
                        "zh": "输出正确，但缓存 `{name}` 已损坏{problem}"},
    "cache_not_layout": {"en": "the cache `{name}` does not follow the documented layout ({why}); it was not checked",
                         "zh": "缓存 `{name}` 不符合文档规定的结构（{why}），未检查其内容"},
    "chain_ref_only_corrupted": {
        "en": "your {item} is right on a correct cache, but the cache your `{by}` returns is corrupted{problem}",
        "zh": "你的 {item} 在正确的缓存上结果正确，但你的 `{by}` 返回的缓存已损坏{problem}"},
    "chain_ref_only_differs": {
        "en": "your {item} is right on a correct cache, but the cache your `{by}` returns differs from a correct one{problem}",
        "zh": "你的 {item} 在正确的缓存上结果正确，但你的 `{by}` 返回的缓存与正确的缓存不同{problem}"},
    "chain_ref_only": {"en": "your {item} is right on a correct cache, but not on the cache your `{by}` returns: {detail}",
                       "zh": "你的 {item} 在正确的缓存上结果正确，但在你的 `{by}` 返回的缓存上不正确：{detail}"},
    "chain_own_only": {"en": "your {item} is right on the cache your own `{by}` returns, but not on a correct cache",
                       "zh": "你的 {item} 在你自己的 `{by}` 返回的缓存上结果正确，但在正确的缓存上不正确"},
    "chain_not_layout_right": {
        "en": "the cache your `{by}` returns does not follow the documented layout ({why}); your {item} is right on it, "
              "and that is what counts",
        "zh": "你的 `{by}` 返回的缓存不符合文档规定的结构（{why}）；你的 {item} 在它上面结果正确，按此计分"},
    "chain_not_layout_wrong": {
        "en": "the cache your `{by}` returns does not follow the documented layout ({why}), so only your own chain "
              "counts, and on it {item} is wrong: {detail}",
        "zh": "你的 `{by}` 返回的缓存不符合文档规定的结构（{why}），因此只按你自己的链计分，而在其上 {item} 不正确：{detail}"},
    # rnngrade check, in the terminal
    "check_head": {"en": "rnngrade check: {path} ({assignment}, version {version})",
                   "zh": "rnngrade check：{path}（{assignment}，版本 {version}）"},
    "check_note": {"en": "note: {note}", "zh": "说明：{note}"},
    "check_cases": {"en": "{mark} {item}: {n}/{total} public case(s) passed",
                    "zh": "{mark} {item}：{n}/{total} 个公开用例通过"},
    "check_mistake": {"en": "       likely mistake: {title}", "zh": "       可能的错误：{title}"},
    "check_hint": {"en": "         hint: {hint}", "zh": "         提示：{hint}"},
    "check_free_answered": {"en": "answered, graded by hand", "zh": "已作答，人工评分"},
    "check_free_missing": {"en": "no answer yet", "zh": "尚未作答"},
    "check_closing": {"en": "Public checks only: hidden cases are graded after you submit; "
                            "passing these checks is not full marks.",
                      "zh": "这里只运行公开检查：隐藏用例在提交后评分；通过这些检查并不等于满分。"},
}


def msg(key: str, lang: str, **fields) -> str:
    entry = _CATALOGUE[key]
    return entry.get(lang, entry["en"]).format(**fields)


# The sandbox's child and session are standalone (no project imports) and speak English; the grader
# translates the messages it knows, and leaves others (Python's own exception texts) as they are.
# A death of the process is "<what happened> while running <function>" / "while loading <unit>".
_DURING = r" while (?:running (?P<fn>\w+)|loading (?P<unit>.+?))"
_SANDBOX_ZH = [
    (r"timed out after (?P<t>[\d.]+) s while running (?P<fn>\w+)", "运行 {fn} 时超时（{t} 秒）"),
    (r"timed out after (?P<t>[\d.]+) s while loading (?P<unit>.+)", "加载 {unit} 时超时（{t} 秒）"),
    (r"not run: (?P<fn>\w+) timed out on an earlier case; its remaining cases were skipped",
     "未运行：{fn} 在之前的用例中超时，其余用例已跳过"),
    (r"stopped: (?P<fn>\w+) calls (?P<callee>\w+), which timed out on an earlier case",
     "已停止：{fn} 调用了 {callee}，而它在之前的用例中超时"),
    (r"not run: (?P<fn>\w+) ended the process on an earlier case; its remaining cases were skipped",
     "未运行：{fn} 在之前的用例中使进程终止，其余用例已跳过"),
    (r"stopped: (?P<fn>\w+) calls (?P<callee>\w+), which ended the process on an earlier case",
     "已停止：{fn} 调用了 {callee}，而它在之前的用例中使进程终止"),
    (r"not run: (?P<fn>\w+) used up the process's memory on an earlier case; its remaining cases were skipped",
     "未运行：{fn} 在之前的用例中耗尽了进程的内存，其余用例已跳过"),
    (r"stopped: (?P<fn>\w+) calls (?P<callee>\w+), which used up the process's memory on an earlier case",
     "已停止：{fn} 调用了 {callee}，而它在之前的用例中耗尽了进程的内存"),
    (r"process exited with code (?P<c>-?\d+|None)" + _DURING, "{during}进程退出（退出码 {c}）"),
    (r"process crashed with a segmentation fault \(SIGSEGV\)" + _DURING, "{during}进程崩溃（段错误 SIGSEGV）"),
    (r"process exceeded its CPU time limit \(SIGXCPU\)" + _DURING, "{during}进程超出 CPU 时间限制（SIGXCPU）"),
    (r"process was killed by (?P<sig>SIG\w+|signal \d+)" + _DURING, "{during}进程被信号 {sig} 终止"),
    (r"wrote more than (?P<kb>\d+) KiB directly to its output" + _DURING + "; the process was stopped",
     "{during}直接向输出写入超过 {kb} KiB，进程已被终止"),
    (r"the sandbox's reports were corrupted" + _DURING + r" \((?P<why>.*)\)",
     "{during}沙箱的报告被破坏（{why}）"),
    (r"not run: the submission's process was restarted (?P<n>\d+) times, the limit; (?P<fn>\w+) was not called",
     "未运行：提交的进程已重启 {n} 次，达到上限；{fn} 未被调用"),
    (r"not run: the submission's process was restarted (?P<n>\d+) times, the limit",
     "未运行：提交的进程已重启 {n} 次，达到上限"),
    (r"not run: the submission's process stopped; (?P<fn>\w+) was not called",
     "未运行：提交的进程已停止；{fn} 未被调用"),
    (r"not run: the submission's process stopped", "未运行：提交的进程已停止"),
    (r"not run: loading was stopped after too many timeouts", "未运行：超时次数过多，已停止加载"),
    (r"(?P<fn>\w+) is not defined", "{fn} 未定义"),
    (r"(?P<fn>\w+) is not defined, so there is no cache to pass on", "{fn} 未定义，因此没有可传递的缓存"),
    (r"(?P<fn>\w+) raised (?P<exc>.+) while making the cache", "{fn} 在生成缓存时出错：{exc}"),
    (r"(?P<fn>\w+) ran out of time while making the cache", "{fn} 在生成缓存时超时"),
    (r"(?P<fn>\w+) timed out on an earlier case, so there is no cache to pass on",
     "{fn} 在之前的用例中超时，因此没有可传递的缓存"),
    (r"(?P<fn>\w+) ended the process on an earlier case, so there is no cache to pass on",
     "{fn} 在之前的用例中使进程终止，因此没有可传递的缓存"),
    (r"(?P<fn>\w+) used up the process's memory on an earlier case, so there is no cache to pass on",
     "{fn} 在之前的用例中耗尽了进程的内存，因此没有可传递的缓存"),
    (r"(?P<fn>\w+) returned a (?P<what>.+), so there is no output (?P<k>\d+) to pass on",
     "{fn} 返回了 {what}，因此没有第 {k} 个输出可传递"),
]
_SANDBOX_ZH = [(re.compile(p + "$"), t) for p, t in _SANDBOX_ZH]


def localize_sandbox(message: str, lang: str) -> str:
    """A sandbox message in ``lang`` where a translation is known (``message`` otherwise)."""
    if lang != "zh" or not message:
        return message
    for pattern, template in _SANDBOX_ZH:
        m = pattern.match(message)
        if m:
            fields = m.groupdict()
            if "{during}" in template:
                fields["during"] = (f"运行 {fields['fn']} 时" if fields.get("fn")
                                    else f"加载 {fields['unit']} 时")
            return template.format(**fields)
    return message
