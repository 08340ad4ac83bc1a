"""Deconfliction look-up against 1,000,000 indexed identifiers (target: p95 < 50 ms on PostgreSQL).

Usage (seeds the identifiers once, then measures; a second run reuses them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_taskforce .venv/bin/beacon migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_taskforce \
        .venv/bin/python benchmarks/deconfliction.py --identifiers 1000000 --runs 500

The identifiers are spread as deconfliction meets them: matter subjects of 20 agencies (70 %), tip
identifiers (20 %) and survivors' phone blind indexes (10 %), drawn from a pool of phones and
e-mails so that one identifier is often held by several agencies. Rows are written with
bulk_create in batches of 10,000 (values encrypted and blind-indexed as the app does).

Two timings: the look-up alone (`deconfliction._groups`: the three indexed reads and the grouping),
with 80 % of the probes on identifiers that exist and 20 % on new ones; and the whole write of a
subject (`services.add_subject`: the subject, the look-up, its hits, the notices and the audit
entries, committed), for a smaller number of runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
os.environ.setdefault("BEACON_DEBUG", "0")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from beacon.accounts.models import Agency, User  # noqa: E402
from beacon.accounts.roles import AgencyType, Role  # noqa: E402
from beacon.cases.models import Person  # noqa: E402
from beacon.crypto.keys import identifier_index  # noqa: E402
from beacon.matters import deconfliction, services  # noqa: E402
from beacon.matters.models import Matter, MatterStatus, Subject  # noqa: E402
from beacon.tips.models import Tip, TipIdentifier  # noqa: E402
from beacon.web.ids import new_public_id  # noqa: E402

PREFIX = "Deconfliction bench agency"
AGENCIES = 20
BATCH = 10_000


def phone(n: int) -> str:
    return f"+1312{n:07d}"


def email(n: int) -> str:
    return f"contact{n}@bench.example"


def identifier(n: int) -> tuple[str, str, str]:
    """(subject kind, raw value, blind index) of pool member `n`: three phones to one e-mail."""
    if n % 4 == 3:
        value = email(n)
        return "email", value, identifier_index("email", value)
    value = phone(n)
    return "phone", value, identifier_index("phone", value)


def seed(total: int, pool: int, rng: random.Random, out=print) -> list[Agency]:
    agencies = [
        Agency.objects.get_or_create(name=f"{PREFIX} {i}", defaults={"type": AgencyType.LAW_ENFORCEMENT})[0]
        for i in range(AGENCIES)
    ]
    for agency in agencies:
        if not User.objects.filter(agency=agency).exists():
            User.objects.create_user(username=f"bench-inv-{agency.pk}", role=Role.INVESTIGATOR, agency=agency)
    have = (
        Subject.objects.filter(matter__agency__in=agencies).count()
        + TipIdentifier.objects.filter(tip__agency__in=agencies).count()
        + Person.objects.filter(agency__in=agencies).exclude(phone_bidx="").count()
    )
    if have >= total:
        out(f"reusing {have:,} indexed identifiers")
        return agencies
    started = time.perf_counter()
    n_subjects, n_tips = int(total * 0.7), int(total * 0.2)
    n_people = total - n_subjects - n_tips
    # Matters: 35 subjects each on average.
    matters: list[Matter] = []
    for i in range(0, n_subjects // 35 + 1):
        matters.append(
            Matter(
                agency=agencies[i % AGENCIES],
                title=f"Bench matter {i}",
                exploitation_type="ForcedLabour",
                status=MatterStatus.OPEN,
            )
        )
    Matter.objects.bulk_create(matters, batch_size=BATCH)
    matter_ids = list(Matter.objects.filter(agency__in=agencies).values_list("pk", flat=True))
    seen: set[tuple[int, str]] = set()
    batch: list[Subject] = []
    made = 0
    while made < n_subjects:
        n = rng.randrange(pool)
        kind, value, bidx = identifier(n)
        matter_id = matter_ids[made % len(matter_ids)]
        if (matter_id, bidx) in seen:
            n = pool + made  # an identifier of its own (keeps the per-matter uniqueness)
            kind, value, bidx = identifier(n)
        seen.add((matter_id, bidx))
        batch.append(Subject(matter_id=matter_id, kind=kind, value=value, bidx=bidx))
        made += 1
        if len(batch) == BATCH:
            Subject.objects.bulk_create(batch)
            batch = []
    Subject.objects.bulk_create(batch)
    out(f"  {n_subjects:,} matter subjects in {time.perf_counter() - started:.0f} s")
    # Tips: two identifiers each.
    tips = [
        Tip(
            agency=agencies[i % AGENCIES],
            narrative="Bench tip.",
            codename_hash="bench",
            codename_index=f"bench-{new_public_id()}-{i}",
            submission_key=f"bench-{new_public_id()}-{i}",
        )
        for i in range(n_tips // 2)
    ]
    Tip.objects.bulk_create(tips, batch_size=BATCH)
    tip_ids = list(Tip.objects.filter(agency__in=agencies).values_list("pk", flat=True))
    rows = []
    for i in range(n_tips):
        kind, _value, bidx = identifier(rng.randrange(pool) if i % 2 == 0 else pool + n_subjects + i)
        rows.append(TipIdentifier(tip_id=tip_ids[i // 2], kind=kind, index=bidx))
    TipIdentifier.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    out(f"  {n_tips:,} tip identifiers, total {time.perf_counter() - started:.0f} s")
    people = [
        Person(agency=agencies[i % AGENCIES], phone_bidx=identifier_index("phone", phone(rng.randrange(pool))))
        for i in range(n_people)
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    out(f"  {n_people:,} survivors' phone indexes, total {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        for table in ("matters_subject", "tips_tipidentifier", "cases_person"):
            cursor.execute(f"ANALYZE {table}")
    return agencies


def percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"p50 {statistics.median(timings):6.2f} ms   p95 {p95:6.2f} ms   max {timings[-1]:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identifiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(19)
    pool = args.identifiers * 2 // 5
    agencies = seed(args.identifiers, pool, rng)
    total = (
        Subject.objects.filter(matter__agency__in=agencies).count()
        + TipIdentifier.objects.filter(tip__agency__in=agencies).count()
        + Person.objects.filter(agency__in=agencies).exclude(phone_bidx="").count()
    )
    print(f"{connection.vendor}: {total:,} indexed identifiers at {AGENCIES} agencies")

    asker = agencies[0]
    timings, matched = [], 0
    for i in range(args.runs + 20):
        n = rng.randrange(pool) if rng.random() < 0.8 else 10**9 + i
        kind, _value, bidx = identifier(n)
        probe = Subject(kind=kind, bidx=bidx)
        started = time.perf_counter()
        hits = deconfliction._groups(probe, asker.pk)
        elapsed = (time.perf_counter() - started) * 1000
        if i >= 20:  # warm-up
            timings.append(elapsed)
            matched += bool(hits)
    print(f"look-up ({args.runs} probes, {matched} with matches)   {percentiles(timings)}")

    investigator = User.objects.filter(agency=asker).first()
    matter = Matter.objects.create(
        agency=asker, title="Bench write matter", exploitation_type="ForcedLabour", lead=investigator
    )
    timings = []
    for _ in range(args.writes):
        kind, value, _bidx = identifier(rng.randrange(pool))
        started = time.perf_counter()
        with transaction.atomic():
            services.add_subject(investigator, matter, kind, value if kind == "email" else value[2:])
        timings.append((time.perf_counter() - started) * 1000)
    print(f"add a subject, committed ({args.writes} writes)   {percentiles(timings)}")


if __name__ == "__main__":
    main()
