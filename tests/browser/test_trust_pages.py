"""The account holder's trust pages in a real browser: failed sign-ins shown after signing in, the API
token page (a token shown once), and the audit page with its probing notice."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("BEACON_SHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        for w, h in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=f"{SHOTS}/{name}-{w}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def maria() -> User:
    agency = Agency.objects.create(name="Browser Agency", type=AgencyType.NGO)
    user = User.objects.create_user(
        username="maria", password="correct horse battery", role=Role.HOTLINE, agency=agency, first_name="Maria"
    )
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def _code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _password(page, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("maria")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def test_failed_sign_ins_are_shown_then_a_token_is_made_and_shown_once(page, maria):
    for _ in range(3):
        _password(page, "not the password")
        assert page.get_by_text("do not match").is_visible()
    _password(page, "correct horse battery")
    page.get_by_label("Six-digit code from your authenticator app").fill(_code(maria))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/account/sign-in-failures/**")
    assert "failed to sign in to your account 3 times" in page.get_by_role("alert").inner_text()
    assert page.locator("tbody tr").count() == 3
    _shot(page, "sign-in-failures")
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/account/tokens/")
    page.get_by_label("Name").fill("SMS gateway")
    page.get_by_label("Scope").select_option("write")
    page.get_by_label("Valid for (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    raw = page.get_by_label("Your new token").input_value()
    assert raw.startswith("bcn_")
    _shot(page, "tokens-created")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    page.goto("/staff/account/tokens/")
    assert raw not in page.content() and page.get_by_role("cell", name="SMS gateway").is_visible()
    page.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("is revoked").is_visible()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_audit_page_filters_and_warns_of_probing(page, live_server, maria, settings):
    settings.BEACON_PROBING_THRESHOLD = 5
    root = User.objects.create_user(username="root", password="correct horse battery", role=Role.SYSTEM_ADMIN)
    for n in range(6):
        record(maria, AuditAction.DENIED, object_type="cases.case", object_id=f"CASE{n:06d}", reason="view case")
    record(maria, AuditAction.VIEW, object_type="tips.tip", object_id="TIP0000001", reason="tip page")
    sign_in(page.context, live_server, root)
    page.goto("/staff/audit/")
    assert "Possible probing: the account maria was refused 6 times" in page.get_by_role("alert").inner_text()
    _shot(page, "audit")
    page.get_by_label("Action").select_option("denied")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("tbody tr").count() == 6 and "TIP0000001" not in page.locator("tbody").inner_text()
    _shot(page, "audit-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("audit-")
