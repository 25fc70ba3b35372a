"""The store keeps what was written, partitions it, and notices other processes' writes."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.importing import plan_import
from jixiao.core.tables import read_tables
from jixiao.store import partition, schema
from jixiao.store.layout import PartitionKey
from jixiao.store.repository import Store



def test_bulk_load_round_trips_everything(filled_store, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    again = Store(tmp_path / "d", user="x").load()
    assert again.units == ds.units
    assert again.projects == ds.projects
    assert again.indicators == ds.indicators
    assert again.settings == ds.settings


def test_one_file_per_unit_and_year(filled_store, store_units, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    files = sorted(p.relative_to(tmp_path / "d").as_posix() for p in store.layout.partition_files())
    assert files == [f"units/2023/{u}.json" for u in store_units]


def test_progress_is_appended_with_author_and_time(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301205")
    a = store.record_progress(iid, as_of="2023-06-30", actual="5个")
    b = Store(tmp_path / "d", user="someone").record_progress(iid, as_of="2023-07-31",
                                                               actual="5个", forecast="12个",
                                                               likelihood="有可能",
                                                               causes=("经费保障",),
                                                               measures="加快采购")
    history = Store(tmp_path / "d", user="x").load().progress[iid]
    assert [e.id for e in history] == [a.id, b.id]
    assert [e.author for e in history] == ["admin1", "someone"]
    assert all(e.recorded_at[:4].isdigit() for e in history)
    assert history[1].causes == ("经费保障",) and history[1].forecast == "12个"


def test_spending_is_appended(filled_store, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    pid = ds.projects_of("301101")[0].id
    store.record_spending(pid, as_of="2023-06-30", spent=10)
    store.record_spending(pid, as_of="2023-07-31", spent="40.5")
    got = store.load().spending[pid]
    assert [e.spent for e in got] == [10.0, 40.5]


@pytest.mark.parametrize("kwargs, words", [
    (dict(as_of="2023-13-01", actual="3个"), "the month must be 01–12"),
    (dict(as_of="2023-07-31", actual="  "), "actual"),
    (dict(as_of="2023-07-31", actual="3个", likelihood="maybe"), "likelihood"),
    (dict(as_of="2023-07-31", actual="3个", causes=("天气",)), "天气"),
    (dict(as_of="2023-07-31", actual="达成"), "needs a number in 个"),
    (dict(as_of="2023-07-31", actual="3万元"), "does not fit the target '≥10个'"),
    (dict(as_of="2023-07-31", actual="3个", forecast="很多"), "forecast '很多'"),
])
def test_bad_progress_is_refused_and_nothing_is_written(filled_store, first_indicator, tmp_path, kwargs, words):
    store, ds = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301101"))
    before = path.read_bytes()
    with pytest.raises(JixiaoError) as err:
        store.record_progress(first_indicator(ds, "301101"), **kwargs)
    assert words in err.value.message
    assert path.read_bytes() == before


def test_unknown_ids_are_a_clear_error(filled_store, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    with pytest.raises(JixiaoError, match="no indicator with id 'nope'"):
        store.record_progress("nope", as_of="2023-07-31", actual="1个")
    with pytest.raises(JixiaoError, match="no project"):
        store.record_spending("Pnope", as_of="2023-07-31", spent=1)


def test_a_fresh_store_finds_an_indicator_without_loading(filled_store, first_indicator, tmp_path):
    _, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301206")
    entry = Store(tmp_path / "d", user="admin1").record_progress(iid, as_of="2023-07-31",
                                                                 actual="6个")
    assert entry.indicator_id == iid


def test_refresh_sees_another_process_write_and_rereads_only_that_file(filled_store, first_indicator, start_writer, tmp_path, monkeypatch):
    store, ds = filled_store(tmp_path / "d")
    view = store.load()
    assert store.refresh(view) is False
    iid = first_indicator(ds, "301205")
    proc = start_writer(tmp_path / "d", "admin1", iid, 1)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    reads = []
    real = partition.read_bytes
    monkeypatch.setattr("jixiao.store.repository.read_bytes",
                        lambda p: reads.append(p) or real(p))
    assert store.refresh(view) is True
    assert [p.stem for p in reads] == ["301205"]
    assert [e.actual for e in view.progress[iid]] == ["0个"]
    assert [i.id for i in view.indicators_of(view.projects_of("301205")[0].id)][0] == iid
    assert len(view.indicators) == 18  # the others were kept, not dropped
    assert store.refresh(view) is False


def test_refresh_sees_settings_change(filled_store, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    view = store.load()
    other = Store(tmp_path / "d", user="admin1")
    other.save_settings(replace(other.settings(), as_of="2023-09-30"))
    assert store.refresh(view) is True
    assert view.settings.as_of == "2023-09-30"


def test_files_are_for_the_group_only(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    store.record_progress(first_indicator(ds, "301101"), as_of="2023-07-31", actual="6个")
    root = tmp_path / "d"
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o2770, path
        else:
            assert mode == 0o660, path


def test_previous_generation_is_kept_as_bak(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301101"))
    before = path.read_bytes()
    store.record_progress(first_indicator(ds, "301101"), as_of="2023-07-31", actual="6个")
    assert path.with_name(path.name + ".bak").read_bytes() == before
    assert path.read_bytes() != before


def test_sample_import_then_reimport_changes_no_byte(seed_path, tmp_path):
    store = Store(tmp_path / "d", user="admin1")
    tables = read_tables(str(seed_path))
    written = store.apply_import(plan_import(tables, store.load()))
    assert len(written) == 4
    ds = store.load()
    assert len(ds.indicators) == 128 and ds.settings.year == 2023
    snapshot = {p: p.read_bytes() for p in (tmp_path / "d").rglob("*.json")}
    assert store.apply_import(plan_import(read_tables(str(seed_path)), ds)) == {}
    assert {p: p.read_bytes() for p in (tmp_path / "d").rglob("*.json")} == snapshot


def test_revised_import_keeps_progress_of_matching_indicators(seed_path, tmp_path):
    store = Store(tmp_path / "d", user="admin1")
    store.apply_import(plan_import(read_tables(str(seed_path)), store.load()))
    ds = store.load()
    rows = ds.indicators_of(ds.projects_of("301205")[0].id)
    kept = next(i for i in rows if i.target_text.endswith("份"))
    dropped = rows[-1]
    assert kept != dropped
    store.record_progress(kept.id, as_of="2023-07-31", actual="80000份")
    # A revised plan: the last indicator of the project is gone, the first has a new target.
    plan = plan_import(read_tables(str(seed_path)), ds)
    plan.indicators = [replace(i, target_text="≥99000份") if i.id == kept.id else i
                       for i in plan.indicators if i.id != dropped.id]
    plan.removed_indicator_ids = [dropped.id]
    written = store.apply_import(plan)
    assert list(written) == [PartitionKey(2023, "301205")]
    assert "1 changed, 1 removed" in written[PartitionKey(2023, "301205")]
    after = store.load()
    assert dropped.id not in after.indicators
    assert after.indicators[kept.id].target_text == "≥99000份"
    assert [e.actual for e in after.progress[kept.id]] == ["80000份"]


def test_stored_text_is_utf8_and_stamped(filled_store, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    raw = store.layout.partition(PartitionKey(2023, "301101")).read_bytes()
    data = json.loads(raw)
    assert data["_meta"]["1"] == {"format": "jixiao", "kind": "partition",
                                  "schema": schema.CURRENT}
    assert "单位301101".encode() in raw  # not \\u-escaped


def test_reading_creates_nothing(tmp_path):
    store = Store(tmp_path / "none", user="u")
    assert store.load().units == {}
    assert store.check() != []  # reports the missing directory
    assert not (tmp_path / "none").exists()


# --- the rules every entry point shares -------------------------------------------------------

@pytest.mark.parametrize("actual, causes, measures, missing", [
    ("1个", (), None, "at least one cause (偏差原因"),          # red: both missing
    ("1个", ("经费保障",), "  ", "the corrective measures"),     # blank measures are none
    ("4个", (), "加快", "makes the indicator amber"),            # amber needs them too
])
def test_an_entry_that_leaves_an_indicator_behind_must_say_why(filled_store, first_indicator, tmp_path, actual, causes,
                                                                 measures, missing):
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301101")  # ≥10个: at 07-31 about 5.8 are expected
    path = store.layout.partition(PartitionKey(2023, "301101"))
    before = path.read_bytes()
    with pytest.raises(JixiaoError, match="nothing was recorded") as err:
        store.record_progress(iid, as_of="2023-07-31", actual=actual, causes=causes,
                              measures=measures)
    assert missing in err.value.message
    assert path.read_bytes() == before
    e = store.record_progress(iid, as_of="2023-07-31", actual=actual, causes=("人员保障",),
                              measures="增派人手")
    assert (e.causes, e.measures) == (("人员保障",), "增派人手")


def test_an_entry_on_track_needs_no_explanation(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301101")
    assert store.record_progress(iid, as_of="2023-07-31", actual="6个").causes == ()   # green
    assert store.record_progress(iid, as_of="2023-07-31", actual="9个").measures is None  # blue


def test_the_rule_is_one_core_function():
    from jixiao.core.explanation import explanation_gaps, missing_explanation

    assert explanation_gaps("red", (), None) == ("causes", "measures")
    assert explanation_gaps("amber", ("其他",), "") == ("measures",)
    assert explanation_gaps("amber", (), "x") == ("causes",)
    for colour in ("green", "blue", "grey"):
        assert explanation_gaps(colour, (), None) == () and not missing_explanation(colour, (), None)
    assert missing_explanation("red", ("其他",), "x") is None
    assert "纠偏措施" in missing_explanation("red", ("其他",), None)


@pytest.mark.parametrize("as_of", ["2030-07-31", "2022-12-31", "2025-01-01"])
def test_entries_outside_the_budget_year_and_the_next_are_refused(filled_store, first_indicator, tmp_path, as_of):
    store, ds = filled_store(tmp_path / "d")
    with pytest.raises(JixiaoError, match=f"dated {as_of} is outside the budget year 2023"):
        store.record_progress(first_indicator(ds, "301101"), as_of=as_of, actual="20个")
    with pytest.raises(JixiaoError, match="between 2023-01-01 and 2024-12-31"):
        store.record_spending(ds.projects_of("301101")[0].id, as_of=as_of, spent=1)
    assert Store(tmp_path / "d", user="x").load().progress == {}


def test_a_damaged_file_stops_the_search_for_an_id_with_its_name(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301205"))
    path.write_bytes(b"\x00 not json")  # the id is not even in the bytes any more
    with pytest.raises(JixiaoError) as err:
        Store(tmp_path / "d", user="x").record_progress(first_indicator(ds, "301205"),
                                                        as_of="2023-07-31", actual="20个")
    message = err.value.message
    assert str(path) in message and "cannot be read" in message
    assert "there is no 301205.json.bak beside it, so restore it from a backup" in message


def test_make_dataset_has_what_the_tests_rely_on(make_dataset, first_indicator, store_units):
    ds = make_dataset()
    assert len(ds.units) == 3 and len(ds.projects) == 6 and len(ds.indicators) == 18
    assert len({first_indicator(ds, u) for u in store_units}) == 3
