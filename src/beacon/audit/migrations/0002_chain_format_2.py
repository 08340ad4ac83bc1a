"""Chain format 2: an entry's hash binds the digest of its content to its number and the hash before it.

The head keeps the hash before the last entry too, so one statement can append (audit.services).
Existing entries are checked under the old format first and re-linked only if the whole chain is
intact: a log that was tampered with stops the migration instead of being re-sealed.
"""

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _content(e) -> dict:
    # Frozen here rather than imported from the model: a migration must keep hashing as it did.
    return {
        "at": e.at.isoformat(),
        "actor": e.actor_id,
        "agency": e.actor_agency_id,
        "action": e.action,
        "type": e.object_type,
        "id": e.object_id,
        "reason": e.reason,
    }


def _sha256_json(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _old_hash(e) -> str:
    return _sha256_json({**_content(e), "seq": e.seq, "prev": e.prev_hash})


def _new_hash(e, prev: str) -> str:
    return hashlib.sha256(f"{prev}:{e.seq}:{_sha256_json(_content(e))}".encode()).hexdigest()


def relink(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    old_prev, new_prev, before_last, expected = GENESIS, GENESIS, GENESIS, 1
    for e in Entry.objects.order_by("seq").iterator(chunk_size=5000):
        if e.seq != expected or e.prev_hash != old_prev or _old_hash(e) != e.hash:
            raise RuntimeError(
                f"audit entry {e.seq} does not verify: run `beacon audit verify` and investigate before migrating"
            )
        old_prev, expected = e.hash, e.seq + 1
        new = _new_hash(e, new_prev)
        Entry.objects.filter(pk=e.pk).update(prev_hash=new_prev, hash=new)
        before_last, new_prev = new_prev, new
    head = Head.objects.filter(pk=1).first()
    if head is not None:
        if head.seq != expected - 1 or head.hash != old_prev:
            raise RuntimeError("the audit chain head does not match the log: run `beacon audit verify`")
        Head.objects.filter(pk=1).update(hash=new_prev, prev_hash=before_last)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="prev_hash",
            field=models.CharField(default=GENESIS, max_length=64),
        ),
        migrations.RunPython(relink, migrations.RunPython.noop),  # going back keeps the new links
    ]
