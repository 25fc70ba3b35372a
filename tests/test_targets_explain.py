"""``jixiao explain``: how a 指标值 is read, said wholly in the UI language, with the budget year
it used and why."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from jixiao.cli.main import main

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture(autouse=True)
def no_store(tmp_path, monkeypatch):
    """Every test starts with an empty default data directory, never the user's own."""
    empty = tmp_path / "nothing-here"
    monkeypatch.setenv("JIXIAO_DATA", str(empty))
    return empty


def explain(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def lines(out: str) -> dict[str, str]:
    return {k: v for k, v in (re.split(r"\s{2,}|(?<=[^\x00-\x7f])\s", line.strip(), maxsplit=1)
                              for line in out.splitlines() if line.strip())}


def test_chinese_explain_says_everything_in_chinese(capsys):
    out = explain(capsys, "explain", "≥154.3万元", "--category", "成本指标", "--year", "2023")
    got = lines(out)
    assert got["类型"] == "数量"
    assert got["运算符"] == "≥"
    assert got["方向"] == "越高越好"
    assert got["计量"] == "累计"
    assert got["需复核"] == "成本指标写了下限（≥）：请确认是否应为≤"
    assert got["填报"] == "需要以万元为单位的数字"
    for english in ("quantity", "higher", "cumulative", "needs", "lower bound", "check"):
        assert english not in out


@pytest.mark.parametrize("text,category,kind,direction,measure", [
    ("≥95%", "满意度指标", "比率", "越高越好", "水平"),
    ("≤4人", "数量指标", "数量", "越低越好", "累计"),
    ("=250天", "时效指标", "数量", "精确", "水平"),
    ("1-2天，急件优先", "时效指标", "区间", None, "水平"),
    ("2023年6月底前完成", "时效指标", "时限", None, None),
    ("及时", "", "定性", None, None),
])
def test_chinese_names_of_every_kind_direction_and_measure(capsys, text, category, kind,
                                                           direction, measure):
    got = lines(explain(capsys, "explain", text, "--category", category, "--year", "2023"))
    assert (got["类型"], got.get("方向"), got.get("计量")) == (kind, direction, measure)


def test_english_explain_says_everything_in_english(capsys):
    out = explain(capsys, "--lang", "en", "explain", "≥154.3万元", "--category", "成本指标",
                  "--year", "2023")
    got = lines(out)
    assert got["kind"] == "quantity"
    assert got["direction"] == "higher is better"
    assert got["measure"] == "cumulative"
    assert got["review"] == "a 成本指标 with a lower bound (≥): check whether ≤ was meant"
    assert got["to record"] == "needs a number in 万元"
    assert got["year"] == "2023 (from --year)"
    for chinese in ("数量", "越高越好", "累计", "需要", "年度", "请确认"):
        assert chinese not in out


def test_english_deadline_and_grade(capsys):
    out = explain(capsys, "--lang", "en", "explain", "及时", "--year", "2023")
    assert lines(out)["kind"] == "qualitative"
    assert "定性" not in out
    got = lines(explain(capsys, "--lang", "en", "explain", "第三季度", "--year", "2023"))
    assert (got["kind"], got["deadline"]) == ("deadline", "2023-09-30")
    assert got["to record"] == "needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)"


def test_a_bare_number_says_no_operator_was_written_and_reads_as_at_least(capsys):
    got = lines(explain(capsys, "explain", "0.5亿元", "--year", "2023", "--category", "数量指标"))
    assert got["解读"] == "数量：不低于 0.5亿元，累计"
    assert got["运算符"] == "未写明，按“不低于”解读（与财政系统对未写≥或≤的数字的读法一致）"
    got = lines(explain(capsys, "--lang", "en", "explain", "0.5亿元", "--year", "2023",
                        "--category", "数量指标"))
    assert got["read as"] == "quantity: at least 0.5 亿元, cumulative"
    assert got["operator"] == ("none written — read as at least (as the finance systems read a "
                               "number without ≥ or ≤)")
    doc = json.loads(explain(capsys, "explain", "0.5亿元", "--year", "2023", "--json"))
    assert (doc["op"], doc["op_written"], doc["direction"]) == ("=", False, "higher")
    doc = json.loads(explain(capsys, "explain", "≥0.5亿元", "--year", "2023", "--json"))
    assert (doc["op"], doc["op_written"]) == (">=", True)


def test_a_written_operator_is_shown_as_written(capsys):
    assert lines(explain(capsys, "explain", "不少于8个", "--year", "2023"))["运算符"] == "≥"


# --- which budget year dates without a year take ------------------------------------------------

def store_of_year(path: Path, year: int) -> Path:
    assert main(["--data", str(path), "settings", "--year", str(year),
                 "--as-of", f"{year}-07-31"]) == 0
    return path


def test_without_year_the_stores_budget_year_is_used(capsys, tmp_path):
    data = store_of_year(tmp_path / "d2023", 2023)
    capsys.readouterr()
    got = lines(explain(capsys, "--data", str(data), "explain", "第三季度"))
    assert got["截止日期"] == "2023-09-30"
    assert got["年度"] == f"2023（数据目录 {data} 设置中的预算年度）"
    got = lines(explain(capsys, "--lang", "en", "--data", str(data), "explain", "第三季度"))
    assert got["year"] == f"2023 (the budget year in the settings of the data directory {data})"


def test_the_default_data_directory_counts_too(capsys, no_store):
    store_of_year(no_store, 2023)
    capsys.readouterr()
    assert lines(explain(capsys, "explain", "11月底到位"))["截止日期"] == "2023-11-30"


def test_a_store_without_settings_gives_its_latest_stored_year(capsys, tmp_path):
    data = tmp_path / "imported"
    assert main(["--data", str(data), "import", str(SEED), "--year", "2023"]) == 0
    (data / "settings.json").unlink(missing_ok=True)
    capsys.readouterr()
    got = lines(explain(capsys, "--data", str(data), "explain", "第三季度"))
    assert got["截止日期"] == "2023-09-30"
    assert got["年度"] == f"2023（数据目录 {data} 中已存数据的最新预算年度（尚无设置））"


def test_year_flag_wins_over_the_store(capsys, tmp_path):
    data = store_of_year(tmp_path / "d2023", 2023)
    capsys.readouterr()
    got = lines(explain(capsys, "--data", str(data), "explain", "第三季度", "--year", "2025"))
    assert (got["截止日期"], got["年度"]) == ("2025-09-30", "2025（由 --year 指定）")


def test_without_a_store_the_current_year_is_used_and_nothing_is_created(capsys, no_store):
    year = date.today().year
    got = lines(explain(capsys, "explain", "第三季度"))
    assert got["截止日期"] == f"{year}-09-30"
    assert got["年度"] == f"{year}（当前年份：数据目录 {no_store} 中没有数据）"
    assert not no_store.exists()
    doc = json.loads(explain(capsys, "--lang", "en", "explain", "第三季度", "--json"))
    assert doc["year"] == year
    assert doc["year_from"] == f"the current year: there is no store in the data directory {no_store}"
    assert doc["to_record"] == "needs a completion date (YYYY-MM-DD) or percent done (e.g. 60%)"


def test_a_damaged_store_does_not_stop_explain_and_is_left_alone(capsys, tmp_path):
    data = store_of_year(tmp_path / "bad", 2023)
    (data / "settings.json").write_text("not json", encoding="utf-8")
    capsys.readouterr()
    got = lines(explain(capsys, "--data", str(data), "explain", "第三季度"))
    year = date.today().year
    assert got["截止日期"] == f"{year}-09-30"
    assert got["年度"] == f"{year}（当前年份：数据目录 {data} 的设置无法读取，可运行 jixiao check 检查）"
    assert (data / "settings.json").read_text(encoding="utf-8") == "not json"


def test_json_gives_the_message_in_the_ui_language(capsys):
    doc = json.loads(explain(capsys, "explain", "≥8个", "--year", "2023", "--json"))
    assert (doc["to_record"], doc["year"], doc["year_from"]) == ("需要以个为单位的数字", 2023,
                                                                 "由 --year 指定")
    assert doc["kind"] == "quantity"      # codes stay codes in JSON
