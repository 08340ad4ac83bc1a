"""Which referrals, tasks and relief deadlines need a reminder. Pure selection logic, tested directly."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from beacon.cases.models import OPEN_STATUSES, Referral, ReferralStatus, ReliefMilestone, Task

RELIEF_WARNING_DAYS = 14


def subtract_business_days(moment: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days (Monday-Friday, Chicago time) before `moment`."""
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    remaining = days
    while remaining:
        local -= dt.timedelta(days=1)
        if local.weekday() < 5:
            remaining -= 1
    return local


def unanswered_referrals(now: dt.datetime, business_days: int = 2) -> QuerySet[Referral]:
    """Sent referrals with no answer after `business_days` working days, not yet reminded."""
    cutoff = subtract_business_days(now, business_days)
    return Referral.objects.filter(status=ReferralStatus.SENT, sent_at__lte=cutoff, reminded_at__isnull=True)


def overdue_tasks(today: dt.date) -> QuerySet[Task]:
    return Task.objects.filter(done_at__isnull=True, due_date__lt=today, reminded_at__isnull=True)


def relief_deadlines(today: dt.date) -> QuerySet[ReliefMilestone]:
    return ReliefMilestone.objects.filter(
        reached_on__isnull=True,
        due_date__isnull=False,
        due_date__lte=today + dt.timedelta(days=RELIEF_WARNING_DAYS),
        reminded_at__isnull=True,
        application__case__status__in=OPEN_STATUSES,
    )
