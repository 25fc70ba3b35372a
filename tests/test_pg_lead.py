"""The lead stage of a start-up on PostgreSQL (``jixiao.alerts``, schema 7): the server names the
units holding the store's worst alerts, the screen reads just their summaries and shows the head
of the triage list — the very rows the complete list starts with — long before every summary is
read; the list then grows to all of it with the cursor kept."""

from __future__ import annotations

import copy as copy_module
import re
import threading
from pathlib import Path

import psycopg
import pytest

from jixiao.bench.generate import generate
from jixiao.core.colours import ALERTS, COLOURS, SEVERITY
from jixiao.core.evaluator import evaluate
from jixiao.store import summaries
from jixiao.store.postgres import PgStore
from jixiao.tui.app import JixiaoApp
from jixiao.tui.view import Browser

ROWS = 25


@pytest.fixture(scope="module")
def dataset():
    """Ten units of about 200 indicators, ~40 % of them red or amber (ties of ratio included:
    every indicator without progress)."""
    return generate(2000, seed=5)


@pytest.fixture
def url(pg_url, dataset) -> str:
    """``dataset`` loaded by admin1 (every summary stored with it), a manager ``mgr`` and
    ``own``, owner of the first unit."""
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(dataset)
    admin.grant("admin1", "admin")
    admin.grant("mgr", "manager")
    admin.grant("own", "owner", [min(dataset.units)])
    admin.close()
    return pg_url


def _triage(url: str) -> list[str]:
    """The complete triage list, as a screen that has read everything shows it."""
    full = PgStore(url, user="mgr").load()
    return Browser(full, evaluate(full)).triage()


def test_the_server_names_few_units_and_every_unit_that_holds_one_of_the_worst(url):
    store = PgStore(url, user="mgr")
    full = store.load()
    head = Browser(full, evaluate(full)).triage()[:ROWS]
    holding = {full.projects[full.indicators[i].project_id].unit_code for i in head}
    found, stale = store.lead(ROWS)
    assert stale == []
    assert {key.unit_code for key in found} == holding
    assert len(holding) < len(full.units)           # not everything: that is the point


def test_a_unit_whose_summary_is_stale_is_named_to_be_read_whole(url):
    admin = PgStore(url, user="admin1")
    full = admin.load()
    calm = max(full.units)        # a unit the worst rows need not come from
    iid = full.indicators_of(full.projects_of(calm)[0].id)[0].id
    admin.record_progress(iid, as_of="2023-07-31", actual="1", causes=("其他",), measures="加快")
    found, stale = PgStore(url, user="mgr").lead(ROWS)
    assert [key.unit_code for key in stale] == [calm]
    assert calm not in {key.unit_code for key in found}
    # a unit already read whole is not named again
    assert PgStore(url, user="mgr").lead(ROWS, skip={calm})[1] == []


@pytest.fixture
def two_years(pg_url, dataset, second_year) -> tuple[str, str]:
    """The data set with a unit that also has a 2022 partition, whose 2023 partition has been
    written since its summary (stale) while the 2022 one is current: ``(url, code)``."""
    code = sorted(dataset.units)[1]
    admin = PgStore(pg_url, user="admin1")
    admin.bulk_load(second_year(copy_module.deepcopy(dataset), code))
    admin.grant("admin1", "admin")
    admin.grant("mgr", "manager")
    full = admin.load()
    iid = next(i.id for p in full.projects_of(code) if p.year == 2023
               for i in full.indicators_of(p.id))
    admin.record_progress(iid, as_of="2023-07-31", actual="1", causes=("其他",), measures="加快")
    admin.close()
    return pg_url, code


def test_a_unit_with_one_stale_partition_is_read_whole_in_every_year(two_years):
    url, code = two_years
    found, stale = PgStore(url, user="mgr").lead(ROWS)
    assert [(k.year, k.unit_code) for k in stale] == [(2022, code), (2023, code)]
    assert code not in {k.unit_code for k in found}


@pytest.mark.asyncio
async def test_a_two_year_unit_half_stale_shows_every_stage_right(two_years, until,
                                                                 indicators_pane, monkeypatch):
    url, code = two_years
    monkeypatch.setattr(summaries, "LEAD_ROWS", ROWS)
    complete = _triage(url)
    held = _Held(url, user="mgr")
    held.go_lead.set()
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.monitor.browser is not None and app.monitor.browser.lead)
        await pilot.press("r")
        await pilot.pause()
        assert indicators_pane(app).rows == complete[:ROWS]
        assert code not in app.monitor.browser.summarized   # its two years read whole
        held.go_all.set()
        await until(pilot, lambda: app.monitor.browser.complete)
        await pilot.pause()
        assert indicators_pane(app).rows == complete


def test_too_many_stale_summaries_mean_no_lead_stage(url, monkeypatch):
    monkeypatch.setattr(summaries, "program_tag", lambda: "another program")
    assert PgStore(url, user="mgr").lead(ROWS, most=9) is None
    found, stale = PgStore(url, user="mgr").lead(ROWS, most=10)
    assert found == {} and len(stale) == 10


