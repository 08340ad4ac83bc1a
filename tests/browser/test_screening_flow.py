"""A full screening from a case in Chromium: one question at a time, interrupted, resumed, finished."""

from __future__ import annotations

import os
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases import services as case_services
from beacon.screening.models import Screening

pytestmark = pytest.mark.django_db(transaction=True)

# DR (S+M), EX (S+M) and CD (S+S) positive: the adult ILO rule for trafficking is met.
YES = {"DR01", "DR02", "EX01", "EX02", "CD01", "CD02"}
TOTAL = 67


@pytest.fixture
def caseworker() -> User:
    agency = Agency.objects.create(name="Browser Screening Agency", type=AgencyType.NGO)
    user = User.objects.create_user(
        username="maria", password="correct horse battery", role=Role.CASEWORKER, agency=agency, first_name="Maria"
    )
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


@pytest.fixture
def case(caseworker):
    return case_services.open_case(
        caseworker,
        given_name="Fictional",
        family_name="Person",
        citizenship="GTM",
        languages=["en"],
        exploitation_types=["ForcedLabour"],
    )


def _shots(page, name: str, *, full_page: bool = True) -> None:
    """Screenshots at desktop and phone sizes when BEACON_SCREENSHOTS names a directory (for looking at)."""
    directory = os.environ.get("BEACON_SCREENSHOTS")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=os.path.join(directory, f"{name}-{width}x{height}.png"), full_page=full_page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _clear_safety_step(page) -> None:
    page.wait_for_url("**/safety/")
    page.get_by_label("Yes, the person says it is safe to talk now").check()
    page.get_by_label("Not needed: the person and the interviewer share a language").check()
    page.get_by_label(re.compile("^I explained the limits of confidentiality")).check()
    page.get_by_label(re.compile("^I explained that the person may refuse any question")).check()
    page.get_by_label("The person agrees to continue.").check()
    page.get_by_role("button", name="Continue to the questions").click()


