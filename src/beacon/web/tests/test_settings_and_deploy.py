"""Start-up configuration: bad settings stop with one clear line; production settings pass check --deploy."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "BEACON_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "BEACON_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "BEACON_BLIND_INDEX_KEY": secrets.token_urlsafe(40),
    "BEACON_AUDIT_KEYS": "a1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "BEACON_AUDIT_SIGNING_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "ALLOWED_HOSTS": "beacon.example.org",
    "DATABASE_URL": "postgres://beacon:pw@127.0.0.1:5432/beacon",
    "BEACON_CACHE_URL": "redis://127.0.0.1:6379/1",
}


def _beacon(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    prefixes = ("BEACON_", "DATABASE_URL", "SECRET_KEY")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    base.pop("ALLOWED_HOSTS", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    return subprocess.run(
        [sys.executable, "-m", "beacon", *args], env={**base, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BEACON_ENV", "staging", "BEACON_ENV"),
        ("SECRET_KEY", "", "SECRET_KEY is not set"),
        ("BEACON_FIELD_KEYS", "k1:tooshort", "BEACON_FIELD_KEYS"),
        ("BEACON_AUDIT_KEYS", "", "BEACON_AUDIT_KEYS is not set"),
        ("BEACON_AUDIT_SIGNING_KEY", "c2hvcnQ", "BEACON_AUDIT_SIGNING_KEY"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL"),
        ("BEACON_IDLE_MINUTES", "soon", "BEACON_IDLE_MINUTES"),
        ("BEACON_DEBUG", "maybe", "BEACON_DEBUG"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS"),
    ],
)
def test_bad_setting_stops_start_up_naming_it(name, value, expected):
    result = _beacon(["check"], {**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _beacon(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_asks_for_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "BEACON_CACHE_URL"}
    result = _beacon(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0 and "beacon.W001" in result.stdout + result.stderr
