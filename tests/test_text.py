"""jixiao.core.text.visible: user text shown as typed, but never able to drive the terminal."""

from jixiao.core.text import visible


def test_controls_become_visible_symbols_and_markup_stays_as_typed():
    assert visible("[red]x[/] \x1b[31m\x07") == "[red]x[/] ␛[31m␇"
    assert visible("a\u202eb\u2066c") == "a�b�c"
    assert visible("\x9b") == "�"


def test_line_ends_and_tabs_are_kept_only_when_asked():
    assert visible("a\r\nb\tc", keep_newlines=True) == "a\r\nb\tc"
    assert visible("a\r\nb\tc") == "a␍␊b␉c"
