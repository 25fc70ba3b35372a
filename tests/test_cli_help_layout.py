"""Every ``--help`` fits an 80-column terminal in either language, its usage lined up (issue 15 §4).

argparse measures by characters: "用法：" is three characters but six columns, and a Chinese
choice list is twice as wide as it is long, so the usage's continuation lines fell three columns
short of the first argument and some lines ran past the terminal. In Chinese what follows the
program's name and a heading is punctuated in Chinese (``jixiao：``, ``选项：``).
"""

from __future__ import annotations

import argparse
import re

import pytest

from jixiao.cli.main import build_parser, main
from jixiao.core.language import speaking
from jixiao.core.textwidth import width


def _commands() -> list[list[str]]:
    """Every command path: [], ["record"], ["db", "init"] …"""
    with speaking("zh"):
        parser = build_parser()
    found: list[list[str]] = [[]]

    def walk(p: argparse.ArgumentParser, path: list[str]) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found.append(path + [name])
                    walk(child, path + [name])

    walk(parser, [])
    return found


COMMANDS = _commands()


def _help(lang: str, command: list[str], capsys) -> list[str]:
    with pytest.raises(SystemExit) as exited:
        main(["--lang", lang, *command, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out.splitlines()


def test_the_walk_finds_the_nested_commands():
    assert ["record"] in COMMANDS and ["db", "init"] in COMMANDS and len(COMMANDS) > 18


@pytest.mark.parametrize("lang, prefix", [("zh", "用法："), ("en", "usage: ")])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "jixiao")
def test_help_fits_80_columns_and_its_usage_lines_up(monkeypatch, capsys, lang, prefix, command):
    monkeypatch.setenv("COLUMNS", "80")
    lines = _help(lang, command, capsys)
    too_wide = [line for line in lines if width(line) > 80]
    assert not too_wide, too_wide
    usage = lines[:lines.index("")]
    program = " ".join(["jixiao", *command])
    assert usage[0].startswith(f"{prefix}{program}")
    # Every continuation starts in the column of the first argument after the program name.
    column = width(f"{prefix}{program} ")
    for line in usage[1:]:
        assert width(re.match(r" *", line).group()) == column, (usage, line)


def test_a_refused_argument_shows_the_usage_lined_up_too(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["record", "--actual", "3"])
    err = capsys.readouterr().err.splitlines()
    usage = err[:next(n for n, line in enumerate(err) if not line.startswith(("用法", " ")))]
    assert len(usage) > 1 and all(width(line) <= 80 for line in usage)
    assert {len(line) - len(line.lstrip()) for line in usage[1:]} == {width("用法：jixiao record ")}


def test_chinese_messages_and_headings_end_with_a_chinese_colon(tmp_path, capsys):
    # "jixiao" stays the program's name; what follows it is punctuated in the run's language.
    assert main(["--data", str(tmp_path / "none"), "record", "0000000000", "--actual", "3",
                 "--as-of", "2023-07-31"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jixiao：") and "jixiao: " not in err
    with pytest.raises(SystemExit):
        main(["record", "--actual", "3"])
    err = capsys.readouterr().err
    assert "jixiao record：错误：缺少必需的参数" in err and ": " not in err.splitlines()[-1]
    with pytest.raises(SystemExit):
        main(["record", "--help"])
    out = capsys.readouterr().out
    assert "\n位置参数：\n" in out and "\n选项：\n" in out and "参数:" not in out
    assert main(["--lang", "en", "--data", str(tmp_path / "none"), "record", "0000000000",
                 "--actual", "3", "--as-of", "2023-07-31"]) == 2
    assert capsys.readouterr().err.startswith("jixiao: ")
    with pytest.raises(SystemExit):
        main(["--lang", "en", "record", "--help"])
    assert "\noptions:\n" in capsys.readouterr().out
