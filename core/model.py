"""The stored domain objects of jixiao, named after the glossary in DESIGN.md §2.

Everything here is plain data: dataclasses that convert to and from the JSON documents kept by
``store``. Nothing here reads files, draws anything or knows about TinyDB.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, timezone

from .language import say


def stable_id(*parts: object, length: int = 8) -> str:
    """Return a short hex id derived only from ``parts``, so re-imports give the same id."""
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def parse_date(value: str | date) -> date:
    """Read an ISO ``YYYY-MM-DD`` date; raise ``ValueError`` with a readable message otherwise."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        # Only what the message promises: fromisoformat also takes 20230731 and 2023-W30-1.
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def year_default_as_of(year: int) -> str:
    """The monitoring date a budget year starts with: today when today is in it, else the
    year's last day."""
    today = date.today()
    return today.isoformat() if today.year == year else f"{year}-12-31"


def _from_dict(cls, data: dict):
    """Build dataclass ``cls`` from ``data``, ignoring keys it does not know (newer files)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Unit:
    """A budget unit (预算单位), e.g. ``301205`` 天津市人民政府办公厅综合服务中心."""

    code: str
    name: str

    def to_dict(self) -> dict:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Unit":
        """Read the stored form."""
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Budget:
    """预算数 / 其中：财政资金 / 其他资金, in 万元; ``None`` where the table leaves a cell empty."""

    total: float | None = None
    fiscal: float | None = None
    other: float | None = None

    def to_dict(self) -> dict:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "Budget":
        """Read the stored form."""
        return _from_dict(cls, data or {})


@dataclass(frozen=True, slots=True)
class Project:
    """A project (项目) of one unit in one budget year, with its purpose and goals."""

    id: str
    unit_code: str
    year: int
    name: str
    budget: Budget = field(default_factory=Budget)
    purpose: str = ""
    goals: tuple[str, ...] = ()
    order: int = 0

    @staticmethod
    def make_id(unit_code: str, year: int, name: str) -> str:
        """The stable id of the project called ``name`` of ``unit_code`` in ``year``."""
        # 40 bits: a district's ~5k projects a year collide with odds of about 1 in 100,000.
        return "P" + stable_id(unit_code, year, name, length=10)

    def to_dict(self) -> dict:
        """The stored form."""
        d = asdict(self)
        d["goals"] = list(self.goals)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "Project":
        """Read the stored form."""
        p = _from_dict(cls, data)
        return replace(p, budget=Budget.from_dict(data.get("budget")), goals=tuple(data.get("goals") or ()))


@dataclass(frozen=True, slots=True)
class Indicator:
    """One row of a target table: 一级/二级/三级指标, 绩效指标描述 and the verbatim 指标值.

    ``measure`` optionally overrides whether a numeric target is ``cumulative`` or a ``level``;
    ``reading`` is an officer's confirmed or overridden reading of the 指标值, in the stored form
    of ``core.overrides.ReadingOverride`` (``None``: the inferred reading counts).
    """

    id: str
    project_id: str
    order: int
    level1: str
    category: str
    name: str
    description: str
    target_text: str
    measure: str | None = None
    reading: dict | None = None

    def __hash__(self) -> int:
        # Written out because ``reading`` is a dict (its stored form): a settled reading must
        # change the hash, or a view comparing fingerprints would miss another user's change.
        reading = self.reading
        return hash((self.id, self.project_id, self.order, self.level1, self.category,
                     self.name, self.description, self.target_text, self.measure,
                     None if reading is None else repr(sorted(reading.items()))))

    @staticmethod
    def make_id(project_id: str, level1: str, category: str, name: str, occurrence: int = 0) -> str:
        """The stable id of an indicator: same project and same 一级/二级/三级指标 → same id.

        ``occurrence`` tells apart rows that repeat all three names within one project.
        """
        # 48 bits: 100k indicators collide with odds of about 1 in 50,000 (32 bits collided
        # about once per 100k); an import refuses the rare collision rather than merge two rows.
        return stable_id(project_id, level1, category, name, occurrence, length=12)

    def to_dict(self) -> dict:
        """The stored form (``reading`` only when an officer settled one)."""
        d = asdict(self)
        if d["reading"] is None:
            del d["reading"]
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "Indicator":
        """Read the stored form."""
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class ProgressEntry:
    """An append-only progress report on one indicator as of a date.

    ``actual`` and ``forecast`` are kept as the person wrote them (``3个``, ``0.5亿元``,
    ``2023-06-20``, ``60%``, ``达成``); ``core.readings`` interprets them against the target.
    """

    id: str
    indicator_id: str
    as_of: str
    actual: str
    author: str
    recorded_at: str
    forecast: str | None = None
    likelihood: str | None = None
    causes: tuple[str, ...] = ()
    measures: str | None = None
    note: str | None = None

    @property
    def as_of_date(self) -> date:
        """``as_of`` as a date."""
        return date.fromisoformat(self.as_of)

    def to_dict(self) -> dict:
        """The stored form."""
        d = asdict(self)
        d["causes"] = list(self.causes)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "ProgressEntry":
        """Read the stored form."""
        e = _from_dict(cls, data)
        return replace(e, causes=tuple(data.get("causes") or ()))


@dataclass(frozen=True, slots=True)
class SpendingEntry:
    """An append-only report of a project's cumulative spend (预算执行数, 万元) as of a date."""

    id: str
    project_id: str
    as_of: str
    spent: float
    author: str
    recorded_at: str
    note: str | None = None

    def to_dict(self) -> dict:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SpendingEntry":
        """Read the stored form."""
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Thresholds:
    """Every number the status rules use (DESIGN.md §6), with the published defaults."""

    red_below: float = 0.6
    amber_below: float = 0.8
    blue_from: float = 1.2
    blue_final_from: float = 1.3
    level_amber_from: float = 0.95
    burn_amber_above: float = 1.2
    deadline_warning_days: int = 30
    budget_red_below: float = 0.6
    budget_amber_below: float = 0.8

    def problem(self) -> str | None:
        """The first rule these thresholds break, as a sentence naming it; ``None`` when they
        are usable. Inverted bands would make every colour meaningless without any error."""
        values = self.to_dict()
        for name, value in values.items():
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or value != value or value in (float("inf"), float("-inf")) or value < 0):
                return say(f"threshold {name} must be a number ≥ 0, not {value!r}",
                           f"阈值 {name} 必须是不小于 0 的数，而不是 {value!r}")
        if not float(self.deadline_warning_days).is_integer():
            return say(f"threshold deadline_warning_days must be a whole number of days ≥ 0, "
                       f"not {self.deadline_warning_days!r}",
                       f"阈值 deadline_warning_days 必须是不小于 0 的整数天数，而不是 "
                       f"{self.deadline_warning_days!r}")
        chain = ("red_below", "amber_below", 1, "blue_from", "blue_final_from")
        rule = "red_below < amber_below ≤ 1 ≤ blue_from ≤ blue_final_from"
        for left, right in zip(chain, chain[1:]):
            a, b = values.get(left, left), values.get(right, right)
            strict = (left, right) == ("red_below", "amber_below")
            if a > b or (strict and a == b):
                def show(x):
                    return f"{x}={values[x]}" if isinstance(x, str) else str(x)
                return say(f"thresholds must keep {rule}: {show(left)} is not "
                           f"{'<' if strict else '≤'} {show(right)}",
                           f"阈值须满足 {rule}：{show(left)} 不{'小于' if strict else '小于等于'} "
                           f"{show(right)}")
        if not self.budget_red_below < self.budget_amber_below:
            return say(f"thresholds must keep budget_red_below < budget_amber_below: "
                       f"budget_red_below={self.budget_red_below} is not < "
                       f"budget_amber_below={self.budget_amber_below}",
                       f"阈值须满足 budget_red_below < budget_amber_below："
                       f"budget_red_below={self.budget_red_below} 不小于 "
                       f"budget_amber_below={self.budget_amber_below}")
        if not 0 < self.level_amber_from <= 1:
            return say(f"threshold level_amber_from must be in (0, 1] (a share of the target "
                       f"level), not {self.level_amber_from}",
                       f"阈值 level_amber_from 必须在 (0, 1] 之内（目标水平的比例），而不是 "
                       f"{self.level_amber_from}")
        if self.burn_amber_above < 1:
            return say(f"threshold burn_amber_above must be ≥ 1 (a burn rate above plan), not "
                       f"{self.burn_amber_above}",
                       f"阈值 burn_amber_above 必须不小于 1（高于计划的支出速度），而不是 "
                       f"{self.burn_amber_above}")
        return None

    def to_dict(self) -> dict:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "Thresholds":
        """Read the stored form."""
        return _from_dict(cls, data or {})


