"""The access policy as a matrix: role x record relation x action, for the platform's own resources."""

from __future__ import annotations

import pytest

from beacon.access.policy import POLICY, Action, can, scope_queryset
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.audit.services import record

ROLES = [r.value for r in Role]

# Staff accounts: who may do what to (self, a colleague in the same agency, a person at another agency).
# Letters: v view, c create, u update. "-" none.
USER_MATRIX = {
    Role.HOTLINE: ("-", "-", "-"),
    Role.CASEWORKER: ("-", "-", "-"),
    Role.SUPERVISOR: ("-", "-", "-"),
    Role.INVESTIGATOR: ("-", "-", "-"),
    Role.PROSECUTOR: ("-", "-", "-"),
    Role.COORDINATOR: ("-", "-", "-"),
    Role.ANALYST: ("-", "-", "-"),
    Role.AGENCY_ADMIN: ("cvu", "cvu", "-"),
    Role.SYSTEM_ADMIN: ("cvu", "cvu", "cvu"),
}
LETTER = {"c": Action.CREATE, "v": Action.VIEW, "u": Action.UPDATE}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("relation", [0, 1, 2], ids=["self", "same-agency", "other-agency"])
@pytest.mark.parametrize("letter", ["c", "v", "u"])
def test_user_accounts_matrix(role, relation, letter, agency, other_agency, make_user):
    actor = make_user(role, agency)
    target = [actor, make_user(Role.CASEWORKER, agency), make_user(Role.CASEWORKER, other_agency)][relation]
    expected = letter in USER_MATRIX[role][relation]
    assert can(actor, LETTER[letter], "user", target) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_user_list_is_scoped_like_single_records(role, agency, other_agency, make_user):
    actor = make_user(role, agency)
    colleague = make_user(Role.CASEWORKER, agency)
    stranger = make_user(Role.CASEWORKER, other_agency)
    visible = set(scope_queryset(actor, Action.VIEW, "user", User.objects.all()))
    for target in (actor, colleague, stranger):
        assert (target in visible) is can(actor, Action.VIEW, "user", target)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_agency_records(role, agency, other_agency, make_user):
    actor = make_user(role, agency)
    own_view = can(actor, Action.VIEW, "agency", agency)
    other_view = can(actor, Action.VIEW, "agency", other_agency)
    assert own_view is (role in {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
    assert other_view is (role == Role.SYSTEM_ADMIN)
    assert can(actor, Action.UPDATE, "agency", other_agency) is (role == Role.SYSTEM_ADMIN)
    listed = set(scope_queryset(actor, Action.VIEW, "agency", Agency.objects.all()))
    assert (agency in listed) is own_view and (other_agency in listed) is other_view


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_audit_log_visibility(role, agency, other_agency, make_user):
    actor = make_user(role, agency)
    mine = record(make_user(Role.CASEWORKER, agency), "view", object_type="case", object_id="A1")
    theirs = record(make_user(Role.CASEWORKER, other_agency), "view", object_type="case", object_id="B1")
    visible = set(scope_queryset(actor, Action.VIEW, "audit", AuditEntry.objects.all()))
    assert (mine in visible) is (role in {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
    assert (theirs in visible) is (role == Role.SYSTEM_ADMIN)


@pytest.mark.django_db
def test_inactive_and_anonymous_users_may_do_nothing(agency, make_user):
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(Role.SYSTEM_ADMIN, agency, is_active=False)
    for resource, grants in POLICY[Role.SYSTEM_ADMIN].items():
        for action in grants:
            assert not can(admin, action, resource)
            assert not can(AnonymousUser(), action, resource)


def test_no_role_reads_survivor_records_at_scope_all():
    """Least data to fewest people: nobody has a statewide grant on person-level resources."""
    personal = {"case", "person", "note", "attachment", "referral", "referral_message", "consent", "screening", "tip"}
    for role, resources in POLICY.items():
        for resource, grants in resources.items():
            if resource in personal:
                assert all("all" not in scopes for scopes in grants.values()), (role, resource)


def test_analysts_and_admins_have_no_person_level_access():
    for role in (Role.ANALYST, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.PROSECUTOR):
        for resource in (
            "case",
            "person",
            "note",
            "attachment",
            "referral",
            "referral_message",
            "consent",
            "screening",
            "tip",
        ):
            assert resource not in POLICY[role], (role, resource)


def test_grants_merge_scopes_of_the_same_action():
    from beacon.access.policy import AGENCY, OWN, SHARED, _grant

    merged = _grant((Action.CREATE, Action.VIEW), OWN) | _grant((Action.VIEW,), SHARED) | _grant((Action.VIEW,), AGENCY)
    assert merged[Action.VIEW] == {OWN, SHARED, AGENCY}
    assert merged[Action.CREATE] == {OWN}


def test_investigators_see_their_own_screenings_and_shared_ones():
    scopes = POLICY[Role.INVESTIGATOR]["screening"][Action.VIEW]
    assert {"own", "shared"} <= set(scopes)
