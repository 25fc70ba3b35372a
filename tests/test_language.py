"""One language per run: Chinese by default, English with --lang en — help, refusals, check
(issue 15 §4)."""

from __future__ import annotations

import re

import pytest

from jixiao.cli.main import main
from jixiao.core.errors import JixiaoError
from jixiao.core.language import Said, say, speaking
from jixiao.core.textwidth import width
from jixiao.store.repository import Store

SEED = "sample_data/tianjin_2023_targets.txt"


def english_words(text: str) -> list[str]:
    """The English words of ``text`` besides ids, file names, options and numbers."""
    words = []
    for token in re.findall(r"[^\s：；，。（）()'\"“”]+", text):
        if "/" in token or token.startswith("-") or re.search(r"\d", token) or "." in token:
            continue                                  # a path, an option, an id, a date, a file
        words += re.findall(r"[A-Za-z]{2,}", token)
    return [w for w in words if w != "jixiao"]


@pytest.fixture
def data(tmp_path, capsys):
    """The sample tables imported, monitoring date 2023-07-31."""
    d = tmp_path / "d"
    assert main(["--data", str(d), "import", SEED]) == 0
    assert main(["--data", str(d), "settings", "--year", "2023", "--as-of", "2023-07-31"]) == 0
    capsys.readouterr()
    return d


def eight(d) -> str:
    return next(i.id for i in Store(d).load().indicators.values() if i.target_text == "≥8个")


def test_a_refused_record_speaks_chinese_by_default_and_english_when_asked(data, capsys):
    iid = eight(data)
    argv = ["--data", str(data), "record", iid, "--actual", "1个", "--as-of", "2023-07-31"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "偏差原因" in err and "纠偏措施" in err and "状态" in err and "红" in err
    assert len(english_words(err)) <= 2, english_words(err)
    assert main(["--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert "needs at least one cause" in err and "status" in err and "red" in err


def test_check_of_a_damaged_file_speaks_chinese(data, capsys):
    damaged = next((data / "units" / "2023").glob("*.json"))
    damaged.write_text("garbage")
    assert main(["--data", str(data), "check"]) == 2
    out = capsys.readouterr().out
    assert "已损坏" in out and "问题" in out and "未做任何更改" in out
    for line in out.splitlines():
        assert len(english_words(line)) <= 2, (line, english_words(line))


def test_a_permission_refusal_speaks_chinese(data, capsys):
    Store(data, user="admin1").grant("admin1", "admin")
    store = Store(data, user="bob")
    with pytest.raises(JixiaoError) as refused:
        store.record_progress(eight(data), as_of="2023-07-31", actual="9个")
    assert refused.value.exit_code == 3
    with speaking("zh"):
        message = refused.value.message
    assert "不能为单位" in message and "请管理员运行" in message
    assert "may not record progress" in refused.value.text("en")


def test_help_speaks_the_run_s_language(capsys):
    with pytest.raises(SystemExit):
        main(["record", "--help"])
    zh = capsys.readouterr().out
    assert zh.startswith("用法：") and "选项" in zh and "显示本帮助并退出" in zh
    with pytest.raises(SystemExit):
        main(["--lang", "en", "record", "--help"])
    en = capsys.readouterr().out
    assert en.startswith("usage: ") and "options:" in en and "show this help message" in en
    assert "certain" in en and "funding" in en       # the Chinese choices are glossed


def test_argument_errors_speak_the_run_s_language(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["record", "x"])
    assert stopped.value.code == 2
    assert "缺少必需的参数" in capsys.readouterr().err


def test_help_lines_up_by_terminal_columns_with_chinese_metavars(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    lines = capsys.readouterr().out.splitlines()
    starts = set()
    for line in lines:
        m = re.match(r"^(  -\S.*?\S)(\s{2,})(\S.*)$", line)
        if m:
            starts.add(width(m.group(1) + m.group(2)))
    assert len(starts) == 1, starts            # every help text starts in the same column


def test_a_message_without_chinese_is_shown_as_written():
    exc = JixiaoError("only English")
    assert exc.text("zh") == "only English" and exc.text("en") == "only English"
    with speaking("zh"):
        assert JixiaoError("x", zh="叉").message == "叉"
        assert say("a", "甲") == "甲" and str(Said("a", "甲")) == "甲"
    assert say("a", "甲") == "a"            # outside a run: the language of the code
