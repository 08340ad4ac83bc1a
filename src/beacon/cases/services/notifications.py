"""Staff notifications: one notice per user and key, so reminders re-run without repeating themselves."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from beacon.accounts.models import User
from beacon.accounts.roles import Role
from beacon.cases.models import (
    Notification,
)


def notify(user: User, key: str, text: str, url: str = "") -> Notification | None:
    """One notice per (user, key): reminders re-run without repeating themselves."""
    try:
        with transaction.atomic():
            return Notification.objects.create(user=user, key=key[:120], text=text[:300], url=url)
    except IntegrityError:
        return None


def agency_staff(agency_id: int):
    return User.objects.filter(
        agency_id=agency_id, is_active=True, role__in=[Role.CASEWORKER, Role.SUPERVISOR, Role.INVESTIGATOR]
    )


def mark_notification_read(actor: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=actor, read_at__isnull=True).update(read_at=timezone.now())
