"""Writing and verifying the audit chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connection, models, transaction
from django.utils import timezone

from beacon.audit.models import GENESIS, AuditAction, AuditChainHead, AuditEntry


def _object_ref(obj: models.Model | None, object_type: str | None, object_id: str | None) -> tuple[str, str]:
    if obj is not None:
        ref = getattr(obj, "public_id", None) or obj.pk
        return object_type or obj._meta.label_lower, str(ref)
    return object_type or "", object_id or ""


def record(
    actor: object | None,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Runs in the caller's transaction so the entry commits with the change."""
    kind, ref = _object_ref(obj, object_type, object_id)
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_agency_id=getattr(actor, "agency_id", None),
        action=action,
        object_type=kind,
        object_id=ref,
        reason=reason[:200],
    )
    if connection.vendor == "postgresql":
        return _append_in_one_statement(entry)
    _append_locked([entry])
    return entry


def _append_locked(entries: list[AuditEntry]) -> None:
    """Number and link `entries` after the chain head, store them and move the head, all under the
    head's row lock (held until the caller's transaction commits)."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.seq, head.hash
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash = seq, prev
            entry.hash = prev = entry.compute_hash()
        AuditEntry.objects.bulk_create(entries)
        last = entries[-1]
        AuditChainHead.objects.filter(pk=1).update(seq=last.seq, hash=last.hash, prev_hash=last.prev_hash)


@cache
def _append_sql() -> str:
    quote = connection.ops.quote_name
    head, entries = quote(AuditChainHead._meta.db_table), quote(AuditEntry._meta.db_table)
    # The head row stays locked until the caller commits. Doing the whole append in one statement
    # (the chain hash computed by PostgreSQL, same formula as models.chain_hash) keeps that lock
    # for one round trip plus the commit, however busy the application server is.
    # Table names come from the models; every value is a parameter.
    return f"""
        WITH head AS (
            UPDATE {head}
               SET seq = seq + 1,
                   prev_hash = hash,
                   hash = encode(sha256(convert_to(hash || ':' || (seq + 1)::text || ':' || %s, 'UTF8')), 'hex')
             WHERE id = 1
         RETURNING seq, prev_hash, hash
        )
        INSERT INTO {entries}
            (seq, at, actor_id, actor_agency_id, action, object_type, object_id, reason, prev_hash, hash)
        SELECT seq, %s, %s, %s, %s, %s, %s, %s, prev_hash, hash FROM head
        RETURNING id, seq, prev_hash, hash
    """  # noqa: S608


def _append_in_one_statement(entry: AuditEntry) -> AuditEntry:
    params = [
        entry.content_digest(),
        entry.at,
        entry.actor_id,
        entry.actor_agency_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.reason,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(), params)
        row = cursor.fetchone()
        if row is None:  # no head row yet (a new or flushed database)
            AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
            cursor.execute(_append_sql(), params)
            row = cursor.fetchone()
    entry.pk, entry.seq, entry.prev_hash, entry.hash = row
    entry._state.adding = False
    return entry


def record_views(actor: object, objects: Iterable[models.Model], reason: str) -> list[AuditEntry]:
    """One VIEW entry per record, appended under a single lock of the chain head (lists and panels)."""
    objects = list(objects)
    if not objects:
        return []
    now = timezone.now()
    entries = [
        AuditEntry(at=now, actor_id=getattr(actor, "pk", None), actor_agency_id=getattr(actor, "agency_id", None),
                   action=AuditAction.VIEW, object_type=kind, object_id=ref, reason=reason[:200])
        for kind, ref in (_object_ref(obj, None, None) for obj in objects)
    ]
    _append_locked(entries)
    return entries


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain; report edited entries, removed entries and a moved head."""
    problems: list[str] = []
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    queryset = AuditEntry.objects.order_by("seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)")
        if entry.prev_hash != prev_hash:
            problems.append(f"entry {entry.seq} does not follow the entry before it (chain broken)")
        if entry.compute_hash() != entry.hash:
            problems.append(f"entry {entry.seq} was altered after it was written (hash mismatch)")
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
        last_seq = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        problems.append(f"the chain head says entry {head.seq} is the last, but the log ends at {last_seq}")
    return VerifyResult(ok=not problems, checked=checked, problems=problems)
