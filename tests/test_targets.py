"""Reading 指标值 into targets (issue 3): every written form, the seed tables, never raising."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.core.targets import (KINDS, Target, describe, infer_measure, operator_text, parse_target,
                          reading_fields)

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


def read(text, category="", level1="", measure=None, year=2023) -> Target:
    return parse_target(text, year=year, level1=level1, category=category, measure=measure)


# text, category → kind, op, value, unit, direction, measure
NUMERIC = [
    ("≥8个", "数量指标", "quantity", ">=", 8, "个", "higher", "cumulative"),
    ("≥170000份", "数量指标", "quantity", ">=", 170000, "份", "higher", "cumulative"),
    ("38个", "数量指标", "quantity", "=", 38, "个", "higher", "cumulative"),
    ("24期", "数量指标", "quantity", "=", 24, "期", "higher", "cumulative"),
    ("≤4人", "数量指标", "quantity", "<=", 4, "人", "lower", "cumulative"),
    ("≥154.3万元", "", "quantity", ">=", 154.3, "万元", "higher", "cumulative"),
    ("≤89万元", "成本指标", "quantity", "<=", 89, "万元", "lower", "level"),
    ("89万元", "成本指标", "quantity", "=", 89, "万元", "lower", "level"),
    ("≥25分钟", "质量指标", "quantity", ">=", 25, "分钟", "higher", "level"),
    ("100%", "质量指标", "rate", "=", 100, "%", "higher", "level"),
    ("≥95%", "服务对象满意度指标", "rate", ">=", 95, "%", "higher", "level"),
    ("≥95百分比", "服务对象满意度指标", "rate", ">=", 95, "百分比", "higher", "level"),
    (">=85%", "", "rate", ">=", 85, "%", "higher", "level"),
    ("<=600元/亩", "", "quantity", "<=", 600, "元/亩", "lower", "level"),
    ("=250天", "时效指标", "quantity", "=", 250, "天", "exact", "level"),
    ("=98百分比", "", "rate", "=", 98, "百分比", "higher", "level"),
    ("不低于95%", "", "rate", ">=", 95, "%", "higher", "level"),
    ("不少于8个", "数量指标", "quantity", ">=", 8, "个", "higher", "cumulative"),
    ("不超过89万元", "成本指标", "quantity", "<=", 89, "万元", "lower", "level"),
    ("低于5%", "", "rate", "<", 5, "%", "lower", "level"),
    ("高于3个", "数量指标", "quantity", ">", 3, "个", "higher", "cumulative"),
    ("90%以上", "", "rate", ">=", 90, "%", "higher", "level"),
    ("5%以内", "", "rate", "<=", 5, "%", "lower", "level"),
    ("5天内", "时效指标", "quantity", "<=", 5, "天", "lower", "level"),
    ("≥９５％", "", "rate", ">=", 95, "%", "higher", "level"),
    ("＞3个", "数量指标", "quantity", ">", 3, "个", "higher", "cumulative"),
    ("≧ 3 个", "数量指标", "quantity", ">=", 3, "个", "higher", "cumulative"),
    ("≥3.75万元", "效益指标", "quantity", ">=", 3.75, "万元", "higher", "cumulative"),
    ("≥100元/人", "", "quantity", ">=", 100, "元/人", "higher", "level"),
    ("≥500人次", "数量指标", "quantity", ">=", 500, "人次", "higher", "cumulative"),
    ("≥2万人次", "数量指标", "quantity", ">=", 2, "万人次", "higher", "cumulative"),
    ("≥300平方米", "数量指标", "quantity", ">=", 300, "平方米", "higher", "cumulative"),
    ("≤0.5亿元", "成本指标", "quantity", "<=", 0.5, "亿元", "lower", "level"),
    ("≥1,000份", "数量指标", "quantity", ">=", 1000, "份", "higher", "cumulative"),
    ("≥12批次", "数量指标", "quantity", ">=", 12, "批次", "higher", "cumulative"),
    ("6.5", "数量指标", "quantity", "=", 6.5, None, "higher", "cumulative"),
    ("180", "数量指标", "quantity", "=", 180, None, "higher", "cumulative"),
    ("45人", "数量指标", "quantity", "=", 45, "人", "higher", "cumulative"),
]


@pytest.mark.parametrize("text,category,kind,op,value,unit,direction,measure", NUMERIC)
def test_numeric_forms_read_as_intended(text, category, kind, op, value, unit, direction, measure):
    t = read(text, category)
    assert (t.kind, t.op, t.value, t.unit, t.direction, t.measure) == (
        kind, op, value, unit, direction, measure)
    assert t.text == text and t.parsed
    if unit is None and t.op == "=":
        assert t.confidence == "needs review" and "neither operator nor unit" in t.review
    else:
        assert t.review is None and t.confidence == "confident"


DEADLINES = [
    ("2023年6月底前完成等级保护测评", date(2023, 6, 30), "完成等级保护测评"),
    ("2023年12月底前", date(2023, 12, 31), None),
    ("2023年上半年", date(2023, 6, 30), None),
    ("2023年下半年", date(2023, 12, 31), None),
    ("2024年10月", date(2024, 10, 31), None),
    ("2023年11月30日前", date(2023, 11, 30), None),
    ("11月底到位", date(2023, 11, 30), "到位"),
    ("第三季度", date(2023, 9, 30), None),
    ("2023年第一季度", date(2023, 3, 31), None),
    ("年底前", date(2023, 12, 31), None),
    ("年底前完成", date(2023, 12, 31), "完成"),
    ("2022年3月-11月", date(2022, 11, 30), None),
    ("2023年3月至2023年11月", date(2023, 11, 30), None),
    ("2023-06-30", date(2023, 6, 30), None),
    ("2月底前", date(2023, 2, 28), None),
    ("6月中旬前", date(2023, 6, 20), None),
]


@pytest.mark.parametrize("text,deadline,note", DEADLINES)
def test_dates_read_as_deadlines_in_the_budget_year(text, deadline, note):
    t = read(text, "时效指标")
    assert (t.kind, t.deadline, t.note, t.review) == ("deadline", deadline, note, None)
    assert t.direction is None and t.measure is None


def test_month_ends_follow_the_calendar():
    assert read("2月底前", year=2024).deadline == date(2024, 2, 29)


def test_a_date_without_a_year_takes_the_budget_year():
    assert read("11月底到位", year=2025).deadline == date(2025, 11, 30)


@pytest.mark.parametrize("text", [
    "及时", "落实", "是", "持续", "有所提升", "效果显著", "测评结果合格", "符合国家及行业标准",
    "即收即发，急件优先", "扩大天津与国际企业交流，加强招商引资", "年内未发生安全事故",
])
def test_words_only_are_qualitative_and_need_no_review(text):
    t = read(text, "社会效益指标")
    assert (t.kind, t.parsed, t.review, t.value, t.deadline) == ("qualitative", True, None, None, None)


def test_range_keeps_its_remark_as_note():
    t = read("1-2天，急件优先", "时效指标")
    assert (t.kind, t.low, t.high, t.unit, t.note, t.measure) == ("range", 1, 2, "天", "急件优先", "level")


def test_percent_range():
    t = read("80%-90%")
    assert (t.kind, t.low, t.high, t.unit) == ("range", 80, 90, "%")


@pytest.mark.parametrize("text", [
    "全年共开展培训12期，参训人员满意度达到95%",   # two numbers: two targets in one cell
    "第2批次完成后再定",                            # a number inside a sentence
    "6月底前完成招标，12月底前完成验收",             # several dates
    "约50万元",                                      # approximate
    "≥8特别复杂",                                    # a unit jixiao does not know
])
def test_numbers_that_cannot_be_read_with_confidence_are_flagged(text):
    t = read(text)
    assert t.review, text
    assert t.text == text


def test_a_cost_with_a_lower_bound_is_flagged_not_changed():
    t = read("≥154.3万元", "成本指标", "产出指标")
    assert (t.op, t.direction) == (">=", "higher")
    assert "≤" in t.review


def test_empty_text_is_flagged():
    t = read("   ")
    assert (t.kind, t.parsed) == ("qualitative", False) and t.review


def test_measure_override_wins_over_inference():
    assert read("≥95%", "质量指标", measure="cumulative").measure == "cumulative"
    assert read("≥8个", "数量指标", measure="level").measure == "level"
    bad = read("≥8个", "数量指标", measure="sometimes")
    assert bad.measure == "cumulative" and "sometimes" in bad.review


@pytest.mark.parametrize("kind,unit,category,expected", [
    ("quantity", "个", "数量指标", "cumulative"),
    ("quantity", "万元", "成本指标", "level"),
    ("quantity", "万元", "经济效益指标", "cumulative"),
    ("quantity", "分钟", "质量指标", "level"),
    ("rate", "%", "数量指标", "level"),
    ("quantity", "元/亩", "", "level"),
    ("quantity", "人", "服务对象满意度指标", "level"),
    ("deadline", None, "时效指标", None),
])
def test_infer_measure(kind, unit, category, expected):
    assert infer_measure(kind, unit, category=category) == expected


def test_to_dict_is_json_ready():
    d = read("2023年6月底前完成等级保护测评").to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["deadline"] == "2023-06-30" and d["text"] == "2023年6月底前完成等级保护测评"
    assert set(d) == {"text", "kind", "op", "value", "low", "high", "unit", "deadline",
                      "direction", "measure", "note", "parsed", "review", "needs_review",
                      "source", "start", "wanted"}
    assert d["source"] == "inferred" and d["needs_review"] is False


def test_describe_says_how_it_was_read():
    assert describe(read("≥8个", "数量指标")) == "quantity: at least 8 个, cumulative"
    assert describe(read("≥8个", "数量指标"), "zh") == "数量：不低于 8个，累计"
    assert describe(read("2023年上半年")) == "deadline: done by 2023-06-30"
    assert describe(read("及时")).startswith("qualitative")


# --- never raises ----------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "≥", "≤", ">", "<", "=", ">=", "<=", "＞", "％", "%", "不低于", "以上", "以内", "-", "~", "至",
    "年", "月", "日", "底", "前", "季度", "上半年", "万元", "亿元", "元/亩", "个", "人次", "，", ",",
    ".", "0", "1", "12", "2023", "９", "3.5", " ", "\t", "第", "三", "（", ")", "百分比", "/",
])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=12).map("".join)))
def test_parsing_never_raises_and_keeps_the_text(text):
    t = parse_target(text, year=2023, category="数量指标")
    assert t.text == text
    assert t.kind in KINDS
    json.dumps(t.to_dict(), ensure_ascii=False)
    if t.kind in ("quantity", "rate"):
        assert t.value is not None and t.direction in ("higher", "lower", "exact")
    if t.kind == "deadline":
        assert t.deadline is not None
    if t.kind == "range":
        assert t.low <= t.high


def test_non_string_input_does_not_raise():
    assert parse_target(None, year=2023).kind == "qualitative"
    assert parse_target(95, year=2023).kind == "quantity"


# --- the seed tables ---------------------------------------------------------------------------

# Every distinct 指标值 of the seed with the kind it must read as.
SEED_KINDS = {
    "≥8个": "quantity", "≥300人": "quantity", "≥5类": "quantity", "≥11个": "quantity",
    "≥1个": "quantity", "≥1项": "quantity", "≥200种": "quantity", "≥260份": "quantity",
    "≥7类": "quantity", "≥2个": "quantity", "≥5台": "quantity", "≥6类": "quantity",
    "38个": "quantity", "≥4类": "quantity", "≥5项": "quantity", "≥155人": "quantity",
    "≤4人": "quantity", "≥170000份": "quantity", "≥300000份": "quantity", "2项": "quantity",
    "≥12期": "quantity", "≥365个": "quantity", "24期": "quantity", "1个": "quantity",
    "≥25分钟": "quantity", "≥20秒": "quantity",
    "≤89万元": "quantity", "≤80万元": "quantity", "≤59.5万元": "quantity", "≤43万元": "quantity",
    "≤5万元": "quantity", "≤50万元": "quantity", "≤161.59万元": "quantity",
    "≤16.61万元": "quantity", "≥154.3万元": "quantity", "≤130万元": "quantity",
    "≤3.9万元": "quantity", "≤3万元": "quantity", "≤10.06万元": "quantity",
    "≤15万元": "quantity", "≤23.7万元": "quantity", "≤35万元": "quantity",
    "≤21.47万元": "quantity", "≤51.52万元": "quantity", "≤11万元": "quantity",
    "≤9万元": "quantity", "≤20万元": "quantity", "≤200万元": "quantity", "≤10万元": "quantity",
    "100%": "rate", "≥95%": "rate", "≥98%": "rate", "≥99%": "rate", "95%": "rate",
    "≥95百分比": "rate", "≥90%": "rate",
    "1-2天，急件优先": "range",
    "2023年6月底前完成等级保护测评": "deadline", "2023年上半年": "deadline",
    "2023年6月底前完成项目": "deadline", "2023年12月底前": "deadline",
}


def _seed_rows():
    from jixiao.core.tables import read_tables

    return [row for table in read_tables(SEED).tables for row in table.rows]


def test_all_128_seed_targets_read_into_the_intended_kind():
    rows = _seed_rows()
    assert len(rows) == 128
    kinds = Counter()
    reviews = []
    for row in rows:
        t = read(row.target_text, row.category, row.level1)
        assert t.text == row.target_text
        assert t.kind == SEED_KINDS.get(row.target_text, "qualitative"), row.target_text
        assert t.parsed, row.target_text
        kinds[t.kind] += 1
        if t.review:
            reviews.append(row.target_text)
    # The one genuinely odd cell: a 成本指标 written with ≥.
    assert reviews == ["≥154.3万元"]
    assert kinds == {"quantity": 54, "rate": 32, "range": 1, "deadline": 4, "qualitative": 37}


def test_seed_caps_and_levels_are_inferred_from_the_category():
    rows = _seed_rows()
    for row in rows:
        t = read(row.target_text, row.category, row.level1)
        if row.category == "成本指标" and t.op == "<=":
            # judged in range, not against time progress (issue 12 §3)
            assert (t.direction, t.measure) == ("lower", "level")
        if row.category == "数量指标":
            assert t.measure == "cumulative"
        if t.kind == "rate":
            assert (t.direction, t.measure) == ("higher", "level")


# --- saying how a target was read, in Chinese and English -------------------------------------

@pytest.mark.parametrize("text,category,measure,en,zh", [
    ("≥8特别复杂", "", None, "unit '特别复杂' is not a unit jixiao knows", "单位“特别复杂”不是 jixiao 认识的单位"),
    ("约50万元", "", None, "an approximate value (约/左右): check what counts as reaching it",
     "近似值（约/左右）：请确认怎样算达到"),
    ("9-3天", "", None, "range 9–3 runs backwards", "区间 9–3 上下限写反了"),
    ("≥154.3万元", "成本指标", None,
     "a 成本指标 with a lower bound (≥): check whether ≤ was meant", "成本指标写了下限（≥）：请确认是否应为≤"),
    ("≥8个", "数量指标", "sometimes", "unknown measure 'sometimes'; using the inferred one",
     "未知的计量方式“sometimes”，已按推断的方式处理"),
    ("   ", "", None, "empty 指标值", "指标值为空"),
    ("第2批次完成后再定", "", None, "contains a number jixiao could not read with confidence",
     "含有 jixiao 无法确定如何解读的数字"),
    ("6月底前完成招标，12月底前完成验收", "", None,
     "2 dates in one target; the latest (2023-12-31) is the deadline",
     "一个指标值里有 2 个日期，以最晚的（2023-12-31）为截止日期"),
])
def test_review_notes_come_in_english_and_chinese(text, category, measure, en, zh):
    t = read(text, category, measure=measure)
    assert t.review == en                       # the stored/snapshot form stays English
    assert (t.review_text(), t.review_text("en"), t.review_text("zh")) == (en, en, zh)


def test_two_review_notes_are_joined_in_each_language():
    t = read("约50万元", "数量指标", measure="sometimes")
    assert t.review_text("en") == ("an approximate value (约/左右): check what counts as reaching it; "
                                   "unknown measure 'sometimes'; using the inferred one")
    assert t.review_text("zh") == "近似值（约/左右）：请确认怎样算达到；未知的计量方式“sometimes”，已按推断的方式处理"


def test_no_review_means_no_review_text():
    assert read("≥8个", "数量指标").review_text("zh") is None


def test_describe_in_chinese_uses_the_chinese_review():
    assert describe(read("≥154.3万元", "成本指标"), "zh") == \
        "数量：不低于 154.3万元，累计【需复核：成本指标写了下限（≥）：请确认是否应为≤】"


@pytest.mark.parametrize("text,written", [
    ("≥8个", True), ("不少于8个", True), ("90%以上", True), ("=250天", True), ("完成率达到95%", True),
    ("38个", False), ("0.5亿元", False), ("100%", False), ("约5个", False),
])
def test_whether_the_operator_was_written(text, written):
    t = read(text)
    assert t.op_written is written
    if not written:
        assert t.op == "="                        # none written still stores = (DESIGN §5)


@pytest.mark.parametrize("text,category,en,zh", [
    ("≥8个", "数量指标", "≥", "≥"),
    ("=250天", "时效指标", "=", "="),
    ("0.5亿元", "", "none written — read as at least (as the finance systems read a number without ≥ or ≤)",
     "未写明，按“不低于”解读（与财政系统对未写≥或≤的数字的读法一致）"),
    ("100%", "质量指标", "none written — read as at least (a rate without ≥ or ≤ means at least)",
     "未写明，按“不低于”解读（比率未写≥或≤时即指不低于）"),
    ("=98百分比", "", "= — read as at least (a rate without ≥ or ≤ means at least)",
     "=，按“不低于”解读（比率未写≥或≤时即指不低于）"),
    ("89万元", "成本指标",
     "none written — read as at most (an amount under 成本指标 without ≥ or ≤ is a spending cap)",
     "未写明，按“不高于”解读（成本指标中未写≥或≤的金额是支出上限）"),
    ("250天", "时效指标", "none written — read as exactly (a level without ≥ or ≤ is to be met exactly)",
     "未写明，按“等于”解读（未写≥或≤的水平值须恰好达到）"),
])
def test_operator_text_agrees_with_the_reading(text, category, en, zh):
    t = read(text, category)
    assert operator_text(t, "en") == en
    assert operator_text(t, "zh") == zh


@pytest.mark.parametrize("text", ["1-2天", "2023年上半年", "及时"])
def test_kinds_without_an_operator_have_no_operator_text(text):
    assert operator_text(read(text)) is None


def test_reading_fields_in_chinese_are_chinese_words():
    fields = dict(reading_fields(read("0.5亿元", "数量指标"), "zh"))
    assert fields == {"kind": "数量", "op": "未写明，按“不低于”解读（与财政系统对未写≥或≤的数字的读法一致）",
                      "value": "0.5", "unit": "亿元", "direction": "越高越好", "measure": "累计"}


def test_reading_fields_in_english_are_english_words():
    fields = dict(reading_fields(read("0.5亿元", "数量指标"), "en"))
    assert fields == {"kind": "quantity",
                      "op": "none written — read as at least (as the finance systems read a number "
                            "without ≥ or ≤)",
                      "value": "0.5", "unit": "亿元", "direction": "higher is better",
                      "measure": "cumulative"}


@pytest.mark.parametrize("text,category,zh,en", [
    ("≥95%", "满意度指标", ("比率", "越高越好", "水平"), ("rate", "higher is better", "level")),
    ("≤4人", "数量指标", ("数量", "越低越好", "累计"), ("quantity", "lower is better", "cumulative")),
    ("=250天", "时效指标", ("数量", "精确", "水平"), ("quantity", "exact", "level")),
    ("1-2天，急件优先", "时效指标", ("区间", None, "水平"), ("range", None, "level")),
    ("2023年6月底前完成", "时效指标", ("时限", None, None), ("deadline", None, None)),
    ("及时", "", ("定性", None, None), ("qualitative", None, None)),
])
def test_kind_direction_and_measure_names_per_language(text, category, zh, en):
    t = read(text, category)
    for lang, want in (("zh", zh), ("en", en)):
        fields = dict(reading_fields(t, lang))
        assert (fields["kind"], fields.get("direction"), fields.get("measure")) == want


def test_reading_fields_keep_notes_verbatim_and_review_in_the_language():
    t = read("约50万元", "成本指标")
    zh, en = dict(reading_fields(t, "zh")), dict(reading_fields(t, "en"))
    assert zh["note"] == en["note"] == "约"
    assert zh["review"] == "近似值（约/左右）：请确认怎样算达到"
    assert en["review"] == "an approximate value (约/左右): check what counts as reaching it"
    range_ = dict(reading_fields(read("1-2天，急件优先"), "zh"))
    assert (range_["low"], range_["high"], range_["note"]) == ("1", "2", "急件优先")