@dataclass(frozen=True)
class Settings:
    """The budget year, the monitoring date (监控日期) and the status thresholds."""

    year: int
    as_of: str
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def as_of_date(self) -> date:
        """The monitoring date as a date."""
        return date.fromisoformat(self.as_of)

    def to_dict(self) -> dict:
        """The stored form."""
        return {"year": self.year, "as_of": self.as_of, "thresholds": self.thresholds.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        """Read the stored form."""
        return cls(
            year=int(data["year"]),
            as_of=str(data["as_of"]),
            thresholds=Thresholds.from_dict(data.get("thresholds")),
        )


def now_iso() -> str:
    """The current time in UTC to the microsecond (``2023-07-01T01:00:00.123456+00:00``), as
    recorded in ``recorded_at``: several entries often share one second, and one zone keeps
    stamps written on servers in different zones comparable."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def entry_order(entry) -> tuple:
    """Sort key of a progress or spending entry: its ``as_of`` date, then the instant it was
    recorded. The instant is compared as a time, not as text, so older second-precision stamps
    with a local offset (``2023-07-01T09:00:00+08:00``) order correctly among UTC ones."""
    return (entry.as_of, _instant(entry.recorded_at), entry.recorded_at)


_NEVER = datetime.max.replace(tzinfo=timezone.utc)


def _instant(stamp: str) -> datetime:
    # A stamp without an offset was written in local time; one that is no time at all sorts
    # last (then by its text), rather than stopping a whole history from loading.
    try:
        return datetime.fromisoformat(stamp).astimezone(timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return _NEVER
