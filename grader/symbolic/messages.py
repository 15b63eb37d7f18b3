"""The words students read about their symbolic answers, in English and Chinese.

One catalogue per kind of text: parse problems (``PROBLEMS``), what was expected at the place of a
parse problem (``EXPECTED``), constructs that are not allowed (``CONSTRUCTS``) and verdicts
(``VERDICTS``). Every entry has the same ``str.format`` fields in both languages.
"""
from __future__ import annotations

LANGS = ("en", "zh")

FUNCTIONS_TEXT = "exp, log, sqrt, tanh, sigmoid, sinh, cosh"

# A parse problem's message is "<where>: <problem> <expected>".
WHERE = {
    "en": "Column {column}",
    "zh": "第 {column} 列",
}
EXPECTED_LINE = {
    "en": "Expected here: {expected}.",
    "zh": "此处应为：{expected}。",
}

PROBLEMS = {
    "empty": {
        "en": "the answer is empty.",
        "zh": "答案为空。",
    },
    "too_long": {
        "en": "the answer has {length} characters; at most {limit} are allowed. Write a shorter "
              "expression (the item's abbreviations help).",
        "zh": "答案有 {length} 个字符，最多允许 {limit} 个。请写得更短（可以使用本题给出的缩写）。",
    },
    "character": {
        "en": "the character '{char}' cannot be used in an answer{hint}.",
        "zh": "答案中不能使用字符“{char}”{hint}。",
    },
    "caret": {
        "en": "'^' is not a power in Python: use ** for powers, e.g. x**2.",
        "zh": "在 Python 中“^”不是乘方：乘方请用 **，例如 x**2。",
    },
    "unmatched_close": {
        "en": "this '{char}' has no matching opening bracket.",
        "zh": "这个“{char}”没有对应的左括号。",
    },
    "unclosed": {
        "en": "this '{char}' is never closed.",
        "zh": "这个“{char}”没有闭合。",
    },
    "mismatched": {
        "en": "'{char}' does not close the '{open}' of column {open_column}.",
        "zh": "“{char}”与第 {open_column} 列的“{open}”不匹配。",
    },
    "too_deep": {
        "en": "brackets are nested more than {limit} levels deep.",
        "zh": "括号嵌套超过 {limit} 层。",
    },
    "syntax": {
        "en": "the formula cannot be read here.",
        "zh": "此处无法解析公式。",
    },
    "too_complex": {
        "en": "the formula is nested more than {limit} operations deep.",
        "zh": "公式的运算嵌套超过 {limit} 层。",
    },
    "not_allowed": {
        "en": "{what} is not allowed in an answer; write a formula with numbers, the item's "
              "symbols, + - * / ** and the functions " + FUNCTIONS_TEXT + ".",
        "zh": "答案中不允许{what}；请只用数字、本题的符号、+ - * / ** 以及函数 " + FUNCTIONS_TEXT
              + " 书写公式。",
    },
    "unknown_function": {
        "en": "'{name}' is not an allowed function{suggestion}. Allowed: " + FUNCTIONS_TEXT + ".",
        "zh": "“{name}”不是允许的函数{suggestion}。允许的函数：" + FUNCTIONS_TEXT + "。",
    },
    "symbol_called": {
        "en": "'{name}' is a symbol, not a function; write {name}*(...) for a product.",
        "zh": "“{name}”是符号而不是函数；乘积请写成 {name}*(...)。",
    },
    "implicit_product": {
        "en": "a product needs '*': write (...)*(...), not (...)(...).",
        "zh": "乘积需要写“*”：应写成 (...)*(...)，而不是 (...)(...)。",
    },
    "missing_operator": {
        "en": "two terms follow each other without an operator; write * for a product, e.g. 2*x.",
        "zh": "两个量之间缺少运算符；乘积请写 *，例如 2*x。",
    },
    "arguments": {
        "en": "{name}() takes exactly one argument, written without a name.",
        "zh": "{name}() 只接受一个参数，且不能写参数名。",
    },
    "bare_function": {
        "en": "'{name}' is a function; call it with one argument, e.g. {name}(x).",
        "zh": "“{name}”是函数，需要带一个参数调用，例如 {name}(x)。",
    },
    "unknown_name": {
        "en": "'{name}' is not a symbol of this item{suggestion}. Allowed names: {allowed}.",
        "zh": "“{name}”不是本题的符号{suggestion}。允许的名字：{allowed}。",
    },
    "bad_number": {
        "en": "the number {text} is out of range (its size must be between 1e-300 and 1e300).",
        "zh": "数字 {text} 超出范围（绝对值须在 1e-300 与 1e300 之间）。",
    },
    "complex_number": {
        "en": "imaginary numbers are not allowed.",
        "zh": "不允许使用虚数。",
    },
    "exponent_too_large": {
        "en": "the exponent {value} is too large; a constant exponent must be a number between "
              "-{limit} and {limit} (fractions with a denominator up to {limit}).",
        "zh": "指数 {value} 太大；常数指数必须在 -{limit} 到 {limit} 之间（分数的分母不超过 {limit}）。",
    },
    "number_too_large": {
        "en": "this power of numbers would have more than {limit} digits.",
        "zh": "这个数的乘方结果将超过 {limit} 位。",
    },
    "undefined": {
        "en": "this part is undefined (a division by zero, or the log or square root of a "
              "negative number or zero).",
        "zh": "这一部分没有定义（除以零，或对零、负数取对数或开平方）。",
    },
}

