"""The command line speaks one language per run, the official choices included (issue 15 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture
def data(seeded_copy):
    """The seeded data directory, copied for this test."""
    return seeded_copy


def qualitative(data) -> str:
    return next(i.id for i in Store(data).load().indicators.values()
                if i.target_text == "测评结果合格")


def test_english_record_takes_english_choices_and_stores_the_terms(data, capsys):
    iid = qualitative(data)
    capsys.readouterr()
    assert main(["--data", str(data), "--lang", "en", "record", iid, "--actual", "Achieved",
                 "--as-of", "2023-07-31", "--likelihood", "possible", "--cause", "funding",
                 "--cause", "其他"]) == 0
    out = capsys.readouterr().out
    assert "actual achieved (达成)" in out and "graded achieved (达成)" in out
    [entry] = Store(data).progress_history(iid)
    assert (entry.actual, entry.likelihood, entry.causes) == ("达成", "有可能", ("经费保障", "其他"))


@pytest.mark.parametrize("lang, shown, refusal", [
    ("en", ["--likelihood {certain,possible,impossible}", "possible (有可能)",
            "equipment (硬件条件保障)"],
     "argument --likelihood: 'maybe' is not one of certain (确定能), possible (有可能)"),
    ("zh", ["--likelihood {确定能,有可能,完全不可能}", "确定能、有可能、完全不可能",
            "经费保障、制度保障"],
     "参数 --likelihood：'maybe' 不是 确定能、有可能、完全不可能 之一")])
def test_record_help_and_refusal_name_the_choices_in_the_run_language(data, capsys, lang, shown,
                                                                     refusal):
    with pytest.raises(SystemExit):
        main(["--lang", lang, "record", "--help"])
    help_text = re.sub(r"\s+", " ", capsys.readouterr().out)
    for words in shown:
        assert words in help_text, words
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(data), "--lang", lang, "record", qualitative(data), "--actual", "达成",
              "--as-of", "2023-07-31", "--likelihood", "maybe"])
    assert exit_.value.code == 2
    assert refusal in capsys.readouterr().err
    assert Store(data).progress_history(qualitative(data)) == []


def test_the_import_report_is_chinese_throughout_by_default(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "zh"), "import", str(SEED)]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.startswith("  ! ")]
    year = next(line for line in out.splitlines() if line.startswith("年度："))
    assert len(warnings) == 3
    for line in (year, *warnings):
        assert not re.search(r"[A-Za-z]{2,}", line), line
    assert main(["--data", str(tmp_path / "en"), "--lang", "en", "import", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "  ! line 155: 301101 机关运行保障经费: the cost caps (≤) add up to 335.70 万元" in out


def test_every_kind_of_change_in_the_log_reads_in_the_run_language(data, capsys):
    import getpass

    from jixiao.core.overrides import ReadingOverride

    def cli(*argv, lang="zh"):
        assert main(["--data", str(data), "--lang", lang, *argv]) == 0
        return capsys.readouterr().out

    me = getpass.getuser()
    cli("grant", me, "--role", "admin")
    cli("grant", "bob", "--role", "owner", "--unit", "301101")
    cli("revoke", "bob", "--unit", "301101")
    cli("grant", "dan", "--role", "manager")
    cli("revoke", "dan")
    cli("settings", "--as-of", "2023-06-30", "--threshold", "red_below=0.4")
    iid = qualitative(data)
    cli("record", iid, "--actual", "达成", "--as-of", "2023-06-30", "--likelihood", "确定能")
    cli("spend", Store(data).find_indicator(iid)[1].id, "--spent", "12", "--as-of", "2023-06-30")
    store = Store(data, user=me)
    ind = store.find_indicator(iid)[0]
    store.set_reading(iid, ReadingOverride(text=ind.target_text, source="confirmed"))
    zh = cli("log")
    for said in ("导入      301101   导入 5 个项目（", "：新增 92 项指标，修改 0 项，移除 0 项",
                 f"授权      -        {me} → admin（管理员）", "bob → owner（填报人），单位 301101",
                 "收回      301101   bob 失去单位 301101", "dan 失去全部权限",
                 "设置      -        监控日期 2023-07-31 → 2023-06-30，红色阈值 red_below 0.6 → 0.4",
                 "解读      301101", "'测评结果合格'：确认现有解读",
                 "截至 2023-06-30：完成值 达成，确定能", "截至 2023-06-30：累计执行 12 万元"):
        assert said in zh, said
    assert not re.search(r"\b(?:as of|actual|loses|project\(s\)|import|grant|revoke|settings|"
                         r"progress|spending|confirmed)\b", zh)
    en = cli("log", lang="en")
    for said in ("bob loses 301101", "dan loses all rights", "as_of 2023-07-31 → 2023-06-30",
                 "as of 2023-06-30: actual 达成, certain (确定能)", "confirmed as read",
                 "92 indicator(s) added"):
        assert said in en, said


def test_an_unknown_stored_summary_is_shown_as_stored():
    from jixiao.core.changes import in_chinese
    assert in_chinese("something a later version wrote") == "something a later version wrote"
    assert in_chinese("copied 3 project(s), 40 indicator(s)") == "复制 3 个项目、40 项指标"


def _english_words(text: str) -> list[str]:
    """The English words of ``text`` besides file names, ids and command names."""
    text = re.sub(r"\S*/\S*", " ", text)                       # paths
    text = re.sub(r"[\w.-]+\.(?:json|bak|lock)\b", " ", text)     # file names
    text = re.sub(r"\b[0-9a-f]{12}\b|\bP[0-9a-f]{10}\b", " ", text)   # indicator / project ids
    return re.findall(r"[A-Za-z][A-Za-z_-]+", text.replace("jixiao", " "))


def test_a_refused_record_and_check_speak_chinese_by_default(data, run_cli):
    iid = next(i.id for i in Store(data).load().indicators.values() if i.target_text == "≥8个")
    refused = run_cli(data, "record", iid, "--actual", "2个", "--as-of", "2023-07-31", lang="zh")
    assert refused.returncode == 2 and "偏差原因" in refused.stderr
    assert len(_english_words(refused.stderr)) <= 2, refused.stderr
    assert Store(data).progress_history(iid) == []
    units = data / "units" / "2023"
    (units / "301205.json").write_text("{bad", encoding="utf-8")
    (units / "301303.json").unlink()
    (units / "301303.json").symlink_to("/etc/passwd")
    checked = run_cli(data, "check", lang="zh")
    assert checked.returncode == 2
    lines = [line for line in checked.stdout.splitlines() if line.strip()]
    assert len(lines) >= 3 and all(line.startswith("问题：") for line in lines[:-1])
    for line in lines:
        assert len(_english_words(line)) <= 2, line
    refused = run_cli(data, "settings", "--threshold", "red_below=2", lang="zh")
    assert refused.returncode == 2 and "阈值须满足" in refused.stderr


@pytest.mark.parametrize("argv", [["readings", "--help"], ["reading", "--help"], ["db", "--help"],
                                  ["--help"]])
def test_every_help_is_chinese_by_default(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    text = capsys.readouterr().out
    described = [line for line in text.splitlines() if re.search(r"\s{2}\S", line)]
    english = [line for line in described if re.search(r"\b(?:the|a|an|of|or|to|is)\b", line)]
    assert not english, english


def test_diff_of_files_that_are_not_snapshots_is_refused_in_chinese(tmp_path, capsys):
    bad, empty = tmp_path / "坏.json", tmp_path / "空.json"
    bad.write_text("{x", encoding="utf-8")
    empty.write_text("{}", encoding="utf-8")
    assert main(["diff", str(bad), str(empty)]) == 2
    assert "不是有效的 JSON（第 1 行第 2 列）" in capsys.readouterr().err
    assert main(["diff", str(empty), str(empty)]) == 2
    err = capsys.readouterr().err
    assert "不是 jixiao 快照" in err and len(_english_words(err)) <= 2, err
    assert main(["--lang", "en", "diff", str(bad), str(empty)]) == 2
    assert "is not valid JSON" in capsys.readouterr().err


def test_bad_flags_and_missing_files_are_refused_in_chinese(tmp_path, data, capsys):
    with pytest.raises(SystemExit):
        main(["--data", str(data), "import", str(SEED), "--year", "abc"])
    assert "应为年份，例如 2023，而不是 'abc'" in capsys.readouterr().err
    assert main(["--data", str(data), "log", "--since", "yesterday"]) == 2
    assert "--since 必须是 YYYY-MM-DD 形式的日期" in capsys.readouterr().err
    missing = tmp_path / "nope" / "q3.json"
    assert main(["--data", str(data), "snapshot", "-o", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "没有这个文件或目录" in err and "No such file" not in err
    assert main(["--data", str(data), "--lang", "en", "snapshot", "-o", str(missing)]) == 2
    assert "No such file or directory" in capsys.readouterr().err


def test_a_reading_for_a_changed_target_is_refused_in_either_language(data):
    import getpass

    from jixiao.core.errors import JixiaoError
    from jixiao.core.overrides import ReadingOverride

    iid = qualitative(data)
    stale = ReadingOverride(text="旧的指标值", source="confirmed")
    with pytest.raises(JixiaoError) as refused:
        Store(data, user=getpass.getuser()).set_reading(iid, stale)
    assert refused.value.text("zh").endswith("而不是 '旧的指标值'；未做任何更改")
    assert refused.value.text("en").endswith("not '旧的指标值'; nothing was changed")
