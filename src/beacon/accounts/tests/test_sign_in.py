from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_password_alone_does_not_open_staff_pages(agency, make_user):
    make_user(Role.CASEWORKER, agency, username="maria")
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "maria", "password": "correct horse battery"})
    assert response.headers["Location"] == reverse("accounts:second_factor")
    assert client.get(reverse("web:home")).headers["Location"] == reverse("accounts:second_factor")


@pytest.mark.django_db
def test_totp_completes_sign_in_and_is_audited(agency, make_user):
    user = make_user(Role.CASEWORKER, agency, username="maria")
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "maria", "password": "correct horse battery"})
    wrong = client.post(
        reverse("accounts:second_factor"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("accounts:second_factor"), {"token": _code(device)})
    assert ok.status_code == 302 and client.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action="sign_in", actor_id=user.pk).exists()


@pytest.mark.django_db
def test_first_sign_in_enrols_an_authenticator(agency, make_user):
    user = make_user(Role.CASEWORKER, agency, username="newbie")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "newbie", "password": "correct horse battery"})
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:second_factor"), {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(agency, make_user, settings):
    make_user(Role.CASEWORKER, agency, username="target")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "target", "password": "wrong password!"})
    locked = client.post(reverse("accounts:login"), {"username": "target", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()


@pytest.mark.django_db
def test_sign_in_form_keeps_the_user_name_and_explains(agency, make_user):
    response = Client().post(reverse("accounts:login"), {"username": "someone", "password": "nope"})
    body = response.content.decode()
    assert 'value="someone"' in body and "do not match" in body


@pytest.mark.django_db
def test_idle_sessions_expire(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 60 * 60


@pytest.mark.django_db
def test_agency_admin_manages_only_own_agency_users(agency, other_agency, make_user, staff_client):
    admin = make_user(Role.AGENCY_ADMIN, agency)
    stranger = make_user(Role.CASEWORKER, other_agency)
    client = staff_client(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Person",
            "email": "n@example.org",
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "password": "a long enough password 1",
        },
    )
    assert response.status_code == 302
    assert admin.agency.users.filter(username="newcomer", role=Role.SUPERVISOR).exists()
    # Another agency's account is out of scope: "not found", like a missing one.
    assert client.get(reverse("accounts:user_edit", args=[stranger.pk])).status_code == 404
    refused = client.post(
        reverse("accounts:user_create"),
        {"username": "root2", "role": Role.SYSTEM_ADMIN, "password": "a long enough password 1"},
    )
    assert refused.status_code == 200 and "not one of the available choices" in refused.content.decode()


@pytest.mark.django_db
def test_api_token_authentication(agency, make_user):
    user = make_user(Role.CASEWORKER, agency)
    token, raw = ApiToken.issue(user, "sms gateway")
    client = Client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["role"] == "caseworker"
    assert ApiToken.objects.get(pk=token.pk).token_hash != raw
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_has_a_home_page(role, agency, make_user, staff_client):
    response = staff_client(make_user(role, agency)).get(reverse("web:home"))
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()


@pytest.mark.django_db
def test_api_docs_load_nothing_from_another_host(agency, make_user, staff_client):
    response = staff_client(make_user(Role.CASEWORKER, agency)).get("/api/v1/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in body and "https://" not in body.replace("https://github.com", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("https://evil.example/login", "/staff/"),
        ("//evil.example/", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("/staff/cases/", "/staff/cases/"),
    ],
)
def test_second_factor_redirects_only_within_the_site(agency, make_user, target, lands_on):
    user = make_user(Role.CASEWORKER, agency, username="maria")
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "maria", "password": "correct horse battery"})
    response = client.post(reverse("accounts:second_factor") + f"?next={target}", {"token": _code(device)})
    assert response.status_code == 302 and response.headers["Location"] == lands_on


@pytest.mark.django_db
def test_api_tokens_expire_and_read_only_tokens_cannot_write(agency, make_user, settings):
    import datetime as dt

    from django.utils import timezone

    from beacon.accounts.models import TokenScope

    settings.BEACON_API_TOKEN_DAYS = 30
    user = make_user(Role.CASEWORKER, agency)
    token, raw = ApiToken.issue(user, "gateway")
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    # a requested expiry further out than the setting allows is cut back to it
    far, _ = ApiToken.issue(user, "far", expires_at=timezone.now() + dt.timedelta(days=900))
    assert far.expires_at - timezone.now() <= dt.timedelta(days=30)
    client = Client()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    _, reader = ApiToken.issue(user, "reader", scope=TokenScope.READ)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code == 200
    refused = client.post(
        "/api/v1/cases", data={}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {reader}"
    )
    assert refused.status_code == 401


@pytest.mark.django_db
def test_every_response_carries_a_permissions_policy(client):
    for path in ("/en/", "/accounts/login/", "/api/v1/openapi.json"):
        policy = client.get(path).headers.get("Permissions-Policy", "")
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
