"""An ``Evaluator`` against ``indicator_status`` one indicator at a time (issue 3).

Both judge through the one rule path (``rules.judge``), but an ``Evaluator`` keeps prepared
histories, shared cases and per-date verdicts between calls to stay within its budget; none of
that may change a single status. A few hundred generated indicators
(every kind of target, corrections on the same day, forecasts, likelihoods, unreadable values)
are judged at many dates, then again after the data set changes under the caches.
"""

import random
from dataclasses import replace
from datetime import date, timedelta

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit
from jixiao.core.budget_light import budget_status
from jixiao.core.colours import COLOURS
from jixiao.core.evaluator import Evaluator
from jixiao.core.rules import indicator_status

TARGETS = [
    ("≥10个", "数量指标"), (">10个", "数量指标"), ("10个", "数量指标"), ("≥0个", "数量指标"),
    ("≥95%", "质量指标"), ("≤89万元", "成本指标"), ("≤0万元", "成本指标"), ("<5%", "质量指标"),
    ("=250天", "数量指标"), ("1-2天", "时效指标"), ("90%-100%", "质量指标"),
    ("2023年6月底前完成", "时效指标"), ("2023年11月15日前", "时效指标"),
    ("及时", "社会效益指标"), ("显著提升", "社会效益指标"), ("≥8特别复杂", "数量指标"),
    ("≥10个", "质量指标"), ("", "数量指标"),
]
VALUES = ["0", "1", "2.5", "3", "4", "5", "6", "8", "9", "10", "12", "13", "20", "0项", "7个",
          "50%", "80%", "95%", "99%", "100%", "100", "60", "88万元", "90万元", "0.5亿元", "1.5",
          "249", "250", "2023-06-20", "2023-07-10", "2023-11-20", "达成", "部分达成", "未达成",
          "是", "及时", "", "abc", "-1"]
FORECASTS = [None, None, None, "10", "3", "100%", "达成", "未达成", "2023-12-31", "80万元", "x"]
LIKELIHOODS = [None, None, "确定能", "有可能", "完全不可能"]


def _day(rng: random.Random, start=date(2022, 12, 1), span=420) -> str:
    return (start + timedelta(days=rng.randrange(span))).isoformat()


def generate(seed: int, n: int = 400) -> Dataset:
    """``n`` indicators over a few units and projects, most with a history of entries."""
    rng = random.Random(seed)
    ds = Dataset(settings=Settings(year=2023, as_of="2023-07-02"))
    for u in range(4):
        ds.add_unit(Unit(f"30{u}", f"单位{u}"))
    for p in range(20):
        ds.add_project(Project(f"P{p}", f"30{p % 5}", 2023, f"项目{p}",   # 304: no unit record
                               Budget(100.0, 100.0) if p % 7 else Budget(0.0, 0.0), order=p))
        for _ in range(rng.randrange(4)):
            on = _day(rng)
            ds.add_spending(SpendingEntry(id=f"S{p}-{on}", project_id=f"P{p}", as_of=on,
                                          spent=rng.choice([0.0, 10.0, 45.0, 80.0, 120.0]),
                                          author="a", recorded_at=on + "T09:00:00+08:00"))
    for i in range(n):
        text, category = rng.choice(TARGETS)
        pid = f"P{rng.randrange(21)}"                       # P20 does not exist: an orphan
        ds.add_indicator(Indicator(f"i{i}", pid, i, "产出指标", category, f"指标{i}", "", text,
                                   measure=rng.choice([None, None, None, "cumulative", "level"])))
        for k in range(rng.choice([0, 1, 2, 3, 4, 6])):
            add_entry(ds, rng, f"i{i}", k)
    return ds


def add_entry(ds: Dataset, rng: random.Random, iid: str, k: int) -> None:
    on = _day(rng)
    # Now and then a correction made later on the same day as an earlier entry.
    history = ds.progress.get(iid)
    if history and rng.random() < 0.2:
        on = rng.choice(history).as_of
    ds.add_progress(ProgressEntry(
        id=f"{iid}-{k}-{on}", indicator_id=iid, as_of=on, actual=rng.choice(VALUES),
        author="a", recorded_at=f"{on}T{10 + k:02d}:00:00+08:00",
        forecast=rng.choice(FORECASTS), likelihood=rng.choice(LIKELIHOODS)))


