"""Does every mistake speak both languages, in full sentences a student can act on?"""
from __future__ import annotations

import re

import pytest

from grader.diagnosis.mistakes import MISTAKES, describe_mistake

PLACEHOLDER = re.compile(r"\{[a-z_]*\}|TODO|TBD|XXX|lorem", re.IGNORECASE)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("mistake_id", sorted(MISTAKES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_mistake_has_title_explanation_and_hint(mistake_id, lang):
    d = describe_mistake(mistake_id, lang)
    assert set(d) == {"id", "title", "explanation", "hint"} and d["id"] == mistake_id
    for key in ("title", "explanation", "hint"):
        text = d[key]
        assert text.strip() == text and len(text) >= 8, (key, text)
        assert not PLACEHOLDER.search(text), (key, text)
        assert bool(CJK.search(text)) == (lang == "zh"), (key, text)


def test_an_unknown_language_falls_back_to_english():
    assert describe_mistake("h0_zeros", "fr") == describe_mistake("h0_zeros", "en")


def test_the_words_of_one_mistake():
    assert describe_mistake("no_dh_accumulation", "en") == {
        "id": "no_dh_accumulation",
        "title": "dh_prev not added to dh[t]",
        "explanation": "h_t reaches the loss directly (dh[:, :, t]) and through the later steps (dh_prev returned "
                       "by step t + 1). Your gradients match using dh[:, :, t] alone at every step, so nothing "
                       "flows back through the hidden state.",
        "hint": "At each step pass dh[:, :, t] + dh_prev to the cell's backward, then keep its dh_prev for "
                "step t − 1.",
    }
    assert describe_mistake("gru_z_swapped", "zh")["title"] == "GRU 更新中 z 与 1 − z 互换了"


def test_an_unknown_mistake_lists_the_known_ones():
    with pytest.raises(KeyError, match="no mistake 'nope'; known mistakes: bias_grad_axis, candidate_sigmoid"):
        describe_mistake("nope")


def test_forms_are_given_only_for_listed_functions():
    for m in MISTAKES.values():
        assert set(m.forms) <= set(m.items), m.id
        assert set(m.cache_forms) <= set(m.cache_items), m.id
        assert m.detected_by in ("numbers", "source", "keys")
