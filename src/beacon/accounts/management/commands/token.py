"""`beacon token issue|list|revoke`: API tokens for gateway service accounts, from the command line.

The raw token is printed once by `issue` (ship it to the gateway's secret store); Beacon keeps
only its hash. `list` shows names, prefixes, scopes, expiry and last use; `revoke` takes the
prefix shown by `list` (the eight characters after `bcn_`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.accounts import services
from beacon.accounts.models import ApiToken, TokenScope, User


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens (for gateway service accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        issue = sub.add_parser("issue", help="Issue a token for a user and print it once.")
        issue.add_argument("--user", required=True, help="User name of the (service) account")
        issue.add_argument("--name", required=True, help="What the token is for")
        issue.add_argument("--scope", choices=TokenScope.values, default=TokenScope.WRITE)
        issue.add_argument(
            "--days", type=int, default=None, help="Days until it expires (at most BEACON_API_TOKEN_DAYS)"
        )
        listing = sub.add_parser("list", help="List tokens (no secrets).")
        listing.add_argument("--user", default=None)
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _issue(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['user']!r}.")
        days = options["days"]
        if days is not None and not 1 <= days <= settings.BEACON_API_TOKEN_DAYS:
            raise CommandError(f"--days must be between 1 and {settings.BEACON_API_TOKEN_DAYS}.")
        token, raw = services.issue_token(None, user, name=options["name"], scope=options["scope"], days=days)
        self.stderr.write(
            f"Token {token.name!r} for {user.username} ({token.get_scope_display()}), "
            f"expires {token.expires_at:%Y-%m-%d}. Shown once:"
        )
        self.stdout.write(raw)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        for t in tokens:
            state = "revoked" if t.revoked_at else ("active" if t.is_valid else "expired")
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "-"
            self.stdout.write(
                f"{t.prefix}  {t.user.username:<16} {t.scope:<5} {state:<7} expires {expires}  "
                f"last used {used}  {t.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"]))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} tokens start with {options['prefix']!r}: give the prefix from `list`.")
        services.revoke_token(None, matches[0])
        self.stdout.write(f"Revoked {matches[0].prefix} ({matches[0].name}).")
