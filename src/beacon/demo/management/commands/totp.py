from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from beacon.demo.seeding import USERS, demo_totp_key


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (demo installs only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("totp prints demo codes only; it refuses to run with BEACON_ENV=production.")
        username = str(options["username"])
        if username not in {u[0] for u in USERS}:
            raise CommandError(f"{username!r} is not a demo account.")
        self.stdout.write(f"{totp(demo_totp_key(username)):06d}")
