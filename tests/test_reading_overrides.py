"""An officer confirms or overrides a reading once (issue 12 §2): by CLI, by CSV column; admins
only, audited, kept across export-targets → import while the 指标值 text is unchanged."""

from __future__ import annotations

import csv
import io
import json

import pytest

from jixiao.cli.main import main
from jixiao.core.errors import PermissionDenied
from jixiao.core.overrides import (OverrideError, ReadingOverride, apply_override,
                                   indicator_target, make_override, override_from_columns)
from jixiao.core.evaluator import evaluate
from jixiao.core.tables import parse_csv
from jixiao.core.targets import parse_target
from jixiao.store.repository import Store

HEADER = "单位编码,单位名称,项目名称,预算数,一级指标,二级指标,三级指标,指标值,年度"
ROWS = [
    "610102,某区农业农村局,高标准农田建设项目,120,成本指标,成本指标,宣传推广费用,≥40万元,2024",
    "610102,某区农业农村局,高标准农田建设项目,120,产出指标,数量指标,建成农田面积,≥3000亩,2024",
    "610102,某区农业农村局,高标准农田建设项目,120,产出指标,时效指标,开工时间,2024110,2024",
    "610102,某区农业农村局,高标准农田建设项目,120,效益指标,社会效益指标,安全事故,否,2024",
]


