"""One word table (issue 11 §2): every domain word is the same wherever it is shown, and every
official choice has an English word."""

import pytest

from jixiao.core.targets import parse_target, reading_fields
from jixiao.core.words import (CAUSES, GRADES, KIND_WORDS, LEVEL1, LIKELIHOODS, choice_term,
                               choice_word, choice_words, english, is_cost, value_word)
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


def test_a_choice_is_named_by_its_term_or_its_english_word():
    assert choice_term("有可能", LIKELIHOODS) == "有可能"
    assert choice_term(" Possible ", LIKELIHOODS) == "有可能"
    assert choice_term("equipment", CAUSES) == "硬件条件保障"
    assert choice_term("funding", LIKELIHOODS) is None
    assert choice_term("maybe", LIKELIHOODS) is None
    assert choice_words(("经费保障", "其他"), "zh") == "经费保障、其他"
    assert choice_words(("经费保障", "其他"), "en") == "funding (经费保障), other (其他)"


@pytest.mark.parametrize("level1,category,cost", [
    ("成本指标", "经济成本指标", True), ("产出指标", "成本指标", True), ("产出指标", "数量指标", False),
])
def test_a_cost_indicator_is_told_one_way(level1, category, cost):
    assert is_cost(level1, category) is cost



def test_a_recorded_grade_reads_in_english_only_in_english():
    assert value_word("部分达成", "en") == "partly achieved (部分达成)"
    assert value_word("部分达成", "en", beside=False) == "partly achieved"
    assert value_word("部分达成") == "部分达成"
    assert value_word("3个", "en") == "3个" and value_word("其他", "en") == "其他"
