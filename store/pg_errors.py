"""The PostgreSQL server's errors as jixiao's own messages, in the user's language.

A refusal raised inside the database (``store/sql/v3.sql``: ``jixiao.refuse``) names itself:
DETAIL ``jixiao:KEY``, a key of ``core.faults``, and HINT its fields as JSON. The client says it
through the same table as the file store, so both stores refuse in the same words, Chinese or
English, with the same exit status: 3 for "not permitted" (SQLSTATE 42501), 2 for the rest.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterator

import psycopg

from jixiao.core.errors import JixiaoError, PermissionDenied
from jixiao.core.faults import FAULTS, said
from jixiao.core.language import Said

from . import grants as rules

PRIVILEGE = "42501"
"""insufficient_privilege: the server's refusals (exit 3)."""

_PREFIX = "jixiao:"


@contextmanager
def server_errors(user: str = "") -> Iterator[None]:
    """Turn the server's errors into ``JixiaoError`` (exit 2) and refusals into
    ``PermissionDenied`` (exit 3), in the user's language where the server named them."""
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc, user) from None


def translate(exc: psycopg.Error, user: str = "") -> JixiaoError:
    """The ``JixiaoError`` a person is shown for the server error ``exc``."""
    diag = exc.diag
    message = (diag.message_primary if diag else None) or str(exc).strip()
    kind = PermissionDenied if exc.sqlstate == PRIVILEGE else JixiaoError
    detail = (diag.message_detail if diag else None) or ""
    if detail.startswith(_PREFIX):
        words = _named(detail[len(_PREFIX):], diag.message_hint)
        if words is not None:
            return kind(words)
    if exc.sqlstate == PRIVILEGE and message.startswith("permission denied for"):
        # Not a rule of ours but the database's own privileges: a role without a grant.
        return translate_denied(user or "this role", message)
    return kind(said("db_server", message=message))


def _named(key: str, hint: str | None) -> Said | None:
    """The message ``key`` with the fields of ``hint``; ``None`` for a key this jixiao does not
    know (a newer schema's) or fields that do not fit, so the server's own text is shown."""
    if key not in FAULTS:
        return None
    try:
        fields = json.loads(hint or "{}")
        if {"user", "role", "doing"} <= fields.keys():  # the grants' refusals
            return rules.refusal(key, fields.pop("user"), fields.pop("doing"),
                                 fields.pop("role"), fields.pop("units", ()), **fields).said
        return said(key, **{"db": Said("", "数据库"), **fields})
    except (ValueError, KeyError, AttributeError, IndexError):
        return None


def translate_denied(user: str, detail: str = "") -> PermissionDenied:
    """The refusal for a role the jixiao schema has not been granted to (``detail``: the
    server's own words, when it said something)."""
    return PermissionDenied(said("db_not_granted", user=user,
                                 detail=f" ({detail})" if detail else ""))
