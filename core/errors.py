"""The one exception type that carries a message meant for a person, and an exit status."""

from __future__ import annotations

from .language import Said, current


class JixiaoError(Exception):
    """A failure the user can act on: shown as ``message`` (no traceback), exit ``exit_code``.

    Exit status 2 means bad input or a damaged/foreign file; 3 means not permitted. The message
    is given in English and, with ``zh=``, in Chinese too (see ``core.language``); without a
    Chinese text the English one is shown in both languages. A ``Said`` gives both at once.
    """

    exit_code = 2

    def __init__(self, message: str | Said, exit_code: int | None = None, *,
                 zh: str | None = None):
        if isinstance(message, Said):           # both languages at once (core.faults.said)
            message, zh = message.en, message.zh
        super().__init__(message)
        self.said = Said(message, zh if zh is not None else message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        """The message in the current run's language."""
        return self.said.text(current())

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.said.text(lang)


class PermissionDenied(JixiaoError):
    """The acting user's role or unit grants do not allow this change (exit status 3)."""

    exit_code = 3
