"""Fixtures of the report tests."""
from __future__ import annotations

import pytest

from grader.reports import mistakes

FIXED = {
    "gate_activation_swapped": ("A gate uses the wrong activation", "Gates take values in (0, 1).", "Use sigmoid for every gate."),
}


@pytest.fixture
def fixed_mistakes(monkeypatch):
    """Diagnosis texts that do not change when the diagnosis catalogue is edited (for goldens and
    verbatim texts); an id outside FIXED is shown by its id, as the real lookup does."""
    def describe(mistake_id: str, lang: str) -> dict:
        title, explanation, hint = FIXED.get(mistake_id, (mistake_id, "", ""))
        return {"id": mistake_id, "title": f"[{lang}] {title}", "explanation": explanation, "hint": hint}

    import grader.reports.summary as summary
    import grader.reports.views as views

    monkeypatch.setattr(views, "describe", describe)
    monkeypatch.setattr(summary, "describe", describe)
    mistakes.describe.cache_clear()
    yield describe
