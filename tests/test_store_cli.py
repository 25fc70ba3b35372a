"""``jixiao settings`` and ``jixiao check`` as a user runs them."""

from __future__ import annotations

import pytest

from jixiao.store.layout import PartitionKey
from jixiao.store.repository import Store
from jixiao.cli.main import main


def test_settings_show_change_and_log(filled_store, run_cli, tmp_path):
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


def test_bad_settings_are_refused_and_change_nothing(filled_store, run_cli, tmp_path):
    filled_store(tmp_path / "d")
    path = tmp_path / "d" / "settings.json"
    before = path.read_bytes()
    for args, words in ((["--as-of", "2023-02-30"], "February 2023 has 28 days"),
                        (["--year", "23"], "budget year"),
                        (["--threshold", "redness=1"], "NAME=VALUE"),
                        (["--threshold", "red_below=abc"], "not a number"),
                        (["--threshold", "amber_below=-1"], "≥ 0")):
        done = run_cli(tmp_path / "d", "settings", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_check_on_a_missing_directory_says_so_and_creates_nothing(run_cli, tmp_path):
    done = run_cli(tmp_path / "nothing", "check")
    assert done.returncode == 2 and "does not exist" in done.stdout
    assert not (tmp_path / "nothing").exists()


@pytest.mark.parametrize("threshold, rule", [
    ("red_below=0.9", "red_below=0.9 is not < amber_below=0.8"),
    ("amber_below=1.1", "amber_below=1.1 is not ≤ 1"),
    ("blue_from=0.9", "1 is not ≤ blue_from=0.9"),
    ("blue_final_from=1.1", "blue_from=1.2 is not ≤ blue_final_from=1.1"),
    ("budget_red_below=0.8", "budget_red_below < budget_amber_below"),
    ("level_amber_from=0", "level_amber_from must be in (0, 1]"),
    ("level_amber_from=1.5", "level_amber_from must be in (0, 1]"),
    ("burn_amber_above=0.9", "burn_amber_above must be ≥ 1"),
    ("deadline_warning_days=-3", "deadline_warning_days must be a number ≥ 0"),
])
def test_thresholds_that_would_invert_the_bands_are_refused(filled_store, tmp_path, capsys, threshold, rule):
    filled_store(tmp_path / "d")
    before = (tmp_path / "d" / "settings.json").read_bytes()
    capsys.readouterr()
    assert main(["--lang", "en", "--data", str(tmp_path / "d"), "settings", "--threshold", threshold]) == 2
    err = capsys.readouterr().err
    assert rule in err and "nothing was changed" in err, err
    assert (tmp_path / "d" / "settings.json").read_bytes() == before


def test_thresholds_changed_together_are_judged_together(filled_store, tmp_path):
    filled_store(tmp_path / "d")
    assert main(["--lang", "en", "--data", str(tmp_path / "d"), "settings", "--threshold", "red_below=0.85",
                 "--threshold", "amber_below=0.9"]) == 0
    t = Store(tmp_path / "d", user="x").settings().thresholds
    assert (t.red_below, t.amber_below) == (0.85, 0.9)


READERS = [["report"], ["report", "--only", "red"], ["snapshot"], ["snapshot", "-o", "s.json"],
           ["export-monitoring", "-o", "m.csv"], ["export-targets"], ["log"], ["grants"],
           ["settings"], ["record", "abc", "--actual", "1", "--as-of", "2023-07-31"],
           ["spend", "abc", "--spent", "1", "--as-of", "2023-07-31"], ["check"]]


@pytest.mark.parametrize("argv", READERS, ids=lambda a: a[0])
@pytest.mark.parametrize("where", ["missing", "empty"])
def test_a_directory_without_jixiao_data_is_refused_not_reported_as_all_clear(
        tmp_path, capsys, monkeypatch, argv, where):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "nodata"
    if where == "empty":
        data.mkdir()
    assert main(["--lang", "en", "--data", str(data), *argv]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert str(data) in text and "jixiao import FILE" in text, text
    assert "$JIXIAO_DATA" in text, text
    assert "没有符合条件的指标" not in text and '"schema_version"' not in text
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "m.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["nodata"] if where == "empty" else [])


def test_settings_or_grants_alone_are_not_tables_to_report_on(tmp_path, capsys):
    data = tmp_path / "d"
    assert main(["--lang", "en", "--data", str(data), "settings", "--year", "2023"]) == 0  # creates it
    assert main(["--lang", "en", "--data", str(data), "settings"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--data", str(data), "report"]) == 2
    assert "holds no imported target tables" in capsys.readouterr().err


def test_check_gives_one_problem_per_damaged_file_with_advice_that_is_true(filled_store, run_cli, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    path = store.layout.partition(PartitionKey(2023, "301205"))
    # Freshly bulk-loaded: no write has happened since, so there is no .bak.
    assert not path.with_name(path.name + ".bak").exists()
    path.write_bytes(b"{broken")
    done = run_cli(tmp_path / "d", "check")
    assert done.returncode == 2
    problems = [line for line in done.stdout.splitlines() if line.startswith("problem:")]
    assert len(problems) == 1, done.stdout
    assert "there is no 301205.json.bak beside it, so restore it from a backup" in problems[0]
    assert "restore it from 301205.json.bak" not in done.stdout
    assert "1 problem(s)" in done.stdout
    # A .bak that is damaged too is no remedy either, and is said to be.
    path.with_name(path.name + ".bak").write_bytes(b"{also broken")
    done = run_cli(tmp_path / "d", "check")
    assert "its 301205.json.bak is damaged too" in done.stdout and "1 problem(s)" in done.stdout
