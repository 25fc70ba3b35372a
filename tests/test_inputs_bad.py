"""Issue 14, bad input: what a careless user feeds jixiao is refused (or warned about) with a
message that says what is wrong and where, and nothing is stored.

Script style, through the CLI: import a file as a person saved it, record what a person typed.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import jixiao.core.targets as targets
from jixiao.cli.main import main
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


def jixiao(data: Path, *argv: str) -> int:
    return main(["--data", str(data), "--lang", "en", *argv])


@pytest.fixture(scope="module")
def table_csv(tmp_path_factory) -> Path:
    """The seed tables as a flat CSV (UTF-8 with BOM, as jixiao exports them)."""
    top = tmp_path_factory.mktemp("csv")
    assert main(["--data", str(top / "d"), "import", str(SEED)]) == 0
    assert main(["--data", str(top / "d"), "export-targets", "-o", str(top / "t.csv")]) == 0
    return top / "t.csv"


@pytest.fixture
def data(table_csv, tmp_path) -> Path:
    shutil.copytree(table_csv.parent / "d", tmp_path / "d")
    return tmp_path / "d"


def snapshot(data: Path) -> dict:
    return {p: p.read_bytes() for p in data.rglob("*.json")}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_named_with_how_to_save_it_as_utf8(table_csv, tmp_path, capsys,
                                                           encoding):
    text = table_csv.read_text(encoding="utf-8-sig")
    saved = tmp_path / "unicode.csv"
    saved.write_bytes(text.encode(encoding))  # utf-16 writes a BOM; -le/-be do not
    assert jixiao(tmp_path / "new", "import", str(saved)) == 2
    err = capsys.readouterr().err
    assert "is UTF-16 text" in err and "CSV UTF-8" in err and "iconv -f UTF-16" in err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_and_gb18030_still_import(table_csv, tmp_path, encoding):
    text = table_csv.read_text(encoding="utf-8-sig")
    saved = tmp_path / "gbk.csv"
    saved.write_bytes(text.encode(encoding))
    assert jixiao(tmp_path / "new", "import", str(saved)) == 0
    assert len(Store(tmp_path / "new").load().indicators) == 128


def test_a_nul_byte_is_reported_on_its_own_line(table_csv, tmp_path, capsys):
    lines = table_csv.read_bytes().split(b"\n")
    lines[33] = lines[33][:10] + b"\x00" + lines[33][10:]  # line 34
    saved = tmp_path / "nul.csv"
    saved.write_bytes(b"\n".join(lines))
    assert jixiao(tmp_path / "new", "import", str(saved)) == 2
    assert "line 34 holds a NUL byte" in capsys.readouterr().err


def test_duplicate_rows_are_refused_with_their_line_numbers(table_csv, tmp_path, capsys):
    rows = list(csv.reader(table_csv.open(encoding="utf-8-sig")))
    rows[3:3] = [rows[2], rows[2]]  # the indicator of line 3, twice more (lines 4 and 5)
    saved = tmp_path / "dup.csv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert jixiao(tmp_path / "new", "import", str(saved)) == 2
    err = capsys.readouterr().err
    assert "line 4 repeats line 3" in err and "line 5 repeats line 3" in err
    assert not Store(tmp_path / "new").layout.partition_files()


def test_many_repeated_rows_are_named_ten_at_a_time(table_csv, tmp_path, capsys):
    rows = list(csv.reader(table_csv.open(encoding="utf-8-sig")))
    rows[3:3] = [rows[2]] * 30  # lines 4..33 all repeat line 3
    saved = tmp_path / "dup.csv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert jixiao(tmp_path / "new", "import", str(saved)) == 2
    err = capsys.readouterr().err
    assert "line 13 repeats line 3" in err and "line 14 repeats" not in err
    assert "and 20 more repeated rows" in err


def test_a_100000_character_target_is_refused_on_import_with_its_line(table_csv, tmp_path,
                                                                      capsys):
    rows = list(csv.reader(table_csv.open(encoding="utf-8-sig")))
    rows[5][10] = "≥8" + "个" * 100_000
    saved = tmp_path / "long.csv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert jixiao(tmp_path / "new", "import", str(saved)) == 2
    assert "line 6: the 指标值 is too long (100002 characters, at most 1000)" in \
        capsys.readouterr().err


def test_a_long_qualitative_target_of_a_few_hundred_characters_imports(table_csv, tmp_path):
    rows = list(csv.reader(table_csv.open(encoding="utf-8-sig")))
    sentence = "严格落实项目管理制度，按期完成各项建设任务，" * 20  # 440 characters
    rows[5][10] = sentence
    saved = tmp_path / "long.csv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert jixiao(tmp_path / "new", "import", str(saved)) == 0
    assert jixiao(tmp_path / "new", "export-targets", "-o", str(tmp_path / "out.csv")) == 0
    assert sentence in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


def test_reading_a_100000_character_target_is_linear(monkeypatch, capsys):
    calls = []
    real = targets._known_unit
    monkeypatch.setattr(targets, "_known_unit", lambda u: calls.append(len(u)) or real(u))
    assert main(["explain", "≥8" + "个" * 50_000 + "完成" * 25_000]) == 0
    # The unit is looked for among short prefixes only, never among all 100,000 of them.
    assert len(calls) <= 2 * targets._LONGEST_UNIT and sum(calls) < 200_000
    assert "≥8" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["1" * 400, "1e309", "1" * 16 + "个"])
def test_an_absurd_actual_is_refused(data, capsys, value):
    ds = Store(data).load()
    ind = next(i for i in ds.indicators.values() if i.target_text == "≥8个")
    before = snapshot(data)
    assert jixiao(data, "record", ind.id, "--actual", value, "--as-of", "2023-07-31") == 2
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(data) == before


@pytest.mark.parametrize("argv, message", [
    (("--as-of", "1923-07-31"), "outside the budget year 2023"),
    (("--as-of", "2024-01-31"), "outside the budget year 2023"),
    (("--year", "1999"), "holds no target tables for 1999 (it has: 2023)"),
    (("--as-of", "20230731"), "YYYY-MM-DD"),
    (("--as-of", "2023-W30-1"), "YYYY-MM-DD"),
])
def test_settings_outside_the_tables_or_in_another_date_form_are_refused(data, capsys, argv,
                                                                         message):
    before = snapshot(data)
    assert jixiao(data, "settings", *argv) == 2
    assert message in capsys.readouterr().err
    assert snapshot(data) == before


def test_record_takes_only_the_date_form_it_promises(data, capsys):
    ind = next(iter(Store(data).load().indicators))
    assert jixiao(data, "record", ind, "--actual", "1", "--as-of", "20230731") == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_new_year_alone_moves_the_monitoring_date_into_it(tmp_path, table_csv, capsys):
    rows = list(csv.reader(table_csv.open(encoding="utf-8-sig")))
    year = rows[0].index("年度")
    for row in rows[1:]:
        row[year] = "2024"
    saved = tmp_path / "2024.csv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    data = tmp_path / "d"
    assert jixiao(data, "import", str(table_csv)) == 0
    assert jixiao(data, "import", str(saved)) == 0
    assert jixiao(data, "settings", "--year", "2023", "--as-of", "2023-07-31") == 0
    assert jixiao(data, "settings", "--year", "2024") == 0
    settings = Store(data).settings()
    assert settings.year == 2024 and settings.as_of.startswith("2024-")


def test_spending_far_over_the_budget_is_warned_and_a_bare_number_needs_a_unit(data, capsys):
    project = next(p for p in Store(data).load().projects.values()
                   if p.name == "系统等级保护测评项目")  # 预算数 89万元
    assert jixiao(data, "spend", project.id, "--spent", "0.5亿元", "--as-of", "2023-07-31") == 0
    err = capsys.readouterr().err
    assert "has spent 5000 万元, 56 times its budget of 89 万元" in err
    before = snapshot(data)
    assert jixiao(data, "spend", project.id, "--spent", "400000", "--as-of", "2023-08-31") == 2
    err = capsys.readouterr().err
    assert "400000 has no unit" in err and "Say 元 or 万元" in err
    assert snapshot(data) == before
    assert jixiao(data, "spend", project.id, "--spent", "400000元", "--as-of", "2023-08-31") == 0


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u2060"])
def test_zero_width_characters_take_no_column(char):
    from jixiao.core.textwidth import fit, width

    name = f"印制{char}数量"
    assert width(name) == width("印制数量") == 8
    assert width(fit(name, 12)) == 12  # padded to the column like any other name
