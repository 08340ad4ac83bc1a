"""No N+1: the caseload, search and case page cost the same number of queries for 1 or many rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from beacon.cases import selectors, services
from beacon.cases.models import ConsentKind

pytestmark = pytest.mark.django_db


def make_cases(user, n):
    return [
        services.open_case(user, given_name=f"P{i}", exploitation_types=["ForcedLabour"], county="17031")
        for i in range(n)
    ]


def grow(case, staff, other_agency, n):
    for i in range(n):
        services.add_note(staff["cw"], case, f"note {i}")
        services.add_task(staff["cw"], case, title=f"t{i}", due_date=dt.date(2030, 1, 1))
        services.add_plan_item(staff["cw"], case, category="shelter")
        relief = services.add_relief(staff["cw"], case, kind=["t_visa", "u_visa", "asylum"][i % 3])
        services.add_milestone(staff["cw"], relief, kind="filed", due_date=dt.date(2030, 1, 1))
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    services.send_referral(staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"])


def test_caseload_and_search_use_a_fixed_number_of_queries(staff, ref, django_assert_num_queries):
    make_cases(staff["cw"], 3)
    with django_assert_num_queries(1):
        assert len(selectors.caseload(staff["cw"])) == 3
    # One query for the user's own (or agency's) cases, one for cases shared with the agency.
    with django_assert_num_queries(2):
        page = selectors.search_cases(staff["cw"], selectors.CaseFilters(status="Active", county="17031"))
        assert len(page.items) == 3
    # A text search first resolves person ids through the blind index.
    with django_assert_num_queries(3):
        page = selectors.search_cases(staff["sup"], selectors.CaseFilters(q="p1"))
        assert [c.person.public_id for c in page.items]
    make_cases(staff["cw"], 30)
    with django_assert_num_queries(2):
        page = selectors.search_cases(staff["sup"], selectors.CaseFilters())
        assert len(page.items) == 25 and page.has_next


def test_case_list_page_query_count_does_not_grow(staff, staff_client, ref, django_assert_max_num_queries):
    client = staff_client(staff["sup"])
    make_cases(staff["cw"], 2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cases:list"))
    make_cases(staff["cw"], 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))


def test_home_page_query_count_does_not_grow(staff, staff_client, ref, django_assert_max_num_queries):
    client = staff_client(staff["cw"])
    cases = make_cases(staff["cw"], 2)
    for case in cases:
        services.add_task(staff["cw"], case, title="x", due_date=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("web:home"))
    for case in make_cases(staff["cw"], 10):
        services.add_task(staff["cw"], case, title="x", due_date=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:home"))


def test_case_page_query_count_does_not_grow(case, staff, staff_client, other_agency, django_assert_max_num_queries):
    client = staff_client(staff["cw"])
    url = reverse("cases:detail", args=[case.public_id])
    grow(case, staff, other_agency, 1)
    with django_assert_max_num_queries(45) as few:
        assert client.get(url).status_code == 200
    grow_more = services.open_case(staff["cw"], given_name="Q")
    del grow_more
    for i in range(4):
        services.add_note(staff["cw"], case, f"more {i}")
        services.add_task(staff["cw"], case, title=f"more {i}", due_date=dt.date(2030, 1, 1))
        services.add_plan_item(staff["cw"], case, category="health")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
