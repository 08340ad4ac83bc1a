"""The dashboards' read model: kept in step by signals, rebuilt in full, and versioning the cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beacon.cases import services as case_services
from beacon.cases.models import Consent, ConsentKind, ServicePlanItem
from beacon.insights import facts, services
from beacon.insights.models import CaseFact
from beacon.insights.selectors import Filters

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FILTERS = Filters(start=TODAY - dt.timedelta(days=400), end=TODAY)


def _snapshot() -> list[tuple]:
    return list(
        CaseFact.objects.order_by("case_id").values_list(
            "case_id",
            "agency_id",
            "county_id",
            "chicago_metro",
            "opened_on",
            "consented",
            "gender",
            "age",
            "citizenship",
            "exploitation_types",
            "service_delay",
        )
    )


def test_a_full_rebuild_gives_the_rows_the_signals_kept(make_case, other_agency):
    make_case(county="17201", age=17, methods_of_control=["DebtBondage"])
    case = make_case(consent=False, county=None, case_agency=other_agency)
    ServicePlanItem.objects.create(case=case, category="shelter", start_date=TODAY)
    kept = _snapshot()
    assert facts.refresh() == 2
    assert _snapshot() == kept
    assert kept[0][3] is False and kept[1][5] is False  # Winnebago is outside the metro; no consent


def test_a_revoked_consent_leaves_the_cached_panels_at_once(many_cases, staff):
    cases = many_cases(12)
    assert services.panel(staff["sup"], "cases_gender", FILTERS).table.totals[-1] == "12"
    consent = Consent.objects.get(case=cases[0], kind=ConsentKind.STATISTICS)
    case_services.revoke_consent(staff["sup"], consent)
    assert services.panel(staff["sup"], "cases_gender", FILTERS).table.totals[-1] == "11"


def test_monthly_grouping_is_limited_to_three_years(staff, staff_client, counties):
    client = staff_client(staff["analyst"])
    response = client.get("/staff/insights/?start=2016-01-01&end=2025-12-31&granularity=month")
    assert "Group by quarter for periods longer than three years." in response.content.decode()
    api = client.get("/api/v1/insights/panels/cases_gender?start=2016-01-01&end=2025-12-31&granularity=month")
    assert api.status_code == 422
