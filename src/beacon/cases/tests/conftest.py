"""Fixtures for case management: reference rows, two agencies' staff, a case with consent to refer."""

from __future__ import annotations

import pytest

from beacon.accounts.roles import Role
from beacon.cases import services
from beacon.cases.models import ConsentKind
from beacon.reference.models import County, Language


@pytest.fixture
def ref(db) -> dict:
    counties = {
        fips: County.objects.create(fips=fips, name=name)
        for fips, name in [("17031", "Cook County"), ("17043", "DuPage County"), ("17201", "Winnebago County")]
    }
    languages = {
        code: Language.objects.create(code=code, iso639_3=iso, name=name, native_name=name)
        for code, iso, name in [("en", "eng", "English"), ("es", "spa", "Spanish"), ("pl", "pol", "Polish")]
    }
    return {"counties": counties, "languages": languages}


@pytest.fixture
def staff(make_user, agency, other_agency, police_agency) -> dict:
    return {
        "cw": make_user(Role.CASEWORKER, agency, email="cw@example.org"),
        "cw2": make_user(Role.CASEWORKER, agency),
        "sup": make_user(Role.SUPERVISOR, agency),
        "hotline": make_user(Role.HOTLINE, agency),
        "other_cw": make_user(Role.CASEWORKER, other_agency, email="other@example.org"),
        "other_sup": make_user(Role.SUPERVISOR, other_agency),
        "police": make_user(Role.INVESTIGATOR, police_agency),
        "analyst": make_user(Role.ANALYST, None),
    }


@pytest.fixture
def case(staff, ref):
    return services.open_case(
        staff["cw"],
        given_name="Ana",
        family_name="Lopez",
        birth_date="1995-04-02",
        phone="312-555-0101",
        email="ana@example.org",
        languages=["es"],
        citizenship="MEX",
        immigration_status="Undocumented",
        exploitation_types=["ForcedLabour"],
        county="17031",
        summary="Fictional summary.",
        consent_services=True,
    )


@pytest.fixture
def shared_case(case, staff, other_agency):
    """A case referred to the other agency with consent, and accepted there."""
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    services.add_need(staff["cw"], case, category="legal_immigration")
    referral = services.send_referral(
        staff["cw"],
        case,
        to_agency=other_agency,
        service="legal_immigration",
        shared_fields=["name", "languages", "service_needs"],
    )
    services.accept_referral(staff["other_cw"], referral)
    referral.refresh_from_db()
    return case, referral
