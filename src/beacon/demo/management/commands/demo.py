from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from beacon.accounts import services
from beacon.accounts.models import TokenScope, User
from beacon.accounts.roles import Role
from beacon.demo.seeding import DEMO_PASSWORD, USERS, demo_totp_secret


class Command(BaseCommand):
    help = "Set up the demo (migrate, reference data, demo data) and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Prepare the demo but do not start the server.")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            self.stderr.write("The demo refuses to run with BEACON_ENV=production.")
            raise SystemExit(2)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Beacon demo at http://{options['addr']}/"))
        self.stdout.write(
            f"Staff sign-in: http://{options['addr']}/accounts/login/  password for every account: {DEMO_PASSWORD}"
        )
        self.stdout.write("Second factor: each demo account has a fixed authenticator key (add it to an app), or")
        self.stdout.write("print the current code with:  python3 dev.py totp <username>")
        for username, _first, _last, role, _agency in USERS:
            self.stdout.write(f"  {username:<16} {role.label:<24} key {demo_totp_secret(username)}")
        self._gateway_token()
        if options["no_serve"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "beacon", "run_huey", "--quiet"])
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()

    def _gateway_token(self) -> None:
        """One API token for the demo's hotline account, as an SMS gateway would hold (src/beacon/tips/INTAKE.md)."""
        hotline = next((u for u, _f, _l, role, _a in USERS if role == Role.HOTLINE), None)
        user = User.objects.filter(username=hotline).first() if hotline else None
        if user is None:
            return
        _token, raw = services.issue_token(None, user, name="demo gateway", scope=TokenScope.WRITE, days=30)
        self.stdout.write(f"API token for {user.username} (read and write, 30 days; more at /staff/account/tokens/):")
        self.stdout.write(f"  {raw}")
        self.stdout.write("  try: curl -H 'Authorization: Bearer <token>' http://127.0.0.1:8000/api/v1/me")
