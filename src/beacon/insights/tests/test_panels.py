"""Dashboard panels: counts grouped in the database, by period, category and region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beacon.cases.models import ServicePlanItem
from beacon.insights import selectors, services
from beacon.insights.selectors import Filters, Viewer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
EXACT_STATEWIDE = Viewer(statewide=True, agency_id=None, exact=True, can_export=True)


def _filters(**kw) -> Filters:
    return Filters(start=TODAY - dt.timedelta(days=400), end=TODAY, **kw)


def _totals(key: str, filters: Filters | None = None) -> dict[str, int]:
    counts = selectors.counts(selectors.PANELS[key], EXACT_STATEWIDE, filters or _filters())
    return {code: sum(counts.row(code)) for code, _label in counts.categories}


def test_list_valued_fields_count_each_value_once_per_case(many_cases):
    many_cases(3, exploitation_types=["ForcedLabour", "SexualExploitation"], methods_of_control=["DebtBondage"])
    many_cases(2, exploitation_types=["ForcedLabour"], methods_of_control=[])
    assert _totals("cases_exploitation") == {"ForcedLabour": 5, "SexualExploitation": 3}
    assert _totals("cases_control") == {"DebtBondage": 3}


def test_single_valued_and_rolled_up_dimensions(make_case):
    make_case(age=8, gender="Masculine", citizenship="UKR", county="17201", polaris_type="construction")
    make_case(age=9, gender="Feminine", citizenship="MEX", county="17031", polaris_type="construction")
    make_case(age=None, gender="", citizenship="", county=None)
    assert _totals("cases_age") == {"0-8": 1, "9-17": 1, "": 1}
    assert _totals("cases_gender") == {"Masculine": 1, "Feminine": 1, "": 1}
    assert _totals("cases_citizenship") == {"Eastern Europe": 1, "Central America": 1, "": 1}
    assert _totals("cases_area") == {"chicago_metro": 1, "rest": 1, "": 1}
    assert _totals("cases_county") == {"17201": 1, "17031": 1, "": 1}
    assert _totals("cases_polaris") == {"construction": 2, "": 1}


def test_periods_are_months_or_quarters_in_chicago_time(make_case):
    # 03:00 UTC on 1 April is still 31 March in Chicago.
    make_case(opened=dt.datetime(2025, 4, 1, 3, 0, tzinfo=dt.UTC))
    make_case(opened=dt.datetime(2025, 4, 2, 18, 0, tzinfo=dt.UTC))
    months = Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30), granularity="month")
    counts = selectors.counts(selectors.PANELS["cases_gender"], EXACT_STATEWIDE, months)
    assert counts.row("Feminine") == [0, 0, 1, 1, 0, 0]
    quarters = Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30), granularity="quarter")
    counts = selectors.counts(selectors.PANELS["cases_gender"], EXACT_STATEWIDE, quarters)
    assert counts.buckets == [dt.date(2025, 1, 1), dt.date(2025, 4, 1)]
    assert counts.row("Feminine") == [1, 1]


def test_region_and_agency_filters(make_case, other_agency):
    make_case(county="17031")
    make_case(county="17201")
    make_case(county="17201", case_agency=other_agency)
    assert _totals("cases_gender", _filters(region="chicago_metro")) == {"Feminine": 1}
    assert _totals("cases_gender", _filters(region="rest")) == {"Feminine": 2}
    assert _totals("cases_gender", _filters(region="17201", agency_id=other_agency.pk)) == {"Feminine": 1}


def test_time_to_first_service(make_case):
    now = timezone.now()
    quick = make_case(opened=now - dt.timedelta(days=60))
    slow = make_case(opened=now - dt.timedelta(days=200))
    make_case(opened=now - dt.timedelta(days=10))
    opened_on = timezone.localtime(quick.opened_at).date()
    ServicePlanItem.objects.create(case=quick, category="shelter", start_date=opened_on + dt.timedelta(days=3))
    ServicePlanItem.objects.create(case=quick, category="health", start_date=opened_on + dt.timedelta(days=40))
    slow_on = timezone.localtime(slow.opened_at).date()
    ServicePlanItem.objects.create(case=slow, category="health", start_date=slow_on + dt.timedelta(days=100))
    assert _totals("cases_first_service") == {"0-7": 1, "91+": 1, "none": 1}


def test_referral_outcomes(make_case, agency, other_agency):
    from beacon.cases.models import Referral

    for status in ("accepted", "accepted", "declined"):
        case = make_case()
        Referral.objects.create(
            case=case,
            from_agency=agency,
            to_agency=other_agency,
            service="shelter",
            status=status,
            sent_at=timezone.now(),
        )
    assert _totals("referrals_outcome") == {"accepted": 2, "declined": 1}


def test_agency_viewers_see_only_their_agency(make_case, staff, other_agency):
    make_case()
    make_case(case_agency=other_agency)
    result = services.panel(staff["sup"], "cases_gender", _filters())
    assert result.table.totals[-1] == "1"  # supervisor: exact, own agency only


def test_panel_view_loads_with_bounded_queries(make_case, staff, staff_client, django_assert_max_num_queries):
    make_case()
    client = staff_client(staff["sup"])
    with django_assert_max_num_queries(12):
        response = client.get("/staff/insights/panels/cases_exploitation/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'type="application/json"' in response.content
    assert b"<caption>" in response.content


def test_dashboard_page_lists_every_panel_as_a_lazy_partial(staff, staff_client, counties):
    response = staff_client(staff["analyst"]).get("/staff/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    for key in selectors.PANELS:
        assert f'hx-get="/staff/insights/panels/{key}/' in html
    assert 'hx-trigger="load"' in html
    assert "style=" not in html and "onclick" not in html


def test_screenings_count_unless_their_case_lacks_consent(make_case, agency):
    from beacon.screening.models import Screening
    from beacon.tips.models import Tip

    tip = Tip.objects.create(narrative="Fictional", codename_hash="x", codename_index="i1", submission_key="k1")

    def screening(case, determination):
        Screening.objects.create(
            case=case,
            tip=None if case else tip,
            agency=agency,
            instrument_id="ilo-2009",
            instrument_version="1",
            population="adult",
            status="completed",
            determination=determination,
        )

    screening(make_case(), "likely_trafficking")
    screening(make_case(consent=False), "likely_trafficking")
    screening(None, "not_indicated")
    assert _totals("screenings_determination") == {"likely_trafficking": 1, "not_indicated": 1}
