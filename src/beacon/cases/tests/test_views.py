"""Screens: caseload panel, intake, case page, search, edit conflicts, referrals, shared view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beacon.audit.models import AuditAction, AuditEntry
from beacon.cases import services
from beacon.cases.models import Case, ConsentKind

pytestmark = pytest.mark.django_db


def test_home_panel_lists_my_cases_tasks_and_waiting_referrals(case, staff, staff_client):
    import datetime as dt

    services.add_task(staff["cw"], case, title="Call back", due_date=dt.date(2020, 1, 1))
    response = staff_client(staff["cw"]).get(reverse("web:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.public_id in body and "Call back" in body and "overdue" in body
    assert "Ana" not in body  # the list shows ids, not names


def test_intake_form_keeps_typed_values_on_error(staff, staff_client, ref):
    response = staff_client(staff["cw"]).post(
        reverse("cases:intake"), {"birth_date": "2999-01-01", "summary": "typed text"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "future" in body and "typed text" in body


def test_intake_creates_case_and_warns_about_duplicates(case, staff, staff_client, ref):
    client = staff_client(staff["sup"])
    data = {
        "given_name": "Ana",
        "family_name": "Lopez",
        "languages": ["es"],
        "county": "17031",
        "exploitation_types": ["ForcedLabour"],
        "consent_services": "on",
    }
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 200 and "may already be known" in response.content.decode()
    response = client.post(reverse("cases:intake"), {**data, "confirm_new": "1"})
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_case_page_shows_details_and_audits_the_read(case, staff, staff_client):
    before = AuditEntry.objects.filter(action=AuditAction.VIEW).count()
    response = staff_client(staff["cw"]).get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200
    assert "Ana Lopez" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW).count() == before + 2


def test_case_page_is_404_for_other_agencies(case, staff, staff_client):
    assert staff_client(staff["other_cw"]).get(reverse("cases:detail", args=[case.public_id])).status_code == 404
    assert staff_client(staff["cw2"]).get(reverse("cases:detail", args=[case.public_id])).status_code == 404


def test_search_filters_and_name_lookup(case, staff, staff_client):
    client = staff_client(staff["sup"])
    url = reverse("cases:list")
    assert case.public_id in client.get(url, {"q": "ana lopez"}).content.decode()
    filtered = client.get(url, {"status": "Active", "type": "ForcedLabour", "county": "17031"})
    assert case.public_id in filtered.content.decode()
    assert case.public_id not in client.get(url, {"status": "Closed"}).content.decode()
    assert case.public_id not in client.get(url, {"q": "someone else"}).content.decode()


def test_edit_conflict_shows_a_clear_message_and_keeps_input(case, staff, staff_client):
    client = staff_client(staff["cw"])
    url = reverse("cases:edit", args=[case.public_id])
    services.update_case(staff["sup"], case, version=1, summary="supervisor's change")
    response = client.post(url, {"version": "1", "status": "Active", "summary": "my change"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in body and "my change" in body
    case.refresh_from_db()
    assert case.summary == "supervisor's change"


def test_referral_screens_show_only_shared_fields(shared_case, staff, staff_client):
    case, referral = shared_case
    client = staff_client(staff["other_cw"])
    body = client.get(reverse("cases:referral", args=[referral.public_id])).content.decode()
    assert "Ana Lopez" in body and 'data-field="languages"' in body
    assert "Undocumented" not in body and "+13125550101" not in body and case.public_id not in body
    services.revoke_consent(staff["cw"], referral.consent)
    body = client.get(reverse("cases:referral", args=[referral.public_id])).content.decode()
    assert "Ana Lopez" not in body and 'id="no-access"' in body


def test_referral_flow_through_the_screens(case, staff, staff_client, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    sender = staff_client(staff["cw"])
    response = sender.post(
        reverse("cases:new_referral", args=[case.public_id]),
        {
            "to_agency": other_agency.pk,
            "service": "shelter",
            "shared_fields": ["name", "contact"],
            "reason": "AdditionalServicesRequired",
            "message": "",
        },
    )
    assert response.status_code == 302
    referral = case.referrals.get()
    receiver = staff_client(staff["other_cw"])
    assert referral.public_id in receiver.get(reverse("cases:referrals")).content.decode()
    receiver.post(reverse("cases:referral_action", args=[referral.public_id, "accept"]))
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_referral_without_consent_explains_why(case, staff, staff_client, other_agency):
    response = staff_client(staff["cw"]).post(
        reverse("cases:new_referral", args=[case.public_id]),
        {
            "to_agency": other_agency.pk,
            "service": "shelter",
            "shared_fields": ["name"],
            "reason": "AdditionalServicesRequired",
        },
    )
    assert response.status_code == 200
    assert "has not consented" in response.content.decode()


def test_case_page_actions(case, staff, staff_client, ref):
    client = staff_client(staff["cw"])
    base = case.public_id
    assert client.post(reverse("cases:add_note", args=[base]), {"body": "Met today"}).status_code == 302
    client.post(reverse("cases:add_need", args=[base]), {"category": "shelter", "priority": "urgent"})
    client.post(reverse("cases:add_task", args=[base]), {"title": "Call", "due_date": "2030-01-01"})
    client.post(reverse("cases:add_relief", args=[base]), {"kind": "t_visa"})
    assert case.notes.count() == 1 and case.needs.count() == 1 and case.tasks.count() == 1
    assert case.relief.count() == 1


def test_team_view_is_for_supervisors(case, staff, staff_client):
    assert staff_client(staff["cw"]).get(reverse("cases:team")).status_code == 403
    response = staff_client(staff["sup"]).get(reverse("cases:team"))
    assert response.status_code == 200 and staff["cw"].username in response.content.decode()


def test_event_and_perpetrator_forms_have_their_own_pages(case, staff, staff_client, ref):
    client = staff_client(staff["cw"])
    url = reverse("cases:add_event", args=[case.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Illinois county" in page.content.decode()
    assert client.post(url, {"type": "Transit", "county": "17031"}).status_code == 302
    assert client.get(reverse("cases:add_perpetrator", args=[case.public_id])).status_code == 200
    assert case.events.count() == 1


@pytest.mark.django_db
def test_task_done_form_never_redirects_to_another_host(case, staff, staff_client):
    from beacon.cases.models import Task

    task = Task.objects.create(case=case, assignee=staff["cw"], title="Court date", due_date="2030-01-01")
    response = staff_client(staff["cw"]).post(
        f"/staff/cases/tasks/{task.public_id}/done/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
