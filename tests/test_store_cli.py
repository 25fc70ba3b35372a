"""``jixiao settings`` and ``jixiao check`` as a user runs them."""

from __future__ import annotations

from store.repository import Store
from test_store_support import filled_store, run_cli


def test_settings_show_change_and_log(tmp_path):
    filled_store(tmp_path / "d")
    done = run_cli(tmp_path / "d", "settings")
    assert done.returncode == 0 and "as_of     2023-07-31" in done.stdout
    done = run_cli(tmp_path / "d", "settings", "--as-of", "2023-09-30", "--year", "2023",
                   "--threshold", "red_below=0.5", "--threshold", "deadline_warning_days=14")
    assert done.returncode == 0, done.stderr
    s = Store(tmp_path / "d", user="x").settings()
    assert (s.as_of, s.thresholds.red_below, s.thresholds.deadline_warning_days) == \
        ("2023-09-30", 0.5, 14)
    log = run_cli(tmp_path / "d", "log").stdout
    assert "as_of 2023-07-31 → 2023-09-30, red_below 0.6 → 0.5, deadline_warning_days 30 → 14" \
        in log


def test_bad_settings_are_refused_and_change_nothing(tmp_path):
    filled_store(tmp_path / "d")
    path = tmp_path / "d" / "settings.json"
    before = path.read_bytes()
    for args, words in ((["--as-of", "2023-02-30"], "YYYY-MM-DD"),
                        (["--year", "23"], "budget year"),
                        (["--threshold", "redness=1"], "NAME=VALUE"),
                        (["--threshold", "red_below=abc"], "not a number"),
                        (["--threshold", "amber_below=-1"], "≥ 0")):
        done = run_cli(tmp_path / "d", "settings", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_check_on_a_missing_directory_says_so_and_creates_nothing(tmp_path):
    done = run_cli(tmp_path / "nothing", "check")
    assert done.returncode == 2 and "does not exist" in done.stdout
    assert not (tmp_path / "nothing").exists()
