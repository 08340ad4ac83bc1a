"""Fixtures for the data lifecycle: a supervisor's agency with a closed case, a tip and attachments."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.utils import timezone

from beacon.accounts.roles import Role
from beacon.cases import services as case_services
from beacon.cases.models import Case, CaseStatus
from beacon.reference.models import County
from beacon.tips.models import Status as TipStatus
from beacon.tips.models import Tip

PDF = b"%PDF-1.4\n% fictional\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(make_user, agency, other_agency) -> dict:
    County.objects.get_or_create(fips="17031", defaults={"name": "Cook County"})
    return {
        "cw": make_user(Role.CASEWORKER, agency),
        "sup": make_user(Role.SUPERVISOR, agency),
        "admin": make_user(Role.AGENCY_ADMIN, agency),
        "other_sup": make_user(Role.SUPERVISOR, other_agency),
        "analyst": make_user(Role.ANALYST, None),
    }


@pytest.fixture
def open_case(staff):
    def make(**fields) -> Case:
        fields.setdefault("given_name", "Ana")
        fields.setdefault("family_name", "Lopez")
        return case_services.open_case(
            staff["cw"],
            birth_date="1995-04-02",
            phone="312-555-0101",
            email="ana@example.org",
            languages=["es"],
            citizenship="MEX",
            immigration_status="Undocumented",
            exploitation_types=["ForcedLabour"],
            county="17031",
            summary="Fictional summary of what happened.",
            consent_services=True,
            **fields,
        )

    return make


def close(case: Case, days_ago: int) -> Case:
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=days_ago), closure_reason="done"
    )
    case.refresh_from_db()
    return case


def make_tip(agency, *, status=TipStatus.NEW, days_ago: int = 0, case=None) -> Tip:
    tip = Tip.objects.create(
        narrative="Fictional report of workers kept in a house.",
        people={"names": ["Ana Lopez"], "phones": ["+13125550101"]},
        agency=agency,
        status=status,
        case=case,
        codename_hash="x",
        codename_index=secrets.token_hex(8),
        submission_key=secrets.token_hex(8),
    )
    if days_ago:
        Tip.objects.filter(pk=tip.pk).update(updated_at=timezone.now() - dt.timedelta(days=days_ago))
        tip.refresh_from_db()
    return tip
