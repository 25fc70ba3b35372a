"""Loading a subset of partitions, and the unit index that lists units before they are read."""

from __future__ import annotations

import json

from jixiao.core.importing import plan_import
from jixiao.core.tables import read_tables
from jixiao.store.index import KIND, read_index
from jixiao.store.layout import PartitionKey
from jixiao.store.repository import Store
from jixiao.store.storage import read_file


def test_partition_keys_and_listing_come_from_the_index(filled_store, store_units, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    keys = [PartitionKey(2023, code) for code in sorted(store_units)]
    assert store.partition_keys() == keys
    listing = Store(tmp_path / "d", user="x").unit_listing()
    assert list(listing) == keys
    assert {k.unit_code: u for k, u in listing.items()} == ds.units
    # a schema-stamped file of its own kind, written atomically like every other
    assert read_file(store.layout.index, KIND)["_meta"]["1"]["kind"] == "index"


def test_listing_without_an_index_names_units_by_code(filled_store, store_units, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    store.layout.index.unlink()
    listing = Store(tmp_path / "d", user="x").unit_listing()
    assert [(k.unit_code, u.name) for k, u in listing.items()] == [(c, c) for c in store_units]


def test_listing_reads_a_hashed_file_the_index_does_not_name(filled_store, tmp_path):
    store, _ = filled_store(tmp_path / "d", units=("301101", "单位/甲"))
    store.layout.index.unlink()
    codes = [k.unit_code for k in Store(tmp_path / "d", user="x").partition_keys()]
    assert sorted(codes) == sorted(["301101", "单位/甲"])


def test_load_of_some_keys_reads_only_those_partitions(filled_store, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    part = Store(tmp_path / "d", user="x").load(keys=[PartitionKey(2023, "301205")])
    assert set(part.units) == {"301205"}
    assert {p.unit_code for p in part.projects.values()} == {"301205"}
    assert set(part.indicators) == {i.id for p in ds.projects_of("301205")
                                    for i in ds.indicators_of(p.id)}
    # load() without keys is unchanged: everything
    assert Store(tmp_path / "d", user="x").load().indicators == ds.indicators


def test_refresh_after_a_subset_takes_in_the_rest_and_new_writes(filled_store, first_indicator, store_units, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    reader = Store(tmp_path / "d", user="x")
    part = reader.load(keys=[PartitionKey(2023, "301101")])
    store.record_progress(first_indicator(ds, "301101"), as_of="2023-07-31", actual="11个")
    assert reader.refresh(part)
    assert set(part.units) == set(store_units)
    assert len(part.progress[first_indicator(ds, "301101")]) == 1


def test_import_keeps_the_index_and_check_reports_a_stale_or_damaged_one(seed_path, tmp_path):
    data = tmp_path / "d"
    store = Store(data, user="admin1")
    store.apply_import(plan_import(read_tables(str(seed_path)), store.load()))
    entries = read_index(store.layout)
    assert entries and {u.code for u in entries.values()} == {
        k.unit_code for k in store.partition_keys()}
    assert store.check() == []
    # a stale name (say, an admin restored an older file by hand) is reported, not trusted
    doc = json.loads(store.layout.index.read_text("utf-8"))
    first = next(iter(doc["units"].values()))
    first["name"] = "旧名称"
    store.layout.index.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert any("旧名称" in p and "index.json" in p for p in store.check())
    # damaged: reported by check; the listing falls back to file names; imports leave it alone
    store.layout.index.write_text("{not json", "utf-8")
    assert any("index.json" in p for p in store.check())
    assert len(store.unit_listing()) == len(entries)
    store.apply_import(plan_import(read_tables(str(seed_path)), store.load()))
    assert store.layout.index.read_text("utf-8") == "{not json"
