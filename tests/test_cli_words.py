"""The command line speaks one language per run, the official choices included (issue 15 §4)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A data directory with the seed tables of 2023 (this user its admin)."""
    data = tmp_path_factory.mktemp("seed")
    assert main(["--data", str(data), "import", str(SEED), "--year", "2023"]) == 0
    assert main(["--data", str(data), "settings", "--year", "2023", "--as-of", "2023-07-31"]) == 0
    return data


@pytest.fixture
def data(seeded, tmp_path):
    """A fresh copy per test."""
    copy = tmp_path / "data"
    shutil.copytree(seeded, copy)
    return copy


def qualitative(data) -> str:
    return next(i.id for i in Store(data).load().indicators.values()
                if i.target_text == "测评结果合格")


def test_english_record_takes_english_choices_and_stores_the_terms(data, capsys):
    iid = qualitative(data)
    capsys.readouterr()
    assert main(["--data", str(data), "--lang", "en", "record", iid, "--actual", "Achieved",
                 "--as-of", "2023-07-31", "--likelihood", "possible", "--cause", "funding",
                 "--cause", "其他"]) == 0
    out = capsys.readouterr().out
    assert "actual achieved (达成)" in out and "graded achieved (达成)" in out
    [entry] = Store(data).progress_history(iid)
    assert (entry.actual, entry.likelihood, entry.causes) == ("达成", "有可能", ("经费保障", "其他"))


@pytest.mark.parametrize("lang, shown, refusal", [
    ("en", ["--likelihood {certain,possible,impossible}", "possible (有可能)",
            "equipment (硬件条件保障)"],
     "argument --likelihood: 'maybe' is not one of certain (确定能), possible (有可能)"),
    ("zh", ["--likelihood {确定能,有可能,完全不可能}", "确定能、有可能、完全不可能",
            "经费保障、制度保障"],
     "参数 --likelihood：'maybe' 不是 确定能、有可能、完全不可能 之一")])
def test_record_help_and_refusal_name_the_choices_in_the_run_language(data, capsys, lang, shown,
                                                                     refusal):
    with pytest.raises(SystemExit):
        main(["--lang", lang, "record", "--help"])
    help_text = re.sub(r"\s+", " ", capsys.readouterr().out)
    for words in shown:
        assert words in help_text, words
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(data), "--lang", lang, "record", qualitative(data), "--actual", "达成",
              "--as-of", "2023-07-31", "--likelihood", "maybe"])
    assert exit_.value.code == 2
    assert refusal in capsys.readouterr().err
    assert Store(data).progress_history(qualitative(data)) == []


def test_the_import_report_is_chinese_throughout_by_default(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "zh"), "import", str(SEED)]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.startswith("  ! ")]
    year = next(line for line in out.splitlines() if line.startswith("年度："))
    assert len(warnings) == 3
    for line in (year, *warnings):
        assert not re.search(r"[A-Za-z]{2,}", line), line
    assert main(["--data", str(tmp_path / "en"), "--lang", "en", "import", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "  ! line 155: 301101 机关运行保障经费: the cost caps (≤) add up to 335.70 万元" in out