def expected(ds: Dataset, on: str):
    """Every status the slow way: the counting entry and ``indicator_status`` per indicator."""
    statuses = {}
    for ind in ds.indicators.values():
        project = ds.projects.get(ind.project_id)
        year = project.year if project else ds.settings.year
        statuses[ind.id] = indicator_status(ind, ds.counting_progress(ind.id, on), on,
                                            ds.settings, year)
    return statuses


def check(evaluator: Evaluator, ds: Dataset, on: str) -> None:
    ev = evaluator.evaluate(ds, on)
    want = expected(ds, on)
    assert ev.indicators.keys() == want.keys()
    for iid, status in want.items():
        got = ev.indicators[iid]
        # Status equality compares colour, finality, expected, ratio and both reasons.
        assert got == status, (on, iid, ds.indicators[iid].target_text, got, status)
    for pid, project in ds.projects.items():
        budget = budget_status(project, ds.counting_spending(pid, on), on, ds.settings)
        assert ev.budgets[pid] == budget, (on, pid)
        counts = dict.fromkeys(COLOURS, 0)
        for ind in ds.indicators_of(pid):
            counts[want[ind.id].colour] += 1
        assert ev.projects[pid].counts == counts, (on, pid)
    assert sum(ev.total.counts.values()) == sum(
        1 for i in ds.indicators.values() if i.project_id in ds.projects)


def dates(rng: random.Random, n: int = 40) -> list[str]:
    fixed = ["2022-12-31", "2023-01-01", "2023-06-30", "2023-07-02", "2023-12-31", "2024-01-01"]
    return fixed + [_day(rng) for _ in range(n - len(fixed))]


def test_evaluate_gives_what_indicator_status_gives_at_every_date():
    ds = generate(1)
    evaluator = Evaluator()
    rng = random.Random(2)
    for on in dates(rng):
        check(evaluator, ds, on)
    # The same dates again, in another order: cached verdicts must not leak across dates.
    for on in reversed(dates(random.Random(2), 12)):
        check(evaluator, ds, on)


def test_evaluate_sees_every_change_to_the_data_set_between_calls():
    ds = generate(3)
    evaluator = Evaluator()
    rng = random.Random(4)
    for on in dates(rng, 8):
        check(evaluator, ds, on)
    # New entries appended to histories in place (and to histories that had none).
    for k in range(150):
        add_entry(ds, rng, f"i{rng.randrange(400)}", 100 + k)
    for on in dates(rng, 8):
        check(evaluator, ds, on)
    # A copy whose histories are new lists (as the TUI previews an entry), then the original.
    copy = replace(ds)
    copy.progress = {iid: list(h) for iid, h in ds.progress.items()}
    for k in range(50):
        add_entry(copy, rng, f"i{rng.randrange(400)}", 300 + k)
    for on in dates(rng, 6):
        check(evaluator, copy, on)
        check(evaluator, ds, on)
    # Other thresholds, revised targets, a history removed, a spending report added.
    ds.settings = replace(ds.settings, thresholds=replace(ds.settings.thresholds,
                                                          amber_below=0.9, level_amber_from=0.5))
    for k in range(0, 400, 7):
        old = ds.indicators[f"i{k}"]
        text, category = rng.choice(TARGETS)
        ds.add_indicator(replace(old, target_text=text, category=category))
    ds.progress.pop("i1", None)
    ds.progress["i2"] = []
    ds.add_spending(SpendingEntry(id="S-new", project_id="P1", as_of="2023-05-01", spent=50.0,
                                  author="a", recorded_at="2023-05-01T09:00:00+08:00"))
    for on in dates(rng, 8):
        check(evaluator, ds, on)
    add_entry(ds, rng, "i2", 999)        # the empty history grows in place
    for on in dates(rng, 4):
        check(evaluator, ds, on)
