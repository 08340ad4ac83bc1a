"""Writing and verifying the audit chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from beacon.audit.models import (
    GENESIS,
    AuditAction,
    AuditChainHead,
    AuditEntry,
    UnknownAuditKey,
    audit_key,
    chain_hash,
    head_mac,
    hmac_pads,
    primary_key_id,
)


class AuditChainBroken(RuntimeError):
    """The chain head is gone while entries remain: appending would fork or re-seal the log."""


def _head_missing() -> None:
    if AuditEntry.objects.exists():
        raise AuditChainBroken("the audit chain head is missing: run `beacon audit verify` and investigate")
    # A new or flushed database: the log starts here.
    AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)


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
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            _head_missing()
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        kid = primary_key_id()
        key = audit_key(kid)
        seq, prev = head.seq, head.hash
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash, entry.key_id = seq, prev, kid
            entry.hash = prev = chain_hash(key, entry.prev_hash, seq, kid, entry.content_digest())
        AuditEntry.objects.bulk_create(entries)
        last = entries[-1]
        AuditChainHead.objects.filter(pk=1).update(
            seq=last.seq, hash=last.hash, prev_hash=last.prev_hash, key_id=kid, mac=head_mac(key, last.seq, last.hash)
        )


@cache
def _append_sql() -> str:
    quote = connection.ops.quote_name
    head, entries = quote(AuditChainHead._meta.db_table), quote(AuditEntry._meta.db_table)

    # The head row stays locked until the caller commits. Doing the whole append in one statement
    # (the chain hash computed by PostgreSQL, same formula as models.chain_hash) keeps that lock
    # for one round trip plus the commit, however busy the application server is.
    # The HMAC is built from PostgreSQL's own sha256() and the key's inner and outer pads (passed as
    # parameters, never stored), so no extension is needed. Table names come from the models;
    # every value is a parameter.
    def hmac_sql(message: str) -> str:
        return (
            "encode(sha256(%(outer)s::bytea || sha256(%(inner)s::bytea || convert_to(" + message + ", 'UTF8'))), 'hex')"
        )

    link = hmac_sql("hash || ':' || (seq + 1)::text || ':' || %(kid)s || ':' || %(digest)s")
    seal = hmac_sql("'head:' || (seq + 1)::text || ':' || " + link)
    return f"""
        WITH head AS (
            UPDATE {head}
               SET seq = seq + 1,
                   prev_hash = hash,
                   hash = {link},
                   key_id = %(kid)s,
                   mac = {seal}
             WHERE id = 1
         RETURNING seq, prev_hash, hash
        )
        INSERT INTO {entries}
            (seq, at, actor_id, actor_agency_id, action, object_type, object_id, reason, key_id, prev_hash, hash)
        SELECT seq, %(at)s, %(actor)s, %(agency)s, %(action)s, %(type)s, %(id)s, %(reason)s, %(kid)s, prev_hash, hash
          FROM head
        RETURNING id, seq, prev_hash, hash
    """  # noqa: S608


def _append_in_one_statement(entry: AuditEntry) -> AuditEntry:
    kid = primary_key_id()
    inner, outer = hmac_pads(audit_key(kid))
    entry.key_id = kid
    params = {
        "inner": inner,
        "outer": outer,
        "kid": kid,
        "digest": entry.content_digest(),
        "at": entry.at,
        "actor": entry.actor_id,
        "agency": entry.actor_agency_id,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "reason": entry.reason,
    }
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(), params)
        row = cursor.fetchone()
        if row is None:  # no head row
            _head_missing()
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
        AuditEntry(
            at=now,
            actor_id=getattr(actor, "pk", None),
            actor_agency_id=getattr(actor, "agency_id", None),
            action=AuditAction.VIEW,
            object_type=kind,
            object_id=ref,
            reason=reason[:200],
        )
        for kind, ref in (_object_ref(obj, None, None) for obj in objects)
    ]
    _append_locked(entries)
    return entries


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]
    head_seq: int = 0
    head_hash: str = GENESIS


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain; report edited, removed, renumbered or re-sealed entries and a moved or missing head.

    An entry only verifies with the key its key id names; someone without the key cannot make an
    edited chain verify again. The head carries its own seal, so cutting the tail and moving the
    head back is detected too. A missing head is a failure: migrations create it, so only a
    database that was tampered with (or flushed) has none.
    """
    problems: list[str] = []
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    unknown: set[str] = set()
    queryset = AuditEntry.objects.order_by("seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)")
        if entry.prev_hash != prev_hash:
            problems.append(f"entry {entry.seq} does not follow the entry before it (chain broken)")
        try:
            sealed = entry.compute_hash() == entry.hash
        except UnknownAuditKey:
            if entry.key_id not in unknown:
                unknown.add(entry.key_id)
                problems.append(
                    f"entry {entry.seq} is sealed with audit key {entry.key_id!r}, which is not in BEACON_AUDIT_KEYS"
                )
            sealed = True  # reported once per key id above
        if not sealed:
            problems.append(f"entry {entry.seq} was altered after it was written (hash mismatch)")
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
        last_seq = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        problems.append("the chain head is missing (deleted): the log cannot show where it ends")
    elif head.seq == 0 and checked == 0 and head.hash == GENESIS:
        pass  # never started
    elif head.seq != last_seq or head.hash != prev_hash:
        problems.append(f"the chain head says entry {head.seq} is the last, but the log ends at {last_seq}")
    elif head.key_id not in settings.BEACON_AUDIT_KEYS:
        problems.append(f"the chain head is sealed with an unknown key id {head.key_id!r} or not at all")
    elif head.mac != head_mac(audit_key(head.key_id), head.seq, head.hash):
        problems.append("the chain head's seal does not match (the head was moved or rewritten)")
    return VerifyResult(
        ok=not problems,
        checked=checked,
        problems=problems,
        head_seq=head.seq if head is not None else 0,
        head_hash=head.hash if head is not None else GENESIS,
    )


def record_refusal(actor: object | None, refused: Exception) -> None:
    """A refusal by the access policy (the 403 page, or "not found" for a real record outside the
    user's scope): who, which record or kind of record, which action. Called by the guards that
    answer, after any transaction of the refused service has rolled back, so the entry stays."""
    obj = getattr(refused, "record", None)
    action = getattr(refused, "action", "") or ""
    resource = getattr(refused, "resource", "") or ""
    if obj is not None and obj.pk is None:
        obj = None  # a record being created: name the kind only
    record(
        actor,
        AuditAction.DENIED,
        obj,
        object_type=None if obj is not None else resource,
        reason=" ".join(part for part in (action, resource) if part) or "refused",
    )
