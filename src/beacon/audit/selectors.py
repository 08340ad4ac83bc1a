"""Reading the audit log: scoped to what the reader may see (system administrators all of it,
agency administrators their agency's people), filtered, and the "possible probing" signal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from beacon.access.policy import Action, scope_queryset
from beacon.audit.models import AuditAction, AuditEntry

# What counts as being refused: by the policy, or at sign-in.
REFUSALS = (
    AuditAction.DENIED,
    AuditAction.SIGN_IN_FAILED,
    AuditAction.SECOND_FACTOR_FAILED,
    AuditAction.LOCKED_OUT,
)


@dataclass(frozen=True)
class AuditFilters:
    actor_ids: tuple[int, ...] | None = None  # None: anyone; () : nobody matched the user name
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def entries(user: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries `user` may read, newest first, narrowed by `filters`."""
    qs = scope_queryset(user, Action.VIEW, "audit", AuditEntry.objects.all())
    if filters.actor_ids is not None:
        qs = qs.filter(actor_id__in=filters.actor_ids)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone))
    if filters.date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return qs.order_by("-seq")


def probing(user: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Accounts refused at least BEACON_PROBING_THRESHOLD times in the last BEACON_PROBING_HOURS
    (policy refusals, failed passwords and second factors, pauses), most refused first."""
    since = (now or timezone.now()) - dt.timedelta(hours=settings.BEACON_PROBING_HOURS)
    rows = (
        scope_queryset(user, Action.VIEW, "audit", AuditEntry.objects.all())
        .filter(at__gte=since, action__in=REFUSALS, actor_id__isnull=False)
        .values("actor_id")
        .annotate(refusals=Count("id"))
        .filter(refusals__gte=settings.BEACON_PROBING_THRESHOLD)
        .order_by("-refusals")
    )
    return list(rows)
