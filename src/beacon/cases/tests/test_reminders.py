"""Reminder selection (2 business days, overdue tasks, relief deadlines) and the periodic task."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from beacon.cases import reminders, services
from beacon.cases.models import ConsentKind, Referral
from beacon.cases.tasks import send_reminders

CHICAGO = ZoneInfo("America/Chicago")


def test_business_days_skip_weekends():
    monday = dt.datetime(2026, 11, 23, 10, tzinfo=CHICAGO)
    assert reminders.subtract_business_days(monday, 2).date() == dt.date(2026, 11, 19)  # Thursday
    wednesday = dt.datetime(2026, 11, 25, 10, tzinfo=CHICAGO)
    assert reminders.subtract_business_days(wednesday, 2).date() == dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_unanswered_referrals_after_two_business_days(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    friday = dt.datetime(2026, 11, 20, 9, tzinfo=CHICAGO)
    Referral.objects.filter(pk=referral.pk).update(sent_at=friday)
    assert not reminders.unanswered_referrals(dt.datetime(2026, 11, 23, 12, tzinfo=CHICAGO)).exists()  # Monday
    assert not reminders.unanswered_referrals(dt.datetime(2026, 11, 24, 8, tzinfo=CHICAGO)).exists()
    assert reminders.unanswered_referrals(dt.datetime(2026, 11, 24, 9, 30, tzinfo=CHICAGO)).exists()  # Tuesday
    services.accept_referral(staff["other_cw"], referral)
    assert not reminders.unanswered_referrals(dt.datetime(2026, 12, 1, tzinfo=CHICAGO)).exists()


@pytest.mark.django_db
def test_periodic_task_notifies_once_and_emails(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - dt.timedelta(days=6))
    services.add_task(staff["cw"], case, title="Call", due_date=timezone.localdate() - dt.timedelta(days=1))
    relief = services.add_relief(staff["cw"], case, kind="t_visa")
    services.add_milestone(staff["cw"], relief, kind="filed", due_date=timezone.localdate() + dt.timedelta(days=3))
    mail.outbox.clear()
    counts = send_reminders()
    assert counts == {"referrals": 1, "tasks": 1, "relief": 1}
    assert staff["other_cw"].notifications.filter(key=f"referral-unanswered:{referral.public_id}").exists()
    assert staff["cw"].notifications.filter(key__startswith="task-overdue").exists()
    assert staff["cw"].notifications.filter(key__startswith="relief-due").exists()
    assert mail.outbox and all("Ana" not in m.body for m in mail.outbox)
    assert send_reminders() == {"referrals": 0, "tasks": 0, "relief": 0}


@pytest.mark.django_db
def test_done_tasks_and_reached_milestones_are_not_reminded(case, staff):
    task = services.add_task(staff["cw"], case, title="x", due_date=dt.date(2020, 1, 1))
    services.complete_task(staff["cw"], task)
    assert not reminders.overdue_tasks(timezone.localdate()).exists()
    relief = services.add_relief(staff["cw"], case, kind="u_visa")
    services.add_milestone(
        staff["cw"], relief, kind="filed", due_date=dt.date(2020, 1, 1), reached_on=dt.date(2020, 1, 1)
    )
    assert not reminders.relief_deadlines(timezone.localdate()).exists()
