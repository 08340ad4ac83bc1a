"""Append-only, hash-chained audit log. Entries name records by type and id, never by content."""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the hash before the first entry


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    SHARE = "share", _("shared")
    REVOKE = "revoke", _("revoked")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_agency_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def canonical(self) -> bytes:
        """What the entry says, without its place in the chain."""
        body = {
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "agency": self.actor_agency_id,
            "action": self.action,
            "type": self.object_type,
            "id": self.object_id,
            "reason": self.reason,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def content_digest(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.seq, self.content_digest())


def chain_hash(prev_hash: str, seq: int, digest: str) -> str:
    """An entry's link: its content digest bound to its number and to the hash before it.

    PostgreSQL computes the same value inside the append statement (audit.services), so the
    formula must stay byte-for-byte identical in both places.
    """
    return hashlib.sha256(f"{prev_hash}:{seq}:{digest}".encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the last sequence number and hash; locking it serialises appends.

    `prev_hash` is the hash before the last entry, so that one UPDATE ... RETURNING both
    advances the head and tells the appender which hash its entry follows.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    prev_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
