"""Issue 14, "Must show": a group member attacks a shared store, a careless user feeds it bad
files, and jixiao touches no file outside the store and answers every fault with a message.

Each test is a script in the style of the issue: set the trap with ordinary file operations,
run the commands an admin would run, then look at the files.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.store.repository import Store


def jixiao(data: Path, *argv: str) -> int:
    """Run the CLI in English (the messages are matched below) on ``data``."""
    return main(["--data", str(data), "--lang", "en", *argv])


@pytest.fixture
def outside(tmp_path):
    """Files of the admin outside the store: their content and mode must never change."""
    home = tmp_path / "admin-home"
    home.mkdir()
    files = {}
    for name, mode in (("private.txt", 0o600), ("id_key", 0o600), ("notes.txt", 0o644)):
        path = home / name
        path.write_text(f"{name}: not jixiao's\n")
        os.chmod(path, mode)
        files[path] = (path.read_bytes(), mode)
    return home, files


def unchanged(files: dict) -> None:
    for path, (content, mode) in files.items():
        assert path.read_bytes() == content, path
        assert stat.S_IMODE(os.lstat(path).st_mode) == mode, path


def store_files(data: Path) -> list[Path]:
    """Every data file of the store (settings, grants, index, unit files)."""
    return sorted(p for p in data.rglob("*.json") if not p.is_symlink())


def no_store_file_is_a_link(data: Path, planted: set[Path]) -> None:
    for p in data.rglob("*"):
        if p.is_symlink():
            assert p in planted, f"{p} became a link"


def write_everything(data: Path, ds) -> list[int]:
    """The writes an admin does every day: record, spend, settings, grant, revoke."""
    ind = ds.indicators_of(ds.projects_of("301205")[0].id)[0].id
    project = ds.projects_of("301206")[0].id
    return [
        jixiao(data, "record", ind, "--actual", "12个", "--as-of", "2023-07-31"),
        jixiao(data, "spend", project, "--spent", "12万元", "--as-of", "2023-07-31"),
        jixiao(data, "settings", "--as-of", "2023-08-31"),
        jixiao(data, "grant", Store(data).user, "--role", "admin"),
        jixiao(data, "grant", "bob", "--role", "owner", "--unit", "301205"),
        jixiao(data, "revoke", "bob"),
    ]


def test_planted_tmp_links_beside_every_file_are_never_followed(filled_store, tmp_path, outside, capsys):
    data = tmp_path / "data"
    _, ds = filled_store(data)
    home, files = outside
    planted = set()
    targets = list(files) + [home / "created-by-jixiao"]  # the last one dangles
    for n, path in enumerate(store_files(data)):
        for suffix in (".tmp", ".bak.tmp"):
            link = path.with_name(path.name + suffix)
            link.symlink_to(targets[n % len(targets)])
            planted.add(link)

    assert write_everything(data, ds) == [0] * 6, capsys.readouterr()
    unchanged(files)
    assert not (home / "created-by-jixiao").exists()
    no_store_file_is_a_link(data, planted)
    written = json.loads((data / "units" / "2023" / "301205.json").read_bytes())
    assert written["progress"]  # the write went to the store, not through the link


def test_planted_lock_links_are_refused_and_never_followed(filled_store, tmp_path, outside, capsys):
    data = tmp_path / "data"
    _, ds = filled_store(data)
    home, files = outside
    planted = set()
    targets = list(files) + [home / "created-by-jixiao"]
    for n, path in enumerate(store_files(data)):
        lock = path.with_name(path.name + ".lock")
        lock.unlink(missing_ok=True)
        lock.symlink_to(targets[n % len(targets)])
        planted.add(lock)
    before = {p: p.read_bytes() for p in store_files(data)}
    capsys.readouterr()

    codes = write_everything(data, ds)
    err = capsys.readouterr().err
    assert codes == [2] * 6, err
    assert "is a symbolic link" in err and "Traceback" not in err
    unchanged(files)
    assert not (home / "created-by-jixiao").exists()
    no_store_file_is_a_link(data, planted)
    assert {p: p.read_bytes() for p in store_files(data)} == before


def test_a_link_in_place_of_a_unit_file_or_year_directory_is_refused(filled_store, first_indicator, tmp_path, outside, capsys):
    data = tmp_path / "data"
    _, ds = filled_store(data)
    home, files = outside
    unit = data / "units" / "2023" / "301205.json"
    unit.unlink()
    unit.symlink_to(home / "private.txt")
    assert jixiao(data, "record", first_indicator(ds, "301205"), "--actual", "1个",
                  "--as-of", "2023-07-31") == 2
    assert "301205.json is a symbolic link" in capsys.readouterr().err
    unchanged(files)
    assert unit.is_symlink()

    # A year directory swapped for a link to the admin's home: nothing is written there.
    year = data / "units" / "2023"
    year.rename(tmp_path / "moved-away")
    year.symlink_to(home)
    (home / "301206.json").write_bytes((tmp_path / "moved-away" / "301206.json").read_bytes())
    files[home / "301206.json"] = ((home / "301206.json").read_bytes(), 0o644)
    os.chmod(home / "301206.json", 0o644)
    assert jixiao(data, "spend", ds.projects_of("301206")[0].id, "--spent", "1万元",
                  "--as-of", "2023-07-31") == 2
    assert "2023 is a symbolic link" in capsys.readouterr().err
    unchanged(files)
    assert sorted(p.name for p in home.iterdir()) == ["301206.json", "id_key", "notes.txt",
                                                       "private.txt"]


def test_check_never_advises_a_command_through_a_link(filled_store, tmp_path, capsys):
    data = tmp_path / "data"
    filled_store(data)
    unit = data / "units" / "2023" / "301205.json"
    unit.unlink()
    unit.symlink_to("/etc/passwd")
    capsys.readouterr()
    assert jixiao(data, "check") == 2
    out = capsys.readouterr().out
    assert "301205.json is a symbolic link (to /etc/passwd)" in out
    assert "chmod" not in out


def test_a_deleted_grants_file_fails_closed(filled_store, tmp_path, capsys):
    data = tmp_path / "data"
    store, _ = filled_store(data)
    me = Store(data).user
    Store(data).grant(me, "admin")
    Store(data).grant("mallory", "manager")
    for name in ("grants.json", "grants.json.bak"):
        (data / name).unlink()
    capsys.readouterr()
    assert jixiao(data, "grant", "mallory", "--role", "admin") == 2
    err = capsys.readouterr().err
    assert "grants.json is missing" in err and "Restore grants.json from" in err
    assert not (data / "grants.json").exists()
    assert jixiao(data, "check") == 2
    assert "grants.json is missing" in capsys.readouterr().out


def test_a_two_line_note_cannot_forge_a_log_line(filled_store, first_indicator, tmp_path, capsys):
    data = tmp_path / "data"
    _, ds = filled_store(data)
    forged = "2026-12-01 19:56:00  root       grant     -        mallory → admin"
    assert jixiao(data, "record", first_indicator(ds, "301205"), "--actual", "12个",
                  "--as-of", "2023-07-31", "--note", f"ok\n{forged}\rX") == 0
    capsys.readouterr()
    assert jixiao(data, "log") == 0
    lines = capsys.readouterr().out.splitlines()
    assert not any(line.startswith("2026-12-01 19:56:00") for line in lines)
    line = next(line for line in lines if "progress" in line)
    assert f"note ok␊{forged}␍X" in line and "\r" not in line


def test_a_re_export_keeps_the_mode_of_the_file_it_replaces(filled_store, tmp_path, capsys):
    data = tmp_path / "data"
    filled_store(data)
    out = tmp_path / "targets.csv"
    out.write_text("old")
    os.chmod(out, 0o600)
    assert jixiao(data, "export-targets", "-o", str(out)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text() != "old"
    fresh = tmp_path / "fresh.csv"
    old_umask = os.umask(0o027)
    try:
        assert jixiao(data, "export-targets", "-o", str(fresh)) == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_check_fails_on_a_deleted_unit_file_or_a_directory_in_its_place(filled_store, tmp_path, capsys):
    data = tmp_path / "data"
    filled_store(data)
    unit = data / "units" / "2023" / "301206.json"
    unit.unlink()
    unit.with_name(unit.name + ".bak").unlink(missing_ok=True)
    capsys.readouterr()
    assert jixiao(data, "check") == 2
    assert "lists unit 301206 (2023) but" in capsys.readouterr().out
    unit.mkdir()
    assert jixiao(data, "check") == 2
    assert "301206.json is a directory where jixiao keeps a file" in capsys.readouterr().out


def test_a_name_with_a_line_break_stays_on_one_line_of_record_output(filled_store, tmp_path,
                                                                    capsys):
    data = tmp_path / "data"
    filled_store(data)
    unit = data / "units" / "2023" / "301205.json"
    doc = json.loads(unit.read_bytes())
    first = next(iter(doc["indicators"].values()))
    first["name"] = "指标0\n2026-12-01 19:56:00  root  grant"
    unit.write_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    capsys.readouterr()
    assert jixiao(data, "record", first["id"], "--actual", "12个", "--as-of", "2023-07-31") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("recorded ") and "指标0␊2026-12-01" in out[0]
    assert not any(line.startswith("2026-12-01") for line in out)


def test_check_gives_no_advice_through_a_linked_year_directory(filled_store, tmp_path, capsys):
    data = tmp_path / "data"
    filled_store(data)
    year = data / "units" / "2023"
    elsewhere = tmp_path / "elsewhere"
    year.rename(elsewhere)
    year.symlink_to(elsewhere)
    (elsewhere / "301205.json").write_text("damaged")
    capsys.readouterr()
    assert jixiao(data, "check") == 2
    out = capsys.readouterr().out
    assert "2023 is a symbolic link" in out
    assert "cp -p" not in out and "chmod" not in out


def test_a_deleted_unit_file_stops_every_report_not_only_check(tmp_path, capsys):
    """A unit file removed behind the store's back (with its .bak) must not read as a smaller
    all-clear: report, snapshot and the TUI's load refuse with the message check gives."""
    from jixiao.cli.main import main
    from jixiao.sample_data import load_sample
    from jixiao.store.repository import Store

    data = tmp_path / "d"
    Store(data).bulk_load(load_sample())
    for path in (data / "units" / "2023").glob("301303.json*"):
        path.unlink()
    assert main(["--lang", "en", "--data", str(data), "report"]) == 2
    assert "lists unit 301303 (2023) but" in capsys.readouterr().err
    assert main(["--lang", "en", "--data", str(data), "check"]) == 2
