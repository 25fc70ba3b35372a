"""What the CLI and the TUI ask of a store, whichever backend keeps the data (issue 13).

``store.repository.Store`` (the TinyDB file store, ``--data DIR``) and ``store.postgres.PgStore``
(PostgreSQL, ``--db URL``) both provide it; ``tests/test_store_contract.py`` runs the same tests
against both. Refusals are ``core.errors.PermissionDenied`` (exit 3) with the same words in both;
bad input and damaged data are ``core.errors.JixiaoError`` (exit 2).

A backend may offer more, and the screen uses it when present: ``summaries``, ``peek``,
``note_summaries``, ``signatures``, ``save_summaries`` and ``refresh_summaries`` (the unit
summaries of ``store.summaries``, both backends: every unit coloured before the histories are
read), ``wait_for_change`` and ``cancel_reading`` (PostgreSQL's LISTEN/NOTIFY; stopping a long
read when the screen closes).
"""

from __future__ import annotations

from typing import Iterable, Protocol

from jixiao.core.dataset import Dataset
from jixiao.core.overrides import ReadingOverride
from jixiao.core.model import Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit

from .audit import AuditEntry
from .grants import Grant
from .layout import PartitionKey


class StoreBackend(Protocol):
    """The operations of a jixiao store, on behalf of one acting user."""

    @property
    def user(self) -> str:
        """Who is acting: the OS account (file store) or the server's session user."""

    # who may do what
    def role(self) -> str | None:
        """'admin', 'manager', 'owner', or ``None`` for a user without a grant."""

    def can_edit_unit(self, unit_code: str) -> bool:
        """Whether the acting user may record progress and spending for ``unit_code``."""

    def can_report(self) -> bool:
        """Whether the acting user may take snapshots, reports and exports."""

    def require_reporter(self, doing: str) -> None:
        """Raise ``PermissionDenied`` unless the acting user may report."""

    def grants(self) -> list[Grant]:
        """Every grant, in the order given."""

    def grant(self, user: str, role: str, units: tuple[str, ...] | list[str] = ()) -> Grant:
        """Give ``user`` a role (admin only); the user's grant afterwards."""

    def revoke(self, user: str, units: tuple[str, ...] | list[str] | None = None) -> None:
        """Take away a grant, or some units of an owner (admin only)."""

    # settings
    def settings(self) -> Settings:
        """The settings, or the defaults when none were saved."""

    def has_settings(self) -> bool:
        """Whether settings were ever saved."""

    def save_settings(self, settings: Settings) -> None:
        """Replace the settings (admin only), logged."""

    # reading
    def require_data(self, *, tables: bool = True) -> None:
        """Refuse a store without imported tables (``tables``) or without anything."""

    def unit_listing(self) -> dict[PartitionKey, Unit]:
        """Every unit and budget year, cheaply, in display order."""

    def partition_keys(self) -> list[PartitionKey]:
        """The key of every unit and budget year, in display order."""

    def load(self, keys: Iterable[PartitionKey] | None = None, *, since: str | None = None,
             progress=None) -> Dataset:
        """Everything, or only the partitions ``keys``, remembered for ``refresh``; with
        ``since``, each progress history only from the entry that counts at that date on
        (``Dataset.history_from``); ``progress(done, total)`` after each partition."""

    def refresh(self, dataset: Dataset) -> bool:
        """Take other users' writes into ``dataset``; whether anything changed."""

    def find_indicator(self, indicator_id: str) -> tuple[Indicator, Project]:
        """One indicator and its project."""

    def progress_history(self, indicator_id: str) -> list[ProgressEntry]:
        """Every progress entry of one indicator, by date then time of recording."""

    def find_project(self, project_id: str) -> Project:
        """One project."""

    def spending_history(self, project_id: str) -> list[SpendingEntry]:
        """One project's spending entries in date order."""

    # writing
    def record_progress(self, indicator_id: str, *, as_of: str, actual: str,
                        forecast: str | None = None, likelihood: str | None = None,
                        causes: tuple[str, ...] = (), measures: str | None = None,
                        note: str | None = None) -> ProgressEntry:
        """Append a progress entry (owners of the unit and admins)."""

    def record_spending(self, project_id: str, *, as_of: str, spent: float,
                        note: str | None = None) -> SpendingEntry:
        """Append a spending entry (owners of the unit and admins)."""

    def set_reading(self, indicator_id: str, override: ReadingOverride | None) -> Indicator:
        """Settle (or with ``None`` unsettle) the reading of a 指标值 (admin only)."""

    def readings(self, dataset: Dataset | None = None) -> dict[str, ReadingOverride]:
        """Every settled reading, by indicator id."""

    def apply_import(self, plan) -> dict[PartitionKey, str]:
        """Store an import plan (admin only); a summary per changed partition."""

    def bulk_load(self, dataset: Dataset) -> None:
        """Fill an empty store with a whole dataset (admin only)."""

    # history
    def log(self, unit: str | None = None, user: str | None = None,
            since: str | None = None) -> list[AuditEntry]:
        """Every change, oldest first, filtered."""
