"""Lists of screenings cost the same number of queries whatever their length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beacon.accounts.models import ApiToken
from beacon.screening import selectors

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _fill(screen, staff, case, tip, n):
    for i in range(n):
        screen(staff["cw"], case=case) if i % 2 else screen(staff["sup"], tip=tip, answers={})


def test_the_list_page_does_not_grow_with_the_rows(staff, case, tip, screen, staff_client):
    client = staff_client(staff["sup"])
    url = reverse("screening:list")
    _fill(screen, staff, case, tip, 2)
    client.get(url)  # warm caches (session, instruments)
    few = _queries(lambda: client.get(url))
    _fill(screen, staff, case, tip, 8)
    many = _queries(lambda: client.get(url))
    assert many == few


def test_the_selector_runs_one_query(staff, case, tip, screen, django_assert_num_queries):
    _fill(screen, staff, case, tip, 6)
    with django_assert_num_queries(1):
        rows = selectors.screening_list(staff["sup"])
        for row in rows:
            _ = (row.case and row.case.public_id, row.tip and row.tip.public_id, row.screener and row.screener.username)
    assert len(rows) == 6


def test_the_api_list_does_not_grow_with_the_rows(staff, case, tip, screen):
    from django.test import Client

    _token, raw = ApiToken.issue(staff["sup"], "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    _fill(screen, staff, case, tip, 2)
    few = _queries(lambda: client.get("/api/v1/screenings"))
    _fill(screen, staff, case, tip, 8)
    many = _queries(lambda: client.get("/api/v1/screenings"))
    assert many == few


def test_the_home_panel_does_not_grow_with_the_rows(staff, case, staff_client):
    from beacon.screening import services

    client = staff_client(staff["cw"])
    url = reverse("web:home")

    def start():
        services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")

    start()
    client.get(url)
    few = _queries(lambda: client.get(url))
    for _ in range(5):
        start()
    many = _queries(lambda: client.get(url))
    assert many == few