EXPECTED = {
    "operand": {"en": "a number, a symbol, a function call or '('", "zh": "数字、符号、函数调用或“(”"},
    "operator": {"en": "an operator (+ - * / **) or ')'", "zh": "运算符（+ - * / **）或“)”"},
    "power": {"en": "'**'", "zh": "“**”"},
    "end": {"en": "the end of the answer", "zh": "答案结束"},
    "ascii": {"en": "plain ASCII: letters, digits, + - * / ** ( ) and '.'",
              "zh": "ASCII 字符：字母、数字、+ - * / ** ( ) 和“.”"},
    "opening": {"en": "an opening bracket earlier", "zh": "前面有对应的左括号"},
    "closing": {"en": "a matching '{want}' later", "zh": "后面有对应的“{want}”"},
    "match": {"en": "'{want}'", "zh": "“{want}”"},
    "shallower": {"en": "fewer nested brackets", "zh": "更少层的括号"},
    "simpler": {"en": "a simpler formula", "zh": "更简单的公式"},
    "formula": {"en": "a formula", "zh": "公式"},
    "function": {"en": "one of " + FUNCTIONS_TEXT, "zh": FUNCTIONS_TEXT + " 之一"},
    "multiply": {"en": "an operator such as '*' before '('", "zh": "“(”前的运算符，例如“*”"},
    "one_argument": {"en": "one argument", "zh": "一个参数"},
    "call": {"en": "'(' after the name", "zh": "名字后面的“(”"},
    "symbol": {"en": "one of the item's symbols", "zh": "本题的符号之一"},
    "smaller_number": {"en": "a smaller number", "zh": "更小的数"},
    "real_number": {"en": "a real number", "zh": "实数"},
    "smaller_exponent": {"en": "a smaller exponent", "zh": "更小的指数"},
    "defined": {"en": "an expression that is defined", "zh": "有定义的表达式"},
}

CONSTRUCTS = {
    "attribute": {"en": "attribute access ('.')", "zh": "属性访问（“.”）"},
    "lambda": {"en": "a lambda", "zh": "lambda 表达式"},
    "comprehension": {"en": "a comprehension", "zh": "推导式"},
    "subscript": {"en": "indexing with [ ]", "zh": "用 [ ] 取下标"},
    "compare": {"en": "a comparison", "zh": "比较运算"},
    "boolop": {"en": "'and'/'or'", "zh": "“and”/“or”"},
    "ifexp": {"en": "an if-expression", "zh": "if 表达式"},
    "string": {"en": "a string", "zh": "字符串"},
    "container": {"en": "a list, tuple, set or dict", "zh": "列表、元组、集合或字典"},
    "starred": {"en": "'*' unpacking", "zh": "“*”解包"},
    "walrus": {"en": "':='", "zh": "“:=”"},
    "fstring": {"en": "an f-string", "zh": "f 字符串"},
    "operator": {"en": "the operator '{op}'", "zh": "运算符“{op}”"},
    "keyword": {"en": "a keyword", "zh": "关键字"},
    "other": {"en": "this construct", "zh": "这种写法"},
}

