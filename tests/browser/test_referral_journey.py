"""A referral from agency A to agency B, in a real browser, as the two caseworkers do it.

A records the survivor's consent with an expiry, refers to B although the directory marks B as not
accepting (the warning comes first), B reads the non-identifying summary and the message, accepts and
lands in its own case, both write in the thread, and the consent's expiry ends B's shared view.
Set BEACON_SHOTS to a folder to keep screenshots of each step at 1280x800 and 390x844.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases import services
from beacon.cases.models import Case, Consent, Referral
from beacon.directory.models import Provider, ProviderService
from beacon.reference.models import County, Language
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("BEACON_SHOTS", "")
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _shots(page, name: str) -> None:
    """Screenshots of the page at both sizes (only when BEACON_SHOTS is set); the page overflows neither."""
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width}px"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def world() -> dict:
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    for code, iso, name in [("en", "eng", "English"), ("es", "spa", "Spanish")]:
        Language.objects.create(code=code, iso639_3=iso, name=name, native_name=name)
    lakeside = Agency.objects.create(name="Lakeside Services", type=AgencyType.NGO, phone="+13125550100")
    prairie = Agency.objects.create(name="Prairie Legal Aid", type=AgencyType.LEGAL_SERVICE)
    entry = Provider.objects.create(agency=prairie, name="Prairie Legal Aid", accepting_new_clients=False)
    ProviderService.objects.create(provider=entry, category="legal_immigration")
    sender = User.objects.create_user(
        username="amara", role=Role.CASEWORKER, agency=lakeside, first_name="Amara", last_name="Okafor"
    )
    receiver = User.objects.create_user(
        username="diego", role=Role.CASEWORKER, agency=prairie, first_name="Diego", last_name="Ruiz"
    )
    case = services.open_case(
        sender,
        given_name="Lucia",
        family_name="Fictional",
        phone="312-555-0199",
        estimated_age=16,
        languages=["es"],
        exploitation_types=["ForcedLabour"],
        county="17031",
        immigration_status="Asylum application pending",
    )
    services.add_need(sender, case, category="legal_immigration", priority="urgent")
    return {"sender": sender, "receiver": receiver, "case": case, "prairie": prairie}


def test_referral_from_one_agency_to_another(page, browser, live_server, world):
    sender, case = world["sender"], world["case"]
    sign_in(page.context, live_server, sender)

    # Consent to the referral, with an expiry.
    page.goto(f"/staff/cases/{case.public_id}/consents/")
    page.locator("#id_kind").select_option("referral")
    page.locator("#id_agency").select_option(label="Prairie Legal Aid")
    page.locator("#id_method").select_option("written")
    page.get_by_label("Expires on (optional)").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Witnessed by (optional)").fill("Rosa Witness")
    page.locator('input[name="scope_fields"][value="contact"]').uncheck()  # the survivor keeps their phone
    page.get_by_label("Signed form (optional; PDF or image, up to 10 MB)").set_input_files(
        {"name": "signed-consent.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%fictional form\n"}
    )
    _shots(page, "0-consent-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Consent recorded.").wait_for()
    consent_row = page.locator("tr[data-consent]").first.inner_text()
    assert "Rosa Witness" in consent_row and "until" in consent_row and "Signed form" in consent_row
    assert "Contact details" not in consent_row

    # The referral: the directory's warning comes before anything is sent.
    page.get_by_role("link", name="Refer", exact=True).click()
    page.get_by_label("Refer to agency").select_option(label="Prairie Legal Aid")
    page.locator("#id_service").select_option("legal_immigration")
    page.locator("#id_urgency").select_option("urgent")
    page.get_by_label("Contact details").uncheck()  # beyond the consent: the referral could not carry it
    page.get_by_label("Message to the receiving agency").fill("Needs an immigration lawyer this week. Please call me.")
    page.get_by_role("button", name="Send referral").click()
    page.locator("#directory-warnings").wait_for()
    assert "not accepting new clients" in page.locator("#directory-warnings").inner_text()
    assert Referral.objects.count() == 0
    _shots(page, "1-directory-warning")
    page.get_by_role("button", name="Send anyway").click()
    page.get_by_text(re.compile(r"Referral \w+ sent\.")).wait_for()
    referral = Referral.objects.get()
    _shots(page, "2-sent-sender-view")

    # Prairie's caseworker: the summary and the message, no name, before accepting.
    other = browser.new_context(base_url=live_server.url, locale="en-US")
    legal = other.new_page()
    legal.set_default_timeout(15000)
    sign_in(other, live_server, world["receiver"])
    legal.goto("/staff/cases/referrals/")
    legal.get_by_role("link", name=referral.public_id).first.click()
    summary = legal.locator("#summary").inner_text()
    for shown in ("Legal assistance (immigration)", "Urgent", "Cook County", "Spanish", "12 to 17", "minor"):
        assert shown in summary, shown
    assert "Needs an immigration lawyer this week" in summary and "Amara Okafor" in summary
    assert "Lucia" not in legal.content() and "555-0199" not in legal.content()
    _shots(legal, "3-receiver-before-accepting")

    legal.get_by_role("button", name="Accept and open a case").click()
    legal.locator("#received-case").wait_for()
    own = Case.objects.get(agency=world["prairie"])
    assert "Lucia Fictional" in legal.locator("#shared-fields").inner_text()
    _shots(legal, "4-receiver-accepted")
    legal.get_by_role("link", name="Open your case").click()
    legal.wait_for_url(f"**/staff/cases/{own.public_id}/")
    assert "Lucia Fictional" in legal.content() and "Asylum" not in legal.content()
    assert Case.objects.get(pk=own.pk).person.minor_at_intake  # the summary said so
    assert referral.public_id in legal.locator("#received-from").inner_text()
    _shots(legal, "5-receiver-own-case")

    # The thread: Prairie writes, Lakeside sees it and answers.
    legal.goto(f"/staff/cases/referrals/{referral.public_id}/")
    legal.get_by_label("New message").fill("We can see her Monday at 10 am.")
    legal.get_by_role("button", name="Send message").click()
    legal.get_by_text("Message sent to the other agency.").wait_for()
    page.goto(f"/staff/cases/referrals/{referral.public_id}/")
    assert "Accepted" in page.locator("#referral-status").inner_text()
    assert "We can see her Monday" in page.locator("#thread").inner_text()
    page.get_by_label("New message").fill("Thank you, she will be there.")
    page.get_by_role("button", name="Send message").click()
    page.get_by_text("Message sent to the other agency.").wait_for()
    _shots(page, "6-sender-thread")

    # The consent expires: Prairie's shared view of Lakeside's record ends; its own case stays.
    Consent.objects.filter(pk=referral.consent_id).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    legal.goto(f"/staff/cases/referrals/{referral.public_id}/")
    assert legal.locator("#no-access").is_visible() and legal.locator("#shared-fields").count() == 0
    assert legal.goto(f"/staff/cases/{case.public_id}/").status == 404
    assert legal.goto(f"/staff/cases/{own.public_id}/").status == 200
    other.close()
