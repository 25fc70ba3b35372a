"""Issue 14: a monitoring date outside the budget year is refused by every command that takes
one, not only by ``settings`` — an as-of date in another year colours every indicator grey and
reads as an empty all-clear. And the refusal of a malformed date speaks one language."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli.main import main

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("dates") / "d"
    assert main(["--data", str(top), "import", str(SEED)]) == 0
    return top


@pytest.mark.parametrize("argv", [
    ["report", "--as-of", "1923-07-31"],
    ["report", "--quarter", "2022Q4"],
    ["snapshot", "--as-of", "2025-03-31"],
    ["export-monitoring", "--as-of", "1923-07-31", "-o", "{out}"],
])
def test_a_report_dated_outside_the_budget_year_is_refused(data, tmp_path, capsys, argv):
    out = tmp_path / "m.csv"
    argv = [a.format(out=out) for a in argv]
    assert main(["--data", str(data), *argv]) == 2
    captured = capsys.readouterr()
    assert "不在预算年度 2023 内" in captured.err
    assert "红" not in captured.out and not out.exists()


def test_a_report_dated_inside_the_budget_year_still_works(data, capsys):
    assert main(["--data", str(data), "report", "--as-of", "2023-07-31", "--only", "red"]) == 0
    assert "本年度完成等级保护测评" in capsys.readouterr().out


def test_a_malformed_monitoring_date_is_refused_in_chinese_by_default(data, capsys):
    assert main(["--data", str(data), "settings", "--as-of", "20230731"]) == 2
    err = capsys.readouterr().err
    assert "必须是 YYYY-MM-DD" in err and "the monitoring date" not in err
    assert main(["--data", str(data), "--lang", "en", "settings", "--as-of", "20230731"]) == 2
    assert "must be a date in the form YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("lang, words", [
    ("zh", ("完成日期 2023-02-30 这一天不存在：2023年2月只有 28 天",)),
    ("en", ("the completion date 2023-02-30 does not exist: February 2023 has 28 days",)),
])
def test_an_impossible_completion_date_is_called_that(data, tmp_path, capsys, lang, words):
    # Not "needs a completion date (YYYY-MM-DD) or percent done": it is written that way, and
    # the user would look for a typo that is not there (issue 15 QA).
    import shutil
    copy = tmp_path / "d"
    shutil.copytree(data, copy)
    from jixiao.store.repository import Store
    deadline = next(i for i in Store(copy).load().indicators.values()
                    if i.name == "本年度完成等级保护测评")
    capsys.readouterr()
    assert main(["--data", str(copy), "--lang", lang, "record", deadline.id,
                 "--actual", "2023-02-30", "--as-of", "2023-07-31"]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words) and "YYYY-MM-DD" not in err
    assert not Store(copy).load().progress.get(deadline.id)
