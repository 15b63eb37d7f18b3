"""A free answer as it was written: Markdown and LaTeX rendered on the server, nothing run in the page.

Markdown goes through markdown-it-py's CommonMark parser with raw HTML off, so every ``<tag>`` a
student typed comes out as text. LaTeX between ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]``
(outside code) becomes MathML with latex2mathml, then passes the reports' MathML allow-list
(``grader.reports.mathml.safe_mathml``); a formula either cannot convert or fails the list is shown
as its source, in code. Browsers draw MathML themselves: no script, no font download.
Images: ``![...](attachment:NAME)`` points at the image the notebook attached, served by the app
from the gradebook; any other image address is shown as its alt text (the page loads nothing else).
"""
from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from typing import Callable, Optional

from markupsafe import Markup, escape

from grader.reports.mathml import safe_mathml

_CODE = re.compile(r"(```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`)", re.DOTALL)
_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|(?<![\\$])\$([^$\n]+?)\$(?!\d)", re.DOTALL)
# presentation attributes kept from latex2mathml's output (the allow-list rejects the rest)
_KEEP_ATTRS = {"display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
               "linethickness", "displaystyle", "scriptlevel", "open", "close", "separators"}


def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def latex_to_mathml(latex: str, display: bool) -> Optional[Markup]:
    """Allow-listed MathML of a formula, or None."""
    from latex2mathml.converter import convert

    try:
        root = ET.fromstring(convert(latex, display="block" if display else "inline"))
    except Exception:  # latex2mathml raises many kinds on malformed input: the source is shown instead
        return None
    for el in root.iter():
        for k in list(el.attrib):
            if k.split("}", 1)[-1] not in _KEEP_ATTRS:
                del el.attrib[k]
    return safe_mathml(ET.tostring(root, encoding="unicode"), display="block" if display else "inline")


def render_answer(text: str, image_url: Callable[[str], Optional[str]]) -> Markup:
    """HTML of an answer. ``image_url(name)`` is the app's URL of an attached image, or None."""
    nonce = secrets.token_hex(6)
    formulas: list[Markup] = []

    def hold(m: re.Match) -> str:
        display = m.group(1) is not None or m.group(2) is not None
        latex = next(g for g in m.groups() if g is not None)
        html = latex_to_mathml(latex.strip(), display) or Markup("<code class=\"tex\">{}</code>").format(m.group(0))
        formulas.append(html)
        mark = f"mathx{nonce}x{len(formulas) - 1}x"
        return f"\n\n{mark}\n\n" if display else mark

    parts = _CODE.split(text or "")
    held = "".join(p if i % 2 else _MATH.sub(hold, p) for i, p in enumerate(parts))
    md = _markdown()

    def image(self, tokens, idx, options, env):
        tok = tokens[idx]
        src = str(tok.attrGet("src") or "")
        alt = self.renderInlineAsText(tok.children or [], options, env)
        url = image_url(src[len("attachment:"):]) if src.startswith("attachment:") else None
        if url is None:
            return str(escape(f"[{alt or src}]"))
        return f'<img class="answer" src="{escape(url)}" alt="{escape(alt)}">'

    md.add_render_rule("image", image)
    html = md.render(held)
    for n, formula in enumerate(formulas):
        mark = f"mathx{nonce}x{n}x"
        html = html.replace(f"<p>{mark}</p>", str(formula)).replace(mark, str(formula))
    return Markup(html)
