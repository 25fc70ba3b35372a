"""The demo data: the seed tables as imported plus illustrative progress as of 2023-07-31."""

from collections import Counter

from jixiao.core import readings
from jixiao.core.importing import plan_import
from jixiao.core.colours import COLOURS
from jixiao.core.evaluator import evaluate
from jixiao.core.targets import KINDS, parse_target
from jixiao.core.tables import read_tables
from jixiao.sample_data import build, load_sample, seed_path
from jixiao.store.repository import Store


def test_load_sample_is_the_complete_2023_demo():
    ds = load_sample()
    assert (ds.settings.year, ds.settings.as_of) == (2023, "2023-07-31")
    assert (len(ds.units), len(ds.projects), len(ds.indicators)) == (4, 8, 128)
    assert all(ds.progress.get(i) for i in ds.indicators), "every indicator has progress"
    assert all(ds.counting_spending(p, "2023-07-31") for p in ds.projects), "every project has spending"
    assert {e.author for entries in ds.progress.values() for e in entries} >= {"zhang.wei", "li.na"}


def test_load_sample_is_deterministic_and_fresh_each_time():
    a, b = load_sample(), load_sample()
    assert a == b and a is not b
    a.progress.clear()
    assert load_sample().progress  # callers may change their copy freely


def test_committed_json_is_what_build_py_generates():
    tables = build.build_tables()
    assert build.TABLES_JSON.read_text(encoding="utf-8") == build.render(tables)
    assert build.PROGRESS_JSON.read_text(encoding="utf-8") == build.render(build.build_progress(tables))


def test_sample_tables_are_the_seed_as_imported():
    ds = load_sample()
    plan = plan_import(read_tables(seed_path()), ds)
    assert plan.is_noop  # importing the seed into the demo changes nothing


def test_every_sample_value_fits_its_target():
    ds = load_sample()
    for ind in ds.indicators.values():
        target = parse_target(ind.target_text, year=2023, level1=ind.level1, category=ind.category,
                              measure=ind.measure)
        for entry in ds.progress[ind.id]:
            assert readings.check_actual(entry.actual, target) is None, (ind.name, entry.actual)
            if entry.forecast:
                assert readings.check_actual(entry.forecast, target) is None, (ind.name, entry.forecast)


def test_the_demo_shows_every_kind_of_target_and_every_colour():
    ds = load_sample()
    kinds = {parse_target(i.target_text, year=2023, level1=i.level1, category=i.category).kind
             for i in ds.indicators.values()}
    assert kinds == set(KINDS)
    ev = evaluate(ds)
    colours = Counter(s.colour for s in ev.indicators.values())
    assert set(colours) == set(COLOURS), colours
    assert colours["green"] > colours["amber"] > 0
    budget_colours = {s.colour for s in ev.budgets.values()}
    assert {"green", "amber", "red"} <= budget_colours


def test_the_grey_indicator_turns_coloured_when_the_monitoring_date_moves_on():
    ds = load_sample()
    grey = [i for i, s in evaluate(ds).indicators.items() if s.colour == "grey"]
    assert grey
    later = evaluate(ds, "2023-08-31")
    assert all(later.indicators[i].colour != "grey" for i in grey)


def test_the_demo_loads_into_an_empty_store(tmp_path):
    Store(tmp_path, user="admin").bulk_load(load_sample())
    ds = Store(tmp_path, user="admin").load()
    assert (len(ds.units), len(ds.projects), len(ds.indicators)) == (4, 8, 128)
    assert sum(map(len, ds.progress.values())) == sum(map(len, load_sample().progress.values()))
    assert ds.settings.as_of == "2023-07-31"
