"""Status rules (DESIGN.md §6, issue 3): every rule and boundary, with the reason it gives.

Most cases are judged on 2023-07-02, when exactly half of the year has passed
((07-02 − 01-01) / (12-31 − 01-01) = 182 / 364), so expected values are round.
"""

from dataclasses import replace

import pytest

from jixiao.core.model import (Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry,
                        Thresholds)
from jixiao.core.budget_light import budget_status
from jixiao.core.colours import COLOUR_ZH, COLOURS
from jixiao.core.rules import indicator_status, status_of, target_of
from jixiao.core.status import Status
from jixiao.core.targets import parse_target

HALF = "2023-07-02"
TH = Thresholds()


def entry(actual, as_of=HALF, forecast=None, likelihood=None):
    return ProgressEntry(id="e", indicator_id="i", as_of=as_of, actual=actual, author="alice",
                         recorded_at=as_of + "T09:00:00+08:00", forecast=forecast,
                         likelihood=likelihood)


def judge(text, actual, category="数量指标", on=HALF, as_of=None, th=TH, **kw) -> Status:
    target = parse_target(text, year=2023, category=category)
    e = None if actual is None else entry(actual, as_of or on, **kw)
    return status_of(target, e, on, th, 2023)


# text, category, actual, monitoring date, colour, final, reason (en)
CASES = [
    # cumulative, higher is better: 60 / 80 / 120 % of the pro-rata value; achieved is final
    ("≥10个", "数量指标", "2.9", HALF, "red", False,
     "expected ≥5 by 07-02 (50% of year), actual 2.9 → 58% → red"),
    ("≥10个", "数量指标", "3", HALF, "amber", False,
     "expected ≥5 by 07-02 (50% of year), actual 3 → 60% → amber"),
    ("≥10个", "数量指标", "3.9", HALF, "amber", False,
     "expected ≥5 by 07-02 (50% of year), actual 3.9 → 78% → amber"),
    ("≥10个", "数量指标", "4", HALF, "green", False,
     "expected ≥5 by 07-02 (50% of year), actual 4 → 80% → green"),
    ("≥10个", "数量指标", "5.9", HALF, "green", False,
     "expected ≥5 by 07-02 (50% of year), actual 5.9 → 118% → green"),
    ("≥10个", "数量指标", "6", HALF, "blue", False,
     "expected ≥5 by 07-02 (50% of year), actual 6 → 120% → blue"),
    ("≥10个", "数量指标", "10", HALF, "green", True,
     "target ≥10个 reached: actual 10 → green (final)"),
    ("≥10个", "数量指标", "12.9", HALF, "green", True,
     "target ≥10个 reached: actual 12.9 → green (final)"),
    ("≥10个", "数量指标", "13", HALF, "blue", True,
     "target ≥10个 reached: actual 13 is 130% of it (target may be set too low) → blue (final)"),
    ("10个", "数量指标", "10个", HALF, "green", True, "target 10个 reached: actual 10 → green (final)"),
    (">10个", "数量指标", "10", HALF, "blue", False,
     "expected >5 by 07-02 (50% of year), actual 10 → 200% → blue"),
    ("≥10个", "数量指标", "0", "2023-01-01", "green", False,
     "nothing due yet by 01-01 (0% of year), actual 0 → green"),
    ("≥10个", "数量指标", "9", "2024-01-01", "red", True,
     "deadline 12-31 passed: actual 9, short of ≥10个 → red (final)"),
    # at the deadline (31 December included) a missed target is no longer green (issue 12 §3)
    ("≥10个", "数量指标", "9", "2023-12-31", "red", False,
     "due today (12-31): actual 9, short of ≥10个 → red"),
    # levels
    ("≥95%", "质量指标", "95%", HALF, "green", False, "target ≥95%, actual 95% → green"),
    ("≥95%", "质量指标", "96", HALF, "green", False, "target ≥95%, actual 96% → green"),
    ("≥95%", "质量指标", "90.25", HALF, "amber", False, "target ≥95%, actual 90.25% → amber"),
    ("≥95%", "质量指标", "90.2", HALF, "red", False, "target ≥95%, actual 90.2% → red"),
    (">95%", "质量指标", "95", HALF, "amber", False, "target >95%, actual 95% → amber"),
    ("100%", "质量指标", "100%", HALF, "green", False, "target 100%, actual 100% → green"),
    ("≥25分钟", "质量指标", "0.5小时", HALF, "green", False, "target ≥25分钟, actual 30分钟 → green"),
    # caps: over the limit red; money burning faster than 120 % of time progress amber
    ("≤89万元", "数量指标", "53.4", HALF, "green", False,
     "expected ≤44.5 by 07-02 (50% of year), actual 53.4 → 120% → green"),
    ("≤89万元", "数量指标", "53.5", HALF, "amber", False,
     "expected ≤44.5 by 07-02 (50% of year), actual 53.5 → 120% (spending too fast) → amber"),
    ("≤89万元", "数量指标", "89", HALF, "amber", False,
     "expected ≤44.5 by 07-02 (50% of year), actual 89 → 200% (spending too fast) → amber"),
    ("≤89万元", "数量指标", "89.01", HALF, "red", True,
     "limit ≤89万元, actual 89.01万元 → over the limit → red (final)"),
    ("≤89万元", "数量指标", "0.5亿元", HALF, "red", True,
     "limit ≤89万元, actual 5000万元 → over the limit → red (final)"),
    ("≤89万元", "数量指标", "400000元", HALF, "green", False,
     "expected ≤44.5 by 07-02 (50% of year), actual 40 → 90% → green"),
    ("<89万元", "数量指标", "89", HALF, "red", True,
     "limit <89万元, actual 89万元 → over the limit → red (final)"),
    ("≤4人", "数量指标", "4", HALF, "green", False, "limit ≤4人, actual 4人 → within the limit → green"),
    ("≤4人", "数量指标", "5", HALF, "red", True,
     "limit ≤4人, actual 5人 → over the limit → red (final)"),
    ("5%以内", "质量指标", "5", HALF, "green", False,
     "limit ≤5%, actual 5% → within the limit → green"),
    ("5%以内", "质量指标", "5.1", HALF, "red", False,
     "limit ≤5%, actual 5.1% → over the limit → red"),
    # exact and range
    ("=250天", "时效指标", "250", HALF, "green", False, "target 250天, actual 250天 → green"),
    ("=250天", "时效指标", "249", HALF, "red", False, "target 250天, actual 249天 → red"),
    ("1-2天，急件优先", "时效指标", "1", HALF, "green", False,
     "range 1–2天, actual 1天 → inside → green"),
    ("1-2天，急件优先", "时效指标", "2天", HALF, "green", False,
     "range 1–2天, actual 2天 → inside → green"),
    ("1-2天，急件优先", "时效指标", "2.5", HALF, "red", False,
     "range 1–2天, actual 2.5天 → outside → red"),
    ("1-2天，急件优先", "时效指标", "0.5", HALF, "red", False,
     "range 1–2天, actual 0.5天 → outside → red"),
    # deadlines
    ("2023年6月底前完成等级保护测评", "时效指标", "2023-06-30", "2023-07-31", "green", True,
     "due 06-30, completed 06-30 → green (final)"),
    ("2023年6月底前完成等级保护测评", "时效指标", "2023-07-01", "2023-07-31", "red", True,
     "due 06-30, completed 07-01, late → red (final)"),
    ("2023年6月底前完成等级保护测评", "时效指标", "50%", "2023-06-30", "red", False,
     "due 06-30, expected 100% done by 06-30 (100% of time to 06-30), actual 50% → 50% → red"),
    ("2023年6月底前完成等级保护测评", "时效指标", "50%", "2023-07-01", "red", True,
     "deadline 06-30 passed with 50% done → red (final)"),
    ("2023年6月底前完成等级保护测评", "时效指标", "90%", "2023-05-31", "amber", False,
     "due 06-30, expected 83% done by 05-31 (83% of time to 06-30), actual 90% → 108% → green, "
     "but due in 30 days → amber"),
    ("2023年6月底前完成等级保护测评", "时效指标", "90%", "2023-05-30", "green", False,
     "due 06-30, expected 83% done by 05-30 (83% of time to 06-30), actual 90% → 109% → green"),
    ("2023年6月底前完成等级保护测评", "时效指标", "90%", "2023-03-01", "green", False,
     "due 06-30, expected 33% done by 03-01 (33% of time to 06-30), actual 90% → 275% → green"),
    ("2023年6月底前完成等级保护测评", "时效指标", "19%", "2023-03-01", "red", False,
     "due 06-30, expected 33% done by 03-01 (33% of time to 06-30), actual 19% → 58% → red"),
    ("2023年12月底前", "时效指标", "50%", HALF, "green", False,
     "due 12-31, expected 50% done by 07-02 (50% of year), actual 50% → 100% → green"),
    ("2023年12月底前", "时效指标", "35%", HALF, "amber", False,
     "due 12-31, expected 50% done by 07-02 (50% of year), actual 35% → 70% → amber"),
    # qualitative grades and their synonyms
    ("及时", "时效指标", "达成", HALF, "green", False, "graded achieved (达成) → green"),
    ("及时", "时效指标", "部分达成", HALF, "amber", False, "graded partly achieved (部分达成) → amber"),
    ("及时", "时效指标", "未达成", HALF, "red", False, "graded not achieved (未达成) → red"),
    ("是", "社会效益指标", "是", HALF, "green", False, "graded 是 (achieved, 达成) → green"),
    ("是", "社会效益指标", "否", HALF, "red", False, "graded 否 (not achieved, 未达成) → red"),
    ("测评结果合格", "社会效益指标", "合格", HALF, "green", False, "graded 合格 (achieved, 达成) → green"),
    ("测评结果合格", "社会效益指标", "不合格", HALF, "red", False, "graded 不合格 (not achieved, 未达成) → red"),
    ("及时", "时效指标", "及时", HALF, "green", False, "graded 及时 (achieved, 达成) → green"),
    ("及时", "时效指标", "不及时", HALF, "red", False, "graded 不及时 (not achieved, 未达成) → red"),
    # no data
    ("≥10个", "数量指标", None, HALF, "grey", False, "no progress recorded; due 12-31 → grey"),
    ("2023年6月底前完成等级保护测评", "时效指标", None, "2023-05-01", "grey", False,
     "no progress recorded; due 06-30 → grey"),
    # no report by the deadline is red, not grey (issue 12 §3)
    ("2023年6月底前完成等级保护测评", "时效指标", None, "2023-07-31", "red", False,
     "no progress recorded; was due 06-30 → red"),
]


