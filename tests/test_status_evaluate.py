"""``evaluate``: the counting entry, replaying an earlier date, roll-ups with per-colour counts."""

from jixiao.core.dataset import Dataset
from jixiao.core.model import (Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit)
from jixiao.core.colours import COLOURS
from jixiao.core.evaluator import Evaluator, evaluate


def build() -> Dataset:
    ds = Dataset(settings=Settings(year=2023, as_of="2023-07-02"))
    ds.add_unit(Unit("301101", "天津市人民政府办公厅"))
    ds.add_unit(Unit("301205", "天津市人民政府办公厅综合服务中心"))
    ds.add_unit(Unit("309999", "没有项目的单位"))
    ds.add_project(Project("PA", "301101", 2023, "系统等级保护测评项目", Budget(100.0, 100.0)))
    ds.add_project(Project("PB", "301205", 2023, "综合服务中心工作经费", Budget(50.0, 50.0)))
    rows = [
        ("a1", "PA", "数量指标", "≥10个"),
        ("a2", "PA", "质量指标", "≥95%"),
        ("a3", "PA", "时效指标", "2023年6月底前完成"),
        ("a4", "PA", "社会效益指标", "及时"),
        ("b1", "PB", "数量指标", "≥10个"),
    ]
    for order, (iid, pid, category, text) in enumerate(rows):
        ds.add_indicator(Indicator(iid, pid, order, "产出指标", category, iid, "", text))
    return ds


def progress(ds, iid, as_of, actual, recorded_at=None):
    ds.add_progress(ProgressEntry(id=f"{iid}-{as_of}-{actual}", indicator_id=iid, as_of=as_of,
                                  actual=actual, author="alice",
                                  recorded_at=recorded_at or f"{as_of}T10:00:00"))


def spending(ds, pid, as_of, spent):
    ds.add_spending(SpendingEntry(id=f"{pid}-{as_of}", project_id=pid, as_of=as_of, spent=spent,
                                  author="alice", recorded_at=as_of))


def test_latest_entry_on_or_before_the_date_counts_and_later_ones_are_ignored():
    ds = build()
    progress(ds, "a1", "2023-03-31", "1")
    progress(ds, "a1", "2023-06-30", "4")
    progress(ds, "a1", "2023-09-30", "10")        # after the monitoring date
    ev = evaluate(ds)
    assert ev.as_of == "2023-07-02"
    assert ev.indicators["a1"].colour == "green"
    assert "actual 4 → 80%" in ev.indicators["a1"].reason_en
    # Replaying an earlier quarter uses only what was known then.
    assert "actual 1" in evaluate(ds, "2023-04-30").indicators["a1"].reason_en
    assert evaluate(ds, "2023-03-30").indicators["a1"].colour == "grey"
    assert evaluate(ds, "2023-10-01").indicators["a1"].final


def test_a_correction_on_the_same_day_replaces_the_earlier_entry():
    ds = build()
    progress(ds, "a1", "2023-06-30", "1", recorded_at="2023-07-01T09:00:00")
    progress(ds, "a1", "2023-06-30", "5", recorded_at="2023-07-01T15:00:00")
    assert "actual 5" in evaluate(ds).indicators["a1"].reason_en


def test_rollups_take_the_worst_colour_and_count_every_colour():
    ds = build()
    progress(ds, "a1", "2023-06-30", "3")          # 60 % → amber
    progress(ds, "a2", "2023-06-30", "99%")        # green
    progress(ds, "a3", "2023-06-20", "2023-06-20")  # green, final
    progress(ds, "b1", "2023-06-30", "1")          # 20 % → red
    spending(ds, "PA", "2023-06-30", 45.0)         # 90 % of time progress → green
    spending(ds, "PB", "2023-06-30", 25.0)
    ev = evaluate(ds)

    assert ev.projects["PA"].counts == {"red": 0, "amber": 1, "grey": 1, "blue": 0, "green": 2}
    assert ev.projects["PA"].colour == "amber"      # a4 is grey, but amber is worse
    assert ev.units["301101"].colour == "amber"
    assert ev.units["301205"].colour == "red"
    assert ev.units["309999"].colour == "grey"
    assert ev.units["309999"].counts == dict.fromkeys(COLOURS, 0)
    assert ev.total.colour == "red"
    assert ev.total.counts == {"red": 1, "amber": 1, "grey": 1, "blue": 0, "green": 2}
    assert sum(ev.total.counts.values()) == len(ds.indicators)
    assert ev.budgets["PA"].colour == "green"


