"""``jixiao report``: filters, 80-column table with the reason, CSV and JSON (issue 6)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.report import CSV_COLUMNS, format_table, parse_only, report_rows
from jixiao.core.snapshot import build_snapshot
from jixiao.core.textwidth import clip, fit, width, wrap
from jixiao.sample_data import load_sample
from jixiao.cli.main import main


@pytest.fixture(scope="module")
def demo_doc():
    return build_snapshot(load_sample(), "2023-07-31", generated_at="")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["--demo", "report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_only_keeps_the_named_colours(demo_doc):
    every = report_rows(demo_doc)
    assert len(every) == 128
    bad = report_rows(demo_doc, only=("red", "amber"))
    assert bad and {r["colour"] for r in bad} <= {"red", "amber"}
    assert len(bad) == sum(1 for r in every if r["colour"] in ("red", "amber"))
    assert len(bad) == demo_doc["counts"]["red"] + demo_doc["counts"]["amber"]


def test_unit_filter_and_unknown_unit(demo_doc):
    rows = report_rows(demo_doc, units=("301205",))
    assert rows and {r["unit"] for r in rows} == {"301205"}
    with pytest.raises(JixiaoError, match="no unit with code 999999"):
        report_rows(demo_doc, units=("999999",))


def test_only_accepts_words_in_either_language_and_refuses_others():
    assert parse_only("red, amber") == ("red", "amber")
    assert parse_only("红，黄") == ("red", "amber")
    assert parse_only("") == ()
    with pytest.raises(JixiaoError, match="unknown colour 'purple'"):
        parse_only("red,purple")


def test_table_fits_80_columns_and_carries_each_reason(demo_doc):
    rows = report_rows(demo_doc, only=("red", "amber"))
    for lang in ("zh", "en"):
        text = format_table(demo_doc, rows, lang=lang, only=("red", "amber"))
        assert max(width(line) for line in text.splitlines()) <= 80
        flat = "".join(line.strip() for line in text.splitlines())
        key = "reason_en" if lang == "en" else "reason"
        for row in rows:
            assert "".join(row[key].split()) in "".join(flat.split())
    # The colour is always a word too, never only a colour.
    assert "红" in format_table(demo_doc, rows) and "red" in format_table(demo_doc, rows, lang="en")


def test_cli_table_filters(capsys):
    code, out, _ = run(capsys, "--only", "red", "--unit", "301101")
    assert code == 0
    assert "301101" in out and "301205" not in out
    labels = {line[4:6].strip() for line in out.splitlines()
              if line.startswith("    ") and not line.startswith("     ")}
    assert labels == {"红"}
    code, out, _ = run(capsys, "--only", "red", "--unit", "301101", "--format", "json")
    data = json.loads(out)
    assert data["filters"] == {"only": ["red"], "units": ["301101"]}
    assert data["rows"] and all(r["colour"] == "red" and r["unit"] == "301101" for r in data["rows"])
    assert data["counts"]["red"] == len(data["rows"])


def test_cli_as_of_uses_only_entries_dated_before_it(capsys):
    ds = load_sample()
    for as_of in ("2023-03-31", "2023-07-31", "2023-09-30"):
        code, out, _ = run(capsys, "--as-of", as_of, "--format", "json")
        assert code == 0
        data = json.loads(out)
        assert data["as_of"] == as_of
        for row in data["rows"]:
            history = [e for e in ds.progress.get(row["indicator"], []) if e.as_of <= as_of]
            assert row["actual"] == (history[-1].actual if history else None)
            assert row["progress_as_of"] is None or row["progress_as_of"] <= as_of
    # Q1 has a few early reports only; by Q3 everything has one.
    code, out, _ = run(capsys, "--quarter", "2023Q1", "--format", "json")
    q1 = json.loads(out)["rows"]
    assert 0 < sum(r["actual"] is not None for r in q1) < len(q1)


def test_cli_csv_has_a_header_and_one_row_per_indicator(capsys):
    code, out, _ = run(capsys, "--format", "csv", "--only", "red,amber")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1:] and all(r[CSV_COLUMNS.index("colour")] in ("red", "amber") for r in rows[1:])
    assert all(r[CSV_COLUMNS.index("reason")] for r in rows[1:])


@pytest.mark.parametrize("argv, message", [
    (["--only", "purple"], "状态 'purple' 未知"),
    (["--unit", "000000"], "没有代码为 000000 的单位"),
    (["--as-of", "31/07/2023"], "YYYY-MM-DD"),
    (["--as-of", "2023-07-31", "--quarter", "2023Q2"], "只能给一个"),
])
def test_cli_bad_input_is_a_clear_message(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_width_helpers_count_chinese_as_two_columns():
    assert width("天津 ok") == 7
    assert width("≥8个") == 4           # ≥ is ambiguous-width: one column, like rich
    assert clip("系统等级保护测评", 9) == "系统等级…"
    assert width(fit("系统", 6)) == 6 and fit("系统", 6, align="right") == "  系统"
    lines = wrap("截至07-31（序时进度58%）应完成≥0.58，实际0 → 0% → 红", 20)
    assert all(width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "截至07-31（序时进度58%）应完成≥0.58，实际0→0%→红"


def test_owners_may_not_snapshot_report_or_export_a_shared_store(tmp_path, capsys):
    from jixiao.store.identity import current_user
    from jixiao.store.repository import Store

    from jixiao.sample_data import load_sample

    me = current_user()
    admin = Store(tmp_path, user="perf.officer")
    admin.bulk_load(load_sample())
    admin.grant("perf.officer", "admin")
    admin.grant(me, "owner", ["301101"])
    attempts = [["snapshot"], ["report"], ["export-monitoring", "-o", str(tmp_path / "t.csv")]]
    for argv in attempts:
        assert main(["--lang", "en", "--data", str(tmp_path), *argv]) == 3
        err = capsys.readouterr().err
        assert me in err and "manager or admin" in err and "owner" in err
    assert not (tmp_path / "t.csv").exists()
    admin.grant(me, "manager")
    for argv in attempts:
        assert main(["--lang", "en", "--data", str(tmp_path), *argv]) == 0
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
