"""Render the reference derivation: one self-contained HTML page (MathML, inline CSS, no script)
or markdown sections with LaTeX for the instructor's solution notebook."""
from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from solutions.derivation.catalogue import TEXTS
from solutions.derivation.content import sections
from solutions.derivation.mathml import to_latex, to_mathml

ASSIGNMENTS = ("nndl-ch6",)

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent)),
    undefined=jinja2.StrictUndefined,
    autoescape=jinja2.select_autoescape(["html", "html.j2"]),
)


def _texts(lang: str) -> dict:
    if lang not in TEXTS:
        raise ValueError(f"no derivation text in language {lang!r}; choose one of "
                         + ", ".join(sorted(TEXTS)))
    return TEXTS[lang]


def _fill(text: str, fields: dict) -> str:
    # Not str.format: the prose contains literal braces such as h_{t-1}.
    for name, value in fields.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _steps(lang: str, printer):
    texts = _texts(lang)
    for section in sections():
        yield section, texts[section.title], [
            (_fill(texts[step.text], step.fields),
             printer(step.formula) if step.formula is not None else None)
            for step in section.steps
        ]


def render_derivation_html(spec_name: str | None, lang: str) -> str:
    """The derivation page of exercises 6-3, 6-4, 6-5 in ``lang`` ("en" or "zh").

    ``spec_name`` is the assignment (None means the built-in nndl-ch6, the only one with a
    derivation). Formulas are SymPy expressions printed as presentation MathML.
    """
    if spec_name is not None and spec_name not in ASSIGNMENTS:
        raise ValueError(f"there is no reference derivation for assignment {spec_name!r}; "
                         f"available: {', '.join(ASSIGNMENTS)}")
    texts = _texts(lang)
    view = [
        {"key": section.key, "title": title,
         "steps": [{"text": text, "mathml": Markup(m) if m else None} for text, m in steps]}
        for section, title, steps in _steps(lang, to_mathml)
    ]
    return _ENV.get_template("page.html.j2").render(lang=lang, texts=texts, sections=view)


def derivation_markdown_sections(lang: str) -> list[str]:
    """The same content as markdown cells: one string per exercise, formulas as ``$$LaTeX$$``."""
    cells = []
    for _section, title, steps in _steps(lang, to_latex):
        lines = [f"## {title}", ""]
        for text, latex in steps:
            lines.append(text)
            lines.append("")
            if latex:
                lines += [f"$${latex}$$", ""]
        cells.append("\n".join(lines).rstrip() + "\n")
    return cells