@pytest.mark.parametrize("text,category,actual,on,colour,final,reason", CASES)
def test_rule(text, category, actual, on, colour, final, reason):
    s = judge(text, actual, category, on)
    assert (s.colour, s.final) == (colour, final)
    assert s.reason("en") == reason


def test_completion_without_a_date_counts_on_the_entry_date():
    on_time = judge("2023年6月底前完成", "100%", "时效指标", on="2023-07-31", as_of="2023-06-15")
    late = judge("2023年6月底前完成", "完成", "时效指标", on="2023-07-31", as_of="2023-07-05")
    assert (on_time.colour, on_time.final, on_time.reason_en) == (
        "green", True, "due 06-30, completed 06-15 → green (final)")
    assert (late.colour, late.final, late.reason_en) == (
        "red", True, "due 06-30, completed 07-05, late → red (final)")


@pytest.mark.parametrize("text,category,actual,kw,colour,reason", [
    ("≥10个", "数量指标", "6", {"forecast": "9"}, "amber",
     "expected ≥5 by 07-02 (50% of year), actual 6 → 120% → blue; forecast 9 misses the target "
     "→ amber"),
    ("≥10个", "数量指标", "5", {"forecast": "9个"}, "amber",
     "expected ≥5 by 07-02 (50% of year), actual 5 → 100% → green; forecast 9个 misses the target "
     "→ amber"),
    ("≥10个", "数量指标", "5", {"forecast": "10"}, "green",
     "expected ≥5 by 07-02 (50% of year), actual 5 → 100% → green"),
    ("≥10个", "数量指标", "2", {"forecast": "3"}, "red",
     "expected ≥5 by 07-02 (50% of year), actual 2 → 40% → red; forecast 3 misses the target"),
    ("≥10个", "数量指标", "5", {"likelihood": "完全不可能"}, "red",
     "expected ≥5 by 07-02 (50% of year), actual 5 → 100% → green; likelihood impossible (完全不可能) → red"),
    ("≥10个", "数量指标", "5", {"likelihood": "有可能"}, "green",
     "expected ≥5 by 07-02 (50% of year), actual 5 → 100% → green"),
    ("≥10个", "数量指标", "5", {"forecast": "8", "likelihood": "完全不可能"}, "red",
     "expected ≥5 by 07-02 (50% of year), actual 5 → 100% → green; forecast 8 misses the target "
     "→ amber; likelihood impossible (完全不可能) → red"),
    ("≤89万元", "数量指标", "40", {"forecast": "95"}, "amber",
     "expected ≤44.5 by 07-02 (50% of year), actual 40 → 90% → green; forecast 95 misses the "
     "target → amber"),
    ("2023年12月底前", "时效指标", "50%", {"forecast": "2024-01-15"}, "amber",
     "due 12-31, expected 50% done by 07-02 (50% of year), actual 50% → 100% → green; forecast "
     "2024-01-15 misses the target → amber"),
    ("2023年12月底前", "时效指标", "50%", {"forecast": "90%"}, "amber",
     "due 12-31, expected 50% done by 07-02 (50% of year), actual 50% → 100% → green; forecast "
     "90% misses the target → amber"),
    ("及时", "时效指标", "达成", {"forecast": "部分达成"}, "amber",
     "graded achieved (达成) → green; forecast 部分达成 misses the target → amber"),
    ("≥95%", "质量指标", "96", {"forecast": "94%"}, "amber",
     "target ≥95%, actual 96% → green; forecast 94% misses the target → amber"),
    # final statuses are settled: an outlook does not change them
    ("≥10个", "数量指标", "10", {"forecast": "9", "likelihood": "完全不可能"}, "green",
     "target ≥10个 reached: actual 10 → green (final)"),
])
def test_forecast_and_likelihood(text, category, actual, kw, colour, reason):
    s = judge(text, actual, category, **kw)
    assert s.colour == colour
    assert s.reason_en == reason


