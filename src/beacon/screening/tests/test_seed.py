"""The demo seeder adds a few screenings to demo cases, once."""

from __future__ import annotations

import pytest

from beacon.demo.seeding import _SEEDERS, SeedContext
from beacon.screening.models import Screening, Status
from beacon.screening.seed import seed_screenings

pytestmark = pytest.mark.django_db


def test_seeding_is_idempotent_and_leaves_one_to_resume(staff, case):
    ctx = SeedContext(out=lambda _line: None, users={"caseworker": staff["cw"]})
    seed_screenings(ctx)
    first = list(Screening.objects.order_by("id").values_list("public_id", "determination", "status"))
    assert len(first) == 2  # one demo case: an earlier screening and a later one
    assert all(status == Status.COMPLETED for _id, _d, status in first)
    seed_screenings(ctx)
    assert list(Screening.objects.order_by("id").values_list("public_id", "determination", "status")) == first


def test_the_seeder_runs_after_the_cases_seeder():
    orders = {name: order for order, name, _fn in _SEEDERS}
    assert orders["screenings"] > orders["cases"]


def test_seeding_six_cases_gives_a_history_and_one_in_progress(staff, ref):
    from beacon.cases import services as case_services

    for n in range(6):
        case_services.open_case(staff["cw"], given_name=f"Demo{n}", family_name="Person", citizenship="MEX")
    ctx = SeedContext(out=lambda _line: None, users={"caseworker": staff["cw"]})
    seed_screenings(ctx)
    assert Screening.objects.count() == 7
    assert Screening.objects.filter(status=Status.IN_PROGRESS).count() == 1
    seed_screenings(ctx)
    assert Screening.objects.count() == 7
