"""API tokens a person can get: their own page (shown once, stored hashed, expiry, scope, last use,
revoke), the `beacon token` command for service accounts, and the demo's token."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PAGE = "/staff/account/tokens/"


def _raw_from(html: str) -> str:
    marker = 'id="new-token" class="token" type="text" readonly value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_person_creates_a_token_seen_once_and_stored_hashed(agency, make_user, staff_client, settings):
    settings.BEACON_API_TOKEN_DAYS = 365
    user = make_user(Role.HOTLINE, agency, username="lee")
    client = staff_client(user)
    response = client.post(PAGE, {"name": "SMS gateway", "scope": "write", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = _raw_from(response.content.decode())
    token = ApiToken.objects.get(user=user)
    assert raw.startswith("bcn_") and token.token_hash == ApiToken.hash(raw) and raw not in token.token_hash
    assert 29 <= (token.expires_at - token.created_at).days <= 30 and token.scope == "write"
    again = client.get(PAGE).content.decode()
    assert raw not in again and "SMS gateway" in again and f"bcn_{token.prefix}" in again and "never" in again
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "lee"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEntry.objects.filter(action="create", object_type="accounts.apitoken", actor_id=user.pk).exists()


def test_a_read_only_token_reads_but_does_not_write(agency, make_user, staff_client):
    user = make_user(Role.HOTLINE, agency)
    raw = _raw_from(staff_client(user).post(PAGE, {"name": "reader", "scope": "read", "days": "5"}).content.decode())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me").status_code == 200
    assert api.post("/api/v1/tips", "{}", content_type="application/json").status_code == 401


def test_expiry_beyond_the_setting_is_refused_with_a_message(agency, make_user, staff_client, settings):
    settings.BEACON_API_TOKEN_DAYS = 60
    client = staff_client(make_user(Role.HOTLINE, agency))
    response = client.post(PAGE, {"name": "too long", "scope": "read", "days": "61"})
    assert "less than or equal to 60" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_own_tokens_only(agency, make_user, staff_client):
    lee, kim = make_user(Role.HOTLINE, agency), make_user(Role.HOTLINE, agency)
    raw = _raw_from(staff_client(lee).post(PAGE, {"name": "gw", "scope": "write", "days": "5"}).content.decode())
    token = ApiToken.objects.get(user=lee)
    assert staff_client(kim).post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert staff_client(lee).post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "revoked" in staff_client(lee).get(PAGE).content.decode()


def test_the_token_command_issues_lists_and_revokes(agency, make_user):
    make_user(Role.HOTLINE, agency, username="gateway")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token",
        "issue",
        "--user",
        "gateway",
        "--name",
        "SMS",
        "--scope",
        "write",
        "--days",
        "10",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert "Shown once" in err.getvalue()
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    prefix = raw[4:12]
    assert prefix in listing.getvalue() and raw not in listing.getvalue() and "active" in listing.getvalue()
    call_command("token", "revoke", prefix, stdout=io.StringIO())
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    with pytest.raises(CommandError):
        call_command("token", "issue", "--user", "nobody", "--name", "x")


def test_the_demo_prints_a_working_token_for_the_hotline_account(agency, make_user):
    from beacon.demo.management.commands.demo import Command

    make_user(Role.HOTLINE, agency, username="hotline")
    out = io.StringIO()
    command = Command(stdout=out)
    command._gateway_token()
    raw = next(line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("bcn_"))
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "hotline"
