"""A tip and a case share a phone with an online post network: the investigator sees the match on
the tip and the tip on the network page; the caseworker sees only a "restricted match" notice on
the tip and the case, with no network id or contact."""

from __future__ import annotations

import json
import os

import pytest

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases import services as case_services
from beacon.intel import services as intel_services
from beacon.intel.models import Network
from beacon.tips import services as tip_services
from beacon.tips.models import Tip
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("BEACON_SHOTS", "")
PHONE = "(312) 555-0101"


def _shot(page, name: str) -> None:
    if SHOTS:
        for w, h in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=f"{SHOTS}/{name}-{w}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def world(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ngo = Agency.objects.create(name="Agency One", type=AgencyType.NGO, city="Chicago")
    police = Agency.objects.create(name="Police Unit", type=AgencyType.LAW_ENFORCEMENT, city="Chicago")
    investigator = User.objects.create_user(
        username="ines", password="correct horse battery", role=Role.INVESTIGATOR, agency=police
    )
    caseworker = User.objects.create_user(
        username="carl", password="correct horse battery", role=Role.CASEWORKER, agency=ngo
    )
    path = tmp_path / "posts.jsonl"
    rows = [
        {
            "id": f"m{i}",
            "source": "board",
            "title": "New in town",
            "location": city,
            "body": f"Sweet girl just arrived, incall only, 24/7. Call {PHONE}. Roses 200. {city}",
        }
        for i, city in enumerate(["Chicago, IL", "Rockford, IL", "Peoria, IL"])
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    intel_services.ingest_path(None, path)
    intel_services.run_analysis(None)
    submitted = tip_services.submit_tip(
        tip_services.TipInput(narrative="Ads for a girl moved between cities.", people={"phones": ["312-555-0101"]}),
        nonce="browser-match",
        idempotency_key="browser-match",
    )
    Tip.objects.filter(pk=submitted.tip.pk).update(escalated_to=police, agency=ngo)
    case = case_services.open_case(caseworker, given_name="Ana", family_name="Test", phone="+1 312 555 0101")
    return {
        "investigator": investigator,
        "caseworker": caseworker,
        "tip": Tip.objects.get(pk=submitted.tip.pk),
        "case": case,
        "network": Network.objects.get(),
    }


def test_investigator_sees_the_match_and_caseworker_a_restricted_notice(browser, live_server, world):
    tip, case, network = world["tip"], world["case"], world["network"]

    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["investigator"])
    page.goto(f"/staff/tips/{tip.public_id}/")
    page.get_by_role("link", name=network.public_id, exact=False).first.click()
    page.wait_for_url(f"**/staff/intel/networks/{network.public_id}/")
    linked = page.locator("#linked-records")
    assert linked.get_by_role("link", name=tip.public_id).is_visible()
    _shot(page, "match-network-investigator")
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(context, live_server, world["caseworker"])
    for url, name in ((f"/staff/tips/{tip.public_id}/", "tip"), (f"/staff/cases/{case.public_id}/", "case")):
        page.goto(url)
        notice = page.get_by_role("note").filter(has_text="Restricted match exists")
        assert notice.is_visible()
        assert "Ask an investigator" in notice.inner_text()
        html = page.content()
        assert network.public_id not in html and "/staff/intel/" not in html
        _shot(page, f"match-restricted-{name}")
    context.close()
