"""Public requests carry nothing that could identify the person making them.

Before any other middleware runs, requests outside the staff area lose the client address,
user agent, referrer and forwarding headers, so no view, log line or error report downstream can
record them. This is the anonymous tip line's first guarantee (see docs/architecture.md).
The only thing kept is ``request.client_pseudonym``: an HMAC of the address under a random salt
that lives in memory (or the shared cache) and changes every hour, so public forms can be
rate-limited without any stored value that leads back to an address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from beacon.web import staff_languages

IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)
# Staff sign-in keeps the address for lockout decisions; everything else is public.
IDENTIFIED_PREFIXES = ("/staff/", "/accounts/", "/api/")


SALT_PERIOD = 3600  # the pseudonym salt changes every hour and is never written to disk
_salts: dict[int, bytes] = {}


def _salt(period: int) -> bytes:
    """This hour's random salt, shared through the cache between workers when the cache is shared."""
    salt = _salts.get(period)
    if salt is None:
        salt = cache.get_or_set(f"beacon:anon-salt:{period}", secrets.token_bytes(32), SALT_PERIOD * 2)
        _salts.clear()  # forget earlier hours: yesterday's pseudonyms can no longer be recomputed
        _salts[period] = salt
    return salt


def client_pseudonym(address: str, now: float | None = None) -> str:
    """A keyed hash of the client address with an hourly salt: enough to rate-limit, useless to trace."""
    period = int((now if now is not None else time.time()) // SALT_PERIOD)
    return hmac.new(_salt(period), address.encode(), hashlib.sha256).hexdigest()[:32]


def is_public_path(path: str) -> bool:
    return not path.startswith(IDENTIFIED_PREFIXES)


class AnonymiseRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public_path(request.path):
            # Rate limits on public forms key on this pseudonym; the address itself goes now.
            request.client_pseudonym = client_pseudonym(request.META.get("REMOTE_ADDR", ""))
            for key in IDENTIFYING_META:
                request.META.pop(key, None)
            request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104  (a placeholder address, not a bind)
            request.anonymised = True
        return self.get_response(request)


# Browser features no Beacon page uses; a script that slipped in still cannot reach them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class StaffLanguageMiddleware:
    """Staff pages only in a language whose staff catalog is complete; English otherwise.

    Runs after ``LocaleMiddleware``. The public portal keeps all of ``settings.LANGUAGES``; on a
    staff page (/staff/, /accounts/, /api/) a session or cookie language that has no
    complete staff catalog is replaced by English for this request (the choice itself is kept,
    so the portal still opens in it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(IDENTIFIED_PREFIXES):
            language = translation.get_language()
            if language not in staff_languages.staff_language_codes():
                translation.activate(staff_languages.SOURCE_LANGUAGE)
                request.LANGUAGE_CODE = staff_languages.SOURCE_LANGUAGE
        return self.get_response(request)
