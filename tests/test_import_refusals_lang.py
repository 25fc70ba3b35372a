"""A file ``jixiao import`` cannot take is refused in the user's language: Chinese by default,
English with ``--lang en`` — the whole message, not a Chinese frame around English words."""

from __future__ import annotations

import re

import pytest

from jixiao.cli.main import main

LATIN_WORDS = re.compile(r"\b(?:no such|is a directory|cannot read|archive|broken|expected)\b")


def _refusals(tmp_path):
    corrupt = tmp_path / "坏.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    return {
        "missing": tmp_path / "nope.csv",
        "directory": tmp_path,
        "corrupt zip": corrupt,
    }


@pytest.mark.parametrize("case", ["missing", "directory", "corrupt zip"])
def test_an_unreadable_import_is_refused_in_chinese_then_in_english(tmp_path, capsys, case):
    path = _refusals(tmp_path)[case]
    data = tmp_path / "d"
    assert main(["--data", str(data), "import", str(path)]) == 2
    zh = capsys.readouterr().err
    assert "未导入任何内容" in zh and not LATIN_WORDS.search(zh.replace(str(path), "")), zh
    assert main(["--data", str(data), "--lang", "en", "import", str(path)]) == 2
    en = capsys.readouterr().err
    assert "nothing was imported" in en and "未导入" not in en
    assert not data.exists()
