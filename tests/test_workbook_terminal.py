"""A workbook is never written to a terminal: ``--format xlsx`` without ``-o`` on a terminal is
refused at once, before any work, in the user's language (Chinese by default)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli.main import main

SEED = Path(__file__).resolve().parents[1] / "sample_data" / "tianjin_2023_targets.txt"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("wb") / "d"
    assert main(["--data", str(top), "import", str(SEED)]) == 0
    return top


def _on_a_terminal(*argv: str) -> subprocess.CompletedProcess:
    """Run ``python -m jixiao ARGV`` with standard output on a pseudo-terminal."""
    leader, follower = pty.openpty()
    try:
        return subprocess.run([sys.executable, "-m", "jixiao", *argv], stdout=follower,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                              timeout=120)
    finally:
        os.close(follower)
        os.close(leader)


@pytest.mark.parametrize("command", [["export-targets", "--format", "xlsx"],
                                     ["report", "--format", "xlsx"]])
def test_a_workbook_for_a_terminal_is_refused_in_chinese_then_english(data, command):
    zh = _on_a_terminal("--data", str(data), *command)
    assert zh.returncode == 2 and "Traceback" not in zh.stderr
    assert "-o" in zh.stderr and "终端" in zh.stderr and "terminal" not in zh.stderr
    en = _on_a_terminal("--data", str(data), "--lang", "en", *command)
    assert en.returncode == 2 and "not for a terminal" in en.stderr