CHARACTER_HINTS = {
    "−": {"en": "; type - instead", "zh": "，请改用 -"},
    "–": {"en": "; type - instead", "zh": "，请改用 -"},
    "×": {"en": "; type * instead", "zh": "，请改用 *"},
    "·": {"en": "; type * instead", "zh": "，请改用 *"},
    "⋅": {"en": "; type * instead", "zh": "，请改用 *"},
    "÷": {"en": "; type / instead", "zh": "，请改用 /"},
    "²": {"en": "; type **2 instead", "zh": "，请改用 **2"},
    "σ": {"en": "; type sigmoid(...) instead", "zh": "，请改用 sigmoid(...)"},
    "（": {"en": "; type ( instead", "zh": "，请改用英文括号 ("},
    "）": {"en": "; type ) instead", "zh": "，请改用英文括号 )"},
}

SUGGESTION = {"en": " (did you mean '{name}'?)", "zh": "（是不是“{name}”？）"}

VERDICTS = {
    "equivalent": {
        "en": "Correct: your answer equals the reference expression.",
        "zh": "正确：你的答案与参考表达式相等。",
    },
    "not_equivalent": {
        "en": "Not equal to the reference: at the point ({point}) your expression gives {student}, "
              "but the correct value is {reference}. Check your derivation, e.g. for a missing "
              "factor or term.",
        "zh": "与参考答案不相等：在点（{point}）处，你的表达式等于 {student}，正确值为 {reference}。"
              "请检查推导，例如是否漏了某个因子或某一项。",
    },
    "not_equivalent_undefined": {
        "en": "Not equal to the reference: at the point ({point}) your expression is undefined "
              "(for example a division by zero), but the correct value is {reference}.",
        "zh": "与参考答案不相等：在点（{point}）处你的表达式没有定义（例如除以零），正确值为 {reference}。",
    },
    "unparsable": {
        "en": "Your answer could not be read. {detail} Fix the expression and check it again.",
        "zh": "无法读取你的答案。{detail}请修改表达式后重新检查。",
    },
    "timeout": {
        "en": "Checking your answer took longer than {seconds:g} s and was stopped. Simplify the "
              "expression (for example use the abbreviations) and submit it again.",
        "zh": "检查你的答案超过 {seconds:g} 秒，已停止。请化简表达式（例如使用缩写）后重新提交。",
    },
    "unanswered": {
        "en": "No answer: the answer string is empty. Write your expression between the quotes.",
        "zh": "未作答：答案字符串为空。请把表达式写在引号之间。",
    },
    "error": {
        "en": "The checker failed on this answer ({reason}); it is not your fault. Tell the course "
              "staff; your answer will be checked by hand.",
        "zh": "检查程序处理此答案时出错（{reason}），这不是你的问题。请告知助教，你的答案将由人工检查。",
    },
}


def pick(table: dict, lang: str) -> str:
    """The entry of ``table`` in ``lang``, English for an unknown language."""
    return table.get(lang) or table["en"]


def format_point(point: dict) -> str:
    """{"f": 0.5, "g": -0.25} → "f = 0.5, g = -0.25" (the order of the item's symbols)."""
    return ", ".join(f"{k} = {format_value(v)}" for k, v in point.items())


def format_value(v) -> str:
    if v is None:
        return "undefined"
    return f"{v:.10g}"


def verdict_message(verdict: str, lang: str, **fields) -> str:
    return pick(VERDICTS[verdict], lang).format(**fields)