def cli(capsys, data, *args) -> tuple[int, str, str]:
    code = main(["--data", str(data), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def store_dir(tmp_path, capsys):
    path = tmp_path / "tables.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    data = tmp_path / "d"
    code, out, _ = cli(capsys, data, "import", str(path))
    assert code == 0
    assert out.rstrip().splitlines()[-1].startswith("指标值解读：4 项中有 2 项待复核")
    code, _, _ = cli(capsys, data, "settings", "--as-of", "2024-07-31")
    assert code == 0
    return data


def _ids(store):
    ds = store.load()
    return {i.name: i.id for i in ds.indicators.values()}, ds


def test_readings_review_lists_the_doubtful_ones_only(store_dir, capsys):
    code, out, _ = cli(capsys, store_dir, "readings", "--review", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert {r["target"] for r in rows} == {"≥40万元", "2024110"}
    assert all(r["confidence"] == "待复核" and r["review"] for r in rows)
    code, out, _ = cli(capsys, store_dir, "--lang", "en", "readings", "--format", "json")
    doc = json.loads(out)
    assert doc["counts"] == {"readings": 4, "needs_review": 2}
    negative = next(r for r in doc["rows"] if r["target"] == "否")
    assert (negative["wanted"], negative["confidence"]) == ("no", "confident")
    code, out, _ = cli(capsys, store_dir, "readings", "--unit", "999999")
    assert code == 2


def test_an_override_by_cli_changes_the_colour_is_audited_and_survives_a_round_trip(
        store_dir, tmp_path, capsys):
    store = Store(store_dir)
    ids, ds = _ids(store)
    cost = ids["宣传推广费用"]
    store.record_progress(cost, as_of="2024-07-31", actual="52万元")
    before = evaluate(store.load()).indicators[cost]
    assert before.colour in ("green", "blue")          # ≥40 read as written: "reached"
    code, out, _ = cli(capsys, store_dir, "reading", cost, "--op", "≤")
    assert code == 0 and "红" in out
    after = evaluate(store.load()).indicators[cost]
    assert after.colour == "red"
    code, out, _ = cli(capsys, store_dir, "log")
    assert "解读" in out and cost in out
    # export-targets → import keeps it
    exported = tmp_path / "out.csv"
    assert cli(capsys, store_dir, "export-targets", "-o", str(exported))[0] == 0
    cli(capsys, store_dir, "reading", cost, "--clear")
    assert evaluate(store.load()).indicators[cost].colour != "red"
    code, out, _ = cli(capsys, store_dir, "import", str(exported))
    assert code == 0
    target = indicator_target(store.load().indicators[cost], 2024)
    assert (target.source, target.op, target.value) == ("overridden", "<=", 40)
    assert evaluate(store.load()).indicators[cost].colour == "red"


def test_a_confirmed_reading_is_kept_by_a_reimport_until_the_text_changes(store_dir, tmp_path,
                                                                         capsys):
    store = Store(store_dir)
    ids, _ = _ids(store)
    start = ids["开工时间"]
    assert cli(capsys, store_dir, "reading", start, "--confirm")[0] == 0
    assert indicator_target(store.load().indicators[start], 2024).source == "confirmed"
    same = tmp_path / "same.csv"
    same.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    cli(capsys, store_dir, "import", str(same))
    assert indicator_target(store.load().indicators[start], 2024).source == "confirmed"
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join([HEADER, *ROWS[:2], ROWS[2].replace("2024110", "2024140"),
                                  ROWS[3]]) + "\n", encoding="utf-8")
    code, out, _ = cli(capsys, store_dir, "import", str(changed))
    target = indicator_target(store.load().indicators[start], 2024)
    assert target.needs_review and target.source == "inferred"
    assert "changed since" in target.review


def test_only_admins_change_readings(store_dir):
    admin = Store(store_dir, user="chief")
    admin.grant("chief", "admin")
    admin.grant("owner1", "owner", ["610102"])
    ids, _ = _ids(admin)
    owner = Store(store_dir, user="owner1")
    override = make_override("否", wanted="yes")
    with pytest.raises(PermissionDenied):
        owner.set_reading(ids["安全事故"], override)
    assert admin.readings() == {}
    admin.set_reading(ids["安全事故"], override)
    assert admin.readings()[ids["安全事故"]].author == "chief"


def test_the_wanted_answer_of_a_qualitative_target_can_be_set(store_dir, capsys):
    store = Store(store_dir)
    ids, _ = _ids(store)
    code, _, _ = cli(capsys, store_dir, "reading", ids["安全事故"], "--wanted", "是")
    assert code == 0
    assert indicator_target(store.load().indicators[ids["安全事故"]], 2024).wanted == "yes"


@pytest.mark.parametrize("args,message", [
    (["--op", "about"], "op must be"),
    (["--op", "range", "--value", "7"], "LOW-HIGH"),
    (["--measure", "sometimes"], "cumulative"),
    (["--start", "2024-09-01", "--end", "2024-03-01"], "backwards"),
    (["--end", "2024-13-01"], "YYYY-MM-DD"),
    (["--confirm", "--op", "≤"], "either"),
    ([], "nothing to change"),
    (["--clear", "--value", "3"], "no other"),
])
def test_a_bad_override_is_refused_and_changes_nothing(store_dir, capsys, args, message):
    store = Store(store_dir)
    ids, _ = _ids(store)
    files = sorted(p for p in store_dir.rglob("*.json"))
    before = [p.read_bytes() for p in files]
    code, _, err = cli(capsys, store_dir, "--lang", "en", "reading", ids["建成农田面积"], *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert [p.read_bytes() for p in files] == before


# --- CSV reading columns (the 四川 一体化 layout) ----------------------------------------------

SICHUAN = ("单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标性质,指标值,度量单位,计量方式,"
           "起始日期,截止日期\n"
           "510104,某街道办事处,社区养老服务项目,产出指标,数量指标,助餐服务人次,≥,300,人次,,,\n"
           "510104,某街道办事处,社区养老服务项目,产出指标,数量指标,上门服务,≥,1200,人次,,"
           "2024/7/1,2024/12/31\n"
           "510104,某街道办事处,社区养老服务项目,成本指标,经济成本指标,助餐补贴,≤,8,元/人次,水平,,\n"
           "510104,某街道办事处,社区养老服务项目,效益指标,社会效益指标,服务事故,定性,否,,,,\n")


def test_the_sichuan_layout_columns_settle_the_readings():
    tables = parse_csv(SICHUAN, "t.csv")
    rows = tables.tables[0].rows
    got = [override_from_columns(r.target_text, r.reading) for r in rows]
    assert [(o.op, o.value, o.unit) for o in got[:3]] == [
        (">=", 300, "人次"), (">=", 1200, "人次"), ("<=", 8, "元/人次")]
    assert (got[1].start, got[1].end) == ("2024-07-01", "2024-12-31")
    assert got[2].measure == "level" and got[3].op == "qualitative"
    bare = parse_target("300", year=2024, category="数量指标")
    assert bare.needs_review
    settled = apply_override(bare, got[0])
    assert (settled.needs_review, settled.source, settled.op) == (False, "overridden", ">=")


def test_a_sichuan_table_imports_with_settled_readings(tmp_path, capsys):
    path = tmp_path / "sc.csv"
    path.write_text(SICHUAN, encoding="utf-8")
    code, out, _ = cli(capsys, tmp_path / "d", "import", str(path), "--year", "2024")
    assert code == 0 and "指标值解读：4 项中有 0 项待复核" in out
    code, out, _ = cli(capsys, tmp_path / "d", "log")
    assert "导入" in out


def test_a_bad_reading_column_names_line_and_column():
    bad = SICHUAN.replace(",≤,8,", ",≈,8,")
    with pytest.raises(Exception) as caught:
        parse_csv(bad, "t.csv")
    assert "line 4" in str(caught.value) and "指标性质" in str(caught.value)


def test_the_stored_form_round_trips_and_rejects_damage():
    o = make_override("≥40万元", op="≤", value="40", unit="万元", measure="累计",
                      start="2024-01-01", end="2024-12-31")
    assert ReadingOverride.from_dict(o.to_dict()) == o
    for damaged in ({"text": "x", "source": "guessed"}, {"source": "confirmed"},
                    {"text": "x", "source": "overridden", "op": ">=", "value": "many"}, []):
        with pytest.raises(OverrideError):
            ReadingOverride.from_dict(damaged)


def test_readings_review_csv_lists_a_cost_floor_and_run_together_digits_not_a_plain_count(
        tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(
        "单位编码,单位名称,项目名称,一级指标,二级指标,三级指标,指标值,年度\n"
        "330106,某区教育局,教师培训项目,成本指标,经济成本指标,培训经费,≥50万元,2023\n"
        "330106,某区教育局,教师培训项目,产出指标,时效指标,完成时间,2023612,2023\n"
        "330106,某区教育局,教师培训项目,产出指标,数量指标,培训教师,≥300人次,2023\n",
        encoding="utf-8")
    assert cli(capsys, tmp_path / "d", "import", str(path))[0] == 0
    code, out, _ = cli(capsys, tmp_path / "d", "readings", "--review", "--format", "csv")
    targets = [r["target"] for r in csv.DictReader(io.StringIO(out))]
    assert code == 0 and targets == ["≥50万元", "2023612"]


def test_a_cost_floor_overridden_to_a_cap_is_judged_in_range_like_any_cost_cap():
    from jixiao.core.model import Indicator

    text = "≥154万元"
    ind = Indicator("i1", "p1", 0, "成本指标", "成本指标", "运行经费", "", text,
                    reading=make_override(text, op="≤", value="154").to_dict())
    target = indicator_target(ind, 2024)
    assert (target.op, target.direction, target.measure) == ("<=", "lower", "level")


def test_check_names_a_damaged_settled_reading_and_the_inferred_one_counts(store_dir, capsys):
    store = Store(store_dir)
    ids, _ = _ids(store)
    cost = ids["宣传推广费用"]
    store.set_reading(cost, make_override("≥40万元", op="≤", value="40"))
    path = next(p for p in store_dir.rglob("*.json") if cost in p.read_text(encoding="utf-8")
                and "indicators" in p.read_text(encoding="utf-8"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    for record in doc["indicators"].values():
        if record["id"] == cost:
            record["reading"]["op"] = "about"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    target = indicator_target(Store(store_dir).load().indicators[cost], 2024)
    assert (target.source, target.op) == ("inferred", ">=")
    code, out, err = cli(capsys, store_dir, "check")
    assert code == 2 and f"jixiao reading {cost}" in out + err
