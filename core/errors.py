"""The one exception type that carries a message meant for a person, and an exit status."""

from __future__ import annotations


class JixiaoError(Exception):
    """A failure the user can act on: shown as ``message`` (no traceback), exit ``exit_code``.

    Exit status 2 means bad input or a damaged/foreign file; 3 means not permitted.
    """

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class PermissionDenied(JixiaoError):
    """The acting user's role or unit grants do not allow this change (exit status 3)."""

    exit_code = 3
