"""Full HTCDS export streaming from a large database: time, bytes and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_insights_bench \\
        .venv/bin/python benchmarks/insights_export.py [--all-cases] [--json]

By default it exports, as the supervisor of the largest agency, what the interface streams (one
CSV per HTCDS table, consenting cases of that agency). `--all-cases` streams the same builders over
every case in the database (1M), without the access and consent filters, to measure the largest
possible export. Output is counted and discarded. Peak memory is the process's maximum resident
set size (ru_maxrss), which includes Django and the libraries loaded before the export.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")

import django

django.setup()

from django.db.models import Count  # noqa: E402

from beacon.accounts.models import Agency, User  # noqa: E402
from beacon.accounts.roles import Role  # noqa: E402
from beacon.cases.models import Case  # noqa: E402
from beacon.insights import exports, services  # noqa: E402
from beacon.reference import htcds  # noqa: E402
from beacon.web.csvsafe import iter_csv  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all-cases", action="store_true")
    parser.add_argument("--json", action="store_true", help="also stream the JSON form")
    args = parser.parse_args()
    largest = Case.objects.values("agency_id").annotate(n=Count("pk")).order_by("-n").first()
    agency = Agency.objects.get(pk=largest["agency_id"])
    user, _ = User.objects.get_or_create(
        username="bench-supervisor", defaults={"role": Role.SUPERVISOR, "agency": agency}
    )
    print(f"cases in database: {Case.objects.count():,}; peak RSS before export: {rss_mb():.0f} MB")
    if args.all_cases:
        cases = Case.objects.all()
        print("scope: every case (no access or consent filter)")

        def stream(table):
            return iter_csv(exports.htcds_csv_rows(table, cases, None), header=htcds.csv_header(table))

        def stream_json():
            return exports.htcds_json_chunks(cases, None)
    else:
        print(f"scope: supervisor of {agency.name} ({largest['n']:,} cases, consenting only)")

        def stream(table):
            return services.htcds_csv(user, table)

        def stream_json():
            return services.htcds_json(user)

    total_started = time.perf_counter()
    total_bytes = 0
    for table in exports.HTCDS_TABLES:
        started = time.perf_counter()
        size = rows = 0
        for chunk in stream(table):
            size += len(chunk)
            rows += 1
        total_bytes += size
        print(
            f"{table:28} {rows - 1:>10,} rows {size / 1e6:9.1f} MB {time.perf_counter() - started:7.1f} s "
            f"peak RSS {rss_mb():.0f} MB"
        )
    if args.json:
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in stream_json())
        total_bytes += size
        print(
            f"{'JSON form':28} {'':>10}      {size / 1e6:9.1f} MB {time.perf_counter() - started:7.1f} s "
            f"peak RSS {rss_mb():.0f} MB"
        )
    print(
        f"total: {total_bytes / 1e6:.0f} MB in {time.perf_counter() - total_started:.0f} s; peak RSS {rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
