"""Redirect targets taken from a request (`?next=`, a form field) stay on this site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    """`candidate` if it points to one of the site's hosts, else `default` (a URL or URL name).

    Without this check a link like `/accounts/second-factor/?next=https://evil.example/` would
    send a person who just signed in to a look-alike page (an open redirect).
    """
    hosts = {request.get_host(), *(h for h in settings.ALLOWED_HOSTS if h and not h.startswith("."))}
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts=hosts, require_https=request.is_secure()):
        return candidate
    return resolve_url(default)
