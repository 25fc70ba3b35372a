"""The benchmark data generator (bench/generate.py): deterministic, the promised shape, every
target kind, and loadable through the store and as one plain TinyDB file. No timings here."""

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest


from jixiao.bench.generate import generate, naive_tinydb_doc


def _as_json(ds) -> str:
    return json.dumps(naive_tinydb_doc(ds), ensure_ascii=False, sort_keys=True)


@pytest.fixture(scope="module")
def ds():
    return generate(2000, seed=5)


def test_same_seed_same_data_other_seed_other_data(ds):
    assert _as_json(generate(2000, seed=5)) == _as_json(ds)
    assert _as_json(generate(2000, seed=6)) != _as_json(ds)


def test_shape(ds):
    assert len(ds.indicators) == 2000
    assert len(ds.units) == 10                         # ~200 indicators per unit
    assert len(ds.projects) == 100                     # ~20 indicators per project
    sizes = Counter(i.project_id for i in ds.indicators.values())
    assert set(sizes) == set(ds.projects) and all(12 <= n <= 28 for n in sizes.values())
    for u in ds.units.values():
        assert re.fullmatch(r"[3-9]\d{5}", u.code)
        assert re.search(r"[\u4e00-\u9fff]", u.name)
    for p in ds.projects.values():
        assert p.unit_code in ds.units and p.budget.total > 0
        assert len(ds.spending[p.id]) == 4          # quarterly spending, cumulative
        spent = [e.spent for e in ds.spending[p.id]]
        assert spent == sorted(spent)


def test_progress_about_four_per_indicator_spread_over_the_year(ds):
    entries = [e for es in ds.progress.values() for e in es]
    assert 3.5 <= len(entries) / len(ds.indicators) <= 4.3
    assert all(e.indicator_id in ds.indicators for e in entries)
    assert len({e.id for e in entries}) == len(entries)
    months = Counter(e.as_of[5:7] for e in entries)
    assert len(months) == 12 and min(months.values()) > len(entries) / 30
    assert 0 < len(ds.indicators) - len(ds.progress) < len(ds.indicators) * 0.1  # a few grey


def test_every_target_kind_in_realistic_proportions(ds):
    texts = [i.target_text for i in ds.indicators.values()]
    share = lambda pattern: sum(bool(re.search(pattern, t)) for t in texts) / len(texts)  # noqa: E731
    assert 0.10 < share(r"^(≥|>=|不少于)?\d+(个|人|份|期|台|项|类|种|次|场|人次|批次|家|处|万人次|平方米)(以上)?$") < 0.40
    assert 0.15 < share(r"%$|百分比$") < 0.45                   # rates
    assert 0.10 < share(r"^(≤|<=|不超过)[\d.]+万元$") < 0.35       # caps
    assert 0.005 < share(r"^\d+-\d+天") < 0.05                   # ranges
    assert 0.01 < share(r"\d{4}年(\d+月|上半年)") < 0.10          # deadlines
    assert 0.10 < share(r"^\D+$") < 0.40                         # qualitative


def test_parser_reads_every_kind(ds):
    from jixiao.core.targets import parse_target

    kinds = Counter(parse_target(i.target_text, year=2023, level1=i.level1,
                                 category=i.category).kind
                    for i in ds.indicators.values())
    assert set(kinds) >= {"quantity", "rate", "range", "deadline", "qualitative"}


def test_naive_file_is_a_tinydb_database(tmp_path):
    from tinydb import TinyDB

    small = generate(300, seed=2)
    path = tmp_path / "naive.json"
    path.write_text(json.dumps(naive_tinydb_doc(small)))
    db = TinyDB(path)
    assert len(db.table("indicators")) == 300
    assert len(db.table("progress")) == sum(map(len, small.progress.values()))
    db.close()


def test_written_through_the_store_loads_back(tmp_path):
    from jixiao.store.repository import Store

    small = generate(400, seed=3)
    Store(tmp_path, user="bench").bulk_load(small)
    back = Store(tmp_path, user="bench").load()
    assert set(back.indicators) == set(small.indicators)
    assert sum(map(len, back.progress.values())) == sum(map(len, small.progress.values()))
    assert set(back.units) == set(small.units)


def test_an_entry_id_that_collides_is_derived_again_and_others_stay(ds):
    from jixiao.bench.generate import unique_id

    entries = [e for history in ds.progress.values() for e in history]
    assert len({e.id for e in entries}) == len(entries)
    seen = {entries[0].id}
    again = unique_id(entries[0], seen)
    assert again.id != entries[0].id and again.id[0] == "E" and len(again.id) == len(entries[0].id)
    assert again.actual == entries[0].actual and again.id in seen
    assert unique_id(entries[1], seen) is entries[1]
