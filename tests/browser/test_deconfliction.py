"""Deconfliction in the browser: agency A's investigator adds a subject phone that agency B's matter
and a tip already hold. A reads "a match exists at B, contact ..." and nothing of B's records; B's
designated contact finds the notice on the home page; once B marks its matter confidential, A's next
look-up shows only the coordinator notice; a caseworker is refused the matters pages."""

from __future__ import annotations

import os

import pytest

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.matters import services
from beacon.matters.models import Matter, MatterStatus
from beacon.tips import services as tip_services
from beacon.tips.models import Tip
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("BEACON_SHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        for w, h in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=f"{SHOTS}/{name}-{w}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


def _user(username: str, role: str, agency: Agency | None, first: str) -> User:
    return User.objects.create_user(
        username=username,
        password="correct horse battery",
        role=role,
        agency=agency,
        first_name=first,
        last_name="Test",
    )


@pytest.fixture
def world():
    unit_a = Agency.objects.create(name="Unit A Police", type=AgencyType.LAW_ENFORCEMENT, city="Chicago")
    unit_b = Agency.objects.create(name="Unit B Sheriff", type=AgencyType.LAW_ENFORCEMENT, city="Joliet")
    ngo = Agency.objects.create(name="Agency One", type=AgencyType.NGO, city="Chicago")
    people = {
        "a": _user("ari", Role.INVESTIGATOR, unit_a, "Ari"),
        "b": _user("bea", Role.INVESTIGATOR, unit_b, "Bea"),
        "b_contact": _user("cal", Role.INVESTIGATOR, unit_b, "Cal"),
        "b_admin": _user("bob", Role.AGENCY_ADMIN, unit_b, "Bob"),
        "coordinator": _user("cora", Role.COORDINATOR, None, "Cora"),
        "caseworker": _user("carl", Role.CASEWORKER, ngo, "Carl"),
    }
    matter_b = services.open_matter(
        people["b"],
        services.MatterInput(
            title="Massage parlour on Route 30",
            exploitation_type="SexualExploitation",
            county=None,
            status=MatterStatus.OPEN,
            lead=None,
            confidential=False,
        ),
    )
    services.add_subject(people["b"], matter_b, "phone", "(312) 555-0142", "manager's burner")
    services.save_contact(
        people["b_admin"],
        unit_b,
        services.ContactInput(name="Sgt. Cal Test", phone="815-555-0100", email="", user=people["b_contact"]),
    )
    submitted = tip_services.submit_tip(
        tip_services.TipInput(narrative="Women driven to the parlour at night.", people={"phones": ["3125550142"]}),
        nonce="browser-deconfliction",
        idempotency_key="browser-deconfliction",
    )
    Tip.objects.filter(pk=submitted.tip.pk).update(agency=unit_b)
    return {**people, "matter_b": matter_b}


def _new_matter(page, title: str) -> None:
    page.goto("/staff/matters/")
    page.get_by_role("link", name="Open a matter").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Type of exploitation").select_option("ForcedLabour")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/matters/*/")


def _add_phone(page, value: str) -> None:
    page.get_by_label("Kind of subject").select_option("phone")
    page.get_by_label("Name, number or address").fill(value)
    page.get_by_role("button", name="Add and check").click()
    page.wait_for_load_state()


def test_deconfliction_tells_only_the_fact_and_whom_to_call(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(context, live_server, world["a"])
    _new_matter(page, "Restaurant crew on Western Ave")
    _add_phone(page, "+1 312 555 0142")
    cell = page.locator("td.deconfliction").first
    text = cell.inner_text()
    assert "A match exists at Unit B Sheriff (investigation, since" in text
    assert "A match exists at Unit B Sheriff (tip, since" in text
    assert "Contact: Sgt. Cal Test · +18155550100" in text
    body = page.content()
    for secret in ("Massage parlour", "Route 30", "burner", world["matter_b"].public_id, "driven to the parlour"):
        assert secret not in body
    _shot(page, "matter-match")

    # An unreadable phone: kept as text, with the warning.
    _add_phone(page, "ask for the cook")
    assert "Saved as text only" in page.content()
    assert page.get_by_text("not checked", exact=True).is_visible()
    _shot(page, "matter-unreadable-phone")
    context.close()

    # B's designated contact has the notice on the home page, naming A and its matter only.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["b_contact"])
    page.goto("/staff/")
    notice = page.locator("ul.notices li").filter(has_text="Deconfliction").first
    assert "Unit A Police" in notice.inner_text()
    _shot(page, "holder-notice")
    context.close()

    # B marks its matter confidential: A's next look-up names nobody for the matter.
    Matter.objects.filter(pk=world["matter_b"].pk).update(confidential=True)
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["a"])
    _new_matter(page, "Second crew")
    _add_phone(page, "312.555.0142")
    text = page.locator("td.deconfliction").first.inner_text()
    assert "A match exists; the task-force coordinator will contact you." in text
    assert "(investigation," not in text
    _shot(page, "matter-confidential")
    context.close()

    # The coordinator sees both sides in the log.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["coordinator"])
    page.goto("/staff/matters/deconfliction/")
    log = page.content()
    assert "Unit A Police" in log and "Unit B Sheriff" in log and world["matter_b"].public_id in log
    _shot(page, "coordinator-log")
    context.close()

    # A caseworker cannot see matters: the refusal page, and no Matters link in the navigation.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["caseworker"])
    response = page.goto("/staff/matters/")
    assert response.status == 403
    assert page.get_by_role("link", name="Matters").count() == 0
    context.close()
