"""``jixiao record``, ``spend`` and ``explain`` end to end against a real data directory."""

import json

import pytest

from jixiao.store.repository import Store
from jixiao.cli.main import main

@pytest.fixture
def data(seeded_copy):
    """The seeded data directory, copied for this test."""
    return seeded_copy


def ids(data):
    ds = Store(data).load()
    by_text = {}
    for ind in ds.indicators.values():
        by_text.setdefault((ind.project_id, ind.target_text), ind.id)
    project = next(p for p in ds.projects.values() if p.name == "系统等级保护测评项目")
    first = {text: iid for (pid, text), iid in by_text.items() if pid == project.id}
    return project, first


def run(data, *argv, lang="en"):
    return main(["--data", str(data), "--lang", lang, *argv])


def test_record_appends_an_entry_and_prints_its_status(data, capsys):
    project, ind = ids(data)
    capsys.readouterr()
    code = run(data, "record", ind["≥8个"], "--actual", "3个", "--as-of", "2023-07-31",
               "--forecast", "6", "--likelihood", "有可能", "--cause", "经费保障",
               "--cause", "人员保障", "--measures", "加快采购", "--note", "[red]不是样式[/red]")
    out = capsys.readouterr().out
    assert code == 0
    assert "开展等保测评的系统数量 (≥8个) as of 2023-07-31, actual 3个, forecast 6" in out
    assert ("amber  expected ≥4.6 by 07-31 (58% of year), actual 3 → 65% → amber; "
            "forecast 6 misses the target") in out
    entries = Store(data).load().progress[ind["≥8个"]]
    assert len(entries) == 1
    e = entries[0]
    assert (e.actual, e.forecast, e.likelihood, e.causes, e.measures, e.note) == (
        "3个", "6", "有可能", ("经费保障", "人员保障"), "加快采购", "[red]不是样式[/red]")


def test_record_in_chinese_by_default(data, capsys):
    _, ind = ids(data)
    capsys.readouterr()
    assert run(data, "record", ind["2023年6月底前完成等级保护测评"], "--actual", "2023-06-20",
               "--as-of", "2023-07-31", lang="zh") == 0
    out = capsys.readouterr().out
    assert "绿  截止06-30，已于06-20完成 → 绿（定论）" in out


def test_record_converts_units(data, capsys):
    _, ind = ids(data)
    capsys.readouterr()
    assert run(data, "record", ind["≤89万元"], "--actual", "0.5亿元", "--as-of", "2023-07-31",
               "--cause", "其他", "--measures", "核减") == 0
    assert "red  limit ≤89万元, actual 5000万元 → over the limit → red (final)" in capsys.readouterr().out


def test_an_entry_after_the_monitoring_date_says_when_it_counts(data, capsys):
    _, ind = ids(data)
    capsys.readouterr()
    assert run(data, "record", ind["≥8个"], "--actual", "9", "--as-of", "2023-09-30") == 0
    out = capsys.readouterr().out
    assert "green  target ≥8个 reached: actual 9 → green (final)" in out
    assert "after the monitoring date 2023-07-31; it counts from 2023-09-30 on" in out


