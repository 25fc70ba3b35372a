"""Excel out (issue 16): export-targets round-trips through import, report and the formatted
项目支出绩效目标执行监控表 open as a finance office expects; the progress bar shows only on a
terminal. Workbooks are opened with openpyxl, as a user's Excel would read them."""

import io
from pathlib import Path

import openpyxl
import pytest

from jixiao.cli.main import main
from jixiao.sample_data import load_sample
from jixiao.store.exports import write_atomically
from jixiao.store.repository import Store


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def jixiao(data, *argv):
    return main(["--data", str(data), *map(str, argv)])


def _csv(data, capsys, *extra) -> str:
    capsys.readouterr()
    assert main(["--data", str(data), *extra, "export-targets", "--format", "csv"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_targets_xlsx_imports_into_a_fresh_store_byte_identical(tmp_path, capsys, lang, seed_path):
    data = tmp_path / "data"
    assert jixiao(data, "import", seed_path) == 0
    book = tmp_path / "targets.xlsx"
    assert main(["--data", str(data), "--lang", lang, "export-targets", "--format", "xlsx", "-o", str(book)]) == 0
    assert ("wrote 128 indicator rows" if lang == "en" else "已把 128 个指标行写入") in capsys.readouterr().out

    fresh = tmp_path / "fresh"
    assert jixiao(fresh, "import", book) == 0
    assert "读取：4 个单位，8 个项目，128 项指标。" in capsys.readouterr().out
    assert _csv(fresh, capsys) == _csv(data, capsys)

    ws = openpyxl.load_workbook(book).active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == ("单位编码" if lang == "zh" else "unit_code")
    assert ws["D2"].value == "89.00" and ws["D2"].data_type == "s"   # as the tables print it


def test_a_target_that_looks_like_a_formula_stays_text(tmp_path, capsys, seed_path):
    data = tmp_path / "data"
    text = seed_path.read_text(encoding="utf-8").replace("\t≥8个\n", "\t=SUM(A1:A9)\n", 1)
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    assert jixiao(data, "import", tmp_path / "t.txt") == 0
    book = tmp_path / "t.xlsx"
    assert jixiao(data, "export-targets", "--format", "xlsx", "-o", book) == 0
    cells = [c for row in openpyxl.load_workbook(book).active.iter_rows() for c in row if c.value == "=SUM(A1:A9)"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    fresh = tmp_path / "fresh"
    assert jixiao(fresh, "import", book) == 0
    assert _csv(fresh, capsys) == _csv(data, capsys)


@pytest.fixture
def sample_store(tmp_path):
    """The sample tables with the progress entries of 2023-07-31."""
    data = tmp_path / "data"
    Store(data, user="admin1").bulk_load(load_sample())
    return data


def test_export_monitoring_xlsx_holds_every_indicator_with_its_status_and_target(tmp_path, capsys, sample_store):
    out = tmp_path / "监控表.xlsx"
    assert jixiao(sample_store, "export-monitoring", "--as-of", "2023-07-31", "--format", "xlsx", "-o", out) == 0
    wb = openpyxl.load_workbook(out)
    sheets = wb.worksheets[1:]
    assert wb.sheetnames[0] == "汇总" and len(sheets) == 8

    ds = Store(sample_store).load()
    names, statuses, targets = [], [], []
    for ws in sheets:
        header = [c.value for c in ws[7]]
        name_col, target_col, status_col = (header.index("三级指标"), header.index("年度指标值"),
                                            header.index("监控状态"))
        for row in ws.iter_rows(min_row=9, values_only=True):
            names.append(row[name_col])
            targets.append(row[target_col])
            statuses.append(row[status_col])
    indicators = sorted(ds.indicators.values(), key=lambda i: (i.project_id, i.order))
    assert sorted(names) == sorted(i.name for i in indicators) and len(names) == 128
    assert sorted(targets) == sorted(i.target_text for i in indicators)
    assert all(s.split()[-1] in {"红", "黄", "绿", "蓝", "灰"} for s in statuses)
    assert {s.split()[-1] for s in statuses} >= {"红", "黄", "绿"}

    # Laid out like the official form, and printable.
    ws = sheets[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:O1", "A7:A8", "G7:K7"} <= merged          # title, 一级指标, 偏差原因分析
    assert [c.value for c in ws[8]][6:11] == ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    assert ws.freeze_panes == "D9" and ws.print_title_rows == "$7:$8"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["C"].width >= 20              # 三级指标 fits its Chinese text
    status_cell = ws.cell(row=9, column=14)
    assert status_cell.value == "● 绿" and status_cell.fill.fgColor.rgb.endswith("C6EFCE")
    assert "预算执行状态" in [c.value for c in ws[5]] and ws["J6"].value.startswith("● 绿")
    summary = [row for row in wb["汇总"].iter_rows(min_row=3, values_only=True)]
    assert len(summary) == 8 and sum(row[11] for row in summary) == 128

    # The CSV stays as it was.
    csv_out = tmp_path / "监控表.csv"
    assert jixiao(sample_store, "export-monitoring", "--as-of", "2023-07-31", "-o", csv_out) == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_report_xlsx_shows_each_colour_as_glyph_word_and_fill(tmp_path, capsys, sample_store):
    out = tmp_path / "report.xlsx"
    assert jixiao(sample_store, "report", "--as-of", "2023-07-31", "--only", "red", "--format", "xlsx", "-o", out) == 0
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    colour = header.index("colour") + 1
    cells = [ws.cell(row=r, column=colour) for r in range(2, ws.max_row + 1)]
    assert cells and all(c.value == "✖ 红" and c.fill.fgColor.rgb.endswith("FFC7CE") for c in cells)
    assert ws.freeze_panes == "A2"


def test_a_workbook_is_not_written_to_a_terminal(tmp_path, capsys, sample_store, monkeypatch):
    screen = _Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    assert jixiao(sample_store, "report", "--format", "xlsx") == 2
    assert "-o 文件.xlsx" in capsys.readouterr().err and screen.getvalue() == ""


def test_write_atomically_takes_bytes_and_a_binary_writer(tmp_path):
    target = tmp_path / "a.bin"
    write_atomically(target, b"\x00\x01", binary=True)
    assert target.read_bytes() == b"\x00\x01"
    write_atomically(target, lambda fh: fh.write(b"PK"), binary=True)
    assert target.read_bytes() == b"PK" and [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_commands_write_nothing_to_a_stderr_that_is_not_a_terminal(tmp_path, capsys, sample_store, seed_path):
    assert jixiao(tmp_path / "d", "import", seed_path) == 0
    assert jixiao(sample_store, "export-monitoring", "--format", "xlsx", "-o", tmp_path / "m.xlsx") == 0
    err = capsys.readouterr().err
    assert "━" not in err and "\x1b[" not in err
    assert Path(tmp_path / "m.xlsx").exists()
