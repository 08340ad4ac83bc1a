"""Erasure on request: a supervisor destroys a survivor's personal data; the case keeps its coded
facts; refused under a legal hold; the audit says it happened and nothing of what was erased."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from beacon.access.policy import AccessDenied, RecordRefused
from beacon.audit.models import AuditAction, AuditEntry
from beacon.audit.services import verify_chain
from beacon.cases import files
from beacon.cases import services as case_services
from beacon.cases.models import Attachment, Case, CaseNote, ConsentKind, Person
from beacon.crypto.fields import encrypted_fields
from beacon.lifecycle import services
from beacon.lifecycle.models import Erasure
from beacon.lifecycle.tests.conftest import PDF, make_tip
from beacon.tips.models import Status as TipStatus
from beacon.tips.models import Tip, TipIdentifier, TipMessage

pytestmark = pytest.mark.django_db


def _raw(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def full_case(staff, agency, open_case):
    case = open_case()
    case_services.add_note(staff["cw"], case, "Fictional note naming Ana.")
    attachment = case_services.add_attachment(staff["cw"], case, filename="passport.pdf", data=PDF)
    tip = make_tip(agency, status=TipStatus.CONVERTED, case=case)
    TipIdentifier.objects.create(tip=tip, kind="phone", index="abc123")
    TipMessage.objects.create(tip=tip, author="reporter", kind="addition", body="She is called Ana.")
    return case, attachment, tip


def test_erasure_destroys_personal_data_and_keeps_coded_facts(
    staff, full_case, media, django_capture_on_commit_callbacks
):
    case, attachment, tip = full_case
    case_services.grant_consent(staff["cw"], case, kind=ConsentKind.STATISTICS)
    path = media / files.STORE_DIR / attachment.storage_name
    with django_capture_on_commit_callbacks(execute=True):
        report = services.erase_person(staff["sup"], case.public_id, confirm=case.public_id.lower())
    assert report.cases == [case.public_id] and report.notes == 1 and report.attachments == 1
    person = Person.objects.get(pk=case.person_id)
    for field in encrypted_fields(Person):
        assert _raw(Person, person.pk, field.column) in ("", None), field.name
    assert (person.name_bidx, person.fuzzy_bidx, person.phone_bidx, person.email_bidx) == ("", "", "", "")
    assert person.citizenship == "MEX" and person.languages == ["es"]  # consent to statistics stands
    case.refresh_from_db()
    assert case.summary == "" and case.exploitation_types == ["ForcedLabour"] and case.county_id == "17031"
    assert not CaseNote.objects.filter(case=case).exists()
    assert not Attachment.objects.filter(case=case).exists() and not path.exists()
    tip.refresh_from_db()
    assert tip.narrative == "" and tip.people == {} and tip.case_id == case.pk
    assert not TipIdentifier.objects.filter(tip=tip).exists() and not TipMessage.objects.filter(tip=tip).exists()
    erasure = Erasure.objects.get(person=person)
    assert erasure.statistics_kept and erasure.erased_by == staff["sup"]
    entries = AuditEntry.objects.filter(action=AuditAction.ERASE)
    assert {e.object_id for e in entries} == {person.public_id, case.public_id, tip.public_id}
    assert all("Ana" not in e.reason and "Lopez" not in e.reason for e in entries)
    assert verify_chain().ok


def test_without_consent_to_statistics_the_demographics_go_too(staff, full_case):
    case, _attachment, _tip = full_case
    services.erase_person(staff["sup"], case.public_id, confirm=case.public_id)
    person = Person.objects.get(pk=case.person_id)
    assert (person.citizenship, person.languages, person.age_at_intake) == ("", [], None)
    assert not Erasure.objects.get(person=person).statistics_kept


def test_a_legal_hold_refuses_erasure_and_changes_nothing(staff, full_case):
    case, _attachment, tip = full_case
    services.place_hold(staff["sup"], services.HoldTarget("tip", tip.public_id), "Matter 9")
    with pytest.raises(services.LifecycleRefused, match="legal hold") as refused:
        services.erase_person(staff["sup"], case.public_id, confirm=case.public_id)
    assert tip.public_id in str(refused.value)
    person = Person.objects.get(pk=case.person_id)
    assert person.given_name == "Ana" and CaseNote.objects.filter(case=case).exists()
    assert not Erasure.objects.exists() and not AuditEntry.objects.filter(action=AuditAction.ERASE).exists()


def test_confirmation_roles_and_agencies(staff, full_case):
    case, _attachment, _tip = full_case
    with pytest.raises(ValidationError):
        services.erase_person(staff["sup"], case.public_id, confirm="wrong")
    with pytest.raises(AccessDenied):
        services.erase_person(staff["cw"], case.public_id, confirm=case.public_id)
    with pytest.raises(AccessDenied):
        services.erase_person(staff["admin"], case.public_id, confirm=case.public_id)
    with pytest.raises(RecordRefused):
        services.erase_person(staff["other_sup"], case.public_id, confirm=case.public_id)
    assert Person.objects.get(pk=case.person_id).given_name == "Ana"
    services.erase_person(staff["sup"], case.public_id, confirm=case.public_id)
    with pytest.raises(services.LifecycleRefused, match="already erased"):
        services.erase_person(staff["sup"], case.public_id, confirm=case.public_id)


def test_the_erasure_pages(staff, full_case, staff_client):
    case, _attachment, tip = full_case
    client = staff_client(staff["sup"])
    page = client.get("/staff/lifecycle/erase/", {"case": case.public_id})
    html = page.content.decode()
    assert page.status_code == 200 and "1 note" in html and tip.public_id in html
    assert "Ana" not in html  # the confirmation page shows no personal data
    wrong = client.post("/staff/lifecycle/erase/", {"case": case.public_id, "confirm": "nope"})
    assert wrong.status_code == 400 and "Type the case id" in wrong.content.decode()
    done = client.post("/staff/lifecycle/erase/", {"case": case.public_id, "confirm": case.public_id}, follow=True)
    assert "Personal data erased" in done.content.decode()
    assert Person.objects.get(pk=case.person_id).given_name == ""
    assert Case.objects.filter(pk=case.pk).exists() and Tip.objects.filter(pk=tip.pk).exists()


def test_the_page_says_why_a_held_case_cannot_be_erased(staff, full_case, staff_client):
    case, _attachment, _tip = full_case
    services.place_hold(staff["sup"], services.HoldTarget("case", case.public_id), "Matter 9")
    page = staff_client(staff["sup"]).get("/staff/lifecycle/erase/", {"case": case.public_id})
    html = page.content.decode()
    assert "cannot be erased while a legal hold stands" in html and 'name="confirm"' not in html


def test_another_agencys_case_is_not_found_and_the_refusal_is_audited(staff, full_case, staff_client):
    case, _attachment, _tip = full_case
    response = staff_client(staff["other_sup"]).get("/staff/lifecycle/erase/", {"case": case.public_id})
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, actor_id=staff["other_sup"].pk, object_id=case.public_id
    ).exists()
