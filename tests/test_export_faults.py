"""A file the user asked for that cannot be written says nothing was written, in the run's
language (issue 15 §4): an export never records anything, so "nothing recorded" misled."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"

ENDING = {"zh": "；未写入任何文件", "en": "; nothing was written"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A data directory with the seed tables of 2023."""
    data = tmp_path_factory.mktemp("seed")
    assert main(["--data", str(data), "import", str(SEED), "--year", "2023"]) == 0
    return data


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [["snapshot", "--as-of", "2023-07-31"], ["export-monitoring"],
                                     ["export-targets"]])
def test_an_export_into_a_missing_directory_says_nothing_was_written(seeded, tmp_path, capsys,
                                                                     lang, command):
    target = tmp_path / "nowhere" / "out.file"
    capsys.readouterr()
    assert main(["--data", str(seeded), "--lang", lang, *command, "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(ENDING[lang]), err
    assert ("nothing recorded" not in err) and ("未记录" not in err)
    assert not target.parent.exists()


def test_an_export_on_a_full_disk_says_nothing_was_written(seeded, tmp_path, capsys, monkeypatch):
    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "q3.json"
    capsys.readouterr()
    monkeypatch.setattr(os, "fsync", fsync)
    assert main(["--data", str(seeded), "snapshot", "--as-of", "2023-07-31", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "磁盘已满，未写入任何文件" in err, err
    assert not target.exists() and not list(tmp_path.glob(".*.tmp"))


def test_a_refused_record_still_says_nothing_was_recorded(seeded, tmp_path, capsys, monkeypatch):
    # The store's own writes keep their ending: there, what was spared is the record.
    data = tmp_path / "data"
    shutil.copytree(seeded, data)
    iid = next(i.id for i in Store(data).load().indicators.values() if i.target_text == "测评结果合格")

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    capsys.readouterr()
    monkeypatch.setattr(os, "fsync", fsync)
    assert main(["--data", str(data), "record", iid, "--actual", "达成", "--as-of", "2023-07-31"]) == 2
    assert "磁盘已满，未记录任何内容" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_x_failure_toast_says_nothing_was_written(store, loaded, until, tmp_path, lang):
    from textual.widgets._toast import Toast

    from jixiao.tui.app import JixiaoApp

    app = JixiaoApp(store, lang=lang)

    def toasts() -> str:
        return "\n".join(str(t.render()) for t in app.screen.query(Toast))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "nowhere" / "snap.json")
        await pilot.press("enter")
        await until(pilot, lambda: "snap.json" in toasts())
        assert ENDING[lang].lstrip("；; ") in toasts()
        assert "nothing recorded" not in toasts() and "未记录" not in toasts()


@pytest.fixture
def store(small_dataset, tmp_path: Path) -> Store:
    """A single-user (admin) store holding ``small_dataset()``."""
    s = Store(tmp_path / "data", user="alice")
    s.bulk_load(small_dataset())
    return s
