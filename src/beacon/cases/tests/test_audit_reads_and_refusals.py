"""Every render of personal data is a view entry; refusals of real records are audit entries."""

from __future__ import annotations

import pytest
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["edit", "person"])
def test_the_edit_forms_are_audited_as_views_of_the_case_and_person(case, staff, staff_client, page):
    client = staff_client(staff["cw"])
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.get(f"/staff/cases/{case.public_id}/{page}/")
    assert response.status_code == 200
    if page == "person":
        assert "Ana" in response.content.decode()  # the decrypted name is on the page
    views = AuditEntry.objects.filter(seq__gt=before, action="view", actor_id=staff["cw"].pk)
    assert set(views.values_list("object_type", "object_id")) == {
        ("cases.case", case.public_id),
        ("cases.person", case.person.public_id),
    }


def test_a_real_record_out_of_scope_is_not_found_and_audited(case, staff, staff_client):
    client = staff_client(staff["other_cw"])
    assert client.get(f"/staff/cases/{case.public_id}/").status_code == 404
    refusal = AuditEntry.objects.get(action="denied", actor_id=staff["other_cw"].pk)
    assert (refusal.object_type, refusal.object_id, refusal.reason) == ("cases.case", case.public_id, "view case")
    # A case that does not exist is just not found: nothing to record.
    assert client.get("/staff/cases/NOSUCHCASE1/").status_code == 404
    assert AuditEntry.objects.filter(action="denied").count() == 1


def test_a_role_without_the_grant_gets_403_and_an_entry(staff, staff_client):
    response = staff_client(staff["analyst"]).get("/staff/cases/")
    assert response.status_code == 403
    refusal = AuditEntry.objects.get(action="denied", actor_id=staff["analyst"].pk)
    assert refusal.object_type == "case" and refusal.object_id == "" and refusal.reason == "view case"


def test_the_api_audits_refusals_too(case, staff):
    _token, raw = ApiToken.issue(staff["other_cw"], "t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.get(f"/api/v1/cases/{case.public_id}")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert AuditEntry.objects.filter(action="denied", actor_id=staff["other_cw"].pk, object_id=case.public_id).exists()
    _token, raw = ApiToken.issue(staff["analyst"], "t")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/cases").status_code in (401, 403)


def test_refusal_entries_hold_no_personal_data(case, staff, staff_client):
    staff_client(staff["other_cw"]).get(f"/staff/cases/{case.public_id}/person/")
    for entry in AuditEntry.objects.filter(action="denied"):
        text = entry.canonical().decode()
        assert "Ana" not in text and "Lopez" not in text and "312" not in text


def test_a_referral_out_of_scope_is_not_found_and_audited(shared_case, staff, staff_client):
    _case, referral = shared_case
    # Another caseworker of the sending agency: referrals are their owner's, like the case.
    client = staff_client(staff["cw2"])
    assert client.get(f"/staff/cases/referrals/{referral.public_id}/").status_code == 404
    refusal = AuditEntry.objects.get(action="denied", actor_id=staff["cw2"].pk)
    assert (refusal.object_type, refusal.object_id, refusal.reason) == (
        "cases.referral",
        referral.public_id,
        "view referral",
    )
    assert client.get("/staff/cases/referrals/NOSUCHREF1/").status_code == 404
    assert AuditEntry.objects.filter(action="denied").count() == 1
    _token, raw = ApiToken.issue(staff["cw2"], "t")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/cases/referrals/{referral.public_id}")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert AuditEntry.objects.filter(action="denied", actor_id=staff["cw2"].pk).count() == 2
