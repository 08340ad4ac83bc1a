"""Shared test fixtures: agencies, staff of every role, and signed-in (two-factor verified) clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported lazily so the pure cores' tests also run without Django (-p no:django)
    from django.test import Client

    from beacon.accounts.models import Agency, User


@pytest.fixture
def agency(db) -> Agency:
    from beacon.accounts.models import Agency
    from beacon.accounts.roles import AgencyType

    return Agency.objects.create(name="Agency One", type=AgencyType.NGO, city="Chicago")


@pytest.fixture
def other_agency(db) -> Agency:
    from beacon.accounts.models import Agency
    from beacon.accounts.roles import AgencyType

    return Agency.objects.create(name="Agency Two", type=AgencyType.LEGAL_SERVICE, city="Springfield")


@pytest.fixture
def police_agency(db) -> Agency:
    from beacon.accounts.models import Agency
    from beacon.accounts.roles import AgencyType

    return Agency.objects.create(name="Police Unit", type=AgencyType.LAW_ENFORCEMENT, city="Chicago")


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beacon.accounts.models import User

    counter = {"n": 0}

    def make(role: str = "caseworker", agency: Agency | None = None, **fields: object) -> User:
        counter["n"] += 1
        username = str(fields.pop("username", f"{role}{counter['n']}"))
        user = User.objects.create_user(
            username=username, password="correct horse battery", role=role, agency=agency, **fields
        )
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


@pytest.fixture
def staff_client() -> Callable[[User], Client]:
    """A test client signed in with both factors (the OTP device marked as verified in the session)."""

    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return signed_in