def test_a_summary_whose_alerts_the_server_cannot_read_counts_as_stale(url, dataset):
    """An owner may send any summary of its own unit; one that is not the revision it is sent
    for, or holds a ratio that is no number, gets no alerts and is read whole by a screen."""
    own = min(dataset.units)
    with psycopg.connect(url, user="own") as conn:
        year, rev, doc = conn.execute(
            "SELECT year, rev, doc FROM jixiao.summaries WHERE unit_code = %s", (own,)).fetchone()
        for forged in (doc.replace(f'"source":[{rev}]', f'"source":[{rev + 1}]'),
                       doc.replace('"ratio":[', '"ratio":["x",', 1)):
            assert forged != doc
            assert conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)",
                                ([year], [own], [rev], [forged])).fetchone() == (1,)
            conn.commit()
            assert conn.execute("SELECT count(*) FROM jixiao.alerts WHERE unit_code = %s",
                                (own,)).fetchone() == (0,)
            assert [k.unit_code for k in PgStore(url, user="mgr").lead(ROWS)[1]] == [own]
        # one the server ranks but a screen refuses (its projects do not add up): no head
        odd = re.sub(r'"projects":\{"n":(\d+)',
                     lambda m: f'"projects":{{"n":{int(m.group(1)) + 5}', doc, count=1)
        assert odd != doc
        conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)", ([year], [own], [rev], [odd]))
        conn.commit()
        assert PgStore(url, user="mgr").lead(2000) is None
        # a colour jixiao does not know: the server does not rank it either
        purple = re.sub(r'"colour":\["\w+"', '"colour":["purple"', doc, count=1)
        assert purple != doc
        conn.execute("SELECT jixiao.save_summaries(%s, %s, %s, %s)", ([year], [own], [rev], [purple]))
        conn.commit()
        assert [k.unit_code for k in PgStore(url, user="mgr").lead(ROWS)[1]] == [own]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO jixiao.alerts VALUES (%s, %s, 0, 0, -1)", (year, own))


def test_the_server_ranks_colours_as_core_does():
    """v7.sql copies red as 0 and amber as 1 and nothing else: core's alert colours and their
    ranks, which ``Browser.triage`` sorts by."""
    text = (Path(__file__).resolve().parent.parent / "store" / "sql" / "v7.sql").read_text()
    assert ALERTS == ("red", "amber") and [SEVERITY[c] for c in ALERTS] == [0, 1]
    assert "CASE x.colour WHEN 'red' THEN 0 ELSE 1 END" in text
    assert "WHERE x.colour IN ('red', 'amber')" in text
    known = ", ".join(f"""'"{c}"'""" for c in COLOURS)
    assert f"NOT IN ({known})" in text


class _Held(PgStore):
    """A store whose lead (``go_lead``) and whose reading of every summary (``go_all``) wait
    until the test lets them go."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.go_lead, self.go_all = threading.Event(), threading.Event()

    def lead(self, *args, **kwargs):
        self.go_lead.wait(30)
        return super().lead(*args, **kwargs)

    def summaries(self, **kwargs):
        self.go_all.wait(30)
        return super().summaries(**kwargs)


@pytest.mark.asyncio
async def test_triage_pressed_at_the_first_screen_shows_the_worst_rows_then_grows_to_all(
        url, until, indicators_pane, monkeypatch, first_shown):
    monkeypatch.setattr(summaries, "LEAD_ROWS", ROWS)
    complete = _triage(url)
    held = _Held(url, user="mgr")
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await first_shown(pilot)
        await pilot.press("r")                      # before the lead: it says it is loading
        await pilot.pause()
        pane = indicators_pane(app)
        assert app.monitor.mode == "triage" and pane.rows == []
        assert "最差的" not in str(pane.border_title)  # no head known yet: no "0 worst"
        held.go_lead.set()
        await until(pilot, lambda: pane.rows != [])
        assert pane.rows == complete[:ROWS]         # the very rows the whole list starts with
        assert not app.monitor.browser.complete
        assert f"最差的 {ROWS} 个红/黄指标" in str(pane.border_title)
        for _ in range(3):
            await pilot.press("down")
        chosen = pane.current
        held.go_all.set()
        await until(pilot, lambda: app.monitor.browser.complete)
        await pilot.pause()
        assert pane.rows == complete and pane.current == chosen
        assert str(pane.border_title).endswith(f"· {len(complete)}")


@pytest.mark.asyncio
async def test_enter_on_a_lead_row_shows_that_indicator_in_its_unit(url, until, indicators_pane,
                                                                    monkeypatch):
    monkeypatch.setattr(summaries, "LEAD_ROWS", ROWS)
    held = _Held(url, user="mgr")
    held.go_lead.set()
    app = JixiaoApp(held)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.monitor.browser is not None
                    and app.monitor.browser.lead)
        await pilot.press("r")
        await pilot.pause()
        pane = indicators_pane(app)
        target = pane.rows[-1]
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.monitor.mode == "browse" and app.monitor.indicator_id == target
        ds = app.monitor.dataset
        assert app.monitor.unit_code == ds.projects[ds.indicators[target].project_id].unit_code
        # The unit the cursor rests on is read whole (0.3 s later): the head is still known.
        await until(pilot, lambda: app.monitor.unit_code not in app.monitor.browser.summarized)
        await pilot.press("r")
        await pilot.pause()
        assert app.monitor.mode == "triage" and pane.rows[-1] == target
        held.go_all.set()
