"""Synthetic cases for demos and benchmarks: realistic shape, clearly fictional content.

Scales to millions: names come from small Faker pools (seeded), rows are built as plain column
values with personal fields encrypted up front, and written in chunks with PostgreSQL COPY (or
bulk_create on SQLite) using pre-allocated ids, so no per-row queries are made. Idempotent: it
counts the seeded cases already present and only tops up to the requested number.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from beacon.accounts.models import Agency, User
from beacon.accounts.roles import AgencyType, Role
from beacon.cases import identity
from beacon.cases.models import (
    Case,
    CaseNote,
    Consent,
    Person,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReliefApplication,
    ReliefMilestone,
    ServiceNeed,
    ServicePlanItem,
    Task,
    age_band,
)
from beacon.crypto.keys import encrypt, phone_index
from beacon.demo.seeding import SeedContext
from beacon.directory.models import Provider
from beacon.reference.models import County
from beacon.web.ids import ALPHABET

CHUNK = 20_000
# locale, weight, citizenship choices (ISO alpha-3), language codes
LOCALES = [
    ("es_MX", 40, ["MEX", "MEX", "GTM", "HND", "SLV"], ["es"]),
    ("en_US", 20, ["USA", "USA", "PHL", "NGA"], ["en"]),
    ("pl_PL", 15, ["POL"], ["pl", "en"]),
    ("uk_UA", 15, ["UKR"], ["uk", "ru"]),
    ("zh_CN", 10, ["CHN"], ["zh-hans"]),
]
GENDERS = (
    ["Feminine"] * 50
    + ["Masculine"] * 44
    + ["TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"]
    + ["NonSpecifiedUnknown"] * 2
)
STATUSES = ["Active"] * 12 + ["FollowUp"] * 5 + ["Closed"] * 63 + ["ClosedReferred"] * 20
TYPES = (
    ["ForcedLabour"] * 50
    + ["SexualExploitation"] * 38
    + ["Servitude"] * 6
    + ["ForcedBegging", "ChildLabour", "ForcedMarriage", "Other"]
)
LABOUR = [
    ("agriculture_animal_husbandry", "A_AgricultureForestryAndFishing"),
    ("construction", "F_Construction"),
    ("hotels_hospitality", "I_AccommodationAndFoodServiceActivities"),
    ("restaurants_food_service", "I_AccommodationAndFoodServiceActivities"),
    ("domestic_work", "T_ActivitiesOfHouseholdsAsEmployers"),
    ("factories_manufacturing", "C_Manufacturing"),
    ("commercial_cleaning_services", "N_AdministrativeAndSupportServiceActivities"),
    ("landscaping", "N_AdministrativeAndSupportServiceActivities"),
]
SEX = [
    ("escort_services", "Prostitution"),
    ("illicit_massage_health_beauty", "Prostitution"),
    ("remote_interactive_sexual_acts", "RemoteInteractiveServices"),
    ("residential", "Prostitution"),
    ("bars_strip_clubs_cantinas", "Prostitution"),
]
CONTROL = [
    "PhysicalThreats",
    "ThreatsLawEnforcement",
    "ThreatensChildrenFamily",
    "DebtBondage",
    "FalsePromises",
    "TakesEarnings",
    "WithholdsDocuments",
    "ExcessiveWorkingHours",
    "PsychologicalAbuse",
]
RECRUITMENT = [
    "ThroughFriendsOrSocialEvents",
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughFamilyOrFamilyEvents",
    "AtWork",
]
WEBSITES = ["Facebook", "WhatsApp", "Instagram", "WeChat", "Telegram", "TikTok"]
SERVICES = [
    "case_management",
    "legal_immigration",
    "counseling",
    "health",
    "shelter",
    "employment",
    "financial",
    "interpretation",
    "safety_planning",
]
IMMIGRATION = [
    "Undocumented",
    "Visa overstay",
    "Asylum application pending",
    "H-2A visa holder",
    "H-2B visa holder",
    "Lawful permanent resident",
    "US citizen",
]
NOTE_LINES = [
    "Met with client (fictional record).",
    "Called to confirm appointment (fictional record).",
    "Accompanied client to legal aid intake (fictional record).",
    "Safety plan reviewed; no new concerns (fictional record).",
    "Client asked about job training options (fictional record).",
]
TASK_TITLES = [
    "Follow up on housing application",
    "Book interpreter for legal meeting",
    "Check benefits eligibility",
    "Call client to check in",
    "Collect documents for T visa filing",
]

REFERRAL_SOURCES = [code for code, _label in ReferralSource.choices]


def _pid(rng: random.Random) -> str:
    return "".join(rng.choices(ALPHABET, k=10))


class _Writer:
    """Appends rows (attname -> value) to tables: COPY on PostgreSQL, executemany elsewhere.

    Both write the values as given: bulk_create would stamp auto_now_add fields (opened_at,
    created_at) with the current time and put every demo case on the day of the seed."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[type[models.Model], int] = {}

    def allocate(self, model: type[models.Model]) -> int:
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        if not self.postgres:
            fields = [model._meta.get_field(c) for c in columns]
            sql = (
                f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608 (model names)
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    sql,
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(fields, row.values(), strict=True)]
                        for row in rows
                    ],
                )
            return
        sql = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, list | dict) else v for v in row.values()])

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self.next_id:
                table = model._meta.db_table
                sql = (
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 (model table names)
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )
                cursor.execute(sql)
                # Fresh statistics, so the planner sees the new row counts straight away.
                cursor.execute(f'ANALYZE "{table}"')


