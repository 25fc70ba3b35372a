"""Starting the TUI: ``--demo`` runs on a throw-away copy of the sample and leaves nothing behind;
``--lang`` picks the labels; ``--data`` opens that directory."""

from __future__ import annotations

import os

from jixiao.store.cache import cache_dir
from jixiao.store.repository import Store
from jixiao.cli import main as cli
from jixiao.tui.app import JixiaoApp


def run(monkeypatch, *argv: str) -> list[JixiaoApp]:
    """Start ``jixiao ARGV`` as the console script does, with the app's main loop replaced."""
    started: list[JixiaoApp] = []

    def fake_run(self):
        # What the user would see: the store the app was given, read while it runs.
        started.append(self)
        self.seen = (self.store.data_dir, len(self.store.load().indicators), self.store.data_dir.exists())
        self.cache = cache_dir(self.store.data_dir)
        self.cached = self.cache.exists()
    monkeypatch.setattr(JixiaoApp, "run", fake_run)
    assert cli.main(list(argv)) == 0
    return started


def test_demo_opens_the_sample_in_a_temporary_directory_and_removes_it(monkeypatch):
    app, = run(monkeypatch, "--demo", "--lang", "en")
    path, indicators, existed = app.seen
    assert existed and indicators == 128
    assert app.lang == "en"
    assert not path.exists()
    assert app.cached and not app.cache.exists()      # its read cache goes with it


def test_a_test_run_removes_its_cache_folder_when_it_ends(tmp_path):
    # conftest points XDG_CACHE_HOME at a fresh folder for every run; a run must not leave it.
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c",
                           "import os, conftest; print(os.environ['XDG_CACHE_HOME'])"],
                          cwd=Path(__file__).parent, env=env, capture_output=True, text=True,
                          check=True)
    made = Path(done.stdout.strip())
    assert made.parent == tmp_path and made.name.startswith("jixiao-test-cache-")
    assert not made.exists() and list(tmp_path.iterdir()) == []


def test_data_opens_the_given_directory_and_keeps_it(monkeypatch, tmp_path):
    from jixiao.sample_data import load_sample
    Store(tmp_path / "d", user="me").bulk_load(load_sample())
    app, = run(monkeypatch, "--data", str(tmp_path / "d"))
    assert app.seen[0] == tmp_path / "d" and app.seen[1] == 128
    assert (tmp_path / "d").exists() and app.lang == "zh"


def test_quitting_after_a_failed_load_exits_with_its_status_and_repeats_the_message(
        monkeypatch, tmp_path, capsys):
    from jixiao.core.errors import JixiaoError

    def fake_run(self):
        # The user saw the error screen and pressed q.
        self.failure = JixiaoError("units/2023/301205.json is damaged; restore it from the .bak")
    monkeypatch.setattr(JixiaoApp, "run", fake_run)
    assert cli.main(["--data", str(tmp_path / "d")]) == 2
    assert "301205.json is damaged; restore it from the .bak" in capsys.readouterr().err


def test_the_command_ends_at_once_after_the_app_with_the_demo_removed_and_output_flushed(
        monkeypatch):
    # Quitting at province scale: the process ends without freeing the data object by object,
    # but only after the app returned (terminal restored), the demo copy is gone and what was
    # printed is out. Other commands exit the ordinary way.
    import pytest

    ended = []

    def fake_exit(code):
        ended.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    monkeypatch.setattr(cli.sys, "argv", ["jixiao", "--demo"])
    app = []
    monkeypatch.setattr(JixiaoApp, "run", lambda self: app.append(self.store.data_dir))
    with pytest.raises(SystemExit):
        cli.entry()
    assert ended == [0] and not app[0].exists()
    ended.clear()
    monkeypatch.setattr(cli.sys, "argv", ["jixiao", "--version"])
    monkeypatch.setattr(cli, "_TUI_RAN", False)
    with pytest.raises(SystemExit):
        cli.entry()
    assert ended == []
