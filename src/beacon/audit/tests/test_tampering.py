"""The nine ways of tampering with the audit log found by the security probe, each one detected.

The tamperer writes to the database directly (no model methods) and knows the chain's formula;
what they do not have is the audit key (kept outside the database) or the checkpoint files
(kept outside the server).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from beacon.audit.checkpoints import verify_checkpoints, write_checkpoint
from beacon.audit.models import GENESIS, AuditChainHead, AuditEntry
from beacon.audit.services import AuditChainBroken, record, verify_chain

ENTRIES = AuditEntry._meta.db_table
HEAD = AuditChainHead._meta.db_table
GUESSED_KEY = b"the tamperer does not hold the audit key".ljust(32)[:32]


@pytest.fixture
def chain(db, agency, make_user):
    user = make_user("caseworker", agency)
    return [record(user, "view", object_type="case", object_id=f"C{i}", reason="case work") for i in range(6)]


def sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def forged_hash(entry: AuditEntry, prev: str) -> str:
    """The best a tamperer can do: the published formula under a key they had to guess."""
    return hmac.new(
        GUESSED_KEY, f"{prev}:{entry.seq}:{entry.key_id}:{entry.content_digest()}".encode(), hashlib.sha256
    ).hexdigest()


def rehash_from(seq: int) -> None:
    """Recompute every link from `seq` on and point the head at the new last entry."""
    prev = GENESIS if seq == 1 else AuditEntry.objects.get(seq=seq - 1).hash
    before = prev
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        new = forged_hash(entry, prev)
        sql(f"UPDATE {ENTRIES} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, entry.pk])
        before, prev = prev, new
    last = AuditEntry.objects.order_by("-seq").first()
    sql(f"UPDATE {HEAD} SET seq = %s, hash = %s, prev_hash = %s", [last.seq, prev, before])


def detected() -> list[str]:
    result = verify_chain()
    assert not result.ok
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    return result.problems


def test_1_edit_an_entry(chain):
    sql(f"UPDATE {ENTRIES} SET object_id = %s WHERE seq = 3", ["C999"])
    assert any("entry 3 was altered" in p for p in detected())


def test_2_delete_an_entry_in_the_middle(chain):
    sql(f"DELETE FROM {ENTRIES} WHERE seq = 2")
    assert any("missing" in p for p in detected())


def test_3_delete_the_last_entry(chain):
    sql(f"DELETE FROM {ENTRIES} WHERE seq = 6")
    assert any("the chain head says entry 6" in p for p in detected())


def test_4_edit_an_entry_and_its_own_hash(chain):
    sql(f"UPDATE {ENTRIES} SET object_id = %s WHERE seq = 3", ["C777"])
    entry = AuditEntry.objects.get(seq=3)
    sql(f"UPDATE {ENTRIES} SET hash = %s WHERE seq = 3", [forged_hash(entry, entry.prev_hash)])
    assert any("entry 3 was altered" in p for p in detected())


def test_5_cut_the_tail_and_move_the_head_back(chain):
    kept = AuditEntry.objects.get(seq=4)
    sql(f"DELETE FROM {ENTRIES} WHERE seq > 4")
    sql(f"UPDATE {HEAD} SET seq = %s, hash = %s, prev_hash = %s", [4, kept.hash, kept.prev_hash])
    assert any("head's seal does not match" in p for p in detected())


def test_6_delete_the_head_row(chain, agency, make_user):
    sql(f"DELETE FROM {HEAD}")
    assert any("head is missing" in p for p in detected())
    # and the next write refuses to start a second chain over the old one
    with pytest.raises(AuditChainBroken):
        record(None, "create", object_type="tip", object_id="T1")


def test_7_edit_an_entry_and_rehash_the_chain(chain):
    sql(f"UPDATE {ENTRIES} SET reason = %s WHERE seq = 2", ["nothing to see"])
    rehash_from(2)
    problems = detected()
    assert any("entry 2 was altered" in p for p in problems)


def test_8_delete_renumber_and_rehash(chain):
    sql(f"DELETE FROM {ENTRIES} WHERE seq = 3")
    for seq in range(4, 7):
        sql(f"UPDATE {ENTRIES} SET seq = %s WHERE seq = %s", [seq - 1, seq])
    rehash_from(3)
    assert any("entry 3 was altered" in p for p in detected())


def test_9_delete_everything(chain):
    sql(f"DELETE FROM {ENTRIES}")
    sql(f"DELETE FROM {HEAD}")
    assert any("head is missing" in p for p in detected())


def test_an_emptied_log_with_a_fresh_head_is_caught_by_the_checkpoints(chain, tmp_path: Path):
    """Without the key the head of an empty log is the one state that looks untouched; the
    signed checkpoint outside the database still shows entries existed."""
    write_checkpoint(tmp_path)
    sql(f"DELETE FROM {ENTRIES}")
    sql(f"UPDATE {HEAD} SET seq = 0, hash = %s, prev_hash = %s, key_id = '', mac = ''", [GENESIS, GENESIS])
    assert verify_chain().ok  # indistinguishable from a log that never started ...
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--checkpoints", str(tmp_path))
    problems = verify_checkpoints(tmp_path, _trusted()).problems
    assert any("entry 6 existed at the checkpoint but is gone" in p for p in problems)


def test_a_log_that_never_started_verifies(db):
    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)
    sql(f"DELETE FROM {HEAD}")
    sql(f"INSERT INTO {HEAD} (id, seq, hash, prev_hash, key_id, mac) VALUES (1, 0, %s, %s, '', '')", [GENESIS, GENESIS])
    assert verify_chain().ok


def _trusted() -> set[str]:
    from beacon.audit.checkpoints import trusted_public_keys

    return trusted_public_keys([])


def test_checkpoints_pass_on_an_intact_log_and_catch_a_rewritten_one(chain, tmp_path: Path, capsys):
    call_command("audit", "checkpoint", "--out", str(tmp_path))
    record(None, "create", object_type="tip", object_id="T9")  # the log grows after a checkpoint: fine
    call_command("audit", "verify", "--checkpoints", str(tmp_path))
    assert "1 checkpoint(s) match" in capsys.readouterr().out
    # someone with the audit key (a stolen server) rewrites an entry and re-seals everything:
    # the chain verifies, the checkpoint signed earlier does not
    from beacon.audit.models import audit_key, head_mac

    sql(f"UPDATE {ENTRIES} SET object_id = %s WHERE seq = 2", ["C-forged"])
    prev = AuditEntry.objects.get(seq=1).hash
    for entry in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        entry.prev_hash = prev
        new = entry.compute_hash()
        sql(f"UPDATE {ENTRIES} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, entry.pk])
        before, prev = entry.prev_hash, new
    last = AuditEntry.objects.order_by("-seq").first()
    sql(
        f"UPDATE {HEAD} SET hash = %s, prev_hash = %s, mac = %s",
        [prev, before, head_mac(audit_key(last.key_id), last.seq, prev)],
    )
    assert verify_chain().ok
    problems = verify_checkpoints(tmp_path, _trusted()).problems
    assert any("is not the entry that was checkpointed" in p for p in problems)


def test_a_forged_or_altered_checkpoint_is_rejected(chain, tmp_path: Path):
    path = write_checkpoint(tmp_path)
    data = json.loads(path.read_text())
    data["seq"] = 2
    path.write_text(json.dumps(data))
    assert any("signature does not match" in p for p in verify_checkpoints(tmp_path, _trusted()).problems)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from beacon.audit.checkpoints import public_key_text

    stranger = public_key_text(Ed25519PrivateKey.generate())
    data["public_key"] = stranger
    path.write_text(json.dumps(data))
    assert any("not trusted" in p for p in verify_checkpoints(tmp_path, _trusted()).problems)


def test_checkpoint_to_stdout_is_signed_json(chain, capsys):
    call_command("audit", "checkpoint")
    data = json.loads(capsys.readouterr().out)
    assert data["seq"] == 6 and data["hash"] == chain[-1].hash and data["signature"]


def test_the_daily_task_writes_a_checkpoint(chain, settings, tmp_path: Path):
    from beacon.audit.tasks import daily_checkpoint

    settings.BEACON_AUDIT_CHECKPOINT_DIR = tmp_path
    daily_checkpoint.call_local()
    assert len(list(tmp_path.glob("checkpoint-*.json"))) == 1
    assert not verify_checkpoints(tmp_path, _trusted()).problems


def test_keys_rotate_and_old_entries_still_verify(chain, settings):
    import secrets

    old = dict(settings.BEACON_AUDIT_KEYS)
    settings.BEACON_AUDIT_KEYS = {"a9": secrets.token_bytes(32), **old}
    newer = record(None, "create", object_type="tip", object_id="T2")
    assert newer.key_id == "a9" and AuditEntry.objects.get(seq=1).key_id != "a9"
    assert verify_chain().ok
    settings.BEACON_AUDIT_KEYS = old  # the new key was lost: its entries cannot be checked
    problems = verify_chain().problems
    assert any("audit key 'a9'" in p for p in problems)
