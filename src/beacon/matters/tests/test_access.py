"""The policy matrix for matters, designated contacts and the deconfliction log: role x (a record of the
user's agency, one of another agency) x action."""

from __future__ import annotations

import pytest

from beacon.access.policy import POLICY, Action, can, scope_queryset
from beacon.accounts.roles import Role
from beacon.matters.models import DeconflictionCheck, Matter

pytestmark = pytest.mark.django_db

LETTER = {"c": Action.CREATE, "v": Action.VIEW, "u": Action.UPDATE, "e": Action.EXPORT, "d": Action.DELETE}

# (same agency, other agency): letters granted.
MATTER = {
    Role.HOTLINE: ("", ""),
    Role.CASEWORKER: ("", ""),
    Role.SUPERVISOR: ("", ""),
    Role.INVESTIGATOR: ("cvu", ""),
    Role.PROSECUTOR: ("cvu", ""),
    Role.COORDINATOR: ("", ""),
    Role.ANALYST: ("", ""),
    Role.AGENCY_ADMIN: ("", ""),
    Role.SYSTEM_ADMIN: ("", ""),
}
CONTACT = {
    Role.HOTLINE: ("", ""),
    Role.CASEWORKER: ("", ""),
    Role.SUPERVISOR: ("", ""),
    Role.INVESTIGATOR: ("v", ""),
    Role.PROSECUTOR: ("v", ""),
    Role.COORDINATOR: ("v", "v"),
    Role.ANALYST: ("", ""),
    Role.AGENCY_ADMIN: ("vu", ""),
    Role.SYSTEM_ADMIN: ("vu", "vu"),
}
LOG = {role: ("v", "v") if role == Role.COORDINATOR else ("", "") for role in Role}


def test_the_matrices_cover_every_role():
    assert set(MATTER) == set(CONTACT) == set(LOG) == set(Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("letter", "cvued")
def test_matters(role, letter, make_user, unit_a, unit_b, open_matter):
    actor = make_user(role, unit_a)
    mine = open_matter(make_user(Role.INVESTIGATOR, unit_a))
    theirs = open_matter(make_user(Role.INVESTIGATOR, unit_b))
    same, other = MATTER[role]
    assert can(actor, LETTER[letter], "matter", mine) is (letter in same)
    assert can(actor, LETTER[letter], "matter", theirs) is (letter in other)
    listed = set(scope_queryset(actor, Action.VIEW, "matter", Matter.objects.all()))
    assert (mine in listed) is ("v" in same) and (theirs in listed) is ("v" in other)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("letter", "cvud")
def test_designated_contacts(role, letter, make_user, unit_a, unit_b):
    actor = make_user(role, unit_a)
    same, other = CONTACT[role]
    assert can(actor, LETTER[letter], "deconflictioncontact", unit_a) is (letter in same)
    assert can(actor, LETTER[letter], "deconflictioncontact", unit_b) is (letter in other)


@pytest.mark.parametrize("role", list(Role))
def test_deconfliction_log(role, make_user, unit_a, unit_b, open_matter):
    from beacon.matters import services

    actor = make_user(role, unit_a)
    for unit in (unit_a, unit_b):
        investigator = make_user(Role.INVESTIGATOR, unit)
        services.add_subject(investigator, open_matter(investigator), "phone", "312 555 0199")
    same, other = LOG[role]
    listed = set(scope_queryset(actor, Action.VIEW, "deconfliction", DeconflictionCheck.objects.all()))
    assert {c.agency_id for c in listed} == {u.pk for u, ok in ((unit_a, same), (unit_b, other)) if ok}


def test_caseworkers_and_service_roles_have_no_grant_on_matters():
    for role in (Role.HOTLINE, Role.CASEWORKER, Role.SUPERVISOR, Role.ANALYST, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        assert "matter" not in POLICY[role], role
