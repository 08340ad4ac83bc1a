"""Signed, single-use submission tokens: CSRF protection without cookies, and the idempotency key.

The public form embeds a token signed with the server's key and timestamped. A POST must carry a
valid, unexpired token; the tip stores a hash of it under a unique constraint, so a retry or a
double click with the same token finds the first tip instead of creating a second.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

SALT = "beacon.tips.submission"
MAX_AGE = 6 * 60 * 60  # a form left open for an afternoon still submits
FOLLOW_UP_SALT = "beacon.tips.follow-up"
FOLLOW_UP_MAX_AGE = 60 * 60


class BadToken(Exception):
    pass


def new_submission_token() -> str:
    return signing.dumps({"n": secrets.token_urlsafe(24)}, salt=SALT, compress=False)


def read_submission_token(token: str, max_age: int = MAX_AGE) -> str:
    """The token's nonce, or BadToken when it is forged, malformed or expired."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    nonce = data.get("n") if isinstance(data, dict) else None
    if not isinstance(nonce, str) or len(nonce) < 20:
        raise BadToken
    return nonce


def key_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_follow_up_token(tip_public_id: str) -> str:
    """Carries an opened tip between the follow-up pages without a session cookie or the codename."""
    return signing.dumps({"t": tip_public_id, "n": secrets.token_urlsafe(16)}, salt=FOLLOW_UP_SALT)


def read_follow_up_token(token: str) -> tuple[str, str]:
    try:
        data = signing.loads(token or "", salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str) or not isinstance(data.get("n"), str):
        raise BadToken
    return data["t"], data["n"]


DIGITS_SALT = "beacon.tips.codename-digits"
DIGITS_MAX_AGE = 15 * 60  # as long as the acknowledgement may show the codename again


def new_digits_token(nonce: str) -> str:
    """Lets the acknowledgement page switch its own submission's codename to digits, for a while."""
    return signing.dumps({"n": nonce}, salt=DIGITS_SALT, compress=False)


def read_digits_token(token: str) -> str:
    try:
        data = signing.loads(token or "", salt=DIGITS_SALT, max_age=DIGITS_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    nonce = data.get("n") if isinstance(data, dict) else None
    if not isinstance(nonce, str) or len(nonce) < 20:
        raise BadToken
    return nonce
