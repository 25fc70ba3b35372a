"""Reading target tables: the Word text layout of the published seed, other tables in that layout,
files that are not in it, and the flat CSV in both header languages."""

import io
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.core.dataset import Dataset
from jixiao.core.errors import JixiaoError
from jixiao.core.importing import plan_import
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.core.tables import (CSV_COLUMNS, parse_csv, parse_text_layout, read_tables, write_csv,
                         year_from_text)
from jixiao.core.words import LEVEL1

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return read_tables(SEED)


def _all_strings(tables):
    for t in tables.tables:
        yield from (t.unit_code, t.unit_name, t.name, t.purpose, t.title, *t.goals)
        for r in t.rows:
            yield from (r.level1, r.category, r.name, r.description, r.target_text)


# --- the seed -------------------------------------------------------------------------------

def test_seed_has_eight_projects_of_four_units_and_128_rows(seed):
    assert len(seed.tables) == 8
    assert sorted({t.unit_code for t in seed.tables}) == ["301101", "301205", "301206", "301303"]
    assert sum(len(t.rows) for t in seed.tables) == 128
    assert [len(t.rows) for t in seed.tables] == [6, 9, 32, 9, 36, 12, 7, 17]
    assert seed.tables[5].unit_name == "天津市人民政府办公厅综合服务中心"


def test_every_cell_is_a_verbatim_line_of_the_seed(seed):
    # Each stored cell is one tab-prefixed line of the file, trimmed of surrounding blanks only.
    cells = {line[1:].strip() for line in SEED_TEXT.splitlines() if line.startswith("\t")}
    for t in seed.tables:
        for r in t.rows:
            assert r.target_text in cells
            assert r.name in cells
            if "监理费" not in r.description:
                assert r.description in cells
    texts = {r.target_text for t in seed.tables for r in t.rows}
    assert {"≥8个", "1-2天，急件优先", "2023年6月底前完成等级保护测评", "≥95百分比", "38个",
            "≥154.3万元", "即收即发，急件优先"} <= texts


def test_white_space_inside_a_cell_is_kept_and_around_it_trimmed(seed):
    rows = [r for r in seed.tables[2].rows if r.name.startswith("推动落实")]
    assert rows[0].name == "推动落实党中央、国务院决策部署和市委、市政府重点工作任务"
    assert rows[0].description == "推动落实党中央、国务院决策部署和市委、 市政府重点工作任务"


def test_no_bookmark_marker_is_stored_anywhere(seed):
    for s in _all_strings(seed):
        assert "bookmark" not in s and "_Toc" not in s and "_GoBack" not in s
    supervision = next(r for r in seed.tables[3].rows if r.name == "监理费用")
    assert supervision.description == "监理费尾款申请财政预算不超过3.9万元"
    assert seed.tables[0].title == "系统等级保护测评项目绩效目标表"


def test_an_empty_first_cell_continues_the_previous_level1(seed):
    first = seed.tables[0]
    assert [r.level1 for r in first.rows] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]
    assert all(r.level1 in LEVEL1 for t in seed.tables for r in t.rows)
    assert [r.category for r in first.rows][:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]


def test_a_blank_line_inside_a_row_does_not_split_it(seed):
    row = next(r for r in seed.tables[4].rows if r.name == "服务保障援甘、驻村干部人数")
    assert (row.category, row.target_text) == ("数量指标", "≤4人")


def test_budget_purpose_and_goals(seed):
    p = seed.tables[3]
    assert p.name == "中转平台建设项目"
    assert (p.budget.total, p.budget.fiscal, p.budget.other) == (136.9, 136.9, None)
    assert p.purpose == "建设电子政务外网政府系统文件中转平台软硬件费用和集成费用"
    # The second goal is an untabbed continuation line in the export.
    assert len(p.goals) == 2 and p.goals[1].startswith("2.建立中转平台")
    assert seed.tables[6].goals == ("1.目标内容1   提升硬件设施，消除安全隐患，保障招待所完成职责。",)


def test_the_seed_names_its_year(seed):
    year, reason = year_from_text(seed)
    assert year == 2023
    assert "2023年" in reason


# --- the layout, not the file --------------------------------------------------------------

