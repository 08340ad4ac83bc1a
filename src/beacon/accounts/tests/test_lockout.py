"""Failed sign-ins lock the (user name, address) pair, slow the account down without locking it, are
audited, and are shown to the account holder after they sign in."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts import throttle
from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _fail(client: Client, username: str = "target", times: int = 1) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "wrong password!"})


def _sign_in_fully(client: Client, user) -> object:
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    return client.post(reverse("accounts:second_factor"), {"token": _code(TOTPDevice.objects.get(user=user))})


@pytest.mark.django_db
def test_guessing_from_one_address_does_not_lock_the_holder_out_from_another(agency, make_user, settings):
    make_user(Role.CASEWORKER, agency, username="target")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    _fail(attacker, times=settings.AXES_FAILURE_LIMIT)
    paused = attacker.post(LOGIN, {"username": "target", "password": PASSWORD})
    assert paused.status_code == 429 and "not locked" in paused.content.decode()
    holder = Client(REMOTE_ADDR="198.51.100.7")
    response = holder.post(LOGIN, {"username": "target", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == reverse("accounts:second_factor")


def _seed_failures(count: int) -> datetime:
    """`count` failures for "target", each from its own address (no pair near the lockout); the latest time."""
    for n in range(count):
        AccessFailureLog.objects.create(
            username="target",
            ip_address=f"203.0.{n // 250}.{n % 250 + 1}",
            user_agent="",
            http_accept="",
            path_info=LOGIN,
        )
    return AccessFailureLog.objects.filter(username="target").latest("attempt_time").attempt_time


def _clock(monkeypatch, at: datetime) -> None:
    """The slow-down's clock, fixed: the test decides how long after the last failure a try comes."""
    monkeypatch.setattr(throttle, "timezone", SimpleNamespace(now=lambda: at))


@pytest.mark.django_db
def test_guessing_spread_over_many_addresses_is_slowed_but_never_locks(agency, make_user, settings, monkeypatch):
    settings.BEACON_SLOWDOWN_AFTER = 10
    settings.BEACON_SLOWDOWN_MAX_SECONDS = 30
    make_user(Role.CASEWORKER, agency, username="target")
    latest = _seed_failures(14)  # four over the threshold: the next check waits 2**4 = 16 s
    _clock(monkeypatch, latest + timedelta(seconds=1))
    newcomer = Client(REMOTE_ADDR="198.51.100.7")
    slowed = newcomer.post(LOGIN, {"username": "target", "password": PASSWORD})
    body = slowed.content.decode()
    assert slowed.status_code == 429 and "not locked" in body and 'value="target"' in body
    assert slowed.headers["Retry-After"] == "15"
    assert AccessFailureLog.objects.filter(username="target").count() == 14  # the slowed try was not checked
    # However many failures pile up, the wait never grows beyond the maximum.
    latest = _seed_failures(200)
    _clock(monkeypatch, latest + timedelta(seconds=1))
    again = newcomer.post(LOGIN, {"username": "target", "password": PASSWORD})
    assert again.status_code == 429 and again.headers["Retry-After"] == "29"
    _clock(monkeypatch, latest + timedelta(seconds=settings.BEACON_SLOWDOWN_MAX_SECONDS))
    response = newcomer.post(LOGIN, {"username": "target", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == reverse("accounts:second_factor")


@pytest.mark.django_db
def test_a_browser_that_signed_in_before_is_not_slowed(agency, make_user, settings, monkeypatch):
    settings.BEACON_SLOWDOWN_AFTER = 3
    user = make_user(Role.CASEWORKER, agency, username="target")
    holder = Client(REMOTE_ADDR="198.51.100.7")
    assert _sign_in_fully(holder, user).status_code == 302
    holder.post(reverse("accounts:logout"))
    _clock(monkeypatch, _seed_failures(8) + timedelta(seconds=1))
    stranger = Client(REMOTE_ADDR="198.51.100.8")
    assert stranger.post(LOGIN, {"username": "target", "password": PASSWORD}).status_code == 429
    response = holder.post(LOGIN, {"username": "target", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == reverse("accounts:second_factor")


@pytest.mark.django_db
def test_the_holder_is_shown_failed_sign_ins_after_signing_in(agency, make_user):
    user = make_user(Role.CASEWORKER, agency, username="target")
    holder = Client(REMOTE_ADDR="198.51.100.7")
    assert _sign_in_fully(holder, user).headers["Location"] == reverse("web:home")
    holder.post(reverse("accounts:logout"))
    _fail(Client(REMOTE_ADDR="203.0.113.9"), times=3)
    TOTPDevice.objects.filter(user=user).update(last_t=-1)  # the same 30-second code may be used again
    done = _sign_in_fully(holder, user)
    assert done.headers["Location"].startswith(reverse("accounts:sign_in_failures"))
    page = holder.get(done.headers["Location"]).content.decode()
    assert "failed to sign in to your account 3 times" in page
    assert page.count("203.0.113.9") == 3
    holder.post(reverse("accounts:logout"))
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    # Nothing new since: straight on.
    assert _sign_in_fully(holder, user).headers["Location"] == reverse("web:home")


@pytest.mark.django_db
def test_failed_passwords_second_factors_and_pauses_are_audited(agency, make_user, settings):
    user = make_user(Role.CASEWORKER, agency, username="target")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    _fail(attacker, times=settings.AXES_FAILURE_LIMIT)
    _fail(attacker, username="nobody-by-that-name")
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(LOGIN, {"username": "target", "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"token": "12345x"})  # not digits: a form error only
    code = _code(TOTPDevice.objects.get(user=user))
    client.post(reverse("accounts:second_factor"), {"token": "000000" if code != "000000" else "111111"})
    mine = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert mine.filter(action="sign_in_failed").count() == settings.AXES_FAILURE_LIMIT
    assert mine.filter(action="locked_out").count() >= 1
    assert mine.filter(action="2fa_failed").count() == 1
    unknown = AuditEntry.objects.get(action="sign_in_failed", actor_id=None)
    assert unknown.object_id == "" and "nobody" not in unknown.reason
