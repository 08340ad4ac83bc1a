"""Two-factor sign-in and lockout in a real browser."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def caseworker() -> User:
    agency = Agency.objects.create(name="Browser Agency", type=AgencyType.NGO)
    user = User.objects.create_user(
        username="maria", password="correct horse battery", role=Role.CASEWORKER, agency=agency, first_name="Maria"
    )
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def _current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_password_then_totp_reaches_the_staff_home(page, caseworker):
    page.goto("/staff/")
    assert "/accounts/login/" in page.url
    page.get_by_label("User name").fill("maria")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/second-factor/")
    page.get_by_label("Six-digit code from your authenticator app").fill(_current_code(caseworker))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", name="Welcome, Maria").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_wrong_code_is_refused_with_a_message(page, caseworker):
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("maria")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Continue").click()
    wrong = "123456" if _current_code(caseworker) != "123456" else "654321"
    page.get_by_label("Six-digit code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Verify").click()
    assert page.locator("#id_token_error").get_by_text("That code is not right").is_visible()
    page.goto("/staff/")
    assert "/accounts/second-factor/" in page.url


def test_repeated_wrong_passwords_pause_sign_in_from_that_address(page, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill("maria")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Continue").click()
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("maria")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Sign-in paused here").is_visible()
    assert "The account itself is not locked" in page.get_by_role("alert").inner_text()
    page.goto("/staff/")
    assert "/accounts/login/" in page.url
