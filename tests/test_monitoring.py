"""The 项目支出绩效目标执行监控表 export: standard columns, grouping, funds, BOM (issue 6)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from jixiao.core.dataset import Dataset
from jixiao.core.model import Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit
from jixiao.core.monitoring_table import columns, monitoring_csv, monitoring_rows
from jixiao.core.words import CAUSES
from jixiao.sample_data import load_sample
from jixiao.cli.main import main

STANDARD = ["一级指标", "二级指标", "三级指标", "年度指标值", "当前完成值（1-7月执行情况）",
            "全年预计完成情况", "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他",
            "完成目标可能性", "备注"]


def dataset() -> Dataset:
    ds = Dataset(Settings(year=2023, as_of="2023-07-31"))
    ds.add_unit(Unit("301205", "综合服务中心"))
    ds.add_unit(Unit("301101", "人民政府办公厅"))
    for code, name in (("301101", "测评项目"), ("301205", "工作经费")):
        ds.add_project(Project(f"P{code}", code, 2023, name, Budget(80.0, 60.0, 20.0)))
    for k, (pid, name, text) in enumerate([("P301101", "系统数量", "≥8个"),
                                          ("P301101", "满意度", "≥95%"),
                                          ("P301205", "收发数量", "≥300000份")]):
        ds.add_indicator(Indicator(f"i{k}", pid, k, "产出指标", "数量指标", name, "", text))
    ds.add_progress(ProgressEntry("e1", "i2", "2023-07-31", "131200份", "li", "2023-08-01T09:00",
                                  forecast="280000份", likelihood="有可能",
                                  causes=("人员保障", "其他"), measures="增派人手", note="旺季在后"))
    ds.add_progress(ProgressEntry("e2", "i0", "2023-09-30", "8个", "li", "2023-10-01T09:00"))
    ds.add_spending(SpendingEntry("s1", "P301101", "2023-06-30", 30.0, "li", "2023-07-01T09:00"))
    ds.add_spending(SpendingEntry("s2", "P301101", "2023-09-30", 70.0, "li", "2023-10-01T09:00"))
    return ds


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_columns_are_the_standard_order_with_the_month_of_the_date():
    assert columns(7) == STANDARD
    assert columns(6)[4] == "当前完成值（1-6月执行情况）"
    rows = parse(monitoring_csv(dataset(), "2023-06-30"))
    headers = [r for r in rows if r and r[0] == "一级指标"]
    assert len(headers) == 2 and headers[0] == columns(6)


def test_grouped_by_unit_then_project_with_one_row_per_indicator():
    rows = monitoring_rows(dataset(), "2023-07-31")
    units = [r[1] for r in rows if r and r[0] == "预算单位"]
    assert units == ["301101 人民政府办公厅", "301205 综合服务中心"]
    projects = [r[1] for r in rows if r and r[0] == "项目名称"]
    assert projects == ["测评项目", "工作经费"]
    indicator_rows = [r for r in rows if len(r) == 13 and r[0] == "产出指标"]
    assert [r[2] for r in indicator_rows] == ["系统数量", "满意度", "收发数量"]
    # Each project's indicators come after its own header.
    at = {r[1]: k for k, r in enumerate(rows) if r and r[0] == "项目名称"}
    assert at["测评项目"] < rows.index(indicator_rows[0]) < at["工作经费"] < rows.index(indicator_rows[2])


def test_progress_causes_likelihood_and_remarks_land_in_their_columns():
    rows = monitoring_rows(dataset(), "2023-07-31")
    row = dict(zip(STANDARD, next(r for r in rows if len(r) == 13 and r[2] == "收发数量")))
    assert row["年度指标值"] == "≥300000份"
    assert row["当前完成值（1-7月执行情况）"] == "131200份"
    assert row["全年预计完成情况"] == "280000份"
    assert [row[c] for c in CAUSES] == ["", "", "√", "", "√"]
    assert row["完成目标可能性"] == "有可能"
    assert "增派人手" in row["备注"] and "旺季在后" in row["备注"]


def test_funds_and_later_entries_follow_the_as_of_date():
    ds = dataset()
    rows = monitoring_rows(ds, "2023-07-31")
    funds_at = [k for k, r in enumerate(rows) if r and r[0] == "项目资金（万元）"]
    assert rows[funds_at[0]][4:] == ["1-7月执行数", "1-7月执行率"]
    assert rows[funds_at[0] + 1] == ["", "80.00", "60.00", "20.00", "30.00", "37.50%"]
    assert rows[funds_at[1] + 1] == ["", "80.00", "60.00", "20.00", "", ""]   # nothing spent yet
    first = next(r for r in rows if len(r) == 13 and r[2] == "系统数量")
    assert first[4] == ""          # the 8个 is dated 2023-09-30, after this table's date
    later = monitoring_rows(ds, "2023-09-30")
    assert next(r for r in later if len(r) == 13 and r[2] == "系统数量")[4] == "8个"
    assert later[[k for k, r in enumerate(later) if r and r[0] == "项目资金（万元）"][0] + 1][4:] == [
        "70.00", "87.50%"]


def test_text_that_excel_would_run_as_a_formula_is_kept_literal():
    ds = dataset()
    ds.add_indicator(replace(ds.indicators["i1"], target_text="=1+1", name="@SUM(A1)"))
    rows = parse(monitoring_csv(ds, "2023-07-31"))
    row = next(r for r in rows if len(r) == 13 and r[3].endswith("=1+1"))
    assert row[3] == "'=1+1" and row[2] == "'@SUM(A1)"


def test_cli_writes_utf8_with_bom_for_excel(tmp_path, capsys):
    out = tmp_path / "监控表.csv"
    assert main(["--lang", "en", "--demo", "export-monitoring", "--as-of", "2023-07-31", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = parse(data.decode("utf-8-sig"))
    assert rows[0][0] == "项目支出绩效目标执行监控表"
    demo = load_sample()
    indicator_rows = [r for r in rows if len(r) == 13 and r[0] != "一级指标"]
    assert len(indicator_rows) == len(demo.indicators) == 128
    assert sum(1 for r in rows if r and r[0] == "项目名称") == len(demo.projects)
    assert all(r == STANDARD for r in rows if r and r[0] == "一级指标")
    assert "wrote" in capsys.readouterr().err


def test_cli_refuses_a_bad_date_or_place_without_writing(tmp_path, capsys):
    out = tmp_path / "t.csv"
    assert main(["--lang", "en", "--demo", "export-monitoring", "--as-of", "2023-13-01", "-o", str(out)]) == 2
    assert "2023-13-01 does not exist" in capsys.readouterr().err and not out.exists()
    assert main(["--lang", "en", "--demo", "export-monitoring", "-o", str(tmp_path / "no" / "such" / "t.csv")]) == 2
    assert "no/such/t.csv" in capsys.readouterr().err
