"""The intake API: token-authenticated, idempotent, same tip record as the portal."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.tips.models import Channel, Tip


@pytest.fixture
def gateway(make_user, agency):
    user = make_user(Role.HOTLINE, agency)
    _, raw = ApiToken.issue(user, "SMS gateway")
    return raw


def _post(raw: str | None, body: dict, key: str | None = "msg-1"):
    headers = {}
    if raw:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post("/api/v1/tips", json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_gateway_tip_is_created_once_per_idempotency_key(gateway, counties):
    body = {
        "channel": "sms",
        "language": "es",
        "narrative": "Me quitaron el pasaporte",
        "location_kind": "county",
        "county_fips": "17031",
        "people": {"phones": ["3125550142"]},
    }
    first = _post(gateway, body)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["created"] and len(data["codename"].split()) == 6
    again = _post(gateway, body)
    assert again.status_code == 200
    assert again.json()["public_id"] == data["public_id"] and again.json()["codename"] == data["codename"]
    tip = Tip.objects.get()
    assert tip.channel == Channel.SMS and tip.in_illinois and tip.identifiers.count() == 1
    status = Client().get(f"/api/v1/tips/{tip.public_id}", HTTP_AUTHORIZATION=f"Bearer {gateway}")
    assert status.status_code == 200 and status.json()["status"] == "new"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "key", "status"),
    [
        ({"narrative": "x"}, None, 422),
        ({"narrative": ""}, "k", 422),
        ({"narrative": "x", "when": "yesterday"}, "k", 422),
        ({"narrative": "x", "location_kind": "county", "county_fips": "99999"}, "k", 422),
        ({"narrative": "x" * 10_001}, "k", 422),
    ],
)
def test_bad_gateway_input_is_refused_with_a_json_detail(gateway, counties, body, key, status):
    response = _post(gateway, body, key=key)
    assert response.status_code == status
    assert "detail" in response.json()
    assert Tip.objects.count() == 0


@pytest.mark.django_db
def test_the_api_needs_a_token_of_a_role_that_may_create_tips(make_user, agency, counties):
    assert _post(None, {"narrative": "x"}).status_code == 401
    _, raw = ApiToken.issue(make_user(Role.ANALYST, agency), "no")
    assert _post(raw, {"narrative": "x"}).status_code == 403
