"""The caseworker's home panel: my open cases, tasks due, referrals waiting, notices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.audit.services import record_views
from beacon.cases import selectors


def caseload_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.agency_id:
        return None
    tasks = selectors.tasks_due(user)
    record_views(user, tasks, reason="home page: tasks due")  # task titles are encrypted case details
    return {
        "title": _("My caseload"),
        "template": "cases/panel_caseload.html",
        "cases": selectors.caseload(user, limit=10),
        "tasks": tasks,
        "relief": selectors.relief_due(user),
        "waiting": selectors.intake_queue(user, limit=10),
        "notifications": selectors.unread_notifications(user),
        "today": timezone.localdate(),
    }