@pytest.mark.parametrize("text,category,actual,on,reason_zh", [
    ("≥10个", "数量指标", "3", HALF, "截至07-02（序时进度50%）应完成≥5，实际3 → 60% → 黄"),
    ("≥10个", "数量指标", "13", HALF, "已达成≥10个：实际13，为目标的130%（目标可能偏低） → 蓝（定论）"),
    ("≥10个", "数量指标", "9", "2024-01-01", "已过截止日12-31：实际9，未达≥10个 → 红（定论）"),
    ("≥95%", "质量指标", "93", HALF, "目标≥95%，实际93% → 黄"),
    ("≤89万元", "数量指标", "53.5", HALF,
     "截至07-02（序时进度50%）应不超过44.5，实际53.5 → 120%，支出过快 → 黄"),
    ("≤89万元", "数量指标", "0.5亿元", HALF, "上限≤89万元，实际5000万元，已超出 → 红（定论）"),
    ("1-2天", "时效指标", "3", HALF, "区间1–2天，实际3天，在区间外 → 红"),
    ("2023年6月底前完成", "时效指标", "2023-06-20", "2023-07-31", "截止06-30，已于06-20完成 → 绿（定论）"),
    ("2023年6月底前完成", "时效指标", "2023-07-20", "2023-07-31", "截止06-30，07-20才完成，逾期 → 红（定论）"),
    ("2023年6月底前完成", "时效指标", "90%", "2023-05-31",
     "截止06-30，截至05-31（至06-30的时间进度83%）应完成83%，实际90% → 108% → 绿，但距截止仅30天 → 黄"),
    ("及时", "时效指标", "是", HALF, "评定为是（达成） → 绿"),
    ("≥10个", "数量指标", None, HALF, "尚未填报；截止12-31 → 灰"),
])
def test_reasons_in_chinese(text, category, actual, on, reason_zh):
    s = judge(text, actual, category, on)
    assert s.reason_zh == reason_zh
    assert s.reason() == reason_zh       # Chinese is the default


