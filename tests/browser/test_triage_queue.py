"""Triage in a real browser: the issue's Spanish forced-labour tip, sent through the portal, ranks above
every seeded tip without immediate danger or a child; the reporter's follow-up re-scores it, marks it
in the queue and notifies the intake team; the queue searches by phone and works on a phone.

Set BEACON_SHOTS=/some/dir to keep screenshots at 1280x800 and 390x844.
"""

from __future__ import annotations

import re

import pytest

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.demo.seeding import SeedContext
from beacon.reference.loader import load_reference_data
from beacon.tips.demo import seed_tips
from beacon.tips.models import Tip

from .sessions import sign_in
from .test_tip_to_case import shot

pytestmark = pytest.mark.django_db(transaction=True)

SIGNS_YES = (
    "NO_CONTROL_OF_DOCUMENTS",
    "DEBT",
    "RESTRICTED_MOVEMENT",
    "UNPAID_OR_UNDERPAID",
    "FEAR_AND_TRAUMA",
    "POOR_LIVING_CONDITIONS",
    "THIRD_PARTY_SPEAKS",
)


@pytest.fixture
def world():
    from beacon.portal.views import clear_caches

    clear_caches()
    load_reference_data()
    seed_tips(SeedContext(tips=60, out=lambda _: None))
    agency = Agency.objects.create(name="Lakeside Services", type=AgencyType.NGO)
    hotline = User.objects.create_user(
        username="hotline",
        password="x-correct-horse",
        role=Role.HOTLINE,
        agency=agency,
        first_name="Hana",
        last_name="Line",
        email="h@example.org",
    )
    yield {"hotline": hotline}
    clear_caches()


def test_the_realistic_tip_ranks_high_and_a_follow_up_rescores_and_notifies(browser, live_server, world):
    public = browser.new_context(base_url=live_server.url, locale="es-ES")
    page = public.new_page()
    page.goto("/es/report/")
    page.fill(
        "#id_narrative",
        "Somos siete trabajadores en una planta empacadora. El supervisor guarda nuestros "
        "pasaportes, dice que le debemos 4.000 dólares y nos encierra por la noche.",
    )
    page.check("#id_location_kind_0")
    page.select_option("#id_county", "17031")
    page.select_option("#id_when", "day")
    page.fill("#id_phones", "(312) 555-0177")
    for sign in SIGNS_YES:
        page.locator(f"#id_flag_{sign}_0").check()
    page.get_by_role("button", name="Enviar reporte").click()
    page.wait_for_selector("#codename")
    codename = page.inner_text("#codename").strip()
    tip = Tip.objects.order_by("-pk").first()  # the one just sent (the seeded ones came first)
    assert tip.language == "es"

    staff = browser.new_context(base_url=live_server.url, locale="en-US")
    sign_in(staff, live_server, world["hotline"])
    queue = staff.new_page()
    queue.goto("/staff/tips/")
    rows = queue.locator("#tip-queue tbody tr")
    ids = rows.evaluate_all("rows => rows.map(r => r.dataset.tip)")
    position = ids.index(tip.public_id)
    above = Tip.objects.filter(public_id__in=ids[:position])
    assert all(t.danger_now or t.child_involved == "yes" for t in above)
    row = queue.locator(f'tr[data-tip="{tip.public_id}"]')
    assert "Ongoing control (documents held, debt, locked in or watched): +30" in row.inner_text()
    shot(queue, "10-queue")
    score_before = Tip.objects.get(pk=tip.pk).urgency_score

    # The reporter comes back with their codename and adds what happened today.
    page.goto("/es/report/follow-up/")
    page.fill("#id_codename", codename)
    page.locator("main form button[type=submit]").click()
    page.fill("#id_body", "Hoy el supervisor nos quitó los teléfonos.")
    page.get_by_role("button", name="Enviar", exact=True).click()
    page.wait_for_selector("#added")

    tip.refresh_from_db()
    assert tip.urgency_score > score_before
    queue.goto("/staff/tips/")
    row = queue.locator(f'tr[data-tip="{tip.public_id}"]')
    assert "New from the reporter" in row.inner_text()
    assert "New information from the reporter: +8" in row.inner_text()
    home = staff.new_page()
    home.goto("/staff/")
    assert home.get_by_text(re.compile(f"Tip {tip.public_id} has new information from the reporter")).count() >= 1

    # Search by the phone in another spelling, filter by language; claim from the queue (on a phone).
    queue.set_viewport_size({"width": 390, "height": 844})
    queue.goto("/staff/tips/")
    queue.get_by_label("Tip id, phone, e-mail or plate").fill("+1 312 555 0177")
    queue.get_by_label("Language of the tip").select_option("es")
    queue.get_by_role("button", name="Search").click()
    assert queue.locator("#tip-queue tbody tr").count() == 1
    queue.get_by_role("button", name=f"Claim {tip.public_id}").click()
    queue.get_by_text(f"You are working on tip {tip.public_id}.").wait_for()
    assert queue.evaluate("document.documentElement.scrollWidth") <= 390
    shot(queue, "11-queue-search-claimed")
    tip.refresh_from_db()
    assert tip.claimed_by == world["hotline"]
    staff.close()
    public.close()
