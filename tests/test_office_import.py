"""Word and Excel in (issue 16): a .docx of published tables and .xlsx sheets import like the
text and CSV they stand for; damaged, protected and legacy files are refused, nothing stored.
Every file is built here with python-docx / openpyxl."""

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from jixiao.cli.main import main
from jixiao.core.tables import parse_csv, read_tables


def jixiao(data, *argv):
    return main(["--data", str(data), *map(str, argv)])


def _files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def _export_csv(data, capsys) -> str:
    capsys.readouterr()
    assert jixiao(data, "export-targets", "--format", "csv") == 0
    return capsys.readouterr().out


def _warnings(out: str) -> list[str]:
    # The warnings of an import report without where they point (a line, a table, a sheet row).
    lines = [ln.strip()[2:] for ln in out.splitlines() if ln.strip().startswith("! ")]
    return [re.sub(r"^(第 \d+ 行|第 \d+ 个表格(第 \d+ 行)?|工作表“[^”]*”第 \d+ 行)：", "", w)
            for w in lines]


@pytest.fixture
def text_store(tmp_path, capsys, seed_path):
    """A store holding the sample imported from its text export, its CSV and its warnings."""
    data = tmp_path / "from-text"
    assert jixiao(data, "import", seed_path) == 0
    warnings = _warnings(capsys.readouterr().out)
    return data, _export_csv(data, capsys), warnings


