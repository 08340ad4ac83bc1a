from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from beacon.audit.models import AuditEntry, primary_key_id
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
        "key_id",
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


def test_first_entry_creates_the_head(db):
    from beacon.audit.models import AuditChainHead

    AuditChainHead.objects.all().delete()
    entry = record(None, "create", object_type="tip", object_id="T1")
    assert entry.seq == 1 and entry.prev_hash == "0" * 64
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash, head.prev_hash) == (1, entry.hash, "0" * 64)
    assert verify_chain().ok


def test_returned_entry_matches_the_stored_row(chain):
    stored = AuditEntry.objects.get(seq=chain[-1].seq)
    assert (stored.pk, stored.hash, stored.prev_hash) == (chain[-1].pk, chain[-1].hash, chain[-1].prev_hash)
    assert stored.compute_hash() == stored.hash  # the database and Python agree on the formula


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    """Writers in parallel transactions: every entry lands once, numbered without gaps, linked in order."""
    import threading

    from django.db import connections, transaction

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record(None, "create", object_type="tip", object_id=f"T{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == 90


@pytest.mark.django_db(transaction=True)
def test_migration_reseals_an_intact_chain_and_refuses_a_tampered_one():
    """Existing (format 2, unkeyed) chains are checked, then sealed with the audit key."""
    import hashlib
    import json

    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    def format2(prev, seq, at, object_id):
        body = {
            "at": at.isoformat(),
            "actor": None,
            "agency": None,
            "action": "view",
            "type": "case",
            "id": object_id,
            "reason": "",
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        return hashlib.sha256(f"{prev}:{seq}:{digest}".encode()).hexdigest()

    def write_old_chain(tamper: bool) -> None:
        old_apps = executor.loader.project_state([("audit", "0002_chain_format_2")]).apps
        Entry, Head = old_apps.get_model("audit", "AuditEntry"), old_apps.get_model("audit", "AuditChainHead")
        Entry.objects.all().delete()
        prev, before, at = "0" * 64, "0" * 64, timezone.now()
        for seq in range(1, 4):
            h = format2(prev, seq, at, f"C{seq}")
            Entry.objects.create(
                seq=seq, at=at, action="view", object_type="case", object_id=f"C{seq}", prev_hash=prev, hash=h
            )
            before, prev = prev, h
        Head.objects.update_or_create(pk=1, defaults={"seq": 3, "hash": prev, "prev_hash": before})
        if tamper:
            Entry.objects.filter(seq=2).update(object_id="C999")

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("audit", "0002_chain_format_2")])
        executor.loader.build_graph()
        write_old_chain(tamper=False)
        executor.migrate([("audit", "0003_keyed_chain")])
        result = verify_chain()
        assert result.ok and result.checked == 3, result.problems
        assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {primary_key_id()}

        executor.loader.build_graph()
        executor.migrate([("audit", "0002_chain_format_2")])
        executor.loader.build_graph()
        write_old_chain(tamper=True)
        with pytest.raises(RuntimeError, match="entry 2 does not verify"):
            executor.migrate([("audit", "0003_keyed_chain")])
    finally:
        from beacon.audit.models import AuditChainHead

        executor.loader.build_graph()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}")
            cursor.execute(f"DELETE FROM {AuditChainHead._meta.db_table}")
        executor.migrate(executor.loader.graph.leaf_nodes())
