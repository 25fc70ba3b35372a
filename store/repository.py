"""The store: one data directory shared by many processes (DESIGN.md §7).

INTERFACE STUB — owned by the store work (issues 4 and 7); replace the body, keep the names.
"""

from __future__ import annotations

from pathlib import Path

from core.dataset import Dataset
from core.model import ProgressEntry, Settings, SpendingEntry


class Store:
    """Reads and writes one data directory on behalf of one user (the OS account by default).

    Every write checks the user's role and unit grants (``core.errors.PermissionDenied``) and
    records its author; damaged or foreign files raise ``core.errors.JixiaoError`` (exit 2).
    """

    def __init__(self, data_dir: Path, *, user: str | None = None):
        """Open ``data_dir`` (created if missing). ``user`` is the identity seam for tests."""
        raise NotImplementedError

    @property
    def user(self) -> str:
        """The acting user's name."""
        raise NotImplementedError

    def role(self) -> str:
        """'admin', 'manager' or 'owner' — or 'admin' when there are no grants at all."""
        raise NotImplementedError

    def can_edit_unit(self, unit_code: str) -> bool:
        """Whether the acting user may record progress and spending for ``unit_code``."""
        raise NotImplementedError

    def settings(self) -> Settings:
        """The current settings (year, monitoring date, thresholds)."""
        raise NotImplementedError

    def save_settings(self, settings: Settings) -> None:
        """Replace the settings (admin only)."""
        raise NotImplementedError

    def load(self) -> Dataset:
        """Everything in the directory, as one ``Dataset``."""
        raise NotImplementedError

    def refresh(self, dataset: Dataset) -> bool:
        """Bring ``dataset`` up to date with other processes' writes, re-reading only the files
        that changed since it was loaded; ``True`` when anything changed."""
        raise NotImplementedError

    def bulk_load(self, dataset: Dataset) -> None:
        """Write a whole dataset (units, projects, indicators, history) into an empty store."""
        raise NotImplementedError

    def apply_import(self, plan) -> None:
        """Store an import plan from ``core.importing`` (admin only)."""
        raise NotImplementedError

    def record_progress(self, indicator_id: str, *, as_of: str, actual: str,
                        forecast: str | None = None, likelihood: str | None = None,
                        causes: tuple[str, ...] = (), measures: str | None = None,
                        note: str | None = None) -> ProgressEntry:
        """Append one progress entry, durable when this returns; refuse values that do not fit
        the target (``JixiaoError``) and users who may not edit the unit (``PermissionDenied``)."""
        raise NotImplementedError

    def record_spending(self, project_id: str, *, as_of: str, spent: float,
                        note: str | None = None) -> SpendingEntry:
        """Append one spending entry (cumulative 万元 as of the date)."""
        raise NotImplementedError
