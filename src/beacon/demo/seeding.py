"""Demo and synthetic data. Apps register seeders; `beacon seed` runs them in order.

Content is fictional (Faker names with a fixed random seed) and idempotent: a second run finds
what the first made and adds nothing.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.reference.models import County

DEMO_PASSWORD = "beacon-demo-password"
SEED = 20261128


@dataclass
class SeedContext:
    cases: int = 0
    tips: int = 0
    posts: int = 0
    seed: int = SEED
    out: Callable[[str], None] = print
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


Seeder = Callable[[SeedContext], None]
_SEEDERS: list[tuple[int, str, str]] = []


def register(order: int, name: str, seeder: str) -> None:
    """Run the function at dotted path ``seeder`` (``"beacon.cases.seed.seed_cases"``) in ``order``.

    Seeders are named by path and imported only when `beacon seed` runs, so a deployment installed
    without the ``demo`` extra (Faker) starts without them.
    """
    if all(existing != name for _, existing, _ in _SEEDERS):
        _SEEDERS.append((order, name, seeder))
        _SEEDERS.sort(key=lambda item: item[0])


# Fictional agencies covering the HTCDS organisation types Beacon's users work in.
AGENCIES = [
    ("Lakeshore Survivor Services", AgencyType.NGO, "Chicago", "17031"),
    ("Prairie Legal Aid for Immigrants", AgencyType.LEGAL_SERVICE, "Chicago", "17031"),
    ("Heartland Community Health Center", AgencyType.HEALTH_SERVICE, "Rockford", "17201"),
    ("Metro Task Force Police Unit", AgencyType.LAW_ENFORCEMENT, "Chicago", "17031"),
    ("Central Illinois Family Services", AgencyType.NGO, "Springfield", "17167"),
    ("Illinois Statewide Anti-Trafficking Office", AgencyType.CENTRAL_GOVERNMENT, "Springfield", "17167"),
    ("Prairie County Sheriff's Trafficking Unit", AgencyType.LAW_ENFORCEMENT, "Joliet", "17197"),
    ("Lakeshore County State's Attorney's Office", AgencyType.LOCAL_GOVERNMENT, "Chicago", "17031"),
]

# (username, first, last, role, agency index)
USERS = [
    ("admin", "Sam", "Rivera", Role.SYSTEM_ADMIN, None),
    ("agencyadmin", "Dana", "Okafor", Role.AGENCY_ADMIN, 0),
    ("hotline", "Lee", "Nguyen", Role.HOTLINE, 0),
    ("caseworker", "Maria", "Kowalski", Role.CASEWORKER, 0),
    ("supervisor", "Jordan", "Patel", Role.SUPERVISOR, 0),
    ("legal", "Ana", "Morales", Role.CASEWORKER, 1),
    ("legalsupervisor", "Chris", "Kim", Role.SUPERVISOR, 1),
    ("health", "Priya", "Shah", Role.CASEWORKER, 2),
    ("investigator", "Alex", "Brooks", Role.INVESTIGATOR, 3),
    ("analyst", "Taylor", "Reyes", Role.ANALYST, 5),
    ("central", "Morgan", "Lee", Role.CASEWORKER, 4),
    ("sheriff", "Robin", "Hayes", Role.INVESTIGATOR, 6),
    ("prosecutor", "Jamie", "Cole", Role.PROSECUTOR, 7),
    ("coordinator", "Casey", "Moreno", Role.COORDINATOR, 5),
]


def demo_totp_key(username: str) -> bytes:
    """A fixed per-user TOTP key so the demo's second factor can be passed (`beacon totp USER`)."""
    return hashlib.sha256(f"beacon-demo-totp:{username}".encode()).digest()[:20]


def demo_totp_secret(username: str) -> str:
    return base64.b32encode(demo_totp_key(username)).decode()


@transaction.atomic
def seed_people(ctx: SeedContext) -> None:
    refuse_production()
    counties = {c.fips: c for c in County.objects.all()}
    for index, (name, kind, city, fips) in enumerate(AGENCIES):
        agency, _ = Agency.objects.get_or_create(
            name=name, defaults={"type": kind, "city": city, "county": counties.get(fips)}
        )
        ctx.agencies[str(index)] = agency
    for username, first, last, role, agency_index in USERS:
        agency = ctx.agencies[str(agency_index)] if agency_index is not None else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                role=role,
                agency=agency,
                email=f"{username}@example.org",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", confirmed=True, key=demo_totp_key(username).hex()
            )
        ctx.users[username] = user
    ctx.out(f"  agencies: {Agency.objects.count()}, staff accounts: {User.objects.count()}")


register(10, "people", "beacon.demo.seeding.seed_people")


class SeedRefused(RuntimeError):
    """Demo data was asked for on a production install."""


def refuse_production() -> None:
    """Demo accounts share one published password and second-factor keys anyone can derive from the
    user name: they must never exist on a production database."""
    if settings.PRODUCTION:
        raise SeedRefused("demo data (and its public sign-ins) is refused with BEACON_ENV=production")


def run_seeders(ctx: SeedContext) -> None:
    refuse_production()
    for _, name, path in _SEEDERS:
        ctx.out(f"Seeding {name} ...")
        seeder: Seeder = import_string(path)
        seeder(ctx)
