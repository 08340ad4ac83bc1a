"""Legal holds: placed by a supervisor or agency administrator on their agency's case or tip, with a
reason (encrypted, never in the audit), one standing hold per record, released with an audit entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from beacon.access.policy import AccessDenied, RecordRefused
from beacon.audit.models import AuditAction, AuditEntry
from beacon.audit.services import verify_chain
from beacon.lifecycle import services
from beacon.lifecycle.models import LegalHold
from beacon.lifecycle.tests.conftest import make_tip

pytestmark = pytest.mark.django_db


def test_a_supervisor_places_a_hold_on_a_case_with_a_reason_that_stays_out_of_the_audit(staff, open_case):
    case = open_case()
    hold = services.place_hold(staff["sup"], services.HoldTarget("case", case.public_id), "Subpoena 26-CV-1234")
    assert hold.active and hold.case == case and hold.agency_id == case.agency_id
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM {LegalHold._meta.db_table} WHERE id = %s", [hold.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "Subpoena" not in raw
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=hold.public_id)
    assert entry.actor_id == staff["sup"].pk and case.public_id in entry.reason
    assert "Subpoena" not in entry.reason and "1234" not in entry.reason
    assert verify_chain().ok


def test_an_agency_administrator_may_hold_a_tip_and_a_second_hold_is_refused(staff, agency):
    tip = make_tip(agency)
    services.place_hold(staff["admin"], services.HoldTarget("tip", tip.public_id), "Litigation hold letter")
    with pytest.raises(services.LifecycleRefused, match="already under a legal hold"):
        services.place_hold(staff["sup"], services.HoldTarget("tip", tip.public_id), "again")


def test_holds_need_a_reason_and_a_real_record(staff, open_case):
    case = open_case()
    with pytest.raises(ValidationError):
        services.place_hold(staff["sup"], services.HoldTarget("case", case.public_id), "  ")
    with pytest.raises(services.LifecycleRefused, match="no case"):
        services.place_hold(staff["sup"], services.HoldTarget("case", "NOPE123"), "reason")
    assert not LegalHold.objects.exists()


def test_other_roles_and_other_agencies_are_refused_and_the_refusal_is_audited(staff, open_case):
    case = open_case()
    with pytest.raises(AccessDenied):
        services.place_hold(staff["cw"], services.HoldTarget("case", case.public_id), "reason")
    with pytest.raises(AccessDenied):
        services.place_hold(staff["analyst"], services.HoldTarget("case", case.public_id), "reason")
    with pytest.raises(RecordRefused):
        services.place_hold(staff["other_sup"], services.HoldTarget("case", case.public_id), "reason")
    assert not LegalHold.objects.exists()


def test_refused_hold_pages_write_a_refusal_entry(staff, open_case, staff_client):
    case = open_case()
    response = staff_client(staff["other_sup"]).post(
        "/staff/lifecycle/holds/", {"kind": "case", "public_id": case.public_id, "reason": "x"}
    )
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, actor_id=staff["other_sup"].pk, object_id=case.public_id
    ).exists()


def test_release_is_audited_and_happens_once(staff, open_case):
    case = open_case()
    hold = services.place_hold(staff["sup"], services.HoldTarget("case", case.public_id), "Matter 7")
    with pytest.raises(RecordRefused):
        services.release_hold(staff["other_sup"], hold.public_id)
    services.release_hold(staff["admin"], hold.public_id, "Matter closed")
    hold.refresh_from_db()
    assert not hold.active and hold.released_by == staff["admin"]
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=hold.public_id).exists()
    with pytest.raises(services.LifecycleRefused, match="already released"):
        services.release_hold(staff["sup"], hold.public_id)


def test_a_standing_hold_blocks_deletion_by_any_path(staff, open_case):
    case = open_case()
    services.place_hold(staff["sup"], services.HoldTarget("case", case.public_id), "Matter 7")
    with pytest.raises(ProtectedError):
        case.delete()


def test_the_page_places_lists_and_releases_holds(staff, open_case, staff_client):
    case = open_case()
    client = staff_client(staff["sup"])
    response = client.post(
        "/staff/lifecycle/holds/", {"kind": "case", "public_id": case.public_id, "reason": "Subpoena 26-CV-1234"}
    )
    assert response.status_code == 302
    page = client.get("/staff/lifecycle/")
    html = page.content.decode()
    assert page.status_code == 200 and case.public_id in html and "Subpoena 26-CV-1234" in html
    hold = LegalHold.objects.get()
    # Showing the reasons is a read: one view entry per hold shown.
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=hold.public_id).exists()
    bad = client.post("/staff/lifecycle/holds/", {"kind": "case", "public_id": case.public_id, "reason": "again"})
    assert bad.status_code == 400 and "already under a legal hold" in bad.content.decode()
    client.post(f"/staff/lifecycle/holds/{hold.public_id}/release/", {"reason": "closed"})
    hold.refresh_from_db()
    assert not hold.active
