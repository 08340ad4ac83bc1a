"""Signing staff in for browser tests without typing a password and a TOTP code each time."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in(context, live_server, user) -> None:
    """Sign `user` in with both factors: the browser gets the session cookie of a verified TOTP login."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