def test_an_entry_that_does_not_fit_gives_grey_with_why():
    s = judge("≤89万元", "达成", "成本指标")
    assert s.colour == "grey"
    assert s.reason_en == ("recorded value '达成' cannot be judged (needs a number in 万元); "
                           "due 12-31 → grey")


def test_expected_and_ratio_are_the_figures_of_the_reason():
    s = judge("≥10个", "3")
    assert s.expected == pytest.approx(5) and s.ratio == pytest.approx(0.6)
    level = judge("≥95%", "93", "质量指标")
    assert level.expected == 95 and level.ratio == pytest.approx(93 / 95)


def test_thresholds_come_from_settings():
    th = replace(TH, red_below=0.5, amber_below=0.7, blue_from=1.5, level_amber_from=0.9,
                 burn_amber_above=1.5, deadline_warning_days=10)
    assert judge("≥10个", "2.9", th=th).colour == "amber"       # 58 % ≥ 50 %
    assert judge("≥10个", "3.6", th=th).colour == "green"       # 72 % ≥ 70 %
    assert judge("≥10个", "6", th=th).colour == "green"         # 120 % < 150 %
    assert judge("≥95%", "86", "质量指标", th=th).colour == "amber"
    assert judge("≤89万元", "60", "成本指标", th=th).colour == "green"   # 135 % ≤ 150 %
    assert judge("2023年6月底前", "90%", "时效指标", on="2023-05-31", th=th).colour == "green"
    th = replace(TH, blue_final_from=2.0)
    assert judge("≥10个", "13", th=th).colour == "green"


