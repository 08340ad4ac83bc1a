"""API authentication: bearer tokens for integrations; signed-in, verified staff sessions for the UI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from beacon.access.policy import Action, Guard
from beacon.accounts.models import ApiToken, TokenScope, User

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiRequest(HttpRequest):
    """The request an authenticated operation receives: ninja sets `auth` to the staff member let in."""

    auth: User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_verified():
            return user
        return None


staff_auth = [TokenAuth(), VerifiedSessionAuth()]


class _Guarded:
    """Authenticate as `base` does, then ask the access policy for the operation's `guard`."""

    guard: Guard

    def authenticated(self, user: User | None) -> User | None:
        if user is not None:
            self.guard.check(user)  # AccessDenied -> the API's 403 handler
        return user


class GuardedTokenAuth(_Guarded, TokenAuth):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return self.authenticated(super().authenticate(request, token))


class GuardedSessionAuth(_Guarded, VerifiedSessionAuth):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self.authenticated(super().authenticate(request, key))


def requires(resource: str = "", action: str = Action.VIEW) -> dict[str, Any]:
    """The API's form of `web.decorators.staff_view`, given to the router's decorator:

        @router.get("/{case_id}", response=CaseOut, **requires("case", Action.VIEW))

    The caller authenticates (bearer token or verified staff session), then the policy must grant
    `action` on some record of `resource` (empty: any staff member), before the request body is
    even read: a role without the grant gets 403, an unknown caller 401. Record-level scope stays in
    the selectors (a record outside it is 404). The guard is published in the OpenAPI document as
    `x-beacon-access`, which tells integrators what a token needs and lets a test compare every
    operation with the policy table.
    """
    guard = Guard(resource, str(Action(action)))
    return {
        "auth": [GuardedTokenAuth(guard), GuardedSessionAuth(guard)],
        "openapi_extra": {"x-beacon-access": {"resource": guard.resource, "action": guard.action}},
    }
