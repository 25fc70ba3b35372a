"""Every reading is confident or needs review, with a reason a person can act on (issue 12 §1),
and the reading rules that follow the published practice (§3). Examples are our own."""

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.core.targets import measure_hint, parse_target


def read(text, category="", name="", level1=""):
    return parse_target(text, year=2024, level1=level1, category=category, name=name)


# --- doubtful texts need review, each with its own reason ------------------------------------

@pytest.mark.parametrize("text,category,name,why", [
    ("450", "数量指标", "巡查", "neither operator nor unit"),
    ("≥30万元", "成本指标", "宣传费用", "lower bound"),
    ("≥30万", "成本指标", "宣传费用", "lower bound"),
    ("按标准每餐发放45元/人次标准执行", "成本指标", "误餐补助", "part of a sentence"),
    ("第3批次验收后另定", "数量指标", "验收", "could not read"),
    ("严格执行标准120元/人发放", "成本指标", "交通补助", "part of a sentence"),
    ("2024315", "时效指标", "完成时间", "run together"),
    ("2024.3.15前完成验收2024615", "时效指标", "完成时间", "run together"),
    ("202409", "时效指标", "完成时间", "run together"),
    ("优秀", "社会效益指标", "群众评价", "scale"),
    ("良好", "质量指标", "工程质量", "scale"),
    ("800户", "社会效益指标", "惠及农户", "guess"),
])
def test_a_doubtful_text_needs_review_and_says_why(text, category, name, why):
    t = read(text, category, name)
    assert t.confidence == "needs review" and t.needs_review
    assert why in t.review, t.review
    assert t.review_text("zh") and t.review_text("zh") != t.review
    assert t.to_dict()["needs_review"] is True and t.source == "inferred"


@pytest.mark.parametrize("text,category,name", [
    ("≥120人次", "数量指标", "培训人次"),
    ("≤45万元", "成本指标", "印刷费"),
    ("36个", "数量指标", "建设站点数量"),
    ("≥92%", "质量指标", "验收合格率"),
    ("2024年9月底前", "时效指标", "完成时间"),
    ("按时", "时效指标", "完成及时性"),
    ("无", "社会效益指标", "重大安全事故"),
    ("≥800户", "社会效益指标", "惠及农户"),
])
def test_a_plain_text_is_confident(text, category, name):
    t = read(text, category, name)
    assert t.confidence == "confident" and t.review is None, t.review


def test_the_unit_of_a_standard_in_prose_is_the_per_unit_unit_and_it_is_a_cap():
    t = read("严格执行标准120元/人发放", "成本指标", "交通补助")
    assert (t.kind, t.value, t.unit, t.direction, t.measure) == (
        "quantity", 120, "元/人", "lower", "level")


def test_run_together_digits_are_not_read_as_a_count():
    t = read("2024315", "时效指标")
    assert t.kind == "qualitative" and not t.parsed
    # …but a real count of that size is a count.
    assert read("≥1500000份", "数量指标").value == 1500000


# --- §3: which targets are levels ------------------------------------------------------------

@pytest.mark.parametrize("text,category,name,measure,direction", [
    ("≥85", "效益指标", "林木覆盖率", "level", "higher"),
    ("≥3个", "效益指标", "每万人拥有文化站", "level", "higher"),
    ("≥2.5张", "数量指标", "每千人口床位数", "level", "higher"),
    ("≥15年", "数量指标", "设备使用年限", "level", "higher"),
    ("10年", "数量指标", "设计使用寿命", "level", "higher"),
    ("≥60平方米", "数量指标", "单间面积", "level", "higher"),
    ("≥1200元", "经济效益指标", "人均增收", "level", "higher"),
    ("≥90分", "满意度指标", "群众评分", "level", "higher"),
    ("≥40人", "数量指标", "培训人数", "cumulative", "higher"),
    ("≥6期", "数量指标", "每月简报期数", "cumulative", "higher"),
])
def test_rates_per_unit_values_specifications_and_satisfaction_are_levels(
        text, category, name, measure, direction):
    t = read(text, category, name)
    assert (t.measure, t.direction) == (measure, direction)


def test_a_name_hint_is_a_small_word_so_readings_are_shared():
    assert measure_hint("覆盖率") == measure_hint("入学率") == "level"
    assert measure_hint("每千人医生数") == "level"
    assert measure_hint("培训人次") == "count"
    assert measure_hint("宣传推介") == ""


@pytest.mark.parametrize("text,unit,direction,measure", [
    ("≤45万元", "万元", "lower", "level"),        # 成本: in range, not time-proportioned
    ("45万元", "万元", "lower", "level"),         # a bare amount under 成本 is a cap
    ("45万", "万元", "lower", "level"),           # 万 alone under 成本 means 万元
    ("180元/平方米", "元/平方米", "lower", "level"),  # a per-unit standard is a cap
    ("≤2000元/亩", "元/亩", "lower", "level"),
])
def test_cost_targets_are_caps_judged_in_range(text, unit, direction, measure):
    t = read(text, "成本指标", "建设成本", "成本指标")
    assert (t.unit, t.direction, t.measure) == (unit, direction, measure)


@pytest.mark.parametrize("category", ["质量指标", "时效指标", "成本指标"])
def test_quality_timeliness_and_cost_counts_are_levels(category):
    assert read("≥5次", category, "抽检").measure == "level"


# --- §3: a target that names its own period --------------------------------------------------

@pytest.mark.parametrize("text,start,end,kind", [
    ("2024.03-2024.09", date(2024, 3, 1), date(2024, 9, 30), "deadline"),
    ("2022年2月-11月", date(2022, 2, 1), date(2022, 11, 30), "deadline"),
    ("2024年4月至2025年3月", date(2024, 4, 1), date(2025, 3, 31), "deadline"),
    ("2024年5月-10月开展≥5场", date(2024, 5, 1), date(2024, 10, 31), "quantity"),
    ("9月起每月≥40人", date(2024, 9, 1), None, "quantity"),
])
def test_a_target_naming_its_own_period_carries_it(text, start, end, kind):
    t = read(text, "数量指标", "开展活动")
    assert (t.kind, t.start, t.deadline) == (kind, start, end)
    assert t.to_dict()["start"] == start.isoformat()


# --- qualitative targets written as a negative --------------------------------------------------

@pytest.mark.parametrize("text", ["否", "无", "没有", "安全生产事故零发生", "全年未发生重大舆情",
                                  "无重大安全事故"])
def test_a_negative_target_wants_the_negative_answer(text):
    t = read(text, "社会效益指标", "安全")
    assert (t.kind, t.wanted, t.review) == ("qualitative", "no", None)


def test_a_positive_target_wants_yes_by_default():
    assert read("按时完成", "时效指标").wanted is None


# --- never raises ---------------------------------------------------------------------------

_BITS = st.sampled_from(["≥", "≤", "=", "万", "万元", "元/人", "2023", "2024", "612", "7", "月",
                         "起", "-", ".", "至", "年", "每千人", "标准", "发放", "否", "零发生",
                         "优秀", "%", "率", " ", "0", "13", "32"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_BITS, max_size=10).map("".join), st.text(max_size=6),
       st.sampled_from(["", "成本指标", "数量指标", "质量指标", "社会效益指标", "时效指标"]))
def test_reading_never_raises_and_always_says_how_sure_it_is(text, name, category):
    t = parse_target(text, year=2024, category=category, name=name)
    assert t.confidence in ("confident", "needs review")
    assert (t.review is None) == (t.confidence == "confident")
    assert t.source == "inferred"