@pytest.mark.parametrize("argv,message", [
    (["record", "nosuch", "--actual", "3", "--as-of", "2023-07-31"], "no indicator with id 'nosuch'"),
    (["record", "@≤89万元", "--actual", "达成", "--as-of", "2023-07-31"], "needs a number in 万元"),
    (["record", "@≥8个", "--actual", "3人", "--as-of", "2023-07-31"], "needs a number in 个"),
    (["record", "@测评结果合格", "--actual", "很好", "--as-of", "2023-07-31"],
     "needs a grade: 达成, 部分达成 or 未达成"),
    (["record", "@≥8个", "--actual", "3", "--as-of", "2023-13-01"],
     "--as-of 2023-13-01 does not exist: the month must be 01–12"),
    (["record", "@≥8个", "--actual", "3", "--as-of", "2023-07-31", "--forecast", "很多"],
     "needs a number in 个"),
    (["spend", "PXXXX", "--spent", "10", "--as-of", "2023-07-31"], "no project with id 'PXXXX'"),
    (["spend", "@project", "--spent", "abc", "--as-of", "2023-07-31"],
     "--spent: needs an amount ≥ 0 in 万元"),
    (["spend", "@project", "--spent", "10", "--as-of", "yesterday"],
     "--as-of must be a date in the form YYYY-MM-DD (such as 2023-07-31), not 'yesterday'"),
    # Dated outside the budget year 2023 and the year after (final results): a typo, refused.
    (["record", "@≥8个", "--actual", "9", "--as-of", "2030-07-31"],
     "progress dated 2030-07-31 is outside the budget year 2023"),
    (["record", "@≥8个", "--actual", "9", "--as-of", "2022-12-31"],
     "between 2023-01-01 and 2024-12-31"),
    (["spend", "@project", "--spent", "10", "--as-of", "2025-01-01"],
     "spending dated 2025-01-01 is outside the budget year 2023"),
    # Behind (amber or red) without the explanation the monitoring table asks for.
    (["record", "@≥8个", "--actual", "1", "--as-of", "2023-07-31"],
     "makes the indicator red, so it needs at least one cause (偏差原因"),
    (["record", "@≥8个", "--actual", "1", "--as-of", "2023-07-31", "--cause", "其他"],
     "so it needs the corrective measures (纠偏措施)"),
    (["record", "@≥8个", "--actual", "3", "--as-of", "2023-07-31", "--measures", "加快"],
     "makes the indicator amber, so it needs at least one cause"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(data, capsys, argv, message):
    project, ind = ids(data)
    before = Store(data).load()
    argv = [project.id if a == "@project" else ind[a[1:]] if a.startswith("@") else a for a in argv]
    capsys.readouterr()
    assert run(data, *argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    after = Store(data).load()
    assert after.progress == before.progress and after.spending == before.spending


def test_spend_records_and_prints_the_budget_light(data, capsys):
    project, _ = ids(data)
    capsys.readouterr()
    assert run(data, "spend", project.id, "--spent", "40.1", "--as-of", "2023-07-31") == 0
    out = capsys.readouterr().out
    assert "系统等级保护测评项目 as of 2023-07-31, 40.1 万元" in out
    assert "amber  spent 40.1 of 89 万元 (45%) by 07-31 (58% of year) → 78% → amber" in out
    assert run(data, "spend", project.id, "--spent", "600000元", "--as-of", "2023-08-31") == 0
    spent = [e.spent for e in Store(data).load().spending[project.id]]
    assert spent == [40.1, 60.0]


def test_explain_prints_the_reading(capsys):
    assert main(["--lang", "en", "explain", "≥8个", "--category", "数量指标", "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert "read as    quantity: at least 8 个, cumulative" in out
    assert "to record  needs a number in 个" in out


def test_explain_json_and_flags(capsys):
    assert main(["explain", "≥154.3万元", "--category", "成本指标", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["kind"], doc["op"], doc["value"], doc["unit"]) == ("quantity", ">=", 154.3, "万元")
    assert "≤" in doc["review"]
    assert main(["explain", "11月底到位", "--year", "2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deadline"] == "2024-11-30"


def test_explain_never_fails_on_odd_text(capsys):
    assert main(["explain", "[bold]≥≥ 12期，95%"]) == 0
    out = capsys.readouterr().out
    assert "[bold]≥≥ 12期，95%" in out


def test_record_help_shows_a_single_percent_sign(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "record", "--help"])
    out = capsys.readouterr().out
    assert "60% (percent done" in out and "%%" not in out


def test_a_behind_entry_with_cause_and_measures_is_stored(data, capsys):
    _, ind = ids(data)
    capsys.readouterr()
    assert run(data, "record", ind["≥8个"], "--actual", "1", "--as-of", "2023-07-31",
               "--cause", "经费保障", "--measures", "追加预算") == 0
    assert "red  " in capsys.readouterr().out
    [e] = Store(data).load().progress[ind["≥8个"]]
    assert (e.causes, e.measures) == (("经费保障",), "追加预算")


def test_final_results_may_be_dated_early_next_year(data, capsys):
    project, ind = ids(data)
    assert run(data, "record", ind["≥8个"], "--actual", "9", "--as-of", "2024-02-15") == 0
    assert run(data, "spend", project.id, "--spent", "80", "--as-of", "2024-01-31") == 0


def test_spending_lower_than_the_previous_report_is_recorded_with_a_warning(data, capsys):
    project, _ = ids(data)
    assert run(data, "spend", project.id, "--spent", "40.1", "--as-of", "2023-07-31") == 0
    capsys.readouterr()
    assert run(data, "spend", project.id, "--spent", "40", "--as-of", "2023-08-31") == 0
    captured = capsys.readouterr()
    assert ("warning: 40 万元 is less than the 40.1 万元 reported as of 2023-07-31"
            in captured.err)
    assert [e.spent for e in Store(data).load().spending[project.id]] == [40.1, 40.0]
    # Growing spend is the normal case: no warning.
    assert run(data, "spend", project.id, "--spent", "50", "--as-of", "2023-09-30") == 0
    assert "warning" not in capsys.readouterr().err


def test_record_names_a_damaged_unit_file_instead_of_saying_no_such_id(data, capsys):
    project, ind = ids(data)
    path = next(p for p in Store(data).layout.partition_files()
                if ind["≥8个"].encode() in p.read_bytes())
    path.write_bytes(path.read_bytes()[:-40])  # cut short, as by a full disk
    capsys.readouterr()
    for argv in (["record", ind["≥8个"], "--actual", "9", "--as-of", "2023-07-31"],
                 ["spend", project.id, "--spent", "1", "--as-of", "2023-07-31"]):
        assert run(data, *argv) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "damaged" in err and "no indicator" not in err, err
        assert "restore" in err


@pytest.mark.parametrize("lang, words", [("en", "is after this entry's date 2023-07-31"),
                                         ("zh", "完成日期 2023-08-05 晚于本条记录的日期 2023-07-31")])
def test_record_refuses_a_completion_date_after_the_entry_s_date(data, run_cli, lang, words):
    # Through the real entry point, in a child process: the record form's rule, its message,
    # exit 2, and nothing stored.
    _, ind = ids(data)
    iid = ind["2023年6月底前完成等级保护测评"]
    done = run_cli(data, "record", iid, "--actual", "2023-08-05", "--as-of", "2023-07-31",
                   lang=lang)
    assert done.returncode == 2, done
    assert words in done.stderr and "Traceback" not in done.stderr
    assert iid not in Store(data).load().progress
    ok = run_cli(data, "record", iid, "--actual", "2023-06-20", "--as-of", "2023-07-31", lang=lang)
    assert ok.returncode == 0, ok