def test_the_budget_light_counts_toward_the_project_colour_but_not_the_counts():
    ds = build()
    for iid in ("a1", "a2", "a4"):
        progress(ds, iid, "2023-06-30", {"a1": "10", "a2": "99", "a4": "达成"}[iid])
    progress(ds, "a3", "2023-06-20", "2023-06-20")
    spending(ds, "PA", "2023-06-30", 10.0)          # 10 % spent at 50 % of the year → red
    ev = evaluate(ds)
    assert ev.projects["PA"].counts["green"] == 4
    assert ev.budgets["PA"].colour == "red"
    assert ev.projects["PA"].colour == "red"
    # Without any spending report the light is grey, which is worse than all-green.
    ds.spending.clear()
    assert evaluate(ds).projects["PA"].colour == "grey"


def test_every_indicator_gets_a_status_even_without_a_project():
    ds = build()
    ds.add_indicator(Indicator("orphan", "gone", 0, "产出指标", "数量指标", "x", "", "≥3个"))
    ev = evaluate(ds)
    assert set(ev.indicators) == set(ds.indicators)
    assert ev.indicators["orphan"].colour == "grey"


def test_changing_the_date_recomputes_every_colour():
    ds = build()
    progress(ds, "a1", "2023-03-31", "3")
    early, late = evaluate(ds, "2023-04-01"), evaluate(ds, "2023-09-30")
    assert early.indicators["a1"].colour == "blue"     # 3 of an expected 2.5
    assert late.indicators["a1"].colour == "red"       # 3 of an expected 7.5
    assert early.indicators["a3"].reason_en == "no progress recorded; due 06-30 → grey"
    assert late.indicators["a3"].reason_en == "no progress recorded; was due 06-30 → red"


def test_same_target_and_value_share_a_verdict_but_not_across_dates():
    ds = build()
    progress(ds, "a1", "2023-06-30", "3")
    progress(ds, "b1", "2023-06-30", "3")
    ev = evaluate(ds)
    assert ev.indicators["a1"] == ev.indicators["b1"]
    assert evaluate(ds, "2023-12-31").indicators["a1"] != ev.indicators["a1"]


def test_re_evaluating_after_a_write_or_a_settings_change_sees_it():
    from dataclasses import replace

    evaluate = Evaluator().evaluate   # one evaluator, as the TUI keeps, across the calls
    ds = build()
    progress(ds, "a1", "2023-06-30", "3")
    assert evaluate(ds).indicators["a1"].colour == "amber"
    progress(ds, "a1", "2023-07-01", "10")
    assert evaluate(ds).indicators["a1"].colour == "green"
    progress(ds, "b1", "2023-06-30", "3")
    assert evaluate(ds).indicators["b1"].colour == "amber"
    ds.settings = replace(ds.settings, thresholds=replace(ds.settings.thresholds, amber_below=0.5))
    assert evaluate(ds).indicators["b1"].colour == "green"
    # A revised table changes the target text: the new target is judged, not the cached one.
    ds.add_indicator(Indicator("b1", "PB", 0, "产出指标", "数量指标", "b1", "", "≥4个"))
    s = evaluate(ds).indicators["b1"]
    assert (s.colour, s.reason_en) == (
        "blue", "expected ≥2 by 07-02 (50% of year), actual 3 → 150% → blue")


def test_verdicts_kept_across_dates_are_only_those_that_do_not_depend_on_the_date():
    evaluate = Evaluator().evaluate   # one evaluator, as the TUI keeps, across the calls
    ds = build()
    ds.add_indicator(Indicator("a5", "PA", 9, "产出指标", "数量指标", "cost", "", "≤10万元"))
    progress(ds, "a1", "2022-12-31", "10")          # reached: the same at any date
    progress(ds, "a2", "2022-12-31", "93")          # a level: the same at any date
    progress(ds, "a5", "2022-12-31", "6")           # spend: judged against time progress
    jan1 = evaluate(ds, "2023-01-01")
    assert jan1.indicators["a5"].reason_en == "limit ≤10万元, actual 6万元 → within the limit → green"
    mid = evaluate(ds, "2023-07-02")
    assert mid.indicators["a5"].reason_en == (
        "expected ≤5 by 07-02 (50% of year), actual 6 → 120% → green")
    assert mid.indicators["a1"] is jan1.indicators["a1"]
    assert mid.indicators["a2"] is jan1.indicators["a2"]
    assert evaluate(ds, "2023-03-01").indicators["a5"].colour == "amber"
    # …and only while the thresholds stay the same.
    from dataclasses import replace

    ds.settings = replace(ds.settings, thresholds=replace(ds.settings.thresholds,
                                                          level_amber_from=0.99))
    assert mid.indicators["a2"].colour == "amber"
    assert evaluate(ds, "2023-07-02").indicators["a2"].colour == "red"
