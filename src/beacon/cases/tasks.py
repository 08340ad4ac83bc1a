"""Background reminders (Huey): unanswered referrals, overdue tasks and relief deadlines."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from beacon.accounts.models import User
from beacon.cases import reminders
from beacon.cases.services import agency_staff, notify


def _tell(user: User, key: str, text: str, url: str) -> bool:
    """In-app notice plus an e-mail. Texts name record ids only, never a survivor's details."""
    if notify(user, key, text, url) is None:
        return False
    if user.email:
        send_mail(
            _("Beacon reminder"), f"{text}\n\n{settings.BEACON_SITE_URL}{url}", None, [user.email], fail_silently=True
        )
    return True


def send_reminders(now=None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"referrals": 0, "tasks": 0, "relief": 0}
    for referral in reminders.unanswered_referrals(now).select_related("case"):
        url = reverse("cases:referral", args=[referral.public_id])
        text = _("Referral %(id)s has had no answer for 2 business days.") % {"id": referral.public_id}
        for user in agency_staff(referral.to_agency_id):
            _tell(user, f"referral-unanswered:{referral.public_id}", text, url)
        if referral.sent_by_id:
            _tell(
                referral.sent_by,
                f"referral-unanswered-sender:{referral.public_id}",
                text,
                reverse("cases:detail", args=[referral.case.public_id]),
            )
        type(referral).objects.filter(pk=referral.pk).update(reminded_at=now)
        counts["referrals"] += 1
    for task in reminders.overdue_tasks(today).select_related("assignee", "case"):
        url = reverse("cases:detail", args=[task.case.public_id]) if task.case else reverse("web:home")
        _tell(
            task.assignee,
            f"task-overdue:{task.public_id}",
            _("Task %(id)s is overdue (due %(due)s).") % {"id": task.public_id, "due": task.due_date},
            url,
        )
        type(task).objects.filter(pk=task.pk).update(reminded_at=now)
        counts["tasks"] += 1
    for milestone in reminders.relief_deadlines(today).select_related("application__case__owner"):
        case = milestone.application.case
        if case.owner is not None:
            _tell(
                case.owner,
                f"relief-due:{milestone.pk}",
                _("Case %(id)s: %(kind)s due %(due)s.")
                % {"id": case.public_id, "kind": milestone.get_kind_display(), "due": milestone.due_date},
                reverse("cases:detail", args=[case.public_id]),
            )
        type(milestone).objects.filter(pk=milestone.pk).update(reminded_at=now)
        counts["relief"] += 1
    return counts


@db_periodic_task(crontab(minute="15"))
def hourly_reminders() -> dict[str, int]:
    return send_reminders()
