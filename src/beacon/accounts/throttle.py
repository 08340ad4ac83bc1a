"""Failed sign-ins: the per-account slow-down, the known-device cookie, and the holder's own list.

django-axes (settings: AXES_LOCKOUT_PARAMETERS) locks a (user name, address) pair after
BEACON_LOCKOUT_FAILURES failures, so a stranger who guesses from one place stops only themselves.
Guessing spread over many addresses is slowed per account here: once an account has had
BEACON_SLOWDOWN_AFTER failures within the cool-off period, each further password check waits a
delay that doubles with each failure up to BEACON_SLOWDOWN_MAX_SECONDS and never more, so the
holder can always sign in. A browser that completed a sign-in to the account carries a signed
device cookie and is not slowed (the "device cookie" defence from OWASP's guidance), so the
holder is not slowed down by someone else's guessing either.

Counts come from axes' failure log (one row per failure), which is also what the holder is shown
after signing in.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

DEVICE_COOKIE = "beacon_device"
DEVICE_SALT = "beacon.accounts.device"
DEVICE_DAYS = 90
DEVICE_MAX_ACCOUNTS = 5  # a shared office computer remembers a few accounts, not a list of everyone


def failures(username: str, since: datetime | None = None) -> QuerySet[AccessFailureLog]:
    """Failed sign-ins typed with this user name, newest first."""
    rows = AccessFailureLog.objects.filter(username=username)
    if since is not None:
        rows = rows.filter(attempt_time__gt=since)
    return rows.order_by("-attempt_time")


def known_device(request: HttpRequest, user_pk: int | None) -> bool:
    if user_pk is None:
        return False
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=timedelta(days=DEVICE_DAYS))
    except (KeyError, signing.BadSignature):
        return False
    return str(user_pk) in value.split(",")


def remember_device(request: HttpRequest, response: HttpResponse, user_pk: int) -> None:
    """After a complete sign-in (both factors): this browser is one the account holder uses."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=timedelta(days=DEVICE_DAYS))
        known = [pk for pk in value.split(",") if pk and pk != str(user_pk)]
    except (KeyError, signing.BadSignature):
        known = []
    known = [str(user_pk), *known][:DEVICE_MAX_ACCOUNTS]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        ",".join(known),
        salt=DEVICE_SALT,
        max_age=DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def wait_seconds(request: HttpRequest, username: str, user_pk: int | None, now: datetime | None = None) -> int:
    """Seconds before this account's password may be checked again from this browser (0: now)."""
    if not username or known_device(request, user_pk):
        return 0
    now = now or timezone.now()
    recent = failures(username, since=now - settings.AXES_COOLOFF_TIME)
    count = recent.count()
    over = count - settings.BEACON_SLOWDOWN_AFTER
    if over < 0:
        return 0
    delay = min(2**over, settings.BEACON_SLOWDOWN_MAX_SECONDS)
    latest = recent.values_list("attempt_time", flat=True).first()
    remaining = (latest + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def previous_sign_in(user: object) -> datetime | None:
    """When this person last completed a sign-in (both factors), from the audit log."""
    from beacon.audit.models import AuditAction, AuditEntry

    return (
        AuditEntry.objects.filter(actor_id=getattr(user, "pk", None), action=AuditAction.SIGN_IN)
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
