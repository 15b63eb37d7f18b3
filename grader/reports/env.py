"""The Jinja2 environment of the reports: strict, autoescaping, templates from this package."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .assets import CSS


@lru_cache(maxsize=None)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("grader.reports", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["css"] = CSS
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
