"""Status rules that follow the published practice (issue 12 §3), with examples of our own:
in range for 质量/时效/成本, levels, caps, a target's own period, the deadline, no report by the
deadline, negative targets, and unconfirmed readings that still get a colour."""

from __future__ import annotations

from datetime import date

import pytest

from jixiao.cli.main import main
from jixiao.core.model import ProgressEntry, Thresholds
from jixiao.core.overrides import apply_override, make_override
from jixiao.core.rules import status_of
from jixiao.core.targets import parse_target
from jixiao.sample_data import seed_path

YEAR = 2023


def judge(text, actual, on, category="数量指标", name="", as_of=None):
    target = parse_target(text, year=YEAR, level1="", category=category, name=name)
    entry = None if actual is None else ProgressEntry("e", "i", on, actual, "u", f"{on}T00:00:00+00:00")
    return status_of(target, entry, as_of or on, Thresholds(), YEAR)


# --- 质量、时效、成本: in range, not against time progress -------------------------------------

def test_a_cost_cap_is_judged_in_range_not_by_burn_rate():
    st = judge("≤60万元", "45万元", "2023-03-31", "成本指标")
    assert st.colour == "green" and "within the limit" in st.reason("en")
    over = judge("≤60万元", "61万元", "2023-03-31", "成本指标")
    assert (over.colour, over.final) == ("red", True)


def test_a_quality_count_is_in_range_while_a_quantity_count_is_proportioned():
    assert judge("≥20次", "10", "2023-07-02", "质量指标").colour == "red"
    assert judge("≥20次", "10", "2023-07-02", "数量指标").colour == "green"


def test_a_per_unit_standard_under_cost_is_a_cap():
    assert judge("180元/人", "190元/人", "2023-06-30", "成本指标").colour == "red"
    assert judge("180元/人", "175元/人", "2023-06-30", "成本指标").colour == "green"


def test_a_rate_named_in_the_name_is_a_level_not_a_cumulative_count():
    st = judge("≥85", "70", "2023-06-30", "效益指标", name="群众知晓率")
    assert st.colour == "red"          # a level: 70 is below 95 % of 85, whatever the date


# --- a target naming its own period -------------------------------------------------------------

def test_a_target_with_its_own_period_measures_time_from_its_start():
    st = judge("2023年7月-12月开展≥60场", "30", "2023-09-30")
    assert st.colour == "green", st.reason("en")   # half the period gone, half done
    plain = judge("≥60场", "30", "2023-09-30")
    assert plain.colour == "amber"                  # from 1 January it would be behind


def test_a_deadline_over_a_period_crossing_the_year_is_paced_over_that_period():
    st = judge("2023.07-2024.01", "50%", "2023-10-15", "时效指标")
    assert st.colour == "green", st.reason("en")


# --- the deadline ------------------------------------------------------------------------------

def test_on_the_deadline_a_missed_cumulative_target_is_not_green():
    st = judge("≥100个", "90", "2023-12-31")
    assert st.colour == "red"
    assert judge("≥100个", "90", "2023-12-01").colour == "green"


def test_no_report_by_the_deadline_is_red_and_before_it_grey():
    late = judge("2023年5月底前完成", None, "2023-07-31", "时效指标")
    assert late.colour == "red" and "05-31" in late.reason("en")
    assert judge("2023年5月底前完成", None, "2023-05-15", "时效指标").colour == "grey"
    assert judge("≥8个", None, "2023-07-31").colour == "grey"          # due 31 December


