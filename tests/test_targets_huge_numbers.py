"""Issue 14: a number too long for a float in a 指标值 is not read as ``inf``. A 400-digit
actual is refused; a 400-digit target used to be read *confidently* as "at least inf", so every
actual coloured it red with no flag. It now needs review, like digits run together."""

from __future__ import annotations

import json

import pytest

from jixiao.cli.main import main
from jixiao.core.targets import parse_target

HUGE = "9" * 400


@pytest.mark.parametrize("text", [f"≥{HUGE}个", "≥999,999,999,999,999,999万元", f"{HUGE}%"])
def test_a_number_longer_than_a_float_keeps_needs_review(text):
    target = parse_target(text, year=2023, category="数量指标")
    assert target.review and "15" in target.review_zh
    assert target.kind == "qualitative" and not target.parsed


@pytest.mark.parametrize("text", ["≥123456789012345元", "≥1,000,000元", "2021、2022、2023年各完成1次"])
def test_long_but_possible_numbers_are_not_flagged_for_length(text):
    target = parse_target(text, year=2023, category="数量指标")
    assert "15" not in (target.review_zh or "")


def test_explain_reads_no_value_and_import_counts_it_for_review(tmp_path, capsys):
    assert main(["explain", "--json", f"≥{HUGE}个"]) == 0
    out = capsys.readouterr().out
    reading = json.loads(out)
    assert reading["needs_review"] and reading["value"] is None
    table = tmp_path / "t.csv"
    table.write_text("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值,年度\n"
                     f"900001,测试单位,测试项目,产出指标,数量指标,培训人次,≥{HUGE}人次,2023\n"
                     "900001,测试单位,测试项目,满意度指标,服务对象满意度指标,满意度,≥90%,2023\n",
                     encoding="utf-8")
    assert main(["--data", str(tmp_path / "d"), "import", str(table)]) == 0
    capsys.readouterr()
    assert main(["--data", str(tmp_path / "d"), "readings", "--review", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 2 and "培训人次" in rows[1] and "15 位" in rows[1]
