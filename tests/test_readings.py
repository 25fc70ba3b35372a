"""Reading what owners record against a target (issue 3): numbers, units, dates, grades."""

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.core.readings import GRADE_SYNONYMS, check_actual, expected_input, read_actual
from jixiao.core.targets import parse_target
from jixiao.core.units import convert, family


def target(text, category=""):
    return parse_target(text, year=2023, category=category)


@pytest.mark.parametrize("text,target_text,value", [
    ("3", "≥8个", 3),
    ("3个", "≥8个", 3),
    (" 3 个 ", "≥8个", 3),
    ("３个", "≥8个", 3),
    ("0.5亿元", "≤89万元", 5000),
    ("400000元", "≤89万元", 40),
    ("40.1", "≤89万元", 40.1),
    ("1,200份", "≥170000份", 1200),
    ("17万份", "≥170000份", 170000),
    ("1.5万人次", "≥500人次", 15000),
    ("95%", "≥95%", 95),
    ("95", "≥95%", 95),
    ("95百分比", "≥95%", 95),
    ("30分钟", "≥25分钟", 30),
    ("0.5小时", "≥25分钟", 30),
    ("1.5", "1-2天，急件优先", 1.5),
    ("600元/亩", "<=600元/亩", 600),
    ("0.06万元/亩", "<=600元/亩", 600),
    ("6.5", "180", 6.5),
])
def test_numbers_are_read_in_the_targets_unit(text, target_text, value):
    r = read_actual(text, target(target_text))
    assert r.ok and r.kind == "number"
    assert r.value == pytest.approx(value)


@pytest.mark.parametrize("text,target_text,message", [
    ("达成", "≤89万元", "needs a number in 万元"),
    ("3人", "≥8个", "needs a number in 个"),
    ("3个", "≥95%", "needs a percentage, e.g. 95%"),
    ("", "≥8个", "needs a number in 个"),
    ("-3", "≥8个", "needs a number in 个"),
    ("≥8个", "≥8个", "needs a number in 个"),
    ("5元/人", "<=600元/亩", "needs a number in 元/亩"),
    ("3", "及时", "needs a grade: 达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)"),
    ("好", "及时", "needs a grade: 达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)"),
    ("明天", "2023年6月底前", "needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)"),
    ("120%", "2023年6月底前", "percent done must be between 0 and 100%"),
    ("2023-02-30", "2023年6月底前", "the completion date 2023-02-30 does not exist: February 2023 has 28 days"),
    ("2023-02-30完成", "2023年6月底前", "the completion date 2023-02-30 does not exist: February 2023 has 28 days"),
])
def test_values_that_do_not_fit_are_refused_with_what_is_expected(text, target_text, message):
    assert check_actual(text, target(target_text)) == message


@pytest.mark.parametrize("word,grade", [
    ("达成", "达成"), ("部分达成", "部分达成"), ("未达成", "未达成"),
    ("是", "达成"), ("否", "未达成"),
    ("合格", "达成"), ("不合格", "未达成"),
    ("及时", "达成"), ("不及时", "未达成"),
    ("基本完成", "部分达成"), (" 已完成 ", "达成"),
])
def test_grades_and_their_synonyms(word, grade):
    r = read_actual(word, target("及时", "时效指标"))
    assert (r.kind, r.grade) == ("grade", grade)
    assert check_actual(word, target("测评结果合格")) is None


@pytest.mark.parametrize("text,kind,done_on,value", [
    ("2023-06-20", "date", date(2023, 6, 20), None),
    ("2023年6月20日", "date", date(2023, 6, 20), None),
    ("6月20日完成", "date", date(2023, 6, 20), None),
    ("60%", "percent", None, 60),
    ("60", "percent", None, 60),
    ("100%", "percent", None, 100),
    ("完成", "percent", None, 100),
])
def test_deadlines_take_a_completion_date_or_percent_done(text, kind, done_on, value):
    r = read_actual(text, target("2023年6月底前完成等级保护测评", "时效指标"))
    assert (r.kind, r.done_on, r.value) == (kind, done_on, value)


def test_every_synonym_maps_to_one_of_the_three_grades():
    assert set(GRADE_SYNONYMS.values()) == {"达成", "部分达成", "未达成"}


@pytest.mark.parametrize("a,b,ok", [
    ("万元", "元", True), ("亿元", "万元", True), ("万人次", "人次", True), ("万份", "份", True),
    ("百分比", "%", True), ("分钟", "小时", True), ("万元/亩", "元/亩", True),
    ("元/亩", "元/人", False), ("个", "人", False), ("万元", "%", False),
])
def test_unit_families(a, b, ok):
    assert (convert(1.0, a, b) is not None) is ok
    assert (family(a)[0] == family(b)[0]) is ok


