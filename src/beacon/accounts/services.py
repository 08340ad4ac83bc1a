"""Writes for staff accounts and agencies."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.access.policy import AccessDenied, Action, require
from beacon.accounts.models import Agency, ApiToken, User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record


@transaction.atomic
def create_staff_user(actor: User, agency: Agency, *, password: str, **fields: object) -> User:
    candidate = User(agency=agency, **fields)
    require(actor, Action.CREATE, "user", candidate)
    if candidate.role == Role.SYSTEM_ADMIN and actor.role != Role.SYSTEM_ADMIN:
        raise AccessDenied("only a system administrator can create another")
    candidate.set_password(password)
    candidate.save()
    record(actor, AuditAction.CREATE, candidate)
    return candidate


@transaction.atomic
def update_staff_user(actor: User, user: User, **fields: object) -> User:
    require(actor, Action.UPDATE, "user", user)
    if fields.get("role") == Role.SYSTEM_ADMIN and actor.role != Role.SYSTEM_ADMIN:
        raise AccessDenied("only a system administrator can grant that role")
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    record(actor, AuditAction.UPDATE, user)
    return user


@transaction.atomic
def reset_second_factor(actor: User, user: User) -> None:
    require(actor, Action.UPDATE, "user", user)
    TOTPDevice.objects.filter(user=user).delete()
    record(actor, AuditAction.UPDATE, user, reason="second factor reset")


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


# --- API tokens ---------------------------------------------------------------------------------


@transaction.atomic
def issue_token(
    actor: User | None, user: User, *, name: str, scope: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; the raw value is returned once and only its hash is kept. `actor` is
    the person issuing it (None: an operator at the command line)."""
    expires_at = timezone.now() + timedelta(days=days) if days else None
    token, raw = ApiToken.issue(user, name, expires_at=expires_at, scope=scope)
    record(actor, AuditAction.CREATE, token, reason=f"API token, {scope}")
    return token, raw


@transaction.atomic
def revoke_token(actor: User | None, token: ApiToken) -> ApiToken:
    """Revocation takes effect at the next request. A person revokes their own tokens (operators
    any, at the command line)."""
    if actor is not None and token.user_id != actor.pk:
        raise AccessDenied("a token is revoked by its holder", record=token, action=Action.UPDATE, resource="token")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, AuditAction.REVOKE, token, reason="API token")
    return token
