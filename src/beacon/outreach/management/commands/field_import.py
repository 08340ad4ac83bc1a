"""beacon field_import FILE --user NAME: import an exported CSV of HTCDS survey submissions.

KoboToolbox ("Downloads" -> CSV, XML values and headers) and ODK Central ("Download all
submissions" -> CSV) exports both work: the delimiter (`;` or `,`) is detected, group prefixes in
headers are dropped, and each row's `_uuid`/`KEY`/`meta/instanceID` is its idempotency key, so
importing the same file twice adds nothing. Each row becomes a tip in the user's agency queue;
rows with errors are listed and skipped, the others stored."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beacon.accounts.models import User
from beacon.outreach.models import Source
from beacon.outreach.services import SubmissionRefused, receive_submission


class Command(BaseCommand):
    help = "Import an exported CSV of HTCDS survey submissions (KoboToolbox or ODK Central) into the intake queue."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The intake account the tips are received by.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            user = User.objects.select_related("agency").get(username=options["user"], is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"no active user named {options['user']!r}") from missing
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as unreadable:
            raise CommandError(f"cannot read {path}: {unreadable}") from unreadable
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error as unknown:
            raise CommandError(f"{path} is not a CSV file with ; , or tab between columns") from unknown
        created = replayed = refused = 0
        for number, row in enumerate(csv.DictReader(text.splitlines(), dialect=dialect), start=2):
            answers = {key: value for key, value in row.items() if key is not None and value not in (None, "")}
            try:
                received = receive_submission(user, answers, source=Source.FILE)
            except SubmissionRefused as problem:
                refused += 1
                self.stderr.write(f"line {number}: not imported: {problem}")
                continue
            if received.created:
                created += 1
            else:
                replayed += 1
            for warning in received.warnings:
                self.stdout.write(f"line {number}: {warning.field}: {warning.message}")
        self.stdout.write(f"{created} new tips, {replayed} already imported, {refused} rows not imported")