def test_report_only_red_amber_lists_the_overdue_unreported_indicator(tmp_path, capsys):
    data = str(tmp_path / "d")
    assert main(["--data", data, "import", str(seed_path())]) == 0
    assert main(["--data", data, "settings", "--as-of", "2023-07-31"]) == 0
    capsys.readouterr()
    assert main(["--data", data, "report", "--only", "red,amber", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "本年度完成等级保护测评" in out


# --- negative targets ----------------------------------------------------------------------------

@pytest.mark.parametrize("target,answer,colour", [
    ("否", "否", "green"), ("否", "是", "red"),
    ("无重大安全事故", "无", "green"), ("无重大安全事故", "有", "red"),
    ("全年安全事故零发生", "未发生", "green"),
    ("按时完成", "是", "green"), ("按时完成", "否", "red"),
])
def test_a_negative_target_is_met_by_the_negative_answer(target, answer, colour):
    assert judge(target, answer, "2023-06-30", "社会效益指标").colour == colour


def test_an_officer_can_say_which_answer_is_wanted():
    target = parse_target("否", year=YEAR, category="社会效益指标")
    positive = apply_override(target, make_override("否", wanted="是"))
    entry = ProgressEntry("e", "i", "2023-06-30", "否", "u", "2023-06-30T00:00:00+00:00")
    assert status_of(positive, entry, "2023-06-30", Thresholds(), YEAR).colour == "red"


# --- unconfirmed readings -----------------------------------------------------------------------

def test_a_doubtful_reading_gets_a_colour_but_says_it_is_unconfirmed():
    st = judge("450", "300", "2023-07-02")
    assert st.colour in ("green", "amber", "red", "blue")
    assert "reading unconfirmed" in st.reason("en") and "解读待确认" in st.reason("zh")
    grey = judge("450", None, "2023-03-01")
    assert "reading unconfirmed" in grey.reason("en")
    target = parse_target("450", year=YEAR, category="数量指标")
    confirmed = apply_override(target, make_override("450", confirm=True))
    entry = ProgressEntry("e", "i", "2023-07-02", "300", "u", "2023-07-02T00:00:00+00:00")
    st = status_of(confirmed, entry, "2023-07-02", Thresholds(), YEAR)
    assert "unconfirmed" not in st.reason("en")


def test_time_progress_of_a_period_starts_at_its_start():
    from jixiao.core.periods import time_progress

    assert time_progress(date(2023, 10, 1), YEAR, date(2023, 12, 31), date(2023, 7, 1)) == \
        pytest.approx(92 / 183)
    assert time_progress(date(2023, 6, 1), YEAR, None, date(2023, 7, 1)) == 0.0


# --- what owners write on other provinces' tables -------------------------------------------------

@pytest.mark.parametrize("answer,colour", [
    ("有所提升", "green"), ("按计划推进", "green"), ("明显改善", "green"), ("良好", "green"),
    ("基本实现", "amber"), ("部分落实", "amber"), ("未能落实", "red"), ("滞后", "red"),
])
def test_common_answers_to_qualitative_targets_map_to_the_three_grades(answer, colour):
    assert judge("服务能力明显增强", answer, "2023-06-30", "社会效益指标").colour == colour


def test_a_per_unit_target_takes_an_entry_without_the_per_unit():
    assert judge("≤150元/人", "120元", "2023-06-30", "成本指标").colour == "green"
    assert judge("≤150元/人", "160元", "2023-06-30", "成本指标").colour == "red"


def test_a_count_per_year_is_proportioned_and_takes_a_plain_count():
    assert judge("≥4次/年", "2次", "2023-07-02").colour == "green"


@pytest.mark.parametrize("category", ["社会效益指标", "质量指标", "数量指标"])
def test_a_zero_target_is_a_cap_at_zero(category):
    assert judge("0起", "1起", "2023-06-30", category).colour == "red"
    assert judge("0起", "0", "2023-06-30", category).colour == "green"


@pytest.mark.parametrize("text", ["本年度内完成", "当年完成", "本年度完成系统测评"])
def test_within_this_year_is_a_deadline_at_its_end(text):
    t = parse_target(text, year=YEAR, category="时效指标")
    assert (t.kind, t.deadline) == ("deadline", date(YEAR, 12, 31))
    assert judge(text, "60%", "2023-07-31", "时效指标").colour == "green"
