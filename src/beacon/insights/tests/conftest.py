"""Fixtures for insights: counties, staff of two agencies, and a factory for cases with given facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from beacon.accounts.roles import Role
from beacon.cases.models import Case, Consent, ConsentKind, Person
from beacon.insights import facts
from beacon.reference.models import County

NOW = timezone.now()


@pytest.fixture
def counties(db) -> dict[str, County]:
    rows = [
        ("17031", "Cook", True),
        ("17043", "DuPage", True),
        ("17201", "Winnebago", False),
        ("17167", "Sangamon", False),
    ]
    return {fips: County.objects.create(fips=fips, name=name, chicago_metro=metro) for fips, name, metro in rows}


@pytest.fixture
def staff(make_user, agency, other_agency) -> dict[str, Any]:
    return {
        "cw": make_user(Role.CASEWORKER, agency),
        "sup": make_user(Role.SUPERVISOR, agency),
        "other_sup": make_user(Role.SUPERVISOR, other_agency),
        "analyst": make_user(Role.ANALYST, None),
        "admin": make_user(Role.SYSTEM_ADMIN, None),
    }


@pytest.fixture
def make_case(db, agency, counties) -> Callable[..., Case]:
    """A case (and its person) with the given facts; consent to statistics unless consent=False."""

    def make(
        *,
        consent: bool = True,
        opened: dt.datetime | None = None,
        county: str | None = "17031",
        age: int | None = 30,
        gender: str = "Feminine",
        citizenship: str = "MEX",
        case_agency=None,
        given_name: str = "Ana",
        family_name: str = "Lopez",
        **fields: Any,
    ) -> Case:
        owner = case_agency or agency
        person = Person.objects.create(
            agency=owner,
            given_name=given_name,
            family_name=family_name,
            birth_date="1995-04-02",
            age_at_intake=age,
            gender=gender,
            citizenship=citizenship,
            languages=["es"],
        )
        defaults: dict[str, Any] = {
            "exploitation_types": ["ForcedLabour"],
            "primary_type": "ForcedLabour",
            "trafficking_status": "PossibleVictimOfTrafficking",
        }
        defaults.update(fields)
        case = Case.objects.create(person=person, agency=owner, county_id=county, **defaults)
        when = opened or NOW - dt.timedelta(days=30)
        Case.objects.filter(pk=case.pk).update(opened_at=when)
        case.opened_at = when
        if consent:
            Consent.objects.create(case=case, kind=ConsentKind.STATISTICS, granted_at=when)
        Consent.objects.create(case=case, kind=ConsentKind.SERVICES, granted_at=when)
        facts.refresh([case.pk])  # the opened date was set with update(), which sends no signal
        return case

    return make


@pytest.fixture
def many_cases(make_case) -> Callable[..., list[Case]]:
    def make(n: int, **fields: Any) -> list[Case]:
        return [make_case(**fields) for _ in range(n)]

    return make
