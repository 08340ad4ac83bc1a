from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from beacon.web import navigation


def beacon(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "BEACON_LANGUAGES": settings.LANGUAGES,
        "staff_nav": navigation.items_for(user) if user is not None and user.is_authenticated else [],
    }
