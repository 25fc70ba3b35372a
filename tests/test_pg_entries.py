"""The server checks the form of every history entry (schema 6): an owner calling the write
functions without jixiao cannot store an entry jixiao's client would never send — not a real
date, no text where text belongs, a choice outside the official ones, a negative amount."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from jixiao.core.words import CAUSES, LIKELIHOODS
from jixiao.store.pg_errors import translate
from jixiao.store.postgres import PgStore

OWN = "301205"
SQL = Path(__file__).resolve().parent.parent / "store" / "sql" / "v6.sql"


@pytest.fixture
def url(pg_url, small_dataset) -> str:
    """``small_dataset()`` loaded by admin1; ``own`` owns 301205."""
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(small_dataset())
    admin.grant("admin1", "admin")
    admin.grant("own", "owner", [OWN])
    admin.close()
    return pg_url


def _ids(url: str) -> tuple[str, str]:
    ds = PgStore(url, user="own").load()
    project = ds.projects_of(OWN)[0]
    return ds.indicators_of(project.id)[0].id, project.id


GOOD = {"as_of": "2023-07-31", "actual": "5次"}
BAD_PROGRESS = [
    ({"as_of": "not a date"}, "db_entry_date"),
    ({"as_of": "2023-02-30"}, "db_entry_date"),          # no such day (to_date would roll it)
    ({"as_of": "2023-7-31"}, "db_entry_date"),
    ({"as_of": 20230731}, "db_entry_date"),
    ({"actual": ["x"]}, "db_entry_text"),
    ({"actual": "   "}, "db_entry_text"),
    ({"actual": None}, "db_entry_text"),
    ({"note": {"a": 1}}, "db_entry_text"),
    ({"likelihood": "nonsense"}, "db_entry_choice"),
    ({"causes": [["经费保障"]]}, "db_entry_choice"),
    ({"causes": ["经费保障", "天气"]}, "db_entry_choice"),
    ({"causes": "其他x"}, "db_entry_choice"),
    ({"causes": "其他"}, "db_entry_choice"),            # one where a list belongs
    ({"likelihood": ["确定能", "有可能"]}, "db_entry_choice"),   # a list where one belongs
    ({"actual": "\u3000\t\n"}, "db_entry_text"),         # blank, full-width space included
    ({"as_of": "9999-12-31"}, "db_entry_date"),          # outside the budget year and the next
    ({"as_of": "2022-12-31"}, "db_entry_date"),
    ({"id": ""}, "db_entry_text"),
]


@pytest.mark.parametrize("change,key", BAD_PROGRESS)
def test_a_malformed_progress_entry_is_refused_by_the_server(url, change, key):
    iid, _ = _ids(url)
    entry = {"id": "forged1", "indicator_id": iid, **GOOD, **change}
    with psycopg.connect(url, user="own", autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
            conn.execute("SELECT jixiao.record_progress(%s)", (Jsonb(entry),))
        assert err.value.diag.message_detail == f"jixiao:{key}"
        assert conn.execute("SELECT count(*) FROM jixiao.progress").fetchone() == (0,)
        # the same form with good values is taken: only the bad field was refused
        conn.execute("SELECT jixiao.record_progress(%s)", (Jsonb({
            "id": "fine1", "indicator_id": iid, **GOOD, "likelihood": LIKELIHOODS[0],
            "causes": [CAUSES[0]]}),))
        assert conn.execute("SELECT count(*) FROM jixiao.progress").fetchone() == (1,)


@pytest.mark.parametrize("spent", [-1, "5", None, [1], 1e300])
def test_a_malformed_spending_entry_is_refused_by_the_server(url, spent):
    _, pid = _ids(url)
    with psycopg.connect(url, user="own", autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
            conn.execute("SELECT jixiao.record_spending(%s)", (Jsonb(
                {"id": "s1", "project_id": pid, "as_of": "2023-07-31", "spent": spent}),))
        assert err.value.diag.message_detail == "jixiao:db_entry_amount"
        assert conn.execute("SELECT count(*) FROM jixiao.spending").fetchone() == (0,)


def test_the_refusal_reads_in_the_users_language(url):
    iid, _ = _ids(url)
    with psycopg.connect(url, user="own", autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as err:
            conn.execute("SELECT jixiao.record_progress(%s)", (Jsonb(
                {"id": "f", "indicator_id": iid, **GOOD, "as_of": "2023-02-30"}),))
    said = translate(err.value, "own")
    assert said.text("zh") == ("记录的日期 \"2023-02-30\" 不是预算年度或次年内、YYYY-MM-DD "
                               "格式的真实日期；未记录任何内容")
    assert said.text("en") == ("the entry's date \"2023-02-30\" is not a real date written "
                               "YYYY-MM-DD in the budget year or the next; nothing was recorded")


def test_the_servers_choices_are_the_programs():
    """The SQL names the official likelihoods and causes itself: they must stay core's."""
    text = SQL.read_text(encoding="utf-8")

    def array_after(word: str) -> tuple[str, ...]:
        found = re.search(word + r".*?ARRAY\[([^\]]*)\]", text, re.S)
        return tuple(re.findall(r"'([^']*)'", found.group(1)))

    assert array_after("'likelihood'") == LIKELIHOODS
    assert array_after("'causes',") == CAUSES
