"""The audit page: scoped, filtered, exported through the formula-safe writer, with a probing notice."""

from __future__ import annotations

import csv
import io

import pytest

from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction, AuditEntry
from beacon.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, agency, other_agency):
    return {
        "root": make_user(Role.SYSTEM_ADMIN, None, username="root"),
        "admin": make_user(Role.AGENCY_ADMIN, agency, username="admin"),
        "maria": make_user(Role.CASEWORKER, agency, username="maria"),
        "olek": make_user(Role.CASEWORKER, other_agency, username="olek"),
    }


def test_system_administrators_filter_by_user_action_object_and_date(people, staff_client):
    record(people["maria"], AuditAction.VIEW, object_type="cases.case", object_id="CASEAAAA01", reason="case page")
    record(people["olek"], AuditAction.DENIED, object_type="cases.case", object_id="CASEAAAA01", reason="view case")
    record(people["olek"], AuditAction.VIEW, object_type="cases.case", object_id="CASEBBBB02", reason="case page")
    client = staff_client(people["root"])
    page = client.get("/staff/audit/").content.decode()
    assert "CASEAAAA01" in page and "CASEBBBB02" in page
    by_user = client.get("/staff/audit/", {"user": "olek"}).content.decode()
    assert "CASEBBBB02" in by_user and "case page" in by_user and "maria" not in by_user.split("<tbody>")[1]
    by_action = client.get("/staff/audit/", {"action": "denied"}).content.decode().split("<tbody>")[1]
    assert "CASEAAAA01" in by_action and "CASEBBBB02" not in by_action
    by_object = client.get("/staff/audit/", {"object_id": "CASEBBBB02"}).content.decode().split("<tbody>")[1]
    assert "CASEAAAA01" not in by_object
    later = client.get("/staff/audit/", {"date_from": "2099-01-01"}).content.decode()
    assert "No entries match." in later


def test_agency_administrators_see_their_agency_and_caseworkers_are_refused(people, staff_client):
    record(people["maria"], AuditAction.VIEW, object_type="cases.case", object_id="CASEAAAA01")
    record(people["olek"], AuditAction.VIEW, object_type="cases.case", object_id="CASEBBBB02")
    page = staff_client(people["admin"]).get("/staff/audit/").content.decode()
    assert "CASEAAAA01" in page and "CASEBBBB02" not in page
    assert staff_client(people["maria"]).get("/staff/audit/").status_code == 403
    assert AuditEntry.objects.filter(action="denied", actor_id=people["maria"].pk, object_type="audit").exists()
    # Export is for system administrators only.
    assert staff_client(people["admin"]).get("/staff/audit/export.csv").status_code == 403


def test_one_account_refused_many_times_raises_a_probing_notice(people, staff_client, settings):
    settings.BEACON_PROBING_THRESHOLD = 5
    for n in range(4):
        record(people["olek"], AuditAction.DENIED, object_type="cases.case", object_id=f"CASE{n:06d}")
    client = staff_client(people["root"])
    assert "Possible probing" not in client.get("/staff/audit/").content.decode()
    record(people["olek"], AuditAction.SIGN_IN_FAILED, people["olek"])
    page = client.get("/staff/audit/").content.decode()
    assert "Possible probing: the account olek was refused 5 times" in page


def test_the_csv_export_is_formula_safe_and_audited(people, staff_client):
    record(people["maria"], AuditAction.VIEW, object_type="cases.case", object_id="CASEAAAA01", reason="=HYPERLINK(1)")
    response = staff_client(people["root"]).get("/staff/audit/export.csv", {"user": "maria"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["seq", "at_utc", "actor_id"]
    assert [r[8] for r in rows[1:]] == ["'=HYPERLINK(1)"] and rows[1][3] == "maria"
    assert AuditEntry.objects.filter(
        action="export", actor_id=people["root"].pk, object_type="audit.auditentry"
    ).exists()
