"""Home-page panels for administrators."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _

from beacon.access.policy import Action, scope_queryset
from beacon.accounts.models import Agency, User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditChainHead


def staff_panel(request: HttpRequest) -> dict:
    users = scope_queryset(request.user, Action.VIEW, "user", User.objects.all())
    by_role = dict(users.values_list("role").annotate(n=Count("pk")))
    rows = [(label, by_role.get(code, 0)) for code, label in Role.choices]
    return {
        "title": _("Staff accounts"),
        "template": "accounts/panel_staff.html",
        "rows": rows,
        "total": sum(by_role.values()),
    }


def platform_panel(request: HttpRequest) -> dict:
    head = AuditChainHead.objects.filter(pk=1).first()
    agencies = scope_queryset(request.user, Action.VIEW, "agency", Agency.objects.all())
    return {
        "title": _("Platform"),
        "template": "accounts/panel_platform.html",
        "agencies": agencies.annotate(staff=Count("users")),
        "audit_entries": head.seq if head else 0,
    }