# Cook and the collar counties: the Chicago area, where work is less seasonal than on farms and in
# meat-packing towns.
CHICAGO_AREA = frozenset({"17031", "17043", "17089", "17097", "17197", "17111"})
SPAN_DAYS = 3 * 365


def _opened_at(rng: random.Random, now: dt.datetime, county: str) -> dt.datetime:
    """When a demo case was opened: within the last three years, more each year (as reporting
    grows), and with a summer peak of labour cases that is stronger outside the Chicago area
    (growing and processing seasons), so the charts have something to read."""
    amplitude = 0.25 if county in CHICAGO_AREA else 0.7
    while True:
        days = rng.random() * SPAN_DAYS
        opened = now - dt.timedelta(days=days, seconds=rng.randint(0, 86399))
        growth = 0.45 + 0.55 * (1 - days / SPAN_DAYS)
        season = 1 + amplitude * math.cos(2 * math.pi * (opened.timetuple().tm_yday - 196) / 365)
        if rng.random() * (1 + amplitude) <= growth * season:
            return opened


def _holders(ctx: SeedContext) -> list[Agency]:
    agencies = ctx.agencies.values() or Agency.objects.all()
    return [a for a in agencies if a.type not in (AgencyType.LAW_ENFORCEMENT, AgencyType.CENTRAL_GOVERNMENT)]


def _owners(ctx: SeedContext, holders: list[Agency], per_agency: int) -> dict[int, list[int]]:
    """Demo staff plus fictional caseworkers (unusable passwords), so caseloads look like real ones."""
    password = make_password(None)
    new = []
    for agency in holders:
        for n in range(1, per_agency + 1):
            username = f"seed-cw-{agency.pk}-{n:03d}"
            new.append(
                User(
                    username=username,
                    first_name="Fictional",
                    last_name=f"Caseworker {n}",
                    role=Role.CASEWORKER,
                    agency=agency,
                    password=password,
                    email=f"{username}@example.org",
                )
            )
    if new:
        existing = set(User.objects.filter(username__in=[u.username for u in new]).values_list("username", flat=True))
        User.objects.bulk_create([u for u in new if u.username not in existing])
    owners: dict[int, list[int]] = {}
    for user_id, agency_id in User.objects.filter(
        agency__in=holders, role__in=[Role.CASEWORKER, Role.SUPERVISOR, Role.HOTLINE], is_active=True
    ).values_list("id", "agency_id"):
        owners.setdefault(agency_id, []).append(user_id)
    return owners


def _pools(seed: int) -> dict[str, tuple[list[str], list[str]]]:
    pools = {}
    for locale, *_ in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        pools[locale] = ([fake.first_name() for _ in range(150)], [fake.last_name() for _ in range(150)])
    return pools


