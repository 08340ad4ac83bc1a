"""Intake, derived fields, duplicates, optimistic locking, service plan and relief."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from beacon.cases import selectors, services
from beacon.cases.models import Case, ConsentKind, Person, ReferralStatus
from beacon.cases.services import EditConflict

pytestmark = pytest.mark.django_db


def test_intake_encrypts_personal_fields_and_indexes_them(case):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name, birth_date, contact, immigration_status FROM cases_person WHERE id = %s",
            [case.person_id],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("enc1:") for value in raw)
    assert "Ana" not in "".join(raw)
    person = Person.objects.get(pk=case.person_id)
    assert person.given_name == "Ana"
    assert person.contact["phone"] == "+13125550101"
    assert person.name_bidx and person.fuzzy_bidx and person.phone_bidx and person.email_bidx


def test_intake_records_the_services_consent_given_and_the_owner(case, staff):
    assert case.owner == staff["cw"]
    assert case.consents.filter(kind=ConsentKind.SERVICES, revoked_at__isnull=True).exists()


def test_minor_flags_follow_age_at_intake_and_when_trafficked(staff, ref):
    adult = services.open_case(staff["cw"], given_name="A", estimated_age=25, age_when_trafficked=16)
    assert not adult.person.minor_at_intake and adult.person.minor_when_trafficked
    today = dt.date.today()
    child = services.open_case(staff["cw"], given_name="B", birth_date=today.replace(year=today.year - 15))
    assert child.person.minor_at_intake and child.person.age_at_intake in (14, 15)


def test_future_birth_date_is_refused(staff, ref):
    with pytest.raises(ValidationError):
        services.open_case(staff["cw"], given_name="A", birth_date="2999-01-01")


def test_duplicates_in_the_agency_are_listed_and_elsewhere_only_signalled(case, staff):
    same = selectors.find_duplicates(staff["sup"], given_name="ana", family_name="LÓPEZ")
    assert same.matches and same.matches[0]["cases"] == [case.public_id]
    assert "name" in same.matches[0]["matched_on"]
    fuzzy = selectors.find_duplicates(staff["sup"], given_name="Anna", family_name="Lopes", birth_date="1995-01-01")
    assert fuzzy.matches and "fuzzy" in fuzzy.matches[0]["matched_on"]
    elsewhere = selectors.find_duplicates(staff["other_cw"], given_name="Ana", family_name="Lopez")
    assert elsewhere.matches == [] and elsewhere.elsewhere is True
    by_phone = selectors.find_duplicates(staff["other_cw"], phone="(312) 555-0101")
    assert by_phone.elsewhere and not by_phone.matches


def test_two_editors_never_silently_overwrite_each_other(case, staff):
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    services.update_case(staff["cw"], first, version=first.version, summary="first edit")
    with pytest.raises(EditConflict) as excinfo:
        services.update_case(staff["sup"], second, version=second.version, summary="second edit")
    assert "reload" in str(excinfo.value).lower()
    case.refresh_from_db()
    assert case.summary == "first edit" and case.version == 2


def test_person_edits_are_locked_too(case, staff):
    person = case.person
    services.update_person(staff["cw"], person, version=1, given_name="Ana María")
    with pytest.raises(EditConflict):
        services.update_person(staff["cw"], Person.objects.get(pk=person.pk), version=1, given_name="X")
    assert Person.objects.get(pk=person.pk).given_name == "Ana María"


def test_closing_needs_a_reason(case, staff):
    with pytest.raises(ValidationError):
        services.update_case(staff["cw"], case, version=case.version, status="Closed")
    services.update_case(staff["cw"], case, version=case.version, status="Closed", closure_reason="Services done")
    case.refresh_from_db()
    assert case.closed_at is not None


def test_service_plan_and_relief(case, staff):
    services.add_need(staff["cw"], case, category="shelter", priority="urgent")
    services.add_goal(staff["cw"], case, text="Stable housing")
    item = services.add_plan_item(staff["cw"], case, category="legal_immigration", due_date=dt.date(2030, 1, 1))
    services.update_plan_item(staff["cw"], item, status="completed", outcome="Filed")
    item.refresh_from_db()
    assert item.completed_on is not None and item.outcome == "Filed"
    assert set(case.needs.values_list("category", flat=True)) == {"shelter", "legal_immigration"}
    application = services.add_relief(staff["cw"], case, kind="t_visa")
    services.add_milestone(staff["cw"], application, kind="le_requested", due_date=dt.date(2030, 1, 1))
    with pytest.raises(ValidationError):
        services.add_milestone(staff["cw"], application, kind="filed")


def test_events_need_a_place(case, staff, ref):
    with pytest.raises(ValidationError):
        services.add_event(staff["cw"], case, type="Recruitment")
    services.add_event(staff["cw"], case, type="Recruitment", country="MEX")
    services.add_event(staff["cw"], case, type="Exploitation", county=ref["counties"]["17031"])
    assert case.events.count() == 2


def test_referral_lifecycle_and_timeline(shared_case, staff):
    case, referral = shared_case
    services.complete_referral(staff["other_cw"], referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    page = selectors.case_page(staff["cw"], selectors.get_case(staff["cw"], case.public_id))
    statuses = [item["event"].status for item in page["timeline"] if item["kind"] == "referral"]
    assert statuses == ["completed", "accepted", "sent"]


def test_decline_needs_a_reason_and_notifies_sender(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    assert staff["other_cw"].notifications.filter(key__startswith="referral-new").exists()
    with pytest.raises(ValidationError):
        services.decline_referral(staff["other_cw"], referral, reason=" ")
    services.decline_referral(staff["other_cw"], referral, reason="No capacity")
    referral.refresh_from_db()
    assert referral.decline_reason == "No capacity"
    assert staff["cw"].notifications.filter(key__startswith="referral-declined").exists()


def test_answering_a_stale_referral_is_a_conflict(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(
        staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["name"]
    )
    stale = type(referral).objects.get(pk=referral.pk)
    services.accept_referral(staff["other_cw"], referral)
    with pytest.raises((EditConflict, ValidationError)):
        services.decline_referral(staff["other_sup"], stale, reason="late")


def test_unknown_shared_fields_are_refused(case, staff, other_agency):
    services.grant_consent(staff["cw"], case, kind=ConsentKind.REFERRAL, agency=other_agency)
    with pytest.raises(ValidationError):
        services.send_referral(staff["cw"], case, to_agency=other_agency, service="shelter", shared_fields=["notes"])


def test_intake_records_no_consent_unless_the_survivor_gave_it(staff, ref):
    case = services.open_case(staff["hotline"], given_name="C")
    assert case.owner == staff["hotline"] and not case.consents.exists()
    given = services.open_case(staff["cw"], given_name="D", consent_services=True, consent_method="written")
    assert list(given.consents.values_list("kind", "method")) == [("services", "written")]
