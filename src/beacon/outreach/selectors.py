"""Reads of outreach events: the ones the policy lets the viewer list, and their totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from beacon.access.policy import Action, scope_queryset
from beacon.accounts.models import User
from beacon.outreach.models import OutreachEvent


def events(user: User, *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[OutreachEvent]:
    qs = OutreachEvent.objects.select_related("county", "agency")
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return scope_queryset(user, Action.VIEW, "outreach", qs)


def get_event(user: User, public_id: str) -> OutreachEvent:
    event = events(user).filter(public_id=public_id).first()
    if event is None:
        raise Http404("no such outreach event")
    return event


@dataclass(frozen=True)
class Totals:
    events: int
    people_reached: int
    materials_distributed: int
    follow_ups: int
    counties: int


def totals(qs: QuerySet[OutreachEvent]) -> Totals:
    row = qs.aggregate(
        events=Count("id"),
        people=Sum("people_reached"),
        materials=Sum("materials_distributed"),
        follow_ups=Sum("follow_ups"),
        counties=Count("county", distinct=True),
    )
    return Totals(
        events=row["events"],
        people_reached=row["people"] or 0,
        materials_distributed=row["materials"] or 0,
        follow_ups=row["follow_ups"] or 0,
        counties=row["counties"],
    )
