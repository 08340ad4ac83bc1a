"""Measure the caseload page, case search and case page against a seeded database.

Usage (PostgreSQL with `beacon seed --cases 1000000` loaded):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_cases_bench \
        .venv/bin/python benchmarks/cases_pages.py --runs 200

Requests go through Django's test Client with a signed-in, two-factor-verified staff session
(the demo accounts), after a warm-up; p50/p95 are wall-clock per request including rendering,
the access checks and the audit entries a case page writes.
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

from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from beacon.accounts.models import User  # noqa: E402
from beacon.cases.models import Case  # noqa: E402


def signed_in(username: str) -> Client:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def measure(name: str, client: Client, urls: list[str], runs: int, warmup: int = 20) -> dict:
    for url in urls[:warmup]:
        assert client.get(url).status_code == 200, url
    timings, queries = [], []
    for i in range(runs):
        url = urls[i % len(urls)]
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(ctx.captured_queries))
        reset_queries()
    timings.sort()
    row = {
        "page": name,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "max_ms": timings[-1],
        "queries": max(queries),
        "runs": runs,
    }
    print(
        f"{name:<28} p50 {row['p50_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} ms   max {row['max_ms']:7.1f} ms"
        f"   queries {row['queries']}"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--caseworker", default="caseworker")
    parser.add_argument("--supervisor", default="supervisor")
    args = parser.parse_args()
    rng = random.Random(7)
    total = Case.objects.count()
    print(f"database: {connection.vendor}, cases: {total:,}")
    cw = signed_in(args.caseworker)
    sup = signed_in(args.supervisor)
    supervisor = User.objects.get(username=args.supervisor)
    mine = list(Case.objects.filter(owner__username=args.caseworker).values_list("public_id", flat=True)[:2000])
    # A random spread of the agency's cases, drawn by id without sorting a million rows.
    bounds = Case.objects.aggregate(lo=Min("id"), hi=Max("id"))
    draw = rng.sample(range(bounds["lo"], bounds["hi"] + 1), min(5000, bounds["hi"] - bounds["lo"] + 1))
    agency_cases = list(
        Case.objects.filter(agency_id=supervisor.agency_id, pk__in=draw).values_list("public_id", flat=True)[:300]
    )
    counties = ["17031", "17043", "17089", "17097", "17197", "17201", "17167", "17019"]
    statuses = ["Active", "FollowUp", "Closed", "ClosedReferred"]
    types = ["ForcedLabour", "SexualExploitation", "Servitude"]
    search_urls = []
    for _ in range(200):
        kind = rng.random()
        if kind < 0.3:
            search_urls.append(f"/staff/cases/?status={rng.choice(statuses)}&county={rng.choice(counties)}")
        elif kind < 0.55:
            search_urls.append(f"/staff/cases/?type={rng.choice(types)}&status={rng.choice(statuses)}")
        elif kind < 0.75:
            search_urls.append(f"/staff/cases/?q={rng.choice(agency_cases)}")
        elif kind < 0.9:
            search_urls.append(f"/staff/cases/?owner={args.caseworker}&status=Active")
        else:
            search_urls.append(f"/staff/cases/?county={rng.choice(counties)}&page=3")
    name_urls = ["/staff/cases/?q=Maria+Garcia", "/staff/cases/?q=Anna+Kowalska", "/staff/cases/?q=Li+Wei"]
    rows = [
        measure("caseload (home page)", cw, ["/staff/"], args.runs),
        measure("case search (supervisor)", sup, search_urls, args.runs),
        measure("case search by name", sup, name_urls, max(30, args.runs // 4)),
        measure("case list (caseworker)", cw, ["/staff/cases/", "/staff/cases/?status=Active"], args.runs),
        measure(
            "case page (own)",
            cw,
            [f"/staff/cases/{p}/" for p in rng.sample(mine, min(len(mine), 300))],
            args.runs,
        ),
        measure("case page (supervisor)", sup, [f"/staff/cases/{p}/" for p in agency_cases[:300]], args.runs),
    ]
    print()
    print("| page | p50 ms | p95 ms | queries |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row['page']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['queries']} |")


if __name__ == "__main__":
    main()
