"""How tips relate to a user, for the access policy: the intake user's own, the agency's (or the agency
it was escalated to), and unassigned tips for the intake roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from beacon.access.policy import Adapter, never, nothing, register
from beacon.accounts.roles import Role

# Unassigned tips are the intake queue: hotline staff and supervisors triage them.
INTAKE_ROLES = frozenset({Role.HOTLINE, Role.SUPERVISOR})


def _agency(user: Any, tip: Any) -> bool:
    if user.agency_id is None:
        return False
    if tip.agency_id == user.agency_id or tip.escalated_to_id == user.agency_id:
        return True
    return tip.agency_id is None and user.role in INTAKE_ROLES


def _q_agency(user: Any) -> Q:
    if user.agency_id is None:
        return Q(pk__in=[])
    condition = Q(agency_id=user.agency_id) | Q(escalated_to_id=user.agency_id)
    if user.role in INTAKE_ROLES:
        condition |= Q(agency__isnull=True)
    return condition


def register_adapters() -> None:
    register(
        "tip",
        Adapter(
            owner=lambda user, tip: tip.intake_user_id == user.pk,
            agency=_agency,
            shared=never,
            q_own=lambda user: Q(intake_user_id=user.pk),
            q_agency=_q_agency,
            q_shared=nothing,
        ),
    )
