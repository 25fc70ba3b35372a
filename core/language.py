"""One language per run: every message a person reads exists in Chinese and English.

The front ends choose the language — the command line from ``--lang`` (Chinese unless told
otherwise), the TUI from its own setting — and everything below them writes its messages in
both, so no layer needs to know which one will be shown:

* ``JixiaoError(en, zh=…)`` carries a refusal in both languages; ``exc.text(lang)`` picks one,
  and ``exc.message`` gives the one of the current run (``speaking``).
* ``say(en, zh)`` picks the current run's language for text printed right away (command
  output, help). ``Said(en, zh)`` keeps both for later.

A message written in English only (``JixiaoError("…")``) is shown in English in both modes:
add its Chinese with ``zh=`` where it is raised.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

LANGUAGES = ("zh", "en")
"""The languages jixiao speaks; the first is the default of the command line and the TUI."""

_current: ContextVar[str] = ContextVar("jixiao_language", default="en")
# Outside a front end (a script, a test calling the store) messages read in English, the
# language of the code; ``jixiao`` itself always chooses (Chinese unless ``--lang en``).


def current() -> str:
    """The language of this run ('zh' or 'en')."""
    return _current.get()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the ``with`` block (the command line wraps a whole run in it)."""
    token = _current.set(lang if lang in LANGUAGES else LANGUAGES[0])
    try:
        yield
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class Said:
    """A text in both languages; ``str()`` gives the current run's."""

    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.text(current())


def say(en: str, zh: str) -> str:
    """``zh`` or ``en``, whichever the current run speaks."""
    return zh if current() == "zh" else en
