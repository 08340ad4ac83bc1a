"""One path from tip to case: typed input, an owner chosen from the agency, what the tip established
carried over, no consent assumed, and nothing half-done on bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from beacon.access.policy import AccessDenied
from beacon.accounts.roles import Role
from beacon.cases import selectors as case_selectors
from beacon.cases import services as case_services
from beacon.cases.models import Case, CaseNote, Consent, Person
from beacon.tips import services
from beacon.tips.models import Status, Tip

FORCED_LABOUR = (
    "Somos siete trabajadores en una planta empacadora. El supervisor guarda nuestros pasaportes, "
    "dice que le debemos 4.000 dólares y nos encierra por la noche."
)


def _tip(key: str = "t", **fields) -> Tip:
    fields.setdefault("narrative", FORCED_LABOUR)
    return services.submit_tip(services.TipInput(**fields), nonce=key * 8, idempotency_key=key).tip


@pytest.fixture
def people(make_user, agency, other_agency):
    return {
        "hotline": make_user(Role.HOTLINE, agency, first_name="Hana", last_name="Line"),
        "cw": make_user(Role.CASEWORKER, agency, first_name="Carla", last_name="Worker"),
        "sup": make_user(Role.SUPERVISOR, agency, first_name="Sam", last_name="Super"),
        "cw2": make_user(Role.CASEWORKER, agency, first_name="Dan", last_name="Second"),
        "outsider": make_user(Role.CASEWORKER, other_agency, first_name="Otto", last_name="Other"),
        "other_sup": make_user(Role.SUPERVISOR, other_agency),
    }


def _full_tip(counties):
    tip = _tip(
        language="es",
        location_kind="county",
        county_fips="17031",
        when="day",
        people={"description": "Siete hombres de Guatemala", "names": ["Mario"], "phones": ["+1 312 555 0100"]},
        checklist={
            "NO_CONTROL_OF_DOCUMENTS": "yes",
            "DEBT": "yes",
            "RESTRICTED_MOVEMENT": "yes",
            "DEBT_X": "unknown",
            "FEAR_AND_TRAUMA": "no",
            "PHYSICAL_ABUSE": "unknown",
        },
    )
    tip.exploitation_types = ["ForcedLabour"]
    tip.save(update_fields=["exploitation_types"])
    return tip


@pytest.mark.django_db
def test_conversion_assigns_the_chosen_caseworker_and_carries_what_the_tip_established(people, counties):
    tip = _full_tip(counties)
    case = services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))
    tip.refresh_from_db()
    assert tip.case == case and tip.status == Status.CONVERTED and tip.agency_id == people["hotline"].agency_id
    assert case.owner == people["cw"] and case.agency_id == people["hotline"].agency_id
    assert case.exploitation_types == ["ForcedLabour"] and case.primary_type == "ForcedLabour"
    assert case.county_id == "17031" and case.referral_source == "hotline"
    assert case.signs_from_tip == {
        "NO_CONTROL_OF_DOCUMENTS": "yes",
        "DEBT": "yes",
        "RESTRICTED_MOVEMENT": "yes",
        "FEAR_AND_TRAUMA": "no",
    }
    person = case.person
    assert person.from_tip_unconfirmed and person.languages == ["es"]
    assert "Siete hombres de Guatemala" in person.described_in_tip and "Mario" in person.described_in_tip
    assert person.contact is None  # phones in a tip may be anyone's: they are not the survivor's contact
    note = CaseNote.objects.get(case=case)
    assert note.body == FORCED_LABOUR
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {CaseNote._meta.db_table} WHERE id = %s", [note.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "pasaportes" not in raw  # stored encrypted
    assert not Consent.objects.filter(case=case).exists()
    # The new owner is told, with ids only.
    notice = people["cw"].notifications.get()
    assert case.public_id in notice.text and "Mario" not in notice.text


@pytest.mark.django_db
def test_the_assigned_caseworker_opens_and_finds_the_case(people, counties, staff_client):
    tip = _full_tip(counties)
    case = services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))
    client = staff_client(people["cw"])
    page = client.get(f"/staff/cases/{case.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="no-consent"' in html and "No consent recorded yet." in html
    assert 'id="person-unconfirmed"' in html and "from the tip, unconfirmed" in html
    assert tip.public_id in html and "pasaportes" in html  # the narrative as the first note
    listing = client.get("/staff/cases/", {"q": case.public_id}).content.decode()
    assert f'href="/staff/cases/{case.public_id}/"' in listing and "No cases match." not in listing
    mine = client.get("/staff/cases/", {"owner": "me"}).content.decode()
    assert case.public_id in mine


@pytest.mark.django_db
def test_convert_asks_for_confirmation_and_lists_caseworkers_with_caseloads(people, counties, staff_client):
    tip = _full_tip(counties)
    other = _tip("busy")
    services.convert_to_case(people["hotline"], other, services.Conversion(people["cw2"].pk, other.version))
    client = staff_client(people["hotline"])
    page = client.get(f"/staff/tips/{tip.public_id}/convert")
    html = page.content.decode()
    assert page.status_code == 200 and "No consent is recorded" in html
    assert "Dan Second (Caseworker) · 1 open case" in html and "Carla Worker (Caseworker) · 0 open cases" in html
    assert "Hana Line (" not in html and "Otto Other" not in html  # hotline staff and other agencies are not owners
    tip.refresh_from_db()
    assert tip.case_id is None  # a GET changes nothing
    done = client.post(f"/staff/tips/{tip.public_id}/convert", {"owner": people["cw"].pk, "version": tip.version})
    assert done.status_code == 302
    tip.refresh_from_db()
    assert tip.case.owner == people["cw"]


@pytest.mark.django_db
def test_bad_conversions_leave_nothing_half_done(people, counties, staff_client):
    tip = _full_tip(counties)
    before = (Case.objects.count(), Person.objects.count(), CaseNote.objects.count())
    with pytest.raises(ValidationError, match="agency"):
        services.convert_to_case(people["hotline"], tip, services.Conversion(people["outsider"].pk, tip.version))
    with pytest.raises(ValidationError, match="changed"):
        services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version - 1))
    with pytest.raises(ValidationError):
        services.convert_to_case(people["hotline"], tip, services.Conversion(people["hotline"].pk, tip.version))
    with pytest.raises(AccessDenied):
        services.convert_to_case(people["cw"], tip, services.Conversion(people["cw"].pk, tip.version))
    assert (Case.objects.count(), Person.objects.count(), CaseNote.objects.count()) == before
    tip.refresh_from_db()
    assert tip.case_id is None and tip.status != Status.CONVERTED
    # Through the page: a user of another agency posted as owner gets a clear message, nothing saved.
    client = staff_client(people["hotline"])
    page = client.post(f"/staff/tips/{tip.public_id}/convert", {"owner": people["outsider"].pk, "version": tip.version})
    assert (
        page.status_code == 200
        and "Choose a caseworker of the case&#x27;s agency from the list." in page.content.decode()
    )
    stale = client.post(f"/staff/tips/{tip.public_id}/convert", {"owner": people["cw"].pk, "version": tip.version - 1})
    assert "This tip changed after you opened it" in stale.content.decode()
    assert Case.objects.count() == before[0]
    services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))
    tip.refresh_from_db()
    with pytest.raises(ValidationError, match="already"):
        services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))


@pytest.mark.django_db
def test_the_case_intake_page_no_longer_opens_cases_from_tips(people, counties, staff_client):
    tip = _full_tip(counties)
    client = staff_client(people["cw"])
    client.post(
        f"/staff/cases/new/?tip={tip.public_id}", {"given_name": "X", "estimated_age": 30, "tip": tip.public_id}
    )
    tip.refresh_from_db()
    assert tip.case_id is None and not any(c.tips.exists() for c in Case.objects.all())


@pytest.mark.django_db
def test_supervisor_reassigns_from_the_case_page_and_the_team_caseload(people, counties, staff_client):
    tip = _full_tip(counties)
    case = services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))
    sup = staff_client(people["sup"])
    page = sup.get(f"/staff/cases/{case.public_id}/").content.decode()
    assert 'id="reassign"' in page and "Dan Second (Caseworker) · 0 open cases" in page
    team = sup.get("/staff/cases/team/").content.decode()
    assert f"/staff/cases/?owner={people['cw'].username}&amp;status=open" in team and "1 open case" in team
    listing = sup.get(f"/staff/cases/?owner={people['cw'].username}&status=open&reassign=1").content.decode()
    assert case.public_id in listing and f'action="/staff/cases/{case.public_id}/owner/"' in listing
    case.refresh_from_db()
    moved = sup.post(
        f"/staff/cases/{case.public_id}/owner/",
        {"owner": people["cw2"].pk, "version": case.version, "next": "/staff/cases/team/"},
    )
    assert moved.status_code == 302 and moved["Location"] == "/staff/cases/team/"
    case.refresh_from_db()
    assert case.owner == people["cw2"]
    assert people["cw2"].notifications.filter(text__contains=case.public_id).exists()
    # The old owner no longer sees it; the new one does.
    assert staff_client(people["cw"]).get(f"/staff/cases/{case.public_id}/").status_code == 404
    assert staff_client(people["cw2"]).get(f"/staff/cases/{case.public_id}/").status_code == 200


@pytest.mark.django_db
def test_bad_reassignments_are_refused_with_a_message(people, counties, staff_client):
    tip = _full_tip(counties)
    case = services.convert_to_case(people["hotline"], tip, services.Conversion(people["cw"].pk, tip.version))
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="agency"):
        case_services.reassign_case(
            people["sup"], case, case_services.Reassignment(people["outsider"].pk, case.version)
        )
    with pytest.raises(case_services.EditConflict):
        case_services.reassign_case(people["sup"], case, case_services.Reassignment(people["cw2"].pk, case.version - 1))
    with pytest.raises(AccessDenied):
        case_services.reassign_case(people["cw"], case, case_services.Reassignment(people["cw2"].pk, case.version))
    with pytest.raises(AccessDenied):
        case_services.reassign_case(
            people["other_sup"], case, case_services.Reassignment(people["cw2"].pk, case.version)
        )
    case.refresh_from_db()
    assert case.owner == people["cw"]
    sup = staff_client(people["sup"])
    page = sup.post(
        f"/staff/cases/{case.public_id}/owner/", {"owner": people["outsider"].pk, "version": case.version}, follow=True
    ).content.decode()
    assert "Choose a caseworker of the case&#x27;s agency from the list." in page
    stale = sup.post(
        f"/staff/cases/{case.public_id}/owner/", {"owner": people["cw2"].pk, "version": case.version - 1}, follow=True
    ).content.decode()
    assert "Someone else changed this record after you opened it" in stale
    case.refresh_from_db()
    assert case.owner == people["cw"]


@pytest.mark.django_db
def test_assignable_owners_is_one_query(people, counties, django_assert_num_queries):
    with django_assert_num_queries(1):
        owners = case_selectors.assignable_owners(people["sup"])
    assert {o.user.username for o in owners} == {people["cw"].username, people["cw2"].username, people["sup"].username}


@pytest.mark.django_db
def test_close_asks_for_a_reason_and_confirmation(people, counties, staff_client):
    tip = _tip("closing")
    client = staff_client(people["hotline"])
    page = client.get(f"/staff/tips/{tip.public_id}/close").content.decode()
    assert "Choose a reason" in page and "Close the tip" in page
    tip.refresh_from_db()
    assert tip.is_open
    missing = client.post(f"/staff/tips/{tip.public_id}/close", {"reason": "", "version": tip.version})
    assert "Choose a reason for closing." in missing.content.decode()
    stale = client.post(f"/staff/tips/{tip.public_id}/close", {"reason": "duplicate", "version": tip.version - 1})
    assert "This tip changed after you opened it" in stale.content.decode()
    tip.refresh_from_db()
    assert tip.is_open
    client.post(f"/staff/tips/{tip.public_id}/close", {"reason": "duplicate", "version": tip.version})
    tip.refresh_from_db()
    assert tip.status == Status.CLOSED and tip.close_reason == "duplicate"