# --- project budget ----------------------------------------------------------------------------

PROJECT = Project(id="P1", unit_code="301101", year=2023, name="系统等级保护测评项目",
                  budget=Budget(total=100.0, fiscal=100.0))
SETTINGS = Settings(year=2023, as_of=HALF)


def spend(spent, as_of=HALF):
    return SpendingEntry(id="s", project_id="P1", as_of=as_of, spent=spent, author="alice",
                         recorded_at=as_of)


@pytest.mark.parametrize("spent,colour,reason", [
    (29.9, "red", "spent 29.9 of 100 万元 (30%) by 07-02 (50% of year) → 60% → red"),
    (30, "amber", "spent 30 of 100 万元 (30%) by 07-02 (50% of year) → 60% → amber"),
    (39.9, "amber", "spent 39.9 of 100 万元 (40%) by 07-02 (50% of year) → 80% → amber"),
    (40, "green", "spent 40 of 100 万元 (40%) by 07-02 (50% of year) → 80% → green"),
    (100, "green", "spent 100 of 100 万元 (100%) by 07-02 (50% of year) → 200% → green"),
    (101, "red", "spent 101 of 100 万元 (101%) → over budget → red"),
])
def test_budget_execution(spent, colour, reason):
    s = budget_status(PROJECT, spend(spent), HALF, SETTINGS)
    assert (s.colour, s.reason_en) == (colour, reason)


def test_budget_without_data():
    assert budget_status(PROJECT, None, HALF, SETTINGS).reason_en == "no spending reported → grey"
    no_budget = replace(PROJECT, budget=Budget())
    s = budget_status(no_budget, spend(10), HALF, SETTINGS)
    assert (s.colour, s.reason_en) == ("grey", "no budget amount, 10 万元 spent → grey")


def test_budget_reason_in_chinese_and_thresholds():
    s = budget_status(PROJECT, spend(30), HALF, SETTINGS)
    assert s.reason_zh == "截至07-02（序时进度50%）已支出30/100万元（执行率30%） → 60% → 黄"
    lenient = replace(SETTINGS, thresholds=replace(TH, budget_red_below=0.5, budget_amber_below=0.55))
    assert budget_status(PROJECT, spend(29.9), HALF, lenient).colour == "green"


# --- indicators as stored ---------------------------------------------------------------------


def indicator(text, category="数量指标", measure=None, iid="i1"):
    return Indicator(id=iid, project_id="P1", order=0, level1="产出指标", category=category,
                     name="开展等保测评的系统数量", description="", target_text=text, measure=measure)


def test_indicator_status_previews_an_unsaved_entry():
    s = indicator_status(indicator("≥8个"), entry("3", "2023-07-31"), "2023-07-31", SETTINGS, 2023)
    assert s.colour == "amber"
    assert s.reason_en == "expected ≥4.6 by 07-31 (58% of year), actual 3 → 65% → amber"


