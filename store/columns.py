"""Building many stored objects at once, a column (one field of every record) at a time.

Start-up turns hundreds of thousands of records into slotted model objects (``core.model``).
Calling each class's ``__init__`` costs a Python call per object; here every step is a C-level
pass over one column instead: the field's values are gathered from the records (or come whole
from the read cache), repeated strings are replaced by one shared object, and the values are
set through the field's slot descriptor. Frozen classes stay frozen for everyone else: the slot
descriptor is the one writer, used only on objects nobody has seen yet.
"""

from __future__ import annotations

from array import array
from collections import deque
from dataclasses import MISSING, fields
from itertools import repeat
from operator import attrgetter, itemgetter

_ABSENT = object()
_CODE = "I"  # array type of the codes of a dictionary-encoded column
_drain = deque(maxlen=0).extend  # runs an iterator to its end in C, keeping nothing


class Layout:
    """How to build ``cls`` from columns: its fields in order, which must be given, each
    field's default, which hold tuples and which are worth sharing between records."""

    __slots__ = ("cls", "names", "required", "defaults", "tuples", "shared", "across",
                 "setters")

    def __init__(self, cls, *, tuples: tuple[str, ...] = (), shared: tuple[str, ...] = (),
                 across: tuple[str, ...] = ()):
        """Describe ``cls``; ``tuples`` name fields stored as lists and kept as tuples,
        ``shared`` name the fields whose values repeat (dates, authors, owner ids), and
        ``across`` those of them that repeat from one file to the next, not only within one
        (the read cache keeps the sharing within a file; sharing costs a hash per value)."""
        self.cls = cls
        fs = fields(cls)
        self.names = tuple(f.name for f in fs)
        self.required = frozenset(f.name for f in fs if f.default is MISSING
                                  and f.default_factory is MISSING)
        self.defaults = {f.name: (f.default if f.default is not MISSING else
                                  f.default_factory() if f.default_factory is not MISSING
                                  else _ABSENT) for f in fs}
        self.tuples = frozenset(tuples)
        self.shared = frozenset(shared)
        self.across = frozenset(across)
        self.setters = {name: getattr(cls, name).__set__ for name in self.names}

    def columns(self, docs: list[dict]) -> dict[str, list]:
        """The columns of ``docs`` (stored records), a field a record leaves out filled in
        with its default.

        Raises ``KeyError`` naming a required field a record lacks, ``TypeError`` for a record
        that is not an object or a value of the wrong shape."""
        out: dict[str, list | None] = {}
        n = len(docs)
        for name in self.names:
            default = self.defaults[name]
            if name in self.required:
                column = list(map(itemgetter(name), docs))  # KeyError names the field
            elif default is None:
                column = list(map(dict.get, docs, repeat(name, n)))
            else:
                column = list(map(dict.get, docs, repeat(name, n), repeat(_ABSENT, n)))
                if _ABSENT in column:
                    column = [default if v is _ABSENT else v for v in column]
            if name in self.tuples:  # null or a list in the file: a tuple in memory
                column = [tuple(v) if v else () for v in column]
            out[name] = column
        return out

    def build(self, n: int, columns: dict[str, list | None], share: dict | None = None, *,
              cached: bool = False) -> list:
        """``n`` new objects whose fields are ``columns`` (``None``: every one the default);
        with ``share``, repeated values of the shared fields (with ``cached``, of the fields
        shared ``across`` files) become one object."""
        shared = self.across if cached else self.shared
        new = object.__new__
        objs = list(map(new, repeat(self.cls, n)))
        for name in self.names:
            column = columns.get(name)
            if column is None:
                default = self.defaults[name]
                if default is _ABSENT:
                    raise KeyError(name)
                column = repeat(default, n)
            elif column.__class__ is tuple:  # (distinct values, codes): see ``to_columns``
                distinct, codes = column
                if share is not None:
                    distinct = list(map(share.setdefault, distinct, distinct))
                column = list(map(distinct.__getitem__, array(_CODE, codes)))
            elif share is not None and name in shared:
                # TypeError for an unhashable value: a damaged record
                column = list(map(share.setdefault, column, column))
            if column.__class__ is list and len(column) != n:
                raise ValueError(f"{name}: {len(column)} values for {n} records")
            _drain(map(self.setters[name], objs, column))
        return objs

    def from_docs(self, docs: list[dict], share: dict | None = None) -> list:
        """Objects from stored records (see ``columns``)."""
        if not docs:
            return []
        return self.build(len(docs), self.columns(docs), share)

    def to_columns(self, objs: list) -> dict[str, list | tuple | None]:
        """The columns of ``objs`` for the read cache: ``None`` where every value is the
        default (most optional fields of most records), and for the fields shared ``across``
        files ``(distinct values, their codes)``, so that loading shares each distinct value
        once instead of hashing every one."""
        out: dict[str, list | tuple | None] = {}
        for name in self.names:
            column = list(map(attrgetter(name), objs))
            default = self.defaults[name]
            if default is not _ABSENT and column.count(default) == len(column):
                out[name] = None
            elif name in self.across:
                distinct = list(dict.fromkeys(column))
                code = dict(zip(distinct, range(len(distinct)))).__getitem__
                out[name] = (distinct, array(_CODE, map(code, column)).tobytes())
            else:
                out[name] = column
        return out
