"""``jixiao reading`` refuses what cannot settle a reading in the user's language: Chinese by
default, English with ``--lang en`` (issue 12's command; Chinese is jixiao's default)."""

from __future__ import annotations

import re

import pytest

from jixiao.cli.main import main
from jixiao.store.repository import Store

SEED = "sample_data/tianjin_2023_targets.txt"


def english_words(text: str) -> list[str]:
    """English words besides options (``--op``), quoted input and the operator names."""
    text = re.sub(r"'[^']*'|--\w+", " ", text)
    words = re.findall(r"[A-Za-z]{2,}", text)
    return [w for w in words if w not in {"jixiao", "range", "qualitative", "deadline",
                                          "cumulative", "level", "yes", "no", "start", "end"}]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("rd") / "d"
    assert main(["--data", str(d), "import", SEED]) == 0
    ident = next(i.id for i in Store(d).load().indicators.values() if i.target_text == "≥8个")
    return d, ident


@pytest.mark.parametrize("options", [[], ["--op", ">>"], ["--value", "abc"],
                                     ["--op", "range", "--value", "5"],
                                     ["--measure", "often"], ["--wanted", "maybe"],
                                     ["--start", "2023-09-01", "--end", "2023-01-01"],
                                     ["--confirm", "--op", "≤"], ["--clear", "--op", "≤"]])
def test_a_refused_reading_speaks_chinese_by_default_and_english_when_asked(store, capsys,
                                                                            options):
    data, ident = store
    before = Store(data).load().indicators[ident].reading
    assert main(["--data", str(data), "reading", ident, *options]) == 2
    zh = capsys.readouterr().err
    assert "Traceback" not in zh and not english_words(zh), zh
    assert main(["--data", str(data), "--lang", "en", "reading", ident, *options]) == 2
    en = capsys.readouterr().err
    assert re.search(r"[a-z]{4,}", en) and not re.search(r"[\u4e00-\u9fff]{3,}", en.replace(
        "累计", "").replace("水平", "")), en
    assert Store(data).load().indicators[ident].reading == before
