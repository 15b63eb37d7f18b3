"""A free answer as it was written: Markdown and LaTeX rendered on the server, nothing run in the page.

Markdown goes through markdown-it-py's CommonMark parser with raw HTML off, so every ``<tag>`` a
student typed comes out as text. LaTeX between ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]``
(outside code) becomes MathML with latex2mathml, then passes the reports' MathML allow-list
(``grader.reports.mathml.safe_mathml``); a formula either cannot convert or fails the list is shown
as its source, in code. Browsers draw MathML themselves: no script, no font download.
Images: ``![...](attachment:NAME)`` points at the image the notebook attached, served by the app
from the gradebook; any other image address is shown as its alt text (the page loads nothing else).

Formulas are found by a scan that is linear in the answer's length (a regular expression with lazy
``.+?`` searched to the end for each unclosed ``\\(``: quadratic, minutes for 100 kB), are replaced by
placeholders before Markdown, and put back only where Markdown left them as text: a placeholder inside
an attribute (a link's address or title, an image's alt) gets the formula's source, escaped. An answer
longer than ``MAX_RENDER_CHARS`` is shown as escaped plain text.
"""
from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from typing import Callable, Optional

from markupsafe import Markup, escape

from grader.reports.mathml import safe_mathml

_CODE = re.compile(r"(```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`)", re.DOTALL)
_OPENER = re.compile(r"\$|\\[\[(]")
_PAIRED = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False))  # (open, close, display)
_INLINE_END = re.compile(r"[$\n]")
_TAG = re.compile(r"(<[^>]*>)")  # markdown-it escapes < > " inside attributes: a tag ends at the first >
MAX_RENDER_CHARS = 100_000  # far above any written answer; markdown-it needs about a second for this much
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


def find_formulas(text: str):
    """``(start, end, latex, display)`` of each formula of ``text``, left to right, in linear time.

    Delimiters: ``$$...$$`` and ``\\[...\\]`` (display), ``\\(...\\)`` and ``$...$`` (inline; not after
    ``\\`` or ``$``, on one line, not closed by a ``$`` that a digit follows: "$5 and $6"). A closing
    delimiter is searched once per kind: when none follows an opener, none follows a later one either.
    """
    unclosed: set = set()
    i = 0
    while (m := _OPENER.search(text, i)) is not None:
        s = m.start()
        found = None
        for opener, closer, display in _PAIRED:
            if opener in unclosed or not text.startswith(opener, s):
                continue
            e = text.find(closer, s + len(opener) + 1)  # a formula holds at least one character
            if e < 0:
                unclosed.add(opener)
                continue
            found = (s, e + len(closer), text[s + len(opener):e], display)
            break
        if found is None and text[s] == "$" and (s == 0 or text[s - 1] not in "\\$"):
            end = _INLINE_END.search(text, s + 1)
            if end is not None and text[end.start()] == "$" and end.start() > s + 1 and \
                    not text[end.end():end.end() + 1].isdecimal():
                found = (s, end.end(), text[s + 1:end.start()], False)
        if found is None:
            i = s + 1
        else:
            yield found
            i = found[1]


def render_answer(text: str, image_url: Callable[[str], Optional[str]]) -> Markup:
    """HTML of an answer. ``image_url(name)`` is the app's URL of an attached image, or None."""
    text = text or ""
    if len(text) > MAX_RENDER_CHARS:
        return Markup('<pre class="raw">{}</pre>').format(text)
    nonce = secrets.token_hex(6)
    formulas: list[Markup] = []
    sources: list[str] = []

    def hold(part: str) -> str:
        pieces, k = [], 0
        for start, end, latex, display in find_formulas(part):
            source = part[start:end]
            html = latex_to_mathml(latex.strip(), display) or Markup("<code class=\"tex\">{}</code>").format(source)
            formulas.append(html)
            sources.append(source)
            mark = f"mathx{nonce}x{len(formulas) - 1}x"
            pieces += [part[k:start], f"\n\n{mark}\n\n" if display else mark]
            k = end
        return "".join(pieces) + part[k:]

    parts = _CODE.split(text)
    held = "".join(p if i % 2 else hold(p) for i, p in enumerate(parts))
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
    for n, formula in enumerate(formulas):  # a display formula alone in its paragraph replaces it
        html = html.replace(f"<p>mathx{nonce}x{n}x</p>", str(formula))
    mark = re.compile(f"mathx{nonce}x(\\d+)x")
    pieces = _TAG.split(html)  # odd pieces are tags: a placeholder there is in an attribute's value
    for k, piece in enumerate(pieces):
        if k % 2:
            pieces[k] = mark.sub(lambda m: str(escape(sources[int(m.group(1))])), piece)
        else:
            pieces[k] = mark.sub(lambda m: str(formulas[int(m.group(1))]), piece)
    return Markup("".join(pieces))
