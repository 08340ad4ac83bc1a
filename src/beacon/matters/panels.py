"""The task-force home panel: the unit's open matters, and notices for roles without a caseload panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from beacon.access.policy import Action, can
from beacon.accounts.roles import Role
from beacon.cases import selectors as cases
from beacon.matters import selectors
from beacon.matters.models import MatterStatus

# Roles whose notices the caseload panel already shows.
_CASELOAD_ROLES = {Role.HOTLINE, Role.CASEWORKER, Role.SUPERVISOR, Role.INVESTIGATOR}


def task_force_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    return {
        "title": _("Task force"),
        "template": "matters/panel.html",
        "matters": selectors.listed(
            user, selectors.matters(user, status=MatterStatus.OPEN), limit=10, reason="home page: open matters"
        )
        if can(user, Action.VIEW, "matter")
        else [],
        "can_matters": can(user, Action.VIEW, "matter"),
        "can_log": can(user, Action.VIEW, "deconfliction"),
        "notifications": [] if user.role in _CASELOAD_ROLES else cases.unread_notifications(user),
    }
