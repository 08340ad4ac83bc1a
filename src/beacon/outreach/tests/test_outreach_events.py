"""Outreach events: field staff record them for their agency, analysts read every agency's, and a
bad entry or a stale edit saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.outreach.models import OutreachEvent
from beacon.reference.models import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def champaign(db):
    return County.objects.get_or_create(fips="17019", defaults={"name": "Champaign"})[0]


def _form(**changes) -> dict:
    data = {
        "held_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "county": "17019",
        "place": "County fair, farmworker night",
        "audience": "farmworkers",
        "people_reached": "140",
        "materials_distributed": "300",
        "follow_ups": "6",
        "notes": "Crew leaders watched who took cards.",
    }
    data.update(changes)
    return data


def test_a_caseworker_records_an_event_and_sees_it_in_the_totals(staff_client, make_user, agency, champaign):
    client = staff_client(make_user(Role.CASEWORKER, agency))
    response = client.post("/staff/outreach/new/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = OutreachEvent.objects.get()
    assert event.agency == agency and event.people_reached == 140 and event.county == champaign
    page = client.get("/staff/outreach/").content.decode()
    assert "County fair, farmworker night" in page and "Farm and seasonal workers" in page
    assert ">140<" in page and ">300<" in page
    assert AuditEntry.objects.filter(object_type="outreach.outreachevent", action="create").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "cannot be in the future"),
        ({"follow_ups": "200"}, "More people asked for follow-up than were reached"),
        ({"people_reached": "0"}, "greater than or equal to 1"),
        ({"audience": "everyone"}, "Select a valid choice"),
    ],
)
def test_bad_entries_are_refused_with_a_message_and_nothing_saved(
    staff_client, make_user, agency, champaign, changes, message
):
    client = staff_client(make_user(Role.CASEWORKER, agency))
    response = client.post("/staff/outreach/new/", _form(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not OutreachEvent.objects.exists()


def test_a_stale_edit_keeps_the_other_change_and_the_entries_in_the_form(staff_client, make_user, agency, champaign):
    client = staff_client(make_user(Role.CASEWORKER, agency))
    client.post("/staff/outreach/new/", _form())
    event = OutreachEvent.objects.get()
    edited = client.post(f"/staff/outreach/{event.public_id}/edit/", _form(people_reached="150", version="1"))
    assert edited.status_code == 302
    stale = client.post(f"/staff/outreach/{event.public_id}/edit/", _form(people_reached="90", version="1"))
    assert stale.status_code == 200 and "Someone else changed this event" in stale.content.decode()
    assert 'value="90"' in stale.content.decode()
    event.refresh_from_db()
    assert event.people_reached == 150 and event.version == 2


def test_other_agencies_cannot_see_or_edit_an_event_and_analysts_only_read(
    staff_client, make_user, agency, other_agency, champaign
):
    staff_client(make_user(Role.CASEWORKER, agency)).post("/staff/outreach/new/", _form())
    event = OutreachEvent.objects.get()
    outsider = staff_client(make_user(Role.SUPERVISOR, other_agency))
    assert "County fair" not in outsider.get("/staff/outreach/").content.decode()
    assert outsider.get(f"/staff/outreach/{event.public_id}/edit/").status_code == 404
    analyst = staff_client(make_user(Role.ANALYST, other_agency))
    assert "County fair" in analyst.get("/staff/outreach/").content.decode()
    assert analyst.get("/staff/outreach/new/").status_code == 403
    investigator = staff_client(make_user(Role.INVESTIGATOR, agency))
    assert investigator.get("/staff/outreach/").status_code == 403
