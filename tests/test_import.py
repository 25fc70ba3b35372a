"""Importing target tables: `jixiao import`, `--dry-run`, re-imports and `export-targets`,
through the real store and the real command line."""

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from jixiao.core.dataset import Dataset
from jixiao.core.importing import plan_import, report_lines
from jixiao.core.model import Indicator, Project, Settings
from jixiao.core.tables import parse_text_layout, read_tables
from jixiao.store.repository import Store
from jixiao.cli.main import main

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def jixiao(data, *argv):
    return main(["--data", str(data), *map(str, argv)])


def _files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def _revised(tmp_path) -> Path:
    # 等保测评: the count target rises, the satisfaction row is dropped, a new row is added.
    text = SEED_TEXT.replace("\t≥8个\n", "\t≥10个\n", 1)
    text = text.replace("\t满意度指标\n\t服务对象满意度指标\n\t系统使用人员满意度\n"
                        "\t系统使用人员满意度不低于95%\n\t≥95%\n",
                        "\t满意度指标\n\t服务对象满意度指标\n\t业务部门满意度\n\t业务部门满意度\n\t≥90%\n", 1)
    path = tmp_path / "revised.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _indicator(ds: Dataset, project: str, name: str) -> Indicator:
    pid = next(p.id for p in ds.projects.values() if p.name == project)
    return next(i for i in ds.indicators_of(pid) if i.name == name)


# --- the seed into the store ----------------------------------------------------------------

def test_importing_the_seed_twice_leaves_4_units_8_projects_128_verbatim_indicators(tmp_path, capsys):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED) == 0
    first = capsys.readouterr().out
    assert "读取：4 个单位，8 个项目，128 项指标。" in first
    assert "新增：4 个单位，8 个项目，128 项指标" in first
    assert "年度：2023，取自目标表" in first
    after_first = _files(data)
    assert jixiao(data, "import", SEED) == 0
    again = capsys.readouterr().out
    assert "没有变化" in again
    # The counts are of what the file holds; nothing may claim an import that did not happen.
    assert "Imported" not in again and "读取：4 个单位，8 个项目，128 项指标。" in again
    assert _files(data) == after_first  # a no-op writes nothing at all
    ds = Store(data).load()
    assert (len(ds.units), len(ds.projects), len(ds.indicators)) == (4, 8, 128)
    expected = [r.target_text for t in read_tables(SEED).tables for r in t.rows]
    stored = [i.target_text for u in ds.unit_list() for p in ds.projects_of(u.code)
              for i in ds.indicators_of(p.id)]
    assert stored == expected
    assert all(p.year == 2023 for p in ds.projects.values())
    assert not any("bookmark" in i.description for i in ds.indicators.values())


def test_the_report_warns_about_what_a_person_should_check(tmp_path, capsys):
    assert jixiao(tmp_path, "import", SEED, "--dry-run") == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.startswith("  ! ")]
    assert any("≥154.3万元" in w for w in warnings)       # a cost with a lower bound
    assert any("335.70 万元" in w and "550.00" in w for w in warnings)  # caps ≠ budget
    assert any("176.75 万元" in w for w in warnings)
    assert not any("系统等级保护测评项目: the cost caps" in w for w in warnings)  # 89 = 89


def test_fiscal_plus_other_not_equal_to_total_is_warned():
    text = SEED_TEXT.replace("\t89.00\n\t其中：财政    资金\n\t89.00\n", "\t89.00\n\t其中：财政    资金\n\t80.00\n", 1)
    plan = plan_import(parse_text_layout(text), Dataset(Settings(2023, "2023-07-31")))
    assert any("财政资金 80.00" in w and "预算数 89.00" in w for w in plan.warnings)