OTHER_TABLE = """\
1.街道环境整治项目绩效目标表
\t120001某区城市管理委员会
\t单位：元

\t项目名称
\t街道环境整治项目

\t预算数
\t1,250,000
\t其中：财政资金
\t1000000
\t其他资金
\t250000

\t资金用途
\t用于街道环境整治

\t年度绩效目标
\t1.整治街道10条。
2.群众满意度不低于90%。

\t一级指标
\t二级指标
\t三级指标
\t绩效指标描述
\t指标值

\t产出指标
\t数量指标
\t整治街道数量
\t整治街道数量
\t≥10条

\t
\t
\t整治面积
\t
\t≥5万平方米

\t满意度指标
\t服务对象满意度指标
\t群众满意度
\t群众满意度
\t≥90%
\t120002某区园林绿化局\t单位:万元
\t项目名称
\t公园维护
\t预算数
\t30
\t一级指标
\t二级指标
\t三级指标
\t绩效指标描述
\t指标值
\t成本指标\t经济成本指标\t维护费用\t维护费用\t≤30万元
\t满意度指标
\t服务对象满意度指标
\t游客满意度
\t游客满意度
\t≥90%
"""


def test_another_table_in_the_same_layout_reads_the_same_way():
    tables = parse_text_layout(OTHER_TABLE, "other.txt")
    assert [t.name for t in tables.tables] == ["街道环境整治项目", "公园维护"]
    first, second = tables.tables
    assert (first.unit_code, first.unit_name) == ("120001", "某区城市管理委员会")
    # 单位：元 is converted: budgets are always 万元.
    assert (first.budget.total, first.budget.fiscal, first.budget.other) == (125.0, 100.0, 25.0)
    assert first.purpose == "用于街道环境整治"
    assert first.goals == ("1.整治街道10条。", "2.群众满意度不低于90%。")
    assert [(r.level1, r.category, r.name, r.target_text) for r in first.rows] == [
        ("产出指标", "数量指标", "整治街道数量", "≥10条"),
        ("产出指标", "数量指标", "整治面积", "≥5万平方米"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    # The second table has a whole row per line (cells split by tabs) and an ASCII colon.
    assert second.unit_name == "某区园林绿化局"
    assert second.budget.total == 30.0
    assert [(r.level1, r.name, r.target_text) for r in second.rows] == [
        ("成本指标", "维护费用", "≤30万元"), ("满意度指标", "游客满意度", "≥90%")]
    assert year_from_text(tables)[0] is None


# --- refusing what is not in the layout --------------------------------------------------------

@pytest.mark.parametrize("text, line, expected", [
    ("hello\nworld\n", 1, "expected a target table"),
    ('{"units": []}\n', 1, "expected a target table"),
    ("", 1, "empty file"),
    (SEED_TEXT.replace("\t一级指标\n", "\t指标层级\n", 1), 24, "indicator header row"),
    (SEED_TEXT.replace("\t≥8个\n", "", 1), 35, "指标值"),
    (SEED_TEXT.replace("\t二级指标\n", "", 1), 25, "二级指标"),
])
def test_a_file_not_in_the_layout_is_refused_with_line_and_expectation(text, line, expected):
    with pytest.raises(JixiaoError) as err:
        parse_text_layout(text, "bad.txt")
    assert err.value.exit_code == 2
    assert f"line {line}" in err.value.message
    assert expected in err.value.message
    assert "Nothing was stored" in err.value.message or "nothing was stored" in err.value.message


@pytest.mark.parametrize("keep, expected", [
    (1, "unit code"),                   # only the title of the first table
    (12, "indicator header row"),       # inside the budget rows
    (33, "指标值"),                      # inside the first indicator row
    (533, "指标值"),                     # inside a row of table 5
    (1018, "指标值"),                    # inside the very last row
    (40, "looks truncated"),             # after a whole row, before the table's last rows
    (806, "looks truncated"),            # likewise in the sixth table
])
def test_a_truncated_file_is_refused_at_its_end(keep, expected):
    text = "\n".join(SEED_TEXT.splitlines()[:keep]) + "\n"
    with pytest.raises(JixiaoError) as err:
        parse_text_layout(text, "cut.txt")
    assert f"line {keep + 1} (end of file)" in err.value.message
    assert expected in err.value.message


def test_a_binary_file_is_refused(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(JixiaoError) as refused:
        read_tables(f)
    assert "第 1 行含有 NUL" in refused.value.text("zh")
    assert "line 1 holds a NUL byte" in refused.value.text("en")


# --- CSV ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_round_trip_changes_nothing(lang, bom, seed_dataset):
    ds = seed_dataset()
    buf = io.StringIO()
    assert write_csv(ds, buf, lang=lang) == 128
    text = buf.getvalue()
    assert text.splitlines()[0].split(",")[0] == ("单位编码" if lang == "zh" else "unit_code")
    if bom:
        text = "\ufeff" + text
    tables = parse_csv(text, "t.csv")
    assert len(tables.tables) == 8 and sum(len(t.rows) for t in tables.tables) == 128
    plan = plan_import(tables, ds)
    assert plan.is_noop
    assert plan.count("unchanged", "indicator") == 128
    assert "年度" in plan.year_source


def test_csv_from_a_file_with_bom_is_recognised_without_the_extension(tmp_path):
    f = tmp_path / "targets.txt"
    f.write_text("\ufeff项目名称,单位编码,单位名称,一级指标,二级指标,三级指标,指标值\n"
                 "公园维护,120002,某区园林绿化局,产出指标,数量指标,维护公园数量,≥3个\n"
                 ",,,,,,\n"
                 "公园维护,120002,某区园林绿化局,,,巡查次数,≥52次\n", encoding="utf-8")
    tables = read_tables(f)
    assert tables.source == "csv"
    (t,) = tables.tables
    assert (t.unit_code, t.name, t.year, t.purpose, t.goals) == ("120002", "公园维护", None, None, None)
    # An empty 一级/二级指标 continues the row above, as merged cells in Excel export.
    assert [(r.level1, r.category, r.name, r.target_text) for r in t.rows] == [
        ("产出指标", "数量指标", "维护公园数量", "≥3个"), ("产出指标", "数量指标", "巡查次数", "≥52次")]


def test_csv_headers_are_known_in_both_languages():
    for key, zh, en in CSV_COLUMNS:
        assert zh and en.isascii()
    english = "unit_code,unit_name,project,level1,category,name,description,target,budget_total\n" \
              "1,单位甲,项目甲,产出指标,数量指标,甲,描述,≥1个,10\n"
    (t,) = parse_csv(english).tables
    assert t.budget.total == 10.0 and t.rows[0].description == "描述"


@pytest.mark.parametrize("body, line, expected", [
    ("单位编码,单位名称,项目名称\n1,a,b\n", 1, "missing"),
    ("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值,预算数\n"
     "1,a,b,产出指标,数量指标,c,≥1个,十万\n", 2, "amount"),
    ("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值\n"
     "1,a,b,产出指标,数量指标,c,≥1个\n1,a,b,产出指标,数量指标,d,\n", 3, "指标值"),
    ("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值,预算数\n"
     "1,a,b,产出指标,数量指标,c,≥1个,10\n1,a,b,产出指标,数量指标,d,≥2个,11\n", 3, "line 2"),
    ("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值,年度\n"
     "1,a,b,产出指标,数量指标,c,≥1个,23年\n", 2, "year"),
])
def test_bad_csv_is_refused_with_the_line(body, line, expected):
    with pytest.raises(JixiaoError) as err:
        parse_csv(body, "t.csv")
    assert f"line {line}" in err.value.message and expected in err.value.message


def test_windows_line_endings_read_the_same(seed):
    crlf = parse_text_layout(SEED_TEXT.replace("\n", "\r\n"), "crlf.txt")
    assert crlf.tables == seed.tables


def test_an_earlier_table_without_satisfaction_rows_is_only_a_warning():
    text = OTHER_TABLE.replace("\t满意度指标\n\t服务对象满意度指标\n\t群众满意度\n\t群众满意度\n\t≥90%\n", "", 1)
    tables = parse_text_layout(text, "other.txt")
    assert len(tables.tables) == 2
    assert tables.warnings == ("line 2: 街道环境整治项目: the table has no 满意度指标 rows",)


_cell = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from(',"\n；'),
                min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(name=_cell, description=st.one_of(st.just(""), _cell), target=_cell, project=_cell,
       budget=st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 4))))
def test_csv_keeps_any_cell_text_through_a_round_trip(name, description, target, project, budget):
    ds = Dataset(Settings(2023, "2023-07-31"))
    ds.add_unit(Unit("9001", "单位,\"甲\""))
    pid = Project.make_id("9001", 2023, project)
    ds.add_project(Project(pid, "9001", 2023, project, budget=Budget(budget, None, None)))
    ds.add_indicator(Indicator(Indicator.make_id(pid, "产出指标", "数量指标", name), pid, 0,
                               "产出指标", "数量指标", name, description, target))
    buf = io.StringIO()
    write_csv(ds, buf)
    assert plan_import(parse_csv(buf.getvalue()), ds).is_noop
