"""API authentication: bearer tokens for integrations; signed-in, verified staff sessions for the UI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from beacon.accounts.models import ApiToken, TokenScope

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = ApiToken.objects.select_related("user", "user__agency").filter(token_hash=ApiToken.hash(token)).first()
        if record is None or not record.is_valid or not record.user.is_active:
            return None
        if record.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class VerifiedSessionAuth(APIKeyCookie):
    """The staff browser session, only once both factors were passed (CSRF checked by ninja)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_verified():
            return user
        return None


staff_auth = [TokenAuth(), VerifiedSessionAuth()]