# --- bad input stores nothing ------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    "这不是绩效目标表\n只是一段文字\n",
    "\n".join(SEED_TEXT.splitlines()[:533]) + "\n",
])
def test_a_malformed_or_truncated_file_exits_2_and_stores_nothing(tmp_path, capsys, content):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED) == 0
    before = _files(data)
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    assert jixiao(data, "import", bad) == 2
    err = capsys.readouterr().err
    assert re.search(r"行(（文件末尾）)?：此处应为", err) and "未保存任何内容" in err
    assert "Traceback" not in err
    assert not re.search(r"\b(?:line|expected|found)\b", err)      # one language
    assert _files(data) == before
    assert main(["--lang", "en", "--data", str(data), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line " in err and "expected" in err and "此处应为" not in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert jixiao(tmp_path / "data", "import", tmp_path / "nope.txt") == 2
    assert "没有这个文件" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


# --- revisions keep progress ------------------------------------------------------------------

def test_a_revised_table_updates_targets_and_keeps_progress(tmp_path, capsys):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED) == 0
    store = Store(data)
    count = _indicator(store.load(), "系统等级保护测评项目", "开展等保测评的系统数量")
    store.record_progress(count.id, as_of="2023-07-31", actual="5个")
    dropped = _indicator(store.load(), "系统等级保护测评项目", "系统使用人员满意度")
    store.record_progress(dropped.id, as_of="2023-07-31", actual="96%")
    capsys.readouterr()

    assert jixiao(data, "import", _revised(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "~ 指标 系统等级保护测评项目 · 数量指标 · 开展等保测评的系统数量：指标值 “≥8个” → “≥10个”" in out
    assert "- 指标 系统等级保护测评项目 · 服务对象满意度指标 · 系统使用人员满意度" in out

    ds = Store(data).load()
    kept = ds.indicators[count.id]  # same id: the row still matches
    assert kept.target_text == "≥10个"
    assert ds.counting_progress(count.id, "2023-07-31").actual == "5个"
    assert dropped.id not in ds.indicators
    assert [i.name for i in ds.indicators_of(kept.project_id)][-1] == "业务部门满意度"
    assert len(ds.indicators) == 128

    # Bringing the old table back brings the dropped row back with its history.
    assert jixiao(data, "import", SEED) == 0
    ds = Store(data).load()
    assert ds.counting_progress(dropped.id, "2023-07-31").actual == "96%"


def test_dry_run_reports_changes_and_stores_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "试运行——未保存任何内容。" in out and "将新增：4 个单位，8 个项目，128 项指标" in out
    assert Store(data).load().indicators == {}
    assert not data.exists() or _files(data) == {}

    assert jixiao(data, "import", SEED) == 0
    before = _files(data)
    capsys.readouterr()
    assert jixiao(data, "import", _revised(tmp_path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "将修改：1 个项目" not in out
    assert "将修改：1 项指标" in out and "将移除：1 项指标" in out
    assert "将新增：1 项指标" in out and "不变：4 个单位，8 个项目，126 项指标" in out
    assert _files(data) == before


def test_matched_indicators_keep_ids_and_measure_overrides(seed_dataset):
    ds = seed_dataset(lambda i: replace(i, measure="level")
                      if i.name == "服务保障援甘、驻村干部人数" else i)
    again = plan_import(read_tables(SEED), ds)
    assert again.is_noop and not again.removed_indicator_ids
    project = next(p for p in again.projects if p.name == "重点项目工作经费")
    assert project.id == Project.make_id("301101", 2023, "重点项目工作经费")
    cadres = next(i for i in again.indicators if i.name == "服务保障援甘、驻村干部人数")
    assert cadres.measure == "level"
    assert cadres.id == Indicator.make_id(project.id, "产出指标", "数量指标", "服务保障援甘、驻村干部人数")


# --- the year -----------------------------------------------------------------------------

def test_year_comes_from_the_flag_then_the_tables_then_the_clock():
    tables = read_tables(SEED)
    empty = Dataset(Settings(2023, "2023-07-31"))
    flagged = plan_import(tables, empty, year=2024)
    assert flagged.year == 2024 and "--year" in flagged.year_source
    assert {p.year for p in flagged.projects} == {2024}
    # Different year, different project ids: a 2024 import never touches the 2023 projects.
    assert not {p.id for p in flagged.projects} & {p.id for p in plan_import(tables, empty).projects}
    no_year = parse_text_layout(SEED_TEXT.replace("2023年", "本年").replace("2023", "本年"))
    clock = plan_import(no_year, empty, today=date(2026, 3, 1))
    assert clock.year == 2026 and "current year" in clock.year_source and "name no year" in clock.year_source
    lines = report_lines(clock)
    assert lines[0].startswith("Year: 2026, the current year")


def test_import_with_year_flag_through_the_cli(tmp_path, capsys):
    assert jixiao(tmp_path, "import", SEED, "--year", "2022") == 0
    assert "年度：2022，由 --year 指定" in capsys.readouterr().out
    assert {p.year for p in Store(tmp_path).load().projects.values()} == {2022}


# --- export-targets -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_then_import_changes_nothing(tmp_path, capsys, lang):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED) == 0
    out = tmp_path / "targets.csv"
    assert main(["--data", str(data), "--lang", lang, "export-targets", "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to see UTF-8
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("单位编码,单位名称,项目名称" if lang == "zh" else "unit_code,unit_name,project")
    before = _files(data)
    capsys.readouterr()
    assert jixiao(data, "import", out) == 0
    assert "没有变化" in capsys.readouterr().out
    assert _files(data) == before


def test_export_to_standard_output_and_into_an_empty_store(tmp_path, capsys):
    data = tmp_path / "data"
    assert jixiao(data, "import", SEED) == 0
    capsys.readouterr()
    assert jixiao(data, "export-targets") == 0
    csv_text = capsys.readouterr().out
    assert len(csv_text.splitlines()) >= 129 and "≥154.3万元" in csv_text
    copy = tmp_path / "copy.csv"
    copy.write_text(csv_text, encoding="utf-8")
    other = tmp_path / "other"
    assert jixiao(other, "import", copy) == 0
    a, b = Store(data).load(), Store(other).load()
    assert a.projects == b.projects and a.indicators == b.indicators and a.units == b.units


def test_warnings_are_listed_in_line_order(tmp_path, capsys):
    assert jixiao(tmp_path / "data", "import", SEED) == 0
    out = capsys.readouterr().out
    lines = [int(m) for m in re.findall(r"^  ! 第 (\d+) 行：", out, flags=re.M)]
    assert len(lines) >= 3 and lines == sorted(lines), lines


def test_an_indicator_id_collision_is_refused_not_merged(monkeypatch):
    from jixiao.core.dataset import Dataset
    from jixiao.core.errors import JixiaoError
    from jixiao.core.importing import plan_import
    from jixiao.core.model import Indicator, Settings
    from jixiao.core.tables import read_tables
    import pytest

    # Every row hashing to one id stands for the astronomically rare real collision.
    monkeypatch.setattr(Indicator, "make_id", staticmethod(lambda *parts: "000000000000"))
    tables = read_tables("sample_data/tianjin_2023_targets.txt")
    with pytest.raises(JixiaoError, match="would be shared by two different rows"):
        plan_import(tables, Dataset(settings=Settings(year=2023, as_of="2023-07-31")))