def _sign_in(page, user: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Six-digit code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/staff/")


def _answer_current(page) -> str:
    """Answer the question on the page (yes for the pattern above, no otherwise) and move on."""
    item = page.locator("input[name=item]").input_value()
    page.get_by_label("Yes" if item in YES else "No", exact=True).check()
    page.get_by_role("button", name=re.compile(r"^Save and (next|review)$")).click()
    page.wait_for_load_state()
    return item


def test_a_full_screening_from_a_case(page, caseworker, case):
    _sign_in(page, caseworker)

    # Open the case, then start the screening from it.
    page.goto(f"/staff/cases/{case.public_id}/")
    assert page.get_by_role("heading", name=re.compile(case.public_id)).first.is_visible()
    start = page.get_by_role("link", name=re.compile(r"screening", re.I))
    if start.count() and "/staff/screening/new" in (start.first.get_attribute("href") or ""):
        start.first.click()
    else:
        page.goto(f"/staff/screening/new/?case={case.public_id}")
    page.wait_for_url(re.compile(r"/staff/screening/new/?\?case="))
    page.get_by_label("Instrument and population").select_option("ilo-2009|adult-labour")
    page.get_by_label("Interview language").select_option("en")
    page.get_by_label("One question at a time").check()
    assert page.get_by_label("The person is a foreign national").is_checked()  # citizenship GTM
    page.get_by_role("button", name="Start").click()

    # Before any question: the safety and consent step.
    page.wait_for_url("**/safety/")
    assert page.get_by_role("heading", name="Before the questions: safety and consent").is_visible()
    _shots(page, "safety-step")
    page.get_by_label("Yes, the person says it is safe to talk now").check()
    page.get_by_label("The person who brought them would interpret").check()
    page.get_by_label(re.compile("^I explained the limits of confidentiality")).check()
    page.get_by_label(re.compile("^I explained that the person may refuse any question")).check()
    page.get_by_label("The person agrees to continue.").check()
    page.get_by_role("button", name="Continue to the questions").click()
    page.wait_for_load_state()
    assert "Do not interpret through the person who brought them" in page.locator("#id_interpreter_error").inner_text()
    _shots(page, "safety-step-refused-interpreter")
    page.get_by_label("An independent interpreter is present (in person or by phone)").check()
    page.get_by_role("button", name="Continue to the questions").click()
    page.wait_for_url("**/ask/")
    assert page.get_by_text(f"Question 1 of {TOTAL}").first.is_visible()

    # Ten answers, then the interviewer is called away.
    for _ in range(10):
        _answer_current(page)
    assert page.get_by_text(f"10 of {TOTAL} questions answered").is_visible()
    screening = Screening.objects.get()
    assert len(screening.answers) == 10

    page.goto("/staff/")
    panel = page.get_by_role("region", name="Screenings in progress")
    resume = panel.get_by_role("link", name=f"Resume screening {screening.public_id}")
    assert resume.is_visible()
    resume.click()
    page.wait_for_url("**/ask/")
    assert page.get_by_text(f"Question 11 of {TOTAL}").first.is_visible()
    assert page.get_by_text(f"10 of {TOTAL} questions answered").is_visible()

    # The rest of the list; the last answer leads to the review.
    for _ in range(TOTAL - 10):
        _answer_current(page)
    page.wait_for_url("**/review/")
    assert page.get_by_label("The person is a foreign national").is_checked()
    page.get_by_label("Interviewer's notes").fill("Fictional interview for the browser test.")
    page.get_by_role("button", name="Finish and see the result").click()
    page.wait_for_url("**/result/")

    # The result: determination, evidence, next steps.
    assert page.get_by_role("heading", name=f"Screening result {screening.public_id}").is_visible()
    assert page.locator(".determination-label").inner_text() == "Trafficking indicated"
    evidence = page.get_by_role("table", name=re.compile("Indicators answered yes, by dimension"))
    assert "DR01 (S)" in evidence.inner_text() and "CD02 (S)" in evidence.inner_text()
    steps = page.locator(".next-steps")
    assert steps.locator("[data-step=trafficking-services-referral]").is_visible()
    immigration = steps.locator("[data-step=immigration-legal-referral]")
    assert "possible eligibility only" in immigration.inner_text()
    assert "T visa" in immigration.inner_text() and "U visa" in immigration.inner_text()
    assert steps.get_by_role("link", name="1-888-373-7888").is_visible()
    assert page.get_by_text("Fictional interview for the browser test.").is_visible()

    safety = page.get_by_role("region", name="Before the questions: safety and consent")
    assert "An independent interpreter is present" in safety.inner_text()
    safety.scroll_into_view_if_needed()
    _shots(page, "result-safety-record", full_page=False)

    screening.refresh_from_db()
    assert screening.safety_cleared and screening.interpreter == "independent"
    assert screening.determination == "trafficking" and len(screening.answers) == TOTAL
    assert screening.reproduce().matches

    # The printable version carries the result without the staff navigation.
    page.get_by_role("link", name="Printable version").click()
    page.wait_for_url("**/print/")
    assert page.locator(".determination-label").inner_text() == "Trafficking indicated"
    assert page.locator(".site-header").count() == 0


def test_the_whole_list_saves_each_answer_as_it_is_chosen(page, caseworker, case):
    _sign_in(page, caseworker)
    page.goto(f"/staff/screening/new/?case={case.public_id}")
    page.get_by_label("Instrument and population").select_option("ilo-2009|adult-labour")
    page.get_by_label("The whole list").check()
    page.get_by_role("button", name="Start").click()
    _clear_safety_step(page)
    page.wait_for_url("**/answers/")
    group = page.get_by_role("group", name=re.compile(r"deceived about the kind of job"))
    group.get_by_label("Yes", exact=True).check()
    status = page.locator("#save-status")
    status.get_by_text("Saved at").wait_for()
    assert f"1 of {TOTAL} questions answered" in status.inner_text()
    assert Screening.objects.get().answers == {"DR01": "yes"}
    page.reload()
    assert (
        page.get_by_role("group", name=re.compile(r"deceived about the kind of job"))
        .get_by_label("Yes", exact=True)
        .is_checked()
    )
