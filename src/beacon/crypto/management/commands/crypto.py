from __future__ import annotations

import base64
import secrets

from django.core.management.base import BaseCommand, CommandParser

from beacon.crypto import keys
from beacon.crypto.services import rotate_keys


class Command(BaseCommand):
    help = "Field-encryption keys: generate a new key, or rotate stored values to the primary key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate-key", help="Print a new random 256-bit key for BEACON_FIELD_KEYS.")
        rotate = sub.add_parser("rotate", help="Re-encrypt every value not under the primary (first) key.")
        rotate.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "generate-key":
            key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
            self.stdout.write(key)
            return
        counts = rotate_keys(int(options["batch_size"]), progress=self.stdout.write)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Primary key {keys.primary_key_id()}: {total} rows re-encrypted."))
