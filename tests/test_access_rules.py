"""The grant rules under any sequence of changes: never a shared store without an admin."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.errors import JixiaoError
from jixiao.store.grants import ROLES, may_edit_unit, role_of, with_grant, without_grant

USERS = st.sampled_from(["ann", "bob", "cai", "dai"])
UNITS = st.lists(st.sampled_from(["301101", "301205", "301206"]), max_size=2)
STEPS = st.lists(st.one_of(
    st.tuples(st.just("grant"), USERS, st.sampled_from(ROLES), UNITS),
    st.tuples(st.just("revoke"), USERS, st.just(""), UNITS)), max_size=25)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_any_sequence_keeps_an_admin_and_consistent_rights(steps):
    grants = []
    for action, user, role, units in steps:
        try:
            if action == "grant":
                grants = with_grant(grants, user, role, tuple(units))
            else:
                grants = without_grant(grants, user, tuple(units))
        except JixiaoError:
            continue  # refused: the grants stay as they were
        assert any(g.role == "admin" for g in grants), grants
        assert len({g.user for g in grants}) == len(grants)  # one grant per user
        for g in grants:
            assert role_of(grants, g.user) == g.role
            assert (g.role == "owner") == bool(g.units)
            for unit in ("301101", "301205", "301206"):
                expected = g.role == "admin" or unit in g.units
                assert may_edit_unit(grants, g.user, unit) == expected
        assert role_of(grants, "stranger") is None
        assert not may_edit_unit(grants, "stranger", "301101")
