"""Authenticated field encryption (AES-256-GCM) with key ids, and keyed-hash blind indexes.

Ciphertext format: ``enc1:<key id>:<base64url(nonce || ciphertext+tag)>``. The key id lets old
values stay readable after a new primary key is configured; ``beacon crypto rotate`` rewrites
them under the primary key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from beacon.crypto.normalise import normalise_email, normalise_phone

PREFIX = "enc1"


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _ciphers(keys_tuple: tuple[tuple[str, bytes], ...]) -> dict[str, AESGCM]:
    return {kid: AESGCM(key) for kid, key in keys_tuple}


def _configured() -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, bytes] = settings.BEACON_FIELD_KEYS
    ciphers = _ciphers(tuple(keys.items()))
    return next(iter(keys)), ciphers


def primary_key_id() -> str:
    return _configured()[0]


def encrypt(plaintext: str, *, associated_data: bytes = b"") -> str:
    kid, ciphers = _configured()
    nonce = os.urandom(12)
    sealed = ciphers[kid].encrypt(nonce, plaintext.encode("utf-8"), associated_data or None)
    return f"{PREFIX}:{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt(token: str, *, associated_data: bytes = b"") -> str:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("value is not in the encrypted format")
    _, ciphers = _configured()
    cipher = ciphers.get(parts[1])
    if cipher is None:
        raise DecryptionError(f"no configured key with id {parts[1]!r}")
    raw = base64.urlsafe_b64decode(parts[2])
    try:
        return cipher.decrypt(raw[:12], raw[12:], associated_data or None).decode("utf-8")
    except InvalidTag:
        raise DecryptionError("authentication failed (wrong key or tampered value)") from None


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match lookup; `purpose` separates domains (phone vs e-mail)."""
    key = settings.BEACON_BLIND_INDEX_KEY.encode()
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def identifier_index(kind: str, normalised: str) -> str:
    """The blind index of an identifier already in its normal form (`crypto.normalise`), or "".

    One purpose per identifier kind ("phone", "email", "plate", "address", "handle"), whichever app
    stores it: a tip's phone, a case's phone and a phone in a public post index alike, so they are
    matched by comparing indexes.
    """
    return blind_index(normalised, purpose=f"identifier-{kind}") if normalised else ""


def phone_index(raw: str) -> str:
    return identifier_index("phone", normalise_phone(raw))


def email_index(raw: str) -> str:
    return identifier_index("email", normalise_email(raw))
