"""One measure of text width everywhere: the reports (core) and the screen (tui) agree cell for
cell on the code points where home-made width tables go wrong."""

import pytest
from rich.text import Text

from jixiao.core.textwidth import clip, fit, width, wrap
from jixiao.tui.widgets.vlist import fit as fit_text

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"     # one emoji drawn from three, joined

TRICKY = {
    "天津市": 6,                    # CJK: two columns each
    "ｱｲｳ": 3,                      # halfwidth katakana: one each
    "Ａ１": 4,                      # fullwidth Latin: two each
    "e\u0301te\u0301": 3,           # combining acute accents take no column
    "\U0001F600": 2,               # emoji
    FAMILY: 2,
    "\u2764\ufe0f": 2,              # a heart made emoji by the variation selector
    "a\u200bb": 2,                  # zero width space
    "\ufeffname": 4,                # a byte order mark pasted into a name
    "a\u200cb\u200d": 2,            # zero width non-joiner and joiner
    "≥8个": 4,                      # ambiguous width counts one, as rich draws it
}


@pytest.mark.parametrize("text, cells", TRICKY.items())
def test_core_counts_the_cells_the_tui_draws(text, cells):
    assert width(text) == cells
    assert Text(text).cell_len == cells


@pytest.mark.parametrize("text", TRICKY)
def test_core_and_tui_cut_and_pad_at_the_same_place(text):
    for columns in range(1, width(text) + 3):
        plain = fit(text, columns)
        drawn = fit_text(text, columns)
        assert drawn.plain == plain
        assert width(plain) == drawn.cell_len == columns


def test_a_grapheme_is_never_split_by_a_cut():
    assert clip(f"{FAMILY}{FAMILY}ab", 4) == f"{FAMILY}…"
    assert clip("e\u0301e\u0301e\u0301", 2) == "e\u0301…"
    assert clip("天津市", 4) == "天…"       # the second character would need a third column
    assert fit("天津市", 4) == "天… "


def test_wrapped_lines_keep_graphemes_whole_and_fit():
    text = "指标\u200b名称" + FAMILY * 5 + "e\u0301" * 6
    lines = wrap(text, 5)
    assert "".join(lines) == text
    assert all(width(line) <= 5 for line in lines)
    assert all(FAMILY in line or "\u200d" not in line for line in lines)


@pytest.mark.parametrize("columns", range(8, 41))
def test_a_latin_word_in_chinese_text_is_never_split(columns):
    text = "没有数据：请先导入目标表（jixiao import）"
    lines = wrap(text, columns)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= columns for line in lines)
    words = " ".join(lines).replace("（", " ").replace("）", " ").split()
    assert "jixiao" in words and "import" in words


def test_a_latin_word_wider_than_the_line_is_still_cut_to_fit():
    assert wrap("超长 abcdefghijkl", 6) == ["超长", "abcdef", "ghijkl"]
