"""Failed sign-ins and pauses go into the audit log: who (the account, if the name exists), what
and when. Nothing typed is kept there; the address stays in axes' own failure log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record


def _account(username: object) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).first()


def _record(action: str, username: object) -> None:
    account = _account(username)
    if account is None:
        record(None, action, object_type="accounts.user", reason="unknown user name")
    else:
        record(account, action, account)


@receiver(user_login_failed, dispatch_uid="beacon.audit.sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    _record(AuditAction.SIGN_IN_FAILED, credentials.get("username"))


@receiver(user_locked_out, dispatch_uid="beacon.audit.locked_out")
def locked_out(sender: Any, request: Any = None, username: object = None, **kwargs: Any) -> None:
    _record(AuditAction.LOCKED_OUT, username)
