"""`beacon export htcds|ctdc|federal ...`: the interface's exports from the command line.

The export runs as a named staff account (``--as USERNAME``), so the same access rules apply and
the audit log records who exported what.

    beacon export htcds --as supervisor --out exports/            # one CSV per table + htcds.json
    beacon export htcds --as supervisor --table person --out -    # one table to standard output
    beacon export ctdc --as supervisor --out ctdc.csv
    beacon export federal ovc --as supervisor --start 2026-01-01 --end 2026-06-30 --out ovc.csv
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.access.policy import AccessDenied
from beacon.accounts.models import User
from beacon.insights import exports, services
from beacon.insights.formats.federal import Period
from beacon.web.csvsafe import iter_csv


class Command(BaseCommand):
    help = "Export HTCDS 2.0 tables, CTDC v2024 rows or federal reports (access-checked and audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True)
        htcds = sub.add_parser("htcds", help="HTCDS 2.0: one CSV per table and the JSON form")
        htcds.add_argument("--table", choices=exports.HTCDS_TABLES, help="only this table (CSV)")
        htcds.add_argument("--json", action="store_true", help="only the JSON form")
        ctdc = sub.add_parser("ctdc", help="CTDC codebook v2024, 27 variables (CSV)")
        federal = sub.add_parser("federal", help="federal reports (CSV)")
        federal.add_argument("report", choices=["ovc", "nibrs", "closure"])
        federal.add_argument("--start", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        federal.add_argument("--end", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD (inclusive)")
        for p in (htcds, ctdc, federal):
            p.add_argument("--as", dest="username", required=True, help="the staff account exporting")
            p.add_argument("--out", required=True, help="output file, directory (htcds) or - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.select_related("agency").filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active staff account named {options['username']!r}")
        try:
            self._export(user, options)
        except AccessDenied as exc:
            raise CommandError(f"{user.username} may not export this: {exc}") from None

    def _export(self, user: User, options: dict[str, Any]) -> None:
        out = options["out"]
        kind = options["format"]
        if kind == "ctdc":
            self._write(services.ctdc_csv(user), out)
        elif kind == "federal":
            try:
                period = Period(options["start"], options["end"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            rows = services.federal_report(user, options["report"], period)
            self._write(iter_csv(rows), out)
        elif options["table"]:
            self._write(services.htcds_csv(user, options["table"]), out)
        elif options["json"]:
            self._write(services.htcds_json(user), out)
        else:
            if out == "-":
                raise CommandError("a full HTCDS export writes several files: give a directory with --out")
            folder = Path(out)
            folder.mkdir(parents=True, exist_ok=True)
            for table in exports.HTCDS_TABLES:
                self._write(services.htcds_csv(user, table), str(folder / f"htcds-{table}.csv"))
            self._write(services.htcds_json(user), str(folder / "htcds.json"))

    def _write(self, chunks: Iterator[bytes], out: str) -> None:
        if out == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        path = Path(out)
        with path.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        self.stderr.write(f"wrote {path}")
