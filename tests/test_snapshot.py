"""Quarterly snapshots: deterministic bytes, schema-valid, past quarters reproducible (issue 6)."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import jsonschema
import pytest

from jixiao.core.dataset import Dataset
from jixiao.core.errors import JixiaoError
from jixiao.core.model import (Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry,
                        Unit)
from jixiao.core.snapshot import (build_snapshot, dump_snapshot, load_schema, quarter_end,
                           write_snapshot)
from jixiao.sample_data import load_sample
from jixiao.cli.main import main

PINNED = "2023-07-01T09:00:00+08:00"


def small_dataset() -> Dataset:
    """Two units (added out of code order), two projects, five indicators, some history."""
    ds = Dataset(Settings(year=2023, as_of="2023-07-31"))
    ds.add_unit(Unit("301205", "天津市人民政府办公厅综合服务中心"))
    ds.add_unit(Unit("301101", "天津市人民政府办公厅"))
    p1 = Project(Project.make_id("301101", 2023, "系统等级保护测评项目"), "301101", 2023,
                 "系统等级保护测评项目", Budget(89.0, 89.0, None), order=1)
    p2 = Project(Project.make_id("301205", 2023, "后勤保障"), "301205", 2023, "后勤保障",
                 Budget(120.0, 100.0, 20.0), order=1)
    for p in (p1, p2):
        ds.add_project(p)
    rows = [
        (p1, 2, "产出指标", "质量指标", "等级保护测评合格率", "100%"),
        (p1, 1, "产出指标", "数量指标", "开展等保测评的系统数量", "≥8个"),
        (p1, 3, "产出指标", "时效指标", "本年度完成等级保护测评", "2023年6月底前完成等级保护测评"),
        (p1, 4, "满意度指标", "服务对象满意度指标", "系统使用人员满意度", "≥95%"),
        (p2, 1, "产出指标", "数量指标", "保障会议次数", "≥40次"),
    ]
    for p, order, l1, cat, name, text in rows:
        ds.add_indicator(Indicator(Indicator.make_id(p.id, l1, cat, name), p.id, order, l1, cat,
                                   name, f"{name}说明", text))
    return ds


def ind_id(ds: Dataset, name: str) -> str:
    return next(i.id for i in ds.indicators.values() if i.name == name)


def add_progress(ds: Dataset, name: str, as_of: str, actual: str, **kw) -> ProgressEntry:
    iid = ind_id(ds, name)
    entry = ProgressEntry(id=f"E{iid}{as_of}", indicator_id=iid, as_of=as_of, actual=actual,
                          author="zhang.wei", recorded_at=f"{as_of}T18:00:00+08:00", **kw)
    ds.add_progress(entry)
    return entry


def add_spending(ds: Dataset, pid: str, as_of: str, spent: float) -> None:
    ds.add_spending(SpendingEntry(id=f"S{pid}{as_of}", project_id=pid, as_of=as_of, spent=spent,
                                  author="li.na", recorded_at=f"{as_of}T18:00:00+08:00"))


def with_history(ds: Dataset) -> Dataset:
    add_progress(ds, "开展等保测评的系统数量", "2023-03-31", "2个")
    add_progress(ds, "开展等保测评的系统数量", "2023-06-30", "4个", forecast="8个", likelihood="确定能")
    add_progress(ds, "本年度完成等级保护测评", "2023-06-30", "2023-06-20")
    add_progress(ds, "保障会议次数", "2023-06-30", "15次", causes=("人员保障",), measures="增派人手")
    pid = next(iter(ds.projects))
    add_spending(ds, pid, "2023-06-30", 30.0)
    return ds


def test_quarter_is_its_last_day():
    assert [quarter_end(f"2023Q{q}") for q in (1, 2, 3, 4)] == [
        "2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"]
    assert quarter_end("2024-q1") == "2024-03-31"
    for bad in ("2023Q5", "Q2", "2023-06", ""):
        with pytest.raises(JixiaoError):
            quarter_end(bad)


def test_same_data_and_date_give_identical_bytes():
    a = dump_snapshot(build_snapshot(with_history(small_dataset()), "2023-06-30",
                                     generated_at=PINNED))
    b = dump_snapshot(build_snapshot(with_history(small_dataset()), "2023-06-30",
                                     generated_at=PINNED))
    assert a == b
    # Without a pinned time only the generated_at line may differ.
    c = dump_snapshot(build_snapshot(with_history(small_dataset()), "2023-06-30"))
    differing = [(x, y) for x, y in zip(a.splitlines(), c.splitlines()) if x != y]
    assert len(a.splitlines()) == len(c.splitlines())
    assert [x for x, _ in differing] == [f'  "generated_at": "{PINNED}",']


def test_order_does_not_depend_on_insertion_order():
    ds = with_history(small_dataset())
    shuffled = Dataset(ds.settings)
    for unit in reversed(list(ds.units.values())):
        shuffled.add_unit(unit)
    for project in reversed(list(ds.projects.values())):
        shuffled.add_project(project)
    for indicator in reversed(list(ds.indicators.values())):
        shuffled.add_indicator(indicator)
    for entries in ds.progress.values():
        for e in reversed(entries):
            shuffled.add_progress(e)
    for entries in ds.spending.values():
        for e in entries:
            shuffled.add_spending(e)
    one = dump_snapshot(build_snapshot(ds, "2023-06-30", generated_at=PINNED))
    two = dump_snapshot(build_snapshot(shuffled, "2023-06-30", generated_at=PINNED))
    assert one == two
    doc = json.loads(one)
    assert [u["code"] for u in doc["units"]] == ["301101", "301205"]
    names = [i["name"] for i in doc["units"][0]["projects"][0]["indicators"]]
    assert names == ["开展等保测评的系统数量", "等级保护测评合格率", "本年度完成等级保护测评",
                     "系统使用人员满意度"]


def test_text_is_json_of_the_document_with_one_line_per_indicator():
    ds = with_history(small_dataset())
    doc = build_snapshot(ds, "2023-06-30", generated_at=PINNED)
    text = dump_snapshot(doc)
    assert json.loads(text) == doc
    indicator_lines = [line for line in text.splitlines() if line.lstrip().startswith('{"id": ')]
    assert len(indicator_lines) == len(ds.indicators)
    assert text.endswith("}\n")
    streamed = io.StringIO()
    write_snapshot(doc, streamed)
    assert streamed.getvalue() == text


def test_indicator_carries_verbatim_target_counting_entry_and_status():
    ds = with_history(small_dataset())
    doc = build_snapshot(ds, "2023-06-30", generated_at=PINNED)
    unit = doc["units"][0]
    project = unit["projects"][0]
    ind = project["indicators"][0]
    assert ind["target"]["text"] == "≥8个"
    assert ind["target"]["kind"] == "quantity" and ind["target"]["value"] == 8
    assert ind["progress"]["actual"] == "4个" and ind["progress"]["as_of"] == "2023-06-30"
    assert ind["progress"]["forecast"] == "8个" and ind["progress"]["likelihood"] == "确定能"
    assert set(ind["status"]) >= {"colour", "final", "expected", "ratio", "reason", "reason_en"}
    assert ind["status"]["colour"] in ("green", "amber", "red", "blue", "grey")
    assert ind["status"]["reason"] and ind["status"]["reason_en"]
    # No progress yet → null, and the indicator is grey.
    satisfaction = project["indicators"][3]
    assert satisfaction["progress"] is None and satisfaction["status"]["colour"] == "grey"
    assert project["spent"] == 30.0 and project["budget"]["total"] == 89.0
    assert set(project["budget_status"]) >= {"colour", "reason", "reason_en"}
    # Counts add up at every level.
    assert sum(project["counts"].values()) == 4
    assert sum(doc["counts"].values()) == len(ds.indicators)
    assert doc["counts"] == {c: sum(u["counts"][c] for u in doc["units"]) for c in doc["counts"]}


def test_user_text_survives_verbatim():
    ds = small_dataset()
    iid = ind_id(ds, "保障会议次数")
    odd = 'x ≥ "8" 个 [red]\\n[/x]\t\u3000完成'
    ds.add_indicator(replace(ds.indicators[iid], target_text=odd, name='名称 "quoted" \\ back'))
    doc = json.loads(dump_snapshot(build_snapshot(ds, "2023-06-30", generated_at=PINNED)))
    ind = doc["units"][1]["projects"][0]["indicators"][0]
    assert ind["target"]["text"] == odd
    assert ind["name"] == '名称 "quoted" \\ back'


def test_replaying_an_older_quarter_after_newer_data_arrived():
    ds = with_history(small_dataset())
    q2_before = dump_snapshot(build_snapshot(ds, quarter_end("2023Q2"), generated_at=PINNED))
    # Q3 data arrives, including a late report dated inside Q3 and new spending.
    add_progress(ds, "开展等保测评的系统数量", "2023-09-30", "8个")
    add_progress(ds, "系统使用人员满意度", "2023-09-15", "97%")
    add_spending(ds, next(iter(ds.projects)), "2023-09-30", 80.0)
    q2_after = dump_snapshot(build_snapshot(ds, quarter_end("2023Q2"), generated_at=PINNED))
    assert q2_after == q2_before
    q3 = json.loads(dump_snapshot(build_snapshot(ds, quarter_end("2023Q3"), generated_at=PINNED)))
    project = q3["units"][0]["projects"][0]
    assert project["indicators"][0]["progress"]["actual"] == "8个"
    assert project["indicators"][3]["progress"]["actual"] == "97%"
    assert project["spent"] == 80.0


def test_a_january_review_covers_last_years_tables():
    ds = with_history(small_dataset())
    doc = build_snapshot(ds, "2024-01-31", generated_at=PINNED)
    assert doc["settings"]["year"] == 2023
    assert sum(doc["counts"].values()) == len(ds.indicators)
    # …while a year that does have tables only shows its own projects.
    ds.add_unit(Unit("301999", "新单位"))
    ds.add_project(Project("P2024", "301999", 2024, "2024年项目"))
    ds.add_indicator(Indicator("n1", "P2024", 1, "产出指标", "数量指标", "新指标", "", "≥1个"))
    doc = build_snapshot(ds, "2024-01-31", generated_at=PINNED)
    assert [u["code"] for u in doc["units"]] == ["301999"]
    assert doc["settings"]["year"] == 2024


def _validator():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("as_of", ["2023-03-31", "2023-07-31", "2023-12-31"])
def test_real_snapshots_validate_against_the_shipped_schema(as_of):
    doc = json.loads(dump_snapshot(build_snapshot(load_sample(), as_of)))
    errors = sorted(_validator().iter_errors(doc), key=str)
    assert not errors, errors[0]
    assert sum(doc["counts"].values()) == 128
    assert len(doc["units"]) == 4


def test_schema_rejects_a_document_that_breaks_the_layout():
    doc = json.loads(dump_snapshot(build_snapshot(with_history(small_dataset()), "2023-06-30")))
    validator = _validator()
    assert validator.is_valid(doc)
    bad = json.loads(json.dumps(doc))
    bad["units"][0]["projects"][0]["indicators"][0]["status"]["colour"] = "yellow"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(doc))
    del bad["units"][0]["projects"][0]["indicators"][0]["target"]["text"]
    assert not validator.is_valid(bad)


def test_cli_snapshot_is_byte_identical_and_goes_to_a_file(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert main(["--lang", "en", "--demo", "snapshot", "--quarter", "2023Q2", "-o", str(out),
                     "--generated-at", PINNED]) == 0
    assert a.read_bytes() == b.read_bytes()
    doc = json.loads(a.read_text("utf-8"))
    assert doc["as_of"] == "2023-06-30" and doc["generated_at"] == PINNED
    assert doc["generator"]["name"] == "jixiao" and doc["generator"]["version"]
    assert "wrote" in capsys.readouterr().err


def test_cli_snapshot_to_stdout_defaults_to_the_monitoring_date(capsys):
    assert main(["--lang", "en", "--demo", "snapshot"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2023-07-31"


@pytest.mark.parametrize("argv, message", [
    (["snapshot", "--quarter", "2023Q9"], "quarter"),
    (["snapshot", "--as-of", "2023-02-30"], "February 2023 has 28 days"),
    (["snapshot", "--as-of", "2023-06-30", "--generated-at", "yesterday"], "ISO timestamp"),
])
def test_cli_snapshot_bad_input_is_a_clear_message(argv, message, capsys, tmp_path):
    out = tmp_path / "s.json"
    assert main(["--lang", "en", "--demo", *argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_unusual_values_are_written_like_the_general_encoder():
    # The fast indicator writer must fall back, not guess, when a field is not what
    # build_snapshot puts there.
    doc = build_snapshot(with_history(small_dataset()), "2023-06-30", generated_at=PINNED)
    inds = doc["units"][0]["projects"][0]["indicators"]
    inds[0]["name"] = 42
    inds[1]["progress"] = {"id": "x", "causes": ("a", "b")}
    inds[2]["status"] = dict(inds[2]["status"], extra=[1, 2.5, None])
    text = dump_snapshot(doc)
    assert json.loads(text) == json.loads(json.dumps(doc))
    for ind in inds[:3]:
        assert json.dumps(ind, ensure_ascii=False) in text
