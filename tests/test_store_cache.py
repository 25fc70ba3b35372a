"""The per-user read cache of parsed partitions (``store.cache``): used only for exactly the
bytes of the JSON file it was made from, rebuilt when stale or damaged, never needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.evaluator import evaluate
from jixiao.store import cache
from jixiao.store.repository import Store


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """A private ``XDG_CACHE_HOME`` with the cache turned on."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("JIXIAO_CACHE", raising=False)
    return home


@pytest.fixture
def with_history(tmp_path, filled_store, first_indicator):
    """A store whose 301205 has two progress entries and a spending entry: (data dir, indicator)."""
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, "301205")
    store.record_progress(iid, as_of="2023-03-31", actual="2个")
    store.record_progress(iid, as_of="2023-06-30", actual="3个", forecast="12个",
                          likelihood="有可能", causes=("其他", "经费保障"), measures="加快进度")
    project = ds.projects_of("301205")[0]
    store.record_spending(project.id, as_of="2023-06-30", spent=12.5, note="半年")
    return tmp_path / "d", iid


def _same(a, b):
    assert a.settings == b.settings
    assert a.units == b.units and a.projects == b.projects and a.indicators == b.indicators
    assert a.progress == b.progress and a.spending == b.spending
    assert [u.code for u in a.unit_list()] == [u.code for u in b.unit_list()]
    for p in a.projects.values():
        assert a.indicators_of(p.id) == b.indicators_of(p.id)


def _entries(home: Path) -> list[Path]:
    return sorted(home.rglob("*.bin"))


def test_a_cached_load_gives_exactly_what_the_json_files_hold(with_history, tmp_path, cache_home, monkeypatch):
    data, iid = with_history
    monkeypatch.setenv("JIXIAO_CACHE", "off")
    plain = Store(data, user="admin1").load()
    assert not _entries(cache_home)
    monkeypatch.delenv("JIXIAO_CACHE")
    first = Store(data, user="admin1").load()  # parses, writes the entries
    assert len(_entries(cache_home)) == 3
    # The second load must not parse any JSON: every partition comes from the cache.
    monkeypatch.setattr("jixiao.store.repository.parse", lambda *a: pytest.fail("parsed JSON"))
    second = Store(data, user="admin1").load()
    _same(plain, first)
    _same(plain, second)
    assert second.progress[iid][-1].causes == ("其他", "经费保障")


def test_another_process_write_is_seen_and_the_entry_rebuilt(with_history, tmp_path, cache_home):
    data, iid = with_history
    Store(data, user="admin1").load()
    Store(data, user="admin1").record_progress(iid, as_of="2023-07-31", actual="9个")
    again = Store(data, user="admin1").load()
    assert [e.actual for e in again.progress[iid]] == ["2个", "3个", "9个"]


def test_a_damaged_or_foreign_cache_entry_is_ignored(with_history, tmp_path, cache_home):
    data, iid = with_history
    Store(data, user="admin1").load()
    entries = _entries(cache_home)
    entries[0].write_bytes(b"garbage")
    entries[1].write_bytes(entries[1].read_bytes()[:-20])  # torn
    blob = bytearray(entries[2].read_bytes())
    blob[-5] ^= 0xFF  # altered
    entries[2].write_bytes(bytes(blob))
    got = Store(data, user="admin1").load()
    assert [e.actual for e in got.progress[iid]] == ["2个", "3个"]
    assert len(got.indicators) == 18


def test_the_cache_is_never_trusted_over_a_damaged_json_file(with_history, tmp_path, cache_home):
    data, _ = with_history
    Store(data, user="admin1").load()
    victim = next((data / "units").rglob("301205.json"))
    before = victim.read_bytes()
    victim.write_bytes(before[:-10])
    with pytest.raises(JixiaoError, match="301205.json is damaged"):
        Store(data, user="admin1").load()
    assert victim.read_bytes() == before[:-10]


def test_deleting_the_cache_is_safe_and_check_ignores_it(with_history, tmp_path, cache_home):
    data, iid = with_history
    store = Store(data, user="admin1")
    store.load()
    assert not any(p.suffix == ".bin" for p in data.rglob("*"))  # nothing in the data dir
    where = cache.cache_dir(data)
    assert where is not None and where.is_relative_to(cache_home / "jixiao")
    for p in _entries(cache_home):
        p.unlink()
    assert [e.actual for e in Store(data, user="admin1").load().progress[iid]] == ["2个", "3个"]
    assert store.check() == []


def test_refresh_updates_the_cache_for_the_next_start(with_history, tmp_path, cache_home, monkeypatch):
    data, iid = with_history
    store = Store(data, user="admin1")
    view = store.load()
    Store(data, user="admin1").record_progress(iid, as_of="2023-07-31", actual="9个")
    assert store.refresh(view) is True
    assert [e.actual for e in view.progress[iid]] == ["2个", "3个", "9个"]
    monkeypatch.setattr("jixiao.store.repository.parse", lambda *a: pytest.fail("parsed JSON"))
    assert [e.actual for e in Store(data, user="admin1").load().progress[iid]] == \
        ["2个", "3个", "9个"]


def test_an_unwritable_cache_home_only_costs_time(with_history, tmp_path, monkeypatch):
    data, iid = with_history
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert [e.actual for e in Store(data, user="admin1").load().progress[iid]] == ["2个", "3个"]


def test_a_load_for_a_date_keeps_what_can_count_and_reads_the_rest_on_demand(with_history, cache_home):
    data, iid = with_history                 # entries dated 03-31 and 06-30
    store = Store(data, user="admin1")
    ds = store.load(since="2023-07-31")
    assert ds.history_from == "2023-07-31"
    assert [e.as_of for e in ds.progress[iid]] == ["2023-06-30"]
    assert ds.counting_progress(iid, "2023-07-31").actual == "3个"
    with pytest.raises(ValueError):          # the entry that counted in April was left out
        ds.counting_progress(iid, "2023-04-30")
    with pytest.raises(ValueError):
        evaluate(ds, "2023-04-30")
    assert evaluate(ds, "2023-07-31").indicators[iid] == evaluate(store.load()).indicators[iid]
    assert [e.as_of for e in store.progress_history(iid)] == ["2023-03-31", "2023-06-30"]
    assert [e.as_of for e in store.load(since="2023-04-30").progress[iid]] == [
        "2023-03-31", "2023-06-30"]
    assert [e.as_of for e in store.load(since="2023-01-31").progress[iid]] == [
        "2023-03-31", "2023-06-30"]           # nothing counts yet: everything may later
    # a refresh keeps to the same date; entries recorded after it are all kept
    Store(data, user="admin1").record_progress(iid, as_of="2023-08-31", actual="9个")
    assert store.refresh(ds)
    assert [e.as_of for e in ds.progress[iid]] == ["2023-06-30", "2023-08-31"]
    assert [e.as_of for e in store.progress_history(iid)] == [
        "2023-03-31", "2023-06-30", "2023-08-31"]
