"""`beacon purge`: what is past its retention period (dry run), or delete it (--apply)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from beacon.lifecycle import purge


class Command(BaseCommand):
    help = (
        "List, per record type, how many records are past their retention period (BEACON_RETAIN_*_DAYS) "
        "and which are kept under a legal hold. Nothing is deleted without --apply. Safe to run again "
        "after an interruption: it carries on where it stopped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--apply", action="store_true", help="delete what is due (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = purge.purge(apply=options["apply"])
        for line in purge.describe(report):
            self.stdout.write(line)
