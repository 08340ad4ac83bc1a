"""Public requests carry nothing that could identify the person making them.

Before any other middleware runs, requests outside the staff area lose the client address,
user agent, referrer and forwarding headers, so no view, log line or error report downstream can
record them. This is the anonymous tip line's first guarantee (see docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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


def is_public_path(path: str) -> bool:
    return not path.startswith(IDENTIFIED_PREFIXES)


class AnonymiseRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public_path(request.path):
            for key in IDENTIFYING_META:
                request.META.pop(key, None)
            request.META["REMOTE_ADDR"] = "0.0.0.0"  # Django expects the key to exist
            request.anonymised = True
        return self.get_response(request)
