"""One word table (issue 11 §2): every domain word is the same wherever it is shown, and every
official choice has an English word."""

import pytest

from jixiao.core.targets import parse_target, reading_fields
from jixiao.core.words import (CAUSES, GRADES, KIND_WORDS, LEVEL1, LIKELIHOODS, choice_word,
                               english, is_cost)
from jixiao.tui.i18n import label


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kind_of_a_target_has_one_name_in_explain_and_in_the_detail_pane(lang):
    target = parse_target("2023年6月底前完成", year=2023, category="时效指标")
    explained = dict(reading_fields(target, lang))
    shown = label("kinds", lang)[target.kind]
    assert shown in explained.values()
    assert label("kinds", lang) == KIND_WORDS[lang]
    if lang == "zh":
        assert shown == "时限"


def test_every_official_choice_has_an_english_word_and_keeps_its_term_beside_it():
    for term in (*GRADES, *LIKELIHOODS, *CAUSES, *LEVEL1):
        word = english(term)
        assert word != term and word.isascii()
        assert choice_word(term, "en") == f"{word} ({term})"
        assert choice_word(term) == term
    assert len({english(t) for t in (*GRADES, *LIKELIHOODS, *CAUSES)}) == 11


def test_the_form_and_the_store_offer_the_same_choices():
    assert label("grades", "en") == label("grades") == GRADES
    assert label("likelihoods", "en") == LIKELIHOODS


@pytest.mark.parametrize("level1,category,cost", [
    ("成本指标", "经济成本指标", True), ("产出指标", "成本指标", True), ("产出指标", "数量指标", False),
])
def test_a_cost_indicator_is_told_one_way(level1, category, cost):
    assert is_cost(level1, category) is cost

