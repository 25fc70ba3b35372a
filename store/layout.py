"""Where each piece of data lives inside a data directory (the partitioning of DESIGN.md §11).

::

    DATA/settings.json            year, monitoring date, thresholds, and their audit
    DATA/grants.json              who may do what, and its audit
    DATA/index.json               year, code and name of every unit file: a start-up hint that
                                  lists the units before their files are read (``store.index``)
    DATA/units/2023/301205.json   one unit in one budget year: the unit, its projects and
                                  indicators, their progress and spending, its import audit

A write touches one small file, so owners of different units never wait for each other and the
cost of a write does not grow with the size of the whole directory. Beside every file ``F`` sit
``F.lock`` (the inter-process lock), ``F.bak`` (the previous generation) and, briefly,
``F.RANDOM.tmp`` (``store.confined``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_SAFE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,63}")
AUX_SUFFIXES = (".lock", ".bak", ".tmp")
"""Suffixes of the helper files that sit beside each data file."""


@dataclass(frozen=True, order=True)
class PartitionKey:
    """One unit in one budget year: the unit of writing and of refreshing."""

    year: int
    unit_code: str


def first_keys(listing) -> list[PartitionKey] | None:
    """The partitions a start-up loads first, from the keys of every partition (``listing``):
    those of the unit with the lowest code, in the listing's order; ``None`` when there are
    fewer than two units (loading everything then costs no more)."""
    codes = {key.unit_code for key in listing}
    if len(codes) < 2:
        return None
    first = min(codes)
    return [key for key in listing if key.unit_code == first]


def file_stem(unit_code: str) -> str:
    """A file name for ``unit_code``: the code itself when it is a plain name, else a hash
    (codes come from imported tables and must not be able to name a path)."""
    if _SAFE.fullmatch(unit_code) and not unit_code.endswith(".json"):
        return unit_code
    return "u-" + hashlib.sha1(unit_code.encode("utf-8")).hexdigest()[:16]


class Layout:
    """The paths of one data directory."""

    def __init__(self, root: Path):
        """Describe the directory ``root`` (nothing is created)."""
        self.root = Path(root)

    @property
    def settings(self) -> Path:
        """The settings file."""
        return self.root / "settings.json"

    @property
    def grants(self) -> Path:
        """The grants file."""
        return self.root / "grants.json"

    @property
    def index(self) -> Path:
        """The unit index (``store.index``): which unit each partition file holds."""
        return self.root / "index.json"

    @property
    def units_dir(self) -> Path:
        """The directory holding one sub-directory of partitions per budget year."""
        return self.root / "units"

    def partition(self, key: PartitionKey) -> Path:
        """The file of one unit in one year."""
        return self.units_dir / str(key.year) / (file_stem(key.unit_code) + ".json")

    @staticmethod
    def lock_of(path: Path) -> Path:
        """The lock file guarding ``path``."""
        return path.with_name(path.name + ".lock")

    def holds_data(self, *, tables: bool = False) -> bool:
        """Whether the directory holds jixiao data: settings, grants or a unit file (with
        ``tables``: at least one unit file, i.e. an imported target table)."""
        if not tables and (self.settings.is_file() or self.grants.is_file()):
            return True
        if not self.units_dir.is_dir():
            return False
        return any(y.is_dir() and y.name.isdigit() and any(p.is_file() for p in y.glob("*.json"))
                   for y in self.units_dir.iterdir())

    def partition_files(self) -> list[Path]:
        """Every partition file present, in a stable order."""
        if not self.units_dir.is_dir():
            return []
        found = []
        for year_dir in sorted(self.units_dir.iterdir()):
            if year_dir.is_dir() and year_dir.name.isdigit():
                found.extend(sorted(p for p in year_dir.glob("*.json") if p.is_file()))
        return found
