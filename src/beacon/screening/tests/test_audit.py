"""Every read of a screening's answers or result is written to the audit log, without personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beacon.audit.models import AuditEntry
from beacon.audit.services import verify_chain

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["result", "print"])
def test_opening_a_result_is_audited(staff, case, screen, staff_client, name):
    screening = screen(staff["cw"], case=case, notes="Fictional note.")
    before = AuditEntry.objects.count()
    response = staff_client(staff["sup"]).get(reverse(f"screening:{name}", args=[screening.public_id]))
    assert response.status_code == 200
    views = AuditEntry.objects.filter(seq__gt=before, action="view", object_type="screening.screening")
    assert views.count() == 1
    entry = views.get()
    assert entry.object_id == screening.public_id and entry.actor_id == staff["sup"].pk
    assert "Fictional" not in entry.reason and "DR01" not in entry.reason
    assert verify_chain().ok


def test_asking_questions_is_audited_as_reads_and_writes(staff, case, staff_client):
    client = staff_client(staff["cw"])
    client.post(
        reverse("screening:new"),
        {"case": case.public_id, "plan": "ilo-2009|adult-labour", "language": "en", "mode": "one"},
    )
    entry = AuditEntry.objects.filter(action="create", object_type="screening.screening").get()
    client.post(
        reverse("screening:safety", args=[entry.object_id]),
        {
            "safe_to_talk": "yes",
            "interpreter": "not_needed",
            "confidentiality_explained": "on",
            "right_to_stop_explained": "on",
            "agreed_to_continue": "on",
        },
    )
    updates = AuditEntry.objects.filter(object_id=entry.object_id, action="update")
    safety = list(updates.values_list("reason", flat=True))
    assert safety == ["safety and consent step recorded"]
    location = reverse("screening:ask", args=[entry.object_id])
    client.get(location)
    client.post(location, {"item": "DR01", "n": "1", "answer": "yes", "action": "next"})
    actions = list(AuditEntry.objects.filter(object_id=entry.object_id).values_list("action", flat=True))
    assert actions.count("view") >= 2 and "update" in actions


def test_lists_show_no_answers_and_are_not_per_row_audited(staff, case, screen, staff_client):
    screen(staff["cw"], case=case)
    before = AuditEntry.objects.count()
    html = staff_client(staff["cw"]).get(reverse("screening:list")).content.decode()
    assert "trafficking" in html and "DR01" not in html
    assert AuditEntry.objects.count() == before