def test_conversion_goes_both_ways():
    assert convert(0.5, "亿元", "万元") == pytest.approx(5000)
    assert convert(5000, "万元", "亿元") == pytest.approx(0.5)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_reading_never_raises(text):
    for t in ("≥8个", "≤89万元", "及时", "2023年6月底前", "1-2天", "≥95%"):
        r = read_actual(text, target(t))
        assert r.ok == (r.error is None)


# --- messages in both languages (the TUI form shows them in the UI language) ------------------

# value, target text, category → English message, Chinese message; one row per kind of refusal.
REFUSALS = [
    ("3人", "≥8个", "数量指标", "needs a number in 个", "需要以个为单位的数字"),
    ("达成", "≤89万元", "成本指标", "needs a number in 万元", "需要以万元为单位的数字"),
    ("5元/人", "<=600元/亩", "", "needs a number in 元/亩", "需要以元/亩为单位的数字"),
    ("三", "180", "", "needs a number", "需要数字"),
    ("3个", "≥95%", "", "needs a percentage, e.g. 95%", "需要百分比，如 95%"),
    ("很快", "1-2天，急件优先", "时效指标", "needs a number in 天", "需要以天为单位的数字"),
    ("明天", "2023年6月底前", "时效指标",
     "needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)",
     "需要完成日期（YYYY-MM-DD）或完成百分比（如 60%）"),
    ("120%", "2023年6月底前", "时效指标", "percent done must be between 0 and 100%",
     "完成百分比须在 0 到 100% 之间"),
    ("好", "及时", "时效指标",
     "needs a grade: 达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)",
     "需要评定：达成、部分达成或未达成（也可写是/否、合格/不合格、及时/不及时）"),
    ("", "及时", "", "needs a grade: 达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)",
     "需要评定：达成、部分达成或未达成（也可写是/否、合格/不合格、及时/不及时）"),
]


@pytest.mark.parametrize("text,target_text,category,en,zh", REFUSALS)
def test_refusals_come_in_english_and_chinese(text, target_text, category, en, zh):
    t = target(target_text, category)
    assert check_actual(text, t, lang="en") == en
    assert check_actual(text, t, lang="zh") == zh
    assert check_actual(text, t) == en                 # the default stays English (the store)
    r = read_actual(text, t)
    assert (r.error, r.message("en"), r.message("zh")) == (en, en, zh)


@pytest.mark.parametrize("text,target_text,category,en,zh", REFUSALS)
def test_the_same_text_is_refused_in_either_language_whichever_comes_first(
        text, target_text, category, en, zh):
    # Readings are cached; asking in Chinese first must not leave an English-only reading behind.
    t = target(target_text, category)
    assert check_actual(text, t, lang="zh") == zh
    assert check_actual(text, t, lang="en") == en


@pytest.mark.parametrize("text,target_text", [
    ("3个", "≥8个"), ("0.5亿元", "≤89万元"), ("2023-06-20", "2023年6月底前"), ("合格", "及时"),
])
def test_a_value_that_fits_has_no_message_in_either_language(text, target_text):
    t = target(target_text)
    assert check_actual(text, t, lang="zh") is None and check_actual(text, t, lang="en") is None
    assert read_actual(text, t).message("zh") is None


@pytest.mark.parametrize("target_text,category,en,zh", [
    ("≥8个", "数量指标", "needs a number in 个", "需要以个为单位的数字"),
    ("6.5", "", "needs a number", "需要数字"),
    ("≥95%", "", "needs a percentage, e.g. 95%", "需要百分比，如 95%"),
    ("1-2天", "时效指标", "needs a number in 天", "需要以天为单位的数字"),
    ("2023年6月底前", "时效指标",
     "needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)",
     "需要完成日期（YYYY-MM-DD）或完成百分比（如 60%）"),
    ("及时", "", "needs a grade: 达成, 部分达成 or 未达成 (or 是/否, 合格/不合格, 及时/不及时)",
     "需要评定：达成、部分达成或未达成（也可写是/否、合格/不合格、及时/不及时）"),
])
def test_expected_input_in_both_languages(target_text, category, en, zh):
    t = target(target_text, category)
    assert expected_input(t) == en
    assert expected_input(t, "en") == en
    assert expected_input(t, lang="zh") == zh
