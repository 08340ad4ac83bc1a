"""Insights dashboard speed on a large database: each panel, and the page with its panels.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_insights_bench \\
        .venv/bin/python benchmarks/insights_dashboard.py [--tips 200000] [--runs 3]

Needs a database seeded with `beacon seed --cases 1000000`. `--tips N` first adds N synthetic tips
(plain columns only) when the tips table holds fewer, so the tip panels have data to group.
`--refresh` first rebuilds the dashboard facts (needed after a bulk seed) and times it.
Times are wall-clock seconds of the service call (query + suppression + chart spec), as an analyst
(statewide, suppressed) and as the supervisor of the largest agency (agency scope, exact), for the
default filters (the last two years by quarter), three years by month and ten years by quarter,
with the panel cache cleared before each call; then the page: its HTML, and all panels fetched six
at a time, as a browser does over HTTP/1.1, first with an empty panel cache, then warm.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from beacon.accounts.models import User  # noqa: E402
from beacon.accounts.roles import Role  # noqa: E402
from beacon.cases.models import Case  # noqa: E402
from beacon.insights import facts, selectors, services  # noqa: E402
from beacon.insights.selectors import Filters  # noqa: E402


def _user(username: str, role: str, agency_id: int | None) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "agency_id": agency_id})
    TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return user


def _add_tips(n: int) -> None:
    from beacon.tips.models import Tip

    have = Tip.objects.count()
    if have >= n:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO tips_tip (public_id, created_at, updated_at, version, channel, language, status,
                   close_reason, narrative, location_kind, county_id, in_illinois, place, "when", when_detail,
                   people, checklist, child_involved, danger_now, contact_preference, contact_detail,
                   consent_law_enforcement, urgency_score, urgency_reasons, agency_id, escalated_to_id,
                   identity_shared_with_police, case_id, intake_user_id, codename_hash, codename_index,
                   submission_key)
               SELECT 'B' || lpad(to_hex(g), 9, '0'), now() - (random() * interval '3650 days'), now(), 1,
                   (ARRAY['web','sms','email','phone','other'])[1 + (g %% 5)], 'en', 'closed', '', '',
                   'county', (SELECT fips FROM reference_county ORDER BY fips OFFSET (g %% 102) LIMIT 1),
                   true, '', 'unknown', '', '', '', 'unknown', false, 'codename', '', false, 0, '[]',
                   NULL, NULL, false, NULL, NULL, 'x', 'bench-' || g, 'bench-' || g
               FROM generate_series(%s, %s) AS g""",
            [have + 1, n],
        )
    print(f"tips: {n:,}")


def _time(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        cache.clear()  # cold: no cached panel results
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:] or times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tips", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refresh", action="store_true", help="rebuild the dashboard facts first (timed)")
    args = parser.parse_args()
    if args.tips:
        _add_tips(args.tips)
    if args.refresh:
        started = time.perf_counter()
        written = facts.refresh()
        print(f"facts rebuilt: {written:,} cases in {time.perf_counter() - started:.1f} s")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; cases: {Case.objects.count():,}")
    largest = Case.objects.values("agency_id").annotate(n=Count("pk")).order_by("-n").first()
    analyst = _user("bench-analyst", Role.ANALYST, None)
    supervisor = _user("bench-supervisor", Role.SUPERVISOR, largest["agency_id"])
    print(f"largest agency: {largest['n']:,} cases")
    default = selectors.default_filters()
    decade = Filters(start=default.end.replace(year=default.end.year - 10), end=default.end, granularity="quarter")
    three = Filters(start=default.end.replace(year=default.end.year - 3), end=default.end, granularity="month")
    worst = 0.0
    print(f"{'panel':24} {'who':10} {'period':18} {'first s':>8} {'median s':>9}")
    for key in selectors.PANELS:
        for who, user in (("analyst", analyst), ("supervisor", supervisor)):
            for label, filters in (
                ("2 years/quarter", default),
                ("3 years/month", three),
                ("10 years/quarter", decade),
            ):
                first, median = _time(lambda u=user, f=filters, k=key: services.panel(u, k, f), args.runs)
                worst = max(worst, median)
                print(f"{key:24} {who:10} {label:18} {first:8.3f} {median:9.3f}")
    print(f"slowest panel (median): {worst:.3f} s")

    client = Client()
    client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=analyst, name="bench").persistent_id
    session.save()
    cookie = client.cookies

    def fetch(path: str) -> int:
        c = Client()
        c.cookies = cookie
        try:
            return c.get(path, HTTP_HX_REQUEST="true").status_code
        finally:
            connections.close_all()

    cache.clear()
    for run in range(args.runs):
        started = time.perf_counter()
        assert client.get("/staff/insights/").status_code == 200
        shell = time.perf_counter() - started
        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(fetch, [f"/staff/insights/panels/{k}/" for k in selectors.PANELS]))
        total = time.perf_counter() - started
        assert set(codes) == {200}, codes
        state = "cold cache" if run == 0 else "warm cache"
        print(
            f"dashboard run {run + 1} ({state}): page HTML {shell:.3f} s, page with all {len(codes)} panels "
            f"(6 in parallel) {total:.3f} s"
        )


if __name__ == "__main__":
    main()
