"""The file store's unit summaries (store.summaries): written with every import, believed only
while they match the unit file, the settings and the program exactly, never followed through a
link, and giving the very colours a full evaluation gives."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from jixiao.core.evaluator import Evaluator, evaluate
from jixiao.store import summaries
from jixiao.store.repository import Store


@pytest.fixture
def store(small_dataset, tmp_path) -> Store:
    """An admin's store over ``small_dataset()`` (units 301101 and 301205), summaries made."""
    s = Store(tmp_path / "data", user="alice")
    s.bulk_load(small_dataset())
    return s


def _summary_files(store: Store) -> list:
    return sorted((store.data_dir / "summaries").rglob("*.json"))


def test_an_import_writes_a_summary_per_unit_file_with_the_full_evaluations_colours(store):
    found, stale = store.summaries()
    assert stale == [] and sorted(k.unit_code for k in found) == ["301101", "301205"]
    assert len(_summary_files(store)) == 2
    full = store.load()
    ev = evaluate(full)
    for summary in found.values():
        for ind in summary.indicators:
            assert ind == full.indicators[ind.id]
            assert summary.statuses[ind.id] == ev.indicators[ind.id]
        assert summary.projects == full.projects_of(summary.unit.code)


def test_a_write_to_a_unit_makes_only_its_summary_stale_until_a_reader_renews_it(store):
    ds = store.load()
    iid = next(i.id for i in ds.indicators.values() if i.target_text == "≥100次")
    store.record_progress(iid, as_of="2023-07-31", actual="1次", causes=("其他",),
                          measures="加快")
    found, stale = store.summaries()
    assert [k.unit_code for k in stale] == ["301205"] and [k.unit_code for k in found] == ["301101"]
    # a reader that evaluated everything renews exactly the stale one from what it read
    ds = store.load()
    assert store.save_summaries(ds, evaluate(ds), {k: v for k, v in store.signatures().items()
                                                   if k in stale}) == 1
    found, stale = store.summaries()
    assert stale == []
    assert found[next(k for k in found if k.unit_code == "301205")].statuses[iid].colour == "red"


def test_a_change_of_monitoring_date_or_thresholds_makes_every_summary_stale(store):
    settings = store.settings()
    store.save_settings(replace(settings, as_of="2023-09-30"))
    assert store.summaries()[0] == {}
    assert store.refresh_summaries() == 2 and store.summaries()[1] == []
    store.save_settings(replace(store.settings(),
                                thresholds=replace(settings.thresholds, red_below=0.5)))
    assert store.summaries()[0] == {}


def test_summaries_of_another_program_are_not_believed(store, monkeypatch):
    monkeypatch.setattr(summaries, "program_tag", lambda: "another program")
    assert store.summaries()[0] == {}


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"format": 1}', b"\xff\xfe",
                                    b"[" * 100_000 + b"]" * 100_000])
def test_a_damaged_summary_is_ignored_never_an_error(store, damage):
    for path in _summary_files(store):
        path.write_bytes(damage)
    assert len(store.summaries()[1]) == 2


def test_a_summary_whose_columns_disagree_is_ignored(store):
    import json

    path = _summary_files(store)[0]
    doc = json.loads(path.read_bytes())
    doc["verdicts"]["colour"] = doc["verdicts"]["colour"][:-1]     # one verdict short
    path.write_text(json.dumps(doc, ensure_ascii=False))
    assert len(store.summaries()[1]) == 1


def test_a_link_or_a_fifo_planted_as_a_summary_is_neither_followed_nor_waited_on(store, tmp_path):
    a, b = _summary_files(store)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(a.read_bytes())
    a.unlink()
    a.symlink_to(elsewhere)
    b.unlink()
    os.mkfifo(b)
    assert len(store.summaries()[1]) == 2          # returns at once: no read blocks on the fifo
    # renewing them replaces the planted entries and never writes through the link
    before = elsewhere.read_bytes()
    ds = store.load()
    store.save_summaries(ds, evaluate(ds), store.signatures())
    assert elsewhere.read_bytes() == before
    assert not a.is_symlink() and b.is_file() and store.summaries()[1] == []


def test_a_linked_summaries_directory_is_refused_not_written_through(store, tmp_path):
    import shutil

    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(store.data_dir / "summaries")
    (store.data_dir / "summaries").symlink_to(outside)
    ds = store.load()
    assert store.save_summaries(ds, evaluate(ds), store.signatures()) == 0   # refused, quietly
    assert list(outside.iterdir()) == []
    # an import still succeeds: summaries are only ever an aid
    assert store.summaries()[0] == {}


def test_given_verdicts_roll_up_exactly_as_evaluated_ones(store):
    full = store.load()
    ev = evaluate(full)
    found, _ = store.summaries()
    # the summarized unit without any history, its verdicts given
    summarized = next(s for k, s in found.items() if k.unit_code == "301205")
    shown = store.load(keys=[k for k in found if k.unit_code == "301101"])
    shown.add_unit(summarized.unit)
    for p in summarized.projects:
        shown.add_project(p)
    for i in summarized.indicators:
        shown.add_indicator(i)
    for e in summarized.spending:
        shown.add_spending(e)
    given = replace(ev, indicators=summarized.statuses)
    got = Evaluator().evaluate(shown, given=given, given_units=frozenset({"301205"}))
    assert got.indicators == ev.indicators and got.units == ev.units
    assert got.projects == ev.projects and got.total == ev.total
    with pytest.raises(ValueError):
        Evaluator().evaluate(shown, "2023-09-30", given=given, given_units=frozenset({"301205"}))


def test_a_summary_gives_back_objects_equal_to_the_stored_ones(small_dataset, tmp_path):
    ds = small_dataset()
    for pid, p in list(ds.projects.items()):     # goals are a tuple, also after JSON
        ds.projects[pid] = replace(p, goals=("1.完成测评", "2.提升保障"))
    store = Store(tmp_path / "goals", user="alice")
    store.bulk_load(ds)
    full = store.load()
    for summary in store.summaries()[0].values():
        assert summary.unit == full.units[summary.unit.code]
        for p in summary.projects:
            assert p == full.projects[p.id] and hash(p) == hash(full.projects[p.id])
        for e in summary.spending:
            assert e in full.spending[e.project_id]


def test_one_summary_that_cannot_be_written_stops_no_other(store):
    (first, second) = _summary_files(store)
    first.unlink()
    first.mkdir()                       # a directory where the first unit's summary goes
    second.write_bytes(b"damaged")
    ds = store.load()
    assert store.save_summaries(ds, evaluate(ds), store.signatures()) == 1
    found, stale = store.summaries()
    assert len(found) == 1 and len(stale) == 1


def test_jixiao_record_renews_the_summary_of_its_unit(store, capsys):
    from jixiao.cli.main import main

    ds = store.load()
    iid = next(i.id for i in ds.indicators.values() if i.target_text == "≥100次")
    assert main(["--data", str(store.data_dir), "record", iid, "--actual", "100次",
                 "--as-of", "2023-07-31"]) == 0
    found, stale = store.summaries()
    assert stale == []
    assert next(s for k, s in found.items() if k.unit_code == "301205").statuses[iid].colour \
        == "green"
