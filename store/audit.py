"""The audit log: who changed what, when (issue 7).

Every change leaves a record in the same file and the same atomic write as the change itself,
so a change can never exist without its record: progress and spending entries carry their author
and time already; imports add an ``audit`` record to each partition they touch; grant and
settings changes add one to their own file. ``Store.log`` gathers them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jixiao.core.changes import in_chinese
from jixiao.core.stamps import local_stamp

ACTIONS = ("progress", "spending", "import", "grant", "revoke", "settings", "reading")
"""The kinds of change that are logged."""


@dataclass(frozen=True)
class AuditEntry:
    """One change: when (``at``, ISO time), who, what kind, which units, and a readable summary."""

    at: str
    user: str
    action: str
    what: str
    units: tuple[str, ...] = ()
    zh: str = field(default="", compare=False)
    """The summary in Chinese when it was worded here (history entries); never stored."""

    def text(self, lang: str) -> str:
        """The summary in ``lang``: a stored (English) one is read back into Chinese."""
        if lang != "zh":
            return self.what
        return self.zh or in_chinese(self.what)

    def to_dict(self) -> dict:
        """The stored form."""
        return {"at": self.at, "user": self.user, "action": self.action, "what": self.what,
                "units": list(self.units)}

    @classmethod
    def from_dict(cls, data: dict) -> "AuditEntry":
        """Read the stored form."""
        return cls(at=str(data.get("at", "")), user=str(data.get("user", "")),
                   action=str(data.get("action", "")), what=str(data.get("what", "")),
                   units=tuple(str(u) for u in data.get("units") or ()))


def chronological(entry: AuditEntry):
    """Sort key: the real instant (times may differ in precision and offset)."""
    try:
        return (datetime.fromisoformat(entry.at).timestamp(), entry.at)
    except ValueError:
        return (float("inf"), entry.at)


def matches(entry: AuditEntry, *, unit: str | None, user: str | None, since: str | None) -> bool:
    """Whether ``entry`` passes the ``jixiao log`` filters (``since`` is an ISO date, a local
    day)."""
    if unit is not None and unit not in entry.units:
        return False
    if user is not None and entry.user != user:
        return False
    # The day as ``jixiao log`` shows it: in local time, as the user reads and types dates.
    return since is None or local_stamp(entry.at)[:10] >= since
