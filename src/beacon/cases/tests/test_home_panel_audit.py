"""Task titles on the home page are encrypted case details: showing them is an audited read."""

import datetime as dt

import pytest
from django.utils import timezone

from beacon.audit.models import AuditEntry
from beacon.cases.models import Task


@pytest.mark.django_db
def test_tasks_shown_on_the_home_page_are_audited(case, staff, staff_client):
    task = Task.objects.create(
        case=case,
        assignee=staff["cw"],
        title="Call Ana about court date",
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    response = staff_client(staff["cw"]).get("/staff/")
    assert "Call Ana about court date" in response.content.decode()
    assert AuditEntry.objects.filter(action="view", object_id=task.public_id, actor_id=staff["cw"].pk).exists()


@pytest.mark.django_db
def test_case_page_shows_names_not_codes(case, staff, staff_client):
    body = staff_client(staff["cw"]).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert "Spanish" in body and "Mexico" in body
    assert "address: ;" not in body and "address:" not in body