def test_measure_override_changes_the_rule():
    as_level = indicator("≥10个", measure="level")
    assert indicator_status(as_level, entry("9.6"), HALF, SETTINGS, 2023).colour == "amber"
    cumulative_rate = indicator("≥90%", category="质量指标", measure="cumulative")
    s = indicator_status(cumulative_rate, entry("45%"), HALF, SETTINGS, 2023)
    assert (s.colour, s.ratio) == ("green", pytest.approx(1.0))


def test_target_of_parses_each_text_once():
    a, b = indicator("≥8个", iid="a"), indicator("≥8个", iid="b")
    assert target_of(a, 2023) is target_of(b, 2023)
    assert target_of(a, 2023).value == 8


def test_status_has_every_colour_word():
    assert COLOURS == ("red", "amber", "grey", "blue", "green")
    s = Status("grey")
    assert (s.colour, s.final, s.expected, s.reason("en")) == ("grey", False, None, "")
    assert Status("red", reason_en="x") == Status("red", reason_en="x")
    assert s.to_dict()["colour"] == "grey"


# --- robustness -------------------------------------------------------------------------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_TARGETS = ["≥10个", "≥0个", "≤0万元", "≤89万元", "≥95%", "=250天", "1-2天", "2023年6月底前",
            "2022年3月-11月", "及时", "", "≥8特别复杂"]
_VALUES = st.one_of(st.text(max_size=12), st.sampled_from(
    ["0", "3", "1e3", "100%", "2023-06-20", "达成", "0.5亿元", "-1", "9999999999", "0.0"]))


@hsettings(max_examples=300, deadline=None)
@given(st.sampled_from(_TARGETS), st.sampled_from(["数量指标", "质量指标", "成本指标", "时效指标"]),
       _VALUES, st.one_of(st.none(), _VALUES), st.dates().map(lambda d: d.isoformat()))
def test_any_recorded_text_on_any_date_gives_a_status_with_reasons(text, category, actual,
                                                                   forecast, on):
    target = parse_target(text, year=2023, category=category)
    e = ProgressEntry(id="e", indicator_id="i", as_of=on, actual=actual, author="a",
                      recorded_at=on, forecast=forecast)
    s = status_of(target, e, on, TH, 2023)
    assert s.colour in COLOURS
    # The verdict is always spelled out, whatever came before it.
    assert f"→ {s.colour}" in s.reason_en
    assert f"→ {COLOUR_ZH[s.colour]}" in s.reason_zh


LATER = ["2023-07-03", "2023-09-30", "2023-12-31", "2024-03-31"]


@pytest.mark.parametrize("text,category,actual,on,colour,final,reason", CASES)
def test_a_timeless_verdict_is_the_same_at_every_other_date(text, category, actual, on, colour,
                                                          final, reason):
    # An evaluator keeps a timeless verdict when the monitoring date changes: it must be what
    # the rules give at any later date too.
    st = judge(text, actual, category, on)
    if st.timeless:
        for later in LATER:
            assert judge(text, actual, category, later, as_of=on) == st, later


@pytest.mark.parametrize("text,category,actual,on,timeless", [
    ("≥10个", "数量指标", "3", HALF, False),            # judged on pace
    ("≥10个", "数量指标", "12", HALF, True),            # reached
    ("≥95%", "质量指标", "93%", HALF, True),            # a level
    ("≤89万元", "数量指标", "50万元", HALF, False),     # spending against time progress
    ("≤89万元", "数量指标", "0万元", "2023-01-01", False),  # within the limit on 1 January only
    ("≤89万元", "成本指标", "50万元", HALF, True),      # a 成本 cap is a level
    ("≤89万元", "成本指标", "90万元", HALF, True),      # over the cap
    ("及时", "社会效益指标", "部分达成", HALF, True),    # a grade
    ("≥10个", "数量指标", "abc", HALF, True),           # unreadable
    ("2023年11月15日前", "时效指标", "50%", HALF, False),  # deadline pace
])
def test_rules_say_which_verdicts_hold_at_any_date(text, category, actual, on, timeless):
    assert judge(text, actual, category, on).timeless is timeless
    # The outlook keeps its inner verdict's kind.
    assert judge(text, actual, category, on, likelihood="完全不可能").timeless is timeless
