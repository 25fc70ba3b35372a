"""``jixiao diff``: every category of change, in the promised order, fast path = slow path."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.dataset import Dataset
from jixiao.core.errors import JixiaoError
from jixiao.core.model import Budget, Indicator, Project, Settings, Unit
from jixiao.core.snapshot import build_snapshot, dump_snapshot
from jixiao.core.snapshot_diff import diff_snapshots, format_diff
from jixiao.core.status import Evaluation, Status
from jixiao.core.textwidth import width
from jixiao.cli.main import main

NAMES = ["系统数量", "合格率", "测评完成", "满意度", "会议次数", "培训人次", "证书发放", "网站维护"]


def dataset(names=NAMES) -> Dataset:
    """Two units; the first six names go to unit 301101, the rest to 301205."""
    ds = Dataset(Settings(year=2023, as_of="2023-06-30"))
    for code, name in (("301101", "天津市人民政府办公厅"), ("301205", "综合服务中心")):
        ds.add_unit(Unit(code, name))
        ds.add_project(Project(f"P{code}", code, 2023, f"{name}项目", Budget(100.0)))
    for k, name in enumerate(names):
        pid = "P301101" if k < 6 else "P301205"
        ds.add_indicator(Indicator(f"i{k}", pid, k, "产出指标", "数量指标", name, "", f"≥{k + 1}个"))
    return ds


def snapshot(ds: Dataset, as_of: str, colours: dict[str, str], finals=()) -> str:
    """The snapshot text with the given colour per indicator name (grey when not named)."""
    ev = Evaluation(as_of)
    for ind in ds.indicators.values():
        colour = colours.get(ind.name, "grey")
        ev.indicators[ind.id] = Status(colour, final=ind.name in finals,
                                       reason_zh=f"{ind.name}是{colour}",
                                       reason_en=f"{ind.name} is {colour}")
    return dump_snapshot(build_snapshot(ds, as_of, generated_at="t", evaluation=ev))


OLD = {"系统数量": "green", "合格率": "green", "测评完成": "amber", "满意度": "red",
       "会议次数": "amber", "培训人次": "green", "证书发放": "green", "网站维护": "blue"}
NEW = {"系统数量": "red", "合格率": "amber", "测评完成": "red", "满意度": "green",
       "会议次数": "green", "培训人次": "green", "证书发放": "blue", "网站维护": "blue"}


@pytest.fixture
def pair():
    ds = dataset()
    return snapshot(ds, "2023-06-30", OLD), snapshot(ds, "2023-09-30", NEW, finals={"培训人次"})


def test_colour_changes_worsened_first_in_the_promised_order(pair):
    diff = diff_snapshots(*pair)
    moves = [(e["name"], e["old"], e["new"], e["direction"]) for e in diff["colour_changes"]]
    assert moves == [
        ("系统数量", "green", "red", "worsened"),
        ("合格率", "green", "amber", "worsened"),
        ("测评完成", "amber", "red", "worsened"),
        ("满意度", "red", "green", "recovered"),
        ("会议次数", "amber", "green", "recovered"),
        ("证书发放", "green", "blue", "changed"),
    ]
    first = diff["colour_changes"][0]
    assert first["unit"] == "301101" and first["project_name"] == "天津市人民政府办公厅项目"
    assert first["reason"] == "系统数量是red" and first["reason_en"] == "系统数量 is red"


def test_newly_final_says_achieved_or_missed():
    ds = dataset()
    old = snapshot(ds, "2023-06-30", {"系统数量": "green", "满意度": "red"}, finals={"满意度"})
    new = snapshot(ds, "2023-09-30", {"系统数量": "green", "满意度": "red", "合格率": "red"},
                   finals={"系统数量", "满意度", "合格率"})
    finals = {e["name"]: e["outcome"] for e in diff_snapshots(old, new)["newly_final"]}
    assert finals == {"系统数量": "achieved", "合格率": "missed"}   # 满意度 was final already


def test_changed_target_text_added_and_removed_indicators():
    ds = dataset()
    old = snapshot(ds, "2023-06-30", OLD)
    ds.add_indicator(replace(ds.indicators["i0"], target_text='≥9个 "修订"'))
    del ds.indicators["i7"]
    ds.add_indicator(Indicator("i9", "P301205", 9, "效益指标", "社会效益指标", "新指标", "", "达成"))
    new = snapshot(ds, "2023-09-30", OLD)
    diff = diff_snapshots(old, new)
    assert [(e["name"], e["old_target"], e["new_target"]) for e in diff["target_changes"]] == [
        ("系统数量", "≥1个", '≥9个 "修订"')]
    assert [e["id"] for e in diff["added"]] == ["i9"]
    assert [e["id"] for e in diff["removed"]] == ["i7"]
    assert diff["colour_changes"] == [] and diff["newly_final"] == []


def test_per_unit_counts_are_the_differences(pair):
    diff = diff_snapshots(*pair)
    by_code = {u["code"]: u for u in diff["unit_counts"]}
    u1 = by_code["301101"]
    assert u1["old"] == {"red": 1, "amber": 2, "green": 3, "blue": 0, "grey": 0}
    assert u1["new"] == {"red": 2, "amber": 1, "green": 3, "blue": 0, "grey": 0}
    assert u1["delta"] == {"red": 1, "amber": -1, "green": 0, "blue": 0, "grey": 0}
    assert by_code["301205"]["delta"] == {"red": 0, "amber": 0, "green": -1, "blue": 1, "grey": 0}
    assert diff["total"]["delta"] == {"red": 1, "amber": -1, "green": -1, "blue": 1, "grey": 0}


def test_unchanged_snapshots_have_nothing_to_report():
    ds = dataset()
    text = snapshot(ds, "2023-06-30", OLD)
    diff = diff_snapshots(text, text)
    assert not any(diff[k] for k in ("colour_changes", "newly_final", "target_changes", "added",
                                     "removed", "unit_counts"))
    assert "无变化" in format_diff(diff)
    assert "no changes" in format_diff(diff, lang="en")


def test_text_dict_and_reindented_inputs_give_the_same_diff(pair):
    old, new = pair
    fast = diff_snapshots(old, new)
    from_dicts = diff_snapshots(json.loads(old), json.loads(new))
    reindented = diff_snapshots(json.dumps(json.loads(old), indent=4, ensure_ascii=True),
                                json.dumps(json.loads(new)))
    assert fast == from_dicts == reindented


def test_user_text_cannot_fake_a_status_on_the_fast_path():
    ds = dataset()
    trick = '", "status": {"colour": "red", "final": true'
    ds.add_indicator(replace(ds.indicators["i0"], name=trick, description=trick,
                             target_text='"target": {"text": "x"'))
    old = snapshot(ds, "2023-06-30", {trick: "green"})
    new = snapshot(ds, "2023-09-30", {trick: "green"})
    diff = diff_snapshots(old, new)
    assert diff["colour_changes"] == [] and diff["newly_final"] == [] and diff["target_changes"] == []
    assert diff_snapshots(old, new) == diff_snapshots(json.loads(old), json.loads(new))


def test_table_fits_80_columns_with_long_chinese_names(pair):
    ds = dataset([n * 12 for n in NAMES])
    colours_old = {n * 12: c for n, c in OLD.items()}
    colours_new = {n * 12: c for n, c in NEW.items()}
    text = format_diff(diff_snapshots(snapshot(ds, "2023-06-30", colours_old),
                                      snapshot(ds, "2023-09-30", colours_new)))
    assert max(width(line) for line in text.splitlines()) <= 80
    for heading in ("恶化 (3)", "好转 (2)", "各单位计数变化"):
        assert heading in text
    assert text.index("恶化") < text.index("好转")
    en = format_diff(diff_snapshots(*pair), lang="en")
    assert "Worsened (3)" in en and "green→red" in en


def test_not_a_snapshot_is_a_clear_error():
    with pytest.raises(JixiaoError, match="not valid JSON"):
        diff_snapshots("{nope", "{}")
    with pytest.raises(JixiaoError, match="not a jixiao snapshot"):
        diff_snapshots('{"units": []}', '{"units": []}')


def test_cli_diff_table_and_json(tmp_path, pair, capsys):
    a, b = tmp_path / "q2.json", tmp_path / "q3.json"
    a.write_text(pair[0], "utf-8")
    b.write_text(pair[1], "utf-8")
    assert main(["diff", str(a), str(b)]) == 0
    table = capsys.readouterr().out
    assert table.startswith("快照对比 2023-06-30 → 2023-09-30")
    assert "绿→红" in table
    assert main(["--lang", "en", "diff", str(a), str(b), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["old"]["as_of"] == "2023-06-30" and len(data["colour_changes"]) == 6
    assert main(["--lang", "en", "diff", str(a), str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


_TEXT = st.text(alphabet=st.sampled_from(list('"\\{}[],: ≥%个天津\n\t\u3000aZ0-') + ["\u2028", "\x00"]),
                max_size=30)


@settings(max_examples=60, deadline=None)
@given(name=_TEXT, old_target=_TEXT, new_target=_TEXT, reason=_TEXT,
       colours=st.tuples(st.sampled_from(["red", "amber", "green", "blue", "grey"]),
                         st.sampled_from(["red", "amber", "green", "blue", "grey"])))
def test_fast_reading_agrees_with_full_parsing_for_any_user_text(name, old_target, new_target,
                                                                 reason, colours):
    ds = dataset()
    ds.add_indicator(replace(ds.indicators["i0"], name=name, description=reason,
                             target_text=old_target))
    old = snapshot(ds, "2023-06-30", {name: colours[0]})
    ds.add_indicator(replace(ds.indicators["i0"], target_text=new_target))
    new = snapshot(ds, "2023-09-30", {name: colours[1]})
    fast = diff_snapshots(old, new)
    assert fast == diff_snapshots(json.loads(old), json.loads(new))
    assert [e["new_target"] for e in fast["target_changes"]] == (
        [new_target] if new_target != old_target else [])


def test_crlf_and_reordered_snapshots_give_the_same_diff(pair):
    old, new = pair
    crlf = diff_snapshots(old.replace("\n", "\r\n"), new.replace("\n", "\r\n"))
    assert crlf == diff_snapshots(old, new) == diff_snapshots(json.loads(old), json.loads(new))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diff_columns_never_run_together_and_show_the_category(tmp_path, capsys, lang):
    # Two indicators of one name, told apart only by their 二级指标; both newly final.
    ds = dataset(["系统数量"])
    ds.add_indicator(Indicator("i9", "P301101", 9, "产出指标", "质量指标", "系统数量", "", "100%"))
    a, b = tmp_path / "q2.json", tmp_path / "q3.json"
    a.write_text(snapshot(ds, "2023-06-30", {}), "utf-8")
    b.write_text(snapshot(ds, "2023-12-31", {"系统数量": "green"}, finals={"系统数量"}), "utf-8")
    assert main(["--lang", lang, "diff", str(a), str(b)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "301101 天津市人民政府办公厅项目" in line]
    assert len(rows) == 4                                   # 2 colour changes, 2 newly final
    label = "green achieved" if lang == "en" else "绿 已达成"
    final = [r for r in rows if label in r]
    assert len(final) == 2 and all(f"{label} " in r for r in final)   # a space before the code
    assert any("· 数量指标 · 系统数量" in r for r in final)
    assert any("· 质量指标 · 系统数量" in r for r in final)
    assert all(width(r) <= 80 for r in rows)


DEEP = "[" * 100_000 + "]" * 100_000
"""JSON nested deeper than any parser's stack: a planted file, never one jixiao wrote."""


def test_a_snapshot_nested_to_exhaust_the_parser_is_a_clear_error(pair, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(pair[0], encoding="utf-8")
    assert main(["diff", str(good), str(deep)]) == 2
    err = capsys.readouterr().err
    assert "不是格式完好的 jixiao 快照（嵌套过深）" in err and "Traceback" not in err
    # one indicator line of a real snapshot made that deep: read only when diffed
    old, new = pair
    line = next(line for line in new.splitlines() if '"name": "系统数量"' in line)
    forged = line.replace('"description": ', f'"description": {DEEP}, "x": ', 1).replace(
        '"target": {"text": ', '"target": {"words": ', 1)
    with pytest.raises(JixiaoError, match="cannot be read"):
        diff_snapshots(old, new.replace(line, forged))
