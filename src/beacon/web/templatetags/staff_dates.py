"""One way staff pages write times: "Dec 2, 2026, 9:53 AM" and "Dec 2, 2026", in America/Chicago.

Beacon's staff are in Illinois, so every staff page uses the US form whatever language the page is
in (a Spanish page too): one format is easier to read across a case than four. The filters are
template builtins (settings.TEMPLATES), so templates use them without loading anything:

    {{ note.created_at|staff_datetime }}   {{ task.due_date|staff_date }}
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

CHICAGO = ZoneInfo("America/Chicago")
DATETIME = "M j, Y, g:i A"
DATE = "M j, Y"


def _english(value: Any, fmt: str) -> str:
    with translation.override("en"):  # "Dec" and "AM" in every language of the staff pages
        return dateformat.format(value, fmt)


@register.filter
def staff_datetime(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return staff_date(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return _english(value.astimezone(CHICAGO), DATETIME)


@register.filter
def staff_date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        value = value.astimezone(CHICAGO).date()
    if isinstance(value, str):  # dates kept as ISO text (encrypted birth dates)
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return str(value)
    return _english(value, DATE)
