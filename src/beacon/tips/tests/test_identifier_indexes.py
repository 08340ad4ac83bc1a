"""A phone or e-mail in a tip and the same one in a case are indexed alike, so they match directly."""

from __future__ import annotations

import pytest

from beacon.accounts.roles import Role
from beacon.cases import services as case_services
from beacon.tips import services as tip_services
from beacon.tips.models import IdentifierKind, TipIdentifier

pytestmark = pytest.mark.django_db


def test_a_tips_phone_and_email_index_equal_a_cases(make_user, agency):
    submitted = tip_services.submit_tip(
        tip_services.TipInput(
            narrative="Workers kept in a house.", people={"phones": ["312-555-0101"], "emails": ["J.Doe@Example.com"]}
        ),
        nonce="index-test",
        idempotency_key="index-test",
    )
    case = case_services.open_case(
        make_user(Role.CASEWORKER, agency),
        given_name="Ana",
        family_name="Test",
        phone="+1 (312) 555 0101",
        email="j.doe@example.com",
    )
    indexes = dict(TipIdentifier.objects.filter(tip=submitted.tip).values_list("kind", "index"))
    assert indexes[IdentifierKind.PHONE] == case.person.phone_bidx != ""
    assert indexes[IdentifierKind.EMAIL] == case.person.email_bidx != ""
