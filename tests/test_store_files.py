"""Damaged, foreign and newer-schema files: a clear message, exit 2, and the file untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.store import schema
from jixiao.store.layout import PartitionKey
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"

def _first_indicator_set(value):
    # Rewrites the file's first indicator record as ``value(record)``.
    def spoil(raw: bytes) -> bytes:
        tables = json.loads(raw)
        first = next(iter(tables["indicators"]))
        tables["indicators"][first] = value(tables["indicators"][first])
        return json.dumps(tables, ensure_ascii=False).encode()
    return spoil


NEWER = {"_meta": {"1": {"format": "jixiao", "kind": "partition", "schema": 99}}, "unit": {}}
CASES = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x00\xff\xfe not json",
    "empty": lambda raw: b"",
    "foreign": lambda raw: json.dumps({"_default": {"1": {"hello": "world"}}}).encode(),
    "newer": lambda raw: json.dumps(NEWER).encode(),
    "wrong-kind": lambda raw: json.dumps(
        {"_meta": {"1": {"format": "jixiao", "kind": "grants", "schema": 1}}}).encode(),
    "bad-record": lambda raw: raw.replace(b'"target_text"', b'"target_textx"', 1),
    "record-not-object": _first_indicator_set(lambda rec: list(rec.values())),
    "list-for-text": _first_indicator_set(lambda rec: {**rec, "category": ["数量指标"]}),
}
EXPECT = {"truncated": "damaged", "garbage": "damaged", "empty": "damaged",
          "foreign": "not a jixiao data file", "newer": "newer jixiao",
          "wrong-kind": "'grants' file", "bad-record": "damaged",
          "record-not-object": "indicators record", "list-for-text": "indicators record"}


@pytest.fixture
def spoilt(tmp_path, request, filled_store):
    store, ds = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301205"))
    path.write_bytes(CASES[request.param](path.read_bytes()))
    return tmp_path / "d", path, ds, request.param


@pytest.mark.parametrize("spoilt", list(CASES), indirect=True)
def test_every_reader_stops_with_the_file_named_and_untouched(run_cli, spoilt):
    data, path, ds, case = spoilt
    before = path.read_bytes()
    for args in (["check"], ["log"], ["export-targets"]):
        done = run_cli(data, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        out = done.stdout + done.stderr
        assert str(path) in out and EXPECT[case] in out, out
        assert "Traceback" not in out
    assert path.read_bytes() == before


@pytest.mark.parametrize("spoilt", list(CASES), indirect=True)
def test_writes_to_a_spoilt_file_are_refused_and_leave_it_alone(first_indicator, spoilt):
    data, path, ds, case = spoilt
    before = path.read_bytes()
    store = Store(data, user="admin1")
    with pytest.raises(JixiaoError) as err:
        store.record_progress(first_indicator(ds, "301205"), as_of="2023-07-31", actual="6个")
    assert str(path) in err.value.message or "no indicator" in err.value.message
    with pytest.raises(JixiaoError):
        store.record_spending(ds.projects_of("301205")[0].id, as_of="2023-07-31", spent=1)
    assert path.read_bytes() == before
    # Other units keep working.
    store.record_progress(first_indicator(ds, "301101"), as_of="2023-07-31", actual="6个")
    assert path.read_bytes() == before


@pytest.mark.parametrize("name, kind", [("settings.json", "settings"), ("grants.json", "grants")])
@pytest.mark.parametrize("case", ["garbage", "foreign", "newer"])
def test_central_files_are_checked_too(filled_store, run_cli, tmp_path, name, kind, case):
    store, _ = filled_store(tmp_path / "d")
    path = tmp_path / "d" / name
    raw = (json.dumps({"_meta": {"1": {"format": "jixiao", "kind": kind, "schema": 7}}}).encode()
           if case == "newer" else CASES[case](b"{}"))
    path.write_bytes(raw)
    done = run_cli(tmp_path / "d", "settings", "--as-of", "2023-08-31")
    assert done.returncode == 2 and str(path) in done.stderr, done.stderr
    assert path.read_bytes() == raw


def test_check_reports_all_is_well_with_exit_0(filled_store, run_cli, tmp_path):
    filled_store(tmp_path / "d")
    done = run_cli(tmp_path / "d", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok (3 unit-year file(s)" in done.stdout


def test_check_finds_loose_permissions_and_misplaced_files_without_changing_them(filled_store, run_cli, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    a = store.layout.partition(PartitionKey(2023, "301205"))
    a.chmod(0o664)
    moved = a.with_name("999999.json")
    moved.write_bytes(store.layout.partition(PartitionKey(2023, "301101")).read_bytes())
    moved.chmod(0o660)
    done = run_cli(tmp_path / "d", "check")
    assert done.returncode == 2
    assert "chmod o-rwx" in done.stdout and "301101.json; move it back" in done.stdout
    assert oct(a.stat().st_mode & 0o777) == "0o664"


def test_older_schema_is_migrated_on_read_and_written_back_new(filled_store, first_indicator, tmp_path, monkeypatch):
    store, ds = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301101"))
    # Pretend this program is at schema 2, whose step renames every unit's name to upper case.
    calls = []

    def step(kind, tables):
        calls.append(kind)
        for doc in (tables.get("unit") or {}).values():
            doc["name"] = doc["name"] + "*"
        return tables

    now = schema.CURRENT
    monkeypatch.setattr(schema, "CURRENT", now + 1)
    monkeypatch.setitem(schema.MIGRATIONS, now, step)
    loaded = Store(tmp_path / "d", user="admin1").load()
    assert loaded.units["301101"].name == "单位301101*"
    assert json.loads(path.read_bytes())["_meta"]["1"]["schema"] == now  # reading wrote nothing
    store.record_progress(first_indicator(ds, "301101"), as_of="2023-07-31", actual="6个")
    assert json.loads(path.read_bytes())["_meta"]["1"]["schema"] == now + 1
    assert "partition" in calls


def test_a_schema_without_a_migration_step_is_refused(filled_store, tmp_path, monkeypatch):
    store, _ = filled_store(tmp_path / "d")
    now = schema.CURRENT
    monkeypatch.setattr(schema, "CURRENT", now + 2)
    monkeypatch.setitem(schema.MIGRATIONS, now, lambda kind, tables: tables)
    with pytest.raises(JixiaoError, match=f"no migration from schema {now + 1}"):
        Store(tmp_path / "d", user="a").load()


@pytest.mark.parametrize("name, kind, table", [("grants.json", "grants", "grants"),
                                               ("settings.json", "settings", "settings")])
def test_a_malformed_record_in_a_central_file_is_a_message_not_a_traceback(filled_store, run_cli, tmp_path, name,
                                                                           kind, table):
    filled_store(tmp_path / "d")
    path = tmp_path / "d" / name
    raw = json.dumps({"_meta": {"1": {"format": "jixiao", "kind": kind, "schema": 1}},
                      table: {"1": {"user": "x"}}}).encode()
    path.write_bytes(raw)
    # The command that reads the file, and check, which reads everything.
    for args in ([kind], ["check"]):
        done = run_cli(tmp_path / "d", *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert str(path) in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == raw


def test_check_says_whether_the_bak_can_replace_a_damaged_file(filled_store, first_indicator, run_cli, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    store.record_progress(first_indicator(ds, "301205"), as_of="2023-07-31", actual="6个")
    path = store.layout.partition(PartitionKey(2023, "301205"))
    bak = path.with_name(path.name + ".bak")
    path.write_bytes(b"{broken")
    done = run_cli(tmp_path / "d", "check")
    assert done.returncode == 2
    assert "301205.json.bak reads fine" in done.stdout and f"cp -p {bak} {path}" in done.stdout
    # Following the advice gives a store that opens, with the data of the generation before.
    path.write_bytes(bak.read_bytes())
    assert run_cli(tmp_path / "d", "check").returncode == 0
    assert len(Store(tmp_path / "d", user="x").load().indicators) == 18


def test_a_backup_copy_is_whole_even_when_writes_come_back_short(tmp_path, monkeypatch):
    # Without hard links the previous generation is copied; os.write may write only part.
    import os

    import jixiao.store.storage as storage

    path = tmp_path / "settings.json"
    storage.AtomicStorage(path, "settings").write({"settings": {"1": {"v": "一" * 5000}}})
    first = path.read_bytes()
    real_write = os.write

    def link(*a, **k):
        raise OSError("no hard links here")

    monkeypatch.setattr(storage.os, "link", link)
    monkeypatch.setattr(storage.os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    storage.AtomicStorage(path, "settings").write({"settings": {"1": {"v": "二"}}})
    assert path.with_name("settings.json.bak").read_bytes() == first
    assert json.loads(path.read_bytes())["settings"]["1"]["v"] == "二"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_no_file_is_ever_written_with_non_standard_json(tmp_path, value):
    from jixiao.store.storage import AtomicStorage

    path = tmp_path / "settings.json"
    AtomicStorage(path, "settings").write({"settings": {"1": {"v": 1}}})
    before = path.read_bytes()
    with pytest.raises(JixiaoError, match="JSON cannot represent"):
        AtomicStorage(path, "settings").write({"settings": {"1": {"v": value}}})
    assert path.read_bytes() == before


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e999", "Infinity"])
def test_a_non_finite_threshold_is_refused_on_the_cli(filled_store, run_cli, tmp_path, value):
    filled_store(tmp_path / "d")
    before = (tmp_path / "d" / "settings.json").read_bytes()
    result = run_cli(tmp_path / "d", "settings", "--threshold", f"red_below={value}")
    assert result.returncode == 2
    assert "red_below" in result.stderr and "Traceback" not in result.stderr
    after = (tmp_path / "d" / "settings.json").read_bytes()
    assert after == before and b"Infinity" not in after and b"NaN" not in after


def test_a_unit_file_nested_to_exhaust_the_parser_is_named_damaged(tmp_path, capsys):
    """A group member can plant any bytes in a unit file: thousands of nested brackets are
    reported as damage like any other, never a traceback, and the file is left as it is."""
    from jixiao.cli.main import main

    data = tmp_path / "data"
    assert main(["--data", str(data), "import", str(SEED)]) == 0
    unit_file = sorted((data / "units").rglob("*.json"))[0]
    deep = b"[" * 100_000 + b"]" * 100_000
    unit_file.write_bytes(deep)
    capsys.readouterr()
    assert main(["--data", str(data), "report"]) == 2
    err = capsys.readouterr().err
    assert "已损坏（嵌套过深，不是 jixiao 文件）" in err and "Traceback" not in err
    assert unit_file.read_bytes() == deep
