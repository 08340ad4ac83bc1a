"""Fixtures for screening: two agencies' staff, a case, a tip, and helpers to make screenings."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from beacon.accounts.roles import Role
from beacon.cases import services as case_services
from beacon.cases.models import ConsentKind
from beacon.reference.models import County, Language
from beacon.screening import services
from beacon.screening.engine import get_instrument
from beacon.screening.models import Screening

# Answers meeting the adult ILO rule: DR (S+M), EX (S+M), CD (S+S) positive.
TRAFFICKING = {"DR01": "yes", "DR02": "yes", "EX01": "yes", "EX02": "yes", "CD01": "yes", "CD02": "yes"}
# Exploitative work without the means dimensions: every other indicator answered no.
EXPLOITATION_ONLY = {
    item.id: "yes" if item.id in ("EX01", "EX02") else "no"
    for item in get_instrument("ilo-2009").plan("adult-labour").items
}
# The safety and consent step with every part confirmed (as the API sends it, and as the service takes it).
SAFE_TO_TALK = {
    "safe_to_talk": True,
    "interpreter": "independent",
    "confidentiality_explained": True,
    "right_to_stop_explained": True,
    "agreed_to_continue": True,
}
CLEARED = services.SafetyStep(**SAFE_TO_TALK)


@pytest.fixture
def ref(db) -> dict:
    counties = {
        fips: County.objects.create(fips=fips, name=name)
        for fips, name in [("17031", "Cook County"), ("17201", "Winnebago County")]
    }
    languages = {
        code: Language.objects.create(code=code, iso639_3=iso, name=name, native_name=name)
        for code, iso, name in [("en", "eng", "English"), ("es", "spa", "Spanish")]
    }
    return {"counties": counties, "languages": languages}


@pytest.fixture
def staff(make_user, agency, other_agency, police_agency) -> dict:
    return {
        "cw": make_user(Role.CASEWORKER, agency, first_name="Maria"),
        "cw2": make_user(Role.CASEWORKER, agency),
        "sup": make_user(Role.SUPERVISOR, agency),
        "hotline": make_user(Role.HOTLINE, agency),
        "other_cw": make_user(Role.CASEWORKER, other_agency),
        "other_sup": make_user(Role.SUPERVISOR, other_agency),
        "police": make_user(Role.INVESTIGATOR, police_agency),
        "analyst": make_user(Role.ANALYST, None),
    }


@pytest.fixture
def case(staff, ref):
    return case_services.open_case(
        staff["cw"],
        given_name="Ana",
        family_name="Lopez",
        birth_date="1990-04-02",
        languages=["es"],
        citizenship="MEX",
        exploitation_types=["ForcedLabour"],
        county="17031",
        summary="Fictional summary.",
    )


@pytest.fixture
def other_case(staff, ref):
    return case_services.open_case(staff["other_cw"], given_name="Olek", family_name="Nowak", citizenship="POL")


@pytest.fixture
def shared_case(case, staff, other_agency):
    """`case` referred to the other agency with the survivor's consent, and accepted there."""
    case_services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = case_services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name", "languages"]
    )
    case_services.accept_referral(staff["other_cw"], referral)
    return case


@pytest.fixture
def tip(db, agency):
    from beacon.tips.models import Tip

    return Tip.objects.create(
        narrative="Fictional report of workers kept in a house.",
        agency=agency,
        danger_now=True,
        codename_hash="x",
        codename_index=secrets.token_hex(8),
        submission_key=secrets.token_hex(8),
    )


@pytest.fixture
def screen(db) -> Callable[..., Screening]:
    """Run a finished ILO adult-labour screening (answers default to the trafficking pattern)."""

    def run(actor, case=None, tip=None, answers=None, **fields) -> Screening:
        fields.setdefault("instrument_id", "ilo-2009")
        fields.setdefault("population", "adult-labour")
        fields.setdefault("safety", CLEARED)
        return services.run_screening(
            actor, case=case, tip=tip, answers=TRAFFICKING if answers is None else answers, **fields
        )

    return run
