"""The survivor's journey from a tip, in a real browser, with three users in one agency.

A hotline worker converts a Spanish forced-labour tip into a case owned by a caseworker chosen from the
agency's list; the caseworker finds and opens it (no consent recorded yet, the person marked "from the
tip, unconfirmed"); a supervisor reassigns it from the team caseload.

Set BEACON_SHOTS=/some/dir to keep screenshots of each step at 1280x800 and 390x844.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases.models import Case
from beacon.reference.models import County
from beacon.tips import services
from beacon.tips.models import Tip

from .sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NARRATIVE = (
    "Somos siete trabajadores en una planta empacadora en Cicero. El supervisor guarda nuestros pasaportes, "
    "dice que le debemos 4.000 dólares a cada uno y nos encierra en la bodega por la noche."
)
SHOTS = os.environ.get("BEACON_SHOTS")


def shot(page, name: str) -> None:
    """Screenshots at a desktop and a phone width (only when BEACON_SHOTS names a folder)."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def world() -> dict:
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    agency = Agency.objects.create(name="Lakeside Services", type=AgencyType.NGO)
    users = {}
    for username, role, first, last in (
        ("hotline", Role.HOTLINE, "Hana", "Line"),
        ("carla", Role.CASEWORKER, "Carla", "Reyes"),
        ("dan", Role.CASEWORKER, "Dan", "Okafor"),
        ("sam", Role.SUPERVISOR, "Sam", "Novak"),
    ):
        users[username] = User.objects.create_user(
            username=username,
            password="correct horse battery",
            role=role,
            agency=agency,
            first_name=first,
            last_name=last,
        )
    tip = services.submit_tip(
        services.TipInput(
            narrative=NARRATIVE,
            language="es",
            location_kind="county",
            county_fips="17031",
            when="day",
            people={"description": "Siete hombres, casi todos de Guatemala", "names": [], "phones": []},
            checklist={
                "NO_CONTROL_OF_DOCUMENTS": "yes",
                "DEBT": "yes",
                "RESTRICTED_MOVEMENT": "yes",
                "UNPAID_OR_UNDERPAID": "yes",
                "FEAR_AND_TRAUMA": "yes",
                "POOR_LIVING_CONDITIONS": "yes",
                "THIRD_PARTY_SPEAKS": "yes",
                "PHYSICAL_ABUSE": "no",
            },
        ),
        nonce="journey-nonce-1234",
        idempotency_key="journey-tip",
    ).tip
    Tip.objects.filter(pk=tip.pk).update(exploitation_types=["ForcedLabour"])
    users["tip"] = tip
    return users


def test_tip_becomes_a_case_owned_by_a_caseworker(browser, live_server, world):
    tip = world["tip"]

    hotline = browser.new_context(base_url=live_server.url, locale="en-US")
    sign_in(hotline, live_server, world["hotline"])
    page = hotline.new_page()
    page.goto(f"/staff/tips/{tip.public_id}/")
    shot(page, "01-tip")
    page.get_by_role("link", name="Convert to a case…").click()
    page.wait_for_url(f"**/staff/tips/{tip.public_id}/convert")
    assert page.get_by_text("No consent is recorded").is_visible()
    shot(page, "02-convert")
    page.get_by_label(re.compile(r"Carla Reyes \(Caseworker\) · 0 open cases")).check()
    page.get_by_role("button", name="Open the case and assign it").click()
    page.get_by_text(re.compile(r"Case [0-9A-Z]+ opened from this tip and assigned to Carla Reyes")).wait_for()
    case = Case.objects.get()
    assert case.owner == world["carla"]
    shot(page, "03-converted")
    hotline.close()

    worker = browser.new_context(base_url=live_server.url, locale="en-US")
    sign_in(worker, live_server, world["carla"])
    page = worker.new_page()
    page.goto("/staff/cases/")
    page.get_by_label("Case id, person id or full name").fill(case.public_id)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=case.public_id).click()
    page.wait_for_url(f"**/staff/cases/{case.public_id}/")
    assert page.locator("#no-consent").is_visible()
    assert page.locator("#person-unconfirmed").is_visible()
    assert page.get_by_text("pasaportes").first.is_visible()
    assert page.locator("#tip-signs li").count() == 8
    shot(page, "04-case-for-caseworker")
    worker.close()

    supervisor = browser.new_context(base_url=live_server.url, locale="en-US")
    sign_in(supervisor, live_server, world["sam"])
    page = supervisor.new_page()
    page.goto("/staff/cases/team/")
    shot(page, "05-team")
    page.get_by_role("row", name=re.compile("Carla Reyes")).get_by_role("link", name="1 open case").click()
    page.get_by_label(f"New owner of case {case.public_id}").select_option(str(world["dan"].pk))
    shot(page, "06-reassign-from-list")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_text(f"Case {case.public_id} is now owned by Dan Okafor.").wait_for()
    case.refresh_from_db()
    assert case.owner == world["dan"]
    supervisor.close()
