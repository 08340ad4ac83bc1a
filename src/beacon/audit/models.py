"""Append-only, keyed hash chain. Entries name records by type and id, never by content.

Each link is an HMAC-SHA256 under a key kept outside the database (`BEACON_AUDIT_KEYS`), and each
entry names the id of the key that sealed it, so keys can rotate while old entries still verify.
Someone who can write to the database but does not hold the key cannot re-seal an edited chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
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
    SECOND_FACTOR_FAILED = "2fa_failed", _("failed the second factor")
    LOCKED_OUT = "locked_out", _("was locked out")
    DENIED = "denied", _("was refused")
    ERASE = "erase", _("erased personal data")
    PURGE = "purge", _("purged")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_agency_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    key_id = models.CharField(max_length=16)
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
        return chain_hash(audit_key(self.key_id), self.prev_hash, self.seq, self.key_id, self.content_digest())


class UnknownAuditKey(KeyError):
    """An entry names a key id that is not in BEACON_AUDIT_KEYS."""


def audit_key(key_id: str) -> bytes:
    try:
        return settings.BEACON_AUDIT_KEYS[key_id]
    except KeyError:
        raise UnknownAuditKey(key_id) from None


def primary_key_id() -> str:
    return next(iter(settings.BEACON_AUDIT_KEYS))


def chain_hash(key: bytes, prev_hash: str, seq: int, key_id: str, digest: str) -> str:
    """An entry's link: its content digest bound to its number, its key id and the hash before it.

    PostgreSQL computes the same HMAC inside the append statement (audit.services, from the
    key's inner and outer pads), so the formula must stay byte-for-byte identical in both places.
    """
    return hmac.new(key, f"{prev_hash}:{seq}:{key_id}:{digest}".encode(), hashlib.sha256).hexdigest()


def head_mac(key: bytes, seq: int, hash_: str) -> str:
    """The head's own seal. It differs from every entry's hash, so a head moved back to an earlier
    entry (after cutting the tail) cannot be made from what the entries show."""
    return hmac.new(key, f"head:{seq}:{hash_}".encode(), hashlib.sha256).hexdigest()


def hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer key blocks: hmac(k, m) = sha256(outer || sha256(inner || m))."""
    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


class AuditChainHead(models.Model):
    """One row holding the last sequence number and hash; locking it serialises appends.

    `prev_hash` is the hash before the last entry, so that one UPDATE ... RETURNING both
    advances the head and tells the appender which hash its entry follows.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    prev_hash = models.CharField(max_length=64, default=GENESIS)
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
