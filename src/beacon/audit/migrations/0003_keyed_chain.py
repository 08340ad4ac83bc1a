"""Chain format 3: links are HMAC-SHA256 under a key outside the database, with the key id per entry;
the head carries its own seal.

Existing entries are checked under format 2 first and re-sealed only if the whole chain (and its
head) is intact: a log that was tampered with stops the migration instead of being re-sealed. The
head row is created here, so from now on a missing head means it was deleted.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _digest(e) -> str:
    # Frozen here rather than imported from the model: a migration must keep hashing as it did.
    body = {
        "at": e.at.isoformat(),
        "actor": e.actor_id,
        "agency": e.actor_agency_id,
        "action": e.action,
        "type": e.object_type,
        "id": e.object_id,
        "reason": e.reason,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _format2(prev: str, e) -> str:
    return hashlib.sha256(f"{prev}:{e.seq}:{_digest(e)}".encode()).hexdigest()


def _format3(key: bytes, kid: str, prev: str, e) -> str:
    return hmac.new(key, f"{prev}:{e.seq}:{kid}:{_digest(e)}".encode(), hashlib.sha256).hexdigest()


def reseal(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    kid = next(iter(settings.BEACON_AUDIT_KEYS))
    key = settings.BEACON_AUDIT_KEYS[kid]
    old_prev, new_prev, before_last, expected = GENESIS, GENESIS, GENESIS, 1
    for e in Entry.objects.order_by("seq").iterator(chunk_size=5000):
        if e.seq != expected or e.prev_hash != old_prev or _format2(old_prev, e) != e.hash:
            raise RuntimeError(
                f"audit entry {e.seq} does not verify: run `beacon audit verify` and investigate before migrating"
            )
        old_prev, expected = e.hash, e.seq + 1
        new = _format3(key, kid, new_prev, e)
        Entry.objects.filter(pk=e.pk).update(prev_hash=new_prev, hash=new, key_id=kid)
        before_last, new_prev = new_prev, new
    head = Head.objects.filter(pk=1).first()
    last = expected - 1
    if head is None and last > 0:
        raise RuntimeError("the audit chain head is missing: run `beacon audit verify` and investigate")
    if head is not None and (head.seq != last or head.hash != old_prev):
        raise RuntimeError("the audit chain head does not match the log: run `beacon audit verify`")
    mac = hmac.new(key, f"head:{last}:{new_prev}".encode(), hashlib.sha256).hexdigest()
    Head.objects.update_or_create(
        pk=1, defaults={"seq": last, "hash": new_prev, "prev_hash": before_last, "key_id": kid, "mac": mac}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_format_2")]

    operations = [
        migrations.AddField(
            model_name="auditentry", name="key_id", field=models.CharField(default="", max_length=16), preserve_default=False
        ),
        migrations.AddField(model_name="auditchainhead", name="key_id", field=models.CharField(blank=True, max_length=16)),
        migrations.AddField(model_name="auditchainhead", name="mac", field=models.CharField(blank=True, max_length=64)),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "created"), ("update", "updated"), ("delete", "deleted"), ("view", "viewed"),
                    ("export", "exported"), ("share", "shared"), ("revoke", "revoked"), ("sign_in", "signed in"),
                    ("sign_in_failed", "failed to sign in"), ("2fa_failed", "failed the second factor"),
                    ("locked_out", "was locked out"), ("denied", "was refused"), ("erase", "erased personal data"),
                    ("purge", "purged"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),  # going back keeps the new links
    ]
