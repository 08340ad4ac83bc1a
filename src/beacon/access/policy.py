"""Beacon's one access policy: may this user do this action on this record?

Every permission is role x resource x action -> the widest record scope granted:

- ``own``: records the user owns (case owner, assignee);
- ``agency``: records held by the user's agency;
- ``shared``: records another agency shared with the user's agency through an accepted referral,
  while the survivor's consent stands (only the shared fields are readable);
- ``all``: every record (system-wide roles, for non-personal resources or aggregates).

Scopes nest: ``all`` includes ``agency`` includes ``own``; ``shared`` is granted explicitly.
Resources register an adapter telling the policy how a record relates to a user, so the same
rules answer both "may I open this record" (:func:`can`) and "which records may I list"
(:func:`scope_queryset`). Views, API handlers and exports call only these two functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from beacon.accounts.roles import Role


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    ASSIGN = "assign"
    SHARE = "share"


class Scope(StrEnum):
    OWN = "own"
    AGENCY = "agency"
    SHARED = "shared"
    ALL = "all"


V, C, U, D, E, A, S = (
    Action.VIEW,
    Action.CREATE,
    Action.UPDATE,
    Action.DELETE,
    Action.EXPORT,
    Action.ASSIGN,
    Action.SHARE,
)
OWN, AGENCY, SHARED, ALL = Scope.OWN, Scope.AGENCY, Scope.SHARED, Scope.ALL


class Grants(dict[Action, frozenset[Scope]]):
    """Action -> scopes. `a | b` merges the scopes of an action named in both, never replaces them."""

    def __or__(self, other: dict[Action, frozenset[Scope]]) -> Grants:  # type: ignore[override]
        merged = Grants(self)
        for action, scopes in other.items():
            merged[action] = merged.get(action, frozenset()) | scopes
        return merged


def _grant(actions: tuple[Action, ...], *scopes: Scope) -> Grants:
    return Grants({action: frozenset(scopes) for action in actions})


# role -> resource -> action -> scopes. Anything absent is denied.
POLICY: dict[str, dict[str, dict[Action, frozenset[Scope]]]] = {
    Role.HOTLINE: {
        "tip": _grant((V, U, A, E), AGENCY) | _grant((C,), AGENCY),
        "case": _grant((C,), AGENCY) | _grant((V, U), OWN),
        "person": _grant((C,), AGENCY) | _grant((V, U), OWN),
        "screening": _grant((C, V, U), OWN),
        "directory": _grant((V,), ALL),
        "insights": _grant((V,), AGENCY),
        "outreach": _grant((C, V, U), AGENCY),
    },
    Role.CASEWORKER: {
        "tip": _grant((V,), AGENCY),
        # Shared scope reads only the fields a referral carries; it never edits the sender's record.
        "case": _grant((C,), AGENCY) | _grant((V,), OWN, SHARED) | _grant((U,), OWN),
        "person": _grant((C,), AGENCY) | _grant((V,), OWN, SHARED) | _grant((U,), OWN),
        # Referrals share chosen person and case fields only, never notes or files.
        "note": _grant((C, V), OWN) | _grant((U, D), OWN),
        "attachment": _grant((C, V), OWN) | _grant((D,), OWN),
        # A shared case's screenings are readable by the receiving agency, never edited by it.
        "screening": _grant((C, U), OWN) | _grant((V,), OWN, SHARED),
        "referral": _grant((C, V, U), OWN, SHARED),
        "referral_message": _grant((C, V), OWN, SHARED),
        "consent": _grant((C, V, U), OWN),
        "directory": _grant((V,), ALL),
        "insights": _grant((V,), AGENCY),
        "outreach": _grant((C, V, U), AGENCY),
    },
    Role.SUPERVISOR: {
        "tip": _grant((V, U, A), AGENCY),
        "case": _grant((C, U, A, E), AGENCY) | _grant((V,), AGENCY, SHARED),
        "person": _grant((C, U), AGENCY) | _grant((V,), AGENCY, SHARED),
        "note": _grant((C, V), AGENCY) | _grant((U, D), OWN),
        "attachment": _grant((C, V), AGENCY) | _grant((D,), AGENCY),
        "screening": _grant((C, U), AGENCY) | _grant((V,), AGENCY, SHARED),
        "referral": _grant((C, V, U), AGENCY, SHARED),
        "referral_message": _grant((C, V), AGENCY, SHARED),
        "consent": _grant((C, V, U), AGENCY),
        "directory": _grant((V,), ALL) | _grant((C, U), AGENCY),
        "insights": _grant((V, E), AGENCY),
        "outreach": _grant((C, V, U), AGENCY),
        # Holds keep records past retention; erasure destroys a survivor's personal data on request.
        "legal_hold": _grant((C, V, U), AGENCY),
        "erasure": _grant((C, V), AGENCY),
    },
    Role.INVESTIGATOR: {
        "tip": _grant((V, U), AGENCY),
        # Survivor records reach law enforcement only when shared with law-enforcement consent.
        "case": _grant((V,), SHARED),
        "person": _grant((V,), SHARED),
        # Referrals addressed to the unit (intake queue: accept or decline).
        "referral": _grant((V, U), SHARED),
        "referral_message": _grant((C, V), SHARED),
        "screening": _grant((C, V), OWN) | _grant((V,), SHARED),
        "intel": _grant((V, C, U, E), ALL),
        "directory": _grant((V,), ALL),
        "insights": _grant((V,), AGENCY),
        # Investigations of the unit; adding a subject runs the deconfliction look-up.
        "matter": _grant((C, V, U), AGENCY),
        "deconflictioncontact": _grant((V,), AGENCY),
    },
    # A prosecutor's office works its own matters; survivor records are not granted (a referral to a
    # prosecutor with the law-enforcement consent is not modelled yet).
    Role.PROSECUTOR: {
        "directory": _grant((V,), ALL),
        "insights": _grant((V,), AGENCY),
        "matter": _grant((C, V, U), AGENCY),
        "deconflictioncontact": _grant((V,), AGENCY),
    },
    # The task force's coordinator sits between agencies: statewide aggregates, the directory, and the
    # deconfliction log (which agencies' records matched, never what they hold), to contact the holders
    # of confidential matches. No record of any one agency's survivors or investigations.
    Role.COORDINATOR: {
        "directory": _grant((V,), ALL),
        "insights": _grant((V,), ALL),
        "deconfliction": _grant((V,), ALL),
        "deconflictioncontact": _grant((V,), ALL),
    },
    Role.ANALYST: {
        "intel": _grant((V, C, U, E), ALL),
        "insights": _grant((V, E), ALL),
        "directory": _grant((V,), ALL),
        "outreach": _grant((V,), ALL),
    },
    Role.AGENCY_ADMIN: {
        "user": _grant((C, V, U), AGENCY),
        "agency": _grant((V, U), AGENCY),
        "deconflictioncontact": _grant((V, U), AGENCY),
        "directory": _grant((V,), ALL) | _grant((C, U, D), AGENCY),
        "audit": _grant((V,), AGENCY),
        "insights": _grant((V,), AGENCY),
        "legal_hold": _grant((C, V, U), AGENCY),
    },
    Role.SYSTEM_ADMIN: {
        "user": _grant((C, V, U), ALL),
        "agency": _grant((C, V, U), ALL),
        "deconflictioncontact": _grant((V, U), ALL),
        "directory": _grant((C, V, U, D), ALL),
        "audit": _grant((V, E), ALL),
        "reference": _grant((V, U), ALL),
    },
}


@dataclass(frozen=True)
class Adapter:
    """How records of one resource relate to a user.

    ``owner``/``agency``/``shared`` answer for one record; the ``q_*`` functions build the same
    tests as query filters so lists are scoped in the database.
    """

    owner: Callable[[Any, Any], bool]
    agency: Callable[[Any, Any], bool]
    shared: Callable[[Any, Any], bool]
    q_own: Callable[[Any], Q]
    q_agency: Callable[[Any], Q]
    q_shared: Callable[[Any], Q]


_ADAPTERS: dict[str, Adapter] = {}


def register(resource: str, adapter: Adapter) -> None:
    _ADAPTERS[resource] = adapter


def never(*_: Any) -> bool:
    return False


def nothing(_: Any) -> Q:
    return Q(pk__in=[])


def simple_adapter(
    owner_field: str | None = None, agency_field: str | None = "agency_id", shared: Adapter | None = None
) -> Adapter:
    """Adapter for records with an owner column and an agency column (and no sharing)."""

    def owner(user: Any, record: Any) -> bool:
        return owner_field is not None and getattr(record, owner_field) == user.pk

    def agency(user: Any, record: Any) -> bool:
        return (
            agency_field is not None
            and user.agency_id is not None
            and (getattr(record, agency_field) == user.agency_id)
        )

    return Adapter(
        owner=owner,
        agency=agency,
        shared=shared.shared if shared else never,
        q_own=(lambda user: Q(**{owner_field: user.pk})) if owner_field else nothing,
        q_agency=(lambda user: Q(**{agency_field: user.agency_id}) if user.agency_id else nothing(user))
        if agency_field
        else nothing,
        q_shared=shared.q_shared if shared else nothing,
    )


def scopes_for(user: Any, action: str, resource: str) -> frozenset[Scope]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return POLICY.get(user.role, {}).get(resource, {}).get(Action(action), frozenset())


def can(user: Any, action: str, resource: str, record: Model | None = None) -> bool:
    """May `user` do `action` on `record` (or on some record of `resource` when record is None)?"""
    scopes = scopes_for(user, action, resource)
    if not scopes:
        return False
    if record is None or ALL in scopes:
        return True
    adapter = _ADAPTERS[resource]
    if AGENCY in scopes and adapter.agency(user, record):
        return True
    if OWN in scopes and (adapter.owner(user, record)):
        return True
    return SHARED in scopes and adapter.shared(user, record)


def scope_queryset(user: Any, action: str, resource: str, queryset: QuerySet) -> QuerySet:
    """The records of `queryset` that `user` may `action`; empty when the role has no grant."""
    scopes = scopes_for(user, action, resource)
    if not scopes:
        return queryset.none()
    if ALL in scopes:
        return queryset
    adapter = _ADAPTERS[resource]
    condition = Q(pk__in=[])
    if AGENCY in scopes:
        condition |= adapter.q_agency(user)
    elif OWN in scopes:
        condition |= adapter.q_own(user)
    if SHARED in scopes:
        condition |= adapter.q_shared(user)
    return queryset.filter(condition)


@dataclass(frozen=True)
class Guard:
    """What an entry point (a staff page, an API operation) needs before it runs: `action` on some
    record of `resource` (an empty resource: any signed-in staff member). Record-level checks follow
    in the selectors and services."""

    resource: str
    action: str

    def check(self, user: Any) -> None:
        if self.resource:
            require(user, self.action, self.resource)


class AccessDenied(PermissionError):
    """Raised by services when the policy refuses an action. Carries what was refused (never why in
    terms of content) so the guard that turns it into a 403 can write the refusal to the audit."""

    def __init__(self, message: str = "", *, record: Model | None = None, action: str = "", resource: str = "") -> None:
        super().__init__(message)
        self.record, self.action, self.resource = record, str(action), resource


class RecordRefused(Http404):
    """A real record outside the user's scope. Answered as "not found", exactly like a missing record
    (so ids cannot be probed), but the guard that answers writes the refusal to the audit."""

    def __init__(self, record: Model, action: str) -> None:
        super().__init__("not found")
        self.record, self.action, self.resource = record, str(action), record._meta.model_name


def get_in_scope(user: Any, action: str, resource: str, queryset: QuerySet, **lookup: Any) -> Model | None:
    """The one record of `queryset` matching `lookup`, if the user may `action` it; None when there is
    no such record; `RecordRefused` (answered as "not found", written to the audit) when there is one
    outside the user's scope. The scope test is the list's own filter, so a record never shows in a
    list yet is refused by id, or the other way round."""
    found = queryset.filter(**lookup).first()
    if found is None:
        return None
    if not scope_queryset(user, action, resource, queryset.model._default_manager.filter(pk=found.pk)).exists():
        raise RecordRefused(found, action)
    return found


def require(user: Any, action: str, resource: str, record: Model | None = None) -> None:
    if not can(user, action, resource, record):
        raise AccessDenied(
            f"{action} on {resource} is not allowed for this user", record=record, action=action, resource=resource
        )
