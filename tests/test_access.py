"""Who may do what (issue 7): every role against every write, grants, refusals, the audit log."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.errors import JixiaoError, PermissionDenied
from jixiao.core.importing import ImportPlan
from jixiao.core.model import Unit
from jixiao.store.repository import Store

OWN, OTHER = "301205", "301101"


@pytest.fixture
def shared(tmp_path, filled_store):
    """A store with an admin, a manager, an owner of 301205 and the dataset it holds."""
    store, ds = filled_store(tmp_path / "d")
    store.grant("admin1", "admin")
    store.grant("mgr", "manager")
    store.grant("own", "owner", [OWN])
    return tmp_path / "d", ds


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


ALLOWED = {
    "admin1": {(w, u) for w in ("progress", "spending", "import", "settings", "grant", "revoke",
                                "bulk_load") for u in (OWN, OTHER)},
    "own": {("progress", OWN), ("spending", OWN)},
    "mgr": set(),
    "stranger": set(),
}


@pytest.mark.parametrize("user", list(ALLOWED))
@pytest.mark.parametrize("write", ["progress", "spending", "import", "settings", "grant",
                                   "revoke", "bulk_load"])
@pytest.mark.parametrize("unit", [OWN, OTHER])
def test_every_role_against_every_write(shared, make_dataset, user, write, unit):
    data, ds = shared
    store = Store(data, user=user)
    before = {p: p.read_bytes() for p in data.rglob("*.json")}
    action = _writes(ds, unit, make_dataset)[write]
    if (write, unit) in ALLOWED[user]:
        action(store)
        return
    with pytest.raises(PermissionDenied) as err:
        action(store)
    message = err.value.message
    assert err.value.exit_code == 3
    assert message.startswith(f"{user} may not")
    if write in ("progress", "spending"):
        assert f"unit {unit}" in message and "owner role" in message
    else:
        assert "admin role" in message
    assert {p: p.read_bytes() for p in data.rglob("*.json")} == before  # nothing changed


def test_roles_and_edit_rights_as_the_ui_asks_them(shared):
    data, _ = shared
    assert Store(data, user="admin1").role() == "admin"
    assert Store(data, user="mgr").role() == "manager"
    assert Store(data, user="own").role() == "owner"
    assert Store(data, user="stranger").role() is None
    assert Store(data, user="own").can_edit_unit(OWN)
    assert not Store(data, user="own").can_edit_unit(OTHER)
    assert not Store(data, user="mgr").can_edit_unit(OWN)
    assert Store(data, user="admin1").can_edit_unit(OTHER)


def test_without_grants_whoever_runs_it_is_admin(filled_store, first_indicator, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    anyone = Store(tmp_path / "d", user="whoever")
    assert anyone.role() == "admin" and anyone.grants() == []
    anyone.save_settings(replace(anyone.settings(), as_of="2023-06-30"))
    anyone.record_progress(first_indicator(ds, OTHER), as_of="2023-06-30", actual="5个")


def test_first_grant_must_name_an_admin(filled_store, tmp_path):
    filled_store(tmp_path / "d")
    store = Store(tmp_path / "d", user="whoever")
    with pytest.raises(JixiaoError, match="first grant must name an admin"):
        store.grant("own", "owner", [OWN])
    assert store.grants() == []
    store.grant("boss", "admin")
    # From now on 'whoever' is nobody: the store is shared.
    assert store.role() is None
    with pytest.raises(PermissionDenied, match="whoever may not change grants"):
        store.grant("whoever", "admin")


def test_the_last_admin_cannot_be_revoked_or_demoted(shared):
    data, _ = shared
    store = Store(data, user="admin1")
    with pytest.raises(JixiaoError, match="admin1 is the last admin"):
        store.revoke("admin1")
    with pytest.raises(JixiaoError, match="no admin"):
        store.grant("admin1", "manager")
    store.grant("second", "admin")
    store.revoke("admin1")
    assert Store(data, user="admin1").role() is None


def test_the_only_grant_cannot_be_revoked_back_to_everyone_is_admin(filled_store, tmp_path):
    store, _ = filled_store(tmp_path / "d")
    store.grant("boss", "admin")
    with pytest.raises(JixiaoError, match="boss is the last admin"):
        Store(tmp_path / "d", user="boss").revoke("boss")
    assert Store(tmp_path / "d", user="someone").role() is None


def test_owner_units_are_added_and_revoked_one_by_one(shared):
    data, _ = shared
    admin = Store(data, user="admin1")
    assert admin.grant("own", "owner", [OTHER]).units == (OWN, OTHER)
    admin.revoke("own", [OWN])
    own = Store(data, user="own")
    assert own.can_edit_unit(OTHER) and not own.can_edit_unit(OWN)
    admin.revoke("own", [OTHER])
    assert own.role() is None


@pytest.mark.parametrize("args, words", [
    (("x", "owner", ()), "needs at least one --unit"),
    (("x", "manager", (OWN,)), "owners only"),
    (("x", "boss", ()), "unknown role"),
    (("x", "owner", ("nosuch",)), "not in this data directory"),
    (("", "admin", ()), "needs a user name"),
])
def test_bad_grants_are_refused(shared, args, words):
    data, _ = shared
    with pytest.raises(JixiaoError, match=words):
        Store(data, user="admin1").grant(*args)


def test_a_grant_change_by_a_non_admin_exits_3_on_the_cli(run_cli, shared):
    data, _ = shared
    before = (data / "grants.json").read_bytes()
    # The CLI cannot be told who it is: it acts as the OS account (root here), who has no grant.
    done = run_cli(data, "grant", "root", "--role", "admin")
    assert done.returncode == 3, done.stderr
    assert "root may not change grants: that needs the admin role" in done.stderr
    assert (data / "grants.json").read_bytes() == before
    done = run_cli(data, "settings", "--as-of", "2023-09-30")
    assert done.returncode == 3 and "needs the admin role" in done.stderr


def test_every_change_is_in_the_log_with_who_and_what(first_indicator, run_cli, shared):
    data, ds = shared
    Store(data, user="own").record_progress(first_indicator(ds, OWN), as_of="2023-07-31",
                                            actual="6个")
    Store(data, user="own").record_spending(ds.projects_of(OWN)[0].id, as_of="2023-07-31",
                                            spent=12.5)
    Store(data, user="admin1").save_settings(
        replace(Store(data, user="admin1").settings(), as_of="2023-08-31"))
    log = Store(data, user="mgr").log()
    actions = [(e.user, e.action) for e in log]
    for expected in [("admin1", "import"), ("admin1", "grant"), ("own", "progress"),
                     ("own", "spending"), ("admin1", "settings")]:
        assert expected in actions
    mine = Store(data, user="mgr").log(user="own")
    assert {e.action for e in mine} == {"progress", "spending"}
    assert all(OWN in e.units for e in Store(data, user="mgr").log(unit=OWN))
    assert "6个" in next(e.what for e in mine if e.action == "progress")
    assert Store(data, user="mgr").log(since="2999-01-01") == []
    done = run_cli(data, "log", "--user", "own")
    assert done.returncode == 0 and done.stdout.count("\n") == 2 and "spent 12.5" in done.stdout


NASTY = "[red]红[/red] [/x] \x1b[31mESC\x1b[0m \x07 [link=http://x]y[/link]"


def test_markup_and_control_characters_are_stored_as_typed_and_printed_inert(filled_store, first_indicator, run_cli, tmp_path):
    store, ds = filled_store(tmp_path / "d")
    iid = first_indicator(ds, OWN)
    store.record_progress(iid, as_of="2023-07-31", actual="1个", note=NASTY, measures=NASTY,
                          causes=("其他",))
    store.grant("admin1", "admin")
    store.grant("[bold]x\x1b]0;pwn\x07", "manager")
    entry = Store(tmp_path / "d", user="r").load().progress[iid][0]
    assert entry.note == NASTY and entry.measures == NASTY
    assert any(g.user == "[bold]x\x1b]0;pwn\x07" for g in store.grants())
    for args in (["log"], ["grants"]):
        done = run_cli(tmp_path / "d", *args)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    log = run_cli(tmp_path / "d", "log").stdout
    # Markup stays as typed; control characters show as their control pictures (␛, ␇).
    assert "[red]红[/red] [/x] ␛[31mESC␛[0m ␇" in log
    assert "[bold]x␛]0;pwn␇" in run_cli(tmp_path / "d", "grants").stdout


def test_a_revoke_that_lands_while_a_write_is_under_way_stops_it(first_indicator, shared, monkeypatch):
    # The owner passed the early grant check; the admin revokes before the partition lock is
    # taken. The check inside the lock, on a fresh read of the grants file, must refuse.
    from contextlib import contextmanager

    import jixiao.store.repository as repository

    data, ds = shared
    iid = first_indicator(ds, OWN)
    project = ds.projects_of(OWN)[0]
    owner = Store(data, user="own")
    assert owner.can_edit_unit(OWN)
    real_locked = repository.locked
    armed = []

    @contextmanager
    def revoke_meanwhile(path):
        if armed:
            armed.clear()
            Store(data, user="admin1").revoke("own", [OWN])
        with real_locked(path) as handle:
            yield handle

    monkeypatch.setattr(repository, "locked", revoke_meanwhile)
    for write in (lambda: owner.record_progress(iid, as_of="2023-07-31", actual="6个"),
                  lambda: owner.record_spending(project.id, as_of="2023-07-31", spent=1)):
        armed.append(True)
        with pytest.raises(PermissionDenied):
            write()
        Store(data, user="admin1").grant("own", "owner", [OWN])
    after = Store(data, user="admin1").load()
    assert not after.progress.get(iid) and not after.spending.get(project.id)
