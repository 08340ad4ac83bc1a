"""Reading settings from the environment.

Every knob comes from an environment variable with a safe default. A malformed value stops
start-up with one line that names the variable, so an operator sees at once what to fix.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    """A missing or malformed environment setting."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise SettingError(f"{name} is not set: it is required when BEACON_ENV=production.")
        return default or ""
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={value!r} is not a yes/no value: use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_field_keys(name: str, value: str) -> dict[str, bytes]:
    """`kid:base64key,kid2:base64key` -> ordered {kid: 32-byte key}; the first is the primary."""
    keys: dict[str, bytes] = {}
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        kid, sep, encoded = part.partition(":")
        if not sep or not kid.isalnum():
            raise SettingError(f"{name} must look like 'k1:<base64 key>,k0:<base64 key>' (key id, colon, key).")
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError:
            raise SettingError(f"{name}: the key {kid!r} is not valid base64.") from None
        if len(key) != 32:
            raise SettingError(f"{name}: the key {kid!r} must be 32 bytes (256 bits), not {len(key)}.")
        keys[kid] = key
    if not keys:
        raise SettingError(f"{name} holds no key.")
    return keys


def parse_signing_key(name: str, value: str) -> bytes | None:
    """An Ed25519 private key given as base64 of its 32-byte seed (`beacon audit generate-signing-key`)."""
    if not value:
        return None
    try:
        seed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raise SettingError(f"{name} is not valid base64.") from None
    if len(seed) != 32:
        raise SettingError(f"{name} must be 32 bytes (an Ed25519 private key), not {len(seed)}.")
    return seed


def _random_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def development_secrets(path: Path) -> dict[str, str]:
    """Secrets for a development or demo install, generated once and kept outside the database.

    Production never uses these: with BEACON_ENV=production every secret must come from the
    environment. A file written before a secret existed gains it on the next start.
    """
    generators = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "BEACON_FIELD_KEYS": lambda: "k1:" + _random_key(),
        "BEACON_BLIND_INDEX_KEY": _random_key,
        "BEACON_AUDIT_KEYS": lambda: "a1:" + _random_key(),
        "BEACON_AUDIT_SIGNING_KEY": _random_key,
    }
    data: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in generators if name not in data]
    if missing:
        data.update({name: generators[name]() for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))
        path.chmod(0o600)
    return data