# --- Word -------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit_above_every", [0, 2])
def test_the_sample_as_a_word_document_imports_like_its_text_export(tmp_path, capsys, text_store,
                                                                   unit_above_every, sample_docx):
    _, text_csv, text_warnings = text_store
    path = sample_docx(tmp_path / "目标表.docx", unit_above_every=unit_above_every)
    data = tmp_path / "from-word"

    assert jixiao(data, "import", path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "（Word 文档）：8 张项目目标表" in out
    assert "将新增：4 个单位，8 个项目，128 项指标" in out
    assert not data.exists() or _files(data) == {}

    assert jixiao(data, "import", path) == 0
    out = capsys.readouterr().out
    assert "读取：4 个单位，8 个项目，128 项指标。" in out
    assert _warnings(out) == text_warnings
    assert re.search(r"! 第 3 个表格第 \d+ 行：301101 机关运行保障经费 · 成本指标", out)
    # Same ids, same verbatim 指标值, same budgets, goals and 资金用途.
    assert _export_csv(data, capsys) == text_csv

    before = _files(data)
    assert jixiao(data, "import", path) == 0
    assert "没有变化：数据中已有这些目标表" in capsys.readouterr().out
    assert _files(data) == before


def test_projects_in_one_long_table_import_like_one_table_each(tmp_path, capsys, text_store, sample_docx):
    # Some units put all their projects in one table: each starts with its own head rows.
    _, text_csv, _ = text_store
    document = docx.Document(sample_docx(tmp_path / "separate.docx"))
    first, *others = document.tables
    for table in others:
        for tr in list(table._tbl.tr_lst):
            first._tbl.append(tr)
        table._tbl.getparent().remove(table._tbl)
    document.save(tmp_path / "one-table.docx")
    data = tmp_path / "data"
    assert jixiao(data, "import", tmp_path / "one-table.docx") == 0
    assert "读取：4 个单位，8 个项目，128 项指标。" in capsys.readouterr().out
    assert _export_csv(data, capsys) == text_csv


def test_merged_cells_are_read_once_per_position_and_a_table_without_the_header_is_context(tmp_path, seed_path, add_project_table):
    seed = read_tables(seed_path).tables[0]
    document = docx.Document()
    document.add_paragraph("2023年项目支出绩效目标表")
    # The unit line as a small table of its own above the project table.
    unit = document.add_table(rows=1, cols=2)
    unit.cell(0, 0).text, unit.cell(0, 1).text = f"{seed.unit_code}{seed.unit_name}", "单位：万元"
    add_project_table(document, 1, seed, unit="none")
    path = tmp_path / "one.docx"
    document.save(path)

    (table,) = read_tables(path).tables
    assert (table.unit_code, table.name, table.budget.total, table.budget.fiscal) == ("301101", seed.name, 89.0, 89.0)
    assert [(r.level1, r.category, r.name, r.target_text) for r in table.rows] == \
           [(r.level1, r.category, r.name, r.target_text) for r in seed.rows]
    assert table.goals == seed.goals and table.purpose == seed.purpose


def test_a_word_document_without_target_tables_or_with_a_broken_row_exits_2(tmp_path, capsys, seed_path, add_project_table):
    data = tmp_path / "data"
    plain = docx.Document()
    plain.add_paragraph("会议纪要")
    plain.add_table(rows=2, cols=2).cell(0, 0).text = "姓名"
    plain.save(tmp_path / "纪要.docx")
    assert jixiao(data, "import", tmp_path / "纪要.docx") == 2
    err = capsys.readouterr().err
    assert "纪要.docx" in err and "一级指标" in err and "未导入任何内容" in err

    document = docx.Document()
    add_project_table(document, 1, read_tables(seed_path).tables[0])
    t = document.tables[0]
    t.cell(9, 5).text = ""                       # the 指标值 of the third indicator row, gone
    document.save(tmp_path / "broken.docx")
    assert jixiao(data, "import", tmp_path / "broken.docx") == 2
    err = capsys.readouterr().err
    assert "第 1 个表格第 10 行：此处应为指标值" in err and "Traceback" not in err
    assert not data.exists() or _files(data) == {}


# --- Excel ------------------------------------------------------------------------------------


@pytest.fixture
def seed_csv(seed_dataset):
    """The sample as CSV text (``seed_csv(lang)``), written by export-targets' own writer."""
    import io

    from jixiao.core.tables import write_csv

    def text(lang: str = "zh") -> str:
        buf = io.StringIO(newline="")
        write_csv(seed_dataset(), buf, lang=lang)
        return buf.getvalue()
    return text


def _rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sheet_in_the_csv_layout_reads_like_the_csv(tmp_path, lang, seed_csv, workbook):
    rows = _rows(seed_csv(lang))
    # A title row above the header, as people add them; amounts typed as numbers.
    sheet = [["2023年项目支出绩效目标表"], *rows[:1],
             *([float(c) if c.replace(".", "").isdigit() and i in (3, 4, 5) else c
                for i, c in enumerate(r)] for r in rows[1:])]
    path = workbook(tmp_path / "targets.xlsx", {"指标": sheet})
    from_xlsx, from_csv = read_tables(path), parse_csv(seed_csv(lang))
    assert from_xlsx.source == "xlsx"
    assert [(t.unit_code, t.name, t.budget, t.goals, t.purpose, [(r.level1, r.category, r.name, r.description,
             r.target_text) for r in t.rows]) for t in from_xlsx.tables] == \
           [(t.unit_code, t.name, t.budget, t.goals, t.purpose, [(r.level1, r.category, r.name, r.description,
             r.target_text) for r in t.rows]) for t in from_csv.tables]
    assert from_xlsx.tables[0].place == "sheet “指标”, row 3"


def test_several_sheets_import_each_with_the_columns_and_name_the_skipped(tmp_path, capsys, seed_csv, workbook):
    header, *rows = _rows(seed_csv())
    first = [r for r in rows if r[0] == "301101"]
    rest = [r for r in rows if r[0] != "301101"]
    path = workbook(tmp_path / "book.xlsx", {"说明": [["本表由财政局汇总"]], "办公厅": [header, *first],
                                             "下属单位": [header, *rest]})
    data = tmp_path / "data"
    assert jixiao(data, "import", path) == 0
    out = capsys.readouterr().out
    assert "读取：4 个单位，8 个项目，128 项指标。" in out
    assert "跳过了没有目标表各列的工作表 “说明”" in out


def test_percent_cells_and_whole_numbers_read_as_shown(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位编码", "单位名称", "项目名称", "一级指标", "二级指标", "三级指标", "指标值", "预算数"])
    ws.append([301101, "某单位", "某项目", "产出指标", "质量指标", "合格率", 0.95, 89])
    ws["G2"].number_format = "0%"
    ws.append([None, None, None, None, None, "满意度", ">=90%", None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D3")
    ws.merge_cells("E2:E3")
    ws.merge_cells("H2:H3")
    wb.save(tmp_path / "p.xlsx")
    (table,) = read_tables(tmp_path / "p.xlsx").tables
    assert table.unit_code == "301101" and table.budget.total == 89.0
    assert [r.target_text for r in table.rows] == ["95%", ">=90%"]
    assert [r.category for r in table.rows] == ["质量指标", "质量指标"]


def test_the_sichuan_split_layout_reads_as_its_csv_does(tmp_path, workbook):
    # One mapping for CSV and Excel: whatever the CSV reader makes of 指标性质 | 指标值 | 度量单位,
    # the sheet gives the same.
    rows = [["单位编码", "单位名称", "项目名称", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
            ["501001", "四川某单位", "某项目", "产出指标", "数量指标", "培训人次", "≥", "300", "人次"],
            ["501001", "四川某单位", "某项目", "满意度指标", "服务对象满意度指标", "满意度", "≥", "90", "%"]]
    path = workbook(tmp_path / "sc.xlsx", {"Sheet1": [[int(c) if c.isdigit() else c for c in r] for r in rows]})
    csv_text = "\n".join(",".join(r) for r in rows) + "\n"
    from_xlsx, from_csv = read_tables(path), parse_csv(csv_text)
    assert [[replace(r, place="") for r in t.rows] for t in from_xlsx.tables] == \
           [list(t.rows) for t in from_csv.tables]
    assert from_xlsx.tables[0].rows[0].reading == {"nature": "≥", "unit": "人次"}
    assert [w.split(": ", 1)[1] for w in from_xlsx.warnings] == [w.split(": ", 1)[1] for w in from_csv.warnings]


# --- files that are not what they say, or cannot be read ---------------------------------------


def _ole2(*streams: str) -> bytes:
    """The start of an OLE2 compound file naming ``streams`` in its directory, as Office 97-2003
    files and password-protected .docx/.xlsx are (no library here writes that format)."""
    body = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 512


@pytest.mark.parametrize("name, content, lang, says", [
    ("old.doc", _ole2("Root Entry", "WordDocument", "1Table"), "zh", "另存为 .docx"),
    ("old.xls", _ole2("Root Entry", "Workbook"), "zh", "另存为 .xlsx"),
    ("old.xls", _ole2("Root Entry", "Workbook"), "en", "save it as .xlsx"),
    ("secret.xlsx", _ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"), "zh", "密码"),
    ("secret.docx", _ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"), "en", "password"),
])
def test_legacy_and_password_protected_files_are_refused_with_what_to_do(tmp_path, capsys, name, content,
                                                                         lang, says, seed_path):
    data = tmp_path / "data"
    assert jixiao(data, "import", seed_path) == 0
    before = _files(data)
    (tmp_path / name).write_bytes(content)
    capsys.readouterr()
    assert main(["--data", str(data), "--lang", lang, "import", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    nothing = "nothing was imported" if lang == "en" else "未导入任何内容"
    assert name in err and says in err and nothing in err and "Traceback" not in err
    assert _files(data) == before


def test_a_damaged_docx_or_xlsx_is_refused(tmp_path, capsys, sample_docx):
    good = sample_docx(tmp_path / "good.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    with zipfile.ZipFile(tmp_path / "junk.xlsx", "w") as z:
        z.writestr("xl/workbook.xml", "<not xml")
        z.writestr("[Content_Types].xml", "<also not")
    for name in ("cut.docx", "junk.xlsx"):
        assert jixiao(tmp_path / "data", "import", tmp_path / name) == 2
        err = capsys.readouterr().err
        assert name in err and "已损坏" in err and "另存为" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists() or _files(tmp_path / "data") == {}


def test_a_file_is_judged_by_its_content_not_its_extension(tmp_path, capsys, seed_csv, seed_path, sample_docx):
    path = sample_docx(tmp_path / "targets.docx")
    liar = tmp_path / "targets.txt"
    liar.write_bytes(path.read_bytes())
    assert jixiao(tmp_path / "a", "import", liar) == 0
    assert "（Word 文档）：8 张项目目标表" in capsys.readouterr().out

    csv_as_xlsx = tmp_path / "targets.xlsx"
    csv_as_xlsx.write_text(seed_csv(), encoding="utf-8")
    assert jixiao(tmp_path / "b", "import", csv_as_xlsx) == 0
    assert "（CSV）：8 张项目目标表" in capsys.readouterr().out

    text_as_doc = tmp_path / "targets.doc"
    text_as_doc.write_bytes(seed_path.read_bytes())
    assert jixiao(tmp_path / "c", "import", text_as_doc) == 0
    assert "（Word 文本格式）：8 张项目目标表" in capsys.readouterr().out


def test_no_office_library_is_loaded_until_a_file_needs_it():
    import subprocess
    import sys

    code = ("import sys, jixiao.core, jixiao.cli.main, jixiao.core.formats.docx_tables, "
            "jixiao.core.formats.xlsx_tables, jixiao.core.formats.xlsx_export, jixiao.cli.progress; "
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True).stdout.split())
    assert not {m.split(".")[0] for m in loaded} & {"docx", "openpyxl", "lxml"}
    assert not loaded & {"rich.progress", "rich.console"}     # the progress bar's, drawn on demand


def test_an_archive_that_unpacks_to_far_too_much_is_refused_before_reading(tmp_path, capsys, monkeypatch, sample_docx):
    import jixiao.core.formats as formats

    path = sample_docx(tmp_path / "big.docx")
    monkeypatch.setattr(formats, "MAX_UNPACKED", 1000)
    assert jixiao(tmp_path / "data", "import", path) == 2
    err = capsys.readouterr().err
    assert "big.docx" in err and "解压后超过" in err and "未导入任何内容" in err


def test_a_word_table_repeating_a_row_is_refused_like_the_text(tmp_path, capsys, seed_path, add_project_table):
    seed = read_tables(seed_path).tables[0]
    twice = replace(seed, rows=seed.rows + seed.rows[-1:])
    document = docx.Document()
    add_project_table(document, 1, twice)
    document.save(tmp_path / "twice.docx")
    assert jixiao(tmp_path / "data", "import", "--dry-run", tmp_path / "twice.docx") == 2
    err = capsys.readouterr().err
    assert "twice.docx table 1" in err and "13" in err and "12" in err and "Traceback" not in err
