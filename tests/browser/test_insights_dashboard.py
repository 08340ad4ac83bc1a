"""The insights dashboard in Chromium: panels load one by one with their charts (under the strict
CSP), filters narrow the figures, and a panel's CSV downloads."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.utils import timezone

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases.models import Case, Consent, ConsentKind, Person
from beacon.insights import facts
from beacon.reference.models import County
from tests.browser.sessions import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _case(agency: Agency, county: str, gender: str) -> None:
    person = Person.objects.create(
        agency=agency, given_name="Fictional", age_at_intake=30, gender=gender, citizenship="MEX"
    )
    case = Case.objects.create(
        person=person,
        agency=agency,
        county_id=county,
        exploitation_types=["ForcedLabour"],
        methods_of_control=["DebtBondage"],
    )
    opened = timezone.now() - dt.timedelta(days=20)
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    Consent.objects.create(case=case, kind=ConsentKind.STATISTICS, granted_at=opened)
    facts.refresh([case.pk])


def _vega_requests(page) -> list[str]:
    fetched: list[str] = []
    page.on(
        "request", lambda r: fetched.append(r.url) if "/static/vendor/vega" in r.url and r.url.endswith(".js") else None
    )
    return fetched


@pytest.fixture
def signed_in_analyst(page, live_server, monkeypatch):
    County.objects.create(fips="17031", name="Cook", chicago_metro=True)
    County.objects.create(fips="17201", name="Winnebago", chicago_metro=False)
    analyst = User.objects.create_user(username="taylor", password="correct horse battery", role=Role.ANALYST)
    sign_in(page.context, live_server, analyst)
    if connection.vendor == "sqlite":
        # The live server shares one in-memory SQLite connection between its threads, which cannot
        # serve the dashboard's parallel panel requests (each also saves the session): handle
        # requests one at a time here. PostgreSQL runs them in parallel.
        lock = threading.Lock()
        handle = WSGIHandler.__call__

        def one_at_a_time(self, environ, start_response):
            with lock:
                return handle(self, environ, start_response)

        monkeypatch.setattr(WSGIHandler, "__call__", one_at_a_time)
    return page


@pytest.fixture
def analyst_page(signed_in_analyst):
    agency = Agency.objects.create(name="Dashboard Agency", type=AgencyType.NGO)
    for _ in range(14):
        _case(agency, "17031", "Feminine")
    for _ in range(12):
        _case(agency, "17201", "Masculine")
    return signed_in_analyst


def test_panels_load_with_charts_filters_apply_and_csv_downloads(analyst_page):
    page = analyst_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    vega = _vega_requests(page)

    page.goto("/staff/insights/")
    assert page.get_by_role("heading", name="Insights", level=1).is_visible()
    gender = page.locator("#panel-cases_gender")
    # Fifteen panels load at once; the first request of a fresh server also loads SciPy.
    gender.locator("table").wait_for(timeout=60000)
    gender.locator("[data-vega-state=rendered] svg").wait_for()
    assert gender.locator("tfoot td").last.inner_text() == "26"
    county_map = page.locator("#panel-cases_county [data-vega-state=rendered] svg")
    county_map.wait_for()
    # The whole state is drawn (102 counties, the ones without a published count in grey), not
    # one county blown up to fill the panel.
    assert county_map.locator("path").count() >= 102
    page.locator("#panel-cases_area [data-vega-state=rendered] svg").wait_for()
    chart_text = " ".join(page.locator(".chart svg text").all_text_contents())
    assert chart_text and ".000000" not in chart_text and "0.0" not in chart_text
    # The chart libraries are fetched once for the whole dashboard, after the panels arrive.
    assert sorted(u.rsplit("/", 1)[1] for u in vega) == ["vega-embed.min.js", "vega-lite.min.js", "vega.min.js"]

    page.get_by_role("combobox", name="Region").select_option("chicago_metro")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**region=chicago_metro**")
    gender = page.locator("#panel-cases_gender")
    gender.locator("table").wait_for(timeout=60000)
    assert gender.locator("tfoot td").last.inner_text() == "14"
    assert page.get_by_role("combobox", name="Region").input_value() == "chicago_metro"

    with page.expect_download() as info:
        gender.get_by_role("link", name="Download CSV").click()
    body = open(info.value.path(), encoding="utf-8-sig").read()
    assert body.splitlines()[0].startswith("Category,")
    assert "Feminine,14" in body or "Feminine," in body
    assert "Masculine" not in body  # filtered out: Winnebago is outside the Chicago metro area
    assert violations == []


def test_a_dashboard_with_nothing_to_draw_loads_no_chart_code(signed_in_analyst):
    page = signed_in_analyst
    vega = _vega_requests(page)
    page.goto("/staff/insights/")
    page.locator("#panel-cases_gender").get_by_text("No records match these filters.").wait_for(timeout=60000)
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-vega-spec-id]").count() == 0
    assert vega == []
