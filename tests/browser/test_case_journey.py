"""A survivor's case across two agencies, in a real browser.

Intake -> screening -> service plan -> referral -> the other agency accepts -> it sees only the
shared fields -> the survivor revokes consent -> it sees nothing.
"""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases.models import Case, Referral
from beacon.reference.models import County, Language

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


@pytest.fixture
def world() -> dict:
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    for code, iso, name in [("en", "eng", "English"), ("es", "spa", "Spanish")]:
        Language.objects.create(code=code, iso639_3=iso, name=name, native_name=name)
    sender_agency = Agency.objects.create(name="Lakeside Services", type=AgencyType.NGO)
    legal_agency = Agency.objects.create(name="Prairie Legal Aid", type=AgencyType.LEGAL_SERVICE)
    users = {}
    for username, agency in (("sender", sender_agency), ("receiver", legal_agency)):
        user = User.objects.create_user(
            username=username, password=PASSWORD, role=Role.CASEWORKER, agency=agency, first_name=username.title()
        )
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        users[username] = user
    return users


def sign_in(page, user: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Six-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/")


def test_case_journey_across_two_agencies(page, browser, live_server, world):
    sender, receiver = world["sender"], world["receiver"]
    sign_in(page, sender)

    # Intake from scratch.
    page.goto("/staff/cases/new/")
    page.get_by_label("Given name").fill("Lucia")
    page.get_by_label("Family name").fill("Fictional")
    page.get_by_label("Immigration status").fill("Asylum application pending")
    page.get_by_label("Languages").select_option("es")
    page.get_by_label("Forced labour").check()
    page.locator("#id_county").select_option("17031")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url(re.compile(r".*/staff/cases/[0-9A-Z]+/$"))
    case = Case.objects.get()
    assert page.get_by_role("heading", name=re.compile(f"Case {case.public_id}")).is_visible()

    # Screening, started from the case page.
    page.get_by_role("link", name="Start a screening").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    page.goto(f"/staff/cases/{case.public_id}/")
    assert page.locator("#screening-list a").count() == 1

    # Service plan: a need and a plan item.
    page.get_by_role("link", name="Add a need").click()
    page.locator("#id_category").select_option("legal_immigration")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Need added.").wait_for()
    page.get_by_role("link", name="Add a plan item").click()
    page.locator("#id_category").select_option("legal_immigration")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Service plan item added.").wait_for()

    # Consent to a referral to the legal agency, then the referral with chosen fields.
    page.get_by_role("link", name="Record consent").click()
    page.locator("#id_kind").select_option("referral")
    page.locator("#id_agency").select_option(label="Prairie Legal Aid")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Consent recorded.").wait_for()
    page.get_by_role("link", name="Refer", exact=True).click()
    page.get_by_label("Refer to agency").select_option(label="Prairie Legal Aid")
    page.locator("#id_service").select_option("legal_immigration")
    page.get_by_label("Contact details").uncheck()  # minimum necessary: name, languages, needs
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text(re.compile(r"Referral \w+ sent\.")).wait_for()
    referral = Referral.objects.get()

    # The legal agency sees it in its queue and accepts.
    other = browser.new_context(base_url=live_server.url, locale="en-US")
    legal = other.new_page()
    legal.set_default_timeout(15000)
    sign_in(legal, receiver)
    legal.get_by_role("link", name=referral.public_id).first.click()
    legal.get_by_role("button", name="Accept and open a case").click()
    shared = legal.locator("#shared-fields")
    shared.wait_for()
    text = shared.inner_text()
    assert "Lucia Fictional" in text and "Spanish" in text and "Legal assistance (immigration)" in text
    assert "legal_immigration" not in text  # labels, never codes
    assert "Asylum" not in legal.content()  # immigration status was not shared
    assert legal.locator('[data-field="contact"]').count() == 0
    assert legal.goto(f"/staff/cases/{case.public_id}/").status == 404  # never the full case

    # The survivor revokes the referral consent: the legal agency sees nothing any more.
    page.goto(f"/staff/cases/{case.public_id}/")
    page.locator('[data-revoke="referral:Prairie Legal Aid"]').click()
    page.get_by_text("Consent revoked.").wait_for()
    legal.goto(f"/staff/cases/referrals/{referral.public_id}/")
    assert legal.locator("#no-access").is_visible()
    assert "Lucia" not in legal.content()
    other.close()
