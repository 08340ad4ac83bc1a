"""Screenings are personal data: scoped by the access policy, shared only through accepted referrals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beacon.access.policy import Action, can
from beacon.cases import services as case_services
from beacon.cases.models import Consent, ConsentKind
from beacon.screening import selectors

pytestmark = pytest.mark.django_db


def _visible(user) -> set[str]:
    return {s.public_id for s in selectors.visible_screenings(user)}


def test_another_agency_neither_lists_nor_opens_a_screening(staff, case, screen, staff_client):
    screening = screen(staff["cw"], case=case)
    for user in (staff["other_cw"], staff["other_sup"], staff["police"], staff["analyst"]):
        assert not can(user, Action.VIEW, "screening", screening)
        assert screening.public_id not in _visible(user)
    response = staff_client(staff["other_sup"]).get(reverse("screening:result", args=[screening.public_id]))
    assert response.status_code == 404


def test_the_screener_the_case_owner_and_the_supervisor_see_it_but_not_a_colleague(staff, case, screen):
    screening = screen(staff["sup"], case=case)  # the case belongs to staff["cw"]
    assert screening.public_id in _visible(staff["sup"])
    assert screening.public_id in _visible(staff["cw"])
    assert can(staff["cw"], Action.VIEW, "screening", screening)
    assert screening.public_id not in _visible(staff["cw2"])
    assert not can(staff["cw2"], Action.VIEW, "screening", screening)


def test_a_case_shared_through_an_accepted_referral_shares_its_screenings_without_notes(
    staff, shared_case, screen, staff_client
):
    screening = screen(staff["cw"], case=shared_case, notes="Private interviewer note.")
    assert screening.public_id in _visible(staff["other_cw"])
    assert can(staff["other_cw"], Action.VIEW, "screening", screening)
    html = staff_client(staff["other_cw"]).get(reverse("screening:result", args=[screening.public_id])).content.decode()
    assert "Trafficking indicated" in html
    assert "Private interviewer note." not in html
    # Shared scope reads; it never continues or changes the sending agency's record.
    assert not can(staff["other_cw"], Action.UPDATE, "screening", screening)


def test_revoking_the_referral_consent_ends_shared_access_at_once(staff, shared_case, screen):
    screening = screen(staff["cw"], case=shared_case)
    consent = Consent.objects.get(case=shared_case, kind=ConsentKind.REFERRAL)
    case_services.revoke_consent(staff["cw"], consent)
    assert screening.public_id not in _visible(staff["other_cw"])
    assert not can(staff["other_cw"], Action.VIEW, "screening", screening)


def test_a_referral_not_yet_accepted_shares_nothing(staff, case, screen, other_agency):
    case_services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    case_services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="legal_immigration", shared_fields=["name"]
    )
    screening = screen(staff["cw"], case=case)
    assert screening.public_id not in _visible(staff["other_cw"])


def test_the_hotline_sees_only_its_own_screenings(staff, tip, screen):
    mine = screen(staff["hotline"], tip=tip, instrument_id="community-red-flags", answers={})
    other = screen(staff["sup"], tip=tip, instrument_id="community-red-flags", answers={})
    assert _visible(staff["hotline"]) == {mine.public_id}
    assert _visible(staff["sup"]) == {mine.public_id, other.public_id}


def test_the_receiving_agency_screens_a_shared_case_in_its_own_record(staff, shared_case, screen, other_agency):
    theirs = screen(staff["other_cw"], case=shared_case, notes="Receiving agency's note.")
    assert theirs.agency_id == other_agency.pk
    assert theirs.public_id in _visible(staff["other_sup"])
    assert theirs.public_id not in _visible(staff["sup"])  # the sender does not read the receiver's record
    assert selectors.full_access(staff["other_sup"], theirs)
    assert theirs.public_id not in _visible(staff["cw"])  # nor does the case owner
    assert not can(staff["cw"], Action.VIEW, "screening", theirs)
