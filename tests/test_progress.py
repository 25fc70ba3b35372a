"""The progress bar of long commands (issue 16): drawn with rich on a terminal, nothing
anywhere else, and a label is text, never markup."""

import io

from jixiao.cli.progress import progress


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def test_progress_draws_on_a_terminal_and_nothing_elsewhere(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    quiet = io.StringIO()
    with progress("导出 [red]x[/red]", total=3, stream=quiet) as advance:
        advance(3)
    assert quiet.getvalue() == ""

    screen = _Terminal()
    with progress("导出 [red]x[/red]", total=3, stream=screen) as advance:
        advance(2)
        advance(1)
    assert "导出 [red]x[/red]" in screen.getvalue()      # the label is text, not markup


def test_the_bar_draws_beneath_the_command_lines_control_character_filter(monkeypatch):
    # The CLI shows control characters in user text as symbols; the bar's own escape codes must
    # reach the terminal as codes, or the bar would print as garbage.
    from jixiao.cli.main import _VisibleWriter

    monkeypatch.setenv("TERM", "xterm-256color")
    screen = _Terminal()
    with progress("import a\x1b[2Jb.docx", total=1, stream=_VisibleWriter(screen)) as advance:
        advance(1)
    drawn = screen.getvalue()
    assert "\x1b[" in drawn and "\x1b[2J" not in drawn      # the file name's escape is shown, not run
