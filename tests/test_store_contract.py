"""One contract, two backends (issue 13): the file store and PostgreSQL answer the same calls
with the same data, the same refusals and the same messages.

Each test gets ``backend``: a store filled with ``make_dataset()`` whose admin is ``admin1``,
with ``open(user)`` for a store acting as someone else (the file store's identity seam; on
PostgreSQL a login role the test cluster lets this process be — the server still decides).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.core.errors import JixiaoError, PermissionDenied
from jixiao.core.importing import ImportPlan, plan_import
from jixiao.core.model import Unit
from jixiao.core.tables import read_tables
from jixiao.store.repository import Store

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "tianjin_2023_targets.txt"
OWN, OTHER = "301205", "301101"
WRITES = ("progress", "spending", "import", "settings", "grant", "revoke", "bulk_load")
ALLOWED = {"admin1": {(w, u) for w in WRITES for u in (OWN, OTHER)},
           "own": {("progress", OWN), ("spending", OWN)}, "mgr": set(), "stranger": set()}
"""Who may make which write for which unit (issue 7), whatever the backend."""


def _writes(ds, unit, make_dataset):
    project = ds.projects_of(unit)[0]
    iid = ds.indicators_of(project.id)[0].id
    plan = ImportPlan(year=2023, year_source="test", units=[Unit(unit, "改名")],
                      projects=[replace(project, purpose="new")],
                      indicators=ds.indicators_of(project.id))
    return {
        "progress": lambda s: s.record_progress(iid, as_of="2023-07-31", actual="6个"),
        "spending": lambda s: s.record_spending(project.id, as_of="2023-07-31", spent=1),
        "import": lambda s: s.apply_import(plan),
        "settings": lambda s: s.save_settings(replace(s.settings(), as_of="2023-08-31")),
        "grant": lambda s: s.grant("newbie", "owner", [unit]),
        "revoke": lambda s: s.revoke("own", [OWN]),
        "bulk_load": lambda s: s.bulk_load(make_dataset(units=("999999",))),
    }


class Backend:
    """A filled store of one kind, and a way to open it as another user."""

    def __init__(self, kind: str, opener):
        self.kind = kind
        self.open = opener

    def __repr__(self) -> str:
        return self.kind


@pytest.fixture(params=["file", "postgres"])
def empty_backend(request, tmp_path):
    """An empty store of each kind whose admin is ``admin1``."""
    if request.param == "file":
        path = tmp_path / "d"
        return Backend("file", lambda user="admin1": Store(path, user=user))
    from jixiao.store.postgres import PgStore

    url = request.getfixturevalue("pg_url")
    return Backend("postgres", lambda user="admin1": PgStore(url, user=user))


@pytest.fixture
def backend(empty_backend, make_dataset):
    """``empty_backend`` holding ``make_dataset()``, with grants for admin1 (admin), mgr
    (manager) and own (owner of 301205)."""
    admin = empty_backend.open()
    admin.bulk_load(make_dataset())
    if not admin.grants():
        admin.grant("admin1", "admin")
    admin.grant("mgr", "manager")
    admin.grant("own", "owner", [OWN])
    return empty_backend


def test_a_bulk_load_reads_back_as_it_went_in(backend, make_dataset):
    ds, expected = backend.open().load(), make_dataset()
    assert ds.units == expected.units and ds.projects == expected.projects
    assert ds.indicators == expected.indicators and ds.settings == expected.settings


def test_progress_is_appended_with_the_acting_user_and_seen_by_a_refresh(backend, first_indicator):
    reader = backend.open("mgr")
    ds = reader.load()
    iid = first_indicator(ds, OWN)
    entry = backend.open("own").record_progress(iid, as_of="2023-07-31", actual="12个",
                                                note="<b>[red]x")
    assert entry.author == "own" and entry.recorded_at.endswith("+00:00")
    assert reader.refresh(ds) is True
    assert ds.progress[iid] == [entry]
    assert reader.refresh(ds) is False
    assert backend.open().load().progress[iid][0].note == "<b>[red]x"


def test_spending_history_is_in_date_order(backend):
    store = backend.open("own")
    pid = store.load().projects_of(OWN)[0].id
    store.record_spending(pid, as_of="2023-06-30", spent=40)
    store.record_spending(pid, as_of="2023-03-31", spent=10)
    assert [e.spent for e in store.spending_history(pid)] == [10, 40]


def test_a_screen_loads_what_counts_from_its_date_and_reads_one_history_whole(backend,
                                                                            first_indicator):
    store = backend.open("own")
    iid = first_indicator(store.load(), OWN)
    for as_of, actual in (("2023-03-31", "12个"), ("2023-06-30", "13个"), ("2023-08-31", "14个")):
        store.record_progress(iid, as_of=as_of, actual=actual)
    reader = backend.open("mgr")
    seen = []
    ds = reader.load(since="2023-07-31", progress=lambda done, total: seen.append((done, total)))
    assert ds.history_from == "2023-07-31"
    assert [e.actual for e in ds.progress[iid]] == ["13个", "14个"]
    assert seen[-1][0] == seen[-1][1] == len(reader.partition_keys())
    assert [e.actual for e in reader.progress_history(iid)] == ["12个", "13个", "14个"]


def test_a_value_that_does_not_fit_is_refused_and_nothing_is_written(backend, first_indicator):
    store = backend.open()
    ds = store.load()
    with pytest.raises(JixiaoError) as err:
        store.record_progress(first_indicator(ds, OWN), as_of="2023-07-31", actual="很多")
    assert err.value.exit_code == 2
    assert store.load().progress == {}


def test_unknown_ids_are_a_clear_error(backend):
    store = backend.open()
    with pytest.raises(JixiaoError, match="no indicator with id 'nope'"):
        store.record_progress("nope", as_of="2023-07-31", actual="1个")
    with pytest.raises(JixiaoError, match="no project with id 'nope'"):
        store.record_spending("nope", as_of="2023-07-31", spent=1)


@pytest.mark.parametrize("user", list(ALLOWED))
@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("unit", [OWN, OTHER])
def test_every_role_against_every_write(backend, make_dataset, user, write, unit):
    ds = backend.open().load()
    action = _writes(ds, unit, make_dataset)[write]
    if (write, unit) in ALLOWED[user]:
        action(backend.open(user))
        return
    before = backend.open().load()
    with pytest.raises(PermissionDenied) as err:
        action(backend.open(user))  # on PostgreSQL a stranger is refused at the door already
    assert err.value.exit_code == 3 and user in err.value.message
    after = backend.open().load()
    assert (after.progress, after.spending, after.projects, after.settings) == \
           (before.progress, before.spending, before.projects, before.settings)


def test_refusal_messages_are_the_file_stores(backend, first_indicator):
    ds = backend.open().load()
    with pytest.raises(PermissionDenied) as err:
        backend.open("own").record_progress(first_indicator(ds, OTHER), as_of="2023-07-31",
                                            actual="12个")
    assert err.value.message == (
        "own may not record progress for unit 301101: that needs the owner role for unit 301101 "
        "(or admin); own is owner of unit(s) 301205. Ask an admin: jixiao grant own --role "
        "owner --unit 301101")
    with pytest.raises(PermissionDenied) as err:
        backend.open("own").grant("own", "admin")
    assert err.value.message == ("own may not change grants: that needs the admin role; own is "
                                 "owner of unit(s) 301205.")


def test_grants_and_their_limits(backend):
    admin = backend.open()
    admin.grant("own", "owner", [OTHER])
    assert [(g.user, g.role, g.units) for g in admin.grants()] == [
        ("admin1", "admin", ()), ("mgr", "manager", ()), ("own", "owner", (OWN, OTHER))]
    admin.revoke("own", [OWN])
    assert backend.open("own").can_edit_unit(OTHER) and not backend.open("own").can_edit_unit(OWN)
    with pytest.raises(JixiaoError, match="admin1 is the last admin"):
        admin.revoke("admin1")
    with pytest.raises(JixiaoError, match="this would leave no admin"):
        admin.grant("admin1", "manager")
    with pytest.raises(JixiaoError, match="not in this"):
        admin.grant("own", "owner", ["999999"])
    assert backend.open("mgr").role() == "manager" and backend.open("mgr").can_report()


def test_every_change_is_in_the_log_with_who_and_what(backend, first_indicator):
    admin = backend.open()
    ds = admin.load()
    backend.open("own").record_progress(first_indicator(ds, OWN), as_of="2023-07-31",
                                        actual="12个")
    admin.save_settings(replace(admin.settings(), as_of="2023-08-31"))
    log = admin.log()
    actions = [(e.user, e.action) for e in log]
    assert ("own", "progress") in actions and ("admin1", "settings") in actions
    assert ("admin1", "grant") in actions and ("admin1", "import") in actions
    assert [e.action for e in admin.log(user="own")] == ["progress"]
    assert all(OWN in e.units for e in admin.log(unit=OWN))
    settings = [e for e in log if e.action == "settings"][-1]
    assert settings.what == "as_of 2023-07-31 → 2023-08-31"


def test_a_settings_change_reaches_a_refresh(backend):
    reader = backend.open("mgr")
    ds = reader.load()
    admin = backend.open()
    admin.save_settings(replace(admin.settings(), as_of="2023-09-30"))
    assert reader.refresh(ds) and ds.settings.as_of == "2023-09-30"


def test_a_subset_first_then_everything_on_refresh(backend):
    store = backend.open("mgr")
    keys = store.partition_keys()
    assert [k.unit_code for k in keys] == ["301101", "301205", "301206"]
    assert store.unit_listing()[keys[0]].name == "单位301101"
    ds = store.load(keys[:1])
    assert set(ds.units) == {"301101"}
    assert store.refresh(ds) and set(ds.units) == {"301101", "301205", "301206"}


def test_import_then_the_same_import_changes_nothing(empty_backend):
    store = empty_backend.open()
    plan = plan_import(read_tables(SEED), store.load())
    written = store.apply_import(plan)
    assert written and all(s.startswith("import ") for s in written.values())
    assert store.apply_import(plan_import(read_tables(SEED), store.load())) == {}
    assert store.has_settings() and store.settings().year == 2023


def test_a_revised_import_keeps_the_progress_of_matching_indicators(empty_backend, first_indicator):
    store = empty_backend.open()
    store.apply_import(plan_import(read_tables(SEED), store.load()))
    ds = store.load()
    iid = first_indicator(ds, OWN)
    indicator = ds.indicators[iid]
    store.record_progress(iid, as_of="2023-07-31", actual=indicator.target_text.lstrip("≥≤<>="))
    project = ds.projects[indicator.project_id]
    kept = [i for i in ds.indicators_of(project.id) if i.id != iid]
    plan = plan_import(read_tables(SEED), ds)
    plan = replace(plan, indicators=[i for i in plan.indicators if i.id != kept[0].id],
                   removed_indicator_ids=[kept[0].id])
    written = store.apply_import(plan)
    assert any("1 removed" in s for s in written.values())
    after = store.load()
    assert kept[0].id not in after.indicators and after.progress[iid]


def test_a_reading_is_settled_by_an_admin_only_and_logged(backend, first_indicator):
    from jixiao.core.overrides import make_override

    admin = backend.open()
    ds = admin.load()
    iid = first_indicator(ds, OWN)
    text = ds.indicators[iid].target_text
    override = make_override(text, op="≤", value="9", unit="个")
    with pytest.raises(PermissionDenied) as err:
        backend.open("own").set_reading(iid, override)
    assert err.value.message == ("own may not change the reading of a target: that needs the "
                                 "admin role; own is owner of unit(s) 301205.")
    stored = admin.set_reading(iid, override)
    assert stored.reading["author"] == "admin1" and stored.reading["op"] == override.op
    assert backend.open("mgr").readings()[iid].value == 9
    assert admin.set_reading(iid, None).reading is None
    assert iid not in admin.readings()
    logged = [e for e in admin.log() if e.action == "reading"]
    assert [e.what.split(": ")[-1] for e in logged] == [override.describe(),
                                                       "back to the inferred reading"]
    assert all(e.user == "admin1" and e.units == (OWN,) for e in logged)



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_completion_date_after_the_entry_s_own_date_is_refused(empty_backend, make_dataset, lang):
    # The record form's rule kept by the store itself, so the CLI and scripts cannot break it.
    from jixiao.core.model import Indicator
    from jixiao.core.readings import check_entry_actual
    from jixiao.core.rules import target_of

    ds = make_dataset()
    project = ds.projects_of(OWN)[0]
    done = Indicator(Indicator.make_id(project.id, "产出指标", "时效指标", "完成时间"), project.id,
                     9, "产出指标", "时效指标", "完成时间", "", "2023年6月底前")
    ds.add_indicator(done)
    store = empty_backend.open()
    store.bulk_load(ds)
    with pytest.raises(JixiaoError) as err:
        store.record_progress(done.id, as_of="2023-06-20", actual="2023-06-25")
    assert err.value.exit_code == 2
    said = err.value.text(lang)
    assert said == check_entry_actual("2023-06-25", target_of(done, 2023), "2023-06-20", lang=lang)
    assert ("2023-06-25" in said and "2023-06-20" in said
            and ("after" in said if lang == "en" else "晚于" in said))
    assert store.load().progress == {}
    # The day itself, or any day before it, is a completion already reported.
    store.record_progress(done.id, as_of="2023-06-25", actual="2023-06-25")
    assert [e.actual for e in store.load().progress[done.id]] == ["2023-06-25"]


def test_a_load_takes_the_equal_objects_of_the_version_on_screen_and_only_those(
        backend, first_indicator):
    """``load(reuse=…)``: a screen showing one version while the next loads keeps one copy of
    what did not change — and never an object that did."""
    from jixiao.core.overrides import make_override

    admin = backend.open()
    shown = admin.load()
    iid = first_indicator(shown, OWN)
    admin.set_reading(iid, make_override(shown.indicators[iid].target_text, op="≤", value="9",
                                         unit="个"))
    new = admin.load(reuse=shown)
    assert new.indicators[iid] is not shown.indicators[iid]
    assert new.indicators[iid].reading["value"] == 9
    others = [i for i in new.indicators if i != iid]
    assert others and all(new.indicators[i] is shown.indicators[i] for i in others)
    assert all(new.projects[p] is shown.projects[p] for p in new.projects)
    assert all(new.units[c] is shown.units[c] for c in new.units)
