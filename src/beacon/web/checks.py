"""Deployment checks (`beacon check --deploy`): settings that work but fall short in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The cache is kept in each server process.",
            hint=(
                "Public rate limits then count per process (the limit times the workers) and each "
                "worker keeps its own hourly pseudonym salt. Set BEACON_CACHE_URL to a Redis URL "
                "(docs/operations.md)."
            ),
            id="beacon.W001",
        )
    ]
