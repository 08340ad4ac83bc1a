"""Rate limits for public forms, keyed on the request's hourly pseudonym (never the address).

Counters live only in the cache (memory or Redis), for one window. With the in-memory cache each
server process counts on its own, so the effective limit is the limit times the processes;
configure Redis (BEACON_CACHE_URL) to share counters.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW = 3600


def limit_for(kind: str) -> int:
    limits = getattr(settings, "BEACON_PUBLIC_RATE_LIMITS", {})
    return int(limits.get(kind, {"tip": 30, "codename": 60, "add": 60}.get(kind, 60)))


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one attempt of `kind`; False once the client's pseudonym is over its hourly limit."""
    pseudonym = getattr(request, "client_pseudonym", None)
    limit = limit_for(kind)
    if not pseudonym or limit <= 0:
        return True
    key = f"beacon:rl:{kind}:{int(time.time() // WINDOW)}:{pseudonym}"
    if cache.add(key, 1, WINDOW):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)
        return True
    return count <= limit
