"""/api/v1/cases: same rules as the screens; 4xx answers carry a JSON detail."""

from __future__ import annotations

import json

import pytest

from beacon.accounts.models import ApiToken
from beacon.cases import services
from beacon.cases.models import ConsentKind

pytestmark = pytest.mark.django_db


def client_for(user, client):
    _token, raw = ApiToken.issue(user, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_create_get_and_patch_with_version(staff, ref, client):
    api = client_for(staff["cw"], client)
    response = api.post(
        "/api/v1/cases",
        json.dumps(
            {"given_name": "Ola", "languages": ["pl"], "county": "17031", "exploitation_types": ["ForcedLabour"]}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    body = api.get(f"/api/v1/cases/{case_id}").json()
    assert body["person"]["given_name"] == "Ola" and body["version"] == 1
    ok = api.patch(
        f"/api/v1/cases/{case_id}", json.dumps({"version": 1, "summary": "x"}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(
        f"/api/v1/cases/{case_id}", json.dumps({"version": 1, "summary": "y"}), content_type="application/json"
    )
    assert stale.status_code == 409 and "Someone else" in stale.json()["detail"]


def test_other_agency_gets_404_and_search_is_scoped(case, staff, client):
    api = client_for(staff["other_cw"], client)
    assert api.get(f"/api/v1/cases/{case.public_id}").status_code == 404
    assert api.get("/api/v1/cases").json()["items"] == []


def test_referral_api_flow_and_shared_view(case, staff, client, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    sender = client_for(staff["cw"], client)
    response = sender.post(
        f"/api/v1/cases/{case.public_id}/referrals",
        json.dumps({"to_agency": other_agency.public_id, "service": "shelter", "shared_fields": ["name"]}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    referral_id = response.json()["id"]
    from django.test import Client

    receiver = client_for(staff["other_cw"], Client())
    queue = receiver.get("/api/v1/cases/referrals", {"box": "queue"}).json()
    assert [r["id"] for r in queue] == [referral_id] and queue[0]["case"] is None
    assert receiver.get(f"/api/v1/cases/referrals/{referral_id}/shared").status_code == 404
    assert receiver.post(f"/api/v1/cases/referrals/{referral_id}/accept").status_code == 200
    shared = receiver.get(f"/api/v1/cases/referrals/{referral_id}/shared").json()
    assert shared["fields"] == [{"field": "name", "label": "Name", "value": "Ana Lopez"}]


def test_referral_without_consent_is_422(case, staff, client, other_agency):
    api = client_for(staff["cw"], client)
    response = api.post(
        f"/api/v1/cases/{case.public_id}/referrals",
        json.dumps({"to_agency": other_agency.public_id, "service": "shelter", "shared_fields": ["name"]}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "consent" in str(response.json()["detail"])


def test_openapi_lists_case_endpoints(client, staff):
    api = client_for(staff["cw"], client)
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases" in schema["paths"] and "/api/v1/cases/{case_id}" in schema["paths"]


def test_referral_api_carries_urgency_summary_and_the_receivers_own_case(case, staff, client, other_agency):
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from beacon.cases.models import Consent

    sender = client_for(staff["cw"], client)
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    consent = sender.post(
        f"/api/v1/cases/{case.public_id}/consents",
        json.dumps(
            {"kind": "referral", "agency": other_agency.public_id, "expires_on": until, "scope_fields": ["name"]}
        ),
        content_type="application/json",
    )
    assert consent.status_code == 201 and consent.json()["expires_on"] == until
    assert consent.json()["scope_fields"] == ["name"]
    beyond = sender.post(
        f"/api/v1/cases/{case.public_id}/referrals",
        json.dumps({"to_agency": other_agency.public_id, "service": "shelter", "shared_fields": ["name", "contact"]}),
        content_type="application/json",
    )
    assert beyond.status_code == 422 and "Contact details" in str(beyond.json()["detail"])
    sent = sender.post(
        f"/api/v1/cases/{case.public_id}/referrals",
        json.dumps(
            {"to_agency": other_agency.public_id, "service": "shelter", "shared_fields": ["name"], "urgency": "urgent"}
        ),
        content_type="application/json",
    ).json()
    receiver = client_for(staff["other_cw"], Client())
    detail = receiver.get(f"/api/v1/cases/referrals/{sent['id']}").json()
    assert detail["urgency"] == "urgent" and detail["summary"]["services"] == ["shelter"]
    assert detail["summary"]["county"] == "17031" and "Ana" not in json.dumps(detail)
    Consent.objects.filter(public_id=consent.json()["id"]).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    refused = receiver.post(f"/api/v1/cases/referrals/{sent['id']}/accept")
    assert refused.status_code == 422 and "expired" in str(refused.json()["detail"])
    Consent.objects.filter(public_id=consent.json()["id"]).update(expires_on=None)
    accepted = receiver.post(f"/api/v1/cases/referrals/{sent['id']}/accept").json()
    assert accepted["status"] == "accepted" and accepted["received_case"]
    assert sender.get(f"/api/v1/cases/referrals/{sent['id']}").json()["received_case"] is None
