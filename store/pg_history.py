"""Progress and spending history in PostgreSQL's columns (schema version 4), read and written a
field at a time.

Reading: the server sends each field of a unit's history as one array (``array_agg`` over the
entries in recording order), which the driver decodes in C straight into a Python list; the
entries are then built column-wise by ``store.columns.Layout.build`` as the file store builds
them from its read cache. No JSON is parsed and no row tuple or dict is made per entry.
Writing a whole dataset (``PgStore.bulk_load``): the entries go into temporary tables through
COPY, a row of plain fields each, for ``jixiao.load_staged`` to move in.
"""

from __future__ import annotations

import json
from itertools import groupby
from operator import attrgetter

from psycopg import sql

from .partition import PROGRESS, SPENDING

TABLES = {"progress": (PROGRESS, "indicator_id"), "spending": (SPENDING, "project_id")}
"""Each history table: how its entries are built, and the field naming what they belong to."""

_AS_TEXT = {"causes": "to_json(causes)::text"}
"""Fields an array cannot aggregate as they are (a list per entry): JSON text, NULL for none."""


def query(table: str, where: str) -> sql.Composed:
    """``(year, unit_code, count, field arrays…)`` per partition of ``table``, by indicator
    (project) then in recording order; ``where`` filters the partitions (``PgStore._read``)."""
    layout = TABLES[table][0]
    fields = [sql.SQL("array_agg({})").format(sql.SQL(_AS_TEXT[name]) if name in _AS_TEXT
                                               else sql.Identifier(name))
              for name in layout.names]
    # Each indicator's (project's) entries next to each other, in recording order: ``grouped``
    # then takes them a run at a time.
    return sql.SQL("SELECT year, unit_code, count(*)::int, {} FROM (SELECT * FROM jixiao.{}"
                   + where + ' ORDER BY year, unit_code, {} COLLATE "C", seq) h '
                   "GROUP BY year, unit_code").format(
        sql.SQL(", ").join(fields), sql.Identifier(table), sql.Identifier(TABLES[table][1]))


def entries(table: str, n: int, arrays, share: dict | None) -> list:
    """The ``n`` entries of one partition from the field ``arrays`` of ``query``."""
    layout = TABLES[table][0]
    columns = {}
    for name, column in zip(layout.names, arrays):
        if name in _AS_TEXT:  # a few distinct lists of causes: each parsed once, one tuple
            parsed = {v: tuple(json.loads(v)) if v else () for v in set(column)}
            column = list(map(parsed.__getitem__, column))
        elif layout.defaults[name] is None and column.count(None) == n:
            column = None  # a field no entry has: the default, without a pass over the list
        columns[name] = column
    return layout.build(n, columns, share)


def grouped(entries: list, owner: str) -> dict[str, list]:
    """``entries`` by their ``owner`` field (``indicator_id``, ``project_id``), each list in
    the order given: a run at a time when each owner's entries are together (``query``)."""
    runs = [(key, list(run)) for key, run in groupby(entries, key=attrgetter(owner))]
    together = dict(runs)
    if len(together) == len(runs):
        return together
    apart: dict[str, list] = {}
    for e in entries:
        apart.setdefault(getattr(e, owner), []).append(e)
    return apart


def one_query(table: str) -> sql.Composed:
    """Every field of the entries of one indicator or project (the parameter: its id), in
    recording order: the detail pane's whole history."""
    layout, owner = TABLES[table]
    fields = [sql.SQL(_AS_TEXT[name]) if name in _AS_TEXT else sql.Identifier(name)
              for name in layout.names]
    return sql.SQL("SELECT {} FROM jixiao.{} WHERE {} = %s ORDER BY seq").format(
        sql.SQL(", ").join(fields), sql.Identifier(table), sql.Identifier(owner))


def from_rows(table: str, rows: list[tuple]) -> list:
    """The entries of ``one_query``'s rows."""
    if not rows:
        return []
    return entries(table, len(rows), [list(c) for c in zip(*rows)], None)


def stage(cur, table: str, rows) -> None:
    """COPY ``rows`` (``(year, unit_code, entry)``) into this session's temporary table
    ``jx_TABLE``, which ``jixiao.load_staged`` reads."""
    layout = TABLES[table][0]
    names = layout.names
    types = {"spent": "float8", "causes": "text[]"}
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(types.get(n, "text"))) for n in names)
    target = sql.Identifier(f"jx_{table}")
    cur.execute(sql.SQL("CREATE TEMP TABLE {} (seq bigserial, year int, unit_code text, {}) "
                        "ON COMMIT DROP").format(target, columns))
    fields = sql.SQL(", ").join(map(sql.Identifier, ("year", "unit_code", *names)))
    with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, fields)) as copy:
        for year, code, entry in rows:
            values = [getattr(entry, n) for n in names]
            if "causes" in names:
                i = names.index("causes")
                values[i] = list(values[i]) or None
            copy.write_row((year, code, *values))
