"""What the sync workers tell the monitor screen: one typed message per kind of news.

Workers never touch the screen's state; they publish a dataset version (``tui.versions``) and
post one of these, which the screen handles on the UI thread with ``@on(...)``. A serial number
travels with every version so the screen keeps the newest whatever order messages arrive in.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from jixiao.core.errors import JixiaoError


@dataclass
class Loaded(Message):
    """A start-up (or retried load) has data: the first stage, or everything at once.
    ``evaluation`` comes with it when colouring it was cheap (the first stage)."""

    serial: int
    dataset: object
    user: str
    role: str | None
    may_report: bool
    evaluation: object = None
    as_of: str | None = None


@dataclass
class Summarized(Message):
    """The middle stage of a start-up: every unit with its colours, most of them from the
    store's summaries (no histories yet), so counts, triage, search and n/N answer for all.
    Also the lead stage before it: some units so, the others still pending."""

    serial: int
    dataset: object
    evaluation: object
    as_of: str


@dataclass
class Completed(Message):
    """The second stage of a start-up: the complete dataset with its colours."""

    serial: int
    dataset: object
    evaluation: object
    as_of: str


@dataclass
class Refreshed(Message):
    """The poll took in a change; ``foreign`` when another process made it."""

    serial: int
    dataset: object
    evaluation: object
    as_of: str
    foreign: bool = True


@dataclass
class Evaluated(Message):
    """Colours computed for ``dataset`` at ``as_of`` (dropped if either is no longer shown)."""

    dataset: object
    evaluation: object
    as_of: str


@dataclass
class Published(Message):
    """This process wrote an entry: the version that holds it."""

    serial: int
    dataset: object


@dataclass
class DateChanged(Message):
    """The monitoring date changed: stored (``view`` is ``None``, ``serial`` the new version)
    or for this view only; ``evaluation`` colours ``dataset`` at the new date."""

    view: str | None
    serial: int
    dataset: object
    evaluation: object


@dataclass
class LoadProgress(Message):
    """How far the complete load has come: ``done`` of ``total`` unit files read; when all
    are, their colours are being worked out."""

    done: int
    total: int


@dataclass
class LoadFailed(Message):
    """The data could not be opened."""

    error: JixiaoError


@dataclass
class Notice(Message):
    """Something to tell the user in a toast (a poll problem, an export's outcome)."""

    text: str
    severity: str = "information"
    timeout: float | None = None
