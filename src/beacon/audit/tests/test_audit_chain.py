from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from beacon.audit.models import AuditEntry
from beacon.audit.services import record, verify_chain


@pytest.fixture
def chain(db, agency, make_user):
    user = make_user("caseworker", agency)
    return [record(user, "view", object_type="case", object_id=f"C{i}", reason="case work") for i in range(5)]


def _raw_update(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(chain, capsys):
    result = verify_chain()
    assert result.ok and result.checked == 5
    call_command("audit", "verify")
    assert "chain intact" in capsys.readouterr().out


def test_entries_are_append_only(chain):
    entry = chain[0]
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_edited_row_is_detected(chain):
    _raw_update(f"UPDATE {AuditEntry._meta.db_table} SET object_id = %s WHERE seq = %s", ["C999", 3])
    result = verify_chain()
    assert not result.ok
    assert any("entry 3 was altered" in p for p in result.problems)
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_deleted_row_is_detected(chain):
    _raw_update(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [2])
    result = verify_chain()
    assert not result.ok
    assert any("missing" in p for p in result.problems)


def test_deleted_last_row_is_detected(chain):
    _raw_update(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [5])
    assert not verify_chain().ok


def test_rehashed_forgery_is_detected(chain):
    """Rewriting one entry and its own hash still breaks the link to the next entry."""
    forged = AuditEntry.objects.get(seq=3)
    forged.object_id = "C777"
    new_hash = forged.compute_hash()
    _raw_update(
        f"UPDATE {AuditEntry._meta.db_table} SET object_id = %s, hash = %s WHERE seq = %s", ["C777", new_hash, 3]
    )
    result = verify_chain()
    assert any("entry 4 does not follow" in p for p in result.problems)


def test_entries_hold_no_personal_data(chain):
    fields = {f.name for f in AuditEntry._meta.get_fields()}
    assert fields == {
        "id",
        "seq",
        "at",
        "actor_id",
        "actor_agency_id",
        "action",
        "object_type",
        "object_id",
        "reason",
        "prev_hash",
        "hash",
    }


def test_batched_views_extend_the_same_chain(chain, agency, make_user):
    from beacon.audit.services import record_views

    viewer = make_user("caseworker", agency)
    entries = record_views(viewer, [agency, viewer], reason="list")
    assert [e.seq for e in entries] == [6, 7]
    record(viewer, "view", object_type="case", object_id="C9")
    result = verify_chain()
    assert result.ok and result.checked == 8
