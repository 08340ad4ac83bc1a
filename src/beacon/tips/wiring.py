"""Connects the tips app to the platform: access adapters, staff navigation, home panels, seeders."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beacon.access.policy import Adapter, register
from beacon.accounts.roles import Role
from beacon.web import home_panels, navigation
from beacon.web.navigation import NavItem

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


register(
    "tip",
    Adapter(
        owner=lambda user, tip: tip.intake_user_id == user.pk,
        agency=_agency,
        shared=lambda user, tip: False,
        q_own=lambda user: Q(intake_user_id=user.pk),
        q_agency=_q_agency,
        q_shared=lambda user: Q(pk__in=[]),
    ),
)

navigation.register(NavItem(_("Tips"), "tips:queue", "view", "tip"))


def _panel(request: Any) -> dict[str, Any] | None:
    from beacon.tips.selectors import queue

    tips = list(queue(request.user)[:5])
    return {"title": _("Most urgent tips"), "template": "tips/_home_panel.html", "tips": tips}


home_panels.register({Role.HOTLINE, Role.SUPERVISOR}, _panel)


def _seed(ctx: Any) -> None:
    from beacon.tips.demo import seed_tips

    seed_tips(ctx)


try:
    from beacon.demo.seeding import register as register_seeder

    register_seeder(60, "tips", _seed)
except ImportError:  # pragma: no cover
    pass
