from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools: `verify` checks the hash chain and reports edited or deleted entries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Verify the hash chain of the audit log.")

    def handle(self, *args: object, **options: object) -> None:
        result = verify_chain()
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(f"Audit log verification FAILED: {len(result.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Audit log verified: {result.checked} entries, chain intact."))