def seed_cases(ctx: SeedContext) -> None:
    holders = _holders(ctx)
    if not holders or ctx.cases <= 0:
        return
    existing = Case.objects.filter(agency__in=holders).count()
    todo = ctx.cases - existing
    if todo <= 0:
        ctx.out(f"  cases: {existing} already present, nothing added")
        return
    started = time.perf_counter()
    per_agency = min(60, ctx.cases // (6000 * len(holders)))
    owners = _owners(ctx, holders, per_agency)
    rng = random.Random(ctx.seed + existing)
    pools = _pools(ctx.seed)
    county_ids = list(County.objects.values_list("fips", flat=True))
    # Cook and the collar counties carry most cases, as in hotline data for Illinois.
    county_weights = [
        40 if f == "17031" else 4 if f in ("17043", "17089", "17097", "17197", "17111") else 1 for f in county_ids
    ]
    providers = list(Provider.objects.values_list("id", flat=True)) or [None]
    writer = _Writer()
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    now = timezone.now()
    today = timezone.localdate()
    done = 0
    while done < todo:
        size = min(CHUNK, todo - done)
        with transaction.atomic():
            _chunk(ctx, writer, rng, size, holders, owners, pools, county_ids, county_weights, providers, now, today)
        done += size
        if todo >= 100_000 and (done % 100_000 == 0 or done == todo):
            ctx.out(f"  cases: {existing + done:,} ({time.perf_counter() - started:.0f} s)")
    writer.reset_sequences()
    ctx.out(f"  cases: {existing + done} ({done} new in {time.perf_counter() - started:.1f} s)")


def _chunk(
    ctx: SeedContext,
    w: _Writer,
    rng: random.Random,
    size: int,
    holders: list[Agency],
    owners: dict[int, list[int]],
    pools: dict,
    county_ids: list[str],
    county_weights: list[int],
    providers: list[int | None],
    now: dt.datetime,
    today: dt.date,
) -> None:
    persons, cases, consents, notes, needs, items, tasks = [], [], [], [], [], [], []
    referrals, events, reliefs, milestones = [], [], [], []
    locale_names = [loc for loc, *_ in LOCALES]
    locale_weights = [weight for _, weight, *_ in LOCALES]
    locale_info = {loc: (cits, langs) for loc, _w, cits, langs in LOCALES}
    counties = rng.choices(county_ids, county_weights, k=size)
    for i in range(size):
        agency = rng.choice(holders)
        locale = rng.choices(locale_names, locale_weights)[0]
        given_pool, family_pool = pools[locale]
        given, family = rng.choice(given_pool), rng.choice(family_pool)
        cits, langs = locale_info[locale]
        opened = _opened_at(rng, now, counties[i])
        age = rng.choices([rng.randint(12, 17), rng.randint(18, 29), rng.randint(30, 60)], [12, 50, 38])[0]
        trafficked_age = max(10, age - rng.randint(0, 4))
        known_birth = rng.random() < 0.6
        birth = opened.date() - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        phone = f"+1312555{rng.randint(0, 9999):04d}" if rng.random() < 0.7 else ""
        person_id = w.allocate(Person)
        persons.append(
            {
                "id": person_id,
                "public_id": _pid(rng),
                "agency_id": agency.pk,
                "given_name": encrypt(given),
                "family_name": encrypt(family),
                "aliases": None,
                "birth_date": encrypt(birth.isoformat()) if known_birth else "",
                "estimated_age": None if known_birth else age,
                "age_at_intake": age,
                "age_when_trafficked": trafficked_age,
                "minor_at_intake": age < 18,
                "minor_when_trafficked": trafficked_age < 18,
                "gender": rng.choice(GENDERS),
                "languages": langs,
                "citizenship": rng.choice(cits),
                "contact": encrypt(json.dumps({"phone": phone, "email": "", "address": ""})) if phone else None,
                "immigration_status": encrypt(rng.choice(IMMIGRATION)),
                "name_bidx": identity.name_index(given, family),
                "fuzzy_bidx": identity.fuzzy_index(given, family, birth.year),
                "phone_bidx": phone_index(phone) if phone else "",
                "email_bidx": "",
                "from_tip_unconfirmed": False,
                "described_in_tip": "",
                "version": 1,
                "created_at": opened,
            }
        )
        kind = rng.choice(TYPES)
        polaris, industry, sex_types = "", "", []
        if kind == "SexualExploitation":
            polaris, sex_type = rng.choice(SEX)
            sex_types = [sex_type]
        elif kind in ("ForcedLabour", "Servitude", "ChildLabour"):
            polaris, industry = rng.choice(LABOUR)
        status = rng.choice(STATUSES)
        closes = opened + dt.timedelta(days=rng.randint(30, 400))
        if closes > now:  # a case opened recently cannot have run its course yet
            status = rng.choice(["Active", "FollowUp"]) if status.startswith("Closed") else status
        closed = status.startswith("Closed")
        case_id = w.allocate(Case)
        owner = rng.choice(owners[agency.pk]) if owners.get(agency.pk) else None
        cases.append(
            {
                "id": case_id,
                "public_id": _pid(rng),
                "person_id": person_id,
                "agency_id": agency.pk,
                "owner_id": owner,
                "status": status,
                "trafficking_status": rng.choice(["PossibleVictimOfTrafficking", "ActualVictimOfTrafficking"]),
                "trafficking_status_decided_by": rng.choice(["NGO", "Police", "NonPoliceGovernmentalOrganization"]),
                "exploitation_types": [kind],
                "sex_exploitation_types": sex_types,
                "primary_type": kind,
                "polaris_type": polaris,
                "industry": industry,
                "methods_of_control": rng.sample(CONTROL, rng.randint(1, 3)),
                "recruitment_methods": [rng.choice(RECRUITMENT)],
                "recruitment_websites": [rng.choice(WEBSITES)] if rng.random() < 0.3 else [],
                "relationship_to_trafficker": rng.choice(["Familial", "Acquainted", "Unaquainted"]),
                "referral_source": rng.choice(REFERRAL_SOURCES),
                "county_id": counties[i],
                "summary": encrypt("Fictional case created by the demo seed."),
                "signs_from_tip": "",
                "opened_at": opened,
                "updated_at": opened,
                "closed_at": closes if closed else None,
                "closure_reason": rng.choice(["Services completed", "Moved out of state", "Lost contact"])
                if closed
                else "",
                "outcome": "",
                "version": 1,
            }
        )
        consents.append(_consent(w, rng, case_id, "services", None, opened, owner))
        if rng.random() < 0.7:
            consents.append(_consent(w, rng, case_id, "statistics", None, opened, owner))
        if rng.random() < 0.1:
            notes.append(
                {
                    "id": w.allocate(CaseNote),
                    "public_id": _pid(rng),
                    "case_id": case_id,
                    "author_id": owner,
                    "body": encrypt(rng.choice(NOTE_LINES)),
                    "created_at": opened + dt.timedelta(days=2),
                }
            )
        if rng.random() < 0.25:
            chosen = rng.sample(SERVICES, rng.randint(1, 3))
            for category in chosen:
                needs.append(
                    {
                        "id": w.allocate(ServiceNeed),
                        "case_id": case_id,
                        "category": category,
                        "priority": rng.choice(["urgent", "normal", "normal", "low"]),
                        "met": closed,
                    }
                )
            items.append(
                {
                    "id": w.allocate(ServicePlanItem),
                    "case_id": case_id,
                    "category": chosen[0],
                    "provider_id": rng.choice(providers),
                    "status": "completed" if closed else "in_progress",
                    "start_date": opened.date(),
                    "due_date": opened.date() + dt.timedelta(days=60),
                    "completed_on": opened.date() + dt.timedelta(days=50) if closed else None,
                    "outcome": "",
                }
            )
        if not closed and owner and rng.random() < 0.3:
            tasks.append(
                {
                    "id": w.allocate(Task),
                    "public_id": _pid(rng),
                    "case_id": case_id,
                    "assignee_id": owner,
                    "title": encrypt(rng.choice(TASK_TITLES)),
                    "due_date": today + dt.timedelta(days=rng.randint(-10, 20)),
                    "done_at": None,
                    "reminded_at": None,
                    "created_at": opened,
                }
            )
        if rng.random() < 0.04 and len(holders) > 1:
            about = {
                "county": counties[i] or "",
                "languages": langs,
                "age_band": age_band(age),
                "minor": age < 18 or trafficked_age < 18,
                "exploitation_types": [kind],
            }
            _referral(w, rng, case_id, agency, holders, owner, opened, consents, referrals, events, about)
        if cits[0] != "USA" and rng.random() < 0.02:
            app_id = w.allocate(ReliefApplication)
            reliefs.append(
                {
                    "id": app_id,
                    "case_id": case_id,
                    "created_at": opened,
                    "kind": rng.choice(["t_visa", "t_visa", "u_visa", "continued_presence", "asylum"]),
                }
            )
            milestones.append(
                {
                    "id": w.allocate(ReliefMilestone),
                    "application_id": app_id,
                    "kind": "le_requested",
                    "due_date": None,
                    "reached_on": opened.date() + dt.timedelta(days=20),
                    "reminded_at": None,
                }
            )
            milestones.append(
                {
                    "id": w.allocate(ReliefMilestone),
                    "application_id": app_id,
                    "kind": "filed",
                    "due_date": today + dt.timedelta(days=rng.randint(-5, 60))
                    if not closed
                    else opened.date() + dt.timedelta(days=90),
                    "reached_on": opened.date() + dt.timedelta(days=85) if closed else None,
                    "reminded_at": None,
                }
            )
    for model, rows in (
        (Person, persons),
        (Case, cases),
        (Consent, consents),
        (CaseNote, notes),
        (ServiceNeed, needs),
        (ServicePlanItem, items),
        (Task, tasks),
        (Referral, referrals),
        (ReferralEvent, events),
        (ReliefApplication, reliefs),
        (ReliefMilestone, milestones),
    ):
        w.write(model, rows)


def _consent(
    w: _Writer, rng: random.Random, case_id: int, kind: str, agency_id: int | None, at: dt.datetime, owner: int | None
) -> dict[str, Any]:
    return {
        "id": w.allocate(Consent),
        "public_id": _pid(rng),
        "case_id": case_id,
        "kind": kind,
        "agency_id": agency_id,
        "method": rng.choice(["verbal", "written"]),
        "granted_at": at,
        "recorded_by_id": owner,
        "revoked_at": None,
        "revoked_by_id": None,
        "expires_on": None,
        "scope_fields": [],
        "witness": "",
        "signed_form_id": None,
    }


def _referral(
    w: _Writer,
    rng: random.Random,
    case_id: int,
    agency: Agency,
    holders: Iterable[Agency],
    owner: int | None,
    opened: dt.datetime,
    consents: list,
    referrals: list,
    events: list,
    about: dict[str, Any],
) -> None:
    target = rng.choice([a for a in holders if a.pk != agency.pk])
    consent = _consent(w, rng, case_id, "referral", target.pk, opened, owner)
    consents.append(consent)
    status = rng.choice(["sent", "accepted", "accepted", "completed", "declined"])
    now = timezone.now()
    sent_at = min(opened + dt.timedelta(days=1), now)
    responded = min(sent_at + dt.timedelta(days=rng.randint(1, 4)), now) if status != "sent" else None
    referral_id = w.allocate(Referral)
    service = rng.choice(SERVICES)
    referrals.append(
        {
            "id": referral_id,
            "public_id": _pid(rng),
            "case_id": case_id,
            "from_agency_id": agency.pk,
            "to_agency_id": target.pk,
            "provider_id": None,
            "service": service,
            "urgency": rng.choice(["urgent", "normal", "normal", "low"]),
            "summary": encrypt(json.dumps({"services": [service], **about}, sort_keys=True)),
            "received_case_id": None,
            "reason": "AdditionalServicesRequired",
            "shared_fields": ["name", "languages", "contact", "service_needs"],
            "message": "",
            "consent_id": consent["id"],
            "status": status,
            "decline_reason": "No capacity this month" if status == "declined" else "",
            "sent_by_id": owner,
            "sent_at": sent_at,
            "responded_at": responded,
            "responded_by_id": None,
            "reminded_at": None,
            "version": 1,
        }
    )
    events.append(
        {
            "id": w.allocate(ReferralEvent),
            "referral_id": referral_id,
            "at": sent_at,
            "status": "sent",
            "actor_id": owner,
            "note": "",
        }
    )
    if responded:
        events.append(
            {
                "id": w.allocate(ReferralEvent),
                "referral_id": referral_id,
                "at": responded,
                "status": "declined" if status == "declined" else "accepted",
                "actor_id": None,
                "note": "",
            }
        )
